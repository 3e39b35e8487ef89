"""The actor dictionary (issue: places and actors): data files, index, roles, demonyms."""

from __future__ import annotations

import time

import pytest
from babel import Locale

import sitrep
from sitrep.resolve.actors import (
    ACLED_TYPES,
    LANGS,
    SOURCE_TYPES,
    TYPES,
    ActorEntry,
    ActorIndex,
    actor_index,
    all_entries,
    demonym_country,
)


def found(lang: str, text: str, *, source: bool = False) -> list[tuple[str, str]]:
    """(matched text, canonical name) of every mention, in the given role."""
    return [(m.text, m.best(source=source).name) for m in actor_index(lang).find(text)]


def party(lang: str, text: str) -> ActorEntry:
    hits = actor_index(lang).find(text)
    assert len(hits) == 1, hits
    return hits[0].best(source=False)


# -- states, demonyms, governments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "Russische troepen"),
        ("nl", "de Russische"),
        ("en", "Russian forces"),
        ("en", "the Russians"),
        ("fr", "les forces russes"),
        ("fr", "un drone russe"),
        ("fr", "RUSSE"),
        ("de", "russische Truppen"),
        ("de", "Russische Truppen"),
        ("de", "der russischen Armee"),
        ("es", "tropas rusas"),
        ("es", "Ruso"),
        ("ar", "القوات الروسية"),
        ("ar", "والروسية"),
    ],
)
def test_russian_demonyms_name_russia_state_forces(lang: str, text: str) -> None:
    e = party(lang, text)
    assert e.name == "Russia"
    assert (e.type, e.acled_type, e.inter, e.country) == ("state", "State forces", 1, "RU")
    assert e.full == "Military Forces of Russia (2000-)"


def test_lower_case_demonyms_match_in_any_case_only_where_written_lower_case() -> None:
    fr = actor_index("fr")
    assert fr.by_alias["RUSSES"][0].name == "Russia"  # any case, through the alias map
    # Dutch and English write demonyms with a capital: a lower-case word is no demonym.
    assert found("nl", "russische troepen") == []
    assert found("en", "russian") == []


def test_demonyms_that_are_common_words_do_not_match() -> None:
    assert found("es", "los indios de la Amazonia") == []
    assert found("ar", "الدعم المالي") == []  # مالي: financial, not Malian
    assert found("nl", "Frans Timmermans zei") == []
    # The lookup table still knows them.
    assert demonym_country("indios", "es") == "IN"
    assert demonym_country("مالي", "ar") == "ML"


def test_demonym_country() -> None:
    assert demonym_country("Libanese", "nl") == "LB"
    assert demonym_country("Syriërs", "nl") == "SY"
    assert demonym_country("russes", "fr") == "RU"
    assert demonym_country("RUSAS", "es") == "RU"
    assert demonym_country("russischen", "de") == "RU"
    assert demonym_country("الروسية", "ar") == "RU"
    assert demonym_country("Nigerien", "en") == "NE"
    assert demonym_country("Nigerian", "en") == "NG"
    assert demonym_country("Nigerese", "nl") == "NE"
    assert demonym_country("Congolese", "en") == "CD"
    assert demonym_country("Ukrainians", "nl") == "UA"  # English serves every language
    assert demonym_country("table", "en") is None


def test_assad_regime_is_syria() -> None:
    for lang, text in [
        ("nl", "het regime van president Assad"),
        ("nl", "Syrische regeringstroepen"),
        ("en", "Assad's forces"),
        ("en", "Assad’s forces"),
        ("fr", "le régime syrien"),
        ("ar", "قوات النظام"),
    ]:
        assert party(lang, text).name == "Syria", text
    # Ambiguous without a country: left out.
    assert found("en", "government forces") == []
    assert found("nl", "regeringstroepen") == []


def test_country_names_resolve_but_are_actors_only_where_they_act() -> None:
    nl = actor_index("nl")
    # "in het noorden van Syrië" is a place: no actor in text, but the index knows the name.
    assert found("nl", "in het noorden van Syrië") == []
    assert nl.lookup("Syrië", source=False).name == "Syria"
    assert "Syrië" in nl.country_names
    # Israel, Russia … stand for their governments by name, in every language.
    assert found("nl", "Rusland") == [("Rusland", "Russia")]
    assert found("fr", "la Russie") == [("Russie", "Russia")]
    assert found("de", "Israel griff an") == [("Israel", "Israel")]
    # Every CLDR country resolves, and a longer name wins over a shorter one inside it.
    en = actor_index("en")
    assert en.lookup("Equatorial Guinea", source=False).country == "GQ"
    assert en.lookup("Guinea", source=False).country == "GN"
    assert actor_index("es").lookup("Congo", source=False).name == "DR Congo"
    assert actor_index("es").lookup("China", source=False).country == "CN"


def test_people_plurals_are_looked_up_not_matched() -> None:
    # Mostly victims in the news: "zeker vijftig Palestijnen gedood".
    assert found("nl", "vijftig Palestijnen gedood") == []
    assert actor_index("nl").lookup("Palestijnen", source=False).name == "Palestine"


# -- armed and political groups ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "HTS"),
        ("en", "Hayat Tahrir al-Sham"),
        ("nl", "HTS-strijders"),
        ("fr", "Hayat Tahrir al-Cham"),
        ("ar", "هيئة تحرير الشام"),
    ],
)
def test_hts_is_a_rebel_group(lang: str, text: str) -> None:
    e = party(lang, text)
    assert e.name == "Hayat Tahrir al-Sham"
    assert (e.type, e.acled_type, e.inter) == ("rebel", "Rebel group", 2)


def test_hezbollah() -> None:
    for lang, text in [
        ("en", "Hezbollah"),
        ("nl", "Hezbollah-strijders"),
        ("de", "Hisbollah-Kämpfer"),
        ("es", "Hezbolá"),
        ("ar", "حزب الله"),
    ]:
        e = party(lang, text)
        assert (e.name, e.inter) == ("Hezbollah", 3), text
    # The longer name wins: Kataib Hezbollah is an Iraqi militia of its own.
    assert found("en", "Kataib Hezbollah") == [("Kataib Hezbollah", "Kataib Hezbollah")]


def test_is_matches_case_sensitively_and_in_compounds() -> None:
    assert found("nl", "IS-strijders vielen aan") == [("IS-strijders", "Islamic State")]
    assert found("nl", "IS eiste de aanslag op") == [("IS", "Islamic State")]
    assert found("nl", "Het is zo dat hij is gegaan.") == []
    assert found("nl", "Dat is IS niet") == [("IS", "Islamic State")]
    assert found("de", "IS-Kämpfer") == [("IS", "Islamic State")]
    # Any alias before a compound head ("VN-leider"), none before another word or after
    # a hyphen.
    assert found("nl", "Hamas-leider") == [("Hamas", "Hamas")]
    assert found("nl", "VN-leider Guterres", source=True) == [
        ("VN", "United Nations"),
        ("Guterres", "António Guterres"),
    ]
    assert found("nl", "pro-Russische separatisten") == []
    assert found("nl", "de oorlog Israël-Gaza") == []


def test_islamic_state_branches() -> None:
    iswap = party("en", "ISWAP")
    isk = party("en", "IS-K")
    assert (iswap.name, iswap.parent, iswap.inter) == (
        "Islamic State West Africa Province",
        "Islamic State",
        2,
    )
    assert (isk.name, isk.parent) == ("Islamic State Khorasan Province", "Islamic State")
    # The core group named with a place stays the core group.
    assert found("nl", "Islamitische Staat in de Sahel") == [
        ("Islamitische Staat", "Islamic State")
    ]
    assert found("fr", "l'État islamique") == [("État islamique", "Islamic State")]


def test_groups_in_several_languages() -> None:
    cases = {
        ("nl", "Houthi-rebellen"): "Houthis",
        ("es", "los hutíes"): "Houthis",
        ("ar", "الحوثيين"): "Houthis",
        ("en", "al-Shabaab"): "al-Shabaab",
        ("fr", "les shebab"): "al-Shabaab",
        ("en", "Boko Haram"): "Boko Haram",
        ("fr", "les talibans"): "Taliban",
        ("en", "Africa Corps"): "Wagner Group",
        ("en", "RSF"): "Rapid Support Forces",
        ("en", "SAF"): "Sudan",
        ("en", "Palestinian Islamic Jihad"): "Palestinian Islamic Jihad",
        ("nl", "Islamitische Jihad"): "Palestinian Islamic Jihad",
        ("en", "YPG"): "YPG",
        ("en", "SDF"): "Syrian Democratic Forces",
        ("en", "PKK"): "PKK",
        ("en", "M23 rebels"): "M23",
        ("en", "ADF"): "Allied Democratic Forces",
        ("fr", "Groupe de soutien à l'islam et aux musulmans"): "JNIM",
        ("de", "Al-Kaida"): "al-Qaeda",
        ("en", "AQAP"): "AQAP",
        ("fr", "AQMI"): "AQIM",
        ("en", "Fano militia"): "Fano",
        ("en", "TPLF"): "TPLF",
        ("nl", "Oromo Bevrijdingsleger"): "Oromo Liberation Army",
        ("en", "Arakan Army"): "Arakan Army",
        ("en", "People's Defence Force"): "People's Defence Force",
        ("en", "Popular Mobilization Forces"): "Popular Mobilization Forces",
        ("ar", "الحشد الشعبي"): "Popular Mobilization Forces",
        ("en", "Viv Ansanm"): "Viv Ansanm",
        ("en", "IDF"): "Israel",
        ("en", "Israeli settlers"): "Israeli settlers",
    }
    for (lang, text), name in cases.items():
        hits = actor_index(lang).find(text)
        assert [h.best(source=False).name for h in hits] == [name], (lang, text)


# -- sources and people --------------------------------------------------------------------------


def test_sohr_is_a_source() -> None:
    for lang, text in [
        ("en", "SOHR"),
        ("en", "Syrian Observatory for Human Rights"),
        ("nl", "Syrisch Observatorium"),
        ("nl", "Syrisch Observatorium voor de Mensenrechten"),
        ("fr", "OSDH"),
        ("ar", "المرصد السوري لحقوق الإنسان"),
    ]:
        e = actor_index(lang).find(text)[0].best(source=True)
        assert e.name == "Syrian Observatory for Human Rights", text
        assert e.is_source and e.type == "source"
        assert e.inter is None and e.acled_type is None


def test_poetin_is_vladimir_putin() -> None:
    e = actor_index("nl").find("President Poetin zei")[0].best(source=True)
    assert (e.name, e.type, e.country, e.is_source) == ("Vladimir Putin", "person", "RU", True)


def test_one_alias_two_roles() -> None:
    idf = actor_index("en").find("the IDF said")[0]
    assert idf.best(source=False).name == "Israel"
    assert idf.best(source=True).name == "Israeli military"
    pentagon = actor_index("en").find("the Pentagon")[0]
    assert pentagon.best(source=False).name == "United States"
    assert pentagon.best(source=True).name == "Pentagon"


def test_sources_by_name() -> None:
    cases = {
        ("nl", "het Libanese ministerie van Volksgezondheid"): "Lebanese Health Ministry",
        ("en", "the Palestinian health ministry"): "Palestinian Health Ministry",
        ("en", "Gaza's health ministry"): "Gaza Health Ministry",
        ("nl", "de VN-vluchtelingenorganisatie UNHCR"): "UNHCR",
        ("nl", "de Palestijnse Rode Halve Maan"): "Palestinian Red Crescent",
        ("nl", "het Libanese staatspersbureau NNA"): "National News Agency",
        ("en", "the Russian Defence Ministry"): "Russian Defence Ministry",
        ("en", "Ukraine's General Staff"): "Ukrainian military",
        ("en", "Médecins Sans Frontières"): "Médecins Sans Frontières",
        ("de", "Ärzte ohne Grenzen"): "Médecins Sans Frontières",
        ("en", "Human Rights Watch"): "Human Rights Watch",
        ("en", "Reuters"): "Reuters",
        ("nl", "het ANP"): "ANP",
        ("en", "TASS"): "TASS",
        ("nl", "de NOS"): "NOS",
        ("fr", "les Nations unies"): "United Nations",
        ("nl", "Zelenski"): "Volodymyr Zelensky",
        ("de", "Netanjahu"): "Benjamin Netanyahu",
        ("en", "Erdoğan"): "Recep Tayyip Erdogan",
    }
    for (lang, text), name in cases.items():
        hits = actor_index(lang).find(text)
        assert [h.best(source=True).name for h in hits] == [name], (lang, text)


# -- the whole file ------------------------------------------------------------------------------

# Canonical names that other code and the gold sets use.
KEPT = [
    "Russia", "Ukraine", "Israel", "Syria", "Iran", "Turkey", "United States", "Iraq", "Nigeria",
    "Sudan", "Myanmar", "Saudi Arabia", "Pakistan", "Ethiopia", "Islamic State", "Hamas",
    "Hezbollah", "Houthis", "al-Shabaab", "Boko Haram", "Taliban", "Hayat Tahrir al-Sham",
    "Free Syrian Army", "Syrian Democratic Forces", "Rapid Support Forces", "Wagner Group", "M23",
    "JNIM", "Syrian Observatory for Human Rights", "Syrian Network for Human Rights",
    "United Nations", "UNHCR", "OCHA", "UNICEF", "World Health Organization",
    "International Organization for Migration", "International Committee of the Red Cross",
    "Médecins Sans Frontières", "White Helmets", "Reuters", "AFP", "AP", "ANP",
    "Gaza Health Ministry", "Ukrainian military", "Russian Defence Ministry", "Israeli military",
    "Vladimir Putin", "Volodymyr Zelensky", "Bashar al-Assad",
]  # fmt: skip


def test_entries_are_well_formed() -> None:
    entries = all_entries()
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    assert set(KEPT) <= set(names)
    iso = {c for c in Locale.parse("en").territories if len(c) == 2 and c.isalpha()}
    for e in entries:
        assert e.type in TYPES, e
        assert e.country is None or e.country in iso, e
        assert e.parent is None or e.parent in names, e
        if e.type in SOURCE_TYPES:
            assert e.inter is None
        else:
            assert (e.acled_type, e.inter) == ACLED_TYPES[e.type]
    assert {e.inter for e in entries if e.inter} >= {1, 2, 3, 4, 8}


@pytest.mark.parametrize("lang", LANGS)
def test_every_alias_names_one_actor_per_role(lang: str) -> None:
    """No alias (or looked-up name) names two parties, nor two sources."""
    index = actor_index(lang)
    clashes = []
    for table in (index.by_alias, index.names):
        for alias, entries in table.items():
            parties = [e.name for e in entries if not e.is_source]
            sources = [e.name for e in entries if e.is_source]
            if len(parties) > 1 or len(sources) > 1:
                clashes.append((alias, parties, sources))
    assert clashes == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_alias_is_found_as_itself(lang: str) -> None:
    """The regex finds each alias whole (none shadowed by another or broken by escaping)."""
    index = actor_index(lang)
    missed = [a for a in index.by_alias if [m.text for m in index.find(a)] != [a]]
    assert missed == []


def test_index_api_for_hand_made_entries() -> None:
    foo = ActorEntry("Foo Front", "rebel", "Foo Front (FF)", "SY")
    index = ActorIndex("xx", [(foo, ["Foo Front", "FF"])])
    hits = index.find("Yesterday the FF and the Foo Front, not FFs.")
    assert [(h.start, h.end, h.text) for h in hits] == [(14, 16, "FF"), (25, 34, "Foo Front")]
    assert hits[0].entries == (foo,)
    assert index.lookup("foo front", source=False) is foo
    assert index.lookup("nothing", source=True) is None
    assert index.regex.match("FF said", 0).group() == "FF"


def test_find_within_bounds() -> None:
    text = "Hamas en IS en Hezbollah"
    assert [m.text for m in actor_index("nl").find(text, 6, 14)] == ["IS"]


def test_find_is_fast() -> None:
    text = (
        "Bij Russische luchtaanvallen op Charkiv zijn volgens het Oekraïense leger zeker twaalf "
        "mensen gedood. Het Syrisch Observatorium voor de Mensenrechten meldt dat IS-strijders "
        "en Hezbollah betrokken waren; de VN en het Rode Kruis roepen op tot terughoudendheid. "
    ) * 12
    text = text[:3000]
    index = actor_index("nl")
    index.find(text)
    start = time.perf_counter()
    for _ in range(50):
        index.find(text)
    per_call = (time.perf_counter() - start) / 50
    assert per_call < 0.005, per_call  # about 0.3 ms on a quiet machine


@pytest.mark.parametrize(
    ("text", "lang", "name", "actor_type"),
    [
        (
            "Militanten van het Beloetsjistaans Bevrijdingsleger hebben dinsdag zeker 24 "
            "militairen gedood bij een aanval in Turbat.",
            "nl",
            "Balochistan Liberation Army",
            "rebel",
        ),
        (
            "Fulani herders killed at least 30 villagers in an attack on Yelwata in Benue "
            "state on Friday, police said.",
            "en",
            "Fulani militia",
            "identity_militia",
        ),
    ],
)
def test_armed_groups_added_to_the_dictionary_are_perpetrators(
    text: str, lang: str, name: str, actor_type: str
) -> None:
    events = sitrep.extract(text, lang=lang)
    perp = events[0].actors.perpetrator
    assert perp is not None and (perp.name, perp.actor_type) == (name, actor_type)


def test_a_longer_name_from_a_later_word_outranks_an_earlier_shorter_one() -> None:
    from sitrep.resolve.actors import actor_index

    text = "Gunmen from the Islamic State West Africa Province opened fire."
    found = actor_index("en").find(text)
    assert [a.text for a in found] == ["Islamic State West Africa Province"]
    assert [a.text for a in actor_index("en").find("the Islamic State said")] == [
        "the Islamic State"
    ]
