"""`hinge worker`: run the form checks the web app queues (jobs/queue.py).

One worker analyses one clip at a time (the pose model keeps a core busy). `--processes N`
starts N of them; `hinge serve` starts its own (`--job-workers`). Each also runs the reaper:
every third of the lease it looks for checks whose worker died and queues them again.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from typing import Annotated

import typer
from rich.markup import escape

from hingecoach.cli.app import app, catalog, guarded, out, settings, store
from hingecoach.services.validation import check_int

__all__ = ["spawn_workers", "stop_workers", "worker"]

log = logging.getLogger(__name__)

_MOST_IDLE_SECONDS = 1.0


@app.command()
@guarded
def worker(
    processes: Annotated[
        int, typer.Option(help="Worker processes, 1-32: each analyses one clip at a time.")
    ] = 1,
) -> None:
    """Run form-check jobs from the web app until stopped (Ctrl-C)."""
    check_int("processes", processes, 1, 32)
    if processes > 1:
        children = spawn_workers(processes)
        out.print(f"{processes} form-check workers running (Ctrl-C stops)")
        try:
            for child in children:
                child.wait()
        finally:
            stop_workers(children)
        return
    _consume()


def _consume() -> None:
    from hingecoach.jobs import JobQueue, form_checks
    from hingecoach.services.catalogs import Catalogs

    current = settings()
    queue = JobQueue(current, store(), Catalogs(catalog()))
    service = form_checks(queue, current.today())
    stop = threading.Event()

    def reap() -> None:
        while not stop.wait(current.job_lease_seconds / 3):
            try:
                service.reap()
            except Exception:  # a database hiccup: look again next time
                log.exception("the reaper could not look for stalled form checks")

    threading.Thread(target=reap, name="reaper", daemon=True).start()
    out.print(escape(f"Form-check worker {os.getpid()} on {store().where()}"))
    # An idle consumer looks at the queue less and less often; Huey's default of up to every
    # 10 s would leave a learner watching "waiting for its turn". At most every second.
    # `periodic`: this worker also queues the hourly e-mail reminders (jobs/queue.py); with
    # several workers each queues them, and each learner still gets one e-mail a day.
    consumer = queue.huey.create_consumer(
        workers=1, worker_type="thread", periodic=True, max_delay=_MOST_IDLE_SECONDS
    )
    try:
        consumer.run()
    finally:
        stop.set()


def spawn_workers(count: int) -> list[subprocess.Popen[bytes]]:
    """`count` worker processes with this process's settings (its environment)."""
    command = [sys.executable, "-m", "hingecoach", "worker", "--processes", "1"]
    env = dict(os.environ, HINGE_DATABASE_URL=settings().database_url)
    return [subprocess.Popen(command, env=env) for _ in range(count)]


def stop_workers(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
