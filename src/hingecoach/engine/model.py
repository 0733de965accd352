"""Plain, frozen value types the rules work on. Standard library only.

Everything the engine needs arrives as one of these: the rungs of the learner's ladder,
the history of sessions, check-ins and screens, and the program state left by the last
decision. Nothing here reads a clock, a file or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "Action",
    "CheckIn",
    "Decision",
    "DoseKind",
    "Experience",
    "History",
    "Light",
    "LoadScheme",
    "ProgramState",
    "Quality",
    "Rung",
    "ScreenResult",
    "Session",
    "SetLog",
    "SymptomArea",
    "Urgency",
]


class DoseKind(StrEnum):
    """Rows of the dosing table in domain-rules.md (rules D1-D5)."""

    PATTERNING = "patterning"
    RESISTANCE = "resistance"
    LIFT = "lift"
    POWER_PREP = "power_prep"
    BALLISTIC = "ballistic"


class Light(StrEnum):
    """Pain-monitoring light of one session (rules P1-P3)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    PENDING = "pending"  # no next-morning reading yet


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    REFER = "refer"
    STOP = "stop"


class Urgency(StrEnum):
    """How soon a person must see someone, by screen tier."""

    NONE = "none"
    ROUTINE = "routine"  # S-C: book a review, unloaded steps only
    URGENT = "urgent"  # S-B: stop, see a clinician within a day
    EMERGENCY = "emergency"  # S-A: emergency care today


class SymptomArea(StrEnum):
    """Where symptoms were felt; anything past the back counts as spreading."""

    NONE = "none"
    BACK = "back"
    BUTTOCK_THIGH = "buttock_thigh"
    BELOW_KNEE = "below_knee"


class Quality(StrEnum):
    """What a symptom felt like: the words that tell a stretch or a tired muscle from a nerve."""

    STRETCH = "stretch"  # a stretch or pull in the muscle: what a hinge should feel like (SX5)
    BURNING = "burning"  # in the working muscles and fading: fatigue (SX3); into the leg: SX2
    PAIN = "pain"  # pain that spreads or shoots away from the back (SX1)
    TINGLING = "tingling"  # pins and needles (SX2)
    NUMBNESS = "numbness"  # (SX2)
    WEAKNESS = "weakness"  # in a leg and not fading (SX2)


class Experience(StrEnum):
    """What the learner says of their training so far (used for placement, rule PL4)."""

    NEW = "new"  # never trained the hinge
    SOME = "some"  # has done hinges or bodyweight work without pain
    LIFTER = "lifter"  # has deadlifted or swung a kettlebell without pain


@dataclass(frozen=True)
class LoadScheme:
    unit: str  # "kg" or "band"
    start: float
    target: float
    cap: float
    step_percent: float


@dataclass(frozen=True)
class Rung:
    """One step of the learner's ladder, as the engine needs it."""

    exercise_id: str
    name: str
    dose_kind: DoseKind
    stage: str
    sets: tuple[int, int]
    seconds: tuple[int, int] | None
    reps: tuple[int, int] | None
    rest_seconds: int
    tempo: str
    equipment: tuple[str, ...] = ()
    load: LoadScheme | None = None
    self_check: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()

    @property
    def loaded(self) -> bool:
        return self.load is not None

    @property
    def start_load(self) -> float | None:
        """Where a learner new to this step starts: the scheme's start, or none (unloaded)."""
        return self.load.start if self.load is not None else None


@dataclass(frozen=True)
class SetLog:
    """One set: either reps or seconds of work, optional load and effort (RPE 0-10)."""

    reps: int | None = None
    seconds: int | None = None
    load: float | None = None
    rpe: float | None = None


@dataclass(frozen=True)
class Session:
    """A logged session; `rung` is the index in the ladder of the exercise done."""

    day: date
    rung: int
    exercise_id: str
    pain_before: int
    pain_during: int
    pain_after: int
    sets: tuple[SetLog, ...] = ()
    area: SymptomArea = SymptomArea.NONE
    qualities: frozenset[Quality] = frozenset()
    faded_with_rest: bool = False  # the symptom faded within a couple of minutes of rest
    first_set_uncued: bool = False
    self_check: tuple[bool, ...] = ()
    faults: int = 0
    fault_basis: int = 0  # reps (or minutes) the fault count was judged over
    # From a video form check, when one was attached (rule V1): per self-check item True
    # (supported), False (contradicted) or None (not judged); faults found over video_reps.
    video_checks: tuple[bool | None, ...] = ()
    video_faults: int = 0
    video_reps: int = 0


@dataclass(frozen=True)
class CheckIn:
    """The next-morning (or any morning) pain reading, 0-10."""

    day: date
    pain: int
    area: SymptomArea = SymptomArea.NONE
    qualities: frozenset[Quality] = frozenset()
    soreness: bool = False  # aching in the worked muscles, not the usual pain (rule SX4)


@dataclass(frozen=True)
class ScreenResult:
    """Flags answered yes on one screen, by rule id (S-A1 ...), and when."""

    day: date
    flags: frozenset[str]


@dataclass(frozen=True)
class ProgramState:
    """Where the learner stands after the last decision.

    `regressed_on` starts the minimum week at the lower rung after a red (rule P3);
    `deload_until` keeps volume at `volume_factor` for a week after two reds (rule D6).
    """

    rung: int
    load: float | None = None
    volume_factor: float = 1.0
    deload_until: date | None = None
    regressed_on: date | None = None
    last_green_rung: int | None = None
    stopped: bool = False
    unloaded_only: bool = False
    since: date | None = None  # the day the learner reached this rung
    acted_on: date | None = None  # day of the session whose result already moved rung or load


@dataclass(frozen=True)
class Decision:
    """What to do next, why, and the state it leaves."""

    action: Action
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    state: ProgramState
    light: Light | None = None
    urgency: Urgency = Urgency.NONE
    load_change: str | None = None
    refer: bool = False


@dataclass(frozen=True)
class OutcomeReading:
    """A scored disability questionnaire (`measure` "ODI" or "RMDQ"): what the review of
    rule S-C2 compares with the first one."""

    measure: str
    day: date
    score: float


@dataclass(frozen=True)
class History:
    """Everything `decide` needs about one learner, as plain values."""

    rungs: tuple[Rung, ...]
    state: ProgramState
    onboarding_pain: int
    sessions: tuple[Session, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    screens: tuple[ScreenResult, ...] = ()
    cleared_on: date | None = None
    started: date | None = None  # the day the programme began (the no-improvement review)
    # H1: sessions were logged before the horizon (a window loaded from the database says so
    # without carrying them), so "nothing recent" reads as a return, not a first day.
    before_horizon: bool = False
    # ODI and RMDQ scores, oldest first: no important change by the review window is S-C2.
    outcomes: tuple[OutcomeReading, ...] = ()
