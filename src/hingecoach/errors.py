"""The one exception tree of HingeCoach.

Every error a user can cause is a `HingeError`; entry points turn it into a one-line
message and an exit code (CLI) or a status code (web). Anything else is a bug.

    HingeError
    ├── ValidationError        bad input: names the field, the allowed range, what was received
    ├── CatalogError           an exercise or ladder file is malformed
    ├── NotFoundError          an id (exercise, ladder, learner) that does not exist
    ├── StateError             the request does not fit the learner's state (no learner yet, ...)
    │   ├── ProgrammeStoppedError       a warning sign stopped the programme: no sessions until cleared
    │   └── ProgrammeRestrictedError    a review is due: unloaded steps only until cleared
    ├── DuplicateError         the same form sent twice: the first counts, once
    │   └── AlreadyLoggedTodayError     a second session on one day, not confirmed as another one
    ├── AuthError              not signed in, or a wrong email or password
    ├── ForbiddenError         signed in, but the page belongs to another role
    ├── ThrottledError         too many failed sign-ins: wait before the next try
    ├── StoreError             the database cannot be opened, is damaged, or is not migrated
    └── VideoError             a clip that cannot be analysed; `code` says why
        └── VisionMissingError      the optional vision extra (OpenCV, MediaPipe) is not installed

Video fault codes: unreadable_video, video_too_large, video_too_long, vision_missing.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

__all__ = [
    "VIDEO_FAULTS",
    "AlreadyLoggedTodayError",
    "AuthError",
    "CatalogError",
    "DuplicateError",
    "ForbiddenError",
    "HingeError",
    "NotFoundError",
    "ProgrammeRestrictedError",
    "ProgrammeStoppedError",
    "StateError",
    "StoreError",
    "ThrottledError",
    "ValidationError",
    "VideoError",
    "VisionMissingError",
]


class HingeError(Exception):
    """Base of every error a user can cause; `code` is the documented fault code."""

    code = "hinge_error"

    def details(self) -> dict[str, object]:
        """Fields an API client gets beside `code` and `message` (none by default)."""
        return {}


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


class _ProgrammeHeldError(StateError):
    """The programme's standing forbids this: says why, what to do and by when."""

    lead = ""

    def __init__(self, reason: str, advice: str, by_when: str, rules: tuple[str, ...]) -> None:
        self.reason, self.advice, self.by_when, self.rules = reason, advice, by_when, rules
        super().__init__(f"{self.lead} {reason} {advice}".strip())

    def details(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "advice": self.advice,
            "by_when": self.by_when,
            "rules": list(self.rules),
        }


class ProgrammeStoppedError(_ProgrammeHeldError):
    """A warning sign stopped the programme: nothing is logged until a clinician clears it."""

    code = "programme_stopped"
    lead = "Your programme is stopped, so this session was not saved."


class ProgrammeRestrictedError(_ProgrammeHeldError):
    """A review is due: only the unloaded steps can be logged until a clinician clears it."""

    code = "programme_restricted"
    lead = (
        "Your programme is kept to the unloaded steps until a clinician's review, so this "
        "loaded session was not saved."
    )


class DuplicateError(HingeError):
    """The same thing sent twice (a form posted again): the first one counts, once."""

    code = "already_saved"


class AlreadyLoggedTodayError(DuplicateError):
    """A second session on a day that already has one, without saying it was another one."""

    code = "already_logged_today"

    def details(self) -> dict[str, object]:
        return {"field": "another_today", "expected": "true, if this is another session"}


class AuthError(HingeError):
    """Not signed in, or the email and password do not match an account."""

    code = "not_signed_in"


class ForbiddenError(HingeError):
    """Signed in, but this page is for another role (a learner on a clinician page)."""

    code = "forbidden"


class ThrottledError(HingeError):
    """Too many sign-in attempts for one address (or from one client): the refusal says
    when the window ends, and the answer carries Retry-After."""

    code = "too_many_attempts"

    def __init__(self, until: datetime) -> None:
        self.until = until
        wait = max(1, math.ceil((until - datetime.now(UTC)).total_seconds() / 60))
        super().__init__(
            f"too many sign-in attempts: try again after {until:%H:%M} UTC (in {wait} "
            f"minute{'s' if wait != 1 else ''}), or sign in from a browser you have used before"
        )

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil((self.until - datetime.now(UTC)).total_seconds()))

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}


class StoreError(HingeError):
    """The database cannot be used as it is."""

    code = "store_error"


VIDEO_FAULTS = {
    "not_a_video": "the file is not a video (empty, an image, a document, or something else riding along in it)",
    "truncated_video": "the clip is cut short (the upload or the recording stopped part way)",
    "unreadable_video": "no frame could be decoded, or no such file",
    "picture_too_small": "the picture is too small to see a body in (under 120 pixels on a side)",
    "picture_too_large": "the picture is larger than 4K (over 9.4 million pixels)",
    "video_too_large": "over the size limit (500 MB by default)",
    "video_too_long": "over the length limit (3 minutes by default)",
    "vision_missing": "OpenCV or MediaPipe is not installed, or a pose model file is missing or altered",
}


class VideoError(HingeError):
    """A clip that cannot be analysed; `code` is one of VIDEO_FAULTS, the message says why."""

    code = "video_error"

    def __init__(self, code: str, message: str) -> None:
        if code not in VIDEO_FAULTS:
            raise ValueError(f"unknown video fault code {code!r}")
        self.code = code
        super().__init__(message)


class VisionMissingError(VideoError):
    """OpenCV or MediaPipe is not installed (the `vision` extra)."""

    code = "vision_missing"

    def __init__(self, what: str) -> None:
        super().__init__(
            "vision_missing",
            f"video analysis needs {what}, which is not installed: run `make install` "
            "(or pip install 'hingecoach[vision]'); `hinge analyze --keypoints FILE` works without it",
        )
