"""Exercises and ladders as validated data files."""

from hingecoach.catalog.countries import Country, countries, country
from hingecoach.catalog.loader import (
    Catalog,
    builtin_catalog,
    catalog_with,
    load_catalog,
    load_ladders,
    parse_ladders,
)
from hingecoach.catalog.model import Equipment, Exercise, Ladder, LadderStep
from hingecoach.catalog.plan import check_spec_for, rung_for, rungs_for

__all__ = [
    "Catalog",
    "Country",
    "Equipment",
    "Exercise",
    "Ladder",
    "LadderStep",
    "builtin_catalog",
    "catalog_with",
    "check_spec_for",
    "countries",
    "country",
    "load_catalog",
    "load_ladders",
    "parse_ladders",
    "rung_for",
    "rungs_for",
]
