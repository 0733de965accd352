"""Input models at the HTTP edge: the same model checks an HTML form and a JSON body.

Field limits do the validation (pain 0-10, ...); a failure becomes the project's
`ValidationError`, naming the field, the allowed range and what was received.
"""

from __future__ import annotations

import secrets
import typing
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

import annotated_types
import pydantic
from fastapi import Request
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from hingecoach.errors import ForbiddenError, ValidationError

__all__ = [
    "CheckInCreate",
    "ClearanceCreate",
    "Empty",
    "InviteCreate",
    "JoinClinic",
    "LadderAssign",
    "LadderText",
    "LoginForm",
    "NoteCreate",
    "PasswordChange",
    "PasswordConfirm",
    "PolicyAdjust",
    "ScreenCreate",
    "SessionCreate",
    "SignUpForm",
    "StartForm",
    "StepOverride",
    "parse",
    "read_form",
]

M = TypeVar("M", bound=BaseModel)
Pain = Annotated[int, Field(ge=0, le=10)]
Area = Literal["none", "back", "buttock_thigh", "below_knee"]  # engine SymptomArea
Quality = Literal["stretch", "burning", "pain", "tingling", "numbness", "weakness"]  # engine


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignUpForm(_Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    name: str = Field(min_length=1, max_length=80)
    role: Literal["learner", "clinician"] = "learner"
    country: str = Field(default="INT", max_length=8)
    clinic_name: str = Field(default="", max_length=120)
    invite_code: str = Field(default="", max_length=40)


class LoginForm(_Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class PasswordChange(_Input):
    current_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class PasswordConfirm(_Input):
    password: str = Field(max_length=128)


class StartForm(_Input):
    ladder: str = Field(default="solving-pain", max_length=40)
    experience: Literal["new", "some", "lifter"] = "new"
    pain_now: Pain
    age: int | None = Field(default=None, ge=16, le=110)
    equipment: list[str] = Field(default_factory=list, max_length=20)
    flags: list[str] = Field(default_factory=list, max_length=20)
    none_of_these: bool = False


class SessionCreate(_Input):
    day: date | None = None
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


class CheckInCreate(_Input):
    day: date | None = None
    pain: Pain
    area: Area = "none"
    qualities: list[Quality] = Field(default_factory=list, max_length=6)
    soreness: bool = False
    flags: list[str] = Field(default_factory=list, max_length=20)
    client_token: str | None = Field(default=None, max_length=64)


class ScreenCreate(_Input):
    flags: list[str] = Field(default_factory=list, max_length=20)
    none_of_these: bool = False


class StepOverride(_Input):
    step: int = Field(ge=1, le=30)
    reason: str = Field(min_length=1, max_length=500)


class PolicyAdjust(_Input):
    field: str = Field(max_length=60)
    value: float = Field(ge=0, le=1000)
    reason: str = Field(min_length=1, max_length=500)


class NoteCreate(_Input):
    body: str = Field(min_length=1, max_length=4000)


class LadderAssign(_Input):
    ladder: str = Field(max_length=40)
    reason: str = Field(min_length=1, max_length=500)


class LadderText(_Input):
    toml: str = Field(min_length=1, max_length=20000)


class InviteCreate(_Input):
    role: Literal["learner", "clinician"] = "learner"
    note: str = Field(default="", max_length=120)


class ClearanceCreate(_Input):
    examined_on: date  # the day the clinician examined the learner: never before the sign
    note: str = Field(default="", max_length=2000)


class Empty(_Input):
    """A form with nothing but its CSRF token (sign out)."""


class JoinClinic(_Input):
    invite_code: str = Field(max_length=40)


def _expected(model: type[BaseModel], name: str, error: Any) -> str:
    """The allowed range, from the field's own limits where it has them."""
    info = model.model_fields.get(name)
    low = high = None
    for meta in info.metadata if info else ():
        if isinstance(meta, annotated_types.Ge):
            low = meta.ge
        if isinstance(meta, annotated_types.Le):
            high = meta.le
        if isinstance(meta, annotated_types.MaxLen) and error["type"] == "string_too_long":
            return f"at most {meta.max_length} characters"
    if low is not None and high is not None:
        return f"a number {low}-{high}"
    message: str = error["msg"]
    return message[0].lower() + message[1:]


def parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"]]
        name = loc[0] if loc else "body"
        field = (
            name
            if len(loc) < 2
            else f"{name} (item {int(loc[1]) + 1})"
            if loc[1].isdigit()
            else ".".join(loc)
        )
        received = first.get("input")
        if first["type"] == "missing":
            received = "nothing"
        raise ValidationError(field, _expected(model, name, first), received) from None


def _list_fields(model: type[BaseModel]) -> set[str]:
    return {
        name
        for name, info in model.model_fields.items()
        if typing.get_origin(info.annotation) is list
    }


async def read_form(request: Request, model: type[M]) -> tuple[dict[str, Any], M]:
    """The posted form (raw, to fill the form again on an error) and the parsed model.

    The CSRF token is checked first: a form without the session's token changes nothing.
    """
    form = await request.form()
    sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not secrets.compare_digest(sent, expected)
    ):
        raise ForbiddenError(
            "the form expired or came from another site: reload the page and try again"
        )
    lists = _list_fields(model)
    raw: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token" or key not in model.model_fields:
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if key in lists:
            raw[key] = [v for v in values if v != ""]
        elif values and values[-1] != "":
            raw[key] = values[-1]
    return raw, parse(model, raw)
