"""Every kind of input a user holds, as one stream of documents or failures.

Specs are file paths, directories (walked recursively, filtered by glob patterns), shell-style
patterns, ``http(s)://`` URLs (pages or feeds), and ``-`` for standard input. Files are text,
HTML, RSS/Atom feeds or JSONL/CSV corpora by their extension (after an optional ``.gz``); gzip
is recognised by its magic bytes. ``iter_raw`` does the I/O (reading, fetching, streaming
corpora, expanding feeds) in the calling process; ``parse_raw`` turns one ``RawInput`` into an
``InputItem`` and is what worker processes run. ``iter_inputs`` chains the two.
"""

from __future__ import annotations

import fnmatch
import glob as globlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.errors import InputError
from sitrep.ingest import MAX_BYTES, normalise_text
from sitrep.ingest.corpora import FieldMap, iter_csv, iter_jsonl, os_reason
from sitrep.ingest.encoding import decode, gunzip, html_declared_charset, is_gzip, too_large
from sitrep.ingest.feeds import looks_like_feed, parse_feed
from sitrep.ingest.fetch import InputSkipped, is_url
from sitrep.ingest.html import MIN_ARTICLE_WORDS, extract_html, looks_like_html
from sitrep.ingest.items import InputFailure, InputItem, Meta, RawInput

if TYPE_CHECKING:
    from sitrep.ingest.feeds import FeedEntry
    from sitrep.ingest.fetch import Fetcher

__all__ = [
    "DEFAULT_PATTERNS",
    "ReadOptions",
    "iter_inputs",
    "iter_raw",
    "kind_of",
    "parse_raw",
]

STDIN_NAME = "<stdin>"

_KINDS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
# What a directory walk picks up without --glob: every extension above, plain or gzip'd.
DEFAULT_PATTERNS = tuple(f"*{ext}{gz}" for ext in _KINDS for gz in ("", ".gz"))
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read: the size cap, what counts as an article, when a feed item's
    own content is the full text (else its link is fetched)."""

    max_bytes: int = MAX_BYTES
    min_article_words: int = MIN_ARTICLE_WORDS
    feed_full_text_words: int = 150
    favor_precision: bool = True


def kind_of(path: str | Path) -> str:
    """``text``, ``html``, ``jsonl``, ``csv``, ``feed`` by extension; ``auto`` to sniff."""
    name = str(path).lower().removesuffix(".gz")
    return _KINDS.get(os.path.splitext(name)[1], "auto")


def _matches(rel: str, base: str, patterns: Sequence[str]) -> bool:
    include = [p for p in patterns if not p.startswith("!")]
    exclude = [p[1:] for p in patterns if p.startswith("!")]
    if any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(base, p) for p in exclude):
        return False
    if not include:
        include = list(DEFAULT_PATTERNS)
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(base, p) for p in include)


def _walk(root: Path, patterns: Sequence[str]) -> Iterator[Path | InputFailure]:
    """Files under ``root`` in a stable order; hidden files and folders are left out."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        while errors:
            exc = errors.pop(0)
            yield InputFailure(str(exc.filename or dirpath), os_reason(exc))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.startswith("."):
                continue
            p = Path(dirpath) / fn
            if _matches(p.relative_to(root).as_posix(), fn, patterns):
                yield p
    for exc in errors:
        yield InputFailure(str(exc.filename or root), os_reason(exc))


def _read_capped(name: str, path: str, max_bytes: int) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(name, too_large(size, max_bytes))
        with open(path, "rb") as f:
            return f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(name, os_reason(exc)) from None


def iter_raw(
    specs: Sequence[str],
    *,
    glob: str | Sequence[str] | None = None,
    fields: FieldMap | None = None,
    fetcher: Fetcher | None = None,
    options: ReadOptions | None = None,
) -> Iterator[RawInput | InputFailure]:
    """Expand specs into inputs, doing all I/O here (files are left for workers to read).

    Without a ``fetcher``, one with the default policy is made on the first URL and closed at
    the end."""
    reader = _Reader(glob, fields or FieldMap(), fetcher, options or ReadOptions())
    try:
        for spec in specs:
            if spec == "-":
                yield from reader.stdin()
            elif is_url(spec):
                yield from reader.url(spec, spec, Meta(), allow_feed=True)
            else:
                yield from reader.path_spec(spec)
    finally:
        if fetcher is None and reader.fetcher is not None:
            reader.fetcher.close()


class _Reader:
    """The I/O side of one run: files, corpora, standard input, URLs and feeds."""

    def __init__(
        self,
        glob: str | Sequence[str] | None,
        fields: FieldMap,
        fetcher: Fetcher | None,
        options: ReadOptions,
    ) -> None:
        self.patterns = [glob] if isinstance(glob, str) else list(glob or ())
        self.fields = fields
        self.fetcher = fetcher
        self.o = options

    def get_fetcher(self) -> Fetcher:
        if self.fetcher is None:
            from sitrep.ingest.fetch import Fetcher

            self.fetcher = Fetcher(max_bytes=self.o.max_bytes)
        return self.fetcher

    def path_spec(self, spec: str) -> Iterator[RawInput | InputFailure]:
        path = Path(spec)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:
            yield InputFailure(spec, os_reason(exc))
            return
        if is_dir:
            for p in _walk(path, self.patterns):
                if isinstance(p, InputFailure):
                    yield p
                else:
                    yield from self.file(str(p))
        elif exists:
            yield from self.file(spec)
        elif globlib.has_magic(spec):
            files = [f for f in sorted(globlib.glob(spec, recursive=True)) if os.path.isfile(f)]
            if not files:
                yield InputFailure(spec, "no file matches this pattern")
            for f in files:
                yield from self.file(f)
        else:
            yield InputFailure(spec, "no such file")

    def file(self, path: str) -> Iterator[RawInput | InputFailure]:
        o = self.o
        kind = kind_of(path)
        if kind == "jsonl":
            yield from iter_jsonl(path, self.fields, max_bytes=o.max_bytes)
        elif kind == "csv":
            yield from iter_csv(path, self.fields, max_bytes=o.max_bytes)
        elif kind in ("feed", "auto"):
            # read here: a feed becomes many inputs, which only this process can hand out
            try:
                raw = _read_capped(path, path, o.max_bytes)
                if is_gzip(raw):
                    raw = gunzip(path, raw, o.max_bytes)
            except InputError as exc:
                yield InputFailure(path, exc.reason)
                return
            if kind == "feed" or looks_like_feed(raw):
                yield from self.feed(path, raw, None)
            else:
                yield RawInput(path, "auto", data=raw)
        else:
            yield RawInput(path, "html" if kind == "html" else "text", path=path)

    def stdin(self) -> Iterator[RawInput | InputFailure]:
        o = self.o
        try:
            raw = sys.stdin.buffer.read(o.max_bytes + 1)
            if len(raw) > o.max_bytes:
                raise InputError(STDIN_NAME, too_large(len(raw), o.max_bytes))
            if is_gzip(raw):
                raw = gunzip(STDIN_NAME, raw, o.max_bytes)
        except InputError as exc:
            yield InputFailure(STDIN_NAME, exc.reason)
            return
        except (OSError, ValueError, AttributeError) as exc:
            yield InputFailure(STDIN_NAME, f"cannot read standard input ({exc})")
            return
        if looks_like_feed(raw):
            yield from self.feed(STDIN_NAME, raw, None)
        else:
            yield RawInput(STDIN_NAME, "auto", data=raw)

    def url(
        self, url: str, name: str, meta: Meta, *, allow_feed: bool
    ) -> Iterator[RawInput | InputFailure]:
        try:
            got = self.get_fetcher().fetch(url, name=name)
            body = got.body
            if is_gzip(body):
                body = gunzip(name, body, self.o.max_bytes)
        except InputSkipped as exc:
            yield InputFailure(name, exc.reason, skipped=True)
            return
        except InputError as exc:
            yield InputFailure(name, exc.reason)
            return
        if looks_like_feed(body, got.content_type):
            if allow_feed:
                yield from self.feed(name, body, got.url)
            else:
                yield InputFailure(name, "a feed where an article was expected")
            return
        yield RawInput(
            name,
            "html" if got.content_type in _HTML_TYPES else "auto",
            data=body,
            meta=Meta(url=got.url).fill(meta),
            declared_charset=got.charset,
        )

    def feed(self, name: str, raw: bytes, url: str | None) -> Iterator[RawInput | InputFailure]:
        """One input per item (see ``feed_item``)."""
        try:
            entries = parse_feed(name, raw, url=url)
        except InputError as exc:
            yield InputFailure(name, exc.reason)
            return
        for e in entries:
            yield feed_item(e.link or f"{name}#{e.index}", e, self.get_fetcher, self.o)


def feed_item(
    name: str, entry: FeedEntry, get_fetcher: Callable[[], Fetcher], options: ReadOptions
) -> RawInput | InputFailure:
    """One feed item as the reading pipeline takes it: its own content when that is the full
    text (``options.feed_full_text_words``), else the page it links to (never another feed)."""
    meta = Meta(
        url=entry.link, title=entry.title, published=entry.published, source_name=entry.source_name
    )
    full = len(entry.text.split()) >= options.feed_full_text_words
    if not full and entry.link and is_url(entry.link):
        try:
            got = get_fetcher().fetch(entry.link, name=name)
            body = got.body
            if is_gzip(body):
                body = gunzip(name, body, options.max_bytes)
        except InputSkipped as exc:
            return InputFailure(name, exc.reason, skipped=True)
        except InputError as exc:
            return InputFailure(name, exc.reason)
        if looks_like_feed(body, got.content_type):
            return InputFailure(name, "a feed where an article was expected")
        return RawInput(
            name,
            "html" if got.content_type in _HTML_TYPES else "auto",
            data=body,
            meta=Meta(url=got.url).fill(meta),
            declared_charset=got.charset,
        )
    if entry.text.strip():
        return RawInput(name, "text", data=entry.text, meta=meta)
    return InputFailure(name, "feed item has neither text nor a link to fetch")


def parse_raw(raw: RawInput, options: ReadOptions | None = None) -> InputItem | InputFailure:
    """Decode and parse one input (in a worker): never raises for bad input."""
    o = options or ReadOptions()
    try:
        return _parse(raw, o)
    except InputSkipped as exc:
        return InputFailure(raw.name, exc.reason, skipped=True)
    except InputError as exc:
        return InputFailure(raw.name, exc.reason)


def _parse(raw: RawInput, o: ReadOptions) -> InputItem:
    encoding: str | None = None
    detected = False
    if isinstance(raw.data, str):
        text, encoding, detected = raw.data, raw.encoding, raw.encoding_detected
    else:
        data = raw.data
        if data is None:
            data = _read_capped(raw.name, raw.path or "", o.max_bytes)
        if is_gzip(data):
            data = gunzip(raw.name, data, o.max_bytes)
        declared = raw.declared_charset
        if declared is None and raw.kind in ("html", "auto"):
            declared = html_declared_charset(data)
        dec = decode(raw.name, data, max_bytes=o.max_bytes, declared=declared)
        text, encoding, detected = dec.text, dec.encoding, dec.detected
    kind = raw.kind
    if kind == "auto":
        kind = "html" if looks_like_html(text) else "text"
    meta = raw.meta
    if kind == "html":
        art = extract_html(
            raw.name,
            text,
            url=meta.url,
            favor_precision=o.favor_precision,
            min_words=o.min_article_words,
        )
        text = art.text
        # The page's own site name beats a feed's title ("BBC News - World"); for the rest,
        # what the input declared (a feed item's date and headline) beats what was guessed.
        meta = (
            Meta(source_name=art.source_name)
            .fill(meta)
            .fill(
                Meta(
                    url=art.url,
                    title=art.title,
                    published=art.published,
                    source_name=art.source_name,
                )
            )
        )
    text = normalise_text(text)
    if not text.strip():
        raise InputError(raw.name, "empty: no text to read")
    return InputItem(
        name=raw.name,
        text=text,
        url=meta.url,
        title=meta.title,
        published=meta.published,
        source_name=meta.source_name,
        lang=meta.lang,
        encoding=encoding,
        encoding_detected=detected,
    )


def iter_inputs(
    specs: Sequence[str],
    *,
    glob: str | Sequence[str] | None = None,
    fields: FieldMap | None = None,
    fetcher: Fetcher | None = None,
    options: ReadOptions | None = None,
) -> Iterator[InputItem | InputFailure]:
    """Every input of ``specs`` as a decoded document or a failure with a one-line reason,
    in order, in this process (``process_inputs`` runs the parsing in workers)."""
    o = options or ReadOptions()
    for raw in iter_raw(specs, glob=glob, fields=fields, fetcher=fetcher, options=o):
        yield raw if isinstance(raw, InputFailure) else parse_raw(raw, o)
