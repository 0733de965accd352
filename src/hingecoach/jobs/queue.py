"""The task queue of form checks: Huey, on the database the app already has.

Why Huey: it is maintained, small, made for exactly this (a task decorator, a consumer,
retries, scheduling), and it keeps its queue in SQLite or in PostgreSQL, so the embedded
default needs no server at all and a clinic's machines share one queue through the
PostgreSQL they already run: no broker to install, secure and back up. Celery and Dramatiq
need Redis or RabbitMQ; Procrastinate needs PostgreSQL even on a laptop.

Huey takes a task off the queue before running it, so a worker killed mid-job would lose
the task. The form check's own row is the truth instead (status, attempts, heartbeat): a
worker's reaper (`FormChecks.reap`, cli/worker.py) queues a check again when its heartbeat
stops, so a job is never lost and never left running.

The queue lives beside the data: `<database file>-jobs` for SQLite, the same database
(tables `huey_*`) for PostgreSQL.

The same queue runs one periodic job: the e-mail reminders (`send_reminders`), every hour
on the hour, for a consumer started with periodic tasks on. Several consumers may all run
it: the reminders each learner was sent are recorded before sending (services/reminders.py),
so each learner gets at most one a day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, PostgresHuey, SqliteHuey, crontab
from sqlalchemy.engine import make_url

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.mail import SmtpMailer
from hingecoach.adapters.pose_options import PoseOptions
from hingecoach.adapters.video import VideoLimits
from hingecoach.schemas.video import VideoCheckPublic
from hingecoach.services.analysis import Analysis
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.form_checks import FormChecks, Limits
from hingecoach.services.reminders import ReminderMail
from hingecoach.services.uow import sql
from hingecoach.settings import Settings

__all__ = ["JobQueue", "form_checks", "send_reminders"]

log = logging.getLogger(__name__)

_TASK = "analyse_form_check"
_REMINDERS = "send_reminders"
# Reminders go out from 07:00 to 20:59, the server's local time (Huey's schedule runs on
# UTC, so the job itself checks the hour): the first run of a session day sends them, and
# the runs after it catch a worker that was down at seven.
REMINDER_HOURS = range(7, 21)


def _storage(settings: Settings) -> Huey:
    if settings.jobs_inline:  # every task runs at once, in the process that queues it
        return MemoryHuey("hingecoach", immediate=True)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresHuey("hingecoach", dsn=dsn)
    database = url.database or ""
    if not database or database == ":memory:":
        path = settings.data_dir / "jobs.db"
    else:
        path = Path(database).with_name(Path(database).name + "-jobs")
    return SqliteHuey("hingecoach", filename=str(path))


def _report(analysis: Analysis) -> dict[str, Any]:
    """The report a web form check keeps: exactly `hinge analyze --json`."""
    return VideoCheckPublic.of(analysis).model_dump(mode="json")


def limits_of(settings: Settings) -> Limits:
    video = VideoLimits(
        max_seconds=float(settings.max_video_seconds),
        max_bytes=settings.max_upload_mb * 1024 * 1024,
    )
    pose = PoseOptions(model=settings.pose_model, workers=settings.pose_workers)
    return Limits(video=video, lease=timedelta(seconds=settings.job_lease_seconds), pose=pose)


class JobQueue:
    """One process's handle on the queue: what the web app queues and a worker runs.

    Every process registers the same task under the same name, so a check queued by any
    web process is run by any worker on the same database.
    """

    def __init__(self, settings: Settings, store: Store, catalogs: Catalogs) -> None:
        self.settings, self.store, self.catalogs = settings, store, catalogs
        self.huey = _storage(settings)
        self._task: Callable[[int], Any] = self.huey.task(name=_TASK)(self._run)
        self.huey.periodic_task(crontab(minute="0"), name=_REMINDERS)(self._remind)

    def enqueue(self, check_id: int) -> None:
        self._task(check_id)

    def close(self) -> None:
        """The queue's connection, when the process ends (Huey keeps one open)."""
        self.huey.storage.close()

    def _run(self, check_id: int) -> None:
        form_checks(self, self.settings.today()).run(check_id)

    def _remind(self) -> None:
        send_reminders(self, datetime.now())


def form_checks(queue: JobQueue, today: date) -> FormChecks:
    """The form-check use cases on this queue's database, reports in the CLI's shape."""
    settings = queue.settings
    return FormChecks(sql(queue.store), queue.catalogs, today, queue, _report, limits_of(settings))


def send_reminders(queue: JobQueue, now: datetime) -> list[int]:
    """The hourly reminder job: e-mail each learner who asked for it on a day a session is
    due and not yet logged, once a day. Nothing without an SMTP host, or outside
    `REMINDER_HOURS` of `now` (local time). The ids of the learners reminded."""
    settings = queue.settings
    if settings.smtp is None or now.hour not in REMINDER_HOURS:
        return []
    today = settings.today_override or now.date()
    mail = ReminderMail(
        sql(queue.store), queue.catalogs, today, SmtpMailer(settings.smtp), settings.base_url
    )
    sent = mail.send_due()
    if sent:
        log.info("reminders: %d sent for %s", len(sent), today.isoformat())
    return sent
