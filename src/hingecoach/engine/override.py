"""A clinician's override of the rung (rule C1).

The engine decides rung changes from pain and mastery; a clinician who has seen the learner
may know better (a return after surgery, a learner who already lifts well). The override is
recorded as a decision like any other, so the history says who moved the learner and why.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hingecoach.engine.model import Action, Decision, ProgramState, Rung
from hingecoach.engine.texts import N_, shown
from hingecoach.errors import ValidationError
from hingecoach.language import _

__all__ = ["override_rung"]


def override_rung(
    rungs: tuple[Rung, ...], state: ProgramState, target: int, today: date, who: str, why: str
) -> Decision:
    """C1: put the learner on `target` (0-based) from today, with a fresh start on that rung.

    The week-long hold after a regression and any loaded weight belong to the old rung, so
    they reset; a flag that stopped the programme does not: only a clearance lifts it.
    """
    if not 0 <= target < len(rungs):
        raise ValidationError("step", N_("{low}-{high}"), target + 1, low=1, high=len(rungs))
    rung = rungs[target]
    same = target == state.rung
    load = state.load if same else (rung.load.start if rung.load else None)
    new = replace(
        state,
        rung=target,
        load=load,
        regressed_on=None if not same else state.regressed_on,
        unloaded_only=state.unloaded_only and rung.load is None,
        since=state.since if same else today,
    )
    action = Action.HOLD
    if target > state.rung:
        action = Action.PROGRESS
    elif target < state.rung:
        action = Action.REGRESS
    said = (
        _("{who} set the step to {step} ({name}): {why}")
        if not same
        else _("{who} kept the step at {step} ({name}): {why}")
    )
    reason = said.format(who=who, step=target + 1, name=shown(rung.name), why=why)
    return Decision(action=action, rules=("C1",), reasons=(reason,), state=new)
