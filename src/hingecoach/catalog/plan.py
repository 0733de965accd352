"""Turn a ladder of catalog exercises into the engine's rungs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hingecoach.catalog.loader import Catalog
from hingecoach.catalog.model import Exercise, Ladder
from hingecoach.engine.model import LoadScheme, Rung

if TYPE_CHECKING:
    from hingecoach.motion.checks import CheckSpec

__all__ = ["check_spec_for", "rung_for", "rungs_for"]


def rung_for(ex: Exercise, label: str | None = None) -> Rung:
    load = None
    if ex.load is not None:
        load = LoadScheme(
            ex.load.unit, ex.load.start, ex.load.target, ex.load.cap, ex.load.step_percent
        )
    return Rung(
        exercise_id=ex.id,
        name=label or ex.name,
        dose_kind=ex.dose_kind,
        stage=ex.stage.value,
        sets=ex.dose.sets,
        seconds=ex.dose.seconds,
        reps=ex.dose.reps,
        rest_seconds=ex.dose.rest_seconds,
        tempo=ex.dose.tempo,
        equipment=ex.equipment,
        load=load,
        self_check=ex.self_check,
        cues=ex.cues,
    )


def rungs_for(ladder: Ladder, catalog: Catalog) -> tuple[Rung, ...]:
    """Rungs in ladder order; names are the exercise names (labels are shown beside them)."""
    return tuple(rung_for(catalog.exercises[step.exercise]) for step in ladder.steps)


def check_spec_for(ex: Exercise) -> CheckSpec:
    """The video checks of an exercise, with its own fault fixes as the advice."""
    # Imported here: only a form check needs the motion code, and every command that
    # reads the catalog would otherwise load it (bench/cli.py).
    from hingecoach.motion.checks import CheckSpec

    cam = ex.camera
    return CheckSpec(
        view=ex.camera_view,
        rep_mode=cam.rep_mode,
        pattern=None if cam.pattern == "either" else cam.pattern,
        hip_flexion_min=cam.hip_flexion_min,
        knee_band=cam.knee_band,
        trunk_line_min=cam.trunk_line_min,
        tempo_min=cam.tempo_min,
        lockout=cam.lockout,
        lean_back_max=cam.lean_back_max,
        swing_timing=cam.swing_timing,
        rise_together=cam.rise_together,
        heels_down=cam.heels_down,
        advice={fault.code: fault.fix for fault in ex.faults},
        self_check_faults=cam.self_check_faults,
    )
