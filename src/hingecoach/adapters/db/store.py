"""Open a database by URL, migrate it to the newest schema, hand out sessions.

SQLite is the embedded default (WAL journal, foreign keys on, one file in the user's data
folder); PostgreSQL is chosen by URL. A file that is not a database, or a database from a
newer HingeCoach, is refused with a `StoreError` before anything is written.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    import alembic.config
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from hingecoach.adapters.db.changes import Changes, NotifiedChanges, changes_beside
from hingecoach.adapters.db.revisions import bump_revisions
from hingecoach.errors import StoreError

__all__ = ["Store", "describe", "display_url", "open_store", "sqlite_url"]


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file; `?`, `#` and `%` in the path are escaped, not read as URL parts."""
    return URL.create("sqlite+pysqlite", database=str(path)).render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL for messages and `hinge db path`, with any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", url)


# How long a SQLite writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_MS = 15_000

# Connections a process keeps open (and as many more at a peak, closed when given back).
# SQLAlchemy's default keeps 5: with ten requests at once across two processes, one often
# had more than five in the database, and each connection past five was opened and closed
# again for one request. A new PostgreSQL connection starts a server process; about ten
# of those a second stalled every query of the server, the other processes' too, for up to
# two seconds (bench/api.py on PostgreSQL: GET /api/v1/me p99 from 1,000 to 14 ms).
POOL_SIZE = 10


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own (legacy) transaction control never BEGINs before DDL, so a migration
    # that failed half-way would stay half-applied. Take it over: no implicit BEGIN from the
    # driver; `_sqlite_begin` emits one at the start of every SQLAlchemy transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for a transaction that will write (execution option
    `write`): it takes the write lock at once, waiting up to the busy timeout, so two
    processes writing the same file queue instead of one failing with "database is locked"
    when it tries to upgrade a read lock."""
    write = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# The newest migration (a test checks it against the migrations folder). A command on a
# database already at it never loads Alembic, so `hinge today` starts at once.
SCHEMA_HEAD = "0011"


def _alembic_config() -> alembic.config.Config:
    from alembic.config import Config

    cfg = Config()
    location = resources.files("hingecoach.adapters.db") / "migrations"
    cfg.set_main_option("script_location", str(location))
    return cfg


def _changes(engine: Engine, file: str | None) -> Changes | None:
    """The count of committed writes (adapters/db/changes.py), or a `StoreError` naming the
    file that could not be opened."""
    if engine.url.get_backend_name() == "postgresql":
        return NotifiedChanges(_connector(engine))
    try:
        return changes_beside(Path(file) if file else None, engine.url.get_backend_name())
    except OSError as exc:
        raise StoreError(f"database: cannot open {exc.filename}: {exc.strerror}") from None


def _connector(engine: Engine) -> Callable[..., Any]:
    """A new DB-API connection to the engine's database each call, outside its pool, with
    the driver's own options added (the listener of `NotifiedChanges` holds one for as long
    as the process runs). An option the URL names too (`?application_name=...`) is the
    listener's own here, not an error."""
    args, options = engine.dialect.create_connect_args(engine.url)
    return lambda **extra: engine.dialect.connect(*args, **{**options, **extra})


def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(f"database URL: cannot parse {display_url(url)!r}") from None
    if parsed.drivername in {"postgres", "postgresql"}:
        # psycopg 3 is the driver HingeCoach installs (the `postgres` extra); SQLAlchemy's
        # default for a bare postgresql:// is psycopg2, which is not installed.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).expanduser().parent
            if not folder.is_dir():
                raise StoreError(f"database: folder {folder} does not exist")
    try:
        if parsed.get_backend_name() != "sqlite":
            return create_engine(
                parsed, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_SIZE
            )
        dialect = parsed.get_dialect()
        pooled = issubclass(dialect, DefaultDialect) and issubclass(
            dialect.get_pool_class(parsed), QueuePool
        )
        pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_SIZE} if pooled else {}
        engine = create_engine(parsed, **pool)  # a database in memory: one per thread
    except Exception as exc:  # an unknown dialect, or the driver is missing
        where = parsed.render_as_string(hide_password=True)
        raise StoreError(f"database URL {where}: {exc}") from None
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


class WriteGate:
    """Where the writers of one SQLite file queue: the threads of this process on a lock,
    the processes (`hinge serve --workers N`) on an advisory lock on a file beside the
    database. Without it, every writer waits in SQLite's busy handler, which sleeps up to
    100 ms between looks at the lock, so under load a write could wait seconds (bench/api.py).

    Waiting is bounded by the busy timeout, as SQLite's own wait is: then a `StoreError`.
    """

    def __init__(self, database: Path) -> None:
        self._threads = threading.Lock()
        self._path = database.with_name(database.name + ".write-lock")
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        if not self._threads.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise StoreError("database: too busy to save the change now (try again)")
        try:
            self._lock_file(deadline)
            try:
                yield
            finally:
                self._unlock_file()
        finally:
            self._threads.release()

    def _lock_file(self, deadline: float) -> None:
        if fcntl is None:  # Windows: SQLite's own wait only
            return
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        "database: too busy to save the change now (try again)"
                    ) from None
                time.sleep(pause)  # another process writes: look again soon
                pause = min(pause * 2, 0.001)

    def _unlock_file(self) -> None:
        if fcntl is not None and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Store:
    """A migrated database and the factory for its sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", bump_revisions)
        database = self.engine.url.database
        # A SQLite file other processes may open, not a database in memory (SQLAlchemy pools
        # connections to a file, and keeps one per thread for memory).
        on_file = self.engine.url.get_backend_name() == "sqlite" and isinstance(
            self.engine.pool, QueuePool
        )
        self._gate = WriteGate(Path(database)) if on_file and database else None
        self.changes = _changes(self.engine, database if on_file else None)
        if self.changes is not None:
            _count_commits(self.engine, self._sessions, self.changes)

    def writing(self) -> AbstractContextManager[None]:
        """Hold while a write transaction runs: SQLite writers queue (see `WriteGate`);
        PostgreSQL needs nothing (its row locks let writers run side by side)."""
        return self._gate.held() if self._gate is not None else nullcontext()

    def session(self, write: bool = False) -> Session:
        """A session; `write` makes its transaction take the write lock at once (SQLite)."""
        db = self._sessions()
        if write:
            db.connection(execution_options={"write": True})
        return db

    def head(self) -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(_alembic_config()).get_current_head()

    def current(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def _at_head(self) -> bool:
        """The schema is the newest, read straight from Alembic's version table."""
        try:
            with self.engine.connect() as conn:
                found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:
            return False  # no table yet (a new database), or unreadable: upgrade() says why
        return [row[0] for row in found] == [SCHEMA_HEAD]

    def upgrade(self) -> None:
        """Apply every migration not yet applied, in one transaction."""
        if self._at_head():
            return
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = _alembic_config()
        script = ScriptDirectory.from_config(cfg)
        try:
            with self.engine.begin() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                if current is not None and current not in {
                    r.revision for r in script.walk_revisions()
                }:
                    raise StoreError(
                        f"database {self.where()} was made by a newer HingeCoach "
                        f"(schema {current}); upgrade HingeCoach first"
                    )
                if current == script.get_current_head():
                    return
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except DBAPIError as exc:
            raise StoreError(f"database {self.where()} cannot be used: {describe(exc)}") from None

    def where(self) -> str:
        """The URL with any password hidden, for messages."""
        return display_url(self.url)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._gate is not None:
            self._gate.close()
        if self.changes is not None:
            self.changes.close()


_WROTE = "hinge_wrote"  # in a connection's info: its transaction ran a statement that writes
_USED = "hinge_connections"  # in a session's info: the connections its transaction began on
# Statements that never write; anything else counts as a write (a spare count only makes a
# kept answer again, a missed one could show a stale one).
_READS = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "SHOW")


def _count_commits(engine: Engine, sessions: sessionmaker[Session], changes: Changes) -> None:
    """Add one to `changes` after every commit of a session whose transaction ran a
    statement that writes, however it was run: an ORM flush, a Core or text statement, or
    one on the session's connection (adapters/db/changes.py)."""

    def statement(conn: Connection, _cursor: Any, sql: str, *_rest: Any) -> None:
        if not sql.lstrip()[:9].upper().startswith(_READS):
            conn.info[_WROTE] = True

    def began(session: Session, _transaction: Any, connection: Connection) -> None:
        connection.info.pop(_WROTE, None)  # what an earlier transaction on it wrote is done
        session.info.setdefault(_USED, []).append(connection)

    def committed(session: Session) -> None:
        used = session.info.pop(_USED, [])
        if [c for c in used if c.info.pop(_WROTE, False)]:  # every flag taken off
            changes.add()

    def announce(session: Session) -> None:
        """Tell other processes (PostgreSQL's NOTIFY), inside the transaction just before
        its commit, so that it is heard only if the transaction commits. What is still to
        flush is flushed first, so that its writes are seen; an error is the session's,
        as any statement's (the unit of work says the change was not saved)."""
        if changes.notice is None:
            return
        session.flush()
        for connection in session.info.get(_USED, []):
            if connection.info.get(_WROTE):
                connection.exec_driver_sql(changes.notice)

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(sessions, "before_commit", announce)
    event.listen(sessions, "after_begin", began)
    event.listen(sessions, "after_commit", committed)


def describe(exc: BaseException) -> str:
    """One line for a database error: the driver's first line, or plain words for damage."""
    orig = getattr(exc, "orig", None)
    lines = str(orig if orig is not None else exc).strip().splitlines()
    text = lines[0] if lines else exc.__class__.__name__
    if "file is not a database" in text or "malformed" in text:
        return "the file is damaged or is not a HingeCoach database"
    return text


def open_store(url: str) -> Store:
    """Open and migrate; every failure is a one-line `StoreError` (and nothing is left open)."""
    store = Store(url)
    try:
        store.upgrade()
    except BaseException:
        store.dispose()
        raise
    return store
