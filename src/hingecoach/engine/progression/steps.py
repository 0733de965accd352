"""The two ends of a decision on a green day: hold where you are, or move up a step.

Moving up is gated: at the top of the ladder the learner stays (L3); a loaded step waits for
a clinician's review while an S-C flag is active, and for a usual morning pain of
`placement_pain_unloaded_max` or less (L4, Berglund 2015).
"""

from __future__ import annotations

from dataclasses import replace

from hingecoach.engine.model import Action, Decision, Light, Session
from hingecoach.engine.pain import baseline
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.progression.safety import routine_flags
from hingecoach.engine.texts import num, pain, shown
from hingecoach.language import _

__all__ = ["hold", "progress"]


def hold(
    ctx: Ctx, rules: tuple[str, ...], reasons: tuple[str, ...], light: Light | None = None
) -> Decision:
    return Decision(Action.HOLD, tuple(dict.fromkeys(rules)), reasons, ctx.state, light=light)


def _gate(ctx: Ctx) -> tuple[str, str] | None:
    """Why the next step must wait, if it must: (rule, reason)."""
    state, rungs = ctx.state, ctx.rungs
    nxt = rungs[state.rung + 1]
    if nxt.loaded and state.unloaded_only:
        return (
            ",".join(routine_flags(ctx)),
            _(
                "{name} is loaded, and your safety answers ask for a clinician's review before "
                "loaded steps."
            ).format(name=shown(nxt.name)),
        )
    if nxt.loaded and not rungs[state.rung].loaded:
        mornings = ctx.checkin_index.mornings
        base = baseline(mornings, ctx.history.onboarding_pain, ctx.today, ctx.policy)
        limit = ctx.policy.placement_pain_unloaded_max
        if base > limit:
            return (
                "L4",
                _(
                    "Loaded steps wait until your usual morning pain is {limit} or less (now "
                    "{now})."
                ).format(limit=pain(limit), now=num(round(base, 1))),
            )
    return None


def progress(
    ctx: Ctx, latest: Session, rules: tuple[str, ...], reasons: tuple[str, ...]
) -> Decision:
    state, rungs = ctx.state, ctx.rungs
    if state.rung + 1 >= len(rungs):
        return hold(
            ctx,
            (*rules, "L3"),
            (
                *reasons,
                _("You are at the top of this ladder: keep practising; load can grow to its cap."),
            ),
            Light.GREEN,
        )
    gate = _gate(ctx)
    if gate is not None:
        gate_rules = tuple(r for r in gate[0].split(",") if r)
        return hold(ctx, (*rules, *gate_rules), (*reasons, gate[1]), Light.GREEN)
    nxt = rungs[state.rung + 1]
    new_state = replace(
        state,
        rung=state.rung + 1,
        load=nxt.load.start if nxt.load else None,
        since=ctx.today,
        regressed_on=None,
        acted_on=latest.day,
        last_green_rung=state.rung,
    )
    return Decision(
        Action.PROGRESS,
        rules,
        (*reasons, _("Move up to {name}.").format(name=shown(nxt.name))),
        new_state,
        light=Light.GREEN,
    )
