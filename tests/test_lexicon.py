"""Lexicon files compile: matchers compile lazily, so a test compiles every one of them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.lexicon import LabelMatcher, LexiconError, available_languages, load_lexicon


@pytest.mark.parametrize("lang", available_languages())
def test_every_matcher_of_every_lexicon_compiles(lang: str) -> None:
    load_lexicon(lang).check()


def test_a_bad_pattern_fails_on_first_use_with_a_lexicon_error() -> None:
    matcher = LabelMatcher([("x", "killed (")])  # built without compiling
    with pytest.raises(LexiconError, match="bad pattern"):
        matcher.compile()


def test_matches_are_the_same_whichever_regex_is_compiled_first() -> None:
    matcher = LabelMatcher([("killed", "killed"), ("killed", "shot dead"), ("wounded", "hurt")])
    text = "Two were shot dead and three hurt."
    assert matcher.match_ending_at(text, text.index(" and")).label == "killed"
    assert [(m.label, m.text) for m in matcher.finditer(text)] == [
        ("killed", "shot dead"),
        ("wounded", "hurt"),
    ]


def _gold_texts(lang: str) -> list[str]:
    from sitrep.evaluate import load_gold

    return [
        item["text"]
        for name in ("seed", f"dev.{lang}", f"test.{lang}")
        for item in load_gold(f"tests/gold/{name}.jsonl")
        if item["lang"] == lang
    ]


@pytest.mark.parametrize("lang", available_languages())
def test_scans_find_what_the_plain_regex_finds(lang: str) -> None:
    """``finditer`` scans lower-cased text and skips positions inside words: over whole
    texts and over spans that start and end anywhere, it finds what the one regex finds."""
    lex = load_lexicon(lang)
    texts = [*_gold_texts(lang), "Killed", "'killed' (killed)", "-- €5 , $ 3 ; a"]
    matchers = [m for m in vars(lex).values() if isinstance(m, LabelMatcher) and not m.empty]
    for text in texts:
        spans = [(0, len(text)), (1, len(text) - 1), (len(text) // 3, 2 * len(text) // 3)]
        for matcher in matchers:
            for a, b in spans:
                plain = [matcher._wrap(m) for m in matcher.regex.finditer(text, a, b)]
                assert list(matcher.finditer(text, a, b)) == plain, (lang, text[a:b][:60])


_PIECES = [
    "killed",
    "Killed",
    "at least",
    "de",
    "het",
    "a",
    "said",
    "politie",
    "U.N.",
    "-",
    "'",
    "’",
    "(",
    ")",
    ",",
    ".",
    "\n",
    " ",
    "  ",
    "€",
    "$",
    "12",
    "twaalf",
    "doden",
    "in",
    "the",
    "army",
    "ministerie",
    "volgens",
    "é",
    "ß",
    "İ",
    "ﬁ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.integers(0, 80), st.integers(0, 80))
def test_scans_of_any_text_find_what_the_plain_regex_finds(
    pieces: list[str], a: int, b: int
) -> None:
    text = "".join(pieces)
    a, b = min(a, len(text)), min(max(a, b), len(text))
    for lang in available_languages():
        for matcher in vars(load_lexicon(lang)).values():
            if isinstance(matcher, LabelMatcher) and not matcher.empty:
                plain = [matcher._wrap(m) for m in matcher.regex.finditer(text, a, b)]
                assert list(matcher.finditer(text, a, b)) == plain
