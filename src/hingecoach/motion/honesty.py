"""How sure each fault is, and what to film differently when a check could not run.

A fault's confidence is the weakest of what it stands on: the camera's angle to the person
(a side view nearly square to the camera, or the pattern read in 3-D; a joint angle read in
3-D from an oblique view is at most medium), how clearly the
model saw the joints it reads, how far past the line the value is against the camera's own
error (motion/thresholds.py), and, where it applies, a standing posture read at the top of
a rep rather than before the set, and a proxy (the trunk line) rather than the thing
itself. Each part is said in plain words, in English (the page says them in the reader's
language: web/form_check_texts.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hingecoach.motion.thresholds import THRESHOLDS

if TYPE_CHECKING:
    from hingecoach.motion.checks import Check, NotJudged, Reading
    from hingecoach.motion.metrics import RepMetrics

__all__ = ["CONFIDENCE", "FILM_TIPS", "LEVELS", "Confidence", "confidence", "film_next_time"]

T = THRESHOLDS
LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Confidence:
    level: str  # one of LEVELS
    reasons: tuple[str, ...]  # CONFIDENCE texts, one per part it stands on


# Why a fault is as sure as it is, one part each.
CONFIDENCE = {
    "view_square": "filmed from the angle this check needs",
    "view_turned": "filmed from about the angle this check needs, a little turned, so the angles read a little off",
    "view_3d": "read in 3-D, so the camera's angle matters little",
    "view_oblique_3d": "filmed from an oblique angle and read in 3-D, so the angles read less exactly than from the side, and only a clearer miss counts",
    "view_other": "filmed from another angle than this check is made for, so the angles read less exactly",
    "seen_clear": "the joints it reads were seen clearly",
    "seen_partly": "the joints it reads were partly hidden or blurred",
    "seen_poorly": "the joints it reads were hard to see",
    "margin_wide": "well past the limit, by more than the camera's usual error",
    "margin_some": "past the limit by about half the camera's usual error",
    "margin_thin": "only just past the limit: the camera's usual error could explain it",
    "standing_from_top": "compared with how you stood at the top of a rep, as the clip did not start with you standing",
    "proxy": "the trunk line is read from ear, shoulder and hip, not from your back itself",
}

# What to film differently next time, by why a check could not run (checks.WHY_NOT keys).
FILM_TIPS = {
    "film_side": "Film from the side: the phone at hip height, about 3 m away, in the same place for the whole set.",
    "film_front": "Film from the front: the phone at hip height, about 3 m away, in the same place for the whole set.",
    "stand_tall": "Stand tall and still for a moment before the first rep, and finish every rep standing tall.",
    "whole_body": "Keep your whole body in the picture, in good light, with nothing between you and the phone.",
    "feet_in_view": "Keep your feet in the picture and uncovered, side on to the phone (a weight plate in front of them hides them).",
    "start_before": "Start filming before the first rep, while you are standing tall.",
    "film_to_the_end": "Keep filming until you have stood tall after the last rep.",
}
_TIP_OF = {
    "not_standing": "stand_tall",
    "joints_unseen": "whole_body",
    "feet_unseen": "feet_in_view",
    "pull_unseen": "start_before",
    "bottom_unfilmed": "start_before",
    "top_unfilmed": "film_to_the_end",
}
_VIEW_REASONS = ("other_view", "view_unknown", "reps_at_another_angle")


def confidence(
    check: Check, reading: Reading, m: RepMetrics, view: str, standing_from: str = "start"
) -> Confidence:
    """How sure a fault is: the weakest of its parts, with every part said."""
    parts = [_view(check, m, view), _seen(getattr(m.seen, check.seen))]
    if reading.margin is not None and math.isfinite(reading.margin):
        parts.append(_margin(reading.margin, reading.scale))
    if check.needs_calibration and standing_from == "lockout":
        parts.append((1, "standing_from_top"))
    if check.proxy:
        parts.append((1, "proxy"))
    known = [p for p in parts if p is not None]
    level = min(level for level, _ in known)
    return Confidence(LEVELS[level], tuple(CONFIDENCE[key] for _, key in known))


def _view(check: Check, m: RepMetrics, view: str) -> tuple[int, str] | None:
    if not check.angles:
        return None  # timing: the camera's angle does not change it
    if check.code == "knee_dominant" and m.pattern_source == "world":
        return 2, "view_3d"
    if check.read_in_3d(view, m):
        return 1, "view_oblique_3d"  # the band already widened by `oblique_tolerance`
    if m.view != view:
        return 0, "view_other"
    ratio = m.view_ratio
    square = ratio <= T.side_view_max / 2 if view == "side" else ratio >= 1 - T.side_view_max / 2
    return (2, "view_square") if square else (1, "view_turned")  # NaN: not known square


def _seen(visibility: float) -> tuple[int, str]:
    if visibility >= T.seen_clearly:
        return 2, "seen_clear"
    if visibility >= T.seen_partly:
        return 1, "seen_partly"
    return 0, "seen_poorly"


def _margin(past: float, scale: float) -> tuple[int, str]:
    if past >= scale:
        return 2, "margin_wide"
    if past >= scale / 2:
        return 1, "margin_some"
    return 0, "margin_thin"


def film_next_time(view: str, skipped: Iterable[NotJudged]) -> tuple[str, ...]:
    """What to film differently, once each, in the order the reasons came."""
    tips: list[str] = []
    for n in skipped:
        if n.reason in _VIEW_REASONS:
            key: str | None = "film_front" if view == "front" else "film_side"
        else:
            key = _TIP_OF.get(n.reason)
        if key is not None and FILM_TIPS[key] not in tips:
            tips.append(FILM_TIPS[key])
    return tuple(tips)
