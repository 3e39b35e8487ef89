"""Who a figure is attributed to: "volgens het SOHR", "police said", "meldt persbureau Reuters".

An attribution holds for the figures of its sentence and carries on to the following
sentences of the same paragraph until another one takes over.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.lexicon import Match
from sitrep.resolve.actors import actor_index

if TYPE_CHECKING:
    from sitrep.extract.figures import Draft
    from sitrep.extract.scan import Scan

Source = tuple[str, int, int, bool]  # name, start, end, known
CARRY = "\x00carry"  # a pronoun: the source the paragraph named before

_CAP_NAME = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'\-.]*(?:[ \t]+(?:(?:[a-z]{1,4})[ \t]+)?[A-ZÀ-ÖØ-Þ][\w’'\-.]*)*"
)
_SKIP_RIGHT = re.compile(r"[\s,]*(?:\(|\")?")


def _source_at(scan: Scan, pos: int, limit: int) -> Source | None:
    """A source name that starts at ``pos`` (after titles and determiners)."""
    text, lex = scan.doc.text, scan.lex
    index = actor_index(lex.lang)
    while pos < limit and text[pos] in ' \t"“':
        pos += 1
    pronoun = lex.source_pronouns.match_at(text, pos)
    if pronoun:  # "volgens hem": whoever the paragraph named before
        return CARRY, pronoun.start, pronoun.end, True
    for _ in range(4):
        while pos < limit and text[pos] in ' \t"“':
            pos += 1
        generic = lex.generic_sources.match_at(text, pos)
        if generic is None:
            # "de Somalische politie", "het regionale ziekenhuis": an adjective, then a source.
            word = re.match(r"[\w’'\-]+\s+", text[pos:limit])
            if word:
                generic = lex.generic_sources.match_at(text, pos + word.end())
        hit = index.regex.match(text, pos)
        if hit and (not generic or hit.end() >= generic.end):
            entries = index.by_alias[hit.group()]
            entry = next((e for e in entries if e.is_source), entries[0])
            return entry.name, hit.start(), hit.end(), True
        if generic:
            return _qualified(scan, generic, pos)
        prefix = lex.name_prefixes.match_at(text, pos)
        if prefix and prefix.end < limit:
            pos = prefix.end
            continue
        break
    m = _CAP_NAME.match(text, pos, limit)
    if m and m.group().lower() not in lex.stopwords:
        name = m.group().rstrip(".")
        return name, m.start(), m.start() + len(name), False
    return None


_QUALIFIER = re.compile(r"([A-Za-zÀ-ÿ][\w’'\-]*)\s+$")


def _qualified(scan: Scan, generic: Match, floor: int) -> Source:
    """'the Iraqi military', 'hospital officials': a generic source with the word that says
    whose it is, kept as written where the language's sources are cited as written."""
    text, lex = scan.doc.text, scan.lex
    if lex.data["attribution"].get("keep_qualifier"):
        m = _QUALIFIER.search(text, max(floor, generic.start - 30), generic.start)
        if (
            m
            and m.group(1).lower() not in lex.stopwords
            and not scan.predicates.within(m.start(1), m.end(1))
        ):
            words = text[m.start(1) : generic.end].split()
            if words[1].lower() in ("the", "de", "het", "a", "an"):
                words = words[:1] + words[2:]
            return " ".join(words), m.start(1), generic.end, True
    return generic.label, generic.start, generic.end, True


def _source_before(scan: Scan, end: int, floor: int) -> Source | None:
    """A source name that ends just before ``end`` ("President Poetin zei", "police said")."""
    text, lex = scan.doc.text, scan.lex
    index = actor_index(lex.lang)
    pos = end
    while pos > floor and text[pos - 1] in " \t,":
        pos -= 1
    generic = lex.generic_sources.match_ending_at(text, pos, window=40)
    if generic and generic.start < floor:
        generic = None
    for hit in reversed(index.find(text, max(floor, pos - 80), pos)):
        close = hit.end == pos or scan.tokens_between(hit.end, pos) <= 1
        # "the Israeli military said": the longer name wins over a generic "military".
        if close and (generic is None or hit.start <= generic.start):
            entry = hit.best(source=True)
            return entry.name, hit.start, hit.end, True
        break
    if generic:
        return _qualified(scan, generic, floor)
    m = re.search(
        r"([A-ZÀ-ÖØ-Þ][\w’'\-.]*(?:[ \t]+(?:[a-z]{1,4}[ \t]+)?[A-ZÀ-ÖØ-Þ][\w’'\-.]*)*)$",
        text[floor:pos],
    )
    if m:
        name = m.group(1)
        start = floor + m.start(1)
        # A name at the start of the sentence that is no source: "Police" is, "The" is not.
        if name.lower() not in lex.stopwords:
            return name, start, start + len(name), False
    # "the regional governor said": an unnamed role, cited as the words that name it.
    role = re.search(
        r"(?:^|[\s,])(?:the|a|an|de|het|een)\s+((?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*)$",
        text[max(floor, pos - 60) : pos],
    )
    if role:
        words = role.group(1).split()
        start = pos - len(role.group(1))
        if not any(w in lex.stopwords for w in words) and not scan.predicates.within(start, pos):
            return role.group(1), start, pos, False
    return None


def _sentence_sources(scan: Scan, s_start: int, s_end: int) -> list[tuple[Match, Source]]:
    found: list[tuple[Match, Source]] = []
    before_cues = scan.attr_before.within(s_start, s_end)
    after_cues = {(c.start, c.end) for c in scan.attr_after.within(s_start, s_end)}
    seen: set[tuple[int, int]] = set()
    for cue in before_cues:
        src = _source_at(scan, cue.end, s_end)
        if (src is None or src[0] == CARRY) and (cue.start, cue.end) in after_cues:
            # "The army said it …": the subject before the verb is the source.
            src = _source_before(scan, cue.start, s_start) or src
        if src:
            found.append((cue, src))
        seen.add((cue.start, cue.end))
    for cue in scan.attr_after.within(s_start, s_end):
        if (cue.start, cue.end) in seen:
            continue
        src = _source_before(scan, cue.start, s_start)
        if src:
            found.append((cue, src))
    return found


def attribute(scan: Scan, drafts: list[Draft]) -> None:
    """Set ``source`` of each draft from its sentence, else from its paragraph so far."""
    carried: dict[int, Source] = {}
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    backward = scan.lex.attribution_backward
    for s in scan.doc.sentences:
        found = [
            (cue, carried[s.paragraph] if src[0] == CARRY else src)
            for cue, src in _sentence_sources(scan, s.start, s.end)
            if src[0] != CARRY or s.paragraph in carried
        ]
        ds = by_sentence.get(s.index, [])
        if found and backward and backward.match(scan.doc.text, s.start) and s.index > 0:
            # "Dat meldt het SOHR.": the source of the sentence before.
            prev = scan.doc.sentences[s.index - 1]
            if prev.paragraph == s.paragraph:
                for d in by_sentence.get(prev.index, []):
                    if "source" not in d.cues:
                        d.source = found[0][1]
                        d.cues["source"] = (found[0][1][1], found[0][1][2])
        for d in ds:
            if found:
                cue, src = min(
                    found, key=lambda cs: scan.distance(d.anchor, (cs[0].start, cs[0].end))
                )
                d.source = src
                d.cues["source"] = (min(cue.start, src[1]), max(cue.end, src[2]))
            elif s.paragraph in carried:
                d.source = carried[s.paragraph]
                d.cues["source"] = (d.source[1], d.source[2])
        if found:
            carried[s.paragraph] = found[-1][1]
