"""Use case: analyse a clip (or saved keypoints) for one exercise of the catalog.

The pose model runs only here, through the adapter; everything after it is the pure
`motion.analysis.analyze`, so a keypoint file gives the same report as the clip it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hingecoach.adapters.db.records import VideoEvidence
from hingecoach.adapters.keypoints import keypoints_bytes, read_keypoints, write_keypoints
from hingecoach.adapters.pose_options import PoseOptions
from hingecoach.adapters.video import VideoLimits
from hingecoach.catalog import Catalog, Exercise, check_spec_for
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.errors import ValidationError
from hingecoach.motion.analysis import FormReport, analyze
from hingecoach.motion.pose import PoseSequence

__all__ = [
    "Analysis",
    "Progress",
    "analyse_keypoints",
    "analyse_video",
    "evidence",
    "evidence_of",
    "judge_pose",
    "save_html",
    "visuals",
]


@dataclass(frozen=True)
class Analysis:
    exercise: Exercise
    report: FormReport
    pose: PoseSequence
    video: Path | None


def judge_pose(
    catalog: Catalog,
    exercise_id: str,
    pose: PoseSequence,
    video: Path | None,
    policy: Policy = DEFAULT_POLICY,
) -> Analysis:
    """The learner's own mastery fault rate (rule M4) decides when video faults contradict
    a self-check item; a clip analysed alone uses the default."""
    exercise = catalog.exercise(exercise_id)
    spec = check_spec_for(exercise)
    report = analyze(pose, spec, exercise.self_check, policy.max_faults_per_10)
    return Analysis(exercise, report, pose, video)


@dataclass(frozen=True)
class Progress:
    """Who to tell how far the pose model has got: the frame count, then frames as they go."""

    on_start: Callable[[int], None] | None = None
    on_frame: Callable[[int], None] | None = None


def analyse_video(
    catalog: Catalog,
    exercise_id: str,
    video: Path,
    keypoints_out: Path | None = None,
    progress: Progress | None = None,
    policy: Policy = DEFAULT_POLICY,
    limits: VideoLimits | None = None,
    options: PoseOptions | None = None,
) -> Analysis:
    """Probe, run the pose model, optionally save the keypoints, then judge."""
    from hingecoach.adapters.pose import estimate
    from hingecoach.adapters.video import probe

    exercise = catalog.exercise(exercise_id)  # an unknown id fails before the model runs
    bounds = limits or VideoLimits()
    info = probe(video, bounds)
    hooks = progress or Progress()
    if hooks.on_start is not None:
        hooks.on_start(info.frame_count)
    pose = estimate(info, hooks.on_frame, bounds, options)
    if keypoints_out is not None:
        write_keypoints(pose, keypoints_out)
    return judge_pose(catalog, exercise.id, pose, video, policy)


def analyse_keypoints(
    catalog: Catalog, exercise_id: str, keypoints: Path, policy: Policy = DEFAULT_POLICY
) -> Analysis:
    return judge_pose(catalog, exercise_id, read_keypoints(keypoints), None, policy)


def save_html(analysis: Analysis, data: dict[str, Any], path: Path) -> None:
    """Write the HTML report (key frames from the clip when there is one)."""
    from hingecoach.adapters.video_report import write_html_report

    events = [(e.start, e.bottom, e.end) for e in analysis.report.events]
    try:
        write_html_report(data, analysis.pose, events, analysis.video, path)
    except OSError as exc:
        raise ValidationError("out", "a writable file path", f"{path} ({exc.strerror})") from None


def visuals(analysis: Analysis) -> dict[str, Any]:
    """What a page shows besides the report: key frames (from the clip, while it is still
    there) and the angle chart."""
    from hingecoach.adapters.video_report import angle_chart, key_frames

    events = [(e.start, e.bottom, e.end) for e in analysis.report.events]
    return {
        "frames": key_frames(analysis.pose, events, analysis.video),
        "chart": angle_chart(analysis.pose, events),
    }


_STATUS = {"supported": True, "contradicted": False}


def evidence(analysis: Analysis, data: dict[str, Any]) -> VideoEvidence:
    """What a session keeps of a form check: counts, per-item verdicts, report, keypoints."""
    return evidence_of(data, keypoints_bytes(analysis.pose))


def evidence_of(data: dict[str, Any], keypoints: bytes | None) -> VideoEvidence:
    """The same from a report in the `hinge analyze --json` shape (a web form check's)."""
    return VideoEvidence(
        exercise_id=data["exercise"]["id"],
        judged=bool(data["judged"]),
        reps=int(data["reps"]),
        faults=len(data["faults"]),
        checks=tuple(_STATUS.get(item["status"]) for item in data["mastery"]),
        report=data,
        keypoints=keypoints,
    )
