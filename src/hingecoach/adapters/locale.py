"""The translations, read from the gettext catalogs shipped in the package.

`src/hingecoach/locale/<language>/LC_MESSAGES/*.po`: every .po file of a language is read
and merged, so the pages, the clinic's pages, the engine's reasons and the catalog's cues
each keep a file of their own. Read once per process with Babel and compiled in memory: no
build step, and a .po edited in a checkout is what the app speaks after a restart.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from hingecoach.language import Translator

__all__ = ["LANGUAGES", "negotiate", "translator"]

# The languages the app speaks, by their code, as each names itself.
LANGUAGES = {"en": "English", "es": "Español"}
_LOCALE = resources.files("hingecoach") / "locale"


@cache
def _translations(language: str) -> Translations:
    merged = Translations()
    folder = _LOCALE / language / "LC_MESSAGES"
    for po in sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=str):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        merged.merge(Translations(compiled))
    return merged


@cache
def translator(language: str) -> Translator:
    """The translator for `language` (one of LANGUAGES; English for anything else)."""
    if language not in LANGUAGES or language == "en":
        return Translator("en", lambda s: s, lambda s, p, n: s if n == 1 else p)
    found = _translations(language)
    return Translator(language, found.gettext, found.ngettext)


def negotiate(accept_language: str) -> str:
    """The first of the browser's languages the app speaks ('es-MX,es;q=0.9' -> 'es')."""
    wanted = []
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if tag and tag != "*":
            wanted.append(tag)
    try:
        found = Locale.negotiate(wanted, list(LANGUAGES), sep="_")
    except (UnknownLocaleError, ValueError):
        found = None
    return found.language if found is not None else "en"
