"""Calendar reminders through the web doors: the link made at /me (form and API), the feed
at its secret address without signing in (read back with icalendar: RFC 5545 events with
UID, DTSTAMP and DTSTART, the next 14 days, the morning check-in after each session, loaded
sessions 48 h apart, one "on hold" event while stopped), a new link or "Turn off" ending
the old one, and the e-mail choice."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.db.tables import ReminderRow
from hingecoach.catalog import Catalog
from hingecoach.settings import load_settings
from hingecoach.web import create_app

from .conftest import (
    PASSWORD,
    START,
    TODAY,
    csrf,
    make_client,
    post_form,
    sign_up,
    start_learner,
)
from .test_accessibility import _axe_or_skip, _violations
from .test_browser import PHONE, _pain, _sign_up
from .test_browser import browser as browser  # the fixtures, shared
from .test_browser import server as server

_URL = re.compile(r'value="(http://testserver/calendar/[^"]+\.ics)"')


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def _link(client: TestClient) -> str:
    made = client.post("/api/v1/me/calendar")
    assert made.status_code == 201, made.text
    url: str = made.json()["url"]
    assert made.json()["subscribe"] == "webcal://" + url.removeprefix("http://")
    return url


def _events(feed: Any) -> list[Any]:
    return list(icalendar.Calendar.from_ical(feed.content).walk("VEVENT"))


def _days(events: list[Any], summary: str) -> list[date]:
    return [e.decoded("DTSTART") for e in events if str(e["SUMMARY"]).startswith(summary)]


@pytest.fixture
def app(store: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    """A calendar app: no cookies, no sign-in."""
    with make_client(store, catalog, tmp_path) as c:
        yield c


def test_the_feed_opens_without_signing_in_as_a_valid_calendar(
    client: TestClient, app: TestClient
) -> None:
    start_learner(client)
    url = _link(client)

    feed = app.get(_path(url))

    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["cache-control"] == "no-store"
    calendar = icalendar.Calendar.from_ical(feed.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = _events(feed)
    assert events
    for event in events:
        assert event.get("UID")
        assert event.get("DTSTAMP")
        assert event.get("DTSTART")
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_the_feed_plans_the_next_14_days_with_the_dose_and_a_check_in_the_morning_after(
    client: TestClient, app: TestClient
) -> None:
    start_learner(client)  # new to the hinge: the first step, unloaded, daily
    rx = client.get("/api/v1/today").json()["prescription"]

    events = _events(app.get(_path(_link(client))))

    sessions = _days(events, "Hinge practice")
    checkins = _days(events, "Morning check-in")
    assert sessions == [TODAY + timedelta(days=n) for n in range(14)]
    assert checkins == [d + timedelta(days=1) for d in sessions[:-1]]
    first = next(e for e in events if str(e["SUMMARY"]).startswith("Hinge practice"))
    assert str(first["SUMMARY"]) == f"Hinge practice: {rx['name']}"
    text = str(first["DESCRIPTION"])
    assert rx["how_many"] in text
    assert rx["how_often"] in text
    assert "http://testserver/today" in text


def test_loaded_sessions_are_never_less_than_48_hours_apart(
    client: TestClient, app: TestClient
) -> None:
    sign_up(client, "ana@example.com")
    kit = ["mat", "wall", "dowel", "band", "anchor"]
    start = START | {"experience": "lifter", "pain_now": "2", "equipment": kit}
    assert post_form(client, "/start", start, "/start").status_code == 200
    rx = client.get("/api/v1/today").json()["prescription"]
    assert rx["load_unit"] is not None  # placed at the first loaded step
    url = _link(client)
    logged = client.post(
        "/api/v1/sessions",
        json={"pain_before": 1, "pain_during": 2, "pain_after": 1, "reps": [8, 8]},
    )
    assert logged.status_code == 201, logged.text

    events = _events(app.get(_path(url)))

    sessions = _days(events, "Hinge practice")
    assert sessions
    assert sessions[0] == TODAY + timedelta(days=2)
    assert all(b - a >= timedelta(days=2) for a, b in itertools.pairwise(sessions))
    assert TODAY + timedelta(days=1) in _days(events, "Morning check-in")  # after today's
    first = next(e for e in events if str(e["SUMMARY"]).startswith("Hinge practice"))
    assert "at least 48 hours apart" in str(first["DESCRIPTION"])


def test_a_stopped_programme_shows_one_event_on_hold_and_no_sessions(
    client: TestClient, app: TestClient
) -> None:
    start_learner(client)
    url = _link(client)
    stopped = client.post("/api/v1/screens", json={"flags": ["S-A5"]})
    assert stopped.status_code in (200, 201), stopped.text

    [event] = _events(app.get(_path(url)))

    assert str(event["SUMMARY"]) == "Programme on hold: see a clinician"
    assert event.decoded("DTSTART") == TODAY
    assert "coaching aid, not a diagnosis" in str(event["DESCRIPTION"])


def test_an_unknown_link_is_not_found_as_json(app: TestClient) -> None:
    for secret in ("nope", "x" * 300):
        answer = app.get(f"/calendar/{secret}.ics")
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"


def test_a_new_link_stops_the_old_one_and_turning_it_off_stops_every_one(
    client: TestClient, app: TestClient
) -> None:
    start_learner(client)
    old = _link(client)
    new = _link(client)
    assert old != new
    assert app.get(_path(old)).status_code == 404
    assert app.get(_path(new)).status_code == 200

    assert client.post("/api/v1/me/calendar/revoke").status_code == 204

    assert app.get(_path(new)).status_code == 404
    assert client.get("/api/v1/me/reminders").json()["reminders"]["calendar_on"] is False


def test_only_a_hash_of_the_secret_is_stored(client: TestClient, store: Store) -> None:
    start_learner(client)
    secret = _path(_link(client)).removeprefix("/calendar/").removesuffix(".ics")

    with store.session() as db:
        row = db.scalars(select(ReminderRow)).one()
        stored = [str(getattr(row, c.key)) for c in ReminderRow.__table__.columns]

    assert row.calendar_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in value for value in stored)


def test_the_account_page_makes_shows_once_replaces_and_turns_off_the_link(
    client: TestClient, app: TestClient
) -> None:
    start_learner(client)
    assert "/me/reminders" in client.get("/me").text
    page = client.get("/me/reminders")
    assert "Make my calendar link" in page.text

    made = post_form(client, "/me/calendar", {}, "/me/reminders")
    assert made.status_code == 200, made.text
    found = _URL.search(made.text)
    assert found
    assert "shown only this once" in made.text
    assert app.get(_path(found.group(1))).status_code == 200

    page = client.get("/me/reminders").text
    assert "Stop this link and make a new one" in page
    assert "Turn off" in page
    assert found.group(1) not in page  # shown once only

    off = post_form(client, "/me/calendar/revoke", {}, "/me/reminders")
    assert off.status_code == 303
    assert app.get(_path(found.group(1))).status_code == 404
    assert "Make my calendar link" in client.get(off.headers["location"]).text


def test_a_calendar_form_without_the_csrf_token_changes_nothing(client: TestClient) -> None:
    start_learner(client)

    refused = client.post("/me/calendar", data={"csrf_token": "forged"})

    assert refused.status_code == 403
    assert client.get("/api/v1/me/reminders").json()["reminders"]["calendar_on"] is False


def test_a_clinician_has_no_calendar_link(client: TestClient) -> None:
    sign_up(client, "lee@example.com", role="clinician")

    assert client.post("/api/v1/me/calendar").status_code == 403
    assert client.get("/api/v1/me/reminders").status_code == 403


def test_without_smtp_the_page_says_email_is_not_set_up(client: TestClient) -> None:
    start_learner(client)

    page = client.get("/me/reminders").text

    assert "E-mail reminders are not set up on this server." in page
    assert 'name="email"' not in page
    assert client.get("/api/v1/me/reminders").json()["reminders"]["email_available"] is False


@pytest.fixture
def mailing(store: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    """A server with e-mail set up and its public address named."""
    env = {
        "HINGE_DATA_DIR": str(tmp_path / "data"),
        "HINGE_SMTP_HOST": "mail.example.org",
        "HINGE_SMTP_FROM": "coach@example.org",
        "HINGE_BASE_URL": "https://coach.example.org",
    }
    settings = replace(load_settings(env=env), today_override=TODAY, database_url=store.url)
    with TestClient(create_app(settings, store, catalog), follow_redirects=False) as c:
        yield c


def test_a_learner_ticks_email_reminders_on_the_account_page(mailing: TestClient) -> None:
    start_learner(mailing)
    page = mailing.get("/me/reminders").text
    assert "E-mail me a reminder on session days" in page

    saved = post_form(mailing, "/me/reminders", {"email": "true"}, "/me/reminders")
    assert saved.status_code == 303
    assert "checked" in mailing.get(saved.headers["location"]).text
    assert mailing.get("/api/v1/me/reminders").json()["reminders"]["email"] is True

    token = csrf(mailing, "/me/reminders")
    unticked = mailing.post("/me/reminders", data={"csrf_token": token})  # a box left unticked
    assert unticked.status_code == 303
    answer = mailing.post("/api/v1/me/reminders", json={"email": False})
    assert answer.json() == mailing.get("/api/v1/me/reminders").json()["reminders"]
    assert answer.json()["email"] is False


def test_links_name_the_base_url_when_it_is_set(mailing: TestClient) -> None:
    start_learner(mailing)

    url = mailing.post("/api/v1/me/calendar").json()["url"]
    feed = mailing.get(url.removeprefix("https://coach.example.org"))

    assert url.startswith("https://coach.example.org/calendar/")
    assert "https://coach.example.org/today" in feed.text.replace("\r\n ", "")


def test_deleting_the_account_ends_its_link(client: TestClient, app: TestClient) -> None:
    start_learner(client)
    url = _link(client)

    deleted = client.post("/api/v1/me/delete", json={"password": PASSWORD})

    assert deleted.status_code == 204
    assert app.get(_path(url)).status_code == 404


def test_a_clinicians_longer_gap_between_loaded_sessions_moves_the_plan(
    client: TestClient, other: TestClient, app: TestClient
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    code = other.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(client, invite_code=code)
    url = "/api/v1" + other.get("/api/v1/clinic").json()["learners"][0]["url"]
    step = other.post(f"{url}/step", json={"step": 5, "reason": "lifts well already"})
    assert step.status_code == 200, step.text
    gap = {"field": "loaded_gap_days", "value": 3, "reason": "slow to recover"}
    assert other.post(f"{url}/policy", json=gap).status_code == 200
    assert client.get("/api/v1/today").json()["prescription"]["load_unit"] is not None

    events = _events(app.get(_path(_link(client))))

    assert _days(events, "Hinge practice") == [TODAY + timedelta(days=n) for n in range(0, 14, 3)]
    first = next(e for e in events if str(e["SUMMARY"]).startswith("Hinge practice"))
    assert "at least 72 hours apart" in str(first["DESCRIPTION"])


@pytest.mark.slow
def test_the_reminders_part_of_my_account_has_no_accessibility_violation(
    server: str, browser: Any
) -> None:
    axe = _axe_or_skip()
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    _sign_up(page, server, "ana@example.com")
    page.wait_for_url(f"{server}/start")
    page.get_by_label("None of these").check()
    _pain(page, "How much pain do you have right now?", 3)
    page.get_by_role("button", name="Find my first step").click()
    page.get_by_role("heading", name="Your first step: step 1").wait_for()

    page.goto(f"{server}/me")
    page.get_by_role("link", name="Set up calendar and e-mail reminders").click()
    assert _violations(page, axe) == [], "/me/reminders"
    page.get_by_role("button", name="Make my calendar link").click()
    link = page.get_by_label("Calendar link").input_value()
    assert link.startswith(f"{server}/calendar/")
    assert _violations(page, axe) == [], "the new link"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
