"""The reader's language, for every text the app writes: gettext's `_` and `ngettext`.

The engine writes its reasons and the pages their words through these two functions; which
translation they use is set per request by the web app (web/language.py, from the account's
choice or the browser's languages) and is English everywhere else (the CLI, the tests).
A context variable, so each request, and each thread the request hands work to, reads its
own; the catalogs themselves are loaded outside the engine (adapters/locale.py).

How the engine writes its words:
- A sentence is one message, its values as named fields filled in after translation:
  `_("Move up to {name}.").format(name=...)`; a counted unit through `ngettext` (the helpers
  of engine/texts.py: `sessions(2)` is '2 sessions', `days`, `hours`, `points` ...). The
  English of every message is the text the engine wrote before it spoke other languages.
- A text built at import (a table such as screening's FLAGS, BY_WHEN, DISCLAIMER, dosing's
  effort lines, the pages' choices) is written `N_("...")` (engine/texts.py: it returns its
  argument, and marks it for extraction) and said with `_(TABLE[key])` where it is read,
  never at import, when no reader is known yet.
- A text from the data (an exercise's name, a cue, a help line) is said where it reaches a
  reader: `texts.shown(text)` (`_`, keeping '' as ''); its Spanish is in catalog.po.
- Texts are said in the language current when they are made: what is stored (a decision's
  reasons) keeps the language of the request that made it, and anything cached across
  requests must be kept per language (progression/context.py keys its lights by it).
Spanish lives in locale/es/LC_MESSAGES/engine.po and catalog.po; tests/test_language_engine.py
extracts every `_`, `ngettext` and `N_` message with Babel and checks each has its Spanish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["N_", "Translator", "_", "current_language", "many", "ngettext", "num", "speaking"]


@dataclass(frozen=True)
class Translator:
    language: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]


_ENGLISH = Translator("en", lambda s: s, lambda s, p, n: s if n == 1 else p)
_current: ContextVar[Translator] = ContextVar("translator", default=_ENGLISH)


def _(message: str) -> str:
    """`message` in the reader's language (the English itself when it has no translation)."""
    return _current.get().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.get().ngettext(singular, plural, n)


def current_language() -> str:
    return _current.get().language


@contextmanager
def speaking(translator: Translator) -> Iterator[None]:
    """Every text written inside is in `translator`'s language."""
    token = _current.set(translator)
    try:
        yield
    finally:
        _current.reset(token)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention's name)
    """Mark a text written where no reader is known yet (a table built at import) for
    extraction; `_` translates it where it is read."""
    return message


# Languages that write a decimal comma (2,5), as Babel's locale data does for them.
_DECIMAL_COMMA = frozenset({"es"})


def num(value: float) -> str:
    """A number without trailing zeros: 5, 2.5, 0.5 (2,5 where the reader's language writes
    a decimal comma)."""
    text = f"{value:g}"
    return text.replace(".", ",") if current_language() in _DECIMAL_COMMA else text


def many(n: float) -> int:
    """The count gettext picks a plural form by: a whole number as it is, a fraction as
    'many' (0.5 points, 1.5 points), as English and Spanish say them."""
    return int(n) if n == int(n) else 2
