"""From a `PoseSequence` and a `CheckSpec` to a `FormReport`: pure, so any estimator's output
(or a saved keypoint file) is judged the same way.

A clip that cannot be judged says why instead of guessing: no person, tracking that jumps
between people, the body cut off, too short, too few frames.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from hingecoach.motion.calibration import top_window
from hingecoach.motion.checks import CheckResult, CheckSpec, Fault, NotJudged, run_checks
from hingecoach.motion.honesty import film_next_time
from hingecoach.motion.kinematics import (
    Kinematics,
    View,
    detect_view,
    kinematics,
    pattern_angles,
    shoulder_ratio,
)
from hingecoach.motion.metrics import Calibration, Measured, RepMetrics, calibrate, rep_metrics
from hingecoach.motion.people import leaps, lifter_only
from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.reps import Gates, RepEvent, segment
from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["REASONS", "FormReport", "Refusal", "analyze", "gates_for"]

L = Landmark  # short name for landmark indices in array slices
T = THRESHOLDS
_BODY = (
    L.LEFT_SHOULDER,
    L.RIGHT_SHOULDER,
    L.LEFT_HIP,
    L.RIGHT_HIP,
    L.LEFT_KNEE,
    L.RIGHT_KNEE,
)
_ANKLES = (L.LEFT_ANKLE, L.RIGHT_ANKLE)


# Why a clip is refused, by reason: English, each number a named field filled in as the
# refusal is made. Motion speaks no language of its own; the page that shows a stored report
# matches each reason back to its template and says it in the reader's language
# (web/form_check_texts.py).
REASONS = {
    "too_short": "the clip is {seconds} s long; film at least one whole rep from standing to standing",
    "no_person": "no person was found in the clip; stand fully in the picture, side on, about 3 m from the phone",
    "seen_too_little": "a person was found in only {percent}% of the frames; keep your whole body in the picture for the whole set (a dark room also makes this harder)",
    "two_people": "the tracked body jumps about, as when two people are in view; film with only you in the picture",
    "body_cut_off": "your feet, knees or head leave the picture; move the phone back until head to feet fit with room to spare",
    "no_reps": "no whole repetition was found; film the full set, starting and ending standing tall",
    "no_swings": "no swing was found: each dip rose from the bottom slower than a swing's drive (under {seconds} s) or stayed crouched there, as a pick-up or a set-down does; drive the bell up with a snap of the hips, or choose the exercise you filmed",
}


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str


def _refusal(code: str, reason: str | None = None, **values: str) -> Refusal:
    """A refusal with its code, said by `REASONS[reason]` (the code's own by default)."""
    return Refusal(code, REASONS[reason or code].format(**values))


@dataclass(frozen=True)
class MasteryItem:
    item: str
    status: str  # "supported", "contradicted" or "not judged"


@dataclass(frozen=True)
class FormReport:
    refusal: Refusal | None
    view: View | None
    tracked: float
    model: str
    duration: float
    reps: tuple[RepMetrics, ...] = ()
    events: tuple[RepEvent, ...] = ()
    partial_reps: int = 0
    pattern: str | None = None
    faults: tuple[Fault, ...] = ()
    not_judged: tuple[NotJudged, ...] = ()
    calibration: Calibration | None = None  # the standing posture, when one was seen
    mastery: tuple[MasteryItem, ...] = ()
    film_next_time: tuple[str, ...] = ()  # what to film differently for what was not judged

    @property
    def judged(self) -> bool:
        return self.refusal is None


def _active_tracking(pose: PoseSequence) -> float:
    """Fraction of frames with the person found, not counting an empty picture before they
    walk in or after they walk out (found first, or last, at the side of the picture)."""
    found = np.flatnonzero(pose.tracked())
    if found.size == 0:
        return 0.0
    first = int(found[0]) if _at_the_side(pose, int(found[0])) else 0
    last = int(found[-1]) if _at_the_side(pose, int(found[-1])) else pose.frames - 1
    return float(np.sum((found >= first) & (found <= last))) / (last - first + 1)


def _at_the_side(pose: PoseSequence, frame: int) -> bool:
    """Part of the body at (or past) the left or right edge of the picture."""
    x = pose.image[frame, list(_BODY + _ANKLES), 0]
    x = x[np.isfinite(x)]
    return bool(x.size and (x.min() < T.walk_edge or x.max() > 1 - T.walk_edge))


def _no_reps(pose: PoseSequence, spec: CheckSpec) -> Refusal:
    """No rep: for a swing whose clip has whole dips, none of them a swing, say that."""
    if spec.rep_mode == "swing" and segment(pose).reps:
        return _refusal("no_reps", "no_swings", seconds=f"{T.swing_rise_seconds:g}")
    return _refusal("no_reps")


def _stopped_short(events: tuple[RepEvent, ...], k: Kinematics) -> tuple[RepEvent, ...]:
    """The last rep of a clip that never shows standing, when every frame after it is seen
    bent past `standing_max` of hip flexion: the filming stopped on the way up (however
    still the lifter held there), so the rep is unfinished and its lockout unfilmed. The
    rep count alone cannot tell: in a clip that starts at the floor and stops three
    quarters up, the highest point is the top it measures from (issue 12)."""
    if not events or not events[-1].finished:
        return events
    after = k.hip_flexion[events[-1].end :]
    seen = after[np.isfinite(after)]
    if seen.size == 0 or float(seen.min()) <= T.standing_max:
        return events
    return (*events[:-1], replace(events[-1], finished=False))


def _refuse_unjudgeable(pose: PoseSequence, jumpy: bool) -> Refusal | None:
    """Why the clip cannot be judged, if it cannot; `jumpy`: the model kept jumping between
    people (read before a moment's switch to someone else was taken out)."""
    tracked = _active_tracking(pose)
    if pose.frames < T.min_frames or pose.duration < T.min_seconds:
        return _refusal("too_short", seconds=f"{pose.duration:.1f}")
    if tracked == 0.0:
        return _refusal("no_person")
    if tracked < T.min_tracked:
        return _refusal("no_person", "seen_too_little", percent=f"{tracked * 100:.0f}")
    if jumpy:
        return _refusal("two_people")
    if _cut_off(pose):
        return _refusal("body_cut_off")
    return None


def _jumps(pose: PoseSequence) -> bool:
    """More than `jumps_max_share` of the frames the person is found in are reached by a
    leap of the hips (motion/people.py), and more than one moment's switch away and back:
    the model keeps jumping between people."""
    found = int(pose.tracked().sum())
    return len(leaps(pose)) > max(T.jumps_max_share * found, 2)


def _cut_off(pose: PoseSequence) -> bool:
    """Key joints outside the frame in most tracked frames: shoulders, hips or knees past
    its edge, or the ankles well past it (`ankle_margin`)."""
    tracked = pose.tracked()
    if not tracked.any():
        return True
    body = pose.image[tracked][:, list(_BODY), :2]
    ankles = pose.image[tracked][:, list(_ANKLES), :2]
    edge, feet = 0.02, T.ankle_margin
    outside = np.any((body < -edge) | (body > 1 + edge), axis=(1, 2)) | np.any(
        (ankles < -feet) | (ankles > 1 + feet), axis=(1, 2)
    )
    return bool(np.mean(outside) > 0.5)


def gates_for(spec: CheckSpec) -> Gates:
    """The rep counter's gates for an exercise: a swing's tell it from a pick-up or a park,
    a lift's count one the clip stops filming on the way up. The live page counts with the
    same (schemas/live.py `Counting`)."""
    if spec.rep_mode == "swing":
        return Gates(
            max_rise_seconds=T.swing_rise_seconds, max_bottom_seconds=T.swing_bottom_seconds
        )
    if spec.rep_mode == "lift":
        return Gates(finish=T.lift_finish, set_up_free=True)
    return Gates()


def _counted(
    spec: CheckSpec, reps: tuple[RepEvent, ...], partials: tuple[RepEvent, ...]
) -> tuple[tuple[RepEvent, ...], int]:
    """A lift from the floor counts a clip that opens at the bottom; a hinge or squat reports
    it as a partial rep apart from the full ones."""
    if spec.rep_mode == "lift":
        return tuple(sorted(reps + partials, key=lambda e: e.start)), 0
    if spec.rep_mode == "swing":
        return reps, 0  # a clip opening at the bottom is the pick-up, not a swing
    return reps, len(partials)


def _overall(reps: tuple[RepMetrics, ...]) -> str | None:
    """The pattern most reps were sure of; "unsure" when none was, or as many were each."""
    if not reps:
        return None
    squats = sum(1 for r in reps if r.pattern == "squat")
    hinges = sum(1 for r in reps if r.pattern == "hinge")
    if squats == hinges:
        return "unsure"
    return "squat" if squats > hinges else "hinge"


def _mastery(
    spec: CheckSpec,
    items: tuple[str, ...],
    checked: CheckResult | None,
    reps: int,
    faults_per_10: float,
) -> tuple[MasteryItem, ...]:
    """Each self-check item against the checks mapped to it (catalog `self_check_faults`).

    Supported only when every mapped check really ran; contradicted when its faulty reps go
    past the mastery fault rate (rule M4: the learner's `max_faults_per_10`, passed in by the
    caller), so one noisy rep is not enough.
    """
    out = []
    for i, item in enumerate(items):
        codes = set(spec.self_check_faults[i]) if i < len(spec.self_check_faults) else set()
        out.append(MasteryItem(item, _item_status(codes, checked, reps, faults_per_10)))
    return tuple(out)


def _item_status(
    codes: set[str], checked: CheckResult | None, reps: int, faults_per_10: float
) -> str:
    if checked is None or not codes or reps == 0:
        return "not judged"
    faulty_reps = {f.rep for f in checked.faults if f.code in codes}
    if len(faulty_reps) * 10 > reps * faults_per_10:
        return "contradicted"
    return "supported" if codes <= checked.judged else "not judged"


def analyze(
    pose: PoseSequence,
    spec: CheckSpec,
    self_check: tuple[str, ...] = (),
    faults_per_10: float = 1.0,
) -> FormReport:
    """Count, classify and check every rep; or refuse, saying why.

    `faults_per_10` is the mastery fault rate (rule M4) of the learner's Policy.
    """
    jumpy = _jumps(pose)
    pose = lifter_only(pose)
    tracked = float(pose.tracked().mean()) if pose.frames else 0.0
    refusal = _refuse_unjudgeable(pose, jumpy)
    if refusal is not None:
        return FormReport(
            refusal,
            None,
            tracked,
            pose.model,
            pose.duration,
            mastery=_mastery(spec, self_check, None, 0, faults_per_10),
        )
    view = detect_view(pose)
    k = kinematics(pose)
    seg = segment(pose, gates_for(spec))
    events, partial = _counted(spec, seg.reps, seg.partials)
    if not events:
        refusal = _no_reps(pose, spec)
        return FormReport(
            refusal,
            view,
            tracked,
            pose.model,
            pose.duration,
            partial_reps=partial,
            mastery=_mastery(spec, self_check, None, 0, faults_per_10),
        )
    if not seg.starts_standing:
        events = _stopped_short(events, k)
    starts = [e.start for e in events[1:]] + [None]
    tops = tuple(top_window(k, e, nxt) for e, nxt in zip(events, starts, strict=True) if e.finished)
    angles = pattern_angles(pose, k)
    in_3d = angles.hip if angles.source == "world" else None
    cal = calibrate(k, seg.reps, seg.starts_standing, tops, in_3d)
    swing = spec.rep_mode == "swing"
    clip = Measured(pose, k, cal, swing, angles, seg.depth, shoulder_ratio(pose), view.kind)
    reps = tuple(
        rep_metrics(clip, e, i + 1, nxt)
        for i, (e, nxt) in enumerate(zip(events, starts, strict=True))
    )
    checked = run_checks(spec, list(reps), view.kind, cal.standing, cal.source)
    return FormReport(
        None, view, tracked, pose.model, pose.duration, reps, events, partial, _overall(reps),
        checked.faults, checked.not_judged, cal if cal.standing else None,
        _mastery(spec, self_check, checked, len(reps), faults_per_10),
        film_next_time(spec.view, checked.not_judged),
    )  # fmt: skip
