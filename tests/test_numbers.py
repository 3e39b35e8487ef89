"""Number phrases: values, bounds and qualifiers under the gold rules; never raising."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.extract.numbers import parser_for

CASES = [
    ("nl", "meer dan twintig", 21, 21, None, "more_than"),
    ("nl", "Minstens zeventien", 17, 17, None, "at_least"),
    ("nl", "zo’n negentig", 90, None, None, "about"),
    ("nl", "zo'n 45.000", 45000, None, None, "about"),
    ("nl", "drieëntwintig", 23, None, None, "exact"),
    ("nl", "eenentwintig", 21, None, None, "exact"),
    ("nl", "vierhonderd", 400, None, None, "exact"),
    ("nl", "tweeduizend vijfhonderd", 2500, None, None, "exact"),
    ("nl", "1,2 miljoen", 1200000, None, None, "exact"),
    ("nl", "ongeveer een miljoen", 1000000, None, None, "about"),
    ("nl", "anderhalf miljoen", 1500000, None, None, "exact"),
    ("nl", "ruim een half miljoen", 500001, 500001, None, "more_than"),
    ("en", "More than half a million", 500001, 500001, None, "more_than"),
    ("nl", "20 tot 30", 20, 20, 30, "range"),
    ("nl", "tussen de 20 en 30", 20, 20, 30, "range"),
    ("nl", "bijna 10.000", 10000, None, 9999, "nearly"),
    ("nl", "tot 50", 50, None, 50, "up_to"),
    ("nl", "ten minste 12", 12, 12, None, "at_least"),
    ("nl", "ruim 300", 301, 301, None, "more_than"),
    ("nl", "tientallen", 20, 20, None, "vague"),
    ("nl", "honderden", 200, 200, None, "vague"),
    ("nl", "Tienduizenden", 20000, 20000, None, "vague"),
    ("en", "more than twenty", 21, 21, None, "more_than"),
    ("en", "twenty-three", 23, None, None, "exact"),
    ("en", "one hundred and twenty", 120, None, None, "exact"),
    ("en", "at least 17", 17, 17, None, "at_least"),
    ("en", "45,000", 45000, None, None, "exact"),
    ("en", "1.2 million", 1200000, None, None, "exact"),
    ("en", "between 20 and 30", 20, 20, 30, "range"),
    ("en", "20-30", 20, 20, 30, "range"),
    ("en", "nearly 10,000", 10000, None, 9999, "nearly"),
    ("en", "up to 50", 50, None, 50, "up_to"),
    ("en", "some 45,000", 45000, None, None, "about"),
    ("en", "dozens", 24, 24, None, "vague"),
    ("en", "scores", 40, 40, None, "vague"),
    ("en", "tens of thousands", 20000, 20000, None, "vague"),
    ("en", "several thousand", 3000, 3000, None, "vague"),
    ("en", "two dozen", 24, None, None, "exact"),
]


@pytest.mark.parametrize(("lang", "text", "best", "low", "high", "qualifier"), CASES)
def test_number_phrase(lang, text, best, low, high, qualifier):
    found = parser_for(lang).find(text)
    assert len(found) == 1, found
    n = found[0]
    assert (n.best, n.low, n.high, n.qualifier) == (best, low, high, qualifier)
    assert n.text == text


@pytest.mark.parametrize(
    ("lang", "text"),
    [("nl", "een herder"), ("en", "a man"), ("en", "F-16 jets"), ("nl", "2,5 keer")],
)
def test_not_a_number_phrase(lang, text):
    assert parser_for(lang).find(text) == []


def test_rising_toll_keeps_only_the_later_number():
    [n] = parser_for("en").find("the toll rose from 20 to 30")
    assert (n.best, n.qualifier) == (30, "exact")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_number_parser_never_raises(text):
    for lang in ("nl", "en"):
        for n in parser_for(lang).find(text):
            assert n.best >= 0
            assert text[n.start : n.end] == n.text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "meer",
                "dan",
                "twintig",
                "zo’n",
                "45.000",
                "1,2",
                "miljoen",
                "tot",
                "-",
                "tussen",
                "en",
                "at",
                "least",
                "nearly",
                "10,000",
                "twenty",
                "three",
                "hundred",
                "and",
                "dozens",
                "of",
                "drieëntwintig",
                "een",
                "a",
                "million",
                "20",
                "30",
                "between",
                "bijna",
                "ruim",
                " ",
            ]
        ),
        max_size=12,
    )
)
def test_number_parser_never_raises_on_number_words(words):
    text = " ".join(words)
    for lang in ("nl", "en"):
        parser_for(lang).find(text)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_atoms_are_scanned_as_the_plain_regex_finds_them(lang: str) -> None:
    """``_atoms_in`` skips positions inside words (``scan_after_gaps``): over whole texts and
    over spans that start and end anywhere it finds what the one regex finds."""
    from sitrep.evaluate import load_gold
    from sitrep.lexicon import scan_after_gaps

    parser = parser_for(lang)
    texts = [
        item["text"]
        for name in ("seed", f"dev.{lang}", f"test.{lang}")
        for item in load_gold(f"tests/gold/{name}.jsonl")
        if item["lang"] == lang
    ]
    for text in [*texts, "12 doden", "(twelve) -3 5,000"]:
        for a, b in [(0, len(text)), (1, len(text) - 1), (len(text) // 3, 2 * len(text) // 3)]:
            plain = [(*m.span(), m.lastgroup) for m in parser._atoms.finditer(text, a, b)]
            found = scan_after_gaps(parser._atoms, text, parser._atoms_after_gap, text, a, b)
            assert [(x, y, m.lastgroup) for x, y, m in found] == plain
