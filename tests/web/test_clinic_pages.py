"""The clinician's pages: roster, changes recorded with who and why, notes, ladders."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.services.accounts import Accounts
from hingecoach.services.uow import sql

from .conftest import PASSWORD, post_form, sign_up, start_learner


def _clinic_with_learner(client: TestClient, clinician: TestClient) -> str:
    sign_up(clinician, "dr.lee@example.com", role="clinician")
    code = clinician.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(client, invite_code=code)
    return clinician.get("/api/v1/clinic").json()["learners"][0]["url"]


def test_overriding_the_step_moves_the_learner_and_records_who_and_why(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    response = post_form(other, f"{url}/step", {"step": "4", "reason": "lifts well already"}, url)

    assert response.status_code == 303
    assert client.get("/api/v1/today").json()["step"] == 4
    record = other.get(f"/api/v1{url}").json()["record"]
    assert record["changes"][-1]["by"] == "Dr.Lee"
    assert record["changes"][-1]["reason"] == "lifts well already"
    last = client.get("/api/v1/history").json()["decisions"][-1]
    assert last["rules"] == ["C1"]


def test_an_override_without_a_reason_is_refused_and_changes_nothing(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    response = post_form(other, f"{url}/step", {"step": "4", "reason": ""}, url)

    assert response.status_code == 422
    assert client.get("/api/v1/today").json()["step"] == 1


def test_a_step_outside_the_ladder_is_refused(client: TestClient, other: TestClient) -> None:
    url = _clinic_with_learner(client, other)
    response = other.post(f"/api/v1{url}/step", json={"step": 11, "reason": "typo"})

    assert response.status_code == 422
    assert response.json()["error"]["expected"] == "1-10"


def test_adjusting_a_threshold_is_recorded_and_used(client: TestClient, other: TestClient) -> None:
    url = _clinic_with_learner(client, other)
    response = other.post(
        f"/api/v1{url}/policy",
        json={"field": "pain_during_max", "value": 3, "reason": "flares easily"},
    )

    assert response.json() == {"field": "pain_during_max", "value": 3}
    record = other.get(f"/api/v1{url}").json()["record"]
    assert {"field": "pain_during_max", "value": 3, "adjusted": True} in record["policy"]
    assert record["changes"][-1]["detail"] == {"pain_during_max": [5, 3]}
    bad = other.post(f"/api/v1{url}/policy", json={"field": "nonsense", "value": 3, "reason": "x"})
    assert bad.status_code == 422


def test_notes_are_kept_with_the_author(client: TestClient, other: TestClient) -> None:
    url = _clinic_with_learner(client, other)
    post_form(other, f"{url}/notes", {"body": "Seen today; hinge looks good."}, url)

    notes = other.get(f"/api/v1{url}").json()["record"]["notes"]
    assert [(n["author"], n["body"]) for n in notes] == [
        ("Dr.Lee", "Seen today; hinge looks good.")
    ]


def test_a_custom_ladder_is_checked_like_a_ladder_file_and_can_be_assigned(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    example = other.get("/api/v1/clinic/ladders").json()["example"]
    bad = post_form(
        other,
        "/clinic/ladders",
        {"toml": example.replace("butt_taps", "cartwheel")},
        "/clinic/ladders",
    )
    assert bad.status_code == 422
    assert "unknown exercise &#39;cartwheel&#39;" in bad.text

    saved = post_form(other, "/clinic/ladders", {"toml": example}, "/clinic/ladders")
    assert saved.status_code == 303
    assigned = other.post(
        f"/api/v1{url}/ladder", json={"ladder": "my-clinic-ladder", "reason": "flare"}
    )
    assert assigned.status_code == 200
    today = client.get("/api/v1/today").json()
    assert (today["ladder"]["id"], today["steps"]) == ("my-clinic-ladder", 3)


def test_the_roster_flags_a_learner_who_reported_a_warning_sign(
    client: TestClient, other: TestClient
) -> None:
    _clinic_with_learner(client, other)
    client.post("/api/v1/screens", json={"flags": ["S-B4"]})
    row = other.get("/api/v1/clinic").json()["learners"][0]

    assert (row["urgency"], row["stopped"]) == ("urgent", True)
    assert "Urgent stop" in other.get("/clinic").text


def test_a_clearance_restarts_a_stopped_learner(client: TestClient, other: TestClient) -> None:
    url = _clinic_with_learner(client, other)
    client.post("/api/v1/screens", json={"flags": ["S-B4"]})
    response = other.post(
        f"/api/v1{url}/clear", json={"note": "seen, bloods normal", "examined_on": "2026-03-02"}
    )

    assert response.status_code == 200
    assert client.get("/api/v1/today").json()["stopped"] is False


def test_a_clearance_without_the_exam_date_is_refused(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    client.post("/api/v1/screens", json={"flags": ["S-B4"]})
    response = other.post(f"/api/v1{url}/clear", json={"note": "seen"})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "examined_on"
    assert client.get("/api/v1/today").json()["stopped"] is True


def test_an_admin_of_another_clinic_cannot_clear_a_learner(
    client: TestClient, other: TestClient, store: Store
) -> None:
    url = _clinic_with_learner(client, other)
    client.post("/api/v1/screens", json={"flags": ["S-B4"]})
    Accounts(sql(store)).make_admin("root@example.com", PASSWORD, "Root", "Head office")
    other.post("/api/v1/logout")
    other.post("/api/v1/login", json={"email": "root@example.com", "password": PASSWORD})
    response = other.post(f"/api/v1{url}/clear", json={"examined_on": "2026-03-02"})

    assert response.status_code == 403
    assert client.get("/api/v1/today").json()["stopped"] is True


def test_an_unknown_change_is_an_unknown_page(client: TestClient, other: TestClient) -> None:
    url = _clinic_with_learner(client, other)

    assert post_form(other, f"{url}/delete-everything", {}, url).status_code == 404


def test_a_clinician_asks_for_a_questionnaire_and_watches_the_scores(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    asked = post_form(other, f"{url}/questionnaires", {"measure": "rmdq"}, url)

    assert asked.status_code == 303
    due = client.get("/api/v1/today").json()["questionnaires_due"]
    assert {"measure": "rmdq", "asked_by": "Dr.Lee"}.items() <= next(
        d for d in due if d["measure"] == "rmdq"
    ).items()
    assert "Roland-Morris" in client.get("/today").text or "What your back stops" in (
        client.get("/today").text
    )
    filled = client.post("/api/v1/questionnaires/rmdq", json={"values": [1] * 9 + [0] * 15})
    assert filled.status_code == 201
    assert filled.json()["shown"] == "9/24"
    outcomes = other.get(f"/api/v1{url}").json()["outcomes"]
    assert "rmdq" not in [d["measure"] for d in outcomes["due"]]  # answered: no longer due
    assert outcomes["series"][0]["points"][0]["shown"] == "9/24"
    assert "9/24" in other.get(url).text  # on the clinician's record page
    bad = other.post(f"/api/v1{url}/questionnaires", json={"measure": "sf-36"})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "measure"
