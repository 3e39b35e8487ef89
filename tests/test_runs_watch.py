"""Runs in the database, `sitrep runs`, `--errors`, the progress display, and `sitrep watch`
(new items only, across restarts, transient failures retried, SIGTERM). The network is a local
server on 127.0.0.1; every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from sitrep.cli import main
from sitrep.ingest import Accounting, Fetcher, Outcome, Progress
from sitrep.ingest.watch import (
    MAX_ATTEMPTS,
    Stopper,
    Watcher,
    expand_feeds,
    is_transient,
    parse_every,
)
from sitrep.store import Store
from sitrep.store.ingest import ingest
from sitrep.store.runs import RunLog, find_run, list_runs, mark_crashed, run_inputs
from sitrep.store.schema import run_inputs as run_inputs_table
from sitrep.store.schema import runs as runs_table
from sitrep.store.schema import seen_items
from sitrep.store.testing import fresh_database
from test_ingest_server import LocalServer

SITREP = str(Path(sys.executable).parent / "sitrep")
GOOD = (
    "Russian air strikes killed 17 people in the village of Al Musayfrah in southern Syria "
    "on Thursday, the Syrian Observatory for Human Rights said."
)
OTHER = "Five people were killed and 14 injured in shelling of Kharkiv on Tuesday, officials said."


class FeedServer(LocalServer):
    """The ingest tests' server plus ``/watch.rss``, a feed whose items the test sets."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []  # paths of the items' pages, newest last

    def route(self, h: BaseHTTPRequestHandler, hits: int) -> None:
        if h.path == "/watch.rss":
            items = "".join(
                f"<item><title>Item {i}</title><link>{self.base}{p}</link>"
                f"<description>Teaser {i}</description>"
                "<pubDate>Mon, 04 Mar 2024 10:00:00 +0000</pubDate></item>"
                for i, p in enumerate(self.items)
            )
            body = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Watchnieuws</title><link>{self.base}/</link>{items}</channel></rss>"
            )
            self.send(h, 200, body, "application/rss+xml")
        else:
            super().route(h, hits)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD)
    (d / "b.txt").write_text(OTHER)
    (d / "c.txt").write_text(GOOD)  # the same text again: a duplicate
    (d / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    (d / "italiano.txt").write_text(
        "Questo è un lungo testo italiano sulla politica e sulla cultura del paese, con molte "
        "parole italiane comuni e nessun numero."
    )
    return d


# --- runs ---------------------------------------------------------------------------------


def test_an_ingest_is_a_run_whose_counts_add_up(db: str, tmp_path: Path) -> None:
    d = inputs(tmp_path)
    errors = tmp_path / "errors.jsonl"
    r = run("ingest", str(d), str(tmp_path / "nope.txt"), "--db", db, "-q", "--errors", str(errors))
    assert r.exit_code == 0, r.output
    assert "`sitrep runs " in r.stderr
    with Store(db) as store:
        (info,) = list_runs(store)
        assert (info.command, info.status, info.state) == ("ingest", "completed", "completed")
        assert (info.done, info.duplicate, info.skipped, info.failed) == (2, 1, 1, 2)
        assert info.total == 6 and info.events >= 2
        assert info.arguments["inputs"] == [str(d), str(tmp_path / "nope.txt")]
        assert info.finished_at is not None and info.finished_at >= info.started_at
        assert info.host and info.pid
        rows = run_inputs(store, info.id)
        assert [r.seq for r in rows] == list(range(1, 7))
        by_name = {Path(r.name).name: r for r in rows}
        assert by_name["a.txt"].state == "done" and by_name["a.txt"].report_id
        assert by_name["c.txt"].state == "duplicate"
        assert by_name["broken.txt"].state == "failed" and by_name["broken.txt"].reason
        assert by_name["nope.txt"].reason == "no such file"
        assert by_name["italiano.txt"].state == "skipped" and by_name["italiano.txt"].reason
        with store.read() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(runs_table)).scalar()
        assert stored == 1

    # --errors: the failed inputs, as `sitrep extract --errors` writes them
    written = [json.loads(x) for x in errors.read_text().splitlines()]
    assert {Path(e["name"]).name for e in written} == {"broken.txt", "nope.txt"}
    assert all(e["state"] == "failed" and e["reason"] for e in written)

    # `sitrep runs`: the list, one run, its inputs by state
    table = run("runs", "--db", db)
    assert table.exit_code == 0
    header, line = table.stdout.splitlines()
    assert header.split()[:5] == ["run", "command", "started", "(UTC)", "duration"]
    assert line.split()[0] == info.id[:8] and "completed" in line
    assert line.split()[-6:] == ["6", "2", "1", "1", "2", str(info.events)]
    listed = [
        json.loads(x) for x in run("runs", "--db", db, "--format", "jsonl").stdout.split("\n") if x
    ]
    assert listed[0]["id"] == info.id and listed[0]["inputs"] == 6
    one = run("runs", info.id[:6], "--db", db)
    assert one.exit_code == 0
    assert f"run {info.id}: ingest, completed" in one.stdout
    assert "6: 2 done" in one.stdout and "failed and skipped inputs (3):" in one.stdout
    assert "no such file" in one.stdout and "broken.txt" in one.stdout and "a.txt" not in one.stdout
    done = run("runs", info.id[:6], "--db", db, "--state", "done", "--format", "jsonl").stdout
    assert [Path(json.loads(x)["name"]).name for x in done.splitlines()] == ["a.txt", "b.txt"]
    every = run("runs", info.id, "--db", db, "--state", "all", "--format", "jsonl").stdout
    assert len(every.splitlines()) == 6
    missing = run("runs", "abcdef", "--db", db)
    assert (
        missing.exit_code == 1 and missing.stderr == "sitrep: no run abcdef (see `sitrep runs`)\n"
    )

    # The Python API and `sitrep db status` see the same.
    from sitrep import Dataset

    with Dataset(db) as ds:
        (again,) = ds.runs()
        assert again.id == info.id
        failed = ds.run_inputs(info.id[:6], ["failed"])
        assert {Path(r.name).name for r in failed} == {"broken.txt", "nope.txt"}
    with Store(db) as store:
        counts = store.counts()
        assert (counts["runs"], counts["run_inputs"]) == (1, 6)


def test_runs_newest_first_and_ambiguous_prefixes(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    with Store(db) as store:
        first = RunLog(store, "ingest", id="aa11000000000000").start()
        first.finish()
        second = RunLog(store, "watch", id="aa22000000000000").start()
        second.finish("interrupted")
        assert [r.id for r in list_runs(store)] == [second.id, first.id]
        assert [r.id for r in list_runs(store, command="ingest")] == [first.id]
        assert find_run(store, "AA2").id == second.id
    r = run("runs", "aa", "--db", db)
    assert r.exit_code == 1 and "ambiguous" in r.stderr
    assert run("runs", "--db", str(tmp_path / "none.db")).exit_code == 1


def test_inputs_are_written_in_batches(tmp_path: Path) -> None:
    ticks = [0.0]
    with Store(tmp_path / "b.db") as store:
        log = RunLog(store, "ingest", batch=100, interval=5.0, clock=lambda: ticks[0]).start()

        def stored() -> tuple[int, int]:
            with store.read() as conn:
                n = conn.execute(
                    sa.select(sa.func.count()).select_from(run_inputs_table)
                ).scalar_one()
                done = conn.execute(
                    sa.select(runs_table.c.done).where(runs_table.c.id == log.id)
                ).scalar_one()
            return n, done

        for i in range(150):
            log.add(f"in{i}", "done", report_id=f"{i:016x}", events=1)
        assert stored() == (100, 100)  # one batch of 100, with the counts so far
        ticks[0] = 6.0  # a second later than the interval: the next input writes the rest
        log.add("late", "failed", "no such file")
        assert stored() == (151, 150)
        log.add("last", "skipped", "robots.txt")
        log.finish()
        assert stored() == (152, 150)
        (info,) = list_runs(store)
        assert (info.done, info.failed, info.skipped, info.events) == (150, 1, 1, 150)


def test_a_run_whose_process_died_shows_as_crashed(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with Store(tmp_path / "c.db") as store:
        log = RunLog(store, "ingest").start()
        with store.write() as conn:
            conn.execute(runs_table.update().where(runs_table.c.id == log.id).values(pid=gone.pid))
        (info,) = list_runs(store)
        assert info.status == "running" and info.state == "crashed"
        shown = run("runs", log.id, "--db", str(tmp_path / "c.db"))
        assert "ingest, crashed (stored as running)" in shown.stdout
        assert mark_crashed(store) == 1  # the next run on this machine writes it down
        (info,) = list_runs(store)
        assert info.status == "crashed" and info.message


def test_stop_and_ctrl_c_mark_the_run_interrupted(db: str, tmp_path: Path) -> None:
    d = inputs(tmp_path)
    with Store(db) as store:
        s = ingest(store, [str(d)], stop=lambda: True)
        assert s.interrupted and s.total == 1
        info = find_run(store, s.run_id or "")
        assert info.status == "interrupted" and info.total == 1 and info.finished_at

        def boom(outcome: object) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            ingest(store, [str(d)], on_outcome=boom)
        newest = list_runs(store)[0]
        assert newest.status == "interrupted" and newest.total == 1

        def broken(outcome: object) -> None:
            raise RuntimeError("disk on fire")

        with pytest.raises(RuntimeError):
            ingest(store, [str(d)], on_outcome=broken)
        newest = list_runs(store)[0]
        assert newest.status == "crashed" and newest.message == "RuntimeError: disk on fire"


def test_ingest_without_a_record(tmp_path: Path) -> None:
    d = inputs(tmp_path)
    with Store(tmp_path / "n.db") as store:
        s = ingest(store, [str(d)], record=False)
        assert s.run_id is None and s.total == 5
        assert list_runs(store) == []


# --- progress -----------------------------------------------------------------------------


def test_the_progress_display_on_a_terminal_and_silence_elsewhere() -> None:
    from rich.console import Console

    acct = Accounting()
    out = io.StringIO()
    tty = Console(file=out, force_terminal=True, width=140, color_system=None)
    progress = Progress(acct, console=tty, interval=0.0, total=3)
    assert progress.enabled
    acct.add(Outcome("a.txt", "done"), events=2)
    progress.update()
    acct.add(Outcome("b.txt", "failed", "no such file"))
    progress.echo("b.txt: failed: no such file")
    progress.update()
    progress.close()
    text = out.getvalue()
    frames = [f for f in text.split("\r\x1b[K") if f]
    assert frames[0].startswith("━")
    assert "1/3 inputs: 1 done, 0 dup, 0 skipped, 0 failed, 2 events" in frames[0]
    assert "docs/s" in frames[0] and "0:00:0" in frames[0]
    assert frames[1] == "b.txt: failed: no such file\n"  # above the bar, the bar cleared first
    assert "2/3 inputs: 1 done, 0 dup, 0 skipped, 1 failed" in frames[2]
    assert text.endswith("\r\x1b[K")  # closed: the line is cleared

    narrow = Console(file=io.StringIO(), force_terminal=True, width=60)
    assert "\n" not in Progress(acct, console=narrow).render()

    pipe = io.StringIO()  # not a terminal: nothing but the echoed lines
    quiet = Progress(acct, pipe, interval=0.0)
    assert not quiet.enabled
    quiet.update(force=True)
    quiet.echo("b.txt: failed: no such file")
    quiet.close()
    assert pipe.getvalue() == "b.txt: failed: no such file\n"
    silent = Progress(acct, console=Console(file=io.StringIO(), force_terminal=False))
    assert not silent.enabled


def test_the_display_waits_for_long_runs() -> None:
    from rich.console import Console

    now = [0.0]
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    progress = Progress(Accounting(), console=console, delay=1.0, clock=lambda: now[0])
    progress.update()
    assert out.getvalue() == ""  # a run shorter than a second shows nothing
    now[0] = 1.5
    progress.update()
    assert "0 inputs" in out.getvalue()


def test_ingest_on_a_pipe_prints_no_progress(tmp_path: Path) -> None:
    d = inputs(tmp_path)
    r = run("ingest", str(d), "--db", str(tmp_path / "p.db"), "-q")
    assert "\r" not in r.stderr and "docs/s" not in r.stderr


# --- watch --------------------------------------------------------------------------------


def test_every_and_feed_lists(tmp_path: Path) -> None:
    assert [parse_every(x) for x in ("30s", "15m", "1h", "2h30m", "90", "1m30s")] == [
        30,
        900,
        3600,
        9000,
        90,
        90,
    ]
    for bad in ("", "0s", "m", "15x", "1h1h", "1m1h1", "-5m"):
        with pytest.raises(ValueError):
            parse_every(bad)
    feed = tmp_path / "local.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# my feeds\nhttps://example.org/a.rss\n\nlocal.rss  # a file\n"
        "https://example.org/b.rss#top # with a fragment\n"
    )
    assert expand_feeds([str(listing), "https://example.org/a.rss"]) == [
        "https://example.org/a.rss",
        str(tmp_path / "local.rss"),
        "https://example.org/b.rss#top",
    ]
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(Exception, match="no lines"):
        expand_feeds([str(empty)])
    r = run("watch", str(tmp_path / "absent.txt"), "--once", "--db", str(tmp_path / "w.db"))
    assert r.exit_code == 2 and "no such file" in r.output
    r = run("watch", str(listing), "--every", "soon", "--db", str(tmp_path / "w.db"))
    assert r.exit_code == 2 and "not a duration" in r.output
    assert is_transient("HTTP 503 Service Unavailable after 3 attempts")
    assert is_transient("timed out after 10 s (3 attempts)")
    assert not is_transient("HTTP 404 Not Found") and not is_transient(None)


def test_watch_reads_only_new_items_across_restarts(
    db: str, server: FeedServer, tmp_path: Path
) -> None:
    feed = server.url("/watch.rss")
    server.items = ["/article/31.html", "/article/32.html", "/missing"]
    args = ("watch", feed, "--once", "--db", db, "--delay", "0")
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "1 feed, 3 new items: 2 done" in first.stderr and "1 failed" in first.stderr
    assert "merged:" in first.stderr
    assert server.hits["/article/31.html"] == 1

    second = run(*args)  # a new process would do the same: all state is in the database
    assert "1 feed, 0 new items" in second.stderr, second.output
    assert server.hits["/article/31.html"] == 1 and server.hits["/missing"] == 1  # 404: final

    server.items.append("/article/33.html")
    third = run(*args)
    assert "1 feed, 1 new item: 1 done" in third.stderr, third.output
    assert server.hits["/article/31.html"] == 1 and server.hits["/article/33.html"] == 1

    with Store(db) as store:
        watches = list_runs(store, command="watch")
        assert [r.total for r in watches] == [1, 0, 3]
        assert all(r.status == "completed" for r in watches)
        assert store.counts()["reports"] == 3
        with store.read() as conn:
            states = dict(conn.execute(sa.select(seen_items.c.item, seen_items.c.state)).all())
        assert states == {
            server.url("/article/31.html"): "done",
            server.url("/article/32.html"): "done",
            server.url("/article/33.html"): "done",
            server.url("/missing"): "failed",
        }
        assert [r.name for r in run_inputs(store, watches[0].id, ["done"])] == [
            server.url("/article/33.html")
        ]


def test_watch_retries_transient_failures(db: str, server: FeedServer) -> None:
    server.items = ["/flaky/w1", "/always500"]
    feed = server.url("/watch.rss")

    def fetcher() -> Fetcher:
        return Fetcher(delay=0.0, retries=0, timeout=2.0, trust_env=False)

    with Store(db) as store:
        watcher = Watcher(store, [feed], fetcher=fetcher, merge=False)
        first = watcher.cycle()
        assert (first.new, first.counts["failed"]) == (2, 2)
        second = watcher.cycle()  # both again: a 500 may pass
        assert (second.new, second.counts["failed"]) == (2, 2)
        third = watcher.cycle()  # the flaky page answers at its third request
        assert (third.new, third.counts["done"], third.counts["failed"]) == (2, 1, 1)
        for _ in range(MAX_ATTEMPTS):
            watcher.cycle()
        assert server.hits["/always500"] == MAX_ATTEMPTS  # then it counts as seen, failed
        assert server.hits["/flaky/w1"] == 3
        with store.read() as conn:
            rows = dict(conn.execute(sa.select(seen_items.c.item, seen_items.c.state)).all())
        assert rows == {server.url("/flaky/w1"): "done", server.url("/always500"): "failed"}


def test_a_feed_that_cannot_be_read_is_a_failed_input(server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    r = run("watch", server.url("/missing"), "--once", "--db", db, "--delay", "0")
    assert r.exit_code == 0, r.output
    assert "0 new items: 0 done (0 events), 0 duplicate, 0 skipped, 1 failed" in r.stderr
    with Store(db) as store:
        (info,) = list_runs(store)
        assert info.failed == 1
        assert run_inputs(store, info.id)[0].reason == "HTTP 404 Not Found"


def test_stopper_wakes_a_sleep() -> None:
    stopper = Stopper()
    threading.Timer(0.2, stopper.request).start()
    t = time.monotonic()
    assert stopper.sleep(30) is True
    assert time.monotonic() - t < 5 and stopper.stopped
    stopper.close()
    quick = Stopper()
    assert quick.sleep(0.05) is False
    quick.close()


def _watch(db: str, feed: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.Popen(
        [SITREP, "watch", feed, "--every", "1s", "--db", db, "--delay", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigterm_stops_watch_after_the_item_in_hand(
    kind: str, server: FeedServer, tmp_path: Path
) -> None:
    server.items = ["/slow?1", "/article/42.html"]  # the first takes three seconds
    with fresh_database(kind, tmp_path) as db:
        proc = _watch(db, server.url("/watch.rss"))
        deadline = time.monotonic() + 60
        while "/slow?1" not in server.paths():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "stopped by SIGTERM" in err and "Traceback" not in err
        assert "/article/42.html" not in server.paths()  # the item in hand was finished, no more
        assert "1 done" in err and "; stopped" in err
        with Store(db) as store:
            (info,) = list_runs(store)
            assert info.status == "interrupted" and info.finished_at is not None
            assert info.done == 1 and store.counts()["reports"] == 1

        # between cycles: the sleep ends at once and the last run is completed
        server.items.append("/article/41.html")
        proc = _watch(db, server.url("/watch.rss"))
        deadline = time.monotonic() + 60
        while True:
            with Store(db) as store:
                if any(r.status == "completed" for r in list_runs(store)):
                    break
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        t = time.monotonic()
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "stopped by SIGTERM" in err, err
        assert time.monotonic() - t < 10
        with Store(db) as store:
            assert all(r.status in ("completed", "interrupted") for r in list_runs(store))
            assert store.counts()["reports"] == 3  # the item left over, and the new one
            with store.read() as conn:
                rows = dict(conn.execute(sa.select(seen_items.c.item, seen_items.c.state)).all())
            assert rows == {
                server.url("/slow?1"): "done",
                server.url("/article/42.html"): "done",
                server.url("/article/41.html"): "done",
            }


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigterm_stops_an_ingest_and_marks_its_run(kind: str, tmp_path: Path) -> None:
    from sitrep.store.testing import generated_corpus

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in generated_corpus(400, seed=5)))
    with fresh_database(kind, tmp_path) as db:
        proc = subprocess.Popen(
            [SITREP, "ingest", str(corpus), "--db", db, "-q", "--workers", "2"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while _inputs_logged(db) == 0:  # until the run has written its first batch
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 143, err
        assert "stopped by SIGTERM" in err and "Traceback" not in err
        with Store(db) as store:
            (info,) = list_runs(store)
            assert info.status == "interrupted" and info.finished_at is not None
            assert 0 < info.total < 400
            assert len(run_inputs(store, info.id, None)) == info.total  # nothing lost
            assert store.counts()["reports"] == info.done


def _inputs_logged(db: str) -> int:
    """Inputs recorded by the runs so far (0 while the database is being made)."""
    from sitrep.store.engine import resolve_url

    engine = sa.create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM run_inputs")).scalar_one()
    except sa.exc.SQLAlchemyError:
        return 0
    finally:
        engine.dispose()
