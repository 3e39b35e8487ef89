"""Reading the dataset: incidents by filters, one incident with its evidence, statistics,
and the change feed."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sitrep.store.engine import StoreError, as_utc

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection

    from sitrep.store import Store


@dataclass
class Filters:
    """Which incidents to read. Text filters match case-insensitively.

    ``country`` takes ISO codes or names in English or Dutch; ``since``/``until`` keep incidents
    whose dates overlap the range; ``type`` matches the fine class, the event type or the
    sub-event type; ``actor`` the perpetrator or the target; ``min_killed`` the best killed
    figure; ``source`` the outlet of any report; ``bbox`` is (min lon, min lat, max lon, max
    lat); ``search`` looks in the place, actors and the quoted sentences. Running totals are
    left out unless ``running_totals``.
    """

    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    type: str | None = None
    actor: str | None = None
    min_killed: int | None = None
    source: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    search: str | None = None
    grade: str | None = None
    min_sources: int | None = None
    running_totals: bool = False
    ids: list[str] | None = None
    limit: int | None = None

    @classmethod
    def of(cls, **kwargs: Any) -> Filters:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(f"unknown filter(s): {', '.join(unknown)}")
        return cls(**{k: v for k, v in kwargs.items() if v is not None})


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _ilike(col: sa.ColumnElement[Any], value: str) -> sa.ColumnElement[bool]:
    import sqlalchemy as sa

    return sa.func.lower(col).like(_like(value), escape="\\")


def conditions(f: Filters) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of a filter set on ``incidents``."""
    import sqlalchemy as sa

    from sitrep.export.countries import country_code
    from sitrep.store.schema import incident_mentions as im
    from sitrep.store.schema import incidents as inc
    from sitrep.store.schema import mentions as mt
    from sitrep.store.schema import reports as rp

    cond: list[sa.ColumnElement[bool]] = []
    if not f.running_totals:
        cond.append(inc.c.cumulative.is_(False))
    if f.ids:
        cond.append(inc.c.id.in_(f.ids))
    if f.country:
        codes = []
        for part in f.country.split(","):
            code = country_code(part)
            if code is None:
                raise StoreError(f"unknown country {part.strip()!r} (give an ISO code or a name)")
            codes.append(code)
        cond.append(inc.c.country.in_(codes))
    if f.admin1:
        cond.append(sa.func.lower(inc.c.admin1) == f.admin1.lower())
    if f.since:
        cond.append(sa.func.coalesce(inc.c.date_end, inc.c.date_start) >= f.since)
    if f.until:
        cond.append(inc.c.date_start <= f.until)
    if f.type:
        t = f.type.lower()
        cond.append(
            sa.or_(
                sa.func.lower(inc.c.event) == t,
                sa.func.lower(inc.c.event_type) == t,
                sa.func.lower(inc.c.sub_event_type) == t,
            )
        )
    if f.actor:
        cond.append(sa.or_(_ilike(inc.c.perpetrator, f.actor), _ilike(inc.c.target, f.actor)))
    if f.min_killed is not None:
        cond.append(inc.c.killed_best >= f.min_killed)
    if f.grade:
        cond.append(inc.c.grade == f.grade)
    if f.min_sources is not None:
        cond.append(inc.c.n_sources >= f.min_sources)
    if f.bbox:
        lon0, lat0, lon1, lat1 = f.bbox
        cond.extend([inc.c.lon >= lon0, inc.c.lon <= lon1, inc.c.lat >= lat0, inc.c.lat <= lat1])
    if f.source:
        cond.append(
            sa.exists()
            .where(im.c.incident_id == inc.c.id)
            .where(mt.c.id == im.c.mention_id)
            .where(rp.c.id == mt.c.report_id)
            .where(_ilike(rp.c.source_name, f.source))
        )
    if f.search:
        cond.append(
            sa.or_(
                _ilike(inc.c.location, f.search),
                _ilike(inc.c.admin1, f.search),
                _ilike(inc.c.perpetrator, f.search),
                _ilike(inc.c.target, f.search),
                sa.exists()
                .where(im.c.incident_id == inc.c.id)
                .where(mt.c.id == im.c.mention_id)
                .where(sa.or_(_ilike(mt.c.sentence, f.search), _ilike(mt.c.place_text, f.search))),
            )
        )
    return cond


def _record(row: Any) -> dict[str, Any]:
    rec = row.record
    if isinstance(rec, str):
        rec = json.loads(rec)
    rec = dict(rec)
    for key in ("created_at", "updated_at"):
        value = as_utc(getattr(row, key))
        rec[key] = value.isoformat() if value else None
    return rec


def incidents(store: Store, f: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Incident records (newest first), streamed."""
    import sqlalchemy as sa

    from sitrep.store.schema import incidents as inc

    f = f or Filters()
    q = (
        sa.select(inc.c.record, inc.c.created_at, inc.c.updated_at)
        .where(*conditions(f))
        .order_by(inc.c.date_start.desc().nulls_last(), inc.c.id)
    )
    if f.limit:
        q = q.limit(f.limit)
    with store.read() as conn:
        for row in conn.execute(q).yield_per(1000):
            yield _record(row)


def count(store: Store, f: Filters | None = None) -> int:
    import sqlalchemy as sa

    from sitrep.store.schema import incidents as inc

    with store.read() as conn:
        q = sa.select(sa.func.count()).select_from(inc).where(*conditions(f or Filters()))
        return conn.execute(q).scalar_one()


# --- one incident ------------------------------------------------------------------------------


def resolve_id(conn: Connection, ident: str) -> str | None:
    """An incident id from a full id or a unique prefix (6+ characters)."""
    import sqlalchemy as sa

    from sitrep.store.schema import incidents as inc

    ident = ident.strip().lower()
    if conn.execute(sa.select(inc.c.id).where(inc.c.id == ident)).scalar():
        return ident
    if len(ident) < 6:
        return None
    hits = (
        conn.execute(
            sa.select(inc.c.id).where(inc.c.id.like(ident.replace("%", "") + "%")).limit(2)
        )
        .scalars()
        .all()
    )
    if len(hits) > 1:
        raise StoreError(f"incident id prefix {ident!r} is ambiguous: give more characters")
    return hits[0] if hits else None


def incident(store: Store, ident: str) -> dict[str, Any]:
    """One incident with every source and every mention's full record (figures, quotes).

    A retired id raises an error that names the incident it went into."""
    import sqlalchemy as sa

    from sitrep.store.schema import changes
    from sitrep.store.schema import incident_mentions as im
    from sitrep.store.schema import incidents as inc
    from sitrep.store.schema import mentions as mt

    with store.read() as conn:
        iid = resolve_id(conn, ident)
        if iid is None:
            gone = conn.execute(
                sa.select(changes.c.change, changes.c.new_id, changes.c.changed_at)
                .where(changes.c.incident_id == ident.strip().lower())
                .order_by(changes.c.seq.desc())
                .limit(1)
            ).first()
            if gone is not None:
                at = as_utc(gone.changed_at)
                when = at.isoformat() if at else "?"
                raise StoreError(
                    f"incident {ident} was retired ({gone.change}) on {when}: "
                    f"see incident {gone.new_id}"
                )
            raise StoreError(f"no incident {ident!r}")
        row = conn.execute(
            sa.select(inc.c.record, inc.c.created_at, inc.c.updated_at).where(inc.c.id == iid)
        ).one()
        rec = _record(row)
        records: dict[str, Any] = {}
        for mid, mrec in conn.execute(
            sa.select(mt.c.id, mt.c.record)
            .join(im, im.c.mention_id == mt.c.id)
            .where(im.c.incident_id == iid)
        ):
            records[mid] = json.loads(mrec) if isinstance(mrec, str) else mrec
    for src in rec["sources"]:
        src["events"] = [records[m] for m in src["mentions"] if m in records]
    return rec


# --- statistics ----------------------------------------------------------------------------------

PERIODS = ("day", "week", "month")
GROUPS = ("country", "type", "actor", "none")
STAT_KINDS = ("killed", "injured", "displaced")


def period_start(d: date, by: str) -> date:
    if by == "day":
        return d
    if by == "week":
        return d - timedelta(days=d.weekday())
    if by == "month":
        return d.replace(day=1)
    raise ValueError(by)


@dataclass
class StatRow:
    period: date
    group: str
    incidents: int
    killed: int
    injured: int
    displaced: int


def stats(
    store: Store, f: Filters | None, *, by: str = "month", group: str = "none", figure: str = "best"
) -> list[StatRow]:
    """Incidents and killed/injured/displaced per period and group, summing each incident's
    ``figure`` (best by default; running totals are never summed)."""
    import sqlalchemy as sa

    from sitrep.store.schema import incidents as inc

    if by not in PERIODS:
        raise StoreError(f"--by must be one of {', '.join(PERIODS)}")
    if group not in GROUPS:
        raise StoreError(f"--group must be one of {', '.join(GROUPS)}")
    if figure not in ("low", "best", "high"):
        raise StoreError("--figure must be low, best or high")
    f = f or Filters()
    f = Filters(**{**f.__dict__, "running_totals": False})
    gcol = {
        "country": inc.c.country,
        "type": inc.c.event_type,
        "actor": inc.c.perpetrator,
        "none": sa.literal("all"),
    }[group]
    cols = [inc.c.date_start, gcol.label("grp")]
    cols += [getattr(inc.c, f"{k}_{figure}").label(k) for k in STAT_KINDS]
    q = sa.select(*cols).where(*conditions(f)).where(inc.c.date_start.is_not(None))
    acc: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    with store.read() as conn:
        for row in conn.execute(q).yield_per(5000):
            key = (period_start(row.date_start, by), row.grp or "(unknown)")
            a = acc[key]
            a[0] += 1
            a[1] += row.killed or 0
            a[2] += row.injured or 0
            a[3] += row.displaced or 0
    return [StatRow(p, g, *v) for (p, g), v in sorted(acc.items())]


# --- the change feed -----------------------------------------------------------------------------


@dataclass
class Change:
    at: datetime
    change: str  # created | updated | merged | replaced | split | deleted
    incident_id: str
    new_id: str | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "change": self.change,
            "incident_id": self.incident_id,
            "new_id": self.new_id,
            "detail": self.detail,
        }


def changes_since(store: Store, since: datetime, *, retired_only: bool = False) -> list[Change]:
    """What changed at or after ``since``: incidents created or updated, and retired ids
    (merged into another, replaced by a new anchor, split) from the feed."""
    import sqlalchemy as sa

    from sitrep.store.schema import changes
    from sitrep.store.schema import incidents as inc

    since = as_utc(since) or since
    out: list[Change] = []
    with store.read() as conn:
        for r in conn.execute(
            sa.select(changes).where(changes.c.changed_at >= _db_time(store, since))
        ):
            at = as_utc(r.changed_at)
            assert at is not None
            out.append(Change(at, r.change, r.incident_id, r.new_id, r.detail))
        if not retired_only:
            for r in conn.execute(
                sa.select(inc.c.id, inc.c.created_at, inc.c.updated_at).where(
                    inc.c.updated_at >= _db_time(store, since)
                )
            ):
                created = as_utc(r.created_at)
                updated = as_utc(r.updated_at)
                assert created is not None and updated is not None
                if created >= since:
                    out.append(Change(created, "created", r.id))
                else:
                    out.append(Change(updated, "updated", r.id))
    out.sort(key=lambda c: (c.at, c.change, c.incident_id))
    return out


def _db_time(store: Store, value: datetime) -> datetime:
    """SQLite compares stored naive UTC text: hand it a naive UTC value."""
    return value.replace(tzinfo=None) if store.is_sqlite else value
