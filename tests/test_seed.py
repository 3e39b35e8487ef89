"""The seed article yields exactly its eight gold figures, field by field."""

from __future__ import annotations

import sitrep
from sitrep.evaluate import figure_view

FIELDS = [
    "kind",
    "best",
    "low",
    "high",
    "qualifier",
    "group",
    "cumulative",
    "date",
    "source",
    "hedged",
    "event",
    "perpetrator",
]


def _figures(seed_text: str) -> list[dict]:
    events = sitrep.extract(seed_text, lang="nl", published="2018-06-28")
    return [figure_view(ev, i) for ev in events for i in range(len(ev.figures))]


def test_seed_yields_exactly_the_gold_figures(seed_text, seed_gold):
    got = _figures(seed_text)
    gold = seed_gold["figures"]
    assert len(got) == len(gold) == 8
    by_text = {g["text"]: g for g in gold}
    for fig in got:
        assert fig["text"] in by_text, f"unexpected figure {fig['text']!r}"
        expected = by_text[fig["text"]]
        for field in FIELDS:
            assert fig[field] == expected[field], (fig["text"], field, fig[field], expected[field])


def test_seed_places_as_written(seed_text, seed_gold):
    got = {f["text"]: f["place"] for f in _figures(seed_text)}
    for g in seed_gold["figures"]:
        assert got[g["text"]] == g["place"], g["text"]


def test_no_figure_from_population_or_aircraft(seed_text):
    values = {f["best"] for f in _figures(seed_text)}
    assert 750000 not in values  # "750.000 burgers wonen in de regio"
    assert 13 not in values and 14 not in values  # aircraft and helicopters
    assert 20000 in values  # the children among the displaced are a figure…
    assert sum(v == 20000 for v in values) == 1  # …the "Tienduizenden" teaser is not


def test_every_value_points_at_its_words(seed_text):
    events = sitrep.extract(seed_text, lang="nl", published="2018-06-28")
    for ev in events:
        for f in ev.figures:
            ev_ = f.evidence
            assert seed_text[ev_.start : ev_.end] == ev_.text
            assert seed_text[ev_.sentence_start : ev_.sentence_end] == ev_.sentence
            for cue in f.cues.values():
                assert seed_text[cue.start : cue.end] == cue.text
        if ev.place:
            assert seed_text[ev.place.start : ev.place.end] == ev.place.text
        if ev.trigger:
            assert seed_text[ev.trigger.start : ev.trigger.end] == ev.trigger.text


def test_seed_events_status_and_types(seed_text):
    events = sitrep.extract(seed_text, lang="nl", published="2018-06-28")
    first = events[0]
    assert first.event == "airstrike"
    assert first.event_type == "Explosions/Remote violence"
    assert first.sub_event_type == "Air/drone strike"
    assert first.actors.perpetrator is not None and first.actors.perpetrator.name == "Russia"
    # "een offensief tegen rebellen van het Vrije Syrische Leger (FSA)": the opposition named.
    for ev in events:
        if ev.event == "airstrike":
            assert ev.actors.opponent is not None
            assert ev.actors.opponent.name == "Free Syrian Army"
            assert ev.actors.opponent.actor_type == "rebel"
    # "Rusland heeft de luchtaanvallen niet bevestigd."
    assert first.status == "not_confirmed_by_accused"
    assert first.report.published.isoformat() == "2018-06-28"
    assert first.report.lang == "nl"
    returned = [e for e in events if e.event == "refugee_return"]
    assert returned and returned[0].sub_event_type == "Return"


def test_sub_count_points_at_its_total(seed_text):
    events = sitrep.extract(seed_text, lang="nl", published="2018-06-28")
    displaced = next(e for e in events if any(f.best == 45000 for f in e.figures))
    children = next(f for f in displaced.figures if f.best == 20000)
    assert children.part_of is not None
    assert displaced.figures[children.part_of].best == 45000


def test_without_publication_date_relative_dates_stay_unresolved(seed_text):
    events = sitrep.extract(seed_text, lang="nl")
    first = events[0]
    assert first.date.text == "donderdag"
    assert first.date.start is None
    assert first.date.resolved is False
    assert first.date.precision == "unknown"


def test_a_population_is_no_figure_whatever_follows():
    text = (
        "More than 3.2 million people have fled Ukraine since the Russian invasion began, "
        "the UNHCR said. Nearly 2 million of them have crossed into Poland, a country of "
        "38 million people."
    )
    events = sitrep.extract(text, lang="en", published="2022-03-11")
    values = {f.best for ev in events for f in ev.figures}
    assert 38000000 not in values
    assert 3200001 in values
