"""Parsing and extraction in worker processes: one outcome per input, in order, accounted."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

import sitrep.ingest.process as process_module
from sitrep.errors import SitrepError
from sitrep.ingest import Accounting, FieldMap, Outcome, Progress, process_inputs
from sitrep.ingest.items import InputFailure, RawInput

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
EN = (
    "At least {n} civilians were killed on Monday when airstrikes hit a market in Idlib, "
    "the observatory said."
)
NL = "Bij een aanval op Charkiv zijn dinsdag {n} burgers gedood, meldt de gouverneur."
FR = "Au moins vingt civils ont été tués jeudi dans des frappes aériennes russes, selon l'OSDH."


def corpus(tmp_path: Path, n: int = 30) -> list[str]:
    files = []
    for i in range(n):
        p = tmp_path / f"doc{i:03d}.txt"
        p.write_text((EN if i % 2 else NL).format(n=i + 3))
        files.append(str(p))
    return files


def summary(outs: list[Outcome]) -> list[tuple[str, str, str | None, int]]:
    return [(o.name, o.state, o.reason, len(o.events)) for o in outs]


def test_one_and_two_workers_agree_in_order(tmp_path: Path) -> None:
    files = corpus(tmp_path)
    (tmp_path / "dup.txt").write_text(NL.format(n=3))  # the same text as doc000.txt
    (tmp_path / "fr.txt").write_text(FR)
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    specs = [*files, *(str(tmp_path / n) for n in ("dup.txt", "fr.txt", "bin.txt", "nope.txt"))]
    one = list(process_inputs(specs, workers=1, published=date(2024, 3, 4)))
    two = list(process_inputs(specs, workers=2, chunk_size=3, published=date(2024, 3, 4)))
    assert summary(one) == summary(two)
    assert [o.name for o in two] == specs
    by = {Path(o.name).name: o for o in two}
    assert by["doc000.txt"].state == "done" and by["doc000.txt"].events
    ev = by["doc000.txt"].events[0]
    assert ev.report.published == date(2024, 3, 4) and ev.report.lang == "nl"
    assert by["doc000.txt"].text == NL.format(n=3)
    dup = by["dup.txt"]
    assert (dup.state, dup.duplicate_of, dup.events) == ("duplicate", files[0], [])
    assert by["fr.txt"].state == "skipped"
    assert by["fr.txt"].reason == "language 'fr' has no lexicon (supported: en, nl)"
    assert (by["bin.txt"].state, by["bin.txt"].reason) == ("failed", "binary data, not text")
    assert (by["nope.txt"].state, by["nope.txt"].reason) == ("failed", "no such file")


def test_forced_language_and_declared_corpus_language() -> None:
    fm = FieldMap(text="body", lang="language", published="meta.date")
    outs = list(process_inputs([str(FIX / "corpus.jsonl")], workers=1, fields=fm))
    states = {o.name.rsplit(":", 1)[1]: o.state for o in outs}
    assert states == {
        "1": "done",
        "2": "done",
        "4": "skipped",  # declared fr
        "5": "failed",
        "6": "failed",
        "7": "failed",
        "8": "failed",
        "9": "failed",
        "10": "done",
    }
    forced = list(process_inputs([str(FIX / "corpus.jsonl")], workers=1, fields=fm, lang="nl"))
    first = next(o for o in forced if o.name.endswith(":1"))
    assert first.report is not None and first.report.lang == "nl"


def test_accounting_and_errors_file(tmp_path: Path) -> None:
    files = corpus(tmp_path, 4)
    (tmp_path / "dup.txt").write_text(NL.format(n=3))
    (tmp_path / "fr.txt").write_text(FR)
    (tmp_path / "empty.txt").write_text("")
    specs = [*files, *(str(tmp_path / n) for n in ("dup.txt", "fr.txt", "empty.txt"))]
    errors = tmp_path / "errors.jsonl"
    with Accounting(errors) as acct:
        for o in process_inputs(specs, workers=1):
            acct.add(o)
    assert dict(acct.counts) == {"done": 4, "duplicate": 1, "skipped": 1, "failed": 1}
    assert acct.total == len(specs)
    assert acct.summary() == (
        f"7 inputs: 4 done ({acct.events} events), 1 duplicate, 1 skipped, 1 failed"
    )
    assert acct.events >= 4
    lines = [json.loads(x) for x in errors.read_text().splitlines()]
    assert lines == [
        {"name": str(tmp_path / "empty.txt"), "state": "failed", "reason": "empty: no text to read"}
    ]
    assert "inputs/s" in acct.progress()


def test_outcome_line() -> None:
    assert Outcome("a.txt", "failed", "no such file").line() == "a.txt: failed: no such file"
    assert Outcome("b", "duplicate", duplicate_of="a").line() == "b: duplicate of a"
    assert Outcome("c", "done").line() == "c: done"


def test_an_extractor_bug_fails_one_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.extract

    real = sitrep.extract.extract_document

    def flaky(doc):  # type: ignore[no-untyped-def]
        if "Charkiv" in doc.text:
            raise KeyError("boom")
        return real(doc)

    monkeypatch.setattr(sitrep.extract, "extract_document", flaky)
    outs = list(process_inputs(corpus(tmp_path, 4), workers=1))
    assert [o.state for o in outs] == ["failed", "done", "failed", "done"]
    assert outs[0].reason == "internal error (KeyError: 'boom')"


def test_a_dying_worker_takes_only_its_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = process_module.parse_raw

    def deadly(raw: RawInput, options: object):  # type: ignore[no-untyped-def]
        if raw.name.endswith("doc005.txt"):
            os._exit(3)  # a segfault in a parser, say
        return real(raw, options)  # type: ignore[arg-type]

    monkeypatch.setattr(process_module, "parse_raw", deadly)  # workers are forked after this
    files = corpus(tmp_path, 12)
    outs = list(process_inputs(files, workers=2, chunk_size=2, mp_context="fork"))
    assert [o.name for o in outs] == files
    assert [o.name for o in outs if o.state == "failed"] == [files[5]]
    assert outs[5].reason == "worker process died on this input"
    assert sum(o.state == "done" for o in outs) == 11


def test_failures_from_reading_pass_through_in_order(tmp_path: Path) -> None:
    files = corpus(tmp_path, 3)
    outs = list(process_inputs([files[0], str(tmp_path / "x.txt"), files[1]], workers=2))
    assert [o.state for o in outs] == ["done", "failed", "done"]
    assert isinstance(InputFailure("a", "b"), InputFailure)


def test_run_level_errors() -> None:
    with pytest.raises(SitrepError):
        list(process_inputs(["x"], workers=0))


def test_progress_line_on_a_terminal_only() -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    acct = Accounting()
    quiet = io.StringIO()
    p = Progress(acct, quiet)
    p.update(force=True)
    p.echo("a.txt: failed: no such file")
    assert quiet.getvalue() == "a.txt: failed: no such file\n"
    tty = Tty()
    p = Progress(acct, tty, interval=10.0)
    acct.add(Outcome("a.txt", "failed", "no such file"))
    p.update()
    p.update()  # within the interval: not rewritten
    p.echo("a.txt: failed: no such file")
    p.close()
    out = tty.getvalue()
    assert out.count("1 input: 0 done") == 1 and "a.txt: failed" in out
    assert out.endswith("a.txt: failed: no such file\n")


def test_a_handful_of_inputs_starts_no_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(process_module, "_new_pool", no_pool)
    outs = list(process_inputs(corpus(tmp_path, 3), workers=4, chunk_size=8))
    assert [o.state for o in outs] == ["done"] * 3
