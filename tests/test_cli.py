"""The command line: formats, and bad input reported as one line per file, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from sitrep.cli import main

SEED = str(Path(__file__).parent / "data" / "seed.nl.txt")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_extract_jsonl_validates_against_published_schema(tmp_path):
    import jsonschema

    out = tmp_path / "events.jsonl"
    r = run(
        "extract",
        SEED,
        "--lang",
        "nl",
        "--published",
        "2018-06-28",
        "--format",
        "jsonl",
        "--output",
        str(out),
        "--url",
        "https://example.org/a",
        "--source-name",
        "NOS",
    )
    assert r.exit_code == 0, r.output
    schema = json.loads(
        (Path(__file__).parents[1] / "src/sitrep/schema/event.schema.json").read_text()
    )
    lines = out.read_text().splitlines()
    assert len(lines) == 7
    for line in lines:
        record = json.loads(line)
        jsonschema.validate(record, schema)
        assert record["report"]["url"] == "https://example.org/a"
        assert record["report"]["source_name"] == "NOS"


def test_published_schema_is_in_step_with_the_model():
    from sitrep.model import event_schema

    path = Path(__file__).parents[1] / "src/sitrep/schema/event.schema.json"
    assert json.loads(path.read_text()) == event_schema(), "run `make schema`"


def test_formats_json_csv_table():
    for fmt, check in [
        ("json", lambda s: len(json.loads(s)) == 7),
        ("csv", lambda s: s.splitlines()[0].startswith("event_id,") and len(s.splitlines()) == 9),
        ("table", lambda s: "twintig" in s and "Musayfrah" in s),
    ]:
        r = run("extract", SEED, "--lang", "nl", "--published", "2018-06-28", "--format", fmt)
        assert r.exit_code == 0 and check(r.output), (fmt, r.output[:300])


def test_stdin_and_auto_language():
    text = Path(SEED).read_text("utf-8")
    r = run("extract", "-", "--published", "2018-06-28", "--format", "json", input=text)
    assert r.exit_code == 0
    assert {e["report"]["lang"] for e in json.loads(r.output)} == {"nl"}


def test_bad_inputs_one_line_each_and_the_rest_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Bij aanvallen zijn twintig burgers gedood in Daraa, café".encode("latin-1"))
    big = tmp_path / "big.txt"
    with big.open("w") as f:
        f.write(("Twenty people were killed in an airstrike on Monday. " * 20 + "\n") * 50000)
    french = tmp_path / "fr.txt"
    french.write_text(
        "Au moins vingt civils ont été tués jeudi dans des frappes aériennes "
        "russes sur la province de Deraa, selon l'Observatoire syrien."
    )
    missing = tmp_path / "nope.txt"
    errors = tmp_path / "errors.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitrep.cli",
            "extract",
            str(empty),
            str(binary),
            str(latin),
            str(big),
            str(french),
            str(missing),
            SEED,
            "--published",
            "2018-06-28",
            "--format",
            "jsonl",
            "--errors",
            str(errors),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    err = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0  # the run completed; single inputs failed
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sum(e["report"]["id"] == "3071bd1018e7426a" for e in events) == 7  # the seed
    # Latin-1 text is decoded, not refused: its event comes through too.
    assert [
        e["figures"][0]["best"] for e in events if "café" in e["figures"][0]["evidence"]["sentence"]
    ] == [20]
    by_file = {
        p: [line for line in err if p in line]
        for p in (str(empty), str(binary), str(big), str(french), str(missing))
    }
    assert all(len(lines) == 1 for lines in by_file.values()), err
    assert "empty" in by_file[str(empty)][0]
    assert "binary" in by_file[str(binary)][0]
    assert "too large" in by_file[str(big)][0]
    assert "skipped" in by_file[str(french)][0] and "'fr'" in by_file[str(french)][0]
    assert "no such file" in by_file[str(missing)][0]
    assert not [line for line in err if str(latin) in line]
    assert err[-1].endswith("7 inputs: 2 done (8 events), 0 duplicate, 1 skipped, 4 failed")
    failures = [json.loads(line) for line in errors.read_text().splitlines()]
    assert {f["state"] for f in failures} == {"failed"} and len(failures) == 4


def test_bad_options_are_usage_errors():
    r = run("extract", SEED, "--published", "28-06-2018")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = run("extract", SEED, "--lang", "xx")
    assert r.exit_code == 2 and "no lexicon" in r.output


def test_eval_min_f1_gate(tmp_path):
    gold = str(Path(__file__).parent / "gold" / "seed.jsonl")
    assert run("eval", gold, "--min-f1", "0.99").exit_code == 0
    bad = tmp_path / "bad.jsonl"
    line = json.loads(Path(gold).read_text().splitlines()[0])
    line["figures"] = line["figures"][:2]
    bad.write_text(json.dumps(line) + "\n")
    r = run("eval", str(bad), "--min-f1", "0.9")
    assert r.exit_code == 1


def test_geoparse_jsonl_and_given_mentions(tmp_path):
    r = run("geoparse", SEED, "--format", "jsonl")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    by_text = {row["text"]: row for row in rows}
    assert by_text["Al Musayfrah"]["country"] == "SY"
    assert by_text["Al Musayfrah"]["admin1"] == "Daraa"
    assert by_text["Al Musayfrah"]["precision"] == 1
    assert by_text["Arsal"]["country"] == "LB"
    assert by_text["Libanon"]["country"] == "LB"
    text = Path(SEED).read_text("utf-8")
    start = text.index("Arsal")
    spans = tmp_path / "m.jsonl"
    spans.write_text(
        json.dumps({"start": start, "end": start + 5})
        + "\n"
        + json.dumps({"start": 0, "end": 3})
        + "\n"
    )
    r = run("geoparse", SEED, "--mentions", str(spans), "--format", "jsonl")
    assert r.exit_code == 0, r.output
    first, second = (json.loads(line) for line in r.output.splitlines())
    assert first["country"] == "LB" and first["text"] == "Arsal"
    assert second["geonameid"] is None and second["text"] == "Bij"


def test_extract_fills_geocoded_places():
    r = run("extract", SEED, "--lang", "nl", "--published", "2018-06-28", "--format", "json")
    events = json.loads(r.output)
    town = next(e for e in events if e["place"]["text"] == "Al Musayfrah")
    assert town["place"]["country"] == "SY" and town["place"]["admin1"] == "Daraa"
    assert town["place"]["precision"] == 1 and town["place"]["lat"] is not None
    first = events[0]  # "in het zuidwesten van Syrië": the area, never a town point
    assert first["place"]["country"] == "SY" and first["place"]["precision"] == 3
    assert first["place"]["relation"] == "southwest of"
