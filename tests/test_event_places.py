"""Which place an event gets: the town a later sentence names for the act, the town after a
kind word, and never a person's or a people's name."""

from __future__ import annotations

from datetime import date

import sitrep


def _places(text: str, lang: str) -> list[tuple[str | None, str | None]]:
    events = sitrep.extract(text, lang=lang, published=date(2024, 3, 4))
    return [
        (e.place.text if e.place else None, e.place.country if e.place else None) for e in events
    ]


def test_a_later_sentence_about_the_act_says_which_town():
    text = (
        "Two suicide bombers blew themselves up at a fish market in northeast Nigeria's Borno "
        "state on Saturday, killing 11 people, police said.\n\n"
        "The attack happened in the town of Konduga, southeast of the state capital."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 4))
    assert events[0].place is not None
    assert events[0].place.text == "Konduga"
    # The gazetteer may lack the town: it lies in the state the act was placed in.
    assert events[0].place.country == "NG"


def test_the_attackers_or_a_thing_named_again_say_which_town():
    attackers = (
        "In het zuidwesten van Colombia zijn vrijdag bij een aanval op een politiebureau twee "
        "agenten om het leven gekomen.\n\n"
        "De aanvallers beschoten het politiebureau in het stadje Suárez urenlang."
    )
    assert _places(attackers, "nl")[0][0] == "Suárez"
    echo = (
        "Het leger heeft woensdag een ziekenhuis in de deelstaat Rakhine gebombardeerd. "
        "Daarbij kwamen zeker 31 mensen om.\n\n"
        "Het ziekenhuis in Mrauk-U was een van de laatste in de regio."
    )
    assert _places(echo, "nl")[0][0] == "Mrauk-U"
    # A name after "The" is no thing told of before: "The Israeli military said …".
    name = (
        "An Israeli drone strike killed two fighters near Nabatieh on Saturday.\n\n"
        "The Israeli military said it had struck launch sites in Tyre."
    )
    assert _places(name, "en")[0][0] == "near Nabatieh"


def test_a_kind_word_names_the_place_whatever_comes_before():
    text = (
        "Rapid Support Forces fighters killed at least 80 people in a raid on the town of "
        "Tamboul in Sudan's Al Jazirah state on Friday, activists said."
    )
    assert _places(text, "en")[0][0] == "Tamboul"


def test_a_persons_name_is_no_place():
    text = (
        "Gunmen stormed a hotel in Mogadishu on Friday, killing nine people, police spokesman "
        "Abdifatah Aden said. He said a police officer was among those killed."
    )
    places = {p for p, _ in _places(text, "en")}
    assert "Aden" not in places


def test_a_peoples_name_is_no_place():
    text = (
        "Clashes between Arab militias and Masalit fighters killed 96 people on Tuesday, "
        "residents said."
    )
    assert all(p != "Arab" for p, _ in _places(text, "en"))
    text = (
        "Boko Haram's insurgency has killed more than 35,000 people in the region since 2009, "
        "the United Nations said."
    )
    assert all(p is None or "Haram" not in p for p, _ in _places(text, "en"))


def test_a_town_the_gazetteer_lacks_lies_in_the_area_its_sentence_names():
    text = (
        "Seventeen soldiers were killed when jihadists ambushed their convoy near the village "
        "of Kwaratondi in western Niger's Tillaberi region on Tuesday, the defence ministry said."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 4))
    assert events[0].place is not None
    assert (events[0].place.country, events[0].place.admin1) == ("NE", "Tillaberi")
    # A national ministry named without its country is the one of the country of the event.
    assert events[0].figures[0].source == "Nigerien Defence Ministry"


def test_a_figure_no_sentence_places_takes_the_country_the_report_names():
    text = (
        "At least 10,580 civilians have been killed in Ukraine since Russia's invasion, the "
        "United Nations said.\n\n"
        "More than 6.4 million people have fled abroad, the refugee agency said."
    )
    places = _places(text, "en")
    assert places[-1] == ("Ukraine", "UA")


def test_a_relation_after_a_town_says_where_the_town_lies():
    text = (
        "Bij een Israëlisch bombardement op een tentenkamp in Al-Mawasi, ten westen van Khan "
        "Younis, zijn dinsdag 20 tot 30 mensen gedood."
    )
    assert _places(text, "nl")[0][0] == "Al-Mawasi"
    # After a province it is the more precise place.
    text = (
        "Bij de explosie van een bermbom in de provincie Homs, nabij Palmyra, zijn donderdag "
        "dertien soldaten om het leven gekomen."
    )
    assert "Palmyra" in (_places(text, "nl")[0][0] or "")


def test_a_capital_that_acts_is_its_government_and_a_month_is_no_place():
    text = (
        "More than 165,000 Afghans have returned home from Pakistan since early October, when "
        "Islamabad ordered all undocumented migrants to leave the country by Nov. 1, the "
        "International Organization for Migration said, as the crackdown on refugees went on."
    )
    places = _places(text, "en")
    assert places and places[0][0] == "Pakistan"


def test_a_place_right_after_a_figure_is_its_own():
    text = (
        "Police in Russia detained at least 1,386 people at anti-war protests on Wednesday, the "
        "rights group OVD-Info said. About 480 were detained in St Petersburg alone."
    )
    places = _places(text, "en")
    assert places[-1][0] == "St Petersburg"


def test_a_province_behind_an_unknown_kind_word_still_resolves():
    text = (
        "Strijders van de RSF hebben zaterdag bij een aanval op een dorp nabij de stad Tamboul, "
        "in de Sudanese deelstaat Al Jazirah, tientallen burgers gedood."
    )
    events = sitrep.extract(text, lang="nl", published=date(2024, 3, 4))
    place = events[0].place
    assert place is not None and place.text.endswith("Tamboul")
    assert (place.country, place.admin1) == ("SD", "Al Jazirah")


def test_a_town_read_in_another_country_than_its_area_is_no_reading():
    text = (
        "Boko Haram fighters executed up to 40 farmers near the village of Mafa in northeast "
        "Nigeria's Borno state on Thursday, a militia leader said."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 6, 28))
    place = events[0].place
    assert place is not None and (place.country, place.admin1) == ("NG", "Borno")


def test_names_of_people_and_attributive_places_are_no_places():
    text = (
        "Air strikes killed 30 people in Ariha on Sunday, the Britain-based Syrian Observatory "
        'for Human Rights said. "We recovered 28 bodies," Musa Ali, a local official, told '
        "Reuters."
    )
    places = {p for p, _ in _places(text, "en")}
    assert "Britain" not in places and "Ali" not in places


def test_refugees_are_counted_where_they_arrived():
    text = (
        "More than 550,000 refugees from Sudan have arrived in eastern Chad since April 2023, "
        "the Norwegian Refugee Council said, as fighting raged in Darfur."
    )
    assert _places(text, "en")[0] == ("eastern Chad", "TD")
    text = (
        "Sinds het begin van de oorlog in Sudan zijn bijna 600.000 Sudanezen gevlucht naar "
        "buurland Tsjaad, meldt de VN-vluchtelingenorganisatie UNHCR."
    )
    assert _places(text, "nl")[0][1] == "TD"


def test_datelines_neighbours_and_located_sources_are_no_event_places():
    text = (
        "GOMA, Congo, March 3 (AP) — M23 rebels shelled a camp near Sake on Monday, killing at "
        "least nine people, officials said."
    )
    assert _places(text, "en")[0][0] != "GOMA"
    text = (
        "Jihadists killed 12 soldiers in an ambush near the border with Algeria in northern "
        "Mali's Kidal region, the army said."
    )
    assert _places(text, "en")[0][1] == "ML"
    text = (
        "Bij luchtaanvallen op Idlib zijn zondag zeker twaalf burgers gedood, meldt de in "
        "Londen gevestigde organisatie SOHR."
    )
    assert _places(text, "nl")[0][1] == "SY"


def test_a_country_that_opens_its_clause_acts():
    text = (
        "Rusland heeft Oekraïne maandag bestookt met raketten; daarbij kwamen zeker zes mensen om."
    )
    places = _places(text, "nl")
    assert places and places[0][0] != "Rusland"


def test_a_building_is_no_event_place():
    text = (
        "Shelling of the South Hospital in El Fasher killed at least 70 people on Saturday, "
        "Doctors Without Borders said."
    )
    assert _places(text, "en")[0][0] == "El Fasher"
    text = (
        "Israeli forces detained at least 25 Palestinians in raids across the occupied West Bank "
        "on Monday night, the Palestinian Prisoners' Society said."
    )
    assert _places(text, "en")[0][0] == "West Bank"


def test_a_town_read_far_from_the_town_it_is_near_loses_that_reading():
    text = (
        "A strike on a house in the mountain village of Almat, north of Beirut, killed 23 people "
        "on Tuesday, Lebanon's health ministry said."
    )
    (event,) = sitrep.extract(text, lang="en", published=date(2024, 10, 1))
    assert event.place is not None and event.place.text == "Almat"
    assert event.place.country in (None, "LB")


def test_a_city_a_source_sits_in_is_no_place_after_a_preposition_either():
    # "de in Londen gevestigde organisatie": found through "in", still where a source sits.
    text = (
        "Onder de doden zouden 830 burgers zijn, die volgens de in Londen gevestigde organisatie "
        "in het westen van Syrië werden geëxecuteerd."
    )
    assert all(p != "Londen" for p, _ in _places(text, "nl"))


def test_a_direction_before_a_possessor_places_the_country_not_its_region():
    text = (
        "Seventeen soldiers were killed when jihadists ambushed their convoy near the village of "
        "Koutougou in western Niger's Tillaberi region on Tuesday, the ministry said."
    )
    (event,) = sitrep.extract(text, lang="en", published=date(2024, 3, 4))
    assert event.place is not None and event.place.text.endswith("Koutougou")
    assert (event.place.country, event.place.admin1) == ("NE", "Tillaberi")


def test_the_area_that_holds_a_place_is_less_specific_than_it():
    # The gazetteer lacks Djugu territory but knows Ituri province: "in" says which holds which.
    text = (
        "Militiamen killed at least 20 civilians in an attack on a village in Djugu territory in "
        "northeastern Congo's Ituri province on Saturday night, a local leader said."
    )
    assert _places(text, "en")[0] == ("Djugu territory", "CD")
    text = (
        "Bij een aanval van een bende in de wijk Solino in de hoofdstad Port-au-Prince zijn "
        "maandag zeker 28 mensen gedood, meldt de VN."
    )
    (event,) = sitrep.extract(text, lang="nl", published=date(2024, 12, 10))
    assert event.place is not None and event.place.text == "Solino"
    # The town that holds the quarter gives its province.
    assert (event.place.country, event.place.admin1) == ("HT", "Ouest")


def test_a_names_own_first_reading_does_not_choose_its_country():
    # Dhiban is a town in Jordan and one in Syria's Deir ez-Zor: the province decides.
    text = (
        "Clashes killed 54 people in eastern Syria's Deir ez-Zor province, the Observatory said. "
        "Between 2,000 and 3,000 people have fled the town of Dhiban since the fighting began."
    )
    events = sitrep.extract(text, lang="en", published=date(2023, 9, 1))
    dhiban = [e.place for e in events if e.place is not None and e.place.text == "Dhiban"]
    assert dhiban and dhiban[0].country == "SY"


def test_a_definite_kind_word_stands_for_the_place_named_before():
    text = (
        "Armed gangs went on a shooting rampage in Port-au-Prince, Haiti's capital, on Monday, "
        "killing at least 12 people, residents said, as police struggled to contain a surge of "
        "violence.\n\n"
        "More than 33,000 people have fled the capital in the past 10 days, the International "
        "Organization for Migration said."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 19))
    fled = [e for e in events if e.figures[0].best == 33001]
    assert fled and fled[0].place is not None and fled[0].place.text == "Port-au-Prince"
    text = (
        "Bij beschietingen op El Fasher, de hoofdstad van de deelstaat Noord-Darfur, zijn "
        "zaterdag 20 burgers gedood.\n\n"
        "Volgens de VN zijn sinds april ongeveer 40.000 mensen uit de stad op de vlucht geslagen."
    )
    events = sitrep.extract(text, lang="nl", published=date(2024, 5, 12))
    fled = [e for e in events if e.figures[0].best == 40000]
    assert fled and fled[0].place is not None and fled[0].place.text == "El Fasher"


def test_a_kind_word_that_heads_a_compound_or_a_name_stands_for_nothing():
    # "the city council" names a body; "the capital" of a report that called no town its
    # capital is not the last town it named.
    text = (
        "Militants killed 12 people in the town of Mafa in Borno state on Monday, police said.\n\n"
        "More than 3,000 people have fled to the capital since January, the city council said."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 19))
    fled = [e for e in events if e.figures[0].best == 3001]
    assert fled and (fled[0].place is None or fled[0].place.text != "Mafa")


def test_a_camp_near_a_town_is_the_place_not_the_town():
    text = (
        "Bij aanvallen van de RSF op het ontheemdenkamp Zamzam bij de Soedanese stad El Fasher "
        "zijn sinds vrijdag meer dan 400 mensen gedood, meldt de VN."
    )
    assert _places(text, "nl")[0][0] == "Zamzam"


def test_a_known_name_that_an_article_joined_name_goes_on_from_is_no_place():
    # The gazetteer knows a Wadi in India; "Wadi al-Shay" is the area, south of Kirkuk.
    text = (
        "Bij de explosie van een bermbom in het gebied Wadi al-Shay, ten zuiden van de Iraakse "
        "stad Kirkuk, zijn maandagavond vier militairen om het leven gekomen. Twee andere "
        "militairen raakten gewond."
    )
    places = _places(text, "nl")
    assert places and all(p == ("Wadi al-Shay", "IQ") for p in places)


def test_a_place_in_a_clause_about_an_earlier_happening_is_not_the_figures():
    text = (
        "More than 100,000 people have fled northern Gaza since Israel launched a new ground "
        "offensive in Jabalia on Oct. 6, the United Nations said."
    )
    assert _places(text, "en")[0][0] != "Jabalia"
    text = (
        "Almost 200,000 Yazidis remain displaced in camps in the Kurdistan region, nearly a "
        "decade after Islamic State overran Sinjar."
    )
    assert _places(text, "en")[0][0] == "Kurdistan region"


def test_where_people_went_places_no_later_count_of_the_dead():
    text = (
        "Western countries flew foreign nationals out of Sudan as fighting between the army and "
        "the RSF raged in the capital Khartoum for a second week. "
        "France said it had evacuated 388 people on two military flights to Djibouti. The World "
        "Health Organization says at least 420 people have been killed since the fighting began."
    )
    events = sitrep.extract(text, lang="en", published=date(2023, 4, 24))
    killed = [e for e in events if e.figures[0].best == 420]
    assert killed and killed[0].place is not None and killed[0].place.country == "SD"
    text = (
        "Militiamen killed at least 20 civilians in an attack on a village in Djugu territory in "
        "northeastern Congo's Ituri province on Saturday night, a local leader said.\n\n"
        "Around 1,500 residents fled to the provincial capital Bunia. The army said it had "
        "arrested seven suspects."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 4))
    arrested = [e for e in events if e.figures[0].kind.value == "arrested"]
    assert arrested and arrested[0].place is not None
    assert arrested[0].place.text == "Djugu territory"


def test_the_neighbour_across_a_border_is_no_place_even_alone():
    text = (
        "Jihadists killed 20 farmers in Nigeria's Borno state on Friday, police said. Another "
        "12 people were killed near the border with Cameroon on Saturday, a militia leader said."
    )
    assert _places(text, "en") and all(c == "NG" for _, c in _places(text, "en"))


def test_myanmar_is_a_country_by_its_short_name() -> None:
    # CLDR writes "Myanmar (Burma)"; the news writes "Myanmar".
    text = "The army killed at least 17 civilians in air strikes in Myanmar on Thursday."
    events = sitrep.extract(text, lang="en", published=date(2024, 5, 3))
    assert events[0].place is not None and events[0].place.country == "MM"


def test_a_spot_inside_a_town_is_geocoded_as_that_town():
    # The gazetteer's only Lido is in Italy; the text puts this one in Mogadishu.
    text = (
        "Bij een aanslag op het strand van Lido in de Somalische hoofdstad Mogadishu zijn "
        "vrijdag zeker 32 mensen gedood.\n\n"
        "Volgens de politie werden op het strand van Lido ook vijf aanvallers gedood."
    )
    events = sitrep.extract(text, lang="nl", published=date(2024, 3, 4))
    assert [e.place.country if e.place else None for e in events] == ["SO", "SO"]
    assert events[-1].place is not None and events[-1].place.name == "Mogadishu"


def test_part_of_an_organisations_name_is_no_place():
    text = (
        "The conflict has killed more than 6,000 people in Cabo Delgado, according to the "
        "Armed Conflict Location & Event Data Project (ACLED).\n\n"
        "Security forces have killed more than 5,000 civilians in Myanmar since the coup, "
        "according to the Assistance Association for Political Prisoners."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 4))
    assert [e.place.text if e.place else None for e in events] == ["Cabo Delgado", "Myanmar"]
    assert [f.source for e in events for f in e.figures] == [
        "ACLED",
        "Assistance Association for Political Prisoners",
    ]


def test_a_dateline_never_holds_a_place_the_gazetteer_lacks():
    text = (
        "BEIRUT (AFP) - At least 90 people have been killed in a week of clashes between the "
        "SDF and Arab tribal fighters in eastern Syria's Deir Ezzorr province, a war monitor "
        "said on Monday."
    )
    assert _places(text, "en")[0][1] == "SY"


def test_a_country_possessive_rules_out_a_namesake_abroad():
    text = (
        "U.S. air strikes on Yemen's Ras Isa fuel port killed 74 people and wounded 171, the "
        "Houthi-run health ministry said on Friday."
    )
    assert {country for _, country in _places(text, "en")} == {"YE"}


def test_the_place_a_possessive_names_after_a_count_is_the_counts():
    text = "Gunmen killed 12 villagers in Nigeria's Zamfara state on Monday, police said."
    assert _places(text, "en") == [("Zamfara state", "NG")]
