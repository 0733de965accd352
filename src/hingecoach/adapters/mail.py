"""Sending e-mail through an SMTP server (the standard library's smtplib).

One connection per batch: a reminder run opens it once, sends each message, and closes
it. A server that cannot be reached, refuses the sign-in or refuses a message raises
`MailError`, with what the server said, so the caller can try that message again later.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType
from typing import Self

__all__ = ["Mail", "MailError", "SmtpConfig", "SmtpMailer"]


class MailError(Exception):
    """The SMTP server could not be reached or refused a message. Only the job that sends
    reminders sees it (it logs it and tries again on its next run): no user is shown it, so
    it is not one of the fault codes of errors.py."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where mail goes (HINGE_SMTP_*; docs/settings.md)."""

    host: str
    port: int = 587
    sender: str = ""
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log line
    starttls: bool = True
    timeout: float = 20.0


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str  # plain text


def message(config: SmtpConfig, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=True)
    domain = config.sender.rpartition("@")[2].strip(">") or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a reminder
    msg.set_content(mail.body)
    return msg


class SmtpMailer:
    """`with SmtpMailer(config) as mailer: mailer.send(mail)`; connects on entering."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        c = self.config
        try:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"mail: cannot reach {c.host}:{c.port} ({exc})") from None
        try:
            if c.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if c.user:
                smtp.login(c.user, c.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise MailError(f"mail: {c.host} refused the connection ({exc})") from None
        self._smtp = smtp
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def send(self, mail: Mail) -> None:
        if self._smtp is None:
            raise MailError("mail: not connected (use the mailer in a `with` block)")
        try:
            self._smtp.send_message(message(self.config, mail))
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"mail to {mail.to} was refused ({exc})") from None
