"""The FHIR R4 export (docs/fhir.md): my own record, or a learner's for their clinician.

An account with no programme (a clinician's own) downloads a valid Bundle with no entries,
as its CSV export is an empty file: a download link never answers an error page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from hingecoach.adapters.fhir import LearnerExport, bundle_json, empty_bundle, learner_bundle
from hingecoach.schemas.errors import file_answer
from hingecoach.services.results import StatusView
from hingecoach.web.clinic import CaredFor
from hingecoach.web.context import App, CurrentUser, Web

__all__ = ["router"]

router = APIRouter()
FHIR_JSON = "application/fhir+json"  # the media type of FHIR's JSON format
_ACCOUNT: list[Any] = ["account"]
_CLINIC: list[Any] = ["clinic"]


def _learner_export(learner_id: int, status: StatusView) -> LearnerExport:
    today = status.today
    return LearnerExport(
        learner_id=learner_id,
        name=today.learner,
        ladder=today.ladder,
        rungs=today.rungs,
        rung=today.state.rung,
        stopped=today.status.stopped,
        stop_reason=today.status.reason,
        sessions=status.sessions,
        checkins=status.checkins,
    )


def _bundle(web: App, learner_id: int | None) -> str:
    if learner_id is None:
        return bundle_json(empty_bundle())
    coach = web.coach(learner_id)
    status, filled = coach.status(), coach.questionnaires()
    return bundle_json(learner_bundle(_learner_export(learner_id, status), filled))


def _download(body: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=FHIR_JSON, headers=headers)


@router.get(
    "/me/export.fhir.json",
    tags=_ACCOUNT,
    summary="My record for a health record system, as a FHIR R4 Bundle",
    response_class=Response,
    responses=file_answer(FHIR_JSON, 401),
)
def my_fhir_export(web: Web, actor: CurrentUser) -> Response:
    return _download(_bundle(web, actor.learner_id), "hingecoach-my-data.fhir.json")


@router.get(
    "/clinic/learners/{learner_id}/export.fhir.json",
    tags=_CLINIC,
    summary="A learner's record for the clinic's record system, as a FHIR R4 Bundle",
    response_class=Response,
    responses=file_answer(FHIR_JSON, 401, 403, 404, 422),
)
def learner_fhir_export(web: Web, learner_id: CaredFor) -> Response:
    filename = f"hingecoach-learner-{learner_id}.fhir.json"
    return _download(_bundle(web, learner_id), filename)
