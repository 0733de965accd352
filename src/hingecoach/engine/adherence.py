"""Adherence: sessions done against sessions the dosing rules ask for, over a window.

The expected count follows the dosing rules: unloaded patterning steps ask for at least five
days a week (D1); loaded steps two or three days, at least 48 h apart (D2-D5), so two a week
is the floor a learner is held to. Both floors live in the Policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Adherence", "adherence"]


@dataclass(frozen=True)
class Adherence:
    done: int
    expected: int

    @property
    def ratio(self) -> float:
        return min(1.0, self.done / self.expected) if self.expected else 1.0


def adherence(
    session_days: Iterable[date], per_week: int, today: date, started: date, days: int = 14
) -> Adherence:
    """Distinct session days in the last `days` (not before the start) against the dose.

    `per_week` is the floor of the step's dose, from the learner's Policy
    (`patterning_days_per_week` or `loaded_days_per_week`).
    """
    first = max(started, today - timedelta(days=days - 1))
    window = (today - first).days + 1
    done = len({d for d in session_days if first <= d <= today})
    expected = max(1, round(per_week * window / 7))
    return Adherence(done, expected)
