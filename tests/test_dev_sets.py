"""The dev sets: figure F1 and attribute accuracy bars (issue: sitrep core)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.evaluate import evaluate, load_gold

GOLD = Path(__file__).parent / "gold"
# Attributes the extractor owns; country and admin1 come from geocoding.
EXTRACTION_ATTRIBUTES = ["qualifier", "low", "high", "group", "cumulative", "date", "hedged"]


@pytest.fixture(scope="module", params=["dev.nl.jsonl", "dev.en.jsonl"])
def result(request):
    return evaluate(load_gold(GOLD / request.param))


def test_figure_f1(result):
    assert result.overall.f1 >= 0.84, result.as_dict()["overall"]


def test_attributes(result):
    for key in EXTRACTION_ATTRIBUTES:
        assert result.overall.accuracy(key) >= 0.80, (key, result.overall.accuracy(key))


def test_negatives_yield_nothing():
    items = [
        i
        for i in load_gold(GOLD / "dev.nl.jsonl") + load_gold(GOLD / "dev.en.jsonl")
        if i.get("negative")
    ]
    assert len(items) >= 40
    res = evaluate(items)
    assert res.overall.fp <= 0.1 * len(items), [e for e in res.errors if e["type"] == "fp"]
