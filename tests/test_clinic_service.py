"""The roster's judgements: stuck on one step, stepping back, adherence, flags."""

from __future__ import annotations

from datetime import timedelta

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.services.care import Care
from hingecoach.services.clinic import ClinicService
from hingecoach.services.coach import Coach
from hingecoach.services.uow import sql

from .test_services import DAY, session, start_input


def _roster(store: Store, catalog: Catalog, days_later: int) -> object:
    service = ClinicService(sql(store), catalog, DAY + timedelta(days=days_later))
    return service.roster([(1, "Ann")])[0]


def test_a_learner_on_one_step_for_four_weeks_with_sessions_is_stuck(
    store: Store, catalog: Catalog
) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    for n in (1, 3):
        Coach(sql(store), catalog, DAY + timedelta(days=n)).log(session(DAY + timedelta(days=n)))

    assert not _roster(store, catalog, DEFAULT_POLICY.stuck_days - 1).stuck  # type: ignore[attr-defined]
    assert _roster(store, catalog, DEFAULT_POLICY.stuck_days).stuck  # type: ignore[attr-defined]


def test_a_learner_without_sessions_is_not_called_stuck(store: Store, catalog: Catalog) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())

    assert not _roster(store, catalog, 60).stuck  # type: ignore[attr-defined]


def test_a_step_back_marks_the_learner_as_stepping_back_for_two_weeks(
    store: Store, catalog: Catalog
) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    Care(sql(store), catalog, DAY, 1).override_step(5, "Dr Lee", "lifts already")
    Care(sql(store), catalog, DAY, 1).override_step(3, "Dr Lee", "flare")

    assert _roster(store, catalog, 14).regressing  # type: ignore[attr-defined]
    assert not _roster(store, catalog, 15).regressing  # type: ignore[attr-defined]


def test_the_roster_reports_adherence_and_a_flag(store: Store, catalog: Catalog) -> None:
    Coach(sql(store), catalog, DAY).start(start_input())
    Coach(sql(store), catalog, DAY).log(session())
    Coach(sql(store), catalog, DAY).rescreen(frozenset({"S-B4"}))
    row = _roster(store, catalog, 0)

    assert (row.adherence.done, row.adherence.expected) == (1, 1)  # type: ignore[attr-defined]
    assert (row.urgency.value, row.stopped) == ("urgent", True)  # type: ignore[attr-defined]
