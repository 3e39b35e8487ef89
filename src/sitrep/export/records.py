"""Serialisations of extracted events (one report's worth, before any merging)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

from sitrep.model import Event

FORMATS = ("table", "jsonl", "json", "csv")

CSV_COLUMNS = [
    "event_id",
    "report_id",
    "event",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "place",
    "perpetrator",
    "perpetrator_text",
    "target",
    "opponent",
    "status",
    "kind",
    "group",
    "best",
    "low",
    "high",
    "qualifier",
    "cumulative",
    "hedged",
    "source",
    "part_of",
    "evidence",
    "evidence_start",
    "evidence_end",
    "sentence",
    "lang",
    "published",
    "url",
    "source_name",
]


def event_dict(ev: Event) -> dict[str, Any]:
    return ev.model_dump(mode="json")


def figure_rows(events: Iterable[Event]) -> Iterable[dict[str, Any]]:
    """One flat row per figure, with its event's fields: the CSV shape."""
    for ev in events:
        perp = ev.actors.perpetrator
        for f in ev.figures:
            yield {
                "event_id": ev.id,
                "report_id": ev.report.id,
                "event": ev.event,
                "event_type": ev.event_type,
                "sub_event_type": ev.sub_event_type,
                "date_start": ev.date.start.isoformat() if ev.date.start else None,
                "date_end": ev.date.end.isoformat() if ev.date.end else None,
                "date_precision": ev.date.precision.value,
                "date_text": ev.date.text,
                "place": ev.place.text if ev.place else None,
                "perpetrator": perp.name if perp else None,
                "perpetrator_text": perp.text if perp else None,
                "target": ev.actors.target.name if ev.actors.target else None,
                "opponent": ev.actors.opponent.name if ev.actors.opponent else None,
                "status": ev.status.value,
                "kind": f.kind.value,
                "group": f.group,
                "best": f.best,
                "low": f.low,
                "high": f.high,
                "qualifier": f.qualifier.value,
                "cumulative": f.cumulative,
                "hedged": f.hedged,
                "source": f.source,
                "part_of": f.part_of,
                "evidence": f.evidence.text,
                "evidence_start": f.evidence.start,
                "evidence_end": f.evidence.end,
                "sentence": f.evidence.sentence,
                "lang": ev.report.lang,
                "published": ev.report.published.isoformat() if ev.report.published else None,
                "url": ev.report.url,
                "source_name": ev.report.source_name,
            }


def _table(events: list[Event], out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{sum(len(e.figures) for e in events)} figures in {len(events)} events",
        show_lines=False,
    )
    for col in (
        "event",
        "date",
        "place",
        "perpetrator",
        "kind",
        "value",
        "group",
        "source",
        "flags",
        "evidence",
    ):
        table.add_column(col, overflow="fold")
    for ev in events:
        date = ev.date.start.isoformat() if ev.date.start else (ev.date.text or "")
        if ev.date.start and ev.date.precision.value != "day":
            date += f" ({ev.date.precision.value})"
        for f in ev.figures:
            value = str(f.best)
            if f.low is not None or f.high is not None:
                low = "" if f.low is None else f.low
                high = "" if f.high is None else f.high
                value += f" [{low}–{high}]"
            flags = " ".join(
                x
                for x, on in (
                    ("total", f.cumulative),
                    ("hedged", f.hedged),
                    (f"part of #{f.part_of}", f.part_of is not None),
                    (ev.status.value, ev.status.value != "reported"),
                )
                if on
            )
            table.add_row(
                ev.event,
                date,
                ev.place.text if ev.place else "",
                ev.actors.perpetrator.name if ev.actors.perpetrator else "",
                f.kind.value,
                f"{value} ({f.qualifier.value})",
                f.group,
                f.source or "",
                flags,
                f"“{f.evidence.text}” @{f.evidence.start}",
            )
    Console(file=out, width=160, force_terminal=False).print(table)


def write_events(events: list[Event], fmt: str, out: IO[str]) -> None:
    """Write ``events`` to ``out`` in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "jsonl":
        for ev in events:
            out.write(json.dumps(event_dict(ev), ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump([event_dict(ev) for ev in events], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in figure_rows(events):
            writer.writerow(row)
        out.write(buf.getvalue())
    elif fmt == "table":
        _table(events, out)
    else:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
