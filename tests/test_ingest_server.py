"""A local HTTP server on 127.0.0.1 (random port) for the ingest tests: pages, feeds,
redirects, errors, a slow response, a 200 MB body streamed on demand, wrong content types and a
robots.txt that forbids a path. Nothing leaves the machine.

Test modules start one with ``with LocalServer() as server`` in a fixture of their own.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
HUGE_BYTES = 200 * 1024 * 1024
_CHUNK = b"x" * (64 * 1024)

ARTICLE_NL = (
    "Bij een luchtaanval op een markt in het noorden van Syrië zijn donderdag zeker twaalf "
    "burgers omgekomen, meldt het Syrisch Observatorium voor de Mensenrechten.\n\n"
    "Onder de doden zijn vier kinderen. Volgens de organisatie raakten twintig mensen gewond."
)
ARTICLE_EN = (
    "At least {n} civilians were killed on Monday when airstrikes hit a market in Idlib, "
    "according to the Syrian Observatory for Human Rights.\n\n"
    "Another twenty people were wounded, the monitoring group said."
)


def page(title: str, body: str, *, date: str = "2024-03-04", site: str = "Testnieuws") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title} | {site}</title>"
        f"<meta property='og:site_name' content='{site}'>"
        f"<meta property='article:published_time' content='{date}T10:00:00Z'>"
        "</head><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>Wereld</a></li>"
        "</ul></nav>"
        f"<article><h1>{title}</h1>{paras}</article>"
        "<section class='comments'><p>Reactie: 500 doden? Dat geloof ik nooit, wat een onzin "
        "allemaal weer van de media.</p></section>"
        "<footer><p>© Testnieuws</p></footer></body></html>"
    )


NO_ARTICLE = (
    "<html><head><title>Home</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
    "<li><a href='/b'>Binnenland</a></li><li><a href='/c'>Buitenland</a></li></ul></nav>"
    "<footer><p>© 2024 Testnieuws. Alle rechten voorbehouden.</p></footer></body></html>"
)


def rss(base: str) -> str:
    full = " ".join([ARTICLE_EN.format(n=31).replace("\n\n", " ")] * 6)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Testnieuws</title><link>{base}/</link><description>Test feed</description>
<language>nl</language>
<item><title>Luchtaanval</title><link>{base}/article/1.html</link>
<description>Een teaser van de luchtaanval.</description>
<pubDate>Thu, 28 Jun 2018 10:00:00 +0000</pubDate></item>
<item><title>Full text item</title><link>{base}/never-fetched.html</link>
<description>Teaser</description>
<content:encoded><![CDATA[<p>{full}</p><p>Last paragraph.</p>]]></content:encoded>
<pubDate>Fri, 29 Jun 2018 10:00:00 +0000</pubDate></item>
<item><title>Forbidden</title><link>{base}/private/secret.html</link>
<description>Teaser</description></item>
<item><title>Gone</title><link>{base}/missing</link><description>Teaser</description></item>
</channel></rss>"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Test</title>
<id>urn:test</id><updated>2024-03-04T10:00:00Z</updated>
<entry><title>Twee</title><link href="{base}/article/2.html"/><id>urn:2</id>
<updated>2024-03-05T10:00:00Z</updated><summary>Teaser</summary></entry>
</feed>"""


class LocalServer:
    """The server and what it saw: every request path (in order) and its headers."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, float, dict[str, str]]] = []
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                with server.lock:
                    server.requests.append((self.path, time.monotonic(), dict(self.headers)))
                    server.hits[self.path] += 1
                    hits = server.hits[self.path]
                # the client may stop reading, as it should for huge bodies
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server.route(self, hits)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _, _ in self.requests]

    @staticmethod
    def send(h: BaseHTTPRequestHandler, status: int, body: bytes | str, ctype: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def route(self, h: BaseHTTPRequestHandler, hits: int) -> None:
        path = h.path.split("?", 1)[0]
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            self.send(h, 200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path.startswith("/article/"):
            n = path.removeprefix("/article/").removesuffix(".html")
            body = ARTICLE_NL if n == "1" else ARTICLE_EN.format(n=int(n) + 10)
            self.send(h, 200, page(f"Artikel {n}", body), html)
        elif path.startswith("/private/"):
            self.send(h, 200, page("Geheim", ARTICLE_NL), html)
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            target = f"/redirect/{n - 1}" if n > 1 else "/article/7.html"
            h.send_response(302)
            h.send_header("Location", target)
            h.send_header("Content-Length", "0")
            h.end_headers()
        elif path == "/loop":
            h.send_response(301)
            h.send_header("Location", "/loop")
            h.send_header("Content-Length", "0")
            h.end_headers()
        elif path == "/to-private":
            h.send_response(302)
            h.send_header("Location", "/private/x.html")
            h.send_header("Content-Length", "0")
            h.end_headers()
        elif path == "/missing":
            self.send(h, 404, "not here", "text/plain")
        elif path.startswith("/flaky/"):
            if hits <= 2:
                self.send(h, 500, "oops", "text/plain")
            else:
                self.send(h, 200, page("Hersteld", ARTICLE_EN.format(n=44)), html)
        elif path == "/always500":
            self.send(h, 500, "down", "text/plain")
        elif path == "/slow":
            self.stop.wait(3.0)  # past the client's timeout; ends early when the server stops
            self.send(h, 200, page("Traag", ARTICLE_NL), html)
        elif path in ("/huge", "/huge-declared"):
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            if path == "/huge-declared":
                h.send_header("Content-Length", str(HUGE_BYTES))
            h.end_headers()
            sent = 0
            while sent < HUGE_BYTES and not self.stop.is_set():
                h.wfile.write(_CHUNK)  # the same 64 KB again and again: nothing big in memory
                sent += len(_CHUNK)
        elif path == "/image.png":
            self.send(h, 200, b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        elif path == "/data.json":
            self.send(h, 200, '{"killed": 12}', "application/json")
        elif path == "/octet":
            self.send(h, 200, b"\x00\x01\x02" * 50, "application/octet-stream")
        elif path == "/html-as-text":
            self.send(h, 200, page("Verkeerd type", ARTICLE_EN.format(n=55)), "text/plain")
        elif path == "/plain.txt":
            self.send(h, 200, ARTICLE_EN.format(n=66), "text/plain; charset=utf-8")
        elif path == "/latin1.html":
            body = page("Café", ARTICLE_NL + "\n\nIn het café vielen ook gewonden.")
            body = body.replace("<meta charset='utf-8'>", "")
            self.send(h, 200, body.encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/empty":
            self.send(h, 200, b"", "text/html")
        elif path == "/no-article.html":
            self.send(h, 200, NO_ARTICLE, html)
        elif path == "/feed.rss":
            self.send(h, 200, rss(self.base), "application/rss+xml")
        elif path == "/feed-as-xml":
            self.send(h, 200, atom(self.base), "text/xml")
        elif path == "/broken-feed.rss":
            self.send(h, 200, "<rss><channel><title>x</chan", "application/rss+xml")
        else:
            self.send(h, 404, "no route", "text/plain")

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_local_server_answers() -> None:
    import urllib.request

    with LocalServer() as server:
        with urllib.request.urlopen(server.url("/robots.txt"), timeout=5) as r:
            assert b"Disallow: /private/" in r.read()
        assert server.base.startswith("http://127.0.0.1:")
