"""Repetition segmentation: two thresholds (hysteresis) plus duration and depth gates.

The signal is how far the shoulders have dropped below their standing height, in body
lengths: from the world landmarks (metres) where the model gives them, else from the
picture. It works in any camera view: a hinge lowers the shoulders by tipping the trunk, a
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
from hingecoach.motion.signal import condition, runs
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["Gates", "RepEvent", "Segmentation", "depth_signal", "segment"]

T = THRESHOLDS

L = Landmark  # short name for landmark indices in array slices

FloatArray = NDArray[np.float64]

# Shoulders, hips, knees, ankles: left then right.
_CHAIN = (
    L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP,
    L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE,
)  # fmt: skip


@dataclass(frozen=True)
class Gates:
    """Thresholds as fractions of the clip's own depth range, and duration limits (s)."""

    enter: float = T.rep_enter  # a descent counts once depth passes this fraction of the range
    leave: float = T.rep_leave  # and the rep ends when it comes back above this fraction
    min_depth: float = T.rep_min_depth  # body lengths: smaller dips are fidgets, not reps
    min_seconds: float = T.rep_min_seconds
    max_seconds: float = T.rep_max_seconds
    max_rise_seconds: float | None = None  # swings: a slow rise is a pick-up or a park
    max_bottom_seconds: float | None = None  # swings: a long crouch is a pick-up or a park
    finish: float | None = None  # lifts: a last rise this far up counts though the clip ends
    # Lifts: the time held at the bottom before the pull (the set-up: feet, grip, slack) does
    # not count toward `max_seconds`; only the pull, from leaving the bottom to standing.
    set_up_free: bool = False


@dataclass(frozen=True)
class RepEvent:
    start: int  # frame indices
    bottom: int
    end: int
    partial: bool = False  # began at the bottom: the clip started mid-rep
    finished: bool = True  # False: the clip ends on the way up, before standing tall


@dataclass(frozen=True)
class Segmentation:
    reps: tuple[RepEvent, ...]
    partials: tuple[RepEvent, ...]
    depth: FloatArray
    rejected: int  # candidate reps the gates turned down
    starts_standing: bool = False  # the clip opens near standing height (a calibration is possible)


def depth_signal(pose: PoseSequence) -> FloatArray:
    """Shoulder drop below standing, in body lengths, conditioned.

    From the world landmarks when the model gave them (metres, so a zoom, a cut or a walk
    toward the camera does not change the scale, and a vertical distance does not change
    with the camera's angle around the person); else from the picture. Frames where the
    shoulders were not seen (the head and shoulders out of the top of the frame at
    lockout) take the standing level: the person was standing tall above the picture.
    """
    drop = _world_drop(pose)
    if drop is not None:
        drop = _bridged_over_the_top(pose, drop, T.world_standing_drop)
    if drop is None or not _mostly_seen(pose, drop):
        drop = _bridged_over_the_top(pose, _pixel_drop(pose), np.inf)
    return condition(drop, pose.times, pose.fps)


def _mostly_seen(pose: PoseSequence, x: FloatArray) -> bool:
    tracked = pose.tracked()
    return bool(tracked.any() and np.mean(np.isfinite(x)[tracked]) >= 0.5)


def _seen(pose: PoseSequence, points: FloatArray, ids: tuple[int, ...]) -> FloatArray:
    """(T, len(ids), D) positions of the landmarks, NaN where the model did not see them."""
    seen = pose.visibility[:, list(ids)] >= T.seen_min
    return np.where(seen[..., None], points[:, list(ids)], np.nan)


def _mean(x: FloatArray, axis: int = 1) -> FloatArray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # neither side seen stays NaN
        mean: FloatArray = np.nanmean(x, axis=axis)
    return mean


def _legs_seen(pose: PoseSequence) -> bool:
    ankles = _seen(pose, pose.image, (L.LEFT_ANKLE, L.RIGHT_ANKLE))[:, :, 1]
    return _mostly_seen(pose, _mean(ankles))


def _world_drop(pose: PoseSequence) -> FloatArray | None:
    """1 - (shoulder height above the ankles) / (trunk + thigh + shin), frame by frame.

    Every term is measured in the same frame, so the person's own segment lengths set the
    scale and no standing frame is needed to find it.
    """
    if pose.world is None or not _legs_seen(pose):
        return None
    w = _seen(pose, pose.world, _CHAIN)
    shoulders, hips, knees, ankles = (w[:, i : i + 2] for i in (0, 2, 4, 6))
    body = _pair_length(shoulders, hips) + _pair_length(hips, knees) + _pair_length(knees, ankles)
    height = _mean(ankles[:, :, 1]) - _mean(shoulders[:, :, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        drop: FloatArray = 1.0 - height / body
    return drop


def _pair_length(a: FloatArray, b: FloatArray) -> FloatArray:
    return _mean(np.linalg.norm(a - b, axis=-1))


def _pixel_drop(pose: PoseSequence) -> FloatArray:
    """Shoulder drop in the picture over the standing shoulder-to-ankle height; with the
    legs hidden, over the trunk's length scaled by the body's proportions."""
    px = pose.pixels()
    shoulder_y = _mean(_seen(pose, px, (L.LEFT_SHOULDER, L.RIGHT_SHOULDER))[:, :, 1])
    finite = shoulder_y[np.isfinite(shoulder_y)]
    if finite.size == 0:
        return np.full(pose.frames, np.nan)
    if _legs_seen(pose):
        ankle_y = _mean(_seen(pose, px, (L.LEFT_ANKLE, L.RIGHT_ANKLE))[:, :, 1])
        body = _p90(ankle_y - shoulder_y)
    else:
        w = _seen(pose, px, _CHAIN[:4])
        body = _p90(_pair_length(w[:, 0:2], w[:, 2:4])) * T.body_per_trunk
    standing = float(np.percentile(finite, 5))
    drop: FloatArray = (shoulder_y - standing) / body
    return drop


def _bridged_over_the_top(pose: PoseSequence, drop: FloatArray, tallest: float) -> FloatArray:
    """Fill each stretch without the shoulders that they left and re-entered through the
    top of the picture (within `top_edge` of it): the person was standing tall above the
    frame, so the stretch takes the clip's standing level (at most `tallest`)."""
    shoulder_y = _mean(_seen(pose, pose.image, (L.LEFT_SHOULDER, L.RIGHT_SHOULDER))[:, :, 1])
    near_top = np.isfinite(shoulder_y) & (shoulder_y < T.top_edge)
    finite = drop[np.isfinite(drop)]
    if finite.size == 0:
        return drop
    standing = min(float(np.percentile(finite, 5)), tallest)
    out = drop.copy()
    frames, tracked = len(drop), pose.tracked()
    for start, stop in runs(~np.isfinite(drop) & tracked):
        left = start == 0 or bool(near_top[start - 1])
        back = stop == frames or bool(near_top[stop])
        if left and back and (start, stop) != (0, frames):
            out[start:stop] = standing
    return out


def _p90(x: FloatArray) -> float:
    finite = x[np.isfinite(x)]
    return float(np.percentile(finite, 90)) if finite.size else float("nan")


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
    last = _unfinished_lift(depth, events, top, standing, gates)
    if last is not None:
        (partials if last.partial else reps).append(last)
    opening = finite[: max(3, len(finite) // 50)]
    return Segmentation(tuple(reps), tuple(partials), depth, rejected, bool(np.all(opening <= low)))


def _unfinished_lift(
    depth: FloatArray, events: list[tuple[str, int]], top: float, standing: float, gates: Gates
) -> RepEvent | None:
    """A lift the clip stops filming on its way up, once it has risen `gates.finish` of the
    way from its bottom to standing: a lift with its lockout unseen, not no lift at all."""
    if gates.finish is None or not events or events[-1][0] != "down":
        return None
    down_at = events[-1][1]
    last = int(np.flatnonzero(np.isfinite(depth))[-1])
    bottom = _refine(depth, down_at, last, "max")
    rise = depth[bottom] - depth[last]
    if rise < max(gates.finish * (depth[bottom] - top), gates.min_depth):
        return None
    previous_up = events[-2][1] if len(events) >= 2 else None
    if previous_up is None:
        return RepEvent(0, bottom, last, partial=True, finished=False)
    return RepEvent(_onset(depth, previous_up, down_at, standing), bottom, last, finished=False)


def _passes(rep: RepEvent, up_at: int, depth: FloatArray, times: FloatArray, gates: Gates) -> bool:
    duration = times[rep.end] - times[rep.start]
    timed = rep.start if not gates.set_up_free else _left_bottom(rep, up_at, depth)
    amplitude = depth[rep.bottom] - max(depth[rep.start], depth[rep.end])
    if duration < gates.min_seconds or times[rep.end] - times[timed] > gates.max_seconds:
        return False
    if amplitude < gates.min_depth:
        return False
    if (
        gates.max_rise_seconds is not None
        and times[up_at] - times[rep.bottom] > gates.max_rise_seconds
    ):
        return False
    if gates.max_bottom_seconds is not None:
        return _time_at_bottom(rep, depth, times) <= gates.max_bottom_seconds
    return True


def _bottom_level(rep: RepEvent, depth: FloatArray) -> float:
    """Depth within `bottom_zone` of the rep's depth (from its shallowest point) of its
    deepest point: the rep's bottom, as the pattern reads it."""
    window = depth[rep.start : rep.end + 1]
    return float(depth[rep.bottom] - T.bottom_zone * (depth[rep.bottom] - np.nanmin(window)))


def _left_bottom(rep: RepEvent, up_at: int, depth: FloatArray) -> int:
    """The last frame at the rep's bottom before it rose back to standing: where the pull
    starts, however long the set-up held there."""
    window = depth[rep.bottom : up_at + 1]
    low = np.flatnonzero(np.isfinite(window) & (window >= _bottom_level(rep, depth)))
    return rep.bottom + int(low[-1]) if low.size else rep.bottom


def _time_at_bottom(rep: RepEvent, depth: FloatArray, times: FloatArray) -> float:
    """Seconds the rep stays within `bottom_zone` of its depth from its deepest point, in
    the run of frames around that point: a swing turns there at once, a pick-up or a park
    crouches (`swing_bottom_seconds`). Frames without the shoulders do not end the run (a
    crouch the model lost for a moment is still a crouch)."""
    window = depth[rep.start : rep.end + 1]
    low = np.flatnonzero(np.isfinite(window) & (window < _bottom_level(rep, depth)))
    at = rep.bottom - rep.start
    first = int(low[low < at].max(initial=-1)) + 1
    last = int(low[low > at].min(initial=len(window))) - 1
    return float(times[rep.start + last] - times[rep.start + first])
