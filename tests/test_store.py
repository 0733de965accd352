"""The store: migrations, schema agreement, transactions, and refusing unusable databases.

Every test that takes `store` or `db_url` runs on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any, Self

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.exc import OperationalError

from hingecoach.adapters.db.repositories import ProgrammeRepository
from hingecoach.adapters.db.store import POOL_SIZE, SCHEMA_HEAD, Store, open_store, sqlite_url
from hingecoach.adapters.db.tables import (
    Base,
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    LearnerRow,
    ScreenRow,
    SessionRow,
    SetRow,
)
from hingecoach.catalog import Catalog
from hingecoach.engine.model import Experience
from hingecoach.errors import StoreError, ValidationError
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput, StartInput
from hingecoach.services.uow import SqlUnitOfWork, UnitOfWorkFactory, sql

DAY = date(2026, 3, 2)
ROWS = (LearnerRow, ScreenRow, SessionRow, SetRow, CheckInRow, DecisionRow, ClearanceRow)


def counts(store: Store) -> dict[str, int]:
    with store.session() as db:
        return {
            row.__tablename__: db.scalar(select(func.count()).select_from(row)) or 0 for row in ROWS
        }


def started(store: Store, catalog: Catalog) -> Coach:
    coach = Coach(sql(store), catalog, DAY)
    coach.start(StartInput("Ann", "solving-pain", Experience.NEW, 2, frozenset({"mat", "wall"})))
    return coach


def a_session(**changes: object) -> LogInput:
    values: dict[str, object] = {
        "day": DAY,
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        "sets": [(None, 30), (None, 30)],
    }
    values.update(changes)
    return LogInput(**values)  # type: ignore[arg-type]


# -- migrations -----------------------------------------------------------------------


def test_migrations_create_every_table(store: Store) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= names
    assert "alembic_version" in names
    assert store.current() == store.head()


def test_the_schema_head_a_command_checks_is_the_newest_migration(store: Store) -> None:
    """Opening a database at SCHEMA_HEAD skips Alembic (a fast CLI start): it must be the
    newest migration, or a new one would never be applied."""
    assert store.head() == SCHEMA_HEAD


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []


def test_opening_twice_is_idempotent_and_keeps_the_data(db_url: str, catalog: Catalog) -> None:
    first = open_store(db_url)
    try:
        started(first, catalog)
        before = counts(first)
    finally:
        first.dispose()
    second = open_store(db_url)
    try:
        assert second.current() == second.head()
        assert counts(second) == before
        second.upgrade()  # a third time, on the open store
        assert counts(second) == before
    finally:
        second.dispose()


def test_a_newer_schema_is_refused_by_name(db_url: str) -> None:
    store = open_store(db_url)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    finally:
        store.dispose()
    with pytest.raises(StoreError, match="9999_from_the_future") as caught:
        open_store(db_url)
    assert "newer HingeCoach" in str(caught.value)


def test_ddl_is_transactional(store: Store) -> None:
    """A migration that fails half-way leaves nothing behind, on SQLite too."""

    def half_a_migration() -> None:
        with store.engine.begin() as conn:
            conn.execute(text("CREATE TABLE half_done (id INTEGER PRIMARY KEY)"))
            raise RuntimeError("migration failed")

    with pytest.raises(RuntimeError):
        half_a_migration()
    assert "half_done" not in inspect(store.engine).get_table_names()


# -- transactions: a failed command changes nothing -----------------------------------


def test_a_refused_log_leaves_the_database_as_it_was(store: Store, catalog: Catalog) -> None:
    coach = started(store, catalog)
    before = counts(store)
    with pytest.raises(ValidationError, match="pain_during"):
        coach.log(a_session(pain_during=11))
    assert counts(store) == before


def _with(store: Store, repository: type[ProgrammeRepository]) -> UnitOfWorkFactory:
    """A real transaction whose programme repository is `repository` (a hand-written fake
    that fails at one step), so a test can break a use case half-way without patching."""

    class Uow(SqlUnitOfWork):
        def __enter__(self) -> Self:
            super().__enter__()
            self.programme = repository(self.db)
            return self

    return lambda write=False: Uow(store, write)


def test_a_failure_after_the_session_is_flushed_is_rolled_back(
    store: Store, catalog: Catalog
) -> None:
    started(store, catalog)
    before = counts(store)
    flushed: list[int] = []

    class Broken(ProgrammeRepository):
        def add_session(self, *args: Any, **kwargs: Any) -> int:
            flushed.append(super().add_session(*args, **kwargs))
            return flushed[-1]

        def store_decision(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("disk on fire")

    coach = Coach(_with(store, Broken), catalog, DAY)
    with pytest.raises(RuntimeError, match="disk on fire"):
        coach.log(a_session(flags=frozenset({"S-C2"})))
    assert flushed, "the session row was written before the failure"
    assert counts(store) == before
    with store.session() as db:
        learner = db.scalars(select(LearnerRow)).one()
        assert learner.state["rung"] == 0


def test_a_database_error_inside_a_command_becomes_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="not saved"), SqlUnitOfWork(store) as uow:
        uow.db.execute(text("SELECT * FROM no_such_table"))


def test_a_checkin_failure_leaves_no_checkin(store: Store, catalog: Catalog) -> None:
    started(store, catalog)
    before = counts(store)

    class LostConnection(ProgrammeRepository):
        def add_decision(self, *args: Any, **kwargs: Any) -> None:
            raise OperationalError("INSERT", {}, Exception("connection lost"))

    coach = Coach(_with(store, LostConnection), catalog, DAY)
    with pytest.raises(StoreError, match="connection lost"):
        coach.checkin(CheckInInput(day=DAY, pain=1))
    assert counts(store) == before


# -- SQLite specifics and unusable databases ------------------------------------------


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(sqlite_url(tmp_path / "wal.db"))
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.dispose()


def test_a_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    garbage = b"this is not a database, just some bytes\x00\xff" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="damaged or is not a HingeCoach database"):
        open_store(sqlite_url(path))
    assert path.read_bytes() == garbage


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(sqlite_url(tmp_path / "nowhere" / "x.db"))


@pytest.mark.parametrize(
    "url",
    [
        "nosuchdb://u:secret@x/y",
        "sqlite+nosuchdriver:///x.db",
        "::::",
        "postgresql://u:secret@host:port/db",  # a port that is not a number
    ],
)
def test_an_unusable_url_is_refused_without_showing_a_password(url: str) -> None:
    with pytest.raises(StoreError, match="database URL") as caught:
        open_store(url)
    assert "secret" not in str(caught.value)


def test_a_path_with_url_characters_is_the_file_it_names(tmp_path: Path) -> None:
    path = tmp_path / "odd?name#1%.db"
    store = open_store(sqlite_url(path))
    store.dispose()
    assert path.exists()
    assert [p.name for p in tmp_path.glob("*.db")] == [path.name]


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_bare_postgresql_url_uses_the_installed_driver(scheme: str) -> None:
    store = Store(f"{scheme}://user:secret@localhost:1/nothing")  # no connection is made
    try:
        assert store.engine.dialect.driver == "psycopg"
        assert "secret" not in store.where()
    finally:
        store.dispose()


def test_ten_requests_at_once_keep_their_connections(store: Store) -> None:
    """A connection past the pool's size is opened and closed again for one use; on
    PostgreSQL each is a new server process, and a stream of them stalled every query of
    the server (store.POOL_SIZE). Ten at once, twenty times, open at most ten."""
    opened: list[object] = []
    event.listen(store.engine, "connect", lambda *_: opened.append(1))
    together = threading.Barrier(10)

    def requests() -> None:
        for _ in range(20):
            together.wait(timeout=30)  # all ten in the database at the same moment
            with SqlUnitOfWork(store) as uow:
                uow.accounts.session_user("no such session")
                time.sleep(0.002)

    workers = [threading.Thread(target=requests) for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(opened) <= POOL_SIZE
