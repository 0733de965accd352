"""Reminder choices (the calendar link, e-mail on session days) and the reminders sent."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from hingecoach.adapters.db.repositories.convert import aware
from hingecoach.adapters.db.repositories.programme import now
from hingecoach.adapters.db.tables import ReminderRow, ReminderSentRow, UserRow

__all__ = ["CalendarOwner", "MailTo", "ReminderChoices", "ReminderRepository"]


@dataclass(frozen=True)
class ReminderChoices:
    calendar_made_at: datetime | None = None  # None: no calendar link
    email: bool = False


@dataclass(frozen=True)
class MailTo:
    """A learner who asked for e-mail reminders, and where to send them."""

    user_id: int
    learner_id: int
    email: str
    name: str
    language: str | None = None  # the account's choice; None: never chosen


@dataclass(frozen=True)
class CalendarOwner:
    """The programme a calendar link opens, and the language of the account it belongs to."""

    learner_id: int
    language: str | None = None


class ReminderRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def choices(self, user_id: int) -> ReminderChoices:
        row = self.db.get(ReminderRow, user_id)
        if row is None:
            return ReminderChoices()
        made = aware(row.calendar_made_at) if row.calendar_made_at else None
        return ReminderChoices(made if row.calendar_hash else None, row.email)

    def _row(self, user_id: int) -> ReminderRow:
        row = self.db.get(ReminderRow, user_id)
        if row is None:
            row = ReminderRow(user_id=user_id, email=False, updated_at=now())
            self.db.add(row)
        return row

    def set_calendar(self, user_id: int, secret_hash: str | None) -> None:
        """A new link's hash (the old link stops), or None: no link."""
        row = self._row(user_id)
        moment = now()
        row.calendar_hash = secret_hash
        row.calendar_made_at = moment if secret_hash else None
        row.updated_at = moment
        self.db.flush()

    def set_email(self, user_id: int, on: bool) -> None:
        row = self._row(user_id)
        row.email, row.updated_at = on, now()
        self.db.flush()

    def calendar_owner(self, secret_hash: str) -> CalendarOwner | None:
        """The learner a calendar link opens and their account's language, if any."""
        found = self.db.execute(
            select(UserRow.learner_id, UserRow.language)
            .join(ReminderRow, ReminderRow.user_id == UserRow.id)
            .where(ReminderRow.calendar_hash == secret_hash)
        ).first()
        if found is None or found.learner_id is None:
            return None
        return CalendarOwner(found.learner_id, found.language)

    def email_wanted(self) -> list[MailTo]:
        """Every learner with a programme who ticked e-mail reminders, by account."""
        query = (
            select(UserRow.id, UserRow.learner_id, UserRow.email, UserRow.name, UserRow.language)
            .join(ReminderRow, ReminderRow.user_id == UserRow.id)
            .where(ReminderRow.email.is_(True), UserRow.learner_id.is_not(None))
            .order_by(UserRow.id)
        )
        return [
            MailTo(r.id, r.learner_id, r.email, r.name, r.language) for r in self.db.execute(query)
        ]

    # -- what was sent: insert first, so a second worker's insert fails ------------------

    def claim(self, learner_id: int, day: date, kind: str) -> bool:
        """Record the reminder before sending it; False if it is already recorded."""
        try:
            with self.db.begin_nested():
                self.db.add(
                    ReminderSentRow(learner_id=learner_id, day=day, kind=kind, sent_at=now())
                )
        except IntegrityError:
            return False
        return True

    def release(self, learner_id: int, day: date, kind: str) -> bool:
        """Forget a claimed reminder that could not be sent, so a later run tries again."""
        found = typing.cast(
            CursorResult[Any],
            self.db.execute(
                delete(ReminderSentRow).where(
                    ReminderSentRow.learner_id == learner_id,
                    ReminderSentRow.day == day,
                    ReminderSentRow.kind == kind,
                )
            ),
        )
        return found.rowcount == 1

    def sent(self, learner_id: int) -> list[tuple[date, str]]:
        rows = self.db.execute(
            select(ReminderSentRow.day, ReminderSentRow.kind)
            .where(ReminderSentRow.learner_id == learner_id)
            .order_by(ReminderSentRow.day, ReminderSentRow.kind)
        )
        return [(r.day, r.kind) for r in rows]
