"""kill -9 in the middle of a form check: the scale-out form for real. Two `hinge worker`
processes take form checks from the queue on the real broker (PostgreSQL's Huey tables; the
SQLite file beside the database for the embedded default) while the web app queues them.
Once both are analysing a clip at the same moment, one is killed without warning. Every
check still ends: the one it held is queued again by the other worker's reaper and
finished (or, after its attempts, `failed` with a reason); none is lost, none is left
`running`, and no clip is left on disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hingecoach.adapters.db.records import FormCheckRecord
from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.services.uow import sql
from hingecoach.settings import load_settings
from hingecoach.web import create_app
from tests.vision.conftest import VIDEOS, shared_or_skip
from tests.web.conftest import TODAY, post_form, sign_up

HINGE = str(Path(sys.executable).parent / "hinge")
CLIP = "kbtrainer_bomDia.mp4"  # 11 s, a hinge side on: a few seconds' work for a worker
CHECKS = 4
LEASE = 3  # seconds without a heartbeat before the reaper queues a check again
START = {"none_of_these": "true", "pain_now": "2", "experience": "some", "ladder": "solving-pain"}
pytestmark = pytest.mark.slow


@contextmanager
def _workers(url: str, folder: Path, uploads: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = dict(
        os.environ,
        HINGE_DATABASE_URL=url,
        HINGE_DATA_DIR=str(folder),
        HINGE_UPLOAD_DIR=str(uploads),
        HINGE_JOB_LEASE_SECONDS=str(LEASE),
        HINGE_TODAY=TODAY.isoformat(),
    )
    started = [
        subprocess.Popen(
            [HINGE, "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _checks(store: Store) -> list[FormCheckRecord]:
    with sql(store)() as uow:
        return uow.form_checks.of_learner(1)


def _wait(store: Store, until: str, seconds: float) -> list[FormCheckRecord]:
    deadline = time.monotonic() + seconds
    while True:
        checks = _checks(store)
        if until == "two running":
            running = [c for c in checks if c.status == "running" and c.progress > 0]
            if len({c.worker for c in running}) == 2:
                return running
        elif all(c.status in ("done", "refused", "failed") for c in checks):
            return checks
        assert time.monotonic() < deadline, [(c.id, c.status, c.worker) for c in checks]
        time.sleep(0.1)


def _wait_empty(folder: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while any(folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_worker_killed_mid_job_loses_no_check_and_leaves_none_running(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    clip = shared_or_skip(VIDEOS / CLIP)
    uploads = tmp_path / "uploads"
    settings = replace(
        load_settings(env={"HINGE_DATA_DIR": str(tmp_path)}),
        database_url=store.url,
        upload_dir=uploads,
        today_override=TODAY,
    )
    with TestClient(create_app(settings, store, catalog), follow_redirects=False) as web:
        sign_up(web, "ana@example.com")
        assert post_form(web, "/start", START, "/start").status_code == 200
        for _ in range(CHECKS):
            with clip.open("rb") as handle:
                sent = web.post("/api/v1/form-checks", files={"video": (CLIP, handle)})
            assert sent.status_code == 202, sent.text

    with _workers(store.url, tmp_path, uploads) as (first, second):
        running = _wait(store, "two running", 120)  # the jobs are spread across both
        pids = {int(str(c.worker).rsplit(":", 1)[1]): c for c in running}
        assert set(pids) == {first.pid, second.pid}
        victim = pids[first.pid]
        os.killpg(first.pid, signal.SIGKILL)
        ended = _wait(store, "all ended", 180)
        # A worker deletes the clip just after it stores the end (never before, so a crash
        # in between keeps the clip for the next attempt): give the last one a moment.
        _wait_empty(uploads, 10)

    held = next(c for c in ended if c.id == victim.id)
    assert held.attempts == 2, held  # taken again by the worker still alive
    assert (held.status, held.worker) == ("done", f"{held.worker.split(':')[0]}:{second.pid}")
    assert [c.status for c in ended] == ["done"] * CHECKS
    assert {c.report["reps"] for c in ended if c.report} == {4}
    assert list(uploads.iterdir()) == []  # every clip deleted, the one killed mid-job too
