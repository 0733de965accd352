"""A learner's programme: today's card, decisions, outcomes, status and history.

These are the documented `--json` shapes of the CLI (docs/cli.md) and the answers of the
learner's API routes (docs/web.md); steps are numbered from 1 for people. The catalog's words
(names, cues, self-checks, tempo) are said here in the reader's language; the engine's own
texts come already said in it.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field

from hingecoach.adapters.db.records import DecisionRecord
from hingecoach.engine.dosing import Prescription
from hingecoach.engine.model import CheckIn, Decision, Rung, Session
from hingecoach.engine.pain import LightVerdict
from hingecoach.engine.progression import ProgrammeStatus
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.engine.texts import shown
from hingecoach.language import _
from hingecoach.schemas.base import Public
from hingecoach.services.results import Outcome, StartResult, StatusView, TodayView

__all__ = [
    "CallPublic",
    "CheckInPublic",
    "DecisionPublic",
    "DecisionRecordPublic",
    "HistoryPublic",
    "LadderRef",
    "LightPublic",
    "MorningPublic",
    "OutcomePublic",
    "PrescriptionPublic",
    "ProgrammePublic",
    "SafetyPublic",
    "SessionPublic",
    "SetPublic",
    "StartPublic",
    "StatusPublic",
    "TodayPublic",
    "VideoSummary",
]


class CallPublic(Public):
    number: str
    label: str


class ProgrammePublic(Public):
    """Running, restricted or stopped: what every door enforces, and why."""

    standing: str
    urgency: str
    rules: list[str]
    reason: str
    advice: str
    by_when: str
    since: date | None
    call: CallPublic | None

    @classmethod
    def of(cls, s: ProgrammeStatus) -> Self:
        call = CallPublic(number=s.call.number, label=s.call.label) if s.call else None
        return cls(
            standing=s.standing.value,
            urgency=s.urgency.value,
            rules=list(s.rules),
            reason=s.reason,
            advice=s.advice,
            by_when=s.by_when,
            since=s.since,
            call=call,
        )


class SafetyPublic(Public):
    urgency: str
    flags: list[str]
    message: str


class LadderRef(Public):
    id: str
    name: str


class PrescriptionPublic(Public):
    exercise_id: str
    name: str
    step: int
    how_many: str
    sets: int
    seconds_per_set: int | None
    reps: list[int] | None
    rest_seconds: int
    tempo: str
    load: float | None
    load_unit: str | None
    warmup: str | None
    effort: str
    how_often: str
    move_on_when: str
    pain_guide: str
    earliest_date: date
    due_today: bool
    rules: list[str]
    notes: list[str]
    cues: list[str]
    self_check: list[str]

    @classmethod
    def of(cls, rx: Prescription, rung: Rung) -> Self:
        return cls(
            exercise_id=rx.exercise_id,
            name=shown(rx.name),
            step=rx.rung + 1,
            how_many=rx.how_many,
            sets=rx.sets,
            seconds_per_set=rx.seconds,
            reps=list(rx.reps) if rx.reps else None,
            rest_seconds=rx.rest_seconds,
            tempo=shown(rx.tempo),
            load=rx.load,
            load_unit=rx.load_unit,
            warmup=rx.warmup,
            effort=rx.effort,
            how_often=rx.frequency,
            move_on_when=rx.move_on,
            pain_guide=rx.pain_guide,
            earliest_date=rx.earliest,
            due_today=rx.due_today,
            rules=list(rx.rules),
            notes=list(rx.notes),
            cues=[shown(c) for c in rung.cues],
            self_check=[shown(c) for c in rung.self_check],
        )


class DecisionRecordPublic(Public):
    """A stored decision: in today's card, the status and the history."""

    date: date
    trigger: str
    action: str
    light: str | None
    urgency: str
    rules: list[str]
    reasons: list[str]
    step_before: int | None
    step_after: int | None

    @classmethod
    def of(cls, r: DecisionRecord) -> Self:
        return cls(
            date=r.day,
            trigger=r.trigger,
            action=r.action,
            light=r.light,
            urgency=r.urgency,
            rules=list(r.rules),
            # Stored as written on the day; a reason with no number in it (most of them) is
            # still said in today's reader's language.
            reasons=[shown(reason) for reason in r.reasons],
            step_before=None if r.rung_before is None else r.rung_before + 1,
            step_after=None if r.rung_after is None else r.rung_after + 1,
        )


class DuePublic(Public):
    """An outcome questionnaire to fill in now (schemas/outcomes.py has the rest)."""

    measure: str
    name: str
    minutes: int
    asked_by: str | None


class TodayPublic(Public):
    learner: str
    ladder: LadderRef
    step: int
    steps: int
    stopped: bool
    programme: ProgrammePublic
    safety: SafetyPublic
    prescription: PrescriptionPublic | None
    last_decision: DecisionRecordPublic | None
    equipment_notes: list[str]
    disclaimer: str
    questionnaires_due: list[DuePublic] = Field(default_factory=list)

    @classmethod
    def of(cls, view: TodayView) -> Self:
        rx, last = view.prescription, view.last_decision
        return cls(
            learner=view.learner,
            ladder=LadderRef(id=view.ladder.id, name=shown(view.ladder.name)),
            step=view.state.rung + 1,
            steps=len(view.rungs),
            stopped=rx is None,
            programme=ProgrammePublic.of(view.status),
            safety=SafetyPublic(
                urgency=view.verdict.urgency.value,
                flags=list(view.verdict.flags),
                message=view.verdict.message,
            ),
            prescription=PrescriptionPublic.of(rx, view.rungs[rx.rung]) if rx else None,
            last_decision=DecisionRecordPublic.of(last) if last else None,
            equipment_notes=[n.text(view.rungs) for n in view.kit],
            disclaimer=_(DISCLAIMER),
        )


class StartPublic(Public):
    learner_id: int
    ladder: LadderRef
    placed: bool
    step: int | None
    exercise_id: str | None
    urgency: str
    unloaded_only: bool
    rules: list[str]
    reasons: list[str]
    equipment_notes: list[str]
    disclaimer: str

    @classmethod
    def of(cls, result: StartResult) -> Self:
        p = result.placement
        return cls(
            learner_id=result.learner_id,
            ladder=LadderRef(id=result.ladder.id, name=shown(result.ladder.name)),
            placed=p.rung is not None,
            step=None if p.rung is None else p.rung + 1,
            exercise_id=None if p.rung is None else result.rungs[p.rung].exercise_id,
            urgency=p.urgency.value,
            unloaded_only=p.unloaded_only,
            rules=list(p.rules),
            reasons=list(p.reasons),
            equipment_notes=[n.text(result.rungs) for n in p.kit],
            disclaimer=_(DISCLAIMER),
        )


class DecisionPublic(Public):
    """What was just decided."""

    action: str
    light: str | None
    urgency: str
    refer: bool
    rules: list[str]
    reasons: list[str]
    step_before: int | None
    step_after: int
    exercise_after: str
    load: float | None
    volume_factor: float
    load_change: str | None

    @classmethod
    def of(cls, d: Decision, rungs: tuple[Rung, ...], step_before: int | None) -> Self:
        return cls(
            action=d.action.value,
            light=d.light.value if d.light else None,
            urgency=d.urgency.value,
            refer=d.refer,
            rules=list(d.rules),
            reasons=list(d.reasons),
            step_before=None if step_before is None else step_before + 1,
            step_after=d.state.rung + 1,
            exercise_after=rungs[d.state.rung].exercise_id,
            load=d.state.load,
            volume_factor=d.state.volume_factor,
            load_change=d.load_change,
        )


class LightPublic(Public):
    light: str
    rules: list[str]
    reasons: list[str]

    @classmethod
    def of(cls, v: LightVerdict) -> Self:
        return cls(light=v.light.value, rules=list(v.rules), reasons=list(v.reasons))


class OutcomePublic(Public):
    """After a log, check-in, screen, clearance or a clinician's change."""

    session: LightPublic | None
    decision: DecisionPublic
    notices: list[str]
    today: TodayPublic

    @classmethod
    def of(cls, o: Outcome) -> Self:
        return cls(
            session=LightPublic.of(o.session) if o.session else None,
            decision=DecisionPublic.of(o.decision, o.rungs, o.rung_before),
            notices=list(o.notices),
            today=TodayPublic.of(o.today),
        )


class MorningPublic(Public):
    date: date
    pain: int


class StatusPublic(Public):
    today: TodayPublic
    sessions: int
    checkins: int
    morning_pain: list[MorningPublic]
    recent_decisions: list[DecisionRecordPublic]

    @classmethod
    def of(cls, view: StatusView) -> Self:
        return cls(
            today=TodayPublic.of(view.today),
            sessions=len(view.sessions),
            checkins=len(view.checkins),
            morning_pain=mornings(view),
            recent_decisions=[DecisionRecordPublic.of(r) for r in view.decisions[-10:]],
        )


def mornings(view: StatusView) -> list[MorningPublic]:
    return [MorningPublic(date=d, pain=p) for d, p in view.mornings]


class SetPublic(Public):
    reps: int | None
    seconds: int | None
    load: float | None
    rpe: float | None


class VideoSummary(Public):
    reps: int
    faults: int
    checks: list[bool | None]


class SessionPublic(Public):
    date: date
    step: int
    exercise_id: str
    pain_before: int
    pain_during: int
    pain_after: int
    area: str
    qualities: list[str]
    first_set_uncued: bool
    self_check: list[bool]
    video: VideoSummary | None
    sets: list[SetPublic]
    faded: bool
    note: str

    @classmethod
    def of(cls, s: Session, note: str) -> Self:
        filmed = s.video_reps or s.video_checks
        video = VideoSummary(reps=s.video_reps, faults=s.video_faults, checks=list(s.video_checks))
        return cls(
            date=s.day,
            step=s.rung + 1,
            exercise_id=s.exercise_id,
            pain_before=s.pain_before,
            pain_during=s.pain_during,
            pain_after=s.pain_after,
            area=s.area.value,
            qualities=sorted(q.value for q in s.qualities),
            first_set_uncued=s.first_set_uncued,
            self_check=list(s.self_check),
            video=video if filmed else None,
            sets=[
                SetPublic(reps=x.reps, seconds=x.seconds, load=x.load, rpe=x.rpe) for x in s.sets
            ],
            faded=s.faded_with_rest,
            note=note,
        )


class CheckInPublic(Public):
    date: date
    pain: int
    area: str
    soreness: bool

    @classmethod
    def of(cls, c: CheckIn) -> Self:
        return cls(date=c.day, pain=c.pain, area=c.area.value, soreness=c.soreness)


class HistoryPublic(Public):
    sessions: list[SessionPublic]
    checkins: list[CheckInPublic]
    decisions: list[DecisionRecordPublic]

    @classmethod
    def of(cls, view: StatusView) -> Self:
        notes = view.notes or [""] * len(view.sessions)
        return cls(
            sessions=[
                SessionPublic.of(s, note) for s, note in zip(view.sessions, notes, strict=True)
            ],
            checkins=[CheckInPublic.of(c) for c in view.checkins],
            decisions=[DecisionRecordPublic.of(r) for r in view.decisions],
        )
