"""The learner's pages: onboarding, today, timer, log, check-in, re-screen, history, ladder."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from matplotlib.figure import Figure

from hingecoach.adapters.charts import adherence_figure, pain_figure, step_figure, to_svg
from hingecoach.engine.model import Experience, Quality, SymptomArea
from hingecoach.engine.texts import N_
from hingecoach.errors import StateError, ValidationError, Words
from hingecoach.schemas.errors import errors, file_answer
from hingecoach.schemas.inputs import (
    CheckInCreate,
    KitUpdate,
    ScreenCreate,
    SessionCreate,
    StartForm,
)
from hingecoach.schemas.outcomes import due_of
from hingecoach.schemas.pages import (
    CheckInPage,
    HistoryPage,
    KitPage,
    LadderPage,
    LogPage,
    ScreenPage,
    ScreenQuestions,
    StartedPublic,
    StartPage,
    TimerPage,
)
from hingecoach.schemas.programme import OutcomePublic, ProgrammePublic, TodayPublic
from hingecoach.services.accounts import Actor
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput, StartInput
from hingecoach.services.results import StatusView
from hingecoach.web.context import App, LearnerCoach, NewLearner, Web
from hingecoach.web.forms import RawForm
from hingecoach.web.pages import page, submit

__all__ = ["chart_figure", "chart_svg", "router", "svg_response"]

router = APIRouter()
TAGS: list[Any] = ["learner"]
_WRITES = errors(400, 401, 403, 409, 413, 422)
_BOTH = Words(N_("both"))  # what a refused either-or received, as a page says it


# -- onboarding ---------------------------------------------------------------------


def _start_page(web: App, actor: Actor) -> StartPage:
    return StartPage.of(web.clinic().catalog(actor.clinic_id), actor.country)


@page(router, "/start", "start.html", tags=TAGS)
def start_page(request: Request, web: Web, actor: NewLearner) -> StartPage:
    """The safety screen and placement questions."""
    if actor.learner_id is not None:
        raise StateError(N_("you have already started: your programme is on the Today page"))
    return _start_page(web, actor)


def _screen_flags(flags: list[str], none_of_these: bool) -> frozenset[str]:
    """A screen counts only when answered: each sign ticked, or 'none of these' ticked."""
    if flags and none_of_these:
        raise ValidationError(
            "flags", N_("either the signs you have or 'none of these', not both"), _BOTH
        )
    if not flags and not none_of_these:
        raise ValidationError(
            "flags", N_("tick each sign you have, or 'none of these'"), Words(N_("nothing ticked"))
        )
    return frozenset(flags)


def _start(web: App, actor: Actor, form: StartForm) -> StartedPublic:
    data = StartInput(
        name=actor.name,
        ladder_id=form.ladder,
        experience=Experience(form.experience),
        pain_now=form.pain_now,
        equipment=frozenset(form.equipment),
        flags=_screen_flags(form.flags, form.none_of_these),
        age=form.age,
        country=actor.country,
    )
    result = web.new_coach().start(data, user_id=actor.id)
    return StartedPublic.started(result, actor.country)


@router.post("/start", include_in_schema=False)
async def start_form(request: Request, web: Web, actor: NewLearner) -> Response:
    return await submit(
        request,
        model=StartForm,
        act=lambda form: _start(web, actor, form),
        done="start_result.html",
        again=("start.html", lambda raw: _start_page(web, actor)),
    )


@router.post(
    "/api/v1/start",
    tags=TAGS,
    status_code=201,
    summary="Answer the safety screen and get placed",
    responses=_WRITES,
)
def start_api(web: Web, actor: NewLearner, body: StartForm) -> StartedPublic:
    return _start(web, actor, body)


# -- today and the timer ---------------------------------------------------------------


@page(router, "/today", "today.html", tags=TAGS)
def today(request: Request, coach: LearnerCoach) -> TodayPublic:
    """Today's exercise, dose, cues, self-check, why it was chosen, and any questionnaire due."""
    view, outcomes = coach.today_and_outcomes()
    return TodayPublic.of(view).model_copy(update={"questionnaires_due": due_of(outcomes)})


@page(router, "/timer", "timer.html", tags=TAGS)
def timer(request: Request, coach: LearnerCoach) -> TimerPage:
    """The interval timer's phases for today's prescription."""
    return TimerPage.of(coach.today_view())


# -- logging a session -----------------------------------------------------------------


def _log_input(form: SessionCreate, today: date) -> LogInput:
    if form.reps and form.seconds:
        raise ValidationError("sets", N_("reps or seconds for each set, not both"), _BOTH)
    sets: list[tuple[int | None, int | None]] = [(r, None) for r in form.reps] or [
        (None, s) for s in form.seconds
    ]
    if not sets:
        raise ValidationError("sets", N_("reps or seconds for at least one set"), Words(N_("none")))
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
def log_page(
    request: Request,
    coach: LearnerCoach,
    sets_done: Annotated[int | None, Query(ge=0, le=20)] = None,
) -> LogPage:
    """What the session log form asks, for today's step.

    Its one-time token is the number of the session it will save: the same until a session
    is saved, so a reload or the back button after saving gives a form that is refused as
    already saved, or as a second session that day. `sets_done`: the timer stopped early,
    after that many sets were begun; only they are filled in.
    """
    return LogPage.page(coach.today_view(), coach.today, sets_done)


def _log_again(coach: Coach, raw: RawForm) -> LogPage:
    """The form again after a refusal, with the same one-time token (nothing was stored)."""
    shown = LogPage.page(coach.today_view(), coach.today)
    token = raw.get("client_token")
    if not token:
        return shown
    return shown.model_copy(update={"form": shown.form.model_copy(update={"token": token})})


@router.post("/log", include_in_schema=False)
async def log_form(request: Request, coach: LearnerCoach) -> Response:
    return await submit(
        request,
        model=SessionCreate,
        act=lambda form: OutcomePublic.of(coach.log(_log_input(form, coach.today))),
        done="outcome.html",
        again=("log.html", lambda raw: _log_again(coach, raw)),
        extra={"what": "session"},
    )


@router.post(
    "/api/v1/sessions",
    tags=TAGS,
    status_code=201,
    summary="Log a session and get the decision",
    responses=_WRITES,
)
def log_api(coach: LearnerCoach, body: SessionCreate) -> OutcomePublic:
    return OutcomePublic.of(coach.log(_log_input(body, coach.today)))


# -- what the learner has at home ----------------------------------------------------------


def _kit_page(coach: Coach) -> KitPage:
    return KitPage.of(coach.catalog, coach.kit())


@page(router, "/kit", "kit.html", tags=TAGS)
def kit_page(request: Request, coach: LearnerCoach) -> KitPage:
    """What I have at home, and what today's step and the next still need."""
    return _kit_page(coach)


def _set_kit(coach: Coach, form: KitUpdate) -> KitPage:
    return KitPage.of(coach.catalog, coach.set_kit(frozenset(form.equipment)))


@router.post("/kit", include_in_schema=False)
async def kit_form(request: Request, coach: LearnerCoach) -> Response:
    return await submit(
        request,
        model=KitUpdate,
        act=lambda form: _set_kit(coach, form),
        done=lambda _: "/kit?saved=1",
        again=("kit.html", lambda raw: _kit_page(coach)),
    )


@router.post(
    "/api/v1/kit",
    tags=TAGS,
    summary="Say what I have at home now (every piece; what is left out, I lack)",
    responses=_WRITES,
)
def kit_api(coach: LearnerCoach, body: KitUpdate) -> KitPage:
    return _set_kit(coach, body)


# -- check-in and re-screen ----------------------------------------------------------------


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


def _checkin_page(coach: Coach, actor_country: str, raw: RawForm | None = None) -> CheckInPage:
    shown = CheckInPage.of(coach.today_view(), coach.today, actor_country)
    token = (raw or {}).get("client_token")
    return shown.model_copy(update={"token": token}) if token else shown


@page(router, "/checkin", "checkin.html", tags=TAGS)
def checkin_page(request: Request, coach: LearnerCoach, actor: NewLearner) -> CheckInPage:
    """What the next-morning check-in asks."""
    return _checkin_page(coach, actor.country)


@router.post("/checkin", include_in_schema=False)
async def checkin_form(request: Request, coach: LearnerCoach, actor: NewLearner) -> Response:
    return await submit(
        request,
        model=CheckInCreate,
        act=lambda form: OutcomePublic.of(coach.checkin(_checkin_input(form, coach.today))),
        done="outcome.html",
        again=("checkin.html", lambda raw: _checkin_page(coach, actor.country, raw)),
        extra={"what": "check-in"},
    )


@router.post(
    "/api/v1/checkins",
    tags=TAGS,
    status_code=201,
    summary="Next-morning check-in",
    responses=_WRITES,
)
def checkin_api(coach: LearnerCoach, body: CheckInCreate) -> OutcomePublic:
    return OutcomePublic.of(coach.checkin(_checkin_input(body, coach.today)))


def _screen_page(coach: Coach, country_code: str) -> ScreenPage:
    programme = ProgrammePublic.of(coach.programme())
    return ScreenPage(screen=ScreenQuestions.of(country_code), programme=programme)


@page(router, "/screen", "screen.html", tags=TAGS)
def screen_page(request: Request, coach: LearnerCoach, actor: NewLearner) -> ScreenPage:
    """The weekly safety re-screen."""
    return _screen_page(coach, actor.country)


def _rescreen(coach: Coach, form: ScreenCreate) -> OutcomePublic:
    return OutcomePublic.of(coach.rescreen(_screen_flags(form.flags, form.none_of_these)))


@router.post("/screen", include_in_schema=False)
async def screen_form(request: Request, coach: LearnerCoach, actor: NewLearner) -> Response:
    return await submit(
        request,
        model=ScreenCreate,
        act=lambda form: _rescreen(coach, form),
        done="outcome.html",
        again=("screen.html", lambda raw: _screen_page(coach, actor.country)),
        extra={"what": "safety check"},
    )


@router.post(
    "/api/v1/screens",
    tags=TAGS,
    status_code=201,
    summary="Weekly safety re-screen",
    responses=_WRITES,
)
def screen_api(coach: LearnerCoach, body: ScreenCreate) -> OutcomePublic:
    return _rescreen(coach, body)


# -- history, charts and the ladder --------------------------------------------------------


@page(router, "/history", "history.html", tags=TAGS)
def history(request: Request, coach: LearnerCoach) -> HistoryPage:
    """Every session, check-in and decision, with charts."""
    return HistoryPage.page(coach.status(), coach.today, "")


_CHART_TITLES = {
    "pain": "Pain during and after each session and the next morning, against pain at the start",
    "steps": "Step on the ladder over time",
    "calendar": "Calendar of the last 8 weeks: a filled square for each day with a session",
}


def chart_figure(status: StatusView, kind: str, today: date) -> Figure:
    """One of the three progress charts (pain, steps, calendar): the history pages draw it
    as SVG, the PDF report prints it."""
    if kind == "pain":
        points = [(s.day, s.pain_during, s.pain_after) for s in status.sessions]
        return pain_figure(points, status.mornings, float(status.onboarding_pain), today)
    if kind == "steps":
        steps = [(r.day, r.rung_after + 1) for r in status.decisions if r.rung_after is not None]
        return step_figure(steps, len(status.today.rungs), today)
    if kind == "calendar":
        return adherence_figure({s.day for s in status.sessions}, today)
    raise ValidationError("chart", N_("pain, steps or calendar"), kind)


def chart_svg(status: StatusView, kind: str, today: date) -> str:
    """One of the three progress charts, as SVG."""
    figure = chart_figure(status, kind, today)
    return to_svg(figure, _CHART_TITLES[kind])


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get(
    "/charts/{kind}.svg",
    tags=TAGS,
    summary="A progress chart (pain, steps or calendar) as SVG",
    response_class=Response,
    responses=file_answer("image/svg+xml", 401, 403, 409, 422),
)
def chart(kind: str, coach: LearnerCoach) -> Response:
    return svg_response(chart_svg(coach.status(), kind, coach.today))


@page(router, "/ladder", "ladder.html", tags=TAGS)
def ladder(request: Request, coach: LearnerCoach) -> LadderPage:
    """The ladder: where I am, what is next, and what unlocks it."""
    return LadderPage.of(coach.today_view(), coach.catalog)
