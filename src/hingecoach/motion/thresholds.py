"""Every threshold the motion code uses, in one frozen object, each with its source or the
measurement it was set from.

[E]/[D] as in domain-rules.md; [M] marks a value measured on the labelled clips in
../shared/videos (the committed keypoint fixtures reproduce it): keep those under review as
more clips are labelled.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["THRESHOLDS", "MotionThresholds"]


@dataclass(frozen=True)
class MotionThresholds:
    # -- hinge or squat at the bottom of a rep ------------------------------------------
    # domain-rules.md pattern bands (Schellenberg 2013, von Arx 2021, Esola 1996): a squat
    # bends the knees 100-130+ deg; a hinge 10-30, a lift from the floor 60-110.
    squat_knee_min: float = 100.0
    # Squat trunk 20-50 deg from vertical, hinge 45-80: the bands overlap, so the cut sits
    # below the hinge band and above the labelled knee-dominant clip (31-39 deg) [M].
    squat_trunk_max: float = 35.0
    # Squat hip/knee flexion ratio <= 1.2 (domain-rules.md) [D].
    squat_ratio_max: float = 1.2

    # -- what a phone camera can see (domain-rules.md, Sage 2025) -----------------------
    # Knees off by 6-12 deg, hips by 11-17: never call a band broken under 10 deg past it [E].
    angle_tolerance: float = 10.0
    # Rep boundaries are known to a few frames (0.25 s is about 7 frames at 30 fps) [M].
    tempo_tolerance: float = 0.25
    # Within 20 deg of the standing hip angle still counts as standing tall: the camera's
    # hip error plus a soft lockout [D].
    lockout_max: float = 20.0

    # -- counting reps: two thresholds plus gates (Sports2D, kineticstoolkit) ----------
    rep_enter: float = 0.55  # a descent counts once it passes this fraction of the range [M]
    rep_leave: float = 0.25  # and ends when it comes back above this fraction [M]
    rep_min_depth: float = 0.10  # body lengths: smaller dips are fidgets, not reps [M]
    rep_min_seconds: float = 0.4  # faster than any controlled rep [D]
    rep_max_seconds: float = 15.0  # slower is a pause or a set-down, not one rep [D]
    standing_band: float = 0.1  # fraction of the dip still counted as standing [M]
    swing_rise_seconds: float = 0.9  # a swing's drive up; a pick-up or park is slower [M]
    top_window_seconds: float = 1.0  # after a rep, where its most upright moment is looked for

    # -- the camera's angle to the person (shoulder width / torso length, standing) ----
    side_view_max: float = 0.35  # shoulders nearly overlap: a side view [M]
    front_view_min: float = 0.65  # shoulders wide apart: a front view [M]

    # -- when a clip can be judged at all ----------------------------------------------
    min_tracked: float = 0.6  # fraction of frames with a person in view [D]
    min_seconds: float = 1.0
    min_frames: int = 15
    gap_fill_seconds: float = 0.3  # bridge a missing joint this long, no longer [D]
    lowpass_hz: float = 6.0  # zero-phase Butterworth for human movement at 30 fps (Winter)


THRESHOLDS = MotionThresholds()
