"""The one exception tree of HingeCoach.

Every error a user can cause is a `HingeError`; entry points turn it into a one-line
message and an exit code (CLI) or a status code (web). Anything else is a bug.

    HingeError
    ├── ValidationError        bad input: names the field, the allowed range, what was received
    ├── CatalogError           an exercise or ladder file is malformed
    ├── NotFoundError          an id (exercise, ladder, learner) that does not exist
    ├── StateError             the request does not fit the learner's state (no learner yet, ...)
    └── StoreError             the database cannot be opened, is damaged, or is not migrated
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "HingeError",
    "NotFoundError",
    "StateError",
    "StoreError",
    "ValidationError",
]


class HingeError(Exception):
    """Base of every error a user can cause; `code` is the documented fault code."""

    code = "hinge_error"


class ValidationError(HingeError):
    """An input value outside its type or range."""

    code = "invalid_input"

    def __init__(self, field: str, expected: str, received: object) -> None:
        self.field = field
        self.expected = expected
        self.received = received
        super().__init__(f"{field}: expected {expected}, received {received!r}")


class CatalogError(HingeError):
    """A catalog or ladder file that cannot be used; the message names file and field."""

    code = "bad_catalog"


class NotFoundError(HingeError):
    """An id that names nothing known."""

    code = "not_found"


class StateError(HingeError):
    """A request that does not fit the learner's current state."""

    code = "bad_state"


class StoreError(HingeError):
    """The database cannot be used as it is."""

    code = "store_error"
