"""Reminders: a private calendar feed of the next sessions and check-ins, and an e-mail on
the days a session is due.

The plan is the engine's own. The first session is today's prescription's `earliest` date
(`plan_today`: loaded steps wait 48 h after the last loaded session, D2-D5; unloaded steps
may be daily, D1); each one after it is the earliest the engine's dosing allows once a
session is done on the day before it (`prescribe` given that day as the last session). So
no two loaded sessions are ever planned less than `loaded_gap_days` apart, and a clinician's
change to the learner's gaps moves the plan with it. The morning check-in (P1-P3 read the
next morning's pain) is the day after each session. A stopped programme plans nothing and
says so once.

The pure functions (`session_days`, `checkin_days`, `session_due`, the texts) hold no I/O;
the classes read and write through a unit of work and send through a `Mailer`.

The texts are in the learner's language (language.py), the one kept on their
account: no one is at a screen when the hourly job writes an e-mail or a calendar app
fetches the feed. An e-mail for an account that never chose one is in English; a feed for
one is in the language of the request that fetches it (the calendar app's, which is its
device's). Their Spanish is in locale/es/LC_MESSAGES/report.po.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from hingecoach.adapters.calendar_feed import CalendarEvent, calendar_ics
from hingecoach.adapters.db.repositories.reminders import MailTo, ReminderChoices
from hingecoach.adapters.locale import translator
from hingecoach.adapters.mail import Mail, MailError
from hingecoach.engine.dosing import DoseBasis, Prescription, prescribe
from hingecoach.engine.model import History
from hingecoach.engine.policy import Policy
from hingecoach.engine.progression import ProgrammeStatus, Standing, TodayPlan, plan_today
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.engine.texts import hours, shown
from hingecoach.errors import NotFoundError
from hingecoach.language import _, speaking
from hingecoach.services import reading
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.uow import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "FEED_DAYS",
    "Agenda",
    "Mailer",
    "ReminderMail",
    "Reminders",
    "agenda_events",
    "agenda_of",
    "checkin_days",
    "secret_hash",
    "session_days",
    "session_due",
    "session_mail",
]

log = logging.getLogger(__name__)

FEED_DAYS = 14  # how far ahead the feed plans
_SECRET_BYTES = 32  # 256 bits: a link no one guesses, so a plain SHA-256 may stand for it
_LONGEST_SECRET = 128  # anything longer was never one of ours: refused before hashing
SESSION = "session"  # the kind of reminder an e-mail is (reminders_sent.kind)


def secret_hash(secret: str) -> str:
    """What is stored of a calendar link. The secret is random and long, so an unsalted
    hash is enough (nothing to guess) and lets the feed find its owner by one lookup."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# -- the plan: pure ---------------------------------------------------------------------


@dataclass(frozen=True)
class Agenda:
    """What the next `FEED_DAYS` hold for one learner."""

    status: ProgrammeStatus
    prescription: Prescription | None
    sessions: tuple[date, ...]
    checkins: tuple[date, ...]
    loaded: bool
    policy: Policy


def session_days(
    history: History, policy: Policy, plan: TodayPlan, today: date, days: int = FEED_DAYS
) -> tuple[date, ...]:
    """The planned session days from `today` on, at most one a day, none while stopped."""
    rx = plan.prescription
    if rx is None:
        return ()
    loaded = history.rungs[rx.rung].loaded
    end, found, day = today + timedelta(days=days), [], rx.earliest
    while day < end:
        found.append(day)
        done = DoseBasis(last_day=day, last_loaded_day=day if loaded else None)
        following = prescribe(history.rungs, history.state, done, policy, day).earliest
        day = max(following, day + timedelta(days=1))
    return tuple(found)


def checkin_days(
    history: History, sessions: tuple[date, ...], today: date, days: int = FEED_DAYS
) -> tuple[date, ...]:
    """The morning after each planned session, and after yesterday's and today's logged
    ones, unless that morning's check-in is already in."""
    logged = {s.day for s in history.sessions if s.day >= today - timedelta(days=1)}
    done = {c.day for c in history.checkins}
    end = today + timedelta(days=days)
    mornings = {d + timedelta(days=1) for d in (*logged, *sessions)}
    return tuple(sorted(m for m in mornings if today <= m < end and m not in done))


def agenda_of(history: History, policy: Policy, today: date) -> Agenda:
    plan = plan_today(history, policy, today)
    sessions = session_days(history, policy, plan, today)
    rx = plan.prescription
    loaded = rx is not None and history.rungs[rx.rung].loaded
    checkins = checkin_days(history, sessions, today) if rx is not None else ()
    return Agenda(plan.status, rx, sessions, checkins, loaded, policy)


def session_due(plan: TodayPlan, logged_today: bool) -> bool:
    """A session is due today and none is logged yet (never while stopped)."""
    rx = plan.prescription
    return rx is not None and rx.due_today and not logged_today


def _today_link(today_url: str) -> str:
    """Where to start and log a session; a link stands alone, so no full stop joins it."""
    if not today_url:
        return _("Start it, and log it afterwards, on the Today page.")
    return _("Start it, and log it afterwards, on the Today page: {url}").format(url=today_url)


def _effort(rx: Prescription) -> str:
    return _("Effort: {effort}").format(effort=rx.effort)


def session_text(agenda: Agenda, today_url: str) -> str:
    """The plain words of a planned session: the exercise, the dose, how often and why."""
    rx = agenda.prescription
    assert rx is not None  # only planned while the programme runs
    lines = [
        f"{shown(rx.name)}: {rx.how_many}.",
        _effort(rx),
        _("How often: {frequency}").format(frequency=rx.frequency),
    ]
    if agenda.loaded:
        gap = hours(agenda.policy.loaded_gap_days)
        lines.append(_("A loaded step: sessions stay at least {gap} apart.").format(gap=gap))
    if agenda.status.standing is Standing.RESTRICTED:
        advice = agenda.status.advice
        lines.append(_("Unloaded steps only for now: {advice}").format(advice=advice))
    lines.append(_("The dose follows what you log, so the Today page always has the current one."))
    lines.append(_today_link(today_url))
    return "\n".join(lines)


def _hold_text(status: ProgrammeStatus) -> str:
    when = _("When: {when}.").format(when=status.by_when) if status.by_when else ""
    parts = [status.reason, status.advice, when]
    parts.append(_("No sessions are planned until a clinician clears you to go on."))
    parts.append(_(DISCLAIMER))
    return "\n".join(p for p in parts if p)


def _checkin_text(base_url: str) -> str:
    if not base_url:
        return _(
            "How is your back this morning? Rate it 0-10 on the check-in page before your day "
            "gets going: the next session's dose depends on it."
        )
    return _(
        "How is your back this morning? Rate it 0-10 on the check-in page ({url}) before your "
        "day gets going: the next session's dose depends on it."
    ).format(url=f"{base_url}/checkin")


def agenda_events(
    agenda: Agenda, learner_id: int, today: date, base_url: str
) -> list[CalendarEvent]:
    """The feed's events: the sessions and check-ins, or the one "on hold" event."""

    def uid(kind: str, day: date) -> str:
        return f"{kind}-{day.isoformat()}-learner-{learner_id}@hingecoach"

    if agenda.status.stopped or agenda.prescription is None:
        hold = _("Programme on hold: see a clinician")
        return [CalendarEvent(uid("hold", today), today, hold, _hold_text(agenda.status))]
    today_url = f"{base_url}/today" if base_url else ""
    rx, text = agenda.prescription, session_text(agenda, today_url)
    practice = _("Hinge practice: {name}").format(name=shown(rx.name))
    events = [CalendarEvent(uid("session", d), d, practice, text) for d in agenda.sessions]
    morning, checkin = _("Morning check-in"), _checkin_text(base_url)
    events += [CalendarEvent(uid("checkin", d), d, morning, checkin) for d in agenda.checkins]
    return sorted(events, key=lambda e: (e.day, e.uid))


def _why_this_mail(me_url: str) -> str:
    """Why the e-mail came, in the account page's own words, and where to stop it."""
    choice = _("E-mail me a reminder on session days")
    if not me_url:
        said = _(
            "You get this e-mail because you ticked '{choice}' on your account page. Untick it "
            "there to stop."
        )
        return said.format(choice=choice)
    said = _(
        "You get this e-mail because you ticked '{choice}' on your account page. Untick it "
        "there to stop: {url}"
    )
    return said.format(choice=choice, url=me_url)


def session_mail(to: MailTo, rx: Prescription, today_url: str, me_url: str) -> Mail:
    """The e-mail on a session day, in plain text, in the language being spoken."""
    name = shown(rx.name)
    body = "\n".join(
        [
            _("Hello {name},").format(name=to.name),
            "",
            _("Today is a session day: {name}.").format(name=name),
            _("Dose: {dose}.").format(dose=rx.how_many),
            _effort(rx),
            "",
            _today_link(today_url),
            "",
            _why_this_mail(me_url),
            _(DISCLAIMER),
        ]
    )
    return Mail(to.email, _("HingeCoach: {name} today").format(name=name), body + "\n")


# -- the use cases --------------------------------------------------------------------


class Reminders:
    """A learner's reminder choices and their calendar feed."""

    def __init__(self, uow: UnitOfWorkFactory, catalogs: Catalogs, today: date) -> None:
        self.uow, self.catalogs, self.today = uow, catalogs, today

    def choices(self, user_id: int) -> ReminderChoices:
        with self.uow() as uow:
            return uow.reminders.choices(user_id)

    def new_calendar(self, user_id: int) -> str:
        """A new calendar link's secret (shown once, never stored); the old link stops."""
        secret = secrets.token_urlsafe(_SECRET_BYTES)
        with self.uow(write=True) as uow:
            uow.reminders.set_calendar(user_id, secret_hash(secret))
        return secret

    def stop_calendar(self, user_id: int) -> None:
        with self.uow(write=True) as uow:
            uow.reminders.set_calendar(user_id, None)

    def set_email(self, user_id: int, on: bool) -> ReminderChoices:
        with self.uow(write=True) as uow:
            uow.reminders.set_email(user_id, on)
            return uow.reminders.choices(user_id)

    def _agenda(self, uow: UnitOfWork, learner_id: int) -> Agenda:
        learner = reading.load(uow, self.catalogs, learner_id)
        return agenda_of(learner.history(uow.programme, self.today), learner.policy, self.today)

    def feed(self, secret: str, stamp: datetime, base_url: str) -> bytes:
        """The feed a calendar link opens, in its account's language (the request's when the
        account never chose one); an unknown or turned-off link is not found."""
        with self.uow() as uow:
            found = None
            if len(secret) <= _LONGEST_SECRET:
                found = uow.reminders.calendar_owner(secret_hash(secret))
            if found is None:
                raise NotFoundError("calendar: no such link (it may have been turned off)")
            learner = found.learner_id
            chosen = speaking(translator(found.language)) if found.language else nullcontext()
            with chosen:
                events = agenda_events(self._agenda(uow, learner), learner, self.today, base_url)
        return calendar_ics(f"learner-{learner}@hingecoach", "HingeCoach", events, stamp)


class Mailer(Protocol):
    """Sends mail on the connection its `with` block opened (adapters/mail.py `SmtpMailer`;
    tests hand in a fake)."""

    def send(self, mail: Mail) -> None: ...


class ReminderMail:
    """The e-mail on session days: at most one per learner a day, whatever runs the job.

    Each reminder is recorded before it is sent (a unique row per learner, day and kind),
    so a second worker, or a worker restarted half-way, finds it taken and sends nothing.
    A message the server refuses is forgotten again, so the next run tries it; a worker
    killed between recording and sending loses that day's reminder (never sends it twice).
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        catalogs: Catalogs,
        today: date,
        mailer: AbstractContextManager[Mailer],
        base_url: str = "",
    ) -> None:
        self.reminders = Reminders(uow, catalogs, today)
        self.uow, self.today, self.mailer = uow, today, mailer
        self.today_url = f"{base_url}/today" if base_url else ""
        self.me_url = f"{base_url}/me" if base_url else ""

    def due(self) -> list[tuple[MailTo, Mail]]:
        """Who has a session due today, not yet logged and not yet reminded, with the mail."""
        found = []
        with self.uow() as uow:
            for person in uow.reminders.email_wanted():
                mail = self._mail_for(uow, person)
                if mail is not None:
                    found.append((person, mail))
        return found

    def _mail_for(self, uow: UnitOfWork, person: MailTo) -> Mail | None:
        """The learner's mail, in their account's language (English if they never chose)."""
        with speaking(translator(person.language or "en")):
            return self._mail_said(uow, person)

    def _mail_said(self, uow: UnitOfWork, person: MailTo) -> Mail | None:
        learner = reading.load(uow, self.reminders.catalogs, person.learner_id)
        history = learner.history(uow.programme, self.today)
        plan = plan_today(history, learner.policy, self.today)
        logged = any(s.day == self.today for s in history.sessions)
        if not session_due(plan, logged) or plan.prescription is None:
            return None
        return session_mail(person, plan.prescription, self.today_url, self.me_url)

    def send_due(self) -> list[int]:
        """Send today's reminders; the ids of the learners reminded."""
        due = self.due()
        if not due:
            return []
        sent: list[int] = []
        try:
            with self.mailer as mailer:
                for person, mail in due:
                    if self._send(mailer, person, mail):
                        sent.append(person.learner_id)
        except MailError:  # the server cannot be reached: nothing was claimed, try next run
            log.exception("reminders: the mail server cannot be used; the next run tries again")
        return sent

    def _send(self, mailer: Mailer, person: MailTo, mail: Mail) -> bool:
        with self.uow(write=True) as uow:
            if not uow.reminders.claim(person.learner_id, self.today, SESSION):
                return False  # another run has it
        try:
            mailer.send(mail)
        except MailError:
            log.exception(
                "reminder to learner %s not sent; the next run tries again", person.learner_id
            )
            with self.uow(write=True) as uow:
                uow.reminders.release(person.learner_id, self.today, SESSION)
            return False
        return True
