"""Merging: the event mentions of one incident, across reports, sources and languages.

``merge(store)`` takes the mentions that have no incident yet, recomputes the regions of the
agreement graph they touch (``cluster``), derives each incident's record (``derive``) and
writes the changed regions, a few hundred per transaction: a merge killed half-way leaves
whole regions done and the rest pending, and the next merge finishes them. Incident ids come
from each incident's anchor mention, so the same mentions give the same ids whatever the order
they were ingested in, and re-running changes nothing. When a new report joins two incidents
(or moves an incident's anchor) the retired id is written to the ``changes`` feed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sitrep.merge.cluster import BlockingIndex, Graph, cluster, incident_id, regions
from sitrep.merge.derive import derive, fingerprint, incident_row
from sitrep.merge.rules import Mention

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from sitrep.store import Store

__all__ = ["MergeResult", "load_mentions", "merge"]

REGIONS_PER_TRANSACTION = 500
_IN_CHUNK = 900  # bound parameters per IN list (SQLite allows 32766; stay well below)


@dataclass
class MergeResult:
    """What one merge did."""

    pending: int = 0
    mentions: int = 0
    regions: int = 0
    incidents: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    pairs: int = 0
    seconds: float = 0.0

    def text(self) -> str:
        return (
            f"merged {self.pending} new mentions: {self.created} incidents created, "
            f"{self.updated} updated, {self.retired} retired ({self.seconds:.1f} s)"
        )


def _chunks(seq: Sequence[Any], n: int = _IN_CHUNK) -> list[Sequence[Any]]:
    return [seq[i : i + n] for i in range(0, len(seq), n)]


def load_mentions(conn: Connection, window: tuple[date, date] | None = None) -> list[Mention]:
    """The stored mentions with what the merge needs (their report, their current incident):
    all of them, or those dated within ``window`` plus every mention not merged yet."""
    import sqlalchemy as sa

    from sitrep.store.schema import incident_mentions as im
    from sitrep.store.schema import mentions as mt
    from sitrep.store.schema import reports as rp

    q = (
        sa.select(
            mt.c.id,
            mt.c.report_id,
            mt.c.seq,
            mt.c.event,
            mt.c.event_type,
            mt.c.sub_event_type,
            mt.c.cumulative,
            mt.c.date_start,
            mt.c.date_end,
            mt.c.date_precision,
            mt.c.place_text,
            mt.c.place_key,
            mt.c.place_name,
            mt.c.feature,
            mt.c.geonameid,
            mt.c.country,
            mt.c.admin1,
            mt.c.admin2,
            mt.c.lat,
            mt.c.lon,
            mt.c.geo_precision,
            mt.c.perpetrator,
            mt.c.perpetrator_text,
            mt.c.perpetrator_type,
            mt.c.target,
            mt.c.target_type,
            mt.c.status,
            mt.c.attributed_to,
            mt.c.summary,
            rp.c.published,
            rp.c.origin,
            rp.c.source_name,
            rp.c.url,
            rp.c.lang,
            rp.c.title,
            rp.c.duplicate_of,
            im.c.incident_id,
        )
        .select_from(
            mt.join(rp, rp.c.id == mt.c.report_id).outerjoin(im, im.c.mention_id == mt.c.id)
        )
        .order_by(mt.c.id)
    )
    if window is not None:
        lo, hi = window
        q = q.where(
            sa.or_(
                sa.and_(mt.c.date_start <= hi, mt.c.date_end >= lo),
                im.c.incident_id.is_(None),
            )
        )
    out: list[Mention] = []
    for i, r in enumerate(conn.execute(q)):
        summary = r.summary
        if isinstance(summary, str):
            summary = json.loads(summary)
        out.append(
            Mention(
                idx=i,
                id=r.id,
                report_id=r.report_id,
                seq=r.seq,
                event=r.event,
                event_type=r.event_type,
                sub_event_type=r.sub_event_type,
                cumulative=bool(r.cumulative),
                d0=r.date_start.toordinal() if r.date_start else None,
                d1=(r.date_end or r.date_start).toordinal() if r.date_start else None,
                precision=r.date_precision,
                place_text=r.place_text,
                place_key=r.place_key,
                place_name=r.place_name,
                feature=r.feature,
                geonameid=r.geonameid,
                country=r.country,
                admin1=r.admin1,
                admin2=r.admin2,
                lat=r.lat,
                lon=r.lon,
                geo_precision=r.geo_precision,
                perpetrator=r.perpetrator,
                perpetrator_text=r.perpetrator_text,
                perpetrator_type=r.perpetrator_type,
                target=r.target,
                target_type=r.target_type,
                status=r.status,
                attributed_to=r.attributed_to,
                summary=summary,
                published=r.published,
                origin=r.origin,
                source_name=r.source_name,
                url=r.url,
                lang=r.lang,
                title=r.title,
                copy_of=r.duplicate_of,
                old=r.incident_id,
            )
        )
    return out


def merge(
    store: Store,
    *,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> MergeResult:
    """Merge the mentions that have no incident yet (or, with ``rebuild``, all of them)."""
    from sitrep.store.engine import now

    t0 = time.perf_counter()
    result = MergeResult()
    mentions, graph, todo = _plan(store, rebuild)
    result.mentions = len(mentions)
    result.pending = sum(1 for m in mentions if m.old is None)
    if not todo:
        result.seconds = time.perf_counter() - t0
        return result
    result.regions = len(todo)
    stamp = now()
    for i in range(0, len(todo), REGIONS_PER_TRANSACTION):
        batch = todo[i : i + REGIONS_PER_TRANSACTION]
        with store.write() as conn:
            _write(conn, batch, graph, stamp, result)
        if progress is not None:
            progress(f"merge: {min(i + REGIONS_PER_TRANSACTION, len(todo))}/{len(todo)} regions")
    result.pairs = graph.pairs
    result.seconds = time.perf_counter() - t0
    return result


WINDOW_MARGIN = 7  # days loaded around the pending mentions before the first look
FULL_LOAD_SHARE = 0.25  # above this share of pending mentions, load everything


def _plan(store: Store, rebuild: bool) -> tuple[list[Mention], Graph, list[list[Mention]]]:
    """Load what the merge needs and find the regions to recompute.

    An incremental merge loads only the mentions dated near the pending ones; when a region
    reaches the edge of that window, or an old incident has members outside it, the window
    widens and the look is repeated, so the result is the one a full load would give.
    """
    import sqlalchemy as sa

    from sitrep.store.schema import incident_mentions as im
    from sitrep.store.schema import incidents as inc
    from sitrep.store.schema import mentions as mt

    with store.read() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(mt)).scalar_one()
        span = conn.execute(
            sa.select(sa.func.min(mt.c.date_start), sa.func.max(mt.c.date_end), sa.func.count())
            .select_from(mt.outerjoin(im, im.c.mention_id == mt.c.id))
            .where(im.c.incident_id.is_(None))
        ).one()
        window: tuple[date, date] | None = None
        if not rebuild and span[2] and span[2] <= FULL_LOAD_SHARE * total:
            if span[0] is None:  # only undated mentions pending: each is an incident alone
                window = (date(1900, 1, 1), date(1900, 1, 1))
            else:
                window = (
                    span[0] - timedelta(days=WINDOW_MARGIN),
                    span[1] + timedelta(days=WINDOW_MARGIN),
                )
        while True:
            mentions = load_mentions(conn, window)
            seeds = [m.idx for m in mentions if rebuild or m.old is None]
            graph = Graph(BlockingIndex(mentions))
            todo = regions(mentions, seeds, graph) if seeds else []
            if window is None:
                return mentions, graph, todo
            lo, hi = window[0].toordinal(), window[1].toordinal()
            members = [m for r in todo for m in r]
            dated = [m for m in members if m.d0 is not None and m.d1 is not None]
            grow_lo = any(m.d0 - 2 <= lo for m in dated)  # type: ignore[operator]
            grow_hi = any(m.d1 + 2 >= hi for m in dated)  # type: ignore[operator]
            loaded = Counter(m.old for m in mentions if m.old is not None)
            olds = sorted({m.old for m in members if m.old is not None})
            incomplete = False
            for part in _chunks(olds):
                for iid, n in conn.execute(
                    sa.select(inc.c.id, inc.c.n_mentions).where(inc.c.id.in_(part))
                ):
                    if loaded[iid] < n:
                        incomplete = True
            if not (grow_lo or grow_hi or incomplete):
                return mentions, graph, todo
            if incomplete:
                window = None  # rare (rules changed since the last merge): take everything
                continue
            step = timedelta(days=30)
            window = (
                window[0] - step if grow_lo else window[0],
                window[1] + step if grow_hi else window[1],
            )


def _write(
    conn: Connection,
    batch: Sequence[Sequence[Mention]],
    graph: Graph,
    stamp: datetime,
    result: MergeResult,
) -> None:
    import sqlalchemy as sa

    from sitrep.store.schema import changes, incidents
    from sitrep.store.schema import incident_mentions as im

    new_records: list[dict[str, Any]] = []
    links: list[dict[str, str]] = []
    retired_rows: list[dict[str, Any]] = []
    old_ids: set[str] = set()
    relinked: list[str] = []
    for region in batch:
        groups = cluster(region, graph)
        new_of: dict[str, str] = {}
        for g in groups:
            iid = incident_id(g[0])
            rec = derive(g, iid)
            new_records.append(rec)
            for m in g:
                new_of[m.id] = iid
                links.append({"mention_id": m.id, "incident_id": iid})
        region_old: dict[str, list[Mention]] = {}
        for m in region:
            if m.old is not None:
                relinked.append(m.id)
                region_old.setdefault(m.old, []).append(m)
        old_ids.update(region_old)
        new_ids = set(new_of.values())
        for oid, ms in sorted(region_old.items()):
            if oid in new_ids:
                continue
            into = Counter(new_of[m.id] for m in ms)
            target, _ = min(into.items(), key=lambda kv: (-kv[1], kv[0]))
            others = {
                x.old
                for x in region
                if new_of.get(x.id) == target and x.old is not None and x.old != oid
            }
            change = "split" if len(into) > 1 else ("merged" if others else "replaced")
            retired_rows.append(
                {
                    "changed_at": stamp,
                    "change": change,
                    "incident_id": oid,
                    "new_id": target,
                    "detail": json.dumps(
                        {"into": sorted(into), "with": sorted(others), "mentions": len(ms)}
                    ),
                }
            )

    ids = sorted({r["id"] for r in new_records} | old_ids)
    existing: dict[str, tuple[Any, Any, str]] = {}
    for part in _chunks(ids):
        for row in conn.execute(
            sa.select(
                incidents.c.id,
                incidents.c.created_at,
                incidents.c.updated_at,
                incidents.c.fingerprint,
            ).where(incidents.c.id.in_(part))
        ):
            existing[row.id] = (row.created_at, row.updated_at, row.fingerprint)
    for part in _chunks(relinked):
        conn.execute(im.delete().where(im.c.mention_id.in_(part)))
    for part in _chunks(sorted(old_ids)):
        conn.execute(incidents.delete().where(incidents.c.id.in_(part)))

    rows = []
    for rec in new_records:
        fp = fingerprint(rec)
        old = existing.get(rec["id"])
        created = old[0] if old else stamp
        updated = old[1] if old and old[2] == fp else stamp
        if old is None:
            result.created += 1
        elif old[2] != fp:
            result.updated += 1
        row = incident_row(rec)
        row.update(fingerprint=fp, created_at=created, updated_at=updated, record=rec)
        rows.append(row)
    if rows:
        conn.execute(incidents.insert(), rows)
        conn.execute(im.insert(), links)
    if retired_rows:
        conn.execute(changes.insert(), retired_rows)
    result.retired += len(retired_rows)
    result.incidents += len(rows)
