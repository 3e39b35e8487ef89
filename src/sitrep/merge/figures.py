"""A mention's figures reduced to one total per kind, and an incident's low / best / high.

Within one mention (one event of one report):

- Sub-counts (``part_of`` set: "among them seven children") never add to a total; they are kept
  per victim group.
- Running totals (``cumulative``) never add into single-incident sums: a mention whose figures
  are all cumulative is a running total (merged only with running totals); in a mixed mention
  the cumulative figures are left out of the totals.
- Top-level figures of one kind: the total is the larger of (a) the largest figure of a generic
  group ("people") and (b) the sum over specific groups (civilians, soldiers, …) of each group's
  largest figure. "5 civilians and 3 soldiers" is 8; "20 people … 12 civilians" is 20; the same
  number said twice is said once.

Across the reports of an incident (``combine``): ``low`` is the lowest figure any report gives
(its lower bound where it gives a range), ``high`` the highest (upper bound), and ``best`` is
the figure of the most specific report (exact > range > at least / more than > about / nearly
/ up to > vague, hedged after unhedged), the most recent among equally specific ones (tolls
rise as bodies are counted), the larger on a tie. Each report counts once per kind: when
several of its mentions fall in one incident, its largest total stands for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sitrep.model import Event, Figure

GENERIC_GROUPS = frozenset({"people"})

# Specificity of a qualifier: lower is more specific.
RANK = {
    "exact": 0,
    "range": 1,
    "at_least": 2,
    "more_than": 2,
    "about": 3,
    "nearly": 3,
    "up_to": 3,
    "vague": 4,
}

# [low, best, high, qualifier, hedged] — the compact form stored in ``mentions.summary``.
Triple = list[Any]


def rank(t: Triple) -> int:
    return RANK.get(t[3], 4)


def _triple(f: Figure) -> Triple:
    low = f.low if f.low is not None else f.best
    high = f.high if f.high is not None else f.best
    return [min(low, f.best), f.best, max(high, f.best), f.qualifier.value, f.hedged]


def better(a: Triple | None, b: Triple) -> Triple:
    """The larger statement of the same count (larger best; more specific on a tie)."""
    if a is None:
        return b
    return b if (b[1], -rank(b)) > (a[1], -rank(a)) else a


def _total(figs: Sequence[Triple], groups: Sequence[str]) -> Triple:
    generic: Triple | None = None
    per_group: dict[str, Triple] = {}
    for t, g in zip(figs, groups, strict=True):
        if g in GENERIC_GROUPS:
            generic = better(generic, t)
        else:
            per_group[g] = better(per_group.get(g), t)
    summed: Triple | None = None
    if per_group:
        parts = list(per_group.values())
        summed = [
            sum(p[0] for p in parts),
            sum(p[1] for p in parts),
            sum(p[2] for p in parts),
            max((p[3] for p in parts), key=lambda q: RANK.get(q, 4)),
            any(p[4] for p in parts),
        ]
    if generic is None:
        assert summed is not None
        return summed
    if summed is None or generic[1] >= summed[1]:
        return generic
    return summed


def is_running_total(ev: Event) -> bool:
    """All figures cumulative: the mention reports a running total, not one incident."""
    return bool(ev.figures) and all(f.cumulative for f in ev.figures)


def mention_summary(ev: Event) -> dict[str, Any]:
    """``{"totals": {kind: triple}, "groups": {kind: {group: triple}}}`` for one mention."""
    running = is_running_total(ev)
    top: dict[str, tuple[list[Triple], list[str]]] = {}
    groups: dict[str, dict[str, Triple]] = {}
    for f in ev.figures:
        if f.cumulative != running:
            continue
        t = _triple(f)
        kind = f.kind.value
        if f.group not in GENERIC_GROUPS:
            by_group = groups.setdefault(kind, {})
            by_group[f.group] = better(by_group.get(f.group), t)
        if f.part_of is None:
            figs, grps = top.setdefault(kind, ([], []))
            figs.append(t)
            grps.append(f.group)
    totals = {kind: _total(figs, grps) for kind, (figs, grps) in top.items()}
    return {"totals": totals, "groups": groups}


def combine(
    per_report: Iterable[tuple[Triple, date | None, str]],
) -> dict[str, Any] | None:
    """An incident's figure for one kind from each report's ``(triple, published, report_id)``."""
    items = list(per_report)
    if not items:
        return None
    low = min(t[0] for t, _, _ in items)
    high = max(t[2] for t, _, _ in items)
    best_t, _, best_rid = min(
        items,
        key=lambda it: (
            rank(it[0]),
            bool(it[0][4]),
            -(it[1].toordinal() if it[1] else 0),
            -it[0][1],
            it[2],
        ),
    )
    return {
        "low": low,
        "best": best_t[1],
        "high": high,
        "qualifier": best_t[3],
        "n_reports": len(items),
        "best_report": best_rid,
    }
