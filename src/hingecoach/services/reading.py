"""The read side of one learner's programme: load the learner and their ladder once, build
the engine's History, and the views the doors show (today, status, the clinical record)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from hingecoach.adapters.db.records import (
    DecisionRecord,
    Evidence,
    LearnerRecord,
    VideoEvidence,
)
from hingecoach.adapters.db.repositories import ProgrammeRepository, convert
from hingecoach.catalog import Catalog, Ladder, rungs_for
from hingecoach.engine.model import History, Rung, ScreenResult, Session
from hingecoach.engine.placement import KitNote, kit_notes
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.progression import horizon, plan_today
from hingecoach.engine.screening import screen_verdict
from hingecoach.engine.symptoms import nerve_signs
from hingecoach.errors import NotFoundError, StateError
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.outcomes import outcomes_view
from hingecoach.services.results import ClinicalRecord, StatusView, TodayView
from hingecoach.services.uow import UnitOfWork

__all__ = [
    "Learner",
    "clinical_record",
    "learner_from",
    "load",
    "logged_into",
    "status_view",
    "today_from",
    "today_of",
    "today_view",
]


@dataclass(frozen=True)
class Learner:
    """A learner with their ladder and thresholds, read once per use case."""

    record: LearnerRecord
    ladder: Ladder
    rungs: tuple[Rung, ...]
    policy: Policy

    @property
    def id(self) -> int:
        return self.record.id

    def history(self, repo: ProgrammeRepository, today: date) -> History:
        """What a decision today reads (rule H1): a bounded window, not the whole record."""
        return self.history_from(self.evidence(repo, today))

    def evidence(self, repo: ProgrammeRepository, today: date) -> Evidence:
        return repo.evidence([self.id], horizon(today, self.policy))[self.id]

    def history_from(self, found: Evidence) -> History:
        r = self.record
        return History(
            rungs=self.rungs,
            state=r.state,
            onboarding_pain=r.onboarding_pain,
            sessions=found.sessions,
            checkins=found.checkins,
            screens=found.screens,
            cleared_on=cleared_on(found),
            started=r.started_on,
            before_horizon=found.before_horizon,
            outcomes=found.outcomes,
        )


def load(uow: UnitOfWork, catalogs: Catalogs, learner_id: int | None) -> Learner:
    """The learner (the CLI's only one when `learner_id` is None) and their ladder (their
    clinic's own ladders included), read once, in the use case's unit of work."""
    record = uow.programme.learner(learner_id)
    if record is None and learner_id is not None:
        raise NotFoundError(f"learner: no learner with id {learner_id}")
    if record is None:
        raise StateError("no learner yet: run `hinge start` first")
    return learner_from(record, catalogs.of(uow, record.clinic_id))


def learner_from(record: LearnerRecord, catalog: Catalog) -> Learner:
    """The learner with the ladder of `catalog` they are on, and their thresholds."""
    try:
        ladder = catalog.ladder(record.ladder_id)
    except NotFoundError:
        raise StateError(
            f"ladder {record.ladder_id!r} of this learner is not loaded; "
            "set HINGE_LADDERS_FILE to the custom ladder file"
        ) from None
    policy = DEFAULT_POLICY.restored(**record.policy) if record.policy else DEFAULT_POLICY
    rungs = rungs_for(ladder, catalog)
    if record.state.rung >= len(rungs):  # a ladder file edited shorter under the learner
        record = replace(record, state=replace(record.state, rung=len(rungs) - 1))
    return Learner(record, ladder, rungs, policy)


def logged_into(
    found: Evidence, session: Session, flags: frozenset[str], video: VideoEvidence | None
) -> Evidence:
    """The evidence once `session` (with its video check, and the screen its flags make)
    is stored now: what `ProgrammeRepository.evidence` would read back, without reading it
    again (tests/test_window.py checks that the decisions agree)."""
    if video is not None:
        summary = convert.video_fields(video.judged, video.checks, video.faults, video.reps)
        session = replace(session, **summary)
    screens = (*found.screens, ScreenResult(session.day, flags)) if flags else found.screens
    signs = bool(flags) or nerve_signs(session.area, session.qualities, session.faded_with_rest)
    late = found.clearance is not None and signs and session.day <= found.clearance.day
    backdated = (*found.backdated, session.day) if late else found.backdated
    # A session dated before the window: the engine's window (canonical) drops it and
    # notes that older sessions exist, as it would on reading it back.
    return replace(found, sessions=(*found.sessions, session), screens=screens, backdated=backdated)


def cleared_on(found: Evidence) -> date | None:
    """The day the engine may treat as cleared: everything up to it is covered.

    The engine compares days only, so a warning sign stored after a clearance but dated on or
    before its day (the same day, or a back-dated log) would look cleared. A clearance covers
    only what was reported before it: pull the day back so such a sign stays active. This
    also brings back the same day's earlier signs, which errs on the safe side; the next
    clearance covers them all again.
    """
    last = found.clearance
    if last is None:
        return None
    uncovered = [d for d in found.backdated if d <= last.day]
    return min(uncovered) - timedelta(days=1) if uncovered else last.day


def _kit(learner: Learner, catalog: Catalog) -> tuple[KitNote, ...]:
    """Equipment the learner lacks for today's step and the next one (rule PL5)."""
    rung = learner.record.state.rung
    alternatives = {k: v.alternative for k, v in catalog.equipment.items()}
    have = frozenset(learner.record.equipment)
    notes = kit_notes(learner.rungs, rung, have, alternatives)
    return tuple(n for n in notes if n.rung <= rung + 1)


def today_view(
    repo: ProgrammeRepository, learner: Learner, catalog: Catalog, today: date
) -> TodayView:
    return today_from(repo, learner, learner.history(repo, today), catalog, today)


def today_from(
    repo: ProgrammeRepository, learner: Learner, history: History, catalog: Catalog, today: date
) -> TodayView:
    """Today's view from a history already loaded in this unit of work (a use case that
    has just decided reuses the history it decided on, with the new state)."""
    counts, last = repo.counts(learner.id), repo.last_decision(learner.id)
    return today_of(learner, history, catalog, today, counts, last)


def today_of(
    learner: Learner,
    history: History,
    catalog: Catalog,
    today: date,
    counts: tuple[int, int],
    last: DecisionRecord | None,
) -> TodayView:
    """Today's view from what is already known: the history, how many sessions and
    check-ins are stored, and the last decision."""
    verdict = screen_verdict(history.screens, learner.policy, today, history.cleared_on)
    plan = plan_today(history, learner.policy, today)
    return TodayView(
        learner.record.name,
        learner.ladder,
        learner.rungs,
        history.state,
        verdict,
        plan.prescription,
        last,
        _kit(learner, catalog) if plan.prescription else (),
        plan.status,
        learner.policy,
        *counts,
        any(s.day == today for s in history.sessions),
    )


def status_view(
    repo: ProgrammeRepository, learner: Learner, catalog: Catalog, today: date
) -> StatusView:
    view = today_view(repo, learner, catalog, today)
    checkins = repo.checkins(learner.id)
    mornings: dict[date, int] = {}
    for c in checkins:
        mornings[c.day] = max(mornings.get(c.day, 0), c.pain)
    return StatusView(
        view,
        repo.decisions(learner.id),
        repo.sessions(learner.id),
        checkins,
        sorted(mornings.items()),
        learner.record.onboarding_pain,
        repo.session_notes(learner.id),
    )


def clinical_record(repo: ProgrammeRepository, learner: Learner, today: date) -> ClinicalRecord:
    return ClinicalRecord(
        notes=repo.notes(learner.id),
        changes=repo.changes(learner.id),
        policy=learner.policy,
        adjusted=frozenset(learner.record.policy),
        outcomes=outcomes_view(repo.questionnaires(learner.id), learner.record.started_on, today),
    )
