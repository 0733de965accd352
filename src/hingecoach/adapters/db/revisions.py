"""Every write to a learner's programme counts up `learners.revision`, in the same flush.

Form checks are not the programme until one is attached to a session (which writes the
session's video check, and counts): their progress, written twice a second while a job
runs, would otherwise make every kept page stale.

A rule kept in one place rather than in each repository method: any row added, changed or
deleted that belongs to a learner (by `learner_id`, or through its session for sets and
video checks), and any change to the learner's own row, bumps that learner. The web app's
today cache keys on the revision (services/views.py); a test writes through every use case
and watches it move.

Every write seen here also sets `learners.rewritten` to the new revision. The one write this
hook does not see, a plain logged session stored by Core statements (`add_session`, then
`store_decision`, which counts the revision itself), only appends a session. So while
`rewritten` is older than a window a process keeps, that window is brought up to date by
reading the sessions logged since, instead of reading it whole (services/coach.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hingecoach.adapters.db.tables import FormCheckRow, LearnerRow, SessionRow

__all__ = ["bump_revisions"]


def _owners(rows: Iterable[Any], session: Session) -> tuple[set[int], set[int]]:
    """(learner ids, session ids) the changed rows belong to."""
    learners: set[int] = set()
    sessions: set[int] = set()
    for row in rows:
        if isinstance(row, FormCheckRow):
            continue
        if isinstance(row, LearnerRow):
            if row.id is not None and row not in session.new:
                learners.add(row.id)
        elif getattr(row, "learner_id", None) is not None:
            learners.add(row.learner_id)
        elif getattr(row, "session_id", None) is not None:
            sessions.add(row.session_id)
    return learners, sessions


def bump_revisions(session: Session, _context: Any, _instances: Any) -> None:
    """`before_flush`: count up the revision of every learner this flush writes for."""
    changed = [*session.new, *session.dirty, *session.deleted]
    learners, sessions = _owners(
        (
            row
            for row in changed
            if row in session.new or session.is_modified(row) or row in session.deleted
        ),
        session,
    )
    connection = session.connection()
    if sessions:
        found = select(SessionRow.learner_id).where(SessionRow.id.in_(sessions))
        learners.update(connection.execute(found).scalars())
    if learners:
        connection.execute(
            update(LearnerRow)
            .where(LearnerRow.id.in_(learners))
            .values(revision=LearnerRow.revision + 1, rewritten=LearnerRow.revision + 1)
        )
