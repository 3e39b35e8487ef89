"""Place names as written: a proper name after a locative word or a relation phrase.

This finds where the text says something happened; turning the words into coordinates is
the resolver's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sitrep.lexicon import Lexicon

_NAME = re.compile(
    r"(?:(?:al|el|ad|as|ash|ar|az|ez|an)-)?[A-ZÀ-ÖØ-Þ][\w’'\-]*"
    r"(?:[ \t]+(?:(?:al|el|ad|as|ash|ar|az|ez|an|de|la|bin|ibn|van|der|den|du|des|of|on)[- \t]+)?"
    r"(?:(?:al|el|ad|as|ash|ar|az|ez|an)-)?[A-ZÀ-ÖØ-Þ][\w’'\-]*)*"
)
_ARTICLE = re.compile(r"(?:the|de|het|'t)\s+", re.IGNORECASE)
_LEADING = re.compile(r"^(?:in|ten|on|at|to)\s+(?:(?:het|de|the)\s+)?", re.IGNORECASE)


@dataclass(slots=True)
class PlaceMention:
    start: int  # the phrase as cited: relation words and name
    end: int
    text: str
    name_start: int
    name_end: int
    relation: str | None = None
    feature: str | None = None  # locality | region | None (unknown)

    @property
    def name(self) -> str:
        return self.text[self.name_start - self.start : self.name_end - self.start]


def find_places(
    text: str,
    lex: Lexicon,
    not_a_place: Callable[[str], bool] = lambda _: False,
    start: int = 0,
    end: int | None = None,
) -> list[PlaceMention]:
    """Candidate place phrases of a text; ``not_a_place`` rejects names (actors, months)."""

    def _name_at(text: str, pos: int) -> re.Match[str] | None:
        m = _ARTICLE.match(text, pos)
        if m and text[m.end() : m.end() + 1].isupper():
            pos = m.end()
        name = _NAME.match(text, pos)
        if not name:
            return None
        # "de Libanese regio Arsal": an adjective, then the kind of place, then its name.
        nxt = name.end()
        while nxt < len(text) and text[nxt] == " ":
            nxt += 1
        kind = lex.locality_words.match_at(text, nxt) or lex.region_words.match_at(text, nxt)
        if kind and " " not in name.group():
            after = _NAME.match(text, kind.end + 1)
            if after:
                return after
        return None if not_a_place(name.group()) else name

    out: list[PlaceMention] = []
    taken: set[int] = set()
    end = len(text) if end is None else end
    for rel in lex.place_relations.finditer(text, start, end):
        pos = rel.end
        while pos < len(text) and text[pos] == " ":
            pos += 1
        feature = None
        kind = lex.locality_words.match_at(text, pos) or lex.region_words.match_at(text, pos)
        if kind:
            feature = "locality" if kind.label == "locality" else "region"
            pos = kind.end + 1
        name = _name_at(text, pos)
        if not name:
            continue
        lead = _LEADING.match(rel.text)
        start = rel.start + (lead.end() if lead and lead.end() < len(rel.text) else 0)
        out.append(
            PlaceMention(
                start,
                name.end(),
                text[start : name.end()],
                name.start(),
                name.end(),
                relation=rel.label,
                feature=feature,
            )
        )
        taken.add(name.start())
    for prep in lex.place_prepositions.finditer(text, start, end):
        pos = prep.end
        while pos < len(text) and text[pos] == " ":
            pos += 1
        feature = None
        low = prep.text.lower()
        if any(w in low for w in _words(lex, "locality")):
            feature = "locality"
        elif any(w in low for w in _words(lex, "region")):
            feature = "region"
        kind = lex.locality_words.match_at(text, pos) or lex.region_words.match_at(text, pos)
        art = _ARTICLE.match(text, pos)
        if not kind and art:
            kind = lex.locality_words.match_at(text, art.end()) or lex.region_words.match_at(
                text, art.end()
            )
        if kind:
            feature = "locality" if kind.label == "locality" else "region"
            pos = kind.end
            while pos < len(text) and text[pos] in " ,":
                pos += 1
        name = _name_at(text, pos)
        if not name or name.start() in taken:
            continue
        after = lex.region_words.match_at(text, name.end() + 1) if name.end() < len(text) else None
        end = name.end()
        if after and not feature:
            feature, end = "region", after.end
        taken.add(name.start())
        out.append(
            PlaceMention(
                name.start(),
                end,
                text[name.start() : end],
                name.start(),
                name.end(),
                feature=feature,
            )
        )
    return out


def _words(lex: Lexicon, which: str) -> list[str]:
    key = "locality_words" if which == "locality" else "region_words"
    return [w.lower() for w in lex.data["places"][key]]
