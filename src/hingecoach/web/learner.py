"""The learner's pages: onboarding, today, timer, log, check-in, re-screen, history, ladder."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hingecoach.adapters.charts import adherence_figure, pain_figure, step_figure, to_svg
from hingecoach.engine.model import Experience, Quality, SymptomArea
from hingecoach.errors import StateError, ValidationError
from hingecoach.services.coach import CheckInInput, LogInput, StartInput, StatusView
from hingecoach.views import outcome_json, programme_json, start_json, today_json
from hingecoach.web.context import App, Learner, NewLearner, Web
from hingecoach.web.forms import (
    CheckInCreate,
    ScreenCreate,
    SessionCreate,
    StartForm,
)
from hingecoach.web.pages import page, submit
from hingecoach.web.viewdata import (
    AREAS,
    QUALITIES,
    flags_data,
    history_data,
    ladder_page,
    timer_data,
    urgency_title,
)

__all__ = ["router"]

router = APIRouter()
TAGS: list[Any] = ["learner"]


# -- onboarding ---------------------------------------------------------------------


def _start_page(web: App, actor: Any) -> dict[str, Any]:
    catalog = web.clinic().catalog(actor.clinic_id)
    return {
        "screen": flags_data(actor.country),
        "ladders": [
            {"id": lad.id, "name": lad.name, "description": lad.description}
            for lad in catalog.ladders.values()
        ],
        "equipment": [{"id": k, "name": v.name} for k, v in catalog.equipment.items()],
        "experience": [e.value for e in Experience],
    }


@page(router, "/start", "start.html", tags=TAGS)
async def start_page(request: Request, web: Web, actor: NewLearner) -> dict[str, Any]:
    """The safety screen and placement questions."""
    if actor.learner_id is not None:
        raise StateError("you have already started: your programme is on the Today page")
    return _start_page(web, actor)


def _screen_flags(flags: list[str], none_of_these: bool) -> frozenset[str]:
    """A screen counts only when answered: each sign ticked, or 'none of these' ticked."""
    if flags and none_of_these:
        raise ValidationError(
            "flags", "either the signs you have or 'none of these', not both", "both"
        )
    if not flags and not none_of_these:
        raise ValidationError(
            "flags", "tick each sign you have, or 'none of these'", "nothing ticked"
        )
    return frozenset(flags)


def _start(web: App, actor: Any, form: StartForm) -> dict[str, Any]:
    flags = _screen_flags(form.flags, form.none_of_these)
    coach = web.new_coach(actor.clinic_id)
    data = StartInput(
        name=actor.name,
        ladder_id=form.ladder,
        experience=Experience(form.experience),
        pain_now=form.pain_now,
        equipment=frozenset(form.equipment),
        flags=flags,
        age=form.age,
        country=actor.country,
    )
    result = start_json(coach.start(data, user_id=actor.id))
    result["urgency_title"] = urgency_title(result["urgency"])
    result["help"] = flags_data(actor.country)["country"]
    return result


@router.post("/start", include_in_schema=False)
async def start_form(request: Request, web: Web, actor: NewLearner) -> Response:
    return await submit(
        request,
        StartForm,
        lambda form: _start(web, actor, form),
        "start_result.html",
        ("start.html", lambda raw: _start_page(web, actor)),
    )


@router.post(
    "/api/v1/start", tags=TAGS, status_code=201, summary="Answer the safety screen and get placed"
)
async def start_api(
    request: Request, web: Web, actor: NewLearner, body: StartForm
) -> dict[str, Any]:
    return _start(web, actor, body)


# -- today and the timer ---------------------------------------------------------------


@page(router, "/today", "today.html", tags=TAGS)
async def today(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """Today's exercise, dose, cues, self-check and why it was chosen."""
    assert actor.learner_id is not None
    return today_json(web.coach(actor.learner_id).today_view())


@page(router, "/timer", "timer.html", tags=TAGS)
async def timer(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """The interval timer's phases for today's prescription."""
    assert actor.learner_id is not None
    return timer_data(web.coach(actor.learner_id).today_view())


# -- logging a session -----------------------------------------------------------------


def _log_page(web: App, learner_id: int) -> dict[str, Any]:
    """The form for today's session. Its one-time token is the number of the session it will
    save: the same until a session is saved, so a reload or the back button after saving
    gives a form that is refused as already saved or as a second session that day."""
    view = web.coach(learner_id).today_view()
    data = today_json(view)
    rung = view.rungs[view.state.rung]
    data["form"] = {
        "token": f"web-log-{view.sessions_logged + 1}",
        "logged_today": view.logged_today,
        "self_check": list(rung.self_check),
        "sets": data["prescription"]["sets"] if data["prescription"] else 2,
        "counting": "time" if rung.seconds else "reps",
        "loaded": rung.load is not None,
        "load_unit": rung.load.unit if rung.load else None,
        "load": view.state.load,
        "areas": AREAS,
        "qualities": QUALITIES,
        "today": web.today().isoformat(),
    }
    data["policy_limits"] = {"during": view.policy.pain_during_max}
    return data


def _log_input(form: SessionCreate, today: date) -> LogInput:
    if form.reps and form.seconds:
        raise ValidationError("sets", "reps or seconds for each set, not both", "both")
    sets: list[tuple[int | None, int | None]] = [(r, None) for r in form.reps] or [
        (None, s) for s in form.seconds
    ]
    if not sets:
        raise ValidationError("sets", "reps or seconds for at least one set", "none")
    return LogInput(
        day=form.day or today,
        pain_before=form.pain_before,
        pain_during=form.pain_during,
        pain_after=form.pain_after,
        sets=sets,
        exercise=form.exercise,
        load=form.load,
        rpe=form.rpe,
        area=SymptomArea(form.area),
        qualities=frozenset(Quality(q) for q in form.qualities),
        faded=form.faded,
        first_set_uncued=form.first_set_uncued,
        self_check=tuple(form.self_check),
        flags=frozenset(form.flags),
        note=form.note,
        client_token=form.client_token,
        another_today=form.another_today,
    )


@page(router, "/log", "log.html", tags=TAGS)
async def log_page(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """What the session log form asks, for today's step."""
    assert actor.learner_id is not None
    return _log_page(web, actor.learner_id)


def _log_again(web: App, learner_id: int, raw: dict[str, Any]) -> dict[str, Any]:
    """The form again after bad input, with the same one-time token (nothing was stored)."""
    data = _log_page(web, learner_id)
    if raw.get("client_token"):
        data["form"]["token"] = raw["client_token"]
    return data


def _same_token(raw: dict[str, Any]) -> dict[str, Any]:
    return {"token": raw["client_token"]} if raw.get("client_token") else {}


@router.post("/log", include_in_schema=False)
async def log_form(request: Request, web: Web, actor: Learner) -> Response:
    learner_id = actor.learner_id
    assert learner_id is not None
    return await submit(
        request,
        SessionCreate,
        lambda form: (
            outcome_json(web.coach(learner_id).log(_log_input(form, web.today())))
            | {"what": "session"}
        ),
        "outcome.html",
        ("log.html", lambda raw: _log_again(web, learner_id, raw)),
    )


@router.post(
    "/api/v1/sessions", tags=TAGS, status_code=201, summary="Log a session and get the decision"
)
async def log_api(web: Web, actor: Learner, body: SessionCreate) -> dict[str, Any]:
    assert actor.learner_id is not None
    return outcome_json(web.coach(actor.learner_id).log(_log_input(body, web.today())))


# -- check-in and re-screen ----------------------------------------------------------------


def _checkin_page(web: App, actor: Any) -> dict[str, Any]:
    view = web.coach(actor.learner_id).today_view()
    return {
        "areas": AREAS,
        "qualities": QUALITIES,
        "today": web.today().isoformat(),
        "screen": flags_data(actor.country),
        "token": f"web-checkin-{view.checkins_logged + 1}",
        "programme": programme_json(view.status),
    }


def _checkin_input(form: CheckInCreate, today: date) -> CheckInInput:
    return CheckInInput(
        day=form.day or today,
        pain=form.pain,
        area=SymptomArea(form.area),
        qualities=frozenset(Quality(q) for q in form.qualities),
        soreness=form.soreness,
        flags=frozenset(form.flags),
        client_token=form.client_token,
    )


@page(router, "/checkin", "checkin.html", tags=TAGS)
async def checkin_page(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """What the next-morning check-in asks."""
    return _checkin_page(web, actor)


@router.post("/checkin", include_in_schema=False)
async def checkin_form(request: Request, web: Web, actor: Learner) -> Response:
    learner_id = actor.learner_id
    assert learner_id is not None
    return await submit(
        request,
        CheckInCreate,
        lambda form: (
            outcome_json(web.coach(learner_id).checkin(_checkin_input(form, web.today())))
            | {"what": "check-in"}
        ),
        "outcome.html",
        ("checkin.html", lambda raw: _checkin_page(web, actor) | _same_token(raw)),
    )


@router.post("/api/v1/checkins", tags=TAGS, status_code=201, summary="Next-morning check-in")
async def checkin_api(web: Web, actor: Learner, body: CheckInCreate) -> dict[str, Any]:
    assert actor.learner_id is not None
    return outcome_json(web.coach(actor.learner_id).checkin(_checkin_input(body, web.today())))


@page(router, "/screen", "screen.html", tags=TAGS)
async def screen_page(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """The weekly safety re-screen."""
    assert actor.learner_id is not None
    programme = programme_json(web.coach(actor.learner_id).programme())
    return {"screen": flags_data(actor.country), "programme": programme}


@router.post("/screen", include_in_schema=False)
async def screen_form(request: Request, web: Web, actor: Learner) -> Response:
    learner_id = actor.learner_id
    assert learner_id is not None
    return await submit(
        request,
        ScreenCreate,
        lambda form: (
            outcome_json(
                web.coach(learner_id).rescreen(_screen_flags(form.flags, form.none_of_these))
            )
            | {"what": "safety check"}
        ),
        "outcome.html",
        ("screen.html", lambda raw: {"screen": flags_data(actor.country)}),
    )


@router.post("/api/v1/screens", tags=TAGS, status_code=201, summary="Weekly safety re-screen")
async def screen_api(web: Web, actor: Learner, body: ScreenCreate) -> dict[str, Any]:
    assert actor.learner_id is not None
    flags = _screen_flags(body.flags, body.none_of_these)
    return outcome_json(web.coach(actor.learner_id).rescreen(flags))


# -- history, charts and the ladder --------------------------------------------------------


@page(router, "/history", "history.html", tags=TAGS)
async def history(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """Every session, check-in and decision, with charts."""
    assert actor.learner_id is not None
    return history_data(web.coach(actor.learner_id).status(), web.today(), "")


def chart_svg(status: StatusView, kind: str, today: date) -> str:
    """One of the three progress charts, as SVG (the same figures go into PDF reports)."""
    sessions = status.sessions
    if kind == "pain":
        points = [(s.day, s.pain_during, s.pain_after) for s in sessions]
        baseline = float(status.onboarding_pain)
        return to_svg(
            pain_figure(points, status.mornings, baseline, today),
            "Pain during and after each session and the next morning, against pain at the start",
        )
    if kind == "steps":
        steps = [(r.day, r.rung_after + 1) for r in status.decisions if r.rung_after is not None]
        return to_svg(
            step_figure(steps, len(status.today.rungs), today), "Step on the ladder over time"
        )
    if kind == "calendar":
        return to_svg(
            adherence_figure({s.day for s in sessions}, today),
            "Calendar of the last 8 weeks: a filled square for each day with a session",
        )
    raise ValidationError("chart", "pain, steps or calendar", kind)


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get(
    "/charts/{kind}.svg", tags=TAGS, summary="A progress chart (pain, steps or calendar) as SVG"
)
async def chart(kind: str, web: Web, actor: Learner) -> Response:
    assert actor.learner_id is not None
    return svg_response(chart_svg(web.coach(actor.learner_id).status(), kind, web.today()))


@page(router, "/ladder", "ladder.html", tags=TAGS)
async def ladder(request: Request, web: Web, actor: Learner) -> dict[str, Any]:
    """The ladder: where I am, what is next, and what unlocks it."""
    assert actor.learner_id is not None
    coach = web.coach(actor.learner_id)
    return ladder_page(coach.today_view(), coach.catalog)
