"""UCDP-GED-style CSV: one row per incident with at least one reported death.

``best``/``low``/``high`` are the incident's killed figures (UCDP's own triple);
``deaths_civilians`` the civilian deaths where reports name them, the rest ``deaths_unknown``
(sitrep does not attribute deaths to sides, so ``deaths_a``/``deaths_b`` are 0).
``type_of_violence`` is a heuristic: 3 (one-sided) when civilians are the target, 1
(state-based) when a state is a side, else 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sitrep.export.countries import country_name, ucdp_region
from sitrep.export.incidents import group_figure, source_names, total

UCDP_COLUMNS = [
    "id",
    "year",
    "type_of_violence",
    "dyad_name",
    "side_a",
    "side_b",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "country",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "number_of_sources",
]


def where_prec(place: dict[str, Any]) -> int | None:
    """UCDP's location precision: 1 exact place, 2 within 25 km of it, 3 district, 4 province,
    5 larger region, 6 country."""
    feature = place.get("feature")
    if feature == "country":
        return 6
    if feature == "region":
        return 5
    if feature == "admin1":
        return 4
    if feature == "admin2":
        return 3
    if place.get("lat") is not None:
        return 2 if (place.get("precision") or 1) >= 2 else 1
    return 6 if place.get("country") else None


def date_prec(start: str, end: str | None) -> int:
    """UCDP's date precision from the span: 1 a day, 2 two to six days, 3 a week, 4 up to a
    month, 5 longer."""
    days = (date.fromisoformat(end or start) - date.fromisoformat(start)).days + 1
    if days <= 1:
        return 1
    if days <= 6:
        return 2
    if days <= 7:
        return 3
    if days <= 31:
        return 4
    return 5


def _violence(r: dict[str, Any]) -> int:
    a = r["actors"]
    if a["target_type"] == "civilians" or r["event_type"] == "Violence against civilians":
        return 3
    if "state" in (a["perpetrator_type"], a["target_type"]):
        return 1
    return 2


def ucdp_row(r: dict[str, Any]) -> dict[str, Any] | None:
    killed = total(r, "killed")
    if r["cumulative"] or not killed or killed["best"] <= 0 or not r["date"]["start"]:
        return None
    place = r["place"]
    civ = group_figure(r, "killed", "civilians")
    civilians = min(civ["best"], killed["best"]) if civ else 0
    a = r["actors"]
    side_a = a["perpetrator"] or ""
    side_b = a["target"] or ""
    srcs = r["sources"]
    lat, lon = place["lat"], place["lon"]
    start = r["date"]["start"]
    end = r["date"]["end"] or start
    clear = r["date"]["precision"] == "day" and (where_prec(place) or 9) <= 2
    return {
        "id": r["id"],
        "year": int(start[:4]),
        "type_of_violence": _violence(r),
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else side_a or side_b,
        "side_a": side_a,
        "side_b": side_b,
        "source_article": "; ".join(
            " ".join(x for x in (s.get("source_name"), s.get("published"), s.get("url")) if x)
            or f"report {s['report_id']}"
            for s in srcs
        ),
        "source_office": "; ".join(source_names(r)),
        "source_date": "; ".join(s.get("published") or "" for s in srcs),
        "source_headline": "; ".join(s.get("title") or "" for s in srcs),
        "source_original": "; ".join(
            dict.fromkeys(x for s in srcs for x in s.get("attributed_to", ()))
        ),
        "where_prec": where_prec(place),
        "where_coordinates": place["location"],
        "where_description": place["text"],
        "adm_1": place["admin1"],
        "adm_2": place["admin2"],
        "latitude": lat,
        "longitude": lon,
        "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else None,
        "country": country_name(place["country"]),
        "region": ucdp_region(place["country"]),
        "event_clarity": 1 if clear else 2,
        "date_prec": date_prec(start, end),
        "date_start": start,
        "date_end": end,
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": civilians,
        "deaths_unknown": killed["best"] - civilians,
        "best": killed["best"],
        "high": killed["high"],
        "low": killed["low"],
        "number_of_sources": r["n_sources"],
    }


def ucdp_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for r in records:
        row = ucdp_row(r)
        if row is not None:
            yield row
