"""What keeps a public sitrep server safe: article text and URLs are untrusted input.

- Every response carries a strict Content-Security-Policy (scripts only from this origin, no
  inline code, no plugins, no framing) and the usual hardening headers.
- Request bodies are capped: a ``Content-Length`` over the cap is refused unread, a streamed
  body is cut off as soon as it passes it.
- Writing needs a bearer token equal to ``SITREP_API_TOKEN``; without one configured the API is
  read-only.
- URLs are fetched only over http(s), to public addresses (no loopback, private, link-local or
  reserved ones, checked at every redirect hop), within a size and time cap.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def content_security_policy(tile_url: str | None = None) -> str:
    """The page's policy; an online tile server, when configured, may serve images too."""
    img = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        img += f" {parts.scheme}://{host}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _error(status: int, message: str) -> bytes:
    return json.dumps({"status": status, "message": message}).encode()


class Hardening:
    """Pure ASGI middleware: security headers on every response and the body-size cap.

    Pure ASGI (not Starlette's BaseHTTPMiddleware) so that it adds microseconds, not a task
    and a queue, to each request."""

    def __init__(self, app: ASGIApp, *, max_body: int, csp: str) -> None:
        self.app = app
        self.max_body = max_body
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.headers if k not in names]
                message["headers"] = headers
            await send(message)

        declared: int | None = None
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(send_wrapper, 400, "invalid Content-Length")
                    return
        if declared is not None:
            if declared > self.max_body:
                await self._refuse(
                    send_wrapper, 413, f"request body over the {self.max_body} byte limit"
                )
                return
            # the HTTP parser holds the client to its Content-Length: nothing more can come
            await self.app(scope, receive, send_wrapper)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send_wrapper)
            return
        # A streamed body (no Content-Length): read it here, up to the cap, then hand it on.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(
                    send_wrapper, 413, f"request body over the {self.max_body} byte limit"
                )
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_wrapper)

    @staticmethod
    async def _refuse(send: Send, status: int, message: str) -> None:
        body = _error(status, message)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# --- the write token -----------------------------------------------------------------------------


def token_ok(configured: str | None, authorization: str | None) -> bool:
    """Whether an ``Authorization: Bearer …`` header carries the configured token (compared
    in constant time)."""
    if not configured or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), configured.encode())


# --- fetching URLs on a user's behalf -----------------------------------------------------------


class UnsafeURL(ValueError):
    """A URL the server will not fetch (scheme, credentials, or a non-public address)."""


def check_url(url: str) -> str:
    """The URL if it is a plain http(s) URL without credentials, else ``UnsafeURL``."""
    if len(url) > 2048:
        raise UnsafeURL("URL longer than 2048 characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise UnsafeURL("URL without a host")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials are not fetched")
    return url.strip()


def public_address(host: str, port: int | None = None) -> bool:
    """Whether every address ``host`` resolves to is a public unicast one."""
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return False
    if not infos:
        return False
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        if not addr.is_global or addr.is_multicast:
            return False
    return True


def guarded_transport(allow_private: bool = False) -> httpx.BaseTransport:
    """An httpx transport that refuses to connect to non-public addresses (every request the
    fetcher makes, robots.txt and redirect hops included, goes through it)."""
    import httpx

    class _Guarded(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            host = request.url.host
            if not allow_private and not public_address(host, request.url.port):
                raise httpx.ConnectError(
                    f"refused: {host} is not a public address", request=request
                )
            return super().handle_request(request)

    return _Guarded()
