"""`decide` beyond the one-row-per-rule table: timing, state carried between decisions,
same-day readings, clearance, and load steps."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hingecoach.engine.model import Action, Light, Quality, Rung, SymptomArea, Urgency
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import (
    Standing,
    canonical,
    decide,
    next_load,
    programme_status,
)

from .builders import (
    Given,
    checkin,
    day,
    documented_rule_ids,
    lifted,
    mornings,
    outcome,
    screen,
    session,
    state,
)

CALM = (checkin(2, 2), checkin(4, 2))


def _ready_at(rung: int, **fields: object) -> Given:
    """Two clean green sessions at `rung` on days 1 and 3, calm next mornings."""
    return Given(state(rung, **fields), (session(1, rung), session(3, rung)), CALM)


# --- reds are never lost --------------------------------------------------------------------


def test_a_red_next_morning_is_acted_on_even_after_a_later_session(
    solving_pain: tuple[Rung, ...],
) -> None:
    # Day 1's session turns red with day 2's check-in, but day 2's session was logged first.
    given = Given(state(2), (session(1, 2), session(2, 2)), (checkin(2, 5),))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(2))

    assert decision.action is Action.REGRESS
    assert decision.state.rung == 1
    assert decision.state.acted_on == day(1)


def test_a_worse_session_on_the_same_day_outweighs_a_clean_one(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = _ready_at(2)
    given = replace(given, sessions=(*given.sessions, session(3, 2, after=6)))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert (decision.action, decision.light) == (Action.HOLD, Light.AMBER)
    assert decision.state.rung == 2


def test_a_red_warm_up_on_the_same_day_blocks_the_move_up(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = _ready_at(2)
    given = replace(given, sessions=(*given.sessions, session(3, 1, during=7)))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.action is Action.REGRESS
    assert decision.state.rung == 1


def test_a_session_already_acted_on_is_not_acted_on_twice(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = Given(state(1, acted_on=1, regressed_on=1), (session(1, 2, during=7),))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(2))

    assert decision.action is Action.HOLD
    assert decision.state.rung == 1
    assert "already been acted on" in decision.reasons[0]


def test_feeding_a_nerve_referral_back_does_not_step_down_again(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = Given(state(3), (session(1, 3, qualities=[Quality.TINGLING]),))
    first = decide(given.history(solving_pain), DEFAULT_POLICY, day(1))

    again = decide(replace(given, state=first.state).history(solving_pain), DEFAULT_POLICY, day(2))

    assert (first.action, first.state.rung) == (Action.REFER, 2)
    assert (again.action, again.state.rung) == (Action.REFER, 2)


def test_a_clinicians_clearance_lifts_a_nerve_referral(solving_pain: tuple[Rung, ...]) -> None:
    given = Given(
        state(2, acted_on=1, stopped=True),
        (session(1, 3, qualities=[Quality.NUMBNESS]), session(3, 2), session(5, 2)),
        (checkin(4, 2), checkin(6, 2)),
        cleared_on=2,
    )

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(6))

    assert decision.action is Action.PROGRESS
    assert (decision.state.rung, decision.state.stopped) == (3, False)


# --- flares (P4) ----------------------------------------------------------------------------


def test_a_flare_is_referred_even_when_no_new_session_was_logged(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = Given(
        state(1, acted_on=7, regressed_on=7),
        (session(7, 2, during=7),),
        mornings(0, 6, 2) + mornings(7, 16, 5),
    )

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(16))

    assert (decision.action, decision.rules) == (Action.REFER, ("P4",))
    assert decision.urgency is Urgency.ROUTINE
    assert (decision.state.volume_factor, decision.state.deload_until) == (0.5, day(23))


def test_the_flare_deload_ends_a_week_after_the_flare_does(
    solving_pain: tuple[Rung, ...],
) -> None:
    flare = Given(state(2), checkins=mornings(0, 6, 2) + mornings(7, 16, 5))
    during = decide(flare.history(solving_pain), DEFAULT_POLICY, day(16))
    calm = replace(flare, state=during.state, checkins=flare.checkins + mornings(17, 23, 2))

    after = decide(calm.history(solving_pain), DEFAULT_POLICY, day(23))

    assert (after.action, after.state.volume_factor, after.state.deload_until) == (
        Action.HOLD,
        1.0,
        None,
    )


def test_a_seven_day_flare_is_not_yet_referred(solving_pain: tuple[Rung, ...]) -> None:
    given = Given(state(2), checkins=mornings(0, 6, 2) + mornings(7, 13, 5))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(13))

    assert decision.action is Action.HOLD


# --- the week after a step down -------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "action"),
    [(7, Action.HOLD), (8, Action.PROGRESS)],
    ids=["day 6 after stepping down holds", "day 7 after stepping down may progress"],
)
def test_after_a_step_down_the_learner_stays_at_least_a_week(
    solving_pain: tuple[Rung, ...], today: int, action: Action
) -> None:
    given = Given(
        state(2, regressed_on=1, acted_on=1),
        (session(1, 3, during=7), session(4, 2), session(6, 2)),
        (checkin(5, 2), checkin(7, 2), checkin(8, 2)),
    )

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(today))

    assert decision.action is action


def test_a_deload_week_ends_on_its_last_day(solving_pain: tuple[Rung, ...]) -> None:
    given = Given(state(2, volume_factor=0.5, deload_until=5))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(5))

    assert (decision.state.volume_factor, decision.state.deload_until) == (1.0, None)


def test_the_first_step_volume_cut_comes_from_the_policy(solving_pain: tuple[Rung, ...]) -> None:
    given = Given(state(0), (session(1, 0, during=8),))
    policy = DEFAULT_POLICY.adjusted(first_step_volume_factor=0.7)

    decision = decide(given.history(solving_pain), policy, day(1))

    assert decision.state.volume_factor == 0.7


# --- the review-only (S-C) path -------------------------------------------------------------


def test_an_s_c_flag_holds_mastery_below_a_loaded_step_citing_the_flag(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = replace(_ready_at(3), screens=(screen(0, "S-C2"),))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.action is Action.HOLD
    assert "S-C2" in decision.rules
    assert set(decision.rules) <= documented_rule_ids()
    assert decision.state.unloaded_only


@pytest.mark.parametrize(
    ("scores", "cleared_on", "on_day", "review"),
    [
        ((("ODI", 0, 50), ("ODI", 42, 45)), None, 42, True),  # 5 points, 10 %: not important
        ((("ODI", 0, 50), ("ODI", 42, 34)), None, 42, False),  # 16 points: important
        ((("ODI", 0, 50), ("ODI", 30, 48)), None, 42, False),  # filled before six weeks
        ((("RMDQ", 0, 12), ("RMDQ", 42, 10)), None, 42, True),  # 2 of 5 points, 17 %
        ((("RMDQ", 0, 12), ("RMDQ", 42, 6)), None, 42, False),  # 6 points
        ((("ODI", 0, 50),), None, 60, False),  # one score: nothing to compare
        ((("ODI", 0, 50), ("ODI", 42, 45)), 43, 50, False),  # reviewed: the old score is done
    ],
)
def test_a_disability_score_with_no_important_change_by_six_weeks_asks_for_a_review(
    solving_pain: tuple[Rung, ...],
    scores: tuple[tuple[str, int, float], ...],
    cleared_on: int | None,
    on_day: int,
    review: bool,
) -> None:
    """Rule S-C2 from the questionnaires (O6; domain-rules.md: less than 30 % better by
    about six weeks -> a clinician review), whatever the morning pain says."""
    readings = tuple(outcome(d, m, s) for m, d, s in scores)
    given = replace(_ready_at(3), outcomes=readings, started=0, cleared_on=cleared_on, onboarding=1)

    status = programme_status(given.history(solving_pain), DEFAULT_POLICY, day(on_day))

    assert ("S-C2" in status.rules) is review
    assert (status.standing is Standing.RESTRICTED) is review
    if review:
        assert "not an important change after 6 weeks" in status.reason


def test_a_clinicians_clearance_lifts_the_unloaded_only_limit(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = replace(_ready_at(3, unloaded_only=True), screens=(screen(0, "S-C2"),), cleared_on=0)

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.action is Action.PROGRESS
    assert (decision.state.rung, decision.state.load, decision.state.unloaded_only) == (
        4,
        1.0,
        False,
    )


def test_a_flag_given_after_a_clearance_counts_again(solving_pain: tuple[Rung, ...]) -> None:
    given = replace(_ready_at(2), screens=(screen(1, "S-A6"), screen(3, "S-B1")), cleared_on=2)

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.action is Action.STOP
    assert decision.rules == ("S-B1", "P5")


def test_a_flag_dated_after_today_is_not_known_yet(solving_pain: tuple[Rung, ...]) -> None:
    given = replace(_ready_at(2), screens=(screen(5, "S-A1"),))

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.action is Action.PROGRESS


# --- loads ----------------------------------------------------------------------------------


def test_at_the_top_of_the_ladder_the_load_keeps_growing_toward_its_cap(
    solving_pain: tuple[Rung, ...],
) -> None:
    sessions = (lifted(1, 9, 12.0, reps=10, n_sets=3), lifted(3, 9, 12.0, reps=10, n_sets=3))
    given = Given(state(9, load=12.0), sessions, CALM)

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.action is Action.HOLD
    assert decision.state.load == 13.0
    assert decision.load_change == "12 -> 13"


def test_sets_short_of_the_top_of_the_range_hold_the_load(
    solving_pain: tuple[Rung, ...],
) -> None:
    sessions = (lifted(1, 5, 4.0, reps=11), lifted(3, 5, 4.0, reps=12))
    given = Given(state(5, load=4.0), sessions, CALM)

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert (decision.action, decision.state.load, decision.rules) == (
        Action.HOLD,
        4.0,
        ("P1", "L1"),
    )


def test_sessions_under_the_prescribed_load_do_not_count(solving_pain: tuple[Rung, ...]) -> None:
    sessions = (lifted(1, 5, 4.0), lifted(3, 5, 4.0))
    given = Given(state(5, load=4.5), sessions, CALM)

    decision = decide(given.history(solving_pain), DEFAULT_POLICY, day(4))

    assert decision.state.load == 4.5


@pytest.mark.parametrize(
    ("rung", "load", "raised"),
    [
        (4, 1.0, 2.0),  # next band
        (4, 5.0, 5.0),  # band cap
        (5, 4.0, 4.5),  # +10 % = 4.4, rounded up to 4.5
        (5, 10.0, 11.0),  # +10 % = 11.000000000000002 must not round up to 11.5
        (5, 23.0, 24.0),  # +10 % = 25.3, capped at 24
        (7, 8.0, 8.5),  # +5 % = 8.4 -> 8.5
        (9, 0.0, 0.5),  # at least half a kilo more
    ],
    ids=["band up", "band cap", "kg rounds up", "float noise", "kg cap", "5 percent", "min step"],
)
def test_next_load(solving_pain: tuple[Rung, ...], rung: int, load: float, raised: float) -> None:
    assert next_load(solving_pain[rung], load) == raised


# --- arrival order --------------------------------------------------------------------------


def test_canonical_drops_readings_after_today_and_sorts_the_rest(
    solving_pain: tuple[Rung, ...],
) -> None:
    given = Given(
        state(2),
        (session(3, 2), session(9, 2), session(1, 2)),
        (checkin(4, 2), checkin(2, 3), checkin(8, 1)),
        (screen(6, "S-A1"), screen(1, "S-C1"), screen(2)),
    )

    seen = canonical(given.history(solving_pain), day(5), DEFAULT_POLICY)

    assert [s.day for s in seen.sessions] == [day(1), day(3)]
    assert [c.day for c in seen.checkins] == [day(2), day(4)]
    assert [s.day for s in seen.screens] == [day(1)]  # an empty screen says nothing


def test_canonical_keeps_the_horizon_and_uncleared_nerve_signs(
    solving_pain: tuple[Rung, ...],
) -> None:
    tingling = session(1, 2, area=SymptomArea.BELOW_KNEE, qualities=[Quality.TINGLING])
    given = Given(state(2), (session(2, 2), tingling, session(95, 2)), mornings(1, 100, 2))

    seen = canonical(given.history(solving_pain), day(100), DEFAULT_POLICY)

    assert [s.day for s in seen.sessions] == [day(1), day(95)]
    assert min(c.day for c in seen.checkins) == day(10)
