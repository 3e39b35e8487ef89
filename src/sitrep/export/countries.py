"""Country codes and regions for the dataset exports (ACLED and UCDP style).

ISO 3166 alpha-3 and numeric codes come from the Unicode CLDR tables Babel ships; English
names are CLDR's with ACLED's spellings where they differ; regions are ACLED's world regions
and, derived from them, UCDP's five.
"""

from __future__ import annotations

from functools import cache

_ACLED_REGIONS = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW",
    "Southern Africa": "BW SZ LS NA ZA",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Middle East": "BH CY IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "Europe": (
        "AL AD AT AX BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI "
        "LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB VA"
    ),
    "North America": "US CA GL BM PM",
    "Central America": "MX BZ CR SV GT HN NI PA",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
    "Caribbean": (
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"
    ),
    "Oceania": "AU NZ FJ PG SB VU NC PF WS TO KI TV NR MH FM PW CK NU AS GU MP WF TK PN NF",
    "Antarctica": "AQ",
}

_UCDP_REGIONS = {
    "Western Africa": "Africa",
    "Middle Africa": "Africa",
    "Eastern Africa": "Africa",
    "Southern Africa": "Africa",
    "Northern Africa": "Africa",
    "Middle East": "Middle East",
    "South Asia": "Asia",
    "Southeast Asia": "Asia",
    "East Asia": "Asia",
    "Caucasus and Central Asia": "Asia",
    "Europe": "Europe",
    "North America": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Caribbean": "Americas",
    "Oceania": "Asia",
    "Antarctica": "",
}
_UCDP_EUROPE = {"AM", "AZ", "GE"}  # UCDP counts the South Caucasus as Europe

_NAMES = {
    "PS": "Palestine",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CI": "Ivory Coast",
    "KP": "North Korea",
    "KR": "South Korea",
    "TR": "Turkey",
    "CZ": "Czech Republic",
    "SZ": "eSwatini",
    "CV": "Cape Verde",
    "TL": "East Timor",
    "VA": "Vatican City",
    "XK": "Kosovo",
    "MM": "Myanmar",
    "US": "United States",
    "GB": "United Kingdom",
    "RU": "Russia",
    "SY": "Syria",
    "IR": "Iran",
    "VN": "Vietnam",
    "LA": "Laos",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
}


@cache
def _codes() -> tuple[dict[str, str], dict[str, str]]:
    from babel.core import get_global

    alpha3: dict[str, str] = {}
    numeric: dict[str, str] = {}
    for code, targets in get_global("territory_aliases").items():
        if len(targets) != 1 or len(code) != 3:
            continue
        (a2,) = targets
        if code.isdigit():
            numeric.setdefault(a2, code)
        elif code.isalpha() and code.isupper():
            alpha3.setdefault(a2, code)
    return alpha3, numeric


@cache
def _regions() -> dict[str, str]:
    return {c: region for region, codes in _ACLED_REGIONS.items() for c in codes.split()}


def iso3(code: str | None) -> str | None:
    """ISO 3166-1 alpha-3 ('SYR') of an alpha-2 code ('SY')."""
    if not code:
        return None
    if code == "XK":
        return "XKX"
    return _codes()[0].get(code.upper())


def iso_numeric(code: str | None) -> int | None:
    """ISO 3166-1 numeric code (760 for SY); ACLED gives Kosovo 0."""
    if not code:
        return None
    if code.upper() == "XK":
        return 0
    n = _codes()[1].get(code.upper())
    return int(n) if n else None


@cache
def country_name(code: str | None) -> str | None:
    """The English name ACLED uses for an alpha-2 code."""
    if not code:
        return None
    code = code.upper()
    if code in _NAMES:
        return _NAMES[code]
    from babel import Locale

    return Locale("en").territories.get(code, code)


def acled_region(code: str | None) -> str | None:
    return _regions().get(code.upper()) if code else None


def ucdp_region(code: str | None) -> str | None:
    if not code:
        return None
    if code.upper() in _UCDP_EUROPE:
        return "Europe"
    region = acled_region(code)
    return _UCDP_REGIONS.get(region) if region else None


@cache
def country_code(value: str) -> str | None:
    """An alpha-2 code from what a user types: 'SY', 'SYR', 'Syria', 'Syrië'."""
    v = value.strip()
    if len(v) == 2 and v.isalpha():
        return v.upper()
    if len(v) == 3 and v.isalpha():
        for a2, a3 in _codes()[0].items():
            if a3 == v.upper():
                return a2
    from sitrep.resolve.countries import country_names, fold

    key = fold(v)
    for lang in ("en", "nl", "fr", "de", "es"):
        hit = country_names(lang).get(key)
        if hit:
            return hit
    for a2, name in _NAMES.items():
        if fold(name) == key:
            return a2
    return None
