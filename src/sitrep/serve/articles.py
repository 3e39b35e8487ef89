"""Articles sent to the API: a text as given, or a page fetched from a URL (public addresses
only, size- and time-capped, robots.txt honoured), turned into events without storing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sitrep.serve.errors import ApiError

if TYPE_CHECKING:
    from sitrep.serve.app import Settings


@dataclass
class Article:
    """A text with what is known of it (from the request, else from the page)."""

    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source_name: str | None = None


def fetch_article(url: str, settings: Settings) -> Article:
    """The main text of the page at ``url`` (HTML via trafilatura, or plain text)."""
    from sitrep.errors import InputError
    from sitrep.ingest import Fetcher
    from sitrep.ingest.encoding import gunzip, is_gzip
    from sitrep.ingest.feeds import looks_like_feed
    from sitrep.ingest.items import InputFailure, Meta, RawInput
    from sitrep.ingest.sources import ReadOptions, parse_raw
    from sitrep.serve.security import UnsafeURL, check_url, guarded_transport

    if not settings.fetch_urls:
        raise ApiError(403, "this server does not fetch URLs: send the text instead")
    try:
        url = check_url(url)
    except UnsafeURL as exc:
        raise ApiError(400, str(exc)) from None
    fetcher = Fetcher(
        timeout=settings.fetch_timeout,
        total_timeout=settings.fetch_timeout * 2,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=3,
        retries=0,
        delay=0.0,
        trust_env=False,  # a proxy from the environment would bypass the address check
        transport=guarded_transport(settings.allow_private_urls),
    )
    try:
        got = fetcher.fetch(url, name=url)
        body = got.body
        if is_gzip(body):
            body = gunzip(url, body, settings.fetch_max_bytes)
    except InputError as exc:
        raise ApiError(422, f"cannot fetch the URL: {exc.reason}") from None
    finally:
        fetcher.close()
    if looks_like_feed(body, got.content_type):
        raise ApiError(422, "the URL is a feed, not an article: send one of its items")
    kind = "html" if got.content_type in ("text/html", "application/xhtml+xml") else "auto"
    raw = RawInput(url, kind, data=body, meta=Meta(url=got.url), declared_charset=got.charset)
    item = parse_raw(raw, ReadOptions(max_bytes=settings.fetch_max_bytes))
    if isinstance(item, InputFailure):
        raise ApiError(422, f"cannot read the page: {item.reason}")
    return Article(item.text, item.url or url, item.title, item.published, item.source_name)


def article_of(body: Any, settings: Settings) -> Article:
    """The article a request names: its ``text`` (with ``url`` saying where it came from), or
    else the page at ``url``, fetched."""
    from sitrep.serve.security import UnsafeURL, check_url

    if body.text is None and body.url is None:
        raise ApiError(400, "send either 'text' (and optionally its 'url') or a 'url' to fetch")
    if body.text is None:
        return fetch_article(body.url, settings)
    if not body.text.strip():
        raise ApiError(422, "the text is empty")
    url = None
    if body.url is not None:
        try:
            url = check_url(body.url)
        except UnsafeURL as exc:
            raise ApiError(400, str(exc)) from None
    return Article(body.text, url=url)


def extract_article(article: Article, lang: str | None, published: date | None) -> dict[str, Any]:
    """Events of an article with the text their offsets point into (nothing is stored)."""
    import sitrep
    from sitrep.errors import InputError
    from sitrep.ingest import normalise_text
    from sitrep.serve.data import text_highlights

    text = normalise_text(article.text)
    try:
        events = sitrep.extract(
            text,
            lang=None if lang in (None, "auto") else lang,
            published=published or article.published,
            url=article.url,
            source_name=article.source_name,
        )
    except InputError as exc:
        raise ApiError(422, exc.reason) from None
    records = [ev.model_dump(mode="json") for ev in events]
    when = published or article.published
    return {
        "text": text,
        "lang": events[0].report.lang if events else _lang_of(text, lang),
        "url": article.url,
        "title": article.title,
        "published": when.isoformat() if when else None,
        "events": records,
        "highlights": text_highlights(records, text),
    }


def _lang_of(text: str, lang: str | None) -> str | None:
    if lang not in (None, "auto"):
        return lang
    from sitrep.ingest.langid import identify

    return identify(text).lang
