"""A clinic's own ladders, kept as the TOML text the file loader reads."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from hingecoach.adapters.db.records import CustomLadderRecord
from hingecoach.adapters.db.repositories.programme import now
from hingecoach.adapters.db.tables import CustomLadderRow

__all__ = ["ClinicRepository"]


class ClinicRepository:
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def custom_ladders(self, clinic_id: int) -> list[CustomLadderRecord]:
        rows = self.db.scalars(
            select(CustomLadderRow)
            .where(CustomLadderRow.clinic_id == clinic_id)
            .order_by(CustomLadderRow.ladder_id)
        )
        return [CustomLadderRecord(r.ladder_id, r.toml) for r in rows]

    def custom_ladders_for(self, clinic_ids: Iterable[int]) -> dict[int, list[CustomLadderRecord]]:
        """Every ladder of these clinics, by clinic, in one query."""
        ids = list(clinic_ids)
        if not ids:
            return {}
        rows = self.db.scalars(
            select(CustomLadderRow)
            .where(CustomLadderRow.clinic_id.in_(ids))
            .order_by(CustomLadderRow.ladder_id)
        )
        found: dict[int, list[CustomLadderRecord]] = {}
        for r in rows:
            found.setdefault(r.clinic_id, []).append(CustomLadderRecord(r.ladder_id, r.toml))
        return found

    def save_ladder(self, clinic_id: int, ladder_id: str, toml: str, by: str) -> None:
        """Create the clinic's ladder with that id, or replace its text."""
        query = select(CustomLadderRow).where(
            CustomLadderRow.clinic_id == clinic_id, CustomLadderRow.ladder_id == ladder_id
        )
        row = self.db.scalars(query).first() or CustomLadderRow(
            clinic_id=clinic_id, ladder_id=ladder_id
        )
        row.toml, row.updated_by, row.updated_at = toml, by, now()
        self.db.add(row)
        self.db.flush()
