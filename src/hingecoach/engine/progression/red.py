"""Red sessions and long flares: step back, cut volume, and ask for a review when it repeats.

P3: a red session steps back one rung for at least `regress_hold_days` (on the first rung
the volume is cut instead). K1: a red after a skip goes back to the last green rung. D6:
`deload_reds` reds within `deload_window_days` bring `deload_days` at `deload_factor`
volume. P4: red again on the next session after a regression, or a flare above baseline
for more than `flare_days`, asks for a clinician's review.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hingecoach.engine.model import Action, Decision, Light, ProgramState, Session, Urgency
from hingecoach.engine.pain import LightVerdict, flare_days
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.texts import days, percent, red_sessions, shown
from hingecoach.language import _

__all__ = ["flare", "on_red", "unacted_red"]


def unacted_red(ctx: Ctx) -> tuple[Session, LightVerdict] | None:
    """The latest red session not yet acted on: a red is never lost behind a later session."""
    after = ctx.state.acted_on
    latest: Session | None = None
    for s in ctx.history.sessions:
        if (after is None or s.day > after) and ctx.red(s):
            latest = s
    return (latest, ctx.light(latest)) if latest is not None else None


def flare(ctx: Ctx) -> Decision | None:
    """P4: a flare shows in the mornings, whether or not sessions are still logged."""
    h, policy = ctx.history, ctx.policy
    length = flare_days(ctx.checkin_index.mornings, h.onboarding_pain, ctx.today, policy)
    if length <= policy.flare_days:
        return None
    return Decision(
        Action.REFER,
        ("P4",),
        (
            _("Your morning pain has been well above your usual for {days} in a row.").format(
                days=days(length)
            ),
            _(
                "A flare lasting more than {days} needs a clinician's review; keep to the "
                "current step at reduced volume until then."
            ).format(days=days(policy.flare_days)),
        ),
        _flare_state(ctx),
        light=Light.RED,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def _flare_state(ctx: Ctx) -> ProgramState:
    """Reduced volume for a deload period, renewed by each decision while the flare lasts
    (so it ends on its own once the flare is over, like any other deload: D6)."""
    until = ctx.today + timedelta(days=ctx.policy.deload_days)
    if ctx.state.deload_until is not None:
        until = max(until, ctx.state.deload_until)
    factor = min(ctx.state.volume_factor, ctx.policy.deload_factor)
    return replace(ctx.state, volume_factor=factor, deload_until=until)


def _reds_in_window(ctx: Ctx, latest: Session) -> int:
    start = latest.day - timedelta(days=ctx.policy.deload_window_days - 1)
    window = [s for s in ctx.history.sessions if start <= s.day <= latest.day]
    return sum(1 for s in window if ctx.red(s))


def _previous_red_after_regression(ctx: Ctx, latest: Session) -> bool:
    """Rule P4: red again on the next session after a regression for red."""
    earlier = [s for s in ctx.history.sessions if s.day < latest.day]
    if not earlier or ctx.state.regressed_on is None:
        return False
    previous = earlier[-1]
    return ctx.red(previous) and ctx.state.regressed_on >= previous.day


def _red_target(ctx: Ctx, latest: Session) -> tuple[int, str, str]:
    state, hold = ctx.state, days(ctx.policy.regress_hold_days)
    if latest.rung > state.rung:
        target = min(
            state.rung, state.last_green_rung if state.last_green_rung is not None else state.rung
        )
        return (
            target,
            "K1",
            _(
                "You tried {tried}, above your current step, and it hurt: back to {name}, the "
                "last step where your pain stayed green, for at least {days}."
            ).format(
                tried=shown(ctx.rungs[latest.rung].name),
                name=shown(ctx.rungs[target].name),
                days=hold,
            ),
        )
    if state.rung == 0:
        factor = percent(ctx.policy.first_step_volume_factor)
        return (
            0,
            "P3",
            _(
                "You are on the first step, so the volume is cut to {percent} for {days} instead "
                "of a step back."
            ).format(percent=factor, days=hold),
        )
    target = state.rung - 1
    said = _("Down one step to {name} for at least {days}.").format(
        name=shown(ctx.rungs[target].name), days=hold
    )
    return target, "P3", said


def _deload_reason(ctx: Ctx) -> str:
    p = ctx.policy
    return _("{reds} within {window}: {days} at {percent} volume.").format(
        reds=red_sessions(p.deload_reds),
        window=days(p.deload_window_days),
        days=days(p.deload_days),
        percent=percent(p.deload_factor),
    )


def on_red(ctx: Ctx, latest: Session, light: LightVerdict) -> Decision:
    policy = ctx.policy
    target, rule, why = _red_target(ctx, latest)
    rules = [*light.rules, rule]
    reasons = [_("Pain light RED: {reasons}.").format(reasons="; ".join(light.reasons)), why]
    factor = ctx.state.volume_factor
    deload_until = ctx.state.deload_until
    if target == ctx.state.rung == 0:
        factor = min(factor, policy.first_step_volume_factor)  # P3: no step below
        deload_until = ctx.today + timedelta(days=policy.regress_hold_days)
    if _reds_in_window(ctx, latest) >= policy.deload_reds:
        factor = min(factor, policy.deload_factor)
        deload_until = ctx.today + timedelta(days=policy.deload_days)
        rules.append("D6")
        reasons.append(_deload_reason(ctx))
    refer = _previous_red_after_regression(ctx, latest)
    if refer:
        rules.append("P4")
        reasons.append(
            _("Red again after stepping down: please have a clinician review your programme.")
        )
    moved = target != ctx.state.rung
    scheme = ctx.rungs[target].load
    state = replace(
        ctx.state,
        rung=target,
        load=(scheme.start if scheme else None) if moved else _lower_load(ctx),
        volume_factor=factor,
        deload_until=deload_until,
        regressed_on=ctx.today,
        since=ctx.today if moved else ctx.state.since,
        acted_on=latest.day,
    )
    return Decision(
        Action.REFER if refer else Action.REGRESS,
        tuple(dict.fromkeys(rules)),
        tuple(reasons),
        state,
        light=Light.RED,
        refer=refer,
        urgency=Urgency.ROUTINE if refer else Urgency.NONE,
    )


def _lower_load(ctx: Ctx) -> float | None:
    load = ctx.state.load
    scheme = ctx.rungs[ctx.state.rung].load
    if load is None or scheme is None:
        return load
    return min(scheme.cap, max(scheme.start, load))
