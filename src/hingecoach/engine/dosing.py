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
from hingecoach.engine.texts import (
    N_,
    date_words,
    days,
    green_sessions,
    hours,
    minutes,
    num,
    pain,
    percent,
    sessions,
    sets,
    shown,
)
from hingecoach.language import _, ngettext

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
# Marked with N_ (built at import), said with _ where they are read.
_EFFORT = {
    DoseKind.RESISTANCE: N_("Moderate: stop each set with 3-4 good reps still in the tank (effort 6-7 out of 10)."),
    DoseKind.LIFT: N_("Moderate to hard: stop each set with 2-3 good reps in the tank."),
    DoseKind.POWER_PREP: N_("Brisk but clean: 2-3 reps in the tank, hips snapping forward each rep."),
    DoseKind.BALLISTIC: N_("Crisp swings with a bell light enough that every rep stays a hinge; rest at least as long as you worked."),
}  # fmt: skip
_DAYS_A_WEEK = {
    DoseKind.RESISTANCE: N_("3 days a week"),
    DoseKind.LIFT: N_("2-3 days a week"),
    DoseKind.POWER_PREP: N_("2-3 days a week"),
    DoseKind.BALLISTIC: N_("2-3 days a week"),
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
        """'2 sets of 30 s (about 7-15 slow reps) with 8 kg, 60 s rest between sets'."""
        if self.seconds is not None:
            low, high = _reps_in(self.seconds)
            dose = ngettext(
                "{sets} set of {seconds} s (about {low}-{high} slow reps)",
                "{sets} sets of {seconds} s (about {low}-{high} slow reps)",
                self.sets,
            ).format(sets=self.sets, seconds=self.seconds, low=low, high=high)
        elif self.reps is not None:
            dose = ngettext(
                "{sets} set of {low}-{high} reps", "{sets} sets of {low}-{high} reps", self.sets
            ).format(sets=self.sets, low=self.reps[0], high=self.reps[1])
        else:
            dose = sets(self.sets)
        if self.load is not None and self.load_unit == "kg":
            dose = _("{dose} with {load} kg").format(dose=dose, load=num(self.load))
        elif self.load is not None:
            dose = _("{dose} with band level {load}").format(dose=dose, load=num(self.load))
        return _("{dose}, {rest} s rest between sets").format(dose=dose, rest=self.rest_seconds)


def _reps_in(seconds: int) -> tuple[int, int]:
    """About how many slow reps a timed set holds: (fewest, most)."""
    fast, slow = _SECONDS_PER_REP
    return max(1, seconds // slow), max(1, seconds // fast)


def pain_guide(policy: Policy) -> str:
    """What pain means during the work, in the learner's own limits."""
    return _(
        "Pain up to {fine} during the work is fine and {limit} is the limit. Stop the set if it "
        "goes past {limit}, or if pain, burning, pins and needles or numbness runs into your "
        "buttock or leg. A stretch at the back of the thigh is what a hinge should feel like. "
        "Burning only in the working muscles that fades within {minutes} of rest is usually "
        "fatigue. Muscle aching in the days after that eases each time is normal soreness, not "
        "a flare."
    ).format(
        fine=pain(policy.preferred_pain_max),
        limit=pain(policy.pain_during_max),
        minutes=minutes(policy.burning_fade_minutes),
    )


def _effort(kind: DoseKind, policy: Policy) -> str:
    if kind is DoseKind.PATTERNING:
        return _("Easy and controlled: pain up to {fine} is fine, {limit} at most.").format(
            fine=pain(policy.preferred_pain_max), limit=pain(policy.pain_during_max)
        )
    return _(_EFFORT[kind])


def _frequency(kind: DoseKind, policy: Policy) -> str:
    if kind is DoseKind.PATTERNING:
        gap, per_week = policy.patterning_gap_days, policy.patterning_days_per_week
        if gap == 1:
            said = _(
                "Daily; at least {per_week} days a week keeps you progressing. Short, spaced "
                "practice helps the pattern stick."
            )
        else:
            said = _(
                "Every {gap}; at least {per_week} days a week keeps you progressing. Short, "
                "spaced practice helps the pattern stick."
            )
        return said.format(gap=days(gap), per_week=per_week)
    return _(
        "{days_a_week}, with at least {gap} between sessions; at least {per_week} a week keeps "
        "you progressing."
    ).format(
        days_a_week=_(_DAYS_A_WEEK[kind]),
        gap=hours(policy.loaded_gap_days),
        per_week=policy.loaded_days_per_week,
    )


def _load_step(rung: Rung) -> str:
    if rung.load is None or rung.load.unit == "band":
        return _("the next band")
    return _("+{percent} %, or the next weight you own").format(percent=num(rung.load.step_percent))


def _move_on(rung: Rung, policy: Policy, top: bool) -> str:
    if top:
        return _("This is the top of your ladder: keep it up and let the load grow to its cap.")
    if rung.dose_kind is DoseKind.PATTERNING:
        return _(
            "You move up after {sessions} on different days where the first set was done "
            "without reading the cues, every self-check item was a yes, and pain stayed green "
            "during the session and the next morning."
        ).format(sessions=sessions(policy.mastery_sessions))
    if rung.dose_kind is DoseKind.BALLISTIC:
        said = _(
            "When every swing check is a yes (hips drive the bell, bottom stays a hinge, you "
            "finish standing tall) and pain is green for {running} running, at least {gap} "
            "apart, the load goes up a step ({step}). At the target load, {running} like that "
            "move you up a step."
        )
    elif rung.dose_kind is DoseKind.POWER_PREP:
        said = _(
            "When the pattern holds at speed and every self-check is a yes and pain is green "
            "for {running} running, at least {gap} apart, the load goes up a step ({step}). At "
            "the target load, {running} like that move you up a step."
        )
    else:
        said = _(
            "When you reach the top of the rep range on every set with good form and pain is "
            "green for {running} running, at least {gap} apart, the load goes up a step "
            "({step}). At the target load, {running} like that move you up a step."
        )
    return said.format(
        running=sessions(policy.two_for_two_sessions),
        gap=hours(policy.loaded_gap_days),
        step=_load_step(rung),
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
            _("Dose at the top of its range: {green} at this step ({rule}).").format(
                green=green_sessions(basis.green_days), rule=rule
            )
        ]
    if basis.last_light is Light.AMBER:
        return ["P2"], [
            _(
                "Your last session here was amber, so the dose stays at the low end until a "
                "session is green (P2)."
            )
        ]
    if basis.green_days:
        return [], [
            _("{done} of {need} at this step: then the dose goes up ({rule}).").format(
                done=basis.green_days, need=green_sessions(need), rule=rule
            )
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
        if state.deload_until:
            cut = _("Volume is cut to {percent} after recent red sessions until {day}.").format(
                percent=percent(factor), day=date_words(state.deload_until)
            )
        else:
            cut = _("Volume is cut to {percent} after recent red sessions.").format(
                percent=percent(factor)
            )
        notes.append(cut)
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
        return _("Warm up with 1-2 minutes of easy walking or marching on the spot.")
    below = rungs[index - 1]
    if below.seconds:
        said = _("Warm up with 1 set of {seconds} s of {name} (the step below), unloaded.")
    else:
        said = _("Warm up with 1 set of {reps} reps of {name} (the step below), unloaded.")
    return said.format(
        seconds=below.seconds[0] if below.seconds else 0,
        reps=below.reps[0] if below.reps else 8,
        name=shown(below.name),
    )
