"""Every word a learner or a clinician reads goes through gettext, and has its Spanish.

Three checks: no template shows text outside `_()` (or `{% trans %}`); every message the
templates ask for has a Spanish translation in src/hingecoach/locale/es; and a page drawn in
Spanish shows none of those messages in English. Words that are the same in both languages
(the app's name, PDF, the questionnaires' published names) are listed below.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from hingecoach.adapters.locale import translator

TEMPLATES = Path(str(resources.files("hingecoach.web") / "templates"))
# Not words to translate: names, codes and units.
SAME = {
    "HingeCoach", "PDF", "FHIR", "JSON", "CSV", "TOML", "RPE", "kg", "NPRS", "ODI", "RMDQ",
    "PSFS", "STarT", "Back", "Oswestry", "Roland", "Morris", "min", "ICS", "SMTP", "URL",
    "No",  # the answer: the same word in Spanish
}  # fmt: skip
_HIDDEN = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"<script.*?</script>", re.S),
    re.compile(r"<style.*?</style>", re.S),
    re.compile(r"\{%-?\s*trans\b.*?endtrans\s*-?%\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"&\w+;"),
]
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_SHOWN_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"{]*[A-Za-z][^"]*)"')


def _untranslated_text(source: str) -> list[str]:
    found = list(_SHOWN_ATTRIBUTES.findall(source))
    for pattern in _HIDDEN:
        source = pattern.sub(" ", source)
    found += [w for w in _WORD.findall(source) if w not in SAME]
    return found


# Templates not yet through gettext: they show English whatever the language. The list may
# only shrink; a new template goes through gettext from its first line.
NOT_YET: set[str] = set()
ALL = sorted(p.name for p in TEMPLATES.glob("*.html"))
DONE = [t for t in ALL if t not in NOT_YET]


def test_the_templates_not_yet_translated_are_the_known_ones() -> None:
    assert set(ALL) >= NOT_YET  # a template translated since: take it off the list
    for name in NOT_YET:
        assert "_(" not in (TEMPLATES / name).read_text(encoding="utf-8"), (
            f"{name} is being translated: finish it and take it off NOT_YET"
        )


@pytest.mark.parametrize("template", DONE)
def test_no_template_shows_words_outside_gettext(template: str) -> None:
    assert _untranslated_text((TEMPLATES / template).read_text(encoding="utf-8")) == []


def _messages(template: str) -> list[str]:
    options = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
    found = extract_from_file(
        "jinja2.ext:babel_extract", str(TEMPLATES / template), options=options
    )
    return [m[1] if isinstance(m[1], str) else m[1][0] for m in found]


@pytest.mark.parametrize("template", DONE)
def test_every_message_of_a_template_has_its_spanish(template: str) -> None:
    spanish = translator("es")
    missing = [m for m in _messages(template) if spanish.gettext(m) == m and m not in SAME]
    assert missing == []


def test_today_kept_in_the_cache_is_kept_per_language(tmp_path: Path) -> None:
    """The per-learner cache keeps today's view written out: one copy per language."""
    from hingecoach.adapters.db.store import open_store, sqlite_url
    from hingecoach.catalog import builtin_catalog

    from .conftest import TODAY, make_client, start_learner

    store = open_store(sqlite_url(tmp_path / "lang.db"))
    with make_client(store, builtin_catalog(), tmp_path, TODAY) as client:
        start_learner(client)
        english = client.get("/api/v1/today").json()["prescription"]["how_often"]
        spanish = client.get("/api/v1/today", headers={"Accept-Language": "es"}).json()
        again = client.get("/api/v1/today").json()["prescription"]["how_often"]
    store.dispose()

    assert spanish["prescription"]["how_often"] != english
    assert again == english
