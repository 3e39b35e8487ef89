"""An incident's record from its mentions: the fields, the figures, the sources, the grade.

- event, date, place, actors: the most frequent value among the mentions, preferring the most
  precise date (day over week over month) and the most precise place (a geocoded town over a
  district, province or country); ties go to the mention first in canonical order.
- figures: per kind, ``sitrep.merge.figures.combine`` over each report's total (low = lowest
  reported, high = highest reported, best = most specific, then most recent); victim groups and
  sub-counts the same way, per group, never added to the totals.
- sources: one entry per report, with its figures; ``n_sources`` counts independent sources:
  reports of one outlet count once, and a near-copy counts as the outlet it copies.
- grade (in the spirit of Airwars): ``conceded`` when the accused confirmed it, ``contested``
  when the accused denied it, else ``multiple_sources`` or ``single_source``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from sitrep.merge.figures import better, combine
from sitrep.merge.rules import Mention

PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
GRADES = ("conceded", "contested", "multiple_sources", "single_source")
MAIN_KINDS = ("killed", "injured", "displaced")


def _mode(values: Sequence[Any]) -> Any:
    """The most frequent non-empty value; the first seen wins a tie."""
    present = [v for v in values if v not in (None, "")]
    if not present:
        return None
    return Counter(present).most_common(1)[0][0]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(members: Sequence[Mention]) -> dict[str, Any]:
    dated = [m for m in members if m.d0 is not None]
    if not dated:
        m0 = members[0]
        return {"start": None, "end": None, "precision": m0.precision}
    finest = min(PRECISION_ORDER.get(m.precision, 4) for m in dated)
    pool = [m for m in dated if PRECISION_ORDER.get(m.precision, 4) == finest]
    counts = Counter((m.d0, m.d1) for m in pool)
    (d0, d1), _ = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "start": date.fromordinal(d0).isoformat(),
        "end": date.fromordinal(d1 if d1 is not None else d0).isoformat(),
        "precision": pool[0].precision,
    }


def _place(members: Sequence[Mention]) -> dict[str, Any]:
    placed = [m for m in members if m.place_key or m.geonameid or m.country]
    empty = {
        "location": None,
        "text": None,
        "geonameid": None,
        "country": None,
        "admin1": None,
        "admin2": None,
        "lat": None,
        "lon": None,
        "precision": None,
        "feature": None,
    }
    if not placed:
        return empty
    counts = Counter(m.geonameid or m.place_key for m in placed)
    best = min(
        placed,
        key=lambda m: (
            m.lat is None,
            m.level,
            m.geo_precision or 9,
            -counts[m.geonameid or m.place_key],
            m.key,
        ),
    )
    return {
        "location": best.place_name or best.place_text,
        "text": best.place_text,
        "geonameid": best.geonameid,
        "country": best.country or _mode([m.country for m in members]),
        "admin1": best.admin1,
        "admin2": best.admin2,
        "lat": best.lat,
        "lon": best.lon,
        "precision": best.geo_precision,
        "feature": best.feature,
    }


def _status(members: Sequence[Mention]) -> str:
    statuses = {m.status for m in members}
    for s in ("confirmed", "denied_by_accused", "not_confirmed_by_accused"):
        if s in statuses:
            return s
    return "reported"


def grade(status: str, n_sources: int) -> str:
    if status == "confirmed":
        return "conceded"
    if status == "denied_by_accused":
        return "contested"
    return "multiple_sources" if n_sources > 1 else "single_source"


def derive(members: Sequence[Mention], incident_id: str) -> dict[str, Any]:
    """The incident record (JSON-ready; without created/updated times)."""
    anchor = members[0]
    event = _mode([m.event for m in members]) or anchor.event
    typed = next(m for m in members if m.event == event)
    by_report: dict[str, list[Mention]] = {}
    for m in members:
        by_report.setdefault(m.report_id, []).append(m)

    kinds: dict[str, list[tuple[list[Any], date | None, str]]] = {}
    groups: dict[tuple[str, str], list[tuple[list[Any], date | None, str]]] = {}
    sources = []
    for rid, ms in by_report.items():
        r0 = ms[0]
        totals: dict[str, list[Any]] = {}
        grp: dict[tuple[str, str], list[Any]] = {}
        for m in ms:
            for kind, t in m.summary.get("totals", {}).items():
                totals[kind] = better(totals.get(kind), t)
            for kind, by_group in m.summary.get("groups", {}).items():
                for g, t in by_group.items():
                    grp[(kind, g)] = better(grp.get((kind, g)), t)
        for kind, t in totals.items():
            kinds.setdefault(kind, []).append((t, r0.published, rid))
        for kg, t in grp.items():
            groups.setdefault(kg, []).append((t, r0.published, rid))
        sources.append(
            {
                "report_id": rid,
                "source_name": r0.source_name,
                "url": r0.url,
                "title": r0.title,
                "lang": r0.lang,
                "published": _iso(r0.published),
                "origin": r0.origin,
                "copy_of": r0.copy_of,
                "attributed_to": sorted(
                    {a for m in ms if m.attributed_to for a in m.attributed_to.split("; ")}
                ),
                "mentions": [m.id for m in ms],
                "figures": [
                    {
                        "kind": kind,
                        "low": t[0],
                        "best": t[1],
                        "high": t[2],
                        "qualifier": t[3],
                        "hedged": bool(t[4]),
                    }
                    for kind, t in sorted(totals.items())
                ],
            }
        )

    figures: list[dict[str, Any]] = []
    for kind in sorted(kinds):
        c = combine(kinds[kind])
        if c:
            figures.append({"kind": kind, "group": None, **c})
    for kind, g in sorted(groups):
        c = combine(groups[(kind, g)])
        if c:
            figures.append({"kind": kind, "group": g, **c})

    origins = {s["origin"] for s in sources}
    status = _status(members)
    published = [m.published for m in members if m.published]
    best_report = next(
        (
            f["best_report"]
            for k in MAIN_KINDS
            for f in figures
            if f["kind"] == k and not f["group"]
        ),
        figures[0]["best_report"] if figures else anchor.report_id,
    )
    best_mention = next(m.id for m in members if m.report_id == best_report)
    perp = _mode([m.perpetrator for m in members]) or _mode([m.perpetrator_text for m in members])
    target = _mode([m.target for m in members])
    return {
        "id": incident_id,
        "event": event,
        "event_type": typed.event_type,
        "sub_event_type": typed.sub_event_type,
        "cumulative": anchor.cumulative,
        "date": _date(members),
        "place": _place(members),
        "actors": {
            "perpetrator": perp,
            "perpetrator_type": _mode(
                [m.perpetrator_type for m in members if (m.perpetrator or m.perpetrator_text)]
            ),
            "target": target,
            "target_type": _mode([m.target_type for m in members if m.target == target]),
        },
        "figures": figures,
        "status": status,
        "grade": grade(status, len(origins)),
        "n_sources": len(origins),
        "n_reports": len(by_report),
        "n_mentions": len(members),
        "languages": sorted({m.lang for m in members if m.lang}),
        "first_published": _iso(min(published)) if published else None,
        "last_published": _iso(max(published)) if published else None,
        "anchor": anchor.id,
        "best_mention": best_mention,
        "sources": sources,
    }


def fingerprint(record: dict[str, Any]) -> str:
    """A digest of the record's content: unchanged content keeps its ``updated_at``."""
    body = json.dumps(record, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()


def figure_value(record: dict[str, Any], kind: str, part: str) -> int | None:
    for f in record["figures"]:
        if f["kind"] == kind and f["group"] is None:
            return f[part]
    return None


def incident_row(record: dict[str, Any]) -> dict[str, Any]:
    """The ``incidents`` row of a record (filter columns + the record itself)."""
    place = record["place"]
    d = record["date"]
    row: dict[str, Any] = {
        "id": record["id"],
        "anchor": record["anchor"],
        "event": record["event"],
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "cumulative": record["cumulative"],
        "date_start": date.fromisoformat(d["start"]) if d["start"] else None,
        "date_end": date.fromisoformat(d["end"]) if d["end"] else None,
        "date_precision": d["precision"],
        "location": place["location"],
        "country": place["country"],
        "admin1": place["admin1"],
        "admin2": place["admin2"],
        "lat": place["lat"],
        "lon": place["lon"],
        "geo_precision": place["precision"],
        "perpetrator": record["actors"]["perpetrator"],
        "target": record["actors"]["target"],
        "status": record["status"],
        "grade": record["grade"],
        "n_sources": record["n_sources"],
        "n_reports": record["n_reports"],
        "n_mentions": record["n_mentions"],
        "first_published": (
            date.fromisoformat(record["first_published"]) if record["first_published"] else None
        ),
        "last_published": (
            date.fromisoformat(record["last_published"]) if record["last_published"] else None
        ),
    }
    for kind in MAIN_KINDS:
        for part in ("low", "best", "high"):
            row[f"{kind}_{part}"] = figure_value(record, kind, part)
    return row
