"""`hinge analyze` and the form check `hinge log --video` attaches. The vision stack (OpenCV,
MediaPipe, scipy) is imported here only, so every other command starts at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from hingecoach.adapters.db.records import VideoEvidence
from hingecoach.adapters.pose_options import COMPLEXITY, PoseOptions
from hingecoach.catalog import Catalog
from hingecoach.cli.app import JsonOpt, answer, app, catalog, err, guarded, need, out, settings
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError
from hingecoach.services.coach import Coach

if TYPE_CHECKING:
    from hingecoach.services.analysis import Analysis

__all__ = ["analyze", "form_check"]


@app.command()
@guarded
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
    model: Annotated[
        str | None,
        typer.Option(
            help="Pose model: full, or heavy (slower, steadier). Default HINGE_POSE_MODEL."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Form check from video: reps, hinge or squat, depth, knee bend, trunk line, tempo, lockout."""
    from hingecoach.cli.render_video import render_analysis
    from hingecoach.schemas.video import VideoCheckPublic
    from hingecoach.services.analysis import analyse_keypoints, save_html

    if (video is None) == (keypoints is None):
        err.print("error: give either a VIDEO or --keypoints FILE")
        raise typer.Exit(2)
    exercise_id = need(exercise, "--exercise", "Exercise id (see `hinge exercises`)")
    found = catalog()
    if keypoints is not None:
        result = analyse_keypoints(found, exercise_id, keypoints)
    else:
        assert video is not None
        options = _pose_options(model)
        result = _with_progress(found, exercise_id, video, keypoints_out, as_json, options=options)
    data = VideoCheckPublic.of(result)
    if html_out is not None:
        save_html(result, data.model_dump(mode="json"), html_out)

    def draw() -> None:
        render_analysis(out, result)
        if html_out is not None:
            out.print(f"Report written to {escape(str(html_out))}")

    answer(data, as_json, draw)


def form_check(current: Coach, exercise: str | None, clip: Path, quiet: bool) -> VideoEvidence:
    """Analyse the session's clip for the exercise being logged; keep report and keypoints."""
    from hingecoach.schemas.video import VideoCheckPublic
    from hingecoach.services.analysis import analyse_keypoints, evidence

    exercise_id = current.exercise_to_log(exercise)
    policy = current.today_view().policy  # the learner's own mastery fault rate (rule M4)
    if clip.suffix.lower() in {".npz", ".json"}:
        result = analyse_keypoints(current.catalog, exercise_id, clip, policy)
    else:
        result = _with_progress(
            current.catalog, exercise_id, clip, None, quiet, policy, _pose_options(None)
        )
    return evidence(result, VideoCheckPublic.of(result).model_dump(mode="json"))


def _pose_options(model: str | None) -> PoseOptions:
    """The settings' model and trackers, the model as --model names it when given."""
    current = settings()
    chosen = (model or current.pose_model).strip().lower()
    if chosen not in COMPLEXITY:
        raise ValidationError("--model", N_("one of {allowed}"), model, allowed="full, heavy")
    return PoseOptions(model=chosen, workers=current.pose_workers)


def _with_progress(
    found: Catalog,
    exercise_id: str,
    video: Path,
    keypoints_out: Path | None,
    quiet: bool,
    policy: Policy = DEFAULT_POLICY,
    options: PoseOptions | None = None,
) -> Analysis:
    from hingecoach.services.analysis import Progress as Hooks
    from hingecoach.services.analysis import analyse_video

    # The pose model silences file descriptor 2 while it runs; draw on a copy of it.
    with os.fdopen(os.dup(2), "w") as handle:
        progress = Progress(
            TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TextColumn("frames"),
            TimeRemainingColumn(), console=Console(file=handle, highlight=False),
            disable=quiet or not err.is_terminal,
        )  # fmt: skip
        with progress:
            task = progress.add_task("pose", total=None)
            hooks = Hooks(
                on_start=lambda total: progress.update(task, total=total),
                on_frame=lambda n: progress.advance(task, n),
            )
            return analyse_video(
                found, exercise_id, video, keypoints_out, hooks, policy, options=options
            )
