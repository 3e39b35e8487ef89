"""Parquet (pyarrow) with the full nested incident record and a fixed schema."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import IO, Any

BATCH = 10_000


def schema() -> Any:
    """The Arrow schema of an incident record (the same for every export)."""
    import pyarrow as pa

    s = pa.string()
    i64 = pa.int64()
    i32 = pa.int32()
    figure = pa.struct(
        [
            ("kind", s),
            ("group", s),
            ("low", i64),
            ("best", i64),
            ("high", i64),
            ("qualifier", s),
            ("n_reports", i32),
            ("best_report", s),
        ]
    )
    source_figure = pa.struct(
        [
            ("kind", s),
            ("low", i64),
            ("best", i64),
            ("high", i64),
            ("qualifier", s),
            ("hedged", pa.bool_()),
        ]
    )
    source = pa.struct(
        [
            ("report_id", s),
            ("source_name", s),
            ("url", s),
            ("title", s),
            ("lang", s),
            ("published", pa.date32()),
            ("origin", s),
            ("copy_of", s),
            ("attributed_to", pa.list_(s)),
            ("mentions", pa.list_(s)),
            ("figures", pa.list_(source_figure)),
        ]
    )
    return pa.schema(
        [
            ("id", s),
            ("event", s),
            ("event_type", s),
            ("sub_event_type", s),
            ("cumulative", pa.bool_()),
            ("date", pa.struct([("start", pa.date32()), ("end", pa.date32()), ("precision", s)])),
            (
                "place",
                pa.struct(
                    [
                        ("location", s),
                        ("text", s),
                        ("geonameid", i64),
                        ("country", s),
                        ("admin1", s),
                        ("admin2", s),
                        ("lat", pa.float64()),
                        ("lon", pa.float64()),
                        ("precision", i32),
                        ("feature", s),
                    ]
                ),
            ),
            (
                "actors",
                pa.struct(
                    [
                        ("perpetrator", s),
                        ("perpetrator_type", s),
                        ("target", s),
                        ("target_type", s),
                    ]
                ),
            ),
            ("figures", pa.list_(figure)),
            ("status", s),
            ("grade", s),
            ("n_sources", i32),
            ("n_reports", i32),
            ("n_mentions", i32),
            ("languages", pa.list_(s)),
            ("first_published", pa.date32()),
            ("last_published", pa.date32()),
            ("anchor", s),
            ("best_mention", s),
            ("sources", pa.list_(source)),
            ("created_at", pa.timestamp("s", tz="UTC")),
            ("updated_at", pa.timestamp("s", tz="UTC")),
        ]
    )


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def arrow_record(r: dict[str, Any]) -> dict[str, Any]:
    """A record with its dates as date/datetime values (Arrow stores them typed)."""
    out = dict(r)
    out["date"] = {**r["date"], "start": _d(r["date"]["start"]), "end": _d(r["date"]["end"])}
    out["first_published"] = _d(r.get("first_published"))
    out["last_published"] = _d(r.get("last_published"))
    out["sources"] = [{**s, "published": _d(s.get("published"))} for s in r["sources"]]
    out["created_at"] = _ts(r.get("created_at"))
    out["updated_at"] = _ts(r.get("updated_at"))
    return out


def write_parquet(records: Iterable[dict[str, Any]], out: IO[bytes] | str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sch = schema()
    n = 0
    with pq.ParquetWriter(out, sch, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for r in records:
            batch.append(arrow_record(r))
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=sch))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=sch))
            n += len(batch)
    return n
