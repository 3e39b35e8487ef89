"""Helpers for tests that need a real database: a fresh SQLite file or a fresh PostgreSQL
database on the server named by $SITREP_TEST_PG (``scripts/ci_postgres.sh`` starts one).

Under CI (``CI=true``) a missing or unreachable server fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitrep.store import Prepared

ENV_PG = "SITREP_TEST_PG"


def pg_admin_url() -> str | None:
    """The test server's URL, or None (with the reason in ``pg_unavailable``)."""
    url = os.environ.get(ENV_PG)
    if not url:
        return None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def pg_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    url = pg_admin_url()
    if url is None:
        return f"${ENV_PG} is not set (bash scripts/ci_postgres.sh start sets it)"
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL at ${ENV_PG} is not reachable: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def require_pg() -> str:
    """The admin URL; skips the test (fails it under CI) when no server can be used."""
    import pytest

    reason = pg_unavailable()
    if reason is not None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    url = pg_admin_url()
    assert url is not None
    return url


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    import sqlalchemy as sa

    admin = require_pg()
    name = "sitrep_t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(admin).set(database=name).render_as_string(hide_password=False)
        try:
            yield url
        finally:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A new database URL of ``kind`` ('sqlite' or 'postgresql')."""
    if kind == "sqlite":
        yield str(tmp_path / f"t-{uuid.uuid4().hex[:8]}.db")
    elif kind == "postgresql":
        with fresh_pg_database() as url:
            yield url
    else:
        raise ValueError(kind)


# --- synthetic reports ---------------------------------------------------------------------------


def synthetic_report(
    text: str,
    events: list[dict[str, object]] | None = None,
    *,
    published: str | None = "2018-06-29",
    source_name: str | None = None,
    lang: str = "en",
    url: str | None = None,
    name: str = "<synthetic>",
    with_signature: bool = True,
) -> Prepared:
    """A ``Prepared`` report with events built from plain values, for merge and store tests
    that must not depend on what the extractor makes of a text. Each event dict may hold:
    event, event_type, sub_event_type, start, end, precision, place, country, admin1, admin2,
    lat, lon, feature, geonameid, geo_precision, perpetrator, perpetrator_type, target,
    target_type, status, figures (dicts: kind, best, low, high, qualifier, group, cumulative,
    hedged, part_of, source)."""
    from datetime import date

    from sitrep.ingest import normalise_text
    from sitrep.model import (
        Actor,
        Actors,
        Event,
        EventDate,
        Evidence,
        Figure,
        Place,
        Report,
    )
    from sitrep.store import Prepared
    from sitrep.store.minhash import signature

    text = normalise_text(text)
    report = Report(
        id=Report.hash_text(text),
        lang=lang,
        published=date.fromisoformat(published) if published else None,
        url=url,
        source_name=source_name,
    )
    out = []
    for n, spec in enumerate(events or [], start=1):
        s = dict(spec)
        start = s.get("start", "2018-06-28")
        figs = []
        for f in s.get("figures", [{"kind": "killed", "best": 10}]):  # type: ignore[union-attr]
            f = dict(f)  # type: ignore[arg-type]
            ev_text = str(f["best"])
            figs.append(
                Figure(
                    kind=f["kind"],
                    group=f.get("group", "people"),
                    best=f["best"],
                    low=f.get("low"),
                    high=f.get("high"),
                    qualifier=f.get("qualifier", "exact"),
                    cumulative=f.get("cumulative", False),
                    hedged=f.get("hedged", False),
                    source=f.get("source"),
                    part_of=f.get("part_of"),
                    evidence=Evidence(
                        text=ev_text,
                        start=0,
                        end=len(ev_text),
                        sentence=f.get("sentence", f"{ev_text} {f['kind']}."),
                        sentence_start=0,
                        sentence_end=10,
                    ),
                )
            )
        place = None
        if s.get("place") is not None:
            place = Place(
                text=str(s["place"]),
                start=0,
                end=len(str(s["place"])),
                country=s.get("country"),
                admin1=s.get("admin1"),
                admin2=s.get("admin2"),
                lat=s.get("lat"),
                lon=s.get("lon"),
                feature=s.get("feature"),
                geonameid=s.get("geonameid"),
                precision=s.get("geo_precision"),
                name=s.get("place_name"),
            )
        perp = s.get("perpetrator", "Russia")
        target = s.get("target")
        out.append(
            Event(
                id=f"{report.id}-{n}",
                event=s.get("event", "airstrike"),
                event_type=s.get("event_type", "Explosions/Remote violence"),
                sub_event_type=s.get("sub_event_type", "Air/drone strike"),
                date=EventDate(
                    start=date.fromisoformat(start) if start else None,
                    end=date.fromisoformat(s.get("end") or start) if start else None,
                    precision=s.get("precision", "day" if start else "unknown"),
                    resolved=bool(start),
                ),
                place=place,
                actors=Actors(
                    perpetrator=Actor(
                        text=str(perp),
                        start=0,
                        end=1,
                        name=str(perp),
                        actor_type=s.get("perpetrator_type", "state"),
                    )
                    if perp
                    else None,
                    target=Actor(
                        text=str(target),
                        start=0,
                        end=1,
                        name=str(target),
                        actor_type=s.get("target_type"),
                    )
                    if target
                    else None,
                ),
                figures=figs,
                status=s.get("status", "reported"),
                report=report,
            )
        )
    sig = signature(text) if with_signature else None
    return Prepared(name, text, report, out, sig)


# --- a generated corpus ---------------------------------------------------------------------------

_TOWNS = [
    # (English, Dutch, country en, country nl, attacker en, attacker nl)
    ("Saraqib", "Saraqib", "Syria", "Syrië", "Russian", "Russische"),
    ("Maarat al-Numan", "Maarat al-Numan", "Syria", "Syrië", "Russian", "Russische"),
    ("Ariha", "Ariha", "Syria", "Syrië", "Russian", "Russische"),
    ("Khan Shaykhun", "Khan Shaykhun", "Syria", "Syrië", "Russian", "Russische"),
    ("Douma", "Douma", "Syria", "Syrië", "Russian", "Russische"),
    ("Al Musayfrah", "Al Musayfrah", "Syria", "Syrië", "Russian", "Russische"),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", "Syrië", "Russian", "Russische"),
    ("Kharkiv", "Charkiv", "Ukraine", "Oekraïne", "Russian", "Russische"),
    ("Kherson", "Cherson", "Ukraine", "Oekraïne", "Russian", "Russische"),
    ("Mykolaiv", "Mykolajiv", "Ukraine", "Oekraïne", "Russian", "Russische"),
    ("Sumy", "Soemy", "Ukraine", "Oekraïne", "Russian", "Russische"),
    ("Bakhmut", "Bachmoet", "Ukraine", "Oekraïne", "Russian", "Russische"),
    ("Saada", "Saada", "Yemen", "Jemen", "Saudi-led coalition", "Saudische"),
    ("Hodeidah", "Hodeida", "Yemen", "Jemen", "Saudi-led coalition", "Saudische"),
    ("Taiz", "Taiz", "Yemen", "Jemen", "Saudi-led coalition", "Saudische"),
]
_WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_OUTLETS_EN = ["Reuters", "AFP", "AP", "BBC", "Al Jazeera", "The Guardian"]
_OUTLETS_NL = ["NOS", "NRC", "de Volkskrant", "Trouw", "ANP"]
_SYNDICATORS = ["Yahoo News", "MSN", "Nieuws.nl", "Omroep West"]
_FILLER_EN = (
    [
        "The finance minister",
        "A delegation from the region",
        "The central bank",
        "Diplomats",
        "The trade council",
        "Local farmers",
        "The new mayor",
        "Economists",
        "A museum director",
        "The football federation",
        "Teachers in the capital",
        "The energy company",
    ],
    [
        "discussed",
        "announced",
        "postponed",
        "welcomed",
        "reviewed",
        "questioned",
        "presented",
        "approved",
        "criticised",
        "outlined",
        "revised",
        "praised",
    ],
    [
        "a new budget plan",
        "the harvest forecast",
        "plans for a railway",
        "an exhibition of old maps",
        "the price of bread",
        "a school reform",
        "the summer timetable",
        "a water project",
        "an agreement on fishing rights",
        "the tourism figures",
        "a bridge repair",
        "a music festival",
    ],
    [
        "on Monday morning",
        "after a long meeting",
        "in a short statement",
        "during a visit",
        "at a press conference",
        "earlier this year",
        "in the northern district",
        "without comment",
        "with some reservations",
        "for the coming season",
        "in a televised address",
        "late at night",
    ],
)
_FILLER_NL = (
    [
        "De minister van Financiën",
        "Een delegatie uit de regio",
        "De centrale bank",
        "Diplomaten",
        "De handelsraad",
        "Lokale boeren",
        "De nieuwe burgemeester",
        "Economen",
        "Een museumdirecteur",
        "De voetbalbond",
        "Leraren in de hoofdstad",
        "Het energiebedrijf",
    ],
    [
        "besprak",
        "kondigde",
        "stelde",
        "verwelkomde",
        "bekeek",
        "bekritiseerde",
        "presenteerde",
        "keurde",
        "schetste",
        "herzag",
        "prees",
        "noemde",
    ],
    [
        "een nieuw begrotingsplan",
        "de oogstverwachting",
        "plannen voor een spoorlijn",
        "een tentoonstelling van oude kaarten",
        "de prijs van brood",
        "een schoolhervorming",
        "de zomerdienstregeling",
        "een waterproject",
        "een akkoord over visrechten",
        "de toerismecijfers",
        "een brugreparatie",
        "een muziekfestival",
    ],
    [
        "maandagochtend",
        "na een lange vergadering",
        "in een korte verklaring",
        "tijdens een bezoek",
        "op een persconferentie",
        "eerder dit jaar",
        "in het noordelijke district",
        "zonder commentaar",
        "met enig voorbehoud",
        "voor het komende seizoen",
        "in een televisietoespraak",
        "laat op de avond",
    ],
)


def _filler(rng: random.Random, lang: str, paragraphs: int) -> list[str]:
    parts = _FILLER_NL if lang == "nl" else _FILLER_EN
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            s = " ".join(rng.choice(p) for p in parts)
            sentences.append(s + f" ({rng.randint(2, 99)} {rng.choice(['items', 'punten'])}).")
        out.append(" ".join(sentences))
    return out


def generated_corpus(n_reports: int, seed: int = 1) -> list[dict[str, object]]:
    """JSON-lines records of ``n_reports`` generated news reports (en and nl, ~300 words):
    incidents reported by one to four outlets with differing tolls, running totals, syndicated
    near-copies and exact repeats. For tests and benchmarks of ingest and merge."""
    from datetime import date, timedelta

    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    day0 = date(2018, 1, 1).toordinal()
    while len(out) < n_reports:
        town = rng.choice(_TOWNS)
        d = date.fromordinal(day0 + rng.randrange(365))
        toll = rng.randint(3, 60)
        shelling = rng.random() < 0.3
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            lang = "nl" if rng.random() < 0.3 else "en"
            pub = d + timedelta(days=rng.choice((0, 1, 1, 2)))
            n = max(1, toll + rng.randint(-3, 3))
            at_least = rng.random() < 0.3
            if lang == "en":
                wd = _WEEKDAYS_EN[d.weekday()]
                q = "At least " if at_least else ""
                if shelling:
                    lead = (
                        f"{q}{n} people were killed and {n + 5} injured in shelling of "
                        f"{town[0]} in {town[2]} on {wd}, local officials said."
                    )
                else:
                    lead = (
                        f"{town[4]} air strikes killed {q.lower()}{n} people in {town[0]} in "
                        f"{town[2]} on {wd}, a monitoring group said."
                    )
                total = (
                    f"Since the start of the month, a total of {toll * 7} civilians have been "
                    f"killed in {town[2]}, according to the United Nations."
                )
            else:
                wd = _WEEKDAYS_NL[d.weekday()]
                q = "zeker " if at_least else ""
                if shelling:
                    lead = (
                        f"Bij beschietingen van {town[1]} in {town[3]} zijn {wd} {q}{n} "
                        "burgers omgekomen, zeggen lokale autoriteiten."
                    )
                else:
                    lead = (
                        f"Bij {town[5]} luchtaanvallen op {town[1]} in {town[3]} zijn {wd} "
                        f"{q}{n} doden gevallen, meldt een waarnemersgroep."
                    )
                total = (
                    f"Sinds het begin van de maand zijn in totaal {toll * 7} burgers om het leven "
                    f"gekomen in {town[3]}, volgens de Verenigde Naties."
                )
            paras = [lead, *_filler(rng, lang, rng.randint(4, 7))]
            if rng.random() < 0.15:
                paras.insert(2, total)
            outlet = rng.choice(_OUTLETS_NL if lang == "nl" else _OUTLETS_EN)
            rec: dict[str, object] = {
                "text": "\n\n".join(paras),
                "published": pub.isoformat(),
                "source_name": outlet,
                "lang": lang,
                "url": f"https://example.org/{outlet.lower().replace(' ', '-')}/{len(out)}",
            }
            out.append(rec)
            if rng.random() < 0.05:  # a syndicated copy on another site
                copy = dict(rec)
                copy["text"] = f"{rec['text']}\n\nThis story was republished from {outlet}."
                copy["source_name"] = rng.choice(_SYNDICATORS)
                copy["url"] = f"https://example.org/syndicated/{len(out)}"
                out.append(copy)
            if rng.random() < 0.02:  # the same text fed twice
                out.append(dict(rec))
    return out[:n_reports]
