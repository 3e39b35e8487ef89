"""Place mentions of a text: relation phrases ("ten noorden van Damascus"), names the
gazetteer knows, and proper names after a locative word, each resolved with the document's
other places as context.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from sitrep.lexicon import Lexicon

_NAME = re.compile(
    r"(?:(?:al|el|ad|as|ash|ar|az|ez|an)-)?[A-ZÀ-ÖØ-Þ][\w’'\-]*"
    r"(?:[ \t]+(?:(?:al|el|ad|as|ash|ar|az|ez|an|de|la|bin|ibn|van|der|den|du|des|of)[- \t]+)?"
    r"(?:(?:al|el|ad|as|ash|ar|az|ez|an)-)?[A-ZÀ-ÖØ-Þ][\w’'\-]*)*"
)
_OF = re.compile(r"\s+(?:of|van)\s+", re.IGNORECASE)
# A place name made into an adjective of something else: "Britain-based", "Iran-backed".
_ATTRIBUTIVE = re.compile(
    r"-(?:based|backed|led|run|controlled|linked|allied|aligned|born|gevestigde|gesteunde|"
    r"geleide|gezinde)\b|\s+(?:based|gevestigde)\b",  # "de in Londen gevestigde organisatie"
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s[ \t]+(?=[A-ZÀ-ÖØ-Þ])")
_ARTICLE = re.compile(r"(?:the|de|het|'t)\s+", re.IGNORECASE)
_LEADING = re.compile(r"^(?:in|ten|on|at|to)\s+(?:(?:het|de|the)\s+)?", re.IGNORECASE)
# Patterns of the checks below, compiled once: they run for every candidate name.
_SPACES = re.compile(r"\s+")
_NAME_PARTS = re.compile(r"[\s-]+")
_NEXT_CAPITALISED = re.compile(r"[ \t]+([A-Z][a-z]+)")


@dataclass(slots=True)
class PlaceMention:
    start: int  # the phrase as cited: relation words and name
    end: int
    text: str
    name_start: int
    name_end: int
    relation: str | None = None
    feature: str | None = None  # locality | region | None (unknown)
    kind_word: str | None = None  # "provincie", "town of": what the text calls the place
    resolved: Any = None  # sitrep.resolve.geo.Resolved, once resolved

    @property
    def name(self) -> str:
        return self.text[self.name_start - self.start : self.name_end - self.start]

    @property
    def specificity(self) -> float:
        """Lower is more specific: a town, then a district, a province, a country."""
        r = self.resolved
        if r is None:
            # A name the gazetteer lacks is most often a small place, unless the text calls it
            # a province or region.
            return 2.5 if self.feature == "region" else 1.5
        if r.feature == "country":
            return 3.5
        rank = {1: 0.0, 2: 1.0, 3: 2.0}.get(r.precision, 2.5)
        return rank + (1.0 if self.relation else 0.0)

    @property
    def regional(self) -> bool:
        """A province, region or country: what a running total is placed in."""
        r = self.resolved
        if r is not None:
            return r.feature != "locality" or self.feature == "region"
        return self.feature == "region"


def find_places(
    text: str,
    lex: Lexicon,
    not_a_place: Callable[[str], bool] = lambda _: False,
    start: int = 0,
    end: int | None = None,
    gazetteer_spans: list[tuple[int, int]] | None = None,
) -> list[PlaceMention]:
    """Place mentions in ``text[start:end]``; ``not_a_place`` rejects names (actors).

    Relation phrases and names after a locative word are found everywhere in the span; bare
    names the gazetteer knows only inside ``gazetteer_spans`` (default: the whole span),
    since that look-up costs more.
    """
    end = len(text) if end is None else end
    if gazetteer_spans is None:
        gazetteer_spans = [(start, end)]

    def kind_at(pos: int):
        return lex.locality_words.match_at(text, pos) or lex.region_words.match_at(text, pos)

    def name_at(pos: int) -> tuple[re.Match[str], Any] | None:
        m = _ARTICLE.match(text, pos)
        if m and text[m.end() : m.end() + 1].isupper():
            pos = m.end()
        elif m:
            # "near the village of Mafa", "in het dorp Maru": the kind of place, then its name.
            kind = kind_at(m.end())
            if kind:
                after = _OF.match(text, kind.end)
                got = _NAME.match(text, after.end() if after else kind.end + 1, end)
                if got and not not_a_place(got.group()):
                    return got, kind
        name = _NAME.match(text, pos, end)
        if not name:
            return None
        poss = _POSSESSIVE.search(name.group())
        if poss:
            # "Niger's Tillaberi region": the place is the possessed one.
            name = _NAME.match(text, name.start() + poss.end(), end) or name
        nxt_word = _SPACES.match(text, name.end(), end)
        if nxt_word and lex.groups.match_at(text, nxt_word.end()):
            return None  # "Arab militias", "Syrian soldiers": an adjective, not a place
        # "de Libanese regio Arsal": an adjective, then the kind of place, then its name.
        nxt = name.end()
        while nxt < end and text[nxt] == " ":
            nxt += 1
        kind = kind_at(nxt)
        if kind and " " not in name.group():
            after = _NAME.match(text, kind.end + 1, end)
            if after:
                return after, kind
        return None if not_a_place(name.group()) else (name, None)

    out: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []

    def add(pm: PlaceMention) -> None:
        if any(a < pm.name_end and pm.name_start < b for a, b in taken):
            return
        if _ATTRIBUTIVE.match(text, pm.name_end):
            return  # "de in Londen gevestigde organisatie": where a source sits, found any way
        last = _NAME_PARTS.split(text[pm.name_start : pm.name_end].strip())[-1].lower()
        after = _NEXT_CAPITALISED.match(text, pm.name_end, pm.name_end + 20)
        if last in lex.facility_words or (
            after is not None and after.group(1).lower() in lex.facility_words
        ):
            return  # "the South Hospital", "Al-Shifa Hospital": a building, not a place
        taken.append((pm.name_start, pm.name_end))
        out.append(pm)

    for rel in lex.place_relations.finditer(text, start, end):
        pos = rel.end
        while pos < end and text[pos] == " ":
            pos += 1
        kind = kind_at(pos)
        if kind:
            pos = kind.end + 1
        got = name_at(pos)
        if not got:
            continue
        name, inner_kind = got
        kind = kind or inner_kind
        lead = _LEADING.match(rel.text)
        p_start = rel.start + (lead.end() if lead and lead.end() < len(rel.text) else 0)
        p_end, relation = name.end(), rel.label
        if _POSSESSIVE.search(text, pos, name.start() + 1):
            # "in western Niger's Tillaberi region": the direction places the country; the
            # region it holds is named as itself, with the kind word after it.
            p_start, relation = name.start(), None
            after = kind_at(p_end + 1) if text[p_end : p_end + 1] == " " else None
            if after and not kind:
                kind, p_end = after, after.end
        add(
            PlaceMention(
                p_start,
                p_end,
                text[p_start:p_end],
                name.start(),
                name.end(),
                relation=relation,
                feature=_feature(kind),
                kind_word=kind.text if kind else None,
            )
        )
    found = [
        m
        for a, b in gazetteer_spans
        if a < end and start < b
        for m in _gazetteer_mentions(text, max(a, start), min(b, end))
    ]
    for m_start, m_end, _ in found:
        name = text[m_start:m_end]
        if (
            not_a_place(name)
            or _inside_other_name(text, m_start, m_end, not_a_place)
            or _persons_name(text, m_start, lex)
            or _ATTRIBUTIVE.match(text, m_end)  # "the Britain-based Observatory"
            or _tail_of_a_name(text, m_start, lex)
            or _head_of_a_name(text, m_end, end)
        ):
            continue
        nxt = _SPACES.match(text, m_end, end)
        if (
            nxt
            and lex.groups.match_at(text, nxt.end())
            and not kind_at(nxt.end())  # "the Jenin refugee camp" is a place
        ):
            continue  # "Arab militias", "Fano fighters": an adjective, not a place
        before = lex.locality_words.match_ending_at(text, _trim(text, m_start), window=30) or (
            lex.region_words.match_ending_at(text, _trim(text, m_start), window=30)
        )
        after = kind_at(m_end + 1) if m_end < end and text[m_end : m_end + 1] == " " else None
        kind = before if before and before.start >= start else after
        p_end = after.end if after and kind is after else m_end
        add(
            PlaceMention(
                m_start,
                p_end,
                text[m_start:p_end],
                m_start,
                m_end,
                feature=_feature(kind),
                kind_word=kind.text if kind else None,
            )
        )
    # "a raid on the town of Tamboul", "het dorp Maru": the kind of place names the place,
    # whatever word comes before it.
    for kind in lex.locality_words.finditer(text, start, end):
        after = _OF.match(text, kind.end)
        pos = after.end() if after else kind.end + 1
        name = _NAME.match(text, pos, end) if pos < end else None
        if name is None or not_a_place(name.group()) or _persons_name(text, name.start(), lex):
            continue
        add(
            PlaceMention(
                name.start(),
                name.end(),
                text[name.start() : name.end()],
                name.start(),
                name.end(),
                feature="locality",
                kind_word=kind.text,
            )
        )
    for prep in lex.place_prepositions.finditer(text, start, end):
        pos = prep.end
        while pos < end and text[pos] == " ":
            pos += 1
        kind = kind_at(pos)
        art = _ARTICLE.match(text, pos)
        if not kind and art:
            kind = kind_at(art.end())
        if kind:
            pos = kind.end
            while pos < end and text[pos] in " ,":
                pos += 1
        got = name_at(pos)
        if not got:
            continue
        name, inner_kind = got
        if len(name.group()) < 3 or _inside_other_name(text, name.start(), name.end(), not_a_place):
            continue  # "U.N.", "International Organization (for Migration)"
        kind = kind or inner_kind
        after = kind_at(name.end() + 1) if name.end() < end else None
        p_end = name.end()
        if after and not kind:
            kind, p_end = after, after.end
        add(
            PlaceMention(
                name.start(),
                p_end,
                text[name.start() : p_end],
                name.start(),
                name.end(),
                feature=_feature(kind),
                kind_word=kind.text if kind else None,
            )
        )
    return out


_CAP_RUN = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'\-]*(?:[ \t]+(?:(?:for|of|the|voor|de|van|het)[ \t]+)?[A-ZÀ-ÖØ-Þ][\w’'\-]*)*"
)


# Letters, digits, spaces, hyphens and apostrophes (``[^\W_]`` is what ``str.isalnum``
# accepts): the characters a longer name that holds a name may run back over.
_NAME_CHARS = re.compile(r"(?:[^\W_]|[ \-'’])*")
_WORD_CAPITAL = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ]")


def _inside_other_name(text: str, start: int, end: int, not_a_place: Callable[[str], bool]) -> bool:
    """'Haram' in 'Boko Haram': a name that is part of a longer name of something else."""
    # Up to 30 of them right before the name, counted on the reversed text.
    lo = start - _NAME_CHARS.match(text[max(0, start - 30) : start][::-1]).end()  # type: ignore[union-attr]
    for m in _CAP_RUN.finditer(text, lo, min(len(text), end + 30)):
        if m.start() <= start and end <= m.end() and (m.start(), m.end()) != (start, end):
            # "Strijders van Boko Haram": the run, or a tail of it that holds the name.
            tails = [m.start()] + [
                m.start() + w.start() for w in _WORD_CAPITAL.finditer(text[m.start() : start])
            ]
            return any(not_a_place(text[t : m.end()]) for t in tails)
    return False


_DIRECTIONS = frozenset(
    {
        *("north", "south", "east", "west", "northern", "southern", "eastern", "western"),
        *("central", "upper", "lower", "greater", "noord", "zuid", "oost", "noordelijk"),
        *("zuidelijk", "oostelijk", "westelijk"),
    }
)


_WORD_BEFORE = re.compile(r"(?:^|[^\w’'.-])([A-ZÀ-ÖØ-Þ][\w’'-]+)[ \t]+$")
_APOSTROPHE_END = re.compile(r"['’]s?$")
_SENTENCE_OPENS = re.compile(r"(?:[.!?:]|[.!?][\"”’]|^[\"“‘]|\s[\"“‘])$")
_WORD_CHARS = re.compile(r"[\w’'-]*")
_DESCRIBED = re.compile(r",\s+(?:a|an|the|een|de|het)\s+[a-z]")


def _tail_of_a_name(text: str, start: int, lex: Lexicon) -> bool:
    """'Musa Ali', 'Abdul Karim': a known name after a capitalised word that is no place,
    direction or adjective of one ends a person's name, not a place."""
    m = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    if m is None:
        return False
    word = m.group(1)
    if _APOSTROPHE_END.search(word):
        return False  # "Nigeria's Zamfara state": a possessor, a place itself
    lo = max(0, start - 30) + m.start(1)
    before = text[max(0, lo - 3) : lo].rstrip()
    if not before or _SENTENCE_OPENS.search(before):
        return False  # a sentence's first word: capitalised anyway
    if word.lower() in _DIRECTIONS or word.lower() in lex.stopwords:
        return False
    from sitrep.resolve.actors import demonym_country
    from sitrep.resolve.geo import Gazetteer

    if demonym_country(word, lex.lang):
        return False
    # "Musa Ali, a leader of the militia, told Reuters": a name that speaks or is described.
    end = _WORD_CHARS.match(text, start).end()  # type: ignore[union-attr]
    after = text[end : end + 40]
    described = _DESCRIBED.match(after)
    speaks = lex.attribution_after.match_at(text, end + len(after) - len(after.lstrip()))
    return bool(described or speaks) or not Gazetteer.load().lookup(word)


def _head_of_a_name(text: str, end: int, limit: int) -> bool:
    """'Wadi' in 'Wadi al-Shay': a known name that an article-joined name goes on from is
    that longer name's head, not the place."""
    return _PARTICLE_TAIL.match(text, end, limit) is not None


_PARTICLE_TAIL = re.compile(r"[ \t]+(?:al|el|ad|as|ash|ar|az|ez|an)-[A-ZÀ-ÖØ-Þ]")


_CAPITALISED_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'\-]*[ \t]+$")


def _persons_name(text: str, start: int, lex: Lexicon) -> bool:
    """'police spokesman Abdifatah Aden': a name in a run of capitalised words that follows
    a person's title is that person's, not a town."""
    lo = start
    while lo > 0 and lo > start - 40:
        m = _CAPITALISED_BEFORE.search(text, max(0, lo - 40), lo)
        if not m:
            break
        lo = m.start()
    return lex.person_titles.match_ending_at(text, _trim(text, lo), window=40) is not None


def _trim(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] == " ":
        pos -= 1
    return pos


def _feature(kind: Any) -> str | None:
    if kind is None:
        return None
    return "locality" if kind.label == "locality" else "region"


def _gazetteer_mentions(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    from sitrep.resolve.geo import find_mentions

    return [(a + start, b + start, t) for a, b, t in find_mentions(text[start:end])]


def resolve_places(places: list[PlaceMention], lang: str, text: str | None = None) -> None:
    """Resolve every mention, the second time with the countries the first pass found."""
    from sitrep.resolve.geo import GeoContext, geocode, split_relation

    def query(p: PlaceMention) -> str:
        name = split_relation(p.name)[1]
        if p.kind_word and p.feature == "region":
            kinded = f"{p.kind_word} {name}"
            # "deelstaat Al Jazirah": a kind word the gazetteer does not know is left out,
            # unless the bare name reads as a town ("deelstaat Ondo" is not the city Ondo).
            bare = _geocode_alone(name, lang)
            if (
                _geocode_alone(kinded, lang) is not None
                or bare is None
                or bare.feature == "locality"
            ):
                return kinded
        return name

    queries = [query(p) for p in places]
    first = [_geocode_alone(q, lang) for q in queries]

    def context_without(q: str) -> GeoContext:
        # A name's own first reading is no evidence for itself: Dhiban read as Jordan's
        # would otherwise outvote the Deir ez-Zor province the text puts it in.
        ctx = GeoContext.of()
        for other, r in zip(queries, first, strict=True):
            if r is not None and other != q:
                ctx.add(r)
        return ctx

    # A name the text repeats has the same context each time: it is read once.
    in_context: dict[str, Any] = {}
    for p, q, r in zip(places, queries, first, strict=True):
        # Only a name with several candidates can change with the document's context.
        if _ambiguous(q):
            if q not in in_context:
                in_context[q] = geocode(q, lang=lang, context=context_without(q))
            r = in_context[q]
        p.resolved = r
    if text is not None:
        for p in places:
            owner = _possessor(text, p, lang)
            if owner is not None and p.resolved is not None and p.resolved.country != owner:
                p.resolved = None  # "Yemen's Ras Isa": no Isa in Japan; a place it lacks
        _within_the_named_area(places, text)


_POSSESSOR = re.compile(
    r"([A-ZÀ-Þ][\w\-]+(?:[ \t][A-Z][\w\-]+)?)['’]s[ \t]+(?:[A-Z][\w\-]*[ \t]+)?$"
)


def _possessor(text: str, p: PlaceMention, lang: str) -> str | None:
    """The country whose place the text says this is ("Yemen's Ras Isa fuel port")."""
    from sitrep.resolve.countries import country_names, fold

    m = _POSSESSOR.search(text, max(0, p.name_start - 40), p.name_start)
    return country_names(lang).get(fold(m.group(1))) if m else None


_IN_AREA = re.compile(r"\s*,?\s+(?:in|in de|in het|in the)\s+", re.IGNORECASE)
# Between a place and the area that holds it: "Djugu territory in northeastern ", "Mafa in
# northeast Nigeria's " (the country's possessive leads on to its province).
_HELD_IN = re.compile(_IN_AREA.pattern + r"(?:[a-z]+\s+)?", re.IGNORECASE)
_HELD_BY = re.compile(r"['’]s\s+")
# "the beach of Lido in the Somali capital Mogadishu": a town the text puts a place in,
# with at most a few words describing the town between them.
_IN_TOWN = re.compile(_IN_AREA.pattern + r"(?:[\w’'-]+\s+){0,3}", re.IGNORECASE)


def containers(text: str, places: list[PlaceMention]) -> set[int]:
    """Ids of the mentions that only say where an earlier place lies: 'a village in Djugu
    territory in northeastern Congo's Ituri province' names Djugu; Congo and Ituri hold it."""
    out: set[int] = set()
    ordered = sorted(places, key=lambda p: p.start)
    for i, q in enumerate(ordered):
        for p in ordered[:i]:
            if p.end > q.start:
                continue
            held = _HELD_IN.fullmatch(text, p.end, q.start) is not None
            # "… in Nigeria's Borno state": the country held the town, so does its province.
            if held or (id(p) in out and _HELD_BY.fullmatch(text, p.end, q.start)):
                out.add(id(q))
                break
    return out


def _within_the_named_area(places: list[PlaceMention], text: str) -> None:
    """'the village of Mafa in northeast Nigeria's Borno state': a reading of the town in
    another country than the area the text puts it in is wrong; better none (the event then
    takes the area's country and province). A place inside a town ("the beach of Lido in
    the Somali capital Mogadishu") is geocoded as that town, as ACLED codes a spot in a town."""
    ordered = sorted(places, key=lambda p: p.start)
    placed: dict[str, Any] = {}  # name → its reading where the text says where it lies
    for p, q in pairwise(ordered):
        r, area = p.resolved, q.resolved
        if r is None or r.feature == "country" or area is None or not 0 <= q.start - p.end <= 60:
            continue
        inside = _IN_AREA.match(text, p.end) and (
            area.feature != "locality" or _IN_TOWN.fullmatch(text, p.end, q.start)
        )
        # "the village of Almat, north of Beirut": near a town of that country too.
        near = q.relation is not None and re.fullmatch(r"\s*,\s*", text[p.end : q.start])
        if (inside or near) and area.country and r.country and area.country != r.country:
            town = inside and area.feature == "locality"
            p.resolved = placed[p.name] = area if town else None
    for p in places:  # one sense per discourse: "Lido" again later is the same beach
        if p.name in placed:
            p.resolved = placed[p.name]


@lru_cache(maxsize=32768)
def _geocode_alone(name: str, lang: str) -> Any:
    from sitrep.resolve.geo import geocode

    return geocode(name, lang=lang, context=None)


@lru_cache(maxsize=32768)
def _ambiguous(name: str) -> bool:
    from sitrep.resolve.geo import Gazetteer, split_relation

    return len(Gazetteer.load().lookup(split_relation(name)[1])) != 1
