"""Grouping mentions into incidents: blocking, regions, constrained union.

Blocking: every mergeable mention is filed, per event family and per day of its (±1 day)
interval, under its place keys (folded name, gazetteer id, 0.5° grid cell, country, province,
district); a mention looks up only the keys its partners can have (its own name and id, the
3×3 cells around its point, the area it covers). Each mention meets the few mentions of the
same family, days and places, so the cost grows with the number of mentions times the local
density — near-linearly — instead of quadratically.

Clustering is a pure function of the set of mentions, whatever order they came in: agreement
edges are taken strongest first (ties in the mentions' canonical order: publication date,
report id, position), and two groups join only when no pair across them conflicts
(``rules.conflict``). A group's id is derived from its anchor, the member first in canonical
order. Recomputing only the *regions* touched by new mentions (the connected parts of the
agreement graph, plus the incidents they already belonged to) gives exactly what a merge from
scratch would.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sitrep.merge.rules import Mention, conflict, edge_score


class BlockingIndex:
    """(family, day) → blocking key → mentions filed there."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self._index: dict[tuple[str, int], dict[str, list[Mention]]] = defaultdict(dict)
        for m in mentions:
            if not m.mergeable:
                continue
            assert m.d0 is not None and m.d1 is not None
            keys = m.index_keys()
            for day in range(m.d0, m.d1 + 1):
                bucket = self._index[(m.family, day)]
                for k in keys:
                    bucket.setdefault(k, []).append(m)

    def candidates(self, m: Mention) -> dict[int, Mention]:
        found: dict[int, Mention] = {}
        if not m.mergeable:
            return found
        assert m.d0 is not None and m.d1 is not None
        keys = m.query_keys()
        for day in range(m.d0 - 1, m.d1 + 2):
            bucket = self._index.get((m.family, day))
            if not bucket:
                continue
            for k in keys:
                for other in bucket.get(k, ()):
                    if other.idx != m.idx:
                        found[other.idx] = other
        return found


class Graph:
    """Agreement edges, computed on demand and cached (each unordered pair scored once)."""

    def __init__(self, index: BlockingIndex) -> None:
        self.index = index
        self.adj: dict[int, dict[int, float]] = {}
        self.pairs = 0

    def neighbours(self, m: Mention) -> dict[int, float]:
        hit = self.adj.get(m.idx)
        if hit is not None:
            return hit
        out: dict[int, float] = {}
        for other in self.index.candidates(m).values():
            cached = self.adj.get(other.idx)
            if cached is not None:
                score = cached.get(m.idx)
            else:
                self.pairs += 1
                score = edge_score(m, other)
            if score is not None:
                out[other.idx] = score
        self.adj[m.idx] = out
        return out


def regions(mentions: Sequence[Mention], seeds: Iterable[int], graph: Graph) -> list[list[Mention]]:
    """The closed sets a merge must recompute: everything reachable from the seeds through
    agreement edges or through membership of one old incident."""
    by_old: dict[str, list[int]] = defaultdict(list)
    for m in mentions:
        if m.old is not None:
            by_old[m.old].append(m.idx)
    seen: set[int] = set()
    out: list[list[Mention]] = []
    for seed in seeds:
        if seed in seen:
            continue
        seen.add(seed)
        stack = [seed]
        region: list[Mention] = []
        visited_old: set[str] = set()
        while stack:
            m = mentions[stack.pop()]
            region.append(m)
            nxt = list(graph.neighbours(m))
            if m.old is not None and m.old not in visited_old:
                visited_old.add(m.old)
                nxt.extend(by_old[m.old])
            for j in nxt:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        out.append(region)
    return out


def cluster(region: Sequence[Mention], graph: Graph) -> list[list[Mention]]:
    """Constrained union of one region, strongest edges first: lists of members, each in
    canonical order, the lists ordered by their anchors."""
    members = {m.idx: m for m in region}
    edges: list[tuple[float, tuple[int, str, int], tuple[int, str, int], int, int]] = []
    for m in region:
        for j, score in graph.neighbours(m).items():
            other = members.get(j)
            if other is not None and m.key < other.key:
                edges.append((-score, m.key, other.key, m.idx, j))
    edges.sort()
    group: dict[int, list[Mention]] = {m.idx: [m] for m in region}
    for _, _, _, i, j in edges:
        gi, gj = group[i], group[j]
        if gi is gj:
            continue
        if any(conflict(a, b) for a in gi for b in gj):
            continue
        if len(gi) < len(gj):
            gi, gj = gj, gi
        gi.extend(gj)
        for m in gj:
            group[m.idx] = gi
    unique: dict[int, list[Mention]] = {id(g): g for g in group.values()}
    out = [sorted(g, key=lambda m: m.key) for g in unique.values()]
    out.sort(key=lambda g: g[0].key)
    return out


def incident_id(anchor: Mention) -> str:
    """16 hex digits of SHA-256 over the anchor mention's id (content-derived, order-free)."""
    return hashlib.sha256(("incident:" + anchor.id).encode()).hexdigest()[:16]
