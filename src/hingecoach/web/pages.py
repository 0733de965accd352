"""Register a page once and serve it twice: HTML at `path`, JSON at `/api/v1{path}` with the
view's public shape as its response model; and the one path every form post takes."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from hingecoach.errors import (
    AlreadyLoggedTodayError,
    AuthError,
    CatalogError,
    DuplicateError,
    ForbiddenError,
    StateError,
    ThrottledError,
    ValidationError,
)
from hingecoach.schemas.errors import errors
from hingecoach.web.forms import RawForm, parse_form, read_raw
from hingecoach.web.render import error_body, redirect, respond, shown_error, status_of

__all__ = ["page", "submit"]

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
ViewFn = Callable[..., BaseModel]

# Refusals that show the same form again, filled in, with the message at the top: bad input
# (422), a second session on one day not confirmed, a stopped programme (409), a clinician
# of another clinic (403), a wrong password (401), too many tries (429).
_AGAIN = (
    ValidationError,
    CatalogError,
    AlreadyLoggedTodayError,
    StateError,
    ForbiddenError,
    AuthError,
    ThrottledError,
)


def page(
    router: APIRouter, path: str, template: str, *, tags: list[str | Enum] | None = None
) -> Callable[[ViewFn], ViewFn]:
    """The view function returns the page's public shape; this renders it either way.

    Views are plain functions: FastAPI runs them in its thread pool, so the database and the
    engine never block the event loop.
    """

    def register(view: ViewFn) -> ViewFn:
        @wraps(view)
        def endpoint(request: Request, *args: Any, **kwargs: Any) -> Response:
            return respond(request, template, view(request, *args, **kwargs))

        shape = typing.get_type_hints(view)["return"]
        router.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
        router.add_api_route(
            f"/api/v1{path}",
            endpoint,
            methods=["GET"],
            summary=(view.__doc__ or path).strip().splitlines()[0],
            tags=tags or [],
            name=f"api_{view.__name__}",
            response_model=shape,
            responses=errors(401, 403, 404, 409, 422),
        )
        return view

    return register


async def submit(
    request: Request,
    *,
    model: type[M],
    act: Callable[[M], R],
    done: str | Callable[[R], str | Response],
    again: tuple[str, Callable[[RawForm], BaseModel | Mapping[str, object]]],
    extra: Mapping[str, object] | None = None,
) -> Response:
    """A form post: parse, act (in the thread pool), then the result page; or, when `done` is
    a function of the result, what it gives: a URL to redirect to (so a reload does not post
    again) or a response; it runs in the thread pool too (signing in stores a session).
    A refusal shows the same form again with the message, nothing stored; a form sent twice
    says it was already saved."""
    raw: RawForm = {}
    try:
        raw = await read_raw(request, model)
        result = await run_in_threadpool(act, parse_form(model, raw))
    except _AGAIN as exc:
        template, page_data = again
        kept = {k: v for k, v in raw.items() if "password" not in k}  # never sent back
        shown = {"error": shown_error(exc), "values": kept}
        data = await run_in_threadpool(page_data, raw)
        return respond(request, template, data, status_of(exc), shown)
    except DuplicateError as exc:
        return respond(request, "already_saved.html", {"refused": error_body(exc)}, 409)
    if callable(done):
        after = await run_in_threadpool(done, result)
        return redirect(after) if isinstance(after, str) else after
    if not isinstance(result, BaseModel):
        raise TypeError(f"a result page needs a public shape, not {type(result).__name__}")
    return respond(request, done, result, extra=extra)
