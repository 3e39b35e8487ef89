"""RSS and Atom feeds (feedparser): one entry per news item, with its link, date and content.

Feeds are how most outlets publish; an item is either a teaser (its link is fetched) or the
full article (its content is used as it is). feedparser only ever parses bytes sitrep read
itself: it must never fetch anything on its own.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from sitrep.errors import InputError
from sitrep.ingest.html import fragment_to_text

__all__ = ["FEED_TYPES", "FeedEntry", "looks_like_feed", "parse_feed"]

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: ``text`` is the plain text of its content (may be a teaser)."""

    index: int
    link: str | None
    title: str | None
    published: date | None
    text: str
    source_name: str | None
    lang: str | None


def looks_like_feed(raw: bytes, content_type: str = "") -> bool:
    """A feed by its declared type, or by its first element for XML served as anything."""
    if content_type in FEED_TYPES:
        return True
    return bool(_FEED_START.match(raw[:4096]))


def _date(parsed: object) -> date | None:
    try:
        return date(parsed[0], parsed[1], parsed[2])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None


def parse_feed(name: str, raw: bytes, *, url: str | None = None) -> list[FeedEntry]:
    """Entries of a feed, or ``InputError`` when it is not one or is broken beyond use."""
    import feedparser

    headers = {"content-location": url} if url else {}
    try:
        parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers)
    except Exception as exc:  # feedparser is lenient; a crash is still one input's problem
        raise InputError(name, f"cannot parse feed ({type(exc).__name__}: {exc})") from None
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            why = parsed.get("bozo_exception")
            raise InputError(name, f"malformed feed ({_one_line(why)})")
        if parsed.get("version"):
            raise InputError(name, "empty feed: no items")
        raise InputError(name, "not an RSS or Atom feed")
    feed = parsed.get("feed", {})
    source = feed.get("title") or None
    lang = feed.get("language") or None
    out = []
    for i, e in enumerate(entries, 1):
        content = ""
        for c in e.get("content") or []:
            value = c.get("value") or ""
            if len(value) > len(content):
                content = value
        summary = e.get("summary") or ""
        html = content if len(content) >= len(summary) else summary
        published = _date(e.get("published_parsed") or e.get("updated_parsed"))
        out.append(
            FeedEntry(
                index=i,
                link=e.get("link") or None,
                title=e.get("title") or None,
                published=published,
                text=fragment_to_text(html) if html else "",
                source_name=source,
                lang=lang,
            )
        )
    return out


def _one_line(exc: object) -> str:
    text = str(exc).strip().splitlines() if exc else []
    return text[0] if text else type(exc).__name__
