"""Drawing the programme in a terminal with Rich: today's card, outcomes, status, history,
the timer. The JSON shapes are in `schemas/`; this module only draws the same values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hingecoach.engine.model import Action, Urgency
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.engine.timer import Phase
from hingecoach.services.results import Outcome, StartResult, StatusView, TodayView

__all__ = [
    "render_history",
    "render_outcome",
    "render_start",
    "render_status",
    "render_today",
    "sparkline",
    "timer_panel",
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
