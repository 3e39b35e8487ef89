"""Request and response models of the API: they document the OpenAPI schema (and schemathesis
checks every response against it), while the routes hand most records straight from the store
to the client without re-validating them (a page of incidents must stay cheap)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sitrep.model import Event, Report


class _Open(BaseModel):
    """Records from the store: known fields typed, new fields of a later sitrep allowed."""

    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    """Every error: an HTTP status and a one-line message a person can act on."""

    status: int = Field(description="the HTTP status code, repeated")
    message: str
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="per-field problems of a request that failed validation"
    )


class DateRange(_Open):
    start: date | None = None
    end: date | None = None
    precision: str


class IncidentPlace(_Open):
    location: str | None = None
    text: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    feature: str | None = None


class IncidentActors(_Open):
    perpetrator: str | None = None
    perpetrator_type: str | None = None
    target: str | None = None
    target_type: str | None = None


class IncidentFigure(_Open):
    kind: str
    group: str | None = None
    low: int | None = None
    best: int
    high: int | None = None
    qualifier: str
    n_reports: int
    best_report: str | None = None


class SourceFigure(_Open):
    kind: str
    low: int | None = None
    best: int
    high: int | None = None
    qualifier: str
    hedged: bool


class IncidentSource(_Open):
    report_id: str
    source_name: str | None = None
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    published: date | None = None
    origin: str | None = None
    copy_of: str | None = None
    attributed_to: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    figures: list[SourceFigure] = Field(default_factory=list)


class Incident(_Open):
    """A merged incident, as ``sitrep events --format json`` writes it."""

    id: str
    event: str
    event_type: str | None = None
    sub_event_type: str | None = None
    cumulative: bool
    date: DateRange
    place: IncidentPlace
    actors: IncidentActors
    figures: list[IncidentFigure]
    status: str
    grade: str
    n_sources: int
    n_reports: int
    n_mentions: int | None = None
    languages: list[str] = Field(default_factory=list)
    first_published: date | None = None
    last_published: date | None = None
    sources: list[IncidentSource]
    created_at: str | None = None
    updated_at: str | None = None


class IncidentPage(BaseModel):
    """One page of incidents, newest first."""

    total: int = Field(description="incidents matching the filters")
    limit: int
    offset: int
    items: list[Incident]


class Highlight(BaseModel):
    """A number in a quote: offsets into the sentence (``sentence[start:end] == text``)."""

    start: int
    end: int
    text: str
    kind: str
    best: int
    qualifier: str | None = None
    group: str | None = None


class Quote(BaseModel):
    """A sentence of a report that a figure came from, with the figure's words marked."""

    sentence: str
    start: int = Field(description="offset of the sentence in the report's text")
    end: int
    highlights: list[Highlight]


class StoredEvent(Event):
    """An event as stored for one report (the extractor's record without its report)."""

    report: Report | None = None  # type: ignore[assignment]


class IncidentSourceDetail(IncidentSource):
    events: list[StoredEvent] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)


class IncidentDetail(Incident):
    """One incident with every source, its events (figures with offsets) and its quotes."""

    sources: list[IncidentSourceDetail]  # type: ignore[assignment]


class GeoPoint(BaseModel):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2)


class FeatureProps(BaseModel):
    id: str
    event: str
    event_type: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    location: str | None = None
    country: str | None = None
    admin1: str | None = None
    perpetrator: str | None = None
    target: str | None = None
    killed: int | None = None
    injured: int | None = None
    displaced: int | None = None
    n_sources: int
    grade: str
    cumulative: bool


class Feature(BaseModel):
    type: Literal["Feature"]
    id: str
    geometry: GeoPoint | None
    properties: FeatureProps


class FeatureCollection(BaseModel):
    """The same page as GeoJSON: one point per incident (``geometry`` null when unplaced)."""

    type: Literal["FeatureCollection"]
    total: int
    limit: int
    offset: int
    features: list[Feature]


class StatPoint(BaseModel):
    period: date = Field(description="first day of the day, week (Monday) or month")
    group: str
    incidents: int
    killed: int
    injured: int
    displaced: int


class Stats(BaseModel):
    by: Literal["day", "week", "month"]
    group: str
    figure: str
    series: list[StatPoint]


class ReportDetail(BaseModel):
    """A stored report: its text (when it was stored) and the figures extracted from it."""

    id: str
    url: str | None = None
    source_name: str | None = None
    title: str | None = None
    lang: str | None = None
    published: date | None = None
    ingested_at: str | None = None
    duplicate_of: str | None = None
    n_chars: int
    text: str | None = Field(description="the normalised text; null when not stored")
    events: list[StoredEvent]
    incidents: list[str] = Field(description="incidents this report's events belong to")
    highlights: list[Highlight] = Field(description="every figure's words, offsets into ``text``")


class ExtractRequest(BaseModel):
    """A text (with the URL it came from, if known), or the URL of a page to fetch."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="the article text")
    url: str | None = Field(
        default=None,
        max_length=2048,
        description="with a text: where it came from (not fetched); alone: an http(s) page "
        "to fetch",
    )
    lang: Literal["auto", "nl", "en"] | None = None
    published: date | None = Field(default=None, description="anchors relative dates")


class ExtractResult(BaseModel):
    text: str = Field(description="the normalised text all offsets point into")
    lang: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    events: list[Event]
    highlights: list[Highlight]


class ReportIn(ExtractRequest):
    """A report to store and merge (needs the API token)."""

    source_name: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=500)


class ReportStored(BaseModel):
    status: Literal["done", "duplicate"]
    report_id: str
    n_events: int
    detail: str | None = None
    incidents: list[str] = Field(description="incidents the report's events are now part of")


class Health(BaseModel):
    status: Literal["ok"]
    incidents: int
    writable: bool = Field(description="whether POST /api/reports is enabled (a token is set)")


class ClientConfig(BaseModel):
    """What the web page needs to know about this server."""

    tiles: str | None = Field(description="an online tile URL template, or null (offline)")
    tiles_attribution: str | None = None
    writable: bool
    fetch_urls: bool
    max_body: int


# --- query strings -------------------------------------------------------------------------------

Grade = Literal["single_source", "multiple_sources", "conceded", "contested"]


class FilterQuery(BaseModel):
    """The dataset's filters (those of ``sitrep events``) as query parameters."""

    model_config = ConfigDict(extra="ignore")

    country: str | None = Field(
        None, max_length=200, description="ISO codes or names (English or Dutch), comma-separated"
    )
    admin1: str | None = Field(None, max_length=200, description="province")
    since: date | None = Field(None, description="incidents on or after (YYYY-MM-DD)")
    until: date | None = Field(None, description="incidents on or before (YYYY-MM-DD)")
    type: str | None = Field(
        None, max_length=200, description="event (airstrike…), ACLED event or sub-event type"
    )
    actor: str | None = Field(
        None, max_length=200, description="perpetrator or target contains this"
    )
    min_killed: int | None = Field(
        None, ge=0, le=10**9, description="best killed figure at least this"
    )
    source: str | None = Field(
        None, max_length=200, description="an outlet of any report contains this"
    )
    bbox: str | None = Field(None, max_length=200, description="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    search: str | None = Field(
        None, max_length=200, description="text in the place, actors or quoted sentences"
    )
    grade: Grade | None = None
    min_sources: int | None = Field(
        None, ge=0, le=10**6, description="at least this many independent sources"
    )
    running_totals: bool = Field(
        False, description="include running totals ('90 killed this week') as incidents"
    )


class IncidentQuery(FilterQuery):
    limit: int | None = Field(
        None, ge=1, le=10000, description="page size (JSON ≤ 1000, default 50; GeoJSON ≤ 10000)"
    )
    offset: int = Field(0, ge=0, le=10_000_000)
    format: Literal["json", "geojson"] = "json"


class StatsQuery(FilterQuery):
    by: Literal["day", "week", "month"] = "month"
    group: Literal["none", "country", "type", "actor"] = "none"
    figure: Literal["low", "best", "high"] = Field(
        "best", description="which of each incident's figures to sum"
    )
