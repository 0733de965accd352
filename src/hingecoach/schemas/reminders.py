"""Reminders as JSON: the calendar link and e-mail choices of the signed-in learner."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import Field

from hingecoach.adapters.db.repositories.reminders import ReminderChoices
from hingecoach.schemas.accounts import AccountPublic
from hingecoach.schemas.base import Input, Public

__all__ = ["CalendarLinkPublic", "EmailReminders", "RemindersPage", "RemindersPublic"]


class RemindersPublic(Public):
    calendar_on: bool  # a calendar link works (its address was shown once, when it was made)
    calendar_made_at: datetime | None
    email: bool  # an e-mail on each day a session is due
    email_available: bool  # this server sends e-mail (HINGE_SMTP_HOST is set)

    @classmethod
    def of(cls, choices: ReminderChoices, email_available: bool) -> Self:
        return cls(
            calendar_on=choices.calendar_made_at is not None,
            calendar_made_at=choices.calendar_made_at,
            email=choices.email,
            email_available=email_available,
        )


class CalendarLinkPublic(Public):
    """A new calendar link, shown this once: only a hash of its secret is kept."""

    url: str = Field(description="The feed's address (https://.../calendar/<secret>.ics)")
    subscribe: str = Field(description="The same address as webcal://, for a calendar app")

    @classmethod
    def of(cls, base_url: str, secret: str) -> Self:
        url = f"{base_url}/calendar/{secret}.ics"
        return cls(url=url, subscribe="webcal://" + url.split("://", 1)[1])


class RemindersPage(AccountPublic):
    """My account page, with my reminders (and, right after it is made, the new link)."""

    reminders: RemindersPublic
    calendar: CalendarLinkPublic | None = None

    @classmethod
    def with_reminders(
        cls,
        account: AccountPublic,
        reminders: RemindersPublic,
        calendar: CalendarLinkPublic | None = None,
    ) -> Self:
        return cls(**dict(account), reminders=reminders, calendar=calendar)


class EmailReminders(Input):
    """The e-mail choice; a form's unticked box sends nothing, which means no."""

    email: bool = False
