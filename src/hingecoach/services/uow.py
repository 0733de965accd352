"""Unit of work: one transaction per use case; commit on success, roll back on any error.

Services take a `UnitOfWorkFactory` (a callable that opens one), so a test can hand them a
fake with in-memory repositories where a database adds nothing (tests/fakes.py).
"""

from __future__ import annotations

from contextlib import nullcontext, suppress
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from hingecoach.adapters.db.repositories import (
    AccountRepository,
    ClinicRepository,
    FormCheckRepository,
    ProgrammeRepository,
    ReminderRepository,
)
from hingecoach.adapters.db.store import Store, describe
from hingecoach.engine.texts import N_
from hingecoach.errors import DuplicateError, HingeError, StoreError, ValidationError, Words

__all__ = ["SqlUnitOfWork", "UnitOfWork", "UnitOfWorkFactory", "sql"]


class UnitOfWork(Protocol):
    """What a use case reads and writes through, inside one transaction."""

    programme: ProgrammeRepository
    accounts: AccountRepository
    clinics: ClinicRepository
    form_checks: FormCheckRepository
    reminders: ReminderRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Opens a unit of work; `write=True` for a use case that stores something."""

    def __call__(self, write: bool = False) -> UnitOfWork: ...


class SqlUnitOfWork:
    """`with SqlUnitOfWork(store) as uow:` commits if the block succeeds, else rolls back.

    A database error, raised in the block or by the commit, becomes a one-line `StoreError`
    (a locked SQLite file, a lost PostgreSQL connection, ...): the user sees what happened,
    and nothing was saved.
    """

    def __init__(self, store: Store, write: bool = False) -> None:
        self.store = store
        self.write = write

    def __enter__(self) -> Self:
        self._gate = self.store.writing() if self.write else nullcontext()
        self._gate.__enter__()
        try:
            self.db: Session = self.store.session(self.write)
        except BaseException:
            self._gate.__exit__(None, None, None)
            raise
        self.programme = ProgrammeRepository(self.db, for_update=self.write)
        self.accounts = AccountRepository(self.db)
        self.clinics = ClinicRepository(self.db)
        self.form_checks = FormCheckRepository(self.db)
        self.reminders = ReminderRepository(self.db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.db.commit()
            else:
                self.db.rollback()
        except SQLAlchemyError as error:
            with suppress(SQLAlchemyError):
                self.db.rollback()
            raise StoreError(_NOT_SAVED, why=describe(error)) from None
        finally:
            self.db.close()
            self._gate.__exit__(None, None, None)
        if isinstance(exc, IntegrityError):
            raise conflict(exc) from None
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(_NOT_SAVED, why=describe(exc)) from None


# Unique keys that two requests at once can both try to take: the second gets the answer the
# first one's check would have given (PostgreSQL names the constraint; SQLite the columns).
_CONFLICTS = (
    (("uq_sessions_learner_token", "sessions.client_token"), N_("a session")),
    (("uq_checkins_learner_token", "checkins.client_token"), N_("a check-in")),
)
_NOT_SAVED = N_("database: the change was not saved ({why})")


def conflict(exc: IntegrityError) -> HingeError:
    """The error a unique key's race means, never a database error."""
    text = str(exc.orig)
    for names, what in _CONFLICTS:
        if any(name in text for name in names):
            return DuplicateError(
                N_("this was already saved ({what} sent twice)"), what=Words(what)
            )
    if "users" in text and "email" in text:
        taken = Words(N_("taken"))
        return ValidationError(
            "email", N_("an address without an account (sign in instead)"), taken
        )
    return StoreError(_NOT_SAVED, why=describe(exc))


class _Sql:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, write: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.store, write)


def sql(store: Store) -> UnitOfWorkFactory:
    """The factory services use in the app: a real transaction on `store` each time."""
    return _Sql(store)
