"""Serialisations of merged incidents: table, JSON lines, JSON, flat CSV, GeoJSON, Parquet,
and the ACLED- and UCDP-style CSVs (``acled.py``, ``ucdp.py``).

Every writer takes an iterable of incident records (``sitrep.merge.derive`` plus
``created_at``/``updated_at``) and streams it: exports of any size run in bounded memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO, Any

INCIDENT_FORMATS = ("table", "jsonl", "json", "csv", "acled-csv", "ucdp-csv", "geojson", "parquet")
BINARY_FORMATS = frozenset({"parquet"})

CSV_COLUMNS = [
    "id",
    "event",
    "event_type",
    "sub_event_type",
    "cumulative",
    "date_start",
    "date_end",
    "date_precision",
    "location",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "geo_precision",
    "perpetrator",
    "target",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "displaced_low",
    "displaced_best",
    "displaced_high",
    "grade",
    "status",
    "n_sources",
    "n_reports",
    "sources",
    "first_published",
    "last_published",
    "updated_at",
]


def total(record: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The incident's total figure of one kind (not a victim group), if any."""
    for f in record.get("figures", ()):
        if f["kind"] == kind and f.get("group") is None:
            return f
    return None


def group_figure(record: dict[str, Any], kind: str, group: str) -> dict[str, Any] | None:
    for f in record.get("figures", ()):
        if f["kind"] == kind and f.get("group") == group:
            return f
    return None


def source_names(record: dict[str, Any]) -> list[str]:
    """Distinct outlets of the incident's reports, in report order."""
    names = [s.get("source_name") or f"report {s['report_id']}" for s in record["sources"]]
    return list(dict.fromkeys(names))


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    place = record["place"]
    row: dict[str, Any] = {
        "id": record["id"],
        "event": record["event"],
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "cumulative": record["cumulative"],
        "date_start": record["date"]["start"],
        "date_end": record["date"]["end"],
        "date_precision": record["date"]["precision"],
        "location": place["location"],
        "country": place["country"],
        "admin1": place["admin1"],
        "admin2": place["admin2"],
        "lat": place["lat"],
        "lon": place["lon"],
        "geo_precision": place["precision"],
        "perpetrator": record["actors"]["perpetrator"],
        "target": record["actors"]["target"],
        "grade": record["grade"],
        "status": record["status"],
        "n_sources": record["n_sources"],
        "n_reports": record["n_reports"],
        "sources": "; ".join(source_names(record)),
        "first_published": record["first_published"],
        "last_published": record["last_published"],
        "updated_at": record.get("updated_at"),
    }
    for kind in ("killed", "injured", "displaced"):
        f = total(record, kind)
        for part in ("low", "best", "high"):
            row[f"{kind}_{part}"] = f[part] if f else None
    return row


def _figure_text(record: dict[str, Any], kind: str) -> str:
    f = total(record, kind)
    if not f:
        return ""
    if f["low"] == f["high"]:
        return str(f["best"])
    return f"{f['best']} ({f['low']}–{f['high']})"


def _table(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    rows = list(records)
    table = Table(title=f"{len(rows)} incidents", show_lines=False)
    for col in ("id", "date", "event", "place", "perpetrator", "killed", "injured", "src", "grade"):
        table.add_column(col, overflow="fold")
    for r in rows:
        d = r["date"]
        when = d["start"] or ""
        if d["start"] and d["precision"] != "day":
            when += f" ({d['precision']})"
        place = ", ".join(x for x in (r["place"]["location"], r["place"]["country"]) if x)
        event = r["event"] + (" (running total)" if r["cumulative"] else "")
        table.add_row(
            r["id"],
            when,
            event,
            place,
            r["actors"]["perpetrator"] or "",
            _figure_text(r, "killed"),
            _figure_text(r, "injured"),
            str(r["n_sources"]),
            r["grade"],
        )
    Console(file=out, width=160, force_terminal=False).print(table)
    return len(rows)


def _csv(rows: Iterator[dict[str, Any]], columns: list[str], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        n += 1
    return n


def _geojson(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for r in records:
        lat, lon = r["place"]["lat"], r["place"]["lon"]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        feature = {"type": "Feature", "id": r["id"], "geometry": geometry, "properties": r}
        out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def write_incidents(records: Iterable[dict[str, Any]], fmt: str, out: IO[Any]) -> int:
    """Write incident records in ``fmt``; returns the number written (``out`` is binary for
    parquet, text otherwise)."""
    records = iter(records)
    if fmt == "jsonl":
        n = 0
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "json":
        rows = list(records)
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(rows)
    if fmt == "csv":
        return _csv((flat_row(r) for r in records), CSV_COLUMNS, out)
    if fmt == "table":
        return _table(records, out)
    if fmt == "geojson":
        return _geojson(records, out)
    if fmt == "acled-csv":
        from sitrep.export.acled import ACLED_COLUMNS, acled_rows

        return _csv(acled_rows(records), ACLED_COLUMNS, out)
    if fmt == "ucdp-csv":
        from sitrep.export.ucdp import UCDP_COLUMNS, ucdp_rows

        return _csv(ucdp_rows(records), UCDP_COLUMNS, out)
    if fmt == "parquet":
        from sitrep.export.parquet import write_parquet

        return write_parquet(records, out)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(INCIDENT_FORMATS)})")


def as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def as_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
