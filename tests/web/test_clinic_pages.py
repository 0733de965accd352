"""The clinician's pages: roster, changes recorded with who and why, notes, ladders."""

from __future__ import annotations

import re
from typing import Any

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
    assert any(
        {"field": "pain_during_max", "value": 3, "adjusted": True}.items() <= p.items()
        for p in record["policy"]
    )
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
    before = client.get("/api/v1/today").json()["questionnaires_due"]  # kept by the process
    assert "rmdq" not in [d["measure"] for d in before]
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
    after = client.get("/api/v1/today").json()["questionnaires_due"]  # nor on today's page
    assert "rmdq" not in [d["measure"] for d in after]
    assert outcomes["series"][0]["points"][0]["shown"] == "9/24"
    assert "9/24" in other.get(url).text  # on the clinician's record page
    bad = other.post(f"/api/v1{url}/questionnaires", json={"measure": "sf-36"})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "measure"


# -- clinician pages people can read (issue 13 item 5) ----------------------------------------

_WHEN = r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC"


def test_each_threshold_shows_its_label_unit_range_and_help(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    other.post(
        f"/api/v1{url}/policy",
        json={"field": "pain_during_max", "value": 4, "reason": "flares easily"},
    )

    items = {p["field"]: p for p in other.get(f"/api/v1{url}").json()["record"]["policy"]}
    during = items["pain_during_max"]
    assert {"value": 4, "adjusted": True, "default": 5}.items() <= during.items()
    assert (during["label"], during["min"], during["max"], during["rule"]) == (
        "Pain-during limit",
        0,
        10,
        "P1/P3",
    )
    assert during["unit"] == "points on the 0-10 pain scale"
    assert during["help"].startswith("Peak pain during a session")
    assert items["baseline_days"]["adjusted"] is False
    page = other.get(url).text
    assert "Pain-during limit (now 4, adjusted)" in page
    assert "points on the 0-10 pain scale, 0-10" in page
    assert during["help"] in page
    assert "pain during max" not in page  # no field name shown as a label


def test_changes_read_as_sentences_with_who_when_and_why(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    other.post(
        f"/api/v1{url}/policy",
        json={"field": "pain_during_max", "value": 4, "reason": "flares easily"},
    )
    other.post(f"/api/v1{url}/step", json={"step": 3, "reason": "hinges well"})
    other.post(f"/api/v1{url}/ladder", json={"ladder": "evolve", "reason": "likes the clean"})

    changes = other.get(f"/api/v1{url}").json()["record"]["changes"]
    words = [c["words"] for c in changes]
    assert re.fullmatch(rf"Pain-during limit 5 → 4, by Dr.Lee, {_WHEN}: flares easily", words[0])
    assert re.fullmatch(rf"Step 1 → 3, by Dr.Lee, {_WHEN}: hinges well", words[1])
    assert re.fullmatch(
        rf"Ladder Solving Pain With Strength → Evolve Performance Healthcare, on step 3, "
        rf"by Dr.Lee, {_WHEN}: likes the clean",
        words[2],
    )
    assert changes[0]["detail"] == {"pain_during_max": [5, 4]}  # the API keeps the values
    page = other.get(url).text
    assert "Pain-during limit 5 → 4, by Dr.Lee" in page
    assert '{"pain_during_max"' not in page


def test_the_roster_counts_one_learner_in_the_singular(
    client: TestClient, other: TestClient
) -> None:
    _clinic_with_learner(client, other)

    assert other.get("/api/v1/clinic").json()["summary"].startswith("1 learner · ")
    assert "1 learners" not in other.get("/clinic").text


_BUILT = {
    "id": "gentle",
    "name": "Gentle hinge",
    "description": "After a flare.",
    "exercise.0": "hero_squat",
    "label.0": "Unlock the hips",
    "exercise.1": "dowel_hinge",
    "exercise.2": "",  # a row left blank is skipped
    "label.2": "",
    "exercise.3": "banded_hinge",
}
_SAME_IN_TOML = """[[ladder]]
id = "gentle"
name = "Gentle hinge"
source = "Riverside Physio"
description = "After a flare."

[[ladder.steps]]
exercise = "hero_squat"
label = "Unlock the hips"

[[ladder.steps]]
exercise = "dowel_hinge"

[[ladder.steps]]
exercise = "banded_hinge"
"""


def _custom(browser: TestClient) -> list[dict[str, Any]]:
    ladders: list[dict[str, Any]] = browser.get("/api/v1/clinic/ladders").json()["custom"]
    return ladders


def test_a_built_ladder_is_the_same_ladder_as_its_toml(
    client: TestClient, other: TestClient
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    sign_up(client, "dr.kim@example.com", role="clinician")  # a clinic of the same name

    built = post_form(other, "/clinic/ladders/build", _BUILT, "/clinic/ladders")
    written = post_form(client, "/clinic/ladders", {"toml": _SAME_IN_TOML}, "/clinic/ladders")

    assert (built.status_code, written.status_code) == (303, 303)
    (from_builder,), (from_toml,) = _custom(other), _custom(client)
    assert from_builder.pop("toml") != ""
    from_toml.pop("toml")
    assert from_builder == from_toml
    assert [s["id"] for s in from_builder["steps"]] == ["hero_squat", "dowel_hinge", "banded_hinge"]
    assert from_builder["size"] == "3 steps"
    page = other.get("/clinic/ladders").text
    assert "Doses come from the exercise" in page
    assert "2-3 sets of 30-60 s or 8-12 reps, 60 s rest" in page  # the hero squat's dose


def test_the_builder_api_answers_the_ladder_and_its_toml(other: TestClient) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    body = {
        "id": "one-step",
        "name": 'Just the "hero" squat \\ nothing else',
        "steps": [{"exercise": "hero_squat", "label": None}],
    }
    answer = other.post("/api/v1/clinic/ladders/build", json=body)

    assert answer.status_code == 201, answer.text
    assert (answer.json()["size"], answer.json()["steps"][0]["id"]) == ("1 step", "hero_squat")
    assert answer.json()["name"] == body["name"]  # quoted in the TOML, read back the same
    assert 'exercise = "hero_squat"' in answer.json()["toml"]
    assert "<code>one-step</code>, 1 step</summary>" in other.get("/clinic/ladders").text


def test_a_bad_built_ladder_is_refused_by_its_field_and_nothing_is_stored(
    other: TestClient,
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    empty = post_form(other, "/clinic/ladders/build", {"id": "x", "name": "X"}, "/clinic/ladders")
    assert empty.status_code == 422
    assert "<strong>Steps</strong>" in empty.text
    no_steps = other.post(
        "/api/v1/clinic/ladders/build", json={"id": "x", "name": "X", "steps": []}
    )
    assert (no_steps.status_code, no_steps.json()["error"]["field"]) == (422, "steps")

    half = post_form(
        other,
        "/clinic/ladders/build",
        {"id": "x", "name": "X", "exercise.0": "hero_squat", "label.1": "Then?"},
        "/clinic/ladders",
    )
    assert half.status_code == 422
    assert "Steps, item 2" in half.text
    assert 'value="Then?"' in half.text  # the form comes back filled in

    unknown = post_form(
        other,
        "/clinic/ladders/build",
        {"id": "x", "name": "X", "exercise.0": "hero_squat", "exercise.1": "cartwheel"},
        "/clinic/ladders",
    )
    assert unknown.status_code == 422
    assert "step 2.exercise: unknown exercise &#39;cartwheel&#39;" in unknown.text

    body = {"id": "gentle", "name": "Gentle", "steps": [{"exercise": "hero_squat"}]}
    assert other.post("/api/v1/clinic/ladders/build", json=body).status_code == 201
    again = other.post("/api/v1/clinic/ladders/build", json=body)
    builtin = other.post("/api/v1/clinic/ladders/build", json=body | {"id": "evolve"})
    assert again.status_code == builtin.status_code == 422
    assert "id 'gentle' is already taken" in again.json()["error"]["message"]
    assert "id 'evolve' is a built-in ladder" in builtin.json()["error"]["message"]
    assert [lad["id"] for lad in _custom(other)] == ["gentle"]
