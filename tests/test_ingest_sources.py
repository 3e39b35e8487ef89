"""Inputs as users hold them: directories, globs, gzip, corpora, feeds on disk, stdin."""

from __future__ import annotations

import gzip
import io
import os
import sys
from pathlib import Path

import pytest

from sitrep.ingest import FieldMap, InputFailure, InputItem, ReadOptions, iter_inputs
from sitrep.ingest.sources import kind_of

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
EN = "At least twelve civilians were killed on Monday in Idlib, the observatory said."
NL = "Bij een aanval op Charkiv zijn dinsdag drie burgers gedood, meldt de gouverneur."


def by_name(items: list[InputItem | InputFailure]) -> dict[str, InputItem | InputFailure]:
    out = {i.name: i for i in items}
    assert len(out) == len(items), "every input is named once"
    return out


def test_kind_of() -> None:
    assert kind_of("a/b.HTML") == "html"
    assert kind_of("x.jsonl.gz") == "jsonl"
    assert kind_of("x.tsv") == "csv"
    assert kind_of("feed.xml") == "feed"
    assert kind_of("notes.md") == "auto"


def test_directory_walk_glob_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a" / "one.txt").write_text(EN)
    (tmp_path / "a" / "two.txt.gz").write_bytes(gzip.compress(NL.encode()))
    (tmp_path / "page.html").write_text(FIX.joinpath("seed.nl.html").read_text("utf-8"))
    (tmp_path / "notes.md").write_text("not an input type")
    (tmp_path / ".hidden" / "x.txt").write_text(EN)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    got = by_name(list(iter_inputs([str(tmp_path)])))
    assert sorted(Path(n).relative_to(tmp_path).as_posix() for n in got) == [
        "a/one.txt",
        "a/two.txt.gz",
        "page.html",
    ]
    assert got[str(tmp_path / "a" / "two.txt.gz")].text == NL  # type: ignore[union-attr]
    only = list(iter_inputs([str(tmp_path)], glob=["*.txt*"]))
    assert [Path(i.name).name for i in only] == ["one.txt", "two.txt.gz"]
    minus = list(iter_inputs([str(tmp_path)], glob=["!a/*"]))
    assert [Path(i.name).name for i in minus] == ["page.html"]
    pattern = list(iter_inputs([str(tmp_path / "a" / "*.txt")]))
    assert [Path(i.name).name for i in pattern] == ["one.txt"]


def test_gzip_recognised_without_the_suffix_and_truncated_gzip(tmp_path: Path) -> None:
    (tmp_path / "sneaky.txt").write_bytes(gzip.compress(EN.encode()))
    whole = gzip.compress(EN.encode() * 40)
    (tmp_path / "cut.txt.gz").write_bytes(whole[: len(whole) // 2])
    got = by_name(list(iter_inputs([str(tmp_path / "sneaky.txt"), str(tmp_path / "cut.txt.gz")])))
    assert got[str(tmp_path / "sneaky.txt")].text == EN  # type: ignore[union-attr]
    cut = got[str(tmp_path / "cut.txt.gz")]
    assert isinstance(cut, InputFailure) and cut.reason.startswith("truncated gzip stream")


def test_missing_inputs_and_unknown_types(tmp_path: Path) -> None:
    (tmp_path / "article").write_text(EN)  # no extension: sniffed
    (tmp_path / "saved").write_text(FIX.joinpath("seed.nl.html").read_text("utf-8"))
    got = list(
        iter_inputs(
            [
                str(tmp_path / "nope.txt"),
                str(tmp_path / "nothing-*.txt"),
                str(tmp_path / "article"),
                str(tmp_path / "saved"),
            ]
        )
    )
    assert got[0] == InputFailure(str(tmp_path / "nope.txt"), "no such file")
    assert got[1] == InputFailure(str(tmp_path / "nothing-*.txt"), "no file matches this pattern")
    assert isinstance(got[2], InputItem) and got[2].text == EN
    assert (
        isinstance(got[3], InputItem) and got[3].title == "Russische bombardementen in Zuid-Syrië"
    )


def test_jsonl_corpus_with_field_map() -> None:
    fm = FieldMap(
        text="body", published="meta.date", source="meta.outlet", url="meta.link", lang="language"
    )
    got = by_name(list(iter_inputs([str(FIX / "corpus.jsonl")], fields=fm)))
    name = str(FIX / "corpus.jsonl")
    one = got[f"{name}:1"]
    assert isinstance(one, InputItem)
    assert (one.lang, one.source_name, one.url) == ("en", "Example Wire", "https://example.org/1")
    assert one.published is not None and one.published.isoformat() == "2024-03-04"
    two = got[f"{name}:2"]
    assert (
        isinstance(two, InputItem) and two.published and two.published.isoformat() == "2024-03-05"
    )
    assert isinstance(got[f"{name}:4"], InputItem)  # language fr: skipped later, not here
    reasons = {k.rsplit(":", 1)[1]: v.reason for k, v in got.items() if isinstance(v, InputFailure)}
    assert reasons == {
        "5": "empty: field 'body' has no text",
        "6": "field 'body' is a list, not text",
        "7": "malformed JSON (Invalid control character at column 32)",
        "8": "not a JSON object (a list)",
        "9": "no 'body' field (see --fields)",
    }
    assert f"{name}:3" not in got  # a blank line is not an input
    assert len(got) == 9


def test_jsonl_lines_that_are_not_utf8_or_too_long(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl.gz"
    lines = [
        b'{"text": "' + EN.encode() + b'"}',
        b'{"text": "caf\xe9"}',
        b'{"text": "' + b"x" * 5000 + b'"}',
        b'{"text": "' + NL.encode() + b'"}',
    ]
    p.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    got = list(iter_inputs([str(p)], options=ReadOptions(max_bytes=1000)))
    assert [type(g).__name__ for g in got] == [
        "InputItem",
        "InputFailure",
        "InputFailure",
        "InputItem",
    ]
    assert got[1].reason == "not valid UTF-8 (byte 0xe9 at column 14)"  # type: ignore[union-attr]
    assert got[2].reason.startswith("too large")  # type: ignore[union-attr]


def test_truncated_gzip_corpus_keeps_what_came_before(tmp_path: Path) -> None:
    body = b"".join(b'{"text": "%s %d"}\n' % (EN.encode(), i) for i in range(300))
    whole = gzip.compress(body)
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(whole[: len(whole) // 2])
    got = list(iter_inputs([str(p)]))
    items = [g for g in got if isinstance(g, InputItem)]
    fails = [g for g in got if isinstance(g, InputFailure)]
    assert items and len(fails) == 1
    assert fails[0].name == str(p) and fails[0].reason.startswith("truncated gzip stream")
    assert [i.name for i in items] == [f"{p}:{n}" for n in range(1, len(items) + 1)]


def test_csv_corpus_in_windows_1252_with_semicolons() -> None:
    name = str(FIX / "corpus.cp1252.csv")
    got = list(iter_inputs([name], fields=FieldMap(text="body")))
    assert [g.name for g in got] == [f"{name}:2", f"{name}:3"]
    first = got[0]
    assert isinstance(first, InputItem) and "café in Goma" in first.text
    assert first.source_name == "Radio Okapi" and first.published is not None
    assert first.encoding == "cp1252" and first.encoding_detected
    missing = list(iter_inputs([name]))
    assert len(missing) == 1 and isinstance(missing[0], InputFailure)
    assert missing[0].reason.startswith("no 'text' column (columns: body, published, source")


def test_csv_multiline_fields_and_row_names(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text(f'text,url\n"{EN}\n\nSecond paragraph.",https://e.org/1\n,x\n"{NL}",\n')
    got = list(iter_inputs([str(p)]))
    assert [g.name.rsplit(":", 1)[1] for g in got] == ["2", "5", "6"]
    assert isinstance(got[0], InputItem) and got[0].text.endswith("Second paragraph.")
    assert isinstance(got[1], InputFailure) and got[1].reason == "empty: field 'text' has no text"


def test_feed_file_on_disk() -> None:
    got = list(iter_inputs([str(FIX / "feed.atom")], options=ReadOptions(feed_full_text_words=20)))
    assert len(got) == 2
    first = got[0]
    assert isinstance(first, InputItem)
    assert first.title == "Strikes on Idlib market" and first.source_name == "Example Wire"
    assert first.text.startswith("At least 14 civilians") and "\n\nAnother 30" in first.text
    assert first.published is not None and first.published.isoformat() == "2024-03-04"
    assert isinstance(got[1], InputFailure)
    assert got[1].reason == "feed item has neither text nor a link to fetch"


def test_stdin_text_html_and_gzip(monkeypatch: pytest.MonkeyPatch) -> None:
    def feed(data: bytes) -> list[InputItem | InputFailure]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        return list(iter_inputs(["-"]))

    [plain] = feed(NL.encode("cp1252"))
    assert isinstance(plain, InputItem) and plain.name == "<stdin>" and plain.text == NL
    [page] = feed(FIX.joinpath("seed.nl.html").read_bytes())
    assert isinstance(page, InputItem) and page.source_name == "Voorbeeldnieuws"
    [zipped] = feed(gzip.compress(EN.encode()))
    assert isinstance(zipped, InputItem) and zipped.text == EN
    [empty] = feed(b"")
    assert empty == InputFailure("<stdin>", "empty: no text to read")


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    p = tmp_path / "locked.txt"
    p.write_text(EN)
    p.chmod(0)
    [got] = list(iter_inputs([str(p)]))
    assert got == InputFailure(str(p), "permission denied")


def test_field_map_option_and_alternatives(tmp_path: Path) -> None:
    fm = FieldMap.parse("text=body|content, published=meta.date")
    assert (fm.text, fm.published, fm.url) == ("body|content", "meta.date", "url|link")
    with pytest.raises(ValueError, match="FIELD=NAME"):
        FieldMap.parse("txt=body")
    p = tmp_path / "c.jsonl"
    p.write_text(
        '{"content": "' + EN + '", "meta": {"date": "2024-03-04"}, "source_name": "Wire"}\n'
        '{"text": "' + NL + '", "date": "2024-03-05", "source": "Krant", "language": "nl-NL"}\n'
    )
    a, b = iter_inputs([str(p)], fields=fm)
    assert isinstance(a, InputItem) and a.source_name == "Wire" and a.published is not None
    assert isinstance(b, InputFailure) and b.reason == "no 'body|content' field (see --fields)"
    [c, d] = iter_inputs([str(p)])  # the defaults read both spellings
    assert isinstance(d, InputItem) and (d.source_name, d.lang) == ("Krant", "nl")
    assert d.published is not None and d.published.isoformat() == "2024-03-05"
    assert isinstance(c, InputFailure)
