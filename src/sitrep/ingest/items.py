"""The records inputs travel in: what was read (``RawInput``, cheap to send to a worker), what it
became (``InputItem``: decoded text plus metadata), or why not (``InputFailure``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

__all__ = ["InputFailure", "InputItem", "Meta", "RawInput", "RawKind", "parse_date", "parse_lang"]

RawKind = Literal["text", "html", "auto"]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANG = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")


@dataclass(frozen=True, slots=True)
class Meta:
    """What an input says about itself (all optional; a page's own metadata fills gaps)."""

    url: str | None = None
    title: str | None = None
    published: date | None = None
    source_name: str | None = None
    lang: str | None = None

    def fill(self, other: Meta) -> Meta:
        """This metadata with its gaps filled from ``other``."""
        return Meta(
            url=self.url or other.url,
            title=self.title or other.title,
            published=self.published or other.published,
            source_name=self.source_name or other.source_name,
            lang=self.lang or other.lang,
        )


@dataclass(slots=True)
class RawInput:
    """An input as read by the main process: bytes of a file or response, the path of a file
    for the worker to read, or the text of a corpus record. ``kind`` says how to parse it."""

    name: str
    kind: RawKind
    data: bytes | str | None = None
    path: str | None = None
    meta: Meta = field(default_factory=Meta)
    declared_charset: str | None = None
    encoding: str | None = None  # of ``data`` when it is text decoded by the reader
    encoding_detected: bool = False


@dataclass(slots=True)
class InputItem:
    """One document ready for ``make_document``: text decoded (NFC), metadata as found.

    ``lang`` is a declared language (a corpus field): used when the run identifies languages.
    ``encoding`` is what the bytes were read as; ``encoding_detected`` when it was guessed.
    """

    name: str
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source_name: str | None = None
    lang: str | None = None
    encoding: str | None = None
    encoding_detected: bool = False


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that gave no document; ``skipped`` when that was on purpose (robots.txt)."""

    name: str
    reason: str
    skipped: bool = False

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def parse_date(value: object) -> date | None:
    """A publication date from what corpora hold: ISO dates and times, RFC 2822, epoch
    seconds. Anything else is no date (relative dates then stay unresolved), not an error."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 < value < 4e9:
            return datetime.fromtimestamp(value).date()
        return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = _ISO_DAY.match(s)
    if m:
        try:
            return date.fromisoformat(m.group())
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        return None


def parse_lang(value: object) -> str | None:
    """``"nl-NL"``, ``"NL"``, ``"en_GB"`` → ``"nl"``, ``"nl"``, ``"en"``."""
    if not isinstance(value, str):
        return None
    m = _LANG.match(value.strip())
    return m.group().lower() if m else None
