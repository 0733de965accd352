"""Rep counts on keypoints of real clips against the labels in /work/shared/videos.

The clips themselves may not be copied into the repository; their keypoints, extracted
once by scripts/extract_fixtures.py, are committed under tests/fixtures/keypoints. The
labels stay beside the clips: without them these tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest

from hingecoach.adapters.keypoints import read_keypoints, read_posetrack
from hingecoach.motion.analysis import gates_for
from hingecoach.motion.checks import CheckSpec
from hingecoach.motion.pose import PoseSequence
from hingecoach.motion.reps import Segmentation, segment

VIDEOS = Path(__file__).resolve().parents[3] / "shared" / "videos"
LABELS = VIDEOS / "labels.csv"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keypoints"
SWING_SAMPLE = VIDEOS / "keypoints" / "swing-sample-4reps.posetrack.json"
SWING_TRUTH = VIDEOS / "keypoints" / "swing-sample-4reps.groundtruth.json"
IN_CI = os.environ.get("CI", "").lower() == "true"


def labelled_clips() -> list[object]:
    if not LABELS.exists():
        return [pytest.param(None, id="labels-missing")]
    with LABELS.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [pytest.param(row, id=Path(row["file"]).name) for row in rows]


def skip_or_fail(missing: Path) -> NoReturn:
    message = f"{missing} is missing: the labelled clips live outside the repository"
    if IN_CI:
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)


def load(row: dict[str, str]) -> PoseSequence:
    """The committed fixture for a video; a keypoints-only row is read where it lies."""
    if row["file"].endswith(".json"):
        return read_keypoints(VIDEOS / row["file"])
    fixture = FIXTURES / f"{Path(row['file']).stem}.npz"
    assert fixture.exists(), f"no committed keypoints for {row['file']}: run extract_fixtures"
    return read_keypoints(fixture)


# The gates the form check counts swings with.
SWING_GATES = gates_for(CheckSpec(rep_mode="swing"))


def is_swing(exercise: str) -> bool:
    return "swing" in exercise


def lifts_from_the_floor(exercise: str) -> bool:
    return "deadlift" in exercise or "pull" in exercise


def segment_as_labelled(pose: PoseSequence, exercise: str) -> Segmentation:
    """Swings gate out the slow pick-up and park, which are not swings."""
    return segment(pose, SWING_GATES) if is_swing(exercise) else segment(pose)


@pytest.mark.parametrize("row", labelled_clips())
def test_the_rep_count_matches_the_label(row: dict[str, str] | None) -> None:
    if row is None:
        skip_or_fail(LABELS)
    exercise = row["exercise"]
    found = segment_as_labelled(load(row), exercise)
    # A lift from the floor that starts at the bottom still counts: the first pull is a rep.
    count = len(found.reps) + (len(found.partials) if lifts_from_the_floor(exercise) else 0)
    assert count == int(row["reps"]), f"{row['file']}: {row['notes']}"
    if not is_swing(exercise) and not lifts_from_the_floor(exercise):
        assert len(found.partials) == int(row["partial_reps"]), row["notes"]


@pytest.mark.parametrize("row", labelled_clips())
def test_every_rep_runs_from_start_through_bottom_to_end(row: dict[str, str] | None) -> None:
    if row is None:
        skip_or_fail(LABELS)
    found = segment_as_labelled(load(row), row["exercise"])
    for rep in (*found.partials, *found.reps):
        assert rep.start <= rep.bottom < rep.end
    for before, after in zip(found.reps, found.reps[1:], strict=False):
        assert before.end <= after.start


def test_the_swing_sample_has_four_swings_bottoming_where_the_annotator_saw_them() -> None:
    if not (SWING_SAMPLE.exists() and SWING_TRUTH.exists()):
        skip_or_fail(SWING_SAMPLE)
    annotations = json.loads(SWING_TRUTH.read_text(encoding="utf-8"))["annotations"]
    bottoms = [a["frame_index"] for a in annotations if a["position"] == "bottom"]
    found = segment(read_posetrack(SWING_SAMPLE), SWING_GATES)
    assert len(found.reps) == len(bottoms) == 4
    np.testing.assert_allclose([rep.bottom for rep in found.reps], bottoms, atol=3, rtol=0)
