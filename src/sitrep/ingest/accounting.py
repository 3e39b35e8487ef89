"""What happened to each input: one ``Outcome`` per input, counted by ``Accounting``.

An analyst who feeds sitrep ten thousand pages must be able to tell which ones it read, which
it set aside and why, and that nothing vanished: every input ends in exactly one of four states
and the counts add up to the number of inputs.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, TextIO

from sitrep.model import Event, Report

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress
    from rich.progress import ProgressColumn, TaskID

__all__ = ["STATES", "Accounting", "Outcome", "Progress", "State"]

State = Literal["done", "duplicate", "skipped", "failed"]
STATES: tuple[State, ...] = ("done", "duplicate", "skipped", "failed")


@dataclass(slots=True)
class Outcome:
    """The end state of one input.

    ``done``: read and extracted (``events`` may be empty: a report without figures);
    ``duplicate``: the same text as ``duplicate_of``, earlier in the run;
    ``skipped``: set aside on purpose (a language without a lexicon, robots.txt);
    ``failed``: could not be read or parsed. ``reason`` is one line for the last two.
    ``text`` is the normalised text the events' offsets point into.
    """

    name: str
    state: State
    reason: str | None = None
    events: list[Event] = field(default_factory=list)
    report: Report | None = None
    text: str | None = None
    text_hash: str | None = None
    encoding: str | None = None
    encoding_detected: bool = False
    duplicate_of: str | None = None

    def line(self) -> str:
        """One line for standard error: ``name: failed: reason``."""
        if self.state == "duplicate":
            return f"{self.name}: duplicate of {self.duplicate_of}"
        if self.reason:
            return f"{self.name}: {self.state}: {self.reason}"
        return f"{self.name}: {self.state}"

    def as_record(self) -> dict[str, object]:
        """The JSON object of ``--errors`` files."""
        rec: dict[str, object] = {"name": self.name, "state": self.state, "reason": self.reason}
        if self.duplicate_of:
            rec["duplicate_of"] = self.duplicate_of
        return rec


class Accounting:
    """Counts of outcomes by state, a summary line, and the failures as JSONL.

    Use as a context manager when ``errors_path`` is given, so the file is closed; failures are
    written as they come (a long run killed midway still leaves its failures on disk).
    """

    def __init__(
        self,
        errors_path: str | Path | None = None,
        *,
        include_skipped: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.counts: Counter[str] = Counter({s: 0 for s in STATES})
        self.events = 0
        self.reasons: Counter[str] = Counter()
        self.include_skipped = include_skipped
        self._clock = clock
        self._started = clock()
        self._errors: IO[str] | None = None
        if errors_path is not None:
            self._errors = open(errors_path, "w", encoding="utf-8")  # noqa: SIM115

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, outcome: Outcome, events: int | None = None) -> None:
        """Count an outcome (``events``: its number of events, when they are not in it)."""
        self.counts[outcome.state] += 1
        self.events += len(outcome.events) if events is None else events
        if outcome.state in ("failed", "skipped") and outcome.reason:
            self.reasons[_reason_class(outcome.reason)] += 1
        wanted = outcome.state == "failed" or (self.include_skipped and outcome.state == "skipped")
        if self._errors is not None and wanted:
            self._errors.write(json.dumps(outcome.as_record(), ensure_ascii=False) + "\n")
            self._errors.flush()

    def rate(self) -> float:
        """Inputs per second since this account was opened."""
        elapsed = self._clock() - self._started
        return self.total / elapsed if elapsed > 0 else 0.0

    def summary(self) -> str:
        """``1000 inputs: 880 done (1234 events), 20 duplicate, 30 skipped, 70 failed``."""
        c = self.counts
        return (
            f"{self.total} input{'s' if self.total != 1 else ''}: {c['done']} done "
            f"({self.events} event{'s' if self.events != 1 else ''}), {c['duplicate']} duplicate, "
            f"{c['skipped']} skipped, {c['failed']} failed"
        )

    def progress(self) -> str:
        """The summary with the rate so far, for a status line."""
        return f"{self.summary()} — {self.rate():.1f} inputs/s"

    def close(self) -> None:
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def __enter__(self) -> Accounting:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_BAR_WIDTH = 24


class Progress:
    """A progress display for long runs (rich): a bar (filling when ``total`` is known, else
    pulsing), the inputs so far by state, documents per second over the last half minute and
    the time elapsed, on one line of the terminal redrawn in place at most every ``interval``
    seconds and not before ``delay`` seconds have passed (a short run shows nothing). Silent
    when the stream is a file or a pipe, so logs stay clean; ``echo`` prints a line (a
    failure) above the display; ``close`` clears it (the caller prints the summary).

    ``console`` (a rich ``Console``) is for tests and embedding: it decides where and whether
    the display is drawn."""

    def __init__(
        self,
        acct: Accounting,
        stream: TextIO | None = None,
        *,
        interval: float = 0.5,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        total: int | None = None,
        delay: float = 0.0,
        console: Console | None = None,
    ) -> None:
        self.acct = acct
        if stream is None:
            stream = console.file if console is not None else sys.stderr
        self.stream = stream
        if enabled is None:
            if console is not None:
                enabled = console.is_terminal
            else:
                isatty = getattr(self.stream, "isatty", None)
                enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.interval = interval
        self.total = total
        self._clock = clock
        self._not_before = clock() + delay
        self._last = float("-inf")
        self._shown = False
        self._console = console
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def update(self, force: bool = False) -> None:
        """Redraw the display when it is due (``force``: whatever the interval)."""
        now = self._clock()
        if not self.enabled or now < self._not_before:
            return
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self.stream.write("\r\x1b[K" + self.render())
        self.stream.flush()
        self._shown = True

    def render(self) -> str:
        """The display as one line of terminal text: the counts come first, then the rate
        and the time; on a narrow terminal the events, then the bar give way."""
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn

        bar, task = self._rich()
        n = self.acct.total
        bar.update(task, completed=n, total=self.total)
        speed = bar.tasks[0].speed  # over the last half minute; None before two samples
        rate = f"{speed if speed is not None else self.acct.rate():.1f} docs/s"
        c = self.acct.counts
        of = f"{n}/{self.total} inputs" if self.total is not None else ""
        counts = (
            f"{of or f'{n} input' + ('s' if n != 1 else '')}: {c['done']} done, "
            f"{c['duplicate']} dup, {c['skipped']} skipped, {c['failed']} failed"
        )
        events = f", {self.acct.events} events"
        room = bar.console.width - 1 - len(counts) - len(rate) - 8 - 2
        if room >= len(events) + 12:
            counts += events
            room -= len(events)
        bar_width = min(_BAR_WIDTH, room - 1)
        if room < 0:  # the line must stay one line: \r cannot take back more
            counts = counts[: max(len(counts) + room - 1, 0)] + "…"
        columns: list[ProgressColumn] = []
        if bar_width >= 8:
            columns.append(BarColumn(bar_width=bar_width))
        columns.append(TextColumn(counts, style="red" if c["failed"] else "", markup=False))
        columns.append(TextColumn(rate, style="progress.data.speed", markup=False))
        columns.append(TimeElapsedColumn())
        bar.columns = tuple(columns)
        console = bar.console
        with console.capture() as cap:
            console.print(bar.get_renderable(), end="", crop=True, no_wrap=True)
        text = cap.get()
        if "\n" in text.rstrip("\n"):
            text = text.split("\n", 1)[0] + "\x1b[0m"
        return text.rstrip("\n")

    def _rich(self) -> tuple[RichProgress, TaskID]:
        if self._bar is None or self._task is None:
            from rich.console import Console
            from rich.progress import Progress as RichProgress

            console = self._console or Console(
                file=self.stream, force_terminal=True, highlight=False, soft_wrap=False
            )
            self._bar = RichProgress(
                console=console,
                auto_refresh=False,  # drawn by ``update`` only: no thread, no stray output
                get_time=self._clock,
            )
            self._task = self._bar.add_task("", total=self.total)
        return self._bar, self._task

    def echo(self, line: str, file: TextIO | None = None) -> None:
        """Print ``line`` (to ``file``, default the display's stream) above the display;
        it is drawn again at the next ``update``."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
            self._last = float("-inf")
        out = file if file is not None else self.stream
        out.write(line + "\n")
        out.flush()

    def close(self) -> None:
        """Clear the display (the caller prints the summary)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reason_class(reason: str) -> str:
    """``"HTTP 404 Not Found"`` and ``"malformed JSON (…)"`` → their kind, for a tally."""
    head = reason.split("(", 1)[0].split(":", 1)[0].strip()
    return head or reason
