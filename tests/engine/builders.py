"""Small builders for engine inputs: days as offsets, sessions, check-ins, screens, states.

Day numbers are offsets from `D0`, so a table row reads `session(1, 2, during=7)`: on day 1,
the learner did rung 2 with pain 7/10 during the work. Defaults describe a calm, clean
session (pain 2, every self-check a yes, first set from memory, no faults).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hingecoach.engine.model import (
    CheckIn,
    History,
    OutcomeReading,
    ProgramState,
    Quality,
    Rung,
    ScreenResult,
    Session,
    SetLog,
    SymptomArea,
)
from tests.expected import SOLVING_PAIN_ORDER

D0 = date(2025, 3, 3)
RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
_ID_CELL = re.compile(r"^\|\s*([A-Z]{1,2}(?:-[A-Z])?\d+)\s*\|", re.MULTILINE)

# Exercise ids of the built-in "solving-pain" ladder, by rung index (checked in test_rule_table).
SOLVING_PAIN_IDS = SOLVING_PAIN_ORDER


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def session(
    d: int,
    rung: int,
    *,
    during: int = 2,
    after: int = 2,
    before: int = 2,
    area: SymptomArea = SymptomArea.NONE,
    qualities: Iterable[Quality] = (),
    faded: bool = False,
    uncued: bool = True,
    checks: tuple[bool, ...] = (True, True, True),
    faults: int = 0,
    basis: int = 20,
    sets: tuple[SetLog, ...] = (),
) -> Session:
    return Session(
        day=day(d),
        rung=rung,
        exercise_id=SOLVING_PAIN_IDS[rung],
        pain_before=before,
        pain_during=during,
        pain_after=after,
        sets=sets,
        area=area,
        qualities=frozenset(qualities),
        faded_with_rest=faded,
        first_set_uncued=uncued,
        self_check=checks,
        faults=faults,
        fault_basis=basis,
    )


def lifted(
    d: int, rung: int, load: float, *, reps: int = 12, n_sets: int = 2, during: int = 2
) -> Session:
    """A loaded session: `n_sets` sets of `reps` at `load`, every form check a yes."""
    sets = tuple(SetLog(reps=reps, load=load) for _ in range(n_sets))
    return session(d, rung, during=during, sets=sets)


def checkin(
    d: int,
    pain: int,
    *,
    area: SymptomArea = SymptomArea.NONE,
    qualities: Iterable[Quality] = (),
    soreness: bool = False,
) -> CheckIn:
    return CheckIn(day(d), pain, area, frozenset(qualities), soreness)


def mornings(first: int, last: int, pain: int) -> tuple[CheckIn, ...]:
    """One check-in a morning from day `first` to day `last`, inclusive, all at `pain`."""
    return tuple(checkin(d, pain) for d in range(first, last + 1))


def outcome(d: int, measure: str, score: float) -> OutcomeReading:
    return OutcomeReading(measure, day(d), score)


def screen(d: int, *flags: str) -> ScreenResult:
    return ScreenResult(day(d), frozenset(flags))


def state(rung: int, **fields: object) -> ProgramState:
    """A ProgramState at `rung`; day-valued fields may be given as offsets (ints)."""
    dated = {"deload_until", "regressed_on", "since", "acted_on"}
    values = {k: day(v) if k in dated and isinstance(v, int) else v for k, v in fields.items()}
    return ProgramState(rung, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Given:
    """Everything in a History except the rungs, which come from a fixture."""

    state: ProgramState
    sessions: tuple[Session, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    screens: tuple[ScreenResult, ...] = ()
    onboarding: int = 2
    cleared_on: int | None = None
    started: int | None = None
    outcomes: tuple[OutcomeReading, ...] = ()

    def history(self, rungs: tuple[Rung, ...]) -> History:
        return History(
            rungs=rungs,
            state=self.state,
            onboarding_pain=self.onboarding,
            sessions=self.sessions,
            checkins=self.checkins,
            screens=self.screens,
            cleared_on=day(self.cleared_on) if self.cleared_on is not None else None,
            started=day(self.started) if self.started is not None else None,
            outcomes=self.outcomes,
        )


def documented_rule_ids() -> set[str]:
    """Rule ids in the first column of the tables in docs/rules.md (`| S-A1 | ...`)."""
    return set(_ID_CELL.findall(RULES_DOC.read_text(encoding="utf-8")))
