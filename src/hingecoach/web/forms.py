"""Reading an HTML form: the CSRF token first, then the fields into the same input model a
JSON body uses (schemas/inputs.py), so a form and the API refuse the same things."""

from __future__ import annotations

import secrets
import typing
from typing import Any, TypeVar

import annotated_types
import pydantic
from fastapi import Request
from pydantic import BaseModel

from hingecoach.errors import ForbiddenError, ValidationError

__all__ = ["RawForm", "parse", "read_form"]

# A posted form as it came: one text per field, or a list for fields that repeat.
RawForm = dict[str, str | list[str]]

M = TypeVar("M", bound=BaseModel)


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


async def read_form(request: Request, model: type[M]) -> tuple[RawForm, M]:
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
    raw: RawForm = {}
    for key in form:
        if key == "csrf_token" or key not in model.model_fields:
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if key in lists:
            raw[key] = [v for v in values if v != ""]
        elif values and values[-1] != "":
            raw[key] = values[-1]
    return raw, parse(model, raw)
