"""What every rule of a decision reads: the history in canonical order, the policy, today,
the state so far and the screen verdict, with each session's light computed once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from hingecoach.engine.model import (
    CheckIn,
    History,
    Light,
    ProgramState,
    Rung,
    ScreenResult,
    Session,
)
from hingecoach.engine.pain import CheckInIndex, LightVerdict, session_light
from hingecoach.engine.policy import Policy
from hingecoach.engine.screening import ScreenVerdict

__all__ = ["SEVERITY", "Ctx", "canonical", "worst"]

SEVERITY = {Light.GREEN: 0, Light.PENDING: 1, Light.AMBER: 2, Light.RED: 3}


@dataclass(frozen=True)
class Ctx:
    history: History
    policy: Policy
    today: date
    state: ProgramState
    verdict: ScreenVerdict

    @property
    def rungs(self) -> tuple[Rung, ...]:
        return self.history.rungs

    @cached_property
    def checkin_index(self) -> CheckInIndex:
        return CheckInIndex.of(self.history.checkins, self.today)

    @cached_property
    def _lights(self) -> dict[Session, LightVerdict]:
        return {}

    def light(self, session: Session) -> LightVerdict:
        """The light of a session, computed once per decision."""
        if session not in self._lights:
            h = self.history
            self._lights[session] = session_light(
                session, (), h.onboarding_pain, self.policy, self.today, self.checkin_index
            )
        return self._lights[session]

    @cached_property
    def by_day(self) -> dict[date, tuple[Session, ...]]:
        """Sessions grouped by day, days in order: a day's sessions count once."""
        days: dict[date, list[Session]] = {}
        for s in self.history.sessions:
            days.setdefault(s.day, []).append(s)
        return {d: tuple(ss) for d, ss in days.items()}

    def worst_of(self, sessions: tuple[Session, ...]) -> tuple[Session, LightVerdict]:
        return worst((s, self.light(s)) for s in sessions)

    def days_here(self) -> list[tuple[date, tuple[Session, ...]]]:
        """Days with sessions at the current rung since the learner reached it, oldest first."""
        since, rung = self.state.since, self.state.rung
        found = []
        for d, sessions in self.by_day.items():
            here = tuple(s for s in sessions if s.rung == rung)
            if here and (since is None or d >= since):
                found.append((d, here))
        return found


def worst(judged: Iterable[tuple[Session, LightVerdict]]) -> tuple[Session, LightVerdict]:
    """The most serious (session, light) pair; on a tie, the last in canonical order."""
    pairs = list(judged)
    return max(reversed(pairs), key=lambda pair: SEVERITY[pair[1].light])


def _session_key(s: Session) -> tuple[object, ...]:
    # A frozenset's repr can list equal members in different orders, so sort them apart.
    rest = repr(replace(s, qualities=frozenset()))
    qualities = tuple(sorted(s.qualities))
    return (
        s.day,
        s.rung,
        s.exercise_id,
        s.pain_during,
        s.pain_after,
        s.pain_before,
        qualities,
        rest,
    )


def _checkin_key(c: CheckIn) -> tuple[object, ...]:
    return (c.day, c.pain, tuple(sorted(c.qualities)), repr(replace(c, qualities=frozenset())))


def _screen_key(s: ScreenResult) -> tuple[object, ...]:
    return (s.day, tuple(sorted(s.flags)))


def canonical(history: History, today: date) -> History:
    """Drop readings dated after `today` and sort the rest, so arrival order never matters."""
    return replace(
        history,
        sessions=tuple(sorted((s for s in history.sessions if s.day <= today), key=_session_key)),
        checkins=tuple(sorted((c for c in history.checkins if c.day <= today), key=_checkin_key)),
        screens=tuple(sorted((s for s in history.screens if s.day <= today), key=_screen_key)),
    )
