"""Heels lifting: how far the near heel rises over the rep, as the slope of the heel-to-toe
line against the learner's own standing foot (a calibration).

A raised heel turns the foot about its toes within the picture of a side view: the toes
stay where they stood, the foot keeps its length and the heel-ankle-toe triangle its shape.
Frames where the foot reads otherwise (hidden behind a plate, turned away from the camera,
guessed by the model, or the camera moved) say nothing about the heel and are left out; a
rep with too few frames left gets no verdict.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.calibration import FootReference
from hingecoach.motion.kinematics import Foot
from hingecoach.motion.reps import RepEvent
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["heel_lift", "read_as_a_foot"]

T = THRESHOLDS


def read_as_a_foot(foot: Foot, ref: FootReference, frames: slice) -> NDArray[np.bool_]:
    """Frames where the near foot is the standing foot turned about its toes, at most."""
    length = foot.length[frames] / ref.length
    shape = np.abs(foot.shape[frames] - ref.shape)
    drift = np.hypot(foot.toe[frames, 0] - ref.toe[0], foot.toe[frames, 1] - ref.toe[1])
    with np.errstate(invalid="ignore"):
        ok: NDArray[np.bool_] = (
            np.isfinite(foot.pitch[frames])
            & (np.abs(length - 1) <= T.foot_length_change)
            & (shape <= T.foot_shape_change)
            & (drift <= T.toe_drift * ref.length)
        )
    return ok


def heel_lift(foot: Foot, ref: FootReference | None, rep: RepEvent) -> float:
    """Degrees the heel-to-toe line rises over the rep past its standing slope; NaN when
    the foot was not read as a foot in `feet_seen_share` of the rep's frames."""
    if ref is None:
        return float("nan")
    frames = slice(rep.start, rep.end + 1)
    ok = read_as_a_foot(foot, ref, frames)
    if ok.size == 0 or np.mean(ok) < T.feet_seen_share:
        return float("nan")
    return float(np.max(foot.pitch[frames][ok]) - ref.pitch)
