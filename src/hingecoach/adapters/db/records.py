"""Frozen records the repositories return: plain values, never ORM rows, so nothing a
service hands up can change the database behind its back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hingecoach.engine.model import CheckIn, OutcomeReading, ProgramState, ScreenResult, Session

__all__ = [
    "ChangeRecord",
    "ClearanceRecord",
    "ClinicRecord",
    "CustomLadderRecord",
    "DecisionRecord",
    "Evidence",
    "FormCheckRecord",
    "InviteRecord",
    "LearnerRecord",
    "NoteRecord",
    "QuestionnaireRecord",
    "UserRecord",
    "VideoEvidence",
]


@dataclass(frozen=True)
class LearnerRecord:
    id: int
    name: str
    created_at: datetime
    started_on: date
    ladder_id: str
    experience: str
    onboarding_pain: int
    age: int | None
    equipment: tuple[str, ...]
    policy: dict[str, Any]  # the thresholds that differ from the defaults
    state: ProgramState
    clinic_id: int | None
    revision: int = 0  # counted up by every write to the learner's programme
    rewritten: int = 0  # the revision of the last write other than a plain logged session


@dataclass(frozen=True)
class DecisionRecord:
    day: date
    made_at: datetime
    trigger: str  # start, session, checkin, screen, clearance, override
    action: str
    light: str | None
    urgency: str
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    rung_before: int | None
    rung_after: int | None


@dataclass(frozen=True)
class NoteRecord:
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class QuestionnaireRecord:
    """A filled questionnaire (`answers` set), or a clinician's request for one (`asked_by`)."""

    id: int
    measure: str
    day: date
    answers: dict[str, Any] | None
    score: float | None
    band: str
    valid: bool
    asked_by: str | None


@dataclass(frozen=True)
class ChangeRecord:
    by: str
    kind: str  # step, policy, ladder
    detail: dict[str, Any]
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class ClearanceRecord:
    day: date  # the day the clinician examined the learner
    by: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class UserRecord:
    id: int
    email: str
    password_hash: str
    role: str
    name: str
    country: str
    clinic_id: int | None
    learner_id: int | None
    password_changed_at: datetime
    language: str | None = None


@dataclass(frozen=True)
class InviteRecord:
    id: int
    code: str
    clinic_id: int
    role: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class ClinicRecord:
    id: int
    name: str


@dataclass(frozen=True)
class CustomLadderRecord:
    ladder_id: str
    toml: str


@dataclass(frozen=True)
class Evidence:
    """What a decision reads of one learner (rule H1): sessions and check-ins from the
    horizon on, older ones that may carry nerve signs, the screens that name warning signs,
    the latest clearance, and what was recorded after it but dated on or before its day."""

    sessions: tuple[Session, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    screens: tuple[ScreenResult, ...] = ()
    clearance: ClearanceRecord | None = None
    backdated: tuple[date, ...] = ()  # days of signs recorded after the clearance, on or before it
    before_horizon: bool = False  # sessions were logged before the window starts
    outcomes: tuple[OutcomeReading, ...] = ()  # scored ODI and RMDQ, oldest first


@dataclass(frozen=True)
class VideoEvidence:
    """What a video form check adds to a session (the clip itself is never stored)."""

    exercise_id: str
    judged: bool
    reps: int
    faults: int
    checks: tuple[bool | None, ...]
    report: dict[str, Any]
    keypoints: bytes | None = None


@dataclass(frozen=True)
class FormCheckRecord:
    """A clip sent from the web app and where its analysis stands (services/form_checks.py)."""

    id: int
    learner_id: int
    exercise_id: str
    status: str  # queued, running, done, refused, failed
    progress: float  # 0 to 1
    seconds_left: float | None
    attempts: int
    worker: str | None  # the last worker to take it, as host:pid
    error_code: str | None
    error_message: str | None
    upload: str | None
    keep_video: bool
    report: dict[str, Any] | None  # the `hinge analyze --json` shape, once done
    visuals: dict[str, Any] | None  # key frames (base64 JPEG) and the angle chart (SVG)
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    session_id: int | None
    reviewed_by: str | None
    review_comment: str | None
    reviewed_at: datetime | None
