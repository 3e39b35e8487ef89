"""Phrasings of real wire copy that the dev sets did not cover, one figure each."""

from __future__ import annotations

import pytest

import sitrep


def _figures(text: str, lang: str) -> list[tuple[str, int, str]]:
    events = sitrep.extract(text, lang=lang, published="2024-03-04")
    return [(f.kind.value, f.best, f.qualifier.value) for e in events for f in e.figures]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Bij een luchtaanval op een markt in Noord-Darfur zijn tientallen mensen gedood en "
            "honderden gewond geraakt.",
            "nl",
            [("killed", 20, "vague"), ("injured", 200, "vague")],
        ),
        (
            "Een bermbom heeft in de provincie Diyala een agent gedood en twee anderen verwond.",
            "nl",
            [("killed", 1, "exact"), ("injured", 2, "exact")],
        ),
        (
            "Het dodental van de bomaanslag in Mogadishu is opgelopen tot veertig.",
            "nl",
            [("killed", 40, "exact")],
        ),
        (
            "The death toll from Saturday's car bombing in Mogadishu rose to 40, police said.",
            "en",
            [("killed", 40, "exact")],
        ),
        (
            "Vermoedelijke jihadisten hebben in Cabo Delgado elf dorpelingen onthoofd.",
            "nl",
            [("killed", 11, "exact")],
        ),
        (
            "Suspected Islamist militants beheaded 11 villagers in Cabo Delgado.",
            "en",
            [("killed", 11, "exact")],
        ),
        (
            "De aanslag op de markt in Kaboel eiste aan zeker twintig mensen het leven.",
            "nl",
            [("killed", 20, "at_least")],
        ),
        (
            "More than 1,000 people were detained during protests across Russia on Sunday, "
            "OVD-Info said.",
            "en",
            [("arrested", 1001, "more_than")],
        ),
        (
            "De politie arresteerde na de rellen in Dhaka ruim 200 mensen.",
            "nl",
            [("arrested", 201, "more_than")],
        ),
        (
            "Een Oekraïense drone-aanval heeft in de Russische grensstad Belgorod aan drie mensen "
            "het leven gekost.",
            "nl",
            [("killed", 3, "exact")],
        ),
        (
            "Dodental aardbeving Turkije gestegen tot boven de 40.000",
            "nl",
            [],
        ),
        (
            "Residents put the toll at 63 after the militia attack on the village.",
            "en",
            [("killed", 63, "exact")],
        ),
        (
            "Gunmen kidnapped 30 villagers in Kaduna and demanded up to 50 million naira per "
            "hostage.",
            "en",
            [("kidnapped", 30, "exact")],
        ),
        (
            "The attack on the Far'a refugee camp killed three Palestinians, medics said.",
            "en",
            [("killed", 3, "exact")],
        ),
        (
            "One of the sources said the army shelled the village, killing 12 civilians.",
            "en",
            [("killed", 12, "exact")],
        ),
        (
            "Colombian senator Miguel Uribe (39) was shot dead in Bogota in an attack by gunmen.",
            "en",
            [],
        ),
        (
            "A roadside bomb killed 20 soldiers and a civilian near Kidal on Monday, the army "
            "said.",
            "en",
            [("killed", 20, "exact"), ("killed", 1, "exact")],
        ),
        (
            "Gewapende mannen hebben in Kaduna zeker 61 scholieren en een leraar ontvoerd.",
            "nl",
            [("kidnapped", 61, "at_least"), ("kidnapped", 1, "exact")],
        ),
        (
            "Israeli strike kills 5 in Gaza's Nuseirat camp, medics say",
            "en",
            [("killed", 5, "exact")],
        ),
        (
            "A gunman opened fire at a checkpoint in Hebron, leaving two Israeli soldiers injured.",
            "en",
            [("injured", 2, "exact")],
        ),
        (
            "Een gewapende bende heeft in Port-au-Prince acht medewerkers van een ziekenhuis "
            "ontvoerd, onder wie twee artsen.",
            "nl",
            [("kidnapped", 8, "exact"), ("kidnapped", 2, "exact")],
        ),
    ],
)
def test_phrasing(text: str, lang: str, expected: list[tuple[str, int, str]]) -> None:
    assert _figures(text, lang) == expected


def test_a_number_word_joined_to_nothing_is_still_a_number() -> None:
    from sitrep.extract.numbers import parser_for

    p = parser_for("nl")
    text = "zes mensen gedood en twee anderen gewond"
    assert [(n.text, n.best) for n in p.find(text)] == [("zes", 6), ("twee", 2)]
    assert [(n.text, n.best) for n in p.find("een en twintig")] == [("een en twintig", 21)]


def test_one_person_has_the_group_of_the_noun_that_names_them() -> None:
    text = (
        "Gunmen stormed a restaurant in Mogadishu on Friday, killing a police officer, police "
        "said. In Baidoa a 15-year-old girl was wounded by a roadside bomb."
    )
    events = sitrep.extract(text, lang="en", published="2024-03-04")
    singles = [(f.kind.value, f.group) for e in events for f in e.figures if f.best == 1]
    assert ("killed", "police") in singles and ("injured", "children") in singles


def test_a_datelines_date_is_the_reports_not_the_acts() -> None:
    text = (
        "MOGADISHU, March 1 (Reuters) - A car bomb exploded outside a restaurant in Mogadishu "
        "late on Thursday, killing nine people, police said."
    )
    events = sitrep.extract(text, lang="en", published="2024-03-01")
    assert [e.date.start.isoformat() if e.date.start else None for e in events] == ["2024-02-29"]


def test_the_named_act_beats_a_generic_attack_and_keeps_its_claimant() -> None:
    text = (
        "A car bomb exploded outside a restaurant in Mogadishu on Thursday, killing nine "
        "people, police said, in an attack claimed by the Islamist group al-Shabaab."
    )
    (event,) = sitrep.extract(text, lang="en", published="2024-03-01")
    assert event.event == "bombing"
    assert event.actors.perpetrator is not None and event.actors.perpetrator.name == "al-Shabaab"


def test_country_names_news_uses_that_cldr_lacks() -> None:
    from sitrep.resolve.countries import country_names, fold

    names = country_names("en")
    assert names[fold("Turkey")] == "TR" and names[fold("Ivory Coast")] == "CI"
    assert names[fold("DR Congo")] == "CD" and "us" not in names
    text = (
        "Some 2,000 Syrian refugees crossed back into Syria from Turkey on Tuesday. Turkey hosts "
        "around 2.9 million Syrians under temporary protection, the interior ministry said."
    )
    events = sitrep.extract(text, lang="en", published="2024-03-04")
    place = events[-1].place
    assert place is not None and place.country == "TR"


def test_displaced_across_a_country_stay_displaced() -> None:
    text = (
        "Fighting with M23 rebels has intensified. About 7.2 million people are displaced "
        "across Congo, according to the International Organization for Migration."
    )
    assert _figures(text, "en") == [("displaced", 7200000, "about")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Bij de gevechten om de stad zijn sinds maart zeker 300 mensen gedood.\n\n"
            "Onder de doden zijn 40 kinderen, meldt de VN.",
            "nl",
        ),
        (
            "At least 300 people have been killed in the fighting for the city since March.\n\n"
            "Among the dead are 40 children, the UN said.",
            "en",
        ),
    ],
)
def test_a_sub_count_that_opens_a_paragraph_belongs_to_the_total_before(
    text: str, lang: str
) -> None:
    figures = [f for e in sitrep.extract(text, lang=lang) for f in e.figures]
    assert [(f.best, f.group, f.cumulative) for f in figures] == [
        (300, "people", True),
        (40, "children", True),
    ]


def test_a_figure_opening_a_paragraph_without_a_cue_stands_alone() -> None:
    text = (
        "At least 300 people have been killed in the fighting for the city since March.\n\n"
        "On Tuesday, 40 children were killed in an airstrike on a school, the UN said."
    )
    figures = [f for e in sitrep.extract(text, lang="en") for f in e.figures]
    assert [(f.best, f.cumulative) for f in figures] == [(300, True), (40, False)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (  # a count between 1500 and 2099 is no year when qualified or before its group
            "Volgens artsen zijn sinds april in El Fasher ruim 1800 burgers gedood door "
            "beschietingen en drone-aanvallen.",
            "nl",
            [("killed", 1801, "more_than")],
        ),
        (
            "Shelling has killed 1900 civilians in the city since the war began, the UN said.",
            "en",
            [("killed", 1900, "exact")],
        ),
        ("In 1944 werden in Arnhem 1800 soldaten gedood bij gevechten.", "nl", []),
        (  # a year that starts the running total is no history
            "The jihadist insurgency that began in 2009 has killed more than 40,000 people in "
            "northeastern Nigeria, the UN said.",
            "en",
            [("killed", 40001, "more_than")],
        ),
        (
            "De oorlog, die in 2011 begon, heeft volgens de VN ruim 300.000 burgers gedood.",
            "nl",
            [("killed", 300001, "more_than")],
        ),
        (  # verb-final: the border crossed stands before the verb
            "Bij de gevechten in Soedan zijn miljoenen mensen ontheemd. Ruim 300.000 van hen "
            "zijn naar buurland Tsjaad gevlucht.",
            "nl",
            [("displaced", 2000000, "vague"), ("refugees", 300001, "more_than")],
        ),
        (
            "Since the fighting ended, around 1.2 million Syrians have gone back to their "
            "towns, UNHCR said.",
            "en",
            [("returned", 1200000, "about")],
        ),
        (  # a monsoon toll is no conflict figure, troops or not
            "Army troops helped evacuate residents. More than 800 people have died in "
            "rain-related incidents since the monsoon began in late June.",
            "en",
            [],
        ),
        (  # a month word after the group is no date ("people may have died")
            "Jihadist fighters attacked a base in Djibo on Sunday. Between 100 and 150 people "
            "may have died, security sources said.",
            "en",
            [("killed", 100, "range")],
        ),
        (
            "Door de oorlog in Jemen zijn zo'n 4,5 miljoen mensen op de drift geraakt.",
            "nl",
            [("displaced", 4500000, "about")],
        ),
        (  # an incursion is a sign of conflict, like an invasion
            "In de Russische regio Koersk zijn sinds het begin van de Oekraïense inval ruim "
            "120.000 mensen geëvacueerd, meldt de gouverneur.",
            "nl",
            [("evacuated", 120001, "more_than")],
        ),
    ],
)
def test_counts_that_look_like_years_and_incursions(
    text: str, lang: str, expected: list[tuple[str, int, str]]
) -> None:
    assert _figures(text, lang) == expected


def _events_by_figure(text: str, lang: str) -> dict[int, str]:
    events = sitrep.extract(text, lang=lang, published="2024-03-04")
    return {f.best: e.event for e in events for f in e.figures}


def test_a_bare_strike_is_the_kind_of_strike_told_first() -> None:
    text = (
        "A drone strike on a minibus in the north killed 14 people on Sunday, a doctor said. "
        "Hours later rebels fired rockets at the town.\n\n"
        "The strike hit the vehicle outside the town of Kobo and wounded nine others, he said."
    )
    assert _events_by_figure(text, "en") == {14: "drone_strike", 9: "drone_strike"}
    # A blast after a suicide bombing is that bombing's.
    blast = (
        "Een zelfmoordterrorist heeft in Mogadishu zeker vijf mensen gedood. Door de explosie "
        "raakten ook twaalf mensen gewond."
    )
    assert _events_by_figure(blast, "nl") == {5: "suicide_attack", 12: "suicide_attack"}
    # Told alone, a strike is an air strike.
    alone = "Israeli strikes on south Lebanon killed three people on Tuesday, officials said."
    assert _events_by_figure(alone, "en") == {3: "airstrike"}


def test_an_attack_by_an_armed_group_on_people_is_an_attack_on_civilians() -> None:
    text = (
        "Bij een aanval van ADF-rebellen in de provincie Noord-Kivu zijn dinsdag zeker 31 "
        "mensen gedood. Ook werden er volgens bewoners twaalf mensen ontvoerd."
    )
    assert _events_by_figure(text, "nl") == {31: "massacre", 12: "massacre"}
    # Soldiers who fell in an attack fought back: a clash, whoever attacked.
    soldiers = "Suspected jihadists attacked an army post in Mali on Monday, killing 12 soldiers."
    assert _events_by_figure(soldiers, "en") == {12: "clashes"}


def test_armed_men_named_before_the_victims_make_an_attack_on_civilians() -> None:
    text = (
        "Jihadists killed hundreds of people in an attack on the town of Barsalogho in "
        "Burkina Faso on Saturday, security sources said."
    )
    assert set(_events_by_figure(text, "en").values()) == {"massacre"}
    gang = (
        "Gang members armed with automatic rifles killed at least 70 people in an attack on a "
        "town in central Haiti, U.N. officials said."
    )
    assert _events_by_figure(gang, "en") == {70: "massacre"}


def test_killing_by_hand_is_a_massacre() -> None:
    text = "Gunmen hacked to death at least 18 villagers in Plateau state on Sunday, police said."
    assert _events_by_figure(text, "en") == {18: "massacre"}
    text_nl = "In de Haïtiaanse hoofdstad zijn ruim 180 mensen vermoord door een bende."
    assert _events_by_figure(text_nl, "nl") == {181: "massacre"}  # "ruim": more than


def test_a_sentence_that_opens_with_a_subcount_cue_continues_the_count() -> None:
    nl = "Bij de aanval kwamen zeker 40 mensen om. Onder hen zijn zeventien kinderen."
    assert _figures(nl, "nl") == [("killed", 40, "at_least"), ("killed", 17, "exact")]
    en = "At least 40 people were killed in the strike. Among them were 17 children."
    assert _figures(en, "en") == [("killed", 40, "at_least"), ("killed", 17, "exact")]
    # Without a count before it in the paragraph, such a sentence holds no figure.
    alone = "Onder hen zijn zeventien kinderen."
    assert _figures(alone, "nl") == []


def test_a_single_person_with_an_age_in_words() -> None:
    text = (
        "At least 40 people were killed in the strike. Among the dead was an eight-year-old "
        "girl, her family said."
    )
    events = sitrep.extract(text, lang="en", published="2024-03-04")
    assert [(f.best, f.group) for e in events for f in e.figures] == [
        (40, "people"),
        (1, "children"),
    ]


def test_people_who_moved_keep_their_kind_after_a_toll_of_another_clause() -> None:
    text = (
        "At least 80 people have been killed and more than 32,000 displaced since Thursday in "
        "fighting between ELN guerrillas and FARC dissidents, officials said."
    )
    assert [k for k, _, _ in _figures(text, "en")] == ["killed", "displaced"]
    # Their own verb still says what befell them.
    kidnapped = "Gewapende mannen hebben in Borno ruim tweehonderd ontheemden ontvoerd."
    assert [k for k, _, _ in _figures(kidnapped, "nl")] == ["kidnapped"]


def test_crossing_into_another_country_makes_refugees() -> None:
    region = (
        "Fighting in South Sudan's Upper Nile state killed 20 people. Some 10,000 people have "
        "fled into Ethiopia's Gambella region since the clashes began, the U.N. said."
    )
    assert [k for k, _, _ in _figures(region, "en")] == ["killed", "refugees"]
    town = (
        "Sudanese refugees are arriving in eastern Chad amid fighting in Darfur, with 6,500 "
        "people crossing into the border town of Adre over the past week, the UN said."
    )
    assert [k for k, _, _ in _figures(town, "en")] == ["refugees"]


def test_abductions_and_arrests_are_no_attack_of_their_words() -> None:
    text = (
        "Gunmen abducted at least 287 pupils from a school in Kuriga in Kaduna state on "
        "Thursday, officials said. Police said they had arrested 12 suspects."
    )
    events = sitrep.extract(text, lang="en", published="2024-03-08")
    got = {f.best: (e.event, e.event_type, e.sub_event_type) for e in events for f in e.figures}
    assert got == {
        287: ("other", "Violence against civilians", "Abduction/forced disappearance"),
        12: ("other", "Strategic developments", "Arrests"),
    }


def test_a_verb_across_a_comma_binds_less_than_one_in_its_own_clause() -> None:
    text = (
        "Bij de aanslag op het hotel in Mogadishu werd een van de aanvallers doodgeschoten, "
        "drie anderen werden gearresteerd, aldus de politie."
    )
    assert ("arrested", 3, "exact") in _figures(text, "nl")


def _groups_by_figure(text: str, lang: str) -> dict[int, str]:
    events = sitrep.extract(text, lang=lang, published="2024-03-04")
    return {f.best: f.group for e in events for f in e.figures}


def test_a_group_after_a_name_compound_or_an_unknown_adjective() -> None:
    nl = (
        "Tuareg-rebellen zeggen dat zij bij de gevechten 47 Malinese soldaten en 84 "
        "Wagner-strijders hebben gedood."
    )
    assert _groups_by_figure(nl, "nl")[84] == "fighters"
    en = (
        "The dead included 25 SDF fighters, 56 tribal fighters and nine civilians in the "
        "clashes, the monitor said."
    )
    assert _groups_by_figure(en, "en")[56] == "fighters"
    # A clause word is no adjective: the man is killed, the four wounded.
    two = "Russian shelling killed a 67-year-old man and wounded four other people in Kherson."
    assert [(k, b) for k, b, _ in _figures(two, "en")] == [("killed", 1), ("injured", 4)]


def test_the_day_a_source_spoke_does_not_tie_a_total_to_one_day() -> None:
    text = (
        "Fighting raged in Sudan. The International Organization for Migration said on "
        "Saturday that nearly 47,000 people had been displaced from eastern Gezira over the "
        "past week."
    )
    events = sitrep.extract(text, lang="en", published="2024-10-26")
    assert [f.cumulative for e in events for f in e.figures] == [True]
