"""The outcome questionnaires as the API answers them and the pages draw them."""

from __future__ import annotations

from datetime import date
from typing import Self

from babel.numbers import get_decimal_symbol

from hingecoach.catalog.questionnaires import QUESTIONNAIRES, Questionnaire
from hingecoach.engine.outcomes import Measure
from hingecoach.language import _, current_language
from hingecoach.schemas.base import Public
from hingecoach.schemas.programme import DuePublic, OutcomePublic
from hingecoach.services.outcomes import OutcomesView, Series
from hingecoach.services.results import Answered

__all__ = ["AnsweredPublic", "DuePublic", "OutcomesPublic", "QuestionnairePublic", "due_of"]

# The words below are in English here and in the reader's language (`_`) where the public
# shapes are built, since the language is the request's. Each is in the Spanish catalog.
# What an important change is, per measure (rule O6), as a clinician reads it.
_IMPORTANT = {
    Measure.NPRS: "2 points or 30 % lower",
    Measure.ODI: "10 points or 30 % lower",
    Measure.RMDQ: "5 points or 30 % lower",
    Measure.PSFS: "1.3 / 2.3 / 2.7 higher: small / medium / large",
    Measure.START_BACK: "a risk group, not a change score",
}
_CHANGE_WORDS = {
    "meaningful": "an important improvement",
    "large": "a large improvement",
    "medium": "a medium improvement",
    "small": "a small improvement",
    "none": "no important change yet",
}


# The bands of a score, as a person reads them (engine/outcomes.py names them in English).
_ODI_BANDS = {
    "minimal": "%(percent)s %% (minimal)",
    "moderate": "%(percent)s %% (moderate)",
    "severe": "%(percent)s %% (severe)",
    "crippled": "%(percent)s %% (crippled)",
    "bed-bound": "%(percent)s %% (bed-bound)",
}
_RISK = {
    "low": "low risk (%(score)s of 9)",
    "medium": "medium risk (%(score)s of 9)",
    "high": "high risk (%(score)s of 9)",
}


def shown(measure: Measure, value: float | None, band: str) -> str:
    """A score as a person reads it: '35 % (moderate)', 'high risk (7 of 9)', '7/24'."""
    if value is None:
        return _("not scored")
    if measure is Measure.ODI:
        words = _ODI_BANDS.get(band)
        percent = f"{value:.0f}"
        return _(words) % {"percent": percent} if words else f"{percent} % ({band})"
    if measure is Measure.START_BACK:
        risk = _RISK.get(band)
        score = f"{value:.0f}"
        return _(risk) % {"score": score} if risk else f"{band} risk ({score} of 9)"
    if measure is Measure.PSFS:
        return band.replace(".", get_decimal_symbol(current_language()))  # '4.3/10', '4,3/10'
    return band


class ItemPublic(Public):
    number: int
    label: str
    kind: str  # scale, yesno, agree, choice
    low: int
    high: int
    anchors: list[str]
    options: list[str]
    optional: bool


class QuestionnairePublic(Public):
    measure: str
    name: str
    short: str
    why: str
    lead: str
    minutes: int
    activities: bool
    items: list[ItemPublic]

    @classmethod
    def of(cls, q: Questionnaire) -> Self:
        return cls(
            measure=q.measure.value, name=_(q.name), short=_(q.short), why=_(q.why),
            lead=_(q.lead) if q.lead else "", minutes=q.minutes, activities=q.activities,
            items=[
                ItemPublic(
                    number=n, label=_(i.label), kind=i.kind, low=i.low, high=i.high,
                    anchors=[_(a) if a else "" for a in i.anchors],
                    options=[_(o) for o in i.options], optional=i.optional,
                )
                for n, i in enumerate(q.items, start=1)
            ],
        )  # fmt: skip


class ScorePointPublic(Public):
    day: date
    value: float | None
    band: str
    shown: str  # the score as a person reads it
    change: str  # meaningful, none, small, medium, large, or "" (first, or not a change score)
    change_words: str
    important: bool  # an important improvement against the first score (rule O6)


class SeriesPublic(Public):
    measure: str
    name: str
    short: str
    important_change: str
    points: list[ScorePointPublic]

    @classmethod
    def of(cls, s: Series) -> Self:
        q = QUESTIONNAIRES[s.measure]
        return cls(
            measure=s.measure.value, name=_(q.name), short=_(q.short),
            important_change=_(_IMPORTANT[s.measure]),
            points=[
                ScorePointPublic(
                    day=p.day, value=p.value, band=p.band,
                    shown=shown(s.measure, p.value, p.band), change=p.change,
                    change_words=_(_CHANGE_WORDS[p.change]) if p.change in _CHANGE_WORDS else "",
                    important=p.change not in ("", "none"),
                )
                for p in s.points
            ],
        )  # fmt: skip


def due_of(view: OutcomesView) -> list[DuePublic]:
    """Each questionnaire due now, with who asked for it (the today card shows these)."""
    asked = {m: by for m, _day, by in view.asked}
    return [
        DuePublic(
            measure=m.value,
            name=_(QUESTIONNAIRES[m].name),
            minutes=QUESTIONNAIRES[m].minutes,
            asked_by=asked.get(m),
        )
        for m in view.due
    ]


class OutcomesPublic(Public):
    due: list[DuePublic]
    series: list[SeriesPublic]
    questionnaires: list[QuestionnairePublic]

    @classmethod
    def of(cls, view: OutcomesView) -> Self:
        return cls(
            due=due_of(view),
            series=[SeriesPublic.of(s) for s in view.series],
            questionnaires=[QuestionnairePublic.of(q) for q in QUESTIONNAIRES.values()],
        )


class AnsweredPublic(Public):
    measure: str
    name: str
    score: float | None
    band: str
    shown: str
    valid: bool
    note: str
    outcomes: OutcomesPublic
    decision: OutcomePublic | None  # when the answers raised a sign (high-risk STarT Back)

    @classmethod
    def of(cls, a: Answered) -> Self:
        s = a.score
        return cls(
            measure=a.measure.value, name=_(QUESTIONNAIRES[a.measure].name),
            score=s.value if s.valid else None, band=s.band, valid=s.valid,
            note=_(s.note) if s.note else "",
            shown=shown(a.measure, s.value if s.valid else None, s.band),
            outcomes=OutcomesPublic.of(a.outcomes),
            decision=OutcomePublic.of(a.outcome) if a.outcome else None,
        )  # fmt: skip
