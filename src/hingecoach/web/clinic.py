"""The clinician's pages: learners at a glance, one learner's record and changes, invites,
and the clinic's own ladders. Every learner id is checked against the clinician's clinic."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from hingecoach.catalog import Ladder
from hingecoach.engine.attention import FLAGGED
from hingecoach.errors import (
    CatalogError,
    ForbiddenError,
    NotFoundError,
    StateError,
    ValidationError,
)
from hingecoach.services.accounts import Actor, Role
from hingecoach.services.clinic import learner_alerts
from hingecoach.views import exercise_summary, ladder_json, outcome_json, today_json
from hingecoach.web.context import App, Staff, Web
from hingecoach.web.forms import (
    ClearanceCreate,
    InviteCreate,
    LadderAssign,
    LadderText,
    NoteCreate,
    PolicyAdjust,
    StepOverride,
    read_form,
)
from hingecoach.web.learner import chart_svg, svg_response
from hingecoach.web.pages import page
from hingecoach.web.render import error_body, redirect, respond, status_of
from hingecoach.web.viewdata import (
    alert_data,
    attention_data,
    history_data,
    record_data,
    roster_data,
)

__all__ = ["router"]

router = APIRouter()
TAGS: list[Any] = ["clinic"]

_EXAMPLE_LADDER = """[[ladder]]
id = "my-clinic-ladder"
name = "Gentle hinge, six steps"
source = "Our clinic"
description = "For learners returning after a flare."

[[ladder.steps]]
exercise = "hero_squat"

[[ladder.steps]]
exercise = "butt_taps"

[[ladder.steps]]
exercise = "dowel_hinge"
"""


def _roster_page(web: App, actor: Actor) -> dict[str, Any]:
    clinic_id = web.accounts.clinic_of(actor)
    learners = web.accounts.visible_learners(actor)
    roster = web.clinic().roster(learners)
    rows = roster_data(roster)
    return {
        "clinic": web.accounts.clinic_name(clinic_id),
        "attention": attention_data(roster),
        "learners": rows,
        "counts": {
            "learners": len(rows),
            "flagged": sum(1 for r in roster if any(a.kind in FLAGGED for a in r.alerts)),
            "stopped": sum(1 for r in rows if r["stopped"]),
            "stuck": sum(1 for r in rows if r["stuck"]),
            "regressing": sum(1 for r in rows if r["regressing"]),
        },
        "all_clinics": actor.role is Role.ADMIN,
    }


@page(router, "/clinic", "clinic.html", tags=TAGS)
async def roster(request: Request, web: Web, actor: Staff) -> dict[str, Any]:
    """Learners at a glance: step, last session, adherence, flags, stuck or regressing."""
    return _roster_page(web, actor)


def _invite(web: App, actor: Actor, form: InviteCreate, request: Request) -> dict[str, Any]:
    invite = web.accounts.invite(actor, Role(form.role), form.note)
    link = str(request.base_url).rstrip("/") + f"/signup?invite={invite.code}"
    return {
        "code": invite.code,
        "role": invite.role.value,
        "clinic": invite.clinic,
        "expires": invite.expires_at.date().isoformat(),
        "link": link,
    }


@router.post("/clinic/invites", include_in_schema=False)
async def invite_form(request: Request, web: Web, actor: Staff) -> Response:
    _, form = await read_form(request, InviteCreate)
    return respond(request, "invite.html", _invite(web, actor, form, request))


@router.post(
    "/api/v1/clinic/invites", tags=TAGS, status_code=201, summary="Invite a learner or a colleague"
)
async def invite_api(
    request: Request, web: Web, actor: Staff, body: InviteCreate
) -> dict[str, Any]:
    return _invite(web, actor, body, request)


# -- one learner ---------------------------------------------------------------------------


def _learner_page(web: App, actor: Actor, learner_id: int) -> dict[str, Any]:
    web.accounts.learner_for(actor, learner_id)
    coach = web.coach(learner_id)
    status = coach.status()
    base = f"/clinic/learners/{learner_id}"
    data = history_data(status, web.today(), base)
    data["learner_id"] = learner_id
    data["alerts"] = [alert_data(a) for a in learner_alerts(status, web.today())]
    data["today_date"] = web.today().isoformat()
    data["today"] = today_json(status.today)
    data["record"] = record_data(coach.record())
    data["ladders"] = [{"id": lad.id, "name": lad.name} for lad in coach.catalog.ladders.values()]
    data["rungs"] = [{"step": n, "name": r.name} for n, r in enumerate(status.today.rungs, start=1)]
    return data


@page(router, "/clinic/learners/{learner_id}", "learner.html", tags=TAGS)
async def learner(request: Request, web: Web, actor: Staff, learner_id: int) -> dict[str, Any]:
    """One learner's full history with decisions and reasons, notes and changes."""
    return _learner_page(web, actor, learner_id)


@router.get(
    "/clinic/learners/{learner_id}/charts/{kind}.svg",
    tags=TAGS,
    summary="A learner's progress chart as SVG",
)
async def learner_chart(web: Web, actor: Staff, learner_id: int, kind: str) -> Response:
    web.accounts.learner_for(actor, learner_id)
    return svg_response(chart_svg(web.coach(learner_id).status(), kind, web.today()))


def _change(web: App, actor: Actor, learner_id: int, form: BaseModel) -> dict[str, Any]:
    """Apply one clinician change to a learner this clinician may see."""
    web.accounts.learner_for(actor, learner_id)
    coach = web.coach(learner_id)
    by = actor.name
    if isinstance(form, StepOverride):
        return outcome_json(coach.override_step(form.step, by, form.reason))
    if isinstance(form, LadderAssign):
        return outcome_json(coach.assign_ladder(form.ladder, by, form.reason))
    if isinstance(form, ClearanceCreate):
        web.accounts.same_clinic(actor, learner_id)
        return outcome_json(coach.clear(by, form.note, form.examined_on))
    if isinstance(form, PolicyAdjust):
        value: float | int = int(form.value) if form.value.is_integer() else form.value
        policy = coach.adjust_policy({form.field: value}, by, form.reason)
        return {"field": form.field, "value": getattr(policy, form.field)}
    assert isinstance(form, NoteCreate)
    coach.add_note(by, form.body)
    return {"saved": True}


_CHANGES: dict[str, type[BaseModel]] = {
    "step": StepOverride,
    "ladder": LadderAssign,
    "clear": ClearanceCreate,
    "policy": PolicyAdjust,
    "notes": NoteCreate,
}


@router.post("/clinic/learners/{learner_id}/{change}", include_in_schema=False)
async def change_form(
    request: Request, web: Web, actor: Staff, learner_id: int, change: str
) -> Response:
    model = _CHANGES.get(change)
    if model is None:  # an unknown change is an unknown page, whoever the learner is
        raise NotFoundError(f"page: no change {change!r}; one of {', '.join(_CHANGES)}")
    try:
        _, form = await read_form(request, model)
        _change(web, actor, learner_id, form)
    except (ValidationError, CatalogError, StateError, ForbiddenError) as exc:
        data = _learner_page(web, actor, learner_id) | {"error": error_body(exc), "failed": change}
        return respond(request, "learner.html", data, status_of(exc))
    return redirect(f"/clinic/learners/{learner_id}?saved={change}#{change}")


def _api_change(model: type[BaseModel], name: str, summary: str) -> None:
    async def endpoint(web: Web, actor: Staff, learner_id: int, body: BaseModel) -> dict[str, Any]:
        return _change(web, actor, learner_id, body)

    endpoint.__annotations__["body"] = model  # FastAPI reads the body's model from here
    endpoint.__name__ = f"api_change_{name}"
    router.add_api_route(
        f"/api/v1/clinic/learners/{{learner_id}}/{name}",
        endpoint,
        methods=["POST"],
        tags=TAGS,
        summary=summary,
    )


_api_change(StepOverride, "step", "Set a learner's step (recorded with who and why)")
_api_change(LadderAssign, "ladder", "Assign a built-in or custom ladder")
_api_change(ClearanceCreate, "clear", "Record a clinician's clearance of the warning signs")
_api_change(PolicyAdjust, "policy", "Adjust one of a learner's thresholds")
_api_change(NoteCreate, "notes", "Add a note to a learner's record")


# -- the clinic's ladders ----------------------------------------------------------------------


def _ladders_page(web: App, actor: Actor) -> dict[str, Any]:
    clinic_id = web.accounts.clinic_of(actor)
    service = web.clinic()
    custom = service.custom_ladders(clinic_id)
    return {
        "custom": [ladder_json(lad, web.catalog) | {"toml": text} for lad, text in custom],
        "builtin": [ladder_json(lad, web.catalog) for lad in web.catalog.ladders.values()],
        "exercises": [exercise_summary(ex) for ex in web.catalog.exercises.values()],
        "example": _EXAMPLE_LADDER,
    }


@page(router, "/clinic/ladders", "ladders.html", tags=TAGS)
async def ladders(request: Request, web: Web, actor: Staff) -> dict[str, Any]:
    """Built-in and custom ladders, and the exercises a custom ladder may use."""
    return _ladders_page(web, actor)


def _save(web: App, actor: Actor, text: str, replacing: str | None) -> Ladder:
    clinic_id = web.accounts.clinic_of(actor)
    return web.clinic().save_ladder(clinic_id, text, actor.name, replacing)


@router.post("/clinic/ladders", include_in_schema=False)
async def ladder_form(request: Request, web: Web, actor: Staff) -> Response:
    raw: dict[str, Any] = {}
    try:
        raw, form = await read_form(request, LadderText)
        replacing = request.query_params.get("replacing") or None
        _save(web, actor, form.toml, replacing)
    except (ValidationError, CatalogError) as exc:
        data = _ladders_page(web, actor) | {"error": error_body(exc), "values": raw}
        return respond(request, "ladders.html", data, 422)
    return redirect("/clinic/ladders?saved=1")


@router.post(
    "/api/v1/clinic/ladders",
    tags=TAGS,
    status_code=201,
    summary="Create or replace a custom ladder (TOML, checked like a ladder file)",
)
async def ladder_api(
    web: Web, actor: Staff, body: LadderText, replacing: str | None = None
) -> dict[str, Any]:
    return ladder_json(_save(web, actor, body.toml, replacing), web.catalog)
