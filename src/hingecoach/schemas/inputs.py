"""What the API takes (and the HTML forms post, parsed by the same models): one model per
body, with field limits doing the validation (pain 0-10, ...). A failure becomes the
project's `ValidationError`, naming the field, the allowed range and what was received."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AliasChoices, Field

from hingecoach.schemas.base import Input

__all__ = [
    "CheckInCreate",
    "ClearanceCreate",
    "Empty",
    "InviteCreate",
    "JoinClinic",
    "LadderAssign",
    "LadderText",
    "LanguageChoice",
    "LoginForm",
    "NoteCreate",
    "PasswordChange",
    "PasswordConfirm",
    "PolicyAdjust",
    "QuestionnaireAnswer",
    "QuestionnaireAsk",
    "ScreenCreate",
    "SessionCreate",
    "SignUpForm",
    "StartForm",
    "StepOverride",
]

Pain = Annotated[int, Field(ge=0, le=10)]
Area = Literal["none", "back", "buttock_thigh", "below_knee"]  # engine SymptomArea
Quality = Literal["stretch", "burning", "pain", "tingling", "numbness", "weakness"]  # engine


class SignUpForm(Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    name: str = Field(min_length=1, max_length=80)
    role: Literal["learner", "clinician"] = "learner"
    country: str = Field(default="INT", max_length=8)
    clinic_name: str = Field(default="", max_length=120)
    invite_code: str = Field(default="", max_length=40)


class LoginForm(Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class PasswordChange(Input):
    current_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class PasswordConfirm(Input):
    password: str = Field(max_length=128)


class StartForm(Input):
    ladder: str = Field(default="solving-pain", max_length=40)
    experience: Literal["new", "some", "lifter"] = "new"
    pain_now: Pain
    age: int | None = Field(default=None, ge=16, le=110)
    equipment: list[str] = Field(default_factory=list, max_length=20)
    flags: list[str] = Field(default_factory=list, max_length=20)
    none_of_these: bool = False


class SessionCreate(Input):
    day: date | None = Field(default=None, strict=False)  # an ISO date string
    exercise: str | None = Field(default=None, max_length=40)
    pain_before: Pain
    pain_during: Pain
    pain_after: Pain
    reps: list[int] = Field(default_factory=list, max_length=10)
    seconds: list[int] = Field(default_factory=list, max_length=10)
    load: float | None = Field(default=None, ge=0, le=200)
    rpe: float | None = Field(default=None, ge=0, le=10)
    area: Area = "none"
    qualities: list[Quality] = Field(default_factory=list, max_length=6)
    # The symptom faded within a couple of minutes of rest (`burning_faded`, its old name,
    # is still accepted).
    faded: bool = Field(default=False, validation_alias=AliasChoices("faded", "burning_faded"))
    first_set_uncued: bool = False
    self_check: list[bool] = Field(default_factory=list, max_length=10)
    flags: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field(default="", max_length=2000)
    client_token: str | None = Field(default=None, max_length=64)
    another_today: bool = False  # yes, another session on a day that already has one


class CheckInCreate(Input):
    day: date | None = Field(default=None, strict=False)  # an ISO date string
    pain: Pain
    area: Area = "none"
    qualities: list[Quality] = Field(default_factory=list, max_length=6)
    soreness: bool = False
    flags: list[str] = Field(default_factory=list, max_length=20)
    client_token: str | None = Field(default=None, max_length=64)


class ScreenCreate(Input):
    flags: list[str] = Field(default_factory=list, max_length=20)
    none_of_these: bool = False


class StepOverride(Input):
    step: int = Field(ge=1, le=30)
    reason: str = Field(min_length=1, max_length=500)


class PolicyAdjust(Input):
    field: str = Field(max_length=60)
    value: float = Field(ge=0, le=1000)
    reason: str = Field(min_length=1, max_length=500)


class NoteCreate(Input):
    body: str = Field(min_length=1, max_length=4000)


class FormCheckReviewCreate(Input):
    """A clinician's word on a learner's form check, shown to the learner beside it."""

    comment: str = Field(min_length=1, max_length=2000)


class LadderAssign(Input):
    ladder: str = Field(max_length=40)
    reason: str = Field(min_length=1, max_length=500)


class LadderText(Input):
    toml: str = Field(min_length=1, max_length=20000)


class InviteCreate(Input):
    role: Literal["learner", "clinician"] = "learner"
    note: str = Field(default="", max_length=120)


class ClearanceCreate(Input):
    # the day the clinician examined the learner (an ISO date string): never before the sign
    examined_on: date = Field(strict=False)
    note: str = Field(default="", max_length=2000)


class Empty(Input):
    """A form with nothing but its CSRF token (sign out)."""


class QuestionnaireAnswer(Input):
    """A filled questionnaire: `values` one per question in order (null for an ODI section
    left out; yes/agree 1, no/disagree 0); PSFS sends `names` and `activities` (0-10)."""

    values: list[int | None] = Field(default_factory=list, max_length=30)
    names: list[str] = Field(default_factory=list, max_length=5)
    activities: list[int] = Field(default_factory=list, max_length=5)  # each 0-10 (engine)


class QuestionnaireAsk(Input):
    measure: str = Field(max_length=20)


class LanguageChoice(Input):
    """`en` or `es`; empty: follow the browser's languages."""

    language: str = Field(default="", max_length=8)


class KitUpdate(Input):
    """Every piece of kit the learner has now (ids from the catalog); what is left out,
    they lack."""

    equipment: list[str] = Field(default_factory=list, max_length=20)


class JoinClinic(Input):
    invite_code: str = Field(max_length=40)


class LadderStepCreate(Input):
    exercise: str = Field(max_length=40)  # an exercise id of the catalog
    label: str | None = Field(default=None, max_length=600)


class LadderBuild(Input):
    """A ladder from the builder: each step an exercise of the catalog, in order, with an
    optional label. It is written as the TOML the ladder editor takes and saved the same
    way, so the same checks apply (known exercises, each once, an id not taken). A step
    takes its exercise's dose: the ladder format has none of its own."""

    id: str = Field(max_length=40)
    name: str = Field(min_length=1, max_length=600)
    description: str = Field(default="", max_length=600)
    steps: list[LadderStepCreate] = Field(min_length=1, max_length=10)


class LadderBuildForm(Input):
    """The builder as the HTML form posts it: one numbered exercise choice and label per
    row (`exercise.0`, `label.0`, ...), a row left blank skipped; turned into `LadderBuild`
    (web/clinic.py) so the form and the API refuse the same things."""

    id: str = Field(max_length=40)
    name: str = Field(min_length=1, max_length=600)
    description: str = Field(default="", max_length=600)
    exercise: list[str | None] = Field(default_factory=list, max_length=10)
    label: list[str | None] = Field(default_factory=list, max_length=10)
