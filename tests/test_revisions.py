"""Every write to a learner's programme counts up their revision, and nothing else does: the
web app's today cache keys on it (services/views.py), so a write it missed would show a
learner a stale page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from hingecoach.adapters.db.repositories import ProgrammeRepository
from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.engine.model import History
from hingecoach.engine.progression import canonical
from hingecoach.services import reading
from hingecoach.services.care import Care
from hingecoach.services.catalogs import Catalogs
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


def _rewritten(store: Store) -> int:
    with sql(store)() as uow:
        found = uow.programme.learner(1)
    assert found is not None
    return found.rewritten


@pytest.mark.parametrize("write", [w for w in WRITES if w != "a session"])
def test_every_write_but_a_plain_log_marks_the_learner_rewritten(
    store: Store, catalog: Catalog, write: str
) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())

    WRITES[write](store, catalog)

    assert _rewritten(store) > 0


def test_a_plain_log_leaves_rewritten_alone_and_one_with_signs_moves_it(
    store: Store, catalog: Catalog
) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    _coach(store, catalog).log(session())
    plain = _rewritten(store)
    assert plain < _revision(store)

    _coach(store, catalog).log(session(another_today=True, flags=frozenset({"S-A1"})))

    assert _rewritten(store) > plain


def _window(store: Store, catalog: Catalog, cache: LearnerCache | None) -> History:
    """The learner's window today as `cache` holds it (the newest it logged into or caught
    up), or read afresh; put in the engine's order, so the two compare."""
    with sql(store)() as uow:
        learner = reading.load(uow, Catalogs(catalog), 1)
        if cache is None:
            found = learner.evidence(uow.programme, DAY)
        else:
            tail = cache.tails.peek((1, learner.record.created_at))
            assert tail is not None
            found = tail.evidence
    return canonical(learner.history_from(found), DAY, learner.policy)


class _Reads:
    """Which way a coach found the learner's window: read whole, or caught up."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.whole = self.caught_up = 0
        whole, after = ProgrammeRepository._evidence, ProgrammeRepository.sessions_after

        def counted_whole(repo: ProgrammeRepository, *args: Any) -> Any:
            self.whole += 1
            return whole(repo, *args)

        def counted_after(repo: ProgrammeRepository, *args: Any) -> Any:
            self.caught_up += 1
            return after(repo, *args)

        monkeypatch.setattr(ProgrammeRepository, "_evidence", counted_whole)
        monkeypatch.setattr(ProgrammeRepository, "sessions_after", counted_after)


def test_a_process_catches_up_with_another_ones_logs_and_reads_whole_after_anything_else(
    store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two server processes, each with its own cache: a log in one, then logs in the
    other, are read by the first as those sessions only; a check-in between (not a plain
    log) makes it read the window whole. Each time it decides as a fresh read would."""
    Coach(sql(store), catalog, DAY).start(start_input())
    one, two = LearnerCache(), LearnerCache()

    def process(cache: LearnerCache, days: int = 0) -> Coach:
        return Coach(sql(store), catalog, DAY + timedelta(days=days), learner_id=1, cache=cache)

    process(one).log(session())
    process(two).log(session(another_today=True))
    process(two).log(session(another_today=True, pain_during=4))
    reads = _Reads(monkeypatch)
    day = process(one).today_view()

    assert (reads.whole, reads.caught_up) == (0, 1)
    assert _window(store, catalog, one) == _window(store, catalog, None)
    assert day == _coach(store, catalog).today_view()

    process(two, 1).checkin(CheckInInput(DAY + timedelta(days=1), 2))
    reads.whole = reads.caught_up = 0
    outcome = process(one, 1).log(session(DAY + timedelta(days=1)))

    assert (reads.whole, reads.caught_up) == (1, 0)
    assert outcome.today == _coach(store, catalog, 1).today_view()


def test_a_window_read_whole_is_caught_up_from_too(
    store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that only showed the learner's page (read their window whole) catches up
    with another process's log from there: it kept the newest session it read."""
    Coach(sql(store), catalog, DAY).start(start_input())
    one, two = LearnerCache(), LearnerCache()
    Coach(sql(store), catalog, DAY, learner_id=1, cache=two).log(session())
    reads = _Reads(monkeypatch)
    Coach(sql(store), catalog, DAY, learner_id=1, cache=one).today_view()
    Coach(sql(store), catalog, DAY, learner_id=1, cache=two).log(session(another_today=True))

    shown = Coach(sql(store), catalog, DAY, learner_id=1, cache=one).today_view()

    assert (reads.whole, reads.caught_up) == (1, 1)
    assert _window(store, catalog, one) == _window(store, catalog, None)
    assert shown == _coach(store, catalog).today_view()
