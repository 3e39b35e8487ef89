"""Fixtures for the browser tests: Debian's Chromium driven by Playwright for Python, and a
live ``sitrep serve`` on a free loopback port with the seed article, a second report and an
attacker's article ingested through the API.

Without Chromium (or Playwright) the tests skip with the reason; under CI they fail instead
(``scripts/ci_browser.sh`` installs Chromium). Playwright's own browser downloads are never
used. Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sitrep.serve.testing import (
    CHROMIUM_ARGS,
    XSS_SOURCE,
    XSS_TEXT,
    XSS_TITLE,
    XSS_URL,
    LiveServer,
    chromium_path,
    in_ci,
    seed_dataset,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
TOKEN = "browser-test-token"


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return "fastapi/uvicorn are not installed (pip install -e .)"
    if chromium_path() is None:
        return "Chromium is not installed: apt-get install -y chromium (scripts/ci_browser.sh)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _unavailable()
    if reason is not None:
        if in_ci():
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Site:
    url: str
    xss_incident: str
    xss_report: str


@pytest.fixture(scope="session")
def site(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    import httpx

    from sitrep.serve import Settings, create_app

    db = seed_dataset(
        tmp_path_factory.mktemp("browser") / "site.db",
        seed_text=(ROOT / "tests" / "data" / "seed.nl.txt").read_text("utf-8"),
    )
    app = create_app(Settings(db=db, token=TOKEN, fetch_urls=False))
    with LiveServer(app) as server:
        # the attacker's article comes in the way any report would: through the API
        r = httpx.post(
            server.url + "/api/reports",
            json={
                "text": XSS_TEXT,
                "published": "2018-06-20",
                "source_name": XSS_SOURCE,
                "title": XSS_TITLE,
                "url": XSS_URL,
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        assert r.status_code == 201, r.text
        out = r.json()
        yield Site(server.url, out["incidents"][0], out["report_id"])


@dataclass
class Watched:
    """A page with what it did that it should not: console errors, uncaught exceptions,
    dialogs (alert from a payload) and requests leaving the server (offline)."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def shot(self, name: str, *, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.outside == [], self.outside


def _watched(browser: Any, site: Site, viewport: dict[str, int]) -> Iterator[Watched]:
    context = browser.new_context(viewport=viewport, service_workers="block")
    page = context.new_page()
    w = Watched(page)

    def route(r: Any) -> None:
        if r.request.url.startswith(site.url + "/"):
            r.continue_()
        else:
            w.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(f"uncaught: {e}"))

    def dialog(d: Any) -> None:
        w.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.set_default_timeout(15_000)
    try:
        yield w
    finally:
        context.close()


@pytest.fixture()
def laptop(browser: Any, site: Site) -> Iterator[Watched]:
    yield from _watched(browser, site, {"width": 1280, "height": 900})


@pytest.fixture()
def phone(browser: Any, site: Site) -> Iterator[Watched]:
    yield from _watched(browser, site, {"width": 390, "height": 844})
