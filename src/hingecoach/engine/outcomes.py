"""Scoring of the outcome questionnaires (rules O1-O6) [E].

Only scoring and short labels ship here: ODI, RMDQ and STarT Back item wording is
copyrighted, and a clinic loads its licensed wording from a file. NPRS and PSFS are free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError

__all__ = [
    "Measure",
    "Score",
    "due",
    "meaningful_change",
    "scheduled_points",
    "score_answers",
    "score_nprs",
    "score_odi",
    "score_psfs",
    "score_rmdq",
    "score_start_back",
]


@dataclass(frozen=True)
class Score:
    measure: str
    value: float
    band: str
    rule: str
    valid: bool = True
    note: str = ""


def _check(field: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, N_("a whole number {low}-{high}"), value, low=low, high=high)


def score_nprs(pain: int) -> Score:
    """O1: numeric pain rating 0-10; meaningful change 2 points or 30 % (Ostelo 2008)."""
    _check("nprs", pain, 0, 10)
    return Score("NPRS", float(pain), f"{pain}/10", "O1")


_ODI_BANDS = (
    (20, "minimal"),
    (40, "moderate"),
    (60, "severe"),
    (80, "crippled"),
    (100, "bed-bound"),
)


def score_odi(sections: Sequence[int | None]) -> Score:
    """O2: Oswestry; percent = sum / (5 x answered) x 100; more than 2 missing is invalid."""
    if len(sections) != 10:
        raise ValidationError("odi", N_("10 sections (None for a missing one)"), len(sections))
    for i, s in enumerate(sections):
        if s is not None:
            _check(f"odi section {i + 1}", s, 0, 5)
    answered = [s for s in sections if s is not None]
    if len(sections) - len(answered) > 2:
        return Score("ODI", float("nan"), "invalid", "O2", False, "more than 2 sections missing")
    percent = sum(answered) / (5 * len(answered)) * 100
    band = next(name for top, name in _ODI_BANDS if percent <= top)
    return Score("ODI", round(percent, 1), band, "O2")


def score_rmdq(yes: Sequence[bool]) -> Score:
    """O3: Roland-Morris, count of 24 yes answers; unreliable if baseline < 4 or > 20."""
    if len(yes) != 24:
        raise ValidationError("rmdq", N_("24 yes/no answers"), len(yes))
    total = sum(1 for a in yes if a)
    note = "" if 4 <= total <= 20 else "outside 4-20: change scores are unreliable from here"
    return Score("RMDQ", float(total), f"{total}/24", "O3", note=note)


def score_psfs(activities: Sequence[int]) -> Score:
    """O4: Patient-Specific Functional Scale, 3-5 activities each 0-10; score = mean."""
    if not 3 <= len(activities) <= 5:
        raise ValidationError("psfs", N_("3 to 5 activities"), len(activities))
    for i, a in enumerate(activities):
        _check(f"psfs activity {i + 1}", a, 0, 10)
    mean = sum(activities) / len(activities)
    return Score("PSFS", round(mean, 2), f"{mean:.1f}/10", "O4")


def score_start_back(items: Sequence[bool], bothersomeness: int) -> Score:
    """O5: STarT Back; items 1-8 agree = 1, item 9 = 1 for 'very much' (3) or 'extremely' (4).

    Low risk: total <= 3; high: subscale (items 5-9) >= 4; otherwise medium.
    """
    if len(items) != 8:
        raise ValidationError(
            "start back", N_("8 agree/disagree answers for items 1-8"), len(items)
        )
    _check("start back item 9", bothersomeness, 0, 4)
    item9 = 1 if bothersomeness >= 3 else 0
    total = sum(1 for a in items if a) + item9
    sub = sum(1 for a in items[4:] if a) + item9
    band = "low" if total <= 3 else ("high" if sub >= 4 else "medium")
    return Score("STarT Back", float(total), band, "O5", note=f"subscale {sub}")


_MCID = {"NPRS": 2.0, "ODI": 10.0, "RMDQ": 5.0}
_PSFS = ((2.7, "large"), (2.3, "medium"), (1.3, "small"))


def meaningful_change(measure: str, before: float, after: float) -> str:
    """O6: is an improvement meaningful? Lower is better except for PSFS."""
    if measure == "PSFS":
        gain = after - before
        return next((size for cut, size in _PSFS if gain >= cut), "none")
    if measure not in _MCID:
        allowed = ", ".join([*_MCID, "PSFS"])
        raise ValidationError("measure", N_("one of {allowed}"), measure, allowed=allowed)
    drop = before - after
    relative = drop / before if before > 0 else 0.0
    return "meaningful" if drop >= _MCID[measure] or relative >= 0.30 else "none"


# -- the questionnaires as the app asks them ------------------------------------------------


class Measure(StrEnum):
    """The outcome questionnaires (domain-rules.md, Outcome measures), by their URL ids."""

    NPRS = "nprs"
    ODI = "odi"
    RMDQ = "rmdq"
    PSFS = "psfs"
    START_BACK = "start-back"


# Suggested use (domain-rules.md): STarT Back at onboarding; ODI (or RMDQ) at baseline, 6 and
# 12 weeks; PSFS every 2 weeks. NPRS is asked with every session and every next morning
# already, so it is never due on its own (a clinician can still ask for it).
SCHEDULE_WEEKS: dict[Measure, tuple[int, ...]] = {
    Measure.START_BACK: (0,),
    Measure.ODI: (0, 6, 12),
}
PSFS_EVERY_WEEKS = 2


def score_answers(
    measure: Measure, values: Sequence[int | None], activities: Sequence[int] = ()
) -> Score:
    """Score one filled questionnaire. `values` are the item answers in order (RMDQ and
    STarT Back items 1-8: 1 yes/agree, 0 no/disagree; STarT Back item 9: 0-4; ODI: None for a
    section left out); PSFS takes `activities` (each 0-10) instead."""
    if measure is Measure.PSFS:
        return score_psfs(list(activities))
    if measure is Measure.ODI:
        return score_odi(list(values))
    answered = [_required(measure, i, v) for i, v in enumerate(values)]
    if measure is Measure.NPRS:
        if len(answered) != 1:
            raise ValidationError("nprs", N_("one answer 0-10"), len(answered))
        return score_nprs(answered[0])
    if measure is Measure.RMDQ:
        for i, v in enumerate(answered):
            _check(f"question {i + 1}", v, 0, 1)
        return score_rmdq([v == 1 for v in answered])
    if len(answered) != 9:
        raise ValidationError("start back", N_("9 answers"), len(answered))
    for i, v in enumerate(answered[:8]):
        _check(f"question {i + 1}", v, 0, 1)
    _check("question 9", answered[8], 0, 4)
    return score_start_back([v == 1 for v in answered[:8]], answered[8])


def _required(measure: Measure, index: int, value: int | None) -> int:
    if value is None:
        raise ValidationError(f"question {index + 1}", N_("one of the choices"), "nothing")
    return value


def scheduled_points(measure: Measure, started: date, today: date) -> list[date]:
    """The days `measure` falls due on, from the start of the programme up to today."""
    if measure is Measure.PSFS:
        weeks = list(range(0, (today - started).days // 7 + 1, PSFS_EVERY_WEEKS))
    else:
        weeks = list(SCHEDULE_WEEKS.get(measure, ()))
    return [started + timedelta(weeks=w) for w in weeks if started + timedelta(weeks=w) <= today]


def due(
    started: date,
    today: date,
    answered: Sequence[tuple[Measure, date]],
    asked: Sequence[tuple[Measure, date]] = (),
) -> list[Measure]:
    """What the learner should fill in now: a measure whose latest scheduled day (or latest
    request from a clinician) has passed with no answer since."""
    last_answer: dict[Measure, date] = {}
    for measure, day in answered:
        last_answer[measure] = max(day, last_answer.get(measure, day))
    found = []
    for measure in Measure:
        points = scheduled_points(measure, started, today)
        points += [day for m, day in asked if m is measure and day <= today]
        if not points:
            continue
        latest = max(points)
        if measure not in last_answer or last_answer[measure] < latest:
            found.append(measure)
    return found
