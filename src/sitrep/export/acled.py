"""ACLED-style CSV: ACLED's columns, codes and fatality rule, one row per incident.

Only incidents of ACLED's event types are written (not displacement, not running totals).
``fatalities`` is the lowest reported death toll (ACLED's conservative rule); the best and
highest figures go in ``tags``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from sitrep.export.countries import acled_region, country_name, iso3, iso_numeric
from sitrep.export.incidents import group_figure, source_names, total

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
ACLED_TYPES = frozenset(DISORDER)
VIOLENT = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
)
INTER = {
    "state": 1,
    "rebel": 2,
    "political_militia": 3,
    "identity_militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external": 8,
}
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
_PHRASE = {
    "airstrike": "an airstrike",
    "drone_strike": "a drone strike",
    "shelling": "shelling",
    "bombing": "a bombing",
    "suicide_attack": "a suicide attack",
    "shooting": "a shooting",
    "clashes": "clashes",
    "massacre": "a massacre",
    "troop_withdrawal": "a troop withdrawal",
}


def _notes(r: dict[str, Any], killed: dict[str, Any] | None) -> str:
    place = r["place"]
    where = ", ".join(
        x for x in (place["location"], place["admin1"], country_name(place["country"])) if x
    )
    what = _PHRASE.get(r["event"], r["event"].replace("_", " "))
    by = f" by {r['actors']['perpetrator']}" if r["actors"]["perpetrator"] else ""
    text = f"On {r['date']['start']}, {what}{by}"
    if where:
        text += f" in {where}"
    if killed:
        span = (
            str(killed["best"])
            if killed["low"] == killed["high"]
            else f"{killed['low']}-{killed['high']} (best {killed['best']})"
        )
        text += f"; {span} killed"
    n = r["n_sources"]
    text += f". Reported by {n} independent source{'s' if n != 1 else ''}"
    text += f" ({r['grade'].replace('_', ' ')})."
    return text


def acled_row(r: dict[str, Any]) -> dict[str, Any] | None:
    """One ACLED row, or None for an incident ACLED would not code."""
    if r["cumulative"] or r["event_type"] not in ACLED_TYPES or not r["date"]["start"]:
        return None
    place = r["place"]
    code = place["country"]
    cname = country_name(code)
    actors = r["actors"]
    actor1 = actors["perpetrator"]
    inter1 = INTER.get(actors["perpetrator_type"] or "")
    if actor1 is None and r["event_type"] in VIOLENT:
        actor1 = f"Unidentified Armed Group ({cname})" if cname else "Unidentified Armed Group"
        inter1 = 3
    actor2 = actors["target"]
    inter2 = INTER.get(actors["target_type"] or "")
    killed = total(r, "killed")
    civilians = inter2 == 7 or group_figure(r, "killed", "civilians") is not None
    if actor2 == "Civilians" and cname:
        actor2 = f"Civilians ({cname})"
    codes = sorted(c for c in (inter1, inter2) if c)
    if len(codes) == 2:
        interaction: int | str = codes[0] * 10 + codes[1]
    elif codes:
        interaction = codes[0] * 10
    else:
        interaction = ""
    d = date.fromisoformat(r["date"]["start"])
    tags = [f"sitrep_id={r['id']}", f"grade={r['grade']}", f"sources={r['n_sources']}"]
    if killed:
        tags += [f"fatalities_best={killed['best']}", f"fatalities_high={killed['high']}"]
    updated = r.get("updated_at")
    return {
        "event_id_cnty": f"{iso3(code) or 'XXX'}{r['id']}",
        "event_date": d.isoformat(),
        "year": d.year,
        "time_precision": TIME_PRECISION.get(r["date"]["precision"], 3),
        "disorder_type": DISORDER[r["event_type"]],
        "event_type": r["event_type"],
        "sub_event_type": r["sub_event_type"],
        "actor1": actor1,
        "inter1": inter1,
        "actor2": actor2,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": iso_numeric(code),
        "region": acled_region(code),
        "country": cname,
        "admin1": place["admin1"],
        "admin2": place["admin2"],
        "admin3": None,
        "location": place["location"],
        "latitude": place["lat"],
        "longitude": place["lon"],
        "geo_precision": place["precision"] or (3 if place["country"] else None),
        "source": "; ".join(source_names(r)),
        "source_scale": None,
        "notes": _notes(r, killed),
        "fatalities": killed["low"] if killed else 0,
        "tags": "; ".join(tags),
        "timestamp": int(datetime.fromisoformat(updated).timestamp()) if updated else None,
    }


def acled_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for r in records:
        row = acled_row(r)
        if row is not None:
            yield row
