"""Form checks from the phone, through the web app: a clip sent, analysed by the real pose
model in a job (here run at once, in the web process: HINGE_JOBS_INLINE), its report read,
attached to today's session and weighed by the decision; every hostile file refused at the
door with its code, leaving nothing on disk; another learner's check is not found."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.settings import load_settings
from hingecoach.web import create_app
from tests.vision.conftest import VIDEOS, shared_or_skip
from tests.vision.corpus import CORPUS

from .conftest import TODAY, post_form, sign_up

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
def web(store: Store, catalog: Catalog, tmp_path: Path, uploads: Path) -> Iterator[TestClient]:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    settings = replace(
        settings,
        today_override=TODAY,
        database_url=store.url,
        jobs_inline=True,
        upload_dir=uploads,
    )
    with TestClient(create_app(settings, store, catalog), follow_redirects=False) as client:
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
    web: TestClient, uploads: Path
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
    assert list(uploads.iterdir()) == []  # the clip is gone once checked
    page = web.get(f"/form-checks/{check['id']}")
    assert "Key moments" in page.text
    assert "Add to today's session" in page.text
    assert web.get(f"/form-checks/{check['id']}/chart.svg").text.startswith("<svg")

    attached = web.post(f"/api/v1/form-checks/{check['id']}/attach")

    assert attached.status_code == 200, attached.text
    assert "V1" in attached.json()["decision"]["rules"] or attached.json()["decision"]
    history = web.get("/api/v1/history").json()
    assert history["sessions"][-1]["video"]["reps"] == 4
    assert web.get(str(started["url"])).json()["attached"] is True
    again = web.post(f"/api/v1/form-checks/{check['id']}/attach")
    assert again.status_code == 409


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
