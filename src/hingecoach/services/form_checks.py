"""Use cases of a form check sent from the web app: take the clip, analyse it as a job, show
where it stands, attach it to a session, and let a clinician review it.

The clip is hostile until proved otherwise: its bytes are checked before it is queued
(`adapters/container.py`), the decoder checks the rest, and the file is deleted once the
job ends, whatever the ending, unless the learner asked to keep it. The job's row is the
truth (adapters/db/repositories/form_checks.py); the task queue only carries its id, so a
worker killed mid-job loses nothing: `reap` finds the check whose heartbeat stopped and
queues it again, up to `ATTEMPTS` times, then ends it `failed` with the reason.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from hingecoach.adapters.container import container_of
from hingecoach.adapters.db.records import FormCheckRecord
from hingecoach.adapters.db.repositories import now
from hingecoach.adapters.pose_options import PoseOptions
from hingecoach.adapters.video import VideoLimits
from hingecoach.engine.texts import N_
from hingecoach.errors import NotFoundError, StateError, ValidationError, VideoError
from hingecoach.motion.pose import PoseSequence
from hingecoach.services import reading
from hingecoach.services.analysis import (
    Analysis,
    Progress,
    analyse_video,
    evidence_of,
    judge_pose,
    visuals,
)
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.results import Outcome
from hingecoach.services.uow import UnitOfWorkFactory

__all__ = ["ATTEMPTS", "FAILED", "STOPPED", "FormChecks", "Jobs", "Limits"]

log = logging.getLogger(__name__)

# A job that dies (its worker killed, the machine gone) is tried this many times in all.
ATTEMPTS = 3
# The pose model is most of the work; judging and drawing the key frames the rest.
_POSE_SHARE = 0.9
_BEAT_SECONDS = 0.5
# Why a check ended without a report: stored in English, said in the reader's language
# where its page shows it (web/form_check_texts.py).
FAILED = N_("the analysis stopped on our side; nothing was saved from it. Try again")
STOPPED = N_("the analysis stopped {times} times before it could finish; try a shorter clip")


class Jobs(Protocol):
    """Where a check waits for a worker (a real task queue in the app: jobs/queue.py)."""

    def enqueue(self, check_id: int) -> None: ...


@dataclass(frozen=True)
class Limits:
    video: VideoLimits = field(default_factory=VideoLimits)
    pose: PoseOptions = field(default_factory=PoseOptions)
    lease: timedelta = timedelta(seconds=30)  # no heartbeat for this long: the worker died


class _StoppedError(Exception):
    """The check is no longer this job's (the reaper gave it to another worker)."""


class FormChecks:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        catalogs: Catalogs,
        today: date,
        jobs: Jobs,
        describe: Callable[[Analysis], dict[str, Any]],
        limits: Limits | None = None,
    ) -> None:
        """`describe` turns an analysis into the report every door shows (the `hinge
        analyze --json` shape, from the layer that owns the shapes)."""
        self.uow, self.catalogs, self.today = uow, catalogs, today
        self.jobs, self.limits, self.describe = jobs, limits or Limits(), describe

    # -- the learner's side ----------------------------------------------------------------

    def submit(
        self, learner_id: int, exercise_id: str | None, upload: Path, keep_video: bool
    ) -> FormCheckRecord:
        """Take a clip already streamed to `upload` (size checked while streaming): check
        what it is, then queue it. A refused clip is deleted and nothing is stored."""
        try:
            exercise = self._exercise(learner_id, exercise_id)
            container_of(upload)
            with self.uow(write=True) as uow:
                check_id = uow.form_checks.add(learner_id, exercise, str(upload), keep_video)
        except BaseException:
            upload.unlink(missing_ok=True)
            raise
        self.jobs.enqueue(check_id)
        return self.get(learner_id, check_id)

    def submit_live(self, learner_id: int, exercise_id: str, pose: PoseSequence) -> FormCheckRecord:
        """A set filmed by live coaching: the phone sent the keypoints, not the video, and
        they are judged at once by the same code as an uploaded clip's (`judge_pose`), so the
        report is the one an upload of the same frames gives. Stored in one transaction,
        finished: a refused set is a check that says why, as for a clip."""
        exercise = self._exercise(learner_id, exercise_id)
        seconds = self.limits.video.max_seconds
        if pose.duration > seconds:
            raise ValidationError(
                "frames",
                N_("a set of at most {seconds} s"),
                f"{pose.duration:.0f} s",
                seconds=f"{seconds:g}",
            )
        analysis = judge_pose(self.catalogs.base, exercise, pose, None)
        report = self.describe(analysis)
        values: dict[str, Any] = {"report": report, "visuals": visuals(analysis)}
        refusal = report.get("refusal")
        if refusal:
            values |= {"error_code": refusal["code"], "error_message": refusal["reason"]}
        values["keypoints"] = _keypoints(analysis)
        with self.uow(write=True) as uow:
            check_id = uow.form_checks.add_finished(
                learner_id, exercise, "refused" if refusal else "done", **values
            )
        return self.get(learner_id, check_id)

    def _exercise(self, learner_id: int, exercise_id: str | None) -> str:
        """The exercise filmed: the one named, else today's."""
        with self.uow() as uow:
            learner = reading.load(uow, self.catalogs, learner_id)
        if exercise_id is None or not exercise_id.strip():
            return learner.rungs[learner.record.state.rung].exercise_id
        return self.catalogs.base.exercise(exercise_id.strip()).id

    def get(self, learner_id: int, check_id: int) -> FormCheckRecord:
        """The learner's own check; another learner's is as if it did not exist."""
        with self.uow() as uow:
            found = uow.form_checks.get(check_id)
        if found is None or found.learner_id != learner_id:
            raise NotFoundError(f"form check: no form check with id {check_id}")
        return found

    def of_learner(self, learner_id: int) -> list[FormCheckRecord]:
        with self.uow() as uow:
            return uow.form_checks.of_learner(learner_id)

    def review(self, learner_id: int, check_id: int, by: str, comment: str) -> FormCheckRecord:
        """A clinician's word on a check (the caller has checked they care for the learner);
        a second review replaces the first. Only a check that has ended can be reviewed."""
        if self.get(learner_id, check_id).status in ("queued", "running"):
            raise StateError(N_("form check: it is still being analysed; review it once it ends"))
        with self.uow(write=True) as uow:
            uow.form_checks.review(check_id, by, comment.strip())
        return self.get(learner_id, check_id)

    # -- the job -----------------------------------------------------------------------------

    def run(self, check_id: int) -> None:
        """Analyse one check, if it is still waiting: the task a worker runs."""
        with self.uow(write=True) as uow:
            if not uow.form_checks.claim(check_id, ATTEMPTS, _worker()):
                return  # another worker has it, or it has ended
            check = uow.form_checks.get(check_id)
        assert check is not None
        assert check.upload is not None
        try:
            self._analyse(check, Path(check.upload))
        except _StoppedError:
            return  # the reaper gave it to another worker: leave the file to that one
        except VideoError as exc:
            self._end(check, status="refused", error_code=exc.code, error_message=str(exc))
        except Exception:
            log.exception("form check %s failed", check_id)
            self._end(check, status="failed", error_code="internal", error_message=FAILED)

    def _analyse(self, check: FormCheckRecord, clip: Path) -> None:
        beat = _Heartbeat(self, check.id)
        progress = Progress(on_start=beat.start, on_frame=beat.frame)
        catalog = self.catalogs.base
        analysis = analyse_video(
            catalog,
            check.exercise_id,
            clip,
            progress=progress,
            limits=self.limits.video,
            options=self.limits.pose,
        )
        report = self.describe(analysis)
        pictures = visuals(analysis)
        values: dict[str, Any] = {"report": report, "visuals": pictures, "progress": 1.0}
        refusal = report.get("refusal")
        if refusal:  # the clip was read, but the camera could not judge it
            values |= {"error_code": refusal["code"], "error_message": refusal["reason"]}
        values["keypoints"] = _keypoints(analysis)
        self._end(check, status="refused" if refusal else "done", **values)

    def _end(self, check: FormCheckRecord, **values: Any) -> None:
        with self.uow(write=True) as uow:
            ended = uow.form_checks.finish(check.id, **values)
            if ended and not check.keep_video:
                uow.form_checks.forget_upload(check.id)
        if ended:
            _drop(check)

    def beat(self, check_id: int, progress: float, seconds_left: float | None) -> None:
        with self.uow(write=True) as uow:
            if not uow.form_checks.beat(check_id, progress, seconds_left):
                raise _StoppedError

    def reap(self) -> int:
        """Checks whose worker died: queued again, or ended after ATTEMPTS. How many."""
        before = now() - self.limits.lease
        with self.uow() as uow:
            stale = uow.form_checks.stale(before)
        message = STOPPED.format(times=ATTEMPTS)
        for check in stale:
            if check.attempts >= ATTEMPTS:
                self._give_up(check, before, message)
                continue
            with self.uow(write=True) as uow:
                queued = uow.form_checks.requeue(check.id, before)
            if queued:
                self.jobs.enqueue(check.id)
        return len(stale)

    def _give_up(self, check: FormCheckRecord, before: datetime, message: str) -> None:
        """End a check that kept stopping; its clip goes once that is stored."""
        with self.uow(write=True) as uow:
            ended = uow.form_checks.give_up(check.id, before, "stopped", message)
            if ended and not check.keep_video:
                uow.form_checks.forget_upload(check.id)
        if ended:
            _drop(check)

    # -- into the programme ----------------------------------------------------------------------

    def attach(self, learner_id: int, check_id: int) -> Outcome:
        """A finished check onto the learner's session of that exercise today: the decision
        then weighs it (rule V1)."""
        from hingecoach.services.coach import Coach

        check = self.get(learner_id, check_id)
        if check.status not in ("done", "refused") or check.report is None:
            raise StateError(N_("form check: it is not finished yet; attach it once it is done"))
        if check.session_id is not None:
            raise StateError(N_("form check: it is already attached to a session"))
        with self.uow() as uow:
            keypoints = uow.form_checks.keypoints(check_id)
        video = evidence_of(check.report, keypoints)
        coach = Coach(self.uow, self.catalogs, self.today, learner_id=learner_id)
        return coach.attach_video(video, check_id)


class _Heartbeat:
    """Progress from the pose model's frames, told at most every half second: it is the
    job's heartbeat and what the learner's page shows, with a time left from the pace so far."""

    def __init__(self, checks: FormChecks, check_id: int) -> None:
        self.checks, self.check_id = checks, check_id
        self.total, self.done = 0, 0
        self.began = self.told = time.monotonic()

    def start(self, frames: int) -> None:
        self.total = max(frames, 1)
        self.checks.beat(self.check_id, 0.0, None)

    def frame(self, count: int) -> None:
        self.done += count
        moment = time.monotonic()
        if moment - self.told < _BEAT_SECONDS:
            return
        self.told = moment
        share = min(self.done / self.total, 1.0)
        pace = (moment - self.began) / max(self.done, 1)
        left = pace * max(self.total - self.done, 0) / _POSE_SHARE
        self.checks.beat(self.check_id, round(share * _POSE_SHARE, 3), round(left, 1))


def _keypoints(analysis: Analysis) -> bytes:
    from hingecoach.adapters.keypoints import keypoints_bytes

    return keypoints_bytes(analysis.pose)


def _drop(check: FormCheckRecord) -> None:
    if check.upload and not check.keep_video:
        Path(check.upload).unlink(missing_ok=True)


def _worker() -> str:
    """Who runs a job, as an operator finds it: the machine and the process."""
    return f"{socket.gethostname()}:{os.getpid()}"
