"""Form checks from the phone: send a clip, watch the job, read the report, attach it to
today's session. The clip is streamed to a temporary file under the upload limit
(`web/limits.py`), checked from its bytes, queued for a worker (jobs/queue.py) and deleted
once analysed unless the learner asks to keep it. docs/web.md lists the routes."""

from __future__ import annotations

import pathlib
import secrets
import shutil
from typing import IO, Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from pydantic import Field
from starlette.datastructures import UploadFile as StarletteUpload

from hingecoach.adapters.container import container_of
from hingecoach.adapters.db.records import FormCheckRecord
from hingecoach.engine.texts import N_
from hingecoach.errors import HingeError, NotFoundError, ValidationError, VideoError
from hingecoach.schemas.base import Input, Public
from hingecoach.schemas.errors import errors, file_answer
from hingecoach.schemas.inputs import FormCheckReviewCreate
from hingecoach.schemas.programme import OutcomePublic
from hingecoach.schemas.video import FormCheckPage, FormCheckPublic, FormCheckStarted
from hingecoach.services.accounts import Actor
from hingecoach.services.coach import Coach
from hingecoach.web.clinic import CaredFor
from hingecoach.web.context import App, LearnerCoach, Staff, Web
from hingecoach.web.form_check_texts import said, said_error, said_report
from hingecoach.web.forms import read_form
from hingecoach.web.pages import submit
from hingecoach.web.render import redirect, respond, shown_error, status_of

__all__ = ["router", "show_check"]

router = APIRouter()
TAGS: list[Any] = ["form checks"]
CLINIC_TAGS: list[Any] = ["clinic"]
_CHUNK = 1024 * 1024


# A check's id as a path value: a positive number the database can hold.
CheckId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_A_CLIP = N_("a clip from your camera")


class FormCheckForm(Input):
    exercise: str | None = Field(default=None, max_length=40)
    keep_video: bool = False


class FormChecksPage(Public):
    """The learner's form checks, newest first, and what they can film today."""

    checks: list[FormCheckPublic]
    exercise_id: str
    exercise: str
    max_upload_mb: int
    max_minutes: float


# -- sending a clip ---------------------------------------------------------------------------


def _keep(upload: IO[bytes], folder: pathlib.Path) -> pathlib.Path:
    """The streamed clip, moved into the upload folder under a random name (the sender's
    name is never used for anything on disk)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"{secrets.token_hex(16)}.clip"
    with target.open("wb") as out:
        shutil.copyfileobj(upload, out, _CHUNK)
    return target


def _start(
    web: App, coach: Coach, video: StarletteUpload, exercise: str | None, keep: bool
) -> FormCheckRecord:
    if not video.filename and video.size == 0:
        raise ValidationError("video", _A_CLIP, "no file")
    assert coach.learner_id is not None  # a learner's coach
    clip = _keep(video.file, web.settings.uploads)
    return web.form_checks().submit(coach.learner_id, exercise, clip, keep)


@router.post(
    "/api/v1/form-checks",
    tags=TAGS,
    status_code=202,
    summary="Send a clip for a form check (analysed in the background)",
    responses=errors(400, 401, 403, 404, 409, 413, 422),
)
def start_api(
    web: Web,
    coach: LearnerCoach,
    video: Annotated[UploadFile, File(description="The clip: MP4, MOV or WebM")],
    exercise: Annotated[str | None, Form(max_length=40)] = None,
    keep_video: Annotated[bool, Form()] = False,
) -> FormCheckStarted:
    return FormCheckStarted.of(_start(web, coach, video, exercise, keep_video))


@router.post("/form-checks", include_in_schema=False)
async def start_form(request: Request, web: Web, coach: LearnerCoach) -> Response:
    sent = await request.form()
    try:
        _, form = await read_form(request, FormCheckForm)
        video = sent.get("video")
        if not isinstance(video, StarletteUpload):
            raise ValidationError("video", _A_CLIP, "no file")
        record = await run_in_threadpool(_start, web, coach, video, form.exercise, form.keep_video)
    except HingeError as exc:
        shown = await run_in_threadpool(_list_page, web, coach)
        error = shown_error(exc)
        if isinstance(exc, VideoError):  # refused at the door: its message in the reader's words
            error["message"] = said_error(exc.code, str(exc))
        extra = _said_list(web, shown) | {"error": error}
        return respond(request, "form_check_new.html", shown, status_of(exc), extra)
    finally:
        await sent.close()  # the streamed copy in the temporary folder, at once
    return redirect(f"/form-checks/{record.id}")


# -- where a check stands ---------------------------------------------------------------------


def _list_page(web: App, coach: Coach) -> FormChecksPage:
    assert coach.learner_id is not None
    view = coach.today_view()
    exercise = view.rungs[view.state.rung]
    checks = web.form_checks().of_learner(coach.learner_id)
    return FormChecksPage(
        checks=[FormCheckPublic.of(c) for c in checks],
        exercise_id=exercise.exercise_id,
        exercise=exercise.name,
        max_upload_mb=web.settings.max_upload_mb,
        max_minutes=round(web.settings.max_video_seconds / 60, 1),
    )


def _said_list(web: App, shown: FormChecksPage) -> dict[str, Any]:
    """What the list's pages say in the reader's language (the API keeps the English): the
    exercise to film, and each check's exercise by its name."""
    exercises = web.ladders.base.exercises
    names = {}
    for c in shown.checks:
        found = exercises.get(c.exercise_id)
        name = c.report.exercise.name if c.report else found.name if found else c.exercise_id
        names[c.exercise_id] = said(name)
    return {"exercise": said(shown.exercise), "names": names}


@router.get(
    "/api/v1/form-checks",
    tags=TAGS,
    summary="My form checks, newest first.",
    name="api_checks_page",
    responses=errors(401, 403, 404, 409, 422),
)
def checks_api(web: Web, coach: LearnerCoach) -> FormChecksPage:
    """My form checks, newest first."""
    return _list_page(web, coach)


@router.get("/form-checks", include_in_schema=False)
def checks_page(request: Request, web: Web, coach: LearnerCoach) -> Response:
    shown = _list_page(web, coach)
    return respond(request, "form_checks.html", shown, extra=_said_list(web, shown))


@router.get("/form-checks/new", include_in_schema=False)
def new_page(request: Request, web: Web, coach: LearnerCoach) -> Response:
    shown = _list_page(web, coach)
    return respond(request, "form_check_new.html", shown, extra=_said_list(web, shown))


def _mine(web: App, coach: Coach, check_id: CheckId) -> FormCheckRecord:
    assert coach.learner_id is not None
    return web.form_checks().get(coach.learner_id, check_id)


@router.get(
    "/api/v1/form-checks/{check_id}",
    tags=TAGS,
    summary="Where a form check stands, and its report once done",
    responses=errors(401, 403, 404, 409, 422),
)
def check_api(web: Web, coach: LearnerCoach, check_id: CheckId) -> FormCheckPublic:
    return FormCheckPublic.of(_mine(web, coach, check_id))


@router.get("/form-checks/{check_id}", include_in_schema=False)
def check_page(request: Request, web: Web, coach: LearnerCoach, check_id: CheckId) -> Response:
    record = _mine(web, coach, check_id)
    shown = FormCheckPage.page(record, f"/form-checks/{check_id}", _can_attach(coach, record))
    return show_check(request, shown)


def show_check(
    request: Request, shown: FormCheckPage, status: int = 200, refused: HingeError | None = None
) -> Response:
    """A check's page. Its own error (why the clip was refused) is not the page's: the
    message at the top is only for a form the reader just sent. The report and the check's
    error are said in the reader's language (the API keeps the English)."""
    problem, error = None, None
    if shown.error:
        said_message = said_error(shown.error.code, shown.error.message)
        problem = shown.error.model_dump() | {"message": said_message}
    if refused is not None:
        error = shown_error(refused) | {"message": said(str(refused))}
    extra: dict[str, Any] = {"error": error, "check_error": problem}
    if shown.report is not None:
        extra["report"] = said_report(shown.report.model_dump(mode="json"))
    return respond(request, "form_check.html", shown, status, extra)


def _can_attach(coach: Coach, record: FormCheckRecord) -> bool:
    """Finished, not attached yet, and today's session of that exercise is logged."""
    if record.status not in ("done", "refused") or record.session_id is not None:
        return False
    return coach.today_view().logged_today


@router.get(
    "/form-checks/{check_id}/chart.svg",
    tags=TAGS,
    summary="A form check's angles over time, as SVG",
    response_class=Response,
    responses=file_answer("image/svg+xml", 401, 403, 404, 422),
)
def chart(web: Web, coach: LearnerCoach, check_id: CheckId) -> Response:
    return chart_of(_mine(web, coach, check_id))


def chart_of(record: FormCheckRecord) -> Response:
    svg = (record.visuals or {}).get("chart")
    if not svg:
        raise ValidationError("chart", "a finished form check", record.status)
    return Response(svg, media_type="image/svg+xml")


# -- into today's session ---------------------------------------------------------------------


def _attach(web: App, coach: Coach, check_id: CheckId) -> OutcomePublic:
    assert coach.learner_id is not None
    return OutcomePublic.of(web.form_checks().attach(coach.learner_id, check_id))


@router.post(
    "/api/v1/form-checks/{check_id}/attach",
    tags=TAGS,
    summary="Attach a finished form check to today's session: the decision weighs it",
    responses=errors(400, 401, 403, 404, 409, 413, 422),
)
def attach_api(web: Web, coach: LearnerCoach, check_id: CheckId) -> OutcomePublic:
    return _attach(web, coach, check_id)


@router.post("/form-checks/{check_id}/attach", include_in_schema=False)
async def attach_form(
    request: Request, web: Web, coach: LearnerCoach, check_id: CheckId
) -> Response:
    try:
        await read_form(request, Input)
        outcome = await run_in_threadpool(_attach, web, coach, check_id)
    except HingeError as exc:
        record = await run_in_threadpool(_mine, web, coach, check_id)
        shown = FormCheckPage.page(record, f"/form-checks/{check_id}")
        return show_check(request, shown, status_of(exc), exc)
    return respond(request, "outcome.html", outcome, extra={"what": "form check"})


# -- the clinician's review -------------------------------------------------------------------


def _clinic_at(learner_id: int, check_id: int) -> str:
    return f"/clinic/learners/{learner_id}/form-checks/{check_id}"


def _clinic_page(web: App, learner_id: int, check_id: int) -> FormCheckPage:
    record = web.form_checks().get(learner_id, check_id)
    at = _clinic_at(learner_id, check_id)
    return FormCheckPage.page(
        record,
        at,
        back=f"/clinic/learners/{learner_id}#form-checks",
        url=f"/api/v1{at}",
        review_action=f"{at}/review",
    )


@router.get(
    "/api/v1/clinic/learners/{learner_id}/form-checks",
    tags=CLINIC_TAGS,
    summary="A learner's form checks, newest first",
    responses=errors(401, 403, 404, 422),
)
def clinic_list_api(web: Web, learner_id: CaredFor) -> list[FormCheckPublic]:
    return [
        FormCheckPublic.of(c, f"/api/v1{_clinic_at(learner_id, c.id)}")
        for c in web.form_checks().of_learner(learner_id)
    ]


@router.get(
    "/api/v1/clinic/learners/{learner_id}/form-checks/{check_id}",
    tags=CLINIC_TAGS,
    summary="One of a learner's form checks, with its report",
    responses=errors(401, 403, 404, 422),
)
def clinic_check_api(web: Web, learner_id: CaredFor, check_id: CheckId) -> FormCheckPublic:
    return FormCheckPublic.of(web.form_checks().get(learner_id, check_id))


@router.get("/clinic/learners/{learner_id}/form-checks/{check_id}", include_in_schema=False)
def clinic_check_page(
    request: Request, web: Web, learner_id: CaredFor, check_id: CheckId
) -> Response:
    return show_check(request, _clinic_page(web, learner_id, check_id))


@router.get(
    "/clinic/learners/{learner_id}/form-checks/{check_id}/chart.svg",
    tags=CLINIC_TAGS,
    summary="A learner's form check: angles over time, as SVG",
    response_class=Response,
    responses=file_answer("image/svg+xml", 401, 403, 404, 422),
)
def clinic_chart(web: Web, learner_id: CaredFor, check_id: CheckId) -> Response:
    return chart_of(web.form_checks().get(learner_id, check_id))


@router.get(
    "/clinic/learners/{learner_id}/form-checks/{check_id}/video",
    tags=CLINIC_TAGS,
    summary="The clip of a form check, when the learner chose to keep it",
    response_class=Response,
    responses=file_answer("video/mp4", 401, 403, 404, 422),
)
def clinic_video(web: Web, learner_id: CaredFor, check_id: CheckId) -> Response:
    record = web.form_checks().get(learner_id, check_id)
    clip = pathlib.Path(record.upload) if record.keep_video and record.upload else None
    if clip is None or not clip.is_file():
        raise NotFoundError(f"clip: form check {check_id} kept no clip")
    kind = "video/webm" if container_of(clip) == "webm" else "video/mp4"
    return FileResponse(clip, media_type=kind)


def _review(
    web: App, actor: Actor, learner_id: int, check_id: int, form: FormCheckReviewCreate
) -> FormCheckPublic:
    record = web.form_checks().review(learner_id, check_id, actor.name, form.comment)
    return FormCheckPublic.of(record, f"/api/v1{_clinic_at(learner_id, check_id)}")


@router.post(
    "/api/v1/clinic/learners/{learner_id}/form-checks/{check_id}/review",
    tags=CLINIC_TAGS,
    summary="Mark a learner's form check reviewed, with a comment they will see",
    responses=errors(400, 401, 403, 404, 409, 413, 422),
)
def review_api(
    web: Web, actor: Staff, learner_id: CaredFor, check_id: CheckId, body: FormCheckReviewCreate
) -> FormCheckPublic:
    return _review(web, actor, learner_id, check_id, body)


@router.post("/clinic/learners/{learner_id}/form-checks/{check_id}/review", include_in_schema=False)
async def review_form(
    request: Request, web: Web, actor: Staff, learner_id: CaredFor, check_id: CheckId
) -> Response:
    return await submit(
        request,
        model=FormCheckReviewCreate,
        act=lambda form: _review(web, actor, learner_id, check_id, form),
        done=lambda _: _clinic_at(learner_id, check_id) + "?saved=review#review",
        again=("form_check.html", lambda raw: _clinic_page(web, learner_id, check_id)),
    )
