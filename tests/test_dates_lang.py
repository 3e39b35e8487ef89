from __future__ import annotations

from datetime import date

from sitrep.ingest.langid import identify
from sitrep.resolve.dates import date_finder


def _one(lang: str, text: str, pub: date | None):
    [m] = date_finder(lang).find(text, pub)
    return m


def test_weekday_is_the_most_recent_such_day():
    pub = date(2018, 6, 28)  # a Thursday
    assert _one("nl", "donderdag", pub).start_date == pub
    assert _one("nl", "zondagochtend", pub).start_date == date(2018, 6, 24)
    assert _one("en", "on Monday", pub).start_date == date(2018, 6, 25)


def test_relative_and_absolute():
    pub = date(2018, 6, 28)
    assert _one("nl", "gisteren", pub).start_date == date(2018, 6, 27)
    assert _one("en", "yesterday", pub).start_date == date(2018, 6, 27)
    m = _one("nl", "vorige week", pub)
    assert (m.precision, m.start_date) == ("week", date(2018, 6, 18))
    assert _one("nl", "4 oktober", pub).start_date == date(2017, 10, 4)
    assert _one("en", "October 4, 2016", pub).start_date == date(2016, 10, 4)
    assert _one("en", "on 12 March", pub).start_date == date(2018, 3, 12)
    m = _one("en", "earlier this month", pub)
    assert (m.precision, m.start_date) == ("month", date(2018, 6, 1))


def test_unresolved_without_publication_date():
    m = _one("nl", "donderdag", None)
    assert m.start_date is None and not m.resolved


def test_impossible_date_stays_unresolved():
    m = _one("en", "on 31 February 2020", None)
    assert m.start_date is None


def test_language_identification():
    assert identify("Bij een aanval zijn volgens de politie twaalf mensen gedood.").lang == "nl"
    assert identify("At least twelve people were killed in the attack, police said.").lang == "en"
    g = identify("Au moins douze personnes ont été tuées dans l'attaque, selon la police.")
    assert not g.supported


def test_short_text_in_another_language_is_not_taken_for_dutch():
    g = identify("Al menos veinte personas murieron en un ataque en la provincia de Idlib.")
    assert not g.supported and g.lang == "es"
    assert identify("Twaalf doden bij aanval in Kaboel").lang == "nl"


def test_since_a_month_and_day_and_a_month_of_a_year():
    pub = date(2024, 7, 2)
    since = _one("en", "since June 1", pub)
    assert (since.kind, since.start_date, since.end_date) == ("since", date(2024, 6, 1), pub)
    assert _one("en", "since March 15", pub).precision == "day"
    # "since March 15,000 people …": the digits belong to the count, not the date.
    assert _one("en", "since March 15,000 people", pub).text == "since March"
    month = _one("en", "in October 2017", pub)
    assert (month.kind, month.start_date, month.end_date) == (
        "month",
        date(2017, 10, 1),
        date(2017, 10, 31),
    )
    assert _one("nl", "in oktober 2017", pub).start_date == date(2017, 10, 1)


def test_a_day_or_year_of_a_date_is_no_count():
    import sitrep

    text = (
        "Saudi-led strikes since March 15 have killed more than 200 people across Yemen, "
        "officials said. It was the deadliest attack since a truck bomb in October 2017 "
        "killed more than 500 people."
    )
    events = sitrep.extract(text, lang="en", published="2024-07-02")
    assert sorted(f.best for e in events for f in e.figures) == [201, 501]
