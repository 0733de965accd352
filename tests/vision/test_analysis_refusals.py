"""Clips the analysis cannot judge say why instead of guessing; and the JSON shape."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hingecoach.adapters import vision_extra
from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.catalog import Catalog, check_spec_for
from hingecoach.cli import commands as cli
from hingecoach.errors import VisionMissingError
from hingecoach.motion.analysis import analyze
from hingecoach.motion.pose import PoseSequence
from hingecoach.motion.thresholds import THRESHOLDS
from tests.vision.conftest import FIXTURES
from tests.vision.variants import walk_in_and_out


def _clip(name: str = "idds_0016c_1") -> PoseSequence:
    return read_keypoints(FIXTURES / f"{name}.npz")


def _judge(pose: PoseSequence, catalog: Catalog, exercise: str = "kb_lift") -> str | None:
    report = analyze(pose, check_spec_for(catalog.exercises[exercise]))
    return None if report.refusal is None else report.refusal.code


def test_a_clip_with_nobody_in_it_is_refused(catalog: Catalog) -> None:
    pose = _clip()
    empty = PoseSequence(
        np.full_like(pose.image, np.nan),
        np.zeros_like(pose.visibility),
        pose.times,
        pose.width,
        pose.height,
    )
    assert _judge(empty, catalog) == "no_person"


def test_a_person_seen_in_under_60_percent_of_frames_is_refused(catalog: Catalog) -> None:
    pose = _clip()
    image = pose.image.copy()
    image[: int(pose.frames * 0.5)] = np.nan
    assert (
        _judge(PoseSequence(image, pose.visibility, pose.times, pose.width, pose.height), catalog)
        == "no_person"
    )


def test_a_clip_under_a_second_is_too_short(catalog: Catalog) -> None:
    assert _judge(_clip().slice(0, 40), catalog) == "too_short"  # 40 frames at 60 fps


def test_tracking_that_jumps_between_people_is_refused(catalog: Catalog) -> None:
    pose = _clip()
    image = pose.image.copy()
    image[::10, :, 0] = np.clip(image[::10, :, 0] + 0.5, 0, 1)  # every 10th frame: someone else
    assert (
        _judge(PoseSequence(image, pose.visibility, pose.times, pose.width, pose.height), catalog)
        == "two_people"
    )


def test_a_body_cut_off_by_the_frame_is_refused(catalog: Catalog) -> None:
    pose = _clip()
    image = pose.image.copy()
    image[:, :, 1] = image[:, :, 1] * 1.6  # feet and knees pushed out of the bottom of the picture
    assert (
        _judge(PoseSequence(image, pose.visibility, pose.times, pose.width, pose.height), catalog)
        == "body_cut_off"
    )


def test_a_clip_without_a_whole_rep_says_so(catalog: Catalog) -> None:
    pose = _clip()
    still = np.repeat(pose.image[:1], pose.frames, axis=0)
    assert (
        _judge(PoseSequence(still, pose.visibility, pose.times, pose.width, pose.height), catalog)
        == "no_reps"
    )


def test_a_set_too_slow_for_swings_is_told_it_had_no_swing(catalog: Catalog) -> None:
    """Swings at half their speed are whole dips, not one of them a swing: the refusal says
    so with the swing's own limit, not "film the full set"."""
    swings = _clip("kbtrainer_kbsAmericano")
    slow = PoseSequence(
        swings.image, swings.visibility, swings.times * 2, swings.width, swings.height,
        swings.world,
    )  # fmt: skip
    lifts = analyze(slow, check_spec_for(catalog.exercises["kb_swing"]))
    assert lifts.refusal is not None
    assert lifts.refusal.code == "no_reps"
    assert lifts.refusal.reason.startswith("no swing was found")
    assert f"under {THRESHOLDS.swing_rise_seconds:g} s" in lifts.refusal.reason
    pose = _clip()
    still = np.repeat(pose.image[:1], pose.frames, axis=0)
    report = analyze(
        PoseSequence(still, pose.visibility, pose.times, pose.width, pose.height),
        check_spec_for(catalog.exercises["kb_swing"]),
    )
    assert report.refusal is not None
    assert report.refusal.reason.startswith("no whole repetition")


def test_a_front_view_clip_is_counted_but_angle_checks_are_not_judged(catalog: Catalog) -> None:
    report = analyze(
        _clip("kbtrainer_backSquats"), check_spec_for(catalog.exercises["dowel_hinge"])
    )
    assert report.judged
    assert len(report.reps) == 5
    skipped = {n.check for n in report.not_judged if "side view" in n.why}
    assert {"shallow_hinge", "knee_bend", "trunk_line_lost", "incomplete_lockout"} <= skipped
    assert all(item.status != "supported" or "tall" not in item.item for item in report.mastery)
    codes = {f.code for f in report.faults}
    assert "knee_dominant" in codes  # the pattern needs no side view
    assert not codes & {"shallow_hinge", "knee_bend", "trunk_line_lost", "incomplete_lockout"}


def test_missing_vision_extra_gives_a_friendly_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> object:
        if name == "mediapipe":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(vision_extra.importlib, "import_module", fake)
    with pytest.raises(VisionMissingError, match="make install") as caught:
        vision_extra.require_mediapipe()
    assert caught.value.code == "vision_missing"


def test_analyze_keypoints_json_has_the_documented_shape() -> None:
    run = CliRunner().invoke(
        cli.app,
        [
            "analyze",
            "--keypoints",
            str(FIXTURES / "idds_0016k_1.npz"),
            "--exercise",
            "kb_lift",
            "--json",
        ],
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert {
        "reps",
        "rep_events",
        "pattern",
        "view",
        "faults",
        "tracking",
        "mastery",
        "partial_reps",
        "not_judged",
        "refusal",
    } <= data.keys()
    assert data["reps"] == 10
    assert data["pattern"]["overall"] == "squat"
    fault = data["faults"][0]
    assert {"code", "rep", "time", "value", "expected", "advice"} <= fault.keys()
    assert data["view"]["kind"] == "side"
    assert {m["status"] for m in data["mastery"]} <= {"supported", "contradicted", "not judged"}


def test_an_unknown_exercise_is_refused_before_any_work(tmp_path: Path) -> None:
    run = CliRunner().invoke(
        cli.app,
        ["analyze", "--keypoints", str(FIXTURES / "idds_0016k_1.npz"), "--exercise", "nope"],
    )
    assert run.exit_code == 1
    assert "unknown id 'nope'" in run.stderr


def test_a_self_check_item_is_not_supported_by_a_check_that_never_ran(catalog: Catalog) -> None:
    """hinge_to_squat maps 'back stayed long' to the trunk line, which it does not check."""
    report = analyze(
        _clip("idds_0016r_1"),
        check_spec_for(catalog.exercises["hinge_to_squat"]),
        catalog.exercises["hinge_to_squat"].self_check,
    )
    statuses = {m.item: m.status for m in report.mastery}
    back = next(item for item in statuses if "back stay long" in item)
    assert statuses[back] == "not judged"


def test_missing_knee_points_give_no_knee_verdict_rather_than_a_fault(catalog: Catalog) -> None:
    pose = _clip("idds_0016c_1")
    image = pose.image.copy()
    image[:, 25:27] = np.nan  # both knees never seen
    report = analyze(
        PoseSequence(image, pose.visibility, pose.times, pose.width, pose.height),
        check_spec_for(catalog.exercises["kb_lift"]),
    )
    assert "knee_bend" not in {f.code for f in report.faults}
    assert any(n.check == "knee_bend" for n in report.not_judged)
    assert all(np.isfinite(f.value) for f in report.faults)


def test_an_empty_picture_until_the_person_walks_in_from_the_side_is_no_lost_track(
    catalog: Catalog,
) -> None:
    pose = walk_in_and_out(_clip(), walk=2.0, empty=8.0)
    assert pose.tracked().mean() < 0.6  # the whole clip: mostly an empty picture
    report = analyze(pose, check_spec_for(catalog.exercises["kb_lift"]))
    assert report.judged, report.refusal
    assert len(report.reps) == 10


def test_feet_a_little_below_the_picture_are_judged_not_cut_off(catalog: Catalog) -> None:
    pose = _clip()
    image = pose.image.copy()
    image[:, :, 1] += 1.06 - np.nanpercentile(image[:, [27, 28], 1], 50)  # ankles 6 % below
    report = analyze(
        PoseSequence(image, pose.visibility, pose.times, pose.width, pose.height),
        check_spec_for(catalog.exercises["kb_lift"]),
    )
    assert report.judged, report.refusal


def test_a_clip_that_changes_camera_judges_angles_only_on_the_reps_filmed_side_on(
    catalog: Catalog,
) -> None:
    report = analyze(
        _clip("umali_Barbell_Good_Mornings"), check_spec_for(catalog.exercises["weighted_hinge"])
    )
    assert report.view is not None
    assert report.view.kind == "side"
    assert [m.number for m in report.reps if m.view != "side"] == [2, 3, 7]  # front-on reps
    assert not {f.rep for f in report.faults if f.code == "trunk_line_lost"} & {2, 3, 7}
    assert any(n.check == "angles of reps 2, 3, 7" for n in report.not_judged)
