from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (ROOT / "data" / "seed.nl.txt").read_text("utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((ROOT / "gold" / "seed.jsonl").read_text("utf-8").splitlines()[0])
