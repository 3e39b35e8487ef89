"""The dataset end to end: real texts through extraction into incidents, and the Python API
(``sitrep.dataset.Dataset``) with its filters, on SQLite and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.dataset import Dataset
from sitrep.store.testing import fresh_database, synthetic_report

REUTERS = (
    "BEIRUT (Reuters) - Russian air strikes killed 17 people in the village of Al Musayfrah in "
    "southern Syria on Thursday, the Syrian Observatory for Human Rights said.\n\n"
    "The observatory said the strikes hit a shelter where families had taken refuge."
)
AFP = (
    "DAMASCUS (AFP) - At least 20 civilians were killed on Thursday when Russian warplanes bombed "
    "the village of Al Musayfrah in Deraa province, a monitor said.\n\n"
    "Since the start of the offensive last week, a total of 90 civilians have been killed, "
    "according to the Syrian Observatory for Human Rights."
)
NOS = (
    "Bij Russische luchtaanvallen op het dorp Al Musayfrah in het zuiden van Syrië zijn donderdag "
    "23 doden gevallen, meldt persbureau Reuters op basis van het Syrisch Observatorium voor de "
    "Mensenrechten."
)
SYNDICATED = REUTERS + "\n\nThis story was republished from Reuters by Yahoo News."


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as u:
        yield u


def test_three_reports_of_one_airstrike_from_real_text(url: str) -> None:
    with Dataset(url) as ds:
        for text, source, lang in [
            (REUTERS, "Reuters", "en"),
            (AFP, "AFP", "en"),
            (NOS, "NOS", "nl"),
            (SYNDICATED, "Yahoo News", "en"),
        ]:
            out = ds.add_text(
                text, published="2018-06-29", source_name=source, lang=lang, merge=False
            )
            assert out.status == "done", out.detail
        ds.merge()
        strikes = ds.events(type="airstrike")
        assert len(strikes) == 1
        rec = strikes[0]
        killed = next(f for f in rec["figures"] if f["kind"] == "killed" and f["group"] is None)
        assert (killed["low"], killed["high"]) == (17, 23)
        assert rec["n_sources"] == 3 and rec["n_reports"] == 4
        assert rec["date"]["start"] == "2018-06-28"
        assert set(rec["languages"]) == {"en", "nl"}
        copy = next(s for s in rec["sources"] if s["source_name"] == "Yahoo News")
        assert copy["copy_of"] is not None
        # AFP's running total is kept, apart, and never summed
        every = ds.events(running_totals=True)
        totals = [r for r in every if r["cumulative"]]
        assert len(totals) == 1 and totals[0]["figures"][0]["best"] == 90
        assert sum(r.killed for r in ds.stats(by="month")) == killed["best"]
        # the same texts again add nothing
        assert ds.add_text(REUTERS, published="2018-06-29").status == "duplicate"
        assert ds.count(running_totals=True) == 2


PLACES = {
    "saraqib": {
        "place": "Saraqib",
        "country": "SY",
        "admin1": "Idlib",
        "lat": 35.86,
        "lon": 36.80,
        "feature": "locality",
        "geonameid": 10,
        "geo_precision": 1,
    },
    "kharkiv": {
        "place": "Kharkiv",
        "country": "UA",
        "admin1": "Kharkiv",
        "lat": 49.99,
        "lon": 36.23,
        "feature": "locality",
        "geonameid": 11,
        "geo_precision": 1,
    },
    "saada": {
        "place": "Saada",
        "country": "YE",
        "admin1": "Sa'dah",
        "lat": 16.94,
        "lon": 43.76,
        "feature": "locality",
        "geonameid": 12,
        "geo_precision": 1,
    },
}


@pytest.fixture
def filled(url: str) -> Iterator[Dataset]:
    spec: list[tuple[str, str, str, str, int, str, dict[str, Any]]] = [
        ("saraqib", "2018-03-05", "Russia", "Reuters", 12, "a", {}),
        ("saraqib", "2018-03-05", "Russia", "AFP", 14, "b", {}),
        ("kharkiv", "2018-04-10", "Russia", "BBC", 5, "c", {"event": "shelling"}),
        ("saada", "2018-05-20", "Saudi Arabia", "Al Jazeera", 40, "d", {}),
    ]
    with Dataset(url) as ds:
        store = ds.store(write=True)
        for place, day, perp, src, n, tag, extra in spec:
            event = {
                **PLACES[place],
                "start": day,
                "perpetrator": perp,
                "figures": [
                    {"kind": "killed", "best": n, "sentence": f"{n} killed in {place} ({tag})."}
                ],
            }
            if extra.get("event") == "shelling":
                event["event"] = "shelling"
                event["sub_event_type"] = "Shelling/artillery/missile attack"
            store.add_report(synthetic_report(f"{tag} report text " * 10, [event], source_name=src))
        ds.merge()
        yield ds


def _places(recs: list[dict[str, Any]]) -> list[str]:
    return sorted(r["place"]["location"] for r in recs)


def test_filters(filled: Dataset) -> None:
    ds = filled
    assert _places(ds.events()) == ["Kharkiv", "Saada", "Saraqib"]
    assert _places(ds.events(country="Syria")) == ["Saraqib"]
    assert _places(ds.events(country="SY,Jemen")) == ["Saada", "Saraqib"]
    assert _places(ds.events(admin1="idlib")) == ["Saraqib"]
    assert _places(ds.events(since="2018-04-01")) == ["Kharkiv", "Saada"]
    assert _places(ds.events(until=date(2018, 4, 10))) == ["Kharkiv", "Saraqib"]
    assert _places(ds.events(type="shelling")) == ["Kharkiv"]
    assert _places(ds.events(type="Explosions/Remote violence")) == ["Kharkiv", "Saada", "Saraqib"]
    assert _places(ds.events(actor="saudi")) == ["Saada"]
    assert _places(ds.events(min_killed=14)) == ["Saada", "Saraqib"]
    assert _places(ds.events(source="afp")) == ["Saraqib"]
    assert _places(ds.events(bbox=(30.0, 45.0, 40.0, 55.0))) == ["Kharkiv"]
    assert _places(ds.events(search="(d)")) == ["Saada"]
    assert _places(ds.events(search="100%")) == []
    assert _places(ds.events(grade="multiple_sources")) == ["Saraqib"]
    assert _places(ds.events(min_sources=2)) == ["Saraqib"]
    assert [r["place"]["location"] for r in ds.events(limit=1)] == ["Saada"]  # newest first
    with pytest.raises(Exception, match="unknown country"):
        ds.events(country="Atlantis")
    with pytest.raises(TypeError, match="unknown filter"):
        ds.events(colour="red")


def test_dataframe_and_stats(filled: Dataset) -> None:
    df = filled.dataframe()
    assert len(df) == 3
    assert str(df["date_start"].dtype).startswith("datetime64")
    row = df[df["location"] == "Saraqib"].iloc[0]
    assert (row["killed_low"], row["killed_best"], row["killed_high"]) == (12, 14, 14)
    by_country = {(r.period.isoformat(), r.group): r.killed for r in filled.stats(group="country")}
    assert by_country == {
        ("2018-03-01", "SY"): 14,
        ("2018-04-01", "UA"): 5,
        ("2018-05-01", "YE"): 40,
    }
    weekly = filled.stats(by="week", figure="low")
    assert [(r.period.isoformat(), r.killed) for r in weekly] == [
        ("2018-03-05", 12),
        ("2018-04-09", 5),
        ("2018-05-14", 40),
    ]


def test_reading_a_missing_database_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no such database"):
        Dataset(tmp_path / "none.db").events()


def test_dataset_is_part_of_the_public_api():
    import sitrep
    from sitrep.dataset import Dataset

    assert sitrep.Dataset is Dataset
