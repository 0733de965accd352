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
process (`<database>.changes`); for an in-memory database, in the process. A database other
processes may write from other machines (PostgreSQL) has no count here: its readers ask the
database each time.
"""

from __future__ import annotations

import mmap
import os
import struct
import threading
from pathlib import Path
from typing import Protocol

try:
    import fcntl
except ImportError:  # Windows: no shared count, every read goes to the database
    fcntl = None  # type: ignore[assignment]

__all__ = ["Changes", "LocalChanges", "SharedChanges", "changes_beside"]

_COUNT = struct.Struct("<Q")
_SIZE = 4096  # one page; only the first 8 bytes are used


class Changes(Protocol):
    """The number of write transactions committed so far (never decreasing)."""

    def count(self) -> int: ...

    def add(self) -> None: ...

    def close(self) -> None: ...


class LocalChanges:
    """For a database only this process writes (SQLite in memory)."""

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


def changes_beside(database: Path | None, backend: str) -> Changes | None:
    """The count for a database: in a file beside a SQLite file (found by its real path, so
    every spelling of it shares one count), in this process for SQLite in memory (`None`),
    none for a server database (another machine's writes would not count)."""
    if backend != "sqlite":
        return None
    if database is None:
        return LocalChanges()
    if fcntl is None:
        return None
    path = database.expanduser().resolve()
    return SharedChanges(path.with_name(path.name + ".changes"))
