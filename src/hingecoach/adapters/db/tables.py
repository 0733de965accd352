"""Database tables (SQLAlchemy 2 typed ORM). Rows only: no rules live here.

Alembic migrations in `migrations/` create these tables; tests apply the migrations rather
than `create_all`, and a test checks that the migrations and these models agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "ChangeRow",
    "CheckInRow",
    "ClearanceRow",
    "ClinicRow",
    "CustomLadderRow",
    "DecisionRow",
    "FormCheckRow",
    "FormReportRow",
    "InviteRow",
    "LearnerRow",
    "NoteRow",
    "ReminderRow",
    "ReminderSentRow",
    "ScreenRow",
    "SessionRow",
    "SetRow",
    "ThrottleRow",
    "UserRow",
    "WebSessionRow",
]


class Base(DeclarativeBase):
    pass


class LearnerRow(Base):
    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_on: Mapped[date] = mapped_column(Date)
    ladder_id: Mapped[str] = mapped_column(String(40))
    experience: Mapped[str] = mapped_column(String(20))
    onboarding_pain: Mapped[int] = mapped_column(Integer)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    equipment: Mapped[list[Any]] = mapped_column(JSON, default=list)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    clinic_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinics.id", ondelete="SET NULL", name="fk_learners_clinic_id"),
        nullable=True,
        index=True,
    )
    # Counted up by every write to this learner's programme (adapters/db/revisions.py).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The revision of the last write other than a plain logged session (revisions.py): while
    # it is older than a window a process keeps, that window is caught up by reading only
    # the sessions logged since (services/coach.py).
    rewritten: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    sessions: Mapped[list[SessionRow]] = relationship(
        back_populates="learner", cascade="all, delete-orphan"
    )


class ScreenRow(Base):
    __tablename__ = "screens"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # onboarding, weekly, session, checkin
    flags: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    __tablename__ = "sessions"
    # A form's one-time token: the same form posted twice stores one session.
    __table_args__ = (
        UniqueConstraint("learner_id", "client_token", name="uq_sessions_learner_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    rung: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(40))
    pain_before: Mapped[int] = mapped_column(Integer)
    pain_during: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(20))
    qualities: Mapped[list[Any]] = mapped_column(JSON)
    burning_faded: Mapped[bool] = mapped_column(default=False)
    first_set_uncued: Mapped[bool] = mapped_column(default=False)
    self_check: Mapped[list[Any]] = mapped_column(JSON)
    faults: Mapped[int] = mapped_column(Integer, default=0)
    fault_basis: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    client_token: Mapped[str | None] = mapped_column(String(64), nullable=True)

    learner: Mapped[LearnerRow] = relationship(back_populates="sessions")
    form_report: Mapped[FormReportRow | None] = relationship(
        back_populates="session", cascade="all, delete-orphan", uselist=False
    )
    sets: Mapped[list[SetRow]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SetRow.position"
    )


class SetRow(Base):
    __tablename__ = "session_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    load: Mapped[float | None] = mapped_column(Float, nullable=True)
    rpe: Mapped[float | None] = mapped_column(Float, nullable=True)

    session: Mapped[SessionRow] = relationship(back_populates="sets")


class CheckInRow(Base):
    __tablename__ = "checkins"
    # A form's one-time token: the same check-in posted twice stores one reading.
    __table_args__ = (
        UniqueConstraint("learner_id", "client_token", name="uq_checkins_learner_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    pain: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(20))
    qualities: Mapped[list[Any]] = mapped_column(JSON)
    soreness: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    client_token: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DecisionRow(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    trigger: Mapped[str] = mapped_column(String(20))  # start, session, checkin, screen, clearance
    action: Mapped[str] = mapped_column(String(20))
    light: Mapped[str | None] = mapped_column(String(20), nullable=True)
    urgency: Mapped[str] = mapped_column(String(20))
    rules: Mapped[list[Any]] = mapped_column(JSON)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    rung_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rung_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class ClearanceRow(Base):
    __tablename__ = "clearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FormReportRow(Base):
    """A video form check attached to a session: the report and the keypoints, never the video."""

    __tablename__ = "form_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    exercise_id: Mapped[str] = mapped_column(String(40))
    judged: Mapped[bool] = mapped_column(default=False)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    faults: Mapped[int] = mapped_column(Integer, default=0)
    checks: Mapped[list[Any]] = mapped_column(JSON)  # per self-check item: true, false or null
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    keypoints: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)

    session: Mapped[SessionRow] = relationship(back_populates="form_report")


class FormCheckRow(Base):
    """A clip sent from the web app, and its analysis as a background job. The clip itself
    lives in a temporary file only until it is analysed (unless the learner asked to keep
    it); the report, the key frames and the keypoints stay."""

    __tablename__ = "form_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), index=True)  # queued ... done
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    seconds_left: Mapped[float | None] = mapped_column(Float, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(120), nullable=True)  # host:pid
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    upload: Mapped[str | None] = mapped_column(Text, nullable=True)  # the clip's file, while kept
    keep_video: Mapped[bool] = mapped_column(default=False)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    visuals: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    keypoints: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the job's heartbeat
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    review_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


# -- accounts and clinics (the web app) -------------------------------------------------


class ClinicRow(Base):
    """A clinic groups clinicians and the learners they look after."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserRow(Base):
    """A sign-in. A learner's account points at its programme (`learner_id`)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # learner, clinician, admin
    name: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(8), default="INT")
    clinic_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinics.id", ondelete="SET NULL"), nullable=True, index=True
    )
    learner_id: Mapped[int | None] = mapped_column(
        ForeignKey("learners.id", ondelete="SET NULL"), nullable=True, unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)  # None: the browser's


class InviteRow(Base):
    """A one-use code a clinician gives a learner (or a colleague) to join the clinic."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))  # learner or clinician
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    note: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    used_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionnaireRow(Base):
    """An outcome questionnaire: filled in (with its answers and score) or, with no answers
    yet, asked for by a clinician (`asked_by`)."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    measure: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    band: Mapped[str] = mapped_column(String(40), default="")
    valid: Mapped[bool] = mapped_column(default=True)
    asked_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChangeRow(Base):
    """A clinician's change to a learner's programme: rung, policy or ladder, with who and why."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    by: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # rung, policy, ladder
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomLadderRow(Base):
    """A clinic's own ladder, stored as the same TOML text the file loader reads."""

    __tablename__ = "custom_ladders"
    __table_args__ = (UniqueConstraint("clinic_id", "ladder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    ladder_id: Mapped[str] = mapped_column(String(40))
    toml: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds only this id, so signing out ends it for good."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ThrottleRow(Base):
    """Sign-in attempts in the current window for one address or one client, counted
    atomically, so throttling holds across web processes and concurrent requests."""

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# -- reminders (calendar feed and e-mail) ---------------------------------------------------


class ReminderRow(Base):
    """A learner's reminder choices, one row per account: the calendar link (only a SHA-256
    hash of its secret, so a copy of the database opens no one's calendar) and whether they
    want an e-mail on session days."""

    __tablename__ = "reminders"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    calendar_hash: Mapped[str | None] = mapped_column(
        String(64), nullable=True, unique=True, index=True
    )
    calendar_made_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    email: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReminderSentRow(Base):
    """A reminder already sent (or being sent): the unique key makes a second worker's, or a
    restarted worker's, insert fail, so each learner gets one per day and kind."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint("learner_id", "day", "kind", name="uq_reminders_sent_learner_day_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))  # session
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
