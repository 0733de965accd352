"""Ladders and exercises, as `hinge ladders --json` and `hinge exercises --json` show them,
with the catalog's words in the reader's language (the article titles of `source` and of the
steps' labels stay as the articles wrote them)."""

from __future__ import annotations

from typing import Self

from hingecoach.catalog import Catalog, Exercise, Ladder
from hingecoach.engine.texts import shown
from hingecoach.schemas.base import Public

__all__ = ["ExerciseSummary", "LadderPublic", "LadderStepPublic"]


class LadderStepPublic(Public):
    step: int
    id: str
    name: str
    label: str | None
    stage: str
    loaded: bool


class LadderPublic(Public):
    id: str
    name: str
    source: str
    description: str | None
    steps: list[LadderStepPublic]

    @classmethod
    def of(cls, ladder: Ladder, catalog: Catalog) -> Self:
        steps = []
        for n, step in enumerate(ladder.steps, start=1):
            ex = catalog.exercises[step.exercise]
            steps.append(
                LadderStepPublic(
                    step=n,
                    id=ex.id,
                    name=shown(ex.name),
                    label=step.label,
                    stage=ex.stage.value,
                    loaded=ex.loaded,
                )
            )
        return cls(
            id=ladder.id,
            name=shown(ladder.name),
            source=ladder.source,
            description=shown(ladder.description) if ladder.description else None,
            steps=steps,
        )


class ExerciseSummary(Public):
    id: str
    name: str
    aliases: list[str]
    stage: str
    dose_kind: str
    equipment: list[str]
    loaded: bool
    ballistic: bool
    camera_view: str

    @classmethod
    def of(cls, ex: Exercise) -> Self:
        return cls(
            id=ex.id,
            name=shown(ex.name),
            aliases=list(ex.aliases),
            stage=ex.stage.value,
            dose_kind=ex.dose_kind.value,
            equipment=list(ex.equipment),
            loaded=ex.loaded,
            ballistic=ex.ballistic,
            camera_view=ex.camera_view,
        )
