"""Perpetrators named away from the figure: in a later sentence, or by the incident told before."""

from __future__ import annotations

from datetime import date

import sitrep


def _perps(text: str, lang: str) -> list[str | None]:
    events = sitrep.extract(text, lang=lang, published=date(2024, 3, 4))
    return [e.actors.perpetrator.name if e.actors.perpetrator else None for e in events]


def test_attack_carried_out_by_a_party_in_a_later_sentence_nl():
    text = (
        "Bij luchtaanvallen op de stad Ariha zijn maandag zeker twaalf burgers gedood. "
        "De aanvallen werden uitgevoerd door gevechtsvliegtuigen van het Syrische regime."
    )
    assert _perps(text, "nl") == ["Syria"]


def test_party_inside_a_split_cue_nl():
    text = (
        "Bij een drone-aanval bij de stad Maungdaw zijn maandag zeker 45 mensen gedood. "
        "Volgens getuigen voerde het Arakan Army de aanval uit."
    )
    assert _perps(text, "nl") == ["Arakan Army"]


def test_hallmarks_en():
    text = (
        "A suicide bomber killed at least 12 people at a tea house in Konduga on Saturday, "
        "police said. The attack bore the hallmarks of Boko Haram."
    )
    assert _perps(text, "en") == ["Boko Haram"]


def test_later_figure_takes_the_attacker_of_the_incident_before():
    text = (
        "Rapid Support Forces fighters killed at least 80 people in a raid on the town of "
        "Tamboul on Friday, activists said.\n\n"
        "The town was shelled before the raid, wounding more than 150, the group said."
    )
    assert _perps(text, "en") == ["Rapid Support Forces", "Rapid Support Forces"]


def test_running_total_takes_no_attacker_from_an_incident():
    text = (
        "Russian missiles killed seven people in Kharkiv on Monday, officials said. "
        "More than 10,000 civilians have been killed in Ukraine since the war began, "
        "the United Nations said."
    )
    assert _perps(text, "en")[0] == "Russia"
    assert _perps(text, "en")[1:] in ([], [None])


def test_forces_without_their_state_are_the_report_countrys():
    text = (
        "Sinds het begin van de protesten in Iran zijn volgens HRANA ruim 14.000 mensen "
        "gearresteerd in Teheran, Mashhad en Isfahan. Minstens 300 demonstranten werden in "
        "Teheran door de veiligheidstroepen gedood."
    )
    assert "Iran" in _perps(text, "nl")


def test_a_spokesman_of_the_police_is_no_agent():
    text = (
        "Bij een aanval op het dorp Maru in Zamfara zijn zaterdag zeker twaalf mensen gedood, "
        "zegt een woordvoerder van de politie in Gusau, Zamfara."
    )
    assert _perps(text, "nl") == [None]


def test_an_attack_of_a_party_told_in_another_sentence_nl():
    text = (
        "Bij de explosie van een bermbom nabij Palmyra zijn donderdag dertien soldaten om het "
        "leven gekomen. Volgens het SOHR ging het om een aanval van cellen van Islamitische Staat."
    )
    assert _perps(text, "nl") == ["Islamic State"]


def test_the_side_the_attacker_fights_is_the_opponent_not_the_victims():
    text = (
        "Myanmar's military bombed a village in Sagaing on Saturday, killing around 30 "
        "civilians, during an offensive against the Arakan Army, residents said."
    )
    events = sitrep.extract(text, lang="en", published=date(2024, 3, 4))
    assert events[0].actors.perpetrator is not None
    assert events[0].actors.opponent is not None
    assert events[0].actors.opponent.name == "Arakan Army"
    assert events[0].actors.target is not None and events[0].actors.target.name == "Civilians"


def test_whose_members_the_victims_were_is_no_attacker():
    text = (
        "In de Libanese stad Tyrus kwamen zondag bij een drone-aanval drie leden van Hezbollah "
        "om het leven, meldt het staatspersbureau NNA."
    )
    assert "Hezbollah" not in _perps(text, "nl")


def test_the_party_before_the_auxiliary_is_the_subject():
    text = (
        "Rusland heeft Oekraïne maandag opnieuw bestookt met raketten en drones; daarbij kwamen "
        "in Charkiv zeker zes mensen om het leven."
    )
    assert _perps(text, "nl") == ["Russia"]


def test_the_next_sentence_says_who_opened_fire():
    nl = (
        "Bij een distributiepunt voor voedselhulp in Rafah zijn zondag 31 Palestijnen "
        "doodgeschoten, meldt het ministerie van Volksgezondheid. Israëlische militairen "
        "zouden het vuur hebben geopend op de menigte, zeggen ooggetuigen."
    )
    assert _perps(nl, "nl") == ["Israel"]
    en = (
        "Eleven worshippers were killed at a mosque in Kano on Friday, police said. Gunmen "
        "from the Islamic State West Africa Province opened fire during evening prayers."
    )
    assert _perps(en, "en") == ["Islamic State West Africa Province"]


def test_a_next_sentence_with_its_own_figure_is_another_incident():
    text = (
        "Eleven worshippers were killed at a mosque in Kano on Friday, police said. In Borno, "
        "Boko Haram fighters killed four farmers on Saturday."
    )
    assert _perps(text, "en")[0] is None


def test_an_affiliate_is_the_group_a_backer_is_not():
    text = (
        "Islamic State-linked insurgents beheaded at least 11 Christians in raids on villages "
        "in Cabo Delgado province this week, the jihadist group said."
    )
    assert _perps(text, "en") == ["Islamic State"]
    from sitrep.resolve.actors import actor_index

    assert actor_index("en").find("Iran-backed militias") == []


def test_an_ally_in_a_compound_before_a_name_is_not_the_actor():
    text = (
        "Two car bombs exploded at a busy junction in Mogadishu on Saturday, killing at least "
        "100 people, the president said, blaming the al Qaeda-linked al Shabaab group."
    )
    assert {p for p in _perps(text, "en") if p} == {"al-Shabaab"}
    # Without a name after it, the affiliate is coded as the group.
    alone = "Islamic State-linked insurgents killed 12 villagers in Cabo Delgado, police said."
    assert _perps(alone, "en")[0] == "Islamic State"


def test_a_party_inside_a_split_blame_cue_is_blamed():
    holds = (
        "Bij een aanval van rebellen op een kerk in Oost-Congo zijn zondag zeker 43 mensen "
        "gedood.\n\nDe VN houdt de ADF verantwoordelijk, een rebellengroep met banden met "
        "Islamitische Staat."
    )
    blames = (
        "Bij beschietingen op een markt in Omdurman zijn zaterdag zeker 54 mensen om het leven "
        "gekomen.\n\nDe regering geeft de paramilitaire RSF de schuld van de aanval."
    )
    assert _perps(holds, "nl")[0] == "Allied Democratic Forces"
    assert _perps(blames, "nl")[0] == "Rapid Support Forces"


def test_forces_blamed_without_their_state_are_the_reports_countrys():
    text = (
        "A drone strike hit a crowded market in the Amhara region of Ethiopia on Sunday, "
        "killing at least 30 civilians, health workers said.\n\nResidents blamed the army, the "
        "only party to the conflict known to use drones."
    )
    assert _perps(text, "en")[0] == "Ethiopia"
