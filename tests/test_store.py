"""The store: schema and migrations, idempotent and transactional ingest, near-copies, and a
process killed with SIGKILL in the middle of a batch. SQLite and a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sitrep.merge import merge
from sitrep.store import Store, StoreError
from sitrep.store.engine import (
    current_revision,
    known_revisions,
    make_engine,
    resolve_url,
    upgrade,
)
from sitrep.store.ingest import ingest
from sitrep.store.minhash import THRESHOLD, signature, similarity
from sitrep.store.schema import HEAD_REVISION, metadata, reports
from sitrep.store.testing import fresh_database, generated_corpus, synthetic_report

ROOT = Path(__file__).resolve().parent.parent
SITREP = str(Path(sys.executable).parent / "sitrep")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as u:
        yield u


def test_urls() -> None:
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("x.db").startswith("sqlite:////") and resolve_url("x.db").endswith("/x.db")
    with pytest.raises(StoreError, match="unsupported"):
        resolve_url("mysql://h/db")


def test_migrations_build_exactly_the_schema(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Store(url) as store, store.engine.connect() as conn:
        assert current_revision(store.engine) == HEAD_REVISION
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    assert known_revisions()[-1] == HEAD_REVISION


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_an_older_database_upgrades_in_place(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine, "0001_reports")  # a database made by the version before incidents
        prepared = synthetic_report("An old report, stored before incidents existed.", [{}])
        with engine.begin() as conn:
            conn.execute(
                reports.insert().values(
                    id=prepared.report.id,
                    text_hash=prepared.text_hash,
                    ingested_at=sa.func.now(),
                    n_chars=10,
                    n_events=0,
                    origin="report:x",
                )
            )
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="sitrep db upgrade"):
        Store(url)
    engine = make_engine(url)
    try:
        assert upgrade(engine) == ("0001_reports", HEAD_REVISION)
        assert upgrade(engine) == (HEAD_REVISION, HEAD_REVISION)  # a no-op the second time
    finally:
        engine.dispose()
    with Store(url) as store:
        assert store.counts()["reports"] == 1
        store.add_report(synthetic_report("A new report after the upgrade.", [{}]))
        assert merge(store).incidents == 1


def test_unknown_revision_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    with Store(db):
        pass
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_reading_a_missing_database_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_same_text_twice_is_stored_once(url: str, tmp_path: Path) -> None:
    text = "Russian air strikes killed 17 people in Saraqib in Syria on Thursday, a monitor said."
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(text)
    b.write_text(text)  # another file, the same text
    with Store(url) as store:
        s1 = ingest(store, [str(a), str(b)], keep_outcomes=True)
        s2 = ingest(store, [str(a)], keep_outcomes=True)
        assert [o.status for o in s1.outcomes + s2.outcomes] == ["done", "duplicate", "duplicate"]
        assert store.counts()["reports"] == 1
        # the store itself refuses a second copy, whoever asks
        prepared = synthetic_report(text, [{}])
        assert store.add_report(prepared).status == "duplicate"


def test_a_report_is_all_or_nothing(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.store.rows as rows

    prepared = synthetic_report("A report whose figures cannot be written.", [{}, {}])

    def broken(ev: object) -> list[dict[str, object]]:
        raise RuntimeError("disk on fire")

    with Store(url) as store:
        monkeypatch.setattr(rows, "figure_rows", broken)
        with pytest.raises(RuntimeError):
            store.add_report(prepared)
        assert store.counts() == {
            "reports": 0,
            "mentions": 0,
            "figures": 0,
            "incidents": 0,
            "incident_mentions": 0,
            "changes": 0,
            "runs": 0,
            "run_inputs": 0,
            "seen_items": 0,
            "pending": 0,
        }
        monkeypatch.undo()
        assert store.add_report(prepared).status == "done"
        assert store.counts()["figures"] == 2


def test_near_copies_are_linked_and_unrelated_texts_are_not(url: str) -> None:
    story = " ".join(
        f"Sentence {i} of the wire story tells of the talks in the capital and the weather."
        for i in range(30)
    )
    copy = "Published by another site. " + story + " Copyright the other site."
    other = story.replace("wire story", "local report").replace("weather", "markets")
    assert similarity(signature(story), signature(copy)) >= THRESHOLD
    with Store(url) as store:
        first = store.add_report(synthetic_report(story, [{}], source_name="Reuters"))
        second = store.add_report(synthetic_report(copy, [{}], source_name="Yahoo"))
        third = store.add_report(synthetic_report(other, [{}], source_name="AFP"))
        assert second.copy_of == first.report_id and second.similarity is not None
        assert third.copy_of is None
        with store.read() as conn:
            origins = dict(conn.execute(sa.select(reports.c.id, reports.c.origin)).all())
        assert origins[second.report_id] == origins[first.report_id] == "source:reuters"


def test_ingest_accounts_for_every_input(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Russian air strikes killed 12 people in Saraqib in Syria on Thursday.")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "it.txt").write_text(
        "Questo è un lungo testo italiano sulla politica e sulla cultura del paese, "
        "con molte parole italiane comuni."
    )
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps({"text": good.read_text(), "published": "2018-06-29"})
        + "\nnot json\n"
        + json.dumps({"body": "a record without a text field"})
        + "\n"
    )
    with Store(tmp_path / "x.db") as store:
        s = ingest(
            store,
            [
                str(good),
                str(tmp_path / "bin.txt"),
                str(tmp_path / "it.txt"),
                "nope.txt",
                str(batch),
            ],
            keep_outcomes=True,
        )
    statuses = [(Path(o.name.split(":")[0]).name, o.status) for o in s.outcomes]
    assert statuses == [
        ("good.txt", "done"),
        ("bin.txt", "failed"),
        ("it.txt", "skipped"),
        ("nope.txt", "failed"),
        ("batch.jsonl", "duplicate"),
        ("batch.jsonl", "failed"),
        ("batch.jsonl", "failed"),
    ]
    assert all(o.detail for o in s.outcomes if o.status in ("failed", "skipped"))
    assert s.total == 7 and s.done == 1 and s.failed == 4


# --- kill -9 -------------------------------------------------------------------------------


def _run(db: str, corpus: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [SITREP, "ingest", str(corpus), "--db", db, "-q", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def _count(db: str) -> int:
    if db.startswith("postgresql"):
        engine = sa.create_engine(resolve_url(db))
        try:
            with engine.connect() as conn:
                if not sa.inspect(conn).has_table("reports"):
                    return 0
                return conn.execute(sa.text("SELECT count(*) FROM reports")).scalar_one()
        finally:
            engine.dispose()
    if not Path(db).exists():
        return 0
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def _processes_using(db: str) -> list[int]:
    """Live processes whose command line names this database (orphaned workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if db in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


def _snapshot(db: str) -> dict[str, object]:
    with Store(db) as store:
        # The dataset's tables; the run log differs by design (the killed run is a run too).
        log = ("runs", "run_inputs", "seen_items")
        counts = {k: v for k, v in store.counts().items() if k not in log}
        with store.read() as conn:
            ids = sorted(conn.execute(sa.text("SELECT id FROM incidents")).scalars())
            dup = conn.execute(
                sa.text(
                    "SELECT count(*) FROM (SELECT text_hash FROM reports "
                    "GROUP BY text_hash HAVING count(*) > 1) d"
                )
            ).scalar_one()
        return {"counts": counts, "ids": ids, "dup": dup, "integrity": store.integrity_check()}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_9_mid_batch_then_rerun_completes_without_duplicates(
    kind: str, tmp_path: Path
) -> None:
    n = 300
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in generated_corpus(n, seed=11)))
    with fresh_database(kind, tmp_path) as killed_db, fresh_database(kind, tmp_path) as clean_db:
        proc = _run(killed_db, corpus)
        deadline = time.monotonic() + 120
        while _count(killed_db) < n // 3:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "ingest too slow"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # its worker processes die with it: an orphan would hold the killed run's database
        # connection, and its open transaction's locks, and the re-run would wait forever
        deadline = time.monotonic() + 10
        while _processes_using(killed_db) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_using(killed_db) == []
        partial = _count(killed_db)
        assert n // 3 <= partial < n
        assert _snapshot(killed_db)["integrity"] == "ok"

        rerun = _run(killed_db, corpus)
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err.decode()
        assert "duplicates" in err.decode()

        clean = _run(clean_db, corpus)
        _, err = clean.communicate(timeout=300)
        assert clean.returncode == 0, err.decode()

        after_kill = _snapshot(killed_db)
        uninterrupted = _snapshot(clean_db)
        assert after_kill == uninterrupted
        assert after_kill["dup"] == 0 and after_kill["integrity"] == "ok"
        assert after_kill["counts"]["pending"] == 0  # type: ignore[index]


def test_the_writer_commits_in_batches_in_input_order_and_fails_one_report_alone(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.ingest.accounting import Outcome as ReadOutcome
    from sitrep.store.ingest import BatchWriter

    def read(i: int) -> ReadOutcome:
        p = synthetic_report(f"Report number {i} about shelling in Idlib on day {i}.", [{}])
        return ReadOutcome(p.name + str(i), "done", events=p.events, report=p.report, text=p.text)

    with Store(url) as store:
        real = store.add_report_in
        commits: list[int] = []

        def add_report_in(conn, prepared, **kw):  # type: ignore[no-untyped-def]
            if prepared.name.endswith("3"):
                raise RuntimeError("disk on fire")
            return real(conn, prepared, **kw)

        monkeypatch.setattr(store, "add_report_in", add_report_in)
        writer = BatchWriter(store, max_items=4, max_wait=60)
        out = []
        for i in range(6):
            got = writer.add(read(i))
            commits.append(len(got))
            out += got
        out += writer.add(ReadOutcome("broken.txt", "failed", reason="not text"))
        out += writer.flush()
        # Nothing is handed on before its transaction commits; the batch of four is.
        assert commits == [0, 0, 0, 4, 0, 0]
        assert [o.name[-1] for o in out] == ["0", "1", "2", "3", "4", "5", "t"]
        states = [o.status for o in out]
        assert states == ["done", "done", "done", "failed", "done", "done", "failed"]
        assert "disk on fire" in out[3].detail
        assert store.counts()["reports"] == 5
