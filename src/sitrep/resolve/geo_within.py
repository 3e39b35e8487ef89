"""Places for caller-given spans that the gazetteer does not know as a whole.

A caller who hands ``resolve_mentions`` a span asserts it is a place. When the gazetteer has no
entry for it, two readings still locate it:

* a place named inside it: "Harare City Council" → Harare, "Bank of Japan" → Japan, "Mexican
  Senate" → Mexico, "Robinson College Cambridge" → Cambridge (read with the document's context);
* a street, building or venue ("Royal Street", "Barclays Center", "Cavan Institute": a word from
  ``data/gazetteer/facilities.txt``) lies in the town the document is about: its most often
  named town, at precision 2 (somewhere in or near it, not the town's own point).

A bare unknown word ("Xqzwv") stays unresolved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from sitrep.resolve.geo import (
    _KIND_WORDS,
    _NOT_PLACES,
    _TOKEN,
    Gazetteer,
    GeoContext,
    Resolved,
    _acceptable,
    _clean,
    _hits,
    _rank,
    _to_resolved,
    _Tok,
    _words,
    demonym_place,
    word_list,
)

# A town named inside a span and nowhere else in the document must be this large to count: a
# street or venue is more often named after a person or a word ("Collins Avenue", "Royal
# Street") that some hamlet shares than after a town.
_MIN_EMBEDDED_POPULATION = 100_000
# Generic words that _hits finds as places on their own ("Town", Saint Lucia; "Union", US;
# "Northwest", a region of Iceland).
_GENERIC = _words(
    "town village city county union point ocean sea river rue the north south east west "
    "northeast northwest southeast southwest central"
)


def facility_words() -> frozenset[str]:
    """Lower-case words that mark a street, building or venue (data/gazetteer/facilities.txt)."""
    return word_list("facilities.txt")


def _has_word(span: str, words: frozenset[str]) -> bool:
    return any(m.group(0).lower().rstrip(".") in words for m in _TOKEN.finditer(span))


def is_facility(span: str) -> bool:
    """Whether a name carries a street/building/venue word ("Third Street", "Anfield Stadium")."""
    return _has_word(span, facility_words())


def is_natural(span: str) -> bool:
    """Whether a name is a river, sea, lake, delta or the like ("Mississippi River"): the name
    inside it is the feature's own, not a place that contains it."""
    return _has_word(span, word_list("natural.txt"))


def embedded_places(
    span: str, ctx: GeoContext, gaz: Gazetteer, named: set[int | None], *, lang: str
) -> tuple[list[Resolved], list[Resolved]]:
    """Places named inside ``span``: those the document also names elsewhere, and the others
    that are sizeable (a country, province or region, a town of 100,000 or more)."""
    toks = [_Tok(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(span)]
    if len(toks) < 2:
        return [], []
    also: list[Resolved] = []
    big: list[Resolved] = []
    skip = facility_words() | _KIND_WORDS | _NOT_PLACES | _GENERIC
    for h in _hits(span, toks, gaz):
        if h.key in skip or (h.j - h.i == len(toks)):
            continue
        ranked = _rank(span[h.start : h.end], ctx, gaz)
        if not ranked:
            continue
        score, best, _ = ranked[0]
        if not _acceptable(best, h.key, ctx):
            continue
        r = _to_resolved(best, score)
        if r.geonameid in named:
            also.append(r)
        elif best.feature in ("country", "admin1", "region") or (
            best.feature == "locality" and best.population >= _MIN_EMBEDDED_POPULATION
        ):
            big.append(r)
    for t in toks:  # "Mexican Senate", "Bank of Japan": the adjective's country
        d = demonym_place(t.text, lang=lang)
        if d is not None:
            (also if d.geonameid in named else big).append(d)
    return also, big


def focus_town(resolved: list[Resolved | None]) -> Resolved | None:
    """The town a document is about: named most often, counting one more where the province
    it lies in is named too and one more where it lies in the document's main country (the
    first named among equals)."""
    towns = [r for r in resolved if r is not None and r.feature == "locality"]
    if not towns:
        return None
    found = [r for r in resolved if r is not None]
    admin1s = {r.admin1_code for r in found if r.feature == "admin1"}
    countries = Counter(r.country for r in found if r.country)
    main = countries.most_common(1)[0][0] if countries else None
    counts = Counter(r.geonameid for r in towns)

    def weight(r: Resolved) -> float:
        return counts[r.geonameid] + (r.admin1_code in admin1s) + (r.country == main)

    return max(towns, key=weight)


def _most_specific(places: list[Resolved]) -> Resolved | None:
    return min(places, key=lambda r: r.precision, default=None)


def resolve_within(
    mentions: list[tuple[int, int, str]],
    resolved: list[Resolved | None],
    gaz: Gazetteer,
    *,
    lang: str,
) -> list[Resolved | None]:
    """Fill the unresolved spans of a document from what they contain or where it is set."""
    if all(r is not None for r in resolved):
        return resolved
    ctx = GeoContext()
    for r in resolved:
        if r is not None:
            ctx.add(r)
    named = {r.geonameid for r in resolved if r is not None}
    town = focus_town(resolved)
    out: list[Resolved | None] = []
    for (_, _, text), r in zip(mentions, resolved, strict=True):
        if r is None:
            span = _clean(text)
            r = _within(span, ctx, gaz, named, town, lang=lang)
        out.append(r)
    return out


def _within(
    span: str,
    ctx: GeoContext,
    gaz: Gazetteer,
    named: set[int | None],
    town: Resolved | None,
    *,
    lang: str,
) -> Resolved | None:
    if is_natural(span):
        return None
    also, big = embedded_places(span, ctx, gaz, named, lang=lang)
    if is_facility(span):
        return _facility(also, big, town)
    if also:
        return _most_specific(also)
    return _most_specific(big)


def _facility(also: list[Resolved], big: list[Resolved], town: Resolved | None) -> Resolved | None:
    """Where a building or venue is: the town it names ("Delhi High Court"); else the town the
    story is about, unless the name carries a province that town is not in ("Arizona State
    University" in a story set in Boston: Arizona), or a country the story names elsewhere that
    the town is not in ("Vatican Gardens"); else the province or country it names.

    A country or region named only inside the name does not outweigh the story's town: it says
    whose the building is or whom it honours ("Percy French Hotel", "Mall of Asia").
    """
    inside = also + big
    towns = [r for r in inside if r.feature == "locality"]
    if towns:
        return _most_specific(towns)
    areas = [r for r in inside if r.feature in ("admin1", "admin2")]
    if town is None:
        return _most_specific(areas) or _most_specific(inside)
    if areas:
        if any(a.admin1_code == town.admin1_code for a in areas):
            return replace(town, precision=max(town.precision, 2), score=0.0)
        return _most_specific(areas)
    countries = [r for r in also if r.feature == "country"]
    if countries and all(c.country != town.country for c in countries):
        return _most_specific(countries)
    return replace(town, precision=max(town.precision, 2), score=0.0)  # in or near the town
