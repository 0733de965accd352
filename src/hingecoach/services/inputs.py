"""What a door hands the programme's use cases, and the checks every door shares.

Each input is a plain frozen dataclass; the checks here name the field as the learner saw it,
the allowed range and what was received, and run before anything is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from hingecoach.catalog import Catalog, country
from hingecoach.engine.model import Experience, Quality, Rung, Session, SetLog, SymptomArea
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.progression import fault_basis
from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError, Words
from hingecoach.services.validation import check_int, check_number, check_text

__all__ = [
    "AnswerInput",
    "CheckInInput",
    "LogInput",
    "StartInput",
    "build_session",
    "check_clinician",
    "check_symptoms",
    "country_policy",
    "policy_changes",
]


@dataclass(frozen=True)
class StartInput:
    name: str
    ladder_id: str
    experience: Experience
    pain_now: int
    equipment: frozenset[str]
    flags: frozenset[str] = frozenset()
    age: int | None = None
    country: str | None = None  # sets where-to-get-help lines (catalog/data/countries.toml)


@dataclass(frozen=True)
class LogInput:
    day: date
    pain_before: int
    pain_during: int
    pain_after: int
    sets: Sequence[tuple[int | None, int | None]]
    exercise: str | None = None
    load: float | None = None
    rpe: float | None = None
    area: SymptomArea = SymptomArea.NONE
    qualities: frozenset[Quality] = frozenset()
    faded: bool = False  # the symptom faded within a couple of minutes of rest
    first_set_uncued: bool = False
    self_check: tuple[bool, ...] = ()
    faults: int = 0
    flags: frozenset[str] = frozenset()
    note: str = ""
    client_token: str | None = None  # a form's one-time token: a second post is refused
    another_today: bool = False  # yes, another session on a day that already has one


@dataclass(frozen=True)
class CheckInInput:
    day: date
    pain: int
    area: SymptomArea = SymptomArea.NONE
    qualities: frozenset[Quality] = frozenset()
    soreness: bool = False
    flags: frozenset[str] = frozenset()
    client_token: str | None = None  # a form's one-time token: a second post is refused


@dataclass(frozen=True)
class AnswerInput:
    """A filled questionnaire: `values` per item in order (see engine/outcomes.score_answers),
    or for PSFS the activities' `names` and their ratings in `activities`."""

    measure: str
    values: tuple[int | None, ...] = ()
    activities: tuple[int, ...] = ()
    names: tuple[str, ...] = ()


_SYMPTOM_WORDS = N_("a stretch, burning, pain that spreads, pins and needles, numbness or weakness")
_NOT_A_CLINICIAN = {"me", "myself", "i", "self", "learner", "nobody", "none", "no one"}


def check_symptoms(area: SymptomArea, qualities: frozenset[Quality]) -> None:
    """A symptom away from the back needs its description: that is what tells a stretch or
    a tired muscle from a nerve (rules SX1-SX5)."""
    if area in (SymptomArea.BUTTOCK_THIGH, SymptomArea.BELOW_KNEE) and not qualities:
        raise ValidationError("what it felt like", _SYMPTOM_WORDS, "nothing")


def check_clinician(by: str) -> str:
    """The name of the clinician who examined the learner: not the learner themselves."""
    who = check_text("by", by, 120)
    if who.strip(" .").lower() in _NOT_A_CLINICIAN or len(who) < 2:
        raise ValidationError(
            "by", N_("the name of the clinician who examined you (e.g. Dr Lee)"), by
        )
    return who


def _check_sets(sets: Sequence[tuple[int | None, int | None]]) -> None:
    """The same ranges `parse_sets` applies to text, for callers that pass numbers."""
    if not 1 <= len(sets) <= 10:
        raise ValidationError("sets", N_("{low}-{high} sets"), len(sets), low=1, high=10)
    for number, (reps, seconds) in enumerate(sets, start=1):
        field = f"sets (set {number})"
        if (reps is None) == (seconds is None):
            raise ValidationError(field, N_("either reps or seconds"), (reps, seconds))
        if reps is not None:
            check_int(field, reps, 0, 200)
        else:
            check_int(field, seconds, 1, 600)


def _rung_index(data: LogInput, rungs: tuple[Rung, ...], catalog: Catalog, own: int) -> int:
    if data.exercise is None:
        return own
    exercise = catalog.exercise(data.exercise)
    ids = [r.exercise_id for r in rungs]
    if exercise.id not in ids:
        raise ValidationError(
            "exercise", N_("an exercise on your ladder ({ids})"), data.exercise, ids=", ".join(ids)
        )
    return ids.index(exercise.id)


def _load(data: LogInput, rung: Rung, current: float | None) -> float | None:
    """The load logged: as given (within the step's cap), else the learner's current one."""
    if data.load is None:
        return current if rung.loaded else None
    if rung.load is None:
        raise ValidationError(
            "load", N_("no load: {name} is unloaded"), data.load, name=Words(rung.name)
        )
    return check_number("load", data.load, 0, rung.load.cap)


def _check_answers(data: LogInput, rung: Rung) -> None:
    for name in ("pain_before", "pain_during", "pain_after"):
        check_int(name, getattr(data, name), 0, 10)
    check_symptoms(data.area, data.qualities)
    check_text("note", data.note, 2000, allow_empty=True)
    if data.rpe is not None:
        check_number("rpe", data.rpe, 0, 10)
    if data.self_check and len(data.self_check) != len(rung.self_check):
        raise ValidationError(
            "self_check",
            N_("{n} yes/no answers for {name}"),
            len(data.self_check),
            n=len(rung.self_check),
            name=Words(rung.name),
        )
    check_int("faults", data.faults, 0, 1000)
    _check_sets(data.sets)


def build_session(
    data: LogInput, rungs: tuple[Rung, ...], catalog: Catalog, own: int, load: float | None
) -> Session:
    """The engine's Session from a log, every field checked; `own` is the learner's rung and
    `load` their current load there."""
    index = _rung_index(data, rungs, catalog, own)
    rung = rungs[index]
    _check_answers(data, rung)
    current = load if index == own and load is not None else rung.start_load
    weight = _load(data, rung, current)
    reps = sum(r or 0 for r, _ in data.sets)
    seconds = sum(s or 0 for _, s in data.sets)
    return Session(
        day=data.day,
        rung=index,
        exercise_id=rung.exercise_id,
        pain_before=data.pain_before,
        pain_during=data.pain_during,
        pain_after=data.pain_after,
        sets=tuple(SetLog(r, s, weight, data.rpe) for r, s in data.sets),
        area=data.area,
        qualities=data.qualities,
        faded_with_rest=data.faded,
        first_set_uncued=data.first_set_uncued,
        self_check=data.self_check,
        faults=data.faults,
        fault_basis=fault_basis(reps, seconds),
    )


def country_policy(code: str | None) -> Policy:
    """The default thresholds with the help lines and numbers of the learner's country."""
    if code is None:
        return DEFAULT_POLICY
    lines = country(code)
    return DEFAULT_POLICY.adjusted(
        emergency_line=lines.emergency,
        urgent_line=lines.urgent,
        emergency_number=lines.emergency_number,
        urgent_number=lines.urgent_number,
    )


def policy_changes(policy: Policy) -> dict[str, Any]:
    """Only the fields that differ from the defaults are stored with the learner."""
    return {
        f.name: getattr(policy, f.name)
        for f in fields(Policy)
        if getattr(policy, f.name) != getattr(DEFAULT_POLICY, f.name)
    }
