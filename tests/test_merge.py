"""Merging event mentions into incidents: the rules, the figures, the ids, the change feed.

Events are built from plain values (``synthetic_report``) so that these tests pin the merge
itself, whatever the extractor makes of a text; ``test_dataset.py`` runs real texts through.
Every test runs against SQLite and a real PostgreSQL server.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.merge import merge
from sitrep.merge.cluster import BlockingIndex, Graph, cluster, regions
from sitrep.merge.rules import Mention
from sitrep.store import Store
from sitrep.store.query import Filters, changes_since, incident, incidents, stats
from sitrep.store.testing import fresh_database, synthetic_report

# Two villages 10 km apart in Daraa, one 40 km away; an area that contains them.
MUSAYFIRAH = {
    "place": "Al Musayfrah",
    "country": "SY",
    "admin1": "Daraa",
    "lat": 32.6326,
    "lon": 36.3398,
    "feature": "locality",
    "geonameid": 173416,
    "geo_precision": 1,
}
NEAR = {
    "place": "Al Ghariyah",
    "country": "SY",
    "admin1": "Daraa",
    "lat": 32.56,
    "lon": 36.40,
    "feature": "locality",
    "geonameid": 1,
    "geo_precision": 1,
}
FAR = {
    "place": "Sanamayn",
    "country": "SY",
    "admin1": "Daraa",
    "lat": 33.07,
    "lon": 36.18,
    "feature": "locality",
    "geonameid": 2,
    "geo_precision": 1,
}
DARAA_PROVINCE = {
    "place": "Daraa province",
    "country": "SY",
    "admin1": "Daraa",
    "lat": 32.9,
    "lon": 36.2,
    "feature": "admin1",
    "geonameid": 3,
    "geo_precision": 3,
}
IDLIB = {
    "place": "Idlib",
    "country": "SY",
    "admin1": "Idlib",
    "lat": 35.93,
    "lon": 36.63,
    "feature": "locality",
    "geonameid": 4,
    "geo_precision": 1,
}


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with fresh_database(request.param, tmp_path) as url:
        s = Store(url)
        try:
            yield s
        finally:
            s.close()


_counter = iter(range(10**6))


def add(store: Store, *events: dict[str, Any], text: str | None = None, **kw: Any) -> str:
    """Store one synthetic report; returns its id."""
    body = text or f"Synthetic report number {next(_counter)} for the merge tests, unique words."
    prepared = synthetic_report(body, list(events), **kw)
    return store.add_report(prepared).report_id


def ev(where: dict[str, Any] | None = MUSAYFIRAH, **kw: Any) -> dict[str, Any]:
    return {**(where or {}), **kw}


def killed(best: int, **kw: Any) -> dict[str, Any]:
    return {"kind": "killed", "best": best, **kw}


def all_incidents(store: Store, **kw: Any) -> list[dict[str, Any]]:
    return list(incidents(store, Filters(running_totals=True, **kw)))


def figure(rec: dict[str, Any], kind: str = "killed", group: str | None = None) -> dict[str, Any]:
    return next(f for f in rec["figures"] if f["kind"] == kind and f["group"] == group)


# --- the bar: three reports of one airstrike ----------------------------------------------------


def test_three_reports_one_airstrike_running_total_separate_copy_adds_no_source(
    store: Store,
) -> None:
    reuters_text = (
        "BEIRUT (Reuters) - Russian air strikes killed 17 people in the village of Al Musayfrah "
        "in southern Syria on Thursday, the Syrian Observatory for Human Rights said. The "
        "observatory said the strikes hit a shelter where families had taken refuge."
    )
    add(
        store,
        ev(figures=[killed(17)]),
        text=reuters_text,
        source_name="Reuters",
        published="2018-06-28",
    )
    add(
        store,
        ev(figures=[killed(20, qualifier="at_least", low=20, group="civilians")]),
        ev(None, place="Deraa", start=None, figures=[killed(90, cumulative=True)]),
        ev(
            DARAA_PROVINCE,
            start="2018-06-22",
            end="2018-06-28",
            precision="week",
            figures=[killed(90, cumulative=True)],
        ),
        source_name="AFP",
        published="2018-06-29",
    )
    add(
        store,
        ev(figures=[killed(23)]),
        source_name="NOS",
        lang="nl",
        published="2018-06-30",
    )
    # a syndicated copy of the Reuters story on another site
    add(
        store,
        ev(figures=[killed(17)]),
        text=reuters_text + " Copyright Yahoo News.",
        source_name="Yahoo News",
        published="2018-06-29",
    )
    result = merge(store)
    assert result.pending == 6
    singles = all_incidents(store, type="airstrike")
    strike = [r for r in singles if not r["cumulative"]]
    assert len(strike) == 1
    rec = strike[0]
    k = figure(rec, "killed")
    assert (k["low"], k["best"], k["high"]) == (17, 23, 23)
    assert rec["n_sources"] == 3 and rec["n_reports"] == 4
    assert rec["grade"] == "multiple_sources"
    assert sorted(rec["languages"]) == ["en", "nl"]
    copy = next(s for s in rec["sources"] if s["source_name"] == "Yahoo News")
    assert copy["copy_of"] is not None
    # the running totals are incidents of their own, never summed
    totals = [r for r in all_incidents(store) if r["cumulative"]]
    assert totals and all(figure(t)["best"] == 90 for t in totals)
    default = list(incidents(store, Filters()))
    assert [r["id"] for r in default] == [rec["id"]]
    rows = stats(store, Filters(), by="month")
    assert sum(r.killed for r in rows) == 23


# --- the rules --------------------------------------------------------------------------------


def test_dates_agree_within_a_day_not_two(store: Store) -> None:
    add(store, ev(start="2018-06-28", figures=[killed(5)]))
    add(store, ev(start="2018-06-29", figures=[killed(6)]))
    add(store, ev(start="2018-07-02", figures=[killed(7)]))
    merge(store)
    recs = all_incidents(store)
    assert sorted(r["n_reports"] for r in recs) == [1, 2]


def test_a_day_inside_a_week_agrees_with_it(store: Store) -> None:
    add(store, ev(start="2018-06-25", end="2018-07-01", precision="week", figures=[killed(9)]))
    add(store, ev(start="2018-06-28", figures=[killed(8)]))
    merge(store)
    (rec,) = all_incidents(store)
    assert rec["date"] == {"start": "2018-06-28", "end": "2018-06-28", "precision": "day"}


def test_places_within_25_km_merge_farther_do_not(store: Store) -> None:
    add(store, ev(MUSAYFIRAH, figures=[killed(5)]))
    add(store, ev(NEAR, figures=[killed(5)]))  # ~10 km
    add(store, ev(FAR, figures=[killed(5)]))  # ~50 km
    merge(store)
    assert sorted(r["n_reports"] for r in all_incidents(store)) == [1, 2]


def test_an_area_merges_with_a_place_inside_it_not_outside(store: Store) -> None:
    add(store, ev(DARAA_PROVINCE, figures=[killed(12)]))
    add(store, ev(MUSAYFIRAH, figures=[killed(11)]))
    add(store, ev(IDLIB, figures=[killed(11)]))
    merge(store)
    recs = all_incidents(store)
    merged = next(r for r in recs if r["n_reports"] == 2)
    assert merged["place"]["location"] == "Al Musayfrah"  # the more precise place wins
    assert {r["place"]["admin1"] for r in recs} == {"Daraa", "Idlib"}


def test_same_name_merges_before_geocoding(store: Store) -> None:
    add(store, ev(None, place="Al-Musayfrah", figures=[killed(5)]))
    add(store, ev(None, place="al Musayfrah", figures=[killed(7)]))
    add(store, ev(None, place="Busra", figures=[killed(7)]))
    merge(store)
    assert sorted(r["n_reports"] for r in all_incidents(store)) == [1, 2]


def test_conflicting_actors_do_not_merge_unknown_actor_does(store: Store) -> None:
    add(store, ev(perpetrator="Russia", figures=[killed(5)]))
    add(store, ev(perpetrator="Syria", figures=[killed(5)]))
    merge(store)
    assert len(all_incidents(store)) == 2
    add(store, ev(perpetrator=None, figures=[killed(5)]))
    merge(store)
    recs = all_incidents(store)
    assert len(recs) == 2 and sorted(r["n_reports"] for r in recs) == [1, 2]


def test_different_kinds_of_event_do_not_merge(store: Store) -> None:
    add(store, ev(figures=[killed(5)]))
    add(
        store,
        ev(
            event="clashes", event_type="Battles", sub_event_type="Armed clash", figures=[killed(5)]
        ),
    )
    merge(store)
    assert len(all_incidents(store)) == 2


def test_undated_or_unplaced_mentions_stay_alone(store: Store) -> None:
    add(store, ev(start=None, figures=[killed(5)]))
    add(store, ev(start=None, figures=[killed(5)]))
    add(store, ev(None, figures=[killed(5)]))
    merge(store)
    assert len(all_incidents(store)) == 3


def test_one_report_naming_two_nearby_places_keeps_two_incidents(store: Store) -> None:
    add(store, ev(MUSAYFIRAH, figures=[killed(5)]), ev(NEAR, figures=[killed(3)]))
    merge(store)
    recs = all_incidents(store)
    assert sorted(figure(r)["best"] for r in recs) == [3, 5]


def test_running_totals_never_merge_with_single_incidents(store: Store) -> None:
    add(store, ev(figures=[killed(40, cumulative=True)]))
    add(store, ev(figures=[killed(4)]))
    add(store, ev(figures=[killed(41, cumulative=True)]))
    merge(store)
    recs = all_incidents(store)
    assert sorted((r["cumulative"], r["n_reports"]) for r in recs) == [(False, 1), (True, 2)]
    assert sum(r.killed for r in stats(store, Filters(running_totals=True))) == 4


def test_sub_counts_never_add_to_totals_groups_do(store: Store) -> None:
    add(
        store,
        ev(
            figures=[
                killed(20),
                killed(7, group="children", part_of=0),
                killed(4, kind="injured"),
            ]
        ),
    )
    add(store, ev(IDLIB, figures=[killed(5, group="civilians"), killed(3, group="soldiers")]))
    merge(store)
    by_place = {r["place"]["location"]: r for r in all_incidents(store)}
    daraa = by_place["Al Musayfrah"]
    assert figure(daraa)["best"] == 20
    assert figure(daraa, group="children")["best"] == 7
    assert figure(daraa, "injured")["best"] == 4
    assert figure(by_place["Idlib"])["best"] == 8


def test_best_is_most_specific_then_most_recent(store: Store) -> None:
    add(store, ev(figures=[killed(30, qualifier="about")]), published="2018-07-05")
    add(store, ev(figures=[killed(18)]), published="2018-06-29")
    add(store, ev(figures=[killed(21)]), published="2018-07-01")
    add(store, ev(figures=[killed(15, low=15, high=40, qualifier="range")]), published="2018-07-02")
    merge(store)
    (rec,) = all_incidents(store)
    k = figure(rec)
    assert (k["low"], k["best"], k["high"]) == (15, 21, 40)


def test_one_report_counts_once_per_incident(store: Store) -> None:
    add(store, ev(DARAA_PROVINCE, figures=[killed(20)]), ev(MUSAYFIRAH, figures=[killed(17)]))
    merge(store)
    (rec,) = all_incidents(store)
    assert figure(rec)["best"] == 20 and rec["n_reports"] == 1


def test_grades_follow_what_the_accused_says(store: Store) -> None:
    add(store, ev(figures=[killed(5)], status="denied_by_accused"))
    add(store, ev(figures=[killed(6)]))
    add(store, ev(IDLIB, figures=[killed(2)], status="confirmed"))
    add(store, ev(FAR, figures=[killed(2)]))
    merge(store)
    grades = {r["place"]["location"]: r["grade"] for r in all_incidents(store)}
    assert grades == {"Al Musayfrah": "contested", "Idlib": "conceded", "Sanamayn": "single_source"}


def test_reports_of_one_outlet_count_as_one_source(store: Store) -> None:
    add(store, ev(figures=[killed(5)]), source_name="Reuters")
    add(store, ev(figures=[killed(7)]), source_name="reuters ")
    merge(store)
    (rec,) = all_incidents(store)
    assert rec["n_reports"] == 2 and rec["n_sources"] == 1 and rec["grade"] == "single_source"


# --- ids, re-runs and the change feed -------------------------------------------------------------


def _scenario() -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """Reports about a handful of incidents, with a bridge and a running total."""
    return [
        ([ev(figures=[killed(17)])], {"published": "2018-06-28", "source_name": "A"}),
        ([ev(NEAR, figures=[killed(20)])], {"published": "2018-06-29", "source_name": "B"}),
        ([ev(figures=[killed(23)])], {"published": "2018-06-30", "source_name": "C"}),
        ([ev(FAR, figures=[killed(2)])], {"published": "2018-06-29", "source_name": "A"}),
        ([ev(IDLIB, figures=[killed(3)])], {"published": "2018-06-27", "source_name": "D"}),
        (
            [ev(figures=[killed(90, cumulative=True)], start="2018-06-22", end="2018-06-28")],
            {"published": "2018-06-29", "source_name": "B"},
        ),
    ]


def test_ids_do_not_depend_on_ingestion_order(tmp_path: Path) -> None:
    reports = _scenario()
    texts = [f"Scenario report {i}: words to make it distinct." for i in range(len(reports))]
    seen = []
    for seed in (1, 2, 3):
        order = list(range(len(reports)))
        random.Random(seed).shuffle(order)
        with Store(tmp_path / f"order{seed}.db") as s:
            for i in order:
                events, kw = reports[i]
                s.add_report(synthetic_report(texts[i], events, **kw))
                if seed == 3:
                    merge(s)  # merging after every report must end the same
            merge(s)
            seen.append(
                sorted(
                    (r["id"], tuple(sorted(x["report_id"] for x in r["sources"])))
                    for r in incidents(s, Filters(running_totals=True))
                )
            )
    assert seen[0] == seen[1] == seen[2]


def test_rerun_and_rebuild_change_nothing(store: Store) -> None:
    for events, kw in _scenario():
        add(store, *events, **kw)
    merge(store)
    before = {r["id"]: r for r in all_incidents(store)}
    assert merge(store).regions == 0
    again = merge(store, rebuild=True)
    assert again.created == 0 and again.updated == 0 and again.retired == 0
    after = {r["id"]: r for r in all_incidents(store)}
    assert after == before


def test_a_bridging_report_merges_two_incidents_and_records_the_change(store: Store) -> None:
    from datetime import UTC, datetime

    # A: geocoded village; B: the same village as written elsewhere, not geocoded. Neither
    # agrees nor conflicts with the other, so they stay two incidents...
    a = add(store, ev(MUSAYFIRAH, figures=[killed(17)]), published="2018-06-29")
    add(store, ev(None, place="Musayfrah village", figures=[killed(20)]), published="2018-06-30")
    merge(store)
    first = {r["sources"][0]["report_id"]: r["id"] for r in all_incidents(store)}
    assert len(first) == 2
    t0 = datetime.now(UTC)
    # ...until a report names the place as B does and geocodes it next to A: it agrees with both
    add(
        store,
        ev({**NEAR, "place": "Musayfrah village", "geonameid": None}, figures=[killed(19)]),
        published="2018-07-01",
    )
    result = merge(store)
    recs = all_incidents(store)
    assert len(recs) == 1 and recs[0]["n_reports"] == 3
    assert recs[0]["id"] == first[a]  # the earliest report anchors the incident: its id stays
    assert result.retired == 1
    feed = changes_since(store, t0, retired_only=True)
    assert [(c.change, c.new_id) for c in feed] == [("merged", first[a])]
    (gone,) = set(first.values()) - {first[a]}
    assert feed[0].incident_id == gone
    with pytest.raises(Exception, match=f"retired.*{first[a]}"):
        incident(store, gone)
    assert {c.change for c in changes_since(store, t0)} == {"merged", "updated"}


def test_show_gives_every_source_and_quote(store: Store) -> None:
    add(
        store, ev(figures=[killed(17, sentence="Seventeen died in Al Musayfrah.")]), source_name="A"
    )
    add(store, ev(figures=[killed(23, sentence="23 doden in Al Musayfrah.")]), source_name="B")
    merge(store)
    (rec,) = all_incidents(store)
    full = incident(store, rec["id"][:8])
    quotes = {
        f["evidence"]["sentence"]
        for s in full["sources"]
        for e in s["events"]
        for f in e["figures"]
    }
    assert quotes == {"Seventeen died in Al Musayfrah.", "23 doden in Al Musayfrah."}


# --- cost -----------------------------------------------------------------------------------------


def _mentions(n: int, seed: int = 7) -> list[Mention]:
    """n mentions spread over 2 years and a grid of places, ~3 reports per incident."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        inc = i // 3
        r = random.Random(inc)
        day = 736000 + r.randrange(730)
        lat = 30 + r.randrange(40) * 0.3
        lon = 35 + r.randrange(40) * 0.3
        out.append(
            Mention(
                idx=i,
                id=f"m{i}",
                report_id=f"r{i}",
                seq=1,
                event="airstrike",
                event_type="Explosions/Remote violence",
                sub_event_type=None,
                cumulative=False,
                d0=day + rng.choice((0, 0, 1)),
                d1=None,
                precision="day",
                place_text=f"p{lat}{lon}",
                place_key=f"p{lat}{lon}",
                place_name=None,
                feature="locality",
                geonameid=None,
                country="SY",
                admin1=None,
                admin2=None,
                lat=lat + rng.random() * 0.01,
                lon=lon,
                geo_precision=1,
                perpetrator=None,
                perpetrator_text=None,
                perpetrator_type=None,
                target=None,
                target_type=None,
                status="reported",
                attributed_to=None,
                summary={"totals": {"killed": [1, 1, 1, "exact", False]}},
                published=None,
                origin=f"o{i}",
                source_name=None,
                url=None,
                lang="en",
                title=None,
                copy_of=None,
            )
        )
        out[-1].d1 = out[-1].d0
        out[-1].__post_init__()
    return out


def test_blocking_keeps_the_merge_near_linear() -> None:
    costs = {}
    for n in (3000, 12000):
        ms = _mentions(n)
        t = time.perf_counter()
        graph = Graph(BlockingIndex(ms))
        groups = [g for reg in regions(ms, range(n), graph) for g in cluster(reg, graph)]
        costs[n] = (graph.pairs, time.perf_counter() - t, len(groups))
    pairs_ratio = costs[12000][0] / max(1, costs[3000][0])
    assert pairs_ratio < 6, costs  # quadratic would be 16
    assert costs[12000][2] < 12000 / 2  # and the reports of one incident did merge
