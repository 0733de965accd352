"""The learner's own standing posture: what the trunk line, the lockout and the heels are
judged against (domain-rules.md: judge change from the person's own calibration).

Read where the learner stands still: over the second before the first rep when the clip
opens standing; otherwise at the most upright top of a rep, since the lockout at the end of
a pull is standing too (most lifts from the floor are filmed from the floor). Either is
taken as standing unless it is seen bent (`standing_max`): a clip that never shows the
learner upright has no posture to compare against, and says so.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.kinematics import Kinematics
from hingecoach.motion.reps import RepEvent
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["Calibration", "FootReference", "calibrate", "top_window"]

FloatArray = NDArray[np.float64]
T = THRESHOLDS


@dataclass(frozen=True)
class FootReference:
    """The near foot standing flat: its slope, length, shape and where its toes were."""

    pitch: float
    length: float
    shape: float
    toe: tuple[float, float]


@dataclass(frozen=True)
class Calibration:
    """The standing posture, where it was read ("start": before the first rep; "lockout":
    the most upright top of a rep) and whether it is standing at all."""

    hip_flexion: float
    trunk_line: float
    frames: int
    source: str = "start"
    time: float = 0.0  # seconds into the clip, the middle of the frames it was read over
    trunk_angle: float = float("nan")
    standing: bool = True
    foot: FootReference | None = None
    hip_flexion_3d: float = float("nan")  # over the same frames from the world landmarks


def top_window(k: Kinematics, rep: RepEvent, next_start: int | None) -> slice:
    """Frames from the end of a rep to the start of the next (at most a second): the top."""
    limit = int(np.searchsorted(k.times, k.times[rep.end] + T.top_window_seconds))
    stop = min(limit, next_start if next_start is not None else len(k.times) - 1)
    return slice(rep.end, max(stop, rep.end) + 1)


def calibrate(
    k: Kinematics,
    reps: tuple[RepEvent, ...],
    opens_standing: bool = True,
    tops: tuple[slice, ...] = (),
    hip_3d: FloatArray | None = None,
) -> Calibration:
    """The posture over the second of standing before the first rep (or the clip's first
    second) when the clip opens standing; else over the most upright top of a finished rep
    (`tops`: their top windows). `standing` says whether it is a standing posture.
    `hip_3d`: hip flexion per frame from the world landmarks, read over the same frames."""
    if opens_standing or not tops:
        quiet, source = _opening(k, reps), "start"
    else:
        quiet, source = _best_top(k, tops), "lockout"
    hip, trunk = _median(k.hip_flexion[quiet]), _median(k.trunk_angle[quiet])
    # Standing by the rep count's own signal; refused only when seen bent (the shoulders
    # above the picture at the top leave the angles unknown, not bent).
    upright = not (hip > T.standing_max or trunk > T.standing_max)
    found = opens_standing or source == "lockout"
    return Calibration(
        hip_flexion=hip,
        trunk_line=_median(k.trunk_line[quiet]),
        frames=len(k.times[quiet]),
        source=source,
        time=float(np.median(k.times[quiet])) if len(k.times[quiet]) else 0.0,
        trunk_angle=trunk,
        standing=bool(found and upright),
        foot=_foot(k, quiet),
        hip_flexion_3d=_median(hip_3d[quiet]) if hip_3d is not None else float("nan"),
    )


def _opening(k: Kinematics, reps: tuple[RepEvent, ...]) -> NDArray[np.intp]:
    """The second of standing just before the first rep (or the clip's first second): after
    any walk into the picture, before the set."""
    if reps:
        stop = max(1, reps[0].start)
        begin = int(np.searchsorted(k.times, k.times[stop - 1] - 1.0))
    else:
        begin, stop = 0, int(np.searchsorted(k.times, k.times[0] + 1.0)) + 1
    return np.arange(begin, min(stop, len(k.times)))


def _best_top(k: Kinematics, tops: tuple[slice, ...]) -> NDArray[np.intp]:
    """The frames of the most upright top (the smallest hip flexion of any top window)
    within half the camera's tolerance of its most upright moment."""
    best, lowest = tops[0], math.inf
    for window in tops:
        low = _nanmin(k.hip_flexion[window])
        if low < lowest:
            best, lowest = window, low
    frames = np.arange(best.start, best.stop)
    if not math.isfinite(lowest):
        return frames
    near: NDArray[np.intp] = frames[k.hip_flexion[frames] <= lowest + T.angle_tolerance / 2]
    return near


def _foot(k: Kinematics, quiet: NDArray[np.intp]) -> FootReference | None:
    f = k.foot
    pitch, length, shape = (_median(x[quiet]) for x in (f.pitch, f.length, f.shape))
    toe = (_median(f.toe[quiet, 0]), _median(f.toe[quiet, 1]))
    values = (pitch, length, shape, *toe)
    if not all(math.isfinite(v) for v in values) or length <= 0:
        return None
    return FootReference(pitch, length, shape, toe)


def _median(x: FloatArray) -> float:
    finite = x[np.isfinite(x)]
    return float(np.median(finite)) if finite.size else float("nan")


def _nanmin(x: FloatArray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nothing seen: NaN, as wanted
        low = float(np.nanmin(x)) if x.size else float("nan")
    return low if math.isfinite(low) else math.inf
