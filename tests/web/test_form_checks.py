"""Form checks from the phone, through the web app: a clip sent, analysed by the real pose
model in a job (here run at once, in the web process: HINGE_JOBS_INLINE), its report read,
attached to today's session and weighed by the decision; every hostile file refused at the
door with its code, leaving nothing on disk; another learner's check is not found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.jobs import JobQueue
from hingecoach.settings import load_settings
from hingecoach.web import create_app
from tests.vision.conftest import VIDEOS, shared_or_skip
from tests.vision.corpus import CORPUS

from .conftest import PASSWORD, TODAY, csrf, post_form, sign_up

CLIP = "kbtrainer_bomDia.mp4"  # a hinge, side on, four reps
START = {
    "none_of_these": "true",
    "pain_now": "2",
    "experience": "some",
    "ladder": "solving-pain",
    "equipment": ["wall", "mat", "dowel"],
}


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def app(store: Store, catalog: Catalog, tmp_path: Path, uploads: Path) -> FastAPI:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    settings = replace(
        settings,
        today_override=TODAY,
        database_url=store.url,
        jobs_inline=True,
        upload_dir=uploads,
    )
    return create_app(settings, store, catalog)


@pytest.fixture
def web(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def staff(app: FastAPI) -> Iterator[TestClient]:
    """A clinician's browser on the same server."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def _learner(client: TestClient, email: str = "ana@example.com") -> None:
    sign_up(client, email)
    assert post_form(client, "/start", START, "/start").status_code == 200


def _send(client: TestClient, path: Path, **fields: str) -> dict[str, object]:
    with path.open("rb") as clip:
        answer = client.post(
            "/api/v1/form-checks", files={"video": (path.name, clip, "video/mp4")}, data=fields
        )
    return {**answer.json(), "http": answer.status_code}


def test_a_clip_is_checked_attached_and_weighed_by_the_decision(
    app: FastAPI, web: TestClient, uploads: Path, tmp_path: Path
) -> None:
    _learner(web)
    assert web.get("/api/v1/today").json()["prescription"]["exercise_id"] == "dowel_hinge"
    logged = web.post(
        "/api/v1/sessions",
        json={
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
            "reps": [10, 10],
            "first_set_uncued": True,
            "self_check": [True, True, True, True],
        },
    )
    assert logged.status_code == 201, logged.text

    started = _send(web, shared_or_skip(VIDEOS / CLIP))

    assert started["http"] == 202, started
    check = web.get(str(started["url"])).json()
    assert check["status"] == "done", check
    assert check["progress"] == 1.0
    assert check["report"]["reps"] == 4
    assert check["report"]["exercise"]["id"] == "dowel_hinge"
    assert check["report"] == _analyze_json(
        VIDEOS / CLIP, "dowel_hinge", tmp_path
    )  # the CLI's shape
    assert list(uploads.iterdir()) == []  # the clip is gone once checked
    page = web.get(f"/form-checks/{check['id']}")
    assert "Key moments" in page.text
    assert "Add to today's session" in page.text
    assert web.get(f"/form-checks/{check['id']}/chart.svg").text.startswith("<svg")

    attached = web.post(f"/api/v1/form-checks/{check['id']}/attach")

    assert attached.status_code == 200, attached.text
    history = web.get("/api/v1/history").json()
    assert history["sessions"][-1]["video"]["reps"] == 4
    assert web.get(str(started["url"])).json()["attached"] is True
    again = web.post(f"/api/v1/form-checks/{check['id']}/attach")
    assert again.status_code == 409
    with _next_morning(app) as morning:  # the pain light turns: now mastery is judged
        checked_in = morning.post("/api/v1/checkins", json={"pain": 1})
    assert checked_in.status_code == 201, checked_in.text
    assert "V1" in checked_in.json()["decision"]["rules"], checked_in.json()["decision"]


def _analyze_json(clip: Path, exercise: str, folder: Path) -> object:
    """What `hinge analyze --json` prints for the same clip."""
    hinge = Path(sys.executable).parent / "hinge"
    command = [str(hinge), "analyze", str(clip), "--exercise", exercise, "--json"]
    env = dict(os.environ, HINGE_DATA_DIR=str(folder))
    done = subprocess.run(command, capture_output=True, check=True, timeout=300, env=env)
    return json.loads(done.stdout)


@contextmanager
def _next_morning(app: FastAPI) -> Iterator[TestClient]:
    """Ana's phone the day after, on the same server and database."""
    settings = app.state.hinge.settings
    later = replace(settings, today_override=TODAY + timedelta(days=1))
    with TestClient(create_app(later, app.state.hinge.store, app.state.hinge.catalog)) as client:
        answer = client.post(
            "/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        yield client


def test_a_clip_kept_on_request_stays_for_the_clinician(web: TestClient, uploads: Path) -> None:
    _learner(web)
    started = _send(web, shared_or_skip(VIDEOS / CLIP), keep_video="true")

    assert web.get(str(started["url"])).json()["status"] == "done"
    assert len(list(uploads.iterdir())) == 1


@pytest.mark.parametrize("kind", CORPUS, ids=list(CORPUS))
def test_a_hostile_file_is_refused_at_the_door_and_leaves_nothing(
    web: TestClient, uploads: Path, tmp_path: Path, kind: str
) -> None:
    _learner(web)
    make, code = CORPUS[kind]
    answer = _send(web, make(tmp_path))

    if answer["http"] == 422:  # refused from its bytes, before it is queued
        assert answer["error"]["code"] == code  # type: ignore[index]
        assert web.get("/api/v1/form-checks").json()["checks"] == []
    else:  # refused by the decoder, in the job
        assert answer["http"] == 202, answer
        check = web.get(str(answer["url"])).json()
        assert (check["status"], check["error"]["code"]) == ("refused", code)
    assert list(uploads.iterdir()) == []


def test_the_upload_limit_is_enforced_while_streaming(
    store: Store, catalog: Catalog, tmp_path: Path, uploads: Path
) -> None:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    settings = replace(
        settings, database_url=store.url, jobs_inline=True, upload_dir=uploads, max_upload_mb=1
    )
    with TestClient(create_app(settings, store, catalog), follow_redirects=False) as client:
        _learner(client)
        big = tmp_path / "big.mp4"
        big.write_bytes(b"\0" * (2 * 1024 * 1024))
        answer = _send(client, big)

    assert answer["http"] == 413
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_another_learners_check_is_not_found(web: TestClient, tmp_path: Path) -> None:
    _learner(web)
    started = _send(web, CORPUS["a 4-minute video"][0](tmp_path))
    web.post("/api/v1/logout")
    _learner(web, "bo@example.com")

    assert web.get(str(started["url"])).status_code == 404
    assert web.get(f"/form-checks/{started['id']}").status_code == 404
    assert web.post(f"/api/v1/form-checks/{started['id']}/attach").status_code == 404


def test_the_page_form_sends_a_clip_and_shows_where_it_stands(web: TestClient) -> None:
    _learner(web)
    page = web.get("/form-checks/new")
    assert 'capture="environment"' in page.text
    assert 'accept="video/*"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    with shared_or_skip(VIDEOS / CLIP).open("rb") as clip:
        sent = web.post(
            "/form-checks",
            data={"csrf_token": token, "exercise": "dowel_hinge"},
            files={"video": (CLIP, clip, "video/mp4")},
        )

    assert sent.status_code == 303, sent.text[sent.text.find("alert") :][:400]
    shown = web.get(sent.headers["location"])
    assert "4 reps" in shown.text
    listed = web.get("/api/v1/form-checks").json()
    assert json.dumps(listed).count('"status": "done"') == 1


def _clinic(web: TestClient, staff: TestClient, clinic: str = "Riverside Physio") -> str:
    """A clinician and, invited by them, the learner on `web`: the learner's record address."""
    sign_up(staff, "dr.lee@example.com", role="clinician", clinic_name=clinic)
    code = staff.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    sign_up(web, "ana@example.com", invite_code=code)
    assert post_form(web, "/start", START, "/start").status_code == 200
    return str(staff.get("/api/v1/clinic").json()["learners"][0]["url"])


def test_a_clinician_reviews_a_check_and_the_learner_reads_it(
    web: TestClient, staff: TestClient, tmp_path: Path, uploads: Path
) -> None:
    record = _clinic(web, staff)
    sent = _send(web, CORPUS["a 4-minute video"][0](tmp_path), keep_video="true")
    listed = staff.get(f"/api/v1{record}").json()["form_checks"]
    assert [(c["id"], c["status"], c["review"]) for c in listed] == [(sent["id"], "refused", None)]
    assert "to review" in staff.get(record).text
    at = f"{record}/form-checks/{sent['id']}"
    assert 'id="review-form"' in staff.get(at).text
    clip = staff.get(f"{at}/video")
    assert (clip.status_code, clip.headers["content-type"]) == (200, "video/mp4")
    assert clip.content == next(uploads.iterdir()).read_bytes()

    empty = post_form(staff, f"{at}/review", {"comment": "  "}, at)
    assert empty.status_code == 422
    assert web.get(str(sent["url"])).json()["review"] is None
    saved = post_form(staff, f"{at}/review", {"comment": "Film it under 3 minutes, side on."}, at)

    assert saved.status_code == 303, saved.text
    review = web.get(str(sent["url"])).json()["review"]
    assert (review["by"], review["comment"]) == ("Dr.Lee", "Film it under 3 minutes, side on.")
    assert "Film it under 3 minutes, side on." in web.get(f"/form-checks/{sent['id']}").text
    again = staff.post(f"/api/v1{at}/review", json={"comment": "Better: thanks."})
    assert again.status_code == 200, again.text
    assert web.get(str(sent["url"])).json()["review"]["comment"] == "Better: thanks."
    assert web.get(f"/api/v1{at}").status_code == 403  # a learner is not a clinician


def test_another_clinics_clinician_finds_no_check(
    web: TestClient, staff: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    record = _clinic(web, staff)
    sent = _send(web, CORPUS["a 4-minute video"][0](tmp_path), keep_video="true")
    at = f"{record}/form-checks/{sent['id']}"
    with TestClient(app, follow_redirects=False) as stranger:
        sign_up(stranger, "dr.kim@example.com", role="clinician", clinic_name="Hilltop Clinic")
        assert stranger.get(at).status_code == 404
        assert stranger.get(f"/api/v1{at}").status_code == 404
        assert stranger.get(f"{at}/video").status_code == 404
        refused = stranger.post(f"/api/v1{at}/review", json={"comment": "mine now"})
        assert refused.status_code == 404
        token = csrf(stranger, "/clinic")
        posted = stranger.post(f"{at}/review", data={"comment": "mine", "csrf_token": token})
        assert posted.status_code == 404
    assert web.get(str(sent["url"])).json()["review"] is None


def test_a_check_still_running_cannot_be_reviewed(
    web: TestClient, staff: TestClient, tmp_path: Path
) -> None:
    record = _clinic(web, staff)
    with patch.object(JobQueue, "enqueue"):  # queued, and no worker takes it
        sent = _send(web, CORPUS["a 4-minute video"][0](tmp_path))
    answer = staff.post(f"/api/v1{record}/form-checks/{sent['id']}/review", json={"comment": "ok"})
    assert answer.status_code == 409, answer.text
    assert web.get(str(sent["url"])).json()["status"] == "queued"
