"""The web page in a real browser (Debian's Chromium via Playwright): it loads offline with no
console errors, maps the seed article's incidents, the timeline filters the map, the incident
panel quotes the SOHR sentence with the number marked, the paste box extracts and highlights,
an attacker's article stays inert, and the page works on a phone screen.

Screenshots: test-artifacts/browser/*.png."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from conftest import Site, Watched

MARKERS = "path.incident-marker"


def _open(w: Watched, site: Site, path: str = "/") -> Any:
    page = w.page
    page.goto(site.url + path)
    page.wait_for_selector("body[data-loaded]")
    page.wait_for_selector("#map path.country", state="attached")  # offline base map drawn
    return page


def _locations(page: Any) -> list[str]:
    return sorted(
        page.eval_on_selector_all(MARKERS, "els => els.map(e => e.getAttribute('data-location'))")
    )


def test_page_loads_offline_without_errors_and_maps_the_seed(laptop: Watched, site: Site) -> None:
    page = _open(laptop, site)
    assert _locations(page) == ["Al-Musayfirah", "Arsal", "Saraqib", "Saraqib"]
    assert "4 incidents match" in page.inner_text("#status")
    box = page.locator("#map").bounding_box()
    centre: dict[str, tuple[float, float]] = {}
    for name in ("Al-Musayfirah", "Arsal"):
        marker = page.locator(f'{MARKERS}[data-location="{name}"]')
        assert marker.is_visible()
        b = marker.bounding_box()
        centre[name] = (b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
        assert box["x"] < centre[name][0] < box["x"] + box["width"]
        assert box["y"] < centre[name][1] < box["y"] + box["height"]
    # Arsal (34.2 N) is drawn north of Al-Musayfirah (32.6 N), at about the same longitude
    assert centre["Arsal"][1] < centre["Al-Musayfirah"][1]
    # sized by deaths: 21 killed draws a larger circle than a return of refugees
    size = {
        n: page.locator(f'{MARKERS}[data-location="{n}"]').bounding_box()["width"]
        for n in ("Al-Musayfirah", "Arsal")
    }
    assert size["Al-Musayfirah"] > 2 * size["Arsal"]
    # coloured by event type: the airstrike and the return differ
    fills = page.eval_on_selector_all(
        MARKERS,
        "els => Object.fromEntries(els.map(e => [e.dataset.location, e.getAttribute('fill')]))",
    )
    assert fills["Al-Musayfirah"] != fills["Arsal"]
    laptop.shot("01-overview")
    laptop.clean()


def test_timeline_brush_filters_the_map(laptop: Watched, site: Site) -> None:
    page = _open(laptop, site)
    chart = page.locator("#timeline svg")
    assert page.locator("#timeline rect.bar-killed").count() == 3  # June 4, 19 and 28
    b = chart.bounding_box()
    y = b["y"] + 20
    page.mouse.move(b["x"] + b["width"] * 0.85, y)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] * 0.92, y, steps=4)
    page.mouse.move(b["x"] + b["width"] - 2, y, steps=4)
    page.mouse.up()
    expect(page.locator(MARKERS)).to_have_count(2)
    assert _locations(page) == ["Al-Musayfirah", "Arsal"]
    assert page.locator("#incident-list li").count() == 2
    assert "2018-06-28" in page.inner_text("#brush-label")
    assert page.locator("#timeline rect.brush").get_attribute("visibility") == "visible"
    laptop.shot("02-timeline-brushed")
    page.click("#brush-clear")
    expect(page.locator(MARKERS)).to_have_count(4)
    # the filters narrow the timeline and the map together
    page.fill("#f-country", "LB")
    page.press("#f-country", "Enter")
    expect(page.locator(MARKERS)).to_have_count(1)
    assert _locations(page) == ["Arsal"]
    laptop.clean()


def test_incident_panel_quotes_sohr_with_the_number_marked(laptop: Watched, site: Site) -> None:
    page = _open(laptop, site)
    page.click(f'{MARKERS}[data-location="Al-Musayfirah"]')
    quote = page.locator("#incident blockquote.quote", has_text="SOHR")
    quote.wait_for()
    assert "Al-Musayfirah" in page.inner_text("#incident h2")
    mark = quote.locator("mark")
    assert mark.count() == 1
    assert mark.inner_text() == "meer dan twintig"
    assert mark.get_attribute("data-kind") == "killed"
    assert "killed: 21 (more_than)" in mark.get_attribute("title")
    assert page.locator("#incident .source h3").first.inner_text() == "NOS"
    assert page.locator("#incident table.figures").inner_text().count("21") >= 2
    # the whole report, every figure marked
    page.click("#incident .source button.show-report")
    report = page.locator("#incident .report-text")
    report.wait_for()
    marked = report.locator("mark").all_inner_texts()
    assert {"meer dan twintig", "Minstens zeventien", "zo’n vierhonderd"} <= set(marked)
    assert page.locator(f'{MARKERS}.selected[data-location="Al-Musayfirah"]').count() == 1
    laptop.shot("03-incident-panel")
    laptop.clean()


def test_paste_box_extracts_and_highlights(laptop: Watched, site: Site) -> None:
    page = _open(laptop, site)
    page.fill(
        "#paste-text",
        "KYIV (AP) - Russian shelling killed four people and wounded nine others in the city "
        "of Kharkiv on Tuesday, the regional governor said.",
    )
    page.fill("#paste-published", "2022-05-04")
    page.select_option("#paste-lang", "en")
    page.click("#paste-go")
    page.wait_for_selector("#paste-result .paste-summary")
    assert page.inner_text("#paste-result .paste-summary").startswith("1 event, 2 figures")
    marks = page.locator("#paste-result .report-text mark")
    assert marks.all_inner_texts() == ["four", "nine"]
    assert [marks.nth(i).get_attribute("data-kind") for i in range(2)] == ["killed", "injured"]
    assert "shelling" in page.inner_text("#paste-result ol.events")
    assert "2022-05-03" in page.inner_text("#paste-result ol.events")
    page.locator(".paste-box").scroll_into_view_if_needed()
    laptop.shot("04-paste-box")
    # nothing was stored
    assert page.locator(MARKERS).count() == 4
    laptop.clean()


def test_xss_payloads_stay_inert(laptop: Watched, site: Site) -> None:
    page = _open(laptop, site)
    title = page.title()
    page.click(f'#incident-list button[data-id="{site.xss_incident}"]')
    panel = page.locator("#incident")
    panel.locator("blockquote.quote").first.wait_for()
    page.click("#incident .source button.show-report")
    panel.locator(".report-text").wait_for()
    # paste the same payload: extraction output is rendered the same careful way
    page.fill(
        "#paste-text",
        page.evaluate("() => document.querySelector('#incident .report-text').textContent"),
    )
    page.click("#paste-go")
    page.wait_for_selector("#paste-result .paste-summary")
    page.wait_for_timeout(300)  # give any payload the chance to run

    text = panel.inner_text()
    assert "<script>window.__xss=2;alert(2)</script>" in text  # shown as text
    assert '<img src=x onerror="window.__xss=1;alert(1)">' in text
    assert '<img src=x onerror="window.__xss=3">Evil News' in text  # the outlet's name
    assert "<script>window.__xss=4</script>Title" in text  # the title
    assert page.evaluate("() => window.__xss") is None
    assert page.title() == title
    for where in ("#incident", "#paste-result", "#incident-list", ".leaflet-tooltip-pane"):
        injected = page.eval_on_selector_all(
            f"{where} img, {where} script, {where} svg, {where} b, {where} iframe",
            "els => els.length",
        )
        assert injected == 0, where
    link = panel.locator(".source .meta a")
    assert link.get_attribute("href").startswith("https://evil.example/a?q=")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    # hovering the marker shows its tooltip as text too
    page.hover(f'{MARKERS}[data-id="{site.xss_incident}"]', force=True)
    laptop.shot("05-xss-inert")
    laptop.clean()  # no dialog, no console error (a CSP violation would be one), no request out


def test_phone_layout(phone: Watched, site: Site) -> None:
    page = _open(phone, site)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the screen
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] > 330 and map_box["height"] > 250
    timeline = page.locator("#timeline svg").bounding_box()
    assert timeline["y"] > map_box["y"] + map_box["height"]  # stacked, not side by side
    page.click('#incident-list button:has-text("Al-Musayfirah")')
    page.locator("#incident mark", has_text="meer dan twintig").wait_for()
    panel = page.locator("#incident").bounding_box()
    assert panel["width"] > 330
    phone.shot("06-phone", full_page=True)
    phone.clean()
