"""One table row (at least) for every rule id in docs/rules.md.

Each row is an input (a short history, a placement question, a prescription request or a
questionnaire) and the expected outcome, and names the rule id that must appear in the
result. `CASE_RULES` maps each row id to its rule id; the meta-test reads docs/rules.md and
fails if any id listed there has no row.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pytest

from hingecoach.engine.model import (
    Action,
    CheckIn,
    Experience,
    History,
    Light,
    ProgramState,
    Quality,
    Rung,
    Session,
    SymptomArea,
    Urgency,
)
from hingecoach.engine.outcomes import (
    Score,
    meaningful_change,
    score_nprs,
    score_odi,
    score_psfs,
    score_rmdq,
    score_start_back,
)
from hingecoach.engine.override import override_rung
from hingecoach.engine.pain import session_light
from hingecoach.engine.placement import Answers, place
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import decide, plan_today
from hingecoach.engine.screening import screen_verdict
from hingecoach.errors import ValidationError

from .builders import (
    SOLVING_PAIN_IDS,
    Given,
    checkin,
    day,
    documented_rule_ids,
    lifted,
    mornings,
    screen,
    session,
    state,
)

# --- decisions (decide) ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    id: str
    rule: str
    given: Given
    today: int
    action: Action
    rung: int
    light: Light | None
    urgency: Urgency = Urgency.NONE
    state: Mapping[str, object] = field(default_factory=dict)


# Rung 2 (dowel hinge), two clean green sessions on days 1 and 3: ready to move up on day 4.
READY = Given(
    state(2),
    sessions=(session(1, 2), session(3, 2)),
    checkins=(checkin(2, 2), checkin(4, 2)),
)


def _with_screen(given: Given, flag: str) -> Given:
    return Given(given.state, given.sessions, given.checkins, (screen(4, flag),))


_FLAG_WORDS = {
    "S-A1": "new saddle numbness",
    "S-A2": "new trouble passing urine",
    "S-A3": "new loss of bowel control",
    "S-A4": "new sexual numbness",
    "S-A5": "symptoms in both legs",
    "S-A6": "rapidly worsening leg weakness",
    "S-B1": "worsening one-sided leg weakness",
    "S-B2": "a cancer history with new back pain",
    "S-B3": "fever or infection risk",
    "S-B4": "unexplained weight loss",
    "S-B5": "trauma",
    "S-B6": "severe constant night pain",
}

_STOP_ROWS = [
    DecisionRow(
        f"{words} ({flag}) stops a learner who was ready to progress",
        flag,
        _with_screen(READY, flag),
        4,
        Action.STOP,
        2,
        None,
        Urgency.EMERGENCY if flag.startswith("S-A") else Urgency.URGENT,
        {"stopped": True},
    )
    for flag, words in _FLAG_WORDS.items()
]

_ROUTINE_ROWS = [
    DecisionRow(
        f"{flag} on a loaded step goes back to the last unloaded step and books a review",
        flag,
        Given(state(5, load=4.0), screens=(screen(1, flag),)),
        1,
        Action.REGRESS,
        3,
        None,
        Urgency.ROUTINE,
        {"load": None, "unloaded_only": True},
    )
    for flag in ("S-C1", "S-C2", "S-C3")
]

_BAND_TWO_FOR_TWO = (lifted(1, 4, 1.0), lifted(3, 4, 1.0))
_BAND_AT_TARGET = (lifted(1, 4, 3.0), lifted(3, 4, 3.0))
_SWINGS_AT_CAP = (lifted(1, 9, 24.0, reps=10, n_sets=3), lifted(3, 9, 24.0, reps=10, n_sets=3))
_SWINGS_NEAR_CAP = (lifted(1, 9, 23.0, reps=10, n_sets=3), lifted(3, 9, 23.0, reps=10, n_sets=3))
_CALM_MORNINGS = (checkin(2, 2), checkin(4, 2))

DECISIONS = [
    DecisionRow(
        "green pain with mastery met moves up one step",
        "P1",
        READY,
        4,
        Action.PROGRESS,
        3,
        Light.GREEN,
        state={"since": day(4), "acted_on": day(3), "last_green_rung": 2},
    ),
    DecisionRow(
        "two clean green sessions on different days progress one step",
        "M5",
        READY,
        4,
        Action.PROGRESS,
        3,
        Light.GREEN,
    ),
    DecisionRow(
        "one clean session is not enough and the learner holds for a second day",
        "M6",
        Given(state(2), (session(1, 2),), (checkin(2, 2),)),
        2,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "two clean sessions on the same day count as one",
        "M6",
        Given(state(2), (session(1, 2), session(1, 2, during=3)), (checkin(2, 2),)),
        2,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "a first set done with the cues does not count toward mastery",
        "M6",
        Given(state(2), (session(1, 2), session(3, 2, uncued=False)), _CALM_MORNINGS),
        4,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "a self-check answered no holds the step",
        "M1",
        Given(state(2), (session(1, 2), session(3, 2, checks=(True, False, True))), _CALM_MORNINGS),
        4,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "a video that contradicts a self-check answered yes holds the step",
        "V1",
        Given(
            state(2),
            (session(1, 2), replace(session(3, 2), video_checks=(True, False, None))),
            _CALM_MORNINGS,
        ),
        4,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "faults the video finds count toward the fault limit",
        "V1",
        Given(
            state(2),
            (session(1, 2), replace(session(3, 2), video_faults=3, video_reps=10)),
            _CALM_MORNINGS,
        ),
        4,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "a video that supports every self-check item lets mastery through",
        "V1",
        Given(
            state(2),
            (session(1, 2), replace(session(3, 2), video_checks=(True, True, None), video_reps=10)),
            _CALM_MORNINGS,
        ),
        4,
        Action.PROGRESS,
        3,
        Light.GREEN,
    ),
    DecisionRow(
        "three faults in ten reps hold the step",
        "M4",
        Given(state(2), (session(1, 2), session(3, 2, faults=3, basis=10)), _CALM_MORNINGS),
        4,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "a next morning one point above usual holds as amber",
        "P2",
        Given(state(2), (session(1, 2),), (checkin(2, 3),)),
        2,
        Action.HOLD,
        2,
        Light.AMBER,
    ),
    DecisionRow(
        "pain right after the session above five holds as amber",
        "P2",
        Given(state(2), (session(1, 2, after=6),), (checkin(2, 2),)),
        2,
        Action.HOLD,
        2,
        Light.AMBER,
    ),
    DecisionRow(
        "red pain during session regresses one step",
        "P3",
        Given(state(2), (session(1, 2, during=6),)),
        1,
        Action.REGRESS,
        1,
        Light.RED,
        state={"regressed_on": day(1), "acted_on": day(1), "since": day(1)},
    ),
    DecisionRow(
        "a next morning two points above usual regresses one step",
        "P3",
        Given(state(2), (session(1, 2),), (checkin(2, 4),)),
        2,
        Action.REGRESS,
        1,
        Light.RED,
    ),
    DecisionRow(
        "red pain on the first step cuts volume to sixty percent for a week",
        "P3",
        Given(state(0), (session(1, 0, during=7),)),
        1,
        Action.REGRESS,
        0,
        Light.RED,
        state={"volume_factor": 0.6, "deload_until": day(8)},
    ),
    DecisionRow(
        "weekly morning pain rising two weeks running regresses one step",
        "P3",
        Given(
            state(2),
            (session(20, 2),),
            mornings(1, 7, 1) + mornings(8, 14, 2) + mornings(15, 21, 3),
        ),
        21,
        Action.REGRESS,
        1,
        Light.RED,
    ),
    DecisionRow(
        "red again on the next session after stepping down asks for a clinician review",
        "P4",
        Given(
            state(2, regressed_on=1, acted_on=1),
            (session(1, 3, during=7), session(3, 2, during=7)),
        ),
        3,
        Action.REFER,
        1,
        Light.RED,
        Urgency.ROUTINE,
        {"regressed_on": day(3), "acted_on": day(3), "volume_factor": 0.5},
    ),
    DecisionRow(
        "morning pain well above usual for more than a week asks for a clinician review",
        "P4",
        Given(state(2), checkins=mornings(1, 7, 2) + mornings(8, 16, 5)),
        16,
        Action.REFER,
        2,
        Light.RED,
        Urgency.ROUTINE,
        {"volume_factor": 0.5, "deload_until": day(23)},
    ),
    DecisionRow(
        "severe mornings for a week from the first day ask for a review whatever the baseline",
        "P6",
        Given(state(2), (session(7, 2),), mornings(2, 8, 9), onboarding=9),
        8,
        Action.REFER,
        2,
        Light.AMBER,
        Urgency.ROUTINE,
    ),
    DecisionRow(
        "burning that never fades three sessions running asks for a clinician",
        "SX6",
        Given(
            state(2),
            tuple(
                session(d, 2, area=SymptomArea.BACK, qualities=[Quality.BURNING]) for d in (1, 2, 3)
            ),
            mornings(2, 4, 2),
        ),
        4,
        Action.REFER,
        2,
        Light.AMBER,
        Urgency.ROUTINE,
    ),
    DecisionRow(
        "no improvement after six weeks raises S-C2 by itself and keeps to unloaded steps",
        "S-C2",
        Given(state(5, load=4.0), checkins=mornings(36, 42, 6), onboarding=6, started=0),
        42,
        Action.REGRESS,
        3,
        None,
        Urgency.ROUTINE,
        {"unloaded_only": True},
    ),
    DecisionRow(
        "sessions older than the horizon are history: a red one a year ago changes nothing",
        "H1",
        Given(state(2), (session(1, 2, during=8),)),
        365,
        Action.HOLD,
        2,
        None,
    ),
    DecisionRow(
        "any red-flag answer stops the programme with its urgency",
        "P5",
        _with_screen(READY, "S-B2"),
        4,
        Action.STOP,
        2,
        None,
        Urgency.URGENT,
    ),
    *_STOP_ROWS,
    *_ROUTINE_ROWS,
    DecisionRow(
        "symptoms spreading into the buttock are red whatever the number",
        "SX1",
        Given(state(2), (session(1, 2, during=1, area=SymptomArea.BUTTOCK_THIGH),)),
        1,
        Action.REGRESS,
        1,
        Light.RED,
    ),
    DecisionRow(
        "tingling stops the programme one step lower until a clinician sees the learner",
        "SX2",
        Given(state(2), (session(1, 2, qualities=[Quality.TINGLING]),)),
        1,
        Action.REFER,
        1,
        Light.RED,
        Urgency.ROUTINE,
        {"stopped": True, "acted_on": day(1)},
    ),
    DecisionRow(
        "burning in the working muscles that did not fade holds as amber",
        "SX3",
        Given(state(2), (session(1, 2, qualities=[Quality.BURNING]),), (checkin(2, 2),)),
        2,
        Action.HOLD,
        2,
        Light.AMBER,
    ),
    DecisionRow(
        "next-morning soreness in the worked muscles holds instead of regressing",
        "SX4",
        Given(state(2), (session(1, 2),), (checkin(2, 5, soreness=True),)),
        2,
        Action.HOLD,
        2,
        Light.AMBER,
    ),
    DecisionRow(
        "a painful try at a higher step goes back to the last green step",
        "K1",
        Given(state(3, last_green_rung=2), (session(1, 5, during=7),)),
        1,
        Action.REGRESS,
        2,
        Light.RED,
    ),
    DecisionRow(
        "a pain-free try at a higher step is not rewarded",
        "K2",
        Given(state(2), (session(1, 4),), (checkin(2, 2),)),
        2,
        Action.HOLD,
        2,
        Light.GREEN,
    ),
    DecisionRow(
        "the top of the range two sessions running raises the band one level",
        "L1",
        Given(state(4, load=1.0), _BAND_TWO_FOR_TWO, _CALM_MORNINGS),
        4,
        Action.HOLD,
        4,
        Light.GREEN,
        state={"load": 2.0, "acted_on": day(3)},
    ),
    DecisionRow(
        "two top sessions at the target band move up to the weighted hinge",
        "L2",
        Given(state(4, load=3.0), _BAND_AT_TARGET, _CALM_MORNINGS),
        4,
        Action.PROGRESS,
        5,
        Light.GREEN,
        state={"load": 4.0},
    ),
    DecisionRow(
        "at the top of the ladder and at the cap the learner stays",
        "L3",
        Given(state(9, load=24.0), _SWINGS_AT_CAP, _CALM_MORNINGS),
        4,
        Action.HOLD,
        9,
        Light.GREEN,
        state={"load": 24.0},
    ),
    DecisionRow(
        "a load step at the top of the ladder stops at the cap",
        "L3",
        Given(state(9, load=23.0), _SWINGS_NEAR_CAP, _CALM_MORNINGS),
        4,
        Action.HOLD,
        9,
        Light.GREEN,
        state={"load": 24.0},
    ),
    DecisionRow(
        "loaded steps wait until usual morning pain is three or less",
        "L4",
        Given(
            state(3),
            (session(1, 3), session(3, 3)),
            (checkin(2, 4), checkin(4, 4)),
            onboarding=4,
        ),
        4,
        Action.HOLD,
        3,
        Light.GREEN,
    ),
    DecisionRow(
        "two reds within a week deload to half volume for a week",
        "D6",
        Given(state(3), (session(1, 3, during=7), session(3, 3, during=7))),
        3,
        Action.REGRESS,
        2,
        Light.RED,
        state={"volume_factor": 0.5, "deload_until": day(10)},
    ),
    DecisionRow(
        "with no session yet the learner holds on the first prescription",
        "D1",
        Given(state(0)),
        0,
        Action.HOLD,
        0,
        None,
    ),
]


@pytest.mark.parametrize("row", DECISIONS, ids=[r.id for r in DECISIONS])
def test_each_decision_matches_its_rule(row: DecisionRow, solving_pain: tuple[Rung, ...]) -> None:
    decision = decide(row.given.history(solving_pain), DEFAULT_POLICY, day(row.today))

    assert decision.action is row.action
    assert row.rule in decision.rules
    assert decision.state.rung == row.rung
    assert decision.light is row.light
    assert decision.urgency is row.urgency
    assert decision.reasons, "every decision says why"
    for name, value in row.state.items():
        assert getattr(decision.state, name) == value, name


# --- the light of one session (session_light) ----------------------------------------------


@dataclass(frozen=True)
class LightRow:
    id: str
    rule: str
    session: Session
    checkins: tuple[CheckIn, ...]
    light: Light


LIGHTS = [
    LightRow(
        "pain five during and after with a calm next morning is green",
        "P1",
        session(1, 2, during=5, after=5),
        (checkin(2, 2),),
        Light.GREEN,
    ),
    LightRow(
        "without a next-morning reading the light is pending",
        "P1",
        session(1, 2),
        (),
        Light.PENDING,
    ),
    LightRow("pain six during is red", "P3", session(1, 2, during=6), (checkin(2, 2),), Light.RED),
    LightRow(
        "next-morning symptoms below the knee are red whatever the number",
        "SX1",
        session(1, 2),
        (checkin(2, 1, area=SymptomArea.BELOW_KNEE),),
        Light.RED,
    ),
    LightRow(
        "numbness during a session is red",
        "SX2",
        session(1, 2, qualities=[Quality.NUMBNESS]),
        (checkin(2, 2),),
        Light.RED,
    ),
    LightRow(
        "a stretch at the back of the thigh is what a hinge should feel like",
        "SX5",
        session(1, 2, area=SymptomArea.BUTTOCK_THIGH, qualities=[Quality.STRETCH]),
        (checkin(2, 2),),
        Light.GREEN,
    ),
    LightRow(
        "burning that faded with rest is fatigue and stays green",
        "SX3",
        session(1, 2, qualities=[Quality.BURNING], faded=True),
        (checkin(2, 2),),
        Light.GREEN,
    ),
]


@pytest.mark.parametrize("row", LIGHTS, ids=[r.id for r in LIGHTS])
def test_each_session_light_matches_its_rule(row: LightRow) -> None:
    verdict = session_light(row.session, row.checkins, 2, DEFAULT_POLICY, day(5))

    assert verdict.light is row.light
    assert row.rule in verdict.rules
    assert len(verdict.reasons) == len(verdict.rules)


# --- placement (place) -----------------------------------------------------------------------

ALL_KIT = frozenset(
    {"mat", "wall", "dowel", "band", "anchor", "dumbbell_or_kettlebell", "box", "kettlebell"}
)
ALTERNATIVES: Mapping[str, str | None] = {"band": "a light backpack held in your hands"}


@dataclass(frozen=True)
class PlacementRow:
    id: str
    rule: str
    experience: Experience
    pain: int
    flags: frozenset[str]
    rung: int | None
    have: frozenset[str] = ALL_KIT
    unloaded_only: bool = False


PLACEMENTS = [
    PlacementRow(
        "an emergency flag gives no placement",
        "PL1",
        Experience.LIFTER,
        2,
        frozenset({"S-A1"}),
        None,
    ),
    PlacementRow(
        "an S-C flag caps a lifter at the last unloaded step",
        "PL2",
        Experience.LIFTER,
        2,
        frozenset({"S-C1"}),
        3,
        unloaded_only=True,
    ),
    PlacementRow(
        "pain six or more starts at the first step",
        "PL3",
        Experience.SOME,
        6,
        frozenset(),
        0,
    ),
    PlacementRow(
        "pain four keeps a lifter off loaded steps",
        "PL3",
        Experience.LIFTER,
        4,
        frozenset(),
        3,
    ),
    PlacementRow(
        "a new learner starts at the first step", "PL4", Experience.NEW, 2, frozenset(), 0
    ),
    PlacementRow(
        "some experience starts at the dowel hinge", "PL4", Experience.SOME, 2, frozenset(), 2
    ),
    PlacementRow(
        "a lifter with pain three starts at the first loaded step",
        "PL4",
        Experience.LIFTER,
        3,
        frozenset(),
        4,
    ),
    PlacementRow(
        "a missing band is flagged with an alternative, not skipped",
        "PL5",
        Experience.LIFTER,
        2,
        frozenset(),
        4,
        have=ALL_KIT - {"band"},
    ),
]


@pytest.mark.parametrize("row", PLACEMENTS, ids=[r.id for r in PLACEMENTS])
def test_each_placement_matches_its_rule(row: PlacementRow, solving_pain: tuple[Rung, ...]) -> None:
    verdict = screen_verdict([screen(0, *row.flags)], DEFAULT_POLICY, day(0))
    answers = Answers(row.experience, row.pain, row.have)
    placement = place(solving_pain, answers, verdict, ALTERNATIVES, DEFAULT_POLICY)

    assert placement.rung == row.rung
    assert row.rule in placement.rules
    assert placement.unloaded_only is row.unloaded_only


# --- prescriptions (prescribe) -------------------------------------------------------------


@dataclass(frozen=True)
class DoseRow:
    id: str
    rule: str
    state: ProgramState
    sets: int
    seconds: int | None
    reps: tuple[int, int] | None
    sessions: tuple[Session, ...] = ()
    today: int = 1
    checkins: tuple[CheckIn, ...] = ()


DOSES = [
    DoseRow("patterning starts at two sets of thirty seconds", "D1", state(0), 2, 30, None),
    DoseRow(
        "patterning after two green sessions at the step rises to three sets of sixty seconds",
        "D1",
        state(2),
        3,
        60,
        None,
        (session(1, 2), session(2, 2)),
        3,
        (checkin(2, 2), checkin(3, 2)),
    ),
    DoseRow(
        "the banded hinge is sets of eight to twelve reps",
        "D2",
        state(4, load=1.0),
        2,
        None,
        (8, 12),
    ),
    DoseRow("lifts are sets of six to ten reps", "D3", state(6, load=8.0), 2, None, (6, 10)),
    DoseRow(
        "the pull-through is sets of ten to fifteen reps",
        "D4",
        state(8, load=1.0),
        2,
        None,
        (10, 15),
    ),
    DoseRow(
        "swings start at three sets of five to ten", "D5", state(9, load=8.0), 3, None, (5, 10)
    ),
    DoseRow(
        "a deload halves the sets and the seconds",
        "D6",
        state(2, volume_factor=0.5, deload_until=7),
        1,
        15,
        None,
    ),
]


@pytest.mark.parametrize("row", DOSES, ids=[r.id for r in DOSES])
def test_each_prescription_matches_its_rule(row: DoseRow, solving_pain: tuple[Rung, ...]) -> None:
    history = History(solving_pain, row.state, 2, row.sessions, row.checkins)
    rx = plan_today(history, DEFAULT_POLICY, day(row.today)).prescription
    assert rx is not None

    assert (rx.sets, rx.seconds, rx.reps) == (row.sets, row.seconds, row.reps)
    assert row.rule in rx.rules
    assert rx.exercise_id == SOLVING_PAIN_IDS[row.state.rung]


# --- outcome scores ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    id: str
    rule: str
    run: Callable[[], Score | str]
    expected: tuple[object, ...]


def _observed(result: Score | str) -> tuple[object, ...]:
    if isinstance(result, str):
        return (result,)
    value = None if math.isnan(result.value) else result.value
    return (value, result.band, result.valid)


_NO, _YES = False, True

SCORES = [
    ScoreRow(
        "an NPRS of seven scores seven out of ten", "O1", lambda: score_nprs(7), (7.0, "7/10", True)
    ),
    ScoreRow(
        "an ODI of all twos is forty percent, moderate",
        "O2",
        lambda: score_odi([2] * 10),
        (40.0, "moderate", True),
    ),
    ScoreRow(
        "an ODI with three sections missing is invalid",
        "O2",
        lambda: score_odi([2] * 7 + [None] * 3),
        (None, "invalid", False),
    ),
    ScoreRow(
        "an RMDQ counts the yes answers",
        "O3",
        lambda: score_rmdq([_YES] * 6 + [_NO] * 18),
        (6.0, "6/24", True),
    ),
    ScoreRow(
        "a PSFS is the mean of its activities",
        "O4",
        lambda: score_psfs([4, 5, 6]),
        (5.0, "5.0/10", True),
    ),
    ScoreRow(
        "a STarT Back subscale of four is high risk",
        "O5",
        lambda: score_start_back([_NO] * 4 + [_YES] * 3 + [_NO], 3),
        (4.0, "high", True),
    ),
    ScoreRow(
        "a STarT Back total of three is low risk",
        "O5",
        lambda: score_start_back([_YES] * 3 + [_NO] * 5, 0),
        (3.0, "low", True),
    ),
    ScoreRow(
        "an ODI drop of ten points is meaningful",
        "O6",
        lambda: meaningful_change("ODI", 40, 30),
        ("meaningful",),
    ),
    ScoreRow(
        "a PSFS gain of two and a half is a medium change",
        "O6",
        lambda: meaningful_change("PSFS", 3.0, 5.5),
        ("medium",),
    ),
]


@pytest.mark.parametrize("row", SCORES, ids=[r.id for r in SCORES])
def test_each_outcome_score_matches_its_rule(row: ScoreRow) -> None:
    result = row.run()

    assert _observed(result) == row.expected
    if isinstance(result, Score):  # meaningful_change returns a plain label, without an id
        assert result.rule == row.rule


# --- clinician override (override_rung) -----------------------------------------------------


@dataclass(frozen=True)
class OverrideRow:
    id: str
    rule: str
    given: ProgramState
    target: int
    action: Action
    expected: Mapping[str, object]


OVERRIDES = [
    OverrideRow(
        "a clinician moving a learner up three steps starts the new step today",
        "C1",
        state(2, since=1),
        5,
        Action.PROGRESS,
        {"rung": 5, "since": day(9), "load": 4.0},
    ),
    OverrideRow(
        "a clinician moving a learner down clears the load and the regression hold",
        "C1",
        state(6, load=20.0, regressed_on=5),
        2,
        Action.REGRESS,
        {"rung": 2, "load": None, "regressed_on": None},
    ),
    OverrideRow(
        "an override never lifts a stop: only a clearance does",
        "C1",
        state(3, stopped=True),
        4,
        Action.PROGRESS,
        {"stopped": True},
    ),
]


@pytest.mark.parametrize("row", OVERRIDES, ids=lambda r: r.id)
def test_each_override_matches_its_rule(row: OverrideRow, solving_pain: tuple[Rung, ...]) -> None:
    decision = override_rung(
        solving_pain, row.given, row.target, day(9), "Dr Lee", "seen in clinic"
    )

    assert decision.action is row.action
    assert decision.rules == (row.rule,)
    assert "Dr Lee" in decision.reasons[0]
    assert "seen in clinic" in decision.reasons[0]
    for name, value in row.expected.items():
        assert getattr(decision.state, name) == value, name


def test_an_override_outside_the_ladder_is_refused(solving_pain: tuple[Rung, ...]) -> None:
    with pytest.raises(ValidationError, match="step"):
        override_rung(solving_pain, state(2), 10, day(9), "Dr Lee", "typo")


# --- the table covers docs/rules.md --------------------------------------------------------

_TABLES: tuple[
    list[DecisionRow]
    | list[LightRow]
    | list[PlacementRow]
    | list[DoseRow]
    | list[ScoreRow]
    | list[OverrideRow],
    ...,
] = (
    DECISIONS,
    LIGHTS,
    PLACEMENTS,
    DOSES,
    SCORES,
    OVERRIDES,
)
CASE_RULES: dict[str, str] = {row.id: row.rule for table in _TABLES for row in table}


def _span(prefix: str, last: int, first: int = 1) -> set[str]:
    return {f"{prefix}{n}" for n in range(first, last + 1)}


EXPECTED_IDS = (
    _span("S-A", 6)
    | _span("S-B", 6)
    | _span("S-C", 3)
    | _span("P", 6)
    | _span("SX", 6)
    | _span("PL", 5)
    | _span("D", 6)
    | {"M1", "M4", "M5", "M6", "V1"}
    | _span("L", 4)
    | _span("K", 2)
    | {"H1"}
    | _span("O", 6)
    | {"C1"}
)


def test_the_id_parser_finds_every_documented_rule() -> None:
    assert documented_rule_ids() == EXPECTED_IDS


def test_every_rule_id_in_the_docs_has_a_table_row() -> None:
    missing = documented_rule_ids() - set(CASE_RULES.values())

    assert not missing, f"rule ids without a row in test_rule_table.py: {sorted(missing)}"


def test_every_table_row_has_its_own_id() -> None:
    ids = [row.id for table in _TABLES for row in table]

    assert len(ids) == len(set(ids))


def test_the_builders_use_the_solving_pain_ladder(solving_pain: tuple[Rung, ...]) -> None:
    assert tuple(r.exercise_id for r in solving_pain) == SOLVING_PAIN_IDS
