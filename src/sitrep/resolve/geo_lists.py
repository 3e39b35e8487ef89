"""Names in one list are places of one kind: "states such as California or Washington".

A list ("A, B and C", "A or B", "A en B") names things of a kind. Where a name in it could be
the kind its neighbours are — an admin1 of the same country, or a country — that reading
wins over the one its size alone gave it: "California or Washington" is the state, not the
capital; "New York and New Jersey" the state, not the city; "Armenia, Azerbaijan and Georgia"
the country. A name keeps one reading throughout the document, so the switch applies to every
mention of it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from sitrep.resolve.geo import Candidate, Resolved, _to_resolved, name_key

# What may stand between two listed names: a comma, "and", "or", "&" (and Dutch "en").
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and|or|en|&)?|and|or|en|&|/)\s*$", re.IGNORECASE)
_LIST_KINDS = ("admin1", "country")


def _neighbours(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """For each mention, the mentions listed right beside it."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    out: list[list[int]] = [[] for _ in spans]
    for a, b in pairwise(order):
        gap = text[spans[a][1] : spans[b][0]]
        if spans[a][1] <= spans[b][0] and _LIST_GAP.match(gap):
            out[a].append(b)
            out[b].append(a)
    return out


def _kin(ranked: list[tuple[float, Candidate, str | None]], like: Resolved) -> Candidate | None:
    """The best reading of a name that is the same kind of place as its neighbour ``like``."""
    for _, c, _ in ranked:
        if c.feature == like.feature and (c.feature == "country" or c.country == like.country):
            return c
    return None


def refine_by_lists(
    text: str,
    mentions: list[tuple[int, int, str]],
    firsts: list[list[tuple[float, Candidate, str | None]]],
    out: list[Resolved | None],
) -> list[Resolved | None]:
    """Re-read each name listed beside admin1 areas or countries as one of them, if it can be."""
    spans = [(s, e) for s, e, _ in mentions]
    keys = [name_key(m) for _, _, m in mentions]
    switched: dict[str, Resolved] = {}
    for i, near in enumerate(_neighbours(text, spans)):
        r = out[i]
        if r is None or r.feature in _LIST_KINDS or keys[i] in switched:
            continue
        for j in near:
            other = out[j]
            if other is None or other.feature not in _LIST_KINDS:
                continue
            c = _kin(firsts[i], other)
            if c is not None:
                switched[keys[i]] = _to_resolved(c, 0.0)
                break
    if not switched:
        return out
    return [switched.get(k, r) if r is not None else None for k, r in zip(keys, out, strict=True)]
