"""Per-repetition measurements and the hinge-or-squat call at the bottom of each rep.

Pattern bands from domain-rules.md (after Schellenberg 2013, von Arx 2021, Esola 1996): a
squat bends the knees past about 100 degrees with the trunk near upright; a hinge (and a
lift from the floor done as a hinge) keeps the trunk well forward with less knee bend. The
call is made over the rep's bottom, in 3-D where the model gives world landmarks, with a
margin: near the line between the bands, or with the knees unseen, it is "unsure".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.kinematics import Kinematics, PatternAngles, view_kind
from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.reps import RepEvent
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = [
    "Calibration",
    "Measured",
    "RepMetrics",
    "calibrate",
    "classify",
    "rep_metrics",
    "squat_side",
]

FloatArray = NDArray[np.float64]
L = Landmark  # short name for landmark indices in array slices

T = THRESHOLDS


@dataclass(frozen=True)
class Calibration:
    """The learner's own standing posture, from the quiet frames at the start of the clip."""

    hip_flexion: float
    trunk_line: float
    frames: int


@dataclass(frozen=True)
class RepMetrics:
    number: int
    start: float  # seconds
    bottom: float
    end: float
    descent: float
    ascent: float
    hip_flexion: float  # at the bottom, degrees
    knee_flexion: float
    trunk_angle: float
    hip_knee_ratio: float
    hip_behind_ankle: float  # leg lengths
    trunk_line_change: float  # degrees against calibration, worst during the rep
    trunk_line_bottom: float  # ear-shoulder-hip angle at the bottom (180 = in one line)
    top_hip_flexion: float  # at the end of the rep, against calibration
    top_lean_back: float  # degrees the trunk leans back past vertical at the top (>0 = back)
    hips_lead_arms: bool | None  # swing timing: hip extension peaks before arm raise
    pattern: str  # "hinge", "squat" or "unsure"
    partial: bool = False  # began at the clip's first frame: its bottom may not be the deepest
    finished: bool = True  # False: the clip ends before the rep stood tall
    pattern_margin: float = float("nan")  # degrees from the squat/lift midline, + squat side
    view: str = "unknown"  # the camera's angle at this rep's standing frames


def _at(x: FloatArray, i: int) -> float:
    return float(x[i])


def calibrate(k: Kinematics, reps: tuple[RepEvent, ...]) -> Calibration:
    """Median posture over the second of standing just before the first rep (or the clip's
    first second): after any walk into the picture, before the set."""
    if reps:
        stop = max(1, reps[0].start)
        begin = int(np.searchsorted(k.times, k.times[stop - 1] - 1.0))
    else:
        begin, stop = 0, int(np.searchsorted(k.times, k.times[0] + 1.0)) + 1
    quiet = slice(begin, stop)
    frames = len(k.times[quiet])
    return Calibration(_median(k.hip_flexion[quiet]), _median(k.trunk_line[quiet]), frames)


def _median(x: FloatArray) -> float:
    finite = x[np.isfinite(x)]
    return float(np.median(finite)) if finite.size else float("nan")


def squat_side(knee: float, trunk: float) -> float:
    """Signed distance in degrees of (knee flexion, trunk from vertical) from the midline
    between the squat band's centre and the lift-from-the-floor band's (domain-rules.md):
    positive toward the squat, whose knees bend more with the trunk more upright."""
    sk, st = T.squat_centre
    lk, lt = T.lift_centre
    dk, dt = sk - lk, st - lt
    norm = math.hypot(dk, dt)
    return ((knee - (sk + lk) / 2) * dk + (trunk - (st + lt) / 2) * dt) / norm


def classify(knee: float, trunk: float) -> tuple[str, float]:
    """Hinge, squat, or unsure when the evidence sits within `pattern_margin` of the line
    between them (or a joint was not seen), with the signed distance from that line.

    A trunk past every squat's band is a hinge whatever the knees do (the knees of a barbell
    pull, half hidden behind the plates, often read as a squat's)."""
    side = squat_side(knee, trunk)
    if math.isfinite(trunk) and trunk >= T.hinge_trunk_min:
        return "hinge", side
    if not math.isfinite(side):
        return "unsure", side
    if side >= T.pattern_margin:
        return "squat", side
    if side <= -T.pattern_margin:
        return "hinge", side
    return "unsure", side


def _bottom_zone(depth: FloatArray, rep: RepEvent) -> NDArray[np.intp]:
    """Frames of the rep within `bottom_zone` of its depth from its deepest point: where the
    pattern is read (its bottom frame alone when the depth was not seen)."""
    window = depth[rep.start : rep.end + 1]
    if not np.isfinite(depth[rep.bottom]):
        return np.array([rep.bottom])
    reach = depth[rep.bottom] - np.nanmin(window)
    deep: NDArray[np.intp] = rep.start + np.flatnonzero(
        window >= depth[rep.bottom] - T.bottom_zone * reach
    )
    return deep


def _rep_view(clip: Measured, rep: RepEvent) -> str:
    """The view at the rep's standing frames (a third of a second either side of its start
    and its end): a clip can change camera between reps."""
    reach = max(1, round(clip.pose.fps / 3))
    frames = np.r_[
        max(rep.start - reach, 0) : rep.start + reach, max(rep.end - reach, 0) : rep.end + reach
    ]
    ratio = clip.ratio[frames[frames < len(clip.ratio)]]
    ratio = ratio[np.isfinite(ratio)]
    return view_kind(float(np.median(ratio))) if ratio.size else clip.view


def _pattern(clip: Measured, rep: RepEvent) -> tuple[str, float]:
    zone = _bottom_zone(clip.depth, rep)
    knee = _median(clip.angles.knee[zone])
    trunk = _median(clip.angles.trunk[zone])
    return classify(knee, trunk)


def _lean_back(px: FloatArray, k: Kinematics, i: int) -> float:
    """Signed trunk angle at frame i: positive when the shoulders sit behind the hips."""
    side = 0 if k.side == "left" else 1
    shoulder = px[i, L.LEFT_SHOULDER + side]
    hip = px[i, L.LEFT_HIP + side]
    behind = (hip[0] - shoulder[0]) * k.facing
    return float(k.trunk_angle[i]) if behind > 0 else -float(k.trunk_angle[i])


def _hips_lead_arms(pose: PoseSequence, k: Kinematics, rep: RepEvent) -> bool | None:
    """Swing timing (after McGill & Marshall 2012): peak hip-extension speed comes first."""
    seg = slice(rep.bottom, rep.end + 1)
    if rep.end - rep.bottom < 3:
        return None
    px = pose.pixels()
    side = 0 if k.side == "left" else 1
    shoulder, hip, wrist = (px[seg, j + side] for j in (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_WRIST))
    arm = np.degrees(np.arctan2(*(wrist - shoulder).T[::-1])) - np.degrees(
        np.arctan2(*(hip - shoulder).T[::-1])
    )
    arm = np.abs((arm + 180) % 360 - 180)
    t = k.times[seg]
    hip_speed = -np.gradient(k.hip_flexion[seg], t)
    arm_speed = np.gradient(arm, t)
    if np.all(np.isnan(hip_speed)) or np.all(np.isnan(arm_speed)):
        return None
    return bool(np.nanargmax(hip_speed) <= np.nanargmax(arm_speed))


def _top_window(k: Kinematics, rep: RepEvent, next_start: int | None) -> slice:
    """Frames from the end of a rep to the start of the next (at most a second): the top."""
    limit = int(np.searchsorted(k.times, k.times[rep.end] + T.top_window_seconds))
    stop = min(limit, next_start if next_start is not None else len(k.times) - 1)
    return slice(rep.end, max(stop, rep.end) + 1)


def _nanmin(x: FloatArray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.min()) if finite.size else float("nan")


@dataclass(frozen=True)
class Measured:
    """One clip's keypoints, their joint angles, the standing calibration, and whether the
    exercise is a swing (its timing is judged too): what every rep is measured against."""

    pose: PoseSequence
    k: Kinematics
    cal: Calibration
    swing: bool
    angles: PatternAngles  # for the pattern: in 3-D where the model gave world landmarks
    depth: FloatArray  # the rep-counting signal, for where each rep is deepest
    ratio: FloatArray  # shoulder width / torso length per upright frame (the view)
    view: str  # the clip's view, for a rep with no upright frame to judge its own


def rep_metrics(
    clip: Measured, rep: RepEvent, number: int, next_start: int | None = None
) -> RepMetrics:
    pose, k, cal, swing = clip.pose, clip.k, clip.cal, clip.swing
    t = k.times
    b = rep.bottom
    knee, hip, trunk = _at(k.knee_flexion, b), _at(k.hip_flexion, b), _at(k.trunk_angle, b)
    ratio = hip / knee if knee > 1 else float("inf")
    line = k.trunk_line[rep.start : rep.end + 1] - cal.trunk_line
    top = _top_window(k, rep, next_start)
    px = pose.pixels()
    pattern, margin = _pattern(clip, rep)
    return RepMetrics(
        number=number,
        start=float(t[rep.start]),
        bottom=float(t[b]),
        end=float(t[rep.end]),
        descent=float(t[b] - t[rep.start]),
        ascent=float(t[rep.end] - t[b]),
        hip_flexion=hip,
        knee_flexion=knee,
        trunk_angle=trunk,
        hip_knee_ratio=ratio,
        hip_behind_ankle=_at(k.hip_behind_ankle, b),
        trunk_line_change=float(np.nanmax(np.abs(line)))
        if np.any(np.isfinite(line))
        else float("nan"),
        trunk_line_bottom=_at(k.trunk_line, b),
        top_hip_flexion=_nanmin(k.hip_flexion[top]) - cal.hip_flexion,
        top_lean_back=max(_lean_back(px, k, i) for i in range(top.start, top.stop)),
        hips_lead_arms=_hips_lead_arms(pose, k, rep) if swing else None,
        pattern=pattern,
        partial=rep.partial,
        finished=rep.finished,
        pattern_margin=margin,
        view=_rep_view(clip, rep),
    )
