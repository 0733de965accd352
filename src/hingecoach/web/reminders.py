"""Reminders: the private calendar feed, its link, and e-mail on session days.

The feed (`/calendar/<secret>.ics`) is the one page that needs no sign-in, because calendar
apps cannot sign in: the secret in its address is the key. Only a SHA-256 hash of the secret
is stored, so the link is shown once, when it is made; making a new one stops the old.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hingecoach.schemas.accounts import AccountPublic
from hingecoach.schemas.errors import errors, file_answer
from hingecoach.schemas.inputs import Empty
from hingecoach.schemas.reminders import (
    CalendarLinkPublic,
    EmailReminders,
    RemindersPage,
    RemindersPublic,
)
from hingecoach.services.accounts import Actor
from hingecoach.services.reminders import Reminders
from hingecoach.web.context import App, Learner, Web
from hingecoach.web.pages import page, submit
from hingecoach.web.render import respond

__all__ = ["reminders_page", "router"]

router = APIRouter()
TAGS: list[Any] = ["reminders"]
_WRITES = errors(400, 401, 403, 409, 413, 422)
ICS = "text/calendar; charset=utf-8"


def _service(web: App) -> Reminders:
    return Reminders(web.uow, web.ladders, web.today())


def _base(request: Request, web: App) -> str:
    """HINGE_BASE_URL, else the address this request came to (docs/deploy.md: behind a
    proxy, set HINGE_BASE_URL so links name the public address)."""
    return web.settings.base_url or str(request.base_url).rstrip("/")


def _reminders(web: App, actor: Actor) -> RemindersPublic:
    choices = _service(web).choices(actor.id)
    return RemindersPublic.of(choices, email_available=web.settings.smtp is not None)


def reminders_page(
    web: App, actor: Actor, calendar: CalendarLinkPublic | None = None
) -> RemindersPage:
    """The account page's data with the reminders (what /me shows in its reminders part)."""
    account = AccountPublic.of(actor, web.accounts.clinic_name(actor.clinic_id))
    return RemindersPage.with_reminders(account, _reminders(web, actor), calendar)


@page(router, "/me/reminders", "me.html", tags=TAGS)
def my_reminders(request: Request, web: Web, actor: Learner) -> RemindersPage:
    """My account page with my calendar link and e-mail reminder choices."""
    return reminders_page(web, actor)


# -- the calendar link -----------------------------------------------------------------------


def _new_link(request: Request, web: App, actor: Actor) -> CalendarLinkPublic:
    return CalendarLinkPublic.of(_base(request, web), _service(web).new_calendar(actor.id))


def _shown_once(request: Request, web: App, actor: Actor, link: CalendarLinkPublic) -> Response:
    return respond(request, "me.html", reminders_page(web, actor, link))


@router.post("/me/calendar", include_in_schema=False)
async def calendar_form(request: Request, web: Web, actor: Learner) -> Response:
    return await submit(
        request,
        model=Empty,
        act=lambda form: _new_link(request, web, actor),
        done=lambda link: _shown_once(request, web, actor, link),
        again=("me.html", lambda raw: reminders_page(web, actor)),
    )


@router.post(
    "/api/v1/me/calendar",
    tags=TAGS,
    status_code=201,
    summary="Make my calendar link (a new one stops the old); its address is shown only now",
    responses=_WRITES,
)
def calendar_api(request: Request, web: Web, actor: Learner) -> CalendarLinkPublic:
    return _new_link(request, web, actor)


@router.post("/me/calendar/revoke", include_in_schema=False)
async def revoke_form(request: Request, web: Web, actor: Learner) -> Response:
    return await submit(
        request,
        model=Empty,
        act=lambda form: _service(web).stop_calendar(actor.id),
        done=lambda _: "/me/reminders?changed=calendar",
        again=("me.html", lambda raw: reminders_page(web, actor)),
    )


@router.post(
    "/api/v1/me/calendar/revoke",
    tags=TAGS,
    status_code=204,
    summary="Turn my calendar link off",
    responses=_WRITES,
)
def revoke_api(web: Web, actor: Learner) -> Response:
    _service(web).stop_calendar(actor.id)
    return Response(status_code=204)


# -- e-mail on session days --------------------------------------------------------------------


@router.post("/me/reminders", include_in_schema=False)
async def email_form(request: Request, web: Web, actor: Learner) -> Response:
    return await submit(
        request,
        model=EmailReminders,
        act=lambda form: _service(web).set_email(actor.id, form.email),
        done=lambda _: "/me/reminders?changed=email",
        again=("me.html", lambda raw: reminders_page(web, actor)),
    )


@router.post(
    "/api/v1/me/reminders",
    tags=TAGS,
    summary="E-mail me a reminder on session days, or stop",
    responses=_WRITES,
)
def email_api(web: Web, actor: Learner, body: EmailReminders) -> RemindersPublic:
    choices = _service(web).set_email(actor.id, body.email)
    return RemindersPublic.of(choices, email_available=web.settings.smtp is not None)


# -- the feed: no sign-in, the secret is the key -------------------------------------------------


@router.get(
    "/calendar/{secret}.ics",
    tags=TAGS,
    summary="My sessions and check-ins of the next 14 days, for a calendar app",
    response_class=Response,
    responses=file_answer("text/calendar", 404, 422),
)
def calendar_feed(request: Request, web: Web, secret: str) -> Response:
    stamp = datetime.now(UTC)
    body = _service(web).feed(secret, stamp, _base(request, web))
    headers = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
    return Response(body, media_type=ICS, headers=headers)
