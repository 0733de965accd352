"""Load and validate the exercise catalog and ladders from TOML.

Every problem becomes one `CatalogError` that names the file and the field (or the TOML
line), so a clinician editing a custom ladder sees exactly what to fix.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from hingecoach.catalog.model import Equipment, Exercise, Ladder
from hingecoach.errors import CatalogError, NotFoundError

__all__ = ["Catalog", "builtin_catalog", "load_catalog", "load_ladders", "parse_ladders"]

M = TypeVar("M", Exercise, Equipment, Ladder)


@dataclass(frozen=True)
class Catalog:
    """All exercises, equipment and ladders, cross-checked against each other."""

    exercises: Mapping[str, Exercise]
    equipment: Mapping[str, Equipment]
    ladders: Mapping[str, Ladder]

    def exercise(self, key: str) -> Exercise:
        """Find an exercise by id or by any alias or name, case-insensitively."""
        wanted = key.strip().lower()
        for ex in self.exercises.values():
            names = {ex.id, ex.name.lower(), *(a.lower() for a in ex.aliases)}
            if wanted in names or wanted.replace("-", "_") in names:
                return ex
        known = ", ".join(self.exercises)
        raise NotFoundError(f"exercise: unknown id {key!r}; known ids: {known}")

    def ladder(self, key: str) -> Ladder:
        if key in self.ladders:
            return self.ladders[key]
        known = ", ".join(self.ladders)
        raise NotFoundError(f"ladder: unknown id {key!r}; known ids: {known}")

    def with_ladders(self, extra: Iterable[Ladder]) -> Catalog:
        """Return a catalog with custom ladders added; a clashing id is refused."""
        ladders = dict(self.ladders)
        for ladder in extra:
            if ladder.id in ladders:
                raise CatalogError(f"ladder id {ladder.id!r} is already taken by a ladder")
            ladders[ladder.id] = ladder
        return Catalog(self.exercises, self.equipment, ladders)


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: TOML syntax error: {exc}") from None


def _field_path(table: str, index: int, item: Mapping[str, Any], loc: Sequence[Any]) -> str:
    label = f"{table}[{index + 1}]"
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        label += f" ({item['id']})"
    rest = ".".join(str(part) for part in loc)
    return f"{label}.{rest}" if rest else label


def _parse_items(data: Mapping[str, Any], table: str, model: type[M], source: str) -> list[M]:
    raw = data.get(table, [])
    if not isinstance(raw, list):
        raise CatalogError(f"{source}: {table}: expected an array of tables [[{table}]]")
    items: list[M] = []
    for index, item in enumerate(raw):
        try:
            items.append(model.model_validate(item))
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            where = _field_path(table, index, item, first["loc"])
            raise CatalogError(f"{source}: {where}: {first['msg']}") from None
    ids = [i.id for i in items]
    for seen in {i for i in ids if ids.count(i) > 1}:
        raise CatalogError(f"{source}: {table}: duplicate id {seen!r}")
    return items


def _check_ladder(ladder: Ladder, exercises: Mapping[str, Exercise], source: str) -> None:
    seen: set[str] = set()
    for number, step in enumerate(ladder.steps, start=1):
        where = f"{source}: ladder {ladder.id!r} step {number}.exercise"
        if step.exercise not in exercises:
            raise CatalogError(f"{where}: unknown exercise {step.exercise!r}")
        if step.exercise in seen:
            raise CatalogError(f"{where}: {step.exercise!r} appears twice in the ladder")
        seen.add(step.exercise)


def parse_ladders(text: str, source: str, exercises: Mapping[str, Exercise]) -> list[Ladder]:
    """Parse `[[ladder]]` tables from TOML text and check every step against the catalog."""
    data = _read_toml(text, source)
    unknown = set(data) - {"ladder"}
    if unknown:
        raise CatalogError(f"{source}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    if not data.get("ladder"):
        raise CatalogError(f"{source}: no [[ladder]] table found")
    for index, item in enumerate(data["ladder"]):
        if isinstance(item, Mapping) and item.get("steps") == []:
            where = _field_path("ladder", index, item, ["steps"])
            raise CatalogError(f"{source}: {where}: empty ladder (at least one step is needed)")
    ladders = _parse_items(data, "ladder", Ladder, source)
    for ladder in ladders:
        _check_ladder(ladder, exercises, source)
    return ladders


def load_ladders(path: Path, exercises: Mapping[str, Exercise]) -> list[Ladder]:
    """Load a custom ladder file; every error names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read the ladder file ({exc})") from None
    return parse_ladders(text, str(path), exercises)


def _check_links(
    exercises: Mapping[str, Exercise], equipment: Mapping[str, Equipment], source: str
) -> None:
    for ex in exercises.values():
        for name in ("regression", "progression"):
            target = getattr(ex, name)
            if target is not None and target not in exercises:
                raise CatalogError(f"{source}: exercise {ex.id!r}.{name}: unknown {target!r}")
        for kit in ex.equipment:
            if kit not in equipment:
                raise CatalogError(f"{source}: exercise {ex.id!r}.equipment: unknown {kit!r}")


def load_catalog(exercises_text: str, ladders_text: str, source: str = "catalog") -> Catalog:
    """Build a catalog from the two TOML texts (exercises with equipment, and ladders)."""
    ex_source, lad_source = f"{source}/exercises.toml", f"{source}/ladders.toml"
    data = _read_toml(exercises_text, ex_source)
    exercises = {e.id: e for e in _parse_items(data, "exercise", Exercise, ex_source)}
    equipment = {q.id: q for q in _parse_items(data, "equipment", Equipment, ex_source)}
    _check_links(exercises, equipment, ex_source)
    ladders = {lad.id: lad for lad in parse_ladders(ladders_text, lad_source, exercises)}
    return Catalog(exercises, equipment, ladders)


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped inside the package (both seed ladders)."""
    data = resources.files("hingecoach.catalog") / "data"
    return load_catalog(
        (data / "exercises.toml").read_text(encoding="utf-8"),
        (data / "ladders.toml").read_text(encoding="utf-8"),
        source="hingecoach/catalog/data",
    )


def catalog_with(ladders_file: Path | None) -> Catalog:
    """The built-in catalog, with the ladders of HINGE_LADDERS_FILE added when one is set."""
    found = builtin_catalog()
    if ladders_file is not None:
        found = found.with_ladders(load_ladders(ladders_file, found.exercises))
    return found
