"""Who a figure is attributed to, named in English the way analysts cite it."""

from __future__ import annotations

from datetime import date

import pytest

import sitrep


def _sources(text: str, lang: str) -> list[str | None]:
    events = sitrep.extract(text, lang=lang, published=date(2024, 3, 4))
    return [f.source for e in events for f in e.figures]


@pytest.mark.parametrize(
    ("text", "lang", "source"),
    [
        (
            "Bij Israëlische luchtaanvallen op Rafah zijn zondag zeker vijftig mensen gedood, "
            "meldt het ministerie van Volksgezondheid in Gaza.",
            "nl",
            "Gaza Health Ministry",
        ),
        (
            "Bij een Israëlische luchtaanval op Nabatieh zijn dinsdag zeker twaalf mensen "
            "gedood, meldt het Libanese ministerie van Volksgezondheid.",
            "nl",
            "Lebanese Health Ministry",
        ),
        (
            "Israeli strikes on southern Lebanon killed at least 12 people on Tuesday, "
            "Lebanon's health ministry said.",
            "en",
            "Lebanese Health Ministry",
        ),
        (
            "Police detained 147 people suspected of links to Islamic State in Istanbul on "
            "Tuesday, Turkey's interior ministry said.",
            "en",
            "Turkish Interior Ministry",
        ),
    ],
)
def test_ministries_are_named_by_country_and_portfolio(text, lang, source):
    assert _sources(text, lang) == [source]


def test_a_bare_ministry_is_the_one_named_before():
    text = (
        "Israeli air strikes killed 30 people in Deir al-Balah on Saturday, according to the "
        "Gaza Health Ministry.\n\n"
        "The ministry says at least 39,300 Palestinians have been killed since the war began."
    )
    assert _sources(text, "en") == ["Gaza Health Ministry", "Gaza Health Ministry"]


def test_a_national_institution_takes_the_country_of_the_event():
    text = (
        "Bij een aanval van strijders op het marktstadje Banibangou in Niger zijn zondag "
        "zeker 34 burgers om het leven gekomen. Dat heeft de Nigerese regering bekendgemaakt."
    )
    assert _sources(text, "nl") == ["Nigerien government"]


@pytest.mark.parametrize(
    ("text", "lang", "source"),
    [
        (
            "Bij een bermbom ten zuiden van Kirkuk zijn maandag vier militairen om het leven "
            "gekomen, meldt het Iraakse leger.",
            "nl",
            "Iraqi army",
        ),
        (
            "Bij een autobom in Mogadishu zijn vrijdag zeker twintig mensen gedood. "
            "Dat meldt de Somalische politie.",
            "nl",
            "Somali police",
        ),
        (
            "Ecuador's military said on Wednesday it had arrested 329 suspected gang members.",
            "en",
            "Ecuadorian military",
        ),
        (
            "Gunmen killed three soldiers at a checkpoint near Bannu on Monday, two security "
            "sources said.",
            "en",
            "security sources",
        ),
    ],
)
def test_generic_sources_keep_whose_they_are_and_drop_how_many(text, lang, source):
    assert _sources(text, lang) == [source]


def test_a_person_after_a_title_is_named_without_the_office():
    text = (
        "Twee Nederlandse transportvliegtuigen hebben zondag 152 mensen uit Sudan "
        "geëvacueerd, waar het leger en de RSF strijd leveren. Dat maakte minister Wopke "
        "Hoekstra van Buitenlandse Zaken dinsdag bekend."
    )
    assert _sources(text, "nl") == ["Wopke Hoekstra"]
    text = (
        "De Turkse politie heeft dinsdag in Istanbul 147 mensen opgepakt die banden zouden "
        "hebben met Islamitische Staat. Dat maakte minister van Binnenlandse Zaken Ali "
        "Yerlikaya bekend."
    )
    assert _sources(text, "nl") == ["Ali Yerlikaya"]


def test_no_source_from_the_casualty_verb():
    text = (
        "Bij luchtaanvallen op Hodeidah zijn zaterdag zeker vijf mensen om het leven gekomen, "
        "meldt de door de Houthi's gecontroleerde zender."
    )
    assert "leven gekomen" not in {s for s in _sources(text, "nl") if s}


def test_an_appositive_names_the_source():
    text = (
        "Rapid Support Forces fighters killed at least 80 people in a raid on the town of "
        "Tamboul on Friday, the Madani Resistance Committee, a local activist group, said."
    )
    assert _sources(text, "en") == ["Madani Resistance Committee"]


def test_the_group_said_is_the_group_named_before():
    text = (
        "Police detained at least 1,386 people at anti-war protests in 38 cities, the rights "
        "group OVD-Info said. More than 500 of those detained were in Moscow, the group said."
    )
    assert _sources(text, "en") == ["OVD-Info", "OVD-Info"]


def test_whose_official_one_word_back():
    text = (
        "Houthi shelling killed between 40 and 50 soldiers near Marib on Sunday, a Yemeni "
        "government official said."
    )
    assert _sources(text, "en") == ["Yemeni government official"]


def test_a_source_further_into_the_phrase():
    text = (
        "Bij Amerikaanse luchtaanvallen op Hodeidah zijn zaterdag zeker vijf mensen om het "
        "leven gekomen. Dat schat een panel van VN-experts."
    )
    assert _sources(text, "nl") == ["United Nations"]


def test_the_organisation_is_the_one_the_sentence_named():
    text = (
        "Bij een Israëlische luchtaanval op een ambulance in Rafah zijn maandag drie "
        "hulpverleners van de Palestijnse Rode Halve Maan om het leven gekomen, meldt de "
        "organisatie."
    )
    assert _sources(text, "nl") == ["Palestinian Red Crescent"]


def test_a_role_with_a_place_in_it():
    text = (
        "M23 rebels shelled a camp for displaced people near Goma on Monday, killing at least "
        "nine people, the North Kivu governor's office said."
    )
    assert _sources(text, "en") == ["North Kivu governor's office"]


def test_a_role_of_a_dictionary_organisation_is_the_organisation():
    text = (
        "At least 10,580 civilians have been killed in Ukraine since the invasion, the U.N. "
        "human rights monitoring mission said on Saturday."
    )
    assert _sources(text, "en") == ["United Nations"]


def test_a_name_after_a_description():
    text = (
        "Myanmar's military bombed a village in Sagaing on Saturday, killing around 30 people, "
        "according to the opposition National Unity Government."
    )
    assert _sources(text, "en") == ["National Unity Government"]


def test_a_headline_count_has_the_source_of_the_body_that_tells_it_again():
    text = (
        "Car bomb kills nine at Mogadishu restaurant\n\n"
        "A car bomb exploded outside a restaurant in Mogadishu on Thursday, killing nine "
        "people, police said."
    )
    # A national body named without its country is the one of the event's country.
    assert _sources(text, "en") == ["Somali police", "Somali police"]


def test_who_runs_a_ministry_is_not_whose_it_is():
    text = (
        "Israeli strikes killed 30 people in Deir al-Balah on Saturday, the Hamas-run health "
        "ministry said."
    )
    assert _sources(text, "en") == ["Palestinian Health Ministry"]
    text = (
        "Israeli air strikes killed 30 people in Khan Younis on Saturday, the Gaza-based health "
        "ministry said."
    )
    assert _sources(text, "en") == ["Gaza Health Ministry"]


def test_a_title_before_a_speaker_at_the_sentence_start():
    text = (
        "A Russian missile strike on a hospital in Kyiv killed at least 33 people on Monday. "
        "Mayor Vitali Klitschko said 22 of the dead were in the capital."
    )
    assert "Vitali Klitschko" in _sources(text, "en")


def test_no_day_is_a_source_and_arabic_articles_stay_in_names():
    text = (
        "Air strikes on the port city of Hodeida late on Sunday killed four people, a spokesman "
        "for the Health Ministry, Anis al-Asbahi, said Monday."
    )
    assert _sources(text, "en") == ["Anis al-Asbahi"]


def test_a_role_the_report_names_elsewhere_is_the_person():
    text = (
        "Ukrainian shelling of the Russian city of Belgorod killed five people on Saturday, the "
        "regional governor said.\n\nA day earlier Belgorod governor Vyacheslav Gladkov had "
        "ordered the evacuation of border villages."
    )
    assert _sources(text, "en") == ["Vyacheslav Gladkov"]


def test_titles_in_a_row_are_dropped():
    text = (
        "Indian missile strikes on Pakistan-administered Kashmir killed 31 people early on "
        "Wednesday, military spokesman Lieutenant General Ahmed Sharif Chaudhry said."
    )
    assert _sources(text, "en") == ["Ahmed Sharif Chaudhry"]


def test_a_paragraphs_one_trailing_source_covers_its_earlier_figures():
    text = (
        "Bij een zelfmoordaanslag op het treinstation van Quetta kwamen zaterdag zeker 24 "
        "mensen om. Ruim veertig mensen raakten gewond, meldt de politie."
    )
    assert _sources(text, "nl") == ["Pakistani police", "Pakistani police"]
    # A "volgens X" that opens its sentence speaks for that sentence only.
    text = (
        "Bij een autobom op een markt in Azaz zijn zaterdag zeker vijftien mensen om het leven "
        "gekomen. Volgens de Witte Helmen raakten tussen de 30 en 40 mensen gewond."
    )
    assert _sources(text, "nl")[0] is None


def test_a_surname_is_the_person_the_report_named_in_full():
    text = (
        "Bij Oekraïense beschietingen van Belgorod zijn zaterdag zeker twaalf mensen gedood, "
        "meldt gouverneur Vjatsjeslav Gladkov. Volgens Gladkov raakten 37 mensen gewond."
    )
    assert set(_sources(text, "nl")) == {"Vyacheslav Gladkov"} or set(_sources(text, "nl")) == {
        "Vjatsjeslav Gladkov"
    }


def test_the_name_after_a_description_is_the_source_not_whom_it_told():
    text = (
        "Bij Iraanse raketaanvallen op Israël zijn maandag acht mensen om het leven gekomen, "
        "meldt de Israëlische hulpdienst Magen David Adom."
    )
    assert _sources(text, "nl") == ["Magen David Adom"]
    text = (
        "Bij een zelfmoordaanslag in Mogadishu zijn dinsdag zeker negen mensen gedood. Dat zegt "
        "een woordvoerder van de Somalische politie tegen persbureau Reuters."
    )
    assert _sources(text, "nl") == ["Somali police"]


def test_a_long_name_after_its_description_is_kept_whole() -> None:
    text = (
        "Sinds januari zijn in het noorden van het land meer dan 400 mensen gearresteerd, "
        "volgens de mensenrechtenorganisatie Committee for the Protection of Detained Journalists."
    )
    assert _sources(text, "nl") == ["Committee for the Protection of Detained Journalists"]


def test_the_subject_before_said_wins_over_a_name_deep_in_the_clause() -> None:
    text = (
        "The Norwegian Refugee Council said 40 people were injured in the shelling and taken "
        "to the Al-Amal Hospital in the north of the city on Monday."
    )
    assert _sources(text, "en") == ["Norwegian Refugee Council"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Named first, described after: the description is the organisation named before.
        (
            "Shelling killed at least 14 civilians in Kramatorsk on Monday, the Norwegian "
            "Refugee Council said.\n\nAnother 30 were wounded, the aid group said.",
            "en",
            ["Norwegian Refugee Council", "Norwegian Refugee Council"],
        ),
        # Described first, named in the next paragraph.
        (
            "An airstrike on a school in Idlib killed at least nine people on Sunday, a medical "
            "charity said.\n\nThe International Rescue Committee said 20 more people were "
            "wounded in the strike.",
            "en",
            ["International Rescue Committee", "International Rescue Committee"],
        ),
        (
            "Bij beschietingen van Aleppo zijn zaterdag zeker zestien burgers gedood, meldt het "
            "Syrisch Observatorium voor de Mensenrechten.\n\nVolgens de in Londen gevestigde "
            "organisatie raakten nog eens dertig mensen gewond.",
            "nl",
            ["Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"],
        ),
        # A description nothing in the report names is no source.
        (
            "Volgens de hulporganisatie kwamen bij de aanval zeker acht mensen om het leven.",
            "nl",
            [None],
        ),
    ],
)
def test_an_organisation_described_is_the_one_the_report_names(
    text: str, lang: str, expected: list[str | None]
) -> None:
    assert _sources(text, lang) == expected


def test_the_dateline_agency_is_not_the_organisation_described() -> None:
    text = (
        "GOMA (Reuters) - Fighting near Goma killed at least 20 people on Friday, an aid "
        "group said."
    )
    assert _sources(text, "en") != ["Reuters"]


def test_a_bare_army_is_the_army_the_report_named_before() -> None:
    text = (
        "Het Turkse leger voerde maandag luchtaanvallen uit in het noorden van Irak. "
        "Volgens het leger werden daarbij zeker 19 strijders van de PKK gedood."
    )
    assert _sources(text, "nl") == ["Turkish army"]


def test_an_armed_description_is_the_armed_group_the_report_names() -> None:
    text = (
        "Fighters of the Islamic State killed at least 11 villagers in raids near Macomia this "
        "week, the jihadist group said on Telegram."
    )
    assert _sources(text, "en") == ["Islamic State"]


def test_the_person_after_an_office_and_its_place_is_the_source() -> None:
    text = (
        "Bij een bomaanslag in Quetta zijn dinsdag zeker negen mensen gedood, meldt de "
        "gouverneur van Beloetsjistan, Jam Kamal Khan."
    )
    assert _sources(text, "nl") == ["Jam Kamal Khan"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Na de aanslag in Peshawar arresteerde de politie woensdag zes verdachten.",
            "nl",
            ["Pakistani police"],
        ),
        (
            "After the bombing in Peshawar, police arrested six suspects on Wednesday.",
            "en",
            ["Pakistani police"],
        ),
        # Only an arrest: who kills does not report the toll.
        ("Gunmen killed six policemen in Peshawar on Wednesday.", "en", [None]),
    ],
)
def test_who_made_an_arrest_reports_it(text: str, lang: str, expected: list[str | None]) -> None:
    assert _sources(text, lang) == expected


def test_a_bare_body_is_named_as_the_body_named_before_is_when_cited() -> None:
    # "the Israeli military said" is cited as "Israeli military" (English keeps the word as
    # written); a later bare "the military said" names the same body the same way.
    cited = "At least 12 militants were killed in strikes on Rafah, the Israeli military said."
    bare = (
        "The Israeli military carried out strikes on Rafah on Monday. At least 12 militants "
        "were killed in the strikes, the military said."
    )
    assert _sources(cited, "en") == _sources(bare, "en") == ["Israeli military"]


@pytest.mark.parametrize(
    ("text", "lang", "source"),
    [
        (
            "Bij Israëlische luchtaanvallen kwamen zeker elf mensen om het leven, meldt de "
            "Libanese minister van Volksgezondheid.",
            "nl",
            "Lebanese Health Minister",
        ),
        (
            "An airstrike in Homs killed 89 people, according to Syria's health minister.",
            "en",
            "Syrian Health Minister",
        ),
        (  # a minister followed by a name: the person speaks
            "De Turkse politie heeft dinsdag 147 mensen opgepakt die banden zouden hebben met "
            "Islamitische Staat. Dat maakte minister van Binnenlandse Zaken Ali Yerlikaya bekend.",
            "nl",
            "Ali Yerlikaya",
        ),
        (  # whom it was told to is no source
            "Bij een aanval op een kamp in Ituri zijn maandag zeker 46 mensen om het leven "
            "gekomen. Dat meldt een lokale leider aan persbureau AFP.",
            "nl",
            "local leader",
        ),
        (
            "Bij een aanval in Mali zijn zeker zes soldaten om het leven gekomen, meldt een bron "
            "binnen het leger tegenover persbureau AFP.",
            "nl",
            "army source",
        ),
    ],
)
def test_ministers_and_sources_that_spoke_to_an_agency(text: str, lang: str, source: str) -> None:
    assert _sources(text, lang)[0] == source


@pytest.mark.parametrize(
    ("text", "lang", "source"),
    [
        (
            "Het ziekenhuis van Bukavu meldt dat 12 mensen zijn gedood bij de beschietingen.",
            "nl",
            "Bukavu hospital",
        ),
        (
            "Negen mensen raakten gewond bij de aanval, meldt de gouverneur van het "
            "departement Cauca.",
            "nl",
            "Cauca governor",
        ),
        (
            "Twelve people were killed in the shelling, the governor of Kherson region said.",
            "en",
            "Kherson governor",
        ),
    ],
)
def test_a_generic_source_joined_to_a_place_is_that_places(text, lang, source):
    assert _sources(text, lang) == [source]


def test_a_body_named_before_what_it_is_is_cited_by_name():
    text = (
        "An Iranian missile hit a building in Bat Yam on Sunday, killing six people, the "
        "Magen David Adom emergency service said."
    )
    assert _sources(text, "en") == ["Magen David Adom"]


def test_a_country_after_in_ends_the_bodys_name():
    text = (
        "The U.N. Human Rights Monitoring Mission in Ukraine said 20 civilians were killed "
        "in Russian shelling last week."
    )
    assert _sources(text, "en") == ["U.N. Human Rights Monitoring Mission in Ukraine"]
    known = "Doctors Without Borders in Sudan said 20 people were killed in the shelling."
    assert _sources(known, "en") == ["Médecins Sans Frontières"]


def test_the_subject_of_a_passive_verb_is_no_source():
    text = (
        "Nearly 6.5 million Ukrainians are registered as refugees abroad since the Russian "
        "invasion, UNHCR said on Friday."
    )
    assert _sources(text, "en") == ["UNHCR"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Four paramilitary Rangers were killed on Tuesday in the clashes, Interior Minister "
            "Mohsin Naqvi said.",
            "Mohsin Naqvi",
        ),
        (
            "Israeli strikes killed 12 people in southern Lebanon, Lebanese Health Minister "
            "Firass Abiad said.",
            "Firass Abiad",
        ),
        (
            "Dozens more were wounded in the airstrike and were taken to al-Ahli Arab Hospital, "
            "where doctors said they were running short of blood.",
            "doctors",
        ),
    ],
)
def test_office_words_and_relative_words_are_no_part_of_a_source(text, source):
    assert set(_sources(text, "en")) == {source}


def test_a_quoted_first_person_is_no_source():
    text = '"I counted 12 bodies after the airstrike, including those of three children," he said.'
    assert "I" not in _sources(text, "en")
