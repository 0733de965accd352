"""Reading an HTML form: the CSRF token first, then the fields into the same input model a
JSON body uses (schemas/inputs.py), so a form and the API refuse the same things."""

from __future__ import annotations

import re
import secrets
import types
import typing
from typing import Any, TypeVar

import annotated_types
import pydantic
from fastapi import Request
from pydantic import BaseModel

from hingecoach.errors import ForbiddenError, ValidationError

__all__ = ["RawForm", "parse", "parse_form", "read_form", "read_raw"]

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
    if error["type"].startswith("bool"):
        return "Yes or No"
    message: str = error["msg"].removeprefix("Value error, ")
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


_TRUE, _FALSE = {"true", "on", "yes", "1"}, {"false", "off", "no", "0"}
_WHOLE = re.compile(r"^[+-]?\d{1,18}$")


def _scalar(annotation: Any) -> Any:
    """int, float or bool behind Optional[...]; else None (text, dates, choices)."""
    if annotation in (int, float, bool):
        return annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    is_union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    return _scalar(args[0]) if is_union and len(args) == 1 else None


def _typed_text(kind: Any, text: str) -> object:
    """A form's text as the field's type, when it reads as one; else the text, refused."""
    if kind is bool:
        word = text.strip().lower()
        return True if word in _TRUE else False if word in _FALSE else text
    if kind is int:
        return int(text) if _WHOLE.match(text.strip()) else text
    if kind is float:
        try:
            return float(text)
        except ValueError:
            return text
    return text


def _typed(model: type[BaseModel], raw: RawForm) -> dict[str, object]:
    """Every value of a form is text: turn numbers and yes/no into the model's types, so
    the strict model (the same one JSON bodies meet) can judge them."""
    typed: dict[str, object] = {}
    for name, value in raw.items():
        annotation = model.model_fields[name].annotation
        if isinstance(value, list):
            item = typing.get_args(annotation)[0] if typing.get_args(annotation) else None
            kind = _scalar(item) if item is not None else None
            blank = type(None) in typing.get_args(item)  # a list item that may be left out
            typed[name] = [None if blank and v == "" else _typed_text(kind, v) for v in value]
        else:
            typed[name] = _typed_text(_scalar(annotation), value)
    return typed


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
    raw = await read_raw(request, model)
    return raw, parse_form(model, raw)


def parse_form(model: type[M], raw: RawForm) -> M:
    """The form's texts as the model, judged as a JSON body would be."""
    return parse(model, _typed(model, raw))


async def read_raw(request: Request, model: type[BaseModel]) -> RawForm:
    """The posted fields `model` knows, as sent (after the CSRF check): what fills the form
    again when it is refused, whatever the refusal."""
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
    raw |= _numbered(form, lists)
    return raw


_NUMBERED = re.compile(r"^(\w+)\.(\d{1,3})$")


def _numbered(form: Any, lists: set[str]) -> RawForm:
    """A list sent one numbered field at a time (`self_check.0`, `self_check.1`: a group of
    Yes/No buttons per item), in the order of the numbers; an item left unanswered is kept
    as a blank in its place, so the answers stay beside their questions and the blank is
    refused by name."""
    found: dict[str, dict[int, str]] = {}
    for key in form:
        match = _NUMBERED.match(key)
        value = form.get(key)
        if match and match.group(1) in lists and isinstance(value, str):
            found.setdefault(match.group(1), {})[int(match.group(2))] = value
    return {
        name: [items.get(n, "") for n in range(max(items) + 1)] for name, items in found.items()
    }
