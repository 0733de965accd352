"""Today's prescription: what, how many, how hard, how often (rules D1-D6).

Dosing table of domain-rules.md [E/C, combination D]: unloaded patterning daily or >= 5 days
a week (motor learning); resisted, lifted, power and ballistic work 2-3 days a week, >= 48 h
apart (ACSM 2011, Jay 2011); effort targets from NSCA reps-in-reserve practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from hingecoach.engine.model import DoseKind, ProgramState, Rung, Session
from hingecoach.engine.policy import Policy

__all__ = ["Prescription", "prescribe"]

_RULE = {
    DoseKind.PATTERNING: "D1",
    DoseKind.RESISTANCE: "D2",
    DoseKind.LIFT: "D3",
    DoseKind.POWER_PREP: "D4",
    DoseKind.BALLISTIC: "D5",
}

_EFFORT = {
    DoseKind.PATTERNING: "Easy and controlled: pain up to 3/10 is fine, 5/10 at most.",
    DoseKind.RESISTANCE: "Moderate: stop each set with 3-4 good reps still in the tank (effort 6-7 out of 10).",
    DoseKind.LIFT: "Moderate to hard: stop each set with 2-3 good reps in the tank.",
    DoseKind.POWER_PREP: "Brisk but clean: 2-3 reps in the tank, hips snapping forward each rep.",
    DoseKind.BALLISTIC: "Crisp swings with a bell light enough that every rep stays a hinge; rest at least as long as you worked.",
}

_FREQUENCY = {
    DoseKind.PATTERNING: "Daily, or at least 5 days a week. Short, spaced practice helps the pattern stick.",
    DoseKind.RESISTANCE: "3 days a week, with at least 48 hours between sessions.",
    DoseKind.LIFT: "2-3 days a week, with at least 48 hours between sessions.",
    DoseKind.POWER_PREP: "2-3 days a week, with at least 48 hours between sessions.",
    DoseKind.BALLISTIC: "2-3 days a week, with at least 48 hours between sessions.",
}

_MOVE_ON = {
    DoseKind.PATTERNING: (
        "You move up after two sessions on different days where the first set was done "
        "without reading the cues, every self-check item was a yes, and pain stayed green "
        "during the session and the next morning."
    ),
    DoseKind.RESISTANCE: (
        "When you reach the top of the rep range on every set two sessions running with good "
        "form and green pain, the load goes up a step (next band or +2-10 %). At the target "
        "load, two such sessions move you up a step."
    ),
    DoseKind.POWER_PREP: (
        "When the pattern holds at speed, every self-check is a yes and pain is green two "
        "sessions running, the load goes up; at the target load you move up a step."
    ),
}
_MOVE_ON[DoseKind.LIFT] = _MOVE_ON[DoseKind.RESISTANCE]
_MOVE_ON[DoseKind.BALLISTIC] = (
    "When every swing check is a yes (hips drive the bell, bottom stays a hinge, you finish "
    "standing tall) and pain is green two sessions running, the bell goes up; at the target "
    "bell you move up a step."
)

PAIN_GUIDE = (
    "Pain up to 3/10 during the work is fine and 5/10 is the limit. Stop the set if it goes "
    "past 5, or if pain, burning, tingling or numbness runs into your buttock or leg. Burning "
    "only in the working muscles that fades within a minute or two of rest is usually "
    "fatigue. Muscle aching 1-3 days later that eases each time is normal soreness, not a flare."
)


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
    def how_many(self) -> str:
        parts = [f"{self.sets} set{'s' if self.sets != 1 else ''}"]
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
    """One minute at 1-2 s down and 1-2 s up is about 15-30 reps (domain-rules.md)."""
    return f"about {max(1, seconds // 4)}-{max(1, seconds // 2)}"


def _scaled(value: int, factor: float) -> int:
    return max(1, ceil(value * factor))


def _experience_at_rung(sessions: tuple[Session, ...], state: ProgramState) -> int:
    return sum(
        1
        for s in sessions
        if s.rung == state.rung and (state.since is None or s.day >= state.since)
    )


def _is_loaded(rung: Rung) -> bool:
    return rung.dose_kind is not DoseKind.PATTERNING


def _earliest(
    rungs: tuple[Rung, ...], rung: Rung, sessions: tuple[Session, ...], today: date, policy: Policy
) -> date:
    """Patterning may be daily; loaded work waits 48 h after the last loaded session (D2-D5)."""
    loaded = _is_loaded(rung)
    gap = policy.loaded_gap_days if loaded else policy.patterning_gap_days
    counted = [
        s.day
        for s in sessions
        if not loaded or (0 <= s.rung < len(rungs) and _is_loaded(rungs[s.rung]))
    ]
    if not counted:
        return today
    return max(today, max(counted) + timedelta(days=gap))


def _volume_factor(state: ProgramState, today: date) -> float:
    """The deload factor, back to full volume once `deload_until` has passed (D6)."""
    if state.deload_until is not None and today >= state.deload_until:
        return 1.0
    return state.volume_factor


def prescribe(
    rungs: tuple[Rung, ...],
    state: ProgramState,
    sessions: tuple[Session, ...],
    policy: Policy,
    today: date,
) -> Prescription:
    """Build today's prescription from the rung, the sessions done there and any deload."""
    rung = rungs[state.rung]
    done = _experience_at_rung(sessions, state)
    # Start at the low end of each range; after two sessions at the rung use the high end.
    sets = rung.sets[0] if done < 2 else rung.sets[1]
    seconds = None
    if rung.seconds is not None and (rung.dose_kind is DoseKind.PATTERNING or rung.reps is None):
        seconds = rung.seconds[0] if done < 2 else rung.seconds[1]
    rules = [_RULE[rung.dose_kind]]
    notes: list[str] = []
    factor = _volume_factor(state, today)
    if factor < 1.0:
        sets = _scaled(sets, factor)
        seconds = _scaled(seconds, factor) if seconds is not None else None
        rules.append("D6")
        until = f" until {state.deload_until.isoformat()}" if state.deload_until else ""
        notes.append(f"Volume is cut to {factor:.0%} after recent red sessions{until}.")
    earliest = _earliest(rungs, rung, sessions, today, policy)
    warmup = _warmup(rungs, state.rung)
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
        warmup=warmup,
        effort=_EFFORT[rung.dose_kind],
        frequency=_FREQUENCY[rung.dose_kind],
        move_on=_MOVE_ON[rung.dose_kind]
        if state.rung + 1 < len(rungs)
        else "This is the top of your ladder: keep it up and let the load grow to its cap.",
        pain_guide=PAIN_GUIDE,
        earliest=earliest,
        due_today=earliest <= today,
        rules=tuple(rules),
        notes=tuple(notes),
    )


def _warmup(rungs: tuple[Rung, ...], index: int) -> str | None:
    if index == 0:
        return "Warm up with 1-2 minutes of easy walking or marching on the spot."
    below = rungs[index - 1]
    return f"Warm up with 1 set of 30 s of {below.name} (the step below), unloaded."
