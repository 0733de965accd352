"""The video form check drawn in a terminal (its JSON shape is schemas/video.py)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hingecoach.schemas.video import HONESTY
from hingecoach.services.analysis import Analysis

__all__ = ["render_analysis"]


def render_analysis(console: Console, a: Analysis) -> None:
    r = a.report
    if r.refusal is not None:
        console.print(
            f"[bold red]Cannot judge this clip[/] ({r.refusal.code}): {escape(r.refusal.reason)}"
        )
        return
    view = f"{r.view.kind} view, {r.view.side} side to the camera" if r.view else "unknown view"
    partial = f" (+{r.partial_reps} partial)" if r.partial_reps else ""
    console.print(
        f"[bold]{escape(a.exercise.name)}[/]: {len(r.reps)} reps{partial}, mostly [bold]{r.pattern}[/], {view}, person tracked in {r.tracked:.0%} of frames"
    )
    table = Table(title="Reps")
    for col in ("rep", "time (s)", "tempo (s)", "pattern", "hip°", "knee°", "trunk°", "faults"):
        table.add_column(col, justify="right" if col not in {"pattern", "faults"} else "left")
    by_rep: dict[int, list[str]] = {}
    for f in r.faults:
        by_rep.setdefault(f.rep, []).append(f.code)
    for m in r.reps:
        table.add_row(
            str(m.number), f"{m.start:.1f}-{m.end:.1f}", f"{m.end - m.start:.1f}", m.pattern,
            f"{m.hip_flexion:.0f}", f"{m.knee_flexion:.0f}", f"{m.trunk_angle:.0f}",
            ", ".join(by_rep.get(m.number, [])) or "-",
        )  # fmt: skip
    console.print(table)
    seen: set[str] = set()
    for f in r.faults:
        if f.code not in seen:
            seen.add(f.code)
            console.print(
                f"[yellow]{f.code}[/] (rep {f.rep}, {f.time:.1f} s: {f.value:g} vs {escape(f.expected)}): {escape(f.advice)}"
            )
            if f.confidence is not None:
                why = "; ".join(f.confidence.reasons)
                console.print(f"  [dim]how sure: {f.confidence.level} ({escape(why)})[/]")
    for n in r.not_judged:
        console.print(f"[dim]Not judged: {escape(n.check)}: {escape(n.why)}[/]")
    for advice in r.film_next_time:
        console.print(f"Next time you film: {escape(advice)}")
    for item in r.mastery:
        console.print(
            f"  self-check [{'green' if item.status == 'supported' else 'yellow'}]{item.status}[/]: {escape(item.item)}"
        )
    console.print(f"[dim]{HONESTY}[/]")
