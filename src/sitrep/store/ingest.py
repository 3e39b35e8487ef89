"""Batch ingestion into the store: every input is read, extracted, stored and accounted for.

Reading and extraction are the project's own pipeline (``sitrep.ingest.process_inputs``: text
files, HTML pages, URLs, feeds, JSONL/CSV corpora, directories, gzip, any encoding, in worker
processes, in input order); this module stores the finished documents in input order, a few
dozen to a transaction (``BatchWriter``), so near-copy links do not depend on worker timing.
Each input ends in exactly one outcome: ``done`` (stored; possibly a near-copy of a stored
report), ``duplicate`` (its text is stored already, or came earlier in the run), ``skipped``
(a language without a lexicon, robots.txt) or ``failed`` (with a one-line reason).

Every batch is a run (``sitrep.store.runs``): its row in ``runs`` and each input's end state in
``run_inputs`` are written in batches as the batch goes, and the run ends completed,
interrupted (Ctrl-C, SIGTERM, or ``stop`` said so) or crashed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sitrep.errors import InputError, SitrepError, UnsupportedLanguage
from sitrep.store import AddResult, Prepared, Store, _one_line, text_hash

if TYPE_CHECKING:
    from sitrep.ingest.accounting import Outcome as ReadOutcome
    from sitrep.ingest.corpora import FieldMap
    from sitrep.ingest.fetch import Fetcher
    from sitrep.store.runs import RunLog


@dataclass(slots=True)
class Outcome:
    """What became of one input."""

    name: str
    status: str  # done | duplicate | skipped | failed
    report_id: str | None = None
    n_events: int = 0
    detail: str = ""

    def line(self) -> str:
        return "\t".join(x for x in (self.status, self.name, self.report_id or "", self.detail))

    def as_read(self) -> ReadOutcome:
        """This outcome in the reading pipeline's terms (for ``Accounting`` and its
        ``--errors`` file): the reason of a failed or skipped input is its detail."""
        from sitrep.ingest.accounting import Outcome as Read

        state = self.status if self.status in ("done", "duplicate", "skipped") else "failed"
        reason = self.detail if state in ("failed", "skipped") else None
        return Read(self.name, state, reason or None)  # type: ignore[arg-type]

    def log_to(self, run: RunLog) -> None:
        """Add this outcome to a run's record."""
        reason = self.detail if self.status != "done" else None
        run.add(self.name, self.status, reason, self.report_id, self.n_events)


@dataclass
class IngestSummary:
    """Counts of a batch (``outcomes`` only when asked to keep them)."""

    done: int = 0
    duplicate: int = 0
    near_copies: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    run_id: str | None = None
    interrupted: bool = False

    @property
    def total(self) -> int:
        return self.done + self.duplicate + self.skipped + self.failed

    def add(self, o: Outcome) -> None:
        if o.status == "done":
            self.done += 1
            self.events += o.n_events
            if "near-copy" in o.detail:
                self.near_copies += 1
        elif o.status == "duplicate":
            self.duplicate += 1
        elif o.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1

    def text(self) -> str:
        return (
            f"{self.total} inputs: {self.done} stored ({self.events} events, "
            f"{self.near_copies} near-copies), {self.duplicate} duplicates, "
            f"{self.skipped} skipped, {self.failed} failed"
        )


def ingest(
    store: Store,
    specs: Iterable[str],
    *,
    workers: int | None = 1,
    lang: str | None = None,
    published: date | None = None,
    url: str | None = None,
    source_name: str | None = None,
    max_bytes: int | None = None,
    store_text: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
    keep_outcomes: bool = False,
    record: bool = True,
    arguments: dict[str, object] | None = None,
    stop: Callable[[], bool] | None = None,
    glob: str | Sequence[str] | None = None,
    fields: FieldMap | None = None,
    fetcher: Fetcher | None = None,
) -> IngestSummary:
    """Read, extract and store every input; reports are committed in small batches.

    ``lang``, ``published``, ``url`` and ``source_name`` override what inputs say about
    themselves (as for ``sitrep extract``); ``glob`` filters directories and ``fields`` names
    a corpus's fields, as for ``sitrep extract``; ``workers`` None uses every core. With
    ``record`` the batch is a run in the ``runs`` table (``arguments`` describe it; by default
    the specs and options). ``stop`` is asked after each input: when it says so, the batch
    ends there and the run is marked interrupted. A ``KeyboardInterrupt`` marks it
    interrupted and any other exception crashed, and is raised again."""
    from sitrep.ingest import ReadOptions, process_inputs
    from sitrep.store.runs import RunLog

    specs = list(specs)
    options = ReadOptions(max_bytes=max_bytes) if max_bytes else None
    summary = IngestSummary()
    run: RunLog | None = None
    if record:
        if arguments is None:
            arguments = {
                "inputs": specs,
                "workers": workers,
                "lang": lang,
                "published": published.isoformat() if published else None,
                "url": url,
                "source_name": source_name,
            }
        run = RunLog(store, "ingest", arguments).start()
        summary.run_id = run.id
    reads = process_inputs(
        specs,
        workers=workers,
        lang=lang,
        published=published,
        url=url,
        source_name=source_name,
        glob=glob,
        fields=fields,
        fetcher=fetcher,
        options=options,
        keep_text=True,
    )
    writer = BatchWriter(store, store_text)

    def settle(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            summary.add(outcome)
            if run is not None:
                outcome.log_to(run)
            if keep_outcomes:
                summary.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)

    try:
        with closing(reads):
            for read in reads:
                settle(writer.add(read))
                if stop is not None and stop():
                    summary.interrupted = True
                    break
            settle(writer.flush())
    except KeyboardInterrupt:
        if run is not None:
            _end_quietly(run, "interrupted", None)
        raise
    except BaseException as exc:
        if run is not None:
            _end_quietly(run, "crashed", f"{type(exc).__name__}: {_one_line(exc)}")
        raise
    if run is not None:
        run.finish("interrupted" if summary.interrupted else "completed")
    return summary


class BatchWriter:
    """The single writer of a batch: stores finished reports a few dozen to a transaction
    (or whatever came in ``max_wait`` seconds), and gives every input's outcome back in input
    order once it is committed. A transaction that fails is retried one report at a time, so
    one bad report fails alone; a process killed mid-batch loses only uncommitted reports,
    which a re-run stores (content hashes keep it idempotent)."""

    def __init__(
        self,
        store: Store,
        store_text: bool = True,
        *,
        max_items: int = 32,
        max_wait: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.store_text = store_text
        self.max_items = max_items
        self.max_wait = max_wait
        self._clock = clock
        self._queue: list[Outcome | Prepared] = []
        self._reports = 0
        self._since = 0.0

    def add(self, read: ReadOutcome) -> list[Outcome]:
        """Queue one outcome of the reading pipeline; the outcomes now final, in order."""
        if read.state == "done" and read.report is not None and read.text is not None:
            if not self._reports:
                self._since = self._clock()
            self._queue.append(prepare_read(read))
            self._reports += 1
        else:
            self._queue.append(store_read(self.store, read, self.store_text))
        if self._reports >= self.max_items or (
            self._reports and self._clock() - self._since >= self.max_wait
        ):
            return self.flush()
        if not self._reports:
            return self.flush()  # nothing waits on the database: hand them on now
        return []

    def flush(self) -> list[Outcome]:
        """Commit what is queued; every queued input's outcome, in order."""
        queue, self._queue, self._reports = self._queue, [], 0
        prepared = [q for q in queue if isinstance(q, Prepared)]
        stored: dict[int, Outcome] = {}
        if prepared:
            try:
                with self.store.write() as conn:
                    for p in prepared:
                        added = self.store.add_report_in(conn, p, store_text=self.store_text)
                        stored[id(p)] = _added_outcome(p, added)
            except Exception:  # one bad report must not fail the others: one at a time
                stored = {id(p): store_prepared(self.store, p, self.store_text) for p in prepared}
        return [stored[id(q)] if isinstance(q, Prepared) else q for q in queue]


def _end_quietly(run: RunLog, status: str, message: str | None) -> None:
    """End a run while an exception is on its way: a failure to write must not hide it."""
    try:
        run.finish(status, message)
    except Exception:  # the database may be what failed; the run then shows as crashed
        return


def store_read(store: Store, read: ReadOutcome, store_text: bool = True) -> Outcome:
    """Store one outcome of the reading pipeline (a done one); say what became of it."""
    if read.state == "duplicate":
        return Outcome(read.name, "duplicate", detail=f"same text as {read.duplicate_of}")
    if read.state != "done":
        return Outcome(read.name, read.state, detail=read.reason or "")
    if read.report is None or read.text is None:
        return Outcome(read.name, "failed", detail="internal error: no text to store")
    return store_prepared(store, prepare_read(read), store_text)


def prepare_read(read: ReadOutcome) -> Prepared:
    from sitrep.store.minhash import signature

    assert read.text is not None and read.report is not None
    return Prepared(read.name, read.text, read.report, read.events, signature(read.text))


def store_prepared(store: Store, prepared: Prepared, store_text: bool = True) -> Outcome:
    """Store a prepared report; database errors become a failed outcome, not an exception."""
    try:
        added: AddResult = store.add_report(prepared, store_text=store_text)
    except SitrepError as exc:
        return Outcome(prepared.name, "failed", detail=str(exc))
    except Exception as exc:  # database errors: one line, the batch goes on
        return Outcome(prepared.name, "failed", detail=f"cannot store: {_one_line(exc)}")
    return _added_outcome(prepared, added)


def _added_outcome(prepared: Prepared, added: AddResult) -> Outcome:
    if added.status == "duplicate":
        return Outcome(prepared.name, "duplicate", added.report_id, detail="already stored")
    detail = f"{added.n_events} events"
    if added.copy_of:
        detail += f"; near-copy of {added.copy_of} ({added.similarity:.2f})"
    return Outcome(prepared.name, "done", added.report_id, added.n_events, detail)


def prepare_text(
    text: str,
    *,
    name: str = "<text>",
    lang: str | None = None,
    published: date | None = None,
    url: str | None = None,
    source_name: str | None = None,
    title: str | None = None,
) -> Prepared | Outcome:
    """Extract one text given as a string, or say why not (never raises)."""
    from sitrep.extract import extract_document
    from sitrep.ingest import make_document
    from sitrep.store.minhash import signature

    try:
        doc = make_document(
            text,
            lang=lang,
            published=published,
            url=url,
            source_name=source_name,
            title=title,
            name=name,
        )
        events = extract_document(doc)
    except UnsupportedLanguage as exc:
        return Outcome(name, "skipped", detail=exc.reason.removeprefix("skipped: "))
    except InputError as exc:
        return Outcome(name, "failed", detail=exc.reason)
    except Exception as exc:  # an extractor bug must not stop the caller
        first = str(exc).strip().splitlines()
        msg = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
        return Outcome(name, "failed", detail=f"internal error: {msg}")
    return Prepared(name, doc.text, doc.report, events, signature(doc.text))


def known_text(store: Store, text: str) -> str | None:
    """The report id of a stored text (after normalisation), or None."""
    from sitrep.ingest import normalise_text

    digest = text_hash(normalise_text(text))
    return digest[:16] if store.known_hashes([digest]) else None
