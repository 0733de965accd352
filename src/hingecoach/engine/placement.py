"""Placement on a ladder rung (rules PL1-PL5).

Experience decides the starting point, pain and the screen can only lower it: loaded steps
are gated on lower pain (Berglund 2015) and on a clean screen. Missing equipment is flagged
with an alternative, never skipped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hingecoach.engine.model import Experience, Rung, Urgency
from hingecoach.engine.policy import Policy
from hingecoach.engine.screening import ScreenVerdict
from hingecoach.engine.texts import shown
from hingecoach.language import _

__all__ = ["Answers", "KitNote", "Placement", "kit_notes", "kit_words", "place"]


def kit_words(kit: str) -> str:
    """A piece of kit by its id, as a note says it: 'a mat', 'an anchor' (English; the
    catalog's translations have each, so `_` says it in the reader's language)."""
    words = kit.replace("_", " ")
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


@dataclass(frozen=True)
class KitNote:
    rung: int
    kit: str
    alternative: str | None

    def text(self, rungs: tuple[Rung, ...]) -> str:
        """The note in the reader's language (the step, the kit and the alternative too)."""
        name, kit = shown(rungs[self.rung].name), shown(kit_words(self.kit))
        if self.alternative:
            return _("{name} uses {kit}, which you do not have. Instead: {alternative}").format(
                name=name, kit=kit, alternative=shown(self.alternative)
            )
        return _(
            "{name} needs {kit}, which you do not have and nothing safely replaces; get one "
            "before this step."
        ).format(name=name, kit=kit)


@dataclass(frozen=True)
class Answers:
    """What the learner says at the start: their experience, their pain now, their kit."""

    experience: Experience
    pain_now: int
    have: frozenset[str]


@dataclass(frozen=True)
class Placement:
    rung: int | None
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    urgency: Urgency
    unloaded_only: bool
    kit: tuple[KitNote, ...]


def _first(rungs: tuple[Rung, ...], test: Callable[[Rung], bool]) -> int | None:
    return next((i for i, r in enumerate(rungs) if test(r)), None)


def _by_experience(rungs: tuple[Rung, ...], experience: Experience) -> tuple[int, str]:
    if experience is Experience.LIFTER:
        loaded = _first(rungs, lambda r: r.loaded)
        if loaded is not None:
            return (
                loaded,
                _(
                    "you have lifted or swung before without pain, so you start at the first "
                    "loaded step"
                ),
            )
    if experience in (Experience.SOME, Experience.LIFTER):
        spine = _first(rungs, lambda r: r.stage == "neutral_spine")
        if spine is not None:
            return (
                spine,
                _("you have hinged before, so you start where the ladder teaches a neutral spine"),
            )
    return 0, _("you are new to the hinge, so you start at the first step")


def _last_unloaded_before_load(rungs: tuple[Rung, ...], rung: int) -> int:
    first_loaded = _first(rungs, lambda r: r.loaded)
    if first_loaded is None or rung < first_loaded:
        return rung
    return max(0, first_loaded - 1)


def kit_notes(
    rungs: tuple[Rung, ...],
    start: int,
    have: frozenset[str],
    alternatives: Mapping[str, str | None],
) -> tuple[KitNote, ...]:
    """Every rung from `start` up whose equipment the learner lacks (rule PL5)."""
    notes = []
    for i in range(start, len(rungs)):
        for kit in rungs[i].equipment:
            if kit not in have:
                notes.append(KitNote(i, kit, alternatives.get(kit)))
    return tuple(notes)


def place(
    rungs: tuple[Rung, ...],
    answers: Answers,
    verdict: ScreenVerdict,
    alternatives: Mapping[str, str | None],
    policy: Policy,
) -> Placement:
    """Choose the starting rung and say why."""
    experience, pain_now, have = answers.experience, answers.pain_now, answers.have
    if verdict.stops:
        return Placement(
            None, ("PL1", *verdict.rules), (verdict.message,), verdict.urgency, False, ()
        )
    rung, why = _by_experience(rungs, experience)
    rules = ["PL4"]
    reasons = [_("Start at {name}: {why}.").format(name=shown(rungs[rung].name), why=why)]
    unloaded_only = verdict.urgency is Urgency.ROUTINE
    if pain_now >= policy.placement_pain_first_rung and rung > 0:
        rung = 0
        rules.append("PL3")
        reasons.append(
            _(
                "Your pain today is {pain}/10, so you begin at the gentlest step ({limit}/10 or "
                "more starts there)."
            ).format(pain=pain_now, limit=policy.placement_pain_first_rung)
        )
    elif pain_now > policy.placement_pain_unloaded_max or unloaded_only:
        capped = _last_unloaded_before_load(rungs, rung)
        if capped != rung:
            rung = capped
            rule, cause = (
                ("PL2", _("your screen asks for a review first"))
                if unloaded_only
                else (
                    "PL3",
                    _(
                        "your pain today is {pain}/10 (loaded steps wait for {limit} or less)"
                    ).format(pain=pain_now, limit=policy.placement_pain_unloaded_max),
                )
            )
            rules.append(rule)
            reasons.append(
                _("Moved to {name}, the last unloaded step: {cause}.").format(
                    name=shown(rungs[rung].name), cause=cause
                )
            )
    if unloaded_only:
        rules.extend(verdict.rules)
        reasons.append(verdict.message)
    kit = kit_notes(rungs, rung, have, alternatives)
    if kit:
        rules.append("PL5")
        reasons.extend(note.text(rungs) for note in kit if note.rung == rung)
    return Placement(
        rung, tuple(dict.fromkeys(rules)), tuple(reasons), verdict.urgency, unloaded_only, kit
    )
