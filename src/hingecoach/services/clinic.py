"""The clinician's side: the roster at a glance and the clinic's own ladders.

Access is checked by the caller through `Accounts` (who may see which learner); this module
only reads and writes what it is asked for, inside one transaction per use case.
"""

from __future__ import annotations

from datetime import date

from hingecoach.adapters.db.records import LearnerRecord
from hingecoach.catalog import Catalog, Ladder, parse_ladders
from hingecoach.errors import CatalogError, NotFoundError, ValidationError
from hingecoach.services.care import Care
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.coach import Coach
from hingecoach.services.roster import RosterRow, roster
from hingecoach.services.uow import UnitOfWorkFactory
from hingecoach.services.views import LearnerCache

__all__ = ["ClinicService", "RosterRow"]


class ClinicService:
    def __init__(self, uow: UnitOfWorkFactory, base: Catalog | Catalogs, today: date) -> None:
        self.uow = uow
        self.catalogs = base if isinstance(base, Catalogs) else Catalogs(base)
        self.base = self.catalogs.base
        self.today = today

    # -- catalogs --------------------------------------------------------------------

    def catalog(self, clinic_id: int | None) -> Catalog:
        """The built-in ladders plus this clinic's own."""
        if clinic_id is None:
            return self.base
        with self.uow() as uow:
            return self.catalogs.of(uow, clinic_id)

    def coach(self, learner_id: int, cache: LearnerCache | None = None) -> Coach:
        """The learner's coach: their clinic's ladders are read with their record, per use."""
        return Coach(self.uow, self.catalogs, self.today, learner_id, cache)

    def care(self, learner_id: int) -> Care:
        return Care(self.uow, self.catalogs, self.today, learner_id)

    def custom_ladders(self, clinic_id: int) -> list[tuple[Ladder, str]]:
        """(ladder, its TOML text) for each of the clinic's ladders."""
        with self.uow() as uow:
            texts = uow.clinics.custom_ladders(clinic_id)
        return [(self.catalogs.with_texts([t]).ladder(t.ladder_id), t.toml) for t in texts]

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
        """Every learner at a glance, in a constant number of queries (services/roster.py)."""
        return roster(self.uow, self.catalogs, [i for i, _ in learners], self.today)


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
