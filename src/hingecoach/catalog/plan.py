"""Turn a ladder of catalog exercises into the engine's rungs."""

from __future__ import annotations

from hingecoach.catalog.loader import Catalog
from hingecoach.catalog.model import Exercise, Ladder
from hingecoach.engine.model import LoadScheme, Rung

__all__ = ["rung_for", "rungs_for"]


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
