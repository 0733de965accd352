"""View data and terminal rendering shared by the CLI (and, later, the web pages).

The `*_json` functions define the documented `--json` shapes (docs/cli.md); the `render_*`
functions draw the same data with Rich. Steps are numbered from 1 for people.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hingecoach.adapters.db.tables import DecisionRow
from hingecoach.catalog import Catalog, Exercise, Ladder
from hingecoach.engine.dosing import Prescription
from hingecoach.engine.model import Action, Decision, Rung, Urgency
from hingecoach.engine.pain import LightVerdict
from hingecoach.engine.progression import ProgrammeStatus
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.engine.timer import Phase
from hingecoach.services.coach import Outcome, StartResult, StatusView, TodayView

__all__ = [
    "exercise_detail",
    "exercise_summary",
    "history_json",
    "ladder_json",
    "outcome_json",
    "programme_json",
    "render_history",
    "render_outcome",
    "render_start",
    "render_status",
    "render_today",
    "sparkline",
    "start_json",
    "status_json",
    "timer_panel",
    "today_json",
]

_ACTION_STYLE = {
    Action.PROGRESS: "bold green",
    Action.HOLD: "bold cyan",
    Action.REGRESS: "bold yellow",
    Action.REFER: "bold magenta",
    Action.STOP: "bold red",
}
_ACTION_WORDS = {
    Action.PROGRESS: "Move up",
    Action.HOLD: "Stay on this step",
    Action.REGRESS: "Step back",
    Action.REFER: "See a clinician",
    Action.STOP: "STOP",
}


# -- JSON shapes ----------------------------------------------------------------------


def ladder_json(ladder: Ladder, catalog: Catalog) -> dict[str, Any]:
    steps = []
    for n, step in enumerate(ladder.steps, start=1):
        ex = catalog.exercises[step.exercise]
        steps.append(
            {
                "step": n,
                "id": ex.id,
                "name": ex.name,
                "label": step.label,
                "stage": ex.stage.value,
                "loaded": ex.loaded,
            }
        )
    return {
        "id": ladder.id,
        "name": ladder.name,
        "source": ladder.source,
        "description": ladder.description,
        "steps": steps,
    }


def exercise_summary(ex: Exercise) -> dict[str, Any]:
    return {
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "stage": ex.stage.value,
        "dose_kind": ex.dose_kind.value,
        "equipment": list(ex.equipment),
        "loaded": ex.loaded,
        "ballistic": ex.ballistic,
        "camera_view": ex.camera_view,
    }


def exercise_detail(ex: Exercise) -> dict[str, Any]:
    return ex.model_dump(mode="json")


def decision_json(d: Decision, rungs: tuple[Rung, ...], step_before: int | None) -> dict[str, Any]:
    return {
        "action": d.action.value,
        "light": d.light.value if d.light else None,
        "urgency": d.urgency.value,
        "refer": d.refer,
        "rules": list(d.rules),
        "reasons": list(d.reasons),
        "step_before": None if step_before is None else step_before + 1,
        "step_after": d.state.rung + 1,
        "exercise_after": rungs[d.state.rung].exercise_id,
        "load": d.state.load,
        "volume_factor": d.state.volume_factor,
        "load_change": d.load_change,
    }


def decision_row_json(row: DecisionRow) -> dict[str, Any]:
    return {
        "date": row.day.isoformat(),
        "trigger": row.trigger,
        "action": row.action,
        "light": row.light,
        "urgency": row.urgency,
        "rules": row.rules,
        "reasons": row.reasons,
        "step_before": None if row.rung_before is None else row.rung_before + 1,
        "step_after": None if row.rung_after is None else row.rung_after + 1,
    }


def prescription_json(rx: Prescription, rung: Rung) -> dict[str, Any]:
    return {
        "exercise_id": rx.exercise_id,
        "name": rx.name,
        "step": rx.rung + 1,
        "how_many": rx.how_many,
        "sets": rx.sets,
        "seconds_per_set": rx.seconds,
        "reps": list(rx.reps) if rx.reps else None,
        "rest_seconds": rx.rest_seconds,
        "tempo": rx.tempo,
        "load": rx.load,
        "load_unit": rx.load_unit,
        "warmup": rx.warmup,
        "effort": rx.effort,
        "how_often": rx.frequency,
        "move_on_when": rx.move_on,
        "pain_guide": rx.pain_guide,
        "earliest_date": rx.earliest.isoformat(),
        "due_today": rx.due_today,
        "rules": list(rx.rules),
        "notes": list(rx.notes),
        "cues": list(rung.cues),
        "self_check": list(rung.self_check),
    }


def programme_json(status: ProgrammeStatus) -> dict[str, Any]:
    """The programme's standing: running, restricted or stopped, why, what to do, by when."""
    return {
        "standing": status.standing.value,
        "urgency": status.urgency.value,
        "rules": list(status.rules),
        "reason": status.reason,
        "advice": status.advice,
        "by_when": status.by_when,
        "since": status.since.isoformat() if status.since else None,
        "call": (
            {"number": status.call.number, "label": status.call.label} if status.call else None
        ),
    }


def today_json(view: TodayView) -> dict[str, Any]:
    rx = view.prescription
    return {
        "learner": view.learner,
        "ladder": {"id": view.ladder.id, "name": view.ladder.name},
        "step": view.state.rung + 1,
        "steps": len(view.rungs),
        "stopped": rx is None,
        "programme": programme_json(view.status),
        "safety": {
            "urgency": view.verdict.urgency.value,
            "flags": list(view.verdict.flags),
            "message": view.verdict.message,
        },
        "prescription": prescription_json(rx, view.rungs[rx.rung]) if rx else None,
        "last_decision": decision_row_json(view.last_decision) if view.last_decision else None,
        "equipment_notes": [n.text(view.rungs) for n in view.kit],
        "disclaimer": DISCLAIMER,
    }


def start_json(result: StartResult) -> dict[str, Any]:
    p = result.placement
    return {
        "learner_id": result.learner_id,
        "ladder": {"id": result.ladder.id, "name": result.ladder.name},
        "placed": p.rung is not None,
        "step": None if p.rung is None else p.rung + 1,
        "exercise_id": None if p.rung is None else result.rungs[p.rung].exercise_id,
        "urgency": p.urgency.value,
        "unloaded_only": p.unloaded_only,
        "rules": list(p.rules),
        "reasons": list(p.reasons),
        "equipment_notes": [n.text(result.rungs) for n in p.kit],
        "disclaimer": DISCLAIMER,
    }


def light_json(verdict: LightVerdict) -> dict[str, Any]:
    return {
        "light": verdict.light.value,
        "rules": list(verdict.rules),
        "reasons": list(verdict.reasons),
    }


def outcome_json(o: Outcome) -> dict[str, Any]:
    return {
        "session": light_json(o.session) if o.session else None,
        "decision": decision_json(o.decision, o.rungs, o.rung_before),
        "notices": list(o.notices),
        "today": today_json(o.today),
    }


def status_json(view: StatusView) -> dict[str, Any]:
    return {
        "today": today_json(view.today),
        "sessions": len(view.sessions),
        "checkins": len(view.checkins),
        "morning_pain": [{"date": d.isoformat(), "pain": p} for d, p in view.mornings],
        "recent_decisions": [decision_row_json(r) for r in view.decisions[-10:]],
    }


def history_json(view: StatusView) -> dict[str, Any]:
    notes = view.notes or [""] * len(view.sessions)
    return {
        "sessions": [
            {
                "date": s.day.isoformat(),
                "step": s.rung + 1,
                "exercise_id": s.exercise_id,
                "pain_before": s.pain_before,
                "pain_during": s.pain_during,
                "pain_after": s.pain_after,
                "area": s.area.value,
                "qualities": sorted(q.value for q in s.qualities),
                "first_set_uncued": s.first_set_uncued,
                "self_check": list(s.self_check),
                "video": (
                    {"reps": s.video_reps, "faults": s.video_faults, "checks": list(s.video_checks)}
                    if s.video_reps or s.video_checks
                    else None
                ),
                "sets": [
                    {"reps": x.reps, "seconds": x.seconds, "load": x.load, "rpe": x.rpe}
                    for x in s.sets
                ],
                "faded": s.faded_with_rest,
                "note": note,
            }
            for s, note in zip(view.sessions, notes, strict=True)
        ],
        "checkins": [
            {
                "date": c.day.isoformat(),
                "pain": c.pain,
                "area": c.area.value,
                "soreness": c.soreness,
            }
            for c in view.checkins
        ],
        "decisions": [decision_row_json(r) for r in view.decisions],
    }


# -- terminal rendering ---------------------------------------------------------------

_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Iterable[int], top: int = 10) -> str:
    """One character per reading, 0 to `top`, for a pain trend in a terminal line."""
    return "".join(_BARS[min(len(_BARS) - 1, round(v / top * (len(_BARS) - 1)))] for v in values)


def _lines(pairs: Iterable[tuple[str, str | None]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in pairs:
        if value:
            table.add_row(label, Text(value))
    return table


def _safety_panel(view: TodayView) -> Panel:
    status = view.status
    title = "EMERGENCY" if status.urgency is Urgency.EMERGENCY else "Stop: see a clinician"
    lines = [status.reason, status.advice, f"By when: {status.by_when}."]
    if status.call is not None:
        lines.append(f"{status.call.label}.")
    body = Text(
        "\n".join(lines)
        + f"\n\nYour programme is stopped until a clinician who examined you records a clearance.\n{DISCLAIMER}"
    )
    return Panel(body, title=title, border_style="red")


def render_today(console: Console, view: TodayView) -> None:
    rx = view.prescription
    if rx is None:
        console.print(_safety_panel(view))
        return
    rung = view.rungs[rx.rung]
    due = "today" if rx.due_today else f"not before {rx.earliest.isoformat()} (rest day today)"
    body = _lines(
        [
            ("Do", rx.how_many),
            ("Tempo", rx.tempo),
            ("Warm-up", rx.warmup),
            ("Effort", rx.effort),
            ("How often", rx.frequency),
            ("Next session", due),
            ("Move on when", rx.move_on),
            ("Pain guide", rx.pain_guide),
        ]
    )
    items: list[Any] = [body]
    if rx.notes:
        items.append(Text("\n".join(rx.notes), style="yellow"))
    if view.status.reason and not view.status.stopped:
        items.append(Text(f"{view.status.reason} {view.status.advice}", style="yellow"))
    console.print(
        Panel(
            Group(*items),
            title=escape(f"Today: step {rx.rung + 1} of {len(view.rungs)}: {rx.name}"),
            subtitle=escape(f"rules {', '.join(rx.rules)}"),
        )
    )
    console.print("[bold]Cues[/]")
    _reasons(console, rung.cues)
    console.print("[bold]Self-check[/] (you answer these when you log the session)")
    _reasons(console, rung.self_check)
    if view.last_decision:
        rules = escape(", ".join(view.last_decision.rules))
        console.print(f"[bold]Why this step[/] (rules {rules})")
        _reasons(console, view.last_decision.reasons)
    for note in view.kit:
        if note.rung == rx.rung:
            console.print(f"[yellow]Equipment:[/] {escape(note.text(view.rungs))}")
    console.print(f"[dim]{DISCLAIMER}[/]")


def render_start(console: Console, result: StartResult) -> None:
    p = result.placement
    if p.rung is None:
        title = "EMERGENCY" if p.urgency is Urgency.EMERGENCY else "Stop: see a clinician"
        console.print(
            Panel(Text("\n".join(p.reasons) + f"\n\n{DISCLAIMER}"), title=title, border_style="red")
        )
        return
    lines = "\n".join(f"• {r}" for r in p.reasons)
    console.print(
        Panel(
            Text(lines),
            title=escape(f"You start at step {p.rung + 1}: {result.rungs[p.rung].name}"),
            subtitle=escape(f"rules {', '.join(p.rules)}"),
        )
    )


def render_outcome(console: Console, o: Outcome) -> None:
    if o.session is not None:
        console.print(f"[bold]This session[/]: pain light {o.session.light.value.upper()}")
        _reasons(console, o.session.reasons)
        console.print("[bold]What's next[/]")
    d = o.decision
    style = _ACTION_STYLE[d.action]
    light = f" · pain light {d.light.value.upper()}" if d.light else ""
    head = f"[{style}]{_ACTION_WORDS[d.action]}[/]{light} · rules {escape(', '.join(d.rules))}"
    console.print(head)
    _reasons(console, d.reasons)
    for notice in o.notices:
        console.print(Text(f"Note: {notice}", style="yellow"))
    if d.action in (Action.STOP, Action.REFER):
        console.print(f"[dim]{DISCLAIMER}[/]")
    rx = o.today.prescription
    if rx is not None:
        when = "today" if rx.due_today else rx.earliest.isoformat()
        console.print(escape(f"Next: step {rx.rung + 1}, {rx.name}: {rx.how_many} (from {when})."))


def render_status(console: Console, view: StatusView) -> None:
    t = view.today
    where = (
        f"{t.ladder.name}: step {t.state.rung + 1} of {len(t.rungs)}, {t.rungs[t.state.rung].name}"
    )
    console.print(f"[bold]{escape(t.learner)}[/] on {escape(where)}")
    if t.status.reason:
        style = "bold red" if t.status.stopped else "yellow"
        console.print(Text(f"Programme {t.status.standing.value}: {t.status.reason}", style=style))
    console.print(f"Sessions logged: {len(view.sessions)} · check-ins: {len(view.checkins)}")
    recent = view.mornings[-14:]
    if recent:
        console.print(
            f"Morning pain, last {len(recent)} check-ins (0-10): {sparkline(p for _, p in recent)}  latest {recent[-1][1]}/10"
        )
    table = Table(title="Recent decisions")
    for col in ("date", "after", "decision", "light", "rules"):
        table.add_column(col)
    for row in view.decisions[-8:]:
        table.add_row(
            row.day.isoformat(),
            row.trigger,
            _ACTION_WORDS[Action(row.action)],
            row.light or "-",
            escape(", ".join(row.rules)),
        )
    console.print(table)


def render_history(console: Console, view: StatusView) -> None:
    table = Table(title="Sessions")
    for col in ("date", "step", "exercise", "pain b/d/a", "sets", "symptoms", "note"):
        table.add_column(col)
    notes = view.notes or [""] * len(view.sessions)
    for s, note in zip(view.sessions, notes, strict=True):
        sets = ", ".join(str(x.reps) if x.reps is not None else f"{x.seconds}s" for x in s.sets)
        symptoms = (
            ", ".join([s.area.value, *sorted(q.value for q in s.qualities)])
            if s.area.value != "none" or s.qualities
            else "-"
        )
        table.add_row(
            s.day.isoformat(),
            str(s.rung + 1),
            escape(s.exercise_id),
            f"{s.pain_before}/{s.pain_during}/{s.pain_after}",
            sets,
            escape(symptoms),
            Text(note),
        )
    console.print(table)
    checks = Table(title="Morning check-ins")
    for col in ("date", "pain", "where", "soreness"):
        checks.add_column(col)
    for c in view.checkins:
        checks.add_row(c.day.isoformat(), str(c.pain), c.area.value, "yes" if c.soreness else "-")
    console.print(checks)
    decisions = Table(title="Decisions")
    for col in ("date", "after", "decision", "step", "why"):
        decisions.add_column(col)
    for row in view.decisions:
        step = (
            f"{(row.rung_before or 0) + 1}→{(row.rung_after or 0) + 1}"
            if row.rung_before is not None
            else str((row.rung_after or 0) + 1)
        )
        decisions.add_row(
            row.day.isoformat(),
            row.trigger,
            _ACTION_WORDS[Action(row.action)],
            step,
            Text(f"[{', '.join(row.rules)}] {' '.join(row.reasons)}"),
        )
    console.print(decisions)


def _reasons(console: Console, items: Iterable[str]) -> None:
    for item in items:
        console.print(Text(f"  • {item[:1].upper()}{item[1:]}"))


def timer_panel(phase: Phase, left: int) -> Panel:
    colour = {"ready": "yellow", "work": "green", "rest": "blue"}[phase.kind]
    label = {"ready": "GET READY", "work": f"WORK · set {phase.set_number}", "rest": "REST"}[
        phase.kind
    ]
    body = Group(
        Text(f"{left:>3} s", style=f"bold {colour}", justify="center"),
        Text(phase.cue, justify="center"),
    )
    return Panel(body, title=label, border_style=colour)
