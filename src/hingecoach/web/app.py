"""Build the FastAPI app: one store, one catalog, signed cookie sessions, strict headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.services.accounts import SESSION_AGE
from hingecoach.settings import Settings, web_secret
from hingecoach.web import (
    account,
    clinic,
    fhir,
    form_checks,
    language,
    learner,
    live,
    outcomes,
    reminders,
    reports,
)
from hingecoach.web.context import App
from hingecoach.web.kept import KeptAnswers
from hingecoach.web.language import Language
from hingecoach.web.limits import BodyLimit, StrictHeaders
from hingecoach.web.live import LIVE_BODY_BYTES
from hingecoach.web.render import install_error_handlers

__all__ = ["ROUTED", "create_app"]


# Every module that serves routes (the authorization matrix walks the same list); live
# before form_checks, so /form-checks/live is not read as a check's id.
ROUTED = (account, learner, live, form_checks, clinic, outcomes, reports, fhir, language, reminders)


def create_app(settings: Settings, store: Store, catalog: Catalog) -> FastAPI:
    """The app for one database; the caller opens (and migrates) the store."""
    hinge = App(settings, store, catalog, web_secret(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if hinge.jobs is not None:
            hinge.jobs.close()

    app = FastAPI(
        lifespan=lifespan,
        title="HingeCoach",
        version="1",
        description="Learn the hip hinge safely. Every page has a JSON twin under /api/v1; "
        "sign in with POST /api/v1/login, which sets the session cookie.",
        docs_url=None,  # FastAPI's docs page loads its scripts from a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.hinge = hinge
    app.add_middleware(  # innermost: it reads the session and the language (web/kept.py)
        KeptAnswers,
        changes=store.changes,
        size=4 * settings.cache_learners,
        today=settings.today,
    )
    app.add_middleware(Language)  # inside the session: it reads the session's language
    app.add_middleware(
        SessionMiddleware,
        secret_key=hinge.secret,
        session_cookie="hinge_session",
        max_age=int(SESSION_AGE.total_seconds()),
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    clip = settings.max_upload_mb * 1024 * 1024
    larger = {
        "/api/v1/form-checks": clip,
        "/form-checks": clip,
        "/api/v1/form-checks/live": LIVE_BODY_BYTES,
    }
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, larger=larger)
    app.add_middleware(StrictHeaders)
    static = resources.files("hingecoach.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in ROUTED:
        app.include_router(module.router)
    install_error_handlers(app)
    return app
