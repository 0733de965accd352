"""The clinician's side: the roster at a glance and the clinic's own ladders.

Access is checked by the caller through `Accounts` (who may see which learner); this module
only reads and writes what it is asked for, inside one transaction per use case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hingecoach.adapters.db.records import LearnerRecord
from hingecoach.catalog import Catalog, Ladder, parse_ladders
from hingecoach.engine.adherence import Adherence, adherence
from hingecoach.engine.attention import Alert, DecisionNote, alerts
from hingecoach.engine.model import Action, Urgency
from hingecoach.errors import CatalogError, NotFoundError, ValidationError
from hingecoach.services.care import Care
from hingecoach.services.coach import Coach
from hingecoach.services.results import StatusView
from hingecoach.services.uow import UnitOfWorkFactory

__all__ = ["ClinicService", "RosterRow", "learner_alerts", "roster_row", "status_adherence"]


@dataclass(frozen=True)
class RosterRow:
    learner_id: int
    name: str
    ladder: str
    step: int
    steps: int
    exercise: str
    last_session: date | None
    adherence: Adherence
    urgency: Urgency
    stopped: bool
    stuck: bool
    regressing: bool
    alerts: tuple[Alert, ...] = ()


class ClinicService:
    def __init__(self, uow: UnitOfWorkFactory, base: Catalog, today: date) -> None:
        self.uow = uow
        self.base = base
        self.today = today

    # -- catalogs --------------------------------------------------------------------

    def catalog(self, clinic_id: int | None) -> Catalog:
        """The built-in ladders plus this clinic's own."""
        if clinic_id is None:
            return self.base
        with self.uow() as uow:
            texts = uow.clinics.custom_ladders(clinic_id)
        ladders = [
            lad for t in texts for lad in parse_ladders(t.toml, t.ladder_id, self.base.exercises)
        ]
        return self.base.with_ladders(ladders)

    def catalog_of_learner(self, learner_id: int) -> Catalog:
        with self.uow() as uow:
            learner = uow.programme.learner(learner_id)
        return self.catalog(learner.clinic_id if learner else None)

    def coach(self, learner_id: int) -> Coach:
        return Coach(self.uow, self.catalog_of_learner(learner_id), self.today, learner_id)

    def care(self, learner_id: int) -> Care:
        return Care(self.uow, self.catalog_of_learner(learner_id), self.today, learner_id)

    def custom_ladders(self, clinic_id: int) -> list[tuple[Ladder, str]]:
        """(ladder, its TOML text) for each of the clinic's ladders."""
        with self.uow() as uow:
            texts = uow.clinics.custom_ladders(clinic_id)
        return [(parse_ladders(t.toml, t.ladder_id, self.base.exercises)[0], t.toml) for t in texts]

    def save_ladder(
        self, clinic_id: int, text: str, by: str, replacing: str | None = None
    ) -> Ladder:
        """Validate the TOML exactly as the file loader does; store it under its ladder id."""
        if len(text) > 20_000:
            raise ValidationError("toml", "at most 20000 characters", f"{len(text)} characters")
        ladders = parse_ladders(text, "ladder", self.base.exercises)
        if len(ladders) != 1:
            raise CatalogError(f"ladder: one [[ladder]] table per ladder, found {len(ladders)}")
        ladder = ladders[0]
        if ladder.id in self.base.ladders:
            raise CatalogError(f"ladder: id {ladder.id!r} is a built-in ladder: choose another id")
        with self.uow(write=True) as uow:
            taken = {t.ladder_id for t in uow.clinics.custom_ladders(clinic_id)}
            _check_replacing(ladder.id, replacing, taken)
            on_it = uow.programme.learners_on_ladder(clinic_id, ladder.id)
            _check_long_enough(ladder, on_it)
            uow.clinics.save_ladder(clinic_id, ladder.id, text, by)
        return ladder

    # -- roster ----------------------------------------------------------------------

    def roster(self, learners: list[tuple[int, str]]) -> list[RosterRow]:
        return [self._row(learner_id) for learner_id, _ in learners]

    def _row(self, learner_id: int) -> RosterRow:
        status = self.coach(learner_id).status()
        return roster_row(learner_id, status, self.today)


def _check_long_enough(ladder: Ladder, learners: list[LearnerRecord]) -> None:
    """A ladder a learner is on cannot lose the step they stand on."""
    highest = max((r.state.rung + 1 for r in learners), default=0)
    if highest > len(ladder.steps):
        who = sum(1 for r in learners if r.state.rung + 1 > len(ladder.steps))
        raise ValidationError(
            "toml",
            f"at least {highest} steps: {who} learner(s) on this ladder stand on step {highest}; "
            "move them first",
            f"{len(ladder.steps)} steps",
        )


def _check_replacing(ladder_id: str, replacing: str | None, taken: set[str]) -> None:
    if replacing is not None and replacing not in taken:
        raise NotFoundError(f"ladder: no custom ladder {replacing!r}")
    if ladder_id in taken and ladder_id != replacing:
        raise CatalogError(f"ladder: id {ladder_id!r} is already taken by a ladder")
    if replacing is not None and replacing != ladder_id:
        raise CatalogError(f"ladder: the id cannot change ({replacing!r}): learners may be on it")


def status_adherence(status: StatusView, today: date) -> Adherence:
    """Sessions in the last 14 days against the dose of the learner's current step."""
    view = status.today
    loaded = view.rungs[view.state.rung].load is not None
    per_week = view.policy.loaded_days_per_week if loaded else view.policy.patterning_days_per_week
    return adherence([s.day for s in status.sessions], per_week, today, _started(status, today))


def learner_alerts(status: StatusView, today: date) -> tuple[Alert, ...]:
    """Who needs the clinician, and why: from the learner's standing and recent decisions."""
    view = status.today
    notes = [
        DecisionNote(r.day, Action(r.action), tuple(r.rules), tuple(r.reasons))
        for r in status.decisions
    ]
    since = view.state.since or _started(status, today)
    days = [s.day for s in status.sessions]
    return alerts(view.status, notes, since, days, today, view.policy)


def _started(status: StatusView, today: date) -> date:
    return status.decisions[0].day if status.decisions else today


def roster_row(learner_id: int, status: StatusView, today: date) -> RosterRow:
    view = status.today
    state = view.state
    rung = view.rungs[state.rung]
    days = [s.day for s in status.sessions]
    found = learner_alerts(status, today)
    kinds = {a.kind.value for a in found}
    return RosterRow(
        learner_id=learner_id,
        name=view.learner,
        ladder=view.ladder.name,
        step=state.rung + 1,
        steps=len(view.rungs),
        exercise=rung.name,
        last_session=max(days) if days else None,
        adherence=status_adherence(status, today),
        urgency=view.status.urgency,
        stopped=view.status.stopped,
        stuck="stuck" in kinds,
        regressing="stepping_back" in kinds or "red_twice" in kinds,
        alerts=found,
    )
