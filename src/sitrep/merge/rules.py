"""When two event mentions report the same incident.

Two mentions *agree* (an edge of the merge graph) when all of these hold:

- kind: the same event family (ACLED event type, else the fine class); running totals form
  their own families and never meet single incidents;
- dates: both dated (day, week or month precision) and their intervals lie at most one day
  apart (±1 day for day precision; a day inside a week or month agrees with it); running totals
  need both ends of their periods within a day;
- places: the same gazetteer place, two points within 25 km, one area (country, province,
  district) containing the other, or — before geocoding — the same folded name;
- actors: the perpetrators do not conflict (both named and different).

Two mentions *conflict* when a known value disagrees: dates more than a day apart, different
countries, points more than 25 km apart, a point outside an area, different named perpetrators,
or two different places within one report (the report itself tells them apart). An incident
never holds two conflicting mentions; a mention with no date or no place agrees with nothing
and stays an incident of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

MAX_KM = 25.0
CELL_DEG = 0.5  # blocking grid: the 3×3 cells around a point cover every point within 25 km
MERGEABLE_PRECISIONS = frozenset({"day", "week", "month"})
MAX_SPAN_DAYS = 31
AREA_LEVELS = {"country": 3, "admin1": 2, "region": 2, "admin2": 1}

AGREE, UNKNOWN, CONFLICT = 1, 0, -1


@dataclass(slots=True)
class Mention:
    """What the merge knows of one stored mention (one row of ``mentions`` + its report)."""

    idx: int
    id: str
    report_id: str
    seq: int
    event: str
    event_type: str | None
    sub_event_type: str | None
    cumulative: bool
    d0: int | None
    d1: int | None
    precision: str
    place_text: str | None
    place_key: str | None
    place_name: str | None
    feature: str | None
    geonameid: int | None
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    perpetrator: str | None
    perpetrator_text: str | None
    perpetrator_type: str | None
    target: str | None
    target_type: str | None
    status: str
    attributed_to: str | None
    summary: dict[str, Any]
    published: date | None
    origin: str
    source_name: str | None
    url: str | None
    lang: str | None
    title: str | None
    copy_of: str | None
    old: str | None = None  # the incident it belonged to before this merge
    family: str = ""
    key: tuple[int, str, int] = (0, "", 0)
    mergeable: bool = False
    level: int = 0  # 0 a point (town), 1 district, 2 province/region, 3 country
    members: list[str] = field(default_factory=list)  # blocking keys it is found under

    def __post_init__(self) -> None:
        self.family = (self.event_type or self.event) + ("|total" if self.cumulative else "")
        pub = self.published.toordinal() if self.published else 10**7
        self.key = (pub, self.report_id, self.seq)
        span_ok = (
            self.d0 is not None and self.d1 is not None and 0 <= self.d1 - self.d0 < MAX_SPAN_DAYS
        )
        has_place = bool(self.place_key or self.geonameid or self.country)
        self.mergeable = self.precision in MERGEABLE_PRECISIONS and span_ok and has_place
        self.level = AREA_LEVELS.get(self.feature or "", 0)

    @property
    def has_point(self) -> bool:
        return self.level == 0 and self.lat is not None and self.lon is not None

    def area_key(self) -> str | None:
        """The key of everything this area contains (None for a point)."""
        if self.level == 3 and self.country:
            return "c:" + self.country
        if self.level == 2 and self.admin1:
            return f"a1:{self.country}/{self.admin1}"
        if self.level == 2 and self.country and not self.admin1:
            return "c:" + self.country
        if self.level == 1 and self.admin2:
            return f"a2:{self.country}/{self.admin1}/{self.admin2}"
        return None

    def cell(self) -> tuple[int, int]:
        assert self.lat is not None and self.lon is not None
        return (math.floor(self.lat / CELL_DEG), math.floor(self.lon / CELL_DEG))

    def index_keys(self) -> list[str]:
        """Keys this mention is filed under in the blocking index."""
        keys = []
        if self.place_key:
            keys.append("t:" + self.place_key)
        if self.geonameid:
            keys.append(f"id:{self.geonameid}")
        if self.has_point:
            cy, cx = self.cell()
            keys.append(f"g:{cy},{cx}")
        keys.extend(self._within())
        area = self.area_key()
        if area:
            keys.append("area:" + area)
        return keys

    def query_keys(self) -> list[str]:
        """Keys under which this mention's possible partners are filed (symmetric with
        ``index_keys``: if a finds b, b finds a)."""
        keys = []
        if self.place_key:
            keys.append("t:" + self.place_key)
        if self.geonameid:
            keys.append(f"id:{self.geonameid}")
        if self.has_point:
            cy, cx = self.cell()
            keys.extend(f"g:{cy + i},{cx + j}" for i in (-1, 0, 1) for j in (-1, 0, 1))
        area = self.area_key()
        if area:
            keys.append(area)  # everything inside this area
        keys.extend("area:" + k for k in self._within())  # every area this lies in
        return keys

    def _within(self) -> list[str]:
        """Area keys of the country, province and district this mention lies in."""
        if not self.country:
            return []
        keys = ["c:" + self.country]
        if self.admin1:
            keys.append(f"a1:{self.country}/{self.admin1}")
            if self.admin2:
                keys.append(f"a2:{self.country}/{self.admin1}/{self.admin2}")
        return keys


def km(a: Mention, b: Mention) -> float:
    """Great-circle distance (haversine, km)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp = p2 - p1
    dl = math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _contains(area: Mention, other: Mention) -> int:
    """AGREE when ``area`` contains ``other``, CONFLICT when it cannot, UNKNOWN otherwise."""
    if area.level == 3 or (area.level == 2 and not area.admin1):
        return AGREE if area.country and area.country == other.country else UNKNOWN
    if area.level == 2:
        if other.admin1 is None:
            return UNKNOWN
        return AGREE if other.admin1 == area.admin1 else CONFLICT
    if area.level == 1:
        if other.admin2 is None:
            return UNKNOWN if other.admin1 in (None, area.admin1) else CONFLICT
        return AGREE if other.admin2 == area.admin2 else CONFLICT
    return UNKNOWN


def place_state(a: Mention, b: Mention) -> tuple[int, float]:
    """Whether two mentions' places agree, and how strongly (score)."""
    if not (a.place_key or a.geonameid or a.country) or not (
        b.place_key or b.geonameid or b.country
    ):
        return UNKNOWN, 0.0
    state, score = _place_state(a, b)
    if (
        state == AGREE
        and a.report_id == b.report_id
        and a.level == 0
        and b.level == 0
        and a.place_key != b.place_key
        and (a.geonameid is None or a.geonameid != b.geonameid)
    ):
        # one report naming two different places means two incidents, even if close by
        return CONFLICT, 0.0
    return state, score


def _place_state(a: Mention, b: Mention) -> tuple[int, float]:
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return AGREE, 3.0
    if a.country and b.country and a.country != b.country:
        return CONFLICT, 0.0
    if a.level or b.level:
        if a.level and b.level and a.level == b.level:
            same = a.area_key() is not None and a.area_key() == b.area_key()
            if same:
                return AGREE, 2.5
            if a.place_key and a.place_key == b.place_key:
                return AGREE, 2.0
            if a.area_key() and b.area_key():
                return CONFLICT, 0.0
            return UNKNOWN, 0.0
        outer, inner = (a, b) if a.level > b.level else (b, a)
        state = _contains(outer, inner)
        if state == UNKNOWN and a.place_key and a.place_key == b.place_key:
            return AGREE, 2.0
        return state, (1.0 if state == AGREE else 0.0)
    if a.has_point and b.has_point:
        d = km(a, b)
        if d <= MAX_KM:
            return AGREE, 3.0 - d / MAX_KM
        return CONFLICT, 0.0
    if a.place_key and a.place_key == b.place_key:
        return AGREE, 2.0
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return CONFLICT, 0.0
    return UNKNOWN, 0.0


def date_state(a: Mention, b: Mention) -> tuple[int, float]:
    if a.d0 is None or b.d0 is None or a.d1 is None or b.d1 is None:
        return UNKNOWN, 0.0
    if a.cumulative:
        ok = abs(a.d0 - b.d0) <= 1 and abs(a.d1 - b.d1) <= 1
        return (AGREE, 1.0) if ok else (CONFLICT, 0.0)
    gap = max(a.d0, b.d0) - min(a.d1, b.d1)
    if gap > 1:
        return CONFLICT, 0.0
    if a.d0 == b.d0 and a.d1 == b.d1:
        return AGREE, 1.0
    return AGREE, (0.5 if gap <= 0 else 0.25)


def actor_state(a: Mention, b: Mention) -> tuple[int, float]:
    if a.perpetrator and b.perpetrator:
        return (AGREE, 1.0) if a.perpetrator == b.perpetrator else (CONFLICT, 0.0)
    return UNKNOWN, 0.0


def edge_score(a: Mention, b: Mention) -> float | None:
    """The strength of an agreement edge between two mentions, or None when they do not agree."""
    if a.family != b.family or not (a.mergeable and b.mergeable):
        return None
    ds, dscore = date_state(a, b)
    if ds != AGREE:
        return None
    ps, pscore = place_state(a, b)
    if ps != AGREE:
        return None
    acts, ascore = actor_state(a, b)
    if acts == CONFLICT:
        return None
    sub = 0.5 if a.sub_event_type and a.sub_event_type == b.sub_event_type else 0.0
    return round(pscore + dscore + ascore + sub, 6)


def conflict(a: Mention, b: Mention) -> bool:
    """Whether two mentions cannot be one incident."""
    if a.family != b.family:
        return True
    return (
        date_state(a, b)[0] == CONFLICT
        or place_state(a, b)[0] == CONFLICT
        or actor_state(a, b)[0] == CONFLICT
    )
