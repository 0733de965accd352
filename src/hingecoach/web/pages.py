"""Register a page once and serve it twice: HTML at `path`, JSON at `/api/v1{path}`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from hingecoach.errors import (
    AlreadyLoggedTodayError,
    CatalogError,
    DuplicateError,
    StateError,
    ValidationError,
)
from hingecoach.web.forms import read_form
from hingecoach.web.render import error_body, respond, status_of

__all__ = ["page", "submit"]

M = TypeVar("M", bound=BaseModel)

ViewFn = Callable[..., Awaitable[dict[str, Any]]]


def page(
    router: APIRouter, path: str, template: str, *, tags: list[str | Enum] | None = None
) -> Callable[[ViewFn], ViewFn]:
    """The view function returns the page's data; this renders it either way."""

    def register(view: ViewFn) -> ViewFn:
        @wraps(view)
        async def endpoint(request: Request, *args: Any, **kwargs: Any) -> Response:
            data = await view(request, *args, **kwargs)
            return respond(request, template, data)

        router.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
        router.add_api_route(
            f"/api/v1{path}",
            endpoint,
            methods=["GET"],
            summary=(view.__doc__ or path).strip().splitlines()[0],
            tags=tags or [],
            name=f"api_{view.__name__}",
        )
        return view

    return register


# Refusals that show the same form again, filled in, with the message at the top: bad input
# (422), a second session on one day not confirmed, a stopped programme (409).
_AGAIN = (ValidationError, CatalogError, AlreadyLoggedTodayError, StateError)


async def submit(
    request: Request,
    model: type[M],
    act: Callable[[M], dict[str, Any]],
    done: str,
    again: tuple[str, Callable[[dict[str, Any]], dict[str, Any]]],
) -> Response:
    """A form post: parse, act, show the result. A refusal shows the same form again with
    the message (nothing was stored); a form sent twice says it was already saved."""
    raw: dict[str, Any] = {}
    try:
        raw, form = await read_form(request, model)
        result = act(form)
    except _AGAIN as exc:
        template, page_data = again
        data = page_data(raw) | {"error": error_body(exc), "values": raw}
        return respond(request, template, data, status_of(exc))
    except DuplicateError as exc:
        return respond(request, "already_saved.html", {"refused": error_body(exc)}, 409)
    return respond(request, done, result)
