"""Clips that cannot be analysed are refused with their own code and advice, before decoding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hingecoach.adapters.video import VideoLimits, probe
from hingecoach.cli import commands as cli
from hingecoach.errors import VideoError
from tests.vision.conftest import VIDEOS, shared_or_skip


def test_a_text_file_is_not_a_video(tmp_path: Path) -> None:
    fake = tmp_path / "clip.mp4"
    fake.write_text("this is not a video")
    with pytest.raises(VideoError, match="not a video") as caught:
        probe(fake)
    assert caught.value.code == "not_a_video"


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="no such file") as caught:
        probe(tmp_path / "nope.mp4")
    assert caught.value.code == "unreadable_video"


def test_a_clip_over_the_size_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    clip = tmp_path / "big.mp4"
    clip.write_bytes(b"\0" * 2048)
    with pytest.raises(VideoError, match="over the 0 MB limit") as caught:
        probe(clip, VideoLimits(max_bytes=1024))
    assert caught.value.code == "video_too_large"


def test_a_clip_over_the_length_limit_is_refused() -> None:
    clip = shared_or_skip(VIDEOS / "posereader_good.mp4")
    with pytest.raises(VideoError, match="over the 1 s limit") as caught:
        probe(clip, VideoLimits(max_seconds=1.0))
    assert caught.value.code == "video_too_long"


def test_a_real_clip_is_measured() -> None:
    info = probe(shared_or_skip(VIDEOS / "idds_0016c_1.mp4"))
    assert (info.width, info.height) == (360, 640)
    assert info.fps == pytest.approx(60.0, abs=0.5)
    assert info.duration == pytest.approx(21.0, abs=0.2)


def test_cli_refuses_a_non_video_with_one_line_and_exit_1(tmp_path: Path) -> None:
    fake = tmp_path / "clip.mp4"
    shutil.copy(Path(__file__), fake)
    run = CliRunner().invoke(cli.app, ["analyze", str(fake), "--exercise", "kb_lift"])
    assert run.exit_code == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not a video" in lines[0]


def test_cli_needs_exactly_one_of_a_video_or_keypoints() -> None:
    run = CliRunner().invoke(cli.app, ["analyze", "--exercise", "kb_lift"])
    assert run.exit_code == 2


def test_a_path_too_long_for_the_system_is_one_line_not_a_crash(tmp_path: Path) -> None:
    long_path = str(tmp_path / ("x" * 5000 + ".mp4"))

    result = CliRunner().invoke(cli.app, ["analyze", long_path, "--exercise", "kb_lift"])

    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: cannot read that file")
    assert len(result.stderr.strip().splitlines()) == 1
