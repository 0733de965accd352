"""Loaded steps (rules L1-L4, D2-D5): NSCA 2-for-2 and ACSM 2009 load steps.

The load goes up a step after `two_for_two_sessions` session days running at the top of the
range on every set, with every form check a yes and green pain, each at least
`loaded_gap_days` apart (the 48 h between loaded sessions of D2-D5; a session sooner is
saved with a warning and not counted). At the target load, the same moves the learner up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from math import ceil

from hingecoach.engine.dosing import RULE
from hingecoach.engine.model import Action, Decision, History, Light, Rung, Session
from hingecoach.engine.policy import Policy
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.progression.mastery import form_met
from hingecoach.engine.progression.steps import hold, progress
from hingecoach.engine.texts import date_words, hours, num
from hingecoach.engine.texts import sessions as n_sessions
from hingecoach.language import _

__all__ = ["fmt_load", "next_load", "too_soon", "two_for_two"]


def next_load(rung: Rung, load: float) -> float:
    """One load step: next band level, or +step % rounded up to 0.5 kg (ACSM 2009); capped (L3)."""
    assert rung.load is not None
    if rung.load.unit == "band":
        return min(rung.load.cap, load + 1)
    raised = load * (1 + rung.load.step_percent / 100)
    # Round the half-kilos to 6 places first so float noise (11.0000001) is not rounded up.
    rounded = max(load + 0.5, ceil(round(raised * 2, 6)) / 2)
    return min(rung.load.cap, rounded)


def fmt_load(rung: Rung, load: float) -> str:
    if rung.load and rung.load.unit == "band":
        return _("band level {load}").format(load=num(load))
    return f"{num(load)} kg"


def _top_of_range(rung: Rung, s: Session) -> bool:
    if len(s.sets) < rung.sets[0]:
        return False
    for st in s.sets:
        if st.reps is not None and rung.reps is not None:
            if st.reps < rung.reps[1]:
                return False
        elif st.seconds is not None and rung.seconds is not None:
            if st.seconds < rung.seconds[1]:
                return False
        else:
            return False
    return True


def _at_load(s: Session, load: float | None) -> bool:
    if load is None:
        return True
    loads = [st.load for st in s.sets]
    return bool(loads) and all(x is not None and x >= load for x in loads)


def _good(ctx: Ctx, rung: Rung, s: Session, load: float) -> bool:
    return (
        _top_of_range(rung, s)
        and _at_load(s, load)
        and form_met(s)
        and ctx.light(s).light is Light.GREEN
    )


def _days_running(ctx: Ctx, rung: Rung, load: float) -> int:
    """Good session days running back from the latest, counting those far enough apart."""
    gap, need = timedelta(days=ctx.policy.loaded_gap_days), ctx.policy.two_for_two_sessions
    counted, last = 0, None
    for day, sessions in reversed(ctx.days_here()):
        if not all(_good(ctx, rung, s, load) for s in sessions):
            break
        if last is None or last - day >= gap:
            counted, last = counted + 1, day
        if counted >= need:
            break
    return counted


def two_for_two(ctx: Ctx, latest: Session) -> Decision:
    """Rules L1-L4: top of the range on all sets, form met, pain green, sessions running."""
    rung = ctx.rungs[ctx.state.rung]
    assert rung.load is not None
    load = ctx.state.load if ctx.state.load is not None else rung.load.start
    need = ctx.policy.two_for_two_sessions
    done = _days_running(ctx, rung, load)
    if done < need:
        return hold(
            ctx,
            ("P1", "L1"),
            (
                _("Pain light GREEN."),
                _(
                    "{done} of {need} running at {load}, at least {gap} apart, with the top of "
                    "the range on every set, every form check a yes and green pain."
                ).format(
                    done=done,
                    need=n_sessions(need),
                    load=fmt_load(rung, load),
                    gap=hours(ctx.policy.loaded_gap_days),
                ),
            ),
            Light.GREEN,
        )
    top = ctx.state.rung + 1 >= len(ctx.rungs)
    # L3: at the top of the ladder the load keeps growing to its cap, elsewhere to target.
    if load < (rung.load.cap if top else rung.load.target):
        return _load_up(ctx, latest, rung, load)
    return progress(
        ctx,
        latest,
        ("P1", "L1", "L2"),
        (
            _("{sessions} running at the target load {load} with good form and green pain.").format(
                sessions=n_sessions(need), load=fmt_load(rung, load)
            ),
        ),
    )


def _load_up(ctx: Ctx, latest: Session, rung: Rung, load: float) -> Decision:
    assert rung.load is not None
    new = next_load(rung, load)
    state = replace(ctx.state, load=new, acted_on=latest.day)
    more = (
        _("the next band")
        if rung.load.unit == "band"
        else _("the next weight you own, at most {percent} % more").format(
            percent=num(rung.load.step_percent)
        )
    )
    return Decision(
        Action.HOLD,
        ("P1", "L1", "L3") if new >= rung.load.cap else ("P1", "L1"),
        (
            _(
                "{sessions} running at the top of the range with good form and green pain: load "
                "goes up from {load} to {new} (or {more})."
            ).format(
                sessions=n_sessions(ctx.policy.two_for_two_sessions),
                load=fmt_load(rung, load),
                new=fmt_load(rung, new),
                more=more,
            ),
        ),
        state,
        light=Light.GREEN,
        load_change=f"{load:g} -> {new:g}",
    )


def too_soon(session: Session, history: History, policy: Policy) -> str | None:
    """A loaded session less than `loaded_gap_days` after the last one on an earlier day."""
    rungs = history.rungs
    if not rungs[session.rung].loaded:
        return None
    earlier = [
        s.day
        for s in history.sessions
        if s.day < session.day and 0 <= s.rung < len(rungs) and rungs[s.rung].loaded
    ]
    if not earlier or (session.day - max(earlier)).days >= policy.loaded_gap_days:
        return None
    gap, rule = hours(policy.loaded_gap_days), RULE[rungs[session.rung].dose_kind]
    return _(
        "Less than {gap} since your last loaded session ({day}): loaded steps need at least "
        "{gap} between sessions to recover ({rule}). This one is saved, but only sessions at "
        "least {gap} apart count toward a heavier load."
    ).format(gap=gap, day=date_words(max(earlier)), rule=rule)
