"""Adherence: sessions done against sessions the dosing rules ask for, over a window.

The expected count follows the dosing rules: unloaded patterning steps ask for at least five
days a week (D1); loaded steps two or three days, at least 48 h apart (D2-D5), so two a week
is the floor a learner is held to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Adherence", "adherence"]

UNLOADED_PER_WEEK = 5  # D1
LOADED_PER_WEEK = 2  # D2-D5: 2-3 days a week; the floor


@dataclass(frozen=True)
class Adherence:
    done: int
    expected: int

    @property
    def ratio(self) -> float:
        return min(1.0, self.done / self.expected) if self.expected else 1.0


def adherence(
    session_days: Iterable[date], loaded: bool, today: date, started: date, days: int = 14
) -> Adherence:
    """Distinct session days in the last `days` (not before the start) against the dose."""
    first = max(started, today - timedelta(days=days - 1))
    window = (today - first).days + 1
    done = len({d for d in session_days if first <= d <= today})
    per_week = LOADED_PER_WEEK if loaded else UNLOADED_PER_WEEK
    expected = max(1, round(per_week * window / 7))
    return Adherence(done, expected)
