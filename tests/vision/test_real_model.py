"""The real pose model on real clips, end to end (a few short clips keep this quick)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.adapters.pose import HEAVY_FILE, MODEL_FILES, estimate, verify_models
from hingecoach.adapters.pose_options import PoseOptions
from hingecoach.adapters.video import probe
from hingecoach.catalog import Catalog
from hingecoach.cli import commands as cli
from hingecoach.services.analysis import analyse_video, judge_pose
from tests.vision.conftest import FIXTURES, VIDEOS, shared_or_skip

pytestmark = pytest.mark.slow


def test_the_shipped_pose_models_match_their_pinned_checksums() -> None:
    assert verify_models().keys() == MODEL_FILES.keys()


@pytest.mark.parametrize("clip", ["posereader_good.mp4", "posereader_rdl.mp4"])
def test_real_model_on_a_real_clip_counts_one_hinged_lift(
    clip: str, catalog: Catalog, tmp_path: Path
) -> None:
    video = shared_or_skip(VIDEOS / clip)
    saved = tmp_path / "k.npz"
    result = analyse_video(catalog, "kb_lift", video, keypoints_out=saved)
    assert result.report.judged
    assert len(result.report.reps) == 1
    assert result.report.pattern == "hinge"
    assert result.report.view is not None
    assert result.report.view.kind == "side"
    # The saved keypoints reproduce the run, and agree with the committed fixture.
    again = read_keypoints(saved)
    assert np.allclose(again.image, result.pose.image, equal_nan=True, atol=1e-6)
    fixture = read_keypoints(FIXTURES / clip.replace(".mp4", ".npz"))
    assert fixture.frames == result.pose.frames
    assert np.nanmax(np.abs(fixture.image[:, :, :2] - result.pose.image[:, :, :2])) < 0.01


def test_hinge_analyze_json_and_html_report_from_a_clip(tmp_path: Path) -> None:
    video = shared_or_skip(VIDEOS / "posereader_rdl.mp4")
    html = tmp_path / "report.html"
    run = CliRunner().invoke(
        cli.app, ["analyze", str(video), "--exercise", "kb_lift", "--json", "--out", str(html)]
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["reps"] == 1
    assert [e["rep"] for e in data["rep_events"]] == [1]
    event = data["rep_events"][0]
    assert event["start"] <= event["bottom"] < event["end"]
    assert data["pattern"]["overall"] == "hinge"
    assert data["tracking"]["fraction"] > 0.9
    assert "blazepose" in data["tracking"]["model"]
    page = html.read_text()
    assert page.count("data:image/jpeg;base64,") == 2  # bottom and top of the one rep
    assert "<svg" in page


def test_two_trackers_on_two_halves_give_the_one_trackers_answer(catalog: Catalog) -> None:
    """Both cores: a clip tracked in two halves at once (the second tracker starting a
    second early) keeps every frame once, in order, and lands where one tracker lands."""
    video = shared_or_skip(VIDEOS / "kbtrainer_bomDia.mp4")  # 11 s, four reps
    info = probe(video)
    one = estimate(info, options=PoseOptions(workers=1))
    two = estimate(info, options=PoseOptions(workers=2))

    assert np.array_equal(one.times, two.times)  # every frame once, in order
    cut = info.duration / 2
    before = one.times < cut
    assert np.array_equal(one.image[before], two.image[before], equal_nan=True)
    after = one.times >= cut
    gap = np.abs(one.image[after][:, :, :2] - two.image[after][:, :, :2])
    assert np.nanmedian(gap) < 0.01  # the second tracker has settled by the cut
    reps = [len(judge_pose(catalog, "dowel_hinge", pose, video).report.reps) for pose in (one, two)]
    assert reps == [4, 4]  # the label (labels.csv)


def test_the_heavy_model_runs_from_the_installed_file_never_a_download(catalog: Catalog) -> None:
    assert HEAVY_FILE in verify_models(heavy=True)  # make install put it in place
    video = shared_or_skip(VIDEOS / "posereader_rdl.mp4")
    result = analyse_video(catalog, "kb_lift", video, options=PoseOptions(model="heavy"))

    assert result.pose.model == "mediapipe-0.10.14 blazepose heavy (complexity 2)"
    assert len(result.report.reps) == 1
    assert result.report.pattern == "hinge"


def test_a_60_fps_clip_is_tracked_at_30_and_still_counts_its_label(catalog: Catalog) -> None:
    video = shared_or_skip(VIDEOS / "idds_0016c_1.mp4")  # 60 fps, ten reps (labels.csv)
    info = probe(video)
    result = analyse_video(catalog, "kb_lift", video)

    assert info.fps > 55
    assert abs(result.pose.fps - info.fps / 2) < 1  # every second frame
    assert len(result.report.reps) == 10
    assert result.report.pattern == "hinge"
