"""Extraction: from a segmented ``Document`` to ``Event`` records with evidence."""

from __future__ import annotations

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
