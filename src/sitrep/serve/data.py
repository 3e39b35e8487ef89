"""Reading the dataset for the API, on top of ``sitrep.dataset`` and ``sitrep.store.query``.

The dataset's Python API streams every match; a web API needs pages. So a page is the store's
own filter conditions (``sitrep.store.query.conditions``, parameterised SQL) with LIMIT/OFFSET,
the map reads only the columns it draws, and counts are cached until the data changes (a count
of 100,000 incidents scans the table; the version check is two index look-ups).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import astuple
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from sitrep.store import Store
    from sitrep.store.query import Filters


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    from sitrep.store.engine import as_utc

    moment = as_utc(value)
    return moment.isoformat() if moment else None


def _as_dict(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)


class VersionedCache:
    """Results (counts, statistics) per query, valid while the dataset's version is unchanged.

    The version is the newest ``updated_at`` of an incident and the newest entry of the
    changes feed: a merge that creates, updates or retires an incident moves one of them."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._data: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()

    def get(self, key: tuple[Any, ...], version: Any) -> Any:
        with self._lock:
            hit = self._data.get(key)
            if hit is None or hit[0] != version:
                return None
            self._data.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[Any, ...], version: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = (version, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


_VERSION_SQL = "SELECT (SELECT max(updated_at) FROM incidents), (SELECT max(seq) FROM changes)"


def data_version(conn: Connection) -> tuple[Any, ...]:
    return tuple(conn.exec_driver_sql(_VERSION_SQL).one())


def filter_key(f: Filters) -> tuple[Any, ...]:
    return tuple(repr(v) for v in astuple(f))


def _count_stmt(f: Filters) -> Any:
    import sqlalchemy as sa

    from sitrep.store.query import conditions
    from sitrep.store.schema import incidents as inc

    return sa.select(sa.func.count()).select_from(inc).where(*conditions(f))


def count_in(conn: Connection, f: Filters, cache: VersionedCache) -> int:
    """How many incidents match (cached per dataset version)."""
    version = data_version(conn)
    key = filter_key(f)
    hit = cache.get(key, version)
    if hit is not None:
        return hit
    n = int(conn.execute(_count_stmt(f)).scalar_one())
    cache.put(key, version, n)
    return n


def count(store: Store, f: Filters, cache: VersionedCache) -> int:
    with store.read() as conn:
        return count_in(conn, f, cache)


def stats_series(
    store: Store, f: Filters, cache: VersionedCache, by: str, group: str, figure: str
) -> list[dict[str, Any]]:
    """``sitrep stats`` rows as JSON-ready dicts (cached per dataset version: a series reads
    every matching incident)."""
    from sitrep.store.query import stats

    with store.read() as conn:
        version = data_version(conn)
    key = ("stats", filter_key(f), by, group, figure)
    hit = cache.get(key, version)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    rows = stats(store, f, by=by, group=group, figure=figure)
    series = [
        {
            "period": r.period.isoformat(),
            "group": r.group,
            "incidents": r.incidents,
            "killed": r.killed,
            "injured": r.injured,
            "displaced": r.displaced,
        }
        for r in rows
    ]
    cache.put(key, version, series)
    return series


def _ordered(q: Any) -> Any:
    from sitrep.store.schema import incidents as inc

    return q.order_by(inc.c.date_start.desc().nulls_last(), inc.c.id)


def _page_stmt(f: Filters, limit: int, offset: int) -> Any:
    """A page as a deferred join: the filter columns choose and order the page's ids, and only
    those rows' records are read (SQLite's sorter would otherwise carry every record it skips
    over: half the time of a first page, and most of a deep one)."""
    import sqlalchemy as sa

    from sitrep.store.query import conditions
    from sitrep.store.schema import incidents as inc

    ids = (
        _ordered(sa.select(inc.c.id, inc.c.date_start).where(*conditions(f)))
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    return (
        sa.select(
            sa.type_coerce(inc.c.record, sa.Text).label("record"),
            sa.type_coerce(inc.c.created_at, sa.Text).label("created_at"),
            sa.type_coerce(inc.c.updated_at, sa.Text).label("updated_at"),
        )
        .select_from(ids.join(inc, inc.c.id == ids.c.id))
        .order_by(ids.c.date_start.desc().nulls_last(), ids.c.id)
    )


def _features_stmt_sqlite(f: Filters, limit: int, offset: int) -> Any:
    """GeoJSON features written by SQLite itself (``json_object``): a map of thousands of
    incidents without a Python dict per incident."""
    import sqlalchemy as sa

    from sitrep.store.query import conditions
    from sitrep.store.schema import incidents as inc

    fn = sa.func
    point = sa.case(
        (
            sa.and_(inc.c.lat.is_not(None), inc.c.lon.is_not(None)),
            fn.json_object("type", "Point", "coordinates", fn.json_array(inc.c.lon, inc.c.lat)),
        ),
        else_=sa.null(),
    )
    props = fn.json_object(
        "id", inc.c.id,
        "event", inc.c.event,
        "event_type", inc.c.event_type,
        "date_start", inc.c.date_start,
        "date_end", inc.c.date_end,
        "location", inc.c.location,
        "country", inc.c.country,
        "admin1", inc.c.admin1,
        "perpetrator", inc.c.perpetrator,
        "target", inc.c.target,
        "killed", inc.c.killed_best,
        "injured", inc.c.injured_best,
        "displaced", inc.c.displaced_best,
        "n_sources", inc.c.n_sources,
        "grade", inc.c.grade,
        "cumulative", fn.json(sa.case((inc.c.cumulative, "true"), else_="false")),
    )  # fmt: skip
    feature = fn.json_object(
        "type", "Feature", "id", inc.c.id, "geometry", point, "properties", props
    )
    q = sa.select(sa.type_coerce(feature, sa.Text)).where(*conditions(f))
    return _ordered(q).limit(limit).offset(offset)


def _stamp(value: Any) -> str | None:
    """A stored timestamp as ISO 8601 UTC: SQLite's text (naive UTC) is rewritten, not parsed."""
    if isinstance(value, str) and len(value) >= 19 and value[10] == " ":
        return value.replace(" ", "T", 1) + "+00:00"
    return _iso(value)


def _with_times(raw: Any, created: Any, updated: Any) -> str:
    """A stored record as JSON text with its created/updated times, without parsing it when
    it is JSON text already (SQLite); PostgreSQL hands JSONB back parsed."""
    c, u = _stamp(created), _stamp(updated)
    # ISO timestamps need no escaping: written directly, not through json.dumps
    times = (
        '{"created_at":'
        + (f'"{c}"' if c else "null")
        + ',"updated_at":'
        + (f'"{u}"' if u else "null")
        + "}"
    )
    if isinstance(raw, str):
        body = raw.rstrip()
        if body.endswith("}"):
            body = body[:-1].rstrip()
            return body + ("," if body != "{" else "") + times[1:]
    rec = _as_dict(raw)
    rec.update(json.loads(times))
    return json.dumps(rec, ensure_ascii=False)


QUICK_SCAN = 10_000  # rows a page may step through and still be served on the event loop


class SqliteReader:
    """SQLite reads without SQLAlchemy's per-connection and per-row work (half of a page's
    time): statements are still built by ``sitrep.store.query.conditions`` and compiled by
    SQLAlchemy with bound parameters, cached per filter set, and run on a pooled DB-API
    connection (quick reads on the event loop have one of their own)."""

    def __init__(self, store: Store, size: int = 512) -> None:
        self.store = store
        self.size = size
        self._lock = threading.Lock()
        self._compiled: OrderedDict[tuple[Any, ...], tuple[str, list[Any]]] = OrderedDict()
        self._quick: Any = None  # the DB-API connection of reads on the event loop
        self._quick_lock = threading.Lock()

    def compiled(self, key: tuple[Any, ...], build: Any) -> tuple[str, list[Any]]:
        with self._lock:
            hit = self._compiled.get(key)
            if hit is not None:
                self._compiled.move_to_end(key)
                return hit
        stmt = build()
        c = stmt.compile(
            dialect=self.store.engine.dialect, compile_kwargs={"render_postcompile": True}
        )
        params = [_sqlite_value(c.params[name]) for name in (c.positiontup or ())]
        out = (str(c), params)
        with self._lock:
            self._compiled[key] = out
            while len(self._compiled) > self.size:
                self._compiled.popitem(last=False)
        return out

    def _run(
        self,
        f: Filters,
        cache: VersionedCache,
        key: tuple[Any, ...],
        build: Any,
        cached_only: bool = False,
        depth: int = 0,
    ) -> tuple[int, list[tuple[Any, ...]]] | None:
        """The count (cached per dataset version) and the rows of one statement, in one
        read transaction; None, having read nothing else, when ``cached_only`` and the count
        is not cached (counting may scan the table) or the page may step through more than
        ``QUICK_SCAN`` rows (``depth`` is its offset plus its size)."""
        fkey = filter_key(f)
        sql, params = self.compiled((*key, fkey), build)
        if cached_only:
            # the event loop's own connection: a pool checkout could wait for a connection
            # that slow queries in the thread pool hold, and stall every request meanwhile
            if not self._quick_lock.acquire(blocking=False):
                return None
            try:
                if self._quick is None:
                    self._quick = self.store.engine.raw_connection()
                try:
                    return self._read(self._quick, f, fkey, cache, sql, params, True, depth)
                except Exception:
                    self._quick.invalidate()
                    self._quick = None
                    raise
            finally:
                self._quick_lock.release()
        raw = self.store.engine.raw_connection()
        try:
            return self._read(raw, f, fkey, cache, sql, params, False, depth)
        finally:
            raw.close()

    def close(self) -> None:
        with self._quick_lock:
            if self._quick is not None:
                self._quick.close()
                self._quick = None

    def _read(
        self,
        raw: Any,
        f: Filters,
        fkey: tuple[Any, ...],
        cache: VersionedCache,
        sql: str,
        params: list[Any],
        cached_only: bool,
        depth: int,
    ) -> tuple[int, list[tuple[Any, ...]]] | None:
        """One read transaction: the version, the count if needed, the rows."""
        cur = raw.cursor()
        cur.execute("BEGIN")
        try:
            version = tuple(cur.execute(_VERSION_SQL).fetchone())
            total = cache.get(fkey, version)
            if cached_only:
                if total is None:
                    return None
                if total == 0:
                    return 0, []
                # rows SQLite may step through to fill the page when the matches are
                # spread evenly along the date order (max(rowid) bounds the table size)
                rows_max = cur.execute("SELECT max(rowid) FROM incidents").fetchone()[0]
                if depth * (rows_max or 0) > QUICK_SCAN * total:
                    return None
            if total is None:
                count_sql, count_params = self.compiled(("count", fkey), lambda: _count_stmt(f))
                total = int(cur.execute(count_sql, count_params).fetchone()[0])
                cache.put(fkey, version, total)
            rows = cur.execute(sql, params).fetchall()
        finally:
            cur.execute("COMMIT")
            cur.close()
        return total, rows

    def page(
        self, f: Filters, limit: int, offset: int, cache: VersionedCache, cached_only: bool = False
    ) -> tuple[int, list[str]] | None:
        """``page_json`` for SQLite (None when ``cached_only`` and the count is not cached)."""
        got = self._run(
            f,
            cache,
            ("page", limit, offset),
            lambda: _page_stmt(f, limit, offset),
            cached_only,
            offset + limit,
        )
        if got is None:
            return None
        total, rows = got
        return total, [_with_times(r, c, u) for r, c, u in rows]

    def features(
        self, f: Filters, limit: int, offset: int, cache: VersionedCache
    ) -> tuple[int, list[str]]:
        """``features`` for SQLite, as GeoJSON texts."""
        got = self._run(
            f, cache, ("features", limit, offset), lambda: _features_stmt_sqlite(f, limit, offset)
        )
        assert got is not None
        total, rows = got
        return total, [r[0] for r in rows]


def _sqlite_value(value: Any) -> Any:
    """A bound value as SQLAlchemy's SQLite types store it (dates as ISO text, booleans 0/1)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def page_json(
    store: Store, f: Filters, limit: int, offset: int, cache: VersionedCache
) -> tuple[int, list[str]]:
    """The number of matches and one page of incident records as JSON texts (newest first),
    on any database (``SqliteReader.page`` is the fast path for SQLite)."""
    out: list[str] = []
    with store.read() as conn:
        total = count_in(conn, f, cache)
        for raw, created, updated in conn.execute(_page_stmt(f, limit, offset)):
            out.append(_with_times(raw, created, updated))
    return total, out


_FEATURE_COLS = (
    "id",
    "event",
    "event_type",
    "date_start",
    "date_end",
    "location",
    "country",
    "admin1",
    "perpetrator",
    "target",
    "killed_best",
    "injured_best",
    "displaced_best",
    "n_sources",
    "grade",
    "cumulative",
    "lat",
    "lon",
)


def features(
    store: Store, f: Filters, limit: int, offset: int, cache: VersionedCache
) -> tuple[int, list[dict[str, Any]]]:
    """GeoJSON features of a page: what a map draws, read from the filter columns only."""
    import sqlalchemy as sa

    from sitrep.store.query import conditions
    from sitrep.store.schema import incidents as inc

    q = _ordered(sa.select(*(inc.c[c] for c in _FEATURE_COLS)).where(*conditions(f)))
    q = q.limit(limit).offset(offset)
    out = []
    with store.read() as conn:
        total = count_in(conn, f, cache)
        for r in conn.execute(q):
            geometry = (
                {"type": "Point", "coordinates": [r.lon, r.lat]}
                if r.lat is not None and r.lon is not None
                else None
            )
            props = {
                "id": r.id,
                "event": r.event,
                "event_type": r.event_type,
                "date_start": r.date_start.isoformat() if r.date_start else None,
                "date_end": r.date_end.isoformat() if r.date_end else None,
                "location": r.location,
                "country": r.country,
                "admin1": r.admin1,
                "perpetrator": r.perpetrator,
                "target": r.target,
                "killed": r.killed_best,
                "injured": r.injured_best,
                "displaced": r.displaced_best,
                "n_sources": r.n_sources,
                "grade": r.grade,
                "cumulative": bool(r.cumulative),
            }
            out.append({"type": "Feature", "id": r.id, "geometry": geometry, "properties": props})
    return total, out


# --- quotes --------------------------------------------------------------------------------------


def _highlight(fig: dict[str, Any], base: int, sentence: str | None) -> dict[str, Any] | None:
    """A figure's words as offsets from ``base`` (checked against the text they point into)."""
    ev = fig.get("evidence") or {}
    text = ev.get("text") or ""
    start = int(ev.get("start", -1)) - base
    end = int(ev.get("end", -1)) - base
    if sentence is not None and (start < 0 or sentence[start:end] != text):
        found = sentence.find(text) if text else -1
        if found < 0:
            return None
        start, end = found, found + len(text)
    return {
        "start": start,
        "end": end,
        "text": text,
        "kind": fig.get("kind"),
        "best": fig.get("best"),
        "qualifier": fig.get("qualifier"),
        "group": fig.get("group"),
    }


def quotes(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sentences a report's figures came from, each once, with every figure's words
    marked (offsets relative to the sentence), in text order."""
    by_sentence: dict[tuple[int, str], dict[str, Any]] = {}
    for ev in events:
        for fig in ev.get("figures", []):
            evidence = fig.get("evidence") or {}
            sentence = evidence.get("sentence")
            if not sentence:
                continue
            s0 = int(evidence.get("sentence_start", 0))
            q = by_sentence.setdefault(
                (s0, sentence),
                {
                    "sentence": sentence,
                    "start": s0,
                    "end": int(evidence.get("sentence_end", s0 + len(sentence))),
                    "highlights": [],
                },
            )
            h = _highlight(fig, s0, sentence)
            if h and all((h["start"], h["end"]) != (o["start"], o["end"]) for o in q["highlights"]):
                q["highlights"].append(h)
    out = [by_sentence[k] for k in sorted(by_sentence)]
    for q in out:
        q["highlights"].sort(key=lambda h: (h["start"], h["end"]))
    return out


def text_highlights(events: list[dict[str, Any]], text: str | None) -> list[dict[str, Any]]:
    """Every figure's words as offsets into the whole text, each span once."""
    seen: set[tuple[int, int]] = set()
    out = []
    for ev in events:
        for fig in ev.get("figures", []):
            h = _highlight(fig, 0, text)
            if h and (h["start"], h["end"]) not in seen:
                seen.add((h["start"], h["end"]))
                out.append(h)
    out.sort(key=lambda h: (h["start"], h["end"]))
    return out


def incident_detail(store: Store, ident: str) -> dict[str, Any]:
    """``Dataset.incident`` plus, per source, the quoted sentences with the numbers marked."""
    from sitrep.store.query import incident

    rec = incident(store, ident)
    for src in rec.get("sources", []):
        src["quotes"] = quotes(src.get("events", []))
    return rec


# --- reports -------------------------------------------------------------------------------------


def report_detail(store: Store, report_id: str) -> dict[str, Any] | None:
    """A stored report with its text and the events extracted from it (None if unknown).

    The report's input name is left out: for a file it is a path on the ingesting machine."""
    import sqlalchemy as sa

    from sitrep.store.schema import incident_mentions as im
    from sitrep.store.schema import mentions as mt
    from sitrep.store.schema import reports as rp

    with store.read() as conn:
        row = conn.execute(
            sa.select(
                rp.c.id,
                rp.c.url,
                rp.c.source_name,
                rp.c.title,
                rp.c.lang,
                rp.c.published,
                rp.c.ingested_at,
                rp.c.duplicate_of,
                rp.c.n_chars,
                rp.c.text,
            ).where(rp.c.id == report_id)
        ).first()
        if row is None:
            return None
        events = []
        incident_ids: list[str] = []
        for rec, iid in conn.execute(
            sa.select(mt.c.record, im.c.incident_id)
            .select_from(mt.outerjoin(im, im.c.mention_id == mt.c.id))
            .where(mt.c.report_id == report_id)
            .order_by(mt.c.seq)
        ):
            events.append(_as_dict(rec))
            if iid and iid not in incident_ids:
                incident_ids.append(iid)
    return {
        "id": row.id,
        "url": row.url,
        "source_name": row.source_name,
        "title": row.title,
        "lang": row.lang,
        "published": row.published.isoformat() if row.published else None,
        "ingested_at": _iso(row.ingested_at),
        "duplicate_of": row.duplicate_of,
        "n_chars": row.n_chars,
        "text": row.text,
        "events": events,
        "incidents": incident_ids,
        "highlights": text_highlights(events, row.text),
    }


def incidents_of_report(store: Store, report_id: str) -> list[str]:
    import sqlalchemy as sa

    from sitrep.store.schema import incident_mentions as im
    from sitrep.store.schema import mentions as mt

    with store.read() as conn:
        rows = conn.execute(
            sa.select(im.c.incident_id)
            .join(mt, mt.c.id == im.c.mention_id)
            .where(mt.c.report_id == report_id)
            .order_by(mt.c.seq)
        ).scalars()
        return list(dict.fromkeys(rows))
