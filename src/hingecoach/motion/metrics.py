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

from hingecoach.motion.calibration import Calibration, calibrate, top_window
from hingecoach.motion.feet import heel_lift
from hingecoach.motion.kinematics import Kinematics, PatternAngles, view_kind
from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.pull import hips_first
from hingecoach.motion.reps import RepEvent
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = [
    "Calibration",
    "Measured",
    "RepMetrics",
    "Seen",
    "calibrate",
    "classify",
    "rep_metrics",
    "squat_side",
]

FloatArray = NDArray[np.float64]
L = Landmark  # short name for landmark indices in array slices

T = THRESHOLDS


@dataclass(frozen=True)
class Seen:
    """How clearly the model saw the joints each check reads (the least visible joint's mean
    visibility, 0-1, over the frames it is read at; NaN visibility counts as unseen)."""

    legs: float = 0.0  # shoulder, hip, knee, ankle over the bottom
    head_trunk: float = 0.0  # ear, shoulder, hip over the bottom
    top: float = 0.0  # shoulder, hip, knee over the top
    trunk: float = 0.0  # shoulder and hip over the rep
    feet: float = 0.0  # heel, toe and ankle over the rep
    arms: float = 0.0  # shoulder, hip and wrist from the bottom up


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
    pattern: str  # "hinge", "squat" or "unsure"
    partial: bool = False  # began at the clip's first frame: its bottom may not be the deepest
    finished: bool = True  # False: the clip ends before the rep stood tall
    pattern_margin: float = float("nan")  # degrees from the squat/lift midline, + squat side
    view: str = "unknown"  # the camera's angle at this rep's standing frames
    view_ratio: float = float("nan")  # shoulder width / torso length there (small: side on)
    pattern_source: str = "picture"  # "world": the pattern read in 3-D
    trunk_bend_bottom: float = float("nan")  # ear off the trunk line toward the chest, degrees
    hips_rise_first: float = float("nan")  # degrees the trunk tips forward as the pull starts
    heel_lift: float = float("nan")  # degrees the heel-to-toe line rises past standing
    # Hip flexion in 3-D from the world landmarks (NaN without them), at the bottom and at
    # the top against the standing posture's: what the depth and lockout checks read on a
    # rep filmed from an oblique view.
    hip_flexion_3d: float = float("nan")
    top_hip_flexion_3d: float = float("nan")
    # Swing timing: seconds the arms' speed peaks before the hips' (negative: after; NaN
    # when not a swing or not seen).
    arms_lead_seconds: float = float("nan")
    seen: Seen = Seen()


def _at(x: FloatArray, i: int) -> float:
    return float(x[i])


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


def _rep_view(clip: Measured, rep: RepEvent) -> tuple[str, float]:
    """The view at the rep's standing frames (a third of a second either side of its start
    and its end), and its shoulder ratio there: a clip can change camera between reps."""
    reach = max(1, round(clip.pose.fps / 3))
    frames = np.r_[
        max(rep.start - reach, 0) : rep.start + reach, max(rep.end - reach, 0) : rep.end + reach
    ]
    ratio = clip.ratio[frames[frames < len(clip.ratio)]]
    ratio = ratio[np.isfinite(ratio)]
    if not ratio.size:
        return clip.view, float("nan")
    value = float(np.median(ratio))
    return view_kind(value), value


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


def _arms_lead(pose: PoseSequence, k: Kinematics, rep: RepEvent) -> float:
    """Swing timing (after McGill & Marshall 2012): seconds the arms' raising speed peaks
    before the hips' extension speed, on the way up (the hips should come first: negative
    or zero); NaN when either was not seen."""
    seg = slice(rep.bottom, rep.end + 1)
    if rep.end - rep.bottom < 3:
        return float("nan")
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
        return float("nan")
    return float(t[np.nanargmax(hip_speed)] - t[np.nanargmax(arm_speed)])


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


_JOINTS = {
    "legs": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
    "head_trunk": (L.LEFT_EAR, L.LEFT_SHOULDER, L.LEFT_HIP),
    "top": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE),
    "trunk": (L.LEFT_SHOULDER, L.LEFT_HIP),
    "feet": (L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE),
    "arms": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_WRIST),
}


def _seen(clip: Measured, rep: RepEvent, top: slice) -> Seen:
    """How clearly the near side's joints were seen where each check reads them."""
    side = 0 if clip.k.side == "left" else 1
    bottom = _bottom_zone(clip.depth, rep)
    frames = {
        "legs": bottom,
        "head_trunk": bottom,
        "top": np.arange(top.start, top.stop),
        "trunk": np.arange(rep.start, rep.end + 1),
        "feet": np.arange(rep.start, rep.end + 1),
        "arms": np.arange(rep.bottom, rep.end + 1),
    }
    seen = np.nan_to_num(clip.pose.visibility)
    out = {}
    for name, ids in _JOINTS.items():
        at = frames[name][frames[name] < len(seen)]
        joints = np.array([int(j) + side for j in ids])
        out[name] = float(seen[np.ix_(at, joints)].mean(axis=0).min()) if at.size else 0.0
    return Seen(**out)


def rep_metrics(
    clip: Measured, rep: RepEvent, number: int, next_start: int | None = None
) -> RepMetrics:
    pose, k, cal, swing = clip.pose, clip.k, clip.cal, clip.swing
    t = k.times
    b = rep.bottom
    knee, hip, trunk = _at(k.knee_flexion, b), _at(k.hip_flexion, b), _at(k.trunk_angle, b)
    ratio = hip / knee if knee > 1 else float("inf")
    line = k.trunk_line[rep.start : rep.end + 1] - cal.trunk_line
    top = top_window(k, rep, next_start)
    px = pose.pixels()
    pattern, margin = _pattern(clip, rep)
    view, view_ratio = _rep_view(clip, rep)
    in_3d = clip.angles.source == "world"
    arms_lead = _arms_lead(pose, k, rep) if swing else float("nan")
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
        pattern=pattern,
        partial=rep.partial,
        finished=rep.finished,
        pattern_margin=margin,
        view=view,
        view_ratio=view_ratio,
        pattern_source=clip.angles.source,
        trunk_bend_bottom=_at(k.trunk_bend, b),
        hips_rise_first=hips_first(k, clip.depth, rep),
        heel_lift=heel_lift(k.foot, cal.foot, rep),
        hip_flexion_3d=_at(clip.angles.hip, b) if in_3d else float("nan"),
        top_hip_flexion_3d=_nanmin(clip.angles.hip[top]) - cal.hip_flexion_3d
        if in_3d
        else float("nan"),
        arms_lead_seconds=arms_lead,
        seen=_seen(clip, rep, top),
    )
