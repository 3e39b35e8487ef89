"""Runs in the database: every `sitrep ingest` and every `sitrep watch` cycle, its counts and the
final state of each of its inputs, so that "what happened to that page last Tuesday?" has an
answer after the terminal is gone.

``RunLog`` records one run. Input rows are buffered and written in batches (every ``batch``
inputs or ``interval`` seconds, whichever comes first, and at the end), each batch in one
transaction together with the run's counts so far, so the log costs about one commit a second
whatever the size of the run, and a process killed midway leaves a run that shows how far it
got.

A run is ``running`` until it ends ``completed``, ``interrupted`` (Ctrl-C, SIGTERM) or
``crashed`` (an error stopped it). A process killed with SIGKILL, or a machine that lost power,
leaves its run ``running``: when its host is this machine and its process is gone, the run is
shown as ``crashed`` and the next run started on this machine writes that down. A run left by
another machine stays ``running`` (this one cannot tell).

Also here: the feed items `sitrep watch` has seen (``seen_items``), read and written in the
same batched way.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sitrep.store.engine import StoreError, as_utc, now

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from sitrep.store import Store

__all__ = [
    "INPUT_STATES",
    "RUN_STATES",
    "InputRow",
    "RunInfo",
    "RunLog",
    "SeenItem",
    "find_run",
    "list_runs",
    "mark_crashed",
    "run_inputs",
    "seen_items",
    "write_seen",
]

RUN_STATES = ("running", "completed", "interrupted", "crashed")
INPUT_STATES = ("done", "duplicate", "skipped", "failed")


def _host() -> str:
    return socket.gethostname()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sitrep")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def _alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    except OSError:
        return True
    return True


@dataclass(slots=True)
class RunInfo:
    """A run as stored; ``state`` is ``status`` with a dead process' run shown as crashed."""

    id: str
    command: str
    arguments: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None
    status: str
    done: int
    duplicate: int
    skipped: int
    failed: int
    events: int
    host: str | None
    pid: int | None
    version: str | None
    message: str | None

    @property
    def total(self) -> int:
        return self.done + self.duplicate + self.skipped + self.failed

    @property
    def state(self) -> str:
        if self.status == "running" and self.host == _host() and self.pid and not _alive(self.pid):
            return "crashed"
        return self.status

    def duration(self, at: datetime | None = None) -> float:
        """Seconds from start to finish (to ``at``, or now, while running)."""
        end = self.finished_at or at or now()
        return max(0.0, (end - self.started_at).total_seconds())

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "command": self.command,
            "arguments": self.arguments,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "duration_s": round(self.duration(), 3),
            "status": self.state,
            "inputs": self.total,
            "done": self.done,
            "duplicate": self.duplicate,
            "skipped": self.skipped,
            "failed": self.failed,
            "events": self.events,
            "host": self.host,
            "pid": self.pid,
            "version": self.version,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class InputRow:
    """One input of a run and how it ended."""

    seq: int
    name: str
    state: str
    reason: str | None
    report_id: str | None

    def as_dict(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"seq": self.seq, "name": self.name, "state": self.state}
        rec["reason"] = self.reason
        if self.report_id:
            rec["report_id"] = self.report_id
        return rec


@dataclass
class RunLog:
    """The record of one run: ``start``, ``add`` each input's end state, ``finish``.

    ``batch`` and ``interval`` bound what a killed process can lose from the log (the reports
    themselves are committed one by one, and a re-run finds them)."""

    store: Store
    command: str
    arguments: dict[str, Any] = field(default_factory=dict)
    batch: int = 500
    interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INPUT_STATES, 0))
    events: int = 0
    seq: int = 0
    status: str = "running"
    _rows: list[dict[str, Any]] = field(default_factory=list, repr=False)
    _extra: list[Callable[[Connection], None]] = field(default_factory=list, repr=False)
    _last_flush: float = field(default=0.0, repr=False)

    def start(self) -> RunLog:
        """Write the run's row (status running), after marking this machine's dead runs."""
        from sitrep.store.schema import runs

        mark_crashed(self.store)
        with self.store.write() as conn:
            conn.execute(
                runs.insert().values(
                    id=self.id,
                    command=self.command,
                    arguments=self.arguments,
                    started_at=now(),
                    status="running",
                    done=0,
                    duplicate=0,
                    skipped=0,
                    failed=0,
                    events=0,
                    host=_host(),
                    pid=os.getpid(),
                    version=_version(),
                )
            )
        self._last_flush = self.clock()
        return self

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(
        self,
        name: str,
        state: str,
        reason: str | None = None,
        report_id: str | None = None,
        events: int = 0,
    ) -> None:
        """Count one input's end state; the row is written with the next batch."""
        if state not in INPUT_STATES:
            raise ValueError(f"unknown input state {state!r}")
        self.seq += 1
        self.counts[state] += 1
        self.events += events
        self._rows.append(
            {
                "run_id": self.id,
                "seq": self.seq,
                "name": name,
                "state": state,
                "reason": reason or None,
                "report_id": report_id,
            }
        )
        if len(self._rows) >= self.batch or self.clock() - self._last_flush >= self.interval:
            self.flush()

    def also(self, write: Callable[[Connection], None]) -> None:
        """Run ``write`` in the next batch's transaction (``watch`` records seen items so)."""
        self._extra.append(write)

    def flush(self) -> None:
        """Write the buffered input rows and the counts so far, in one transaction."""
        with self.store.write() as conn:
            self._flush_in(conn)
        self._rows.clear()
        self._extra.clear()
        self._last_flush = self.clock()

    def _flush_in(self, conn: Connection, **final: Any) -> None:
        from sitrep.store.schema import run_inputs, runs

        if self._rows:
            conn.execute(run_inputs.insert(), self._rows)
        for write in self._extra:
            write(conn)
        conn.execute(
            runs.update()
            .where(runs.c.id == self.id)
            .values(**self.counts, events=self.events, **final)
        )

    def finish(self, status: str = "completed", message: str | None = None) -> None:
        """Write what is buffered and end the run with ``status``."""
        if status not in RUN_STATES or status == "running":
            raise ValueError(f"a run cannot finish as {status!r}")
        with self.store.write() as conn:
            self._flush_in(conn, status=status, finished_at=now(), message=message)
        self._rows.clear()
        self._extra.clear()
        self.status = status

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.total} inputs: {c['done']} done ({self.events} events), "
            f"{c['duplicate']} duplicate, {c['skipped']} skipped, {c['failed']} failed"
        )


# --- reading ------------------------------------------------------------------------------


def _info(row: Any) -> RunInfo:
    started = as_utc(row.started_at)
    assert started is not None
    return RunInfo(
        id=row.id,
        command=row.command,
        arguments=dict(row.arguments or {}),
        started_at=started,
        finished_at=as_utc(row.finished_at),
        status=row.status,
        done=row.done,
        duplicate=row.duplicate,
        skipped=row.skipped,
        failed=row.failed,
        events=row.events,
        host=row.host,
        pid=row.pid,
        version=row.version,
        message=row.message,
    )


def list_runs(
    store: Store, *, limit: int | None = None, command: str | None = None
) -> list[RunInfo]:
    """Runs, newest first."""
    import sqlalchemy as sa

    from sitrep.store.schema import runs

    q = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc())
    if command:
        q = q.where(runs.c.command == command)
    if limit:
        q = q.limit(limit)
    with store.read() as conn:
        return [_info(r) for r in conn.execute(q)]


def find_run(store: Store, prefix: str) -> RunInfo:
    """The run whose id starts with ``prefix`` (a unique prefix is enough)."""
    import sqlalchemy as sa

    from sitrep.store.schema import runs

    key = prefix.strip().lower()
    if not key or not all(c in "0123456789abcdef" for c in key):
        raise StoreError(f"{prefix!r} is not a run id (hex digits, as `sitrep runs` lists them)")
    q = sa.select(runs).where(runs.c.id.startswith(key, autoescape=True)).limit(3)
    with store.read() as conn:
        rows = conn.execute(q).all()
    if not rows:
        raise StoreError(f"no run {prefix} (see `sitrep runs`)")
    if len(rows) > 1:
        raise StoreError(f"run id prefix {prefix} is ambiguous: give more characters")
    return _info(rows[0])


def run_inputs(store: Store, run_id: str, states: Sequence[str] | None = None) -> list[InputRow]:
    """The inputs of a run in input order, only those in ``states`` when given."""
    import sqlalchemy as sa

    from sitrep.store.schema import run_inputs as t

    q = sa.select(t.c.seq, t.c.name, t.c.state, t.c.reason, t.c.report_id).where(
        t.c.run_id == run_id
    )
    if states:
        q = q.where(t.c.state.in_(list(states)))
    with store.read() as conn:
        return [InputRow(*r) for r in conn.execute(q.order_by(t.c.seq))]


def mark_crashed(store: Store) -> int:
    """Mark this machine's runs whose process is gone as crashed; how many there were."""
    import sqlalchemy as sa

    from sitrep.store.schema import runs

    host = _host()
    with store.read() as conn:
        rows = conn.execute(
            sa.select(runs.c.id, runs.c.pid).where(runs.c.status == "running", runs.c.host == host)
        ).all()
    dead = [rid for rid, pid in rows if pid and pid != os.getpid() and not _alive(pid)]
    if dead:
        with store.write() as conn:
            conn.execute(
                runs.update()
                .where(runs.c.id.in_(dead), runs.c.status == "running")
                .values(status="crashed", message="the process ended without finishing the run")
            )
    return len(dead)


# --- feed items seen by `sitrep watch` ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeenItem:
    """What became of a feed item the last time it was read."""

    state: str  # done | duplicate | skipped | failed | retry
    attempts: int


def seen_items(store: Store, feed: str, items: Iterable[str]) -> dict[str, SeenItem]:
    """The items of ``feed`` among ``items`` that were read before, and how they ended."""
    import sqlalchemy as sa

    from sitrep.store.schema import seen_items as t

    wanted = list(dict.fromkeys(items))
    found: dict[str, SeenItem] = {}
    with store.read() as conn:
        for i in range(0, len(wanted), 500):
            q = sa.select(t.c.item, t.c.state, t.c.attempts).where(
                t.c.feed == feed, t.c.item.in_(wanted[i : i + 500])
            )
            for item, state, attempts in conn.execute(q):
                found[item] = SeenItem(state, attempts)
    return found


def write_seen(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert or update ``seen_items`` rows (feed, item, state, attempts, report_id, run_id)."""
    if not rows:
        return
    from sitrep.store.schema import seen_items as t

    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stamp = now()
    values = [{**r, "first_seen": stamp, "last_seen": stamp} for r in rows]
    stmt = insert(t)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.feed, t.c.item],
        set_={
            "state": stmt.excluded.state,
            "attempts": stmt.excluded.attempts,
            "report_id": stmt.excluded.report_id,
            "run_id": stmt.excluded.run_id,
            "last_seen": stmt.excluded.last_seen,
        },
    )
    conn.execute(stmt, values)
