"""The outcome questionnaires of one learner, read for a page: what is due now, and each
measure's scores over time with the change from the first one (rules O1-O6)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hingecoach.adapters.db.records import QuestionnaireRecord
from hingecoach.engine.outcomes import Measure, due, meaningful_change
from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError

__all__ = ["OutcomesView", "ScorePoint", "Series", "outcomes_view", "parse_measure"]

# The published names meaningful_change() knows each measure by (rule O6).
_O6_NAME = {Measure.NPRS: "NPRS", Measure.ODI: "ODI", Measure.RMDQ: "RMDQ", Measure.PSFS: "PSFS"}


def parse_measure(raw: str) -> Measure:
    """A measure from its id as a person types it (`start-back`, `START_BACK`, `odi`)."""
    try:
        return Measure(raw.strip().lower().replace("_", "-"))
    except ValueError:
        allowed = ", ".join(m.value for m in Measure)
        raise ValidationError("measure", N_("one of {allowed}"), raw, allowed=allowed) from None


@dataclass(frozen=True)
class ScorePoint:
    day: date
    value: float | None  # None when the answers could not be scored (ODI: too many left out)
    band: str
    # Against the first valid score of the same measure (rule O6): "meaningful" or "none"
    # (NPRS, ODI, RMDQ), "small", "medium", "large" or "none" (PSFS); "" for the first, for
    # STarT Back (a risk group, not a change score) and for an unscored one.
    change: str = ""


@dataclass(frozen=True)
class Series:
    measure: Measure
    points: tuple[ScorePoint, ...]


@dataclass(frozen=True)
class OutcomesView:
    due: tuple[Measure, ...]
    asked: tuple[tuple[Measure, date, str], ...]  # a clinician's requests not yet answered
    series: tuple[Series, ...]  # only measures with at least one answer


def _change(measure: Measure, first: float | None, value: float | None) -> str:
    if measure not in _O6_NAME or first is None or value is None:
        return ""
    return meaningful_change(_O6_NAME[measure], first, value)


def _series(measure: Measure, filled: Sequence[QuestionnaireRecord]) -> Series:
    first: float | None = None
    points = []
    for r in filled:
        value = None if r.score is None or math.isnan(r.score) else r.score
        change = "" if first is None else _change(measure, first, value)
        points.append(ScorePoint(r.day, value, r.band, change))
        if first is None and value is not None:
            first = value
    return Series(measure, tuple(points))


def outcomes_view(
    records: Sequence[QuestionnaireRecord], started: date, today: date
) -> OutcomesView:
    filled = [r for r in records if r.answers is not None]
    requests = [r for r in records if r.answers is None and r.asked_by]
    answered = [(Measure(r.measure), r.day) for r in filled]
    asked = [(Measure(r.measure), r.day) for r in requests]
    now_due = due(started, today, answered, asked)
    pending = tuple(
        (Measure(r.measure), r.day, r.asked_by or "")
        for r in requests
        if Measure(r.measure) in now_due
        and not any(m.value == r.measure and d >= r.day for m, d in answered)
    )
    series = tuple(
        _series(m, [r for r in filled if r.measure == m.value])
        for m in Measure
        if any(r.measure == m.value for r in filled)
    )
    return OutcomesView(tuple(now_due), pending, series)
