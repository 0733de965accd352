"""Sign-ins, clinics, invites and failed sign-ins."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, delete, select, update
from sqlalchemy.orm import Session as DbSession

from hingecoach.adapters.db.records import ClinicRecord, InviteRecord, UserRecord
from hingecoach.adapters.db.repositories import convert
from hingecoach.adapters.db.repositories.programme import now
from hingecoach.adapters.db.tables import (
    ClinicRow,
    InviteRow,
    LearnerRow,
    ThrottleRow,
    UserRow,
    WebSessionRow,
)
from hingecoach.errors import AuthError

__all__ = ["AccountRepository"]

# The user of a live session, asked on every signed-in request: a Core statement built once
# (SQLAlchemy compiles it once and caches it), read as plain rows, not ORM objects. It costs
# less than half of the ORM query it replaces (issue 9: the floor of every page).
_USERS, _SESSIONS = UserRow.__table__, WebSessionRow.__table__
_SESSION_USER = (
    select(_USERS)
    .join(_SESSIONS, _SESSIONS.c.user_id == _USERS.c.id)
    .where(_SESSIONS.c.id == bindparam("session_id"), _SESSIONS.c.expires_at > bindparam("at"))
)


def _invite(row: InviteRow) -> InviteRecord:
    used = convert.aware(row.used_at) if row.used_at else None
    return InviteRecord(
        row.id, row.code, row.clinic_id, row.role, convert.aware(row.expires_at), used
    )


class AccountRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    # -- users -------------------------------------------------------------------------

    def user(self, user_id: int) -> UserRecord | None:
        row = self.db.get(UserRow, user_id)
        return convert.user(row) if row is not None else None

    def user_by_email(self, email: str) -> UserRecord | None:
        row = self.db.scalars(select(UserRow).where(UserRow.email == email)).first()
        return convert.user(row) if row is not None else None

    def add_user(
        self, email: str, password_hash: str, role: str, name: str, country: str
    ) -> UserRecord:
        stamp = now()
        row = UserRow(
            email=email,
            password_hash=password_hash,
            role=role,
            name=name,
            country=country,
            created_at=stamp,
            password_changed_at=stamp,
        )
        self.db.add(row)
        self.db.flush()
        return convert.user(row)

    def _get(self, user_id: int) -> UserRow:
        row = self.db.get(UserRow, user_id)
        if row is None:
            raise AuthError("your account no longer exists")
        return row

    def set_password(self, user_id: int, password_hash: str, changed_at: datetime | None) -> None:
        """A new hash; with `changed_at`, every older session cookie stops working."""
        row = self._get(user_id)
        row.password_hash = password_hash
        if changed_at is not None:
            row.password_changed_at = changed_at

    def set_language(self, user_id: int, language: str | None) -> None:
        self._get(user_id).language = language

    def set_user_clinic(self, user_id: int, clinic_id: int) -> None:
        self._get(user_id).clinic_id = clinic_id

    def set_user_learner(self, user_id: int, learner_id: int) -> None:
        self._get(user_id).learner_id = learner_id

    def delete_user(self, user_id: int) -> None:
        self.db.delete(self._get(user_id))
        self.db.flush()

    # -- clinics and invites -----------------------------------------------------------

    def add_clinic(self, name: str) -> int:
        row = ClinicRow(name=name, created_at=now())
        self.db.add(row)
        self.db.flush()
        return row.id

    def clinic(self, clinic_id: int) -> ClinicRecord | None:
        row = self.db.get(ClinicRow, clinic_id)
        return ClinicRecord(row.id, row.name) if row is not None else None

    def learners(self, clinic_id: int | None) -> list[tuple[int, str]]:
        """(id, name) of a clinic's learners, by name; every clinic's for None."""
        query = select(LearnerRow.id, LearnerRow.name).order_by(LearnerRow.name, LearnerRow.id)
        if clinic_id is not None:
            query = query.where(LearnerRow.clinic_id == clinic_id)
        return [(row.id, row.name) for row in self.db.execute(query)]

    def add_invite(
        self, code: str, clinic_id: int, role: str, by: int, note: str, expires_at: datetime
    ) -> InviteRecord:
        row = InviteRow(
            code=code,
            clinic_id=clinic_id,
            role=role,
            created_by=by,
            note=note,
            created_at=now(),
            expires_at=expires_at,
        )
        self.db.add(row)
        self.db.flush()
        return _invite(row)

    def invite(self, code: str) -> InviteRecord | None:
        row = self.db.scalars(select(InviteRow).where(InviteRow.code == code)).first()
        return _invite(row) if row is not None else None

    def use_invite(self, invite_id: int, user_id: int) -> None:
        row = self.db.get(InviteRow, invite_id)
        assert row is not None  # read in the same transaction
        row.used_at, row.used_by = now(), user_id

    # -- signed-in browsers ------------------------------------------------------------

    def open_session(self, session_id: str, user_id: int, expires_at: datetime) -> None:
        self.db.add(
            WebSessionRow(id=session_id, user_id=user_id, created_at=now(), expires_at=expires_at)
        )
        self.db.flush()

    def session_user(self, session_id: str) -> UserRecord | None:
        """The user of a session that exists and has not expired."""
        row = self.db.execute(_SESSION_USER, {"session_id": session_id, "at": now()}).first()
        return convert.user(row) if row is not None else None

    def close_session(self, session_id: str) -> None:
        self.db.execute(delete(WebSessionRow).where(WebSessionRow.id == session_id))

    def close_sessions(self, user_id: int, keep: str | None = None) -> None:
        """End every session of a user but `keep` (a password change ends the others)."""
        query = delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        if keep is not None:
            query = query.where(WebSessionRow.id != keep)
        self.db.execute(query)

    def prune_sessions(self) -> None:
        self.db.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now()))

    # -- sign-in attempts ----------------------------------------------------------------

    def attempt(self, key: str, window: timedelta) -> tuple[int, datetime]:
        """Count one attempt for `key` in its window, atomically (one statement, so two
        requests at once cannot both read the old count): (attempts so far, window start).
        A window older than `window` starts again at one."""
        moment, stale = now(), now() - window
        fresh = ThrottleRow.window_start < stale
        insert = _upsert_for(self.db.get_bind().dialect.name)
        statement = (
            insert(ThrottleRow)
            .values(key=key, attempts=1, window_start=moment)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "attempts": case((fresh, 1), else_=ThrottleRow.attempts + 1),
                    "window_start": case((fresh, moment), else_=ThrottleRow.window_start),
                },
            )
            .returning(ThrottleRow.attempts, ThrottleRow.window_start)
        )
        attempts, start = self.db.execute(statement).one()
        return int(attempts), convert.aware(start)

    def clear_attempts(self, key: str) -> None:
        self.db.execute(delete(ThrottleRow).where(ThrottleRow.key == key))

    def refund_attempt(self, key: str) -> None:
        """Take back one counted attempt (one statement, so it is atomic too)."""
        self.db.execute(
            update(ThrottleRow)
            .where(ThrottleRow.key == key, ThrottleRow.attempts > 0)
            .values(attempts=ThrottleRow.attempts - 1)
        )

    def prune_attempts(self, older_than: datetime) -> None:
        self.db.execute(delete(ThrottleRow).where(ThrottleRow.window_start < older_than))


def _upsert_for(dialect: str) -> Any:
    """The INSERT with ON CONFLICT of the database in use (imported here: a CLI command
    that never signs in does not load the PostgreSQL dialect)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
