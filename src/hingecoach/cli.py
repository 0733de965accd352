"""`hinge`: every feature from a terminal. Parses input, calls one service, renders the result.

Exit codes: 0 success, 1 refused input (a HingeError: one line naming the field), 2 usage
error, 3 an internal error (a bug: please report it). Every read command takes `--json`.
When standard input is not a terminal, nothing is asked: a missing value is a usage error.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from hingecoach import formviews, views
from hingecoach.adapters.db.repository import FormEvidence
from hingecoach.adapters.db.store import Store, display_url, open_store
from hingecoach.catalog import Catalog, builtin_catalog, load_ladders
from hingecoach.engine.model import Experience, Quality, SymptomArea
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.screening import DISCLAIMER, FLAGS
from hingecoach.engine.timer import Phase, schedule
from hingecoach.errors import HingeError, StoreError, ValidationError
from hingecoach.services.accounts import Accounts
from hingecoach.services.analysis import (
    Analysis,
    analyse_keypoints,
    analyse_video,
    evidence,
    save_html,
)
from hingecoach.services.coach import CheckInInput, Coach, LogInput, StartInput
from hingecoach.services.validation import check_choice, check_choices, check_int, parse_sets
from hingecoach.settings import Settings, debug_enabled, load_settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="hinge",
    help="HingeCoach: learn the hip hinge safely, one step at a time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
admin_app = typer.Typer(help="Web app accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")

out = Console(highlight=False)
# soft_wrap: an error is one line however long, whatever the terminal width.
err = Console(stderr=True, highlight=False, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class _Ctx:
    settings: Settings
    store: Store | None = None


_ctx = _Ctx()


def _fail(message: str, code: int) -> typer.Exit:
    """Print one plain line on stderr (never read as markup) and return the exit to raise."""
    err.print(Text.assemble(("error:", "bold red"), " ", message))
    return typer.Exit(code)


# What to type, for refusals whose message is the same at every door.
_HINTS = {"already_logged_today": "add --another to save it as another session today"}


def _errors(fn: F) -> F:
    """Turn a HingeError into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except HingeError as exc:
            hint = _HINTS.get(exc.code)
            raise _fail(f"{exc}; {hint}" if hint else str(exc), 1) from None

    return wrapper  # type: ignore[return-value]


def _close_store() -> None:
    store, _ctx.store = _ctx.store, None
    if store is not None:
        store.dispose()


@app.callback()
@_errors
def _global(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file path or URL (default: HINGE_DATABASE_URL, else the user data folder).",
        ),
    ] = None,
) -> None:
    _close_store()
    _ctx.settings = load_settings(db)
    ctx.call_on_close(_close_store)


def _catalog() -> Catalog:
    catalog = builtin_catalog()
    path = _ctx.settings.ladders_file
    if path is not None:
        catalog = catalog.with_ladders(load_ladders(path, catalog.exercises))
    return catalog


def _store() -> Store:
    """The command's store, opened (and migrated) once; closed when the command ends."""
    if _ctx.store is None:
        settings = _ctx.settings
        if settings.default_database:
            try:
                settings.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"database: cannot create the data folder {settings.data_dir} ({exc.strerror})"
                ) from None
        _ctx.store = open_store(settings.database_url)
    return _ctx.store


def _coach() -> Coach:
    return Coach(_store(), _catalog(), _ctx.settings.today())


def _emit(data: Any) -> None:
    out.print_json(json.dumps(data, default=str)) if sys.stdout.isatty() else print(
        json.dumps(data, indent=2, default=str)
    )


def _interactive() -> bool:
    return sys.stdin.isatty()


def _need(value: Any, option: str, prompt: str, kind: type = str) -> Any:
    """A value from its option, else a prompt on a terminal, else a usage error (exit 2)."""
    if value is not None:
        return value
    if not _interactive():
        raise _fail(
            f"missing option {option} (standard input is not a terminal, so nothing is asked)", 2
        )
    if kind is bool:
        return typer.confirm(prompt)
    return typer.prompt(prompt, type=kind)


def _split(values: list[str] | None) -> list[str]:
    return [part for v in values or [] for part in v.split(",") if part.strip()]


def _parse_day(raw: str | None, today: date, field: str = "date") -> date:
    if raw is None:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(field, "a date as YYYY-MM-DD", raw) from None


def _symptoms(
    area: str | None, quality: list[str] | None
) -> tuple[SymptomArea, frozenset[Quality]]:
    """Symptoms from the options; on a terminal, asked when not given (they drive safety rules)."""
    if area is None and _interactive():
        area = typer.prompt(
            "Where did you feel symptoms? none, back, buttock-thigh, below-knee", default="none"
        )
    if quality is None and _interactive() and area not in (None, "none"):
        answer = typer.prompt(
            "What did it feel like? stretch, burning, pain (spreading or shooting), "
            "tingling (pins and needles), numbness, weakness (comma separated)",
            default="",
            show_default=False,
        )
        quality = [answer]
    where = check_choice("area", area or "none", SymptomArea)
    return where, check_choices("quality", _split(quality), Quality)


def _yes_no(field: str, raw: str, count: int) -> tuple[bool, ...]:
    """'yes,no,yes' in order, or 'all' (every item yes) or 'none' (every item no)."""
    if raw.strip().lower() in {"all", "none"}:
        return (raw.strip().lower() == "all",) * count
    answers = []
    for item in raw.split(","):
        word = item.strip().lower()
        if word not in {"y", "yes", "n", "no"}:
            raise ValidationError(
                field, "yes/no answers separated by commas, or all, or none", item.strip()
            )
        answers.append(word.startswith("y"))
    return tuple(answers)


# -- catalog -----------------------------------------------------------------------------


@app.command()
@_errors
def ladders(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Check a custom ladder file and list its ladders too."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the ladders: built-in ones and any from HINGE_LADDERS_FILE (or --file)."""
    catalog = _catalog()
    if file is not None:
        catalog = catalog.with_ladders(load_ladders(file, catalog.exercises))
    data = [views.ladder_json(lad, catalog) for lad in catalog.ladders.values()]
    if as_json:
        _emit(data)
        return
    for lad in data:
        table = Table(
            title=escape(f"{lad['name']} ({lad['id']})"),
            caption=escape(lad["source"]),
            show_lines=False,
        )
        table.add_column("step", justify="right")
        table.add_column("exercise")
        table.add_column("id")
        for n, step in enumerate(lad["steps"], start=1):
            table.add_row(str(n), escape(step["label"] or step["name"]), escape(step["id"]))
        out.print(table)


@app.command()
@_errors
def exercises(as_json: JsonOpt = False) -> None:
    """List every exercise in the catalog."""
    catalog = _catalog()
    data = [views.exercise_summary(ex) for ex in catalog.exercises.values()]
    if as_json:
        _emit(data)
        return
    table = Table(title="Exercises")
    for col in ("id", "name", "stage", "equipment", "loaded"):
        table.add_column(col)
    for ex in data:
        table.add_row(
            escape(ex["id"]),
            escape(ex["name"]),
            ex["stage"],
            escape(", ".join(ex["equipment"]) or "-"),
            "yes" if ex["loaded"] else "no",
        )
    out.print(table)


@app.command()
@_errors
def exercise(
    key: Annotated[str, typer.Argument(help="Exercise id, name or alias.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one exercise: setup, cues, common faults and the self-check."""
    ex = _catalog().exercise(key)
    data = views.exercise_detail(ex)
    if as_json:
        _emit(data)
        return
    out.print(
        Panel(
            Text(ex.purpose),
            title=escape(f"{ex.name} ({ex.id})"),
            subtitle=f"stage: {ex.stage.value}",
        )
    )
    _bullets("Setup", ex.setup)
    _bullets("Cues", ex.cues)
    _bullets("Common faults", [f"{f.what} Fix: {f.fix}" for f in ex.faults])
    _bullets("Self-check (answer yes or no after each session)", ex.self_check)
    out.print(
        escape(f"Equipment: {', '.join(ex.equipment) or 'none'}   Camera view: {ex.camera_view}")
    )


def _bullets(title: str, items: Any) -> None:
    out.print(f"[bold]{escape(title)}[/]")
    for item in items:
        out.print(f"  • {escape(str(item))}")


# -- programme ---------------------------------------------------------------------------


def _ask_flags() -> list[str]:
    out.print("[bold]Safety questions[/] (answer honestly; this is a safety net, not a diagnosis)")
    return [f.id for f in FLAGS if typer.confirm(f"  {f.question}", default=False)]


def _flags(flag: list[str] | None, none: bool, interactive_default: bool = True) -> list[str]:
    given = _split(flag)
    if given or none:
        return given
    if _interactive() and interactive_default:
        return _ask_flags()
    raise _fail("answer the safety screen with --flag ID (repeatable) or --none", 2)


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


def _ask_age() -> int | None:
    raw = typer.prompt("Your age in years (press Enter to skip)", default="", show_default=False)
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError("age", "a whole number 16-110", raw) from None


def _ask_kit(catalog: Catalog) -> list[str]:
    out.print("[bold]Your kit[/] (steps that need kit you lack get a suggested stand-in)")
    return [
        q.id
        for q in catalog.equipment.values()
        if typer.confirm(f"  Do you have: {q.name}?", default=q.id in {"wall", "mat"})
    ]


@app.command()
@_errors
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
    who = _need(name, "--name", "Your first name")
    if age is None and _interactive():
        age = _ask_age()
    level = _need(experience, "--experience", _EXPERIENCE_PROMPT)
    pain_now = _need(
        pain, "--pain", "Your back or joint pain right now, 0 (none) to 10 (worst)", int
    )
    flags = _flags(flag, none)
    kit = _split(equipment)
    if equipment is None and _interactive():
        kit = _ask_kit(_catalog())
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
    result = _coach().start(data)
    if as_json:
        _emit(views.start_json(result))
        return
    views.render_start(out, result)
    if result.placement.rung is not None:
        views.render_today(out, _coach().today_view())
        out.print(_NEXT_STEPS)


@app.command()
@_errors
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
        data = [{"id": f.id, "urgency": f.urgency.value, "question": f.question} for f in FLAGS]
        if as_json:
            _emit(data)
        else:
            for item in data:
                out.print(escape(f"{item['id']:5} {item['urgency']:9} {item['question']}"))
        return
    outcome = _coach().rescreen(frozenset(_flags(flag, none)))
    if as_json:
        _emit(views.outcome_json(outcome))
        return
    views.render_outcome(out, outcome)


@app.command()
@_errors
def today(as_json: JsonOpt = False) -> None:
    """Today's exercise, dose, effort, how often, and why."""
    view = _coach().today_view()
    if as_json:
        _emit(views.today_json(view))
        return
    views.render_today(out, view)


@app.command()
@_errors
def timer(
    sets: Annotated[int | None, typer.Option(help="Sets (default: today's prescription).")] = None,
    work: Annotated[int | None, typer.Option(help="Seconds of work per set.")] = None,
    rest: Annotated[int | None, typer.Option(help="Seconds of rest between sets.")] = None,
    ready: Annotated[int, typer.Option(help="Get-ready countdown in seconds.")] = 5,
    quiet: Annotated[bool, typer.Option(help="No terminal bell.")] = False,
) -> None:
    """Interval timer in the terminal: get ready, work, rest, with a cue each set. Ctrl-C stops."""
    cues: tuple[str, ...] = ()
    if sets is None or work is None or rest is None:
        view = _coach().today_view()
        rx = view.prescription
        if rx is None:
            raise ValidationError(
                "timer", "a programme that is not stopped", "stopped by the safety screen"
            )
        sets = sets if sets is not None else rx.sets
        work = work if work is not None else rx.work_seconds
        rest = rest if rest is not None else rx.rest_seconds
        cues = view.rungs[rx.rung].cues
    phases = schedule(sets, work, rest, ready, cues)
    try:
        _play(phases, quiet)
    except KeyboardInterrupt:
        out.print("\n[yellow]Timer stopped.[/] Log what you did with `hinge log`.")
        raise typer.Exit(0) from None


def _play(phases: tuple[Phase, ...], quiet: bool) -> None:
    bell = "" if quiet else "\a"
    with Live(console=out, refresh_per_second=4, transient=False) as live:
        for phase in phases:
            end = time.monotonic() + phase.seconds
            sys.stdout.write(bell)
            while (left := end - time.monotonic()) > 0:
                live.update(views.timer_panel(phase, int(left + 0.999)))
                time.sleep(min(0.25, left))
            live.update(views.timer_panel(phase, 0))
    out.print(f"{bell}[bold green]Done.[/] Now log it: `hinge log`.")


@app.command()
@_errors
def log(
    day: Annotated[
        str | None, typer.Option("--date", help="Session date YYYY-MM-DD (default today).")
    ] = None,
    exercise: Annotated[str | None, typer.Option(help="Exercise done, if not today's.")] = None,
    video: Annotated[
        Path | None,
        typer.Option(help="A clip of this session (or its .npz keypoints) for a video form check."),
    ] = None,
    pain_before: Annotated[int | None, typer.Option(help="Pain before, 0-10.")] = None,
    pain_during: Annotated[int | None, typer.Option(help="Highest pain during, 0-10.")] = None,
    pain_after: Annotated[int | None, typer.Option(help="Pain right after, 0-10.")] = None,
    sets: Annotated[
        str | None, typer.Option(help="Work per set: reps '10,10,9' or seconds '45s,45s'.")
    ] = None,
    load: Annotated[
        float | None, typer.Option(help="Load: kg, or band level for banded steps.")
    ] = None,
    rpe: Annotated[float | None, typer.Option(help="Effort 0-10 (10 = nothing left).")] = None,
    area: Annotated[
        str | None,
        typer.Option(help="Where symptoms were felt: none, back, buttock-thigh, below-knee."),
    ] = None,
    quality: Annotated[
        list[str] | None,
        typer.Option(
            help="What it felt like: stretch, burning, pain, tingling, numbness, weakness "
            "(comma separated)."
        ),
    ] = None,
    faded: Annotated[
        bool,
        typer.Option(
            "--faded",
            "--burning-faded",
            help="The symptom faded within a couple of minutes of rest.",
        ),
    ] = False,
    another: Annotated[
        bool,
        typer.Option(
            "--another",
            help="Yes, this is another session on a day that already has one (it counts once).",
        ),
    ] = False,
    uncued: Annotated[
        bool | None,
        typer.Option(
            "--uncued/--cued", help="First set done from memory, without reading the cues."
        ),
    ] = None,
    self_check: Annotated[
        str | None, typer.Option(help="Self-check answers in order (yes,yes,no), or all / none.")
    ] = None,
    faults: Annotated[int, typer.Option(help="Faults you noticed.")] = 0,
    flag: FlagOpt = None,
    note: Annotated[str, typer.Option(help="A note for yourself or your clinician.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Log a session: pain before, during and after, work done, symptoms, self-check."""
    coach = _coach()
    view = coach.today_view()
    when = _parse_day(day, coach.today)
    items = (
        view.rungs[view.state.rung].self_check
        if exercise is None
        else coach.catalog.exercise(exercise).self_check
    )
    pains = [
        _need(pain_before, "--pain-before", "Pain before you started (0-10)", int),
        _need(pain_during, "--pain-during", "Highest pain during (0-10)", int),
        _need(pain_after, "--pain-after", "Pain right after (0-10)", int),
    ]
    work = parse_sets(
        _need(sets, "--sets", "Work per set (reps like 10,10 or seconds like 45s,45s)")
    )
    where, kinds = _symptoms(area, quality)
    first_uncued = _need(
        uncued, "--uncued/--cued", "Was your first set done from memory, without the cues?", bool
    )
    if self_check is None and _interactive():
        out.print("[bold]Self-check[/] (yes only if it was true for the whole session)")
        checks = tuple(typer.confirm(f"  {q}", default=False) for q in items)
    else:
        checks = _yes_no("self_check", self_check, len(items)) if self_check else ()
    data = LogInput(
        day=when,
        exercise=exercise,
        pain_before=pains[0],
        pain_during=pains[1],
        pain_after=pains[2],
        sets=work,
        load=load,
        rpe=rpe,
        area=where,
        qualities=kinds,
        faded=faded,
        first_set_uncued=bool(first_uncued),
        self_check=checks,
        faults=faults,
        flags=frozenset(_split(flag)),
        note=note,
        another_today=another,
    )
    form = _form_check(coach, exercise, video, quiet=as_json) if video is not None else None
    outcome = coach.log(data, form)
    if form is not None and not as_json:
        out.print(
            f"Video form check: {form.reps} reps, {form.faults} faults"
            + (
                ""
                if form.judged
                else f" (not judged: {escape(str((form.report.get('refusal') or {}).get('reason')))})"
            )
        )
    if as_json:
        _emit(views.outcome_json(outcome))
        return
    views.render_outcome(out, outcome)


@app.command()
@_errors
def checkin(
    pain: Annotated[int | None, typer.Option(help="Pain this morning, 0-10.")] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Date YYYY-MM-DD (default today).")
    ] = None,
    area: Annotated[str | None, typer.Option(help="none, back, buttock-thigh, below-knee.")] = None,
    quality: Annotated[
        list[str] | None,
        typer.Option(help="stretch, burning, pain, tingling, numbness, weakness."),
    ] = None,
    soreness: Annotated[
        bool, typer.Option(help="It is aching in the worked muscles, not your usual pain.")
    ] = False,
    flag: FlagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Next-morning check-in: how is the pain today?"""
    coach = _coach()
    when = _parse_day(day, coach.today)
    morning = _need(pain, "--pain", "Pain this morning (0-10)", int)
    where, kinds = _symptoms(area, quality)
    data = CheckInInput(
        day=when,
        pain=morning,
        area=where,
        qualities=kinds,
        soreness=soreness,
        flags=frozenset(_split(flag)),
    )
    outcome = coach.checkin(data)
    if as_json:
        _emit(views.outcome_json(outcome))
        return
    views.render_outcome(out, outcome)


@app.command()
@_errors
def status(as_json: JsonOpt = False) -> None:
    """Current step, recent decisions and the morning-pain trend."""
    view = _coach().status()
    if as_json:
        _emit(views.status_json(view))
        return
    views.render_status(out, view)


@app.command()
@_errors
def history(as_json: JsonOpt = False) -> None:
    """Every session, check-in and decision, oldest first."""
    view = _coach().status()
    if as_json:
        _emit(views.history_json(view))
        return
    views.render_history(out, view)


@app.command()
@_errors
def clear(
    by: Annotated[str, typer.Option(help="The clinician who examined and cleared you.")],
    examined: Annotated[
        str, typer.Option(help="The date they examined you, YYYY-MM-DD (not before the sign).")
    ],
    note: Annotated[str, typer.Option(help="What they said.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Record that a clinician examined you and cleared the warning signs; the programme resumes."""
    coach = _coach()
    outcome = coach.clear(by, note, _parse_day(examined, coach.today, "examined"))
    if as_json:
        _emit(views.outcome_json(outcome))
        return
    views.render_outcome(out, outcome)


@app.command()
@_errors
def guide() -> None:
    """The guided first session: start (screen and placement) if needed, then today."""
    coach = _coach()
    if not coach.has_learner():
        out.print(
            Panel(
                "Welcome to HingeCoach. A few questions first, then today's exercise.\n"
                + DISCLAIMER,
                title="HingeCoach",
            )
        )
        start(
            name=None,
            ladder="solving-pain",
            experience=None,
            pain=None,
            age=None,
            equipment=None,
            flag=None,
            none=False,
            as_json=False,
        )
        return
    views.render_today(out, coach.today_view())


@app.command()
@_errors
def analyze(
    video: Annotated[
        Path | None, typer.Argument(help="A phone clip of one set, filmed side on at hip height.")
    ] = None,
    exercise: Annotated[
        str | None, typer.Option(help="Exercise id or name (see `hinge exercises`).")
    ] = None,
    keypoints: Annotated[
        Path | None,
        typer.Option(
            help="Analyse a saved keypoint file instead of a clip (no pose model needed)."
        ),
    ] = None,
    keypoints_out: Annotated[
        Path | None, typer.Option(help="Save the clip's keypoints to this .npz file.")
    ] = None,
    html_out: Annotated[
        Path | None,
        typer.Option("--out", help="Write an HTML report with key frames and angle charts."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Form check from video: reps, hinge or squat, depth, knee bend, trunk line, tempo, lockout."""
    if (video is None) == (keypoints is None):
        err.print("error: give either a VIDEO or --keypoints FILE")
        raise typer.Exit(2)
    exercise_id = _need(exercise, "--exercise", "Exercise id (see `hinge exercises`)")
    catalog = _catalog()
    if keypoints is not None:
        result = analyse_keypoints(catalog, exercise_id, keypoints)
    else:
        assert video is not None
        result = _analyse_with_progress(catalog, exercise_id, video, keypoints_out, quiet=as_json)
    data = formviews.analysis_json(result)
    if html_out is not None:
        save_html(result, data, html_out)
    if as_json:
        _emit(data)
    else:
        formviews.render_analysis(out, result)
        if html_out is not None:
            out.print(f"Report written to {escape(str(html_out))}")


def _form_check(coach: Coach, exercise: str | None, clip: Path, quiet: bool) -> FormEvidence:
    """Analyse the session's clip for the exercise being logged; keep report and keypoints."""
    exercise_id = coach.exercise_to_log(exercise)
    policy = coach.today_view().policy  # the learner's own mastery fault rate (rule M4)
    if clip.suffix.lower() in {".npz", ".json"}:
        result = analyse_keypoints(coach.catalog, exercise_id, clip, policy)
    else:
        result = _analyse_with_progress(coach.catalog, exercise_id, clip, None, quiet, policy)
    return evidence(result, formviews.analysis_json(result))


def _analyse_with_progress(
    catalog: Catalog,
    exercise_id: str,
    video: Path,
    keypoints_out: Path | None,
    quiet: bool,
    policy: Policy = DEFAULT_POLICY,
) -> Analysis:
    # The pose model silences file descriptor 2 while it runs; draw on a copy of it.
    with os.fdopen(os.dup(2), "w") as handle:
        progress = Progress(
            TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TextColumn("frames"),
            TimeRemainingColumn(), console=Console(file=handle, highlight=False),
            disable=quiet or not err.is_terminal,
        )  # fmt: skip
        with progress:
            task = progress.add_task("pose", total=None)
            return analyse_video(
                catalog, exercise_id, video, keypoints_out,
                on_start=lambda total: progress.update(task, total=total),
                on_frame=lambda n: progress.advance(task, n), policy=policy,
            )  # fmt: skip


@app.command()
@_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for the whole network).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (1-65535).")] = 8000,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file path or URL (overrides the global --db)."),
    ] = None,
) -> None:
    """Run the web app: learner and clinician pages, and the JSON API under /api/v1."""
    import uvicorn

    from hingecoach.web import create_app

    check_int("port", port, 1, 65535)
    if db is not None:
        _close_store()
        _ctx.settings = load_settings(db)
    web = create_app(_ctx.settings, _store(), _catalog())
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    out.print(f"HingeCoach is running at [bold]http://{shown}:{port}[/] (Ctrl-C stops)")
    out.print(escape(f"Database: {_store().where()}"))
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


@admin_app.command("create")
@_errors
def admin_create(
    email: Annotated[str, typer.Option(help="The admin's email (their sign-in).")],
    name: Annotated[str, typer.Option(help="The admin's name.")],
    clinic: Annotated[str, typer.Option(help="Name of the clinic this admin starts.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Password (asked if not given).",
        ),
    ],
) -> None:
    """Create an admin account: sees every clinic's learners in the web app."""
    actor = Accounts(_store()).make_admin(email, password, name, clinic)
    out.print(escape(f"Admin {actor.email} created; sign in at the web app (`hinge serve`)."))


@db_app.command("upgrade")
@_errors
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    store = _store()
    out.print(escape(f"Database is at schema {store.current()}: {store.where()}"))


@db_app.command("path")
@_errors
def db_path() -> None:
    """Print the database URL in use (password hidden)."""
    print(display_url(_ctx.settings.database_url))


@contextmanager
def _no_trace() -> Iterator[None]:
    try:
        yield
    except (typer.Exit, SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug: one line, never a stack trace, unless HINGE_DEBUG
        if debug_enabled():
            raise
        text = " ".join(str(exc).split())
        err.print(
            Text(
                f"internal error: {exc.__class__.__name__}: {text} (set HINGE_DEBUG=1 for details)"
            )
        )
        raise SystemExit(3) from None


def main() -> None:
    with _no_trace():
        app()
