"""The learner's outcome questionnaires: what is due, each form, and the scores over time."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hingecoach.catalog.questionnaires import QUESTIONNAIRES
from hingecoach.engine.outcomes import Measure
from hingecoach.schemas.errors import errors
from hingecoach.schemas.inputs import QuestionnaireAnswer
from hingecoach.schemas.outcomes import AnsweredPublic, OutcomesPublic, QuestionnairePublic
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import AnswerInput
from hingecoach.services.outcomes import parse_measure
from hingecoach.web.context import LearnerCoach
from hingecoach.web.pages import page, submit

__all__ = ["router"]

router = APIRouter()
TAGS: list[Any] = ["questionnaires"]
_WRITES = errors(400, 401, 403, 409, 413, 422)


@page(router, "/questionnaires", "questionnaires.html", tags=TAGS)
def questionnaires(request: Request, coach: LearnerCoach) -> OutcomesPublic:
    """My outcome questionnaires: what is due now, and my scores over time."""
    return OutcomesPublic.of(coach.outcomes())


@page(router, "/questionnaires/{measure}", "questionnaire.html", tags=TAGS)
def questionnaire(request: Request, coach: LearnerCoach, measure: str) -> QuestionnairePublic:
    """One questionnaire's questions (nprs, odi, rmdq, psfs, start-back)."""
    return QuestionnairePublic.of(QUESTIONNAIRES[parse_measure(measure)])


def _answer(coach: Coach, measure: str, form: QuestionnaireAnswer, padded: bool) -> AnsweredPublic:
    """`padded`: a web form does not send the questions left unanswered at its end, so they
    are counted as left out there (and named, when they need an answer)."""
    values = list(form.values)
    wanted = parse_measure(measure)
    if padded and wanted is not Measure.PSFS:
        values += [None] * (len(QUESTIONNAIRES[wanted].items) - len(values))
    data = AnswerInput(wanted.value, tuple(values), tuple(form.activities), tuple(form.names))
    return AnsweredPublic.of(coach.answer(data))


@router.post("/questionnaires/{measure}", include_in_schema=False)
async def answer_form(request: Request, coach: LearnerCoach, measure: str) -> Response:
    return await submit(
        request,
        model=QuestionnaireAnswer,
        act=lambda form: _answer(coach, measure, form, padded=True),
        done="answered.html",
        again=(
            "questionnaire.html",
            lambda raw: QuestionnairePublic.of(QUESTIONNAIRES[parse_measure(measure)]),
        ),
    )


@router.post(
    "/api/v1/questionnaires/{measure}",
    tags=TAGS,
    status_code=201,
    summary="Fill in an outcome questionnaire and get its score",
    responses=_WRITES,
)
def answer_api(coach: LearnerCoach, measure: str, body: QuestionnaireAnswer) -> AnsweredPublic:
    return _answer(coach, measure, body, padded=False)
