"""The dataset store: reports, event mentions, incidents, in SQLite or PostgreSQL.

Each report is written in one transaction (report, near-copy buckets, mentions, figures), so a
process killed at any moment leaves either the whole report or none of it; ingesting the same
text again finds its content hash and stores nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.store.engine import (
    StoreError,
    check_schema,
    display_url,
    make_engine,
    now,
    resolve_url,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from sitrep.model import Event, Report

__all__ = ["AddResult", "Prepared", "Store", "StoreError", "text_hash"]


def text_hash(text: str) -> str:
    """SHA-256 of a normalised text (``Report.id`` is its first 16 hex digits)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Prepared:
    """One report made ready to store: its normalised text, events and MinHash signature."""

    name: str
    text: str
    report: Report
    events: list[Event] = field(default_factory=list)
    signature: bytes | None = None

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


@dataclass(slots=True)
class AddResult:
    """What storing a report did: ``status`` is 'done' or 'duplicate'."""

    status: str
    report_id: str
    n_events: int = 0
    copy_of: str | None = None
    similarity: float | None = None


def _origin_key(source_name: str | None, report_id: str) -> str:
    if source_name and source_name.strip():
        return "source:" + " ".join(source_name.lower().split())
    return "report:" + report_id


class Store:
    """A sitrep dataset in one database. ``create`` makes the schema of an empty database;
    read-only commands pass ``create=False`` and get a clear error instead of a new file."""

    def __init__(self, url: str | Path | None = None, *, create: bool = True) -> None:
        self.url = resolve_url(url)
        if not create and self.url.startswith("sqlite"):
            from sqlalchemy.engine import make_url

            database = make_url(self.url).database
            if database and database != ":memory:" and not Path(database).exists():
                raise StoreError(f"{database}: no such database (run `sitrep ingest` first)")
        self.engine: Engine = make_engine(self.url)
        try:
            check_schema(self.engine, create=create)
        except StoreError:
            self.engine.dispose()
            raise
        except Exception as exc:  # connection refused, bad credentials, not a database…
            self.engine.dispose()
            raise StoreError(f"{display_url(self.url)}: cannot open: {_one_line(exc)}") from None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (on SQLite it takes the write lock at BEGIN)."""
        with self.engine.connect() as conn:
            conn.execution_options(immediate=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    # --- reports ---------------------------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes are stored already."""
        import sqlalchemy as sa

        from sitrep.store.schema import reports

        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self.read() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                found.update(
                    conn.execute(
                        sa.select(reports.c.text_hash).where(reports.c.text_hash.in_(chunk))
                    ).scalars()
                )
        return found

    def add_report(self, prepared: Prepared, *, store_text: bool = True) -> AddResult:
        """Store one report and its events in one transaction (idempotent by content hash)."""
        with self.write() as conn:
            return self.add_report_in(conn, prepared, store_text=store_text)

    def add_report_in(
        self, conn: Connection, prepared: Prepared, *, store_text: bool = True
    ) -> AddResult:
        """``add_report`` inside a transaction the caller holds (bulk loads, tests)."""
        from sitrep.store import minhash
        from sitrep.store.rows import figure_rows, mention_row
        from sitrep.store.schema import figures, mentions, report_bands, reports

        digest = prepared.text_hash
        report = prepared.report
        st = _statements()
        for rid, rhash in conn.execute(st["existing"], {"h": digest, "rid": report.id}):
            if rhash == digest:
                return AddResult("duplicate", rid)
            raise StoreError(f"report id {report.id} already names another text (hash prefix)")

        sig = prepared.signature
        copy_of: str | None = None
        similarity: float | None = None
        origin = _origin_key(report.source_name, report.id)
        buckets: list[int] = []
        if sig is not None:
            buckets = minhash.bands(sig)
            cands = conn.execute(st["candidates"], {f"k{i}": b for i, b in enumerate(buckets)})
            best: tuple[float, str, str | None, str] | None = None
            for cid, csig, cdup, corigin in cands:
                sim = minhash.similarity(sig, csig) if csig else 0.0
                if sim >= minhash.THRESHOLD and (best is None or (sim, cid) > best[:2]):
                    best = (sim, cid, cdup, corigin)
            if best is not None:
                similarity, cid, cdup, origin = best
                copy_of = cdup or cid

        conn.execute(
            reports.insert().values(
                id=report.id,
                text_hash=digest,
                name=prepared.name,
                url=report.url,
                source_name=report.source_name,
                title=report.title,
                lang=report.lang,
                published=report.published,
                ingested_at=now(),
                n_chars=len(prepared.text),
                n_events=len(prepared.events),
                duplicate_of=copy_of,
                similarity=similarity,
                origin=origin,
                minhash=sig,
                text=prepared.text if store_text else None,
            )
        )
        if buckets:
            conn.execute(
                report_bands.insert(),
                [{"band": i, "bucket": b, "report_id": report.id} for i, b in enumerate(buckets)],
            )
        if prepared.events:
            seen: set[str] = set()
            rows = []
            fig_rows: list[dict[str, Any]] = []
            for seq, ev in enumerate(prepared.events, start=1):
                if ev.id in seen:  # never trust an upstream id blindly: the key must be unique
                    ev = ev.model_copy(update={"id": f"{report.id}-x{seq}"})
                seen.add(ev.id)
                rows.append(mention_row(ev, seq))
                fig_rows.extend(figure_rows(ev))
            conn.execute(mentions.insert(), rows)
            if fig_rows:
                conn.execute(figures.insert(), fig_rows)
        return AddResult("done", report.id, len(prepared.events), copy_of, similarity)

    # --- housekeeping ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table, and mentions still waiting for a merge."""
        import sqlalchemy as sa

        from sitrep.store import schema as s

        out: dict[str, int] = {}
        with self.read() as conn:
            for t in (
                s.reports,
                s.mentions,
                s.figures,
                s.incidents,
                s.incident_mentions,
                s.changes,
                s.runs,
                s.run_inputs,
                s.seen_items,
            ):
                out[t.name] = conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            out["pending"] = conn.execute(
                sa.select(sa.func.count())
                .select_from(s.mentions)
                .where(~sa.exists().where(s.incident_mentions.c.mention_id == s.mentions.c.id))
            ).scalar_one()
        return out

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` ('ok' when sound); 'ok' on PostgreSQL."""
        if not self.is_sqlite:
            return "ok"
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return "; ".join(rows)


_STATEMENTS: dict[str, Any] = {}


def _statements() -> dict[str, Any]:
    """Statements built once: per-report SQL runs thousands of times in a batch."""
    if not _STATEMENTS:
        import sqlalchemy as sa

        from sitrep.store import minhash
        from sitrep.store.schema import report_bands, reports

        _STATEMENTS["existing"] = sa.select(reports.c.id, reports.c.text_hash).where(
            sa.or_(reports.c.text_hash == sa.bindparam("h"), reports.c.id == sa.bindparam("rid"))
        )
        same_bucket = sa.or_(
            *(
                sa.and_(report_bands.c.band == i, report_bands.c.bucket == sa.bindparam(f"k{i}"))
                for i in range(minhash.BANDS)
            )
        )
        _STATEMENTS["candidates"] = sa.select(
            reports.c.id, reports.c.minhash, reports.c.duplicate_of, reports.c.origin
        ).where(reports.c.id.in_(sa.select(report_bands.c.report_id).where(same_bucket)))
    return _STATEMENTS


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
