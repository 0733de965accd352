"""The decision after each session and check-in, and what the learner may do today.

`decide(history, policy, today)` is pure: the same history gives the same decision whatever
order its readings arrive in. Rules are checked in order of safety: red flags (S-*, P5),
nerve signs (SX2), review-only flags (S-C, with the no-improvement review S-C2), any red
session not yet acted on (P3, SX1, K1, P4, D6), a long flare (P4), severe morning pain
(P6), then the latest session day: burning that never fades (SX6), amber or pending holds
(P2, K2), and only green reaches mastery (M1-M6) or load progression (L1-L4). Every decision
carries the rule ids and reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from hingecoach.engine.dosing import DoseBasis, Prescription, prescribe
from hingecoach.engine.model import Decision, History, Light, ProgramState, Session
from hingecoach.engine.policy import Policy
from hingecoach.engine.progression.context import SEVERITY, Ctx, canonical, lights_for
from hingecoach.engine.progression.judge import judge_latest_day
from hingecoach.engine.progression.loading import too_soon
from hingecoach.engine.progression.red import flare, on_red, unacted_red
from hingecoach.engine.progression.reviews import high_pain
from hingecoach.engine.progression.safety import (
    ProgrammeStatus,
    automatic_flags,
    refer_nerve,
    restrict,
    routine_flags,
    status_of,
    stop,
)
from hingecoach.engine.progression.steps import hold
from hingecoach.engine.screening import screen_verdict
from hingecoach.engine.texts import days
from hingecoach.language import _

__all__ = ["TodayPlan", "decide", "plan_today", "programme_status", "session_notices"]

Rule = Callable[[Ctx], Decision | None]
_BEFORE_REDS: tuple[Rule, ...] = (stop, refer_nerve, restrict)
_AFTER_REDS: tuple[Rule, ...] = (flare, high_pain)


@dataclass(frozen=True)
class TodayPlan:
    status: ProgrammeStatus
    prescription: Prescription | None  # none while the programme is stopped


def _expire_deload(state: ProgramState, today: date) -> ProgramState:
    if state.deload_until is not None and today >= state.deload_until:
        return replace(state, deload_until=None, volume_factor=1.0)
    return state


def context(history: History, policy: Policy, today: date) -> Ctx:
    """The history in canonical order, with the screen verdict and the state for today.

    Stopped and unloaded-only follow the active flags and nerve signs, so a clinician's
    clearance lifts them; a stop still in force sets `stopped` again.
    """
    h = canonical(history, today, policy)
    answered = screen_verdict(h.screens, policy, today, h.cleared_on)
    lights = lights_for(h.checkins, h.onboarding_pain, policy, today)
    first = Ctx(h, policy, today, h.state, answered, lights)
    verdict = screen_verdict(h.screens, policy, today, h.cleared_on, automatic_flags(first))
    ctx = Ctx(h, policy, today, h.state, verdict, lights)
    state = replace(
        _expire_deload(h.state, today), unloaded_only=bool(routine_flags(ctx)), stopped=False
    )
    return replace(ctx, state=state)


def decide(history: History, policy: Policy, today: date) -> Decision:
    """Decide what the learner does next, and why."""
    ctx = context(history, policy, today)
    for rule in _BEFORE_REDS:
        found = rule(ctx)
        if found is not None:
            return found
    red = unacted_red(ctx)
    if red is not None:
        return on_red(ctx, *red)
    for rule in _AFTER_REDS:
        found = rule(ctx)
        if found is not None:
            return found
    if not ctx.history.sessions:
        return _nothing_recent(ctx)
    return judge_latest_day(ctx)


def _nothing_recent(ctx: Ctx) -> Decision:
    if not ctx.history.before_horizon:
        return hold(ctx, ("D1",), (_("No session logged yet: start with today's prescription."),))
    return hold(
        ctx,
        ("D1", "H1"),
        (
            _(
                "No session in the last {days}: welcome back. Start again with today's "
                "prescription; the older sessions stay in your history."
            ).format(days=days(ctx.policy.horizon_days)),
        ),
    )


def programme_status(history: History, policy: Policy, today: date) -> ProgrammeStatus:
    """Running, restricted or stopped today, and why: what every door enforces."""
    return status_of(context(history, policy, today))


def _dose_basis(ctx: Ctx) -> DoseBasis:
    here = ctx.days_here()
    day_lights = [max((ctx.light(s).light for s in ss), key=SEVERITY.__getitem__) for _, ss in here]
    loaded = [
        d
        for d, ss in ctx.by_day.items()
        if any(0 <= s.rung < len(ctx.rungs) and ctx.rungs[s.rung].loaded for s in ss)
    ]
    return DoseBasis(
        green_days=sum(1 for light in day_lights if light is Light.GREEN),
        last_light=day_lights[-1] if day_lights else None,
        last_day=max(ctx.by_day) if ctx.by_day else None,
        last_loaded_day=loaded[-1] if loaded else None,
    )


def plan_today(history: History, policy: Policy, today: date) -> TodayPlan:
    """The programme's standing and, unless it is stopped, today's prescription."""
    ctx = context(history, policy, today)
    status = status_of(ctx)
    if status.stopped:
        return TodayPlan(status, None)
    on_record = replace(ctx, state=history.state)
    rx = prescribe(history.rungs, history.state, _dose_basis(on_record), policy, today)
    return TodayPlan(status, rx)


def session_notices(session: Session, history: History, policy: Policy) -> tuple[str, ...]:
    """What a learner should know about a session they just logged (the 48 h gap: D2-D5)."""
    early = too_soon(session, history, policy)
    return (early,) if early else ()
