"""Accounts, clinics and who may see whom. Every web route asks this module first.

A learner sees only their own programme; a clinician only their clinic's learners; an admin
every clinic. Another user's id is answered as if it did not exist (NotFoundError), so the
web app cannot be used to learn which ids are taken.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select

from hingecoach.adapters.db.repository import now
from hingecoach.adapters.db.store import Store
from hingecoach.adapters.db.tables import (
    ClinicRow,
    InviteRow,
    LearnerRow,
    LoginFailureRow,
    UserRow,
)
from hingecoach.adapters.passwords import hash_password, needs_rehash, verify_password
from hingecoach.catalog import country
from hingecoach.errors import (
    AuthError,
    ForbiddenError,
    NotFoundError,
    StateError,
    ThrottledError,
    ValidationError,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.validation import check_text

__all__ = ["Accounts", "Actor", "Role", "SignUp"]

# OWASP ASVS 2.1: at least 8 characters (we ask 10), up to at least 64; no composition rules.
PASSWORD_MIN, PASSWORD_MAX = 10, 128
# Throttling: 5 failures for one address within 15 minutes locks it for the rest of the window.
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)
INVITE_DAYS = 14
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
# Invite codes avoid look-alike characters (0/O, 1/I/L) so they can be read out or typed.
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
    stamp: str  # changes with the password: older session cookies stop working

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
        raise ValidationError("email", "an email address like name@example.com", value)
    return email


def check_password(value: str, field: str = "password") -> str:
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise ValidationError(
            field, f"{PASSWORD_MIN}-{PASSWORD_MAX} characters", f"{len(value)} characters"
        )
    return value


def _stamp(user: UserRow) -> str:
    return str(int(user.password_changed_at.timestamp() * 1000))


def _actor(user: UserRow) -> Actor:
    return Actor(
        user.id,
        user.email,
        user.name,
        Role(user.role),
        user.clinic_id,
        user.learner_id,
        user.country,
        _stamp(user),
    )


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Accounts:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- signing up and in -----------------------------------------------------------

    def sign_up(self, data: SignUp) -> Actor:
        email = check_email(data.email)
        password = check_password(data.password)
        name = check_text("name", data.name, 80)
        code = country(data.country).code
        if data.role is Role.ADMIN:
            raise ValidationError(
                "role", "learner or clinician (admins are made with `hinge admin`)", data.role.value
            )
        with UnitOfWork(self.store) as uow:
            _refuse_taken(uow, email)
            clinic_id = self._clinic_for(uow, data)
            user = _add_user(uow, email, password, data.role, name, code, clinic_id)
            if data.invite_code.strip():
                self._use_invite(uow, data.invite_code, data.role, user)
            return _actor(user)

    def _clinic_for(self, uow: UnitOfWork, data: SignUp) -> int | None:
        if data.invite_code.strip():
            return self._open_invite(uow, data.invite_code, data.role).clinic_id
        if data.role is Role.CLINICIAN:
            return _add_clinic(uow, check_text("clinic_name", data.clinic_name, 120))
        return None

    def _open_invite(self, uow: UnitOfWork, code: str, role: Role) -> InviteRow:
        wanted = code.strip().upper()
        row = uow.db.scalars(select(InviteRow).where(InviteRow.code == wanted)).first()
        if row is None or row.used_at is not None or _aware(row.expires_at) < now():
            raise ValidationError(
                "invite_code", "an unused invite code from your clinic, within 14 days", code
            )
        if row.role != role.value:
            raise ValidationError(
                "invite_code", f"an invite for a {role.value}", f"an invite for a {row.role}"
            )
        return row

    def _use_invite(self, uow: UnitOfWork, code: str, role: Role, user: UserRow) -> None:
        row = self._open_invite(uow, code, role)
        row.used_at, row.used_by = now(), user.id
        user.clinic_id = row.clinic_id
        if user.learner_id is not None:
            learner = uow.db.get(LearnerRow, user.learner_id)
            if learner is not None:
                learner.clinic_id = row.clinic_id

    def sign_in(self, email: str, password: str) -> Actor:
        """Check the password; five misses in 15 minutes lock the address for that window.

        A miss is recorded (and committed) before the error is raised, so it counts even
        though the sign-in failed.
        """
        actor = self._check_sign_in(email.strip().lower(), password)
        if actor is None:
            raise AuthError("the email or the password is wrong")
        return actor

    def _check_sign_in(self, address: str, password: str) -> Actor | None:
        with UnitOfWork(self.store) as uow:
            since = now() - FAILURE_WINDOW
            failures = uow.db.scalar(
                select(func.count(LoginFailureRow.id)).where(
                    LoginFailureRow.email == address, LoginFailureRow.at > since
                )
            )
            if (failures or 0) >= MAX_FAILURES:
                raise ThrottledError(
                    "too many failed sign-ins for this address: wait 15 minutes and try again"
                )
            user = uow.db.scalars(select(UserRow).where(UserRow.email == address)).first()
            if not verify_password(user.password_hash if user else None, password) or user is None:
                uow.db.add(LoginFailureRow(email=address[:254], at=now()))
                return None
            uow.db.execute(delete(LoginFailureRow).where(LoginFailureRow.email == address))
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return _actor(user)

    def actor(self, user_id: int, stamp: str) -> Actor | None:
        """The session cookie's user, unless deleted or the password changed since."""
        with UnitOfWork(self.store) as uow:
            user = uow.db.get(UserRow, user_id)
            if user is None or _stamp(user) != stamp:
                return None
            return _actor(user)

    def change_password(self, actor: Actor, current: str, new: str) -> Actor:
        check_password(new, "new_password")
        with UnitOfWork(self.store) as uow:
            user = uow.db.get(UserRow, actor.id)
            if user is None:
                raise AuthError("your account no longer exists")
            if not verify_password(user.password_hash, current):
                raise ValidationError(
                    "current_password", "your current password", "a different one"
                )
            user.password_hash = hash_password(new)
            user.password_changed_at = now()
            return _actor(user)

    def delete_account(self, actor: Actor, password: str) -> None:
        """Delete the account and, for a learner, every record of their programme."""
        with UnitOfWork(self.store) as uow:
            user = uow.db.get(UserRow, actor.id)
            if user is None:
                raise AuthError("your account no longer exists")
            if not verify_password(user.password_hash, password):
                raise ValidationError("password", "your current password", "a different one")
            learner_id = user.learner_id
            uow.db.delete(user)
            uow.db.flush()
            if learner_id is not None:
                learner = uow.db.get(LearnerRow, learner_id)
                if learner is not None:
                    uow.db.delete(learner)

    # -- clinics and invites ---------------------------------------------------------

    def invite(self, actor: Actor, role: Role = Role.LEARNER, note: str = "") -> Invite:
        clinic_id = self.clinic_of(actor)
        if role is Role.ADMIN:
            raise ValidationError("role", "learner or clinician", role.value)
        with UnitOfWork(self.store) as uow:
            clinic = uow.db.get(ClinicRow, clinic_id)
            assert clinic is not None  # a user's clinic is never deleted under them
            row = InviteRow(
                code=_new_code(),
                clinic_id=clinic_id,
                role=role.value,
                created_by=actor.id,
                note=note.strip()[:120],
                created_at=now(),
                expires_at=now() + timedelta(days=INVITE_DAYS),
            )
            uow.db.add(row)
            uow.db.flush()
            return Invite(row.code, role, row.expires_at, clinic.name)

    def join_clinic(self, actor: Actor, code: str) -> Actor:
        """A learner who started alone joins a clinic with an invite code."""
        if actor.role is not Role.LEARNER:
            raise ForbiddenError("only a learner joins a clinic with a learner invite")
        with UnitOfWork(self.store) as uow:
            user = uow.db.get(UserRow, actor.id)
            if user is None:
                raise AuthError("your account no longer exists")
            self._use_invite(uow, code, Role.LEARNER, user)
            return _actor(user)

    def clinic_of(self, actor: Actor) -> int:
        if not actor.is_staff:
            raise ForbiddenError("this page is for clinicians")
        if actor.clinic_id is None:
            raise StateError("your account is not part of a clinic")
        return actor.clinic_id

    def clinic_name(self, clinic_id: int | None) -> str | None:
        if clinic_id is None:
            return None
        with UnitOfWork(self.store) as uow:
            row = uow.db.get(ClinicRow, clinic_id)
            return row.name if row else None

    def visible_learners(self, actor: Actor) -> list[tuple[int, str]]:
        """(learner id, name) of every learner this clinician may see, by name."""
        clinic_id = self.clinic_of(actor)
        with UnitOfWork(self.store) as uow:
            query = select(LearnerRow.id, LearnerRow.name).order_by(LearnerRow.name, LearnerRow.id)
            if actor.role is not Role.ADMIN:
                query = query.where(LearnerRow.clinic_id == clinic_id)
            return [(row.id, row.name) for row in uow.db.execute(query)]

    def learner_for(self, actor: Actor, learner_id: int) -> int:
        """The id, if this actor may see that learner; otherwise as if it did not exist."""
        with UnitOfWork(self.store) as uow:
            learner = uow.db.get(LearnerRow, learner_id)
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
            raise NotFoundError(f"learner: no learner with id {learner_id}")
        return learner_id

    def same_clinic(self, actor: Actor, learner_id: int) -> None:
        """Only a clinician of the learner's own clinic records their clearance: someone who
        can have examined them, not an admin looking across clinics."""
        with UnitOfWork(self.store) as uow:
            learner = uow.db.get(LearnerRow, learner_id)
            same = learner is not None and actor.clinic_id is not None
            same = same and learner is not None and learner.clinic_id == actor.clinic_id
        if not same:
            raise ForbiddenError(
                "only a clinician of this learner's clinic can record their clearance"
            )

    def make_admin(self, email: str, password: str, name: str, clinic_name: str) -> Actor:
        """An admin account (from the CLI): sees every clinic; starts one of its own."""
        address, secret = check_email(email), check_password(password)
        who, clinic = check_text("name", name, 80), check_text("clinic_name", clinic_name, 120)
        with UnitOfWork(self.store) as uow:
            _refuse_taken(uow, address)
            clinic_id = _add_clinic(uow, clinic)
            return _actor(_add_user(uow, address, secret, Role.ADMIN, who, "INT", clinic_id))


def _refuse_taken(uow: UnitOfWork, email: str) -> None:
    if uow.db.scalars(select(UserRow.id).where(UserRow.email == email)).first() is not None:
        raise ValidationError("email", "an address without an account (sign in instead)", email)


def _add_clinic(uow: UnitOfWork, name: str) -> int:
    row = ClinicRow(name=name, created_at=now())
    uow.db.add(row)
    uow.db.flush()
    return row.id


def _add_user(
    uow: UnitOfWork,
    email: str,
    password: str,
    role: Role,
    name: str,
    country_code: str,
    clinic_id: int | None,
) -> UserRow:
    stamp = now()
    user = UserRow(
        email=email,
        password_hash=hash_password(password),
        role=role.value,
        name=name,
        country=country_code,
        clinic_id=clinic_id,
        created_at=stamp,
        password_changed_at=stamp,
    )
    uow.db.add(user)
    uow.db.flush()
    return user


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=now().tzinfo)
