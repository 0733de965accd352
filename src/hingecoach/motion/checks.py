"""Per-exercise form checks, driven by data (a `CheckSpec` built from the catalog).

What the camera can and cannot see (domain-rules.md): phone keypoints are off by about
6-12 deg at the knee and 11-17 deg at the hip, so a band is only called broken when the
value is outside it by more than `angle_tolerance` (motion/thresholds.py; never decide on a
difference under 10-15 deg), and angle checks run only in the view the exercise needs, save
the hip angles that can be read in 3-D from the world landmarks (depth, lockout): from an
oblique view those run too, with the band widened by `oblique_tolerance` and their faults saying so. The
trunk line is a proxy (ear, shoulder and hip alignment), never "your spine rounded", and it
is a patterning fault, not a danger (Saraceni 2020).

Every fault says how sure it is (motion/honesty.py), and every check that could not run
says why, with what to film differently next time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hingecoach.motion.honesty import Confidence, confidence
from hingecoach.motion.thresholds import THRESHOLDS

if TYPE_CHECKING:  # the catalog reads CheckSpec without loading numpy and scipy
    from hingecoach.motion.metrics import RepMetrics

__all__ = [
    "CHECKS",
    "DEFAULT_ADVICE",
    "WHY_NOT",
    "Check",
    "CheckResult",
    "CheckSpec",
    "Fault",
    "NotJudged",
    "Reading",
    "run_checks",
]

T = THRESHOLDS


@dataclass(frozen=True)
class CheckSpec:
    """What the camera checks for one exercise; every field comes from the catalog."""

    view: str = "side"
    rep_mode: str = "cycle"  # "cycle": down and up; "lift": from the floor up; "swing"
    pattern: str | None = "hinge"  # expected pattern at the bottom, None = either
    hip_flexion_min: float | None = None  # degrees at the bottom
    knee_band: tuple[float, float] | None = None  # degrees at the bottom
    trunk_line_min: float | None = None  # ear-shoulder-hip angle at the bottom (180 = in line)
    tempo_min: float | None = None  # seconds per rep
    lockout: bool = True
    lean_back_max: float | None = 10.0  # degrees past vertical at the top
    swing_timing: bool = False
    rise_together: bool = False  # hips and shoulders rise together off the floor
    heels_down: bool = False  # heels stay down through the rep
    advice: dict[str, str] = field(default_factory=dict)  # fault code -> outward cue
    self_check_faults: tuple[tuple[str, ...], ...] = ()  # per self-check item


@dataclass(frozen=True)
class Fault:
    code: str
    rep: int
    time: float
    value: float
    expected: str
    advice: str
    confidence: Confidence | None = None


@dataclass(frozen=True)
class NotJudged:
    check: str
    why: str
    reason: str = ""  # the WHY_NOT key: what to film differently (honesty.FILM_TIPS)


# Texts a report carries, in English: a check's advice when the catalog gives none, and why a
# check was not made (each word or number a named field filled in as it is made). Motion
# speaks no language of its own; the page that shows a stored report says them in the
# reader's language (web/form_check_texts.py).
DEFAULT_ADVICE = {
    "knee_dominant": "Send your hips back toward the wall behind you before the knees bend; let the bell hang close to your shins.",
    "shallow_hinge": "Keep pushing your hips back until you feel a stretch behind the thighs before you stand.",
    "knee_bend": "Keep a soft, steady knee: your shins stay nearly upright while your hips travel back.",
    "trunk_line_lost": "Keep the stick touching your head, upper back and tailbone all the way down and up.",
    "incomplete_lockout": "Finish each rep standing tall, as if pushing the floor away until your hips meet the bell's path.",
    "lean_back_at_top": "Stop at tall standing: stack your shoulders over your hips, as if a wall were right behind you.",
    "rushed_tempo": "Slow down: count two on the way down and two on the way up.",
    "arms_lift_bell": "Let the hips throw the bell: snap your hips toward the wall in front and let your arms float like ropes.",
    "hips_rise_first": "Push the floor away so that your chest and your hips rise together, at the same speed, until the weight passes your knees.",
    "heels_lift": "Keep your whole foot on the floor: press the floor down through your heels on the way down and on the way up.",
}


WHY_NOT = {
    "other_view": "needs a {needed} view; this clip is filmed from the {seen}",
    "view_unknown": "needs a {needed} view; the camera angle could not be told",
    "not_standing": "you were not seen standing tall and still, at the start or at the top of a rep, so there is no standing posture to compare against",
    "joints_unseen": "the joints it needs were not seen clearly enough in any rep",
    "feet_unseen": "your feet were not seen clearly enough, side on and uncovered, in any rep",
    "pull_unseen": "the start of the pull from the floor was not filmed in any rep",
    "bottom_unfilmed": "the clip starts with you already at the bottom, so the deepest point of that rep was not filmed",
    "top_unfilmed": "the clip ends before you stood tall, so the lockout was not filmed",
    "reps_at_another_angle": "the camera was at another angle for these reps (a {needed} view is needed); the others were judged",
}


def _advice(spec: CheckSpec, code: str) -> str:
    return spec.advice.get(code) or DEFAULT_ADVICE[code]


def _band(low: float, high: float) -> str:
    return f"{low:g}-{high:g} deg (±{T.angle_tolerance:g} for camera error)"


OBLIQUE = T.angle_tolerance + T.oblique_tolerance  # the tolerance of a 3-D read, oblique view


@dataclass(frozen=True)
class Reading:
    """One rep against one check: the value measured, whether it breaks the band, the band,
    and how far past the line the value is (in the value's unit; None when it is a yes or
    no), against `scale`, one camera error in that unit."""

    value: float  # NaN: the joints it needs were not seen at that moment
    broken: bool
    expected: str
    margin: float | None = None
    scale: float = T.angle_tolerance


def knee_dominant(spec: CheckSpec, m: RepMetrics) -> Reading:
    """A hinge that became a squat at the bottom (pattern bands, motion/thresholds.py); a
    rep the pattern is unsure of gets no verdict."""
    value = {"squat": 1.0, "hinge": 0.0}.get(m.pattern, float("nan"))
    expected = "a hinge: hips back, trunk forward, knees well under a squat's bend"
    return Reading(value, value > 0.5, expected, m.pattern_margin - T.pattern_margin)


def rushed_tempo(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Faster than the exercise's tempo, beyond what the rep boundaries can tell."""
    least = spec.tempo_min or 0.0
    value = m.end - m.start
    line = least - T.tempo_tolerance
    scale = 2 * T.tempo_tolerance
    return Reading(value, value < line, f">= {least:g} s per rep", line - value, scale)


def arms_lift_bell(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Swing timing: peak hip speed comes before peak arm speed (McGill & Marshall 2012).
    The value is the seconds the arms come first; within `swing_timing_tolerance` the
    filtered signal cannot tell which peaked first."""
    value, line = m.arms_lead_seconds, T.swing_timing_tolerance
    expected = f"peak hip speed before peak arm speed (the arms at most {line:.2f} s ahead)"
    return Reading(value, value > line, expected, value - line, line)


def shallow_hinge(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Hip flexion at the bottom under the exercise's minimum (M2: >= 50 deg, Luomajoki)."""
    return _shallow(spec, m.hip_flexion, T.angle_tolerance)


def shallow_hinge_3d(spec: CheckSpec, m: RepMetrics) -> Reading:
    """The same, read in 3-D from an oblique view, with the wider oblique tolerance."""
    return _shallow(spec, m.hip_flexion_3d, OBLIQUE)


def _shallow(spec: CheckSpec, value: float, tolerance: float) -> Reading:
    line = (spec.hip_flexion_min or 0.0) - tolerance
    expected = f">= {spec.hip_flexion_min or 0.0:g} deg hip flexion"
    return Reading(value, value < line, expected, line - value)


def knee_bend(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Knee flexion at the bottom outside the exercise's band (M3: 10-30 deg for a hinge).

    Side view only: from an oblique view the world landmarks' knee strays too far for any
    band (20-45 deg from the side view's on the labelled clips, docs/vision.md)."""
    low, high = spec.knee_band or (0.0, 0.0)
    value = m.knee_flexion
    past = max(low - T.angle_tolerance - value, value - high - T.angle_tolerance)
    return Reading(value, past > 0, _band(low, high), past)


def trunk_line_lost(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Ear-shoulder-hip alignment at the bottom under the exercise's line, on the chest side
    (the head and upper back curling forward; a head held up is not a lost line). A proxy
    only: 180 is in one line, more than 180 the head held back of it."""
    least = spec.trunk_line_min or 0.0
    value = 180.0 - m.trunk_bend_bottom
    expected = f">= {least:g} deg ear-shoulder-hip alignment"
    return Reading(value, value < least, expected, least - value)


def incomplete_lockout(spec: CheckSpec, m: RepMetrics) -> Reading:
    """The hips still back at the top, against the learner's own standing angle."""
    return _lockout(m.top_hip_flexion, T.lockout_max)


def incomplete_lockout_3d(spec: CheckSpec, m: RepMetrics) -> Reading:
    """The same, read in 3-D from an oblique view, with the wider oblique tolerance."""
    return _lockout(m.top_hip_flexion_3d, T.lockout_max + T.oblique_tolerance)


def _lockout(value: float, line: float) -> Reading:
    expected = f"hips back within {T.lockout_max:g} deg of your standing angle"
    return Reading(value, value > line, expected, value - line)


def lean_back_at_top(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Leaning back past vertical at the top, beyond the exercise's allowance."""
    line = (spec.lean_back_max or 0.0) + T.angle_tolerance
    value = m.top_lean_back
    expected = f"<= {spec.lean_back_max or 0.0:g} deg past vertical"
    return Reading(value, value > line, expected, value - line)


def hips_rise_first(spec: CheckSpec, m: RepMetrics) -> Reading:
    """Hips rising before the shoulders as the pull leaves the floor: the trunk tips forward
    by more than `hips_first_min` (motion/pull.py)."""
    line = T.hips_first_min
    value = m.hips_rise_first
    expected = f"trunk tipping forward <= {line:g} deg as the pull starts"
    return Reading(value, value > line, expected, value - line)


def heels_lift(spec: CheckSpec, m: RepMetrics) -> Reading:
    """The heel rising off the floor: the heel-to-toe line past its standing slope by more
    than `heel_lift_min` plus `foot_tolerance` (motion/feet.py)."""
    line = T.heel_lift_min + T.foot_tolerance
    value = m.heel_lift
    expected = f"heels down: under {T.heel_lift_min:g} deg of heel rise (±{T.foot_tolerance:g} for camera error)"
    return Reading(value, value > line, expected, value - line)


@dataclass(frozen=True)
class Check:
    """A camera check: its code, its function, the CheckSpec setting that turns it on (and
    the value it must have), what it needs to be judged honestly, and which joints it reads
    (a `Seen` field) for how sure its faults are."""

    code: str
    read: Callable[[CheckSpec, RepMetrics], Reading]
    setting: str
    when: object = None  # the setting's value that turns it on; None: any value set
    at_end: bool = False  # judged at the top of the rep rather than the bottom
    needs_view: bool = True  # angles need the exercise's view
    needs_calibration: bool = False  # compared with the standing posture
    needs_bottom: bool = True  # meaningless when the clip opened mid-rep
    seen: str = "legs"  # the joints it reads (motion/metrics.py Seen)
    angles: bool = True  # read from angles, so the camera's angle matters (tempo: no)
    proxy: bool = False  # a proxy of what it names (the trunk line)
    unseen: str = "joints_unseen"  # WHY_NOT when no rep showed what it reads
    # Its reading in 3-D from the world landmarks, for a rep filmed from an oblique view
    # when the exercise needs a side view: joint angles only (the picture's own geometry,
    # such as the trunk line or the feet, has none).
    oblique: Callable[[CheckSpec, RepMetrics], Reading] | None = None

    def configured(self, spec: CheckSpec) -> bool:
        value = getattr(spec, self.setting)
        return value == self.when if self.when is not None else value not in (None, False)

    def read_in_3d(self, view: str, m: RepMetrics) -> bool:
        """Whether this rep, filmed obliquely for a side-view check, is read in 3-D."""
        return (
            self.oblique is not None
            and view == "side"
            and m.view == "oblique"
            and m.pattern_source == "world"
        )


CHECKS: tuple[Check, ...] = (
    Check("knee_dominant", knee_dominant, "pattern", when="hinge", needs_view=False),
    Check(
        "rushed_tempo", rushed_tempo, "tempo_min",
        needs_view=False, needs_bottom=False, seen="trunk", angles=False,
    ),
    Check("arms_lift_bell", arms_lift_bell, "swing_timing", needs_view=False, seen="arms"),
    Check("shallow_hinge", shallow_hinge, "hip_flexion_min", oblique=shallow_hinge_3d),
    Check("knee_bend", knee_bend, "knee_band"),
    Check(
        "trunk_line_lost", trunk_line_lost, "trunk_line_min",
        needs_calibration=True, seen="head_trunk", proxy=True,
    ),
    Check(
        "incomplete_lockout", incomplete_lockout, "lockout",
        at_end=True, needs_calibration=True, needs_bottom=False, seen="top",
        oblique=incomplete_lockout_3d,
    ),
    Check(
        "lean_back_at_top", lean_back_at_top, "lean_back_max",
        at_end=True, needs_bottom=False, seen="top",
    ),
    Check(
        "hips_rise_first", hips_rise_first, "rise_together",
        needs_bottom=False, seen="trunk", unseen="pull_unseen",
    ),
    Check(
        "heels_lift", heels_lift, "heels_down",
        needs_calibration=True, needs_bottom=False, seen="feet", unseen="feet_unseen",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    faults: tuple[Fault, ...]
    not_judged: tuple[NotJudged, ...]
    judged: frozenset[str]  # codes whose check really ran on at least one rep


def _why_not(
    check: Check, view_ok: bool, calibrated: bool, spec: CheckSpec, view: str
) -> NotJudged | None:
    if check.needs_view and not view_ok:
        if view == "unknown":
            why = WHY_NOT["view_unknown"].format(needed=spec.view)
            return NotJudged(check.code, why, "view_unknown")
        why = WHY_NOT["other_view"].format(needed=spec.view, seen=view)
        return NotJudged(check.code, why, "other_view")
    if check.needs_calibration and not calibrated:
        return NotJudged(check.code, WHY_NOT["not_standing"], "not_standing")
    return None


def run_checks(
    spec: CheckSpec,
    reps: list[RepMetrics],
    view: str,
    calibrated: bool,
    standing_from: str = "start",
) -> CheckResult:
    """Faults for every rep, each with how sure it is, the checks that could not honestly be
    made, and those that ran.

    Angle checks run on the reps filmed from the exercise's view (a clip can change camera
    between reps); `view` is the clip's as a whole, for saying why when none was.
    `standing_from` says where the standing posture was read ("start" or "lockout")."""
    faults: list[Fault] = []
    skipped: list[NotJudged] = []
    judged: set[str] = set()
    in_view = any(m.view == spec.view for m in reps)
    for check in CHECKS:
        if not check.configured(spec):
            continue
        view_ok = in_view or any(check.read_in_3d(spec.view, m) for m in reps)
        why = _why_not(check, view_ok, calibrated, spec, view)
        if why is not None:
            skipped.append(why)
            continue
        candidates = [m for m in reps if _applies(check, spec, m)]
        for m in candidates:
            reading = _read(check, spec, m)
            if not math.isfinite(reading.value):
                continue  # a joint not seen at that moment: no verdict, not a fault
            judged.add(check.code)
            if reading.broken:
                faults.append(_fault(check, spec, m, reading, standing_from))
        if check.code not in judged and candidates:
            skipped.append(NotJudged(check.code, WHY_NOT[check.unseen], check.unseen))
    skipped += _reps_not_judged(spec, reps, in_view)
    faults.sort(key=lambda f: (f.rep, f.time))
    return CheckResult(tuple(faults), tuple(skipped), frozenset(judged))


def _fault(
    check: Check, spec: CheckSpec, m: RepMetrics, reading: Reading, standing_from: str
) -> Fault:
    at = m.end if check.at_end else m.bottom
    sure = confidence(check, reading, m, spec.view, standing_from)
    value = round(reading.value, 2)
    return Fault(check.code, m.number, at, value, reading.expected, _advice(spec, check.code), sure)


def _read(check: Check, spec: CheckSpec, m: RepMetrics) -> Reading:
    """The rep's reading: in 3-D with the wider band when filmed obliquely (`read_in_3d`)."""
    if check.oblique is not None and check.read_in_3d(spec.view, m):
        return check.oblique(spec, m)
    return check.read(spec, m)


def _applies(check: Check, spec: CheckSpec, m: RepMetrics) -> bool:
    """Whether the rep shows what the check needs: its bottom, its top, the right view."""
    if check.needs_bottom and m.partial:
        return False
    if check.at_end and not m.finished:
        return False
    off_view = m.view != spec.view and not check.read_in_3d(spec.view, m)
    return not (check.needs_view and off_view)


def _reps_not_judged(spec: CheckSpec, reps: list[RepMetrics], in_view: bool) -> list[NotJudged]:
    """Parts of reps the camera did not film: said once each, not check by check."""
    out = []
    if any(m.partial for m in reps):
        out.append(NotJudged("bottom of rep 1", WHY_NOT["bottom_unfilmed"], "bottom_unfilmed"))
    for m in reps:
        if not m.finished:
            why = WHY_NOT["top_unfilmed"]
            out.append(NotJudged(f"top of rep {m.number}", why, "top_unfilmed"))
    side_only = [c for c in CHECKS if c.needs_view and c.configured(spec)]
    away = [
        m
        for m in reps
        if m.view != spec.view and not all(c.read_in_3d(spec.view, m) for c in side_only)
    ]
    if in_view and away and side_only:
        numbers = ", ".join(str(m.number) for m in away)
        why = WHY_NOT["reps_at_another_angle"].format(needed=spec.view)
        out.append(NotJudged(f"angles of reps {numbers}", why, "reps_at_another_angle"))
    return out
