"""Main text and metadata of news pages (trafilatura), and plain text of HTML fragments.

Saved pages carry menus, teasers, cookie banners and reader comments around the article; only
the article is a report, and a casualty figure in a "related news" teaser would otherwise be
extracted as if the page reported it. trafilatura works offline on the HTML it is given.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from sitrep.errors import InputError

__all__ = [
    "MIN_ARTICLE_WORDS",
    "HtmlArticle",
    "extract_html",
    "fragment_to_text",
    "looks_like_html",
]

# Fewer words than this after boilerplate removal is a menu, a login form or an index page.
MIN_ARTICLE_WORDS = 5

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    # Their diagnostics go through logging; without a handler Python prints warnings to stderr.
    logging.getLogger(_name).addHandler(logging.NullHandler())

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_WORD = re.compile(r"\w+")
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "header", "footer", "table", "tr", "pre", "figure", "figcaption",
    "dd", "dt", "hr",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """What a page says about itself besides its text: all optional."""

    text: str
    title: str | None = None
    published: date | None = None
    source_name: str | None = None
    url: str | None = None
    lang: str | None = None


def looks_like_html(text: str) -> bool:
    """A document that starts like a web page (for inputs whose type is not declared)."""
    return bool(_HTML_START.match(text[:2048]))


def _paragraphs(text: str) -> str:
    """One block per line from trafilatura; blank lines make the paragraphs explicit."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _as_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_html(
    name: str,
    html: str,
    *,
    url: str | None = None,
    favor_precision: bool = True,
    min_words: int = MIN_ARTICLE_WORDS,
) -> HtmlArticle:
    """The article of a page, or ``InputError('no article text found')``."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=favor_precision,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a parser bug must not end the run: name the input, go on
        raise InputError(name, f"cannot parse HTML ({type(exc).__name__}: {exc})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(_WORD.findall(text)) < min_words:
        raise InputError(name, "no article text found")
    lang = getattr(doc, "language", None)
    return HtmlArticle(
        text=_paragraphs(text),
        title=(doc.title or None),
        published=_as_date(doc.date),
        source_name=(doc.sitename or None),
        url=(doc.url or None),
        lang=lang,
    )


def fragment_to_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed item's content), one paragraph per block."""
    import lxml.html

    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml rejects some fragments outright; keep their text
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: object) -> None:
        tag = getattr(el, "tag", None)
        block = isinstance(tag, str) and tag.lower() in _BLOCK
        if block:
            parts.append("\n\n")
        if isinstance(tag, str) and el.text:  # type: ignore[attr-defined]
            parts.append(el.text)  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n\n")

    walk(root)
    text = "".join(parts)
    blocks = (re.sub(r"[ \t\r\f\v\n]+", " ", b).strip() for b in re.split(r"\n\s*\n", text))
    return "\n\n".join(b for b in blocks if b)
