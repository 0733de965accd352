"""The progress report, the charts it prints, the calendar feed and the export's disclaimer
speak the reader's language, and their English is what it was.

Every message these modules mark (`_`, `ngettext`, `N_`, `pgettext`) has its Spanish with
the same placeholders; a Spanish learner's PDF has Spanish headings and dates and none of the
English ones, while an English learner's beside it stays English; a clinician's copy is in
the clinician's language; the feed follows the account's language, not the calendar app's.
(The reminder e-mail, sent by the real job to a real SMTP server: tests/test_reminder_mail.py.)
"""

from __future__ import annotations

import io
import re
import string
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import icalendar
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from pypdf import PdfReader

from hingecoach.adapters.charts import adherence_figure, pain_figure, to_svg
from hingecoach.adapters.locale import translator
from hingecoach.adapters.report_pdf import long_date
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.language import speaking

from .conftest import START, TODAY, post_form, sign_up, start_learner

SRC = Path(str(resources.files("hingecoach")))
LOCALE = SRC / "locale" / "es" / "LC_MESSAGES"
FILES = (
    "adapters/charts.py",
    "adapters/report_pdf.py",
    "web/reports.py",
    "services/reminders.py",
    "schemas/accounts.py",
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
SPANISH = translator("es")
RULE_ID = re.compile(r"\b[A-Z]{1,2}\d{1,2}\b")

# (context, singular, plural): a message as gettext looks it up.
Message = tuple[str | None, str, str | None]


def _extracted() -> list[Message]:
    found: dict[Message, None] = {}
    for name in FILES:
        for _line, m, _comments, context in extract_from_file("python", str(SRC / name), KEYWORDS):
            singular, plural = (m, None) if isinstance(m, str) else (m[0], m[1])
            found[(context, singular, plural)] = None
    return list(found)


MESSAGES = _extracted()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_report_and_reminders_mark_their_words() -> None:
    assert len(MESSAGES) > 100  # the extractor read the files (not an empty walk)
    assert (None, "Ladder and step over time", None) in MESSAGES
    assert (None, "Hinge practice: {name}", None) in MESSAGES
    assert ("noun", "Change", None) in MESSAGES


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: str(m[1])[:60])
def test_every_message_has_its_spanish_with_the_same_placeholders(message: Message) -> None:
    context, singular, plural = message
    key = f"{context}\x04{singular}" if context else singular
    if plural is None:
        said = [SPANISH.gettext(key)]
        assert said[0] != key
    else:
        said = [SPANISH.ngettext(singular, plural, 1), SPANISH.ngettext(singular, plural, 2)]
        assert said != [singular, plural]
    for text in said:
        assert _fields(text) == _fields(singular), text


def _catalog(po: Path) -> Any:
    with po.open("rb") as handle:
        return read_po(handle, locale="es")


def test_report_po_says_no_message_of_another_file_differently() -> None:
    """The .po files are merged: a message here said otherwise elsewhere would change the
    other pages' words (a context keeps apart the words that mean two things)."""
    mine = _catalog(LOCALE / "report.po")
    clashes = []
    for po in sorted(LOCALE.glob("*.po")):
        if po.name == "report.po":
            continue
        other = _catalog(po)
        for m in mine:
            theirs = other.get(m.id, m.context) if m.id else None
            if theirs is not None and theirs.string != m.string:
                clashes.append((po.name, m.id))
    assert clashes == []


# -- the charts ----------------------------------------------------------------------------


def _pain_svg() -> str:
    sessions = [(TODAY - timedelta(days=2), 3, 2), (TODAY, 2, 1)]
    figure = pain_figure(sessions, [(TODAY - timedelta(days=1), 2)], 3.0, TODAY)
    return to_svg(figure, "pain")


def _calendar_svg() -> str:
    return to_svg(adherence_figure({TODAY}, TODAY), "calendar")


def test_a_chart_made_in_spanish_has_spanish_words_and_dates() -> None:
    with speaking(SPANISH):
        pain, calendar = _pain_svg(), _calendar_svg()
    for word in ("durante", "después", "a la mañana siguiente", "al inicio (3)", "dolor 0-10"):
        assert word in pain
    assert "02 mar" in pain
    assert "lun" in calendar
    assert "dom" in calendar
    for word in ("during", "next morning", "at the start", "Mar", "Mon", "Sun"):
        assert word not in pain + calendar, word


def test_a_chart_made_in_english_reads_as_it_always_did() -> None:
    pain, calendar = _pain_svg(), _calendar_svg()
    for word in ("during", "after", "next morning", "at the start (3)", "pain 0-10", "02 Mar"):
        assert word in pain
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "02 Mar"):
        assert day in calendar
    assert "durante" not in pain


# -- the PDF -------------------------------------------------------------------------------


def _pdf_text(answer: Any) -> str:
    assert answer.status_code == 200, answer.text[:300]
    pdf = PdfReader(io.BytesIO(answer.content))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def _speak(client: TestClient, language: str) -> None:
    chosen = client.post("/api/v1/me/language", json={"language": language})
    assert chosen.status_code == 200, chosen.text


def _spanish_learner(client: TestClient, email: str = "ana@example.com", **extra: str) -> None:
    """A learner who chose Spanish before starting: every decision is made in Spanish."""
    sign_up(client, email, **extra)
    _speak(client, "es")
    assert post_form(client, "/start", START, "/start").status_code == 200


def _session(client: TestClient) -> None:
    session = {"pain_before": 1, "pain_during": 3, "pain_after": 2, "seconds": [30, 30]}
    assert client.post("/api/v1/sessions", json=session).status_code == 201


SPANISH_DATE = "2 mar 2026"
ENGLISH_HEADINGS = (
    "HingeCoach progress report",
    "Your own copy, made 2 Mar 2026",
    "Ladder and step over time",
    "Pain against the start",
    "Adherence",
    "Outcome scores",
    "Decisions and their reasons",
    "Sessions logged",
    "Step on the ladder",
    "Date Step Pain before During After",
    "page 1 of",
    "HingeCoach is a coaching aid",
)
SPANISH_HEADINGS = (
    "Informe de progreso de HingeCoach",
    f"Su propia copia, hecha el {SPANISH_DATE}",
    "Escalera y paso a lo largo del tiempo",
    "Dolor comparado con el inicio",
    "Adherencia",
    "Puntuaciones de resultados",
    "Decisiones y sus motivos",
    "Sesiones registradas",
    "Paso en la escalera",
    "Fecha Paso Dolor antes Durante Después",
    "página 1 de",
    f"Programa en marcha Inicio {SPANISH_DATE}",
)


def test_a_spanish_learners_report_is_in_spanish_and_an_english_ones_is_unchanged(
    client: TestClient, other: TestClient
) -> None:
    _spanish_learner(client)
    _session(client)
    start_learner(other, "bo@example.com")
    _session(other)

    spanish = _pdf_text(client.get("/me/report.pdf"))
    english = _pdf_text(other.get("/me/report.pdf"))

    for heading in SPANISH_HEADINGS:
        assert heading in spanish
    assert " ".join(SPANISH.gettext(DISCLAIMER).split()) in spanish
    assert "baja 2 puntos, 67 %: mejor (cambio importante)" in spanish
    for heading in ENGLISH_HEADINGS:
        assert heading not in spanish, heading
    assert "Mar 2026" not in spanish  # every date in Spanish
    assert RULE_ID.findall(spanish) == []  # '(regla O6)' leaves with its id, as '(rule O6)'

    for heading in ENGLISH_HEADINGS:
        assert heading in english
    assert "At the start 3/10 on 2 Mar 2026" in english
    assert "down 2 points, 67 %: better (important change)" in english
    for heading in SPANISH_HEADINGS:
        assert heading not in english, heading


def test_a_clinicians_copy_is_in_the_clinicians_language_and_the_learners_in_theirs(
    client: TestClient, other: TestClient
) -> None:
    sign_up(other, "dr.lee@example.com", role="clinician")
    _speak(other, "es")
    code = other.post("/api/v1/clinic/invites", json={"role": "learner"}).json()["code"]
    start_learner(client, invite_code=code)  # the learner reads English
    url = other.get("/api/v1/clinic").json()["learners"][0]["url"]
    assert other.post(f"/api/v1{url}/step", json={"step": 2, "reason": "bien"}).status_code == 200

    clinicians = _pdf_text(other.get(f"{url}/report.pdf"))
    learners = _pdf_text(client.get("/me/report.pdf"))

    assert f"Copia del profesional sanitario, hecha el {SPANISH_DATE}" in clinicians
    assert "Notas de los profesionales sanitarios" in clinicians
    assert "Reglas: " in clinicians
    assert "paso 1 → 2" in clinicians
    assert "The clinician's copy" not in clinicians
    assert "Your own copy, made 2 Mar 2026" in learners


# -- the calendar feed and the export ------------------------------------------------------


def _events(feed: Any) -> list[Any]:
    assert feed.status_code == 200, feed.text
    return list(icalendar.Calendar.from_ical(feed.content).walk("VEVENT"))


def test_a_spanish_learners_calendar_feed_is_in_spanish_whatever_the_calendar_app_speaks(
    client: TestClient, other: TestClient
) -> None:
    _spanish_learner(client)
    name = client.get("/api/v1/today").json()["prescription"]["name"]
    link = client.post("/api/v1/me/calendar").json()["url"].removeprefix("http://testserver")

    events = _events(other.get(link, headers={"Accept-Language": "en"}))  # no sign-in

    summaries = {str(e["SUMMARY"]) for e in events}
    assert summaries == {f"Práctica de bisagra de cadera: {name}", "Control de la mañana"}
    assert name != "Hero squat"  # the exercise by its Spanish name
    said = " ".join(str(e["DESCRIPTION"]) for e in events)
    assert "Esfuerzo: " in said
    assert "¿Cómo está su espalda esta mañana?" in said
    for english in ("Hinge practice", "Morning check-in", "Effort: ", "How often: "):
        assert english not in said + " ".join(summaries)


def test_an_english_learners_feed_stays_english_for_a_spanish_calendar_app(
    client: TestClient, other: TestClient
) -> None:
    start_learner(client)
    _speak(client, "en")
    link = client.post("/api/v1/me/calendar").json()["url"].removeprefix("http://testserver")

    events = _events(other.get(link, headers={"Accept-Language": "es"}))

    summaries = {str(e["SUMMARY"]).split(":")[0] for e in events}
    assert summaries == {"Hinge practice", "Morning check-in"}


def test_a_stopped_spanish_programmes_feed_says_so_in_spanish(
    client: TestClient, other: TestClient
) -> None:
    _spanish_learner(client)
    stopped = client.post("/api/v1/screens", json={"flags": ["S-A5"]})
    assert stopped.status_code in (200, 201), stopped.text
    link = client.post("/api/v1/me/calendar").json()["url"].removeprefix("http://testserver")

    [event] = _events(other.get(link))

    assert str(event["SUMMARY"]) == "Programa en pausa: consulte a un profesional sanitario"
    description = str(event["DESCRIPTION"])
    assert SPANISH.gettext(DISCLAIMER) in description
    assert DISCLAIMER not in description


def test_the_exports_disclaimer_is_in_the_readers_language(client: TestClient) -> None:
    start_learner(client)
    english = client.get("/me/export.json").json()["disclaimer"]
    _speak(client, "es")
    spanish = client.get("/me/export.json").json()["disclaimer"]

    assert english == DISCLAIMER
    assert spanish == SPANISH.gettext(DISCLAIMER) != DISCLAIMER


def test_the_reports_dates_are_babels_short_month_names() -> None:
    with speaking(SPANISH):
        assert long_date(date(2026, 9, 5)) == "5 sept 2026"
    assert long_date(date(2026, 9, 5)) == "5 Sep 2026"
