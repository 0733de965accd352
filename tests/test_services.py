"""Coach use cases on the real store (SQLite and PostgreSQL through the `store` fixture)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.db.tables import DecisionRow, LearnerRow, ScreenRow, SessionRow
from hingecoach.catalog import Catalog
from hingecoach.engine.model import Action, Experience, Quality, SymptomArea, Urgency
from hingecoach.errors import NotFoundError, StateError, ValidationError
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput, StartInput
from hingecoach.services.uow import sql

DAY = date(2026, 3, 2)
KIT = frozenset({"mat", "wall", "dowel"})


def start_input(**changes: object) -> StartInput:
    values: dict[str, object] = {
        "name": "Ann",
        "ladder_id": "solving-pain",
        "experience": Experience.NEW,
        "pain_now": 2,
        "equipment": KIT,
    }
    values.update(changes)
    return StartInput(**values)  # type: ignore[arg-type]


def session(day: date = DAY, **changes: object) -> LogInput:
    values: dict[str, object] = {
        "day": day,
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        "sets": [(None, 30), (None, 30)],
    }
    values.update(changes)
    return LogInput(**values)  # type: ignore[arg-type]


def decisions(store: Store) -> list[DecisionRow]:
    with store.session() as db:
        return list(db.scalars(select(DecisionRow).order_by(DecisionRow.id)))


def session_rows(store: Store) -> int:
    with store.session() as db:
        return len(list(db.scalars(select(SessionRow))))


@pytest.fixture
def coach(store: Store, catalog: Catalog) -> Coach:
    c = Coach(sql(store), catalog, DAY)
    c.start(start_input())
    return c


# -- start ----------------------------------------------------------------------------


def test_start_places_the_learner_and_records_why(store: Store, catalog: Catalog) -> None:
    result = Coach(sql(store), catalog, DAY).start(start_input(experience=Experience.SOME))
    assert result.placement.rung is not None
    assert result.rungs[result.placement.rung].exercise_id == "dowel_hinge"
    [row] = decisions(store)
    assert row.trigger == "start"
    assert row.action == Action.HOLD.value
    assert row.rules
    assert row.reasons
    assert row.rung_before is None
    assert row.rung_after == result.placement.rung
    with store.session() as db:
        learner = db.scalars(select(LearnerRow)).one()
        assert learner.name == "Ann"
        assert learner.state["rung"] == result.placement.rung
        assert learner.equipment == sorted(KIT)


def test_start_twice_is_refused(coach: Coach, store: Store) -> None:
    with pytest.raises(StateError, match="already exists"):
        coach.start(start_input(name="Bob"))
    assert len(decisions(store)) == 1


def test_start_with_an_emergency_flag_stops(store: Store, catalog: Catalog) -> None:
    result = Coach(sql(store), catalog, DAY).start(start_input(flags=frozenset({"s-a1"})))
    assert result.placement.rung is None
    assert result.decision.action is Action.STOP
    assert result.placement.urgency is Urgency.EMERGENCY
    view = Coach(sql(store), catalog, DAY).today_view()
    assert view.prescription is None
    assert view.verdict.urgency is Urgency.EMERGENCY


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"name": "  "}, ValidationError, "name"),
        ({"pain_now": 11}, ValidationError, "pain_now"),
        ({"age": 12}, ValidationError, "age"),
        ({"flags": frozenset({"S-Z9"})}, ValidationError, "flag"),
        ({"equipment": frozenset({"rowing_machine"})}, ValidationError, "equipment"),
        ({"ladder_id": "nope"}, NotFoundError, "ladder"),
    ],
)
def test_start_refuses_bad_input_and_creates_nothing(
    store: Store, catalog: Catalog, changes: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        Coach(sql(store), catalog, DAY).start(start_input(**changes))
    assert not Coach(sql(store), catalog, DAY).has_learner()


# -- no learner yet -------------------------------------------------------------------


def test_every_use_case_needs_a_learner(store: Store, catalog: Catalog) -> None:
    coach = Coach(sql(store), catalog, DAY)
    assert not coach.has_learner()
    for call in (
        lambda: coach.log(session()),
        lambda: coach.checkin(CheckInInput(DAY, 1)),
        lambda: coach.today_view(),
        lambda: coach.status(),
        lambda: coach.rescreen(frozenset()),
        lambda: coach.clear("Dr Who", "", DAY),
    ):
        with pytest.raises(StateError, match="hinge start"):
            call()


# -- log and check-in -----------------------------------------------------------------


def test_log_records_the_session_and_a_decision(coach: Coach, store: Store) -> None:
    outcome = coach.log(session(self_check=(True, True, True), first_set_uncued=True))
    assert outcome.decision.rules
    assert outcome.decision.reasons
    rows = decisions(store)
    assert [r.trigger for r in rows] == ["start", "session"]
    assert rows[-1].rules == list(outcome.decision.rules)
    assert rows[-1].reasons == list(outcome.decision.reasons)
    status = coach.status()
    assert len(status.sessions) == 1
    assert status.sessions[0].sets[0].seconds == 30
    assert status.sessions[0].self_check == (True, True, True)


def test_checkin_records_a_decision_and_the_morning_pain(coach: Coach, store: Store) -> None:
    coach.log(session())
    tomorrow = Coach(coach.uow, coach.catalog, DAY + timedelta(days=1))
    outcome = tomorrow.checkin(CheckInInput(DAY + timedelta(days=1), 1))
    assert outcome.decision.rules
    assert outcome.decision.reasons
    row = decisions(store)[-1]
    assert row.trigger == "checkin"
    assert row.rules == list(outcome.decision.rules)
    assert tomorrow.status().mornings == [(DAY + timedelta(days=1), 1)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_during": 11}, "pain_during"),
        ({"pain_before": -1}, "pain_before"),
        ({"day": DAY + timedelta(days=1)}, "date"),
        ({"day": DAY - timedelta(days=1)}, "date"),  # before the learner started
        ({"exercise": "clean"}, "exercise"),  # not on this ladder
        ({"load": 5.0}, "load"),  # step 1 is unloaded
        ({"rpe": 11.0}, "rpe"),
        ({"self_check": (True,)}, "self_check"),
        ({"faults": -1}, "faults"),
        ({"sets": []}, "sets"),
        ({"sets": [(10, 30)]}, "sets"),
        ({"sets": [(-3, None)]}, "sets"),
        ({"sets": [(None, 0)]}, "sets"),
        ({"flags": frozenset({"S-Z9"})}, "flag"),
    ],
)
def test_log_refuses_bad_input_and_records_nothing(
    coach: Coach, store: Store, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        coach.log(session(**changes))
    assert caught.value.field.startswith(field)
    assert session_rows(store) == 0
    assert len(decisions(store)) == 1


def test_checkin_refuses_a_future_date_and_pain_out_of_range(coach: Coach, store: Store) -> None:
    with pytest.raises(ValidationError, match="date"):
        coach.checkin(CheckInInput(DAY + timedelta(days=1), 1))
    with pytest.raises(ValidationError, match="pain"):
        coach.checkin(CheckInInput(DAY, 11))
    assert len(decisions(store)) == 1


def test_an_inflammatory_flag_is_dropped_for_learners_over_45(
    store: Store, catalog: Catalog
) -> None:
    coach = Coach(sql(store), catalog, DAY)
    coach.start(start_input(age=60))
    coach.log(session(flags=frozenset({"S-C1"})))
    coach.checkin(CheckInInput(DAY, 1, flags=frozenset({"S-C1"})))
    with store.session() as db:
        assert all(row.flags == [] for row in db.scalars(select(ScreenRow)))
    assert coach.today_view().verdict.urgency is Urgency.NONE


# -- screen and clearance -------------------------------------------------------------


def test_clear_resumes_after_a_stop(coach: Coach, store: Store) -> None:
    stopped = coach.rescreen(frozenset({"S-B2"}))
    assert stopped.decision.action is Action.STOP
    assert coach.today_view().prescription is None
    later = Coach(coach.uow, coach.catalog, DAY + timedelta(days=2))
    resumed = later.clear("Dr Who", "seen, all fine", DAY + timedelta(days=1))
    assert resumed.decision.action is not Action.STOP
    assert resumed.today.prescription is not None
    assert later.today_view().verdict.urgency is Urgency.NONE
    assert [r.trigger for r in decisions(store)] == ["start", "screen", "clearance"]


def test_a_warning_sign_after_a_same_day_clearance_stops_again(coach: Coach) -> None:
    coach.rescreen(frozenset({"S-B2"}))
    coach.clear("Dr Who", "", DAY)
    assert coach.today_view().prescription is not None
    again = coach.rescreen(frozenset({"S-A1"}))
    assert again.decision.action is Action.STOP
    view = coach.today_view()
    assert view.prescription is None
    assert view.verdict.urgency is Urgency.EMERGENCY
    coach.clear("Dr Who", "seen again", DAY)
    assert coach.today_view().prescription is not None


def test_nerve_signs_logged_after_a_clearance_are_not_hidden_by_it(coach: Coach) -> None:
    coach.rescreen(frozenset({"S-B2"}))
    later = Coach(coach.uow, coach.catalog, DAY + timedelta(days=3))
    later.clear("Dr Who", "", DAY + timedelta(days=3))
    outcome = later.log(
        session(
            day=DAY + timedelta(days=2),  # back-dated to before the clearance
            area=SymptomArea.BELOW_KNEE,
            qualities=frozenset({Quality.TINGLING}),
        )
    )
    assert outcome.decision.action is Action.REFER
    assert "SX2" in outcome.decision.rules
    assert later.programme().stopped


def test_a_clearance_needs_a_named_clinician_and_an_exam_after_the_sign(coach: Coach) -> None:
    later = Coach(coach.uow, coach.catalog, DAY + timedelta(days=2))
    later.rescreen(frozenset({"S-A1"}))  # the sign is on day 2

    for by, examined, field in (
        ("me", DAY + timedelta(days=2), "by"),
        ("Dr Who", None, "examined on"),
        ("Dr Who", DAY + timedelta(days=1), "examined on"),  # before the sign
        ("Dr Who", DAY + timedelta(days=3), "examined on"),  # in the future
    ):
        with pytest.raises(ValidationError) as refused:
            later.clear(by, "", examined)
        assert refused.value.field == field
    assert later.programme().stopped
    assert later.clear("Dr Who", "", DAY + timedelta(days=2)).today.prescription is not None


def test_nothing_to_clear_is_refused(coach: Coach) -> None:
    with pytest.raises(StateError, match="no stop or review to clear"):
        coach.clear("Dr Who", "", DAY)
