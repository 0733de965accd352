"""Background jobs: the task queue that runs form checks (Huey), and what a worker does."""

from hingecoach.jobs.queue import JobQueue, form_checks

__all__ = ["JobQueue", "form_checks"]
