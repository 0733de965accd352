"""Answers a signed-in reader asks for again and again, served from memory while the
database has not changed: the Today page and its JSON twin (a phone opens it at every
visit), and `GET /api/v1/me`.

Plain ASGI, inside the session and language middleware. The first answer for one browser
session, language and day is made by the app as usual (the session checked, the learner
read) and kept with the database's count of committed writes read *before* the app ran
(adapters/db/changes.py). The next request serves it without a thread or a query while the
count is the same: any write since, by any process or door (a session logged, a sign-out, a
clinician's change, another browser's check-in), moves the count and the answer is made
again. A kept answer is also made again after `FRESH_FOR` seconds, which bounds how long a
write whose process died between its commit and its count could go unseen.

On PostgreSQL the count moves when a process hears another's notification, a moment after
that write's commit (adapters/db/changes.py): another process's write, a sign-out elsewhere
included, can go unseen for that moment (milliseconds; at most `FRESH_FOR` if the listener's
connection died without a word). So that a browser always sees what its own requests wrote,
whichever process answers next, every request that may write (any method but GET and HEAD)
gives its browser session a new mark (`WRITE_MARK`, in the signed session cookie), and the
mark is part of what an answer is kept under. What a form-check worker writes later is
another process's write.

Only 200 answers are kept, and only for these paths: each is a pure function of the
browser session, its language, the day and the database (the Today page's one form carries
the session's own CSRF token, which does not change). Every other path goes through the app
each time.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hingecoach.adapters.db.changes import Changes
from hingecoach.services.views import Kept

__all__ = ["FRESH_FOR", "KEPT_PATHS", "WRITE_MARK", "KeptAnswers"]

KEPT_PATHS = frozenset({"/today", "/api/v1/today", "/api/v1/me"})
WRITE_MARK = "w"  # in the browser session: a new mark at each request that may write
FRESH_FOR = 1.0  # seconds a kept answer is served without looking at the database at all


@dataclass(frozen=True)
class _Answer:
    count: int  # the database's count of committed writes before the answer was made
    made: float  # time.monotonic() when it was made
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    def messages(self) -> tuple[Message, Message]:
        """Fresh messages each time: the middleware outside adds its headers to them."""
        start = {"type": "http.response.start", "status": self.status, "headers": [*self.headers]}
        return start, {"type": "http.response.body", "body": self.body}


class KeptAnswers:
    def __init__(
        self, app: ASGIApp, *, changes: Changes | None, size: int, today: Callable[[], date]
    ) -> None:
        self.app = app
        self.changes = changes
        self.answers: Kept[_Answer] = Kept(size)
        self.today = today  # the day the app answers for (Settings.today)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _mark_a_write(scope)
        key = self._key(scope)
        if key is None or self.changes is None:
            await self.app(scope, receive, send)
            return
        count = self.changes.count()
        if count < 0:  # nothing can be trusted now (adapters/db/changes.py): keep nothing
            await self.app(scope, receive, send)
            return
        kept = self.answers.find(key)
        if kept is not None and kept.count == count and time.monotonic() - kept.made < FRESH_FOR:
            start, body = kept.messages()
            await send(start)
            await send(body)
            return
        await self._make(key, count, scope, receive, send)

    def _key(self, scope: Scope) -> tuple[object, ...] | None:
        """Who asks for what, in which language, on which day; none for what is not kept
        (a query string too: a client could otherwise push others' answers out)."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = scope["path"]
        if path not in KEPT_PATHS or scope["query_string"]:  # these paths take no query
            return None
        session_id = (scope.get("session") or {}).get("sid")
        if not isinstance(session_id, str):
            return None
        language = scope.get("state", {}).get("language")
        return (path, session_id, scope["session"].get(WRITE_MARK), language, self.today())

    async def _make(
        self, key: tuple[object, ...], count: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        status = 0
        headers: tuple[tuple[bytes, bytes], ...] = ()
        parts: list[bytes] = []

        async def kept_send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], tuple(message.get("headers", ()))
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if status == 200 and not message.get("more_body", False):
                    made = _Answer(count, time.monotonic(), status, headers, b"".join(parts))
                    self.answers.put(key, made)
            await send(message)

        await self.app(scope, receive, kept_send)


def _mark_a_write(scope: Scope) -> None:
    """A request that may write gives its browser session a new mark: the next answer to
    this browser is made again by whichever process gets it."""
    session = scope.get("session")
    if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD") and session:
        session[WRITE_MARK] = secrets.token_hex(4)
