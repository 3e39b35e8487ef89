"""MinHash signatures and LSH bands for near-copy detection (syndicated wire copy).

A report's word 5-shingles are hashed (BLAKE2b, 64 bit) and min-hashed under ``PERMS``
multiply-shift permutations: the share of equal positions in two signatures estimates the
Jaccard similarity of the shingle sets. Signatures are cut into ``BANDS`` bands of ``ROWS``
rows; two reports that share one band bucket are candidates (at Jaccard 0.7 a pair is a
candidate with probability 1 - (1 - 0.7^4)^16 ≈ 0.99), and a candidate whose estimate reaches
``THRESHOLD`` is a near-copy. Everything is deterministic across processes and machines, so
buckets can be stored and looked up in SQL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PERMS = 64
BANDS = 16
ROWS = PERMS // BANDS
SHINGLE = 5
THRESHOLD = 0.7

_WORD = re.compile(r"\w+")
_PARAMS: tuple[np.ndarray, np.ndarray] | None = None


def _params() -> tuple[np.ndarray, np.ndarray]:
    global _PARAMS
    if _PARAMS is None:
        import numpy as np

        seed = hashlib.sha256(b"sitrep-minhash-v1").digest()
        rng = np.random.Generator(np.random.PCG64(int.from_bytes(seed[:8], "big")))
        a = rng.integers(1, 2**63, size=PERMS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 2**63, size=PERMS, dtype=np.uint64)
        _PARAMS = (a, b)
    return _PARAMS


def words(text: str) -> list[str]:
    """Lower-case words without accents: copies that only re-encode characters still match."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the distinct word ``SHINGLE``-grams of a text (a polynomial of the
    words' hashes, mixed; vectorised, so a 500-word text costs well under a millisecond)."""
    import numpy as np

    w = words(text)
    if not w:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((_word_hash(t) for t in w), dtype=np.uint64, count=len(w))
    k = min(SHINGLE, len(h))
    n = len(h) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc = acc * np.uint64(0x9E3779B97F4A7C15) + h[i : i + n]
        acc ^= acc >> np.uint64(31)
        acc *= np.uint64(0xBF58476D1CE4E5B9)
        acc ^= acc >> np.uint64(29)
    return np.unique(acc)


def signature(text: str) -> bytes:
    """The MinHash signature of a text: ``PERMS`` unsigned 32-bit values, little-endian."""
    import numpy as np

    x = shingle_hashes(text)
    if not len(x):
        return b"\xff" * (4 * PERMS)
    a, b = _params()
    with np.errstate(over="ignore"):
        h = (x[None, :] * a[:, None] + b[:, None]) >> np.uint64(32)  # multiply-shift, 32 bits
    return h.min(axis=1).astype("<u4").tobytes()


def bands(sig: bytes) -> list[int]:
    """One bucket per band: a signed 63-bit hash of the band's rows (fits SQL BIGINT)."""
    width = 4 * ROWS
    return [
        int.from_bytes(hashlib.blake2b(sig[i * width : (i + 1) * width], digest_size=8).digest())
        >> 1
        for i in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """The Jaccard estimate of two signatures (share of equal values)."""
    import numpy as np

    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    if x.shape != y.shape:
        return 0.0
    return float((x == y).mean())
