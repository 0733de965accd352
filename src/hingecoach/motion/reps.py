"""Repetition segmentation: two thresholds (hysteresis) plus duration and depth gates.

The signal is how far the shoulders have dropped below their standing height, in body
lengths. It works in any camera view: a hinge lowers the shoulders by tipping the trunk, a
squat by bending the knees, a swing at its bottom. Returns events (start, bottom, end), not
a bare count (after Sports2D and kineticstoolkit).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import find_peaks

from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.signal import condition
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["Gates", "RepEvent", "Segmentation", "depth_signal", "segment"]

T = THRESHOLDS

L = Landmark  # short name for landmark indices in array slices

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Gates:
    """Thresholds as fractions of the clip's own depth range, and duration limits (s)."""

    enter: float = T.rep_enter  # a descent counts once depth passes this fraction of the range
    leave: float = T.rep_leave  # and the rep ends when it comes back above this fraction
    min_depth: float = T.rep_min_depth  # body lengths: smaller dips are fidgets, not reps
    min_seconds: float = T.rep_min_seconds
    max_seconds: float = T.rep_max_seconds
    max_rise_seconds: float | None = None  # swings: a slow rise is a pick-up or a park


@dataclass(frozen=True)
class RepEvent:
    start: int  # frame indices
    bottom: int
    end: int
    partial: bool = False  # began at the bottom: the clip started mid-rep


@dataclass(frozen=True)
class Segmentation:
    reps: tuple[RepEvent, ...]
    partials: tuple[RepEvent, ...]
    depth: FloatArray
    rejected: int  # candidate reps the gates turned down
    starts_standing: bool = False  # the clip opens near standing height (a calibration is possible)


def depth_signal(pose: PoseSequence) -> FloatArray:
    """Shoulder drop below standing, in body lengths (standing shoulder-to-ankle height)."""
    px = pose.pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with neither side seen stay NaN
        shoulder_y = np.nanmean(px[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER], 1], axis=1)
        ankle_y = np.nanmean(px[:, [L.LEFT_ANKLE, L.RIGHT_ANKLE], 1], axis=1)
    height = ankle_y - shoulder_y
    finite = height[np.isfinite(height)]
    if finite.size == 0:
        return np.full(pose.frames, np.nan)
    body = float(np.percentile(finite, 90))
    standing = float(np.nanpercentile(shoulder_y, 5))
    drop = (shoulder_y - standing) / body
    return condition(drop, pose.times, pose.fps)


def _crossings(depth: FloatArray, low: float, high: float) -> list[tuple[str, int]]:
    """Hysteresis states: 'down' when depth rises past `high`, 'up' when it falls below `low`.

    A clip that opens above the bottom half counts as opening at the top (an 'up' at its
    first frame), so a rep already under way when filming began is still a full rep.
    """
    events: list[tuple[str, int]] = []
    state = None
    for i, value in enumerate(depth):
        if np.isnan(value):
            continue
        if state is None and value < high:
            state = "up"
            events.append(("up", i))
        elif value >= high and state != "down":
            state = "down"
            events.append(("down", i))
        elif value <= low and state != "up":
            state = "up"
            events.append(("up", i))
    return events


def _levels(depth: FloatArray, min_depth: float) -> tuple[float, float]:
    """Standing level and typical rep depth: the median of the clip's clear dips.

    Peaks, not a high percentile, set the depth: a deep pick-up or park at either end of a
    set of swings must not lift the threshold above the swings themselves.
    """
    finite = depth[np.isfinite(depth)]
    top = float(np.percentile(finite, 5))
    filled = np.where(np.isfinite(depth), depth, top)
    peaks, _ = find_peaks(filled, prominence=min_depth)
    deep = float(np.median(filled[peaks])) if peaks.size else float(np.percentile(finite, 95))
    return top, max(deep, top + min_depth)


def _onset(depth: FloatArray, a: int, b: int, level: float) -> int:
    """Last frame in [a, b] still at standing level: where the descent begins."""
    near = np.flatnonzero(depth[a : b + 1] <= level)
    return a + int(near[-1]) if near.size else _refine(depth, a, b, "min")


def _offset(depth: FloatArray, a: int, b: int, level: float) -> int:
    """First frame in [a, b] back at standing level: where the rise ends."""
    near = np.flatnonzero(depth[a : b + 1] <= level)
    return a + int(near[0]) if near.size else _refine(depth, a, b, "min")


def _refine(depth: FloatArray, a: int, b: int, pick: str) -> int:
    window = depth[a : b + 1]
    if window.size == 0 or np.all(np.isnan(window)):
        return a
    return a + int(np.nanargmax(window) if pick == "max" else np.nanargmin(window))


def segment(pose: PoseSequence, gates: Gates = Gates()) -> Segmentation:
    depth = depth_signal(pose)
    finite = depth[np.isfinite(depth)]
    if finite.size < 3:
        return Segmentation((), (), depth, 0)
    top, deep = _levels(depth, gates.min_depth)
    span = deep - top
    low = top + gates.leave * span
    standing = top + T.standing_band * span  # rep boundaries: movement leaves or reaches standing
    events = _crossings(depth, low, top + gates.enter * span)
    reps: list[RepEvent] = []
    partials: list[RepEvent] = []
    rejected = 0
    times = pose.times
    for k, (kind, index) in enumerate(events):
        if kind != "up" or k == 0:
            continue
        down_at = events[k - 1][1]
        previous_up = events[k - 2][1] if k >= 2 else None
        bottom = _refine(depth, down_at, index, "max")
        end = _offset(
            depth, index, events[k + 1][1] if k + 1 < len(events) else len(depth) - 1, standing
        )
        if previous_up is None:
            partials.append(RepEvent(0, bottom, end, partial=True))
            continue
        start = _onset(depth, previous_up, down_at, standing)
        rep = RepEvent(start, bottom, end)
        if _passes(rep, index, depth, times, gates):
            reps.append(rep)
        else:
            rejected += 1
    opening = finite[: max(3, len(finite) // 50)]
    return Segmentation(tuple(reps), tuple(partials), depth, rejected, bool(np.all(opening <= low)))


def _passes(rep: RepEvent, up_at: int, depth: FloatArray, times: FloatArray, gates: Gates) -> bool:
    duration = times[rep.end] - times[rep.start]
    amplitude = depth[rep.bottom] - max(depth[rep.start], depth[rep.end])
    if not gates.min_seconds <= duration <= gates.max_seconds or amplitude < gates.min_depth:
        return False
    if gates.max_rise_seconds is not None:
        return bool(times[up_at] - times[rep.bottom] <= gates.max_rise_seconds)
    return True
