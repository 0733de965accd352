"""Open a database by URL, migrate it to the newest schema, hand out sessions.

SQLite is the embedded default (WAL journal, foreign keys on, one file in the user's data
folder); PostgreSQL is chosen by URL. A file that is not a database, or a database from a
newer HingeCoach, is refused with a `StoreError` before anything is written.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hingecoach.errors import StoreError

__all__ = ["Store", "open_store", "sqlite_url"]


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _alembic_config() -> Config:
    cfg = Config()
    location = resources.files("hingecoach.adapters.db") / "migrations"
    cfg.set_main_option("script_location", str(location))
    return cfg


def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"database URL: cannot parse {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).expanduser().parent
            if not folder.is_dir():
                raise StoreError(f"database: folder {folder} does not exist")
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as exc:  # the driver may be missing
        raise StoreError(f"database URL {parsed.render_as_string()}: {exc}") from None


class Store:
    """A migrated database and the factory for its sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    def head(self) -> str | None:
        return ScriptDirectory.from_config(_alembic_config()).get_current_head()

    def current(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> None:
        """Apply every migration not yet applied, in one transaction."""
        cfg = _alembic_config()
        script = ScriptDirectory.from_config(cfg)
        try:
            with self.engine.begin() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                if current is not None and current not in {
                    r.revision for r in script.walk_revisions()
                }:
                    raise StoreError(
                        f"database {self._where()} was made by a newer HingeCoach "
                        f"(schema {current}); upgrade HingeCoach first"
                    )
                if current == script.get_current_head():
                    return
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except (OperationalError, DBAPIError) as exc:
            raise StoreError(f"database {self._where()} cannot be used: {_short(exc)}") from None

    def _where(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()[0]
    if "file is not a database" in text:
        return "the file is damaged or is not a HingeCoach database"
    return text


def open_store(url: str) -> Store:
    """Open and migrate; every failure is a one-line `StoreError`."""
    store = Store(url)
    store.upgrade()
    return store
