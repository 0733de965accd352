"""The count of committed writes every process reads (adapters/db/changes.py): it moves after
each transaction that wrote, by any door and any process, and never for a read, a refused
write or a rollback."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, text

from hingecoach.adapters.db.changes import (
    APPLICATION,
    CHANNEL,
    LocalChanges,
    NotifiedChanges,
    SharedChanges,
    changes_beside,
)
from hingecoach.adapters.db.store import Store, open_store, sqlite_url
from hingecoach.adapters.db.tables import WebSessionRow
from hingecoach.catalog import Catalog
from hingecoach.errors import HingeError, StoreError
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.coach import Coach
from hingecoach.services.uow import SqlUnitOfWork, sql
from tests.conftest import eventually
from tests.test_services import DAY, session, start_input


@pytest.fixture
def shared(tmp_path: Path) -> Store:
    return open_store(sqlite_url(tmp_path / "hinge.db"))


def _count(store: Store) -> int:
    assert store.changes is not None
    return store.changes.count()


def _started(store: Store, catalog: Catalog) -> Coach:
    coach = Coach(sql(store), Catalogs(catalog), DAY)
    coach.start(start_input())
    return coach


def test_a_write_counts_once_after_its_commit_and_a_read_never(
    shared: Store, catalog: Catalog
) -> None:
    coach = _started(shared, catalog)
    before = _count(shared)
    coach.today_view()
    coach.status()
    assert _count(shared) == before

    coach.log(session())
    assert _count(shared) == before + 1


def _write_then_fail(store: Store) -> None:
    with SqlUnitOfWork(store, write=True) as uow:
        uow.db.execute(delete(WebSessionRow))
        raise RuntimeError("the use case failed after writing")


def test_a_refused_write_and_a_rollback_do_not_count(shared: Store, catalog: Catalog) -> None:
    coach = _started(shared, catalog)
    before = _count(shared)
    with pytest.raises(HingeError):
        coach.log(session(pain_during=11))
    with pytest.raises(RuntimeError):
        _write_then_fail(shared)
    assert _count(shared) == before


def test_a_statement_run_through_the_session_counts_as_a_write(shared: Store) -> None:
    before = _count(shared)
    with SqlUnitOfWork(shared) as uow:  # even in a unit of work opened to read
        uow.db.execute(delete(WebSessionRow))
    assert _count(shared) == before + 1


def test_two_stores_on_one_file_share_the_count(tmp_path: Path, catalog: Catalog) -> None:
    url = sqlite_url(tmp_path / "hinge.db")
    first, second = open_store(url), open_store(url)
    try:
        before = _count(first)
        _started(second, catalog)
        assert _count(first) == _count(second) > before
    finally:
        first.dispose()
        second.dispose()


ADDS = 20_000


def _add_many(path: str, ready: Any) -> None:
    changes = SharedChanges(Path(path))
    ready.wait()  # every process adds at the same time
    for _ in range(ADDS):
        changes.add()
    changes.close()


def test_processes_adding_at_once_lose_no_write(tmp_path: Path) -> None:
    path = tmp_path / "hinge.db.changes"
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(4)
    workers = [spawn.Process(target=_add_many, args=(str(path), ready)) for _ in range(3)]
    for worker in workers:
        worker.start()
    _add_many(str(path), ready)
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert SharedChanges(path).count() == 4 * ADDS


@pytest.mark.parametrize(
    ("database", "backend", "kind"),
    [
        ("hinge.db", "sqlite", SharedChanges),
        (None, "sqlite", LocalChanges),  # in memory
        ("hinge", "postgresql", type(None)),
    ],
)
def test_which_count_a_database_gets(
    tmp_path: Path, database: str | None, backend: str, kind: type
) -> None:
    found = changes_beside(tmp_path / database if database else None, backend)
    assert isinstance(found, kind)
    if isinstance(found, SharedChanges):
        assert (tmp_path / "hinge.db.changes").exists()
        found.close()


def test_every_spelling_of_a_file_shares_its_count(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    one = changes_beside(tmp_path / "real" / "hinge.db", "sqlite")
    other = changes_beside(tmp_path / "link" / "hinge.db", "sqlite")
    assert one is not None
    assert other is not None
    one.add()
    assert other.count() == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda db: db.execute(text("DELETE FROM web_sessions")),
        lambda db: db.connection().execute(delete(WebSessionRow)),
        lambda db: db.connection().exec_driver_sql("DELETE FROM web_sessions"),
    ],
    ids=["text through the session", "Core on its connection", "raw SQL on its connection"],
)
def test_a_write_counts_however_it_is_run(shared: Store, write: Any) -> None:
    before = _count(shared)
    with SqlUnitOfWork(shared) as uow:
        write(uow.db)
    assert _count(shared) == before + 1


def test_a_write_before_a_savepoint_rolled_back_still_counts(shared: Store) -> None:
    before = _count(shared)
    with SqlUnitOfWork(shared, write=True) as uow:
        uow.db.execute(delete(WebSessionRow))
        savepoint = uow.db.begin_nested()
        uow.db.execute(delete(WebSessionRow))
        savepoint.rollback()
    assert _count(shared) == before + 1


def test_a_count_that_cannot_be_opened_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "hinge.db.changes").mkdir()  # in the way
    with pytest.raises(StoreError, match=r"hinge\.db\.changes"):
        open_store(sqlite_url(tmp_path / "hinge.db"))


def _add_after_fork(changes: SharedChanges, ready: Any) -> None:
    ready.wait()
    for _ in range(ADDS):
        changes.add()


def test_a_forked_process_keeps_apart_from_its_parent(tmp_path: Path) -> None:
    """A child forked after the count was opened shares the parent's open file, on which
    `flock` would not keep them apart: it locks on its own."""
    changes = SharedChanges(tmp_path / "hinge.db.changes")
    changes.add()
    fork = multiprocessing.get_context("fork")
    ready = fork.Barrier(2)
    child = fork.Process(target=_add_after_fork, args=(changes, ready))
    child.start()
    _add_after_fork(changes, ready)
    child.join(timeout=120)
    assert child.exitcode == 0
    assert changes.count() == 1 + 2 * ADDS


# -- PostgreSQL: the count is what each process hears (NotifiedChanges) --------------------


@pytest.fixture
def pg_url() -> str:
    from tests.conftest import _fresh_postgres, postgres_url_or_skip

    url = postgres_url_or_skip()
    _fresh_postgres(url)
    return url


def _heard(changes: Any, moved: Any, seconds: float = 3.0) -> bool:
    """True once `moved(count)` holds, within `seconds` (a notification takes a moment)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        count = changes.count()  # the first call starts the listener
        if changes.listening() and moved(count):
            return True
        time.sleep(0.01)
    return False


def _listeners(store: Store) -> int:
    """Listeners of this project's count connected to the store's database now."""
    with store.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :name"
            ),
            {"name": APPLICATION},
        )
        return int(found.scalar_one())


@pytest.mark.postgres
def test_another_process_s_write_is_heard_and_a_read_or_a_rollback_is_not(
    pg_url: str, catalog: Catalog
) -> None:
    reader, writer = open_store(pg_url), open_store(pg_url)
    try:
        changes = reader.changes
        assert isinstance(changes, NotifiedChanges)
        assert _heard(changes, lambda _count: True)  # the first count starts the listener
        before = changes.count()
        coach = _started(writer, catalog)  # ORM rows, flushed by the commit itself
        assert _heard(changes, lambda count: count > before)
        after = changes.count()

        coach.today_view()
        with pytest.raises(HingeError):
            coach.log(session(pain_during=11))
        with pytest.raises(RuntimeError):
            _write_then_fail(writer)
        coach.log(session())  # the one write among them
        with writer.engine.connect() as conn:  # a last notification, after all of them
            conn.exec_driver_sql(f"NOTIFY {CHANNEL}")
            conn.commit()
        assert _heard(changes, lambda count: count >= after + 2)
        assert changes.count() == after + 2  # the log and the last one: nothing else
    finally:
        reader.dispose()
        writer.dispose()


@pytest.mark.postgres
def test_a_url_that_names_the_listener_s_own_options_still_listens(pg_url: str) -> None:
    store = open_store(pg_url + "?application_name=riverside&connect_timeout=10")
    try:
        assert isinstance(store.changes, NotifiedChanges)
        assert _heard(store.changes, lambda _count: True)
    finally:
        store.dispose()


@pytest.mark.postgres
def test_a_listener_whose_connection_is_lost_trusts_nothing_until_it_listens_again(
    pg_url: str,
) -> None:
    store = open_store(pg_url)
    try:
        changes = store.changes
        assert isinstance(changes, NotifiedChanges)
        assert _heard(changes, lambda _count: True)
        before = changes.count()
        with store.engine.connect() as conn:  # as a server restart or a cut would
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name = :name"
                ),
                {"name": APPLICATION},
            )
            conn.commit()
        deadline = time.monotonic() + 3
        while changes.listening() and time.monotonic() < deadline:
            time.sleep(0.01)
        unknown = [changes.count() for _ in range(3)]  # it waits RETRY_AFTER to listen again
        assert len(set(unknown)) == 3
        assert all(count < 0 for count in unknown)
        assert _heard(changes, lambda count: count > before, seconds=10)
    finally:
        store.dispose()


@pytest.mark.postgres
def test_a_process_that_only_writes_never_listens(pg_url: str, catalog: Catalog) -> None:
    """The CLI and the workers notify; only a process that reads the count opens the
    listener's connection."""
    store = open_store(pg_url)
    try:
        assert eventually(lambda: _listeners(store) == 0)  # earlier tests' have closed
        _started(store, catalog).log(session())
        assert _listeners(store) == 0
        assert store.changes is not None
        store.changes.count()
        assert eventually(lambda: _listeners(store) == 1)
    finally:
        store.dispose()
    probe = open_store(pg_url)
    try:
        assert eventually(lambda: _listeners(probe) == 0)  # closed with its store
    finally:
        probe.dispose()
