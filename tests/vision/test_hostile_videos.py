"""Every kind of file a form check must refuse is refused with its own code and a message a
learner can act on, before the pose model runs: the same in `probe` (the CLI and the web
app's worker) as at the upload (tests/web/test_form_checks.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hingecoach.adapters.video import probe
from hingecoach.cli import commands as cli
from hingecoach.errors import VideoError
from tests.vision.corpus import CORPUS


@pytest.mark.parametrize("kind", CORPUS, ids=list(CORPUS))
def test_a_hostile_file_is_refused_with_its_own_code(kind: str, tmp_path: Path) -> None:
    make, code = CORPUS[kind]
    path = make(tmp_path)

    with pytest.raises(VideoError) as refused:
        probe(path)

    assert refused.value.code == code
    assert path.name in str(refused.value) or code == "video_too_long"


def test_a_png_renamed_mp4_is_refused_by_hinge_log_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HINGE_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    start = ["start", "--name", "Sam", "--experience", "new", "--pain", "2", "--none"]
    assert runner.invoke(cli.app, start).exit_code == 0
    photo = CORPUS["a PNG renamed .mp4"][0](tmp_path)

    log = ["log", "--video", str(photo), "--pain-before", "1", "--pain-during", "2"]
    log += ["--pain-after", "1", "--sets", "10,10", "--uncued", "--self-check", "all"]
    run = runner.invoke(cli.app, [*log, "--area", "none"])

    assert run.exit_code == 1
    assert "PNG image, not a video" in run.stderr
    history = json.loads(runner.invoke(cli.app, ["history", "--json"]).stdout)
    assert history["sessions"] == []
