"""What every rule of a decision reads: the history in canonical order, the policy, today,
the state so far and the screen verdict, with each session's light computed once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
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
from hingecoach.engine.symptoms import nerve_signs

__all__ = ["SEVERITY", "Ctx", "canonical", "horizon", "worst"]

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


def horizon(today: date, policy: Policy) -> date:
    """The first day the engine judges (rule H1): `horizon_days` before today."""
    return today - timedelta(days=policy.horizon_days)


def _kept_session(s: Session, start: date, today: date, cleared: date | None) -> bool:
    if s.day > today:
        return False
    uncleared = cleared is None or s.day > cleared
    return s.day >= start or (uncleared and nerve_signs(s.area, s.qualities, s.faded_with_rest))


def _kept_checkin(c: CheckIn, start: date, today: date, cleared: date | None) -> bool:
    if c.day > today:
        return False
    uncleared = cleared is None or c.day > cleared
    return c.day >= start or (uncleared and nerve_signs(c.area, c.qualities))


def _kept_screen(s: ScreenResult, today: date, cleared: date | None) -> bool:
    return bool(s.flags) and s.day <= today and (cleared is None or s.day > cleared)


def canonical(history: History, today: date, policy: Policy) -> History:
    """What a decision reads, sorted so arrival order never matters: readings up to today
    within the horizon (H1), and warning signs not yet cleared, whatever their age.

    `window` in reading.py loads exactly these from the database, so a decision reads only
    what the rules need; the property tests replay histories both ways.
    """
    start, cleared = horizon(today, policy), history.cleared_on
    sessions = (s for s in history.sessions if _kept_session(s, start, today, cleared))
    checkins = (c for c in history.checkins if _kept_checkin(c, start, today, cleared))
    screens = (s for s in history.screens if _kept_screen(s, today, cleared))
    before = history.before_horizon or any(s.day < start for s in history.sessions)
    return replace(
        history,
        before_horizon=before,
        sessions=tuple(sorted(sessions, key=_session_key)),
        checkins=tuple(sorted(checkins, key=_checkin_key)),
        screens=tuple(sorted(screens, key=_screen_key)),
    )
