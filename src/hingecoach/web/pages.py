"""Register a page once and serve it twice: HTML at `path`, JSON at `/api/v1{path}`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from functools import wraps
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hingecoach.web.render import respond

__all__ = ["page"]

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
