"""The clinician's pages as JSON: who needs them first, every learner at a glance, one
learner's record, invites and the clinic's ladders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Self

from hingecoach.adapters.db.records import FormCheckRecord
from hingecoach.catalog import Catalog, Ladder
from hingecoach.engine.attention import FLAGGED, Alert, AlertKind
from hingecoach.schemas.base import Public
from hingecoach.schemas.catalog import ExerciseSummary, LadderPublic
from hingecoach.schemas.outcomes import OutcomesPublic
from hingecoach.schemas.pages import AdherencePublic, HistoryPage
from hingecoach.schemas.programme import LadderRef, TodayPublic
from hingecoach.schemas.video import FormCheckPublic
from hingecoach.services.results import ClinicalRecord, StatusView
from hingecoach.services.roster import RosterRow, learner_alerts

__all__ = [
    "ALERT_TITLES",
    "AlertPublic",
    "AttentionPublic",
    "ClinicLadders",
    "InvitePublic",
    "LearnerRecordPage",
    "PolicySet",
    "RosterPage",
    "Saved",
]

ALERT_TITLES = {
    AlertKind.EMERGENCY: "Emergency stop",
    AlertKind.URGENT: "Urgent stop",
    AlertKind.NERVE: "Nerve signs: stopped",
    AlertKind.RED_TWICE: "Red again after stepping back",
    AlertKind.STEPPING_BACK: "Stepping back",
    AlertKind.REVIEW: "Review needed",
    AlertKind.STUCK: "Stuck on one step",
}


class AlertPublic(Public):
    kind: str
    title: str
    reason: str
    date: date

    @classmethod
    def of(cls, alert: Alert) -> Self:
        return cls(
            kind=alert.kind.value,
            title=ALERT_TITLES[alert.kind],
            reason=alert.reason,
            date=alert.day,
        )


class AttentionPublic(AlertPublic):
    learner_id: int
    name: str
    url: str


class RosterRowPublic(Public):
    learner_id: int
    name: str
    ladder: str
    step: int
    steps: int
    exercise: str
    last_session: date | None
    adherence: AdherencePublic
    urgency: str
    stopped: bool
    stuck: bool
    regressing: bool
    alerts: list[AlertPublic]
    url: str

    @classmethod
    def of(cls, r: RosterRow) -> Self:
        return cls(
            learner_id=r.learner_id,
            name=r.name,
            ladder=r.ladder,
            step=r.step,
            steps=r.steps,
            exercise=r.exercise,
            last_session=r.last_session,
            adherence=AdherencePublic(
                done=r.adherence.done,
                expected=r.adherence.expected,
                ratio=round(r.adherence.ratio, 2),
            ),
            urgency=r.urgency.value,
            stopped=r.stopped,
            stuck=r.stuck,
            regressing=r.regressing,
            alerts=[AlertPublic.of(a) for a in r.alerts],
            url=f"/clinic/learners/{r.learner_id}",
        )


class Counts(Public):
    learners: int
    flagged: int  # stopped, or a clinician's review asked for
    stopped: int
    stuck: int
    regressing: int


class RosterPage(Public):
    clinic: str | None
    attention: list[AttentionPublic]
    learners: list[RosterRowPublic]
    counts: Counts
    all_clinics: bool

    @classmethod
    def of(cls, clinic: str | None, rows: list[RosterRow], all_clinics: bool) -> Self:
        first = sorted(
            ((r, r.alerts[0]) for r in rows if r.alerts), key=lambda p: (p[1].rank, p[1].day)
        )
        return cls(
            clinic=clinic,
            attention=[
                AttentionPublic(
                    **AlertPublic.of(alert).model_dump(),
                    learner_id=r.learner_id,
                    name=r.name,
                    url=f"/clinic/learners/{r.learner_id}",
                )
                for r, alert in first
            ],
            learners=[RosterRowPublic.of(r) for r in rows],
            counts=Counts(
                learners=len(rows),
                flagged=sum(1 for r in rows if any(a.kind in FLAGGED for a in r.alerts)),
                stopped=sum(1 for r in rows if r.stopped),
                stuck=sum(1 for r in rows if r.stuck),
                regressing=sum(1 for r in rows if r.regressing),
            ),
            all_clinics=all_clinics,
        )


class NotePublic(Public):
    author: str
    body: str
    at: str


class ChangePublic(Public):
    by: str
    kind: str
    detail: dict[str, Any]  # what changed: {field: [before, after]}, or {from, to}
    reason: str
    at: str


class PolicyValue(Public):
    field: str
    value: float | int
    adjusted: bool


class RecordPublic(Public):
    notes: list[NotePublic]
    changes: list[ChangePublic]
    policy: list[PolicyValue]

    @classmethod
    def of(cls, record: ClinicalRecord) -> Self:
        return cls(
            notes=[
                NotePublic(
                    author=n.author, body=n.body, at=n.created_at.isoformat(timespec="minutes")
                )
                for n in record.notes
            ],
            changes=[
                ChangePublic(
                    by=c.by,
                    kind=c.kind,
                    detail=c.detail,
                    reason=c.reason,
                    at=c.created_at.isoformat(timespec="minutes"),
                )
                for c in record.changes
            ],
            policy=[
                PolicyValue(field=name, value=value, adjusted=name in record.adjusted)
                for name, value in vars(record.policy).items()
                if isinstance(value, (int, float)) and not isinstance(value, bool)
            ],
        )


class StepChoice(Public):
    step: int
    name: str


class LearnerRecordPage(HistoryPage):
    learner_id: int
    alerts: list[AlertPublic]
    today_date: date
    today: TodayPublic
    record: RecordPublic
    ladders: list[LadderRef]
    rungs: list[StepChoice]
    form_checks: list[FormCheckPublic]  # newest first; each links to its review page
    outcomes: OutcomesPublic | None  # questionnaire scores over time, what is due

    @classmethod
    def record_page(
        cls,
        learner_id: int,
        status: StatusView,
        record: ClinicalRecord,
        catalog: Catalog,
        today: date,
        checks: Sequence[FormCheckRecord] = (),
    ) -> Self:
        history = HistoryPage.page(status, today, f"/clinic/learners/{learner_id}")
        return cls(
            **history.model_dump(),
            learner_id=learner_id,
            alerts=[AlertPublic.of(a) for a in learner_alerts(status, today)],
            today_date=today,
            today=TodayPublic.of(status.today),
            record=RecordPublic.of(record),
            ladders=[LadderRef(id=lad.id, name=lad.name) for lad in catalog.ladders.values()],
            rungs=[
                StepChoice(step=n, name=r.name) for n, r in enumerate(status.today.rungs, start=1)
            ],
            form_checks=[
                FormCheckPublic.of(c, f"/api/v1/clinic/learners/{learner_id}/form-checks/{c.id}")
                for c in checks
            ],
            outcomes=OutcomesPublic.of(record.outcomes) if record.outcomes else None,
        )


class InvitePublic(Public):
    code: str
    role: str
    clinic: str
    expires: date
    link: str


class PolicySet(Public):
    field: str
    value: float | int


class Saved(Public):
    saved: bool


class CustomLadder(LadderPublic):
    toml: str


class ClinicLadders(Public):
    custom: list[CustomLadder]
    builtin: list[LadderPublic]
    exercises: list[ExerciseSummary]
    example: str

    @classmethod
    def of(cls, custom: list[tuple[Ladder, str]], catalog: Catalog, example: str) -> Self:
        return cls(
            custom=[
                CustomLadder(**LadderPublic.of(lad, catalog).model_dump(), toml=text)
                for lad, text in custom
            ],
            builtin=[LadderPublic.of(lad, catalog) for lad in catalog.ladders.values()],
            exercises=[ExerciseSummary.of(ex) for ex in catalog.exercises.values()],
            example=example,
        )
