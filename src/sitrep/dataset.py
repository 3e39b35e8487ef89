"""The Python API of the dataset: ``sitrep.dataset.Dataset(url)``.

    ds = Dataset("sitrep.db")                  # or "postgresql://user@host/db"
    ds.ingest(["reports/"], workers=2)         # extract, store, merge
    ds.events(country="Syria", since="2018-06-01", min_killed=10)   # incident records
    ds.dataframe(country="SY")                 # the same as a pandas DataFrame
    ds.incident("577fde19dfd5e1cf")            # one incident with every source and quote
    ds.runs()                                  # past runs and what became of their inputs

Filters are those of ``sitrep events`` (``sitrep.store.query.Filters``); dates may be given as
``date`` or ``YYYY-MM-DD``. The database opens on first use: reading a database that does not
exist is an error, writing creates it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.store import Store

if TYPE_CHECKING:
    import pandas as pd

    from sitrep.merge import MergeResult
    from sitrep.store.ingest import IngestSummary, Outcome
    from sitrep.store.query import Change, Filters, StatRow
    from sitrep.store.runs import InputRow, RunInfo

__all__ = ["Dataset"]


def _filters(kwargs: dict[str, Any]) -> Filters:
    from sitrep.store.query import Filters

    for key in ("since", "until"):
        if isinstance(kwargs.get(key), str):
            kwargs[key] = date.fromisoformat(kwargs[key])
    return Filters.of(**kwargs)


class Dataset:
    """Incidents merged from stored reports, in SQLite (a path) or PostgreSQL (a URL)."""

    def __init__(self, url: str | Path | None = None) -> None:
        self.url = url
        self._store: Store | None = None
        self._writable = False

    def store(self, *, write: bool = False) -> Store:
        """The open store (created, with its schema, on the first write)."""
        if self._store is None or (write and not self._writable):
            if self._store is not None:
                self._store.close()
            self._store = Store(self.url, create=write)
            self._writable = write
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        published: date | str | None = None,
        url: str | None = None,
        source_name: str | None = None,
        lang: str | None = None,
        workers: int | None = 1,
        merge: bool = True,
        store_text: bool = True,
    ) -> IngestSummary:
        """Read, extract and store every input (files, directories, URLs, feeds, corpora),
        then merge. ``published``, ``url``, ``source_name``, ``lang`` override the inputs'."""
        from sitrep.store.ingest import ingest

        summary = ingest(
            self.store(write=True),
            [str(p) for p in paths],
            workers=workers,
            lang=lang,
            published=date.fromisoformat(published) if isinstance(published, str) else published,
            url=url,
            source_name=source_name,
            store_text=store_text,
            keep_outcomes=True,
        )
        if merge:
            self.merge()
        return summary

    def add_text(
        self,
        text: str,
        *,
        published: date | str | None = None,
        url: str | None = None,
        source_name: str | None = None,
        title: str | None = None,
        lang: str | None = None,
        name: str = "<text>",
        merge: bool = True,
    ) -> Outcome:
        """Extract and store one text (and merge, unless ``merge`` is false)."""
        from sitrep.store.ingest import (
            Outcome,
            known_text,
            prepare_text,
            store_prepared,
        )

        store = self.store(write=True)
        known = known_text(store, text)
        if known is not None:
            return Outcome(name, "duplicate", known, detail="already stored")
        prepared = prepare_text(
            text,
            name=name,
            lang=lang,
            published=date.fromisoformat(published) if isinstance(published, str) else published,
            url=url,
            source_name=source_name,
            title=title,
        )
        if isinstance(prepared, Outcome):
            return prepared
        outcome = store_prepared(store, prepared)
        if merge and outcome.status == "done":
            self.merge()
        return outcome

    def merge(self, *, rebuild: bool = False) -> MergeResult:
        from sitrep.merge import merge

        return merge(self.store(write=True), rebuild=rebuild)

    # --- reading ---------------------------------------------------------------------------

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Incident records matching the filters (``sitrep events``), newest first."""
        from sitrep.store.query import incidents

        return list(incidents(self.store(), _filters(filters)))

    def count(self, **filters: Any) -> int:
        from sitrep.store.query import count

        return count(self.store(), _filters(filters))

    def dataframe(self, **filters: Any) -> pd.DataFrame:
        """One row per incident (the flat CSV columns; dates as datetimes) for pandas."""
        import pandas as pd

        from sitrep.export.incidents import CSV_COLUMNS, flat_row
        from sitrep.store.query import incidents

        rows = [flat_row(r) for r in incidents(self.store(), _filters(filters))]
        df = pd.DataFrame(rows, columns=CSV_COLUMNS)
        for col in ("date_start", "date_end", "first_published", "last_published"):
            df[col] = pd.to_datetime(df[col])
        df["updated_at"] = pd.to_datetime(df["updated_at"], utc=True)
        return df

    def incident(self, ident: str) -> dict[str, Any]:
        """One incident with every source and each mention's full record (quotes, offsets)."""
        from sitrep.store.query import incident

        return incident(self.store(), ident)

    def stats(
        self, *, by: str = "month", group: str = "none", figure: str = "best", **filters: Any
    ) -> list[StatRow]:
        from sitrep.store.query import stats

        return stats(self.store(), _filters(filters), by=by, group=group, figure=figure)

    def changes(self, since: datetime | date | str, *, retired_only: bool = False) -> list[Change]:
        """Incidents created, updated or retired at or after ``since`` (UTC)."""
        from sitrep.store.engine import as_utc
        from sitrep.store.query import changes_since

        if isinstance(since, str):
            since = datetime.fromisoformat(since)
        if not isinstance(since, datetime):
            since = datetime(since.year, since.month, since.day)
        moment = as_utc(since)
        assert moment is not None
        return changes_since(self.store(), moment, retired_only=retired_only)

    def runs(self, *, limit: int | None = 50, command: str | None = None) -> list[RunInfo]:
        """Past ``ingest`` and ``watch`` runs with their counts, newest first."""
        from sitrep.store.runs import list_runs

        return list_runs(self.store(), limit=limit, command=command)

    def run_inputs(self, run_id: str, states: Sequence[str] | None = None) -> list[InputRow]:
        """What became of each input of a run (a unique id prefix is enough)."""
        from sitrep.store.runs import find_run, run_inputs

        store = self.store()
        return run_inputs(store, find_run(store, run_id).id, states)

    def export(self, path: str | Path, fmt: str, **filters: Any) -> int:
        """Write the matching incidents to ``path`` in ``fmt``; returns how many."""
        from sitrep.export.incidents import BINARY_FORMATS, write_incidents
        from sitrep.store.query import incidents

        recs = incidents(self.store(), _filters(filters))
        if fmt in BINARY_FORMATS:
            with open(path, "wb") as out:
                return write_incidents(recs, fmt, out)
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write_incidents(recs, fmt, out)
