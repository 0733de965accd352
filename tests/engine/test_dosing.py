"""Today's prescription: how many, how often, and the deload."""

from __future__ import annotations

from hingecoach.engine.dosing import Prescription
from hingecoach.engine.model import CheckIn, History, ProgramState, Rung, Session
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import plan_today

from .builders import checkin, day, lifted, session, state


def _rx(
    rungs: tuple[Rung, ...],
    st: ProgramState,
    *sessions: Session,
    today: int = 5,
    checkins: tuple[CheckIn, ...] = (),
) -> Prescription:
    history = History(rungs, st, onboarding_pain=2, sessions=sessions, checkins=checkins)
    rx = plan_today(history, DEFAULT_POLICY, day(today)).prescription
    assert rx is not None
    return rx


# --- when -----------------------------------------------------------------------------------


def test_the_first_session_is_due_today(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(4, load=1.0))

    assert (rx.earliest, rx.due_today) == (day(5), True)


def test_patterning_done_today_is_next_due_tomorrow(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(2), session(5, 2))

    assert (rx.earliest, rx.due_today) == (day(6), False)


def test_patterning_done_yesterday_is_due_again_today(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(2), session(4, 2))

    assert (rx.earliest, rx.due_today) == (day(5), True)


def test_loaded_work_waits_two_days_after_a_loaded_session(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(4, load=1.0), lifted(4, 4, 1.0))

    assert (rx.earliest, rx.due_today) == (day(6), False)


def test_loaded_work_is_due_two_days_after_the_last_loaded_session(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(5, load=4.0), lifted(3, 5, 4.0))

    assert (rx.earliest, rx.due_today) == (day(5), True)


def test_a_patterning_session_yesterday_does_not_delay_loaded_work(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(4, load=1.0), session(4, 3))

    assert (rx.earliest, rx.due_today) == (day(5), True)


def test_frequency_text_matches_the_kind_of_step(solving_pain: tuple[Rung, ...]) -> None:
    assert _rx(solving_pain, state(0)).frequency.startswith("Daily")
    assert "48 hours" in _rx(solving_pain, state(6, load=8.0)).frequency


# --- how much -------------------------------------------------------------------------------


def test_how_many_for_patterning_is_in_seconds_with_slow_reps(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(0))

    assert rx.how_many == "2 sets of 30 s (about 7-15 slow reps), 60 s rest between sets"


def test_how_many_for_a_weighted_step_gives_reps_and_kilos(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(5, load=6.5))

    assert rx.how_many == "2 sets of 8-12 reps with 6.5 kg, 90 s rest between sets"


def test_how_many_for_a_banded_step_gives_the_band_level(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(4, load=2.0))

    assert rx.how_many == "2 sets of 8-12 reps with band level 2, 90 s rest between sets"


def test_a_loaded_step_without_a_load_yet_starts_at_the_start_load(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(6))

    assert (rx.load, rx.load_unit) == (8.0, "kg")


def test_two_green_session_days_at_a_step_raise_the_dose_citing_the_rule(
    solving_pain: tuple[Rung, ...],
) -> None:
    greens = (checkin(2, 2), checkin(4, 2))
    rx = _rx(
        solving_pain, state(0, since=1), session(1, 0), session(3, 0), today=4, checkins=greens
    )

    assert (rx.sets, rx.seconds) == (3, 60)
    assert rx.rules == ("D1",)
    assert rx.notes == ("Dose at the top of its range: 2 green sessions at this step (D1).",)


def test_sessions_still_waiting_for_their_morning_keep_the_low_end(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(0, since=1), session(1, 0), session(3, 0), today=4)

    assert (rx.sets, rx.seconds) == (2, 30)


def test_an_amber_session_holds_the_dose_and_says_so(solving_pain: tuple[Rung, ...]) -> None:
    mornings = (checkin(2, 2), checkin(4, 3))  # day 3's next morning is one above the usual 2
    rx = _rx(
        solving_pain, state(0, since=1), session(1, 0), session(3, 0), today=4, checkins=mornings
    )

    assert (rx.sets, rx.seconds) == (2, 30)
    assert "P2" in rx.rules
    assert "amber" in rx.notes[0]


def test_two_sessions_on_one_green_day_count_once(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(
        solving_pain,
        state(0, since=1),
        session(1, 0),
        session(1, 0, during=1),
        today=2,
        checkins=(checkin(2, 2),),
    )

    assert (rx.sets, rx.seconds) == (2, 30)


def test_sessions_before_reaching_the_step_do_not_count_toward_the_top_of_range(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(0, since=3), session(1, 0), session(2, 0), today=4)

    assert (rx.sets, rx.seconds) == (2, 30)


# --- deload (D6) ----------------------------------------------------------------------------


def test_a_deload_halves_the_sets_and_seconds(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(
        solving_pain,
        state(2, volume_factor=0.5, deload_until=9, since=0),
        session(1, 2),
        session(2, 2),
        today=3,
        checkins=(checkin(2, 2), checkin(3, 2)),
    )

    assert (rx.sets, rx.seconds) == (2, 30)  # 3 x 60 s at full volume
    assert rx.rules == ("D1", "D6")
    assert rx.notes[-1] == f"Volume is cut to 50 % after recent red sessions until {day(9)}."


def test_a_deload_never_cuts_below_one_set(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(0, volume_factor=0.1, deload_until=9), today=3)

    assert (rx.sets, rx.seconds) == (1, 3)


def test_full_volume_returns_once_the_deload_week_is_over(
    solving_pain: tuple[Rung, ...],
) -> None:
    rx = _rx(solving_pain, state(2, volume_factor=0.5, deload_until=5), today=5)

    assert (rx.sets, rx.seconds, rx.rules, rx.notes) == (2, 30, ("D1",), ())


# --- the rest of the card -------------------------------------------------------------------


def test_the_warm_up_is_the_step_below_or_walking_on_the_first_step(
    solving_pain: tuple[Rung, ...],
) -> None:
    assert _rx(solving_pain, state(0)).warmup == (
        "Warm up with 1-2 minutes of easy walking or marching on the spot."
    )
    assert _rx(solving_pain, state(3)).warmup == (
        "Warm up with 1 set of 30 s of Dowel hip hinge (the step below), unloaded."
    )


def test_the_top_step_says_there_is_no_step_above(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(9, load=8.0))

    assert rx.move_on.startswith("This is the top of your ladder")


def test_every_card_carries_the_pain_guide(solving_pain: tuple[Rung, ...]) -> None:
    rx = _rx(solving_pain, state(7, load=8.0))

    assert "5/10 is the limit" in rx.pain_guide
    assert rx.effort.startswith("Moderate to hard")
