"""Around every request, as plain ASGI (no per-request task, unlike `@app.middleware`):

- `BodyLimit`: a limit on request bodies, enforced before any handler reads them: a declared
  length over the limit is refused at once, and a body sent without one is cut off when it
  passes it. Either way the answer is 413 with the error shape, and nothing was read.
- `StrictHeaders`: no sniffing, no referrer outside the site, `no-store` on everything but
  static files (pages, JSON and exports are private), and the content security policy on
  every page."""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "PAGE_CSP", "BodyLimit", "StrictHeaders"]

# Everything comes from this server: no CDN, no inline script, no framing by other sites.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# The live coaching page runs the browser's pose model, which compiles WebAssembly: that
# page's scripts may, no other page's (web/live.py).
PAGE_CSP = {
    "/form-checks/live": CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
}
# Files that never change under one name: static files, and the pose model's (checksummed).
_STATIC = ("/static/", "/pose/")


class StrictHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(_STATIC)
        policy = PAGE_CSP.get(scope["path"], CSP)

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not static:
                    headers["Cache-Control"] = "no-store"
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", policy)
            await send(message)

        await self.app(scope, receive, headed)


class _TooLargeError(Exception):
    pass


class BodyLimit:
    """`limit` for every body, but `larger[path]` for the paths that take a clip."""

    def __init__(self, app: ASGIApp, limit: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.limit)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLargeError
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLargeError:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
        error = {
            "code": "too_large",
            "message": f"the request body is over the limit of {size}; nothing was kept",
        }
        body = json.dumps({"error": error}).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
