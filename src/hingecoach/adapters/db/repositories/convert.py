"""Rows to records and engine values, and back. No queries here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Row

from hingecoach.adapters.db.records import (
    ChangeRecord,
    DecisionRecord,
    LearnerRecord,
    NoteRecord,
    UserRecord,
)
from hingecoach.adapters.db.tables import (
    ChangeRow,
    DecisionRow,
    LearnerRow,
    NoteRow,
    UserRow,
)
from hingecoach.engine.model import CheckIn, ProgramState, Quality, Session, SetLog, SymptomArea

__all__ = [
    "aware",
    "change",
    "checkin",
    "decision",
    "learner",
    "note",
    "session",
    "state_from_json",
    "state_to_json",
    "user",
    "video_fields",
]

_DATE_FIELDS = {"deload_until", "regressed_on", "since", "acted_on"}


def aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


def learner(row: LearnerRow | Row[Any]) -> LearnerRecord:
    """From the ORM object or a Core row of the same table (the same names)."""
    return LearnerRecord(
        id=row.id,
        name=row.name,
        created_at=aware(row.created_at),
        started_on=row.started_on,
        ladder_id=row.ladder_id,
        experience=row.experience,
        onboarding_pain=row.onboarding_pain,
        age=row.age,
        equipment=tuple(row.equipment or ()),
        policy=dict(row.policy or {}),
        state=state_from_json(row.state),
        clinic_id=row.clinic_id,
        revision=row.revision,
        rewritten=row.rewritten,
    )


def video_fields(
    judged: bool | None, checks: Iterable[bool | None], faults: int, reps: int
) -> dict[str, Any]:
    """What a video form check adds to its session (rule V1): only a judged check counts."""
    if not judged:
        return {}
    found = tuple(None if c is None else bool(c) for c in checks)
    return {"video_checks": found, "video_faults": faults, "video_reps": reps}


@lru_cache(maxsize=1024)
def qualities(text: str) -> frozenset[Quality]:
    """The qualities stored as JSON text (a list of their values), decoded once per text."""
    return frozenset(Quality(q) for q in json.loads(text))


@lru_cache(maxsize=1024)
def answers(text: str | None) -> tuple[bool | None, ...]:
    """A JSON list of yes, no or not-seen answers (a self-check, a video check's items),
    decoded once per text; no text reads as no answers."""
    return tuple(None if x is None else bool(x) for x in json.loads(text)) if text else ()


def session(row: Any, sets: Iterable[Any]) -> Session:
    """A session from its row (the columns of `SESSION_COLUMNS`, its JSON lists as text)
    and its set rows."""
    checks = answers(row.video_checks) if row.video_judged else ()
    video = video_fields(row.video_judged, checks, row.video_faults, row.video_reps)
    return Session(
        day=row.day,
        rung=row.rung,
        exercise_id=row.exercise_id,
        pain_before=row.pain_before,
        pain_during=row.pain_during,
        pain_after=row.pain_after,
        sets=tuple(SetLog(s.reps, s.seconds, s.load, s.rpe) for s in sets),
        area=SymptomArea(row.area),
        qualities=qualities(row.qualities),
        faded_with_rest=row.burning_faded,
        first_set_uncued=row.first_set_uncued,
        self_check=tuple(bool(x) for x in answers(row.self_check)),
        faults=row.faults,
        fault_basis=row.fault_basis,
        **video,
    )


def checkin(row: Any) -> CheckIn:
    """A check-in from a row of `CHECKIN_COLUMNS` (its qualities as JSON text)."""
    return CheckIn(
        day=row.day,
        pain=row.pain,
        area=SymptomArea(row.area),
        qualities=qualities(row.qualities),
        soreness=row.soreness,
    )


def decision(row: DecisionRow | Row[Any]) -> DecisionRecord:
    """From the ORM object or a Core row of the same table (the same names)."""
    return DecisionRecord(
        day=row.day,
        made_at=aware(row.made_at),
        trigger=row.trigger,
        action=row.action,
        light=row.light,
        urgency=row.urgency,
        rules=tuple(row.rules),
        reasons=tuple(row.reasons),
        rung_before=row.rung_before,
        rung_after=row.rung_after,
    )


def note(row: NoteRow) -> NoteRecord:
    return NoteRecord(row.author, row.body, aware(row.created_at))


def change(row: ChangeRow) -> ChangeRecord:
    return ChangeRecord(row.by, row.kind, dict(row.detail), row.reason, aware(row.created_at))


def user(row: UserRow | Row[Any]) -> UserRecord:
    """From the ORM object or a Core row of the same table (the same names)."""
    return UserRecord(
        id=row.id,
        email=row.email,
        password_hash=row.password_hash,
        role=row.role,
        name=row.name,
        country=row.country,
        clinic_id=row.clinic_id,
        learner_id=row.learner_id,
        password_changed_at=aware(row.password_changed_at),
        language=row.language,
    )
