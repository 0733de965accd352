"""Mastery of an unloaded step (rules M1, M4, M5, M6 and V1), Winstein 1991, Luomajoki 2007.

A step is mastered after `mastery_sessions` session days where the first set was done from
memory, every self-check item was a yes (and no video check contradicted one), faults stayed
within `max_faults_per_10`, and pain was green in the session and the next morning. Several
sessions on one day count as one day, and only if every one of them passes.
"""

from __future__ import annotations

from hingecoach.engine.model import Decision, Light, Session
from hingecoach.engine.policy import Policy
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.progression.steps import hold, progress
from hingecoach.engine.texts import faults as n_faults
from hingecoach.engine.texts import num, sessions
from hingecoach.language import _

__all__ = ["fault_rate_ok", "form_met", "mastery", "misses"]

# Rule M4 counts faults per 10 reps, or per minute of timed work: a minute is 10 units.
UNITS_PER_MINUTE = 10


def fault_basis(reps: int, seconds: int) -> int:
    """The reps (or minutes x 10) a session's fault count is judged over (rule M4)."""
    return reps or round(seconds * UNITS_PER_MINUTE / 60)


def _rate_ok(faults: int, basis: int, policy: Policy) -> bool:
    return faults * 10 <= basis * policy.max_faults_per_10


def fault_rate_ok(s: Session, policy: Policy) -> bool:
    own = s.faults == 0 if s.fault_basis <= 0 else _rate_ok(s.faults, s.fault_basis, policy)
    if s.video_reps > 0:  # rule V1: the camera's count is a second, independent opinion
        return own and _rate_ok(s.video_faults, s.video_reps, policy)
    return own


def form_met(s: Session) -> bool:
    """Every self-check item a yes, and none contradicted by a video check (rules M1, V1)."""
    return bool(s.self_check) and all(s.self_check) and False not in s.video_checks


def _fault_limit(policy: Policy) -> str:
    return n_faults(policy.max_faults_per_10)


def misses(ctx: Ctx, s: Session) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not s.self_check or not all(s.self_check):
        found.append(("M1", _("not every self-check item was a yes")))
    elif False in s.video_checks:
        found.append(("V1", _("the video form check contradicts a self-check item you marked yes")))
    if not s.first_set_uncued:
        found.append(
            ("M6", _("the first set was done with the cues (do the first set from memory)"))
        )
    if not fault_rate_ok(s, ctx.policy):
        video = s.video_reps > 0 and not _rate_ok(s.video_faults, s.video_reps, ctx.policy)
        if video:
            said = _("more than {faults} per 10 reps or per minute in the video form check")
        else:
            said = _("more than {faults} per 10 reps or per minute")
        found.append(("V1" if video else "M4", said.format(faults=_fault_limit(ctx.policy))))
    if ctx.light(s).light is not Light.GREEN:
        found.append(("M5", _("pain was not green in the session and the next morning")))
    return found


def mastery(ctx: Ctx, latest: Session) -> Decision:
    """M1-M6: enough good session days at this step, or what the last one missed."""
    good_days = [
        sessions for _, sessions in ctx.days_here() if all(not misses(ctx, s) for s in sessions)
    ]
    need = ctx.policy.mastery_sessions
    if len(good_days) >= need:
        filmed = any(True in s.video_checks for day in good_days for s in day)
        return progress(
            ctx,
            latest,
            ("P1", "M1", "M4", "M5", "M6", *(("V1",) if filmed else ())),
            (
                (
                    _(
                        "Mastered in {sessions} on different days: first set from memory, every "
                        "self-check a yes, few faults, pain green in the session and next "
                        "morning, with the form confirmed on video."
                    )
                    if filmed
                    else _(
                        "Mastered in {sessions} on different days: first set from memory, every "
                        "self-check a yes, few faults, pain green in the session and next "
                        "morning."
                    )
                ).format(sessions=sessions(len(good_days))),
            ),
        )
    missed = misses(ctx, latest)
    reasons = [
        _(
            "Pain light GREEN. {done} of {need} (on different days) done well enough to move up "
            "so far."
        ).format(done=num(len(good_days)), need=sessions(need))
    ]
    reasons += [_("Last session: {miss}.").format(miss=text) for _rule, text in missed]
    return hold(ctx, ("P1", *(r for r, _text in missed), "M6"), tuple(reasons), Light.GREEN)
