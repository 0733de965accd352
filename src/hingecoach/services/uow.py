"""Unit of work: one transaction per use case; commit on success, roll back on any error."""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hingecoach.adapters.db.repository import Repository
from hingecoach.adapters.db.store import Store, describe
from hingecoach.errors import StoreError

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """`with UnitOfWork(store) as uow:` commits if the block succeeds, else rolls back.

    A database error, raised in the block or by the commit, becomes a one-line `StoreError`
    (a locked SQLite file, a lost PostgreSQL connection, ...): the user sees what happened,
    and nothing was saved.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> UnitOfWork:
        self.db: Session = self.store.session()
        self.repo = Repository(self.db)
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
            raise StoreError(f"database: the change was not saved ({describe(error)})") from None
        finally:
            self.db.close()
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"database: the change was not saved ({describe(exc)})") from None
