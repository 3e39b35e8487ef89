"""Turn inputs (files, stdin, strings) into ``Document`` records.

Reading the real world (HTML pages, URLs, feeds, corpora, directories, gzip, any encoding) is
in the submodules; their public names are importable from here and load on first use, so that
``sitrep extract`` on a text file does not pay for httpx, trafilatura or feedparser.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from sitrep.errors import InputError, UnsupportedLanguage
from sitrep.ingest.langid import identify
from sitrep.ingest.segment import segment
from sitrep.lexicon import available_languages, load_lexicon
from sitrep.model import Document, Report

__all__ = ["MAX_BYTES", "decode_bytes", "make_document", "normalise_text", "read_path"]

# Public names of the submodules, resolved lazily by ``__getattr__``.
_LAZY = {
    "Accounting": "sitrep.ingest.accounting",
    "Outcome": "sitrep.ingest.accounting",
    "Progress": "sitrep.ingest.accounting",
    "STATES": "sitrep.ingest.accounting",
    "FieldMap": "sitrep.ingest.corpora",
    "Decoded": "sitrep.ingest.encoding",
    "decode": "sitrep.ingest.encoding",
    "Fetcher": "sitrep.ingest.fetch",
    "InputSkipped": "sitrep.ingest.fetch",
    "USER_AGENT": "sitrep.ingest.fetch",
    "InputFailure": "sitrep.ingest.items",
    "InputItem": "sitrep.ingest.items",
    "RunOptions": "sitrep.ingest.process",
    "default_workers": "sitrep.ingest.process",
    "process_inputs": "sitrep.ingest.process",
    "ReadOptions": "sitrep.ingest.sources",
    "iter_inputs": "sitrep.ingest.sources",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


MAX_BYTES = 10 * 1024 * 1024


def decode_bytes(name: str, raw: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Bytes of a text file to ``str``, or an ``InputError`` that says why not."""
    if len(raw) > max_bytes:
        raise InputError(
            name,
            f"too large ({len(raw) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB limit; "
            "raise it with --max-bytes)",
        )
    head = raw[:8192]
    if b"\x00" in head or (head and sum(b < 9 or 13 < b < 32 for b in head) / len(head) > 0.05):
        raise InputError(name, "binary data, not text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            name, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        raise InputError(name, "empty: no text to read")
    return text


def read_path(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file ('-' for standard input)."""
    import sys

    name = str(path)
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(name, "is a directory")
            size = p.stat().st_size
            if size > max_bytes:
                raise InputError(
                    name,
                    f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB limit; "
                    "raise it with --max-bytes)",
                )
            raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return decode_bytes(name, raw, max_bytes)


def normalise_text(text: str) -> str:
    """NFC and '\\n' line ends: offsets of every extracted value point into this text."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def make_document(
    text: str,
    *,
    lang: str | None = None,
    published: date | None = None,
    url: str | None = None,
    source_name: str | None = None,
    title: str | None = None,
    name: str = "<text>",
) -> Document:
    """Normalise, identify the language (unless given) and segment a text."""
    text = normalise_text(text)
    if not text.strip():
        raise InputError(name, "empty: no text to read")
    if lang in (None, "auto"):
        guess = identify(text)
        if not guess.supported:
            raise UnsupportedLanguage(name, guess.lang, available_languages())
        lang = guess.lang
    assert lang is not None
    if lang not in available_languages():
        raise UnsupportedLanguage(name, lang, available_languages())
    lexicon = load_lexicon(lang)
    report = Report(
        id=Report.hash_text(text),
        lang=lang,
        published=published,
        url=url,
        source_name=source_name,
        title=title,
    )
    paragraphs, sentences = segment(text, lexicon)
    return Document(text=text, report=report, sentences=sentences, paragraphs=paragraphs, name=name)
