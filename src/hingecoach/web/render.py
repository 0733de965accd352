"""One place decides HTML or JSON: a page's view data goes to its template, or to the
client as JSON under /api/v1 (the datasette pattern). Errors take the same two roads."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import quote

from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from hingecoach import errors
from hingecoach.adapters.demo import demo_svg
from hingecoach.adapters.locale import LANGUAGES, translator
from hingecoach.catalog import builtin_catalog
from hingecoach.engine.texts import N_
from hingecoach.language import _, current_language, ngettext, speaking
from hingecoach.schemas.errors import ErrorBody
from hingecoach.web.context import csrf_token, is_api
from hingecoach.web.labels import on_screen

__all__ = [
    "STATUS",
    "error_body",
    "install_error_handlers",
    "redirect",
    "respond",
    "shown_error",
    "status_of",
    "templates",
]

log = logging.getLogger("hingecoach.web")

templates = Jinja2Templates(directory=str(resources.files("hingecoach.web") / "templates"))


def _demo(exercise_id: str, ident: str = "demo") -> Markup:
    """An exercise's demonstration figure, inline (so its reduced-motion still follows the
    page's CSS). Every ladder, custom ones too, is made of the built-in exercises. The cue
    and the figure's text alternative are in the reader's language."""
    exercise = builtin_catalog().exercises.get(exercise_id)
    if exercise is None:
        return Markup("")
    cue = escape(_(exercise.demo.cue))
    figure = demo_svg(exercise, ident)
    return Markup(f'<figure class="demo-figure">{figure}<figcaption>{cue}</figcaption></figure>')


templates.env.globals["demo"] = _demo
# Every word on a page through gettext (language.py: the request's language), and
# dates and numbers written the way the reader's language writes them.
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=_, ngettext=ngettext, newstyle=True
)
templates.env.globals["language"] = current_language
templates.env.globals["LANGUAGES"] = LANGUAGES


def _day(value: date | str, form: str = "medium") -> str:
    """A date as the reader's language writes it ('30 Nov 2026', '30 nov 2026')."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, form, locale=current_language())


def _number(value: float) -> str:
    return format_decimal(value, locale=current_language())


templates.env.filters["day"] = _day
templates.env.filters["number"] = _number

STATUS: dict[type[errors.HingeError], int] = {
    errors.ValidationError: 422,
    errors.CatalogError: 422,
    errors.NotFoundError: 404,
    errors.AuthError: 401,
    errors.ForbiddenError: 403,
    errors.ThrottledError: 429,
    errors.DuplicateError: 409,
    errors.StateError: 409,
    errors.StoreError: 503,
    errors.VideoError: 422,
}


def respond(
    request: Request,
    template: str,
    data: BaseModel | Mapping[str, object],
    status: int = 200,
    extra: Mapping[str, object] | None = None,
) -> Response:
    """The page's public shape as JSON under /api/v1, else its template. `extra` is what only
    the HTML needs (the form's values after a refusal, the message at the top)."""
    if is_api(request):
        if isinstance(data, BaseModel):  # pydantic-core writes the JSON itself: 4x faster
            return Response(data.model_dump_json(), status, media_type="application/json")
        return JSONResponse(dict(data), status_code=status)
    plain = data.model_dump(mode="json") if isinstance(data, BaseModel) else dict(data)
    context = {
        "data": plain | dict(extra or {}),
        "actor": getattr(request.state, "actor", None),
        "csrf": csrf_token(request),
        "path": request.url.path,
        "method": request.method,
    }
    return templates.TemplateResponse(request, template, context, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """After a successful form post: 303 so a reload does not post again."""
    return RedirectResponse(url, status_code=303)


def error_body(exc: errors.HingeError) -> dict[str, object]:
    """The error as the API answers it (ErrorPublic's body), in English whatever the
    reader's language: clients read its words."""
    details = {k: str(v) if isinstance(v, errors.Words) else v for k, v in exc.details().items()}
    body = ErrorBody(code=exc.code, message=str(exc), **details)
    if isinstance(exc, errors.ValidationError):
        received = _plain(exc.received)
        body = body.model_copy(
            update={"field": exc.field, "expected": exc.expected, "received": received}
        )
    return _shown(body)


def shown_error(exc: errors.HingeError) -> dict[str, object]:
    """The error as a page shows it, in the reader's language: its message, what was
    expected and what was received said in it, its field by the label on the page. `code`
    and `field` stay as the API gives them (the templates choose by them); `unanswered`
    says the field was left empty (or is a box to tick), in any language."""
    body = error_body(exc)
    body["message"] = exc.said()
    body |= {k: v.said() for k, v in exc.details().items() if isinstance(v, errors.Words)}
    if isinstance(body.get("field"), str):
        body["label"] = on_screen(str(body["field"]))
        received = getattr(exc, "received", None)
        body["unanswered"] = received is None or (
            isinstance(received, str) and received in ("", _NOTHING)
        )
    if isinstance(exc, errors.ValidationError):
        body["expected"] = exc.expected_said()
        if isinstance(exc.received, errors.Words):
            body["received"] = exc.received.said()
        elif body["unanswered"] and exc.received:
            body["received"] = _(_NOTHING)
    return body


# What the checks write as received for a field left empty.
_NOTHING = N_("nothing")


def _shown(body: ErrorBody) -> dict[str, object]:
    return body.model_dump(mode="json", exclude_none=True)


_ECHO = 200  # characters of a refused value echoed back, at most


def _plain(value: object) -> str | int | float | bool | None:
    """What was received, safe to put in a JSON answer: a number that is not one (NaN,
    infinity) as text, a broken character escaped, a long value cut short."""
    if isinstance(value, bool | int | type(None)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= _ECHO else text[:_ECHO] + "..."


def status_of(exc: errors.HingeError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def _error_page(request: Request, body: dict[str, object], status: int) -> Response:
    if is_api(request):
        return JSONResponse({"error": body}, status_code=status)
    return respond(request, "error.html", {"error": body, "status": status}, status)


async def _hinge_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.HingeError)
    if isinstance(exc, errors.AuthError) and not is_api(request) and request.method == "GET":
        return redirect(f"/login?next={quote(request.url.path)}")
    body = error_body(exc) if is_api(request) else shown_error(exc)
    response = _error_page(request, body, status_of(exc))
    if isinstance(exc, errors.ThrottledError):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _request_invalid(request: Request, exc: Exception) -> Response:
    """FastAPI's own validation (JSON bodies, path and query values) in our error shape."""
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc) or "body"
    said = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    body = ErrorBody(
        code=errors.ValidationError.code,
        message=f"{field}: {said}",
        field=field,
        expected=said,
        received=_plain(first.get("input")),
    )
    return _error_page(request, _shown(body), 422)


# The fault codes of the answers the framework gives before our code runs (docs/settings.md).
_HTTP_CODES = {400: "unreadable", 404: "not_found", 405: "method_not_allowed"}


# The same answers as a page says them, in the reader's language (the API keeps the
# framework's English).
_HTTP_SAID = {
    400: N_("the request could not be read"),
    404: N_("not found"),
    405: N_("this address does not take that kind of request"),
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = str(exc.detail)
    if not is_api(request) and current_language() != "en":
        message = _(_HTTP_SAID.get(exc.status_code, errors.HingeError.plain))
    body = ErrorBody(code=code, message=message)
    response = _error_page(request, _shown(body), exc.status_code)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value  # 405 keeps its Allow
    return response


_INTERNAL = N_("something went wrong on our side; nothing was saved")


async def _internal_error(request: Request, exc: Exception) -> Response:
    """Outside every middleware (Starlette answers a bug last): the page speaks the language
    web/language.py chose for the request, kept on its state."""
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    with speaking(translator(getattr(request.state, "language", "en"))):
        message = _INTERNAL if is_api(request) else _(_INTERNAL)
        body = ErrorBody(code="internal", message=message)
        return _error_page(request, _shown(body), 500)


def install_error_handlers(app: Any) -> None:
    app.add_exception_handler(errors.HingeError, _hinge_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
