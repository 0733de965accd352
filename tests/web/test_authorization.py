"""Who may open what: every route of the app, for every kind of visitor.

The visitors: nobody signed in, a learner, a clinician of the learner's clinic, a clinician
of another clinic, and an admin. Each route is declared for an audience below; a route the
table does not name fails the first test, so a new route is classified before it ships.
A refusal is 401 (or, for a page, the way to the sign-in page) without a session, 403 for
the wrong role, and 403 or 404 for another clinic's learner. An allowed visitor is never
refused, whatever the body they send (an empty one gets 422, not 403).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from hingecoach.adapters.db.store import Store, open_store, sqlite_url
from hingecoach.catalog import builtin_catalog
from hingecoach.services.accounts import Accounts
from hingecoach.services.uow import sql
from hingecoach.settings import load_settings
from hingecoach.web import create_app
from hingecoach.web.app import ROUTED
from tests.vision.corpus import CORPUS

from .conftest import PASSWORD, TODAY, start_learner

PUBLIC, SIGNED_IN, LEARNER, STAFF, CARE = "public", "signed in", "learner", "staff", "care"
AUDIENCE = {
    "/sw.js": PUBLIC,
    "/": PUBLIC,
    "/signup": PUBLIC,
    "/api/v1/signup": PUBLIC,
    "/login": PUBLIC,
    "/api/v1/login": PUBLIC,
    "/logout": PUBLIC,  # signing out without a session is a harmless no-op
    "/api/v1/logout": PUBLIC,
    "/me": SIGNED_IN,
    "/api/v1/me": SIGNED_IN,
    "/account/password": SIGNED_IN,
    "/api/v1/account/password": SIGNED_IN,
    "/me/join": SIGNED_IN,
    "/api/v1/me/join": SIGNED_IN,
    "/me/export.json": SIGNED_IN,
    "/me/export.csv": SIGNED_IN,
    "/me/report.pdf": SIGNED_IN,
    "/me/export.fhir.json": SIGNED_IN,
    "/me/delete": SIGNED_IN,
    "/api/v1/me/delete": SIGNED_IN,
    "/start": LEARNER,
    "/api/v1/start": LEARNER,
    "/today": LEARNER,
    "/api/v1/today": LEARNER,
    "/timer": LEARNER,
    "/api/v1/timer": LEARNER,
    "/log": LEARNER,
    "/api/v1/log": LEARNER,
    "/api/v1/sessions": LEARNER,
    "/checkin": LEARNER,
    "/language": PUBLIC,  # anyone may choose the language they read in
    "/api/v1/me/language": SIGNED_IN,
    "/kit": LEARNER,
    "/api/v1/kit": LEARNER,
    "/questionnaires": LEARNER,
    "/api/v1/questionnaires": LEARNER,
    "/questionnaires/{measure}": LEARNER,
    "/api/v1/questionnaires/{measure}": LEARNER,
    "/api/v1/clinic/learners/{learner_id}/questionnaires": CARE,
    "/api/v1/checkin": LEARNER,
    "/api/v1/checkins": LEARNER,
    "/screen": LEARNER,
    "/api/v1/screen": LEARNER,
    "/api/v1/screens": LEARNER,
    "/history": LEARNER,
    "/api/v1/history": LEARNER,
    "/charts/{kind}.svg": LEARNER,
    "/ladder": LEARNER,
    "/api/v1/ladder": LEARNER,
    "/form-checks": LEARNER,
    "/api/v1/form-checks": LEARNER,
    "/form-checks/new": LEARNER,
    "/form-checks/live": LEARNER,
    "/api/v1/form-checks/live": LEARNER,
    "/pose/{name}": PUBLIC,  # the browser's pose model: the same published files for all
    "/form-checks/{check_id}": LEARNER,
    "/api/v1/form-checks/{check_id}": LEARNER,
    "/form-checks/{check_id}/chart.svg": LEARNER,
    "/form-checks/{check_id}/attach": LEARNER,
    "/api/v1/form-checks/{check_id}/attach": LEARNER,
    "/clinic": STAFF,
    "/api/v1/clinic": STAFF,
    "/clinic/invites": STAFF,
    "/api/v1/clinic/invites": STAFF,
    "/clinic/ladders": STAFF,
    "/api/v1/clinic/ladders": STAFF,
    "/clinic/ladders/build": STAFF,
    "/api/v1/clinic/ladders/build": STAFF,
    "/clinic/learners/{learner_id}": CARE,
    "/api/v1/clinic/learners/{learner_id}": CARE,
    "/clinic/learners/{learner_id}/charts/{kind}.svg": CARE,
    "/clinic/learners/{learner_id}/report.pdf": CARE,
    "/clinic/learners/{learner_id}/export.fhir.json": CARE,
    "/clinic/learners/{learner_id}/{change}": CARE,
    "/api/v1/clinic/learners/{learner_id}/step": CARE,
    "/api/v1/clinic/learners/{learner_id}/ladder": CARE,
    "/api/v1/clinic/learners/{learner_id}/clear": CARE,
    "/api/v1/clinic/learners/{learner_id}/policy": CARE,
    "/api/v1/clinic/learners/{learner_id}/notes": CARE,
    "/api/v1/clinic/learners/{learner_id}/form-checks": CARE,
    "/api/v1/clinic/learners/{learner_id}/form-checks/{check_id}": CARE,
    "/clinic/learners/{learner_id}/form-checks/{check_id}": CARE,
    "/clinic/learners/{learner_id}/form-checks/{check_id}/chart.svg": CARE,
    "/clinic/learners/{learner_id}/form-checks/{check_id}/video": CARE,
    "/clinic/learners/{learner_id}/form-checks/{check_id}/review": CARE,
    "/api/v1/clinic/learners/{learner_id}/form-checks/{check_id}/review": CARE,
    "/me/reminders": LEARNER,
    "/api/v1/me/reminders": LEARNER,
    "/me/calendar": LEARNER,
    "/api/v1/me/calendar": LEARNER,
    "/me/calendar/revoke": LEARNER,
    "/api/v1/me/calendar/revoke": LEARNER,
    # No sign-in (calendar apps cannot sign in): the secret in the address is the key, and
    # anyone holding it gets the feed, so PUBLIC is its audience. The visit makes the
    # learner a fresh link first (`_calendar_secret`); tests/web/test_reminders.py checks
    # that an unknown or turned-off one answers 404.
    "/calendar/{secret}.ics": PUBLIC,
}
VISITORS = ("nobody", "learner", "clinician", "other clinician", "admin")
# Who each audience lets in; everyone else is refused.
ALLOWED = {
    PUBLIC: set(VISITORS),
    SIGNED_IN: {"learner", "clinician", "other clinician", "admin"},
    LEARNER: {"learner"},
    STAFF: {"clinician", "other clinician", "admin"},
    CARE: {"clinician", "admin"},
}
ROUTES = sorted(
    (method, route.path)
    for module in ROUTED
    for route in module.router.routes
    for method in route.methods - {"HEAD"}  # type: ignore[attr-defined]
)
EMAILS = {
    "learner": "ana@example.com",
    "clinician": "lee@example.com",
    "other clinician": "kim@example.com",
    "admin": "root@example.com",
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class World:
    store: Store
    folder: Path
    learner_id: int


def _client(world: World) -> TestClient:
    settings = load_settings(env={"HINGE_DATA_DIR": str(world.folder / "data")})
    settings = replace(settings, today_override=TODAY, database_url=world.store.url)
    app = create_app(settings, world.store, builtin_catalog())
    return TestClient(app, follow_redirects=False)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("authz")
    store = open_store(sqlite_url(folder / "authz.db"))
    built = World(store, folder, 1)
    with _client(built) as lee, _client(built) as ana, _client(built) as kim:
        for who, email, clinic_name in (
            (lee, EMAILS["clinician"], "Riverside"),
            (kim, EMAILS["other clinician"], "Hillside"),
        ):
            body = {
                "email": email,
                "password": PASSWORD,
                "name": "Dr",
                "role": "clinician",
                "clinic_name": clinic_name,
            }
            assert who.post("/api/v1/signup", json=body).status_code == 201
        code = lee.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
        start_learner(ana, EMAILS["learner"], invite_code=code)
        assert lee.get("/api/v1/clinic/learners/1").status_code == 200  # Ana is learner 1
        clip = CORPUS["a 4-minute video"][0](folder)  # a real video file: it is queued
        with clip.open("rb") as handle:
            sent = ana.post(
                "/api/v1/form-checks",
                files={"video": ("clip.mp4", handle)},
                data={"keep_video": "true"},  # a clip the clinician may watch
            )
        assert sent.json()["id"] == 1  # Ana's form check 1, waiting for a worker
    Accounts(sql(store)).make_admin(EMAILS["admin"], PASSWORD, "Root", "Head office")
    yield built
    store.dispose()


def _calendar_secret(world: World) -> str:
    """The learner's calendar link, made afresh (a visit may have replaced the last one)."""
    with _client(world) as ana:
        body = {"email": EMAILS["learner"], "password": PASSWORD}
        assert ana.post("/api/v1/login", json=body).status_code == 200
        url: str = ana.post("/api/v1/me/calendar").json()["url"]
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def _visit(world: World, visitor: str, method: str, path: str) -> Response:
    secret = _calendar_secret(world) if "{secret}" in path else ""
    with _client(world) as browser:
        page = browser.get("/login")
        if visitor != "nobody":
            signed = browser.post(
                "/api/v1/login", json={"email": EMAILS[visitor], "password": PASSWORD}
            )
            assert signed.status_code == 200, signed.text
            page = browser.get("/login")
        found = _CSRF.search(page.text)
        token = found.group(1) if found else ""
        url = path.format(
            learner_id=world.learner_id,
            kind="pain",
            change="notes",
            check_id=1,
            measure="odi",
            secret=secret,
            name="pose_web.binarypb",
        )
        if method == "GET":
            return browser.get(url)
        if path.startswith("/api/"):
            return browser.post(url, json={})
        return browser.post(url, data={"csrf_token": token})


def _refused(answer: Response, path: str) -> bool:
    if answer.status_code in (401, 403, 404):
        return True
    # A page without a session leads to the sign-in page (where signing out leads, too).
    to_login = answer.status_code == 303 and answer.headers["location"].startswith("/login")
    return to_login and path != "/logout"


def test_every_route_is_given_an_audience() -> None:
    assert {path for _, path in ROUTES} == set(AUDIENCE)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_each_visitor_is_let_in_or_refused_as_the_route_says(
    world: World, method: str, path: str, visitor: str
) -> None:
    answer = _visit(world, visitor, method, path)
    allowed = visitor in ALLOWED[AUDIENCE[path]]

    if allowed:
        assert not _refused(answer, path), (answer.status_code, answer.text[:300])
    else:
        assert _refused(answer, path), (answer.status_code, answer.text[:300])
        if visitor == "nobody" and path.startswith("/api/"):
            assert answer.status_code == 401
        if visitor != "nobody" and AUDIENCE[path] in (LEARNER, STAFF):
            assert answer.status_code == 403  # signed in, wrong role
