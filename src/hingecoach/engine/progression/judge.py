"""The latest session day, once no stop, nerve sign, red or review came first.

Several sessions on one day count as that day's worst. A day already acted on changes
nothing more. Burning that never fades asks for a review (SX6). Amber or pending holds (P2);
a step above one's own is named as a skip whatever the light (K2). Only green reaches
mastery (unloaded steps) or the 2-for-2 (loaded steps).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hingecoach.engine.model import Decision, Light, Session
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.progression.loading import two_for_two
from hingecoach.engine.progression.mastery import mastery
from hingecoach.engine.progression.reviews import persistent_burning
from hingecoach.engine.progression.steps import hold
from hingecoach.engine.texts import date_words, days, shown
from hingecoach.language import _

__all__ = ["judge_latest_day"]


def _skip(ctx: Ctx, sessions: tuple[Session, ...], green: bool = False) -> tuple[str, str] | None:
    """K2: a step above one's own, named (`green`: it did not even hurt)."""
    above = [s for s in sessions if s.rung > ctx.state.rung]
    if not above:
        return None
    done = shown(ctx.rungs[above[-1].rung].name)
    own = shown(ctx.rungs[ctx.state.rung].name)
    if green:
        said = _(
            "You did {done}, above your current step. Steps are not skipped: master {own} "
            "first, even without pain."
        )
    else:
        said = _(
            "You did {done}, above your current step. Steps are not skipped: master {own} first."
        )
    return "K2", said.format(done=done, own=own)


def judge_latest_day(ctx: Ctx) -> Decision:
    day, sessions = list(ctx.by_day.items())[-1]
    latest, light = ctx.worst_of(sessions)
    if ctx.state.acted_on is not None and day <= ctx.state.acted_on:
        return hold(
            ctx,
            light.rules,
            (
                _(
                    "An earlier session that day has already been acted on, so this one changes "
                    "nothing more: the step and the dose stay as they are."
                ),
            ),
            light.light,
        )
    review = persistent_burning(ctx)
    if review is not None:
        return review
    if light.light is not Light.GREEN:
        skip = _skip(ctx, sessions)
        rules, reasons = light.rules, light.reasons
        if skip is not None:
            rules, reasons = (*rules, skip[0]), (*reasons, skip[1])
        return hold(ctx, rules, reasons, light.light)
    state = replace(ctx.state, last_green_rung=latest.rung)
    return _on_green(replace(ctx, state=state), latest)


def _on_green(ctx: Ctx, latest: Session) -> Decision:
    state, rungs = ctx.state, ctx.rungs
    if latest.rung > state.rung:
        skip = _skip(ctx, (latest,), green=True)
        assert skip is not None
        return hold(ctx, ("K2",), (skip[1],), Light.GREEN)
    if latest.rung < state.rung:
        return hold(
            ctx,
            ("K2",),
            (
                _("You did an easier step; your step is still {name}.").format(
                    name=shown(rungs[state.rung].name)
                ),
            ),
            Light.GREEN,
        )
    held = ctx.policy.regress_hold_days
    if state.regressed_on is not None and ctx.today < state.regressed_on + timedelta(days=held):
        until = state.regressed_on + timedelta(days=held)
        return hold(
            ctx,
            ("P1", "P3"),
            (
                _("Pain light GREEN."),
                _("After a step down you stay at least {days}: no move up before {day}.").format(
                    days=days(held), day=date_words(until)
                ),
            ),
            Light.GREEN,
        )
    if rungs[state.rung].load is None:
        return mastery(ctx, latest)
    return two_for_two(ctx, latest)
