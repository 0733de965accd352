"""The engine's reasons and the catalog's words speak Spanish too, and English is unchanged.

Three checks: every text the engine (and the pages' choices) passes to `_`, `ngettext` or
marks with `N_` has its Spanish, with the same placeholders; every text of the built-in
catalog a learner reads has its Spanish; and a decision made while speaking Spanish gives
Spanish reasons while the same decision in English is what it always was.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from hingecoach.adapters.locale import translator
from hingecoach.catalog import builtin_catalog, countries, rungs_for
from hingecoach.engine.model import Decision, Quality, SymptomArea
from hingecoach.engine.placement import kit_words
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import decide, plan_today
from hingecoach.engine.progression.context import _lights_for
from hingecoach.engine.progression.decide import TodayPlan
from hingecoach.language import speaking
from tests.engine.builders import Given, checkin, day, mornings, session, state

SRC = Path(str(resources.files("hingecoach")))
LOCALE = SRC / "locale" / "es" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Outside the engine, the modules that mark words of their own (the pages' choices, the
# demonstration figure's text alternative).
ALSO = ("schemas/pages.py", "schemas/programme.py", "schemas/catalog.py", "adapters/demo.py")
# The same in both languages: the sources' own names, and a country Spanish writes alike.
SAME = {"Solving Pain With Strength", "Evolve Performance Healthcare", "Australia"}
SPANISH = translator("es")

Message = str | tuple[str, str]


def _extracted() -> list[Message]:
    found = [m for _file, _line, m, _comments, _context in _from_engine()]
    for name in ALSO:
        found += [m for _line, m, _c, _x in extract_from_file("python", str(SRC / name), KEYWORDS)]
    unique: dict[Message, None] = {}
    for m in found:
        unique[m if isinstance(m, str) else (m[0], m[1])] = None
    return list(unique)


def _from_engine() -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    return extract_from_dir(
        str(SRC / "engine"), method_map=[("**.py", "python")], keywords=KEYWORDS
    )


MESSAGES = _extracted()


def test_the_engine_marks_its_words() -> None:
    assert len(MESSAGES) > 150  # the extractor reads the engine (not an empty walk)
    assert "Pain light GREEN." in MESSAGES
    assert ("{n} session", "{n} sessions") in MESSAGES


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: str(m)[:60])
def test_every_engine_message_has_its_spanish(message: Message) -> None:
    if isinstance(message, str):
        assert SPANISH.gettext(message) != message
    else:
        singular, plural = message
        assert SPANISH.ngettext(singular, plural, 1) != singular
        assert SPANISH.ngettext(singular, plural, 2) != plural


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("po", ["engine.po", "catalog.po"])
def test_each_translation_keeps_the_placeholders_it_is_filled_with(po: str) -> None:
    with (LOCALE / po).open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        said = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(said), message.id
        for text in said:
            assert _fields(text) == _fields(ids[0]), message.id


def _catalog_texts() -> list[str]:
    catalog, found = builtin_catalog(), []
    for kit_id, kit in catalog.equipment.items():
        found += [kit.name, kit_words(kit_id), *([kit.alternative] if kit.alternative else [])]
    for exercise in catalog.exercises.values():
        found += [exercise.name, exercise.dose.tempo, exercise.demo.cue]
        found += [*exercise.cues, *exercise.self_check]
    for ladder in catalog.ladders.values():
        found += [ladder.name, *([ladder.description] if ladder.description else [])]
    for country in countries().values():
        found += [country.name, country.emergency, country.urgent]
    return list(dict.fromkeys(found))


CATALOG_TEXTS = _catalog_texts()


@pytest.mark.parametrize("text", CATALOG_TEXTS, ids=lambda t: t[:60])
def test_every_catalog_text_has_its_spanish(text: str) -> None:
    if text in SAME:
        assert SPANISH.gettext(text) == text
    else:
        assert SPANISH.gettext(text) != text


RUNGS = rungs_for(builtin_catalog().ladder("solving-pain"), builtin_catalog())
CALM = (checkin(2, 2), checkin(4, 2))
HISTORIES = {
    # P3: red during the session, one step down (a step's name in a sentence)
    "red": (Given(state(2), (session(1, 2, during=7),), CALM), 2),
    # SX2: nerve signs stop the programme (a date and the signs' words in a sentence)
    "nerve": (
        Given(
            state(2),
            (session(1, 2, area=SymptomArea.BELOW_KNEE, qualities=[Quality.TINGLING]),),
        ),
        2,
    ),
    # M1-M6: a step mastered, move up
    "mastered": (Given(state(2), (session(1, 2), session(3, 2)), CALM), 4),
    # M6 and counts: held, with what the last session missed
    "held": (Given(state(2), (session(1, 2, uncued=False),), (checkin(2, 2),)), 2),
    # P6: severe mornings (a mean with a decimal)
    "severe": (Given(state(1), checkins=(*mornings(1, 6, 8), checkin(7, 9))), 7),
}


def _decide(name: str) -> Decision:
    given, today = HISTORIES[name]
    return decide(given.history(RUNGS), DEFAULT_POLICY, day(today))


def _plan(name: str) -> TodayPlan:
    given, today = HISTORIES[name]
    return plan_today(given.history(RUNGS), DEFAULT_POLICY, day(today))


@pytest.mark.parametrize("name", HISTORIES)
def test_a_decision_speaks_spanish_and_english_stays_as_it_was(name: str) -> None:
    english = _decide(name)
    with speaking(SPANISH):
        spanish = _decide(name)
    again = _decide(name)  # lights kept for one language never answer for another
    assert again == english
    _lights_for.cache_clear()
    with speaking(SPANISH):
        assert _decide(name) == spanish
    assert spanish.rules == english.rules
    assert spanish.action == english.action
    assert spanish.state == english.state
    assert len(spanish.reasons) == len(english.reasons)
    for es, en in zip(spanish.reasons, english.reasons, strict=True):
        assert es != en, en


def test_spanish_reasons_read_as_spanish() -> None:
    with speaking(SPANISH):
        red, nerve, severe = _decide("red"), _decide("nerve"), _decide("severe")
    assert red.reasons == (
        "Semáforo del dolor en ROJO: el dolor durante la sesión fue de 7/10, por encima de 5/10.",
        "Baja un paso, a «Toques de glúteos a la pared», durante al menos 7 días.",
    )
    assert nerve.reasons[0] == f"El {day(1).day}/{day(1).month}/{day(1).year} indicó hormigueo."
    assert "(media de 8,1)" in severe.reasons[0]  # the decimal comma


FIELDS = ("how_many", "effort", "frequency", "move_on", "pain_guide", "warmup", "notes")


def test_todays_prescription_speaks_spanish() -> None:
    english = _plan("mastered").prescription
    assert english is not None
    said_in_english = [getattr(english, f) for f in FIELDS]
    with speaking(SPANISH):
        spanish = _plan("mastered").prescription
        assert spanish is not None
        said_in_spanish = [getattr(spanish, f) for f in FIELDS]  # how_many: said when read
    for field, es, en in zip(FIELDS, said_in_spanish, said_in_english, strict=True):
        assert es != en, field
    assert said_in_english[0] == "3 sets of 60 s (about 15-30 slow reps), 60 s rest between sets"
    assert said_in_spanish[0] == (
        "3 series de 60 s (unas 15-30 repeticiones lentas), 60 s de descanso entre series"
    )
    assert spanish.name == english.name  # the catalog's name: the page says it (schemas)
