"""Fetch news pages and feeds over HTTP(S) politely and within bounds (httpx).

A run over thousands of URLs meets every kind of server: slow ones, huge bodies, redirect
loops, images behind article links, flaky 5xx. Each fetch is bounded in time, size and hops,
retries only what can recover, identifies itself, honours robots.txt and waits between requests
to the same host. Every refusal is an ``InputError`` (``InputSkipped`` for robots.txt) with a
one-line reason.
"""

from __future__ import annotations

import email.utils
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from sitrep.errors import InputError
from sitrep.ingest.encoding import too_large

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_TYPES", "USER_AGENT", "Fetched", "Fetcher", "InputSkipped", "is_url"]


def _version() -> str:
    try:
        return version("sitrep")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


USER_AGENT = f"sitrep/{_version()} (+https://github.com/sitrep)"
ROBOTS_AGENT = "sitrep"

# What a news page or feed is served as; anything else (images, PDFs, JSON) is refused unread.
DEFAULT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_RETRY_STATUS = {429, 500, 502, 503, 504}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}
_ROBOTS_MAX_BYTES = 512 * 1024


class InputSkipped(InputError):
    """Not read on purpose (robots.txt forbids it): the input is skipped, not failed."""


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body read in full (at most ``max_bytes``) with what the server said of it."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    attempts: int = 1
    location: str | None = None


class Fetcher:
    """One HTTP client for a run: timeouts, size cap, capped redirects, bounded retries with
    exponential backoff, robots.txt and a per-host delay.

    ``transport``, ``sleep`` and ``clock`` are for tests; the rest are policy.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        total_timeout: float = 60.0,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        delay: float = 1.0,
        max_crawl_delay: float = 30.0,
        user_agent: str = USER_AGENT,
        robots: bool = True,
        accept_types: Iterable[str] = DEFAULT_TYPES,
        trust_env: bool = True,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.delay = delay
        self.max_crawl_delay = max_crawl_delay
        self.user_agent = user_agent
        self.robots = robots
        self.accept_types = tuple(t.lower() for t in accept_types)
        self.trust_env = trust_env
        self._transport = transport
        self._sleep = sleep
        self._clock = clock
        self._client: httpx.Client | None = None
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    # -- lifecycle -----------------------------------------------------------------------
    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,
                headers={
                    "User-Agent": self.user_agent,
                    "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                    "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                },
                transport=self._transport,
                trust_env=self.trust_env,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ----------------------------------------------------------------------
    def _origin(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"

    def _host_delay(self, origin: str) -> float:
        rp = self._robots.get(origin)
        extra = 0.0
        if isinstance(rp, urllib.robotparser.RobotFileParser):
            cd = rp.crawl_delay(ROBOTS_AGENT)
            if cd:
                extra = min(float(cd), self.max_crawl_delay)
        return max(self.delay, extra)

    def _wait_turn(self, origin: str) -> None:
        last = self._last.get(origin)
        if last is not None:
            wait = last + self._host_delay(origin) - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[origin] = self._clock()

    def _robots_for(self, name: str, origin: str) -> urllib.robotparser.RobotFileParser:
        """The rules of a host, read once per run. Only readable rules are kept: a host that
        could not be asked is asked again for its next URL."""
        cached = self._robots.get(origin)
        if cached is not None:
            return cached
        got = self._get(
            origin + "/robots.txt",
            name,
            limit=_ROBOTS_MAX_BYTES,
            check_type=False,
            follow=True,
            allow_error=True,
        )
        if got.status >= 500:
            # RFC 9309 §2.3.1.4: an unreachable robots.txt means "assume complete disallow".
            raise InputError(name, f"robots.txt unreachable (HTTP {got.status}); not fetched")
        rp = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        if got.status >= 400:
            rp.allow_all = True  # RFC 9309 §2.3.1.3: unavailable (4xx) means no rules
        else:
            rp.parse(got.body.decode("utf-8", "replace").splitlines())
        rp.modified()
        self._robots[origin] = rp
        return rp

    def allowed(self, url: str, name: str | None = None) -> bool:
        """Whether robots.txt lets sitrep fetch ``url`` (fetching robots.txt once per host)."""
        if not self.robots:
            return True
        rp = self._robots_for(name or url, self._origin(url))
        return rp.can_fetch(ROBOTS_AGENT, url)

    # -- fetching ------------------------------------------------------------------------
    def fetch(self, url: str, *, name: str | None = None) -> Fetched:
        """GET ``url`` following at most ``max_redirects`` redirects (each hop checked
        against robots.txt); raises ``InputError``/``InputSkipped`` naming ``name``."""
        name = name or url
        current = url
        for _hop in range(self.max_redirects + 1):
            if not is_url(current):
                raise InputError(name, f"not an http(s) URL: {current!r}")
            if self.robots and not self.allowed(current, name):
                raise InputSkipped(name, f"disallowed by robots.txt ({current})")
            got = self._get(current, name, limit=self.max_bytes, check_type=True, follow=False)
            if got.status in _REDIRECT_STATUS:
                if not got.location:
                    raise InputError(name, f"HTTP {got.status} redirect without a Location")
                current = urljoin(current, got.location)
                continue
            return got
        raise InputError(name, f"too many redirects (more than {self.max_redirects})")

    def _backoff(self, attempt: int, retry_after: str | None = None) -> None:
        wait = self.backoff * (2**attempt)
        if retry_after:
            seconds: float | None = None
            if retry_after.strip().isdigit():
                seconds = float(retry_after)
            else:
                when = email.utils.parsedate_to_datetime(retry_after)
                if when is not None:
                    seconds = when.timestamp() - time.time()
            if seconds is not None:
                wait = max(wait, seconds)
        self._sleep(min(max(wait, 0.0), self.max_backoff))

    def _get(
        self,
        url: str,
        name: str,
        *,
        limit: int,
        check_type: bool,
        follow: bool,
        allow_error: bool = False,
    ) -> Fetched:
        import httpx

        client = self._http()
        origin = self._origin(url)
        attempts = self.retries + 1
        last_reason = ""
        for attempt in range(attempts):
            self._wait_turn(origin)
            started = self._clock()
            try:
                with client.stream("GET", url, follow_redirects=follow) as resp:
                    status = resp.status_code
                    if status in _REDIRECT_STATUS and not follow:
                        loc = resp.headers.get("location")
                        return Fetched(url, status, "", None, b"", attempt + 1, loc)
                    if status in _RETRY_STATUS and attempt + 1 < attempts:
                        last_reason = f"HTTP {status} {resp.reason_phrase}".strip()
                        retry_after = resp.headers.get("retry-after")
                        resp.close()
                        self._backoff(attempt, retry_after)
                        continue
                    if status >= 400 and not allow_error:
                        tried = f" after {attempt + 1} attempts" if attempt else ""
                        raise InputError(
                            name, f"HTTP {status} {resp.reason_phrase}".strip() + tried
                        )
                    ctype, charset = _content_type(resp.headers.get("content-type", ""))
                    if check_type and ctype and ctype not in self.accept_types:
                        raise InputError(name, f"unsupported content type {ctype!r}")
                    declared = resp.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise InputError(name, too_large(int(declared), limit, " (Content-Length)"))
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise InputError(
                                name, f"too large (more than {limit / 1e6:g} MB; stopped reading)"
                            )
                        if self._clock() - started > self.total_timeout:
                            raise InputError(
                                name, f"too slow (body not read within {self.total_timeout:g} s)"
                            )
                    return Fetched(str(resp.url), status, ctype, charset, bytes(body), attempt + 1)
            except httpx.TimeoutException:
                last_reason = f"timed out after {self.timeout:g} s"
            except httpx.TooManyRedirects:
                raise InputError(name, f"too many redirects at {url}") from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise InputError(name, f"invalid URL ({exc})") from None
            except httpx.ConnectError as exc:
                last_reason = f"cannot connect ({_short(exc)})"
            except httpx.TransportError as exc:
                last_reason = f"connection error ({type(exc).__name__}: {_short(exc)})"
            except httpx.DecodingError as exc:
                raise InputError(name, f"cannot decode the response body ({exc})") from None
            if attempt + 1 < attempts:
                self._backoff(attempt)
        tried = f" ({attempts} attempts)" if attempts > 1 else ""
        raise InputError(name, last_reason + tried)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _content_type(header: str) -> tuple[str, str | None]:
    """``text/html; charset=ISO-8859-1`` → ``("text/html", "ISO-8859-1")``."""
    if not header:
        return "", None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset" and value:
            charset = value.strip().strip("\"'")
    return parts[0].lower(), charset
