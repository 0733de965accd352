"""The reader's language, for every text the app writes: gettext's `_` and `ngettext`.

The engine writes its reasons and the pages their words through these two functions; which
translation they use is set per request by the web app (web/language.py, from the account's
choice or the browser's languages) and is English everywhere else (the CLI, the tests).
A context variable, so each request, and each thread the request hands work to, reads its
own; the catalogs themselves are loaded outside the engine (adapters/locale.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Translator", "_", "current_language", "ngettext", "speaking"]


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
