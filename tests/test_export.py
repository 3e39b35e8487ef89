"""Exports of merged incidents: ACLED- and UCDP-style CSV, GeoJSON, Parquet, JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.export.acled import ACLED_COLUMNS
from sitrep.export.incidents import INCIDENT_FORMATS, write_incidents
from sitrep.export.ucdp import UCDP_COLUMNS, date_prec, where_prec
from sitrep.merge import merge
from sitrep.store import Store
from sitrep.store.query import Filters, incidents
from sitrep.store.testing import synthetic_report

PLACE = {
    "place": "Al Musayfrah",
    "place_name": "Al-Musayfirah",
    "country": "SY",
    "admin1": "Daraa",
    "lat": 32.6326,
    "lon": 36.3398,
    "feature": "locality",
    "geonameid": 173416,
    "geo_precision": 1,
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    db = tmp_path_factory.mktemp("export") / "x.db"
    with Store(db) as store:
        for text, killed, src, extra in [
            ("report one", {"best": 17}, "Reuters", {}),
            ("report two", {"best": 20, "low": 20, "qualifier": "at_least"}, "AFP", {}),
            ("report three", {"best": 23}, "NOS", {}),
        ]:
            figures = [
                {"kind": "killed", **killed},
                {"kind": "killed", "best": 6, "group": "civilians", "part_of": 0},
                {"kind": "injured", "best": 30},
            ]
            store.add_report(
                synthetic_report(
                    f"{text} " * 20,
                    [
                        {
                            **PLACE,
                            "target": "Civilians",
                            "target_type": "civilians",
                            "figures": figures,
                            **extra,
                        }
                    ],
                    source_name=src,
                    url=f"https://example.org/{src}",
                )
            )
        store.add_report(
            synthetic_report(
                "displacement report " * 20,
                [
                    {
                        **PLACE,
                        "event": "displacement",
                        "event_type": "Displacement",
                        "sub_event_type": "Displacement",
                        "perpetrator": None,
                        "figures": [{"kind": "displaced", "best": 4000}],
                    }
                ],
            )
        )
        store.add_report(
            synthetic_report(
                "total report " * 20,
                [{**PLACE, "figures": [{"kind": "killed", "best": 90, "cumulative": True}]}],
            )
        )
        merge(store)
        yield list(incidents(store, Filters(running_totals=True)))


def _csv(records: list[dict[str, Any]], fmt: str) -> list[dict[str, str]]:
    out = io.StringIO()
    write_incidents(records, fmt, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def strike(records: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in records if r["event"] == "airstrike" and not r["cumulative"])


def test_acled_csv_has_acleds_columns_codes_and_the_lowest_fatalities(
    records: list[dict[str, Any]],
) -> None:
    out = io.StringIO()
    write_incidents(records, "acled-csv", out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header == ACLED_COLUMNS
    rows = _csv(records, "acled-csv")
    assert len(rows) == 1  # displacement and the running total are not ACLED events
    row = rows[0]
    rec = strike(records)
    assert row["event_id_cnty"] == f"SYR{rec['id']}"
    assert row["event_date"] == "2018-06-28" and row["year"] == "2018"
    assert row["time_precision"] == "1"
    assert row["disorder_type"] == "Political violence"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Air/drone strike"
    assert (row["actor1"], row["inter1"]) == ("Russia", "1")
    assert (row["actor2"], row["inter2"], row["interaction"]) == ("Civilians (Syria)", "7", "17")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"]) == ("760", "Middle East", "Syria")
    assert (row["admin1"], row["location"]) == ("Daraa", "Al-Musayfirah")
    assert (float(row["latitude"]), float(row["longitude"])) == (32.6326, 36.3398)
    assert row["geo_precision"] == "1"
    assert row["source"] == "Reuters; AFP; NOS"
    assert row["fatalities"] == "17"  # ACLED: the lowest reported figure
    assert "fatalities_best=23" in row["tags"] and "fatalities_high=23" in row["tags"]
    assert "17-23" in row["notes"] and "3 independent sources" in row["notes"]
    assert int(row["timestamp"]) > 1_500_000_000


def test_ucdp_csv_reconciles_low_best_high(records: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    write_incidents(records, "ucdp-csv", out)
    assert out.getvalue().splitlines()[0].split(",") == UCDP_COLUMNS
    (row,) = _csv(records, "ucdp-csv")  # only fatal single incidents
    assert (row["low"], row["best"], row["high"]) == ("17", "23", "23")
    assert row["deaths_civilians"] == "6" and row["deaths_unknown"] == "17"
    assert int(row["deaths_civilians"]) + int(row["deaths_unknown"]) == int(row["best"])
    assert row["number_of_sources"] == "3"
    assert (row["where_prec"], row["date_prec"]) == ("1", "1")
    assert (row["date_start"], row["date_end"]) == ("2018-06-28", "2018-06-28")
    assert (row["side_a"], row["side_b"]) == ("Russia", "Civilians")
    assert row["type_of_violence"] == "3"
    assert "Reuters 2018-06-29 https://example.org/Reuters" in row["source_article"]
    assert row["geom_wkt"] == "POINT (36.3398 32.6326)"


def test_ucdp_precision_codes() -> None:
    assert [date_prec("2018-06-01", e) for e in ("2018-06-01", "2018-06-03", "2018-06-07")] == [
        1,
        2,
        3,
    ]
    assert date_prec("2018-06-01", "2018-06-30") == 4 and date_prec("2018-06-01", "2018-08-01") == 5
    assert where_prec({"feature": "country", "country": "SY"}) == 6
    assert where_prec({"feature": "admin1"}) == 4
    assert where_prec({"feature": "locality", "lat": 1.0, "precision": 2}) == 2


def test_geojson_has_a_feature_per_incident(records: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    n = write_incidents(records, "geojson", out)
    doc = json.loads(out.getvalue())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == n == len(records)
    f = next(x for x in doc["features"] if x["id"] == strike(records)["id"])
    assert f["geometry"] == {"type": "Point", "coordinates": [36.3398, 32.6326]}
    assert f["properties"]["n_sources"] == 3


def test_parquet_keeps_the_full_nested_record(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "x.parquet"
    with open(path, "wb") as out:
        assert write_incidents(records, "parquet", out) == len(records)
    table = pq.read_table(path)
    rows = {r["id"]: r for r in table.to_pylist()}
    rec = rows[strike(records)["id"]]
    assert [s["source_name"] for s in rec["sources"]] == ["Reuters", "AFP", "NOS"]
    killed = next(f for f in rec["figures"] if f["kind"] == "killed" and f["group"] is None)
    assert (killed["low"], killed["best"], killed["high"]) == (17, 23, 23)
    assert str(rec["date"]["start"]) == "2018-06-28"
    assert rec["place"]["geonameid"] == 173416
    assert rec["sources"][0]["figures"][0]["kind"] == "injured"


def test_empty_exports_are_valid(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    for fmt in INCIDENT_FORMATS:
        if fmt == "parquet":
            with open(tmp_path / "e.parquet", "wb") as out:
                assert write_incidents([], fmt, out) == 0
            assert pq.read_table(tmp_path / "e.parquet").num_rows == 0
        else:
            out = io.StringIO()
            assert write_incidents([], fmt, out) == 0
    doc = io.StringIO()
    write_incidents([], "geojson", doc)
    assert json.loads(doc.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_jsonl_and_csv_round_trip(records: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    write_incidents(records, "jsonl", out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == records
    rows = _csv(records, "csv")
    row = next(r for r in rows if r["id"] == strike(records)["id"])
    assert (row["killed_low"], row["killed_best"], row["killed_high"]) == ("17", "23", "23")
    assert row["injured_best"] == "30" and row["sources"] == "Reuters; AFP; NOS"
