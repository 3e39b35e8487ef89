"""The same text gives the same events whatever Python's hash seed: no set order may decide
a match (an earlier build gave 'slachtoffers' or 'dodelijke slachtoffers' by the seed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import hashlib, sitrep
from sitrep.evaluate import load_gold, _published
h = hashlib.sha256()
for f in ("dev.nl", "dev.en"):
    for item in load_gold(f"tests/gold/{f}.jsonl"):
        for e in sitrep.extract(item["text"], lang=item["lang"],
                                published=_published(item.get("published"))):
            h.update(e.model_dump_json().encode())
print(h.hexdigest())
"""


def test_output_does_not_depend_on_the_hash_seed() -> None:
    root = Path(__file__).parents[1]
    digests = set()
    for seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr[-2000:]
        digests.add(out.stdout.strip())
    assert len(digests) == 1
