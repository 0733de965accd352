"""Signing up, in and out, the password, and my data (export, join a clinic, delete)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hingecoach.errors import AuthError, ThrottledError, ValidationError
from hingecoach.services.accounts import Actor, Role, SignUp
from hingecoach.web.context import App, CurrentUser, Web, current_actor, sign_in, sign_out
from hingecoach.web.forms import (
    Empty,
    JoinClinic,
    LoginForm,
    PasswordChange,
    PasswordConfirm,
    SignUpForm,
    read_form,
)
from hingecoach.web.pages import page
from hingecoach.web.render import error_body, redirect, respond
from hingecoach.web.viewdata import account_data, countries_data, export_csv, export_data

__all__ = ["router"]

router = APIRouter()
TAGS: list[Any] = ["account"]


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


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    actor = current_actor(request)
    if actor is None:
        return respond(request, "welcome.html", {})
    return redirect(home_for(actor))


# -- sign up -----------------------------------------------------------------------


def _signup_page(request: Request) -> dict[str, Any]:
    return {
        "countries": countries_data(),
        "invite_code": request.query_params.get("invite", "")[:40],
    }


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


@router.get("/signup", include_in_schema=False)
async def signup_page(request: Request) -> Response:
    return respond(request, "signup.html", _signup_page(request))


@router.post("/signup", include_in_schema=False)
async def signup_form(request: Request, web: Web) -> Response:
    raw: dict[str, Any] = {}
    try:
        raw, form = await read_form(request, SignUpForm)
        actor = _sign_up(web, form)
    except ValidationError as exc:
        raw.pop("password", None)
        data = _signup_page(request) | {"error": error_body(exc), "values": raw}
        return respond(request, "signup.html", data, 422)
    sign_in(request, actor)
    return redirect(home_for(actor))


@router.post("/api/v1/signup", tags=TAGS, status_code=201, summary="Create an account and sign in")
async def signup_api(request: Request, web: Web, body: SignUpForm) -> dict[str, Any]:
    actor = _sign_up(web, body)
    sign_in(request, actor)
    return account_data(actor, web.accounts.clinic_name(actor.clinic_id))


# -- sign in and out ---------------------------------------------------------------------


@router.get("/login", include_in_schema=False)
async def login_page(request: Request) -> Response:
    return respond(
        request, "login.html", {"next": _safe_next(request.query_params.get("next"), "")}
    )


@router.post("/login", include_in_schema=False)
async def login_form(request: Request, web: Web) -> Response:
    raw: dict[str, Any] = {}
    target = _safe_next(request.query_params.get("next"), "")
    try:
        raw, form = await read_form(request, LoginForm)
        actor = web.accounts.sign_in(form.email, form.password)
    except (ValidationError, AuthError, ThrottledError) as exc:
        status = (
            429 if isinstance(exc, ThrottledError) else 401 if isinstance(exc, AuthError) else 422
        )
        data = {"error": error_body(exc), "values": {"email": raw.get("email", "")}, "next": target}
        return respond(request, "login.html", data, status)
    sign_in(request, actor)
    return redirect(_safe_next(target, home_for(actor)))


@router.post("/api/v1/login", tags=TAGS, summary="Sign in (sets the session cookie)")
async def login_api(request: Request, web: Web, body: LoginForm) -> dict[str, Any]:
    actor = web.accounts.sign_in(body.email, body.password)
    sign_in(request, actor)
    return account_data(actor, web.accounts.clinic_name(actor.clinic_id))


@router.post("/logout", include_in_schema=False)
async def logout_form(request: Request) -> Response:
    await read_form(request, Empty)
    sign_out(request)
    return redirect("/login")


@router.post("/api/v1/logout", tags=TAGS, status_code=204, summary="Sign out")
async def logout_api(request: Request) -> Response:
    sign_out(request)
    return Response(status_code=204)


# -- password and my data ------------------------------------------------------------------


@page(router, "/me", "me.html", tags=TAGS)
async def me(request: Request, web: Web, actor: CurrentUser) -> dict[str, Any]:
    """My account: clinic, exports, password, delete."""
    return account_data(actor, web.accounts.clinic_name(actor.clinic_id))


@router.post("/account/password", include_in_schema=False)
async def password_form(request: Request, web: Web, actor: CurrentUser) -> Response:
    try:
        _, form = await read_form(request, PasswordChange)
        updated = web.accounts.change_password(actor, form.current_password, form.new_password)
    except ValidationError as exc:
        data = account_data(actor, web.accounts.clinic_name(actor.clinic_id)) | {
            "error": error_body(exc)
        }
        return respond(request, "me.html", data, 422)
    sign_in(request, updated)  # this browser stays signed in; every other session ends
    return redirect("/me?changed=password")


@router.post("/api/v1/account/password", tags=TAGS, status_code=204, summary="Change my password")
async def password_api(
    request: Request, web: Web, actor: CurrentUser, body: PasswordChange
) -> Response:
    updated = web.accounts.change_password(actor, body.current_password, body.new_password)
    sign_in(request, updated)
    return Response(status_code=204)


@router.post("/me/join", include_in_schema=False)
async def join_form(request: Request, web: Web, actor: CurrentUser) -> Response:
    try:
        _, form = await read_form(request, JoinClinic)
        web.accounts.join_clinic(actor, form.invite_code)
    except ValidationError as exc:
        data = account_data(actor, web.accounts.clinic_name(actor.clinic_id)) | {
            "error": error_body(exc)
        }
        return respond(request, "me.html", data, 422)
    return redirect("/me?changed=clinic")


@router.post("/api/v1/me/join", tags=TAGS, summary="Join a clinic with an invite code")
async def join_api(web: Web, actor: CurrentUser, body: JoinClinic) -> dict[str, Any]:
    updated = web.accounts.join_clinic(actor, body.invite_code)
    return account_data(updated, web.accounts.clinic_name(updated.clinic_id))


def _export(web: App, actor: Actor) -> dict[str, Any]:
    status = web.coach(actor.learner_id).status() if actor.learner_id is not None else None
    return export_data(actor, status)


@router.get("/me/export.json", tags=TAGS, summary="Everything about me, as JSON")
async def export_json(web: Web, actor: CurrentUser) -> Response:
    body = json.dumps(_export(web, actor), indent=2, default=str)
    headers = {"Content-Disposition": 'attachment; filename="hingecoach-my-data.json"'}
    return Response(body, media_type="application/json", headers=headers)


@router.get("/me/export.csv", tags=TAGS, summary="Every logged set, as CSV")
async def export_csv_file(web: Web, actor: CurrentUser) -> Response:
    text = export_csv(web.coach(actor.learner_id).status()) if actor.learner_id is not None else ""
    headers = {"Content-Disposition": 'attachment; filename="hingecoach-sessions.csv"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/me/delete", include_in_schema=False)
async def delete_form(request: Request, web: Web, actor: CurrentUser) -> Response:
    try:
        _, form = await read_form(request, PasswordConfirm)
        web.accounts.delete_account(actor, form.password)
    except ValidationError as exc:
        data = account_data(actor, web.accounts.clinic_name(actor.clinic_id)) | {
            "error": error_body(exc)
        }
        return respond(request, "me.html", data, 422)
    sign_out(request)
    return respond(request, "deleted.html", {})


@router.post(
    "/api/v1/me/delete", tags=TAGS, status_code=204, summary="Delete my account and all my records"
)
async def delete_api(
    request: Request, web: Web, actor: CurrentUser, body: PasswordConfirm
) -> Response:
    web.accounts.delete_account(actor, body.password)
    sign_out(request)
    return Response(status_code=204)
