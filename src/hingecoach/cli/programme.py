"""`hinge start`, `screen`, `today`, `status`, `history`, `clear`, `guide`: the programme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.panel import Panel

from hingecoach.catalog import Catalog
from hingecoach.cli.app import (
    JsonOpt,
    answer,
    app,
    catalog,
    coach,
    fail,
    guarded,
    interactive,
    need,
    out,
    parse_day,
    split,
)
from hingecoach.cli.render import (
    render_history,
    render_outcome,
    render_start,
    render_status,
    render_today,
)
from hingecoach.engine.model import Experience
from hingecoach.engine.screening import DISCLAIMER, FLAGS
from hingecoach.errors import ValidationError
from hingecoach.schemas.base import Public
from hingecoach.schemas.programme import (
    HistoryPublic,
    OutcomePublic,
    StartPublic,
    StatusPublic,
    TodayPublic,
)
from hingecoach.services.inputs import StartInput
from hingecoach.services.validation import check_choice

if TYPE_CHECKING:
    from hingecoach.schemas.pages import KitPage

__all__ = [
    "FlagOpt",
    "NoneOpt",
    "ask_flags",
    "clear",
    "guide",
    "history",
    "screen",
    "start",
    "status",
    "today",
]

FlagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--flag", help="A red-flag id answered yes (see `hinge screen --list`). Repeatable."
    ),
]
NoneOpt = Annotated[bool, typer.Option("--none", help="None of the safety questions apply.")]

_NEXT_STEPS = (
    "[bold]Next:[/] `hinge timer` runs today's sets; afterwards `hinge log` records them. "
    "Tomorrow morning, `hinge checkin` asks how the pain is, and the coach decides."
)
_EXPERIENCE_PROMPT = (
    "Your experience: 'new' (never practised the hinge), 'some' (have done hinges or "
    "bodyweight work without pain), 'lifter' (have deadlifted or swung a kettlebell without pain)"
)


def ask_flags(flag: list[str] | None, none: bool) -> list[str]:
    """The flags given, else asked one by one on a terminal, else a usage error."""
    given = split(flag)
    if given or none:
        return given
    if interactive():
        out.print(
            "[bold]Safety questions[/] (answer honestly; this is a safety net, not a diagnosis)"
        )
        return [f.id for f in FLAGS if typer.confirm(f"  {f.question}", default=False)]
    raise fail("answer the safety screen with --flag ID (repeatable) or --none", 2)


def _ask_age() -> int | None:
    raw = typer.prompt("Your age in years (press Enter to skip)", default="", show_default=False)
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError("age", "a whole number 16-110", raw) from None


def _ask_kit(found: Catalog) -> list[str]:
    out.print("[bold]Your kit[/] (steps that need kit you lack get a suggested stand-in)")
    return [
        q.id
        for q in found.equipment.values()
        if typer.confirm(f"  Do you have: {q.name}?", default=q.usual)
    ]


@app.command()
@guarded
def start(
    name: Annotated[str | None, typer.Option(help="Your first name.")] = None,
    ladder: Annotated[str, typer.Option(help="Ladder id (see `hinge ladders`).")] = "solving-pain",
    experience: Annotated[str | None, typer.Option(help="new, some or lifter.")] = None,
    pain: Annotated[
        int | None, typer.Option(help="Your back or joint pain right now, 0-10.")
    ] = None,
    age: Annotated[int | None, typer.Option(help="Your age in years (optional).")] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(help="Kit you have, comma separated (see `hinge exercises`)."),
    ] = None,
    flag: FlagOpt = None,
    none: NoneOpt = False,
    country: Annotated[
        str | None,
        typer.Option(
            help="Your country code (GB, US, AU, ...): where to get help, and the numbers."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """First run: the safety screen, then placement on a ladder rung."""
    who = need(name, "--name", "Your first name")
    if age is None and interactive():
        age = _ask_age()
    level = need(experience, "--experience", _EXPERIENCE_PROMPT)
    pain_now = need(
        pain, "--pain", "Your back or joint pain right now, 0 (none) to 10 (worst)", int
    )
    flags = ask_flags(flag, none)
    kit = _ask_kit(catalog()) if equipment is None and interactive() else split(equipment)
    data = StartInput(
        name=who,
        ladder_id=ladder,
        experience=check_choice("experience", level, Experience),
        pain_now=pain_now,
        equipment=frozenset(kit),
        flags=frozenset(flags),
        age=age,
        country=country,
    )
    result = coach().start(data)

    def draw() -> None:
        render_start(out, result)
        if result.placement.rung is not None:
            render_today(out, coach().today_view())
            out.print(_NEXT_STEPS)

    answer(StartPublic.of(result), as_json, draw)


class FlagPublic(Public):
    id: str
    urgency: str
    question: str


@app.command()
@guarded
def screen(
    flag: FlagOpt = None,
    none: NoneOpt = False,
    list_flags: Annotated[
        bool, typer.Option("--list", help="List the questions and their ids.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Weekly re-screen for warning signs."""
    if list_flags:
        questions = [
            FlagPublic(id=f.id, urgency=f.urgency.value, question=f.question) for f in FLAGS
        ]

        def draw() -> None:
            for q in questions:
                out.print(escape(f"{q.id:5} {q.urgency:9} {q.question}"))

        answer(questions, as_json, draw)
        return
    outcome = coach().rescreen(frozenset(ask_flags(flag, none)))
    answer(OutcomePublic.of(outcome), as_json, lambda: render_outcome(out, outcome))


@app.command()
@guarded
def today(as_json: JsonOpt = False) -> None:
    """Today's exercise, dose, effort, how often, and why."""
    view = coach().today_view()
    answer(TodayPublic.of(view), as_json, lambda: render_today(out, view))


@app.command()
@guarded
def kit(
    have: Annotated[
        list[str] | None,
        typer.Option(help="Everything you have now, comma separated (what is left out, you lack)."),
    ] = None,
    nothing: Annotated[bool, typer.Option("--nothing", help="You have none of it.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """What you have at home, and what today's step and the next still need; change it
    with --have (or --nothing)."""
    from hingecoach.schemas.pages import KitPage  # only this command needs the page shapes

    if have is not None and nothing:
        raise ValidationError("--have", "either --have or --nothing, not both", "both")
    the_coach = coach()
    changed = have is not None or nothing
    found = the_coach.set_kit(frozenset(split(have))) if changed else the_coach.kit()
    shape = KitPage.of(the_coach.catalog, found)
    answer(shape, as_json, lambda: _render_kit(shape, changed))


def _render_kit(shape: KitPage, changed: bool) -> None:
    if changed:
        out.print("[green]Saved.[/]")
    for e in shape.equipment:
        mark = "[green]yes[/]" if e.id in shape.have else "[dim]no[/] "
        out.print(f"  {mark}  {escape(e.name)} [dim]({e.id})[/]")
    for note in shape.equipment_notes:
        out.print(f"[yellow]![/] {escape(note)}")
    if not shape.equipment_notes:
        out.print("You have what today's step and the next one use.")


@app.command()
@guarded
def status(as_json: JsonOpt = False) -> None:
    """Current step, recent decisions and the morning-pain trend."""
    view = coach().status()
    answer(StatusPublic.of(view), as_json, lambda: render_status(out, view))


@app.command()
@guarded
def history(as_json: JsonOpt = False) -> None:
    """Every session, check-in and decision, oldest first."""
    view = coach().status()
    answer(HistoryPublic.of(view), as_json, lambda: render_history(out, view))


@app.command()
@guarded
def clear(
    by: Annotated[str, typer.Option(help="The clinician who examined and cleared you.")],
    examined: Annotated[
        str, typer.Option(help="The date they examined you, YYYY-MM-DD (not before the sign).")
    ],
    note: Annotated[str, typer.Option(help="What they said.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Record that a clinician examined you and cleared the warning signs; the programme resumes."""
    current = coach()
    outcome = current.clear(by, note, parse_day(examined, current.today, "examined"))
    answer(OutcomePublic.of(outcome), as_json, lambda: render_outcome(out, outcome))


@app.command()
@guarded
def guide() -> None:
    """The guided first session: start (screen and placement) if needed, then today."""
    current = coach()
    if current.has_learner():
        render_today(out, current.today_view())
        return
    welcome = "Welcome to HingeCoach. A few questions first, then today's exercise.\n"
    out.print(Panel(welcome + DISCLAIMER, title="HingeCoach"))
    start(
        name=None, ladder="solving-pain", experience=None, pain=None, age=None,
        equipment=None, flag=None, none=False, country=None, as_json=False,
    )  # fmt: skip
