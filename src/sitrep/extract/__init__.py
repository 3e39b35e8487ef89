"""Extraction: from a segmented ``Document`` to ``Event`` records with evidence."""

from __future__ import annotations

import sys
import types
from typing import Any

from sitrep.extract.events import build_events
from sitrep.extract.figures import bind_figures
from sitrep.extract.scan import scan_document
from sitrep.model import Document, Event

__all__ = ["extract_document"]


def extract_document(doc: Document) -> list[Event]:
    """Events of one document; an empty list when it reports no figure."""
    scan = scan_document(doc)
    if scan is None:
        return []
    drafts = bind_figures(scan)
    if not drafts:
        return []
    return build_events(scan, drafts)


class _CallablePackage(types.ModuleType):
    """``sitrep.extract`` is both the pipeline stage (this package) and the public call
    ``sitrep.extract(text, lang=None, published=None)``: importing a subpackage binds its
    name on the parent, so the package itself answers the call."""

    def __call__(
        self, text: str, lang: str | None = None, published: Any = None, **kwargs: Any
    ) -> list[Event]:
        from sitrep.pipeline import extract

        return extract(text, lang, published, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
