"""The clinician's pages: who needs them first, one learner's record and changes, invites,
and the clinic's own ladders. Every learner id is checked against the clinician's clinic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel

from hingecoach.catalog import Ladder
from hingecoach.engine.texts import N_
from hingecoach.errors import NotFoundError, ValidationError
from hingecoach.schemas.catalog import LadderPublic
from hingecoach.schemas.clinic import (
    ClinicLadders,
    CustomLadder,
    InvitePublic,
    LearnerRecordPage,
    PolicySet,
    RosterPage,
    Saved,
)
from hingecoach.schemas.errors import errors, file_answer
from hingecoach.schemas.inputs import (
    ClearanceCreate,
    InviteCreate,
    LadderAssign,
    LadderBuild,
    LadderBuildForm,
    LadderText,
    NoteCreate,
    PolicyAdjust,
    QuestionnaireAsk,
    StepOverride,
)
from hingecoach.schemas.outcomes import OutcomesPublic
from hingecoach.schemas.programme import OutcomePublic
from hingecoach.services.accounts import Actor, Role
from hingecoach.web.context import App, Staff, Web
from hingecoach.web.forms import parse
from hingecoach.web.learner import chart_svg, svg_response
from hingecoach.web.pages import page, submit

__all__ = ["router"]

router = APIRouter()
TAGS: list[Any] = ["clinic"]
_WRITES = errors(400, 401, 403, 404, 409, 413, 422)
# A learner id as a path value: a positive number the database can hold.
LearnerId = Path(ge=1, le=2**31 - 1)


def cared_for(web: Web, actor: Staff, learner_id: int = LearnerId) -> int:
    """The learner of the path, if this clinician may see them (else 404, as if there were
    none). A dependency, so it is settled before any body is read: another clinic's
    learner is refused the same way whatever is sent."""
    return web.accounts.learner_for(actor, learner_id)


CaredFor = Annotated[int, Depends(cared_for)]

_EXAMPLE_LADDER = """[[ladder]]
id = "my-clinic-ladder"
name = "Gentle hinge, three steps"
source = "Our clinic"
description = "For learners returning after a flare."

[[ladder.steps]]
exercise = "hero_squat"

[[ladder.steps]]
exercise = "butt_taps"

[[ladder.steps]]
exercise = "dowel_hinge"
"""


def _roster(web: App, actor: Actor) -> RosterPage:
    clinic_id = web.accounts.clinic_of(actor)
    rows = web.clinic().roster(web.accounts.visible_learners(actor))
    return RosterPage.of(web.accounts.clinic_name(clinic_id), rows, actor.role is Role.ADMIN)


@page(router, "/clinic", "clinic.html", tags=TAGS)
def roster(request: Request, web: Web, actor: Staff) -> RosterPage:
    """Who needs you first, then every learner: step, last session, adherence, alerts."""
    return _roster(web, actor)


def _invite(web: App, actor: Actor, form: InviteCreate, base_url: str) -> InvitePublic:
    invite = web.accounts.invite(actor, Role(form.role), form.note)
    return InvitePublic(
        code=invite.code,
        role=invite.role.value,
        clinic=invite.clinic,
        expires=invite.expires_at.date(),
        link=base_url.rstrip("/") + f"/signup?invite={invite.code}",
    )


@router.post("/clinic/invites", include_in_schema=False)
async def invite_form(request: Request, web: Web, actor: Staff) -> Response:
    base = str(request.base_url)
    return await submit(
        request,
        model=InviteCreate,
        act=lambda form: _invite(web, actor, form, base),
        done="invite.html",
        again=("clinic.html", lambda raw: _roster(web, actor)),
    )


@router.post(
    "/api/v1/clinic/invites",
    tags=TAGS,
    status_code=201,
    summary="Invite a learner or a colleague",
    responses=_WRITES,
)
def invite_api(request: Request, web: Web, actor: Staff, body: InviteCreate) -> InvitePublic:
    return _invite(web, actor, body, str(request.base_url))


# -- one learner ---------------------------------------------------------------------------


def _learner_page(web: App, learner_id: int) -> LearnerRecordPage:
    coach, care = web.coach(learner_id), web.care(learner_id)
    checks = web.form_checks().of_learner(learner_id)
    return LearnerRecordPage.record_page(
        learner_id, coach.status(), care.record(), coach.catalog, web.today(), checks
    )


@page(router, "/clinic/learners/{learner_id}", "learner.html", tags=TAGS)
def learner(request: Request, web: Web, learner_id: CaredFor) -> LearnerRecordPage:
    """One learner: alerts first, then the full history with reasons, notes and changes."""
    return _learner_page(web, learner_id)


@router.get(
    "/clinic/learners/{learner_id}/charts/{kind}.svg",
    tags=TAGS,
    summary="A learner's progress chart as SVG",
    response_class=Response,
    responses=file_answer("image/svg+xml", 401, 403, 404, 422),
)
def learner_chart(web: Web, kind: str, learner_id: CaredFor) -> Response:
    return svg_response(chart_svg(web.coach(learner_id).status(), kind, web.today()))


def _step(web: App, actor: Actor, learner_id: int, form: StepOverride) -> OutcomePublic:
    return OutcomePublic.of(web.care(learner_id).override_step(form.step, actor.name, form.reason))


def _ladder(web: App, actor: Actor, learner_id: int, form: LadderAssign) -> OutcomePublic:
    return OutcomePublic.of(
        web.care(learner_id).assign_ladder(form.ladder, actor.name, form.reason)
    )


def _clear(web: App, actor: Actor, learner_id: int, form: ClearanceCreate) -> OutcomePublic:
    web.accounts.same_clinic(actor, learner_id)
    return OutcomePublic.of(web.coach(learner_id).clear(actor.name, form.note, form.examined_on))


def _policy(web: App, actor: Actor, learner_id: int, form: PolicyAdjust) -> PolicySet:
    value: float | int = int(form.value) if form.value.is_integer() else form.value
    policy = web.care(learner_id).adjust_policy({form.field: value}, actor.name, form.reason)
    return PolicySet(field=form.field, value=getattr(policy, form.field))


def _note(web: App, actor: Actor, learner_id: int, form: NoteCreate) -> Saved:
    web.care(learner_id).add_note(actor.name, form.body)
    return Saved(saved=True)


def _ask(web: App, actor: Actor, learner_id: int, form: QuestionnaireAsk) -> OutcomesPublic:
    return OutcomesPublic.of(web.care(learner_id).ask(form.measure, actor.name))


Change = Callable[[App, Actor, int, Any], BaseModel]
# Each change a clinician makes: its form, what it does, its answer, and its summary.
_CHANGES: dict[str, tuple[type[BaseModel], Change, type[BaseModel], str]] = {
    "step": (
        StepOverride,
        _step,
        OutcomePublic,
        "Set a learner's step (recorded with who and why)",
    ),
    "ladder": (LadderAssign, _ladder, OutcomePublic, "Assign a built-in or custom ladder"),
    "clear": (
        ClearanceCreate,
        _clear,
        OutcomePublic,
        "Record a clearance after examining the learner",
    ),
    "policy": (PolicyAdjust, _policy, PolicySet, "Adjust one of a learner's thresholds"),
    "notes": (NoteCreate, _note, Saved, "Add a note to a learner's record"),
    "questionnaires": (
        QuestionnaireAsk,
        _ask,
        OutcomesPublic,
        "Ask a learner to fill in an outcome questionnaire",
    ),
}


def _apply(web: App, actor: Actor, learner_id: int, change: str, form: BaseModel) -> BaseModel:
    """A change to a learner `cared_for` has let this clinician see."""
    return _CHANGES[change][1](web, actor, learner_id, form)


@router.post("/clinic/learners/{learner_id}/{change}", include_in_schema=False)
async def change_form(
    request: Request, web: Web, actor: Staff, change: str, learner_id: CaredFor
) -> Response:
    if change not in _CHANGES:  # an unknown change is an unknown page, whoever the learner is
        raise NotFoundError(
            N_("page: no change {change}; one of {allowed}"),
            change=repr(change),
            allowed=", ".join(_CHANGES),
        )
    return await submit(
        request,
        model=_CHANGES[change][0],
        act=lambda form: _apply(web, actor, learner_id, change, form),
        done=lambda _: f"/clinic/learners/{learner_id}?saved={change}#{change}",
        again=("learner.html", lambda raw: _learner_page(web, learner_id)),
    )


def _api_change(name: str) -> None:
    model, _, answer, summary = _CHANGES[name]

    def endpoint(web: Web, actor: Staff, learner_id: CaredFor, body: BaseModel) -> BaseModel:
        return _apply(web, actor, learner_id, name, body)

    endpoint.__annotations__["body"] = model  # FastAPI reads the body's model from here
    endpoint.__name__ = f"api_change_{name}"
    router.add_api_route(
        f"/api/v1/clinic/learners/{{learner_id}}/{name}",
        endpoint,
        methods=["POST"],
        tags=TAGS,
        summary=summary,
        response_model=answer,
        responses=_WRITES,
    )


for _name in _CHANGES:
    _api_change(_name)


# -- the clinic's ladders ----------------------------------------------------------------------


def _ladders_page(web: App, actor: Actor) -> ClinicLadders:
    custom = web.clinic().custom_ladders(web.accounts.clinic_of(actor))
    return ClinicLadders.of(custom, web.catalog, _EXAMPLE_LADDER)


@page(router, "/clinic/ladders", "ladders.html", tags=TAGS)
def ladders(request: Request, web: Web, actor: Staff) -> ClinicLadders:
    """Built-in and custom ladders, and the exercises a custom ladder may use."""
    return _ladders_page(web, actor)


def _save(web: App, actor: Actor, text: str, replacing: str | None) -> Ladder:
    clinic_id = web.accounts.clinic_of(actor)
    return web.clinic().save_ladder(clinic_id, text, actor.name, replacing)


@router.post("/clinic/ladders", include_in_schema=False)
async def ladder_form(request: Request, web: Web, actor: Staff) -> Response:
    replacing = request.query_params.get("replacing") or None
    return await submit(
        request,
        model=LadderText,
        act=lambda form: LadderPublic.of(_save(web, actor, form.toml, replacing), web.catalog),
        done=lambda _: "/clinic/ladders?saved=1",
        again=("ladders.html", lambda raw: _ladders_page(web, actor)),
    )


@router.post(
    "/api/v1/clinic/ladders",
    tags=TAGS,
    status_code=201,
    summary="Create or replace a custom ladder (TOML, checked like a ladder file)",
    responses=_WRITES,
)
def ladder_api(
    web: Web, actor: Staff, body: LadderText, replacing: str | None = None
) -> LadderPublic:
    return LadderPublic.of(_save(web, actor, body.toml, replacing), web.catalog)


# -- the ladder builder: the same ladder without TOML ------------------------------------------


def _build(web: App, actor: Actor, body: LadderBuild) -> CustomLadder:
    """The builder's ladder, saved as the editor's TOML through the same service call
    (`save_ladder`), so the same checks apply; the clinic's name is its source."""
    clinic_id = web.accounts.clinic_of(actor)
    source = web.accounts.clinic_name(clinic_id) or "Our clinic"
    steps = [(s.exercise, s.label or None) for s in body.steps]
    ladder, text = web.clinic().build_ladder(
        clinic_id, body.id, body.name, source, body.description or None, steps, actor.name
    )
    return CustomLadder.with_text(ladder, web.catalog, text)


def _from_form(form: LadderBuildForm) -> LadderBuild:
    """The form's rows as the API's steps, in order: a row without an exercise is skipped,
    unless it has a label (a step half filled in is refused by its row)."""
    rows = max(len(form.exercise), len(form.label))
    exercises = form.exercise + [None] * (rows - len(form.exercise))
    labels = form.label + [None] * (rows - len(form.label))
    steps: list[dict[str, str | None]] = []
    for row, (exercise, label) in enumerate(zip(exercises, labels, strict=True), start=1):
        if exercise:
            steps.append({"exercise": exercise, "label": label})
        elif label:
            raise ValidationError(f"steps (item {row})", N_("an exercise for this step"), "nothing")
    if not steps:
        raise ValidationError("steps", N_("at least one step: an exercise for step 1"), "nothing")
    body = {"id": form.id, "name": form.name, "description": form.description, "steps": steps}
    return parse(LadderBuild, body)


@router.post("/clinic/ladders/build", include_in_schema=False)
async def build_form(request: Request, web: Web, actor: Staff) -> Response:
    return await submit(
        request,
        model=LadderBuildForm,
        act=lambda form: _build(web, actor, _from_form(form)),
        done=lambda _: "/clinic/ladders?saved=1",
        again=("ladders.html", lambda raw: _ladders_page(web, actor)),
    )


@router.post(
    "/api/v1/clinic/ladders/build",
    tags=TAGS,
    status_code=201,
    summary="Build a custom ladder from exercises in order (saved as the same TOML)",
    responses=_WRITES,
)
def build_api(web: Web, actor: Staff, body: LadderBuild) -> CustomLadder:
    return _build(web, actor, body)
