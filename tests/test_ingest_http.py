"""Fetching pages and feeds from a local server: bounds, retries, robots.txt, politeness."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from sitrep.errors import InputError
from sitrep.ingest import Fetcher, InputFailure, InputItem, iter_inputs, process_inputs
from sitrep.ingest.fetch import USER_AGENT, InputSkipped
from test_ingest_server import HUGE_BYTES, LocalServer


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def fetcher(**kw: object) -> Fetcher:
    opts: dict[str, object] = {
        "timeout": 0.5,
        "retries": 2,
        "backoff": 0.01,
        "delay": 0.0,
        "max_bytes": 1024 * 1024,
        "trust_env": False,
    }
    opts.update(kw)
    return Fetcher(**opts)  # type: ignore[arg-type]


def reason(f: Fetcher, url: str) -> str:
    with pytest.raises(InputError) as info:
        f.fetch(url)
    return info.value.reason


def test_page_is_fetched_with_a_clear_user_agent(local_server: LocalServer) -> None:
    with fetcher() as f:
        got = f.fetch(local_server.url("/article/1.html"))
    assert got.status == 200 and got.content_type == "text/html" and got.charset == "utf-8"
    assert b"luchtaanval" in got.body
    agents = {h.get("User-Agent") for p, _, h in local_server.requests if p == "/article/1.html"}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("sitrep/") and "(+https://github.com/sitrep)" in USER_AGENT


def test_redirects_are_followed_and_capped(local_server: LocalServer) -> None:
    with fetcher(max_redirects=3) as f:
        got = f.fetch(local_server.url("/redirect/3"))
        assert got.url.endswith("/article/7.html")
        assert "too many redirects" in reason(f, local_server.url("/redirect/4"))
        assert "too many redirects" in reason(f, local_server.url("/loop"))


def test_http_errors_and_retries(local_server: LocalServer) -> None:
    with fetcher() as f:
        assert reason(f, local_server.url("/missing")) == "HTTP 404 Not Found"
        before = local_server.hits["/missing"]
        assert before == 1  # a 404 is not retried
        got = f.fetch(local_server.url("/flaky/a"))  # 500, 500, then 200
        assert got.status == 200 and got.attempts == 3
        r = reason(f, local_server.url("/always500"))
        assert r == "HTTP 500 Internal Server Error after 3 attempts"
        assert local_server.hits["/always500"] == 3


def test_backoff_grows(local_server: LocalServer) -> None:
    slept: list[float] = []
    with fetcher(backoff=0.5, sleep=slept.append, retries=3) as f:
        reason(f, local_server.url("/always500?b"))
    assert slept == [0.5, 1.0, 2.0]


def test_slow_response_times_out(local_server: LocalServer) -> None:
    t = time.monotonic()
    with fetcher(timeout=0.3, retries=1) as f:
        r = reason(f, local_server.url("/slow"))
    assert r == "timed out after 0.3 s (2 attempts)"
    assert time.monotonic() - t < 2.5


def test_huge_body_is_streamed_and_stopped(local_server: LocalServer) -> None:
    with fetcher(max_bytes=1024 * 1024) as f:
        t = time.monotonic()
        r = reason(f, local_server.url("/huge"))
        assert r == "too large (more than 1.04858 MB; stopped reading)"
        assert time.monotonic() - t < 5
        r = reason(f, local_server.url("/huge-declared"))
        assert r.startswith(f"too large (Content-Length) ({HUGE_BYTES / 1e6:.1f} MB")


@pytest.mark.parametrize(
    ("path", "ctype"),
    [("/image.png", "image/png"), ("/data.json", "application/json"), ("/octet", None)],
)
def test_wrong_content_types_are_refused(local_server: LocalServer, path: str, ctype: str) -> None:
    with fetcher() as f:
        r = reason(f, local_server.url(path))
    assert r == f"unsupported content type {ctype or 'application/octet-stream'!r}"


def test_robots_txt_is_honoured(local_server: LocalServer) -> None:
    with fetcher() as f:
        with pytest.raises(InputSkipped) as info:
            f.fetch(local_server.url("/private/secret.html"))
        assert "disallowed by robots.txt" in info.value.reason
        with pytest.raises(InputSkipped):  # a redirect into a forbidden path too
            f.fetch(local_server.url("/to-private"))
        assert f.allowed(local_server.url("/article/3.html"))
    assert not any(p.startswith("/private/") for p in local_server.paths())


def test_per_host_delay(local_server: LocalServer) -> None:
    with fetcher(delay=0.3) as f:
        f.fetch(local_server.url("/article/11.html"))
        f.fetch(local_server.url("/article/12.html"))
    times = {
        p: t for p, t, _ in local_server.requests if p in ("/article/11.html", "/article/12.html")
    }
    assert times["/article/12.html"] - times["/article/11.html"] >= 0.29


def test_url_inputs_become_documents(local_server: LocalServer) -> None:
    specs = [
        local_server.url(p)
        for p in (
            "/article/1.html",
            "/latin1.html",
            "/html-as-text",
            "/plain.txt",
            "/empty",
            "/no-article.html",
            "/missing",
        )
    ]
    with fetcher() as f:
        out = {r.name.removeprefix(local_server.base): r for r in iter_inputs(specs, fetcher=f)}
    a = out["/article/1.html"]
    assert isinstance(a, InputItem)
    assert a.text.startswith("Artikel 1\n\nBij een luchtaanval") and "Reactie" not in a.text
    assert "Home" not in a.text and "©" not in a.text
    assert a.title == "Artikel 1" and a.source_name == "Testnieuws"
    assert a.published is not None and a.published.isoformat() == "2024-03-04"
    assert a.url == local_server.url("/article/1.html")
    latin = out["/latin1.html"]
    assert isinstance(latin, InputItem) and "In het café vielen" in latin.text
    assert latin.encoding == "cp1252"
    assert isinstance(out["/html-as-text"], InputItem)
    assert "<p>" not in out["/html-as-text"].text  # sniffed as HTML though served as text
    assert isinstance(out["/plain.txt"], InputItem)
    assert out["/empty"] == InputFailure(local_server.url("/empty"), "empty: no text to read")
    assert isinstance(out["/no-article.html"], InputFailure)
    assert out["/no-article.html"].reason == "no article text found"
    assert out["/missing"].reason == "HTTP 404 Not Found"  # type: ignore[union-attr]


def test_feed_items_fetched_or_taken_whole(local_server: LocalServer) -> None:
    with fetcher() as f:
        out = list(process_inputs([local_server.url("/feed.rss")], workers=1, fetcher=f))
    by = {o.name.removeprefix(local_server.base): o for o in out}
    assert list(by) == [
        "/article/1.html",
        "/never-fetched.html",
        "/private/secret.html",
        "/missing",
    ]
    first = by["/article/1.html"]
    assert first.state == "done" and first.events
    assert first.report is not None and first.report.title == "Luchtaanval"
    assert first.report.published is not None
    assert first.report.published.isoformat() == "2018-06-28"  # the feed's date for the item
    whole = by["/never-fetched.html"]
    assert whole.state == "done" and whole.text is not None
    assert whole.text.endswith("Last paragraph.")
    assert by["/private/secret.html"].state == "skipped"
    assert "robots.txt" in (by["/private/secret.html"].reason or "")
    assert by["/missing"].state == "failed" and by["/missing"].reason == "HTTP 404 Not Found"
    paths = local_server.paths()
    assert "/never-fetched.html" not in paths and "/private/secret.html" not in paths


def test_feed_served_as_xml_and_broken_feed(local_server: LocalServer) -> None:
    with fetcher() as f:
        out = list(
            iter_inputs(
                [local_server.url("/feed-as-xml"), local_server.url("/broken-feed.rss")], fetcher=f
            )
        )
    assert isinstance(out[0], InputItem) and out[0].name.endswith("/article/2.html")
    assert out[0].source_name == "Testnieuws"  # the page's own site name is kept
    assert isinstance(out[1], InputFailure) and out[1].reason.startswith("malformed feed")


def test_unreachable_host_fails_with_reason() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens on this port now
    with fetcher(retries=1) as f:
        r = reason(f, f"http://127.0.0.1:{port}/x")
    assert r.startswith("cannot connect") and r.endswith("(2 attempts)")
