"""A real browser (Debian's Chromium, driven by Playwright) against the real server.

Walks a learner from sign-up through onboarding, a timed session, a log, a check-in and the
history page, and a clinician through an invite and a step override, on SQLite and on
PostgreSQL. Screenshots at phone (390x844) and desktop sizes go to
test-artifacts/screenshots/. Locally the tests skip when Chromium is missing; under CI=true
they fail instead (`make install` installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from hingecoach.adapters.db.store import Store
from hingecoach.catalog import Catalog
from hingecoach.settings import Settings, load_settings
from hingecoach.web import create_app
from hingecoach.web.account import worker_cache
from tests.vision.conftest import VIDEOS, shared_or_skip

from .conftest import LEARNER_PAGES, PASSWORD, TODAY

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Chromium as the machine allows it: no sandbox as root, no calls home on a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but Chromium is not at {CHROMIUM}: `make install` installs it")
    pytest.skip(f"Chromium not installed at {CHROMIUM} (`make install` installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(
    settings: Settings, store: Store, catalog: Catalog, port: int | None = None
) -> Iterator[str]:
    port = port or _free_port()
    config = uvicorn.Config(
        create_app(settings, store, catalog), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def _settings(store: Store, tmp_path: Path) -> Settings:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    return replace(
        settings, today_override=TODAY, database_url=store.url, upload_dir=tmp_path / "uploads"
    )


@pytest.fixture
def server(store: Store, catalog: Catalog, tmp_path: Path) -> Iterator[str]:
    with _serving(_settings(store, tmp_path), store, catalog) as base:
        yield base


@contextmanager
def _worker(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """A real `hinge worker` on the server's queue, as `make run` starts one."""
    env = dict(
        os.environ,
        HINGE_DATABASE_URL=settings.database_url,
        HINGE_DATA_DIR=str(settings.data_dir),
        HINGE_UPLOAD_DIR=str(settings.uploads),
        HINGE_TODAY=TODAY.isoformat(),
    )
    command = [str(Path(sys.executable).parent / "hinge"), "worker"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture
def browser() -> Iterator[object]:
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=ARGS)
        yield chromium
        chromium.close()


def _shot(page: object, name: str, request: pytest.FixtureRequest) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    db = request.node.callspec.params.get("db_url", "db")
    page.screenshot(path=str(ARTIFACTS / f"{db}-{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _sign_up(page: object, base: str, email: str, role: str = "learner", invite: str = "") -> None:
    p: object = page
    p.goto(f"{base}/signup" + (f"?invite={invite}" if invite else ""))  # type: ignore[attr-defined]
    p.get_by_label("Your name").fill(email.split("@")[0].title())  # type: ignore[attr-defined]
    p.get_by_label("Email").fill(email)  # type: ignore[attr-defined]
    p.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    if role == "clinician":
        p.get_by_label("A clinician or coach").check()  # type: ignore[attr-defined]
        p.get_by_label("Clinic name").fill("Riverside Physio")  # type: ignore[attr-defined]
    p.get_by_role("button", name="Create account").click()  # type: ignore[attr-defined]


def _pain(page: object, legend: str, value: int) -> None:
    group = page.get_by_role("group", name=legend)  # type: ignore[attr-defined]
    group.get_by_role("radio", name=str(value), exact=True).check()


def test_a_learner_goes_from_sign_up_to_history_on_a_phone(
    server: str, browser: object, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.clock.install()
    _sign_up(page, server, "ana@example.com")
    page.wait_for_url(f"{server}/start")
    _shot(page, "phone-1-onboarding", request)

    page.get_by_label("None of these").check()
    _pain(page, "How much pain do you have right now?", 3)
    page.get_by_role("button", name="Find my first step").click()
    page.get_by_role("heading", name="Your first step: step 1").wait_for()
    _shot(page, "phone-2-placed", request)

    page.get_by_role("link", name="See today's exercise").click()
    page.get_by_role("heading", name="Hero squat").wait_for()
    _shot(page, "phone-3-today", request)
    start = page.get_by_role("link", name="Start the timer").bounding_box()
    assert start["y"] + start["height"] <= PHONE["height"]  # today's card without scrolling

    page.get_by_role("link", name="Start the timer").click()
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(3000)
    assert page.locator("#phase").inner_text() == "Get ready"
    page.clock.run_for(5000)
    assert page.locator("#phase").inner_text() == "Work"
    _shot(page, "phone-4-timer", request)
    page.clock.run_for(200_000)
    page.locator("#done").wait_for()
    page.get_by_role("link", name="Log this session").click()

    _pain(page, "Pain before you started", 2)
    _pain(page, "Worst pain during the exercise", 3)
    _pain(page, "Pain just after", 2)
    for question in page.locator("fieldset.yesno").all():
        question.get_by_role("radio", name="Yes").check()
    _shot(page, "phone-5-log", request)
    save = page.get_by_role("button", name="Save and see what's next").bounding_box()
    assert save["y"] + save["height"] <= PHONE["height"]  # the whole log on one screen
    page.get_by_role("button", name="Save and see what's next").click()
    page.get_by_text("Your session is saved").wait_for()
    assert page.get_by_role("heading", name="Why").is_visible()
    _shot(page, "phone-6-decision", request)

    page.goto(f"{server}/checkin")
    _pain(page, "Pain this morning", 2)
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Your check-in is saved").wait_for()

    page.get_by_role("link", name="History").first.click()
    page.get_by_role("heading", name="History", exact=True).wait_for()
    for chart in page.locator("img.chart").all():
        chart.scroll_into_view_if_needed()
        assert chart.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    assert page.locator("table tbody tr").count() == 1
    _shot(page, "phone-7-history", request)
    context.close()


def test_a_clinician_invites_a_learner_and_overrides_the_step_at_a_desk(
    server: str, browser: object, request: pytest.FixtureRequest
) -> None:
    desk = browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    clinician = desk.new_page()
    _sign_up(clinician, server, "dr.lee@example.com", role="clinician")
    clinician.wait_for_url(f"{server}/clinic")
    clinician.get_by_role("button", name="Make an invite code").click()
    code = clinician.locator("#invite-code").inner_text()
    link = clinician.locator("#invite-link").get_attribute("href")
    assert link.endswith(f"invite={code}")
    _shot(clinician, "desktop-1-invite", request)

    phone = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    learner = phone.new_page()
    _sign_up(learner, server, "ana@example.com", invite=code)
    learner.wait_for_url(f"{server}/start")
    learner.get_by_label("None of these").check()
    _pain(learner, "How much pain do you have right now?", 2)
    learner.get_by_role("button", name="Find my first step").click()
    learner.get_by_role("heading", name="Your first step: step 1").wait_for()

    clinician.goto(f"{server}/clinic")
    clinician.get_by_role("link", name="Ana").click()
    clinician.locator("#step select[name=step]").select_option("4")
    clinician.locator("#step").get_by_label("Why").fill("deadlifts without pain already")
    clinician.get_by_role("button", name="Set step").click()
    clinician.get_by_text("Saved.").wait_for()
    assert "deadlifts without pain already" in clinician.content()
    _shot(clinician, "desktop-2-learner", request)

    learner.goto(f"{server}/today")
    assert "step 4 of 10" in learner.locator(".eyebrow").first.inner_text()
    _shot(learner, "phone-8-after-override", request)
    clinician.goto(f"{server}/clinic")
    _shot(clinician, "desktop-3-roster", request)
    desk.close()
    phone.close()


def test_a_learner_films_a_set_and_it_counts_on_a_phone(
    store: Store, catalog: Catalog, tmp_path: Path, browser: object, request: pytest.FixtureRequest
) -> None:
    clip = shared_or_skip(VIDEOS / "kbtrainer_bomDia.mp4")  # a hinge, side on, four reps
    settings = _settings(store, tmp_path)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)  # type: ignore[attr-defined]
    page = context.new_page()
    with _serving(settings, store, catalog) as server, _worker(settings):
        _sign_up(page, server, "ana@example.com")
        page.get_by_label("None of these").check()
        _pain(page, "How much pain do you have right now?", 2)
        page.get_by_label("Some: bodyweight work or hinges, without pain").check()
        for kit in ("wall", "mat", "dowel"):
            page.locator(f"input[name=equipment][value={kit}]").check()
        page.get_by_role("button", name="Find my first step").click()
        page.goto(f"{server}/log")
        _pain(page, "Pain before you started", 1)
        _pain(page, "Worst pain during the exercise", 2)
        _pain(page, "Pain just after", 1)
        page.get_by_text("as planned").click()  # the sets, filled in from the plan, unfolded
        for box in page.locator("input[name=reps]").all():
            box.fill("10")
        for question in page.locator("fieldset.yesno").all():
            question.get_by_role("radio", name="Yes").check()
        page.get_by_role("button", name="Save and see what's next").click()
        page.get_by_text("Your session is saved").wait_for()

        page.goto(f"{server}/today")
        card = page.locator("#camera")
        card.get_by_text("How to film").click()
        assert card.locator("input[type=file]").get_attribute("capture") == "environment"
        _shot(page, "phone-9-film", request)
        card.locator("input[type=file]").set_input_files(str(clip))
        card.get_by_role("button", name="Send the clip").click()
        page.locator("#progress progress").wait_for()  # the page follows the job
        _shot(page, "phone-10-progress", request)
        page.get_by_text("What the camera saw").wait_for(timeout=120_000)
        assert page.locator("p.big").inner_text().startswith("4 reps")
        for frame in page.locator(".frames img").all():
            assert frame.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        _shot(page, "phone-11-report", request)
        assert list(settings.uploads.iterdir()) == []  # the raw clip is gone

        page.get_by_role("button", name="Add to today's session").click()
        page.get_by_text("Your form check is saved").wait_for()
        _shot(page, "phone-12-attached", request)

    tomorrow = replace(settings, today_override=TODAY + timedelta(days=1))
    with _serving(tomorrow, store, catalog) as morning:  # the same cookie: the next morning
        page.goto(f"{morning}/checkin")
        _pain(page, "Pain this morning", 1)
        page.get_by_role("button", name="Save check-in").click()
        page.get_by_text("Your check-in is saved").wait_for()
        detail = page.locator("section.decision details.in-detail")
        assert not detail.get_by_text("V1").is_visible()  # rule ids stay folded away
        detail.get_by_text("Why, in detail").click()
        assert "V1" in detail.inner_text()  # the camera counted
        _shot(page, "phone-13-decision", request)
    context.close()


def test_no_learner_page_scrolls_sideways_on_a_phone(
    server: str, browser: object, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_up(page, server, "ana.with.a.rather.long.address@example.com")
    page.get_by_label("None of these").check()
    _pain(page, "How much pain do you have right now?", 3)
    page.get_by_role("button", name="Find my first step").click()
    page.get_by_role("heading", name="Your first step: step 1").wait_for()

    page.goto(f"{server}/today")
    figure = page.get_by_role("img", name="Hero squat: a figure shows one rep", exact=False)
    assert figure.locator("animate").count() > 0  # it moves
    assert page.locator("svg.demo .still").is_hidden()
    page.emulate_media(reduced_motion="reduce")
    assert page.locator("svg.demo .still").is_visible()  # a still for reduced motion
    assert page.locator("svg.demo .moving").is_hidden()
    page.emulate_media(reduced_motion="no-preference")

    for path in LEARNER_PAGES:
        page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    assert page.locator("h1").inner_text() == "There is no such page"
    assert page.get_by_text("There is no such page").count() == 1  # said once, not three times
    _shot(page, "phone-14-not-found", request)
    context.close()


def test_a_learner_trains_and_logs_with_the_network_cut(
    store: Store, catalog: Catalog, tmp_path: Path, browser: object, request: pytest.FixtureRequest
) -> None:
    """The server goes away (as when the phone loses its network) and comes back: today,
    the timer and the log still open, a session logged meanwhile waits on the phone and is
    sent once when the network returns, with the decision shown then."""
    from playwright.sync_api import expect

    settings, port = _settings(store, tmp_path), _free_port()
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    with _serving(settings, store, catalog, port) as server:
        _sign_up(page, server, "ana@example.com")
        page.get_by_label("None of these").check()
        _pain(page, "How much pain do you have right now?", 3)
        page.get_by_role("button", name="Find my first step").click()
        page.goto(f"{server}/today")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now the worker controls the page, and has kept today's pages
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.wait_for_function(
            f"caches.open('{worker_cache()}').then(c => c.keys()).then(k => k.length >= 10)"
        )

    # -- no network --
    page.goto(f"{server}/today")
    page.get_by_role("heading", name="Hero squat").wait_for()
    page.goto(f"{server}/timer")
    page.get_by_role("button", name="Start").wait_for()
    page.goto(f"{server}/log")
    _pain(page, "Pain before you started", 2)
    _pain(page, "Worst pain during the exercise", 3)
    _pain(page, "Pain just after", 2)
    for question in page.locator("fieldset.yesno").all():
        question.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Save and see what's next").click()
    page.get_by_text("Your session is saved on this phone").wait_for()
    _shot(page, "phone-15-offline-saved", request)
    page.goto(f"{server}/checkin")  # the kept form, visited twice: two check-ins
    _pain(page, "Pain this morning", 1)
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Your check-in is saved on this phone").wait_for()
    page.goto(f"{server}/checkin")  # the next morning, still with no network
    _pain(page, "Pain this morning", 2)
    page.get_by_text("Any new warning signs?").click()
    page.locator("input[name=flags]").first.check()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_role("heading", name="You ticked a warning sign: stop the exercises").wait_for()
    assert page.get_by_role("link", name="Call").get_attribute("href").startswith("tel:")
    assert _sessions(store) == 0

    # -- the network is back --
    with _serving(settings, store, catalog, port) as server:
        page.goto(f"{server}/today")
        told = page.locator("p.sent")
        expect(told).to_have_count(3, timeout=20_000)
        said = told.all_inner_texts()
        assert "Your session saved on this phone has been sent. Next: Stay on this step." in said
        sent = [s for s in said if "Your check-in saved on this phone has been sent" in s]
        assert len(sent) == 2, said  # each visit to the kept form had a token of its own
        _shot(page, "phone-16-sent", request)
        page.reload()  # another flush finds nothing left to send
        # the warning sign reached the server: the programme is stopped, on the fresh page
        page.get_by_role("heading", name="Your programme is stopped").wait_for()
        page.wait_for_timeout(500)
        assert page.locator("p.sent").count() == 0
    assert _sessions(store) == 1
    assert _count(store, "checkins") == 2
    context.close()


def _sessions(store: Store) -> int:
    return _count(store, "sessions")


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_the_log_fits_one_phone_screen_in_spanish(
    server: str, browser: object, request: pytest.FixtureRequest
) -> None:
    """Spanish words run longer than English: the log must still fit one screen."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, device_scale_factor=2, has_touch=True, locale="es-ES"
    )
    page = context.new_page()
    body = {"email": "lucia@example.com", "password": PASSWORD, "name": "Lucía", "role": "learner"}
    assert page.request.post(f"{server}/api/v1/signup", data=body).status == 201
    started = page.request.post(
        f"{server}/api/v1/start", data={"pain_now": 2, "none_of_these": True}
    )
    assert started.status == 201, started.text()
    page.goto(f"{server}/log")
    assert page.locator("html").get_attribute("lang") == "es"
    _pain(page, "Dolor antes de empezar", 2)
    _pain(page, "Dolor máximo durante el ejercicio", 3)
    _pain(page, "Dolor justo después", 2)
    for question in page.locator("fieldset.yesno").all():
        question.get_by_role("radio", name="Sí").check()
    _shot(page, "phone-5-log-es", request)
    save = page.locator("form.log button[type=submit]").bounding_box()
    assert save["y"] + save["height"] <= PHONE["height"]  # the whole log on one screen
    context.close()
