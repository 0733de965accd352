"""Live coaching's server side, without a browser: the keypoints the page sends give the
report an upload of the same frames gives (the CLI's `hinge analyze --keypoints`), a bad
frame is refused by name and stores nothing, the page's data comes from the catalog and the
motion thresholds, and the pose model's files are served only when their checksums match.
The browser itself is in test_live_browser.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from hingecoach.adapters import pose_web
from hingecoach.adapters.db.store import Store
from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.adapters.pose_web import FILES
from hingecoach.catalog import Catalog, check_spec_for
from hingecoach.motion.thresholds import THRESHOLDS
from hingecoach.settings import load_settings
from hingecoach.web import create_app
from tests.vision.conftest import FIXTURES

from .conftest import make_client, start_learner

CLIP = FIXTURES / "idds_0016c_1.npz"  # a kettlebell deadlift from the side, ten reps


def payload(path: Path = CLIP, exercise: str = "kb_lift") -> dict[str, Any]:
    """The body the live page would send for these keypoints (the page rounds; the
    fixture's own float32 values are sent as they are, so the analysis is comparable)."""
    pose = read_keypoints(path)
    assert pose.world is not None
    frames = []
    for i in range(pose.frames):
        seen = bool(np.all(np.isfinite(pose.image[i])))
        image = np.column_stack([pose.image[i], pose.visibility[i]]).ravel().tolist()
        world = pose.world[i].ravel().tolist() if np.all(np.isfinite(pose.world[i])) else None
        frames.append({"t": float(pose.times[i]), "image": image if seen else None, "world": world})
    return {
        "exercise": exercise,
        "model": 1,
        "width": pose.width,
        "height": pose.height,
        "frames": frames,
    }


@pytest.fixture
def learner(store: Store, catalog: Catalog, tmp_path: Path) -> Any:
    with make_client(store, catalog, tmp_path) as client:
        start_learner(client)
        yield client


def _cli_report(npz: Path, exercise: str, folder: Path) -> Any:
    hinge = Path(sys.executable).parent / "hinge"
    command = [str(hinge), "analyze", "--keypoints", str(npz), "--exercise", exercise, "--json"]
    env = dict(os.environ, HINGE_DATA_DIR=str(folder))
    done = subprocess.run(command, capture_output=True, check=True, timeout=300, env=env)
    return json.loads(done.stdout)


def test_the_live_keypoints_give_the_report_an_upload_gives(
    learner: TestClient, tmp_path: Path
) -> None:
    sent = learner.post("/api/v1/form-checks/live", json=payload())

    assert sent.status_code == 201, sent.text
    check = learner.get(sent.json()["url"]).json()
    assert check["status"] == "done"
    assert check["report"]["reps"] == 10
    cli = _cli_report(CLIP, "kb_lift", tmp_path)
    model = "@mediapipe/pose@0.5.1675469404 in the browser, full"
    assert check["report"]["tracking"]["model"] == model  # the report says what tracked
    assert check["report"] == cli | {"tracking": cli["tracking"] | {"model": model}}
    page = learner.get(f"/form-checks/{check['id']}")
    assert "What the camera saw" in page.text
    assert learner.get(f"/form-checks/{check['id']}/chart.svg").text.startswith("<svg")
    listed = learner.get("/api/v1/form-checks").json()["checks"]
    assert [c["id"] for c in listed] == [check["id"]]


def test_a_live_check_is_attached_to_todays_session_like_an_upload(
    learner: TestClient, catalog: Catalog
) -> None:
    todays = learner.get("/api/v1/today").json()["prescription"]["exercise_id"]
    items = len(catalog.exercise(todays).self_check)
    logged = learner.post(
        "/api/v1/sessions",
        json={
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
            "reps": [10, 10],
            "first_set_uncued": True,
            "self_check": [True] * items,
        },
    )
    assert logged.status_code == 201, logged.text
    check = learner.post("/api/v1/form-checks/live", json=payload(exercise=todays)).json()

    attached = learner.post(f"/api/v1/form-checks/{check['id']}/attach")

    assert attached.status_code == 200, attached.text
    assert learner.get("/api/v1/history").json()["sessions"][-1]["video"]["reps"] == 10


def _broken(change: Any) -> dict[str, Any]:
    body = payload()
    change(body)
    return body


@pytest.mark.parametrize(
    ("case", "body", "field"),
    [
        ("a frame short of landmarks", lambda b: b["frames"][3].update(image=[0.5] * 131), "image"),
        ("time running backwards", lambda b: b["frames"][5].update(t=0.0), "times"),
        ("a text for a number", lambda b: b["frames"][2].update(t="1.5"), "t"),
        ("no frames", lambda b: b.update(frames=[]), "frames"),
        ("a picture without a size", lambda b: b.update(width=0), "width"),
        ("an unknown model", lambda b: b.update(model=3), "model"),
        ("an unknown field", lambda b: b.update(video="data:..."), "video"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_bad_set_is_refused_by_name_and_stores_nothing(
    learner: TestClient, case: str, body: Any, field: str
) -> None:
    answer = learner.post("/api/v1/form-checks/live", json=_broken(body))

    assert answer.status_code == 422, answer.text
    assert field in answer.json()["error"]["field"], (case, answer.json())
    assert learner.get("/api/v1/form-checks").json()["checks"] == []


def test_a_set_longer_than_a_clip_may_be_is_refused(learner: TestClient) -> None:
    body = payload()
    for frame in body["frames"]:
        frame["t"] *= 10  # 21 s of frames stretched to 210 s: past HINGE_MAX_VIDEO_SECONDS

    answer = learner.post("/api/v1/form-checks/live", json=body)

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "frames"
    assert "180" in answer.json()["error"]["expected"]
    assert learner.get("/api/v1/form-checks").json()["checks"] == []


def test_an_exercise_not_in_the_catalog_is_not_found(learner: TestClient) -> None:
    answer = learner.post("/api/v1/form-checks/live", json=payload(exercise="no_such"))

    assert answer.status_code == 404
    assert learner.get("/api/v1/form-checks").json()["checks"] == []


def test_the_page_gives_todays_exercise_and_the_servers_pattern_line(
    learner: TestClient, catalog: Catalog
) -> None:
    page = learner.get("/api/v1/form-checks/live").json()
    today = learner.get("/api/v1/today").json()["prescription"]

    assert page["exercise_id"] == today["exercise_id"]
    assert page["pattern"] == check_spec_for(catalog.exercise(today["exercise_id"])).pattern
    assert learner.get("/api/v1/form-checks/live?exercise=kb_lift").json()["pattern"] == "hinge"
    assert page["pattern_line"]["squat_centre"] == list(THRESHOLDS.squat_centre)
    assert page["pattern_line"]["margin"] == THRESHOLDS.pattern_margin
    chosen = learner.get("/api/v1/form-checks/live?exercise=hero_squat").json()
    assert chosen["exercise_id"] == "hero_squat"
    assert chosen["target_reps"] is None  # not today's exercise: no dose to count to
    assert learner.get("/api/v1/form-checks/live?exercise=nope").status_code == 404


def test_the_page_counts_with_the_servers_gates(learner: TestClient) -> None:
    """The live counter gets every number from the page; a swing gets the swing gates."""
    lift = learner.get("/api/v1/form-checks/live?exercise=kb_lift").json()["counting"]
    swing = learner.get("/api/v1/form-checks/live?exercise=kb_swing").json()["counting"]

    assert (lift["enter"], lift["leave"]) == (THRESHOLDS.rep_enter, THRESHOLDS.rep_leave)
    assert (lift["min_depth"], lift["seen_min"]) == (THRESHOLDS.rep_min_depth, THRESHOLDS.seen_min)
    assert lift["max_rise_seconds"] is None
    assert lift["max_bottom_seconds"] is None
    assert swing["max_rise_seconds"] == THRESHOLDS.swing_rise_seconds
    assert swing["max_bottom_seconds"] == THRESHOLDS.swing_bottom_seconds
    html = learner.get("/form-checks/live?exercise=kb_swing").text
    assert f'"max_bottom_seconds": {THRESHOLDS.swing_bottom_seconds}' in html


def test_only_the_live_page_may_compile_webassembly(learner: TestClient) -> None:
    live = learner.get("/form-checks/live")
    today = learner.get("/today")

    assert "'wasm-unsafe-eval'" in live.headers["content-security-policy"]
    assert "wasm" not in today.headers["content-security-policy"]
    assert 'src="/pose/pose.js"' in live.text


def test_the_pose_model_is_served_from_here_with_its_checksum(learner: TestClient) -> None:
    answer = learner.get("/pose/pose_solution_simd_wasm_bin.wasm")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/wasm"
    assert "immutable" in answer.headers["cache-control"]
    assert learner.get("/pose/pose.js").headers["content-type"].startswith("text/javascript")
    assert learner.get("/pose/package.json").status_code == 404  # only the listed files
    assert learner.get("/pose/..%2Fpackage.json").status_code == 404


def test_a_changed_model_file_is_never_served(
    store: Store, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "pose"
    shutil.copytree(pose_web.pose_web_dir(), copy)
    damaged = copy / "pose_web.binarypb"
    damaged.write_bytes(b"\0" + damaged.read_bytes())
    monkeypatch.setenv("HINGE_POSE_WEB_DIR", str(copy))
    settings = load_settings(env={**os.environ, "HINGE_DATA_DIR": str(tmp_path / "data")})
    assert settings.pose_web_dir == copy
    settings = replace(settings, database_url=store.url)
    with TestClient(create_app(settings, store, catalog)) as client:
        assert client.get("/pose/pose.js").status_code == 200
        changed = client.get("/pose/pose_web.binarypb")

    assert changed.status_code == 422
    assert changed.json()["error"]["code"] == "vision_missing"
    assert "SHA-256" in changed.json()["error"]["message"]
    assert FILES["pose_web.binarypb"] in changed.json()["error"]["message"]
