"""Keypoint files: a clip written once can be analysed again without the pose model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hingecoach.adapters.keypoints import FORMAT, read_keypoints, read_posetrack, write_keypoints
from hingecoach.errors import ValidationError
from hingecoach.motion.pose import LANDMARKS, PoseSequence

FRAMES = 6


def float32_exact(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Random values a float32 file stores exactly, so a round trip can compare with ==."""
    return np.random.default_rng(seed).random(shape).astype(np.float32).astype(np.float64)


def sample_pose(world: bool = True) -> PoseSequence:
    image = float32_exact((FRAMES, LANDMARKS, 3), 1)
    image[2] = np.nan  # nobody in frame 2
    image[4, 17:23] = np.nan  # hands lost in frame 4
    visibility = float32_exact((FRAMES, LANDMARKS), 2)
    world_xyz = float32_exact((FRAMES, LANDMARKS, 3), 3) if world else None
    times = np.array([0.0, 1 / 30, 2 / 30, 0.1, 0.1 + 1 / 60, 0.5])
    return PoseSequence(
        image, visibility, times, 360, 640, world_xyz, "blazepose-full",
        {"source": "clip.mp4", "fps": "30.000"},
    )  # fmt: skip


def assert_same(read: PoseSequence, written: PoseSequence) -> None:
    np.testing.assert_array_equal(read.image, written.image)  # NaN equals NaN here
    np.testing.assert_array_equal(read.visibility, written.visibility)
    np.testing.assert_array_equal(read.times, written.times)
    assert (read.width, read.height, read.model) == (written.width, written.height, written.model)
    assert read.meta == written.meta


def test_writing_then_reading_gives_back_the_same_clip(tmp_path: Path) -> None:
    pose = sample_pose()
    write_keypoints(pose, tmp_path / "clip.npz")
    read = read_keypoints(tmp_path / "clip.npz")
    assert_same(read, pose)
    assert read.world is not None
    assert pose.world is not None
    np.testing.assert_array_equal(read.world, pose.world)
    assert read.image.dtype == np.float64


def test_a_clip_without_world_coordinates_reads_back_without_them(tmp_path: Path) -> None:
    pose = sample_pose(world=False)
    write_keypoints(pose, tmp_path / "clip.npz")
    read = read_keypoints(tmp_path / "clip.npz")
    assert_same(read, pose)
    assert read.world is None


def test_the_file_is_tagged_with_its_format(tmp_path: Path) -> None:
    write_keypoints(sample_pose(), tmp_path / "clip.npz")
    with np.load(tmp_path / "clip.npz") as data:
        meta = json.loads(str(data["meta"]))
    assert meta["format"] == FORMAT
    assert (meta["width"], meta["height"]) == (360, 640)


def assert_bad_keypoints_file(path: Path, why: str | None = None) -> None:
    with pytest.raises(ValidationError, match=why) as caught:
        read_keypoints(path)
    assert caught.value.field == "keypoints file"
    assert str(path) in str(caught.value)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "clip.npz"
    garbage.write_bytes(b"these are not keypoints")
    assert_bad_keypoints_file(garbage, "unreadable")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert_bad_keypoints_file(tmp_path / "nowhere.npz", "no such file")


def save_with_meta(path: Path, meta: object) -> Path:
    np.savez(
        path,
        image=np.zeros((2, LANDMARKS, 3), np.float32),
        visibility=np.zeros((2, LANDMARKS), np.float32),
        times=np.arange(2.0),
        meta=np.array(json.dumps(meta)),
    )
    return path


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    meta = {"format": "other-keypoints/2", "width": 10, "height": 10, "model": "x"}
    assert_bad_keypoints_file(save_with_meta(tmp_path / "clip.npz", meta), "other-keypoints/2")


def test_a_file_without_a_format_tag_is_refused(tmp_path: Path) -> None:
    meta = {"width": 10, "height": 10, "model": "x"}
    assert_bad_keypoints_file(save_with_meta(tmp_path / "clip.npz", meta), "format None")


@pytest.mark.parametrize(
    "meta",
    [{"format": FORMAT}, {"format": FORMAT, "width": "wide", "height": 1, "model": "x"}, [1]],
    ids=["no-frame-size", "width-not-a-number", "meta-not-an-object"],
)
def test_a_file_with_broken_metadata_is_refused(tmp_path: Path, meta: object) -> None:
    assert_bad_keypoints_file(save_with_meta(tmp_path / "clip.npz", meta))


def test_a_posetrack_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "clip.posetrack.json"
    bad.write_text("{not json", encoding="utf-8")
    assert_bad_keypoints_file(bad, "unreadable")


def test_a_posetrack_file_with_no_frames_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "clip.posetrack.json"
    empty.write_text(json.dumps({"metadata": {"fps": 30}, "frames": []}), encoding="utf-8")
    assert_bad_keypoints_file(empty)


def test_a_posetrack_file_is_read_as_normalised_coordinates(tmp_path: Path) -> None:
    frames = [
        {"frameIndex": i, "keypoints": [{"x": 960.0, "y": 270.0, "z": -0.5, "score": 0.8}] * 33}
        for i in range(3)
    ]
    frames.append({"frameIndex": 3, "keypoints": []})  # nobody found in the last frame
    path = tmp_path / "clip.posetrack.json"
    meta = {"fps": 30, "model": "blazepose", "modelVariant": "full"}
    path.write_text(json.dumps({"metadata": meta, "frames": frames}), encoding="utf-8")
    pose = read_posetrack(path)
    assert (pose.frames, pose.width, pose.height, pose.model) == (4, 1920, 1080, "blazepose-full")
    np.testing.assert_allclose(pose.image[0, 0], [0.5, 0.25, -0.5])
    np.testing.assert_allclose(pose.pixels()[1, 5], [960.0, 270.0])
    np.testing.assert_allclose(pose.times, np.arange(4) / 30)
    assert pose.tracked().tolist() == [True, True, True, False]
    assert pose.visibility[0, 0] == pytest.approx(0.8)
