"""Accounts, clinics and who may see whom. Every web route asks this module first.

A learner sees only their own programme; a clinician only their clinic's learners; an admin
every clinic. Another user's id is answered as if it did not exist (NotFoundError), so the
web app cannot be used to learn which ids are taken.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from hingecoach.adapters.db.records import InviteRecord, UserRecord
from hingecoach.adapters.db.repositories import now
from hingecoach.adapters.passwords import hash_password, needs_rehash, verify_password
from hingecoach.catalog import country
from hingecoach.engine.texts import N_
from hingecoach.errors import (
    AuthError,
    ForbiddenError,
    NotFoundError,
    StateError,
    ThrottledError,
    ValidationError,
    Words,
)
from hingecoach.services.uow import UnitOfWork, UnitOfWorkFactory
from hingecoach.services.validation import check_text

__all__ = ["Accounts", "Actor", "Role", "SignUp"]

# OWASP ASVS 2.1: at least 8 characters (we ask 10), up to at least 64; no composition rules.
PASSWORD_MIN, PASSWORD_MAX = 10, 128
# Throttling (OWASP authentication cheat sheet): 5 attempts for one address in 15 minutes,
# then none until the window ends, which the refusal names. A browser the owner has signed
# in from before (a signed device cookie) is not held by the address's lock, so a stranger
# cannot keep the owner out. One client gets 30 attempts a window, whatever the addresses.
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)
CLIENT_MAX_ATTEMPTS = 30
# A signed-in browser's session lasts 14 days unless it signs out first.
SESSION_AGE = timedelta(days=14)
INVITE_DAYS = 14
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
# Invite codes avoid look-alike characters (0/O, 1/I/L) so they can be read out or typed.
# What a refused password or invite was, as a page says it (the API reads the English).
_A_DIFFERENT_ONE = Words(N_("a different one"))
_INVITE_FOR = {
    "learner": N_("an invite for a learner"),
    "clinician": N_("an invite for a clinician"),
}
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class Role(StrEnum):
    LEARNER = "learner"
    CLINICIAN = "clinician"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """The signed-in user, as every route sees them."""

    id: int
    email: str
    name: str
    role: Role
    clinic_id: int | None
    learner_id: int | None
    country: str
    language: str | None = None  # the account's choice; None follows the browser

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.CLINICIAN, Role.ADMIN)


@dataclass(frozen=True)
class SignUp:
    email: str
    password: str
    name: str
    role: Role = Role.LEARNER
    country: str = "INT"
    clinic_name: str = ""  # a clinician without an invite starts a new clinic
    invite_code: str = ""


@dataclass(frozen=True)
class Invite:
    code: str
    role: Role
    expires_at: datetime
    clinic: str


def check_email(value: str) -> str:
    email = value.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationError("email", N_("an email address like name@example.com"), value)
    return email


def check_password(value: str, field: str = "password") -> str:
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise ValidationError(
            field,
            N_("{low}-{high} characters"),
            Words(N_("{n} characters"), n=len(value)),
            low=PASSWORD_MIN,
            high=PASSWORD_MAX,
        )
    return value


def _actor(user: UserRecord) -> Actor:
    return Actor(
        user.id,
        user.email,
        user.name,
        Role(user.role),
        user.clinic_id,
        user.learner_id,
        user.country,
        user.language,
    )


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Accounts:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    # -- signing up and in -----------------------------------------------------------

    def sign_up(self, data: SignUp) -> Actor:
        email = check_email(data.email)
        password = check_password(data.password)
        name = check_text("name", data.name, 80)
        code = country(data.country).code
        if data.role is Role.ADMIN:
            raise ValidationError(
                "role",
                N_("learner or clinician (admins are made with `hinge admin`)"),
                data.role.value,
            )
        secret = hash_password(password)
        with self.uow(write=True) as uow:
            _refuse_taken(uow, email)
            user = uow.accounts.add_user(email, secret, data.role.value, name, code)
            if data.invite_code.strip():
                user = _use_invite(uow, data.invite_code, data.role, user)
            elif data.role is Role.CLINICIAN:
                clinic = uow.accounts.add_clinic(check_text("clinic_name", data.clinic_name, 120))
                uow.accounts.set_user_clinic(user.id, clinic)
                user = replace(user, clinic_id=clinic)
            return _actor(user)

    def sign_in(
        self, email: str, password: str, client: str = "", device_user: int | None = None
    ) -> Actor:
        """Check the password, after counting the attempt (see MAX_FAILURES).

        The attempt is counted and committed before the password is checked, so requests at
        once cannot slip past the limit, and the slow hash runs outside any transaction.
        `device_user` is the user a signed device cookie names: their own browser.
        """
        address = email.strip().lower()
        user = self._count_attempt(address, client, device_user)
        if user is None or not verify_password(user.password_hash, password):
            raise AuthError(N_("the email or the password is wrong"))
        with self.uow(write=True) as uow:
            uow.accounts.clear_attempts(f"address:{address}")
            if client:  # a client's count is of failures: a clinic's Wi-Fi or a phone
                uow.accounts.refund_attempt(f"client:{client}")  # network is many people
            if needs_rehash(user.password_hash):
                uow.accounts.set_password(user.id, hash_password(password), None)
        return _actor(user)

    def _count_attempt(
        self, address: str, client: str, device_user: int | None
    ) -> UserRecord | None:
        with self.uow(write=True) as uow:
            user = uow.accounts.user_by_email(address)
            own_device = user is not None and user.id == device_user
            held = [_held(uow, f"client:{client}", CLIENT_MAX_ATTEMPTS)] if client else []
            if not own_device:
                held.append(_held(uow, f"address:{address}", MAX_FAILURES))
        until = max((h for h in held if h is not None), default=None)
        if until is not None:
            raise ThrottledError(until)
        return user

    # -- signed-in browsers ----------------------------------------------------------

    def open_session(self, actor: Actor) -> str:
        """A new server-side session for this browser: its id goes in the signed cookie."""
        session_id = secrets.token_urlsafe(32)
        with self.uow(write=True) as uow:
            uow.accounts.prune_sessions()
            uow.accounts.open_session(session_id, actor.id, now() + SESSION_AGE)
        return session_id

    def actor(self, session_id: str) -> Actor | None:
        """The user of a live session; none once it is signed out, expired or deleted."""
        with self.uow() as uow:
            user = uow.accounts.session_user(session_id)
            return _actor(user) if user is not None else None

    def close_session(self, session_id: str) -> None:
        with self.uow(write=True) as uow:
            uow.accounts.close_session(session_id)

    def change_password(self, actor: Actor, current: str, new: str) -> Actor:
        check_password(new, "new_password")
        with self.uow(write=True) as uow:
            user = _user(uow, actor.id)
            if not verify_password(user.password_hash, current):
                raise ValidationError(
                    "current_password", N_("your current password"), _A_DIFFERENT_ONE
                )
            changed = now()
            uow.accounts.set_password(user.id, hash_password(new), changed)
            uow.accounts.close_sessions(user.id)  # every browser signs in again
            return _actor(replace(user, password_changed_at=changed))

    def delete_account(self, actor: Actor, password: str) -> None:
        """Delete the account and, for a learner, every record of their programme."""
        with self.uow(write=True) as uow:
            user = _user(uow, actor.id)
            if not verify_password(user.password_hash, password):
                raise ValidationError("password", N_("your current password"), _A_DIFFERENT_ONE)
            uow.accounts.delete_user(user.id)
            if user.learner_id is not None:
                uow.programme.delete_learner(user.learner_id)

    # -- clinics and invites ---------------------------------------------------------

    def invite(self, actor: Actor, role: Role = Role.LEARNER, note: str = "") -> Invite:
        clinic_id = self.clinic_of(actor)
        if role is Role.ADMIN:
            raise ValidationError("role", N_("learner or clinician"), role.value)
        with self.uow(write=True) as uow:
            clinic = uow.accounts.clinic(clinic_id)
            assert clinic is not None  # a user's clinic is never deleted under them
            expires = now() + timedelta(days=INVITE_DAYS)
            row = uow.accounts.add_invite(
                _new_code(), clinic_id, role.value, actor.id, note.strip()[:120], expires
            )
            return Invite(row.code, role, row.expires_at, clinic.name)

    def set_language(self, actor: Actor, language: str | None, known: Iterable[str]) -> Actor:
        """The account's language, one of `known` (the ones the app speaks), or None to
        follow the browser's."""
        if language is not None and language not in known:
            allowed = ", ".join(known)
            raise ValidationError("language", N_("one of {allowed}"), language, allowed=allowed)
        with self.uow(write=True) as uow:
            uow.accounts.set_language(actor.id, language)
            return _actor(_user(uow, actor.id))

    def join_clinic(self, actor: Actor, code: str) -> Actor:
        """A learner who started alone joins a clinic with an invite code."""
        if actor.role is not Role.LEARNER:
            raise ForbiddenError(N_("only a learner joins a clinic with a learner invite"))
        with self.uow(write=True) as uow:
            return _actor(_use_invite(uow, code, Role.LEARNER, _user(uow, actor.id)))

    def clinic_of(self, actor: Actor) -> int:
        if not actor.is_staff:
            raise ForbiddenError(N_("this page is for clinicians"))
        if actor.clinic_id is None:
            raise StateError(N_("your account is not part of a clinic"))
        return actor.clinic_id

    def clinic_name(self, clinic_id: int | None) -> str | None:
        if clinic_id is None:
            return None
        with self.uow() as uow:
            clinic = uow.accounts.clinic(clinic_id)
            return clinic.name if clinic else None

    def visible_learners(self, actor: Actor) -> list[tuple[int, str]]:
        """(learner id, name) of every learner this clinician may see, by name."""
        clinic_id = self.clinic_of(actor)
        with self.uow() as uow:
            return uow.accounts.learners(None if actor.role is Role.ADMIN else clinic_id)

    def learner_for(self, actor: Actor, learner_id: int) -> int:
        """The id, if this actor may see that learner; otherwise as if it did not exist."""
        with self.uow() as uow:
            learner = uow.programme.learner(learner_id) if learner_id > 0 else None
        allowed = learner is not None and (
            actor.learner_id == learner_id
            or actor.role is Role.ADMIN
            or (
                actor.is_staff
                and actor.clinic_id is not None
                and learner.clinic_id == actor.clinic_id
            )
        )
        if not allowed:
            raise NotFoundError(N_("learner: no learner with id {id}"), id=learner_id)
        return learner_id

    def same_clinic(self, actor: Actor, learner_id: int) -> None:
        """Only a clinician of the learner's own clinic records their clearance: someone who
        can have examined them, not an admin looking across clinics."""
        with self.uow() as uow:
            learner = uow.programme.learner(learner_id)
        if learner is None or actor.clinic_id is None or learner.clinic_id != actor.clinic_id:
            raise ForbiddenError(
                N_("only a clinician of this learner's clinic can record their clearance")
            )

    def make_admin(self, email: str, password: str, name: str, clinic_name: str) -> Actor:
        """An admin account (from the CLI): sees every clinic; starts one of its own."""
        address, secret = check_email(email), check_password(password)
        who, clinic = check_text("name", name, 80), check_text("clinic_name", clinic_name, 120)
        with self.uow(write=True) as uow:
            _refuse_taken(uow, address)
            user = uow.accounts.add_user(
                address, hash_password(secret), Role.ADMIN.value, who, "INT"
            )
            clinic_id = uow.accounts.add_clinic(clinic)
            uow.accounts.set_user_clinic(user.id, clinic_id)
            return _actor(replace(user, clinic_id=clinic_id))


def _held(uow: UnitOfWork, key: str, limit: int) -> datetime | None:
    """Count one attempt for `key`; when over `limit`, the moment its window ends."""
    attempts, start = uow.accounts.attempt(key, FAILURE_WINDOW)
    if attempts == 1:
        uow.accounts.prune_attempts(now() - FAILURE_WINDOW)  # old windows, once in a while
    return start + FAILURE_WINDOW if attempts > limit else None


def _user(uow: UnitOfWork, user_id: int) -> UserRecord:
    user = uow.accounts.user(user_id)
    if user is None:
        raise AuthError(N_("your account no longer exists"))
    return user


def _refuse_taken(uow: UnitOfWork, email: str) -> None:
    if uow.accounts.user_by_email(email) is not None:
        raise ValidationError("email", N_("an address without an account (sign in instead)"), email)


def _open_invite(uow: UnitOfWork, code: str, role: Role) -> InviteRecord:
    invite = uow.accounts.invite(code.strip().upper())
    if invite is None or invite.used_at is not None or invite.expires_at < now():
        raise ValidationError(
            "invite_code",
            N_("an unused invite code from your clinic, within {days} days"),
            code,
            days=INVITE_DAYS,
        )
    if invite.role != role.value:
        raise ValidationError(
            "invite_code",
            _invite_for(role.value),
            _invite_for(invite.role),
        )
    return invite


def _invite_for(role: str) -> Words:
    found = _INVITE_FOR.get(role)
    return Words(found) if found else Words(N_("an invite for a {role}"), role=role)


def _use_invite(uow: UnitOfWork, code: str, role: Role, user: UserRecord) -> UserRecord:
    """The invite is used once: the user (and their programme, if any) joins its clinic."""
    invite = _open_invite(uow, code, role)
    uow.accounts.use_invite(invite.id, user.id)
    uow.accounts.set_user_clinic(user.id, invite.clinic_id)
    if user.learner_id is not None and uow.programme.learner(user.learner_id) is not None:
        uow.programme.set_clinic(user.learner_id, invite.clinic_id)
    return replace(user, clinic_id=invite.clinic_id)
