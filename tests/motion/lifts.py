"""Stick-figure lifts from the floor and hinges, for the checks that compare with standing:
hips rising before the shoulders, heels lifting, the trunk line, the lockout."""

from __future__ import annotations

from functools import cache

from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.motion.checks import CheckSpec
from hingecoach.motion.pose import PoseSequence

from .builders import STANDING, Posture, bend, move, posture_clip

# A lift from the floor: hip 110, knee 90, shin 30, so the trunk is 50 deg forward (the
# lift-from-the-floor band of domain-rules.md: knee 60-110, trunk 30-60).
FLOOR = Posture(hip=110, knee=90, shin=30)
HINGE_BOTTOM = Posture(hip=80, knee=20)  # the hip hinge band: trunk 60


@cache
def spec(exercise: str) -> CheckSpec:
    return check_spec_for(builtin_catalog().exercises[exercise])


def pull(through: Posture | None = None) -> list[Posture]:
    """From the floor to standing: straight there (hips and shoulders together, the trunk
    only rising toward vertical), or by way of `through` (reached in 0.4 s)."""
    if through is None:
        return move(FLOOR, STANDING, 30)
    return move(FLOOR, through, 12) + move(through, STANDING, 20)


def lifts(
    through: Posture | None = None,
    reps: int = 3,
    set_up: int = 15,
    opening: Posture = STANDING,
    facing: int = 1,
) -> PoseSequence:
    """A set of lifts from the floor: the clip opens in `opening` (standing, or at the
    floor: then the first pull starts there), each lift held `set_up` frames at the floor."""
    frames = [opening] * 20
    for n in range(reps):
        if n or opening != FLOOR:
            frames += move(STANDING, FLOOR, 30)
        frames += [FLOOR] * set_up + pull(through) + [STANDING] * 20
    return posture_clip(frames) if facing == 1 else _facing_left(frames)


def hinges(bottom: Posture, reps: int = 3) -> PoseSequence:
    """A set of hinges from standing to `bottom` and back, standing a second first."""
    return posture_clip([STANDING] * 20 + (bend(bottom, 30) + [STANDING] * 10) * reps)


def _facing_left(frames: list[Posture]) -> PoseSequence:
    import numpy as np

    from .builders import pose_from_pixels, side_figure

    return pose_from_pixels(
        np.stack([side_figure(p, ankle=(400.0, 550.0), facing=-1) for p in frames])
    )
