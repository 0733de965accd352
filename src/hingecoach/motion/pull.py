"""Hips rising before the shoulders, in a lift from the floor.

From the floor to the knees the trunk keeps its angle while hips and shoulders rise
together; when the hips rise first the shoulders stay down and the trunk tips further
forward. So the measure is how far the trunk tips forward (its angle from vertical grows)
from the start of the pull until the hips are most of the way up (`pull_rise`).

The pull starts where the shoulders are at their lowest (within `bottom_zone` of the rep's
depth: the rep's bottom, as the pattern reads it), or at the end of the last pause after
that with the shoulders still low: a set-up held still, such as hips raised into a sumo
wedge and held, is not the pull. A clip that opens already moving at the bottom did not
film the start of its first pull: no verdict.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.kinematics import Kinematics
from hingecoach.motion.reps import RepEvent
from hingecoach.motion.signal import runs
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["hips_first"]

FloatArray = NDArray[np.float64]
T = THRESHOLDS
NAN = float("nan")


def hips_first(k: Kinematics, depth: FloatArray, rep: RepEvent) -> float:
    """Degrees the trunk tips forward as the pull leaves the floor (0 when it does not);
    NaN when the start of the pull, or the trunk, was not seen."""
    first = _zone_start(depth, rep)
    if first is None:
        return NAN
    paused = _after_last_pause(k, depth, first, rep)
    if paused is None and first == 0:
        return NAN  # the clip opens moving at the bottom: the pull's start was not filmed
    start = first if paused is None else paused
    stop = _risen(k.hip_height, start, rep.end)
    trunk = k.trunk_angle[start : stop + 1]
    if trunk.size < 2 or not np.all(np.isfinite(trunk)):
        return NAN
    return float(np.max(trunk - np.minimum.accumulate(trunk)))


def _zone_start(depth: FloatArray, rep: RepEvent) -> int | None:
    """First frame of the run, around the rep's deepest point, with the shoulders within
    `bottom_zone` of the rep's depth of their lowest."""
    window = depth[rep.start : rep.end + 1]
    if not np.isfinite(depth[rep.bottom]) or not np.any(np.isfinite(window)):
        return None
    reach = float(depth[rep.bottom] - np.nanmin(window))
    level = depth[rep.bottom] - T.bottom_zone * reach
    first = rep.bottom
    while first > rep.start and depth[first - 1] >= level:
        first -= 1
    return first


def _after_last_pause(k: Kinematics, depth: FloatArray, first: int, rep: RepEvent) -> int | None:
    """The last frame of the last pause after `first` (hips still for `pause_seconds` with
    the shoulders in the lower part of the rep, `set_up_depth`): a set-up held before the
    pull, the hips perhaps raised into it, not the pull."""
    segment = slice(first, rep.end + 1)
    if rep.end <= first:
        return None
    reach = float(depth[rep.bottom] - np.nanmin(depth[rep.start : rep.end + 1]))
    low = depth[segment] >= depth[rep.bottom] - (1 - T.set_up_depth) * reach
    speed = np.abs(np.gradient(k.hip_height[segment], k.times[segment]))
    still = np.isfinite(speed) & (speed < T.still_speed) & low
    times = k.times[segment]
    pauses = [(a, b) for a, b in runs(still) if times[b - 1] - times[a] >= T.pause_seconds - 1e-9]
    return first + pauses[-1][1] - 1 if pauses else None


def _risen(hip_height: FloatArray, start: int, end: int) -> int:
    """First frame from `start` with the hips `pull_rise` of the way from their lowest
    (after `start`) to their highest before `end`; `end` when they never get there."""
    heights = hip_height[start : end + 1]
    if not np.any(np.isfinite(heights)):
        return end
    lowest = int(np.nanargmin(heights))
    low, high = heights[lowest], np.nanmax(heights)
    target = low + T.pull_rise * (high - low)
    above = np.flatnonzero(heights[lowest:] >= target)
    return start + lowest + int(above[0]) if above.size else end
