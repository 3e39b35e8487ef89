"""Offline geocoding of place names in nl/en news against a compact GeoNames index.

The index (``data/gazetteer/``, built by ``scripts/build_gazetteer.py``) holds every GeoNames
populated place of 500+ people, admin1/admin2 areas, countries and a hand-curated supplement.
It is two gzip'd TSV blobs: places, and folded names sorted by their UTF-8 bytes pointing at
byte offsets of places; a look-up is a bisect, so loading is a decompress and a split.

Disambiguation scores each candidate by population (log), feature class, how the name matched
(own name, alternate name, curated), and the document's context (countries and admin1 areas
already resolved). A city that shares its name with the province it lies in wins over the
province ("Deraa" → the city, precision 1) unless the text says "province", "governorate",
"countryside", "provincie" and the like, which selects the area (precision 3).
"""

from __future__ import annotations

import bisect
import gzip
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.resolve.countries import fold

if TYPE_CHECKING:
    from sitrep.model import Place

GAZETTEER_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"

# An Arabic article glued to the word after it, past a name's first word ("deir ezzor",
# "ras alain"): the index keys it apart ("deir ez zor").
_GLUED_ARTICLE = re.compile(r"(?<= )(al|el|ez|ad|as|ash|ar|az|an|ed|es|et|at)(?=[a-z]{3,}\b)")
_MARKS = str.maketrans({c: " " for c in "‘ʿʾʻ`´′"} | {".": "", ",": " "})


def name_key(name: str) -> str:
    """The look-up key of a name: ``fold`` plus Arabic transliteration marks made spaces."""
    return " ".join(fold(name).translate(_MARKS).split())


FEATURES = {
    "L": "locality",
    "A1": "admin1",
    "A2": "admin2",
    "C": "country",
    "R": "region",
    "F": "facility",  # a landmark: "White House", "Palais des Nations"
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer place a name can stand for, with how the name matched it."""

    geonameid: int | None
    name: str
    feature: str
    country: str | None
    admin1_code: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    precision: int
    match: str  # "name" (its own name), "alias" (an alternate name) or "curated"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The place a name was resolved to (ACLED geo precision: 1 town, 2 district, 3 region)."""

    geonameid: int | None
    name: str
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    feature: str
    precision: int
    admin1_code: str | None = None
    score: float = 0.0


@dataclass
class GeoContext:
    """The countries and admin1 areas a document has already been resolved to.

    ``admin1s`` takes GeoNames codes ("SY.06") or English names ("Daraa"); ``add`` folds a
    resolution in, so a caller can thread one context through a document's places.
    """

    countries: Counter[str] = field(default_factory=Counter)
    admin1s: set[str] = field(default_factory=set)
    # Points of the towns and districts resolved so far: a name's reading near them wins
    # ("Suffolk County" beside Southold is New York's, "Burton" beside Birmingham England's).
    points: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.countries, Counter):
            self.countries = Counter(self.countries)
        self.admin1s = set(self.admin1s)

    @classmethod
    def of(cls, countries: Iterable[str] = (), admin1s: Iterable[str] = ()) -> GeoContext:
        return cls(Counter(c for c in countries if c), {a for a in admin1s if a})

    def add(self, r: Resolved) -> None:
        if r.country:
            self.countries[r.country] += 1
        if r.admin1_code:
            self.admin1s.add(r.admin1_code)
        if r.feature in ("locality", "admin2") and r.lat is not None and r.lon is not None:
            self.points.append((r.lat, r.lon))

    def nearest_km(self, c: Candidate) -> float:
        """Distance from ``c`` to the nearest town or district already resolved (inf: none)."""
        if not self.points or c.lat is None or c.lon is None:
            return math.inf
        # Equirectangular: exact enough at the few hundred km this is asked about, and cheap.
        k = math.cos(math.radians(c.lat))
        d2 = min((lat - c.lat) ** 2 + ((lon - c.lon) * k) ** 2 for lat, lon in self.points)
        return 111.2 * math.sqrt(d2)

    def has_admin1(self, c: Candidate) -> bool:
        if not self.admin1s or not c.admin1_code:
            return False
        return c.admin1_code in self.admin1s or (c.admin1 is not None and c.admin1 in self.admin1s)


class Gazetteer:
    """The committed GeoNames index, bisected in place (no per-name objects until asked)."""

    def __init__(self, places: bytes, names: Sequence[bytes]) -> None:
        self._places = places
        self._names = names
        self._memo: dict[str, tuple[Candidate, ...]] = {}
        # ``has`` answers, which every capitalised run of every text asks for.
        self._known: dict[str, bool] = {}

    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        """The process-wide index, read on first use."""
        return _load(directory or GAZETTEER_DIR)

    def __len__(self) -> int:
        return len(self._names)

    def _row(self, key: str) -> bytes | None:
        row = self._exact_row(key)
        if row is None and " " in key:
            # "Deir Ezzor" for "Deir ez-Zor": an Arabic article written onto the next word.
            split = _GLUED_ARTICLE.sub(r"\1 ", key)
            if split != key:
                row = self._exact_row(split)
        return row

    def _exact_row(self, key: str) -> bytes | None:
        k = key.encode("utf-8") + b"\t"
        i = bisect.bisect_left(self._names, k)
        if i < len(self._names) and self._names[i].startswith(k):
            return self._names[i][len(k) :]
        return None

    def has(self, key: str) -> bool:
        """Whether a folded name is in the index (cheap: no candidates are built)."""
        known = self._known.get(key)
        if known is None:
            known = self._row(key) is not None
            if len(self._known) < 200_000:
                self._known[key] = known
        return known

    def lookup(self, name: str) -> list[Candidate]:
        """Every place called ``name`` (folded with ``name_key``)."""
        return list(self.lookup_key(name_key(name)))

    def lookup_key(self, key: str) -> tuple[Candidate, ...]:
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        row = self._row(key)
        out: tuple[Candidate, ...] = ()
        if row is not None:
            out = tuple(self._candidate(ref) for ref in row.decode("ascii").split(","))
        if len(self._memo) < 200_000:
            self._memo[key] = out
        return out

    def _candidate(self, ref: str) -> Candidate:
        off = int(ref[:-1])
        end = self._places.index(b"\n", off)
        f = self._places[off:end].decode("utf-8").split("\t")
        gid, name, feat, cc, a1, a1name, a2name, lat, lon, pop, prec = f
        return Candidate(
            geonameid=int(gid) if gid else None,
            name=name,
            feature=FEATURES[feat],
            country=cc or None,
            admin1_code=f"{cc}.{a1}" if a1 else None,
            admin1=a1name or None,
            admin2=a2name or None,
            lat=float(lat) if lat else None,
            lon=float(lon) if lon else None,
            population=int(pop),
            precision=int(prec),
            match={"n": "name", "a": "alias", "c": "curated"}[ref[-1]],
        )


@cache
def _load(directory: Path) -> Gazetteer:
    places = gzip.decompress((directory / "places.tsv.gz").read_bytes())
    names = gzip.decompress((directory / "names.tsv.gz").read_bytes()).split(b"\n")
    if names and not names[-1]:
        names.pop()
    # A tuple of bytes is untracked by the garbage collector; a list of a million names
    # would be walked at every full collection.
    return Gazetteer(places, tuple(names))


# --- scoring ------------------------------------------------------------------------------

_FEATURE_BONUS = {
    "country": 3.0,
    "admin1": 1.0,
    "admin2": 0.3,
    "region": 1.0,
    "locality": 0.0,
    "facility": 0.0,
}
_MATCH_BONUS = {"name": 1.5, "alias": 0.0, "curated": 4.0}
_CONTEXT_COUNTRY = 1.5
_CONTEXT_SHARE = 1.0
_CONTEXT_ADMIN1 = 1.0
_NEAR_KM, _NEAR_BONUS = 100.0, 2.0  # beside a town the document is about
_REGION_KM, _REGION_BONUS = 300.0, 1.0
_AREA_WANTED = 5.0
# A world city keeps most of its lead over a namesake a tenth its size that the document's
# countries favour: "London" in a story about Air Canada is still England's.
_OUTSIZED, _OUTSIZED_WEIGHT, _WORLD_CITY = 10, 0.5, 1_000_000
_TOWN_WANTED = 3.0

_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez)\s+(?=\S{3,})")

# Words around a name that say which kind of place is meant ("Idlib province", "Gaza City").
_AREA_WORDS = (
    "province|provincie|provinces|governorate|gouvernement|governement|state|staat|region|"
    "regio|district|oblast|county|prefecture|department|departement|countryside|platteland|"
    "rural|countryside of|area|gebied|streek|kanton|canton|raion|rayon"
)
_AREA_SUFFIX = re.compile(rf"(?:\s+|-)(?:{_AREA_WORDS})$")
_AREA_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:province|provincie|governorate|gouvernement|state|staat|region|regio|"
    r"district|oblast|county|co\.?|countryside|platteland|rural|area|gebied|streek)\s+"
    r"(?:of\s+|van\s+)?"
    r"|(?:de|het)\s+(?:provincie|regio|streek|staat)\s+(?:van\s+)?)",
    re.IGNORECASE,
)
_TOWN_SUFFIX = re.compile(
    r"(?:\s+|-)(?:city|stad|town|township|(?:refugee\s+)?camp|vluchtelingenkamp|kamp)$"
)
_TOWNSHIP = re.compile(r"(?:\s+|-)township$", re.IGNORECASE)
_TOWNSHIP_MAX = 100_000
_TOWN_PREFIX = re.compile(r"^(?:the\s+)?(?:city|town|village|stad|dorp)\s+(?:of\s+|van\s+)?")


def _score(c: Candidate, ctx: GeoContext | None, want: str | None, top: int = 0) -> float:
    size = math.log10(max(c.population, 1))
    if c.feature in ("locality", "facility") and c.population == 0:
        size = 3.5  # cities500 lists a place without a population only as an admin seat
    s = size + _FEATURE_BONUS[c.feature] + _MATCH_BONUS[c.match]
    if c.feature == "region" and c.population == 0:
        s += 5.0  # curated regions carry no population
    if ctx is not None and c.country and c.country in ctx.countries:
        # Context tips the balance between places of like size; it should not make a hamlet
        # (or a place known only by a variant name) beat a city two orders of magnitude larger.
        weight = min(1.0, max(0.4, size / 5)) if c.feature == "locality" else 1.0
        if c.match == "alias":
            weight *= 0.5
        if c.population * _OUTSIZED < top and top >= _WORLD_CITY:
            weight *= _OUTSIZED_WEIGHT
        total = sum(ctx.countries.values())
        bonus = _CONTEXT_COUNTRY + _CONTEXT_SHARE * ctx.countries[c.country] / total
        if ctx.has_admin1(c):
            bonus += _CONTEXT_ADMIN1
        s += weight * bonus
    if ctx is not None and ctx.points and c.feature in ("locality", "admin2"):
        d = ctx.nearest_km(c)
        s += _NEAR_BONUS if d <= _NEAR_KM else _REGION_BONUS if d <= _REGION_KM else 0.0
    if want == "area" and c.feature in ("admin1", "admin2", "region"):
        s += _AREA_WANTED
    elif want == "town" and c.feature == "locality":
        s += _TOWN_WANTED
    return s


def _drop_shadowed(cands: tuple[Candidate, ...], want: str | None) -> list[Candidate]:
    """Drop an admin area whose own sizeable town of the same name is a candidate too.

    "Aleppo", "Homs", "Deraa" name both a city and its province; news mean the city unless
    they say "province", so the area only stays when ``want`` is "area".
    """
    if want == "area":
        return list(cands)
    towns = [
        c
        for c in cands
        if c.feature == "locality" and c.population >= 10_000 and c.match != "alias"
    ]
    if not towns:
        return list(cands)
    a1 = {t.admin1_code for t in towns}
    a2 = {(t.admin1_code, t.admin2) for t in towns if t.admin2}
    return [
        c
        for c in cands
        if c.match == "curated"
        or not (
            (c.feature == "admin1" and c.admin1_code in a1)
            or (c.feature == "admin2" and (c.admin1_code, c.admin2) in a2)
        )
    ]


def _acceptable(c: Candidate, key: str, ctx: GeoContext | None, *, given: bool = False) -> bool:
    """Whether a best candidate is evidence enough: not a hamlet known only by a variant,
    nor a two- or three-letter variant ("Va." is not Wa, Ghana).

    A name that news mostly use for an institution ("White House", "Kremlin") is no place
    unless a caller ``given`` the span as a place, and then only as its curated landmark.
    """
    if key in _NOT_PLACES and not (given and c.match == "curated"):
        return False
    if c.match == "alias" and len(key.replace(" ", "")) <= 3 and c.feature != "country":
        return False
    if c.feature != "locality" or c.match != "alias" or c.population >= 1000:
        return True
    return ctx is not None and c.country in ctx.countries


def _strip_kind(text: str) -> tuple[str, str | None]:
    """Split "Idlib province" / "provincie Daraa" / "Gaza City" into name and wanted kind."""
    t = text.strip()
    low = t.lower()
    m = _AREA_SUFFIX.search(low) or _AREA_PREFIX.search(low)
    if m:
        rest = (t[: m.start()] if m.end() == len(low) else t[m.end() :]).strip(" -")
        if rest:
            return rest, "area"
    m = _TOWN_SUFFIX.search(low) or _TOWN_PREFIX.search(low)
    if m:
        rest = (t[: m.start()] if m.end() == len(low) else t[m.end() :]).strip(" -")
        if rest:
            return rest, "town"
    return t, None


_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _clean(text: str) -> str:
    t = text.strip().strip("\"'“”‘’«»()[]{}.,;:!?")
    return _POSSESSIVE.sub("", t).strip()


def _keys(text: str) -> list[str]:
    """The key of a name, then variants with the Arabic article changed or dropped."""
    key = name_key(text)
    keys = [key]
    m = _ARTICLE.match(key)
    if m:
        bare = key[m.end() :]
        keys += [bare, "al " + bare, "el " + bare]
    return list(dict.fromkeys(k for k in keys if k))


def _candidates(gaz: Gazetteer, text: str) -> tuple[Candidate, ...]:
    for key in _keys(text):
        found = gaz.lookup_key(key)
        if found:
            return found
    return ()


def _rank(
    text: str, ctx: GeoContext | None, gaz: Gazetteer
) -> list[tuple[float, Candidate, str | None]]:
    """Scored candidates for a mention, best first (with the kind of place it asked for)."""
    abbreviated = _abbreviation(text.strip(), gaz)
    if abbreviated is not None:  # "Calif.", "N.J.": the state, whatever else shares the letters
        return [(_score(abbreviated, ctx, None) + _MATCH_BONUS["curated"], abbreviated, None)]
    cleaned = _clean(text)
    if not cleaned:
        return []
    name, want = _strip_kind(cleaned)
    cands: tuple[Candidate, ...] = ()
    if want is not None:  # "Gaza City", "Kyiv Oblast", "Daraa Governorate" are names as such
        cands = gaz.lookup_key(name_key(cleaned))
        if cands:
            want = None
    if not cands:
        cands = _candidates(gaz, name)
        if want == "town" and _TOWNSHIP.search(cleaned):
            # "Washington Township" is one of many small civil townships, never the city.
            cands = tuple(c for c in cands if c.population < _TOWNSHIP_MAX)
    if not cands:
        return []
    kept = _drop_shadowed(cands, want)
    top = max((c.population for c in kept if c.feature == "locality"), default=0)
    scored = sorted(((_score(c, ctx, want, top), c, want) for c in kept), key=lambda x: -x[0])
    if want == "area" and scored[0][1].feature == "locality":
        area = _area_of(scored[0][1], gaz)
        if area is not None:  # "Deraa province": the province the city Deraa names
            scored.insert(0, (scored[0][0] + 0.1, area, want))
    return scored


@cache
def _abbreviations() -> dict[str, tuple[int, str]]:
    """State/province abbreviation as written → (GeoNames id, name) (abbreviations.tsv)."""
    out: dict[str, tuple[int, str]] = {}
    for line in (GAZETTEER_DIR / "abbreviations.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            form, gid, name = line.split("\t")
            out[form] = (int(gid), name)
    return out


def _abbreviation(text: str, gaz: Gazetteer) -> Candidate | None:
    hit = _abbreviations().get(text)
    if hit is None:
        return None
    gid, name = hit
    return next((c for c in gaz.lookup(name) if c.geonameid == gid), None)


def _area_of(town: Candidate, gaz: Gazetteer) -> Candidate | None:
    """The admin1 or admin2 area that contains ``town`` and carries its name."""
    key = name_key(town.name)
    for name, feature in ((town.admin1, "admin1"), (town.admin2, "admin2")):
        if name and _AREA_SUFFIX.sub("", name_key(name)) == key:  # "Kursk Oblast" ~ Kursk
            for c in gaz.lookup_key(name_key(name)):
                if c.feature == feature and c.admin1_code == town.admin1_code:
                    return c
    return None


def _to_resolved(c: Candidate, score: float) -> Resolved:
    return Resolved(
        geonameid=c.geonameid,
        name=c.name,
        country=c.country,
        admin1=c.admin1 if c.feature != "country" else None,
        admin2=c.admin2,
        lat=c.lat,
        lon=c.lon,
        feature=c.feature,
        precision=c.precision,
        admin1_code=c.admin1_code,
        score=round(score, 3),
    )


def geocode(name: str, *, lang: str, context: GeoContext | None = None) -> Resolved | None:
    """The place ``name`` most likely stands for in a ``lang`` text, or None.

    ``context`` (the document's resolved countries/admin1s) tips ambiguous names: Tripoli
    goes to Lebanon in a Lebanese story and to Libya in a Libyan one.
    """
    del lang  # names are matched across languages; the index holds nl/en/de/fr exonyms
    ranked = _rank(name, context, Gazetteer.load())
    if not ranked:
        return None
    score, best, want = ranked[0]
    if not _acceptable(best, name_key(_clean(name)), context):
        return None
    r = _to_resolved(best, score)
    if want == "area" and best.feature == "locality":  # "Saraqib countryside": near the town
        r = replace(r, precision=2)
    return r


# --- relations and Place filling -----------------------------------------------------------

_COMPASS_EN = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_COMPASS_NL = r"(?:noord|zuid|oost|west|noordoost|noordwest|zuidoost|zuidwest)(?:en|elijk)?"
_DIST = (
    r"(?:(?:about|some|around|nearly|roughly|ongeveer|zo'n|circa|ruim)\s+)?"
    r"\d+(?:[.,]\d+)?\s*(?:km|kilometers?|kilometres?|miles?|mijl)\s+"
)
_RELATION = re.compile(
    rf"^(?:{_DIST})?(?:"
    rf"(?:(?:in|to)\s+the\s+|the\s+)?{_COMPASS_EN}(?:\s+part)?\s+of"
    rf"|(?:(?:in\s+)?het\s+|ten\s+)?{_COMPASS_NL}(?:\s+deel)?\s+van"
    r"|near(?:by)?|close\s+to|outside(?:\s+of)?|around|on\s+the\s+outskirts\s+of"
    r"|in\s+the\s+vicinity\s+of|in\s+the\s+countryside\s+of|the\s+countryside\s+of"
    r"|nabij|vlakbij|dichtbij|bij|rond(?:om)?|buiten|aan\s+de\s+rand\s+van"
    r"|in\s+de\s+(?:buurt|omgeving)\s+van|in\s+de\s+regio\s+van|op\s+het\s+platteland\s+van"
    rf"|{_COMPASS_EN}"  # "northern Gaza", "northeast Nigeria" (tried only when not a name)
    r"|in|op|at|te"
    r")\s+",
    re.IGNORECASE,
)
# "Noord-Syrië", "Oost-Oekraïne": a compass word glued to a name.
_COMPASS_COMPOUND = re.compile(
    r"^((?:noord|zuid|oost|west)(?:oost|west)?|(?:north|south)(?:-?(?:east|west))?|east|west)"
    r"-(?=\w)",
    re.IGNORECASE,
)
_ARTICLE_WORD = re.compile(r"^(?:de|het|the)\s+(?=\S)", re.IGNORECASE)
_PLAIN_WORDS = frozenset({"in", "op", "at", "te"})


def split_relation(text: str) -> tuple[str | None, str]:
    """Split off the words that place a name relative to another.

    "zuidwesten van Syrië" → ("zuidwesten van", "Syrië"), "northern Gaza" → ("northern",
    "Gaza"), "Noord-Syrië" → ("Noord", "Syrië"); names that are names as a whole ("West
    Bank", "North Kivu", "Zuid-Libanon") come back whole.
    """
    gaz = Gazetteer.load()
    rel: list[str] = []
    t = text.strip()
    while t and not gaz.has(name_key(_clean(t))):
        m = _RELATION.match(t)
        if m and t[m.end() :].strip():
            rel.append(m.group(0).strip())
            t = t[m.end() :].strip()
            continue
        m = _COMPASS_COMPOUND.match(t)
        if m and gaz.has(name_key(_clean(t[m.end() :]))):
            rel.append(m.group(1))
            t = t[m.end() :]
            continue
        m = _ARTICLE_WORD.match(t)
        if m and rel:
            t = t[m.end() :]
            continue
        break
    rel = [r for r in rel if r.lower() not in _PLAIN_WORDS]
    return (" ".join(rel) or None), t


def fill_place(place: Place, *, lang: str, context: GeoContext) -> None:
    """Geocode ``place.text`` into the Place's fields, coarsening precision for a relation.

    Near or off a town → precision 2 at the town (ACLED practice); a relation to an area
    ("southwest of Syria", "northern Gaza") → the area itself at its own precision (3 for a
    country or province), never an invented point.
    """
    rel, name = split_relation(place.text)
    if place.relation is None and rel is not None:
        place.relation = rel
    relation = place.relation or rel
    r = geocode(name, lang=lang, context=context)
    if r is None:
        return
    precision = max(r.precision, 2) if relation else r.precision
    place.name = r.name
    place.geonameid = r.geonameid
    place.country = r.country
    place.admin1 = r.admin1
    place.admin2 = r.admin2
    place.lat = r.lat
    place.lon = r.lon
    place.precision = precision
    place.feature = r.feature
    context.add(r)


@cache
def word_list(name: str) -> frozenset[str]:
    """A one-word-a-line list from data/gazetteer/ (``#`` starts a comment line)."""
    lines = (GAZETTEER_DIR / name).read_text("utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# --- finding mentions in text --------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return frozenset(text.split())


_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:['’]s)?")
_CONNECTORS = _words(
    "al el ad ar as ash at az an ed er es et ez ul bin ibn bou abu abou umm um de del della di "
    "da do dos das du des la le les van der den ter von zu am im of the and upon on sur sous "
    "en y i"
)
_TITLES = _words(
    "president minister premier mr mrs ms dr prof gen general generaal kolonel colonel king "
    "koning queen koningin prince prins princess sheikh sjeik imam ayatollah pope paus saint "
    "sen senator rep gov governor gouverneur mayor burgemeester judge rechter "
    "commander commandant lt capt captain kapitein sgt sergeant chancellor kanselier "
    "secretary sir lord lady dame emir amir sultan bishop bisschop rabbi father pastor "
    "coach chief spokesman spokeswoman woordvoerder correspondent reporter"
)
# Capitalised words that are not places whatever an alternate name somewhere says.
_NOT_PLACES = _words(
    """
    assad poetin putin trump biden obama erdogan netanyahu zelensky zelenski
    reuters anp afp ap bbc cnn nos rtl nu hamas hezbollah hizbollah
    taliban isis isil is daesh un vn nato navo eu god allah islam christ jesus
    monday tuesday wednesday thursday friday saturday sunday maandag dinsdag woensdag
    donderdag vrijdag zaterdag zondag
    january february march april may june july august september october november december
    januari februari maart mei juni juli augustus oktober
    north south east west northern southern eastern western central
    noord zuid oost west noorden zuiden oosten westen
    the a an in on at of and but or if as for to by with from this that these those it its
    he she they we you his her their our my your i me him them
    de het een in op bij van voor met naar uit door over na om te tot en maar of als dat die
    dit deze zij hij ze we wij jij u hun haar zijn ons mijn er
    police army government parliament minister president court state city county
    republic kingdom empire capital airport university hospital school church mosque
    street road river lake mountain island beach park center centre
    news times post daily herald tribune guardian observer
    congress capitol senate kremlin pentagon elysee
    """
) | frozenset({"white house", "al assad", "al jazeera", "el nino", "la nina", "downing street"})
# Countries and states that are also first names: not a place when a surname follows.
_FIRST_NAMES = _words(
    "jordan chad georgia israel victoria florence austin chelsea sydney adelaide charlotte "
    "orlando phoenix savannah madison lincoln washington troy kenya india paris dallas "
    "houston denver tyler jackson"
)
_KIND_WORDS = _words(
    "province provincie governorate gouvernement state region regio district oblast county "
    "city stad valley strip bank heights desert mountains islands peninsula countryside "
    "northern southern eastern western central rural greater north south east west "
    "noord zuid oost west upper lower"
)
_SAID = re.compile(
    r"^\s+(?:said|says|told|added|argued|wrote|tweeted|zei|zegt|stelt|schreef|aldus)\b"
)
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,5}$")
_SENT_END = re.compile(r"[.!?:;\"“”'‘’(\[\n—–]\s*$")  # a dash ends a dateline
_ABBREV = re.compile(r"^(?:St|Ste|Mt|Ft|Pt)$")


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str


def _is_cap(t: str) -> bool:
    return t[:1].isupper() or ("-" in t and t.split("-", 1)[1][:1].isupper())


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    return start == 0 or (not before.strip() and start < 3) or bool(_SENT_END.search(before))


def _line_start(text: str, start: int) -> bool:
    """Whether ``start`` opens the text or a line (where a dateline stands)."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] == "\n"


def _gap_ok(text: str, a: _Tok, b: _Tok) -> bool:
    """Whether two tokens sit close enough to be one name ("St. Louis" counts)."""
    gap = text[a.end : b.start]
    if gap in (" ", "-", " - "):
        return True
    return gap == ". " and bool(_ABBREV.match(a.text))


@dataclass(slots=True)
class _Hit:
    i: int  # first token
    j: int  # one past the last token
    start: int
    end: int
    key: str


def _hits(
    text: str, toks: list[_Tok], gaz: Gazetteer, caps: list[bool] | None = None
) -> list[_Hit]:
    """Longest gazetteer matches over capitalised runs, left to right.

    ``caps`` is ``_is_cap`` of every token, when the caller has it already.
    """
    if caps is None:
        caps = [_is_cap(t.text) for t in toks]
    out: list[_Hit] = []
    i, n = 0, len(toks)
    while i < n:
        if not caps[i]:
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 7 and _gap_ok(text, toks[j - 1], toks[j]):
            if not (caps[j] or toks[j].text.lower() in _CONNECTORS):
                break
            j += 1
        hit = None
        for k in range(j, i, -1):
            if not caps[k - 1]:
                continue
            size, key = _run_key(text[toks[i].start : toks[k - 1].end])
            if key and (gaz.has(key) or (k == i + 1 and _has_bare(gaz, key))):
                hit = _Hit(i, k, toks[i].start, toks[i].start + size, key)
                break
        if hit is None:
            i += 1
        else:
            out.append(hit)
            i = hit.j
    return out


@lru_cache(maxsize=65536)
def _run_key(span: str) -> tuple[int, str]:
    """A capitalised run's length without its possessive, and its look-up key: the same
    runs recur in text after text, and ``fold`` is the costly part."""
    raw = _POSSESSIVE.sub("", span)
    return len(raw), name_key(_clean(raw))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """``name_key(_clean(word))``, for the words beside a name that decide whether it is one."""
    return name_key(_clean(word))


_HYPHEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:['’]s)?")


def _tokens(text: str, gaz: Gazetteer) -> list[_Tok]:
    """Word tokens, a hyphenated one split into its words unless the gazetteer knows it whole.

    "Winston-Salem" and "Ras al-Ain" stay one name; "London-based", "Amsterdam-London" and
    "Asia-Pacific" hold names of their own.
    """
    if "-" not in text:  # nothing to split: the common case, built in one go
        return [_Tok(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if "-" not in word or gaz.has(name_key(_clean(word))) or _has_bare(gaz, name_key(word)):
            out.append(_Tok(m.start(), m.end(), word))
            continue
        at = m.start()
        out.extend(_Tok(at + p.start(), at + p.end(), p.group(0)) for p in _HYPHEN.finditer(word))
    return out


def _has_bare(gaz: Gazetteer, key: str) -> bool:
    m = _ARTICLE.match(key)
    return bool(m) and gaz.has(key[m.end() :])


def _person_words(
    text: str,
    toks: list[_Tok],
    hits: list[_Hit],
    gaz: Gazetteer,
    caps: list[bool] | None = None,
) -> set[str]:
    """Words this text uses as person names: after a title, after a non-place first word
    ("John Kelly"), or before "said"."""
    if caps is None:
        caps = [_is_cap(t.text) for t in toks]
    in_hit = {t for h in hits for t in range(h.i, h.j)}
    out: set[str] = set()
    for a in range(len(toks) - 1):
        b = a + 1
        if not (caps[a] and caps[b]):
            continue
        ta, tb = toks[a], toks[b]
        if not _gap_ok(text, ta, tb):
            continue
        ka, kb = _word_key(ta.text), _word_key(tb.text)
        if ka.rstrip(".") in _TITLES or (
            a not in in_hit
            and ka not in _KIND_WORDS
            and ka not in _CONNECTORS
            and not _ACRONYM.match(ta.text)
            and not gaz.has(ka)
        ):
            out.add(kb)
    for t, cap in zip(toks, caps, strict=True):
        if cap and _SAID.match(text[t.end : t.end + 12]):
            out.add(_word_key(t.text))
    return out


def _strength(cands: tuple[Candidate, ...]) -> tuple[bool, int]:
    """Whether a name is a country, curated name, region or big admin1; and the top population."""
    strong = any(
        c.feature in ("country", "region")
        or c.match == "curated"
        or (c.feature == "admin1" and c.population >= 1_000_000)
        for c in cands
    )
    return strong, max((c.population for c in cands if c.match != "alias"), default=0)


def find_mentions(text: str, gaz: Gazetteer | None = None) -> list[tuple[int, int, str]]:
    """Capitalised word sequences that the gazetteer knows, filtered for news prose.

    Filters: months, weekdays and other listed non-places; sentence-initial common words;
    words the same text writes in lower case; person names (after a title, after a first
    name, before "said", anywhere in the text); organisation-like runs ("Washington Post");
    all-caps acronyms that are not curated abbreviations (US, UK, UAE, DRC).
    """
    gaz = gaz or Gazetteer.load()
    toks = _tokens(text, gaz)
    caps = [_is_cap(t.text) for t in toks]
    hits = _hits(text, toks, gaz, caps)
    if not hits:
        return []
    # The text's lower-case words and person names, gathered only if a weak single-word
    # hit asks for them (most hits are decided before).
    usage: tuple[set[str], set[str]] | None = None

    def words_in_use() -> tuple[set[str], set[str]]:
        nonlocal usage
        if usage is None:
            lower_words = {t.text.lower() for t in toks if t.text[:1].islower()}
            usage = lower_words, _person_words(text, toks, hits, gaz, caps)
        return usage

    out: list[tuple[int, int, str]] = []
    for h in hits:
        if _keep(text, toks, h, words_in_use, gaz):
            out.append((h.start, h.end, text[h.start : h.end]))
    return out


def _keep(
    text: str,
    toks: list[_Tok],
    h: _Hit,
    words_in_use: Callable[[], tuple[set[str], set[str]]],
    gaz: Gazetteer,
) -> bool:
    """Whether a gazetteer hit reads as a place mention in this text; ``words_in_use`` gives
    the text's lower-case words and the words it uses as person names."""
    key = h.key
    if key in _NOT_PLACES:
        return False
    cands = gaz.lookup_key(key) or next(
        (found for k in _keys(key)[1:] if (found := gaz.lookup_key(k))), ()
    )
    strong, top = _strength(cands)
    span = text[h.start : h.end]
    if span.isupper() and len(key) >= 3 and _line_start(text, h.start):
        return strong or top >= 1000  # a dateline: "CAIRO - ", "LONDON The Latest", "SEOUL, "
    if _ACRONYM.match(span) and not any(c.match == "curated" for c in cands):
        return False
    if len(key) <= 3 and not span.isupper() and not any(c.match == "name" for c in cands):
        return False  # "Car" is not CAR
    single = h.j - h.i == 1
    prev = toks[h.i - 1] if h.i > 0 else None
    nxt = toks[h.j] if h.j < len(toks) else None
    if prev is not None and _gap_ok(text, prev, toks[h.i]):
        pk = _word_key(prev.text)
        if pk.rstrip(".") in _TITLES:
            return False
        # After a capitalised non-place word: a person ("John Kelly") or an organisation.
        if _is_cap(prev.text) and not (
            gaz.has(pk)
            or _sentence_initial(text, prev.start)
            or pk in _NOT_PLACES
            or pk in _KIND_WORDS
            or strong
        ):
            return False
    if (
        prev is not None
        and prev.text in ("of", "van")
        and h.i >= 2
        and _is_cap(toks[h.i - 2].text)
        and not strong
        and name_key(toks[h.i - 2].text) not in _KIND_WORDS
    ):
        return False  # "Department of Commerce", "University of Notre Dame"
    if nxt is not None and _gap_ok(text, toks[h.j - 1], nxt) and _is_cap(nxt.text):
        nk = _word_key(nxt.text)
        local_body = nk in word_list("institutions.txt")  # "Seattle Fire", "Atlanta Mayor"
        if not (gaz.has(nk) or nk in _KIND_WORDS or local_body) and (
            not strong or key in _FIRST_NAMES
        ):
            return False  # "Jordan Peterson", "Kelly Services"; but "Pakistan Army" stays
    if single and not strong and top < 100_000:
        lower_words, persons = words_in_use()
        if key in persons or key in lower_words:
            return False
        if _sentence_initial(text, h.start) and top < 20_000:
            return False
    return strong or top >= 1000


def _resolve_doc(
    text: str,
    mentions: list[tuple[int, int, str]],
    gaz: Gazetteer,
    countries: Iterable[str] = (),
    *,
    given: bool = False,
) -> list[Resolved | None]:
    """Resolve a document's mentions in two passes: clear winners first set the context.

    ``countries`` seeds the context with countries the document names in other ways (its
    demonyms: "British" tips "Manchester" to England). A name keeps one reading throughout
    the document (one sense per discourse). ``given``: the caller marked the spans as places.
    """
    ctx = GeoContext.of(countries)
    phrases = [_with_kind(text, s, e) for s, e, _ in mentions]
    keys = [name_key(_clean(m)) for _, _, m in mentions]
    firsts = [_rank(phrase, None, gaz) for phrase in phrases]
    for ranked, key in zip(firsts, keys, strict=True):
        if not ranked:
            continue
        score, best, _ = ranked[0]
        runner = ranked[1][0] if len(ranked) > 1 else -math.inf
        if score - runner >= 1.5 and _acceptable(best, key, None, given=given):
            ctx.add(_to_resolved(best, score))
    out: list[Resolved | None] = []
    seen: dict[str, Resolved | None] = {}
    for phrase, key, ranked in zip(phrases, keys, firsts, strict=True):
        if not ranked:
            out.append(None)
            continue
        pkey = name_key(phrase)
        if pkey not in seen:
            score, best, _ = _rank(phrase, ctx, gaz)[0]
            ok = _acceptable(best, key, ctx, given=given)
            seen[pkey] = _to_resolved(best, score) if ok else None
        out.append(seen[pkey])
    out = _refine_by_proximity(phrases, keys, firsts, seen, ctx, gaz, out)
    from sitrep.resolve.geo_lists import refine_by_lists  # it builds on this module

    return refine_by_lists(text, mentions, firsts, out)


def _refine_by_proximity(
    phrases: list[str],
    keys: list[str],
    firsts: list[list[tuple[float, Candidate, str | None]]],
    seen: dict[str, Resolved | None],
    ctx: GeoContext,
    gaz: Gazetteer,
    out: list[Resolved | None],
) -> list[Resolved | None]:
    """Re-read each name beside the towns the *other* names were resolved to.

    The first pass only knows the clear winners; towns that were ambiguous on their own
    ("Paterson", "Maywood") still cluster, and a third ambiguous name ("Allendale") belongs
    with them. A name's own reading is left out of its context, so it cannot vote for itself.
    """
    towns = {
        k: (r.lat, r.lon)
        for k, r in seen.items()
        if r is not None and r.feature in ("locality", "admin2") and r.lat is not None
    }
    if len(towns) < 2:
        return out
    pkeys = [name_key(p) for p in phrases]
    redone = dict(seen)
    done: set[str] = set()
    for phrase, pkey, key, ranked in zip(phrases, pkeys, keys, firsts, strict=True):
        r = seen.get(pkey)
        if r is None or pkey in done or len(ranked) < 2:
            continue  # unresolved, already redone, or nothing else it could be
        done.add(pkey)
        own = GeoContext(ctx.countries, ctx.admin1s, [p for k, p in towns.items() if k != pkey])
        score, best, _ = _rank(phrase, own, gaz)[0]
        redone[pkey] = _to_resolved(best, score) if _acceptable(best, key, own) else r
    return [None if r is None else redone[k] for k, r in zip(pkeys, out, strict=True)]


_KIND_AFTER = re.compile(
    r"^\s+(province|provincie|governorate|gouvernement|region|district|oblast|countryside)\b",
    re.IGNORECASE,
)


def _with_kind(text: str, start: int, end: int) -> str:
    """The mention plus a following "province"/"governorate", which picks the area."""
    m = _KIND_AFTER.match(text[end : end + 20])
    return text[start:end] + (" " + m.group(1) if m else "")


def _as_dict(start: int, end: int, text: str, r: Resolved | None) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "text": text,
        "geonameid": r.geonameid if r else None,
        "name": r.name if r else None,
        "lat": r.lat if r else None,
        "lon": r.lon if r else None,
        "country": r.country if r else None,
        "admin1": r.admin1 if r else None,
        "precision": r.precision if r else None,
    }


def geoparse(text: str, *, lang: str) -> list[dict[str, Any]]:
    """Find and resolve the place mentions of a raw text (offsets into ``text``)."""
    del lang  # the filters hold both English and Dutch words
    gaz = Gazetteer.load()
    mentions = find_mentions(text, gaz)
    resolved = _resolve_doc(text, mentions, gaz)
    found = [r for r in resolved if r is not None]
    countries = Counter(r.country for r in found)
    places = Counter((r.geonameid, r.name) for r in found)
    out = []
    for (s, e, m), r in zip(mentions, resolved, strict=True):
        if r is None:
            continue
        # A lone small town in a country nothing else in the text is in is more often a
        # surname or a word than a place ("Kock", "Sutton"); curated names always stay.
        lone = r.country is not None and countries[r.country] == places[(r.geonameid, r.name)]
        if lone and r.feature == "locality" and " " not in m and _weak(r, gaz, m):
            continue
        out.append(_as_dict(s, e, m, r))
    return out


def _weak(r: Resolved, gaz: Gazetteer, mention: str) -> bool:
    """Whether a resolved mention rests on a small, uncurated locality."""
    cands = gaz.lookup_key(name_key(_clean(mention)))
    curated = any(c.match == "curated" and c.geonameid == r.geonameid for c in cands)
    pop = max((c.population for c in cands if c.geonameid == r.geonameid), default=0)
    return not curated and pop < 50_000


def resolve_mentions(
    text: str, spans: Iterable[dict[str, Any]], *, lang: str
) -> list[dict[str, Any]]:
    """Resolve caller-given ``{start, end}`` spans of ``text``; unresolvable ones get nulls.

    A span the gazetteer does not know may be a demonym ("Syrian", "Libanese"): it then
    stands for its country.
    """
    gaz = Gazetteer.load()
    mentions = [(int(s["start"]), int(s["end"]), text[s["start"] : s["end"]]) for s in spans]
    demonyms = [demonym_place(m, lang=lang) for _, _, m in mentions]
    seed = [d.country for d in demonyms if d is not None and d.country]
    resolved = _resolve_doc(text, mentions, gaz, seed, given=True)
    # A demonym names its country, also where the gazetteer knows a small town of that name
    # ("Canadian", "English").
    out: list[Resolved | None] = []
    for d, r in zip(demonyms, resolved, strict=True):
        if r is None or r.feature == "locality":
            r = d or r
        out.append(r)
    from sitrep.resolve.geo_within import resolve_within  # it builds on this module

    resolved = resolve_within(mentions, out, gaz, lang=lang)
    return [_as_dict(s, e, m, r) for (s, e, m), r in zip(mentions, resolved, strict=True)]


def demonym_place(word: str, *, lang: str) -> Resolved | None:
    """The country, continent or region a demonym names ("Syrian" → Syria, "European" →
    Europe, "English" → England)."""
    from sitrep.resolve.actors import demonym_country

    w = word.strip()
    extra = _extra_demonyms()
    code = demonym_country(w, lang) or extra.get(w) or extra.get(w.lower())
    if code is None:
        return None
    if len(code) > 2 and not code.isdigit():  # a region or nation, by its gazetteer name
        ranked = _rank(code, None, Gazetteer.load())
        return _to_resolved(ranked[0][1], 0.0) if ranked else None
    if code.isdigit():  # a continent, by its GeoNames id
        for c in Gazetteer.load().lookup(_CONTINENTS.get(code, "")):
            if str(c.geonameid) == code:
                return _to_resolved(c, 0.0)
        return None
    return country_place(code)


_CONTINENTS = {
    "6255148": "Europe",
    "6255146": "Africa",
    "6255147": "Asia",
    "6255149": "North America",
    "6255150": "South America",
    "6255151": "Oceania",
}


@cache
def _extra_demonyms() -> dict[str, str]:
    """Demonyms the actor dictionary leaves out (data/gazetteer/demonyms.tsv)."""
    out: dict[str, str] = {}
    for line in (GAZETTEER_DIR / "demonyms.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, forms = line.split("\t")
        for form in forms.split("|"):
            out.setdefault(form, key)
            out.setdefault(form.lower(), key)
    return out


@cache
def country_place(code: str) -> Resolved | None:
    """A country as a resolved place, from the gazetteer's country entry."""
    from babel import Locale

    name = Locale.parse("en").territories.get(code)
    if not name:
        return None
    for c in Gazetteer.load().lookup(name):
        if c.feature == "country" and c.country == code:
            return _to_resolved(c, 0.0)
    return None
