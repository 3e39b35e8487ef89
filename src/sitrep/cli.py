"""The `sitrep` command line."""

from __future__ import annotations

import sys
from datetime import date

import click

from sitrep.errors import InputError, SitrepError


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _error(message: str) -> None:
    click.echo(f"sitrep: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitrep")
def main() -> None:
    """Extract sourced, evidence-linked conflict events from news text."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--lang",
    default="auto",
    show_default=True,
    help="Language code of a lexicon (nl, en), or 'auto' to identify it.",
)
@click.option(
    "--published",
    callback=_date,
    help="Publication date YYYY-MM-DD: anchors "
    "relative dates; without it they stay unresolved (pages and corpora may carry "
    "their own).",
)
@click.option("--url", help="URL of the report (stored with each event).")
@click.option("--source-name", help="Name of the outlet (stored with each event).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes for parsing and extraction (default: the cores).",
)
@click.option(
    "--glob",
    "globs",
    multiple=True,
    help="Files to take from directories ('*.txt'; '!drafts/*' excludes).",
)
@click.option("--fields", help="Corpus field names, e.g. 'text=body,published=meta.date'.")
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write every failed input as a JSON line (name, state, reason).",
)
@click.option(
    "--max-bytes",
    type=int,
    default=10 * 1024 * 1024,
    show_default=True,
    help="Refuse inputs larger than this.",
)
def extract(
    inputs: tuple[str, ...],
    lang: str,
    published: date | None,
    url: str | None,
    source_name: str | None,
    fmt: str,
    output: str | None,
    workers: int | None,
    globs: tuple[str, ...],
    fields: str | None,
    errors_path: str | None,
    max_bytes: int,
) -> None:
    """Extract events from text files, HTML pages, URLs, feeds, JSONL/CSV corpora,
    directories or gzip files ('-' for standard input).

    Every input ends done, duplicate, skipped (with a reason) or failed (with a reason): a
    line on standard error for each that did not succeed and a summary at the end. The exit
    status is 0 when the run completed, whatever happened to single inputs; 2 when it could
    not run.
    """
    from sitrep.export import write_events
    from sitrep.ingest import Accounting, FieldMap, Progress, ReadOptions, process_inputs
    from sitrep.lexicon import available_languages

    if lang != "auto" and lang not in available_languages():
        raise click.BadParameter(
            f"no lexicon for {lang!r} (available: {', '.join(available_languages())}, auto)",
            param_hint="--lang",
        )
    try:
        field_map = FieldMap.parse(fields) if fields else None
    except (ValueError, SitrepError) as exc:
        raise click.BadParameter(str(exc), param_hint="--fields") from None
    events = []
    try:
        with Accounting(errors_path) as acct:
            progress = Progress(acct)
            outcomes = process_inputs(
                list(inputs),
                workers=workers,
                lang=None if lang == "auto" else lang,
                published=published,
                url=url,
                source_name=source_name,
                glob=list(globs) or None,
                fields=field_map,
                options=ReadOptions(max_bytes=max_bytes),
                keep_text=False,
            )
            for o in outcomes:
                acct.add(o)
                if o.state in ("failed", "skipped"):
                    progress.echo(f"sitrep: {o.line()}")
                events.extend(o.events)
                progress.update()
            progress.close()
    except OSError as exc:
        _error(f"{errors_path}: cannot write: {exc.strerror or exc}")
        sys.exit(2)
    except SitrepError as exc:
        _error(str(exc))
        sys.exit(2)
    if len(inputs) > 1 or acct.total != 1:
        _error(acct.summary())
    try:
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                write_events(events, fmt, out)
        else:
            write_events(events, fmt, sys.stdout)
    except OSError as exc:
        _error(f"{output}: cannot write: {exc.strerror or exc}")
        sys.exit(2)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--min-f1", type=float, default=None, help="Exit 1 when figure F1 is below this.")
@click.option(
    "--min-attr", type=float, default=None, help="Exit 1 when any attribute accuracy is below this."
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write every miss (false positive, false negative, wrong attribute) as JSONL.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_(
    gold: str, min_f1: float | None, min_attr: float | None, errors_path: str | None, as_json: bool
) -> None:
    """Score extraction against a gold JSONL file (shared/gold-format.md)."""
    import json

    from sitrep.evaluate import ATTRIBUTES, evaluate, load_gold, render

    try:
        result = evaluate(load_gold(gold))
    except SitrepError as exc:
        _error(str(exc))
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        render(result, sys.stdout)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as out:
            for e in result.errors:
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
    failed = False
    if min_f1 is not None and result.overall.f1 < min_f1:
        _error(f"F1 {result.overall.f1:.3f} is below --min-f1 {min_f1}")
        failed = True
    if min_attr is not None:
        low = [k for k in ATTRIBUTES if result.overall.accuracy(k) < min_attr]
        if low:
            _error(f"attributes below --min-attr {min_attr}: {', '.join(low)}")
            failed = True
    if failed:
        sys.exit(1)


@main.command()
@click.argument("path")
@click.option("--lang", default="auto", show_default=True, help="Language code, or 'auto'.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.option(
    "--mentions",
    "mentions_path",
    type=click.Path(exists=True, dir_okay=False),
    help='JSONL of {"start": …, "end": …}: resolve only these spans.',
)
@click.option("--max-bytes", type=int, default=10 * 1024 * 1024, show_default=True)
def geoparse(path: str, lang: str, fmt: str, mentions_path: str | None, max_bytes: int) -> None:
    """Find the place names of a text (or '-') and resolve them against the gazetteer.

    One JSON object per mention in jsonl: start, end, text, geonameid, name, lat, lon,
    country, admin1, precision. With --mentions, every given span gets a line, with nulls
    where it cannot be resolved.
    """
    import json

    from sitrep.ingest import normalise_text, read_path
    from sitrep.ingest.langid import identify
    from sitrep.resolve.geo import geoparse as find_and_resolve
    from sitrep.resolve.geo import resolve_mentions

    try:
        text = normalise_text(read_path(path, max_bytes=max_bytes))
    except InputError as exc:
        _error(str(exc))
        sys.exit(1)
    code = identify(text).lang if lang == "auto" else lang
    code = code or "en"
    if mentions_path:
        spans = []
        with open(mentions_path, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    span = json.loads(line)
                    start, end = int(span["start"]), int(span["end"])
                except (ValueError, KeyError, TypeError):
                    _error(f'{mentions_path}:{i}: not a {{"start", "end"}} object')
                    sys.exit(2)
                if not 0 <= start < end <= len(text):
                    _error(f"{mentions_path}:{i}: span {start}-{end} is outside the text")
                    sys.exit(2)
                spans.append({"start": start, "end": end})
        rows = resolve_mentions(text, spans, lang=code)
    else:
        rows = find_and_resolve(text, lang=code)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} place mentions")
    for col in ("at", "text", "name", "country", "admin1", "precision", "lat", "lon", "geonameid"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            f"{r['start']}-{r['end']}",
            r["text"],
            r["name"] or "",
            r["country"] or "",
            r["admin1"] or "",
            str(r["precision"] or ""),
            "" if r["lat"] is None else f"{r['lat']:.3f}",
            "" if r["lon"] is None else f"{r['lon']:.3f}",
            str(r["geonameid"] or ""),
        )
    Console(width=160).print(table)


@main.command()
def languages() -> None:
    """List the languages sitrep has a lexicon for."""
    from sitrep.lexicon import available_languages, load_lexicon

    for lang in available_languages():
        click.echo(f"{lang}\t{load_lexicon(lang).name}")


from sitrep.cli_dataset import register as _register_dataset  # noqa: E402

_register_dataset(main)

from sitrep.serve.cli import register as _register_serve  # noqa: E402

_register_serve(main)

if __name__ == "__main__":  # pragma: no cover
    main()
