"""A form check reads in the reader's language, and so do the offline worker's notes.

Three checks: every text a stored report can hold (the catalog's faults, motion's tables,
the job's messages, the note) and every word of the offline notes has its Spanish with the
same placeholders, collected from where they are written so a new English text without
Spanish fails here; a check made in English reads in Spanish on a Spanish reader's pages
while English and the JSON API keep the English as stored; and, in a real browser with the
network gone, the worker's notes are in Spanish for a Spanish reader.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.adapters.locale import translator
from hingecoach.catalog import Catalog, builtin_catalog, check_spec_for
from hingecoach.errors import VIDEO_FAULTS
from hingecoach.language import speaking
from hingecoach.motion.analysis import REASONS, analyze
from hingecoach.motion.checks import DEFAULT_ADVICE, WHY_NOT
from hingecoach.schemas.video import HONESTY, VideoCheckPublic
from hingecoach.services.analysis import Analysis, analyse_keypoints
from hingecoach.services.form_checks import FAILED, STOPPED
from hingecoach.services.uow import sql
from hingecoach.settings import load_settings
from hingecoach.web import create_app
from hingecoach.web.account import worker_cache
from hingecoach.web.form_check_texts import PLAIN, TEMPLATES, VIDEO, VIEWS, said, said_report
from tests.vision.conftest import FIXTURES
from tests.vision.corpus import text as not_a_video

from .conftest import TODAY, post_form, sign_up
from .test_browser import ARGS, _chromium_or_skip, _free_port, _serving, _settings

SRC = Path(str(resources.files("hingecoach")))
PO = SRC / "locale" / "es" / "LC_MESSAGES" / "formcheck.po"
SPANISH = translator("es")
# Where the job and the pages mark the texts they store or show (N_).
MARKED = ("services/form_checks.py", "web/form_checks.py", "web/form_check_texts.py")


def _marked() -> list[str]:
    found = []
    for name in MARKED:
        keywords = {"_": None, "N_": None}
        found += [m for _l, m, _c, _x in extract_from_file("python", str(SRC / name), keywords)]
    return [m for m in found if isinstance(m, str)]


def _report_texts() -> list[str]:
    """Every English text a stored form check can show, from where each is written."""
    found = [HONESTY, *DEFAULT_ADVICE.values(), *TEMPLATES, *PLAIN, *VIEWS.values()]
    found += VIDEO.values()
    for exercise in builtin_catalog().exercises.values():
        found += [text for fault in exercise.faults for text in (fault.what, fault.fix)]
    return list(dict.fromkeys(found + _marked()))


TEXTS = _report_texts()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_texts_are_collected_from_where_they_are_written() -> None:
    assert len(TEXTS) > 100
    assert {REASONS["too_short"], WHY_NOT["other_view"], FAILED, STOPPED} <= set(TEXTS)
    assert "form check: it is already attached to a session" in TEXTS  # marked N_


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: t[:60])
def test_every_text_of_a_report_has_its_spanish_with_the_same_placeholders(text: str) -> None:
    spanish = SPANISH.gettext(text)
    assert spanish != text
    assert _fields(spanish) == _fields(text)


def test_every_video_fault_code_has_a_sentence() -> None:
    assert set(VIDEO) == set(VIDEO_FAULTS)


def test_each_translation_of_formcheck_po_keeps_its_placeholders() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    assert len(catalog) > 100
    for message in catalog:
        if message.id:
            assert message.string, message.id
            assert _fields(str(message.string)) == _fields(str(message.id)), message.id


# A value for each field of the templates, as motion and the job fill them in.
SAMPLES = {"seconds": "0.7", "percent": "45", "times": "3", "needed": "side", "seen": "front"}
SAID = {
    "0.7": "0,7",
    "45": "45",
    "3": "3",
    "side": "una vista lateral",
    "front": "una vista frontal",
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t[:60])
def test_a_stored_text_is_matched_to_its_template_and_said_with_its_values(
    template: str,
) -> None:
    values = {name: SAMPLES[name] for name in _fields(template)}
    stored = template.format(**values)

    assert said(stored) == stored  # English: as stored
    with speaking(SPANISH):
        spanish = said(stored)
    expected = SPANISH.gettext(template).format(**{k: SAID[v] for k, v in values.items()})
    assert spanish == expected


def test_a_text_no_one_wrote_for_stays_as_stored() -> None:
    with speaking(SPANISH):
        assert said("a comment of the clinician's own") == "a comment of the clinician's own"
        assert said("") == ""


# -- a finished check, on the pages -------------------------------------------------------


@pytest.fixture
def app(store: Store, catalog: Catalog, tmp_path: Path) -> FastAPI:
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    settings = replace(
        settings,
        today_override=TODAY,
        database_url=store.url,
        jobs_inline=True,
        upload_dir=tmp_path / "uploads",
    )
    return create_app(settings, store, catalog)


@pytest.fixture
def web(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        sign_up(client, "ana@example.com")
        start = {"none_of_these": "true", "pain_now": "2", "ladder": "solving-pain"}
        assert post_form(client, "/start", start, "/start").status_code == 200
        yield client


def _report(catalog: Catalog, clip: str, exercise: str = "dowel_hinge") -> dict[str, Any]:
    analysis = analyse_keypoints(catalog, exercise, FIXTURES / f"{clip}.npz")
    return VideoCheckPublic.of(analysis).model_dump(mode="json")


def _too_short(catalog: Catalog) -> dict[str, Any]:
    """A clip under a second, as motion refuses it (its length a number in the reason)."""
    pose = read_keypoints(FIXTURES / "idds_0016c_1.npz").slice(0, 40)
    exercise = catalog.exercise("dowel_hinge")
    report = analyze(pose, check_spec_for(exercise), exercise.self_check)
    return VideoCheckPublic.of(Analysis(exercise, report, pose, None)).model_dump(mode="json")


def _ended(store: Store, status: str, **values: Any) -> int:
    """A check a worker has ended, as the job stores it (in English)."""
    with store.engine.connect() as connection:
        learner = int(connection.exec_driver_sql("SELECT id FROM learners").scalar_one())
    with sql(store)(write=True) as uow:
        check_id = uow.form_checks.add(learner, "dowel_hinge", "/gone.clip", False)
        assert uow.form_checks.claim(check_id, 3, "test:1")
        assert uow.form_checks.finish(check_id, status=status, progress=1.0, **values)
    return check_id


ES = {"Accept-Language": "es"}


def _page(web: TestClient, check_id: int, headers: dict[str, str] | None = None) -> str:
    answer = web.get(f"/form-checks/{check_id}", headers=headers or {})
    assert answer.status_code == 200, answer.text
    return html.unescape(answer.text)


RANK = {"high": 0, "medium": 1, "low": 2}


def _shown(report: dict[str, Any]) -> list[str]:
    """The texts of a report its page prints: for each piece of advice, how sure the camera
    is of its surest fault and why."""
    found = [report["exercise"]["name"], report["note"]]
    found += [f["advice"] for f in report["faults"]] + [n["why"] for n in report["not_judged"]]
    surest: dict[str, dict[str, Any]] = {}
    for f in report["faults"]:
        best = surest.get(f["advice"])
        if best is None or RANK[f["confidence"]["level"]] < RANK[best["level"]]:
            surest[f["advice"]] = f["confidence"]
    found += [reason for sure in surest.values() for reason in sure["reasons"]]
    found += report["film_next_time"]
    return found + [m["item"] for m in report["mastery"]]


@pytest.mark.parametrize("clip", ["umali_Kettlebell_Swings", "fittrans_bodyweight_squats"])
def test_a_report_made_in_english_reads_in_spanish_and_english_is_unchanged(
    web: TestClient, store: Store, catalog: Catalog, clip: str
) -> None:
    report = _report(catalog, clip)
    check_id = _ended(store, "done", report=report)
    english = _shown(report)
    with speaking(SPANISH):
        spanish = _shown(said_report(report))
    assert all(report[part] for part in ("faults", "not_judged", "mastery", "film_next_time"))

    in_spanish, in_english = _page(web, check_id, ES), _page(web, check_id)

    for es, en in zip(spanish, english, strict=True):
        assert es != en
        assert es in in_spanish, es
        assert en not in in_spanish, en
        assert en in in_english, en
        assert es not in in_english, es
    api = web.get(f"/api/v1/form-checks/{check_id}", headers=ES).json()
    assert api["report"] == report  # the API keeps the English as stored


def test_why_a_clip_was_refused_or_stopped_reads_in_spanish(
    web: TestClient, store: Store, catalog: Catalog
) -> None:
    short = _too_short(catalog)
    refused = _ended(
        store,
        "refused",
        report=short,
        error_code="too_short",
        error_message=short["refusal"]["reason"],
    )
    failed = _ended(store, "failed", error_code="internal", error_message=FAILED)
    stopped = _ended(store, "failed", error_code="stopped", error_message=STOPPED.format(times=3))
    long = "/srv/x.clip: 240 s is over the 180 s limit; record one set at a time"
    too_long = _ended(store, "refused", error_code="video_too_long", error_message=long)

    assert "el vídeo dura 0,7 s; grabe al menos" in _page(web, refused, ES)
    assert "el análisis se detuvo por un fallo nuestro" in _page(web, failed, ES)
    assert "el análisis se detuvo 3 veces" in _page(web, stopped, ES)
    assert "El vídeo supera el límite de duración." in _page(web, too_long, ES)
    assert short["refusal"]["reason"] in _page(web, refused)  # English: as stored
    assert long in _page(web, too_long)
    api = web.get(f"/api/v1/form-checks/{too_long}", headers=ES).json()
    assert api["error"]["message"] == long
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/form-checks/new").text)
    assert token is not None
    attached = web.post(
        f"/form-checks/{failed}/attach", data={"csrf_token": token.group(1)}, headers=ES
    )
    assert attached.status_code == 409
    assert "revisión de la técnica: aún no ha terminado" in html.unescape(attached.text)


def test_the_list_the_new_check_and_a_refusal_at_the_door_read_in_spanish(
    web: TestClient, store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    _ended(store, "done", report=_report(catalog, "umali_Kettlebell_Swings"))
    _ended(store, "failed", error_code="internal", error_message=FAILED)  # no report
    name = catalog.exercise("dowel_hinge").name
    spanish_name = SPANISH.gettext(name)
    today = web.get("/api/v1/form-checks").json()["exercise"]

    listed = html.unescape(web.get("/form-checks", headers=ES).text)
    assert listed.count(spanish_name) == 2
    assert name not in listed
    assert SPANISH.gettext(today) in html.unescape(web.get("/form-checks/new", headers=ES).text)
    listed_api = web.get("/api/v1/form-checks", headers=ES).json()["checks"]
    assert listed_api[-1]["report"]["exercise"]["name"] == name  # the API keeps the English
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/form-checks/new").text)
    assert token is not None
    with not_a_video(tmp_path).open("rb") as clip:
        sent = web.post(
            "/form-checks",
            data={"csrf_token": token.group(1)},
            files={"video": ("notes.mp4", clip, "video/mp4")},
            headers=ES,
        )
    assert sent.status_code == 422
    assert SPANISH.gettext(VIDEO["not_a_video"]) in html.unescape(sent.text)


# -- the offline worker's notes --------------------------------------------------------------

WORKER = SRC / "web" / "static" / "sw.js"
WORDS = SRC / "web" / "templates" / "offline_words.html"


def _worker_english() -> dict[str, str]:
    block = WORKER.read_text(encoding="utf-8").split("const ENGLISH = {")[1].split("};")[0]
    return dict(re.findall(r'^\s+(\w+): "(.*)",$', block, re.M))


def _page_words() -> dict[str, str]:
    return dict(re.findall(r'^\s+"(\w+)": _\("(.*)"\),$', WORDS.read_text(encoding="utf-8"), re.M))


def test_the_workers_own_english_is_the_pages_english() -> None:
    """The worker's words before a kept page gives it the reader's: the same keys and the
    same English as the page's, so neither drifts."""
    page = _page_words()
    assert len(page) > 15
    assert _worker_english() == page | {"lang": "en"}


@pytest.fixture
def chromium() -> Iterator[object]:
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


@pytest.mark.slow
def test_the_offline_notes_are_in_the_readers_language(
    store: Store, catalog: Catalog, tmp_path: Path, chromium: object
) -> None:
    from playwright.sync_api import expect

    settings, port = _settings(store, tmp_path), _free_port()
    context = chromium.new_context(locale="es-ES")  # type: ignore[attr-defined]
    page = context.new_page()
    with _serving(settings, store, catalog, port) as server:
        signed = {"email": "ana@example.com", "password": "correct horse battery", "name": "Ana"}
        assert context.request.post(f"{server}/api/v1/signup", data=signed).ok
        start = {"pain_now": 2, "none_of_these": True, "ladder": "solving-pain"}
        assert context.request.post(f"{server}/api/v1/start", data=start).ok
        page.goto(f"{server}/today")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now the worker controls the page, and has kept today's pages
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        kept = f"caches.open('{worker_cache()}').then(c => c.match(location.origin + '/checkin'))"
        page.wait_for_function(f"{kept}.then(Boolean)")  # the last page kept

    # -- no network --
    page.goto(f"{server}/timer?first=1")  # no copy kept at this address: the worker's note
    page.get_by_role("heading", name="Está sin conexión").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name=SPANISH.gettext("Back to today")).count() == 1
    page.goto(f"{server}/checkin")
    page.locator("input[name=pain][value='1']").check()
    page.get_by_role("button", name=SPANISH.gettext("Save check-in")).click()
    page.get_by_role("heading", name="Su control está guardado en este teléfono").wait_for()
    assert "No tiene que hacer nada más." in page.locator("main").inner_text()

    # -- the network is back: what the server made of it, in Spanish too --
    with _serving(settings, store, catalog, port) as server:
        page.goto(f"{server}/today")
        told = page.locator("p.sent")
        expect(told).to_have_count(1, timeout=20_000)
        said = told.inner_text()
    assert said.startswith("Se ha enviado el control guardado en este teléfono. Qué sigue: "), said
    context.close()


def test_the_words_are_json_a_worker_can_read(web: TestClient) -> None:
    """What the worker reads from a kept page: JSON in the page's language."""
    found = re.search(
        r'<script type="application/json" id="offline-words">([^<]*)</script>',
        web.get("/today", headers=ES).text,
    )
    assert found is not None
    words = json.loads(found.group(1))
    assert words["lang"] == "es"
    assert words["offline"] == "Está sin conexión"
