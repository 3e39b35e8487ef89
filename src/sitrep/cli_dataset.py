"""The dataset commands of ``sitrep``: ingest, watch, runs, merge, events, show, stats, export,
changes, db.

Every command takes ``--db`` (a SQLite file, default ``./sitrep.db`` or $SITREP_DB, or a
``postgresql://`` URL). Errors are one line on standard error, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_DB_HELP = "Database: a SQLite file (default ./sitrep.db, or $SITREP_DB) or postgresql://…"


def _err(message: str) -> None:
    click.echo(f"sitrep: {message}", err=True)


def _guard(fn: F) -> F:
    """Turn sitrep and database errors into one line and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sitrep.errors import SitrepError

        try:
            return fn(*args, **kwargs)
        except SitrepError as exc:
            _err(str(exc))
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _err("interrupted")
            sys.exit(130)
        except BrokenPipeError:  # `sitrep events | head`: the reader has what it wanted
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # database driver errors and the like
            from sitrep.store import _one_line

            _err(f"{type(exc).__name__}: {_one_line(exc)}")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+00:00])"
        ) from None


def _bbox(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = [float(x) for x in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or parts[0] > parts[2] or parts[1] > parts[3]:
        raise click.BadParameter("give MIN_LON,MIN_LAT,MAX_LON,MAX_LAT (e.g. 35.5,32,37,33.5)")
    return (parts[0], parts[1], parts[2], parts[3])


def db_option(fn: F) -> F:
    return click.option("--db", "db", envvar="SITREP_DB", help=_DB_HELP)(fn)


def filter_options(fn: F) -> F:
    """The filters of ``events``, ``export`` and ``stats``."""
    options = [
        click.option("--country", help="ISO code or name; several separated by commas."),
        click.option("--admin1", help="First-level admin area (province), as geocoded."),
        click.option("--since", callback=_date, help="Incidents on or after YYYY-MM-DD."),
        click.option("--until", callback=_date, help="Incidents on or before YYYY-MM-DD."),
        click.option(
            "--type",
            "type_",
            help="Event (airstrike…), ACLED event type or sub-event type.",
        ),
        click.option("--actor", help="Perpetrator or target contains this."),
        click.option("--min-killed", type=int, help="Best killed figure at least this."),
        click.option("--source", help="An outlet of any report contains this."),
        click.option("--bbox", callback=_bbox, help="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT."),
        click.option("--search", help="Text in the place, actors or quoted sentences."),
        click.option(
            "--grade",
            type=click.Choice(["single_source", "multiple_sources", "conceded", "contested"]),
        ),
        click.option("--min-sources", type=int, help="At least this many independent sources."),
        click.option(
            "--running-totals/--no-running-totals",
            default=False,
            show_default=True,
            help="Include running totals ('90 killed this week') as rows of their own.",
        ),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _filters(kw: dict[str, Any], limit: int | None = None) -> Any:
    from sitrep.store.query import Filters

    return Filters(
        country=kw.get("country"),
        admin1=kw.get("admin1"),
        since=kw.get("since"),
        until=kw.get("until"),
        type=kw.get("type_"),
        actor=kw.get("actor"),
        min_killed=kw.get("min_killed"),
        source=kw.get("source"),
        bbox=kw.get("bbox"),
        search=kw.get("search"),
        grade=kw.get("grade"),
        min_sources=kw.get("min_sources"),
        running_totals=bool(kw.get("running_totals")),
        limit=limit,
    )


def _write(records: Any, fmt: str, output: str | None) -> int:
    from sitrep.export.incidents import BINARY_FORMATS, write_incidents

    if fmt in BINARY_FORMATS:
        if not output:
            raise click.UsageError(f"--format {fmt} writes a binary file: give --output FILE")
        with open(output, "wb") as out:
            return write_incidents(records, fmt, out)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as out:
            return write_incidents(records, fmt, out)
    return write_incidents(records, fmt, sys.stdout)


def _open(db: str | None, *, create: bool = False) -> Any:
    from sitrep.store import Store

    return Store(db, create=create)


# --- commands ---------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    from sitrep.lexicon import available_languages

    if lang != "auto" and lang not in available_languages():
        raise click.BadParameter(
            f"no lexicon for {lang!r} (available: {', '.join(available_languages())}, auto)",
            param_hint="--lang",
        )


def _accounting(errors_path: str | None) -> Any:
    from sitrep.ingest import Accounting

    try:
        return Accounting(errors_path)
    except OSError as exc:
        _err(f"{errors_path}: cannot write: {exc.strerror or exc}")
        sys.exit(2)


def _reporter(quiet: bool, acct: Any, progress: Any) -> Callable[[Any], None]:
    """Each input's line (stdout; with ``-q`` only failures and skips, on stderr), counted
    for the summary, the ``--errors`` file and the progress display."""

    def report(o: Any) -> None:
        acct.add(o.as_read(), events=o.n_events)
        if o.status in ("failed", "skipped"):
            progress.echo(o.line(), file=sys.stderr if quiet else sys.stdout)
        elif not quiet:
            progress.echo(o.line(), file=sys.stdout)
        progress.update()

    return report


_SIGNAL_EXIT = {"SIGINT": 130, "SIGTERM": 143}


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--lang", default="auto", show_default=True, help="nl, en, or auto.")
@click.option("--published", callback=_date, help="Publication date YYYY-MM-DD for every input.")
@click.option("--url", help="URL for every input.")
@click.option("--source-name", help="Outlet for every input.")
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(1, 64),
    help="Processes for reading and extraction (default: every core).",
)
@click.option("--merge/--no-merge", default=True, show_default=True, help="Merge afterwards.")
@click.option(
    "--store-text/--no-store-text",
    default=True,
    show_default=True,
    help="Keep each report's text in the database (evidence offsets point into it).",
)
@click.option("--max-bytes", type=int, default=10 * 1024 * 1024, show_default=True)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write every failed input as a JSON line (name, state, reason).",
)
@click.option(
    "--glob",
    "globs",
    multiple=True,
    help="Files to take from directories ('*.txt'; '!drafts/*' excludes).",
)
@click.option("--fields", help="Corpus field names, e.g. 'text=body,published=meta.date'.")
@click.option("--quiet", "-q", is_flag=True, help="Print only failed and skipped inputs.")
@_guard
def ingest(
    inputs: tuple[str, ...],
    db: str | None,
    lang: str,
    published: date | None,
    url: str | None,
    source_name: str | None,
    workers: int | None,
    merge: bool,
    store_text: bool,
    max_bytes: int,
    errors_path: str | None,
    globs: tuple[str, ...],
    fields: str | None,
    quiet: bool,
) -> None:
    """Extract and store reports, then merge them into incidents.

    INPUTS are what `sitrep extract` reads: text files, HTML pages, URLs, RSS/Atom feeds,
    JSONL/CSV corpora, directories, gzip files, '-' for standard input. Every input gets one
    line: done, duplicate, skipped (with a reason) or failed (with a reason), and is recorded
    in the run (`sitrep runs`). The exit status is 0 when the run completed, even if some
    inputs failed. Ctrl-C or SIGTERM stops after the input in hand (a second one at once);
    killed half-way, the same command run again finishes the batch without duplicates.
    """
    from sitrep.errors import SitrepError
    from sitrep.ingest import FieldMap, Progress
    from sitrep.ingest.watch import Stopper
    from sitrep.store.ingest import ingest as run_ingest

    _check_lang(lang)
    try:
        field_map = FieldMap.parse(fields) if fields else None
    except (ValueError, SitrepError) as exc:
        raise click.BadParameter(str(exc), param_hint="--fields") from None
    acct = _accounting(errors_path)
    arguments = {
        "inputs": list(inputs),
        "workers": workers,
        "lang": lang,
        "published": published.isoformat() if published else None,
        "url": url,
        "source_name": source_name,
        "merge": merge,
        "store_text": store_text,
        "max_bytes": max_bytes,
        "errors": errors_path,
        "glob": list(globs),
        "fields": fields,
    }
    with acct, Progress(acct, delay=1.0) as progress:
        store = _open(db, create=True)
        stopper = Stopper()
        try:
            with stopper.installed():
                summary = run_ingest(
                    store,
                    inputs,
                    workers=workers,
                    lang=None if lang == "auto" else lang,
                    published=published,
                    url=url,
                    source_name=source_name,
                    max_bytes=max_bytes,
                    store_text=store_text,
                    on_outcome=_reporter(quiet, acct, progress),
                    arguments=arguments,
                    stop=stopper,
                    glob=list(globs) or None,
                    fields=field_map,
                )
        except KeyboardInterrupt:
            progress.close()
            _err("interrupted: what was stored is kept; run the same command again to finish")
            sys.exit(130)
        progress.close()
    _err(summary.text())
    if summary.interrupted:
        _err(
            f"stopped by {stopper.signal_name}: run {summary.run_id} interrupted; what was "
            "stored is kept; run the same command again to finish"
        )
        sys.exit(_SIGNAL_EXIT.get(stopper.signal_name or "", 130))
    if merge:
        from sitrep.merge import merge as run_merge

        _err(run_merge(store).text())
    _err(f"run {summary.run_id} (`sitrep runs {summary.run_id[:8]}` lists its inputs)")
    store.close()


def _every(ctx: click.Context, param: click.Parameter, value: str) -> float:
    from sitrep.ingest.watch import parse_every

    try:
        return parse_every(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("feeds", nargs=-1, required=True)
@db_option
@click.option(
    "--every",
    default="15m",
    show_default=True,
    callback=_every,
    help="Time between polls: 30s, 15m, 1h, 2h30m.",
)
@click.option("--once", is_flag=True, help="One cycle, then exit (for cron and tests).")
@click.option("--lang", default="auto", show_default=True, help="nl, en, or auto.")
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host (robots.txt's Crawl-delay may ask more).",
)
@click.option("--merge/--no-merge", default=True, show_default=True, help="Merge each cycle.")
@click.option("--store-text/--no-store-text", default=True, show_default=True)
@click.option("--max-bytes", type=int, default=10 * 1024 * 1024, show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print only failed and skipped inputs.")
@_guard
def watch(
    feeds: tuple[str, ...],
    db: str | None,
    every: float,
    once: bool,
    lang: str,
    delay: float,
    merge: bool,
    store_text: bool,
    max_bytes: int,
    quiet: bool,
) -> None:
    """Poll RSS/Atom feeds and ingest the items not read before, every --every.

    FEEDS are feed URLs, feed files, or text files listing feeds (one a line, '#' comments).
    What was read is kept in the database, so a restart reads only new items; an item whose
    read failed for a passing reason (HTTP 5xx, a timeout) is tried again next cycle. Each
    cycle is a run (`sitrep runs`) and prints one line on standard error. SIGINT or SIGTERM
    stops after the item in hand and exits 0 (a second signal at once).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from sitrep.errors import SitrepError
    from sitrep.ingest import Fetcher, ReadOptions
    from sitrep.ingest.watch import Stopper, Watcher, expand_feeds, next_poll
    from sitrep.store import _one_line
    from sitrep.store.engine import now

    _check_lang(lang)
    try:
        feed_list = expand_feeds(feeds)
    except SitrepError as exc:
        raise click.BadParameter(str(exc), param_hint="FEEDS") from None
    store = _open(db, create=True)
    stopper = Stopper()
    options = ReadOptions(max_bytes=max_bytes)
    watcher = Watcher(
        store,
        feed_list,
        fetcher=lambda: Fetcher(delay=delay, max_bytes=max_bytes),
        options=options,
        lang=None if lang == "auto" else lang,
        store_text=store_text,
        merge=merge,
        stop=stopper,
        arguments={"feeds": feed_list, "every_s": every, "once": once, "lang": lang},
    )
    try:
        with stopper.installed():
            while not stopper.stopped:
                started = now()
                try:
                    result = _cycle(watcher, quiet)
                except SQLAlchemyError as exc:  # the database is away: try again next cycle
                    if once:
                        raise
                    _err(f"cycle failed: {type(exc).__name__}: {_one_line(exc)}")
                else:
                    upcoming = None if once or result.stopped else next_poll(started, every)
                    _err(result.line(upcoming))
                if once:
                    break
                stopper.sleep((next_poll(started, every) - now()).total_seconds())
    except KeyboardInterrupt:
        _err("aborted: the run in hand is marked interrupted; what was stored is kept")
        sys.exit(130)
    finally:
        store.close()
    if stopper.stopped:
        _err(f"stopped by {stopper.signal_name}: what was read is stored; the rest next time")


def _cycle(watcher: Any, quiet: bool) -> Any:
    """One watch cycle with its progress display and input lines."""
    from sitrep.ingest import Progress

    acct = _accounting(None)
    with Progress(acct, delay=1.0) as progress:
        watcher.on_outcome = _reporter(quiet, acct, progress)
        return watcher.cycle()


@click.command()
@click.argument("run_id", required=False)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
@click.option(
    "--state",
    "states",
    type=click.Choice(["failed", "skipped", "duplicate", "done", "all"]),
    multiple=True,
    help="With RUN_ID: the inputs to list (repeatable; default failed and skipped).",
)
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True, help="0: all.")
@click.option("--command", "command_", type=click.Choice(["ingest", "watch"]))
@_guard
def runs(
    run_id: str | None,
    db: str | None,
    fmt: str,
    states: tuple[str, ...],
    limit: int,
    command_: str | None,
) -> None:
    """Past runs of ingest and watch, newest first; with RUN_ID (a unique prefix is enough)
    one run: its counts and its failed and skipped inputs with their reasons."""
    from sitrep.store.runs import find_run, list_runs, run_inputs

    store = _open(db)
    if run_id is None:
        if states:
            raise click.UsageError("--state goes with a RUN_ID")
        found = list_runs(store, limit=limit or None, command=command_)
        if fmt == "jsonl":
            for r in found:
                click.echo(json.dumps(r.as_dict(), ensure_ascii=False))
        else:
            click.echo(render_runs(found))
        return
    info = find_run(store, run_id)
    wanted = set(states or ("failed", "skipped"))
    chosen = None if "all" in wanted else sorted(wanted)
    rows = run_inputs(store, info.id, chosen)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row.as_dict(), ensure_ascii=False))
        return
    click.echo(render_run(info))
    label = "all" if chosen is None else " and ".join(chosen)
    click.echo(f"{label} inputs ({len(rows)}):" if rows else f"no {label} inputs")
    for row in rows:
        detail = row.reason or (f"report {row.report_id}" if row.report_id else "")
        click.echo(f"  {row.seq}\t{row.state}\t{row.name}\t{detail}")


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{seconds:.1f}s" if seconds < 10 else f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def render_runs(found: list[Any]) -> str:
    """The runs as a table (times in UTC)."""
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("run", "command", "started (UTC)", "duration", "status"):
        table.add_column(col, no_wrap=True)
    for col in ("inputs", "done", "dup", "skipped", "failed", "events"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in found:
        running = r.finished_at is None
        table.add_row(
            r.id[:8],
            r.command,
            f"{r.started_at:%Y-%m-%d %H:%M:%S}",
            _duration(r.duration()) + ("…" if running and r.state == "running" else ""),
            r.state,
            *(str(x) for x in (r.total, r.done, r.duplicate, r.skipped, r.failed, r.events)),
        )
    out = io.StringIO()
    Console(file=out, width=120, force_terminal=False, highlight=False).print(table)
    return out.getvalue().rstrip("\n") if found else "no runs yet"


def render_run(r: Any) -> str:
    """One run, readable."""
    end = f"{r.finished_at:%Y-%m-%d %H:%M:%S}" if r.finished_at else "—"
    args = " ".join(f"{k}={v}" for k, v in r.arguments.items() if v not in (None, [], ""))
    lines = [
        f"run {r.id}: {r.command}, {r.state}"
        + (f" (stored as {r.status})" if r.state != r.status else ""),
        f"  started   {r.started_at:%Y-%m-%d %H:%M:%S} UTC, finished {end}, "
        f"{_duration(r.duration())}",
        f"  on        {r.host or '?'} (pid {r.pid or '?'}), sitrep {r.version or '?'}",
        f"  arguments {args}",
        f"  inputs    {r.total}: {r.done} done ({r.events} events), {r.duplicate} duplicate, "
        f"{r.skipped} skipped, {r.failed} failed",
    ]
    if r.message:
        lines.append(f"  message   {r.message}")
    return "\n".join(lines)


@click.command(name="merge")
@db_option
@click.option("--rebuild", is_flag=True, help="Recompute every incident (same ids).")
@_guard
def merge_cmd(db: str | None, rebuild: bool) -> None:
    """Merge stored mentions that have no incident yet into incidents."""
    from sitrep.merge import merge as run_merge

    store = _open(db)
    click.echo(run_merge(store, rebuild=rebuild).text())


@click.command()
@db_option
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(
        ["table", "jsonl", "json", "csv", "acled-csv", "ucdp-csv", "geojson", "parquet"]
    ),
    default="table",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True))
@click.option("--limit", type=int, help="At most this many incidents (newest first).")
@_guard
def events(db: str | None, fmt: str, output: str | None, limit: int | None, **kw: Any) -> None:
    """List incidents (merged events), newest first, filtered."""
    from sitrep.store.query import incidents

    store = _open(db)
    _write(incidents(store, _filters(kw, limit)), fmt, output)


@click.command()
@click.argument("incident_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_guard
def show(incident_id: str, db: str | None, fmt: str) -> None:
    """One incident: every source, figure and quote (a unique id prefix is enough)."""
    from sitrep.store.query import incident

    rec = incident(_open(db), incident_id)
    if fmt == "json":
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
        return
    click.echo(render_incident(rec))


def render_incident(rec: dict[str, Any]) -> str:
    """A readable account of one incident and its evidence."""
    lines = []
    d = rec["date"]
    p = rec["place"]
    a = rec["actors"]
    when = d["start"] or "undated"
    if d["end"] and d["end"] != d["start"]:
        when += f" – {d['end']}"
    lines.append(f"incident {rec['id']}: {rec['event']} ({rec['event_type']})")
    if rec["cumulative"]:
        lines.append("  running total: never added into incident sums")
    lines.append(f"  date      {when} ({d['precision']})")
    where = ", ".join(x for x in (p["location"], p["admin2"], p["admin1"], p["country"]) if x)
    coords = f" [{p['lat']:.4f}, {p['lon']:.4f}]" if p["lat"] is not None else ""
    lines.append(f"  place     {where or '—'}{coords}")
    lines.append(f"  actors    {a['perpetrator'] or '—'} → {a['target'] or '—'}")
    lines.append(
        f"  grade     {rec['grade']} ({rec['n_sources']} independent sources, "
        f"{rec['n_reports']} reports); status {rec['status']}"
    )
    for f in rec["figures"]:
        label = f["kind"] + (f" ({f['group']})" if f["group"] else "")
        lines.append(
            f"  {label:<22} low {f['low']}  best {f['best']}  high {f['high']}"
            f"  ({f['n_reports']} reports)"
        )
    for s in rec["sources"]:
        head = s.get("source_name") or "unnamed source"
        extra = ", ".join(x for x in (s.get("published"), s.get("lang"), s.get("url")) if x)
        lines.append("")
        lines.append(f"  ▸ {head} ({extra}) report {s['report_id']}")
        if s.get("copy_of"):
            lines.append(f"    near-copy of report {s['copy_of']}: not an independent source")
        for ev in s.get("events", []):
            for fig in ev.get("figures", []):
                flags = [fig["qualifier"]]
                if fig.get("cumulative"):
                    flags.append("running total")
                if fig.get("hedged"):
                    flags.append("hedged")
                if fig.get("part_of") is not None:
                    flags.append("sub-count")
                src = f" per {fig['source']}" if fig.get("source") else ""
                lines.append(
                    f"    {fig['kind']} {fig['best']} {fig['group']}{src} [{', '.join(flags)}]"
                )
                ev_ = fig["evidence"]
                lines.append(f"      “{ev_['sentence']}” (chars {ev_['start']}–{ev_['end']})")
    return "\n".join(lines)


@click.command()
@db_option
@filter_options
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="month")
@click.option(
    "--group",
    type=click.Choice(["none", "country", "type", "actor"]),
    default="none",
    show_default=True,
)
@click.option(
    "--figure",
    type=click.Choice(["low", "best", "high"]),
    default="best",
    show_default=True,
    help="Which of each incident's figures to sum.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--plot", type=click.Path(dir_okay=False, writable=True), help="Write a PNG chart.")
@_guard
def stats(
    db: str | None, by: str, group: str, figure: str, fmt: str, plot: str | None, **kw: Any
) -> None:
    """Incidents and killed / injured / displaced per day, week or month (and group)."""
    from sitrep.store.query import stats as run_stats

    rows = run_stats(_open(db), _filters(kw), by=by, group=group, figure=figure)
    cols = ["period", "group", "incidents", "killed", "injured", "displaced"]
    data = [
        [r.period.isoformat(), r.group, r.incidents, r.killed, r.injured, r.displaced] for r in rows
    ]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(cols, d, strict=True)) for d in data], indent=2))
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(cols)
        w.writerows(data)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"per {by}" + (f" and {group}" if group != "none" else ""))
        for c in cols:
            table.add_column(c, justify="right" if c not in ("period", "group") else "left")
        for d in data:
            table.add_row(*(str(x) for x in d))
        Console(file=sys.stdout, width=120, force_terminal=False).print(table)
    if plot:
        from sitrep.export.plot import plot_stats

        plot_stats(rows, plot, by=by, group=group, figure=figure)
        _err(f"wrote {plot}")


@click.command()
@db_option
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["acled-csv", "ucdp-csv", "geojson", "parquet", "jsonl", "json", "csv"]),
    required=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True))
@_guard
def export(db: str | None, fmt: str, output: str | None, **kw: Any) -> None:
    """Write incidents in a dataset format (ACLED, UCDP GED, GeoJSON, Parquet, JSON lines)."""
    from sitrep.store.query import incidents

    n = _write(incidents(_open(db), _filters(kw)), fmt, output)
    if output:
        _err(f"wrote {n} incidents to {output}")


@click.command()
@db_option
@click.option("--since", callback=_moment, required=True, help="YYYY-MM-DD[THH:MM[:SS]] (UTC).")
@click.option("--retired-only", is_flag=True, help="Only ids that no longer exist (deletions).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table")
@_guard
def changes(db: str | None, since: datetime, retired_only: bool, fmt: str) -> None:
    """Incidents created, updated, merged into another or replaced since a moment (UTC)."""
    from sitrep.store.engine import as_utc
    from sitrep.store.query import changes_since

    moment = as_utc(since)
    assert moment is not None
    rows = changes_since(_open(db), moment, retired_only=retired_only)
    if fmt == "jsonl":
        for c in rows:
            click.echo(json.dumps(c.as_dict()))
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(
            sys.stdout, ["at", "change", "incident_id", "new_id", "detail"], lineterminator="\n"
        )
        w.writeheader()
        for c in rows:
            w.writerow(c.as_dict())
    else:
        for c in rows:
            into = f" -> {c.new_id}" if c.new_id else ""
            click.echo(f"{c.at.isoformat()}\t{c.change}\t{c.incident_id}{into}")
        _err(f"{len(rows)} changes since {moment.isoformat()}")


@click.group()
def db() -> None:
    """Schema migrations and database status."""


@db.command(name="upgrade")
@db_option
@click.option("--revision", default="head", show_default=True)
@_guard
def db_upgrade(db: str | None, revision: str) -> None:
    """Create or upgrade the schema in place (Alembic migrations)."""
    from sitrep.store.engine import display_url, make_engine, upgrade

    engine = make_engine(db)
    try:
        before, after = upgrade(engine, revision)
    finally:
        engine.dispose()
    where = display_url(str(engine.url))
    if before == after:
        click.echo(f"{where}: already at {after}")
    else:
        click.echo(f"{where}: {before or 'empty'} -> {after}")


@db.command(name="status")
@db_option
@_guard
def db_status(db: str | None) -> None:
    """The schema revision and the number of rows per table."""
    store = _open(db)
    from sitrep.store.engine import current_revision, display_url

    click.echo(f"{display_url(store.url)}: revision {current_revision(store.engine)}")
    for name, n in store.counts().items():
        click.echo(f"  {name:<18} {n}")
    if store.is_sqlite:
        click.echo(f"  integrity_check    {store.integrity_check()}")


def register(group: click.Group) -> None:
    """Add the dataset commands to the ``sitrep`` command group."""
    for cmd in (ingest, watch, runs, merge_cmd, events, show, stats, export, changes, db):
        group.add_command(cmd)
