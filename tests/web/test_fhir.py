"""The FHIR R4 export (docs/fhir.md): built with fhir.resources, read back here with
fhirclient's R4 models in strict mode, an independent parser that refuses an unknown,
misplaced, mistyped or missing element."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhirclient.models.bundle import Bundle as R4Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog

from .conftest import TODAY, make_client, sign_up, start_learner

LOINC_PAIN = {
    "system": "http://loinc.org",
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
EXERCISE_THERAPY = {
    "system": "http://snomed.info/sct",
    "code": "229065009",
    "display": "Exercise therapy",
}
SURVEY = "http://terminology.hl7.org/CodeSystem/observation-category"
TIMING = "urn:hingecoach:pain-timing"


def _strict(response: Any) -> dict[str, Any]:
    """The downloaded Bundle, once the strict R4 parser has read all of it back unchanged."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    parsed = R4Bundle(body, strict=True)  # raises FHIRValidationError on any fault
    assert parsed.as_json() == body  # nothing dropped or reshaped on the way
    return body


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    entries = bundle.get("entry", [])
    return [e["resource"] for e in entries if e["resource"]["resourceType"] == kind]


def _session(client: TestClient, before: int, during: int, after: int) -> None:
    body = {"pain_before": before, "pain_during": during, "pain_after": after, "seconds": [30]}
    answer = client.post("/api/v1/sessions", json=body)
    assert answer.status_code == 201, answer.text


def _readings(bundle: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(when, day, pain) of each pain Observation, in the Bundle's order."""
    found = []
    for obs in _resources(bundle, "Observation"):
        loinc, timing = obs["code"]["coding"]
        assert loinc == LOINC_PAIN
        assert timing["system"] == TIMING
        found.append((timing["code"], obs["effectiveDateTime"], obs["valueInteger"]))
    return found


def _numbered(bundle: dict[str, Any]) -> Any:
    """The Bundle with each resource's random id (in fullUrl, id and every reference)
    replaced by its place in the Bundle: two downloads compare by content."""
    text = json.dumps(bundle)
    for n, entry in enumerate(bundle["entry"]):
        text = text.replace(entry["resource"]["id"], f"entry-{n}")
    return json.loads(text)


def _clinic_with_learner(client: TestClient, clinician: TestClient) -> str:
    sign_up(clinician, "dr.lee@example.com", role="clinician")
    code = clinician.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(client, invite_code=code)
    url: str = clinician.get("/api/v1/clinic").json()["learners"][0]["url"]
    return url


def test_a_learner_downloads_each_pain_reading_as_a_loinc_observation(
    client: TestClient, store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    start_learner(client)
    _session(client, 2, 3, 2)
    with make_client(store, catalog, tmp_path, TODAY + timedelta(days=1)) as morning:
        morning.cookies.update(client.cookies)
        assert morning.post("/api/v1/checkins", json={"pain": 1}).status_code == 201
        _session(morning, 1, 4, 0)

    response = client.get("/me/export.fhir.json")
    bundle = _strict(response)

    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["content-disposition"] == (
        'attachment; filename="hingecoach-my-data.fhir.json"'
    )
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    assert 'href="/me/export.fhir.json"' in client.get("/me").text
    # three readings per session, then one per morning check-in
    assert _readings(bundle) == [
        ("before-session", "2026-03-02", 2),
        ("during-session", "2026-03-02", 3),
        ("after-session", "2026-03-02", 2),
        ("before-session", "2026-03-03", 1),
        ("during-session", "2026-03-03", 4),
        ("after-session", "2026-03-03", 0),
        ("next-morning", "2026-03-03", 1),
    ]


def test_every_observation_is_a_final_survey_of_the_patient_in_the_bundle(
    client: TestClient,
) -> None:
    start_learner(client)
    _session(client, 2, 3, 2)

    bundle = _strict(client.get("/me/export.fhir.json"))

    [patient] = _resources(bundle, "Patient")
    assert patient["identifier"] == [{"system": "urn:hingecoach:learner", "value": "1"}]
    assert patient["name"] == [{"text": "Ana"}]
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) == 5  # Patient, CarePlan and three readings
    patient_url = f"urn:uuid:{patient['id']}"
    assert urls[0] == patient_url
    for obs in _resources(bundle, "Observation"):
        assert obs["status"] == "final"
        assert obs["category"][0]["coding"] == [
            {"system": SURVEY, "code": "survey", "display": "Survey"}
        ]
        assert obs["subject"] == {"reference": patient_url}
        assert obs["performer"] == [{"reference": patient_url}]
    assert [o["code"]["text"] for o in _resources(bundle, "Observation")] == [
        "Pain before the exercise session",
        "Pain during the exercise session",
        "Pain after the exercise session",
    ]


def test_the_care_plan_names_the_ladder_and_the_current_step(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    moved = other.post(f"/api/v1{url}/step", json={"step": 4, "reason": "lifts well already"})
    assert moved.status_code == 200, moved.text
    today = client.get("/api/v1/today").json()

    bundle = _strict(client.get("/me/export.fhir.json"))

    [plan] = _resources(bundle, "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["title"] == today["ladder"]["name"]
    assert plan["instantiatesUri"] == ["urn:hingecoach:ladder:solving-pain"]
    [activity] = plan["activity"]
    assert activity["detail"]["code"]["coding"] == [EXERCISE_THERAPY]
    assert activity["detail"]["status"] == "in-progress"
    assert today["step"] == 4
    name = today["prescription"]["name"]
    assert activity["detail"]["description"] == f"Step 4 of {today['steps']}: {name}"


def test_a_stopped_programme_is_a_care_plan_on_hold_with_the_reason(client: TestClient) -> None:
    start_learner(client)
    assert client.post("/api/v1/screens", json={"flags": ["S-B4"]}).status_code == 201
    reason = client.get("/api/v1/today").json()["programme"]["reason"]

    [plan] = _resources(_strict(client.get("/me/export.fhir.json")), "CarePlan")

    assert plan["status"] == "on-hold"
    assert plan["activity"][0]["detail"]["status"] == "on-hold"
    assert reason
    assert plan["activity"][0]["detail"]["statusReason"] == {"text": reason}


def test_a_learner_with_no_sessions_still_gets_a_valid_bundle(client: TestClient) -> None:
    start_learner(client)

    bundle = _strict(client.get("/me/export.fhir.json"))

    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "CarePlan"]


def test_each_download_has_fresh_ids_and_the_same_content(client: TestClient) -> None:
    """Ids made from the learner id would be the same for learner 1 of every server."""
    start_learner(client)
    _session(client, 2, 3, 2)

    first = _strict(client.get("/me/export.fhir.json"))
    second = _strict(client.get("/me/export.fhir.json"))

    def ids(bundle: dict[str, Any]) -> set[str]:
        return {e["resource"]["id"] for e in bundle["entry"]}

    assert len(ids(first)) == len(ids(second)) == 5
    assert ids(first).isdisjoint(ids(second))
    assert _numbered(first) == _numbered(second)


def test_an_account_with_no_programme_gets_an_empty_valid_bundle(other: TestClient) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")

    bundle = _strict(other.get("/me/export.fhir.json"))

    assert bundle == {"resourceType": "Bundle", "type": "collection"}


def test_the_clinician_downloads_the_same_bundle_as_the_learner(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    _session(client, 5, 6, 4)

    response = other.get(f"{url}/export.fhir.json")
    theirs = _strict(response)

    assert url == "/clinic/learners/1"
    assert f'href="{url}/export.fhir.json"' in other.get(url).text
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["content-disposition"] == (
        'attachment; filename="hingecoach-learner-1.fhir.json"'
    )
    assert _numbered(theirs) == _numbered(_strict(client.get("/me/export.fhir.json")))
    assert [(w, v) for w, _, v in _readings(theirs)] == [
        ("before-session", 5),
        ("during-session", 6),
        ("after-session", 4),
    ]


def test_another_clinics_clinician_gets_404(
    client: TestClient, other: TestClient, store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    url = _clinic_with_learner(client, other)
    _session(client, 5, 6, 4)

    with make_client(store, catalog, tmp_path) as kim:
        sign_up(kim, "kim@example.com", role="clinician", clinic_name="Hillside")
        response = kim.get(f"{url}/export.fhir.json")

    assert response.status_code == 404
    assert "Observation" not in response.text


def test_the_strict_parser_would_refuse_a_malformed_bundle(client: TestClient) -> None:
    """The check above can fail: an element R4 does not know is refused."""
    start_learner(client)
    body = _strict(client.get("/me/export.fhir.json"))
    body["entry"][0]["resource"]["nickname"] = "Ana"

    with pytest.raises(FHIRValidationError):
        R4Bundle(body, strict=True)


def test_each_questionnaire_is_a_response_with_its_score_derived_from_it(
    client: TestClient,
) -> None:
    start_learner(client)
    odi = [3, 3, 2, 3, 3, 2, 3, None, 2, 3]  # 24 of 45: 53.3 %
    client.post("/api/v1/questionnaires/odi", json={"values": odi})
    client.post(
        "/api/v1/questionnaires/psfs",
        json={"names": ["gardening", "lifting", "sitting"], "activities": [3, 4, 5]},
    )
    client.post("/api/v1/questionnaires/start-back", json={"values": [1, 1, 0, 0, 1, 1, 1, 0, 3]})

    bundle = _strict(client.get("/me/export.fhir.json"))

    responses = _resources(bundle, "QuestionnaireResponse")
    assert [r["questionnaire"] for r in responses] == [
        "http://loinc.org/q/97908-8",
        "urn:hingecoach:questionnaire:psfs",
        "http://loinc.org/q/91349-1",
    ]
    odi_items = responses[0]["item"]
    assert len(odi_items) == 10
    assert "answer" not in odi_items[7]  # the section left out has no answer
    assert odi_items[0]["answer"] == [{"valueInteger": 3}]
    assert [i["text"] for i in responses[1]["item"]] == ["gardening", "lifting", "sitting"]
    scores = {
        o["code"]["coding"][0]["code"]: o
        for o in _resources(bundle, "Observation")
        if "derivedFrom" in o
    }
    assert scores["97909-6"]["valueQuantity"]["value"] == 53.3
    assert scores["91351-7"]["valueQuantity"]["value"] == 6
    assert scores["psfs-score"]["valueQuantity"]["value"] == 4
    urls = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    assert scores["97909-6"]["derivedFrom"] == [{"reference": urls[responses[0]["id"]]}]
