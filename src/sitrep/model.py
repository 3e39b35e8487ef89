"""The one vocabulary every sitrep package speaks.

A report's text is the ground truth: every extracted value carries the character offsets of
the words it came from (``Span``), so a reader can check it against ``Report``'s text.
Run ``python -m sitrep.model`` to print the JSON Schema of an event record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class FigureKind(StrEnum):
    killed = "killed"
    injured = "injured"
    missing = "missing"
    kidnapped = "kidnapped"
    arrested = "arrested"
    displaced = "displaced"
    refugees = "refugees"
    returned = "returned"
    evacuated = "evacuated"
    withdrawn = "withdrawn"


class Qualifier(StrEnum):
    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"
    about = "about"
    nearly = "nearly"
    up_to = "up_to"
    range = "range"
    vague = "vague"


class DatePrecision(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    unknown = "unknown"


class EventStatus(StrEnum):
    reported = "reported"
    confirmed = "confirmed"
    denied_by_accused = "denied_by_accused"
    not_confirmed_by_accused = "not_confirmed_by_accused"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(_Record):
    """Words of the input: ``text == report_text[start:end]``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Evidence(Span):
    """A span together with the sentence it stands in (offsets into the input)."""

    sentence: str
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)


class Report(_Record):
    """One input text; ``id`` is the SHA-256 of the text (first 16 hex digits)."""

    id: str
    lang: str | None = None
    published: date | None = None
    url: str | None = None
    source_name: str | None = None
    title: str | None = None

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Source(_Record):
    """Who a figure or an event is attributed to (``name`` normalised where known)."""

    name: str
    text: str
    start: int
    end: int
    known: bool = False


class Figure(_Record):
    """A count of people affected, bound to its kind, group and qualifier."""

    kind: FigureKind
    group: str = "people"
    best: int
    low: int | None = None
    high: int | None = None
    qualifier: Qualifier = Qualifier.exact
    cumulative: bool = False
    hedged: bool = False
    source: str | None = None
    part_of: int | None = Field(
        default=None, description="index (in the event's figures) of the total this is part of"
    )
    evidence: Evidence
    cues: dict[str, Span] = Field(
        default_factory=dict,
        description="the words behind each attribute: kind, group, qualifier, cumulative, hedged",
    )


class EventDate(_Record):
    start: date | None = None
    end: date | None = None
    precision: DatePrecision = DatePrecision.unknown
    text: str | None = None
    span: Span | None = None
    resolved: bool = Field(
        default=False, description="false when relative words had no publication date to anchor to"
    )


class Place(_Record):
    """A place as written, plus what geocoding fills in (ACLED geo precision 1/2/3)."""

    text: str
    start: int
    end: int
    relation: str | None = Field(default=None, description="e.g. 'southwest of', 'near'")
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    feature: str | None = Field(default=None, description="locality, region or country")


class Actor(_Record):
    text: str
    start: int
    end: int
    name: str | None = Field(default=None, description="canonical name where known")
    actor_type: str | None = None
    country: str | None = None


class Actors(_Record):
    perpetrator: Actor | None = None
    target: Actor | None = Field(default=None, description="who the act struck: the victims")
    opponent: Actor | None = Field(
        default=None,
        description=(
            "the armed party the perpetrator fights, where the report names it "
            "('een offensief tegen rebellen van het Vrije Syrische Leger'): ACLED's actor 2 of "
            "the fighting the event belongs to"
        ),
    )


class Event(_Record):
    """One happening reported in one report, with its figures and the words behind them."""

    id: str
    event: str = Field(description="fine class: airstrike, shelling, bombing, displacement, …")
    event_type: str | None = None
    sub_event_type: str | None = None
    trigger: Span | None = None
    date: EventDate = Field(default_factory=EventDate)
    place: Place | None = None
    actors: Actors = Field(default_factory=Actors)
    figures: list[Figure] = Field(default_factory=list)
    attributed_to: list[Source] = Field(default_factory=list)
    status: EventStatus = EventStatus.reported
    status_evidence: Span | None = None
    report: Report


@dataclass(slots=True)
class Sentence:
    """A sentence of a document: offsets into ``Document.text``."""

    start: int
    end: int
    paragraph: int
    index: int
    boilerplate: bool = False


@dataclass(slots=True)
class Document:
    """A text to extract from, split into paragraphs and sentences (offsets into ``text``)."""

    text: str
    report: Report
    sentences: list[Sentence] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    name: str = "<text>"

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]


def event_schema() -> dict:
    schema = Event.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/sitrep/sitrep/schema/event.schema.json"
    schema["title"] = "sitrep event record"
    schema["version"] = SCHEMA_VERSION
    return schema


if __name__ == "__main__":
    print(json.dumps(event_schema(), indent=2, ensure_ascii=False))
