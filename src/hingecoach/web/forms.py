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

from hingecoach.engine.texts import N_
from hingecoach.errors import ForbiddenError, ValidationError, Words, counted

__all__ = ["RawForm", "parse", "parse_form", "read_form", "read_raw"]

# A posted form as it came: one text per field, or a list for fields that repeat.
RawForm = dict[str, str | list[str]]

M = TypeVar("M", bound=BaseModel)


def _expected(model: type[BaseModel], name: str, error: Any) -> Words:
    """The allowed range, from the field's own limits where it has them; else pydantic's
    words (in English for the API, said in the reader's language on a page)."""
    info = model.model_fields.get(name)
    low = high = None
    for meta in info.metadata if info else ():
        if isinstance(meta, annotated_types.Ge):
            low = meta.ge
        if isinstance(meta, annotated_types.Le):
            high = meta.le
        if isinstance(meta, annotated_types.MaxLen) and error["type"] == "string_too_long":
            return Words(N_("at most {high} characters"), high=meta.max_length)
    if low is not None and high is not None:
        return Words(N_("a number {low}-{high}"), low=low, high=high)
    if error["type"].startswith("bool"):
        return Words(N_("Yes or No"))
    message: str = error["msg"].removeprefix("Value error, ")
    return _pydantic_words(error, message[0].lower() + message[1:])


def _pydantic_words(error: Any, english: str) -> Words:
    """Pydantic's message as `Words`: by its template when it fills in to the very English
    pydantic wrote (so the API's text never changes), else the message as it is."""
    context = dict(error.get("ctx") or {})
    if isinstance(context.get("error"), str):
        context["error"] = _DATE_DETAILS.get(context["error"], context["error"])
    words = _counted(error["type"], context)
    if words is None and error["type"] in _PYDANTIC:
        words = Words(_PYDANTIC[error["type"]], **context)
    return words if words is not None and str(words) == english else Words(english)


def _counted(kind: str, context: dict[str, Any]) -> Words | None:
    """The messages pydantic writes with a count: its singular and plural."""
    if kind == "string_too_short":
        return counted(
            "string should have at least {min_length} character",
            "string should have at least {min_length} characters",
            context.get("min_length", 2),
            **context,
        )
    if kind == "string_too_long":
        return counted(
            "string should have at most {max_length} character",
            "string should have at most {max_length} characters",
            context.get("max_length", 2),
            **context,
        )
    if kind == "too_long":
        return counted(
            "list should have at most {max_length} item after validation, not {actual_length}",
            "list should have at most {max_length} items after validation, not {actual_length}",
            context.get("max_length", 2),
            **context,
        )
    return None


# Pydantic's messages for the refusals a form can meet (its strict types and dates), by
# error type, as it writes them (first letter lower-cased) with its context's fields.
_PYDANTIC = {
    "missing": N_("field required"),
    "int_type": N_("input should be a valid integer"),
    "float_type": N_("input should be a valid number"),
    "string_type": N_("input should be a valid string"),
    "list_type": N_("input should be a valid list"),
    "date_type": N_("input should be a valid date"),
    "extra_forbidden": N_("extra inputs are not permitted"),
    "literal_error": N_("input should be {expected}"),
    "enum": N_("input should be {expected}"),
    "greater_than_equal": N_("input should be greater than or equal to {ge}"),
    "less_than_equal": N_("input should be less than or equal to {le}"),
    "date_from_datetime_parsing": N_("input should be a valid date or datetime, {error}"),
    "date_parsing": N_("input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_inexact": N_(
        "datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
}
# What a date's text got wrong, as pydantic's date parser says it.
_DATE_DETAILS = {
    text: Words(text)
    for text in (
        N_("input is too short"),
        N_("input is too long"),
        N_("invalid character in year"),
        N_("invalid character in month"),
        N_("invalid character in day"),
        N_("invalid date separator, expected `-`"),
        N_("month value is outside expected range of 1-12"),
        N_("day value is outside expected range"),
        N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
    )
}


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
            N_("the form expired or came from another site: reload the page and try again")
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
