"""Adherence against the dose: 5 a week on unloaded steps (D1), 2 on loaded ones (D2-D5)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hingecoach.engine.adherence import adherence
from hingecoach.engine.policy import DEFAULT_POLICY

TODAY = date(2026, 3, 30)


def days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


@pytest.mark.parametrize(
    ("sessions", "loaded", "started", "done", "expected", "ratio"),
    [
        (days_ago(*range(10)), False, TODAY - timedelta(days=60), 10, 10, 1.0),
        (days_ago(0, 2, 4, 6, 8), False, TODAY - timedelta(days=60), 5, 10, 0.5),
        (days_ago(1, 5, 9, 12), True, TODAY - timedelta(days=60), 4, 4, 1.0),
        (days_ago(1), True, TODAY - timedelta(days=60), 1, 4, 0.25),
        (days_ago(15, 20), False, TODAY - timedelta(days=60), 0, 10, 0.0),
        (days_ago(0), False, TODAY, 1, 1, 1.0),
        (days_ago(0, 0, 1), False, TODAY - timedelta(days=6), 2, 5, 0.4),
    ],
    ids=[
        "daily unloaded practice is full adherence",
        "every other day on an unloaded step is half",
        "two loaded sessions a week is full adherence",
        "one loaded session in two weeks is a quarter",
        "sessions older than 14 days do not count",
        "the first day counts only from the start",
        "two sessions on one day count once",
    ],
)
def test_adherence_counts_session_days_against_the_dose(
    sessions: list[date], loaded: bool, started: date, done: int, expected: int, ratio: float
) -> None:
    per_week = (
        DEFAULT_POLICY.loaded_days_per_week if loaded else DEFAULT_POLICY.patterning_days_per_week
    )
    result = adherence(sessions, per_week, TODAY, started)

    assert (result.done, result.expected, result.ratio) == (done, expected, ratio)
