"""Parse and extract inputs in worker processes, one ``Outcome`` per input, in input order.

HTML parsing and extraction are CPU-bound and independent per document, so they run in a
process pool; reading, fetching (politeness is per run, not per worker) and deduplication stay
in this process, and so does whatever consumes the outcomes (a single batched database writer).
A worker never raises for an input: any error becomes that input's ``failed`` outcome, and a
worker that dies takes only the input it was on with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from typing import TYPE_CHECKING

from sitrep.errors import InputError, SitrepError, UnsupportedLanguage
from sitrep.ingest.accounting import Outcome, State
from sitrep.ingest.corpora import FieldMap
from sitrep.ingest.items import InputFailure, InputItem, RawInput
from sitrep.ingest.sources import ReadOptions, iter_raw, parse_raw

if TYPE_CHECKING:
    from sitrep.ingest.fetch import Fetcher

__all__ = ["RunOptions", "default_workers", "process_inputs", "process_item"]


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What every document of a run shares. ``lang``: a lexicon code to force, or None to
    identify per document (a corpus' declared language is used then). The others, when
    given, override what a page or record says about itself."""

    lang: str | None = None
    published: date | None = None
    url: str | None = None
    source_name: str | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    keep_text: bool = True


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def process_item(item: InputItem, run: RunOptions) -> Outcome:
    """``make_document`` + ``extract_document`` for one decoded input."""
    from sitrep.extract import extract_document
    from sitrep.ingest import make_document
    from sitrep.lexicon import available_languages

    text_hash = hashlib.sha256(item.text.encode("utf-8")).hexdigest()

    def outcome(state: State, reason: str | None = None) -> Outcome:
        return Outcome(
            name=item.name,
            state=state,
            reason=reason,
            text_hash=text_hash,
            encoding=item.encoding,
            encoding_detected=item.encoding_detected,
        )

    lang = run.lang
    if lang in (None, "auto") and item.lang:
        if item.lang not in available_languages():
            exc = UnsupportedLanguage(item.name, item.lang, available_languages())
            return outcome("skipped", _skip_reason(exc))
        lang = item.lang
    try:
        doc = make_document(
            item.text,
            lang=None if lang == "auto" else lang,
            published=run.published or item.published,
            url=run.url or item.url,
            source_name=run.source_name or item.source_name,
            title=item.title,
            name=item.name,
        )
        events = extract_document(doc)
    except UnsupportedLanguage as exc:
        return outcome("skipped", _skip_reason(exc))
    except InputError as exc:
        return outcome("failed", exc.reason)
    except Exception as exc:  # an extractor bug: this input fails, the run goes on
        return outcome("failed", f"internal error ({_one_line(exc)})")
    done = outcome("done")
    done.events = events
    done.report = doc.report
    done.text = doc.text if run.keep_text else None
    return done


def _skip_reason(exc: InputError) -> str:
    return exc.reason.removeprefix("skipped: ")


def _process_raw(raw: RawInput | InputFailure, run: RunOptions) -> Outcome:
    if isinstance(raw, InputFailure):
        parsed: InputItem | InputFailure = raw
    else:
        try:
            parsed = parse_raw(raw, run.read)
        except Exception as exc:  # never let one input end the run
            parsed = InputFailure(raw.name, f"internal error ({_one_line(exc)})")
    if isinstance(parsed, InputFailure):
        return Outcome(
            name=parsed.name,
            state="skipped" if parsed.skipped else "failed",
            reason=parsed.reason,
        )
    return process_item(parsed, run)


def _process_chunk(chunk: list[RawInput | InputFailure], run: RunOptions) -> list[Outcome]:
    return [_process_raw(raw, run) for raw in chunk]


def _chunks(items: Iterable[RawInput | InputFailure], size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _Dedupe:
    """The first input with a text is done; later ones are duplicates of it."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def __call__(self, outcome: Outcome) -> Outcome:
        h = outcome.text_hash
        if h is None:
            return outcome
        first = self.seen.get(h)
        if first is None:
            self.seen[h] = outcome.name
            return outcome
        return Outcome(
            name=outcome.name,
            state="duplicate",
            reason=f"same text as {first}",
            text_hash=h,
            encoding=outcome.encoding,
            encoding_detected=outcome.encoding_detected,
            duplicate_of=first,
        )


def process_inputs(
    specs: Sequence[str],
    *,
    workers: int | None = None,
    lang: str | None = None,
    published: date | None = None,
    url: str | None = None,
    source_name: str | None = None,
    glob: str | Sequence[str] | None = None,
    fields: FieldMap | None = None,
    fetcher: Fetcher | None = None,
    options: ReadOptions | None = None,
    chunk_size: int = 8,
    keep_text: bool = True,
    mp_context: str | None = None,
) -> Iterator[Outcome]:
    """Read, parse and extract every input of ``specs``; yield one ``Outcome`` per input, in
    input order. ``workers``: processes for parsing and extraction (default: the cores; 1, or
    inputs that fit in one chunk, run in this process). Raises ``SitrepError`` only when the
    run cannot start."""
    if workers is None:
        workers = default_workers()
    if workers < 1:
        raise SitrepError(f"--workers must be at least 1 (got {workers})")
    if chunk_size < 1:
        raise SitrepError(f"chunk size must be at least 1 (got {chunk_size})")
    run = RunOptions(
        lang=lang,
        published=published,
        url=url,
        source_name=source_name,
        read=options or ReadOptions(),
        keep_text=keep_text,
    )
    raws = iter_raw(specs, glob=glob, fields=fields, fetcher=fetcher, options=run.read)
    dedupe = _Dedupe()
    head = list(islice(raws, chunk_size + 1))
    if workers == 1 or len(head) <= chunk_size:
        # one chunk or less (`sitrep extract article.html`): not worth starting workers
        for raw in chain(head, raws):
            yield dedupe(_process_raw(raw, run))
        return
    pooled = _pooled(chain(head, raws), run, workers, chunk_size, mp_context)
    yield from (dedupe(o) for o in pooled)


_WARM_UP = {
    "nl": "Bij een luchtaanval op Aleppo zijn maandag twaalf burgers gedood, meldt de SOHR.",
    "en": "At least twelve civilians were killed in an airstrike on Aleppo on Monday, AFP said.",
}
_WARM_PAGE = "<html><body><article><p>{}</p></article></body></html>"


def _preload() -> None:
    """Build the parsers' and the extractor's lazy tables (lexicons, actor index, gazetteer)
    once, before forking, so that workers share them instead of each paying about a second."""
    try:
        from sitrep.extract import extract_document
        from sitrep.ingest import make_document
        from sitrep.ingest.html import extract_html
        from sitrep.lexicon import available_languages, load_lexicon

        for code in available_languages():
            load_lexicon(code)
            text = _WARM_UP.get(code)
            if text:
                extract_html("warm-up", _WARM_PAGE.format(text))
                extract_document(make_document(text, lang=code, name="warm-up"))
    except Exception:  # a warm-up is an optimisation: workers build what they need anyway
        return


def _new_pool(workers: int, mp_context: str | None) -> ProcessPoolExecutor:
    method = mp_context or ("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    if method == "fork":
        _preload()
    ctx = multiprocessing.get_context(method) if method else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


def _worker_init() -> None:
    """Ctrl-C is for the main process, which shuts the pool down; workers print nothing.

    A worker dies with its parent: forked after the parent opened its database connection,
    an orphan would keep that socket, and the parent's open transaction with it, alive after
    a kill -9, and a re-run would wait on its locks.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        # Without glibc, orphans end when their work does.
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


def _pooled(
    raws: Iterable[RawInput | InputFailure],
    run: RunOptions,
    workers: int,
    chunk_size: int,
    mp_context: str | None,
) -> Iterator[Outcome]:
    """Chunks in flight at most a few per worker (memory stays flat on huge corpora)."""
    state = {"pool": _new_pool(workers, mp_context)}
    pending: deque[tuple[list, Future[list[Outcome]]]] = deque()
    window = workers * 3

    def collect() -> Iterator[Outcome]:
        chunk, fut = pending.popleft()
        try:
            yield from fut.result()
        except BrokenProcessPool:
            rest = [chunk, *(c for c, _ in pending)]
            pending.clear()
            state["pool"] = _recover(state["pool"], workers, mp_context)
            for c in rest:
                for raw in c:
                    out, state["pool"] = _alone(state["pool"], raw, run, workers, mp_context)
                    yield out

    try:
        for chunk in _chunks(raws, chunk_size):
            pending.append((chunk, state["pool"].submit(_process_chunk, chunk, run)))
            while len(pending) >= window or (pending and pending[0][1].done()):
                yield from collect()
        while pending:
            yield from collect()
    finally:
        state["pool"].shutdown(wait=True, cancel_futures=True)


def _recover(
    pool: ProcessPoolExecutor, workers: int, mp_context: str | None
) -> ProcessPoolExecutor:
    pool.shutdown(wait=False, cancel_futures=True)
    return _new_pool(workers, mp_context)


def _alone(
    pool: ProcessPoolExecutor,
    raw: RawInput | InputFailure,
    run: RunOptions,
    workers: int,
    mp_context: str | None,
) -> tuple[Outcome, ProcessPoolExecutor]:
    """After a worker died: one input at a time, so only an input that kills its worker
    fails (with that reason) and the others of its chunk are processed."""
    try:
        return pool.submit(_process_chunk, [raw], run).result()[0], pool
    except BrokenProcessPool:
        failed = Outcome(name=raw.name, state="failed", reason="worker process died on this input")
        return failed, _recover(pool, workers, mp_context)
