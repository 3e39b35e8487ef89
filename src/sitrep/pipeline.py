"""The public entry points: text in, events out."""

from __future__ import annotations

from datetime import date

from sitrep.extract import extract_document
from sitrep.ingest import make_document
from sitrep.model import Event


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def extract(
    text: str,
    lang: str | None = None,
    published: date | str | None = None,
    *,
    url: str | None = None,
    source_name: str | None = None,
    name: str = "<text>",
) -> list[Event]:
    """Extract the conflict events of one news text.

    ``lang`` is a lexicon's language code or None to identify it; ``published`` anchors
    relative dates ("donderdag", "yesterday"): without it they stay unresolved.
    Raises ``InputError`` (or ``UnsupportedLanguage``) for text that cannot be processed.
    """
    doc = make_document(
        text, lang=lang, published=_as_date(published), url=url, source_name=source_name, name=name
    )
    return extract_document(doc)
