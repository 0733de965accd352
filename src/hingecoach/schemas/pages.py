"""The learner's pages as JSON (each page's twin under /api/v1): what the HTML template shows,
from the same values. docs/web.md lists the pages.

Words are in the reader's language: the choices below are written in English and marked
with `N_` (they are built at import), and said with `_` where a page is built; the catalog's
words (names, cues, help lines) likewise.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from hingecoach.catalog import Catalog, countries, country
from hingecoach.engine.model import Experience, Quality, SymptomArea
from hingecoach.engine.screening import FLAGS
from hingecoach.engine.texts import N_, shown
from hingecoach.engine.timer import schedule
from hingecoach.language import _
from hingecoach.schemas.base import Public
from hingecoach.schemas.catalog import LadderPublic, LadderStepPublic
from hingecoach.schemas.programme import (
    HistoryPublic,
    MorningPublic,
    ProgrammePublic,
    SafetyPublic,
    StartPublic,
    TodayPublic,
    mornings,
)
from hingecoach.services.results import KitView, StartResult, StatusView, TodayView
from hingecoach.services.roster import status_adherence

__all__ = [
    "AREAS",
    "QUALITIES",
    "URGENCY_TITLES",
    "AdherencePublic",
    "CheckInPage",
    "Choice",
    "CountryPublic",
    "EquipmentChoice",
    "HelpLines",
    "HistoryPage",
    "KitPage",
    "LadderPage",
    "LogPage",
    "ScreenPage",
    "ScreenQuestions",
    "StartPage",
    "StartedPublic",
    "TimerPage",
    "said",
    "urgency_title",
]


class Choice(Public):
    value: str
    label: str


AREAS = [
    Choice(value=SymptomArea.NONE.value, label=N_("No symptoms")),
    Choice(value=SymptomArea.BACK.value, label=N_("In my back only")),
    Choice(value=SymptomArea.BUTTOCK_THIGH.value, label=N_("Into my buttock or thigh")),
    Choice(value=SymptomArea.BELOW_KNEE.value, label=N_("Below my knee")),
]
QUALITIES = [
    Choice(value=Quality.STRETCH.value, label=N_("A stretch or pull in the muscle")),
    Choice(value=Quality.BURNING.value, label=N_("Burning")),
    Choice(value=Quality.PAIN.value, label=N_("Pain that spreads or shoots")),
    Choice(value=Quality.TINGLING.value, label=N_("Pins and needles or tingling")),
    Choice(value=Quality.NUMBNESS.value, label=N_("Numbness")),
    Choice(value=Quality.WEAKNESS.value, label=N_("Weakness")),
]
URGENCY_TITLES = {
    "emergency": N_("Get emergency care now"),
    "urgent": N_("See a clinician within a day"),
    "routine": N_("Book a routine review"),
    "none": N_("No warning signs"),
}


def said(choices: list[Choice]) -> list[Choice]:
    """`choices` with their labels in the reader's language."""
    return [Choice(value=c.value, label=_(c.label)) for c in choices]


def urgency_title(urgency: str) -> str:
    """What an urgency asks of the learner, in the reader's language (else its code)."""
    title = URGENCY_TITLES.get(urgency)
    return _(title) if title else urgency


class HelpLines(Public):
    code: str
    name: str
    emergency: str
    urgent: str
    emergency_number: str
    urgent_number: str

    @classmethod
    def of(cls, code: str) -> Self:
        c = country(code)
        return cls(
            code=c.code,
            name=shown(c.name),
            emergency=shown(c.emergency),
            urgent=shown(c.urgent),
            emergency_number=c.emergency_number,
            urgent_number=c.urgent_number,
        )


class FlagQuestion(Public):
    id: str
    question: str


class FlagGroup(Public):
    urgency: str
    title: str
    flags: list[FlagQuestion]


class ScreenQuestions(Public):
    """The safety questions, grouped by what a yes means, with this country's help lines."""

    groups: list[FlagGroup]
    country: HelpLines

    @classmethod
    def of(cls, code: str) -> Self:
        groups = [
            FlagGroup(
                urgency=urgency,
                title=urgency_title(urgency),
                flags=[
                    FlagQuestion(id=f.id, question=_(f.question))
                    for f in FLAGS
                    if f.urgency.value == urgency
                ],
            )
            for urgency in ("emergency", "urgent", "routine")
        ]
        return cls(groups=groups, country=HelpLines.of(code))


class CountryPublic(Public):
    code: str
    name: str

    @classmethod
    def all(cls) -> list[Self]:
        return [cls(code=c.code, name=shown(c.name)) for c in countries().values()]


class LadderChoice(Public):
    id: str
    name: str
    description: str | None


class EquipmentChoice(Public):
    """A piece of kit to tick: `usual` kit is ticked until the learner says otherwise."""

    id: str
    name: str
    usual: bool
    alternative: str | None

    @classmethod
    def all(cls, catalog: Catalog) -> list[Self]:
        return [
            cls(
                id=k,
                name=shown(v.name),
                usual=v.usual,
                alternative=shown(v.alternative) if v.alternative else None,
            )
            for k, v in catalog.equipment.items()
        ]


class KitPage(Public):
    """What the learner has at home, and what today's step and the next still lack."""

    equipment: list[EquipmentChoice]
    have: list[str]
    equipment_notes: list[str]

    @classmethod
    def of(cls, catalog: Catalog, kit: KitView) -> Self:
        return cls(
            equipment=EquipmentChoice.all(catalog),
            have=sorted(kit.have),
            equipment_notes=[n.text(kit.today.rungs) for n in kit.today.kit],
        )


class StartPage(Public):
    screen: ScreenQuestions
    ladders: list[LadderChoice]
    equipment: list[EquipmentChoice]
    experience: list[str]

    @classmethod
    def of(cls, catalog: Catalog, country_code: str) -> Self:
        return cls(
            screen=ScreenQuestions.of(country_code),
            ladders=[
                LadderChoice(
                    id=lad.id,
                    name=shown(lad.name),
                    description=shown(lad.description) if lad.description else None,
                )
                for lad in catalog.ladders.values()
            ],
            equipment=EquipmentChoice.all(catalog),
            experience=[e.value for e in Experience],
        )


class StartedPublic(StartPublic):
    """The placement, with what its urgency means and where to get help."""

    urgency_title: str
    help: HelpLines

    @classmethod
    def started(cls, result: StartResult, country_code: str) -> Self:
        base = StartPublic.of(result)
        return cls(
            **base.model_dump(),
            urgency_title=urgency_title(base.urgency),
            help=HelpLines.of(country_code),
        )


class LogForm(Public):
    token: str  # the number of the session it will save: a reload keeps it
    logged_today: bool
    self_check: list[str]
    sets: int
    counting: str  # time or reps
    loaded: bool
    load_unit: str | None
    load: float | None
    areas: list[Choice]
    qualities: list[Choice]
    today: date
    sets_done: int | None = None  # sets the timer saw begun: only those are filled in


class PainLimits(Public):
    during: int


class LogPage(TodayPublic):
    form: LogForm
    policy_limits: PainLimits

    @classmethod
    def page(cls, view: TodayView, today: date, sets_done: int | None = None) -> Self:
        base = TodayPublic.of(view)
        rung = view.rungs[view.state.rung]
        form = LogForm(
            sets_done=sets_done,
            token=f"web-log-{view.sessions_logged + 1}",
            logged_today=view.logged_today,
            self_check=[shown(c) for c in rung.self_check],
            sets=base.prescription.sets if base.prescription else 2,
            counting="time" if rung.seconds else "reps",
            loaded=rung.load is not None,
            load_unit=rung.load.unit if rung.load else None,
            load=view.state.load,
            areas=said(AREAS),
            qualities=said(QUALITIES),
            today=today,
        )
        limits = PainLimits(during=view.policy.pain_during_max)
        return cls(**base.model_dump(), form=form, policy_limits=limits)


class CheckInPage(Public):
    areas: list[Choice]
    qualities: list[Choice]
    today: date
    screen: ScreenQuestions
    token: str
    programme: ProgrammePublic

    @classmethod
    def of(cls, view: TodayView, today: date, country_code: str) -> Self:
        return cls(
            areas=said(AREAS),
            qualities=said(QUALITIES),
            today=today,
            screen=ScreenQuestions.of(country_code),
            token=f"web-checkin-{view.checkins_logged + 1}",
            programme=ProgrammePublic.of(view.status),
        )


class ScreenPage(Public):
    screen: ScreenQuestions
    programme: ProgrammePublic


class PhasePublic(Public):
    kind: str
    seconds: int
    set: int
    of: int
    cue: str


class TimerPage(Public):
    stopped: bool
    phases: list[PhasePublic]
    programme: ProgrammePublic
    safety: SafetyPublic | None = None
    exercise: str | None = None
    how_many: str | None = None
    tempo: str | None = None
    counting: str | None = None
    reps: list[int] | None = None

    @classmethod
    def of(cls, view: TodayView, ready: int = 5) -> Self:
        rx, today = view.prescription, TodayPublic.of(view)
        if rx is None:
            return cls(stopped=True, phases=[], programme=today.programme, safety=today.safety)
        cues = [shown(c) for c in view.rungs[rx.rung].cues]
        phases = schedule(rx.sets, rx.work_seconds, rx.rest_seconds, ready, cues)
        return cls(
            stopped=False,
            phases=[
                PhasePublic(kind=p.kind, seconds=p.seconds, set=p.set_number, of=rx.sets, cue=p.cue)
                for p in phases
            ],
            programme=today.programme,
            exercise=shown(rx.name),
            how_many=rx.how_many,
            tempo=shown(rx.tempo),
            counting="time" if rx.seconds else "reps",
            reps=list(rx.reps) if rx.reps else None,
        )


class AdherencePublic(Public):
    done: int
    expected: int
    ratio: float


class Charts(Public):
    pain: str
    steps: str
    calendar: str


class HistoryPage(HistoryPublic):
    """Sessions, check-ins and decisions, with the charts drawn from them (as links)."""

    morning_pain: list[MorningPublic]
    adherence_14_days: AdherencePublic
    charts: Charts
    learner: str
    step: int
    steps: int
    programme: ProgrammePublic

    @classmethod
    def page(cls, status: StatusView, today: date, base: str) -> Self:
        view, stat = status.today, status_adherence(status, today)
        return cls(
            **HistoryPublic.of(status).model_dump(),
            morning_pain=mornings(status),
            adherence_14_days=AdherencePublic(
                done=stat.done, expected=stat.expected, ratio=round(stat.ratio, 2)
            ),
            charts=Charts(
                pain=f"{base}/charts/pain.svg",
                steps=f"{base}/charts/steps.svg",
                calendar=f"{base}/charts/calendar.svg",
            ),
            learner=view.learner,
            step=view.state.rung + 1,
            steps=len(view.rungs),
            programme=ProgrammePublic.of(view.status),
        )


class LadderPageStep(LadderStepPublic):
    status: str  # done, current or ahead
    self_check: list[str]


class LadderPage(Public):
    """Where I am, what is next, and what unlocks it; nothing beyond while stopped."""

    id: str
    name: str
    source: str
    description: str | None
    steps: list[LadderPageStep]
    current_step: int
    programme: ProgrammePublic
    unlock: str
    next: LadderPageStep | None

    @classmethod
    def of(cls, view: TodayView, catalog: Catalog) -> Self:
        ladder, here, rx = LadderPublic.of(view.ladder, catalog), view.state.rung, view.prescription
        steps = [
            LadderPageStep(
                **step.model_dump(),
                status="done" if i < here else "current" if i == here else "ahead",
                self_check=[shown(c) for c in view.rungs[i].self_check],
            )
            for i, step in enumerate(ladder.steps)
        ]
        if rx is None:
            steps = steps[: here + 1]
        after = steps[here + 1] if rx is not None and here + 1 < len(steps) else None
        unlock = (
            rx.move_on
            if rx
            else _("Your programme is stopped until a clinician who examined you clears it.")
        )
        return cls(
            id=ladder.id,
            name=ladder.name,
            source=ladder.source,
            description=ladder.description,
            steps=steps,
            current_step=here + 1,
            programme=ProgrammePublic.of(view.status),
            unlock=unlock,
            next=after,
        )
