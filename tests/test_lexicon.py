"""Lexicon files compile: matchers compile lazily, so a test compiles every one of them."""

from __future__ import annotations

import pytest

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
