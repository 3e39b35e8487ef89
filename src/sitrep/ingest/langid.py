"""Language identification: function words of the lexicons first, a statistical model only
to name a language sitrep has no lexicon for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.lexicon import available_languages, load_lexicon

_WORD = re.compile(r"[^\W\d_]+")
PREFIX_CHARS = 2000
MIN_SHARE = 0.12
SURE_SHARE = 0.35


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str | None
    supported: bool
    share: float


def identify(text: str) -> LanguageGuess:
    """Identify the language of ``text`` from a prefix of it."""
    words = [w.lower() for w in _WORD.findall(text[:PREFIX_CHARS])]
    if not words:
        return LanguageGuess(None, False, 0.0)
    best, best_share = None, 0.0
    for lang in available_languages():
        stop = load_lexicon(lang).stopwords
        share = sum(w in stop for w in words) / len(words)
        if share > best_share:
            best, best_share = lang, share
    if best is not None and best_share >= SURE_SHARE:
        return LanguageGuess(best, True, best_share)
    if best is not None and best_share >= MIN_SHARE:
        # Weak evidence ("en", "de", "in" are words of other languages too): ask the model.
        named = _classify(text[:PREFIX_CHARS])
        if named is None or named == best:
            return LanguageGuess(best, True, best_share)
        return LanguageGuess(named, named in available_languages(), best_share)
    named = _classify(text[:PREFIX_CHARS])
    return LanguageGuess(None if named in available_languages() else named, False, best_share)


def _classify(text: str) -> str | None:
    try:
        import py3langid  # loads its model (~1 s): only for texts the lexicons do not settle
    except ImportError:  # pragma: no cover - optional at run time
        return None
    lang, _score = py3langid.classify(text)
    return lang
