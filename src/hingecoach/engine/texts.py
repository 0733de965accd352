"""Small formatters for the numbers a learner reads, so every text says them the same way,
in the reader's language (language.py).

Each number comes from the caller (the learner's Policy or the catalog); nothing here holds
a threshold of its own. The counted units ('3 sessions', '48 hours') go through `ngettext`,
so each language says its own plural; `count` is the English-only form other layers use.
"""

from __future__ import annotations

from datetime import date

from hingecoach.language import N_, _, many, ngettext, num

__all__ = [
    "N_",
    "count",
    "date_words",
    "days",
    "faults",
    "green_sessions",
    "hours",
    "minutes",
    "mornings",
    "num",
    "pain",
    "percent",
    "points",
    "red_sessions",
    "sessions",
    "sets",
    "shown",
    "weeks",
]


def shown(text: str) -> str:
    """A text from the data (a catalog name, a help line) in the reader's language, when
    the catalogs have it; an empty text stays empty (gettext's '' is its header)."""
    return _(text) if text else text


def count(n: float, word: str, plural: str | None = None) -> str:
    """'1 session', '3 sessions', '0.5 points' (English only: the engine says its counts
    with the translated helpers below)."""
    return f"{num(n)} {word if n == 1 else plural or word + 's'}"


def days(n: int) -> str:
    return ngettext("{n} day", "{n} days", many(n)).format(n=num(n))


def hours(days_apart: int) -> str:
    """A gap kept in whole days, said in hours as the dosing sources say it (48 hours)."""
    n = days_apart * 24
    return ngettext("{n} hour", "{n} hours", many(n)).format(n=num(n))


def weeks(n: int) -> str:
    return ngettext("{n} week", "{n} weeks", many(n)).format(n=num(n))


def minutes(n: float) -> str:
    return ngettext("{n} minute", "{n} minutes", many(n)).format(n=num(n))


def mornings(n: int) -> str:
    return ngettext("{n} morning", "{n} mornings", many(n)).format(n=num(n))


def points(n: float) -> str:
    """Points of pain on the 0-10 scale."""
    return ngettext("{n} point", "{n} points", many(n)).format(n=num(n))


def sessions(n: int) -> str:
    return ngettext("{n} session", "{n} sessions", many(n)).format(n=num(n))


def green_sessions(n: int) -> str:
    return ngettext("{n} green session", "{n} green sessions", many(n)).format(n=num(n))


def red_sessions(n: int) -> str:
    return ngettext("{n} red session", "{n} red sessions", many(n)).format(n=num(n))


def sets(n: int) -> str:
    return ngettext("{n} set", "{n} sets", many(n)).format(n=num(n))


def faults(n: float) -> str:
    return ngettext("{n} fault", "{n} faults", many(n)).format(n=num(n))


def date_words(d: date) -> str:
    """A date inside a sentence: ISO in English (2025-03-04), day/month/year in Spanish."""
    return _("{year}-{month:02d}-{day:02d}").format(year=d.year, month=d.month, day=d.day)


def pain(level: float) -> str:
    return f"{num(level)}/10"


def percent(fraction: float) -> str:
    return f"{num(round(fraction * 100, 1))} %"
