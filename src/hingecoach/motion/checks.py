"""Per-exercise form checks, driven by data (a `CheckSpec` built from the catalog).

What the camera can and cannot see (domain-rules.md): phone keypoints are off by about
6-12 deg at the knee and 11-17 deg at the hip, so a band is only called broken when the value
is outside it by more than `TOLERANCE` (never decide on a difference under 10-15 deg), and
angle checks run only in the view the exercise needs. The trunk line is a proxy (ear,
shoulder and hip alignment), never "your spine rounded", and it is a patterning fault, not a
danger (Saraceni 2020).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from hingecoach.motion.metrics import RepMetrics

__all__ = ["CHECKS", "TOLERANCE", "CheckResult", "CheckSpec", "Fault", "NotJudged", "run_checks"]

TOLERANCE = 10.0  # degrees beyond a band before a fault is called
TEMPO_TOLERANCE = 0.25  # seconds: rep boundaries are only known to a few frames
LOCKOUT_MAX = 20.0  # degrees short of the standing hip angle still counted as standing tall


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


@dataclass(frozen=True)
class NotJudged:
    check: str
    why: str


_DEFAULT_ADVICE = {
    "knee_dominant": "Send your hips back toward the wall behind you before the knees bend; let the bell hang close to your shins.",
    "shallow_hinge": "Keep pushing your hips back until you feel a stretch behind the thighs before you stand.",
    "knee_bend": "Keep a soft, steady knee: your shins stay nearly upright while your hips travel back.",
    "trunk_line_lost": "Keep the stick touching your head, upper back and tailbone all the way down and up.",
    "incomplete_lockout": "Finish each rep standing tall, as if pushing the floor away until your hips meet the bell's path.",
    "lean_back_at_top": "Stop at tall standing: stack your shoulders over your hips, as if a wall were right behind you.",
    "rushed_tempo": "Slow down: count two on the way down and two on the way up.",
    "arms_lift_bell": "Let the hips throw the bell: snap your hips toward the wall in front and let your arms float like ropes.",
}


def _advice(spec: CheckSpec, code: str) -> str:
    return spec.advice.get(code) or _DEFAULT_ADVICE[code]


def _band(low: float, high: float) -> str:
    return f"{low:g}-{high:g} deg (±{TOLERANCE:g} for camera error)"


@dataclass(frozen=True)
class _Check:
    """One judged quantity: when it applies, how it is measured, when it is broken."""

    code: str
    configured: Callable[[CheckSpec], bool]
    value: Callable[[RepMetrics], float]
    broken: Callable[[CheckSpec, float], bool]
    expected: Callable[[CheckSpec], str]
    at_end: bool = False  # judged at the top of the rep rather than the bottom
    needs_view: bool = True  # angles need the exercise's view
    needs_calibration: bool = False  # compared with the standing posture
    needs_bottom: bool = True  # meaningless when the clip opened mid-rep


def _knee_out(spec: CheckSpec, v: float) -> bool:
    assert spec.knee_band is not None
    return not spec.knee_band[0] - TOLERANCE <= v <= spec.knee_band[1] + TOLERANCE


CHECKS: tuple[_Check, ...] = (
    _Check("knee_dominant", lambda s: s.pattern == "hinge", lambda m: 1.0 if m.pattern == "squat" else 0.0,
           lambda s, v: v > 0.5, lambda s: "a hinge: hips back, trunk forward, knees well under a squat's bend",
           needs_view=False),
    _Check("rushed_tempo", lambda s: s.tempo_min is not None, lambda m: m.end - m.start,
           lambda s, v: v < (s.tempo_min or 0) - TEMPO_TOLERANCE, lambda s: f">= {s.tempo_min:g} s per rep",
           needs_view=False, needs_bottom=False),
    _Check("arms_lift_bell", lambda s: s.swing_timing,
           lambda m: float("nan") if m.hips_lead_arms is None else float(not m.hips_lead_arms),
           lambda s, v: v > 0.5, lambda s: "peak hip speed before peak arm speed", needs_view=False),
    _Check("shallow_hinge", lambda s: s.hip_flexion_min is not None, lambda m: m.hip_flexion,
           lambda s, v: v < (s.hip_flexion_min or 0) - TOLERANCE, lambda s: f">= {s.hip_flexion_min:g} deg hip flexion"),
    _Check("knee_bend", lambda s: s.knee_band is not None, lambda m: m.knee_flexion, _knee_out,
           lambda s: _band(*(s.knee_band or (0, 0)))),
    _Check("trunk_line_lost", lambda s: s.trunk_line_min is not None, lambda m: m.trunk_line_bottom,
           lambda s, v: v < (s.trunk_line_min or 0), lambda s: f">= {s.trunk_line_min:g} deg ear-shoulder-hip alignment",
           needs_calibration=True),
    _Check("incomplete_lockout", lambda s: s.lockout, lambda m: m.top_hip_flexion,
           lambda s, v: v > LOCKOUT_MAX, lambda s: f"hips back within {LOCKOUT_MAX:g} deg of your standing angle",
           at_end=True, needs_calibration=True, needs_bottom=False),
    _Check("lean_back_at_top", lambda s: s.lean_back_max is not None, lambda m: m.top_lean_back,
           lambda s, v: v > (s.lean_back_max or 0) + TOLERANCE, lambda s: f"<= {s.lean_back_max:g} deg past vertical",
           at_end=True, needs_bottom=False),
)  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    faults: tuple[Fault, ...]
    not_judged: tuple[NotJudged, ...]
    judged: frozenset[str]  # codes whose check really ran on at least one rep


def _why_not(
    check: _Check, view_ok: bool, calibrated: bool, spec: CheckSpec, view: str
) -> str | None:
    if check.needs_view and not view_ok:
        return (
            f"needs a {spec.view} view; this clip is filmed from the {view}"
            if view != "unknown"
            else f"needs a {spec.view} view; the camera angle could not be told"
        )
    if check.needs_calibration and not calibrated:
        return "the clip does not start with you standing still, so there is no standing posture to compare against"
    return None


def run_checks(spec: CheckSpec, reps: list[RepMetrics], view: str, calibrated: bool) -> CheckResult:
    """Faults for every rep, the checks that could not honestly be made, and those that ran."""
    faults: list[Fault] = []
    skipped: list[NotJudged] = []
    judged: set[str] = set()
    for check in CHECKS:
        if not check.configured(spec):
            continue
        why = _why_not(check, view == spec.view, calibrated, spec, view)
        if why is not None:
            skipped.append(NotJudged(check.code, why))
            continue
        candidates = [m for m in reps if not (check.needs_bottom and m.partial)]
        for m in candidates:
            value = check.value(m)
            if not math.isfinite(value):
                continue  # a joint not seen at that moment: no verdict, not a fault
            judged.add(check.code)
            if check.broken(spec, value):
                at = m.end if check.at_end else m.bottom
                faults.append(
                    Fault(
                        check.code,
                        m.number,
                        at,
                        round(value, 2),
                        check.expected(spec),
                        _advice(spec, check.code),
                    )
                )
        if check.code not in judged and candidates:
            skipped.append(
                NotJudged(check.code, "the joints it needs were not seen clearly enough in any rep")
            )
    if any(m.partial for m in reps):
        skipped.append(
            NotJudged(
                "bottom of rep 1",
                "the clip starts with you already at the bottom, so the deepest point of that rep was not filmed",
            )
        )
    faults.sort(key=lambda f: (f.rep, f.time))
    return CheckResult(tuple(faults), tuple(skipped), frozenset(judged))
