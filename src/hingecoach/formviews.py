"""The form report as JSON (`hinge analyze --json`, documented in docs/vision.md) and as
terminal tables. Times are seconds from the start of the clip; reps are numbered from 1."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hingecoach.motion.analysis import FormReport
from hingecoach.services.analysis import Analysis

__all__ = ["analysis_json", "render_analysis"]

HONESTY = (
    "A phone camera sees joint angles to within about 10-15 degrees and cannot see the "
    "curve of your spine: the trunk line is the alignment of ear, shoulder and hip, not a "
    "measure of your back. This is coaching feedback, not a diagnosis."
)


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 2)


def _events(report: FormReport, times: Any) -> list[dict[str, Any]]:
    return [
        {
            "rep": i + 1,
            "start": _num(times[e.start]),
            "bottom": _num(times[e.bottom]),
            "end": _num(times[e.end]),
        }
        for i, e in enumerate(report.events)
    ]


def analysis_json(a: Analysis) -> dict[str, Any]:
    r = a.report
    return {
        "exercise": {
            "id": a.exercise.id,
            "name": a.exercise.name,
            "view_needed": a.exercise.camera_view,
        },
        "judged": r.judged,
        "refusal": None
        if r.refusal is None
        else {"code": r.refusal.code, "reason": r.refusal.reason},
        "reps": len(r.reps),
        "partial_reps": r.partial_reps,
        "rep_events": _events(r, a.pose.times),
        "pattern": {"overall": r.pattern, "per_rep": [m.pattern for m in r.reps]},
        "view": None
        if r.view is None
        else {
            "kind": r.view.kind,
            "side": r.view.side,
            "shoulder_ratio": _num(r.view.shoulder_ratio),
        },
        "faults": [
            {
                "code": f.code,
                "rep": f.rep,
                "time": _num(f.time),
                "value": f.value,
                "expected": f.expected,
                "advice": f.advice,
            }
            for f in r.faults
        ],
        "not_judged": [{"check": n.check, "why": n.why} for n in r.not_judged],
        "tracking": {
            "fraction": _num(r.tracked),
            "model": r.model,
            "frames": a.pose.frames,
            "duration": _num(r.duration),
        },
        "mastery": [{"item": m.item, "status": m.status} for m in r.mastery],
        "metrics": [
            {
                "rep": m.number,
                "tempo_seconds": _num(m.end - m.start),
                "descent_seconds": _num(m.descent),
                "ascent_seconds": _num(m.ascent),
                "hip_flexion": _num(m.hip_flexion),
                "knee_flexion": _num(m.knee_flexion),
                "trunk_from_vertical": _num(m.trunk_angle),
                "hip_knee_ratio": _num(m.hip_knee_ratio),
                "trunk_line": _num(m.trunk_line_bottom),
                "trunk_line_change": _num(m.trunk_line_change),
                "top_hip_flexion": _num(m.top_hip_flexion),
                "top_lean_back": _num(m.top_lean_back),
                "hips_lead_arms": m.hips_lead_arms,
            }
            for m in r.reps
        ],
        "note": HONESTY,
    }


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
    for n in r.not_judged:
        console.print(f"[dim]Not judged: {escape(n.check)}: {escape(n.why)}[/]")
    for item in r.mastery:
        console.print(
            f"  self-check [{'green' if item.status == 'supported' else 'yellow'}]{item.status}[/]: {escape(item.item)}"
        )
    console.print(f"[dim]{HONESTY}[/]")
