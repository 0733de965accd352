"""What a process keeps of each learner while nothing of theirs changes: the window a
decision reads (their evidence), today's view, and the questionnaires due.

The Today page, the timer, the ladder page and their JSON twins all show the same view, and
a learner opens them again and again between two writes; a session logged reads the same
window the page before it did. Both are pure functions of the learner's rows, whose
`revision` counts up with every write (adapters/db/revisions.py), so the revision is in
every key and nothing stale can be served. Per process, bounded (HINGE_CACHE_LEARNERS,
docs/settings.md); the CLI keeps nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from hingecoach.adapters.db.records import Evidence
from hingecoach.services.outcomes import OutcomesView
from hingecoach.services.results import TodayView

__all__ = ["Kept", "LearnerCache"]

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

    def put(self, key: Hashable, value: V) -> None:
        if self._size > 0:
            with self._lock:
                self._items[key] = value
                self._items.move_to_end(key)
                if len(self._items) > self._size:
                    self._items.popitem(last=False)


class LearnerCache:
    """Each learner's evidence, today's view and questionnaires due, for `size` learners
    (0 keeps nothing)."""

    def __init__(self, size: int = 256) -> None:
        self.evidence: Kept[Evidence] = Kept(size)
        self.today: Kept[TodayView] = Kept(size)
        self.outcomes: Kept[OutcomesView] = Kept(size)
