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

In two languages: an error's `str` (the API's `message`, the logs, the CLI) is English, and
clients read it; a page says it in the reader's language (`said`, `expected_said`). So a
message is written as an English template marked `N_`, its values as named fields
(`Words`), and its Spanish lives in locale/es/LC_MESSAGES/errors.po.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime

from hingecoach.language import N_, _, current_language, many, ngettext, num

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
    "Words",
    "counted",
]


class Words(str):
    """English words that a page says in the reader's language: a message written `N_`
    with its values as named fields, or a counted unit (`counted`). It is a `str`, the
    English, so the API, the logs and the CLI read it as they always did; `said()` is the
    same words in the language of the request (language.py). A value that is itself
    `Words` (a received 'nothing', an exercise's name) is said in that language too."""

    template: str
    values: Mapping[str, object]
    plural: str | None
    number: int

    def __new__(cls, template: str, /, **values: object) -> Words:
        return cls.of(template, None, 1, values)

    @classmethod
    def of(
        cls, template: str, plural: str | None, number: int, values: Mapping[str, object]
    ) -> Words:
        form = plural if plural is not None and number != 1 else template
        made = str.__new__(cls, form.format(**values) if values else form)
        made.template, made.plural, made.number, made.values = template, plural, number, values
        return made

    def said(self) -> str:
        if not self.template:
            return ""  # gettext's '' is its header
        if self.plural is None:
            said = _(self.template)
        else:
            said = ngettext(self.template, self.plural, self.number)
        return said.format(**_said(self.values)) if self.values else said

    def translated(self) -> bool:
        """Whether the reader's language has these words (English always has them)."""
        if current_language() == "en" or not self.template:
            return True
        if self.plural is None:
            return _(self.template) != self.template
        english = self.template if self.number == 1 else self.plural
        return ngettext(self.template, self.plural, self.number) != english


def counted(singular: str, plural: str, n: int, **values: object) -> Words:
    """'{n} step' or '{n} steps' by `n` (filled in as `n` unless given), said with the
    reader's plural: the tests extract it as they do `ngettext` (singular, plural)."""
    return Words.of(singular, plural, n, {"n": n} | values)


def _said(values: Mapping[str, object]) -> dict[str, object]:
    return {k: v.said() if isinstance(v, Words) else v for k, v in values.items()}


class HingeError(Exception):
    """Base of every error a user can cause; `code` is the documented fault code.

    The message is English (the API's `message`, the logs, the CLI), written `N_` where it
    is raised, with its values as named fields: `NotFoundError(N_("learner: no learner with
    id {id}"), id=7)`. A page says it in the reader's language (`said`); a message written
    without its words in that language (a file's own error, a database's) is said as `plain`,
    what kind of error it is."""

    code = "hinge_error"
    plain = N_("that did not work")

    def __init__(self, message: str = "", **values: object) -> None:
        self.words = (
            message if isinstance(message, Words) and not values else Words(message, **values)
        )
        super().__init__(str(self.words))

    def details(self) -> dict[str, object]:
        """Fields an API client gets beside `code` and `message` (none by default)."""
        return {}

    def said(self) -> str:
        """The message in the reader's language (language.py)."""
        if self.words.translated():
            return self.words.said()
        return _(self.plain).format(message=str(self))


class ValidationError(HingeError):
    """An input value outside its type or range."""

    code = "invalid_input"

    def __init__(self, field: str, expected: str, received: object, **values: object) -> None:
        """`expected` is an English message, marked `N_` where it is written, with its numbers
        as named fields (`"a whole number {low}-{high}"`, low=0, high=10), or `Words`: the
        API answers it in English, and a page says it in the reader's language
        (`expected_said`). `received` as given; `Words` when it describes the value in
        English ('nothing', '12 characters'), so a page says that in the reader's language."""
        self.field = field
        said = expected if isinstance(expected, Words) and not values else None
        self.expected_words = said or Words(expected, **values)
        self.template = self.expected_words.template
        self.values = self.expected_words.values
        self.expected = str(self.expected_words)
        self.received = received
        super().__init__(f"{field}: expected {self.expected}, received {received!r}")

    def expected_said(self) -> str:
        """What was expected, in the reader's language (language.py)."""
        return self.expected_words.said()

    def received_said(self) -> object:
        """What was received: the value itself, or its description said in the reader's
        language."""
        return self.received.said() if isinstance(self.received, Words) else self.received

    def said(self) -> str:
        return _("{field}: expected {expected}, received {received}").format(
            field=self.field, expected=self.expected_said(), received=repr(self.received_said())
        )


class CatalogError(HingeError):
    """A catalog or ladder file that cannot be used; the message names file and field."""

    code = "bad_catalog"
    plain = N_("the ladder cannot be used as written: {message}")


class NotFoundError(HingeError):
    """An id that names nothing known."""

    code = "not_found"
    plain = N_("not found")


class StateError(HingeError):
    """A request that does not fit the learner's current state."""

    code = "bad_state"
    plain = N_("that cannot be done now")


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

    def said(self) -> str:
        """The lead in the reader's language; the reason and the advice are the engine's,
        already in the language of the request that found them."""
        return f"{_(self.lead)} {self.reason} {self.advice}".strip()


class ProgrammeStoppedError(_ProgrammeHeldError):
    """A warning sign stopped the programme: nothing is logged until a clinician clears it."""

    code = "programme_stopped"
    lead = N_("Your programme is stopped, so this session was not saved.")


class ProgrammeRestrictedError(_ProgrammeHeldError):
    """A review is due: only the unloaded steps can be logged until a clinician clears it."""

    code = "programme_restricted"
    lead = N_(
        "Your programme is kept to the unloaded steps until a clinician's review, so this "
        "loaded session was not saved."
    )


class DuplicateError(HingeError):
    """The same thing sent twice (a form posted again): the first one counts, once."""

    code = "already_saved"
    plain = N_("this was already saved")


class AlreadyLoggedTodayError(DuplicateError):
    """A second session on a day that already has one, without saying it was another one."""

    code = "already_logged_today"

    def details(self) -> dict[str, object]:
        return {
            "field": "another_today",
            "expected": Words(N_("true, if this is another session")),
        }


class AuthError(HingeError):
    """Not signed in, or the email and password do not match an account."""

    code = "not_signed_in"
    plain = N_("please sign in")


class ForbiddenError(HingeError):
    """Signed in, but this page is for another role (a learner on a clinician page)."""

    code = "forbidden"
    plain = N_("this is not for this account")


class ThrottledError(HingeError):
    """Too many sign-in attempts for one address (or from one client): the refusal says
    when the window ends, and the answer carries Retry-After."""

    code = "too_many_attempts"
    _MESSAGE = N_(
        "too many sign-in attempts: try again after {time} UTC (in {wait}), or sign in "
        "from a browser you have used before"
    )

    def __init__(self, until: datetime) -> None:
        self.until = until
        self.wait = max(1, math.ceil((until - datetime.now(UTC)).total_seconds() / 60))
        super().__init__(self._MESSAGE, time=f"{until:%H:%M}", wait=_minutes_english(self.wait))

    def said(self) -> str:
        return _(self._MESSAGE).format(time=f"{self.until:%H:%M}", wait=_minutes(self.wait))

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil((self.until - datetime.now(UTC)).total_seconds()))

    def details(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}


class StoreError(HingeError):
    """The database cannot be used as it is."""

    code = "store_error"
    plain = N_("the database cannot be used right now; nothing was saved")


# Each fault code and what it means; a page says it when the message itself has no words in
# the reader's language.
VIDEO_FAULTS = {
    "not_a_video": N_(
        "the file is not a video (empty, an image, a document, or something else riding along in it)"
    ),
    "truncated_video": N_("the clip is cut short (the upload or the recording stopped part way)"),
    "unreadable_video": N_("no frame could be decoded, or no such file"),
    "picture_too_small": N_(
        "the picture is too small to see a body in (under 120 pixels on a side)"
    ),
    "picture_too_large": N_("the picture is larger than 4K (over 9.4 million pixels)"),
    "video_too_large": N_("over the size limit (500 MB by default)"),
    "video_too_long": N_("over the length limit (3 minutes by default)"),
    "vision_missing": N_(
        "OpenCV or MediaPipe is not installed, or a pose model file is missing or altered"
    ),
}


class VideoError(HingeError):
    """A clip that cannot be analysed; `code` is one of VIDEO_FAULTS, the message says why
    (written as HingeError's, `N_` with named fields)."""

    code = "video_error"

    def __init__(self, code: str, message: str, **values: object) -> None:
        if code not in VIDEO_FAULTS:
            raise ValueError(f"unknown video fault code {code!r}")
        self.code = code
        self.plain = VIDEO_FAULTS[code]
        super().__init__(message, **values)


class VisionMissingError(VideoError):
    """OpenCV or MediaPipe is not installed (the `vision` extra)."""

    code = "vision_missing"

    def __init__(self, what: str) -> None:
        super().__init__(
            "vision_missing",
            N_(
                "video analysis needs {what}, which is not installed: run `make install` "
                "(or pip install 'hingecoach[vision]'); `hinge analyze --keypoints FILE` "
                "works without it"
            ),
            what=what,
        )


def _minutes(n: float) -> str:
    """The wait in the reader's language (the engine's own words: engine/texts.py)."""
    return ngettext("{n} minute", "{n} minutes", many(n)).format(n=num(n))


def _minutes_english(n: float) -> str:
    return f"{n:g} minute" if n == 1 else f"{n:g} minutes"
