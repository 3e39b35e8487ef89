"""Watch feeds: poll RSS/Atom feeds every so often and ingest the items not read before.

Each cycle reads every feed, finds the items whose key (their link; for an item without one, a
hash of its title and text) is not yet settled in the database's ``seen_items`` for that feed,
reads and stores those, records them, and merges. Because what was seen lives in the database,
a restarted watcher (or one run from cron with ``--once``) reads only what is new.

When an item counts as seen: once it ends done, duplicate, skipped, or failed for a reason
that will not change by waiting (HTTP 404, not an article, binary data, a language without a
lexicon). An item whose read failed transiently (HTTP 429 or 5xx, a timeout, a connection
error, a robots.txt that could not be read, a database error while storing) is kept as
``retry`` and tried again by each following cycle while it is in the feed, at most
``MAX_ATTEMPTS`` times in all; then it counts as seen, failed.

Each cycle is a run (command ``watch``) in the ``runs`` table, with its items as inputs; a feed
that cannot be read is an input of the cycle that failed. Items are read in this process, one
after another (a cycle holds a handful of new items, and the per-host politeness delay, not
the CPU, sets its pace).

``Stopper`` turns SIGINT and SIGTERM into a request to stop after the input in hand (a second
signal aborts at once) and gives a sleep that such a request ends at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import select
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from sitrep.errors import InputError, SitrepError

if TYPE_CHECKING:
    from sitrep.ingest.feeds import FeedEntry
    from sitrep.ingest.fetch import Fetcher
    from sitrep.ingest.sources import ReadOptions
    from sitrep.merge import MergeResult
    from sitrep.store import Store
    from sitrep.store.ingest import Outcome
    from sitrep.store.runs import RunLog

__all__ = [
    "MAX_ATTEMPTS",
    "CycleResult",
    "Stopper",
    "Watcher",
    "expand_feeds",
    "is_transient",
    "parse_every",
]

MAX_ATTEMPTS = 5

_EVERY = re.compile(r"(\d+(?:\.\d+)?)(h|m|s)")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_TRANSIENT = re.compile(
    r"^(HTTP (429|5\d\d)\b|timed out|cannot connect|connection error|too slow|"
    r"robots\.txt unreachable|cannot store)"
)


def parse_every(value: str) -> float:
    """``30s``, ``15m``, ``1h``, ``2h30m`` (or plain seconds) → seconds; ValueError if not."""
    text = value.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        seconds = float(text)
    else:
        pos = 0
        seconds = 0.0
        units = ""
        for m in _EVERY.finditer(text):
            if m.start() != pos or m.group(2) in units:
                break
            units += m.group(2)
            seconds += float(m.group(1)) * {"h": 3600, "m": 60, "s": 1}[m.group(2)]
            pos = m.end()
        if pos != len(text) or not units:
            raise ValueError(f"{value!r} is not a duration (e.g. 30s, 15m, 1h, 2h30m)")
    if seconds <= 0:
        raise ValueError(f"{value!r}: the interval must be more than zero")
    return seconds


def is_transient(reason: str | None) -> bool:
    """Whether a failure may go away by itself (a server error, a timeout), so the item is
    tried again next cycle."""
    return bool(reason) and bool(_TRANSIENT.match(reason or ""))


def expand_feeds(specs: Sequence[str]) -> list[str]:
    """Feeds to poll: a URL or a feed file as it is; any other file is a list of feeds, one a
    line (``#`` at the start or after a space begins a comment; relative paths are relative to
    the list). Raises ``SitrepError`` naming a spec that cannot be read or a list without
    feeds."""
    from sitrep.ingest.encoding import gunzip, is_gzip
    from sitrep.ingest.feeds import looks_like_feed
    from sitrep.ingest.fetch import is_url

    feeds: list[str] = []
    for spec in specs:
        if is_url(spec):
            feeds.append(spec)
            continue
        path = Path(spec)
        try:
            raw = path.read_bytes()
            if is_gzip(raw):
                raw = gunzip(spec, raw, 64 * 1024 * 1024)
        except FileNotFoundError:
            raise SitrepError(f"{spec}: no such file") from None
        except IsADirectoryError:
            raise SitrepError(f"{spec}: is a directory (give feeds or a list of feeds)") from None
        except OSError as exc:
            raise SitrepError(f"{spec}: cannot read: {exc.strerror or exc}") from None
        except InputError as exc:
            raise SitrepError(str(exc)) from None
        if looks_like_feed(raw):
            feeds.append(spec)
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SitrepError(f"{spec}: neither a feed nor a UTF-8 list of feeds") from None
        listed = []
        for line in text.splitlines():
            line = _COMMENT.sub("", line).strip()  # '#' after a space: a URL keeps its fragment
            if not line:
                continue
            listed.append(line if is_url(line) else str(path.parent / line))
        if not listed:
            raise SitrepError(f"{spec}: neither a feed nor a list of feeds (no lines)")
        feeds.extend(listed)
    return list(dict.fromkeys(feeds))


# --- stopping on signals --------------------------------------------------------------------


class Stopper:
    """SIGINT and SIGTERM, first: stop after the input in hand (``stopped`` turns true and
    ``sleep`` returns at once); second: ``KeyboardInterrupt`` now. Install with
    ``with stopper.installed():`` in the main thread; the previous handlers come back
    afterwards. The handler only sets a flag and writes a byte to a pipe: nothing that could
    deadlock or tear a line the main thread is writing."""

    def __init__(self) -> None:
        self.signal_name: str | None = None
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)

    @property
    def stopped(self) -> bool:
        return self.signal_name is not None

    def __call__(self) -> bool:
        return self.stopped

    def request(self, name: str = "stop") -> None:
        """Ask to stop (what a signal does; also for tests and embedding)."""
        self.signal_name = self.signal_name or name
        # wakes a sleep; safe in a signal handler. OSError: the pipe is full (a wake-up is
        # pending anyway) or closed
        with suppress(OSError):
            os.write(self._write, b"x")

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.stopped:
            raise KeyboardInterrupt
        self.request(signal.Signals(signum).name)

    @contextmanager
    def installed(self) -> Iterator[Stopper]:
        previous = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            self.close()

    def sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return early (True) when asked to stop."""
        deadline = time.monotonic() + seconds
        while not self.stopped:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                ready, _, _ = select.select([self._read], [], [], left)
            except (OSError, ValueError):  # closed meanwhile
                return self.stopped
            if ready:
                with suppress(OSError):
                    os.read(self._read, 512)
        return True

    def close(self) -> None:
        for fd in (self._read, self._write):
            with suppress(OSError):
                os.close(fd)
        self._read = self._write = -1


# --- one cycle ------------------------------------------------------------------------------


@dataclass
class CycleResult:
    """What one cycle did."""

    run_id: str
    started: datetime
    feeds: int = 0
    items: int = 0  # in the feeds, seen or not
    new: int = 0  # read this cycle (new items and retries)
    counts: dict[str, int] = field(default_factory=dict)
    events: int = 0
    merged: MergeResult | None = None
    stopped: bool = False

    def line(self, next_poll: datetime | None = None) -> str:
        c = self.counts
        merged = ""
        if self.merged is not None:
            m = self.merged
            merged = f"; merged: {m.created} created, {m.updated} updated, {m.retired} retired"
        tail = f"; next poll {next_poll:%Y-%m-%d %H:%M:%S}Z" if next_poll else ""
        if self.stopped:
            tail = "; stopped"
        feeds = f"{self.feeds} feed{'s' if self.feeds != 1 else ''}"
        new = f"{self.new} new item{'s' if self.new != 1 else ''}"
        return (
            f"{self.started:%Y-%m-%d %H:%M:%S}Z run {self.run_id}: {feeds}, "
            f"{new}: {c.get('done', 0)} done ({self.events} events), "
            f"{c.get('duplicate', 0)} duplicate, {c.get('skipped', 0)} skipped, "
            f"{c.get('failed', 0)} failed{merged}{tail}"
        )


@dataclass
class Watcher:
    """Polls ``feeds`` into ``store``; ``cycle`` runs one poll. ``fetcher`` makes the HTTP
    client of a cycle (a fresh one each cycle, so robots.txt is read again); ``stop`` is asked
    after each item; ``on_outcome`` hears every input's end."""

    store: Store
    feeds: list[str]
    fetcher: Callable[[], Fetcher]
    options: ReadOptions | None = None
    lang: str | None = None
    store_text: bool = True
    merge: bool = True
    stop: Callable[[], bool] = lambda: False
    on_outcome: Callable[[Outcome], None] | None = None
    arguments: dict[str, Any] = field(default_factory=dict)

    def cycle(self) -> CycleResult:
        """Read every feed once, store the new items, record the run, merge."""
        from sitrep.ingest.sources import ReadOptions
        from sitrep.store.engine import now
        from sitrep.store.runs import RunLog

        options = self.options or ReadOptions()
        run = RunLog(self.store, "watch", self.arguments).start()
        result = CycleResult(run.id, now(), feeds=len(self.feeds))
        status, message = "completed", None
        try:
            with self.fetcher() as fetcher:
                for feed in self.feeds:
                    if self.stop() or not self._feed(feed, fetcher, options, run, result):
                        result.stopped = True
                        break
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        except BaseException as exc:
            from sitrep.store import _one_line

            status, message = "crashed", f"{type(exc).__name__}: {_one_line(exc)}"
            raise
        finally:
            if result.stopped and status == "completed":
                status = "interrupted"
            result.counts = dict(run.counts)
            result.events = run.events
            try:
                run.finish(status, message)
            except Exception:
                if status == "completed":
                    raise
        if self.merge and not result.stopped:
            from sitrep.merge import merge

            result.merged = merge(self.store)
        return result

    def _feed(
        self,
        feed: str,
        fetcher: Fetcher,
        options: ReadOptions,
        run: RunLog,
        result: CycleResult,
    ) -> bool:
        """Read one feed's new items; False when asked to stop before the last one."""
        from sitrep.ingest.feeds import parse_feed
        from sitrep.ingest.fetch import InputSkipped
        from sitrep.store.ingest import Outcome
        from sitrep.store.runs import seen_items, write_seen

        try:
            raw, url = _read_feed(feed, fetcher, options)
            entries = parse_feed(feed, raw, url=url)
        except InputSkipped as exc:
            self._done(Outcome(feed, "skipped", detail=exc.reason), run)
            return True
        except InputError as exc:
            if exc.reason != "empty feed: no items":
                self._done(Outcome(feed, "failed", detail=exc.reason), run)
            return True
        keyed = [(_item_key(feed, e), e) for e in entries]
        keyed = list({k: (k, e) for k, e in keyed}.values())  # one read per key
        result.items += len(keyed)
        seen = seen_items(self.store, feed, [k for k, _ in keyed])
        for key, entry in keyed:
            before = seen.get(key)
            if before is not None and before.state != "retry":
                continue
            if self.stop():
                return False
            result.new += 1
            outcome = self._item(key, entry, fetcher, options)
            self._done(outcome, run)
            attempts = (before.attempts if before else 0) + 1
            state = outcome.status
            if state == "failed" and is_transient(outcome.detail) and attempts < MAX_ATTEMPTS:
                state = "retry"
            row = {
                "feed": feed,
                "item": key,
                "state": state,
                "attempts": attempts,
                "report_id": outcome.report_id,
                "run_id": run.id,
            }
            run.also(lambda conn, row=row: write_seen(conn, [row]))
        return True

    def _item(self, key: str, entry: FeedEntry, fetcher: Fetcher, options: ReadOptions) -> Outcome:
        """Read, extract and store one feed item (never raises for a bad item)."""
        from sitrep.ingest.items import InputFailure
        from sitrep.ingest.process import RunOptions, process_item
        from sitrep.ingest.sources import feed_item, parse_raw
        from sitrep.store.ingest import Outcome, store_read

        raw = feed_item(key, entry, lambda: fetcher, options)
        if isinstance(raw, InputFailure):
            return Outcome(key, "skipped" if raw.skipped else "failed", detail=raw.reason)
        try:
            parsed = parse_raw(raw, options)
            if isinstance(parsed, InputFailure):
                state = "skipped" if parsed.skipped else "failed"
                return Outcome(key, state, detail=parsed.reason)
            read = process_item(parsed, RunOptions(lang=self.lang, read=options))
        except Exception as exc:  # an extractor bug fails this item, not the watcher
            from sitrep.store import _one_line

            detail = f"internal error ({type(exc).__name__}: {_one_line(exc)})"
            return Outcome(key, "failed", detail=detail)
        return store_read(self.store, read, self.store_text)

    def _done(self, outcome: Outcome, run: RunLog) -> None:
        outcome.log_to(run)
        if self.on_outcome is not None:
            self.on_outcome(outcome)


def next_poll(started: datetime, every: float) -> datetime:
    """When the cycle after one that started at ``started`` begins: ``every`` after its start,
    or now when the cycle took longer than that."""
    from sitrep.store.engine import now

    return max(started + timedelta(seconds=every), now())


def _item_key(feed: str, entry: FeedEntry) -> str:
    """What identifies an item within its feed: its link, else a hash of title and text."""
    if entry.link:
        return entry.link
    digest = hashlib.sha256(f"{entry.title or ''}\n{entry.text}".encode()).hexdigest()[:16]
    return f"{feed}#{digest}"


def _read_feed(feed: str, fetcher: Fetcher, options: ReadOptions) -> tuple[bytes, str | None]:
    """The bytes of a feed (a URL or a file) and the URL it came from."""
    from sitrep.ingest.corpora import os_reason
    from sitrep.ingest.encoding import gunzip, is_gzip, too_large
    from sitrep.ingest.fetch import is_url

    url: str | None = None
    if is_url(feed):
        got = fetcher.fetch(feed, name=feed)
        raw, url = got.body, got.url
    else:
        try:
            size = os.stat(feed).st_size
            if size > options.max_bytes:
                raise InputError(feed, too_large(size, options.max_bytes))
            with open(feed, "rb") as f:
                raw = f.read(options.max_bytes + 1)
        except OSError as exc:
            raise InputError(feed, os_reason(exc)) from None
    if is_gzip(raw):
        raw = gunzip(feed, raw, options.max_bytes)
    return raw, url
