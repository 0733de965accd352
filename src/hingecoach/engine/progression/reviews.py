"""Reviews the engine asks for by itself, from the learner's own record [D]:

- P6: severe morning pain (`high_pain_min` or more) for `high_pain_days`, whatever the
  baseline: hold, and see a clinician.
- SX6: burning that does not fade with rest, on `persistent_burning_sessions` session days
  running (the situation of a reader of the first article): see a clinician.
"""

from __future__ import annotations

from statistics import fmean

from hingecoach.engine.model import Action, Decision, Light, Quality, Session, Urgency
from hingecoach.engine.pain import high_pain_mornings
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.symptoms import nerve_signs
from hingecoach.engine.texts import days, minutes, num, pain
from hingecoach.engine.texts import sessions as n_sessions
from hingecoach.language import _

__all__ = ["high_pain", "persistent_burning"]


def high_pain(ctx: Ctx) -> Decision | None:
    readings = high_pain_mornings(ctx.checkin_index.mornings, ctx.today, ctx.policy)
    if not readings:
        return None
    p = ctx.policy
    return Decision(
        Action.REFER,
        ("P6",),
        (
            _("Your morning pain has been {pain} or more for {days} (mean {mean}).").format(
                pain=pain(p.high_pain_min),
                days=days(p.high_pain_days),
                mean=num(round(fmean(readings), 1)),
            ),
            _(
                "Pain that stays this high is not something to train through: stay on this step "
                "and see a clinician about it."
            ),
        ),
        ctx.state,
        light=Light.AMBER,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def _unfaded_burning(s: Session) -> bool:
    burning = Quality.BURNING in s.qualities and not s.faded_with_rest
    return burning and not nerve_signs(s.area, s.qualities, s.faded_with_rest)


def persistent_burning(ctx: Ctx) -> Decision | None:
    run = 0
    for sessions in reversed(list(ctx.by_day.values())):
        if not any(_unfaded_burning(s) for s in sessions):
            break
        run += 1
    need = ctx.policy.persistent_burning_sessions
    if run < need:
        return None
    light = ctx.worst_of(list(ctx.by_day.values())[-1])[1]
    within = minutes(ctx.policy.burning_fade_minutes)
    return Decision(
        Action.REFER,
        ("SX6", *light.rules),
        (
            _("Burning that did not fade within {minutes} of rest, {sessions} running.").format(
                minutes=within, sessions=n_sessions(run)
            ),
            _(
                "Burning that keeps coming back with every session needs a clinician to look at "
                "how you move and what is behind it: please book a review, and keep to this step "
                "until then."
            ),
        ),
        ctx.state,
        light=light.light,
        urgency=Urgency.ROUTINE,
        refer=True,
    )
