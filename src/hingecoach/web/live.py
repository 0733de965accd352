"""Live coaching: the page that runs the browser's pose model on the phone's camera, the
model's own files (served from here, checksums pinned: adapters/pose_web.py), and the route
that takes the set's keypoints, never the video, and gives the same report as an uploaded
clip (services/form_checks.py `submit_live`). docs/web.md lists the routes."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, Response

from hingecoach.adapters.pose_web import MODELS, PACKAGE, VERSION, verified
from hingecoach.catalog import check_spec_for
from hingecoach.motion.pose import LANDMARKS, PoseSequence
from hingecoach.schemas.errors import errors
from hingecoach.schemas.live import LiveKeypoints, LivePage
from hingecoach.schemas.video import FormCheckStarted
from hingecoach.web.context import LearnerCoach, Web
from hingecoach.web.pages import page

__all__ = ["LIVE_BODY_BYTES", "router"]

router = APIRouter()
TAGS: list[Any] = ["form checks"]

# Two minutes of keypoints at 30 frames a second, with room: a set filmed live.
LIVE_BODY_BYTES = 16 * 1024 * 1024
# The files are checksummed and never change under one name: a phone keeps them a year.
_KEEP = "public, max-age=31536000, immutable"


@page(router, "/form-checks/live", "live.html", tags=TAGS)
def live_page(
    request: Request,
    web: Web,
    coach: LearnerCoach,
    exercise: Annotated[str | None, Query(max_length=40)] = None,
) -> LivePage:
    """Live coaching for today's exercise (or the one named): what the page needs to run."""
    view = coach.today_view()
    chosen = None
    if exercise is not None and exercise.strip():
        chosen = web.catalog.exercise(exercise.strip())
    elif view.prescription is not None:
        chosen = web.catalog.exercise(view.prescription.exercise_id)
    spec = check_spec_for(chosen) if chosen is not None else None
    return LivePage.of(view, chosen, spec, web.settings.max_video_seconds)


@router.post(
    "/api/v1/form-checks/live",
    tags=TAGS,
    status_code=201,
    summary="Send a set's keypoints from live coaching: the report, at once",
    responses=errors(400, 401, 403, 404, 409, 413, 422),
)
def live_keypoints(web: Web, coach: LearnerCoach, body: LiveKeypoints) -> FormCheckStarted:
    """The same analysis as an uploaded clip, on the joints the phone found; the check is
    finished when this answers (its `url` has the report)."""
    assert coach.learner_id is not None  # a learner's coach
    record = web.form_checks().submit_live(coach.learner_id, body.exercise, pose_of(body))
    return FormCheckStarted.of(record)


def pose_of(body: LiveKeypoints) -> PoseSequence:
    """The keypoints as the motion code reads them: missing landmarks NaN (no person)."""
    frames = len(body.frames)
    image = np.full((frames, LANDMARKS, 3), np.nan)
    visibility = np.zeros((frames, LANDMARKS))
    world = np.full((frames, LANDMARKS, 3), np.nan)
    for i, frame in enumerate(body.frames):
        if frame.image is not None:
            points = np.asarray(frame.image, dtype=float).reshape(LANDMARKS, 4)
            image[i], visibility[i] = points[:, :3], points[:, 3]
        if frame.world is not None:
            world[i] = np.asarray(frame.world, dtype=float).reshape(LANDMARKS, 3)
    any_world = any(frame.world is not None for frame in body.frames)
    return PoseSequence(
        image=image,
        visibility=visibility,
        times=np.asarray([frame.t for frame in body.frames], dtype=float),
        width=body.width,
        height=body.height,
        world=world if any_world else None,
        model=f"{PACKAGE}@{VERSION} in the browser, {MODELS[body.model]}",
        meta={"source": "live"},
    )


@router.get("/pose/{name}", include_in_schema=False)
def pose_file(web: Web, name: Annotated[str, Path(max_length=64)]) -> Response:
    """A file of the browser's pose model, after its checksum matched (once per process)."""
    media = "application/wasm" if name.endswith(".wasm") else None
    if name.endswith(".js"):
        media = "text/javascript"
    answer = FileResponse(verified(name, web.settings.pose_web_dir), media_type=media)
    answer.headers["Cache-Control"] = _KEEP
    return answer
