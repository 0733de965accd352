"""What comes before any progress, and the programme's standing that every door enforces.

- A stop: an emergency (S-A) or urgent (S-B) warning sign (P5), or nerve signs (SX2).
- A restriction to unloaded steps: an S-C flag, including the no-improvement review (S-C2)
  the engine raises by itself when morning pain has not improved by `review_improvement`
  over `review_weeks`, or an ODI or RMDQ filled by then shows no important change
  (domain-rules.md, outcome measures: less than 30 % better by about six weeks -> suggest
  clinician review).

Only a clinician's clearance lifts a stop or a restriction; a clearance covers what was
reported up to its day (the services move that day back for anything recorded later).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from statistics import fmean

from hingecoach.engine.model import Action, Decision, History, Light, Urgency
from hingecoach.engine.outcomes import meaningful_change
from hingecoach.engine.pain import baseline
from hingecoach.engine.progression.context import Ctx
from hingecoach.engine.screening import BY_WHEN, flag_words
from hingecoach.engine.symptoms import nerve_words
from hingecoach.engine.texts import N_, date_words, num, pain, percent, shown, weeks
from hingecoach.language import _

__all__ = [
    "HelpLine",
    "NerveEvent",
    "ProgrammeStatus",
    "Standing",
    "automatic_flags",
    "nerve_event",
    "refer_nerve",
    "restrict",
    "routine_flags",
    "status_of",
    "stop",
]


class Standing(StrEnum):
    RUNNING = "running"
    RESTRICTED = "restricted"  # unloaded steps only, until a clinician's review
    STOPPED = "stopped"  # no sessions until a clinician's clearance


@dataclass(frozen=True)
class HelpLine:
    number: str
    label: str


@dataclass(frozen=True)
class ProgrammeStatus:
    """Whether the programme runs, and if not, why, what to do and by when."""

    standing: Standing
    urgency: Urgency = Urgency.NONE
    rules: tuple[str, ...] = ()
    reason: str = ""
    advice: str = ""
    by_when: str = ""
    since: date | None = None  # the day of the sign behind it: a clearance is never before
    call: HelpLine | None = None

    @property
    def stopped(self) -> bool:
        return self.standing is Standing.STOPPED


@dataclass(frozen=True)
class NerveEvent:
    day: date
    words: str


_NERVE_WHEN = N_("before your next session")
_NERVE_ADVICE = N_(
    "Stop the programme and see a clinician (a doctor or physiotherapist) before your next session."
)


def nerve_event(h: History) -> NerveEvent | None:
    """The latest session or check-in with nerve signs not yet cleared (rule SX2)."""
    found: list[NerveEvent] = []
    for s in h.sessions:
        words = nerve_words(s.area, s.qualities, s.faded_with_rest)
        if words:
            found.append(NerveEvent(s.day, ", ".join(words)))
    for c in h.checkins:
        words = nerve_words(c.area, c.qualities, False)
        if words:
            found.append(NerveEvent(c.day, ", ".join(words)))
    fresh = [e for e in found if h.cleared_on is None or e.day > h.cleared_on]
    return max(fresh, key=lambda e: e.day) if fresh else None


def no_improvement(ctx: Ctx) -> str | None:
    """S-C2 by itself: morning pain not `review_improvement` better over the review window,
    said as a sentence.

    The window starts at the programme's start, or at the last clearance after a review.
    """
    h, policy, today = ctx.history, ctx.policy, ctx.today
    if h.started is None:
        return None
    since = max(h.started, h.cleared_on) if h.cleared_on else h.started
    if (today - since).days < policy.review_weeks * 7:
        return None
    mornings = ctx.checkin_index.mornings
    before = baseline(mornings, h.onboarding_pain, since, policy)
    recent = mornings.readings(today, 7)
    if before < policy.review_pain_min or not recent:
        return None
    now = fmean(recent)
    if before - now >= policy.review_improvement * before:
        return None
    return _(
        "Your morning pain is {now} this week against {before} at the start: less than "
        "{percent} better after {weeks}."
    ).format(
        now=pain(round(now, 1)),
        before=pain(round(before, 1)),
        percent=percent(policy.review_improvement),
        weeks=weeks(policy.review_weeks),
    )


def no_disability_change(ctx: Ctx) -> str | None:
    """S-C2 from the questionnaires: an ODI or RMDQ filled at least `review_weeks` into the
    review window shows no important change from the first one (rule O6; domain-rules.md:
    ODI or RMDQ at baseline, 6 and 12 weeks, and less than 30 % better by about six weeks
    suggests a clinician review). After a clearance, only a score filled after it counts."""
    h, policy = ctx.history, ctx.policy
    if h.started is None:
        return None
    since = max(h.started, h.cleared_on) if h.cleared_on else h.started
    for measure in _DISABILITY:
        scores = [r for r in h.outcomes if r.measure == measure]
        if len(scores) < 2:
            continue
        first, latest = scores[0], scores[-1]
        late_enough = (latest.day - since).days >= policy.review_weeks * 7
        if (
            late_enough
            and latest.day > since
            and meaningful_change(measure, first.score, latest.score) == "none"
        ):
            return _(_DISABILITY[measure]).format(
                latest=num(latest.score), first=num(first.score), weeks=weeks(policy.review_weeks)
            )
    return None


# The disability questionnaires a review reads, as the learner's pages name them.
_DISABILITY = {
    "ODI": N_(
        "Your daily-life questionnaire (ODI) score is {latest} against {first} at the start: "
        "not an important change after {weeks}."
    ),
    "RMDQ": N_(
        "Your Roland-Morris questionnaire score is {latest} against {first} at the start: not "
        "an important change after {weeks}."
    ),
}


def review_reason(ctx: Ctx) -> str | None:
    """Why the engine asked for a review by itself (S-C2), in a sentence; None when it did
    not."""
    return no_improvement(ctx) or no_disability_change(ctx)


def automatic_flags(ctx: Ctx) -> frozenset[str]:
    return frozenset({"S-C2"}) if review_reason(ctx) else frozenset()


def _help(number: str, label: str) -> HelpLine | None:
    """The tap-to-call line: `label` is 'Call {number} (...)', marked for translation."""
    return HelpLine(number, _(label).format(number=number)) if number else None


def _stop_status(ctx: Ctx) -> ProgrammeStatus:
    verdict, policy = ctx.verdict, ctx.policy
    emergency = verdict.urgency is Urgency.EMERGENCY
    call = (
        _help(policy.emergency_number, N_("Call {number} (emergency)"))
        if emergency
        else _help(policy.urgent_number, N_("Call {number} (urgent advice)"))
    )
    return ProgrammeStatus(
        Standing.STOPPED,
        verdict.urgency,
        verdict.rules,
        _reported(verdict.flags),
        verdict.message,
        shown(BY_WHEN[verdict.urgency]),
        verdict.since,
        call,
    )


def _restricted_status(ctx: Ctx) -> ProgrammeStatus:
    verdict = ctx.verdict
    answered = [f for f in verdict.flags if f not in verdict.automatic]
    parts = [_reported(answered)] if answered else []
    review = review_reason(ctx) if verdict.automatic else None
    if review:
        parts.append(review)
    return ProgrammeStatus(
        Standing.RESTRICTED,
        Urgency.ROUTINE,
        verdict.flags,
        " ".join(parts),
        verdict.message,
        shown(BY_WHEN[Urgency.ROUTINE]),
        verdict.since or ctx.today,
    )


def status_of(ctx: Ctx) -> ProgrammeStatus:
    """The programme's standing today: stopped, restricted or running."""
    if ctx.verdict.stops:
        return _stop_status(ctx)
    nerve = nerve_event(ctx.history)
    if nerve is not None:
        return ProgrammeStatus(
            Standing.STOPPED,
            Urgency.ROUTINE,
            ("SX2",),
            _(
                "On {day} you reported {signs}: that can come from an irritated nerve rather "
                "than a tired muscle."
            ).format(day=date_words(nerve.day), signs=nerve.words),
            _(_NERVE_ADVICE),
            _(_NERVE_WHEN),
            nerve.day,
            _help(ctx.policy.urgent_number, N_("Call {number} (urgent advice)")),
        )
    if ctx.verdict.urgency is Urgency.ROUTINE:
        return _restricted_status(ctx)
    return ProgrammeStatus(Standing.RUNNING)


def stop(ctx: Ctx) -> Decision | None:
    """S-A, S-B (P5): stop the programme with the matching urgency."""
    verdict = ctx.verdict
    if not verdict.stops:
        return None
    return Decision(
        Action.STOP,
        verdict.rules,
        (_reported(verdict.flags), verdict.message),
        replace(ctx.state, stopped=True),
        urgency=verdict.urgency,
        refer=True,
    )


def refer_nerve(ctx: Ctx) -> Decision | None:
    """SX2: stop, one step lower once cleared, and see a clinician before the next session."""
    nerve = nerve_event(ctx.history)
    if nerve is None:
        return None
    state = ctx.state
    already = state.acted_on is not None and state.acted_on >= nerve.day
    rung = state.rung if already else max(0, state.rung - 1)
    scheme = ctx.rungs[rung].load
    new_state = replace(
        state,
        rung=rung,
        stopped=True,
        acted_on=max(nerve.day, state.acted_on or nerve.day),
        regressed_on=state.regressed_on if already else ctx.today,
        since=state.since if already else ctx.today,
        load=state.load if already else (scheme.start if scheme else None),
    )
    return Decision(
        Action.REFER,
        ("SX2",),
        (
            _("On {day} you reported {signs}.").format(
                day=date_words(nerve.day), signs=nerve.words
            ),
            _("That can come from an irritated nerve rather than a tired muscle."),
            _(
                "Stop the programme and see a clinician (a doctor or physiotherapist) before "
                "your next session. When they clear you, you restart one step lower, at {name}."
            ).format(name=shown(ctx.rungs[rung].name)),
        ),
        new_state,
        light=Light.RED,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def restrict(ctx: Ctx) -> Decision | None:
    """S-C flags on a loaded step: back to the highest unloaded step, and book a review."""
    verdict = ctx.verdict
    if verdict.urgency is not Urgency.ROUTINE or not ctx.rungs[ctx.state.rung].loaded:
        return None
    unloaded = [i for i in range(ctx.state.rung) if not ctx.rungs[i].loaded]
    target = unloaded[-1] if unloaded else 0
    state = replace(
        ctx.state,
        rung=target,
        load=None,
        unloaded_only=True,
        since=ctx.today,
        regressed_on=ctx.today,
    )
    status = _restricted_status(ctx)
    return Decision(
        Action.REGRESS,
        verdict.rules,
        (
            status.reason,
            verdict.message,
            _("Back to {name}, the highest unloaded step.").format(
                name=shown(ctx.rungs[target].name)
            ),
        ),
        state,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def _reported(flags: tuple[str, ...] | list[str]) -> str:
    return _("You reported {signs}.").format(signs=flag_words(flags))


def routine_flags(ctx: Ctx) -> tuple[str, ...]:
    return tuple(f for f in ctx.verdict.flags if f.startswith("S-C"))
