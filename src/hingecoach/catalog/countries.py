"""Where to get help, per country: the lines the safety screen shows (catalog/data/countries.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pydantic

from hingecoach.engine.texts import N_
from hingecoach.errors import CatalogError, ValidationError

__all__ = ["Country", "countries", "country"]

FALLBACK = "INT"


class Country(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")

    code: str = pydantic.Field(pattern=r"^[A-Z]{2,3}$")
    name: str = pydantic.Field(min_length=1)
    emergency: str = pydantic.Field(min_length=1)
    urgent: str = pydantic.Field(min_length=1)
    emergency_number: str = pydantic.Field(pattern=r"^\+?[0-9]{2,15}$")  # tap-to-call
    urgent_number: str = pydantic.Field(default="", pattern=r"^(\+?[0-9]{2,15})?$")


@cache
def countries() -> dict[str, Country]:
    """Every country in the data file, in file order; the fallback entry must be there."""
    source = "hingecoach/catalog/data/countries.toml"
    text = (resources.files("hingecoach.catalog") / "data" / "countries.toml").read_text("utf-8")
    try:
        items = [Country.model_validate(c) for c in tomllib.loads(text).get("country", [])]
    except (tomllib.TOMLDecodeError, pydantic.ValidationError) as exc:
        raise CatalogError(f"{source}: {exc}") from None
    found = {c.code: c for c in items}
    if FALLBACK not in found:
        raise CatalogError(f"{source}: no [[country]] with code {FALLBACK!r}")
    return found


def country(code: str) -> Country:
    """Refuse an unknown code, naming the known ones."""
    known = countries()
    wanted = code.strip().upper()
    if wanted not in known:
        allowed = ", ".join(known)
        raise ValidationError("country", N_("one of {allowed}"), code, allowed=allowed)
    return known[wanted]
