"""A count of the database's committed writes that every process on the machine can read in
a fraction of a microsecond: what lets a server process answer a read from memory and still
never show what another process has changed (web/kept.py).

Every transaction that wrote something adds one after its commit (`Store` hooks this on its
sessions, so every door and every process that opens the store counts: the web processes,
the CLI, the form-check workers). A reader notes the count *before* it reads the database
and keeps its answer under that count; while the count is the same, nothing was committed
since, so the kept answer is the database's. A write committed while the reader read moves
the count after its commit, so the kept answer is never served.

For a SQLite file the count lives in a small file beside it, mapped into memory by every
process (`<database>.changes`); for an in-memory database, in the process. A server database
(PostgreSQL), written from other machines too, tells each process: every write transaction
sends `NOTIFY hinge_changes` just before its commit (delivered only if it commits), and each
process that reads the count listens on a connection of its own and counts what it hears
(`NotifiedChanges`). A notification takes a moment to arrive, so another process's write
can go unseen for that moment (milliseconds); the writer's own process counts at once.
"""

from __future__ import annotations

import itertools
import logging
import mmap
import os
import struct
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

try:
    import fcntl
except ImportError:  # Windows: no shared count, every read goes to the database
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "CHANNEL",
    "Changes",
    "LocalChanges",
    "NotifiedChanges",
    "SharedChanges",
    "changes_beside",
]

_COUNT = struct.Struct("<Q")
_SIZE = 4096  # one page; only the first 8 bytes are used


class Changes(Protocol):
    """The number of write transactions committed so far (never decreasing).

    `notice`, if any, is the statement a write transaction runs just before its commit so
    that other processes hear of it (adapters/db/store.py)."""

    notice: str | None

    def count(self) -> int: ...

    def add(self) -> None: ...

    def close(self) -> None: ...


class LocalChanges:
    """For a database only this process writes (SQLite in memory)."""

    notice: str | None = None

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def count(self) -> int:
        return self._count

    def add(self) -> None:
        with self._lock:
            self._count += 1

    def close(self) -> None:
        """Nothing to release: the count lives in this process."""


class SharedChanges:
    """The count in a file mapped into every process. Reading is an 8-byte load; adding one
    holds an advisory lock on the file (and a lock for this process's threads), so two
    writers never both write the same next number."""

    notice: str | None = None

    def __init__(self, path: Path) -> None:
        self._threads = threading.Lock()
        self._path = path
        self._pid = os.getpid()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(self._fd).st_size < _SIZE:
                os.ftruncate(self._fd, _SIZE)  # zeros: a new count starts at 0
            self._map = mmap.mmap(self._fd, _SIZE)
        except BaseException:
            os.close(self._fd)
            raise

    def count(self) -> int:
        value: int = _COUNT.unpack_from(self._map, 0)[0]
        return value

    def add(self) -> None:
        with self._threads:
            assert fcntl is not None  # changes_beside makes none without it
            lock = self._lock_fd()
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                _COUNT.pack_into(self._map, 0, _COUNT.unpack_from(self._map, 0)[0] + 1)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _lock_fd(self) -> int:
        """The descriptor to lock on. A forked child shares its parent's open file, and
        `flock` would not keep the two apart: the child opens its own."""
        if os.getpid() != self._pid:
            inherited = self._fd
            self._pid, self._fd = os.getpid(), os.open(self._path, os.O_RDWR)
            os.close(inherited)  # the parent's lock is the parent's
        return self._fd

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)


CHANNEL = "hinge_changes"
APPLICATION = "hinge-changes"  # the listener's application_name in pg_stat_activity
RETRY_AFTER = 1.0  # seconds between attempts to listen again after the connection is lost
_WAIT = 0.5  # seconds the listener waits for a notification before it looks at `close`
_PROBE_AFTER = 10.0  # seconds of silence after which the listener asks the server `SELECT 1`
# A connection that dies without a word (a network cut, an idle timeout on the way) is
# noticed by TCP keepalives within about 25 s; meanwhile `FRESH_FOR` (web/kept.py, 1 s)
# still bounds what a kept answer can miss.
LISTENER_OPTIONS = {
    "autocommit": True,
    "application_name": APPLICATION,
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

log = logging.getLogger(__name__)


class NotifiedChanges:
    """The count for a server database (PostgreSQL): one more for each `NOTIFY hinge_changes`
    this process hears, and one more at once for each of its own commits.

    The listener (a thread and a connection of its own) starts with the first `count()`,
    in the process that reads (a web server process; the CLI and the workers only write,
    and so only notify). Until it listens, and once its connection is found lost, nothing
    heard can be trusted: `count()` is then negative, a new number each time, so no kept
    answer is served or kept (web/kept.py), and the count moves once more when it listens
    again. The thread alone touches its connection, and closes it.
    """

    notice: str | None = f"NOTIFY {CHANNEL}"

    def __init__(self, connect: Callable[..., Any]) -> None:
        self._connect = connect  # a new DB-API connection (psycopg), used only to listen
        self._count = 0
        self._owner: int | None = None  # the process the listener runs in
        self._closed = threading.Event()
        self._fresh_locks()
        _ALL.add(self)

    def _fresh_locks(self) -> None:
        """New locks and a new listening flag (at start, and in a forked child: a lock
        held by a thread of the parent at the fork would stay held in the child)."""
        self._lock = threading.Lock()
        self._listening = threading.Event()
        self._unknown = itertools.count(-1, -1)

    def count(self) -> int:
        if self.listening():
            return self._count
        self._listen()
        with self._lock:
            return next(self._unknown)

    def add(self) -> None:
        with self._lock:
            self._count += 1

    def listening(self) -> bool:
        return self._listening.is_set() and self._owner == os.getpid()

    def _listen(self) -> None:
        """Start the listener in this process, once (a forked child starts its own)."""
        with self._lock:
            if self._owner == os.getpid() or self._closed.is_set():
                return
            self._owner = os.getpid()
        threading.Thread(target=self._run, name=APPLICATION, daemon=True).start()

    def _run(self) -> None:
        failed = False
        while not self._closed.is_set():
            try:
                self._hear()
            except Exception as error:  # lost, or cannot be made: try again soon
                self._listening.clear()
                if not failed:  # once per outage, not once per attempt
                    log.warning(
                        "not hearing other processes' writes (kept answers are off until then): %s",
                        error,
                    )
                failed = True
                self._closed.wait(RETRY_AFTER)
            else:
                failed = False

    def _hear(self) -> None:
        with self._connect(**LISTENER_OPTIONS) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.add()  # what was written while no one listened
            self._listening.set()
            silent = 0.0
            while not self._closed.is_set():
                silent += _WAIT
                for _ in connection.notifies(timeout=_WAIT):
                    self.add()
                    silent = 0.0
                if silent >= _PROBE_AFTER:
                    connection.execute("SELECT 1")  # raises if the server is gone
                    silent = 0.0

    def close(self) -> None:
        """Stop listening: the thread closes its connection within `_WAIT` seconds."""
        self._closed.set()
        self._listening.clear()


_ALL: weakref.WeakSet[NotifiedChanges] = weakref.WeakSet()


def _forked() -> None:
    for changes in list(_ALL):
        changes._fresh_locks()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


def changes_beside(database: Path | None, backend: str) -> Changes | None:
    """The count for a SQLite database: in a file beside it (found by its real path, so
    every spelling of it shares one count), in this process for SQLite in memory (`None`).
    A server database's count is `NotifiedChanges` (adapters/db/store.py makes it)."""
    if backend != "sqlite":
        return None
    if database is None:
        return LocalChanges()
    if fcntl is None:
        return None
    path = database.expanduser().resolve()
    return SharedChanges(path.with_name(path.name + ".changes"))
