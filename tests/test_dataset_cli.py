"""The dataset commands: ingest, merge, events, show, stats, export, changes, db."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitrep.cli import main
from sitrep.store.testing import fresh_database

TEXTS = {
    "reuters.txt": (
        "Russian air strikes killed 17 people in the village of Al Musayfrah in southern Syria "
        "on Thursday, the Syrian Observatory for Human Rights said."
    ),
    "afp.txt": (
        "At least 20 civilians were killed on Thursday when Russian warplanes bombed the village "
        "of Al Musayfrah in Deraa province, a monitor said."
    ),
    "nos.txt": (
        "Bij Russische luchtaanvallen op het dorp Al Musayfrah in het zuiden van Syrië zijn "
        "donderdag 23 doden gevallen, meldt persbureau Reuters."
    ),
    "kharkiv.txt": (
        "Five people were killed and 14 injured in shelling of Kharkiv on Tuesday, the regional "
        "governor said."
    ),
}


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for name, text in TEXTS.items():
        (d / name).write_text(text)
    (d / "broken.txt").write_bytes(b"\xff\xfe\x00\x00binary")
    (d / "italiano.txt").write_text(
        "Questo è un lungo testo italiano sulla politica e sulla cultura del paese, con molte "
        "parole italiane comuni e nessun numero."
    )
    return d


def test_ingest_accounts_for_every_input_and_exits_0(db: str, corpus: Path) -> None:
    result = run("ingest", str(corpus), "--db", db, "--published", "2018-06-29")
    assert result.exit_code == 0, result.output
    lines = [ln.split("\t") for ln in result.stdout.splitlines()]
    status = {Path(p[1]).name: p[0] for p in lines}
    assert status == {
        "afp.txt": "done",
        "broken.txt": "failed",
        "italiano.txt": "skipped",
        "kharkiv.txt": "done",
        "nos.txt": "done",
        "reuters.txt": "done",
    }
    broken = next(p for p in lines if p[1].endswith("broken.txt"))
    assert broken[3]  # a one-line reason
    assert "6 inputs: 4 stored" in result.stderr
    again = run("ingest", str(corpus / "reuters.txt"), "--db", db, "-q")
    assert again.exit_code == 0 and "1 duplicates" in again.stderr and again.stdout == ""


def test_query_show_stats_export_changes(db: str, corpus: Path, tmp_path: Path) -> None:
    run("ingest", str(corpus), "--db", db, "--published", "2018-06-29", "-q")
    table = run("events", "--db", db)
    assert table.exit_code == 0 and "Al-Musayfirah" in table.stdout
    rows = [
        json.loads(x) for x in run("events", "--db", db, "--format", "jsonl").stdout.splitlines()
    ]
    strike = next(r for r in rows if r["event"] == "airstrike")
    assert strike["n_sources"] == 3
    only = run("events", "--db", db, "--country", "UA", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(x)["place"]["country"] for x in only] == ["UA"]
    killed = run("events", "--db", db, "--min-killed", "20", "--format", "csv").stdout
    assert len(killed.splitlines()) == 2  # header and the airstrike

    shown = run("show", strike["id"][:8], "--db", db)
    assert shown.exit_code == 0
    assert "low 17  best 23  high 23" in shown.stdout and "23 doden gevallen" in shown.stdout
    missing = run("show", "0000000000000000", "--db", db)
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1

    png = tmp_path / "chart.png"
    stats = run("stats", "--db", db, "--by", "week", "--group", "country", "--plot", str(png))
    assert stats.exit_code == 0 and "SY" in stats.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    as_json = json.loads(run("stats", "--db", db, "--format", "json").stdout)
    assert sum(r["killed"] for r in as_json) == 23 + 5

    acled = tmp_path / "acled.csv"
    exp = run("export", "--db", db, "--format", "acled-csv", "-o", str(acled))
    assert exp.exit_code == 0 and acled.read_text().startswith("event_id_cnty,event_date,")
    parquet = run("export", "--db", db, "--format", "parquet")
    assert parquet.exit_code == 2 and "--output" in parquet.output
    geo = json.loads(run("export", "--db", db, "--format", "geojson").stdout)
    assert len(geo["features"]) == 2

    changes = run("changes", "--db", db, "--since", "2000-01-01", "--format", "jsonl")
    assert {json.loads(x)["change"] for x in changes.stdout.splitlines()} == {"created"}
    assert run("changes", "--db", db, "--since", "2000-01-01", "--retired-only").stdout == ""

    assert "already at" in run("db", "upgrade", "--db", db).stdout
    status = run("db", "status", "--db", db).stdout
    assert "pending            0" in status
    merged = run("merge", "--db", db, "--rebuild")
    assert merged.exit_code == 0 and "0 incidents created, 0 updated, 0 retired" in merged.stdout


def test_usage_and_database_errors_are_one_line(tmp_path: Path) -> None:
    absent = str(tmp_path / "absent.db")
    r = run("events", "--db", absent)
    assert r.exit_code == 1 and "no such database" in r.stderr and r.stderr.count("\n") == 1
    r = run("events", "--db", absent, "--bbox", "1,2,3")
    assert r.exit_code == 2
    r = run("ingest", "x.txt", "--db", str(tmp_path / "no" / "dir" / "x.db"))
    assert r.exit_code == 1 and "does not exist" in r.stderr
    r = run("events", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert r.exit_code == 1 and "cannot open" in r.stderr and r.stderr.count("\n") == 1
    r = run("db", "upgrade", "--db", str(tmp_path / "new.db"))
    assert r.exit_code == 0 and "empty -> 0003_runs" in r.stdout


def test_ingest_reads_what_extract_reads(tmp_path: Path) -> None:
    page = Path(__file__).parent / "fixtures" / "ingest" / "seed.nl.html"
    db = str(tmp_path / "html.db")
    r = run("ingest", str(page), "--db", db, "--published", "2018-06-28")
    assert r.exit_code == 0, r.output
    status, name, report_id, detail = r.stdout.strip().split("\t")
    assert status == "done" and name.endswith("seed.nl.html") and detail.endswith("events")
    assert int(detail.split()[0]) > 0
    events = run("events", "--db", db, "--running-totals", "--format", "jsonl").stdout
    assert any(json.loads(x)["sources"][0]["report_id"] == report_id for x in events.splitlines())


def test_ingest_takes_corpus_fields_and_globs(tmp_path):
    import json as _json

    from click.testing import CliRunner

    from sitrep.cli import main

    corpus = tmp_path / "in" / "feed.jsonl"
    corpus.parent.mkdir()
    body = (
        "Bij een Russische luchtaanval op Charkiv zijn zondag zeker zes mensen omgekomen, meldt "
        "de gouverneur."
    )
    corpus.write_text(_json.dumps({"body": body, "date": "2024-03-03"}) + "\n", encoding="utf-8")
    (tmp_path / "in" / "notes.txt").write_text("not to be read", encoding="utf-8")
    db = str(tmp_path / "f.db")
    r = CliRunner().invoke(
        main,
        [
            "ingest",
            str(tmp_path / "in"),
            "--db",
            db,
            "--glob",
            "*.jsonl",
            "--fields",
            "text=body,published=date",
            "--lang",
            "nl",
            "-q",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "1 inputs: 1 stored" in r.output or "1 inputs: 1 stored" in (r.stderr or "")
    bad = CliRunner().invoke(main, ["ingest", str(corpus), "--db", db, "--fields", "nonsense"])
    assert bad.exit_code == 2 and "--fields" in bad.output
