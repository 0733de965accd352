"""A logged session can carry a video form check; the engine counts it toward mastery (V1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.cli import commands as cli
from hingecoach.engine.model import Experience
from hingecoach.errors import ValidationError
from hingecoach.schemas.video import VideoCheckPublic
from hingecoach.services.analysis import analyse_keypoints, evidence
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import LogInput, StartInput
from hingecoach.services.uow import sql
from tests.vision.conftest import FIXTURES

DAY = date(2026, 3, 2)


def _start(store: Store, catalog: Catalog) -> Coach:
    coach = Coach(sql(store), catalog, DAY)
    coach.start(
        StartInput("Vi", "solving-pain", Experience.SOME, 2, frozenset({"wall", "mat", "dowel"}))
    )
    return coach


def _session(exercise: str | None = None) -> LogInput:
    return LogInput(
        DAY,
        1,
        2,
        1,
        [(10, None), (10, None)],
        exercise=exercise,
        first_set_uncued=True,
        self_check=(True,) * 4,
    )


def test_a_session_keeps_its_form_report_and_the_engine_reads_it(
    store: Store, catalog: Catalog
) -> None:
    coach = _start(store, catalog)
    result = analyse_keypoints(catalog, "kb_lift", FIXTURES / "idds_0016r_1.npz")
    form = evidence(result, VideoCheckPublic.of(result).model_dump(mode="json"))
    assert form.checks[0] is False  # "did your back stay long" contradicted by the trunk line
    coach.log(_session("kb_lift"), form)
    logged = coach.status().sessions[-1]
    assert logged.exercise_id == "kb_lift"
    assert logged.video_reps == 10
    assert logged.video_faults == form.faults > 0
    assert logged.video_checks == form.checks


def test_a_clip_of_another_exercise_is_refused_and_nothing_is_saved(
    store: Store, catalog: Catalog
) -> None:
    coach = _start(store, catalog)
    result = analyse_keypoints(catalog, "kb_lift", FIXTURES / "idds_0016r_1.npz")
    with pytest.raises(ValidationError, match="video: expected a clip of dowel_hinge"):
        coach.log(_session(), evidence(result, VideoCheckPublic.of(result).model_dump(mode="json")))
    assert coach.status().sessions == []


def test_hinge_log_video_attaches_a_form_check(tmp_path: Path) -> None:
    env = {"HINGE_DATABASE_URL": str(tmp_path / "h.db"), "HINGE_TODAY": DAY.isoformat()}
    runner = CliRunner()
    start = [
        "start",
        "--name",
        "Vi",
        "--experience",
        "some",
        "--pain",
        "2",
        "--equipment",
        "wall,mat,dowel",
        "--none",
    ]
    assert runner.invoke(cli.app, start, env=env).exit_code == 0
    log = [
        "log", "--pain-before", "1", "--pain-during", "2", "--pain-after", "1", "--sets", "10,10",
        "--uncued", "--self-check", "all", "--area", "none",
        "--video", str(FIXTURES / "kbtrainer_bomDia.npz"), "--json",
    ]  # fmt: skip
    run = runner.invoke(cli.app, log, env=env)
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["decision"]["action"] == "hold"
    history = json.loads(runner.invoke(cli.app, ["history", "--json"], env=env).stdout)
    assert len(history["sessions"]) == 1
    video = history["sessions"][0]["video"]
    assert video["reps"] == 4
    assert len(video["checks"]) == 4
