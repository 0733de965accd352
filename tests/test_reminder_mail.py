"""E-mail reminders, sent through a real SMTP server (aiosmtpd, on a free local port) by the
reminder job itself, called directly as the hourly periodic task calls it: one message on a
session day, none a second time that day (a second run, a restarted worker, two workers at
once), none once today's session is logged, none while the programme is stopped, and
nothing at all without an SMTP host. Each is in its account's language (English when the
account never chose one)."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.locale import LANGUAGES, translator
from hingecoach.catalog import Catalog
from hingecoach.engine.model import Experience
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.errors import ValidationError
from hingecoach.jobs.queue import REMINDER_HOURS, JobQueue, send_reminders
from hingecoach.language import speaking
from hingecoach.services.accounts import Accounts, SignUp
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import LogInput, StartInput
from hingecoach.services.reminders import Reminders
from hingecoach.services.uow import sql
from hingecoach.settings import Settings, load_settings

DAY = date(2026, 3, 2)
MORNING = datetime(2026, 3, 2, 9, 0)
PASSWORD = "correct horse battery"


@dataclass
class Inbox:
    """What the SMTP server received; `refuse` names recipients it answers 550 to, once."""

    messages: list[Message] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        to = envelope.rcpt_tos[0]
        if to in self.refuse:
            self.refuse.discard(to)
            return "550 mailbox unavailable"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    server.stop()


def _settings(tmp_path: Path, store: Store, port: int | None, **more: str) -> Settings:
    env = {"HINGE_DATA_DIR": str(tmp_path / "data"), "HINGE_JOBS_INLINE": "1", **more}
    if port is not None:
        env |= {
            "HINGE_SMTP_HOST": "127.0.0.1",
            "HINGE_SMTP_PORT": str(port),
            "HINGE_SMTP_FROM": "HingeCoach <coach@example.org>",
            "HINGE_SMTP_STARTTLS": "off",  # the local test server speaks plain SMTP
            "HINGE_BASE_URL": "https://coach.example.org/",
        }
    return replace(load_settings(env=env), database_url=store.url, today_override=DAY)


def _queue(tmp_path: Path, store: Store, catalog: Catalog, port: int | None) -> JobQueue:
    return JobQueue(_settings(tmp_path, store, port), store, Catalogs(catalog))


def _learner(
    store: Store,
    catalog: Catalog,
    address: str,
    wants_email: bool = True,
    experience: Experience = Experience.NEW,
    language: str | None = None,
) -> Coach:
    """A learner's account and programme (started on DAY), with e-mail reminders ticked."""
    accounts = Accounts(sql(store))
    actor = accounts.sign_up(SignUp(address, PASSWORD, address.split("@")[0]))
    if language is not None:
        accounts.set_language(actor, language, LANGUAGES)
    coach = Coach(sql(store), catalog, DAY)
    kit = frozenset({"mat", "wall", "dowel", "band", "anchor"})
    started = coach.start(StartInput("Ana", "solving-pain", experience, 2, kit), actor.id)
    Reminders(sql(store), Catalogs(catalog), DAY).set_email(actor.id, wants_email)
    return Coach(sql(store), catalog, DAY, started.learner_id)


def _session(day: date = DAY) -> LogInput:
    return LogInput(day=day, pain_before=1, pain_during=2, pain_after=1, sets=[(None, 30)] * 2)


def test_a_session_day_brings_one_email_with_the_exercise_the_dose_and_a_link(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    coach = _learner(store, catalog, "ana@example.com")
    rx = coach.today_view().prescription
    assert rx is not None
    assert rx.due_today

    sent = send_reminders(_queue(tmp_path, store, catalog, port), MORNING)

    assert len(sent) == 1
    [mail] = inbox.to("ana@example.com")
    assert mail["Subject"] == f"HingeCoach: {rx.name} today"
    assert mail["From"] == "HingeCoach <coach@example.org>"
    assert mail.get_content_type() == "text/plain"
    body = mail.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
    assert f"Today is a session day: {rx.name}." in body
    assert f"Dose: {rx.how_many}." in body
    assert "https://coach.example.org/today" in body
    assert "https://coach.example.org/me" in body  # where to stop them


def _body(mail: Message) -> str:
    said: bytes = mail.get_payload(decode=True)  # type: ignore[assignment]
    return said.decode("utf-8").replace("\r\n", "\n")


def _subject(mail: Message) -> str:
    """The subject as read: a non-ASCII one travels encoded (RFC 2047)."""
    return str(make_header(decode_header(mail["Subject"])))


def test_a_spanish_account_gets_its_reminder_in_spanish_and_an_english_one_in_english(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    spanish = translator("es")
    rx = _learner(store, catalog, "ana@example.com", language="es").today_view().prescription
    _learner(store, catalog, "bo@example.com")  # never chose: English
    assert rx is not None
    with speaking(spanish):
        name, dose = spanish.gettext(rx.name), rx.how_many  # the dose is said when read
    assert name != rx.name

    assert len(send_reminders(_queue(tmp_path, store, catalog, port), MORNING)) == 2

    [ana], [bo] = inbox.to("ana@example.com"), inbox.to("bo@example.com")
    assert _subject(ana) == f"HingeCoach: {name} hoy"
    body = _body(ana)
    assert body.startswith("Hola, ana:\n")
    assert f"Hoy toca sesión: {name}." in body
    assert f"Dosis: {dose}." in body
    assert "Esfuerzo: " in body
    assert "en la página Hoy: https://coach.example.org/today" in body
    assert "Desmárquelo allí para dejar de recibirlos: https://coach.example.org/me" in body
    assert "«Enviarme un recordatorio por correo los días de sesión»" in body  # the page's words
    assert spanish.gettext(DISCLAIMER) in body
    for english in ("Hello", "Today is a session day", "Dose:", "Effort:", DISCLAIMER):
        assert english not in body
    assert bo["Subject"] == f"HingeCoach: {rx.name} today"
    assert f"Today is a session day: {rx.name}." in _body(bo)
    assert DISCLAIMER in _body(bo)


def test_running_the_job_again_the_same_day_sends_nothing_more(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _learner(store, catalog, "ana@example.com")
    queue = _queue(tmp_path, store, catalog, port)
    assert len(send_reminders(queue, MORNING)) == 1

    again = send_reminders(queue, MORNING + timedelta(hours=1))
    restarted = send_reminders(_queue(tmp_path, store, catalog, port), MORNING + timedelta(hours=5))

    assert again == []
    assert restarted == []
    assert len(inbox.to("ana@example.com")) == 1


def test_two_workers_running_the_job_at_once_send_one_email(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _learner(store, catalog, "ana@example.com")
    queues = [_queue(tmp_path, store, catalog, port) for _ in range(2)]
    results: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda q=q: results.append(send_reminders(q, MORNING)))
        for q in queues
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(len(r) for r in results) == [0, 1]
    assert len(inbox.to("ana@example.com")) == 1


def test_a_learner_who_already_logged_today_gets_none(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    coach = _learner(store, catalog, "ana@example.com")
    coach.log(_session())

    assert send_reminders(_queue(tmp_path, store, catalog, port), MORNING) == []
    assert inbox.messages == []


def test_a_stopped_programme_gets_none(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    coach = _learner(store, catalog, "ana@example.com")
    coach.rescreen(frozenset({"S-A5"}))  # symptoms in both legs: stop (P5)
    assert coach.today_view().prescription is None

    assert send_reminders(_queue(tmp_path, store, catalog, port), MORNING) == []
    assert inbox.messages == []


def test_a_rest_day_of_a_loaded_step_brings_none_and_the_next_session_day_one(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    coach = _learner(store, catalog, "ana@example.com", experience=Experience.LIFTER)
    view = coach.today_view()
    assert view.rungs[view.state.rung].loaded  # placed at the first loaded step
    coach.log(_session())  # day 1; the next is 48 h later
    queue = _queue(tmp_path, store, catalog, port)

    def run(day: date) -> list[int]:
        q = JobQueue(replace(queue.settings, today_override=day), store, queue.catalogs)
        return send_reminders(q, datetime.combine(day, MORNING.time()))

    assert run(DAY + timedelta(days=1)) == []
    assert len(run(DAY + timedelta(days=2))) == 1
    assert [m["Subject"] for m in inbox.messages] == [f"HingeCoach: {view.prescription.name} today"]  # type: ignore[union-attr]


def test_only_learners_who_ticked_email_get_one(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _learner(store, catalog, "ana@example.com", wants_email=False)
    _learner(store, catalog, "bo@example.com")

    send_reminders(_queue(tmp_path, store, catalog, port), MORNING)

    assert [m["To"] for m in inbox.messages] == ["bo@example.com"]


def test_without_an_smtp_host_the_job_does_nothing(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    _learner(store, catalog, "ana@example.com")
    queue = _queue(tmp_path, store, catalog, None)
    assert queue.settings.smtp is None

    assert send_reminders(queue, MORNING) == []
    assert inbox.messages == []


def test_nothing_goes_out_at_night(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _learner(store, catalog, "ana@example.com")
    queue = _queue(tmp_path, store, catalog, port)
    night = datetime.combine(DAY, datetime.min.time()).replace(hour=REMINDER_HOURS.start - 1)

    assert send_reminders(queue, night) == []
    assert inbox.messages == []
    assert len(send_reminders(queue, MORNING)) == 1  # the morning run still sends


def test_a_refused_message_is_tried_again_on_the_next_run(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _learner(store, catalog, "ana@example.com")
    inbox.refuse.add("ana@example.com")
    queue = _queue(tmp_path, store, catalog, port)

    assert send_reminders(queue, MORNING) == []
    assert len(send_reminders(queue, MORNING + timedelta(hours=1))) == 1
    assert len(inbox.to("ana@example.com")) == 1


def test_a_server_that_cannot_be_reached_sends_nothing_and_loses_nothing(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    _inbox, port = smtp
    _learner(store, catalog, "ana@example.com")

    assert send_reminders(_queue(tmp_path, store, catalog, _free_port()), MORNING) == []
    assert len(send_reminders(_queue(tmp_path, store, catalog, port), MORNING)) == 1


def test_the_next_session_day_brings_the_next_email(
    store: Store, catalog: Catalog, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _learner(store, catalog, "ana@example.com")  # an unloaded step: sessions daily
    queue = _queue(tmp_path, store, catalog, port)
    tomorrow = JobQueue(
        replace(queue.settings, today_override=DAY + timedelta(days=1)), store, queue.catalogs
    )

    send_reminders(queue, MORNING)
    send_reminders(tomorrow, MORNING + timedelta(days=1))

    assert len(inbox.to("ana@example.com")) == 2


class _Accounts:
    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"coach",
            b"s3cret",
        )
        return AuthResult(success=ok)


# The test server has no certificate, so it takes AUTH over plain SMTP, and says so.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_user_and_password_settings_sign_in_to_the_server(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    inbox, port = Inbox(), _free_port()
    server = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_Accounts(),
        auth_required=True,
        auth_require_tls=False,
    )
    server.start()
    try:
        _learner(store, catalog, "ana@example.com")
        settings = _settings(
            tmp_path, store, port, HINGE_SMTP_USER="coach", HINGE_SMTP_PASSWORD="s3cret"
        )
        queue = JobQueue(replace(settings, today_override=DAY), store, Catalogs(catalog))
        assert len(send_reminders(queue, MORNING)) == 1
    finally:
        server.stop()
    assert len(inbox.messages) == 1


def test_the_job_is_registered_to_run_every_hour_on_the_hour(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    queue = _queue(tmp_path, store, catalog, None)

    on_the_hour = [t.name for t in queue.huey.read_periodic(MORNING)]
    past_it = queue.huey.read_periodic(MORNING + timedelta(minutes=5))

    assert on_the_hour == ["send_reminders"]
    assert past_it == []


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"HINGE_SMTP_HOST": "mail.example.org"}, "HINGE_SMTP_FROM"),
        (
            {
                "HINGE_SMTP_HOST": "mail.example.org",
                "HINGE_SMTP_FROM": "coach@example.org",
                "HINGE_SMTP_USER": "coach",
            },
            "HINGE_SMTP_USER",
        ),
        (
            {
                "HINGE_SMTP_HOST": "mail.example.org",
                "HINGE_SMTP_FROM": "coach@example.org",
                "HINGE_SMTP_PORT": "70000",
            },
            "HINGE_SMTP_PORT",
        ),
        ({"HINGE_BASE_URL": "coach.example.org"}, "HINGE_BASE_URL"),
    ],
)
def test_mail_settings_that_cannot_work_are_refused_by_name(env: dict[str, str], name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_settings(env=env)
    assert caught.value.field == name


def test_mail_settings_default_to_starttls_on_the_submission_port() -> None:
    env = {"HINGE_SMTP_HOST": "mail.example.org", "HINGE_SMTP_FROM": "coach@example.org"}
    settings = load_settings(env=env | {"HINGE_SMTP_USER": "u", "HINGE_SMTP_PASSWORD": "s3cret"})
    assert settings.smtp is not None
    assert (settings.smtp.port, settings.smtp.starttls) == (587, True)
    assert "s3cret" not in repr(settings)  # the password never reaches a log line
