"""Today's prescription: what, how many, how hard, how often (rules D1-D6).

Dosing table of domain-rules.md [E/C, combination D]: unloaded patterning daily or >= 5 days
a week (motor learning); resisted, lifted, power and ballistic work 2-3 days a week, >= 48 h
apart (ACSM 2011, Jay 2011); effort targets from NSCA reps-in-reserve practice.

The dose follows the pain light: a step starts at the low end of each range and moves to
the high end only after `dose_step_up_sessions` green session days there; amber holds it
(P2). Several sessions on one day count as one day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from hingecoach.engine.model import DoseKind, Light, ProgramState, Rung
from hingecoach.engine.policy import Policy
from hingecoach.engine.texts import count, hours, pain, percent

__all__ = ["REP_SET_SECONDS", "DoseBasis", "Prescription", "pain_guide", "prescribe"]

RULE = {
    DoseKind.PATTERNING: "D1",
    DoseKind.RESISTANCE: "D2",
    DoseKind.LIFT: "D3",
    DoseKind.POWER_PREP: "D4",
    DoseKind.BALLISTIC: "D5",
}

# One minute at 1-2 s down and 1-2 s up is about 15-30 reps (domain-rules.md): 2-4 s a rep.
_SECONDS_PER_REP = (2, 4)
# A set counted in reps has no clock of its own; the timer gives it about ten slow reps.
REP_SET_SECONDS = 40

# Reps in reserve by kind of step (NSCA practice; the dosing table of domain-rules.md).
_EFFORT = {
    DoseKind.RESISTANCE: "Moderate: stop each set with 3-4 good reps still in the tank (effort 6-7 out of 10).",
    DoseKind.LIFT: "Moderate to hard: stop each set with 2-3 good reps in the tank.",
    DoseKind.POWER_PREP: "Brisk but clean: 2-3 reps in the tank, hips snapping forward each rep.",
    DoseKind.BALLISTIC: "Crisp swings with a bell light enough that every rep stays a hinge; rest at least as long as you worked.",
}
_DAYS_A_WEEK = {
    DoseKind.RESISTANCE: "3 days a week",
    DoseKind.LIFT: "2-3 days a week",
    DoseKind.POWER_PREP: "2-3 days a week",
    DoseKind.BALLISTIC: "2-3 days a week",
}


@dataclass(frozen=True)
class DoseBasis:
    """What the dose rests on, worked out by the engine from the learner's history."""

    green_days: int = 0  # session days at this step whose light is green
    last_light: Light | None = None  # the light of the latest session day at this step
    last_day: date | None = None  # the latest session day, any step
    last_loaded_day: date | None = None  # the latest day with a loaded session


@dataclass(frozen=True)
class Prescription:
    rung: int
    exercise_id: str
    name: str
    dose_kind: DoseKind
    sets: int
    seconds: int | None
    reps: tuple[int, int] | None
    rest_seconds: int
    tempo: str
    load: float | None
    load_unit: str | None
    warmup: str | None
    effort: str
    frequency: str
    move_on: str
    pain_guide: str
    earliest: date
    due_today: bool
    rules: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def work_seconds(self) -> int:
        """The timer's work phase: the set's own time, else a slow set of reps."""
        return self.seconds if self.seconds is not None else REP_SET_SECONDS

    @property
    def how_many(self) -> str:
        parts = [count(self.sets, "set")]
        if self.seconds is not None:
            parts.append(f"of {self.seconds} s ({_reps_in(self.seconds)} slow reps)")
        elif self.reps is not None:
            parts.append(f"of {self.reps[0]}-{self.reps[1]} reps")
        if self.load is not None and self.load_unit == "kg":
            parts.append(f"with {self.load:g} kg")
        elif self.load is not None:
            parts.append(f"with band level {self.load:g}")
        return " ".join(parts) + f", {self.rest_seconds} s rest between sets"


def _reps_in(seconds: int) -> str:
    fast, slow = _SECONDS_PER_REP
    return f"about {max(1, seconds // slow)}-{max(1, seconds // fast)}"


def pain_guide(policy: Policy) -> str:
    """What pain means during the work, in the learner's own limits."""
    return (
        f"Pain up to {pain(policy.preferred_pain_max)} during the work is fine and "
        f"{pain(policy.pain_during_max)} is the limit. Stop the set if it goes past "
        f"{pain(policy.pain_during_max)}, or if pain, burning, pins and needles or numbness runs "
        "into your buttock or leg. A stretch at the back of the thigh is what a hinge should "
        "feel like. Burning only in the working muscles that fades within "
        f"{count(policy.burning_fade_minutes, 'minute')} of rest is usually fatigue. Muscle "
        "aching in the days after that eases each time is normal soreness, not a flare."
    )


def _effort(kind: DoseKind, policy: Policy) -> str:
    if kind is DoseKind.PATTERNING:
        return (
            f"Easy and controlled: pain up to {pain(policy.preferred_pain_max)} is fine, "
            f"{pain(policy.pain_during_max)} at most."
        )
    return _EFFORT[kind]


def _frequency(kind: DoseKind, policy: Policy) -> str:
    if kind is DoseKind.PATTERNING:
        gap = policy.patterning_gap_days
        often = "Daily" if gap == 1 else f"Every {count(gap, 'day')}"
        return (
            f"{often}; at least {policy.patterning_days_per_week} days a week keeps you "
            "progressing. Short, spaced practice helps the pattern stick."
        )
    return (
        f"{_DAYS_A_WEEK[kind]}, with at least {hours(policy.loaded_gap_days)} between sessions; "
        f"at least {policy.loaded_days_per_week} a week keeps you progressing."
    )


def _load_step(rung: Rung) -> str:
    if rung.load is None or rung.load.unit == "band":
        return "the next band"
    return f"+{rung.load.step_percent:g} %, or the next weight you own"


def _move_on(rung: Rung, policy: Policy, top: bool) -> str:
    if top:
        return "This is the top of your ladder: keep it up and let the load grow to its cap."
    if rung.dose_kind is DoseKind.PATTERNING:
        return (
            f"You move up after {count(policy.mastery_sessions, 'session')} on different days "
            "where the first set was done without reading the cues, every self-check item was "
            "a yes, and pain stayed green during the session and the next morning."
        )
    running = count(policy.two_for_two_sessions, "session")
    gap = hours(policy.loaded_gap_days)
    if rung.dose_kind is DoseKind.BALLISTIC:
        what = "every swing check is a yes (hips drive the bell, bottom stays a hinge, you finish standing tall)"
    elif rung.dose_kind is DoseKind.POWER_PREP:
        what = "the pattern holds at speed and every self-check is a yes"
    else:
        what = "you reach the top of the rep range on every set with good form"
    return (
        f"When {what} and pain is green for {running} running, at least {gap} apart, the load "
        f"goes up a step ({_load_step(rung)}). At the target load, {running} like that move "
        "you up a step."
    )


def _scaled(value: int, factor: float) -> int:
    return max(1, ceil(value * factor))


def _is_loaded(rung: Rung) -> bool:
    return rung.dose_kind is not DoseKind.PATTERNING


def _earliest(rung: Rung, basis: DoseBasis, today: date, policy: Policy) -> date:
    """Patterning may be daily; loaded work waits 48 h after the last loaded session (D2-D5)."""
    if _is_loaded(rung):
        last, gap = basis.last_loaded_day, policy.loaded_gap_days
    else:
        last, gap = basis.last_day, policy.patterning_gap_days
    return today if last is None else max(today, last + timedelta(days=gap))


def _volume_factor(state: ProgramState, today: date) -> float:
    """The deload factor, back to full volume once `deload_until` has passed (D6)."""
    if state.deload_until is not None and today >= state.deload_until:
        return 1.0
    return state.volume_factor


def _dose_notes(
    rung: Rung, basis: DoseBasis, policy: Policy, high: bool
) -> tuple[list[str], list[str]]:
    """Why the dose is where it is, with the rule behind each change."""
    rule, need = RULE[rung.dose_kind], policy.dose_step_up_sessions
    if high:
        return [rule], [
            f"Dose at the top of its range: {count(basis.green_days, 'green session')} at this "
            f"step ({rule})."
        ]
    if basis.last_light is Light.AMBER:
        return ["P2"], [
            "Your last session here was amber, so the dose stays at the low end until a "
            "session is green (P2)."
        ]
    if basis.green_days:
        return [], [
            f"{basis.green_days} of {count(need, 'green session')} at this step: then the dose "
            f"goes up ({rule})."
        ]
    return [], []


def prescribe(
    rungs: tuple[Rung, ...],
    state: ProgramState,
    basis: DoseBasis,
    policy: Policy,
    today: date,
) -> Prescription:
    """Build today's prescription from the rung, its green sessions and any deload."""
    rung = rungs[state.rung]
    high = basis.green_days >= policy.dose_step_up_sessions
    sets = rung.sets[1] if high else rung.sets[0]
    seconds = None
    if rung.seconds is not None and (rung.dose_kind is DoseKind.PATTERNING or rung.reps is None):
        seconds = rung.seconds[1] if high else rung.seconds[0]
    extra_rules, notes = _dose_notes(rung, basis, policy, high)
    rules = [RULE[rung.dose_kind], *extra_rules]
    factor = _volume_factor(state, today)
    if factor < 1.0:
        sets = _scaled(sets, factor)
        seconds = _scaled(seconds, factor) if seconds is not None else None
        rules.append("D6")
        until = f" until {state.deload_until.isoformat()}" if state.deload_until else ""
        notes.append(f"Volume is cut to {percent(factor)} after recent red sessions{until}.")
    earliest = _earliest(rung, basis, today, policy)
    load = state.load if state.load is not None else (rung.load.start if rung.load else None)
    return Prescription(
        rung=state.rung,
        exercise_id=rung.exercise_id,
        name=rung.name,
        dose_kind=rung.dose_kind,
        sets=sets,
        seconds=seconds,
        reps=None if seconds is not None else rung.reps,
        rest_seconds=rung.rest_seconds,
        tempo=rung.tempo,
        load=load,
        load_unit=rung.load.unit if rung.load else None,
        warmup=_warmup(rungs, state.rung),
        effort=_effort(rung.dose_kind, policy),
        frequency=_frequency(rung.dose_kind, policy),
        move_on=_move_on(rung, policy, state.rung + 1 >= len(rungs)),
        pain_guide=pain_guide(policy),
        earliest=earliest,
        due_today=earliest <= today,
        rules=tuple(dict.fromkeys(rules)),
        notes=tuple(notes),
    )


def _warmup(rungs: tuple[Rung, ...], index: int) -> str | None:
    if index == 0:
        return "Warm up with 1-2 minutes of easy walking or marching on the spot."
    below = rungs[index - 1]
    work = (
        f"{below.seconds[0]} s" if below.seconds else f"{below.reps[0] if below.reps else 8} reps"
    )
    return f"Warm up with 1 set of {work} of {below.name} (the step below), unloaded."
