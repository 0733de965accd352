"""Form checks: clips sent from the web app and the jobs that analyse them.

A job's row is the truth about it: the task queue only carries its id. Claiming, progress,
and every ending are single statements guarded by the status they expect, so two workers
(or a worker and the reaper) can never both take a check, and a check is never left
`running` by a worker that died: its heartbeat stops, and `stale` finds it.
"""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import defer

from hingecoach.adapters.db.records import FormCheckRecord
from hingecoach.adapters.db.repositories.convert import aware
from hingecoach.adapters.db.repositories.programme import now
from hingecoach.adapters.db.tables import FormCheckRow

__all__ = ["FormCheckRepository"]


class FormCheckRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, learner_id: int, exercise_id: str, upload: str, keep_video: bool) -> int:
        """A clip waiting for its job."""
        fields = {"status": "queued", "progress": 0.0, "attempts": 0}
        return self._insert(learner_id, exercise_id, upload=upload, keep_video=keep_video, **fields)

    def add_finished(self, learner_id: int, exercise_id: str, status: str, **values: Any) -> int:
        """A check analysed as it came (live coaching's keypoints): stored finished."""
        fields = {"status": status, "progress": 1.0, "attempts": 1, "finished_at": now()}
        return self._insert(learner_id, exercise_id, keep_video=False, **fields, **values)

    def _insert(self, learner_id: int, exercise_id: str, **fields: Any) -> int:
        moment = now()
        row = FormCheckRow(
            learner_id=learner_id,
            exercise_id=exercise_id,
            created_at=moment,
            updated_at=moment,
            **fields,
        )
        self.db.add(row)
        self.db.flush()
        return row.id

    def get(self, check_id: int) -> FormCheckRecord | None:
        row = self.db.get(FormCheckRow, check_id)
        return _record(row) if row is not None else None

    def of_learner(self, learner_id: int, limit: int = 200) -> list[FormCheckRecord]:
        """The newest `limit` checks, without their pictures (a list shows none)."""
        rows = self.db.scalars(
            select(FormCheckRow)
            .options(defer(FormCheckRow.visuals))
            .where(FormCheckRow.learner_id == learner_id)
            .order_by(FormCheckRow.created_at.desc(), FormCheckRow.id.desc())
            .limit(limit)
        )
        return [_record(r, pictures=False) for r in rows]

    def keypoints(self, check_id: int) -> bytes | None:
        return self.db.scalar(select(FormCheckRow.keypoints).where(FormCheckRow.id == check_id))

    # -- the job's life: each step one statement, guarded by the status it expects ----------

    def claim(self, check_id: int, attempts_most: int, worker: str) -> bool:
        """queued -> running by `worker`, counting the attempt; False if another worker has
        it, it has ended, or it has had its attempts."""
        return self._changed(
            update(FormCheckRow)
            .where(
                FormCheckRow.id == check_id,
                FormCheckRow.status == "queued",
                FormCheckRow.attempts < attempts_most,
            )
            .values(
                status="running",
                worker=worker,
                attempts=FormCheckRow.attempts + 1,
                progress=0.0,
                seconds_left=None,
                updated_at=now(),
            )
        )

    def beat(self, check_id: int, progress: float, seconds_left: float | None) -> bool:
        """How far the running job has got, which is also its heartbeat."""
        return self._changed(
            update(FormCheckRow)
            .where(FormCheckRow.id == check_id, FormCheckRow.status == "running")
            .values(progress=progress, seconds_left=seconds_left, updated_at=now())
        )

    def finish(self, check_id: int, **values: Any) -> bool:
        """running -> done, refused or failed, with what the job found."""
        moment = now()
        return self._changed(
            update(FormCheckRow)
            .where(FormCheckRow.id == check_id, FormCheckRow.status == "running")
            .values(updated_at=moment, finished_at=moment, seconds_left=None, **values)
        )

    def forget_upload(self, check_id: int) -> None:
        self.db.execute(update(FormCheckRow).where(FormCheckRow.id == check_id).values(upload=None))

    def stale(self, before: datetime) -> list[FormCheckRecord]:
        """Running checks whose heartbeat stopped before `before` (their worker died), and
        queued ones waiting since then (their task may never have reached the queue)."""
        rows = self.db.scalars(
            select(FormCheckRow).where(
                FormCheckRow.status.in_(("running", "queued")), FormCheckRow.updated_at < before
            )
        )
        return [_record(r) for r in rows]

    def requeue(self, check_id: int, before: datetime) -> bool:
        """A stale check back in the queue, if it is still stale (no heartbeat since)."""
        return self._changed(
            update(FormCheckRow)
            .where(FormCheckRow.id == check_id, FormCheckRow.updated_at < before)
            .where(FormCheckRow.status.in_(("running", "queued")))
            .values(status="queued", progress=0.0, seconds_left=None, updated_at=now())
        )

    def give_up(self, check_id: int, before: datetime, code: str, message: str) -> bool:
        """A stale check that has had its attempts: failed, with why."""
        moment = now()
        return self._changed(
            update(FormCheckRow)
            .where(FormCheckRow.id == check_id, FormCheckRow.updated_at < before)
            .where(FormCheckRow.status.in_(("running", "queued")))
            .values(
                status="failed",
                error_code=code,
                error_message=message,
                updated_at=moment,
                finished_at=moment,
            )
        )

    # -- after the job ---------------------------------------------------------------------

    def attach(self, check_id: int, session_id: int) -> None:
        self.db.execute(
            update(FormCheckRow).where(FormCheckRow.id == check_id).values(session_id=session_id)
        )

    def review(self, check_id: int, by: str, comment: str) -> None:
        self.db.execute(
            update(FormCheckRow)
            .where(FormCheckRow.id == check_id)
            .values(reviewed_by=by, review_comment=comment, reviewed_at=now())
        )

    def _changed(self, statement: Any) -> bool:
        found = typing.cast(CursorResult[Any], self.db.execute(statement))
        return found.rowcount == 1


def _record(row: FormCheckRow, pictures: bool = True) -> FormCheckRecord:
    return FormCheckRecord(
        id=row.id,
        learner_id=row.learner_id,
        exercise_id=row.exercise_id,
        status=row.status,
        progress=row.progress,
        seconds_left=row.seconds_left,
        attempts=row.attempts,
        worker=row.worker,
        error_code=row.error_code,
        error_message=row.error_message,
        upload=row.upload,
        keep_video=row.keep_video,
        report=row.report,
        visuals=row.visuals if pictures else None,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        finished_at=aware(row.finished_at) if row.finished_at else None,
        session_id=row.session_id,
        reviewed_by=row.reviewed_by,
        review_comment=row.review_comment,
        reviewed_at=aware(row.reviewed_at) if row.reviewed_at else None,
    )
