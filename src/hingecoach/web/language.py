"""Which language each request is answered in, and the learner's choice of it.

The account's choice (kept on the account, and in the session from sign-in on), else the
browser's languages (`Accept-Language`), else English. Every text written while the request
runs, the pages' words and the engine's reasons alike, goes through language.py's
translator, set here for the request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from hingecoach.adapters.locale import LANGUAGES, negotiate, translator
from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError
from hingecoach.language import speaking
from hingecoach.schemas.accounts import AccountPublic
from hingecoach.schemas.errors import errors
from hingecoach.schemas.inputs import LanguageChoice
from hingecoach.services.accounts import Actor
from hingecoach.web.context import LANGUAGE_KEY, App, CurrentUser, Web, current_actor
from hingecoach.web.pages import submit
from hingecoach.web.render import redirect

__all__ = ["Language", "router"]

router = APIRouter()
TAGS: list[Any] = ["account"]


class Language:
    """ASGI middleware, inside the session middleware: the request's language."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = _chosen(scope)
        scope.setdefault("state", {})["language"] = language  # for the 500 page (render.py)
        with speaking(translator(language)):
            await self.app(scope, receive, send)


def _chosen(scope: Scope) -> str:
    session = scope.get("session") or {}
    kept = session.get(LANGUAGE_KEY)
    if isinstance(kept, str) and kept in LANGUAGES:
        return kept
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return negotiate(value.decode("latin-1"))
    return "en"


def _choose(request: Request, web: App, form: LanguageChoice) -> Actor | None:
    """This browser's language, and the signed-in account's (kept for its next sign-in)."""
    language = form.language or None
    if language is not None and language not in LANGUAGES:
        allowed = ", ".join(LANGUAGES)
        raise ValidationError("language", N_("one of {allowed}"), language, allowed=allowed)
    actor = current_actor(request)
    if actor is not None:
        actor = web.accounts.set_language(actor, language, LANGUAGES)
    if language is None:
        request.session.pop(LANGUAGE_KEY, None)
    else:
        request.session[LANGUAGE_KEY] = language
    return actor


def _back(request: Request) -> str:
    """Back to the page the choice was made on (this site only)."""
    target = urlsplit(request.headers.get("referer", ""))
    same = target.netloc in ("", request.url.netloc) and target.path.startswith("/")
    return target.path if same and not target.path.startswith("//") else "/"


@router.post("/language", include_in_schema=False)
async def language_form(request: Request, web: Web) -> Response:
    back = _back(request)
    return await submit(
        request,
        model=LanguageChoice,
        act=lambda form: _choose(request, web, form),
        done=lambda _: redirect(back),
        again=("error.html", lambda raw: {}),
    )


@router.post(
    "/api/v1/me/language",
    tags=TAGS,
    summary="Choose my language (en, es; empty follows the browser)",
    responses=errors(400, 401, 413, 422),
)
def language_api(
    request: Request, web: Web, actor: CurrentUser, body: LanguageChoice
) -> AccountPublic:
    updated = _choose(request, web, body) or actor
    return AccountPublic.of(updated, web.accounts.clinic_name(updated.clinic_id))
