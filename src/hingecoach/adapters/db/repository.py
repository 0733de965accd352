"""Translate between rows and the engine's value types. No commits here: services own them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from hingecoach.adapters.db.tables import (
    ChangeRow,
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    FormReportRow,
    LearnerRow,
    NoteRow,
    ScreenRow,
    SessionRow,
    SetRow,
    UserRow,
)
from hingecoach.engine.model import (
    CheckIn,
    Decision,
    ProgramState,
    Quality,
    ScreenResult,
    Session,
    SetLog,
    SymptomArea,
)

__all__ = ["FormEvidence", "Repository", "state_from_json", "state_to_json"]

_DATE_FIELDS = {"deload_until", "regressed_on", "since", "acted_on"}


@dataclass(frozen=True)
class FormEvidence:
    """What a video form check adds to a session (the clip itself is never stored)."""

    exercise_id: str
    judged: bool
    reps: int
    faults: int
    checks: tuple[bool | None, ...]
    report: dict[str, Any]
    keypoints: bytes | None = None


def now() -> datetime:
    return datetime.now(UTC)


def state_to_json(state: ProgramState) -> dict[str, Any]:
    raw = asdict(state)
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in raw.items()}


def state_from_json(data: dict[str, Any]) -> ProgramState:
    known = {f.name for f in fields(ProgramState)}
    values = {k: v for k, v in data.items() if k in known}
    for key in _DATE_FIELDS & values.keys():
        if values[key] is not None:
            values[key] = date.fromisoformat(values[key])
    return ProgramState(**values)


def _session(row: SessionRow) -> Session:
    return Session(
        day=row.day,
        rung=row.rung,
        exercise_id=row.exercise_id,
        pain_before=row.pain_before,
        pain_during=row.pain_during,
        pain_after=row.pain_after,
        sets=tuple(SetLog(s.reps, s.seconds, s.load, s.rpe) for s in row.sets),
        area=SymptomArea(row.area),
        qualities=frozenset(Quality(q) for q in row.qualities),
        faded_with_rest=row.burning_faded,
        first_set_uncued=row.first_set_uncued,
        self_check=tuple(bool(x) for x in row.self_check),
        faults=row.faults,
        fault_basis=row.fault_basis,
        **_video_fields(row.form_report),
    )


def _video_fields(report: FormReportRow | None) -> dict[str, Any]:
    if report is None or not report.judged:
        return {}
    checks = tuple(None if c is None else bool(c) for c in report.checks)
    return {"video_checks": checks, "video_faults": report.faults, "video_reps": report.reps}


def _checkin(row: CheckInRow) -> CheckIn:
    return CheckIn(
        day=row.day,
        pain=row.pain,
        area=SymptomArea(row.area),
        qualities=frozenset(Quality(q) for q in row.qualities),
        soreness=row.soreness,
    )


class Repository:
    """Reads and writes one learner's rows inside the caller's transaction."""

    def __init__(self, db: DbSession) -> None:
        self.db = db

    def learner(self, learner_id: int | None = None) -> LearnerRow | None:
        query = select(LearnerRow).order_by(LearnerRow.id)
        if learner_id is not None:
            query = query.where(LearnerRow.id == learner_id)
        return self.db.scalars(query.limit(1)).first()

    def add(self, row: object) -> None:
        self.db.add(row)
        self.db.flush()

    def sessions(self, learner_id: int) -> list[Session]:
        rows = self.db.scalars(
            select(SessionRow)
            .options(selectinload(SessionRow.sets), selectinload(SessionRow.form_report))
            .where(SessionRow.learner_id == learner_id)
            .order_by(SessionRow.day, SessionRow.id)
        )
        return [_session(r) for r in rows]

    def checkins(self, learner_id: int) -> list[CheckIn]:
        rows = self.db.scalars(
            select(CheckInRow)
            .where(CheckInRow.learner_id == learner_id)
            .order_by(CheckInRow.day, CheckInRow.id)
        )
        return [_checkin(r) for r in rows]

    def screens(self, learner_id: int) -> list[ScreenResult]:
        rows = self.db.scalars(
            select(ScreenRow)
            .where(ScreenRow.learner_id == learner_id)
            .order_by(ScreenRow.day, ScreenRow.id)
        )
        return [ScreenResult(r.day, frozenset(r.flags)) for r in rows]

    def last_clearance(self, learner_id: int) -> ClearanceRow | None:
        """The clearance with the latest day (the latest recorded, on a tie)."""
        query = (
            select(ClearanceRow)
            .where(ClearanceRow.learner_id == learner_id)
            .order_by(ClearanceRow.day.desc(), ClearanceRow.id.desc())
        )
        return self.db.scalars(query.limit(1)).first()

    def recorded_after(
        self, learner_id: int, when: datetime
    ) -> tuple[list[ScreenResult], list[Session], list[CheckIn]]:
        """Screens, sessions and check-ins stored after `when`, whatever day they are for."""
        screens = self.db.scalars(
            select(ScreenRow).where(ScreenRow.learner_id == learner_id, ScreenRow.created_at > when)
        )
        sessions = self.db.scalars(
            select(SessionRow)
            .options(selectinload(SessionRow.sets))
            .where(SessionRow.learner_id == learner_id, SessionRow.created_at > when)
        )
        checkins = self.db.scalars(
            select(CheckInRow).where(
                CheckInRow.learner_id == learner_id, CheckInRow.created_at > when
            )
        )
        return (
            [ScreenResult(r.day, frozenset(r.flags)) for r in screens],
            [_session(r) for r in sessions],
            [_checkin(r) for r in checkins],
        )

    def decisions(self, learner_id: int) -> list[DecisionRow]:
        query = (
            select(DecisionRow).where(DecisionRow.learner_id == learner_id).order_by(DecisionRow.id)
        )
        return list(self.db.scalars(query))

    def has_session_token(self, learner_id: int, token: str) -> bool:
        query = select(SessionRow.id).where(
            SessionRow.learner_id == learner_id, SessionRow.client_token == token
        )
        return self.db.scalars(query.limit(1)).first() is not None

    def has_checkin_token(self, learner_id: int, token: str) -> bool:
        query = select(CheckInRow.id).where(
            CheckInRow.learner_id == learner_id, CheckInRow.client_token == token
        )
        return self.db.scalars(query.limit(1)).first() is not None

    def has_session_on(self, learner_id: int, day: date) -> bool:
        query = select(SessionRow.id).where(
            SessionRow.learner_id == learner_id, SessionRow.day == day
        )
        return self.db.scalars(query.limit(1)).first() is not None

    def session_notes(self, learner_id: int) -> list[str]:
        """Each session's note, in the order `sessions` returns them."""
        query = (
            select(SessionRow.note)
            .where(SessionRow.learner_id == learner_id)
            .order_by(SessionRow.day, SessionRow.id)
        )
        return [note or "" for note in self.db.scalars(query)]

    def add_change(
        self, learner_id: int, by: str, kind: str, detail: dict[str, Any], reason: str
    ) -> None:
        self.add(
            ChangeRow(
                learner_id=learner_id,
                by=by,
                kind=kind,
                detail=detail,
                reason=reason,
                created_at=now(),
            )
        )

    def changes(self, learner_id: int) -> list[ChangeRow]:
        query = select(ChangeRow).where(ChangeRow.learner_id == learner_id).order_by(ChangeRow.id)
        return list(self.db.scalars(query))

    def add_note(self, learner_id: int, author: str, body: str) -> None:
        self.add(NoteRow(learner_id=learner_id, author=author, body=body, created_at=now()))

    def notes(self, learner_id: int) -> list[NoteRow]:
        query = select(NoteRow).where(NoteRow.learner_id == learner_id).order_by(NoteRow.id)
        return list(self.db.scalars(query))

    def user(self, user_id: int) -> UserRow | None:
        return self.db.get(UserRow, user_id)

    def add_session(
        self, learner_id: int, s: Session, note: str = "", token: str | None = None
    ) -> SessionRow:
        row = SessionRow(
            learner_id=learner_id,
            day=s.day,
            rung=s.rung,
            exercise_id=s.exercise_id,
            pain_before=s.pain_before,
            pain_during=s.pain_during,
            pain_after=s.pain_after,
            area=s.area.value,
            qualities=sorted(q.value for q in s.qualities),
            burning_faded=s.faded_with_rest,
            first_set_uncued=s.first_set_uncued,
            self_check=list(s.self_check),
            faults=s.faults,
            fault_basis=s.fault_basis,
            note=note,
            created_at=now(),
            client_token=token,
            sets=[
                SetRow(position=i, reps=x.reps, seconds=x.seconds, load=x.load, rpe=x.rpe)
                for i, x in enumerate(s.sets)
            ],
        )
        self.add(row)
        return row

    def add_form_report(self, session: SessionRow, form: FormEvidence) -> None:
        session.form_report = FormReportRow(
            created_at=now(),
            exercise_id=form.exercise_id,
            judged=form.judged,
            reps=form.reps,
            faults=form.faults,
            checks=list(form.checks),
            report=form.report,
            keypoints=form.keypoints,
        )
        self.db.flush()

    def add_checkin(self, learner_id: int, c: CheckIn, token: str | None = None) -> None:
        self.add(
            CheckInRow(
                learner_id=learner_id,
                day=c.day,
                pain=c.pain,
                area=c.area.value,
                qualities=sorted(q.value for q in c.qualities),
                soreness=c.soreness,
                created_at=now(),
                client_token=token,
            )
        )

    def add_screen(self, learner_id: int, day: date, source: str, flags: frozenset[str]) -> None:
        self.add(
            ScreenRow(
                learner_id=learner_id, day=day, source=source, flags=sorted(flags), created_at=now()
            )
        )

    def add_clearance(self, learner_id: int, day: date, by: str, note: str) -> None:
        self.add(ClearanceRow(learner_id=learner_id, day=day, by=by, note=note, created_at=now()))

    def add_decision(
        self,
        learner: LearnerRow,
        day: date,
        trigger: str,
        decision: Decision,
        rung_before: int | None,
    ) -> DecisionRow:
        row = DecisionRow(
            learner_id=learner.id,
            day=day,
            made_at=now(),
            trigger=trigger,
            action=decision.action.value,
            light=decision.light.value if decision.light else None,
            urgency=decision.urgency.value,
            rules=list(decision.rules),
            reasons=list(decision.reasons),
            rung_before=rung_before,
            rung_after=decision.state.rung,
            state=state_to_json(decision.state),
        )
        self.add(row)
        learner.state = state_to_json(decision.state)
        return row
