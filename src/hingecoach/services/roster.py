"""The roster: every learner a clinician sees, at a glance, in a constant number of queries
whatever the number of learners or the length of their histories (rule H1 bounds what is
read of each), with the alerts that say who needs the clinician first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hingecoach.adapters.db.records import DecisionRecord, Evidence
from hingecoach.engine.adherence import Adherence, adherence
from hingecoach.engine.attention import Alert, DecisionNote, alerts
from hingecoach.engine.model import Action, Urgency
from hingecoach.engine.progression import ProgrammeStatus, horizon, programme_status
from hingecoach.services import reading
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.reading import Learner
from hingecoach.services.results import StatusView
from hingecoach.services.uow import UnitOfWorkFactory

__all__ = ["RosterRow", "learner_adherence", "learner_alerts", "roster", "status_adherence"]


@dataclass(frozen=True)
class RosterRow:
    learner_id: int
    name: str
    ladder: str
    step: int
    steps: int
    exercise: str
    last_session: date | None
    adherence: Adherence
    urgency: Urgency
    stopped: bool
    stuck: bool
    regressing: bool
    alerts: tuple[Alert, ...] = ()


def learner_adherence(learner: Learner, session_days: Sequence[date], today: date) -> Adherence:
    """Sessions in the last 14 days against the dose floor of the learner's current step."""
    policy, rung = learner.policy, learner.rungs[learner.record.state.rung]
    per_week = policy.loaded_days_per_week if rung.loaded else policy.patterning_days_per_week
    return adherence(session_days, per_week, today, learner.record.started_on)


def _alerts(
    learner: Learner,
    status: ProgrammeStatus,
    decisions: Sequence[DecisionRecord],
    session_days: Sequence[date],
    today: date,
) -> tuple[Alert, ...]:
    notes = [DecisionNote(r.day, Action(r.action), r.rules, r.reasons) for r in decisions]
    since = learner.record.state.since or learner.record.started_on
    return alerts(status, notes, since, session_days, today, learner.policy)


def status_adherence(status: StatusView, today: date) -> Adherence:
    """Adherence from the status a history page has already read."""
    view = status.today
    loaded = view.rungs[view.state.rung].loaded
    per_week = view.policy.loaded_days_per_week if loaded else view.policy.patterning_days_per_week
    started = status.decisions[0].day if status.decisions else today
    return adherence([s.day for s in status.sessions], per_week, today, started)


def learner_alerts(status: StatusView, today: date) -> tuple[Alert, ...]:
    """One learner's alerts, from the status their record page has already read."""
    view = status.today
    notes = [DecisionNote(r.day, Action(r.action), r.rules, r.reasons) for r in status.decisions]
    started = status.decisions[0].day if status.decisions else today
    since = view.state.since or started
    days = [s.day for s in status.sessions]
    return alerts(view.status, notes, since, days, today, view.policy)


def roster(
    uow: UnitOfWorkFactory, catalogs: Catalogs, ids: Sequence[int], today: date
) -> list[RosterRow]:
    """Every learner of `ids`, in that order, from one read of a handful of queries."""
    with uow() as u:
        records = u.programme.learners_by_ids(ids)
        clinics = {r.clinic_id for r in records if r.clinic_id is not None}
        texts = u.clinics.custom_ladders_for(clinics)
        learners = [
            reading.learner_from(r, catalogs.with_texts(texts.get(r.clinic_id or 0, [])))
            for r in records
        ]
        start = min((horizon(today, x.policy) for x in learners), default=today)
        window = max((x.policy.regress_window_days for x in learners), default=0)
        found = u.programme.evidence(ids, start)
        decided = u.programme.decisions_since(ids, today - timedelta(days=window))
        last = u.programme.last_session_days(ids)
    by_id = {x.id: x for x in learners}
    return [
        _row(by_id[i], found[i], decided.get(i, []), last.get(i), today) for i in ids if i in by_id
    ]


def _row(
    learner: Learner,
    found: Evidence,
    decisions: list[DecisionRecord],
    last: date | None,
    today: date,
) -> RosterRow:
    history = learner.history_from(found)
    status = programme_status(history, learner.policy, today)
    days = [s.day for s in history.sessions]
    found_alerts = _alerts(learner, status, decisions, days, today)
    kinds = {a.kind.value for a in found_alerts}
    state = learner.record.state
    return RosterRow(
        learner_id=learner.id,
        name=learner.record.name,
        ladder=learner.ladder.name,
        step=state.rung + 1,
        steps=len(learner.rungs),
        exercise=learner.rungs[state.rung].name,
        last_session=last,
        adherence=learner_adherence(learner, days, today),
        urgency=status.urgency,
        stopped=status.stopped,
        stuck="stuck" in kinds,
        regressing="stepping_back" in kinds or "red_twice" in kinds,
        alerts=found_alerts,
    )
