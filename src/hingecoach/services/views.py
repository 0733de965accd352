"""What a process keeps of each learner while nothing of theirs changes: the window a
decision reads (their evidence), today's view, and the questionnaires due.

The Today page, the timer, the ladder page and their JSON twins all show the same view, and
a learner opens them again and again between two writes; a session logged reads the same
window the page before it did. Both are pure functions of the learner's rows, whose
`revision` counts up with every write (adapters/db/revisions.py), so each is kept with the
revision it was made at and nothing stale can be served. One slot per learner (`Newest`): a
write's new revision replaces the old value. Per process, bounded (HINGE_CACHE_LEARNERS,
docs/settings.md); the CLI keeps nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from hingecoach.adapters.db.records import Evidence
from hingecoach.services.outcomes import OutcomesView
from hingecoach.services.results import TodayView

__all__ = ["Kept", "LearnerCache", "Newest", "Tail", "Version"]

V = TypeVar("V")


class Kept(Generic[V]):
    """A bounded map that forgets the least recently used first; safe across threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value under `key`, made (outside the lock) when it is not kept yet."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = make()
        self.put(key, made)
        return made

    def peek(self, key: Hashable) -> V | None:
        """The value under `key`, if kept (not counted as a use)."""
        with self._lock:
            return self._items.get(key)

    def find(self, key: Hashable) -> V | None:
        """The value under `key`, if kept, counted as a use (kept longest)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V, replaces: Callable[[V], bool] | None = None) -> None:
        """Keep `value` under `key`; if something is kept there already, only where
        `replaces(kept)` says so (one look under the lock, so two threads cannot cross)."""
        if self._size > 0:
            with self._lock:
                kept = self._items.get(key)
                if kept is not None and replaces is not None and not replaces(kept):
                    return
                self._items[key] = value
                self._items.move_to_end(key)
                if len(self._items) > self._size:
                    self._items.popitem(last=False)


Version = tuple[int, Hashable]  # the learner's revision, and what else a value depends on


class Newest(Generic[V]):
    """One value per slot (a learner), at its newest version only. A write's new version
    replaces the old one in its slot, instead of lying beside it until the least recently
    used is pushed out: so `size` slots keep `size` learners however often they write (with
    two server processes, each write of another process's would otherwise leave one dead
    entry per log behind). A value made at an older revision (a read that began before a
    write) never replaces one at a newer revision."""

    def __init__(self, size: int) -> None:
        self._kept: Kept[tuple[Version, V]] = Kept(size)

    def get(self, slot: Hashable, version: Version, make: Callable[[], V]) -> V:
        """The value in `slot` if it is at `version`, else made (outside the lock) and kept."""
        found = self._kept.find(slot)
        if found is not None and found[0] == version:
            return found[1]
        made = make()
        self.put(slot, version, made)
        return made

    def put(self, slot: Hashable, version: Version, value: V) -> None:
        revision = version[0]
        self._kept.put(slot, (version, value), replaces=lambda kept: kept[0][0] <= revision)


@dataclass(frozen=True)
class Tail:
    """The newest window a process read whole or logged a session into, for one learner:
    at `revision`, from the day `start`, up to the session `last_session`. Another
    process's logs since are added to it by reading only them (services/coach.py,
    `_caught_up`)."""

    revision: int
    start: date
    evidence: Evidence
    last_session: int


class LearnerCache:
    """Each learner's evidence, today's view and questionnaires due, for `size` learners
    (0 keeps nothing); and the newest window each was logged into (`Tail`)."""

    def __init__(self, size: int = 256) -> None:
        self.tails: Kept[Tail] = Kept(size)
        self.evidence: Newest[Evidence] = Newest(size)
        self.today: Newest[TodayView] = Newest(size)
        self.outcomes: Newest[OutcomesView] = Newest(size)
