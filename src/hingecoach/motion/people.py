"""The lifter only: frames where the pose model briefly followed someone else are dropped.

In a gym a coach or another lifter walks behind; the model may take them for a moment and
come back. Those frames are not the lifter's: a standing passer-by in the middle of a squat
splits it into two reps, or hides one. Such a moment shows in the picture as the hips
moving more than a trunk length a frame (`person_leap`), then leaping back to where they
were within `switch_max_seconds`. A leap that does not come back (a cut to another shot,
the lifter moving on) is left alone: whose frames are whose cannot be told then.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["leaps", "lifter_only"]

T = THRESHOLDS
FloatArray = NDArray[np.float64]


def _hips(pose: PoseSequence) -> FloatArray:
    """(T, 2) the hips' midpoint in the picture, in trunk lengths, so a leap means the same
    near the camera or far. The trunk's length is its 90th percentile over the clip: a trunk
    bent toward the camera for most of a clip (a long set-up) reads short in the picture."""
    px = pose.pixels()
    mid: FloatArray = (px[:, Landmark.LEFT_HIP] + px[:, Landmark.RIGHT_HIP]) / 2
    shoulders = (px[:, Landmark.LEFT_SHOULDER] + px[:, Landmark.RIGHT_SHOULDER]) / 2
    trunk = np.linalg.norm(shoulders - mid, axis=1)
    trunk = trunk[np.isfinite(trunk) & (trunk > 0)]
    scale = float(np.percentile(trunk, 90)) if trunk.size else float(max(pose.width, pose.height))
    return mid / scale


def _seen(hips: FloatArray) -> NDArray[np.intp]:
    return np.flatnonzero(np.all(np.isfinite(hips), axis=1))


def leaps(pose: PoseSequence) -> NDArray[np.intp]:
    """Frames the hips reach by moving more than `person_leap` trunk lengths a frame from
    the last frame they were seen in (after frames unseen, as many times that far)."""
    return _leaps(_hips(pose))


def _leaps(hips: FloatArray) -> NDArray[np.intp]:
    seen = _seen(hips)
    step = np.linalg.norm(np.diff(hips[seen], axis=0), axis=1)
    out: NDArray[np.intp] = seen[1:][step > T.person_leap * np.diff(seen)]
    return out


def _brief_switches(pose: PoseSequence) -> list[tuple[int, int]]:
    """(first, stop) frame ranges spent on someone else: a leap away, and within
    `switch_max_seconds` (and in fewer seen frames than the lifter was followed before it)
    a leap back to within `person_leap` of where the hips were."""
    hips = _hips(pose)
    found = _leaps(hips)
    seen = _seen(hips)
    out = []
    i = 0
    since = int(seen[0]) if seen.size else 0  # where the run before the next leap began
    while i + 1 < len(found):
        away, back = int(found[i]), int(found[i + 1])
        before = seen[seen < away][-1]
        brief = pose.times[back] - pose.times[away] <= T.switch_max_seconds
        brief = brief and _count(seen, away, back) < _count(seen, since, away)
        if brief and np.linalg.norm(hips[back] - hips[before]) <= T.person_leap:
            out.append((away, back))
            i, since = i + 2, back  # the leap back is not the next leap away
        else:
            i, since = i + 1, away
    return out


def _count(seen: NDArray[np.intp], first: int, stop: int) -> int:
    return int(np.count_nonzero((seen >= first) & (seen < stop)))


def lifter_only(pose: PoseSequence) -> PoseSequence:
    """The clip with the frames spent on someone else taken as frames without the lifter."""
    switches = _brief_switches(pose)
    if not switches:
        return pose
    image, visibility = pose.image.copy(), pose.visibility.copy()
    world = None if pose.world is None else pose.world.copy()
    for first, stop in switches:
        image[first:stop] = np.nan
        visibility[first:stop] = 0.0
        if world is not None:
            world[first:stop] = np.nan
    return replace(pose, image=image, visibility=visibility, world=world)
