"""Small formatters for the numbers a learner reads, so every text says them the same way.

Each number comes from the caller (the learner's Policy or the catalog); nothing here holds
a threshold of its own.
"""

from __future__ import annotations

__all__ = ["count", "days", "hours", "num", "pain", "percent"]


def count(n: float, word: str, plural: str | None = None) -> str:
    """'1 session', '3 sessions', '0.5 points'."""
    return f"{num(n)} {word if n == 1 else plural or word + 's'}"


def days(n: int) -> str:
    return count(n, "day")


def hours(days_apart: int) -> str:
    """A gap kept in whole days, said in hours as the dosing sources say it (48 hours)."""
    return count(days_apart * 24, "hour")


def pain(level: float) -> str:
    return f"{num(level)}/10"


def percent(fraction: float) -> str:
    return f"{num(round(fraction * 100, 1))} %"


def num(value: float) -> str:
    """A number without trailing zeros: 5, 2.5, 0.5."""
    return f"{value:g}"
