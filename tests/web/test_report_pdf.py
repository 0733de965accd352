"""The PDF progress report: the clinician's copy of a learner's and the learner's own, read
back with pypdf as a reader would see them (text, pages, pictures)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from httpx2 import Response
from pypdf import PdfReader

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.report_pdf import OutcomeScore, report_pdf
from hingecoach.catalog import Catalog
from hingecoach.web.reports import learner_report

from .conftest import TODAY, make_client, sign_up, start_learner

RULE_ID = re.compile(r"\b[A-Z]{1,2}\d{1,2}\b")
NOTE = "Seen today; the hinge looks good, keep the dowel on the back."


def _clinic_with_learner(learner: TestClient, clinician: TestClient) -> str:
    """A clinician, and a learner who joined their clinic by invite: the learner's path."""
    sign_up(clinician, "dr.lee@example.com", role="clinician")
    code = clinician.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(learner, invite_code=code)
    return str(clinician.get("/api/v1/clinic").json()["learners"][0]["url"])


def _session(learner: TestClient, pain_before: int = 1) -> None:
    session = {"pain_before": pain_before, "pain_during": 3, "pain_after": 2, "seconds": [30, 30]}
    assert learner.post("/api/v1/sessions", json=session).status_code == 201


def _pdf(answer: Response) -> PdfReader:
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="hingecoach-report-[\w-]+\.pdf"',
        answer.headers["content-disposition"],
    )
    return PdfReader(io.BytesIO(answer.content))


def _text(pdf: PdfReader) -> str:
    """The words of every page, with line breaks and justified spacing made single spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def test_the_clinicians_copy_names_the_learner_their_ladder_step_and_pain_at_the_start(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    step = other.post(f"/api/v1{url}/step", json={"step": 3, "reason": "lifts well already"})
    assert step.status_code == 200
    _session(client, pain_before=1)
    today = client.get("/api/v1/today").json()

    text = _text(_pdf(other.get(f"{url}/report.pdf")))

    assert "HingeCoach progress report Ana" in text
    assert f"Ladder {today['ladder']['name']}" in text
    assert f"Step 3 of {today['steps']}: {today['prescription']['name']}" in text
    assert "step 1 → 3" in text  # the step over time
    assert "At the start 3/10 on 2 Mar 2026" in text  # START's pain_now, the baseline
    assert "Latest 1/10 on 2 Mar 2026 (before a session)" in text
    assert "down 2 points, 67 %: better (important change)" in text


def test_the_clinicians_copy_gives_every_decisions_reasons_and_rules(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    _session(client)
    decisions = client.get("/api/v1/history").json()["decisions"]

    text = _text(_pdf(other.get(f"{url}/report.pdf")))

    assert len(decisions) >= 2  # the placement and the session's
    for decision in decisions:
        for reason in decision["reasons"]:
            assert " ".join(reason.split()) in text
        assert f"Rules: {', '.join(decision['rules'])}" in text


def test_a_note_added_through_the_clinic_api_is_in_the_clinicians_copy_only(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    assert other.post(f"/api/v1{url}/notes", json={"body": NOTE}).status_code == 200

    clinicians = _text(_pdf(other.get(f"{url}/report.pdf")))
    learners = _text(_pdf(client.get("/me/report.pdf")))

    assert f"Dr.Lee • {NOTE}" in clinicians
    assert NOTE not in learners  # the clinic's record, left out of the learner's copy


def test_every_change_by_a_clinician_is_in_their_copy_with_who_and_why(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    for change, body in (
        ("step", {"step": 2, "reason": "moves well"}),
        ("policy", {"field": "pain_during_max", "value": 3, "reason": "flares easily"}),
        ("ladder", {"ladder": "evolve", "reason": "wants to lift"}),
    ):
        assert other.post(f"/api/v1{url}/{change}", json=body).status_code == 200

    text = _text(_pdf(other.get(f"{url}/report.pdf")))

    assert "Step 1 → 2, by Dr.Lee • moves well" in text
    assert "Pain-during limit 5 → 3, by Dr.Lee • flares easily" in text  # words, not field names
    assert "on step 2, by Dr.Lee • wants to lift" in text
    assert "solving-pain" not in text  # ladders by their names


def test_the_three_history_charts_are_pictures_in_the_report(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    _session(client)

    for pdf in (_pdf(other.get(f"{url}/report.pdf")), _pdf(client.get("/me/report.pdf"))):
        pictures = [image for page in pdf.pages for image in page.images]
        assert len(pictures) == 3  # steps, pain, calendar
        assert all(image.image is not None and image.image.width >= 600 for image in pictures)
        text = _text(pdf)
        for title in ("Step on the ladder", "Pain", "Sessions, last 8 weeks"):
            assert title in text


def test_every_page_says_its_number_of_the_whole_and_the_day_it_was_made(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    _session(client)

    pdf = _pdf(other.get(f"{url}/report.pdf"))

    pages = len(pdf.pages)
    assert pages >= 2
    for number, page in enumerate(pdf.pages, start=1):
        footer = " ".join(page.extract_text().split())
        assert (
            f"HingeCoach progress report · Ana · page {number} of {pages} · made 2 Mar 2026"
            in footer
        )


def test_the_learners_own_copy_is_in_plain_words_without_rule_ids(
    client: TestClient, other: TestClient
) -> None:
    url = _clinic_with_learner(client, other)
    other.post(f"/api/v1{url}/step", json={"step": 2, "reason": "moves well"})
    _session(client)

    learners = _text(_pdf(client.get("/me/report.pdf")))
    clinicians = _text(_pdf(other.get(f"{url}/report.pdf")))

    assert "Your own copy, made 2 Mar 2026" in learners
    assert "Start at Hero squat: you are new to the hinge" in learners  # the reasons stay
    assert RULE_ID.findall(learners) == []
    assert {"PL4", "C1"} <= set(RULE_ID.findall(clinicians))  # the clinician's copy has them


def test_a_learner_with_no_sessions_gets_an_honest_report(client: TestClient) -> None:
    start_learner(client)

    pdf = _pdf(client.get("/me/report.pdf"))

    text = _text(pdf)
    assert "Sessions logged 0" in text
    assert "No sessions logged yet." in text
    assert "Latest none logged yet" in text
    assert re.search(r"0 of \d+ expected sessions in the last 14 days \(0 %\)", text)
    assert "Outcome scores None recorded yet." in text
    assert "page 1 of" in text


def test_a_clinician_of_another_clinic_gets_404_for_the_report(
    client: TestClient, other: TestClient, store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    url = _clinic_with_learner(client, other)
    with make_client(store, catalog, tmp_path) as kim:
        sign_up(kim, "kim@example.com", role="clinician", clinic_name="Hillside")

        answer = kim.get(f"{url}/report.pdf")

    assert answer.status_code == 404
    assert not answer.content.startswith(b"%PDF")


def test_an_account_without_a_programme_is_told_where_its_reports_are(
    client: TestClient, other: TestClient
) -> None:
    sign_up(client, "ana@example.com")
    sign_up(other, "dr.lee@example.com", role="clinician")

    learner, clinician = client.get("/me/report.pdf"), other.get("/me/report.pdf")

    assert (learner.status_code, clinician.status_code) == (409, 409)
    assert "safety questions first (/start)" in learner.text
    assert "report is on their page (/clinic)" in clinician.text


def test_outcome_scores_given_to_the_report_are_listed_with_the_important_change_marked(
    client: TestClient,
) -> None:
    start_learner(client)
    status = client.app.state.hinge.coach(1).status()  # type: ignore[attr-defined]
    scores = [
        OutcomeScore("Oswestry (ODI)", "42 %", "28 %", "down 14 points", important=True),
        OutcomeScore("Roland-Morris", "9", "7", "down 2", important=False),
    ]

    text = _text(PdfReader(io.BytesIO(report_pdf(learner_report(status, TODAY, scores)))))

    assert "Oswestry (ODI) 42 % 28 % down 14 points (important change)" in text
    assert "Roland-Morris 9 7 down 2" in text
    assert "down 2 (important change)" not in text


def test_a_rule_id_written_into_a_reason_is_dropped_from_the_learners_copy_only(
    client: TestClient,
) -> None:
    start_learner(client)
    status = client.app.state.hinge.coach(1).status()  # type: ignore[attr-defined]
    said = "The dose stays low until a session is green (P2). Loaded steps wait (D2-D5)."
    status = replace(status, decisions=[replace(d, reasons=(said,)) for d in status.decisions])

    learners = _text(PdfReader(io.BytesIO(report_pdf(learner_report(status, TODAY)))))

    assert "The dose stays low until a session is green. Loaded steps wait." in learners
    assert RULE_ID.findall(learners) == []


def test_sessions_before_the_last_eight_weeks_are_left_to_the_chart_and_said_so(
    client: TestClient,
) -> None:
    start_learner(client)
    _session(client)
    status = client.app.state.hinge.coach(1).status()  # type: ignore[attr-defined]
    old = replace(status.sessions[0], day=TODAY - timedelta(weeks=8))
    status = replace(status, sessions=[old, *status.sessions])

    text = _text(PdfReader(io.BytesIO(report_pdf(learner_report(status, TODAY)))))

    assert "The last 8 weeks: 1 of 2 sessions; the chart above has them all." in text
    assert "2 Mar 2026 1 1 3 2" in text  # today's session, in the table
    assert "5 Jan 2026" not in text  # the older one, only in the chart


def test_the_questionnaires_filled_in_reach_the_learners_report(
    client: TestClient,
) -> None:
    start_learner(client)
    for values in ([3, 3, 2, 3, 3, 2, 3, None, 2, 3], [1, 1, 1, 1, 2, 1, 1, None, 1, 1]):
        filled = client.post("/api/v1/questionnaires/odi", json={"values": values})
        assert filled.status_code == 201, filled.text

    answer = client.get("/me/report.pdf")
    text = _text(PdfReader(io.BytesIO(answer.content)))

    assert "None recorded yet." not in text
    assert "53 % (severe)" in text
    assert "22 % (moderate)" in text
    assert "(important change)" in text
