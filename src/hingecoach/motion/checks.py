"""Per-exercise form checks, driven by data (a `CheckSpec` built from the catalog).

What the camera can and cannot see (domain-rules.md): phone keypoints are off by about
6-12 deg at the knee and 11-17 deg at the hip, so a band is only called broken when the value
is outside it by more than `TOLERANCE` (never decide on a difference under 10-15 deg), and
angle checks run only in the view the exercise needs. The trunk line is a proxy (ear,
shoulder and hip alignment), never "your spine rounded", and it is a patterning fault, not a
danger (Saraceni 2020).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hingecoach.motion.metrics import RepMetrics

__all__ = ["TOLERANCE", "CheckSpec", "Fault", "NotJudged", "run_checks"]

TOLERANCE = 10.0  # degrees beyond a band before a fault is called
TEMPO_TOLERANCE = 0.25  # seconds: rep boundaries are only known to a few frames


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


def _angle_faults(spec: CheckSpec, m: RepMetrics) -> list[Fault]:
    found: list[Fault] = []
    at = m.bottom
    if m.partial:  # the clip opened mid-rep: only the top of this rep was filmed
        return _top_faults(spec, m)
    if spec.hip_flexion_min is not None and m.hip_flexion < spec.hip_flexion_min - TOLERANCE:
        found.append(
            Fault(
                "shallow_hinge",
                m.number,
                at,
                round(m.hip_flexion, 1),
                f">= {spec.hip_flexion_min:g} deg hip flexion",
                _advice(spec, "shallow_hinge"),
            )
        )
    if spec.knee_band is not None:
        low, high = spec.knee_band
        if not low - TOLERANCE <= m.knee_flexion <= high + TOLERANCE:
            found.append(
                Fault(
                    "knee_bend",
                    m.number,
                    at,
                    round(m.knee_flexion, 1),
                    _band(low, high),
                    _advice(spec, "knee_bend"),
                )
            )
    if spec.trunk_line_min is not None and m.trunk_line_bottom < spec.trunk_line_min:
        found.append(
            Fault(
                "trunk_line_lost",
                m.number,
                at,
                round(m.trunk_line_bottom, 1),
                f">= {spec.trunk_line_min:g} deg ear-shoulder-hip alignment",
                _advice(spec, "trunk_line_lost"),
            )
        )
    return found + _top_faults(spec, m)


def _top_faults(spec: CheckSpec, m: RepMetrics) -> list[Fault]:
    found: list[Fault] = []
    if spec.lockout and m.top_hip_flexion > 15.0 + TOLERANCE / 2:
        found.append(
            Fault(
                "incomplete_lockout",
                m.number,
                m.end,
                round(m.top_hip_flexion, 1),
                "hips back to your standing angle (within 20 deg)",
                _advice(spec, "incomplete_lockout"),
            )
        )
    if spec.lean_back_max is not None and m.top_lean_back > spec.lean_back_max + TOLERANCE:
        found.append(
            Fault(
                "lean_back_at_top",
                m.number,
                m.end,
                round(m.top_lean_back, 1),
                f"<= {spec.lean_back_max:g} deg past vertical",
                _advice(spec, "lean_back_at_top"),
            )
        )
    return found


def _view_free_faults(spec: CheckSpec, m: RepMetrics) -> list[Fault]:
    found: list[Fault] = []
    if spec.pattern == "hinge" and m.pattern == "squat":
        found.append(
            Fault(
                "knee_dominant",
                m.number,
                m.bottom,
                round(m.knee_flexion, 1),
                "a hinge: hips back, trunk forward, knees under 100 deg",
                _advice(spec, "knee_dominant"),
            )
        )
    if spec.tempo_min is not None and m.end - m.start < spec.tempo_min - TEMPO_TOLERANCE:
        found.append(
            Fault(
                "rushed_tempo",
                m.number,
                m.start,
                round(m.end - m.start, 2),
                f">= {spec.tempo_min:g} s per rep",
                _advice(spec, "rushed_tempo"),
            )
        )
    if spec.swing_timing and m.hips_lead_arms is False:
        found.append(
            Fault(
                "arms_lift_bell",
                m.number,
                m.bottom,
                0.0,
                "peak hip speed before peak arm speed",
                _advice(spec, "arms_lift_bell"),
            )
        )
    return found


def run_checks(
    spec: CheckSpec, reps: list[RepMetrics], view: str, calibrated: bool
) -> tuple[list[Fault], list[NotJudged]]:
    """Faults for every rep, and the checks that could not honestly be made."""
    faults: list[Fault] = []
    skipped: list[NotJudged] = []
    angles_ok = view == spec.view
    if not angles_ok:
        skipped.append(
            NotJudged(
                "angles",
                f"depth, knee bend, trunk line and lockout need a {spec.view} view; this clip is filmed from the {view}",
            )
        )
    elif not calibrated:
        skipped.append(
            NotJudged(
                "trunk_line",
                "the clip does not start with you standing still, so there is no standing posture to compare against",
            )
        )
    if any(m.partial for m in reps):
        skipped.append(
            NotJudged(
                "bottom of rep 1",
                "the clip starts with you already at the bottom, so the deepest point of that rep was not filmed",
            )
        )
    for m in reps:
        faults += _view_free_faults(spec, m)
        if angles_ok:
            checked = _angle_faults(spec, m)
            faults += [
                f
                for f in checked
                if calibrated or f.code not in {"trunk_line_lost", "incomplete_lockout"}
            ]
    return faults, skipped
