"""Per-frame joint angles and positions from a `PoseSequence` (2-D, in pixels).

What 2-D keypoints can honestly give (domain-rules.md, "What the camera can and cannot
see"): hip and knee flexion, trunk and shin angle from vertical, how far the hips travel
behind the ankles, and a trunk-line proxy (ear-shoulder-hip alignment) judged against the
learner's own standing calibration. Never lumbar curvature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.signal import condition
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = [
    "Foot",
    "Kinematics",
    "PatternAngles",
    "View",
    "angle_between",
    "detect_view",
    "kinematics",
    "pattern_angles",
    "segment_angle_from_vertical",
    "shoulder_ratio",
    "view_kind",
]

L = Landmark  # short name for landmark indices in array slices

FloatArray = NDArray[np.float64]

_SIDES = {
    "left": (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_EAR, L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_WRIST),
    "right": (L.RIGHT_SHOULDER, L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_EAR, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_WRIST),
}  # fmt: skip


def angle_between(u: FloatArray, v: FloatArray) -> FloatArray:
    """Angle in degrees (0-180) between 2-D or 3-D vectors, row by row; NaN where either is
    missing."""
    dot = np.sum(u * v, axis=-1)
    norm = np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.clip(dot / norm, -1.0, 1.0)
    degrees: FloatArray = np.degrees(np.arccos(cos))
    return degrees


def segment_angle_from_vertical(top: FloatArray, bottom: FloatArray) -> FloatArray:
    """Angle of the segment bottom->top from straight up, 0-180 degrees (image y points down)."""
    up = np.zeros(top.shape[-1])
    up[1] = -1.0  # y points down, in the picture and in the world landmarks alike
    return angle_between(top - bottom, np.broadcast_to(up, top.shape))


@dataclass(frozen=True)
class View:
    """Camera angle to the person: side, oblique or front, and which side faces the camera."""

    kind: str
    side: str
    shoulder_ratio: float  # shoulder width / torso length; small in a side view


def _ratio(pose: PoseSequence) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Per frame, shoulder width over torso length, and whether the trunk is within 30
    degrees of vertical (the ratio is judged while standing)."""
    px = pose.pixels()
    width = np.linalg.norm(px[:, L.LEFT_SHOULDER] - px[:, L.RIGHT_SHOULDER], axis=-1)
    mid_shoulder = (px[:, L.LEFT_SHOULDER] + px[:, L.RIGHT_SHOULDER]) / 2
    mid_hip = (px[:, L.LEFT_HIP] + px[:, L.RIGHT_HIP]) / 2
    torso = np.linalg.norm(mid_shoulder - mid_hip, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio: FloatArray = width / torso
    return ratio, segment_angle_from_vertical(mid_shoulder, mid_hip) < 30


def shoulder_ratio(pose: PoseSequence) -> FloatArray:
    """Per frame, shoulder width over torso length (small in a side view); NaN where the
    trunk leans more than 30 degrees from vertical."""
    ratio, upright = _ratio(pose)
    return np.where(upright, ratio, np.nan)


def view_kind(ratio: float) -> str:
    """Side view when the shoulders nearly overlap; front when they are wide apart."""
    if not np.isfinite(ratio):
        return "unknown"
    side, front = THRESHOLDS.side_view_max, THRESHOLDS.front_view_min
    return "side" if ratio < side else ("front" if ratio > front else "oblique")


def detect_view(pose: PoseSequence) -> View:
    """The clip's view: the median shoulder ratio over its upright frames (all its frames
    when it has none)."""
    ratio, upright = _ratio(pose)
    sample = ratio[upright & np.isfinite(ratio)]
    if sample.size == 0:
        sample = ratio[np.isfinite(ratio)]
    value = float(np.median(sample)) if sample.size else float("nan")
    return View(view_kind(value), _facing_side(pose), value)


def _facing_side(pose: PoseSequence) -> str:
    """The body side nearer the camera: its hip, knee and ankle are the more visible."""
    scores = {}
    for name, ids in _SIDES.items():
        seen = pose.visibility[:, [ids[1], ids[2], ids[3]]]
        seen = seen[np.isfinite(seen)]
        scores[name] = float(seen.mean()) if seen.size else -1.0
    return max(scores, key=lambda k: scores[k])


@dataclass(frozen=True)
class Foot:
    """The near foot per frame, in pixels, NaN where heel, toe or ankle was not seen."""

    pitch: FloatArray  # degrees the heel sits above the toe (the heel-to-toe line's slope)
    length: FloatArray  # heel to toe
    shape: FloatArray  # degrees between heel-to-ankle and heel-to-toe
    toe: FloatArray  # (T, 2) where the toes are


@dataclass(frozen=True)
class Kinematics:
    """Conditioned per-frame signals in degrees (or leg lengths for positions)."""

    times: FloatArray
    hip_flexion: FloatArray
    knee_flexion: FloatArray
    trunk_angle: FloatArray  # trunk from vertical
    shin_angle: FloatArray
    hip_behind_ankle: FloatArray  # leg lengths, positive = hips behind the ankles
    hip_height: FloatArray  # leg lengths above the ankles
    trunk_line: FloatArray  # ear-shoulder-hip angle, degrees (180 = straight)
    wrist_height: FloatArray  # leg lengths of the wrists above the hips
    facing: int  # +1 facing image right, -1 left
    side: str
    # Degrees the ear sits off the hip-shoulder line toward the chest (the head and upper
    # back curling forward); negative toward the back (the head held up).
    trunk_bend: FloatArray
    foot: Foot  # the near foot, where the model saw it


def _leg_length(px: FloatArray, hip: int, knee: int, ankle: int) -> float:
    thigh = np.linalg.norm(px[:, hip] - px[:, knee], axis=-1)
    shank = np.linalg.norm(px[:, knee] - px[:, ankle], axis=-1)
    total = thigh + shank
    finite = total[np.isfinite(total)]
    return float(np.percentile(finite, 90)) if finite.size else float("nan")


def _facing(px: FloatArray, heel: int, toe: int, ear: int) -> int:
    """+1 facing image right. Toes point the way a person faces; without feet, the nose does."""
    for back, front in ((heel, toe), (ear, L.NOSE)):
        dx = px[:, front, 0] - px[:, back, 0]
        dx = dx[np.isfinite(dx)]
        if dx.size:
            return 1 if float(np.median(dx)) >= 0 else -1
    return 1


def kinematics(pose: PoseSequence, side: str | None = None) -> Kinematics:
    """Angles of the side facing the camera (or the given side), conditioned."""
    chosen = side or _facing_side(pose)
    shoulder, hip, knee, ankle, ear, heel, toe, wrist = _SIDES[chosen]
    px = pose.pixels()
    leg = _leg_length(px, hip, knee, ankle)
    facing = _facing(px, heel, toe, ear)
    raw = {
        "hip_flexion": 180.0
        - angle_between(px[:, shoulder] - px[:, hip], px[:, knee] - px[:, hip]),
        "knee_flexion": 180.0 - angle_between(px[:, hip] - px[:, knee], px[:, ankle] - px[:, knee]),
        "trunk_angle": segment_angle_from_vertical(px[:, shoulder], px[:, hip]),
        "shin_angle": segment_angle_from_vertical(px[:, knee], px[:, ankle]),
        "hip_behind_ankle": (px[:, ankle, 0] - px[:, hip, 0]) * facing / leg,
        "hip_height": (px[:, ankle, 1] - px[:, hip, 1]) / leg,
        "trunk_line": angle_between(px[:, ear] - px[:, shoulder], px[:, hip] - px[:, shoulder]),
        "wrist_height": (px[:, hip, 1] - px[:, wrist, 1]) / leg,
    }
    raw["trunk_bend"] = _bend(px[:, hip], px[:, shoulder], px[:, ear], facing)
    fps = pose.fps
    smooth = {name: condition(values, pose.times, fps) for name, values in raw.items()}
    foot = _foot(pose, px, (heel, toe, ankle), facing)
    return Kinematics(times=pose.times, facing=facing, side=chosen, foot=foot, **smooth)


def _bend(hip: FloatArray, shoulder: FloatArray, ear: FloatArray, facing: int) -> FloatArray:
    """Signed angle from the hip-to-shoulder line to the shoulder-to-ear line, positive
    toward the way the person faces (the chest side of a trunk bent forward)."""
    u, v = shoulder - hip, ear - shoulder
    cross = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    dot = np.sum(u * v, axis=-1)
    bend: FloatArray = np.degrees(np.arctan2(cross, dot)) * facing
    return bend


def _foot(pose: PoseSequence, px: FloatArray, ids: tuple[int, int, int], facing: int) -> Foot:
    _heel_id, _toe_id, _ankle_id = ids
    seen = np.all(pose.visibility[:, list(ids)] >= THRESHOLDS.seen_min, axis=1)
    heel, toe, ankle = (np.where(seen[:, None], px[:, i], np.nan) for i in ids)
    d = toe - heel
    raw = {
        "pitch": np.degrees(np.arctan2(d[:, 1], d[:, 0] * facing)),
        "length": np.linalg.norm(d, axis=-1),
        "shape": angle_between(ankle - heel, d),
    }
    times, fps = pose.times, pose.fps
    smooth = {name: condition(values, times, fps) for name, values in raw.items()}
    toes = np.stack([condition(toe[:, i], times, fps) for i in (0, 1)], axis=-1)
    return Foot(toe=toes, **smooth)


@dataclass(frozen=True)
class PatternAngles:
    """Knee flexion and trunk from vertical, per frame, for telling a hinge from a squat;
    and hip flexion, for the angle checks of a rep filmed from an oblique view."""

    knee: FloatArray
    trunk: FloatArray
    source: str  # "world": 3-D, the same from any camera angle; "picture": 2-D
    hip: FloatArray  # hip flexion


def pattern_angles(pose: PoseSequence, k: Kinematics) -> PatternAngles:
    """In 3-D from the world landmarks when the model gave them: a knee bent toward the
    camera or a trunk leaning toward it keeps its angle there, while in the picture it
    shrinks. Else the picture's angles (those of `k`). Joints the model did not see (under
    `seen_min` visibility) give NaN."""
    if pose.world is None:
        return PatternAngles(k.knee_flexion, k.trunk_angle, "picture", k.hip_flexion)
    shoulder, hip, knee, ankle = _SIDES[k.side][:4]
    seen = pose.visibility >= THRESHOLDS.seen_min
    w = np.where(seen[..., None], pose.world, np.nan)
    raw = (
        180.0 - angle_between(w[:, hip] - w[:, knee], w[:, ankle] - w[:, knee]),
        segment_angle_from_vertical(w[:, shoulder], w[:, hip]),
        180.0 - angle_between(w[:, shoulder] - w[:, hip], w[:, knee] - w[:, hip]),
    )
    knee_3d, trunk_3d, hip_3d = (condition(x, pose.times, pose.fps) for x in raw)
    return PatternAngles(knee_3d, trunk_3d, "world", hip_3d)
