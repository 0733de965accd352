"""Every number a learner (or a clinician) reads comes from that learner's own Policy.

One row per Policy field: a scenario that produces a text quoting the field, and the words
the field's value must appear as. Each row runs twice, with the default policy and with the
field changed, so a number typed into a sentence fails the changed run. A meta-test fails
when a Policy field has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import timedelta

import pytest

from hingecoach.catalog import builtin_catalog, rungs_for
from hingecoach.engine.attention import DecisionNote, alerts
from hingecoach.engine.model import (
    Action,
    Experience,
    Quality,
    Rung,
    Session,
    SymptomArea,
)
from hingecoach.engine.pain import session_light
from hingecoach.engine.placement import Answers, place
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.progression import (
    ProgrammeStatus,
    Standing,
    decide,
    plan_today,
    programme_status,
)
from hingecoach.engine.screening import screen_verdict
from hingecoach.engine.texts import count, hours, pain, percent

from .builders import Given, checkin, day, lifted, mornings, screen, session, state

RUNGS: tuple[Rung, ...] = rungs_for(builtin_catalog().ladder("solving-pain"), builtin_catalog())


def _rx(p: Policy, rung: int = 2, **given: object) -> str:
    history = Given(
        state(rung, load=RUNGS[rung].load.start if RUNGS[rung].load else None), **given
    ).history(RUNGS)  # type: ignore[arg-type]
    rx = plan_today(history, p, day(9)).prescription
    assert rx is not None
    return " ".join((rx.effort, rx.frequency, rx.move_on, rx.pain_guide, *rx.notes))


def _decide(p: Policy, given: Given, today: int) -> str:
    decision = decide(given.history(RUNGS), p, day(today))
    return " ".join(decision.reasons)


def _light(p: Policy, s: Session, *readings: object, today: int = 12) -> str:
    return " ".join(session_light(s, readings, 2, p, day(today)).reasons)  # type: ignore[arg-type]


def _status(p: Policy, given: Given, today: int) -> ProgrammeStatus:
    return programme_status(given.history(RUNGS), p, day(today))


def _status_text(p: Policy, given: Given, today: int) -> str:
    status = _status(p, given, today)
    call = status.call.label if status.call else ""
    return " ".join((status.reason, status.advice, call))


def _place(p: Policy, pain_now: int) -> str:
    verdict = screen_verdict((), p, day(0))
    placed = place(RUNGS, Answers(Experience.LIFTER, pain_now, frozenset()), verdict, {}, p)
    return " ".join(placed.reasons)


def _alerts(p: Policy, *, stuck: bool) -> str:
    running = ProgrammeStatus(Standing.RUNNING)
    if stuck:
        found = alerts(
            running, (), day(0), [day(1), day(3)], day(0) + timedelta(days=p.stuck_days), p
        )
    else:
        note = DecisionNote(day(5), Action.REGRESS, ("P3",), ("Down one step.",))
        found = alerts(running, (note,), None, [], day(6), p)
    return " ".join(a.reason for a in found)


def _red_twice(p: Policy) -> Given:
    return Given(state(2), (session(1, 2, during=7), session(2, 2, during=7)))


@dataclass(frozen=True)
class Row:
    changed: object  # the field's new value
    text: Callable[[Policy], str]
    words: Callable[[Policy], str]  # how the field's value reads in the text


BURNING_BACK = {"area": SymptomArea.BACK, "qualities": [Quality.BURNING]}

ROWS: dict[str, Row] = {
    "pain_during_max": Row(4, lambda p: _rx(p), lambda p: f"{pain(p.pain_during_max)} is the limit"),
    "pain_after_max": Row(
        3, lambda p: _light(p, session(1, 2, after=6), checkin(2, 2)), lambda p: f"above {pain(p.pain_after_max)}"
    ),
    "morning_amber_margin": Row(
        2,
        lambda p: _light(p, session(1, 2), checkin(2, 6)),
        lambda p: f"more than {count(p.morning_amber_margin, 'point')} above",
    ),
    "baseline_days": Row(
        5,
        lambda p: _light(p, session(9, 2), *mornings(1, 10, 2)),
        lambda p: f"the mean of your last {count(p.baseline_days, 'morning')}",
    ),
    "weekly_rise_margin": Row(
        0.75,
        lambda p: _light(p, session(20, 2), *mornings(1, 14, 2), *mornings(15, 20, 3), checkin(21, 2), today=21),
        lambda p: f"by {count(p.weekly_rise_margin, 'point')} or more",
    ),
    "flare_days": Row(
        5,
        lambda p: _decide(p, Given(state(2), checkins=mornings(1, 7, 2) + mornings(8, 16, 5)), 16),
        lambda p: f"lasting more than {count(p.flare_days, 'day')}",
    ),
    "regress_hold_days": Row(
        10,
        lambda p: _decide(p, Given(state(3), (session(1, 3, during=7),)), 1),
        lambda p: f"for at least {count(p.regress_hold_days, 'day')}",
    ),
    "first_step_volume_factor": Row(
        0.7,
        lambda p: _decide(p, Given(state(0), (session(1, 0, during=7),)), 1),
        lambda p: f"cut to {percent(p.first_step_volume_factor)}",
    ),
    "deload_reds": Row(1, lambda p: _decide(p, _red_twice(p), 2), lambda p: count(p.deload_reds, "red session")),
    "deload_window_days": Row(
        9, lambda p: _decide(p, _red_twice(p), 2), lambda p: f"within {count(p.deload_window_days, 'day')}"
    ),
    "deload_factor": Row(
        0.6, lambda p: _decide(p, _red_twice(p), 2), lambda p: f"at {percent(p.deload_factor)} volume"
    ),
    "deload_days": Row(
        10, lambda p: _decide(p, _red_twice(p), 2), lambda p: f"{count(p.deload_days, 'day')} at"
    ),
    "high_pain_min": Row(
        8,
        lambda p: _decide(p, Given(state(2), (session(7, 2),), mornings(2, 8, 9), onboarding=9), 8),
        lambda p: f"{pain(p.high_pain_min)} or more",
    ),
    "high_pain_days": Row(
        6,
        lambda p: _decide(p, Given(state(2), (session(7, 2),), mornings(2, 8, 9), onboarding=9), 8),
        lambda p: f"for {count(p.high_pain_days, 'day')}",
    ),
    "burning_fade_minutes": Row(5, lambda p: _rx(p), lambda p: f"within {count(p.burning_fade_minutes, 'minute')}"),
    "persistent_burning_sessions": Row(
        4,
        lambda p: _decide(
            p,
            Given(
                state(2),
                tuple(session(d, 2, **BURNING_BACK) for d in range(1, p.persistent_burning_sessions + 1)),  # type: ignore[arg-type]
                mornings(2, 9, 2),
            ),
            p.persistent_burning_sessions + 1,
        ),
        lambda p: f"{count(p.persistent_burning_sessions, 'session')} running",
    ),
    "patterning_gap_days": Row(2, lambda p: _rx(p), lambda p: "Daily" if p.patterning_gap_days == 1 else f"Every {count(p.patterning_gap_days, 'day')}"),
    "patterning_days_per_week": Row(4, lambda p: _rx(p), lambda p: f"at least {p.patterning_days_per_week} days a week"),
    "loaded_gap_days": Row(3, lambda p: _rx(p, 5), lambda p: f"at least {hours(p.loaded_gap_days)} between"),
    "loaded_days_per_week": Row(3, lambda p: _rx(p, 5), lambda p: f"at least {p.loaded_days_per_week} a week"),
    "preferred_pain_max": Row(2, lambda p: _rx(p), lambda p: f"Pain up to {pain(p.preferred_pain_max)}"),
    "dose_step_up_sessions": Row(
        3,
        lambda p: _rx(p, sessions=(session(1, 2),), checkins=(checkin(2, 2),)),
        lambda p: f"1 of {count(p.dose_step_up_sessions, 'green session')}",
    ),
    "mastery_sessions": Row(3, lambda p: _rx(p), lambda p: f"after {count(p.mastery_sessions, 'session')} on different days"),
    "max_faults_per_10": Row(
        2,
        lambda p: _decide(p, Given(state(2), (session(1, 2, faults=9),), (checkin(2, 2),)), 2),
        lambda p: f"more than {count(p.max_faults_per_10, 'fault')} per 10 reps",
    ),
    "two_for_two_sessions": Row(3, lambda p: _rx(p, 5), lambda p: f"for {count(p.two_for_two_sessions, 'session')} running"),
    "placement_pain_unloaded_max": Row(
        2, lambda p: _place(p, 4), lambda p: f"loaded steps wait for {p.placement_pain_unloaded_max} or less"
    ),
    "placement_pain_first_rung": Row(
        8, lambda p: _place(p, 9), lambda p: f"{p.placement_pain_first_rung}/10 or more starts there"
    ),
    "review_weeks": Row(
        8,
        lambda p: _status_text(p, Given(state(2), checkins=mornings(50, 56, 6), onboarding=6, started=0), 56),
        lambda p: f"after {count(p.review_weeks, 'week')}",
    ),
    "review_improvement": Row(
        0.5,
        lambda p: _status_text(p, Given(state(2), checkins=mornings(50, 56, 6), onboarding=6, started=0), 56),
        lambda p: f"less than {percent(p.review_improvement)} better",
    ),
    "stuck_days": Row(21, lambda p: _alerts(p, stuck=True), lambda p: f"stuck from {count(p.stuck_days, 'day')}"),
    "regress_window_days": Row(10, lambda p: _alerts(p, stuck=False), lambda p: f"in the last {count(p.regress_window_days, 'day')}"),
    "emergency_line": Row(
        "Call 999 now",
        lambda p: _status_text(p, Given(state(2), screens=(screen(1, "S-A1"),)), 1),
        lambda p: p.emergency_line,
    ),
    "urgent_line": Row(
        "ring the practice",
        lambda p: _status_text(p, Given(state(2), screens=(screen(1, "S-B4"),)), 1),
        lambda p: p.urgent_line,
    ),
    "emergency_number": Row(
        "999",
        lambda p: _status_text(p, Given(state(2), screens=(screen(1, "S-A1"),)), 1),
        lambda p: f"Call {p.emergency_number}",
    ),
    "urgent_number": Row(
        "111",
        lambda p: _status_text(p, Given(state(2), screens=(screen(1, "S-B4"),)), 1),
        lambda p: f"Call {p.urgent_number}" if p.urgent_number else p.urgent_line,
    ),
}  # fmt: skip

# Fields that gate a rule but are never quoted as a number, with why.
NOT_QUOTED = {
    "review_pain_min": "a gate: below it the no-improvement review does not run at all",
}
ROWS["horizon_days"] = Row(
    60,
    lambda p: _decide(p, Given(state(2), (session(1, 2),)), 1 + p.horizon_days + 1),
    lambda p: f"No session in the last {count(p.horizon_days, 'day')}",
)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_the_text_quotes_the_learners_own_value(name: str) -> None:
    row = ROWS[name]
    for policy in (DEFAULT_POLICY, replace(DEFAULT_POLICY, **{name: row.changed})):
        text = row.text(policy)
        assert row.words(policy) in text, (name, getattr(policy, name), text)


def test_every_policy_field_has_a_row() -> None:
    names = {f.name for f in fields(Policy)}

    assert names == set(ROWS) | set(NOT_QUOTED)


def test_the_no_improvement_gate_is_a_gate() -> None:
    given = Given(state(2), checkins=mornings(36, 42, 2), onboarding=2, started=0)

    assert _status(DEFAULT_POLICY, given, 42).standing is Standing.RUNNING
    lower = replace(DEFAULT_POLICY, review_pain_min=2)
    assert _status(lower, given, 42).standing is Standing.RESTRICTED


def test_a_loaded_step_quotes_its_own_load_step() -> None:
    rx_text = _rx(DEFAULT_POLICY, 6)
    step = RUNGS[6].load
    assert step is not None
    assert f"+{step.step_percent:g} %" in rx_text
    given = Given(
        state(6, load=8.0, since=0),
        (lifted(1, 6, 8.0, reps=10), lifted(3, 6, 8.0, reps=10)),
        mornings(2, 4, 2),
    )
    decision = decide(given.history(RUNGS), DEFAULT_POLICY, day(4))
    assert f"at most {step.step_percent:g} % more" in " ".join(decision.reasons)
