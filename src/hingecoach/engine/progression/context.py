"""What every rule of a decision reads: the history in canonical order, the policy, today,
the state so far and the screen verdict, with each session's light computed once."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import TypeVar

from hingecoach.engine.model import (
    CheckIn,
    History,
    Light,
    ProgramState,
    Rung,
    ScreenResult,
    Session,
)
from hingecoach.engine.pain import CheckInIndex, LightVerdict, is_red, session_light
from hingecoach.engine.policy import Policy
from hingecoach.engine.screening import ScreenVerdict
from hingecoach.engine.symptoms import nerve_signs
from hingecoach.language import current_language

T = TypeVar("T", Session, CheckIn)

__all__ = ["SEVERITY", "Ctx", "Lights", "canonical", "horizon", "lights_for", "worst"]

SEVERITY = {Light.GREEN: 0, Light.PENDING: 1, Light.AMBER: 2, Light.RED: 3}


class Lights:
    """Each session's light as of one day, computed once: every rule of a decision (red,
    mastery, the dose, automatic reviews) asks for the same lights, several times over.

    A light depends on the session, the check-ins, the onboarding pain, the policy and the
    day, never on other sessions, so `lights_for` shares one Lights between the decisions
    of one request (the standing before a log, the decision after it, today's plan).
    """

    def __init__(
        self, checkins: tuple[CheckIn, ...], onboarding: int, policy: Policy, today: date
    ) -> None:
        self.index = CheckInIndex.of(checkins, today)
        self._onboarding, self._policy, self._today = onboarding, policy, today
        # Keyed by identity (a session's hash walks every field); the session is kept with
        # its light so the identity cannot be reused while the decision runs.
        self._known: dict[int, tuple[Session, LightVerdict]] = {}
        self._red: dict[int, tuple[Session, bool]] = {}

    def of(self, session: Session) -> LightVerdict:
        known = self._known.get(id(session))
        if known is None:
            light = session_light(
                session, (), self._onboarding, self._policy, self._today, self.index
            )
            known = self._known[id(session)] = (session, light)
        return known[1]

    def red(self, session: Session) -> bool:
        """Whether the session's light is red, from the red rules alone unless its whole
        light is known already (every session of a window is asked this; few need more)."""
        known = self._known.get(id(session))
        if known is not None:
            return known[1].light is Light.RED
        found = self._red.get(id(session))
        if found is None:
            red = is_red(session, self._onboarding, self._policy, self._today, self.index)
            found = self._red[id(session)] = (session, red)
        return found[1]


def lights_for(
    checkins: tuple[CheckIn, ...], onboarding: int, policy: Policy, today: date
) -> Lights:
    """The Lights of these check-ins as of `today`: the same values give the same object,
    so lights computed for one decision serve the next one on the same sessions. A light's
    reasons are in the reader's language, so each language keeps its own."""
    return _lights_for(checkins, onboarding, policy, today, current_language())


def forget_lights() -> None:
    """Forget every kept Lights (a benchmark's first decision, timed without reuse)."""
    _lights_for.cache_clear()


@lru_cache(maxsize=32)
def _lights_for(
    checkins: tuple[CheckIn, ...], onboarding: int, policy: Policy, today: date, language: str
) -> Lights:
    return Lights(checkins, onboarding, policy, today)


@dataclass(frozen=True)
class Ctx:
    history: History
    policy: Policy
    today: date
    state: ProgramState
    verdict: ScreenVerdict
    lights: Lights = field(compare=False, repr=False)

    @property
    def rungs(self) -> tuple[Rung, ...]:
        return self.history.rungs

    @property
    def checkin_index(self) -> CheckInIndex:
        return self.lights.index

    def light(self, session: Session) -> LightVerdict:
        """The light of a session, computed once per decision."""
        return self.lights.of(session)

    def red(self, session: Session) -> bool:
        """Whether the session's light is red (`light(session).light is Light.RED`)."""
        return self.lights.red(session)

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


def _session_order(s: Session) -> tuple[object, ...]:
    return (
        s.day,
        s.rung,
        s.exercise_id,
        s.pain_during,
        s.pain_after,
        s.pain_before,
        tuple(sorted(s.qualities)) if s.qualities else (),
    )


def _checkin_order(c: CheckIn) -> tuple[object, ...]:
    return (c.day, c.pain, tuple(sorted(c.qualities)) if c.qualities else ())


_OTHER_FIELDS = {
    kind: tuple(f.name for f in fields(kind) if f.name != "qualities")
    for kind in (Session, CheckIn)
}


def _every_field(item: Session | CheckIn) -> str:
    # The qualities are in the order key already (sorted: a frozenset's repr can list equal
    # members in different orders); the other fields' values, as text, settle the rest.
    return repr(tuple(getattr(item, name) for name in _OTHER_FIELDS[type(item)]))


def _ordered(items: Iterable[T], key: Callable[[T], tuple[object, ...]]) -> tuple[T, ...]:
    """`items` in one order whatever order they came in: by `key`, and where two share it
    (rare: two sessions alike in day, step and pains), by every field."""
    keyed = sorted([(key(item), item) for item in items], key=_first)
    if all(a[0] != b[0] for a, b in itertools.pairwise(keyed)):  # usual: no two share a key
        return tuple(item for _, item in keyed)
    ordered: list[T] = []
    for _, group in itertools.groupby(keyed, key=lambda pair: pair[0]):
        alike = [item for _, item in group]
        if len(alike) > 1 and any(item != alike[0] for item in alike[1:]):
            alike.sort(key=_every_field)  # equal items need no order among themselves
        ordered.extend(alike)
    return tuple(ordered)


def _first(pair: tuple[tuple[object, ...], T]) -> tuple[object, ...]:
    return pair[0]


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
        sessions=_ordered(sessions, _session_order),
        checkins=_ordered(checkins, _checkin_order),
        screens=tuple(sorted(screens, key=_screen_key)),
    )
