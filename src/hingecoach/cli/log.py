"""`hinge log` and `hinge checkin`: what the learner reports, asked on a terminal when not given."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from hingecoach.adapters.db.records import VideoEvidence
from hingecoach.cli.app import (
    JsonOpt,
    answer,
    app,
    coach,
    guarded,
    interactive,
    need,
    out,
    parse_day,
    split,
)
from hingecoach.cli.programme import FlagOpt
from hingecoach.cli.render import render_outcome
from hingecoach.engine.model import Quality, SymptomArea
from hingecoach.errors import ValidationError
from hingecoach.schemas.programme import OutcomePublic
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput
from hingecoach.services.validation import check_choice, check_choices, parse_sets

__all__ = ["checkin", "log"]

AreaOpt = Annotated[
    str | None,
    typer.Option(
        help="Where you felt anything besides your usual back pain: none, back, buttock-thigh, below-knee."
    ),
]
QualityOpt = Annotated[
    list[str] | None,
    typer.Option(
        help="What it felt like: stretch, burning, pain, tingling, numbness, weakness (comma separated)."
    ),
]


DateOpt = Annotated[
    str | None, typer.Option("--date", help="Session date YYYY-MM-DD (default today).")
]
ExerciseOpt = Annotated[str | None, typer.Option(help="Exercise done, if not today's.")]
VideoOpt = Annotated[
    Path | None,
    typer.Option(help="A clip of this session (or its .npz keypoints) for a video form check."),
]
SetsOpt = Annotated[
    str | None, typer.Option(help="Work per set: reps '10,10,9' or seconds '45s,45s'.")
]
LoadOpt = Annotated[float | None, typer.Option(help="Load: kg, or band level for banded steps.")]
FadedOpt = Annotated[
    bool,
    typer.Option(
        "--faded", "--burning-faded", help="The symptom faded within a couple of minutes of rest."
    ),
]
AnotherOpt = Annotated[
    bool,
    typer.Option(
        "--another",
        help="Yes, this is another session on a day that already has one (it counts once).",
    ),
]
UncuedOpt = Annotated[
    bool | None,
    typer.Option("--uncued/--cued", help="First set done from memory, without reading the cues."),
]
SelfCheckOpt = Annotated[
    str | None, typer.Option(help="Self-check answers in order (yes,yes,no), or all / none.")
]


def _symptoms(
    area: str | None, quality: list[str] | None
) -> tuple[SymptomArea, frozenset[Quality]]:
    """Symptoms from the options; on a terminal, asked when not given (they drive safety rules)."""
    if area is None and interactive():
        area = typer.prompt(
            "Where did you feel anything besides your usual back pain? "
            "none, back, buttock-thigh, below-knee",
            default="none",
        )
    if quality is None and interactive() and area not in (None, "none"):
        said = typer.prompt(
            "What did it feel like? stretch, burning, pain (spreading or shooting), "
            "tingling (pins and needles), numbness, weakness (comma separated)",
            default="",
            show_default=False,
        )
        quality = [said]
    where = check_choice("area", area or "none", SymptomArea)
    return where, check_choices("quality", split(quality), Quality)


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


def _self_check(current: Coach, exercise: str | None, raw: str | None) -> tuple[bool, ...]:
    """The self-check answers, asked item by item on a terminal when not given."""
    view = current.today_view()
    own = view.rungs[view.state.rung]
    items = own.self_check if exercise is None else current.catalog.exercise(exercise).self_check
    if raw is None and interactive():
        out.print("[bold]Self-check[/] (yes only if it was true for the whole session)")
        return tuple(typer.confirm(f"  {q}", default=False) for q in items)
    return _yes_no("self_check", raw, len(items)) if raw else ()


def _pains(before: int | None, during: int | None, after: int | None) -> tuple[int, int, int]:
    return (
        need(before, "--pain-before", "Pain before you started (0-10)", int),
        need(during, "--pain-during", "Highest pain during (0-10)", int),
        need(after, "--pain-after", "Pain right after (0-10)", int),
    )


def _video_line(video: VideoEvidence) -> str:
    line = f"Video form check: {video.reps} reps, {video.faults} faults"
    if video.judged:
        return line
    reason = (video.report.get("refusal") or {}).get("reason")
    return f"{line} (not judged: {escape(str(reason))})"


@app.command()
@guarded
def log(
    day: DateOpt = None,
    exercise: ExerciseOpt = None,
    video: VideoOpt = None,
    pain_before: Annotated[int | None, typer.Option(help="Pain before, 0-10.")] = None,
    pain_during: Annotated[int | None, typer.Option(help="Highest pain during, 0-10.")] = None,
    pain_after: Annotated[int | None, typer.Option(help="Pain right after, 0-10.")] = None,
    sets: SetsOpt = None,
    load: LoadOpt = None,
    rpe: Annotated[float | None, typer.Option(help="Effort 0-10 (10 = nothing left).")] = None,
    area: AreaOpt = None,
    quality: QualityOpt = None,
    faded: FadedOpt = False,
    another: AnotherOpt = False,
    uncued: UncuedOpt = None,
    self_check: SelfCheckOpt = None,
    faults: Annotated[int, typer.Option(help="Faults you noticed.")] = 0,
    flag: FlagOpt = None,
    note: Annotated[str, typer.Option(help="A note for yourself or your clinician.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Log a session: pain before, during and after, work done, symptoms, self-check."""
    current = coach()
    before, during, after = _pains(pain_before, pain_during, pain_after)
    work = parse_sets(
        need(sets, "--sets", "Work per set (reps like 10,10 or seconds like 45s,45s)")
    )
    where, kinds = _symptoms(area, quality)
    first = need(
        uncued, "--uncued/--cued", "Was your first set done from memory, without the cues?", bool
    )
    data = LogInput(
        day=parse_day(day, current.today), exercise=exercise, pain_before=before,
        pain_during=during, pain_after=after, sets=work, load=load, rpe=rpe, area=where,
        qualities=kinds, faded=faded, first_set_uncued=bool(first),
        self_check=_self_check(current, exercise, self_check), faults=faults,
        flags=frozenset(split(flag)), note=note, another_today=another,
    )  # fmt: skip
    evidence = None
    if video is not None:
        from hingecoach.cli.video import form_check  # the vision stack, only when needed

        evidence = form_check(current, exercise, video, quiet=as_json)
    outcome = current.log(data, evidence)

    def draw() -> None:
        if evidence is not None:
            out.print(_video_line(evidence))
        render_outcome(out, outcome)

    answer(OutcomePublic.of(outcome), as_json, draw)


@app.command()
@guarded
def checkin(
    pain: Annotated[int | None, typer.Option(help="Pain this morning, 0-10.")] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Date YYYY-MM-DD (default today).")
    ] = None,
    area: Annotated[str | None, typer.Option(help="none, back, buttock-thigh, below-knee.")] = None,
    quality: Annotated[
        list[str] | None, typer.Option(help="stretch, burning, pain, tingling, numbness, weakness.")
    ] = None,
    soreness: Annotated[
        bool, typer.Option(help="It is aching in the worked muscles, not your usual pain.")
    ] = False,
    flag: FlagOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Next-morning check-in: how is the pain today?"""
    current = coach()
    morning = need(pain, "--pain", "Pain this morning (0-10)", int)
    where, kinds = _symptoms(area, quality)
    data = CheckInInput(
        day=parse_day(day, current.today),
        pain=morning,
        area=where,
        qualities=kinds,
        soreness=soreness,
        flags=frozenset(split(flag)),
    )
    outcome = current.checkin(data)
    answer(OutcomePublic.of(outcome), as_json, lambda: render_outcome(out, outcome))
