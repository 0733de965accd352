"""The catalog a learner's ladder comes from: the built-in one, plus their clinic's own
ladders, read inside the use case's own unit of work (no extra transaction per request), and
parsed once per text (a clinic's TOML is checked when it is saved, then only read)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from hingecoach.adapters.db.records import CustomLadderRecord
from hingecoach.catalog import Catalog, Ladder, parse_ladders
from hingecoach.services.uow import UnitOfWork

__all__ = ["Catalogs"]


class Catalogs:
    def __init__(self, base: Catalog) -> None:
        self.base = base
        self._parsed = lru_cache(maxsize=512)(self._parse)

    def _parse(self, ladder_id: str, text: str) -> tuple[Ladder, ...]:
        return tuple(parse_ladders(text, ladder_id, self.base.exercises))

    def with_texts(self, texts: Sequence[CustomLadderRecord]) -> Catalog:
        ladders = [lad for t in texts for lad in self._parsed(t.ladder_id, t.toml)]
        return self.base.with_ladders(ladders) if ladders else self.base

    def of(self, uow: UnitOfWork, clinic_id: int | None) -> Catalog:
        """The built-in ladders plus this clinic's own, read in `uow`."""
        if clinic_id is None:
            return self.base
        return self.with_texts(uow.clinics.custom_ladders(clinic_id))
