"""The error answer of every `/api/v1` route, and the statuses each kind of route can give."""

from __future__ import annotations

from typing import Any

from hingecoach.schemas.base import Public

__all__ = ["ErrorBody", "ErrorPublic", "errors", "file_answer"]


class ErrorBody(Public):
    code: str
    message: str
    field: str | None = None
    expected: str | None = None
    received: str | int | float | bool | None = None
    reason: str | None = None
    advice: str | None = None
    by_when: str | None = None
    rules: list[str] | None = None
    retry_after: int | None = None  # seconds, on a 429


class ErrorPublic(Public):
    error: ErrorBody


_WHAT = {
    400: "The request could not be read",
    401: "Not signed in",
    403: "Signed in, but this is for another role",
    404: "No such thing (or not yours)",
    409: "It does not fit the current state (stopped, already saved, ...)",
    413: "The body is too large",
    422: "A field is out of range or malformed",
    429: "Too many attempts: wait, then try again",
    503: "The database cannot be used right now",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """FastAPI's `responses=` for these statuses, each answered by ErrorPublic."""
    return {code: {"model": ErrorPublic, "description": _WHAT[code]} for code in statuses}


def file_answer(media_type: str, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route answering a file (SVG, CSV) or an ErrorPublic."""
    answer: dict[int | str, dict[str, Any]] = {200: {"content": {media_type: {}}}}
    return answer | errors(*statuses)
