"""What every request needs: the store, the catalog, the services, and the signed-in user."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.errors import AuthError, ForbiddenError, StateError
from hingecoach.jobs import JobQueue, form_checks
from hingecoach.services.accounts import Accounts, Actor, Role
from hingecoach.services.care import Care
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.clinic import ClinicService
from hingecoach.services.coach import Coach
from hingecoach.services.form_checks import FormChecks
from hingecoach.services.uow import UnitOfWorkFactory, sql
from hingecoach.services.views import LearnerCache
from hingecoach.settings import Settings

__all__ = [
    "App",
    "CurrentUser",
    "Learner",
    "LearnerCoach",
    "NewLearner",
    "Staff",
    "Web",
    "client_of",
    "csrf_token",
    "device_user",
    "is_api",
    "remember_device",
    "sign_in",
    "sign_out",
]


@dataclass(frozen=True)
class App:
    """Built once per process; every field is safe to share between requests."""

    settings: Settings
    store: Store
    catalog: Catalog
    secret: str = ""  # signs cookies (web_secret(settings)); the device cookie uses it too
    catalogs: Catalogs | None = None  # the catalog with each clinic's ladders, parsed once
    cache: LearnerCache | None = None  # what is kept per learner while unchanged (settings)
    jobs: JobQueue | None = None  # where form checks wait for a worker

    def __post_init__(self) -> None:
        if self.catalogs is None:
            object.__setattr__(self, "catalogs", Catalogs(self.catalog))
        if self.cache is None:
            object.__setattr__(self, "cache", LearnerCache(self.settings.cache_learners))
        if self.jobs is None:
            object.__setattr__(self, "jobs", JobQueue(self.settings, self.store, self.ladders))

    @property
    def ladders(self) -> Catalogs:
        assert self.catalogs is not None  # set in __post_init__
        return self.catalogs

    @property
    def devices(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret or "unset", salt="hinge-device")

    @property
    def uow(self) -> UnitOfWorkFactory:
        return sql(self.store)

    def today(self) -> date:
        return self.settings.today()

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.uow)

    def clinic(self) -> ClinicService:
        return ClinicService(self.uow, self.ladders, self.today())

    def coach(self, learner_id: int) -> Coach:
        return self.clinic().coach(learner_id, self.cache)

    def care(self, learner_id: int) -> Care:
        return self.clinic().care(learner_id)

    def form_checks(self) -> FormChecks:
        assert self.jobs is not None  # set in __post_init__
        return form_checks(self.jobs, self.today())

    def new_coach(self) -> Coach:
        """A coach for a learner who has not started: their clinic comes with their account."""
        return Coach(self.uow, self.ladders, self.today())


# Answers that are data, not pages: their errors are JSON too (charts, exports, a kept clip,
# the calendar feed, the browser pose model's files).
_DATA_SUFFIXES = (".svg", ".csv", ".json", ".pdf", "/video", ".ics")
_DATA_PREFIXES = ("/api/", "/pose/")


def is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith(_DATA_PREFIXES) or path.endswith(_DATA_SUFFIXES)


def get_app(request: Request) -> App:
    app: App = request.app.state.hinge
    return app


def csrf_token(request: Request) -> str:
    """One random token per browser session; every form posts it back."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


LANGUAGE_KEY = "lang"  # the session's language (web/language.py)


def sign_in(request: Request, actor: Actor) -> None:
    """A fresh server-side session (and CSRF token) at each sign-in: the cookie holds only
    its id, so a planted cookie is useless and signing out ends it for good."""
    session_id = get_app(request).accounts.open_session(actor)
    request.session.clear()
    request.session["sid"] = session_id
    if actor.language:  # the account's language from now on (web/language.py)
        request.session[LANGUAGE_KEY] = actor.language
    csrf_token(request)


def sign_out(request: Request) -> None:
    """End the session on the server (a copied cookie stops working) and in this browser."""
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        get_app(request).accounts.close_session(session_id)
    request.session.clear()


def current_actor(request: Request) -> Actor | None:
    session_id = request.session.get("sid")
    if not isinstance(session_id, str):
        return None
    actor = get_app(request).accounts.actor(session_id)
    if actor is None:
        request.session.clear()
    request.state.actor = actor  # the page header shows who is signed in
    return actor


DEVICE_COOKIE = "hinge_device"
DEVICE_AGE = 365 * 24 * 3600  # a browser the owner used stays known for a year


def device_user(request: Request) -> int | None:
    """The user a browser's signed device cookie names: one that has signed in here before."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        found = get_app(request).devices.loads(raw, max_age=DEVICE_AGE)
    except BadSignature:
        return None
    return found if isinstance(found, int) else None


def remember_device(request: Request, response: Response, actor: Actor) -> None:
    """After a sign-in: this browser is the owner's, and their address lock will not hold it."""
    token = get_app(request).devices.dumps(actor.id)
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_AGE,
        httponly=True,
        samesite="lax",
        secure=get_app(request).settings.secure_cookies,
    )


def client_of(request: Request) -> str:
    """The client's address, for the per-client sign-in throttle (behind a proxy, uvicorn
    reads it from X-Forwarded-For when the proxy is trusted: docs/deploy.md)."""
    return request.client.host if request.client else ""


def require_user(request: Request) -> Actor:
    actor = current_actor(request)
    if actor is None:
        raise AuthError("please sign in")
    return actor


# Dependencies that only read what is already in hand are coroutines: each sync dependency
# costs a trip to the thread pool on every request (issue 9). Only `require_user` reads the
# database, so it alone runs in a thread.


async def require_learner(actor: Annotated[Actor, Depends(require_user)]) -> Actor:
    if actor.role is not Role.LEARNER:
        raise ForbiddenError("this page is for learners: clinicians use the clinic pages")
    return actor


async def require_programme(actor: Annotated[Actor, Depends(require_learner)]) -> Actor:
    if actor.learner_id is None:
        raise StateError("no programme yet: answer the safety questions first (/start)")
    return actor


async def learner_coach(
    request: Request, actor: Annotated[Actor, Depends(require_programme)]
) -> Coach:
    """The signed-in learner's own programme (their clinic's ladders included)."""
    learner_id = actor.learner_id
    if learner_id is None:  # require_programme has refused this already
        raise StateError("no programme yet: answer the safety questions first (/start)")
    return get_app(request).coach(learner_id)


async def require_staff(actor: Annotated[Actor, Depends(require_user)]) -> Actor:
    if not actor.is_staff:
        raise ForbiddenError("this page is for clinicians")
    return actor


async def _app(request: Request) -> App:
    """`get_app` as a dependency: a coroutine, so FastAPI does not send it to a thread."""
    return get_app(request)


Web = Annotated[App, Depends(_app)]
CurrentUser = Annotated[Actor, Depends(require_user)]
Learner = Annotated[Actor, Depends(require_programme)]
NewLearner = Annotated[Actor, Depends(require_learner)]
LearnerCoach = Annotated[Coach, Depends(learner_coach)]
Staff = Annotated[Actor, Depends(require_staff)]
