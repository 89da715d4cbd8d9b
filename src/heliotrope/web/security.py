"""Security headers on every response and the request-size limit, as plain ASGI middleware.

The Content-Security-Policy allows scripts and styles only from the app itself (no inline
script, no CDN, nothing from elsewhere), images from the app or ``data:`` (the timeline plot).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["CSP", "RAW_DOCUMENT_CSP", "BodyLimit", "SameOriginWrites", "SecurityHeaders"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: For the self-contained HTML documents the shared renderers write (inline styles, no scripts).
RAW_DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own
    # form posts, which the cross-site check below could not tell from a sandboxed attacker
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """Adds the CSP (unless a route set its own) and the other headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [h for h in _HEADERS if h[0] not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies above ``limit`` bytes with 413, by Content-Length and by counting
    what arrives (a chunked upload cannot slip past). ``on_refuse`` writes the response."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        on_refuse: Callable[[Scope, int], tuple[bytes, bytes]],
    ) -> None:
        self.app = app
        self.limit = limit
        self.on_refuse = on_refuse

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body, content_type = self.on_refuse(scope, self.limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(scope, send)
                return
        seen = 0
        overflow = False
        refused = False

        async def counting_receive() -> Message:
            nonlocal seen, overflow
            if overflow:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    overflow = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal refused
            if not overflow:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(scope, send)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not overflow:
                raise
            if not refused:
                refused = True
                await self._refuse(scope, send)


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SameOriginWrites:
    """Refuses (403) a browser's cross-site write: a page elsewhere cannot post a record into
    the history or run an assessment here (CSRF). Browsers say where a request comes from
    (``Sec-Fetch-Site``, ``Origin``); clients that say nothing (curl, an EHR's server) pass.
    ``exempt`` paths (CDS Hooks, which browser-based EHRs call cross-origin) pass too."""

    def __init__(self, app: ASGIApp, exempt: tuple[str, ...] = ("/cds-services",)) -> None:
        self.app = app
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") not in _WRITES
            or str(scope.get("path", "")).startswith(self.exempt)
        ):
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        site = headers.get(b"sec-fetch-site")
        origin = headers.get(b"origin")
        if site is not None:  # every current browser says where a request comes from
            cross = site not in (b"same-origin", b"none")
        elif origin is not None:
            host = headers.get(b"host", b"")
            cross = origin == b"null" or origin.split(b"://", 1)[-1] != host
        else:
            cross = False
        if not cross:
            await self.app(scope, receive, send)
            return
        body = b"Cross-site requests are refused: use heliotrope's own pages."
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
