"""Input an attacker or a careless client sends: every case gets a clear 4xx in the error
shape, changes nothing, and never a 5xx (issue 9's list, one test each)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import post_form, sign_up, start_learner

SESSION = {"pain_before": 2, "pain_during": 3, "pain_after": 2, "seconds": [30, 30]}


def _sessions(client: TestClient) -> int:
    return len(client.get("/api/v1/history").json()["sessions"])


@pytest.mark.parametrize(
    "body",
    [
        '{"pain_before": NaN, "pain_during": 3, "pain_after": 2, "seconds": [30]}',
        '{"pain_before": 2, "pain_during": Infinity, "pain_after": 2, "seconds": [30]}',
        '{"pain_before": 2, "pain_during": 3, "pain_after": 2, "seconds": [30], "load": NaN}',
        '{"pain_before": 2, "pain_during": 3, "pain_after": 2, "seconds": [30], "note": "\\ud800"}',
        '{"pain_before": 2, "pain_during": 3, "pain_after": 2, "seconds": [30], "note": "a\\u0000b"}',
    ],
    ids=["nan", "infinity", "nan load", "lone surrogate", "nul"],
)
def test_numbers_that_are_not_numbers_and_broken_text_are_refused(
    client: TestClient, body: str
) -> None:
    start_learner(client)

    response = client.post(
        "/api/v1/sessions", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_input"
    assert _sessions(client) == 0


def test_a_nul_in_a_form_note_is_refused_naming_the_field(client: TestClient) -> None:
    start_learner(client)
    page = client.get("/log").text
    token = page.split('name="client_token" value="')[1].split('"')[0]

    response = post_form(
        client,
        "/log",
        {"pain_before": "2", "pain_during": "3", "pain_after": "2", "seconds": ["30"],
         "note": "left\x00hip", "client_token": token},
        "/log",
    )  # fmt: skip

    assert response.status_code == 422
    assert "<strong>Note</strong>" in response.text  # the label on the page
    assert _sessions(client) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("pain_during", "5"), ("pain_during", True), ("first_set_uncued", 1), ("reps", ["10"])],
)
def test_json_numbers_and_booleans_are_strict(
    client: TestClient, field: str, value: object
) -> None:
    start_learner(client)
    body: dict[str, object] = {**SESSION, field: value}
    if field == "reps":
        body.pop("seconds")

    response = client.post("/api/v1/sessions", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["field"].startswith(field)
    assert _sessions(client) == 0


def test_a_form_still_takes_its_numbers_as_text(client: TestClient) -> None:
    start_learner(client)
    page = client.get("/log").text
    token = page.split('name="client_token" value="')[1].split('"')[0]

    response = post_form(
        client,
        "/log",
        {"pain_before": "2", "pain_during": "3", "pain_after": "2", "seconds": ["30", "30"],
         "first_set_uncued": "true", "client_token": token},
        "/log",
    )  # fmt: skip

    assert response.status_code == 200
    assert _sessions(client) == 1


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    big = b'{"email": "' + b"a" * (2 * 1024 * 1024) + b'", "password": "x"}'

    response = client.post(
        "/api/v1/login", content=big, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("learner_id", ["-1", "0", "99999999999999999999", "1e3", "x"])
def test_a_learner_id_out_of_range_is_a_clear_refusal(
    client: TestClient, other: TestClient, learner_id: str
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")

    page = other.get(f"/api/v1/clinic/learners/{learner_id}")
    chart = other.get(f"/clinic/learners/{learner_id}/charts/pain.svg")

    assert page.status_code in (404, 422)
    assert chart.status_code in (404, 422)
    assert page.json()["error"]["code"] in ("invalid_input", "not_found")


def test_a_ladder_saved_shorter_than_a_learners_step_is_refused(
    client: TestClient, other: TestClient
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    three = (
        '[[ladder]]\nid = "gentle"\nname = "Gentle"\nsource = "Us"\n'
        + "".join(f'\n[[ladder.steps]]\nexercise = "{e}"\n' for e in ("hero_squat", "butt_taps", "dowel_hinge"))
    )  # fmt: skip
    assert other.post("/api/v1/clinic/ladders", json={"toml": three}).status_code == 201
    code = other.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(client, invite_code=code)
    url = other.get("/api/v1/clinic").json()["learners"][0]["url"]
    other.post(f"/api/v1{url}/ladder", json={"ladder": "gentle", "reason": "gentler"})
    other.post(f"/api/v1{url}/step", json={"step": 3, "reason": "ready"})
    two = three.rsplit("[[ladder.steps]]", 1)[0]

    response = other.post("/api/v1/clinic/ladders?replacing=gentle", json={"toml": two})

    assert response.status_code == 422
    assert "step 3" in response.json()["error"]["expected"]
    assert client.get("/api/v1/today").status_code == 200
    assert other.get("/api/v1/clinic").status_code == 200


def test_authenticated_answers_are_never_cached(client: TestClient) -> None:
    start_learner(client)

    for path in (
        "/api/v1/today",
        "/today",
        "/me/export.json",
        "/me/export.csv",
        "/charts/pain.svg",
    ):
        assert client.get(path).headers["cache-control"] == "no-store", path


def test_a_wrong_method_says_which_are_allowed(client: TestClient) -> None:
    response = client.delete("/api/v1/today")

    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_chart_error_is_json_like_the_document_says(client: TestClient) -> None:
    start_learner(client)

    response = client.get("/charts/other.svg")

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "chart"
