"""How `sitrep eval` compares an extracted figure's attributes with the gold ones."""

from __future__ import annotations

from sitrep.evaluate import agrees


def test_a_source_written_by_another_alias_of_the_same_actor_agrees() -> None:
    pred = {"source": "Médecins Sans Frontières"}
    assert agrees("source", pred, {"source": "Doctors Without Borders"})
    assert agrees("source", pred, {"source": "MSF"})
    assert not agrees("source", pred, {"source": "International Committee of the Red Cross"})


def test_a_perpetrator_alias_agrees_but_an_unknown_name_must_be_equal() -> None:
    assert agrees("perpetrator", {"perpetrator": "Islamic State"}, {"perpetrator": "ISIS"})
    assert agrees("perpetrator", {"perpetrator": "Zaw Min"}, {"perpetrator": "zaw min"})
    assert not agrees("perpetrator", {"perpetrator": "Zaw Min"}, {"perpetrator": "Zaw Min Tun"})
    assert not agrees("perpetrator", {"perpetrator": None}, {"perpetrator": "Hamas"})


def test_a_province_written_by_another_of_its_names_agrees() -> None:
    pred = {"admin1": "North Darfur"}
    assert agrees("admin1", pred, {"admin1": "Northern Darfur"})
    assert agrees("admin1", {"admin1": "Borno"}, {"admin1": "Borno State"})
    assert not agrees("admin1", pred, {"admin1": "South Darfur"})
    assert not agrees("admin1", pred, {"admin1": None})
