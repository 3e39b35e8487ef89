"""Extracted ``Event`` records as rows of the ``mentions`` and ``figures`` tables."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sitrep.merge.figures import is_running_total, mention_summary
from sitrep.model import Event

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Articles that transliterations write or drop at will ("Al-Musayfrah", "Musayfrah").
_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "at", "az", "ash", "the", "de", "het"})


def place_key(text: str | None) -> str | None:
    """A place name folded for comparison across spellings: no case, accents, punctuation,
    hyphens or leading/joined Arabic articles ("Al-Musayfrah" == "al musayfrah")."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = [w for w in _NON_WORD.split(folded) if w and w not in _ARTICLES]
    return " ".join(words) or None


def mention_row(ev: Event, seq: int) -> dict[str, Any]:
    """The ``mentions`` row of one event (the merge reads only these columns)."""
    place = ev.place
    perp = ev.actors.perpetrator
    target = ev.actors.target
    summary = mention_summary(ev)
    killed = summary["totals"].get("killed")
    first = ev.figures[0].evidence if ev.figures else None
    record = ev.model_dump(mode="json", exclude={"report"})
    return {
        "id": ev.id,
        "report_id": ev.report.id,
        "seq": seq,
        "event": ev.event,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "cumulative": is_running_total(ev),
        "date_start": ev.date.start,
        "date_end": ev.date.end or ev.date.start,
        "date_precision": ev.date.precision.value,
        "date_text": ev.date.text,
        "place_text": place.text if place else None,
        "place_key": place_key(place.text) if place else None,
        "place_name": place.name if place else None,
        "relation": place.relation if place else None,
        "feature": place.feature if place else None,
        "geonameid": place.geonameid if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "admin2": place.admin2 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "perpetrator": perp.name if perp else None,
        "perpetrator_text": perp.text if perp else None,
        "perpetrator_type": perp.actor_type if perp else None,
        "target": (target.name or target.text) if target else None,
        "target_type": target.actor_type if target else None,
        "status": ev.status.value,
        "attributed_to": "; ".join(dict.fromkeys(s.name for s in ev.attributed_to)) or None,
        "killed": killed[1] if killed else None,
        "sentence": first.sentence if first else None,
        "summary": summary,
        "record": record,
    }


def figure_rows(ev: Event) -> list[dict[str, Any]]:
    """The ``figures`` rows of one event, in the event's order (``idx``)."""
    return [
        {
            "mention_id": ev.id,
            "idx": i,
            "kind": f.kind.value,
            "grp": f.group,
            "best": f.best,
            "low": f.low,
            "high": f.high,
            "qualifier": f.qualifier.value,
            "cumulative": f.cumulative,
            "hedged": f.hedged,
            "source": f.source,
            "part_of": f.part_of,
            "evidence": f.evidence.text,
            "evidence_start": f.evidence.start,
            "evidence_end": f.evidence.end,
        }
        for i, f in enumerate(ev.figures)
    ]
