"""Journeys over simulated weeks, through the real services and a real (SQLite) database.

Each day a fresh `Coach` is built for that date, as the CLI does, so every decision comes
from what was stored, not from objects kept in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from hingecoach.adapters.db.store import Store, open_store, sqlite_url
from hingecoach.catalog import Catalog
from hingecoach.engine.dosing import Prescription
from hingecoach.engine.model import Action, Experience, Quality, SymptomArea, Urgency
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput, StartInput
from hingecoach.services.results import Outcome
from hingecoach.services.uow import sql

DAY0 = date(2026, 1, 5)
ALL_KIT = frozenset(
    {"mat", "wall", "dowel", "band", "anchor", "dumbbell_or_kettlebell", "kettlebell", "box"}
)


@pytest.fixture
def journey_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(sqlite_url(tmp_path / "journey.db"))
    yield store
    store.dispose()


def coach_on(store: Store, catalog: Catalog, day: date) -> Coach:
    return Coach(sql(store), catalog, day)


def begin(
    store: Store,
    catalog: Catalog,
    *,
    pain: int = 2,
    flags: frozenset[str] = frozenset(),
    experience: Experience = Experience.NEW,
) -> Coach:
    coach = coach_on(store, catalog, DAY0)
    coach.start(StartInput("Sam", "solving-pain", experience, pain, ALL_KIT, flags, age=40))
    return coach


def full_marks(coach: Coach, rx: Prescription, day: date, *, during: int = 1) -> LogInput:
    """A session done as prescribed, at the top of the range, every self-check a yes."""
    rung = coach.today_view().rungs[rx.rung]
    if rx.seconds is not None:
        sets = [(None, rx.seconds)] * rx.sets
    else:
        assert rx.reps is not None
        sets = [(rx.reps[1], None)] * rx.sets
    return LogInput(
        day=day,
        pain_before=1,
        pain_during=during,
        pain_after=1,
        sets=sets,
        load=rx.load,
        first_set_uncued=True,
        self_check=tuple(True for _ in rung.self_check),
    )


def simulate_compliant(store: Store, catalog: Catalog, days: int) -> list[tuple[date, Outcome]]:
    """Check in every morning with low pain; train whenever the prescription is due."""
    outcomes: list[tuple[date, Outcome]] = []
    for offset in range(days):
        day = DAY0 + timedelta(days=offset)
        coach = coach_on(store, catalog, day)
        if offset:
            outcomes.append((day, coach.checkin(CheckInInput(day, 1))))
        rx = coach.today_view().prescription
        assert rx is not None
        if rx.due_today:
            outcomes.append((day, coach.log(full_marks(coach, rx, day))))
    return outcomes


def test_compliant_learner_climbs_the_solving_pain_ladder_at_the_allowed_pace(
    journey_store: Store, catalog: Catalog
) -> None:
    begin(journey_store, catalog)
    outcomes = simulate_compliant(journey_store, catalog, 200)
    steps = [o.decision.state.rung for _, o in outcomes]
    assert all(b - a in (0, 1) for a, b in pairwise(steps)), "never skips or drops"
    assert not any(
        o.decision.action in (Action.REGRESS, Action.REFER, Action.STOP) for _, o in outcomes
    )
    progressed = [
        (day, o.decision.state.rung) for day, o in outcomes if o.decision.action is Action.PROGRESS
    ]
    assert [rung for _, rung in progressed] == list(range(1, 10)), (
        "climbs every step of the ladder in order"
    )
    # Unloaded patterning: mastery needs two sessions on different days, each with a
    # next-morning check-in, so a step takes at least two days.
    first_four = [DAY0] + [day for day, _ in progressed[:4]]
    assert all((b - a).days >= 2 for a, b in pairwise(first_four))
    # Loaded work is at least 48 h apart.
    view = coach_on(journey_store, catalog, DAY0 + timedelta(days=200)).status()
    loaded_days = [s.day for s in view.sessions if view.today.rungs[s.rung].loaded]
    assert loaded_days, "reached the loaded steps"
    assert all((b - a).days >= 2 for a, b in pairwise(loaded_days))
    # Every decision explains itself with rule ids and words.
    assert all(o.decision.rules and o.decision.reasons for _, o in outcomes)


def test_compliant_learner_increases_load_before_moving_past_a_loaded_step(
    journey_store: Store, catalog: Catalog
) -> None:
    begin(journey_store, catalog)
    outcomes = simulate_compliant(journey_store, catalog, 120)
    load_ups = [o.decision for _, o in outcomes if o.decision.load_change]
    assert load_ups, "the load went up at least once"
    for decision in load_ups:
        assert "L1" in decision.rules
        before, after = (float(x) for x in (decision.load_change or "").split(" -> "))
        assert after > before


def test_burning_pain_into_the_leg_stops_and_refers(journey_store: Store, catalog: Catalog) -> None:
    begin(journey_store, catalog)
    simulate_compliant(journey_store, catalog, 6)
    day = DAY0 + timedelta(days=6)
    coach = coach_on(journey_store, catalog, day)
    rung_before = coach.today_view().state.rung
    rx = coach.today_view().prescription
    assert rx is not None
    bad = full_marks(coach, rx, day, during=4)
    outcome = coach.log(
        LogInput(
            **{
                **bad.__dict__,
                "area": SymptomArea.BUTTOCK_THIGH,
                "qualities": frozenset({Quality.BURNING}),
            }
        )
    )
    assert outcome.decision.action is Action.REFER
    assert "SX2" in outcome.decision.rules
    assert outcome.decision.refer
    assert outcome.today.prescription is None, "no exercise is prescribed until a clinician clears"
    assert any("clinician" in r for r in outcome.decision.reasons)
    # Next day: still stopped, whatever the learner reports.
    next_coach = coach_on(journey_store, catalog, day + timedelta(days=1))
    assert (
        next_coach.checkin(CheckInInput(day + timedelta(days=1), 1)).decision.action is Action.REFER
    )
    # A clinician clears: the programme resumes one step lower.
    resumed = next_coach.clear("Dr Okafor", "nerve irritation settled", day + timedelta(days=1))
    assert resumed.today.prescription is not None
    assert resumed.decision.state.rung == max(0, rung_before - 1)


def test_skipping_to_the_kettlebell_lift_with_pain_sends_the_learner_back(
    journey_store: Store, catalog: Catalog
) -> None:
    begin(journey_store, catalog)
    simulate_compliant(journey_store, catalog, 5)
    day = DAY0 + timedelta(days=5)
    coach = coach_on(journey_store, catalog, day)
    own = coach.today_view().state
    assert own.last_green_rung is not None
    outcome = coach.log(
        LogInput(
            day=day,
            exercise="kb_lift",
            pain_before=2,
            pain_during=7,
            pain_after=6,
            sets=[(8, None)] * 3,
            load=16.0,
        )
    )
    assert outcome.decision.action is Action.REGRESS
    assert "K1" in outcome.decision.rules
    assert outcome.decision.state.rung == min(own.rung, own.last_green_rung)
    assert outcome.decision.state.rung < 7


def test_saddle_numbness_at_onboarding_gets_the_emergency_message(
    journey_store: Store, catalog: Catalog
) -> None:
    coach = coach_on(journey_store, catalog, DAY0)
    result = coach.start(
        StartInput("Sam", "solving-pain", Experience.NEW, 4, ALL_KIT, frozenset({"S-A1"}))
    )
    assert result.placement.rung is None
    assert result.placement.urgency is Urgency.EMERGENCY
    assert any("emergency" in r.lower() for r in result.placement.reasons)
    view = coach.today_view()
    assert view.prescription is None
    assert view.verdict.urgency is Urgency.EMERGENCY


def test_saddle_numbness_reported_at_a_checkin_stops_the_programme(
    journey_store: Store, catalog: Catalog
) -> None:
    begin(journey_store, catalog)
    simulate_compliant(journey_store, catalog, 3)
    day = DAY0 + timedelta(days=3)
    outcome = coach_on(journey_store, catalog, day).checkin(
        CheckInInput(day, 2, flags=frozenset({"S-A1"}))
    )
    assert outcome.decision.action is Action.STOP
    assert outcome.decision.urgency is Urgency.EMERGENCY
    assert "P5" in outcome.decision.rules
    # A later clean weekly screen does not hide the flag.
    later = coach_on(journey_store, catalog, day + timedelta(days=7)).rescreen(frozenset())
    assert later.decision.action is Action.STOP


def test_a_red_morning_after_regresses_and_holds_the_lower_step_for_a_week(
    journey_store: Store, catalog: Catalog
) -> None:
    begin(journey_store, catalog, experience=Experience.SOME)
    day = DAY0
    coach = coach_on(journey_store, catalog, day)
    rx = coach.today_view().prescription
    assert rx is not None
    coach.log(full_marks(coach, rx, day))
    nxt = day + timedelta(days=1)
    outcome = coach_on(journey_store, catalog, nxt).checkin(CheckInInput(nxt, 6))
    assert outcome.decision.action is Action.REGRESS
    assert "P3" in outcome.decision.rules
    assert outcome.decision.state.rung == rx.rung - 1
