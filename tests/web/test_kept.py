"""Answers kept in memory while the database is unchanged (web/kept.py): a repeated
`GET /api/v1/today` costs no query, and a write by any door or process, a sign-out, or the
passing of `FRESH_FOR` makes the next answer again from the database.

On SQLite every process sees another's write at once. On PostgreSQL it hears of it by a
notification a moment after the commit (adapters/db/changes.py): the same browser still sees
its own writes at once, whichever process answers; another browser's write, within
`HEARD_WITHIN` (with `FRESH_FOR` raised, so only the notification can make it seen)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from hingecoach.adapters.db.store import Store, open_store
from hingecoach.catalog import Catalog
from hingecoach.web import kept
from tests.conftest import eventually
from tests.test_cli import LOG, Hinge
from tests.web.conftest import TODAY, csrf, make_client, start_learner
from tests.web.test_learner_pages import _log

HEARD_WITHIN = 3.0  # seconds: another process's write on PostgreSQL (a notification)


class Queries:
    """Every statement a store runs while counted."""

    def __init__(self, store: Store) -> None:
        self.seen: list[str] = []
        event.listen(store.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.seen.append(statement)

    def during(self, call: Any) -> tuple[Any, list[str]]:
        self.seen.clear()
        result = call()
        return result, list(self.seen)


@pytest.fixture
def url(db_url: str) -> str:
    """A SQLite file, and (in CI) a PostgreSQL database: each test runs on both."""
    return db_url


@pytest.fixture
def first(url: str) -> Iterator[Store]:
    """One server process's store (a SQLite file, or a PostgreSQL database)."""
    store = open_store(url)
    yield store
    store.dispose()


def listening(store: Store) -> None:
    """Once the store's count can be trusted: at once on SQLite; on PostgreSQL once its
    listener, started by the first request, is listening."""
    changes = store.changes
    assert changes is not None
    changes.count()
    is_listening = getattr(changes, "listening", lambda: True)
    assert eventually(is_listening, HEARD_WITHIN)


def seen(url: str, check: Callable[[], bool]) -> bool:
    """Another process's write is seen: at once on SQLite; on PostgreSQL once the
    notification is heard (`FRESH_FOR` is raised for every test here, so nothing else can
    make it seen)."""
    if url.startswith("sqlite"):
        return check()
    return eventually(check, HEARD_WITHIN)


@pytest.fixture(autouse=True)
def fresh_for_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept, "FRESH_FOR", 60.0)


@pytest.fixture
def second(url: str) -> Iterator[Store]:
    """Another process's store on the same file (its own connection and its own memory)."""
    store = open_store(url)
    yield store
    store.dispose()


@pytest.fixture
def a(first: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(first, catalog, tmp_path) as client:
        yield client


@pytest.fixture
def b(second: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    """The same browser's requests landing on the other process (one secret signs both)."""
    with make_client(second, catalog, tmp_path) as client:
        yield client


def test_a_repeated_today_is_answered_without_a_query(a: TestClient, first: Store) -> None:
    start_learner(a)
    listening(first)
    queries = Queries(first)
    made, made_by = queries.during(lambda: a.get("/api/v1/today"))
    again, again_by = queries.during(lambda: a.get("/api/v1/today"))

    assert made.status_code == again.status_code == 200
    assert made_by, "the first answer reads the database"
    assert again_by == []
    assert again.content == made.content
    assert again.headers["content-type"] == "application/json"
    assert again.headers["cache-control"] == "no-store"


def test_the_today_page_is_kept_with_the_session_s_own_form_token(
    a: TestClient, first: Store
) -> None:
    start_learner(a)
    listening(first)
    queries = Queries(first)
    made, made_by = queries.during(lambda: a.get("/today"))
    again, again_by = queries.during(lambda: a.get("/today"))

    assert made_by
    assert again_by == []
    assert again.text == made.text
    assert again.headers["content-security-policy"]
    assert csrf(a, "/log") in again.text  # the token every form of this session posts


def test_a_browser_sees_its_own_session_at_once_whichever_process_answers(
    a: TestClient, b: TestClient, first: Store
) -> None:
    start_learner(a)
    listening(first)
    b.cookies.update(a.cookies)
    before = a.get("/api/v1/today").json()
    assert a.get("/api/v1/today").json() == before  # kept

    assert _log(b).status_code == 200  # type: ignore[attr-defined]
    a.cookies.update(b.cookies)  # one browser: the answer's cookie comes back to both
    after = a.get("/api/v1/today").json()

    assert after != before  # at once, on PostgreSQL too: the browser session's new mark
    assert after == b.get("/api/v1/today").json()


class Deaf:
    """The count of a process that hears no write at all: it never moves."""

    notice: str | None = None

    def count(self) -> int:
        return 7

    def add(self) -> None:
        """Its own writes are not counted either."""

    def close(self) -> None:
        """Nothing to release."""


@pytest.fixture
def deaf(url: str, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    """A server process deaf to every write (its kept answers' count stands still)."""
    store = open_store(url)
    heard = store.changes
    store.changes = Deaf()
    try:
        with make_client(store, catalog, tmp_path) as client:
            yield client
    finally:
        store.dispose()
        if heard is not None:
            heard.close()


class Unsure:
    """The count of a process whose listener is not listening: negative, new at each read."""

    notice: str | None = None

    def __init__(self) -> None:
        self.reads = 0

    def count(self) -> int:
        self.reads += 1
        return -self.reads

    def add(self) -> None:
        """Nothing can be counted while unsure."""

    def close(self) -> None:
        """Nothing to release."""


def test_nothing_is_served_from_memory_while_the_count_cannot_be_trusted(
    url: str, catalog: Catalog, tmp_path: Path
) -> None:
    store = open_store(url)
    heard, store.changes = store.changes, Unsure()
    try:
        with make_client(store, catalog, tmp_path) as client:
            start_learner(client)
            queries = Queries(store)
            for _ in range(3):
                answer, made_by = queries.during(lambda: client.get("/api/v1/today"))
                assert answer.status_code == 200
                assert made_by
    finally:
        store.dispose()
        if heard is not None:
            heard.close()


def test_a_process_that_has_not_heard_of_a_write_still_shows_the_browser_its_own(
    deaf: TestClient, b: TestClient
) -> None:
    """The mark a write gives the browser session, not the count, is what makes it seen."""
    start_learner(deaf)
    b.cookies.update(deaf.cookies)
    before = deaf.get("/api/v1/today").json()
    assert deaf.get("/api/v1/today").json() == before  # kept under the count that stands still

    assert _log(b).status_code == 200  # type: ignore[attr-defined]
    deaf.cookies.update(b.cookies)

    assert deaf.get("/api/v1/today").json() != before


def test_another_browser_s_session_logged_through_another_process_is_seen(
    a: TestClient, b: TestClient, first: Store, url: str
) -> None:
    start_learner(a)
    listening(first)
    before = a.get("/api/v1/today").json()
    b.cookies.update(a.cookies)  # the learner's phone; `a` keeps its own cookie
    assert _log(b).status_code == 200  # type: ignore[attr-defined]

    assert seen(url, lambda: a.get("/api/v1/today").json() != before)
    assert a.get("/api/v1/today").json() == b.get("/api/v1/today").json()


def test_a_sign_out_in_another_process_ends_the_kept_answers(
    a: TestClient, b: TestClient, first: Store, url: str
) -> None:
    start_learner(a)
    listening(first)
    b.cookies.update(a.cookies)  # a copy of the cookie, used elsewhere
    assert a.get("/api/v1/me").status_code == 200
    assert a.get("/api/v1/today").status_code == 200

    sign_out = b.post("/api/v1/logout")
    assert sign_out.status_code in (200, 204), sign_out.text

    assert seen(url, lambda: a.get("/api/v1/me").status_code == 401)
    assert a.get("/api/v1/today").status_code == 401


def test_a_session_logged_from_the_terminal_is_seen(
    a: TestClient, first: Store, url: str, tmp_path: Path
) -> None:
    start_learner(a)
    listening(first)
    before = a.get("/api/v1/today").json()
    hinge = Hinge(tmp_path / "cli")
    hinge.env["HINGE_DATABASE_URL"] = url
    hinge.env["HINGE_TODAY"] = TODAY.isoformat()
    logged = hinge(*LOG)
    assert logged.code == 0, logged.stderr + logged.stdout

    assert seen(url, lambda: a.get("/api/v1/today").json() != before)


def test_an_answer_is_made_again_once_it_is_no_longer_fresh(
    a: TestClient, first: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    start_learner(a)
    listening(first)
    a.get("/api/v1/today")
    queries = Queries(first)
    monkeypatch.setattr(kept, "FRESH_FOR", 0.0)
    _, made_by = queries.during(lambda: a.get("/api/v1/today"))
    assert made_by


def test_a_refusal_is_never_kept(a: TestClient, first: Store) -> None:
    listening(first)
    queries = Queries(first)
    for _ in range(2):  # signed out: 401 each time, from the app
        answer, _ = queries.during(lambda: a.get("/api/v1/today"))
        assert answer.status_code == 401
    start_learner(a, "ben@example.com")
    a.post("/api/v1/logout")
    for _ in range(2):
        answer, _ = queries.during(lambda: a.get("/api/v1/me"))
        assert answer.status_code == 401


def test_each_language_has_its_own_answer(a: TestClient) -> None:
    start_learner(a)
    english = a.get("/api/v1/today", headers={"Accept-Language": "en"}).json()
    other = a.get("/api/v1/today", headers={"Accept-Language": "es"}).json()
    assert english != other
    assert a.get("/api/v1/today", headers={"Accept-Language": "en"}).json() == english


def test_only_the_json_answers_listed_are_kept(a: TestClient, first: Store) -> None:
    start_learner(a)
    listening(first)
    queries = Queries(first)
    for path in ("/timer", "/api/v1/history", "/log", "/api/v1/today?again=1"):
        a.get(path)
        _, made_by = queries.during(lambda path=path: a.get(path))
        assert made_by, path
    assert frozenset({"/today", "/api/v1/today", "/api/v1/me"}) == kept.KEPT_PATHS
