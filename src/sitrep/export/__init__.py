"""Write events in the formats analysts read: a table, JSON lines, JSON, CSV."""

from sitrep.export.records import FORMATS, figure_rows, write_events

__all__ = ["FORMATS", "figure_rows", "write_events"]
