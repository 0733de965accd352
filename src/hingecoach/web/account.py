"""Signing up, in and out, the password, and my data (export, join a clinic, delete)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hingecoach.schemas.accounts import AccountPublic, ExportPublic, LoginPage, SignUpPage
from hingecoach.schemas.errors import errors, file_answer
from hingecoach.schemas.inputs import (
    Empty,
    JoinClinic,
    LoginForm,
    PasswordChange,
    PasswordConfirm,
    SignUpForm,
)
from hingecoach.schemas.pages import CountryPublic
from hingecoach.services.accounts import Actor, Role, SignUp
from hingecoach.web.context import (
    App,
    CurrentUser,
    Web,
    client_of,
    current_actor,
    device_user,
    remember_device,
    sign_in,
    sign_out,
)
from hingecoach.web.exports import export_csv
from hingecoach.web.pages import page, submit
from hingecoach.web.render import redirect, respond

__all__ = ["router", "worker_cache"]

router = APIRouter()
_STATIC = resources.files("hingecoach.web") / "static"
_CACHE_LINE = 'const CACHE = "hingecoach-v1";'


def worker_cache() -> str:
    """The offline worker's cache name, after the static files it keeps: a release that
    changes any of them names a new cache, so the worker installs afresh and drops the old
    copies, instead of serving the last release's scripts first (it serves /static/ from
    its cache before the network)."""
    digest = hashlib.sha256()
    for item in sorted(_STATIC.iterdir(), key=lambda item: item.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return f"hingecoach-{digest.hexdigest()[:12]}"


def _worker() -> str:
    text = (_STATIC / "sw.js").read_text(encoding="utf-8")
    if _CACHE_LINE not in text:
        raise RuntimeError(f"static/sw.js no longer names its cache as {_CACHE_LINE!r}")
    return text.replace(_CACHE_LINE, f'const CACHE = "{worker_cache()}";')


_WORKER = _worker()
TAGS: list[Any] = ["account"]
_WRITES = errors(400, 401, 403, 413, 422, 429)


def home_for(actor: Actor) -> str:
    if actor.is_staff:
        return "/clinic"
    return "/today" if actor.learner_id is not None else "/start"


def _safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def _account(web: App, actor: Actor) -> AccountPublic:
    return AccountPublic.of(actor, web.accounts.clinic_name(actor.clinic_id))


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    actor = current_actor(request)
    if actor is None:
        return respond(request, "welcome.html", {})
    return redirect(home_for(actor))


# -- sign up -----------------------------------------------------------------------


def _signup_page(request: Request) -> SignUpPage:
    code = request.query_params.get("invite", "")[:40]
    return SignUpPage(countries=CountryPublic.all(), invite_code=code)


def _sign_up(web: App, form: SignUpForm) -> Actor:
    return web.accounts.sign_up(
        SignUp(
            email=form.email,
            password=form.password,
            name=form.name,
            role=Role(form.role),
            country=form.country,
            clinic_name=form.clinic_name,
            invite_code=form.invite_code,
        )
    )


def _signed_in(request: Request, actor: Actor, target: str) -> Response:
    """Signed in: a new session, this browser remembered as the owner's, then on to `target`."""
    sign_in(request, actor)
    response = redirect(target)
    remember_device(request, response, actor)
    return response


@router.get("/signup", include_in_schema=False)
def signup_page(request: Request) -> Response:
    return respond(request, "signup.html", _signup_page(request))


@router.post("/signup", include_in_schema=False)
async def signup_form(request: Request, web: Web) -> Response:
    return await submit(
        request,
        model=SignUpForm,
        act=lambda form: _sign_up(web, form),
        done=lambda actor: _signed_in(request, actor, home_for(actor)),
        again=("signup.html", lambda raw: _signup_page(request)),
    )


@router.post(
    "/api/v1/signup",
    tags=TAGS,
    status_code=201,
    summary="Create an account and sign in",
    responses=_WRITES,
)
def signup_api(request: Request, response: Response, web: Web, body: SignUpForm) -> AccountPublic:
    actor = _sign_up(web, body)
    sign_in(request, actor)
    remember_device(request, response, actor)
    return _account(web, actor)


# -- sign in and out ---------------------------------------------------------------------


@router.get("/login", include_in_schema=False)
def login_page(request: Request) -> Response:
    return respond(request, "login.html", LoginPage(next=_next(request)))


def _next(request: Request) -> str:
    return _safe_next(request.query_params.get("next"), "")


@router.post("/login", include_in_schema=False)
async def login_form(request: Request, web: Web) -> Response:
    target = _next(request)
    return await submit(
        request,
        model=LoginForm,
        act=lambda form: _sign_in(request, web, form),
        done=lambda actor: _signed_in(request, actor, _safe_next(target, home_for(actor))),
        again=("login.html", lambda raw: LoginPage(next=target)),
    )


def _sign_in(request: Request, web: App, form: LoginForm) -> Actor:
    return web.accounts.sign_in(form.email, form.password, client_of(request), device_user(request))


@router.post(
    "/api/v1/login", tags=TAGS, summary="Sign in (sets the session cookie)", responses=_WRITES
)
def login_api(request: Request, response: Response, web: Web, body: LoginForm) -> AccountPublic:
    actor = _sign_in(request, web, body)
    sign_in(request, actor)
    remember_device(request, response, actor)
    return _account(web, actor)


@router.post("/logout", include_in_schema=False)
async def logout_form(request: Request) -> Response:
    return await submit(
        request,
        model=Empty,
        act=lambda form: None,
        done=lambda _: _signed_out(request, "/login"),
        again=("login.html", lambda raw: LoginPage(next="")),
    )


def _signed_out(request: Request, target: str) -> str | Response:
    sign_out(request)
    return target


@router.post("/api/v1/logout", tags=TAGS, status_code=204, summary="Sign out")
def logout_api(request: Request) -> Response:
    sign_out(request)
    return Response(status_code=204)


# -- password and my data ------------------------------------------------------------------


@page(router, "/me", "me.html", tags=TAGS)
def me(request: Request, web: Web, actor: CurrentUser) -> AccountPublic:
    """My account: clinic, exports, password, delete."""
    return _account(web, actor)


@router.post("/account/password", include_in_schema=False)
async def password_form(request: Request, web: Web, actor: CurrentUser) -> Response:
    return await submit(
        request,
        model=PasswordChange,
        act=lambda form: web.accounts.change_password(
            actor, form.current_password, form.new_password
        ),
        # every session ends with the old password; this browser signs in again at once
        done=lambda updated: _signed_in(request, updated, "/me?changed=password"),
        again=("me.html", lambda raw: _account(web, actor)),
    )


@router.post(
    "/api/v1/account/password",
    tags=TAGS,
    status_code=204,
    summary="Change my password",
    responses=_WRITES,
)
def password_api(request: Request, web: Web, actor: CurrentUser, body: PasswordChange) -> Response:
    updated = web.accounts.change_password(actor, body.current_password, body.new_password)
    sign_in(request, updated)
    return Response(status_code=204)


@router.post("/me/join", include_in_schema=False)
async def join_form(request: Request, web: Web, actor: CurrentUser) -> Response:
    return await submit(
        request,
        model=JoinClinic,
        act=lambda form: web.accounts.join_clinic(actor, form.invite_code),
        done=lambda _: "/me?changed=clinic",
        again=("me.html", lambda raw: _account(web, actor)),
    )


@router.post(
    "/api/v1/me/join", tags=TAGS, summary="Join a clinic with an invite code", responses=_WRITES
)
def join_api(web: Web, actor: CurrentUser, body: JoinClinic) -> AccountPublic:
    return _account(web, web.accounts.join_clinic(actor, body.invite_code))


def _export(web: App, actor: Actor) -> ExportPublic:
    status = web.coach(actor.learner_id).status() if actor.learner_id is not None else None
    return ExportPublic.of(actor, status)


@router.get(
    "/me/export.json",
    tags=TAGS,
    summary="Everything about me, as JSON",
    response_model=ExportPublic,
    responses=errors(401),
)
def export_json(web: Web, actor: CurrentUser) -> Response:
    body = json.dumps(_export(web, actor).model_dump(mode="json"), indent=2)
    headers = {"Content-Disposition": 'attachment; filename="hingecoach-my-data.json"'}
    return Response(body, media_type="application/json", headers=headers)


@router.get(
    "/me/export.csv",
    tags=TAGS,
    summary="Every logged set, as CSV",
    response_class=Response,
    responses=file_answer("text/csv", 401),
)
def export_csv_file(web: Web, actor: CurrentUser) -> Response:
    text = export_csv(web.coach(actor.learner_id).status()) if actor.learner_id is not None else ""
    headers = {"Content-Disposition": 'attachment; filename="hingecoach-sessions.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


def _deleted(request: Request) -> Response:
    sign_out(request)
    return respond(request, "deleted.html", {})


@router.post("/me/delete", include_in_schema=False)
async def delete_form(request: Request, web: Web, actor: CurrentUser) -> Response:
    return await submit(
        request,
        model=PasswordConfirm,
        act=lambda form: web.accounts.delete_account(actor, form.password),
        done=lambda _: _deleted(request),
        again=("me.html", lambda raw: _account(web, actor)),
    )


@router.post(
    "/api/v1/me/delete",
    tags=TAGS,
    status_code=204,
    summary="Delete my account and all my records",
    responses=_WRITES,
)
def delete_api(request: Request, web: Web, actor: CurrentUser, body: PasswordConfirm) -> Response:
    web.accounts.delete_account(actor, body.password)
    sign_out(request)
    return Response(status_code=204)


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    """The offline worker (static/sw.js), served from the root so it covers every page."""
    return Response(_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"})
