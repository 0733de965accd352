"""Schema fuzzing (Schemathesis) over /api/v1/openapi.json, signed in as a learner and as a
clinician of the same clinic: whatever the generator sends, positive or negative, no answer
is a server error, every answer has a status the document lists, and every JSON answer has
the shape the document gives for that status.

Signing out is left out (it would end the fuzzer's own session; tests/web/test_accounts.py
covers it). Everything else runs, writes included, on a database of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hingecoach.adapters.db.store import open_store, sqlite_url
from hingecoach.catalog import builtin_catalog
from hingecoach.settings import load_settings
from hingecoach.web import create_app

from .conftest import PASSWORD, TODAY, start_learner

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class Clinic:
    app: FastAPI
    cookies: dict[str, str]  # role -> Cookie header of a signed-in browser


def _cookie(client: TestClient) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    store = open_store(sqlite_url(folder / "fuzz.db"))
    settings_ = load_settings(env={"HINGE_DATA_DIR": str(folder / "data")})
    settings_ = replace(settings_, today_override=TODAY, database_url=store.url)
    app = create_app(settings_, store, builtin_catalog())
    with (
        TestClient(app, follow_redirects=False) as clinician,
        TestClient(app, follow_redirects=False) as learner,
    ):
        response = clinician.post(
            "/api/v1/signup",
            json={
                "email": "lee@example.com",
                "password": PASSWORD,
                "name": "Dr Lee",
                "role": "clinician",
                "clinic_name": "Riverside",
            },
        )
        assert response.status_code == 201, response.text
        code = clinician.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
        start_learner(learner, invite_code=code)
        logged = learner.post(
            "/api/v1/sessions",
            json={"pain_before": 1, "pain_during": 2, "pain_after": 1, "seconds": [30, 30]},
        )
        assert logged.status_code == 201, logged.text
        yield Clinic(app, {"learner": _cookie(learner), "clinician": _cookie(clinician)})
    store.dispose()


def _fuzz(clinic: Clinic, role: str, mode: GenerationMode, own: bool = False) -> None:
    """`own`: clinician routes on the clinic's own learner (else any id, mostly refused)."""
    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", clinic.app)
    api = api.exclude(path="/api/v1/logout")
    if own:
        api = api.include(path_regex="learner_id")
    cookie = {"Cookie": clinic.cookies[role]}
    pinned = {"learner_id": 1} if own else None

    @settings(
        max_examples=400,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases every run: a failure here fails on every machine
    )
    @given(case=api.as_strategy(generation_mode=mode, path_parameters=pinned))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=cookie, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_a_learner_never_gets_a_server_error_or_an_undocumented_answer(
    clinic: Clinic, mode: GenerationMode
) -> None:
    _fuzz(clinic, "learner", mode)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("own", [False, True], ids=["any learner id", "their own learner"])
def test_a_clinician_never_gets_a_server_error_or_an_undocumented_answer(
    clinic: Clinic, mode: GenerationMode, own: bool
) -> None:
    _fuzz(clinic, "clinician", mode, own)
