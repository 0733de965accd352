"""Exercises and ladders as validated data files."""

from hingecoach.catalog.loader import (
    Catalog,
    builtin_catalog,
    load_catalog,
    load_ladders,
    parse_ladders,
)
from hingecoach.catalog.model import Equipment, Exercise, Ladder, LadderStep
from hingecoach.catalog.plan import check_spec_for, rung_for, rungs_for

__all__ = [
    "Catalog",
    "Equipment",
    "Exercise",
    "Ladder",
    "LadderStep",
    "builtin_catalog",
    "check_spec_for",
    "load_catalog",
    "load_ladders",
    "parse_ladders",
    "rung_for",
    "rungs_for",
]
