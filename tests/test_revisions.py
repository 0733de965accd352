"""Every write to a learner's programme counts up their revision, and nothing else does: the
web app's today cache keys on it (services/views.py), so a write it missed would show a
learner a stale page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.services.care import Care
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput
from hingecoach.services.uow import sql
from hingecoach.services.views import LearnerCache

from .test_services import DAY, session, start_input


def _revision(store: Store) -> int:
    with sql(store)() as uow:
        found = uow.programme.learner(1)
    assert found is not None
    return found.revision


def _coach(store: Store, catalog: Catalog, days: int = 0) -> Coach:
    return Coach(sql(store), catalog, DAY + timedelta(days=days), learner_id=1)


def _care(store: Store, catalog: Catalog) -> Care:
    return Care(sql(store), catalog, DAY, 1)


WRITES: dict[str, Callable[[Store, Catalog], object]] = {
    "a session": lambda s, c: _coach(s, c).log(session()),
    "a check-in": lambda s, c: _coach(s, c, 1).checkin(CheckInInput(DAY + timedelta(days=1), 2)),
    "a re-screen": lambda s, c: _coach(s, c).rescreen(frozenset()),
    "a step set by a clinician": lambda s, c: _care(s, c).override_step(2, "Dr Lee", "lifts"),
    "thresholds adjusted": lambda s, c: _care(s, c).adjust_policy(
        {"pain_during_max": 3}, "Dr Lee", "cautious"
    ),
    "another ladder": lambda s, c: _care(s, c).assign_ladder("solving-pain", "Dr Lee", "fits"),
    "a clinician's note": lambda s, c: _care(s, c).add_note("Dr Lee", "seen today"),
}
READS: dict[str, Callable[[Store, Catalog], object]] = {
    "today": lambda s, c: _coach(s, c).today_view(),
    "status": lambda s, c: _coach(s, c).status(),
    "the clinical record": lambda s, c: _care(s, c).record(),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_each_write_counts_the_revision_up(store: Store, catalog: Catalog, write: str) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    before = _revision(store)

    WRITES[write](store, catalog)

    assert _revision(store) > before


@pytest.mark.parametrize("read", READS, ids=list(READS))
def test_a_read_leaves_the_revision_alone(store: Store, catalog: Catalog, read: str) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    before = _revision(store)

    READS[read](store, catalog)

    assert _revision(store) == before


def test_the_cached_today_changes_with_the_first_write(store: Store, catalog: Catalog) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    coach = Coach(sql(store), catalog, DAY, learner_id=1, cache=LearnerCache())
    first = coach.today_view()

    assert coach.today_view() is first  # nothing changed: the same view
    coach.log(session())
    after = coach.today_view()

    assert after is not first
    assert (first.logged_today, after.logged_today) == (False, True)


def test_what_a_log_keeps_is_what_reading_afresh_finds(store: Store, catalog: Catalog) -> None:
    """A log keeps the learner's window and today's view under the revision it leaves; the
    next page served from them matches one worked out from the database."""
    Coach(sql(store), catalog, DAY).start(start_input())
    kept = Coach(sql(store), catalog, DAY, learner_id=1, cache=LearnerCache())
    kept.today_view()
    kept.log(session())
    last = kept.log(session(another_today=True))

    assert kept.today_view() is last.today  # served from what the log kept
    assert kept.today_view() == _coach(store, catalog).today_view()
