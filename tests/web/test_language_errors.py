"""Every error a page shows reads in the reader's language; the API's stays English.

Three checks: every message the services, the web layer, the settings and the errors mark
(`_`, `N_`, `ngettext`, and `counted` for a counted unit) has its Spanish with the same
placeholders (the engine's are checked by tests/test_language_engine.py); a Spanish reader
sees a refusal in Spanish, its field by its Spanish label, while the JSON API answers the
same refusal in English; and the framework's own pages (404, 405, 500) speak Spanish too.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from hingecoach.adapters.db.store import Store
from hingecoach.adapters.locale import translator
from hingecoach.catalog import Catalog
from hingecoach.settings import load_settings
from hingecoach.web import create_app

from .conftest import form_token, make_client, post_form, sign_up, start_learner

SRC = Path(str(resources.files("hingecoach")))
ERRORS_PO = SRC / "locale" / "es" / "LC_MESSAGES" / "errors.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "counted": (1, 2)}
# The modules outside the engine and the CLI whose refusals a page can show.
SOURCES = (
    "errors.py",
    "settings.py",
    "catalog/countries.py",
    "adapters/keypoints.py",
    "services/accounts.py",
    "services/clinic.py",
    "services/coach.py",
    "services/inputs.py",
    "services/outcomes.py",
    "services/uow.py",
    "services/validation.py",
    "web/clinic.py",
    "web/forms.py",
    "web/labels.py",
    "web/language.py",
    "web/learner.py",
    "web/render.py",
)
# Messages raised as written by modules that do not mark them (web/context.py, the store):
# a page finds their Spanish by the English itself.
WRITTEN = (
    "please sign in",
    "this page is for clinicians",
    "this page is for learners: clinicians use the clinic pages",
    "no programme yet: answer the safety questions first (/start)",
    "database: too busy to save the change now (try again)",
)
SPANISH = translator("es")

Message = str | tuple[str, str]


def _extracted() -> list[Message]:
    found: dict[Message, None] = {}
    for name in SOURCES:
        for _line, message, _c, _x in extract_from_file("python", str(SRC / name), KEYWORDS):
            found[message if isinstance(message, str) else (message[0], message[1])] = None
    return list(found)


MESSAGES = _extracted()


def test_the_error_messages_are_marked() -> None:
    assert len(MESSAGES) > 100  # the extractor reads the sources (not an empty walk)
    assert "the email or the password is wrong" in MESSAGES
    assert "a whole number {low}-{high}" in MESSAGES
    assert ("{n} step", "{n} steps") in MESSAGES


@pytest.mark.parametrize("message", [*MESSAGES, *WRITTEN], ids=lambda m: str(m)[:60])
def test_every_error_message_has_its_spanish(message: Message) -> None:
    if isinstance(message, str):
        assert SPANISH.gettext(message) != message
    else:
        singular, plural = message
        assert SPANISH.ngettext(singular, plural, 1) != singular
        assert SPANISH.ngettext(singular, plural, 2) != plural


def _fields(text: str) -> set[str]:
    named = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return named | set(re.findall(r"%\((\w+)\)s", text))


def test_each_error_translation_keeps_its_placeholders() -> None:
    with ERRORS_PO.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    assert len(catalog) > 100
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        said = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(said), message.id
        for text in said:
            assert _fields(text) == _fields(ids[0]), message.id


# -- through the web app ------------------------------------------------------------------


def _spanish(client: TestClient) -> None:
    """The signed-in account chooses Spanish (kept on the account and in the session)."""
    response = post_form(client, "/language", {"language": "es"}, "/me")
    assert response.status_code == 303, response.text


def _text(html: str) -> str:
    """The page's words, without tags, as a reader sees them."""
    inline = re.sub(r"</?(?:strong|em|span|a|abbr)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


SESSION = {"pain_before": "2", "pain_during": "3", "pain_after": "2", "seconds": ["30", "30"]}


def _log(client: TestClient, **changes: object) -> object:
    data: dict[str, object] = {**SESSION, "client_token": form_token(client.get("/log").text)}
    return post_form(client, "/log", data | changes, "/log")


def test_a_spanish_learner_reads_an_out_of_range_pain_in_spanish_and_the_api_in_english(
    client: TestClient,
) -> None:
    start_learner(client)
    _spanish(client)
    response = _log(client, pain_during="12")

    assert response.status_code == 422
    page = response.text
    assert "<strong>Dolor máximo durante el ejercicio</strong>: se esperaba" in page
    assert "un número del 0 al 10, no 12." in page
    assert "Worst pain during the exercise" not in page
    assert "a number 0-10" not in page

    api = client.post(
        "/api/v1/sessions",
        json={"pain_before": 2, "pain_during": 12, "pain_after": 2, "seconds": [30]},
    )
    assert api.status_code == 422
    error = api.json()["error"]
    said = "Input should be less than or equal to 10"  # FastAPI's own check of the body
    assert (error["field"], error["expected"], error["received"]) == ("pain_during", said, 12)
    assert error["message"] == f"pain_during: {said}"
    assert client.get("/api/v1/history").json()["sessions"] == []


def test_a_spanish_learner_reads_a_check_of_the_services_in_spanish(client: TestClient) -> None:
    """A refusal the services write (both reps and seconds), its field by its label."""
    start_learner(client)
    _spanish(client)
    text = _text(_log(client, reps=["10"]).text)

    assert "Sus series: se esperaba repeticiones o segundos para cada serie" in text
    assert "no las dos cosas, no ambas cosas." in text
    assert "reps or seconds" not in text
    assert "both" not in text


@pytest.fixture
def browser_in_spanish(store: Store, catalog: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    """A browser whose languages put Spanish first, signed in nowhere."""
    with make_client(store, catalog, tmp_path) as c:
        c.headers["Accept-Language"] = "es-ES,es;q=0.9,en;q=0.5"
        yield c


def test_a_wrong_password_is_refused_in_spanish(
    client: TestClient, browser_in_spanish: TestClient
) -> None:
    sign_up(client, "ana@example.com")
    response = post_form(
        browser_in_spanish, "/login", {"email": "ana@example.com", "password": "not it at all"}
    )

    assert response.status_code == 401
    assert "el correo electrónico o la contraseña no son correctos" in response.text
    assert "the email or the password is wrong" not in response.text

    api = browser_in_spanish.post(
        "/api/v1/login", json={"email": "ana@example.com", "password": "not it at all"}
    )
    assert api.json()["error"]["message"] == "the email or the password is wrong"


def test_too_many_tries_are_refused_in_spanish_with_the_wait(
    client: TestClient, browser_in_spanish: TestClient
) -> None:
    sign_up(client, "ana@example.com")
    for _ in range(6):
        response = post_form(
            browser_in_spanish, "/login", {"email": "ana@example.com", "password": "wrong one!"}
        )

    assert response.status_code == 429
    text = _text(response.text)
    assert "demasiados intentos de entrar: vuelva a intentarlo después de las" in text
    assert re.search(r"\(dentro de \d+ minutos?\)", text)
    assert "too many sign-in attempts" not in text


def test_a_missing_page_says_so_in_spanish(browser_in_spanish: TestClient) -> None:
    response = browser_in_spanish.get("/no-such-page")

    assert response.status_code == 404
    assert "Esta página no existe" in response.text
    assert "There is no such page" not in response.text
    assert "Not Found" not in response.text
    api = browser_in_spanish.get("/api/v1/no-such-thing")
    assert api.json()["error"]["message"] == "Not Found"


def test_a_wrong_method_says_so_in_spanish(browser_in_spanish: TestClient) -> None:
    response = browser_in_spanish.get("/logout")

    assert response.status_code == 405
    assert "Esta dirección no admite ese tipo de petición." in response.text
    assert "Method Not Allowed" not in response.text


def test_a_session_sent_twice_is_refused_in_spanish(client: TestClient) -> None:
    start_learner(client)
    _spanish(client)
    data = {**SESSION, "client_token": form_token(client.get("/log").text)}
    assert post_form(client, "/log", data, "/log").status_code == 200
    again = post_form(client, "/log", data, "/log")

    assert again.status_code == 409
    assert "Ya guardado" in again.text
    assert "already saved" not in again.text


def test_a_second_session_on_one_day_is_refused_in_spanish(client: TestClient) -> None:
    start_learner(client)
    _spanish(client)
    assert _log(client).status_code == 200
    response = _log(client)

    assert response.status_code == 409
    text = _text(response.text)
    assert "Sí, hoy hice otra sesión: responda sí, si es otra sesión." in text
    assert "true, if this is another session" not in text
    assert "Another today" not in text
    api = client.post(
        "/api/v1/sessions",
        json={"pain_before": 2, "pain_during": 3, "pain_after": 2, "seconds": [30]},
    )
    assert api.status_code == 409
    assert api.json()["error"]["expected"] == "true, if this is another session"
    assert api.json()["error"]["message"].startswith("a session is already saved for 2026-03-02;")


def test_a_session_while_stopped_is_refused_in_spanish(client: TestClient) -> None:
    start_learner(client)
    _spanish(client)
    assert post_form(client, "/screen", {"flags": "S-A5"}, "/screen").status_code == 200
    response = post_form(client, "/log", SESSION, "/today")

    assert response.status_code == 409
    assert "Su programa está detenido, así que esta sesión no se ha guardado." in response.text
    assert "Your programme is stopped" not in response.text


def test_a_learner_on_a_clinicians_page_is_refused_in_spanish(client: TestClient) -> None:
    start_learner(client)
    _spanish(client)
    response = client.get("/clinic")

    assert response.status_code == 403
    assert "Esta página es para profesionales sanitarios." in response.text
    assert "this page is for clinicians" not in response.text


def test_something_going_wrong_on_our_side_is_said_in_spanish(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    """A bug is answered outside every middleware: the page still speaks the request's
    language, and the API still answers in English."""
    settings = load_settings(env={"HINGE_DATA_DIR": str(tmp_path / "data")})
    app = create_app(replace(settings, database_url=store.url), store, catalog)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    app.add_api_route("/api/v1/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        c.headers["Accept-Language"] = "es"
        page = c.get("/broken")
        api = c.get("/api/v1/broken")

    assert page.status_code == 500
    assert "Algo ha fallado por nuestra parte; no se ha guardado nada." in page.text
    assert "something went wrong" not in page.text.lower()
    assert api.json()["error"]["message"] == "something went wrong on our side; nothing was saved"


def test_an_english_reader_reads_the_refusals_as_before(client: TestClient) -> None:
    start_learner(client)
    text = _text(_log(client, pain_during="12").text)

    assert "Worst pain during the exercise: expected a number 0-10, not 12." in text
    assert _text(_log(client, reps=["10"]).text).count("reps or seconds for each set") == 1
