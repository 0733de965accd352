"""The clinician's side: the roster at a glance and the clinic's own ladders.

Access is checked by the caller through `Accounts` (who may see which learner); this module
only reads and writes what it is asked for, inside one transaction per use case.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from hingecoach.adapters.db.records import LearnerRecord
from hingecoach.catalog import Catalog, Ladder, parse_ladders
from hingecoach.engine.texts import N_
from hingecoach.errors import CatalogError, NotFoundError, ValidationError, Words, counted
from hingecoach.services.care import Care
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.coach import Coach
from hingecoach.services.roster import RosterRow, roster
from hingecoach.services.uow import UnitOfWorkFactory
from hingecoach.services.views import LearnerCache

__all__ = ["ClinicService", "RosterRow", "ladder_toml"]

_TOML_MAX = 20_000  # characters of a ladder's TOML (the form's limit too: schemas/inputs.py)


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
        if len(text) > _TOML_MAX:
            raise ValidationError(
                "toml",
                N_("at most {high} characters"),
                Words(N_("{n} characters"), n=len(text)),
                high=_TOML_MAX,
            )
        ladders = parse_ladders(text, "ladder", self.base.exercises)
        if len(ladders) != 1:
            raise CatalogError(
                N_("ladder: one [[ladder]] table per ladder, found {n}"), n=len(ladders)
            )
        ladder = ladders[0]
        if ladder.id in self.base.ladders:
            raise CatalogError(
                N_("ladder: id {id} is a built-in ladder: choose another id"), id=repr(ladder.id)
            )
        with self.uow(write=True) as uow:
            taken = {t.ladder_id for t in uow.clinics.custom_ladders(clinic_id)}
            _check_replacing(ladder.id, replacing, taken)
            on_it = uow.programme.learners_on_ladder(clinic_id, ladder.id)
            _check_long_enough(ladder, on_it)
            uow.clinics.save_ladder(clinic_id, ladder.id, text, by)
        return ladder

    def build_ladder(
        self,
        clinic_id: int,
        ladder_id: str,
        name: str,
        source: str,
        description: str | None,
        steps: Sequence[tuple[str, str | None]],
        by: str,
    ) -> tuple[Ladder, str]:
        """A new ladder from the builder: written as the editor's TOML (`ladder_toml`) and
        saved by `save_ladder`, so it is checked exactly as the editor's; with its text."""
        text = ladder_toml(ladder_id, name, source, description, steps)
        return self.save_ladder(clinic_id, text, by), text

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
            counted(
                "at least {steps}: {n} learner on this ladder stands on step {step}; "
                "move them first",
                "at least {steps}: {n} learners on this ladder stand on step {step}; "
                "move them first",
                who,
                steps=counted("{n} step", "{n} steps", highest),
                step=highest,
            ),
            counted("{n} step", "{n} steps", len(ladder.steps)),
        )


def _check_replacing(ladder_id: str, replacing: str | None, taken: set[str]) -> None:
    if replacing is not None and replacing not in taken:
        raise NotFoundError(N_("ladder: no custom ladder {id}"), id=repr(replacing))
    if ladder_id in taken and ladder_id != replacing:
        raise CatalogError(N_("ladder: id {id} is already taken by a ladder"), id=repr(ladder_id))
    if replacing is not None and replacing != ladder_id:
        raise CatalogError(
            N_("ladder: the id cannot change ({id}): learners may be on it"), id=repr(replacing)
        )


def ladder_toml(
    ladder_id: str,
    name: str,
    source: str,
    description: str | None,
    steps: Sequence[tuple[str, str | None]],
) -> str:
    """The TOML the ladder editor takes, for a ladder made in the builder: (exercise id,
    label) per step, in order. The text goes through `save_ladder` like the editor's, so
    the builder is checked exactly as a ladder file is. A step has no dose of its own: it
    takes its exercise's (catalog/model.py `LadderStep`)."""
    lines = ["[[ladder]]", f"id = {_string(ladder_id)}", f"name = {_string(name)}"]
    lines.append(f"source = {_string(source)}")
    if description:
        lines.append(f"description = {_string(description)}")
    for exercise, label in steps:
        lines += ["", "[[ladder.steps]]", f"exercise = {_string(exercise)}"]
        if label:
            lines.append(f"label = {_string(label)}")
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    """A TOML basic string. JSON's escapes (quote, backslash, newline, \\uXXXX) are TOML's;
    DEL, which JSON leaves bare and TOML refuses, is escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
