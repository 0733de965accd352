"""The life of a form-check job when workers die, on a real database: the reaper queues a
check whose heartbeat stopped again, gives up after ATTEMPTS with `stopped` and deletes
the clip, and queues again a check whose task never reached the queue. The queue is a
recording stand-in (our own seam); tests/test_jobs_crash.py runs the real one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.coach import Coach
from hingecoach.services.form_checks import ATTEMPTS, FormChecks, Limits
from hingecoach.services.uow import sql
from tests.vision.conftest import VIDEOS, shared_or_skip

from .test_services import DAY, start_input


class _Queue:
    def __init__(self) -> None:
        self.sent: list[int] = []

    def enqueue(self, check_id: int) -> None:
        self.sent.append(check_id)


def _checks(store: Store, catalog: Catalog, queue: _Queue) -> FormChecks:
    Coach(sql(store), catalog, DAY).start(start_input())
    # no lease: any check not heard from this instant counts as abandoned
    limits = Limits(lease=timedelta(0))
    return FormChecks(sql(store), Catalogs(catalog), DAY, queue, lambda _: {}, limits)


def _sent_clip(checks: FormChecks, folder: Path) -> int:
    clip = folder / "clip.mp4"
    clip.write_bytes(shared_or_skip(VIDEOS / "kbtrainer_bomDia.mp4").read_bytes())
    return checks.submit(1, None, clip, keep_video=False).id


def test_a_check_whose_worker_keeps_dying_is_retried_then_ends_stopped_and_its_clip_goes(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    queue = _Queue()
    checks = _checks(store, catalog, queue)
    check_id = _sent_clip(checks, tmp_path)

    for attempt in range(1, ATTEMPTS + 1):
        with sql(store)(write=True) as uow:  # a worker takes it, then dies without a word
            assert uow.form_checks.claim(check_id, ATTEMPTS, "gone:1")
        checks.reap()
        ended = checks.get(1, check_id)
        assert ended.attempts == attempt
        assert ended.status == ("queued" if attempt < ATTEMPTS else "failed")

    assert queue.sent == [check_id] * ATTEMPTS  # sent, then queued again twice
    assert (ended.error_code, ended.upload) == ("stopped", None)
    assert not (tmp_path / "clip.mp4").exists()


def test_a_queued_check_whose_task_was_lost_is_queued_again(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    queue = _Queue()
    checks = _checks(store, catalog, queue)
    check_id = _sent_clip(checks, tmp_path)
    queue.sent.clear()  # as if the queue had lost it

    checks.reap()

    assert queue.sent == [check_id]
    assert checks.get(1, check_id).status == "queued"
    assert (tmp_path / "clip.mp4").exists()  # still waiting for its worker
