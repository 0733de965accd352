"""`hinge ladders`, `hinge exercises`, `hinge exercise`: the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hingecoach.catalog import load_ladders
from hingecoach.cli.app import JsonOpt, answer, app, catalog, guarded, out
from hingecoach.schemas.catalog import ExerciseSummary, LadderPublic

__all__ = ["exercise", "exercises", "ladders"]


@app.command()
@guarded
def ladders(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Check a custom ladder file and list its ladders too."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the ladders: built-in ones and any from HINGE_LADDERS_FILE (or --file)."""
    found = catalog()
    if file is not None:
        found = found.with_ladders(load_ladders(file, found.exercises))
    data = [LadderPublic.of(lad, found) for lad in found.ladders.values()]
    answer(data, as_json, lambda: _draw_ladders(data))


def _draw_ladders(data: list[LadderPublic]) -> None:
    for lad in data:
        table = Table(title=escape(f"{lad.name} ({lad.id})"), caption=escape(lad.source))
        table.add_column("step", justify="right")
        table.add_column("exercise")
        table.add_column("id")
        for step in lad.steps:
            table.add_row(str(step.step), escape(step.label or step.name), escape(step.id))
        out.print(table)


@app.command()
@guarded
def exercises(as_json: JsonOpt = False) -> None:
    """List every exercise in the catalog."""
    data = [ExerciseSummary.of(ex) for ex in catalog().exercises.values()]
    answer(data, as_json, lambda: _draw_exercises(data))


def _draw_exercises(data: list[ExerciseSummary]) -> None:
    table = Table(title="Exercises")
    for col in ("id", "name", "stage", "equipment", "loaded"):
        table.add_column(col)
    for ex in data:
        kit = escape(", ".join(ex.equipment) or "-")
        table.add_row(escape(ex.id), escape(ex.name), ex.stage, kit, "yes" if ex.loaded else "no")
    out.print(table)


@app.command()
@guarded
def exercise(
    key: Annotated[str, typer.Argument(help="Exercise id, name or alias.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one exercise: setup, cues, common faults and the self-check."""
    ex = catalog().exercise(key)

    def draw() -> None:
        title = escape(f"{ex.name} ({ex.id})")
        out.print(Panel(Text(ex.purpose), title=title, subtitle=f"stage: {ex.stage.value}"))
        _bullets("Setup", ex.setup)
        _bullets("Cues", ex.cues)
        _bullets("Common faults", [f"{f.what} Fix: {f.fix}" for f in ex.faults])
        _bullets("Self-check (answer yes or no after each session)", ex.self_check)
        kit = ", ".join(ex.equipment) or "none"
        out.print(escape(f"Equipment: {kit}   Camera view: {ex.camera_view}"))

    answer(ex, as_json, draw)  # the catalog's own model is the public shape


def _bullets(title: str, items: Any) -> None:
    out.print(f"[bold]{escape(title)}[/]")
    for item in items:
        out.print(f"  • {escape(str(item))}")
