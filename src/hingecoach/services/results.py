"""What the programme's use cases return: frozen values the CLI and the web render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hingecoach.adapters.db.records import ChangeRecord, DecisionRecord, NoteRecord
from hingecoach.catalog import Ladder
from hingecoach.engine.dosing import Prescription
from hingecoach.engine.model import CheckIn, Decision, ProgramState, Rung, Session
from hingecoach.engine.outcomes import Measure, Score
from hingecoach.engine.pain import LightVerdict
from hingecoach.engine.placement import KitNote, Placement
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.progression import ProgrammeStatus, Standing
from hingecoach.engine.screening import ScreenVerdict
from hingecoach.services.outcomes import OutcomesView

__all__ = [
    "Answered",
    "ClinicalRecord",
    "KitView",
    "Outcome",
    "StartResult",
    "StatusView",
    "TodayView",
]


@dataclass(frozen=True)
class TodayView:
    learner: str
    ladder: Ladder
    rungs: tuple[Rung, ...]
    state: ProgramState
    verdict: ScreenVerdict
    prescription: Prescription | None
    last_decision: DecisionRecord | None
    kit: tuple[KitNote, ...]
    status: ProgrammeStatus = field(default_factory=lambda: ProgrammeStatus(Standing.RUNNING))
    policy: Policy = DEFAULT_POLICY
    sessions_logged: int = 0  # a web form's one-time token is the next number
    checkins_logged: int = 0
    logged_today: bool = False  # a session is already saved for today


@dataclass(frozen=True)
class KitView:
    """What the learner has at home, and what today's step and the next still lack."""

    have: frozenset[str]
    today: TodayView


@dataclass(frozen=True)
class StartResult:
    learner_id: int
    ladder: Ladder
    rungs: tuple[Rung, ...]
    placement: Placement
    decision: Decision


@dataclass(frozen=True)
class Outcome:
    """What a log, check-in, screen or clearance produced.

    `session` is the light of the session just logged (a log only): the page after saving
    shows it first, whatever earlier session the decision also had to weigh.
    """

    decision: Decision
    rungs: tuple[Rung, ...]
    rung_before: int | None
    today: TodayView
    session: LightVerdict | None = None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusView:
    today: TodayView
    decisions: list[DecisionRecord]
    sessions: list[Session]
    checkins: list[CheckIn]
    mornings: list[tuple[date, int]] = field(default_factory=list)
    onboarding_pain: int = 0
    notes: list[str] = field(default_factory=list)  # each session's note, in session order


@dataclass(frozen=True)
class ClinicalRecord:
    notes: list[NoteRecord]
    changes: list[ChangeRecord]
    policy: Policy
    adjusted: frozenset[str]
    outcomes: OutcomesView | None = None


@dataclass(frozen=True)
class Answered:
    """A questionnaire just filled in: its score, the learner's outcomes now, and the
    decision it brought when it raised a sign (a high-risk STarT Back)."""

    measure: Measure
    score: Score
    outcomes: OutcomesView
    outcome: Outcome | None = None
