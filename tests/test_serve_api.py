"""The REST API of ``sitrep serve``: incidents (pages, filters, GeoJSON), one incident with its
quotes, statistics, reports, extraction, authenticated ingest, errors as JSON, and the safety
rules (CSP, body caps, parameterised SQL, no paths, read-only without a token)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

import httpx
from fastapi.testclient import TestClient

from sitrep.serve import Settings, create_app
from sitrep.serve.testing import SARAQIB, free_port, seed_dataset

ROOT = Path(__file__).resolve().parent
TOKEN = "s3cret-token"
MUSAYFIRAH = "d4807471016e8fe8"
ARSAL = "0568b1ebf91e3798"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("serve") / "seed.db"
    return seed_dataset(path, seed_text=(ROOT / "data" / "seed.nl.txt").read_text("utf-8"))


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db))) as c:
        yield c


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[TestClient]:
    db = seed_dataset(tmp_path / "w.db", seed_text=(ROOT / "data" / "seed.nl.txt").read_text())
    with TestClient(create_app(Settings(db=db, token=TOKEN))) as c:
        yield c


def _ids(body: dict[str, Any]) -> list[str]:
    return [r["id"] for r in body["items"]]


# --- incidents ---------------------------------------------------------------------------------


def test_default_page_lists_the_seed_incidents_newest_first(client: TestClient) -> None:
    r = client.get("/api/incidents")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert (body["total"], body["limit"], body["offset"]) == (3, 50, 0)
    places = [i["place"]["location"] for i in body["items"]]
    assert places == ["Arsal", "Al-Musayfirah", "Saraqib"]
    assert [i["date"]["start"] for i in body["items"]] == ["2018-06-28", "2018-06-28", "2018-06-04"]
    first = body["items"][1]
    assert first["id"] == MUSAYFIRAH
    assert first["created_at"].endswith("+00:00") and first["updated_at"]
    killed = next(f for f in first["figures"] if f["kind"] == "killed" and f["group"] is None)
    assert killed["best"] == 21 and killed["qualifier"] == "more_than"
    assert first["sources"][0]["source_name"] == "NOS"


def test_pagination_and_running_totals(client: TestClient) -> None:
    every = client.get("/api/incidents", params={"running_totals": "true"}).json()
    assert every["total"] == 7
    pages = [
        client.get(
            "/api/incidents", params={"running_totals": "true", "limit": 3, "offset": o}
        ).json()
        for o in (0, 3, 6)
    ]
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert [i for p in pages for i in _ids(p)] == _ids(every)
    assert client.get("/api/incidents", params={"offset": 50}).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "LB"}, {ARSAL}),
        ({"country": "Syrië"}, {MUSAYFIRAH, "9c1c228982bc23a3"}),
        ({"type": "airstrike"}, {MUSAYFIRAH, "9c1c228982bc23a3"}),
        ({"type": "Displacement"}, {ARSAL}),
        ({"min_killed": 15}, {MUSAYFIRAH}),
        ({"since": "2018-06-10", "until": "2018-06-30"}, {MUSAYFIRAH, ARSAL}),
        ({"until": "2018-06-10"}, {"9c1c228982bc23a3"}),
        ({"actor": "russia"}, {MUSAYFIRAH, "9c1c228982bc23a3"}),
        ({"source": "reuters"}, {"9c1c228982bc23a3"}),
        ({"search": "schuilkelder"}, {MUSAYFIRAH}),
        ({"bbox": "36,33,37,35"}, {ARSAL}),
        ({"grade": "single_source"}, {MUSAYFIRAH, ARSAL, "9c1c228982bc23a3"}),
        ({"min_sources": 2}, set()),
    ],
)
def test_filters_are_the_datasets(
    client: TestClient, params: dict[str, Any], expected: set[str]
) -> None:
    body = client.get("/api/incidents", params=params).json()
    assert set(_ids(body)) == expected
    assert body["total"] == len(expected)


def test_geojson_has_a_point_per_placed_incident(client: TestClient) -> None:
    r = client.get("/api/incidents", params={"format": "geojson"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["total"] == 3
    by_place = {f["properties"]["location"]: f for f in fc["features"]}
    assert set(by_place) == {"Al-Musayfirah", "Arsal", "Saraqib"}
    mus = by_place["Al-Musayfirah"]
    assert mus["geometry"]["type"] == "Point"
    lon, lat = mus["geometry"]["coordinates"]
    assert 32 < lat < 33.5 and 35.5 < lon < 37
    assert mus["properties"]["killed"] == 21 and mus["properties"]["cumulative"] is False
    assert by_place["Arsal"]["properties"]["country"] == "LB"


def test_fast_sqlite_reads_match_the_generic_path(db: str) -> None:
    """The SQLite fast path (raw DB-API, SQLite's json_object) gives exactly what the
    SQLAlchemy path (used for PostgreSQL) gives."""
    from sitrep.serve import data
    from sitrep.store.query import Filters

    app = create_app(Settings(db=db))
    st = app.state.sitrep
    assert st.sqlite is not None
    store = st.reader.store()
    for f in (
        Filters(),
        Filters(running_totals=True),
        Filters(country="SY,LB", since=date(2018, 6, 1), min_killed=1),
        Filters(search="Saraqib", ids=[MUSAYFIRAH, "9c1c228982bc23a3"]),
    ):
        for limit, offset in ((50, 0), (2, 1)):
            fast = st.sqlite.page(f, limit, offset, data.VersionedCache())
            slow = data.page_json(store, f, limit, offset, data.VersionedCache())
            assert fast is not None
            assert fast[0] == slow[0]
            assert [json.loads(x) for x in fast[1]] == [json.loads(x) for x in slow[1]]
            ftotal, ffeats = st.sqlite.features(f, limit, offset, data.VersionedCache())
            stotal, sfeats = data.features(store, f, limit, offset, data.VersionedCache())
            assert ftotal == stotal and [json.loads(x) for x in ffeats] == sfeats
    st.reader.close()


def test_counts_follow_new_data(writable: TestClient) -> None:
    before = writable.get("/api/incidents").json()["total"]
    text = (
        "KYIV (AP) - Russian shelling killed four people in the city of Kharkiv on Tuesday, "
        "the regional governor said."
    )
    r = writable.post(
        "/api/reports",
        json={"text": text, "published": "2022-05-04", "source_name": "AP", "lang": "en"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 201, r.text
    after = writable.get("/api/incidents").json()
    assert after["total"] == before + 1
    assert after["items"][0]["place"]["location"] == "Kharkiv"


# --- one incident, its quotes, its reports ---------------------------------------------------


def test_incident_has_sources_figures_and_quotes_with_offsets(client: TestClient) -> None:
    r = client.get(f"/api/incidents/{MUSAYFIRAH}")
    assert r.status_code == 200
    rec = r.json()
    (src,) = rec["sources"]
    assert src["source_name"] == "NOS" and "Syrian Observatory" in src["attributed_to"][0]
    figure = src["events"][0]["figures"][0]
    assert figure["evidence"]["text"] == "meer dan twintig"
    quote = next(q for q in src["quotes"] if "SOHR" in q["sentence"])
    (h,) = quote["highlights"]
    assert quote["sentence"][h["start"] : h["end"]] == "meer dan twintig" == h["text"]
    assert (h["kind"], h["best"], h["qualifier"]) == ("killed", 21, "more_than")
    text = (ROOT / "data" / "seed.nl.txt").read_text("utf-8")
    assert text[quote["start"] : quote["end"]] == quote["sentence"]
    assert text[figure["evidence"]["start"] : figure["evidence"]["end"]] == "meer dan twintig"
    # a unique prefix is enough; ids are case-insensitive
    assert client.get(f"/api/incidents/{MUSAYFIRAH[:8].upper()}").json()["id"] == MUSAYFIRAH


@pytest.mark.parametrize(
    "ident", ["ffffffffffffffff", "abc", "../../etc/passwd", "x" * 300, "%00", "d48 07"]
)
def test_unknown_incidents_are_404_json(client: TestClient, ident: str) -> None:
    r = client.get(f"/api/incidents/{ident}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["status"] == 404 and r.json()["message"]


def test_a_merged_away_incident_is_gone_with_a_pointer(writable: TestClient) -> None:
    import sqlalchemy as sa

    from sitrep.store.engine import now
    from sitrep.store.schema import changes

    store = writable.app.state.sitrep.writer.store(write=True)
    with store.write() as conn:
        conn.execute(
            sa.insert(changes).values(
                changed_at=now(), change="merged", incident_id="abcdef0123456789", new_id=ARSAL
            )
        )
    r = writable.get("/api/incidents/abcdef0123456789")
    assert r.status_code == 410
    assert ARSAL in r.json()["message"]


def test_report_has_its_text_and_highlights(client: TestClient) -> None:
    rid = client.get(f"/api/incidents/{MUSAYFIRAH}").json()["sources"][0]["report_id"]
    r = client.get(f"/api/reports/{rid}")
    assert r.status_code == 200
    rep = r.json()
    assert rep["text"] == (ROOT / "data" / "seed.nl.txt").read_text("utf-8")
    assert "name" not in rep  # an input name can be a path on the ingesting machine
    assert MUSAYFIRAH in rep["incidents"] and ARSAL in rep["incidents"]
    marked = [rep["text"][h["start"] : h["end"]] for h in rep["highlights"]]
    assert "meer dan twintig" in marked and "Minstens zeventien" in marked
    assert all(rep["text"][h["start"] : h["end"]] == h["text"] for h in rep["highlights"])
    assert client.get("/api/reports/0000000000000000").status_code == 404
    assert client.get("/api/reports/..%2F..%2Fpyproject.toml").status_code == 404


# --- statistics -----------------------------------------------------------------------------------


def test_stats_series_by_day_week_month(client: TestClient) -> None:
    day = client.get("/api/stats", params={"by": "day"}).json()
    assert day["by"] == "day"
    assert [(p["period"], p["incidents"], p["killed"]) for p in day["series"]] == [
        ("2018-06-04", 1, 12),
        ("2018-06-28", 2, 21),
    ]
    week = client.get("/api/stats", params={"by": "week"}).json()["series"]
    assert [p["period"] for p in week] == ["2018-06-04", "2018-06-25"]
    month = client.get("/api/stats", params={"by": "month", "country": "SY"}).json()["series"]
    assert [(p["period"], p["killed"]) for p in month] == [("2018-06-01", 33)]
    grouped = client.get("/api/stats", params={"group": "country"}).json()["series"]
    assert {p["group"] for p in grouped} == {"SY", "LB"}


# --- extraction (nothing stored) -------------------------------------------------------------


def test_extract_text_returns_events_and_highlights(client: TestClient) -> None:
    text = (ROOT / "data" / "seed.nl.txt").read_text("utf-8")
    r = client.post("/api/extract", json={"text": text, "published": "2018-06-28"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["lang"] == "nl" and out["text"] == text
    assert len(out["events"]) == 7
    assert {h["text"] for h in out["highlights"]} >= {"meer dan twintig", "zo’n vierhonderd"}
    assert all(out["text"][h["start"] : h["end"]] == h["text"] for h in out["highlights"])
    airstrike = next(e for e in out["events"] if e["event"] == "airstrike")
    assert airstrike["date"]["start"] == "2018-06-28"
    assert client.get("/api/incidents").json()["total"] == 3  # nothing was stored


def test_extract_text_with_its_url_is_not_fetched(client: TestClient) -> None:
    url = "https://news.example/saraqib?x=1"
    out = client.post("/api/extract", json={"text": SARAQIB, "url": url}).json()
    assert out["url"] == url and out["events"][0]["report"]["url"] == url


def test_extract_offsets_count_code_points(client: TestClient) -> None:
    text = "🙂🙂 " + SARAQIB
    out = client.post("/api/extract", json={"text": text, "published": "2018-06-05"}).json()
    (h,) = out["highlights"]
    assert out["text"][h["start"] : h["end"]] == h["text"] == "12"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 400, "either 'text'"),
        ({"text": SARAQIB, "url": "javascript:alert(1)"}, 400, "only http"),
        ({"text": "   "}, 422, "empty"),
        ({"text": "Le chat est sur la table et il dort depuis ce matin."}, 422, "no lexicon"),
        ({"url": "file:///etc/passwd"}, 400, "only http"),
        ({"url": "http://user:pw@example.org/"}, 400, "credentials"),
        ({"text": "x", "lang": "fr"}, 422, "lang"),
        ({"text": "x", "extra": 1}, 422, "extra"),
    ],
)
def test_extract_refuses_bad_input_in_one_line(
    client: TestClient, body: dict[str, Any], status: int, words: str
) -> None:
    r = client.post("/api/extract", json=body)
    assert r.status_code == status, r.text
    assert words in r.json()["message"]


class _Page(BaseHTTPRequestHandler):
    """A local news site: an article page, robots.txt, and a page too large to fetch."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path == "/big":
            body, ctype = b"<html><body>" + b"a " * 400_000 + b"</body></html>", "text/html"
        else:
            paragraphs = "".join(
                f"<p>{SARAQIB}</p>" if i == 0 else f"<p>{FILLER}</p>" for i in range(4)
            )
            body = (
                "<html><head><title>Strikes on Saraqib</title></head><body><nav>Menu</nav>"
                f"<article><h1>Strikes on Saraqib</h1>{paragraphs}</article></body></html>"
            ).encode()
            ctype = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


FILLER = (
    "Residents said the market had been busy before the attack, and rescue workers searched "
    "the rubble for survivors well into the night while families waited nearby for news."
)


@pytest.fixture()
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_extract_fetches_a_url_within_caps(db: str, site: str) -> None:
    settings = Settings(db=db, allow_private_urls=True, fetch_max_bytes=200_000)
    with TestClient(create_app(settings)) as c:
        r = c.post("/api/extract", json={"url": site + "/article", "published": "2018-06-05"})
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["title"] == "Strikes on Saraqib" and out["url"].endswith("/article")
        assert [e["event"] for e in out["events"]] == ["airstrike"]
        assert "Menu" not in out["text"]
        big = c.post("/api/extract", json={"url": site + "/big"})
        assert big.status_code == 422 and "too large" in big.json()["message"]


def test_extract_never_fetches_private_addresses(client: TestClient, site: str) -> None:
    r = client.post("/api/extract", json={"url": site + "/article"})
    assert r.status_code == 422
    assert "not a public address" in r.json()["message"]
    for url in ("http://169.254.169.254/latest/meta-data/", "http://[::1]:9/", "http://10.0.0.1/"):
        r = client.post("/api/extract", json={"url": url})
        assert r.status_code == 422 and "not a public address" in r.json()["message"], url


def test_url_fetching_can_be_turned_off(db: str) -> None:
    with TestClient(create_app(Settings(db=db, fetch_urls=False))) as c:
        r = c.post("/api/extract", json={"url": "https://example.org/"})
        assert r.status_code == 403


# --- writing needs the token -------------------------------------------------------------------


def test_read_only_without_a_configured_token(client: TestClient) -> None:
    r = client.post(
        "/api/reports", json={"text": SARAQIB}, headers={"Authorization": "Bearer anything"}
    )
    assert r.status_code == 403 and "read-only" in r.json()["message"]
    assert client.get("/api/health").json()["writable"] is False


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "]
)
def test_ingest_refused_without_the_right_token(writable: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = writable.post("/api/reports", json={"text": SARAQIB}, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert writable.get("/api/incidents").json()["total"] == 3


def test_ingest_with_the_token_stores_and_merges(writable: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = SARAQIB.replace("(Reuters)", "(AFP)").replace("12 civilians", "14 civilians")
    body = {"text": text, "published": "2018-06-05", "source_name": "AFP", "lang": "en"}
    r = writable.post("/api/reports", json=body, headers=auth)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "done" and out["n_events"] == 1
    (iid,) = out["incidents"]
    rec = writable.get(f"/api/incidents/{iid}").json()
    assert {s["source_name"] for s in rec["sources"]} == {"Reuters", "AFP"}
    again = writable.post("/api/reports", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    bad = writable.post("/api/reports", json={"text": "Bonjour tout le monde."}, headers=auth)
    assert bad.status_code == 422 and "not stored" in bad.json()["message"]


def test_token_comes_from_the_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_API_TOKEN", "from-env")
    assert Settings.from_env(db=db).token == "from-env"
    monkeypatch.setenv("SITREP_API_TOKEN", "")
    assert Settings.from_env(db=db).token is None


# --- errors, limits and headers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "params", "status"),
    [
        ("GET", "/api/nothing", None, 404),
        ("DELETE", "/api/incidents", None, 405),
        ("GET", "/api/incidents", {"limit": "0"}, 422),
        ("GET", "/api/incidents", {"limit": "5000"}, 400),
        ("GET", "/api/incidents", {"format": "geojson", "limit": "20000"}, 422),
        ("GET", "/api/incidents", {"since": "yesterday"}, 422),
        ("GET", "/api/incidents", {"since": "2018-07-01", "until": "2018-06-01"}, 400),
        ("GET", "/api/incidents", {"country": "Narnia"}, 400),
        ("GET", "/api/incidents", {"bbox": "1,2,3"}, 400),
        ("GET", "/api/incidents", {"bbox": "nan,0,1,1"}, 400),
        ("GET", "/api/incidents", {"actor": "a\x00b"}, 400),
        ("GET", "/api/incidents", {"min_killed": str(10**30)}, 422),
        ("GET", "/api/stats", {"by": "year"}, 422),
    ],
)
def test_errors_are_json_with_a_message(
    client: TestClient, method: str, path: str, params: dict[str, str] | None, status: int
) -> None:
    r = client.request(method, path, params=params)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status"] == status and isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in r.text


def test_sql_goes_through_bound_parameters(client: TestClient) -> None:
    for hostile in ("' OR 1=1 --", "%", "_", "\\", "'); DROP TABLE incidents; --"):
        for key in ("actor", "search", "source", "admin1", "type"):
            r = client.get("/api/incidents", params={key: hostile})
            assert r.status_code == 200, (key, hostile)
            assert r.json()["total"] == 0, (key, hostile)
    assert client.get("/api/incidents").json()["total"] == 3


def test_body_size_is_capped(db: str) -> None:
    with TestClient(create_app(Settings(db=db, max_body=4096))) as c:
        r = c.post("/api/extract", json={"text": "x" * 5000})
        assert r.status_code == 413 and "limit" in r.json()["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: cut off while streaming
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 1000
            yield b'"}'

        r = c.post("/api/extract", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413


def test_security_headers_and_strict_csp(client: TestClient) -> None:
    for path in ("/", "/api/incidents", "/static/app.js", "/api/nothing"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
    tiles = Settings(db=client.app.state.sitrep.settings.db)
    tiles.tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    with TestClient(create_app(tiles)) as c:
        csp = c.get("/").headers["content-security-policy"]
        assert "img-src 'self' data: https://tile.openstreetmap.org" in csp
        assert c.get("/api/config").json()["tiles"] == tiles.tiles


def test_the_page_has_no_inline_code_and_everything_is_local(client: TestClient) -> None:
    from html.parser import HTMLParser

    class Audit(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.problems: list[str] = []
            self.sources: list[str] = []
            self.in_script = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names = dict(attrs)
            self.problems += [f"{tag} {k}" for k in names if k.startswith("on") or k == "style"]
            if tag == "style":
                self.problems.append("<style>")
            if tag == "script":
                self.in_script = True
                self.problems += [] if names.get("src") else ["inline <script>"]
            for k in ("src", "href"):
                if names.get(k):
                    self.sources.append(names[k] or "")

        def handle_endtag(self, tag: str) -> None:
            self.in_script = self.in_script and tag != "script"

        def handle_data(self, data: str) -> None:
            if self.in_script and data.strip():
                self.problems.append("script content")

    audit = Audit()
    audit.feed(client.get("/").text)
    assert audit.problems == []
    assert audit.sources and all(s.startswith("/static/") for s in audit.sources)
    for asset in (
        "/static/app.js",
        "/static/app.css",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/topojson-client/topojson-client.min.js",
        "/static/vendor/world-atlas/countries-50m.json",
        "/favicon.ico",
    ):
        assert client.get(asset).status_code == 200, asset
    for licence in ("leaflet", "topojson-client", "world-atlas"):
        assert client.get(f"/static/vendor/{licence}/LICENSE").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"):
        assert client.get(path).status_code == 404, path
    assert "innerHTML" not in client.get("/static/app.js").text


def test_openapi_schema_is_published(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/stats",
        "/api/reports/{report_id}",
        "/api/extract",
        "/api/reports",
    }
    params = {p["name"] for p in schema["paths"]["/api/incidents"]["get"]["parameters"]}
    assert {"country", "since", "until", "type", "actor", "min_killed", "limit", "offset"} <= params
    assert "FeatureCollection" in schema["components"]["schemas"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_health_and_config(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "incidents": 7, "writable": False}
    config = client.get("/api/config").json()
    assert config["tiles"] is None and config["fetch_urls"] is True


def test_missing_database_is_one_clear_error(tmp_path: Path) -> None:
    from sitrep.errors import SitrepError

    with pytest.raises(SitrepError, match="no such database"):
        create_app(Settings(db=str(tmp_path / "none.db")))
    # with a token the server can start empty and be fed through the API
    app = create_app(Settings(db=str(tmp_path / "new.db"), token=TOKEN))
    with TestClient(app) as c:
        assert c.get("/api/incidents").json()["total"] == 0


# --- the command ----------------------------------------------------------------------------------


def test_cli_help_and_bad_db(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sitrep.serve.cli import serve

    runner = CliRunner()
    r = runner.invoke(serve, ["--help"])
    assert r.exit_code == 0 and "--port" in r.output and "SITREP_API_TOKEN" in r.output
    r = runner.invoke(serve, ["--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 1
    assert "no such database" in r.output and "Traceback" not in r.output


def test_cli_serves_and_stops_cleanly(db: str) -> None:
    port = free_port()
    env = dict(os.environ)
    env.pop("SITREP_API_TOKEN", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from sitrep.serve.cli import serve; sys.exit(serve())",
            "--db",
            db,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.communicate()[1].decode()) from None
                time.sleep(0.1)
        assert r.json()["incidents"] == 7
        page = httpx.get(f"http://127.0.0.1:{port}/")
        assert "sitrep" in page.text and page.headers["content-security-policy"]
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err.decode()
    assert "read-only" in err.decode()


# --- PostgreSQL ---------------------------------------------------------------------------------


def test_the_api_on_postgresql_matches_sqlite(client: TestClient) -> None:
    """The generic path (SQLAlchemy, JSONB) answers what the SQLite fast path answers."""
    from sitrep.store.testing import fresh_pg_database

    with fresh_pg_database() as url:
        seed_dataset(url, seed_text=(ROOT / "data" / "seed.nl.txt").read_text("utf-8"))
        with TestClient(create_app(Settings(db=url, token=TOKEN))) as pg:
            assert pg.app.state.sitrep.sqlite is None
            for path, params in [
                ("/api/incidents", {}),
                ("/api/incidents", {"running_totals": "true", "limit": 3, "offset": 2}),
                ("/api/incidents", {"country": "Syrië", "since": "2018-06-01"}),
                ("/api/incidents", {"format": "geojson"}),
                ("/api/incidents", {"search": "schuilkelder", "actor": "' OR 1=1 --"}),
                ("/api/stats", {"by": "week", "group": "country"}),
                (f"/api/incidents/{MUSAYFIRAH}", {}),
            ]:
                a, b = pg.get(path, params=params), client.get(path, params=params)
                assert a.status_code == b.status_code == 200, (path, a.text)
                ja, jb = a.json(), b.json()
                for body in (ja, jb):
                    for item in body.get("items", []) if isinstance(body, dict) else []:
                        item.pop("created_at"), item.pop("updated_at")
                    if isinstance(body, dict) and "created_at" in body:
                        body.pop("created_at"), body.pop("updated_at")
                assert ja == jb, path
            rid = pg.get(f"/api/incidents/{MUSAYFIRAH}").json()["sources"][0]["report_id"]
            assert (
                pg.get(f"/api/reports/{rid}").json()["highlights"]
                == (client.get(f"/api/reports/{rid}").json()["highlights"])
            )
            r = pg.post(
                "/api/reports",
                json={"text": SARAQIB.replace("12", "13"), "published": "2018-06-05"},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            assert r.status_code == 201, r.text
            assert pg.get("/api/incidents").json()["total"] == 3  # merged into Saraqib's
