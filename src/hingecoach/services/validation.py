"""Range checks for every user input. Each failure names the field, the range and the value."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from hingecoach.errors import ValidationError

__all__ = [
    "check_choice",
    "check_choices",
    "check_day",
    "check_int",
    "check_number",
    "check_text",
    "parse_sets",
]

E = TypeVar("E", bound=StrEnum)


def check_int(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, f"a whole number {low}-{high}", value)
    return value


def check_number(field: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValidationError(field, f"a number {low:g}-{high:g}", value)
    return float(value)


def check_text(field: str, value: str, max_length: int, *, allow_empty: bool = False) -> str:
    text = value.strip()
    if (not text and not allow_empty) or len(text) > max_length:
        low = 0 if allow_empty else 1
        raise ValidationError(field, f"{low}-{max_length} characters", value)
    return text


def check_day(field: str, value: date, today: date, earliest: date | None = None) -> date:
    if value > today:
        raise ValidationError(
            field, f"a date no later than today ({today.isoformat()})", value.isoformat()
        )
    if earliest is not None and value < earliest:
        raise ValidationError(
            field, f"a date on or after {earliest.isoformat()}", value.isoformat()
        )
    return value


def check_choice(field: str, value: str, enum: type[E]) -> E:
    try:
        return enum(value.strip().lower().replace("-", "_"))
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(field, f"one of {allowed}", value) from None


def check_choices(field: str, values: Iterable[str], enum: type[E]) -> frozenset[E]:
    return frozenset(check_choice(field, v, enum) for v in values if v.strip())


def parse_sets(text: str) -> list[tuple[int | None, int | None]]:
    """'10,10,9' are reps; '45s,45s' are seconds. Returns (reps, seconds) per set."""
    sets: list[tuple[int | None, int | None]] = []
    for number, raw in enumerate(text.split(","), start=1):
        item = raw.strip().lower()
        seconds = item.endswith("s")
        digits = item[:-1] if seconds else item
        field = f"sets (set {number})"
        try:
            value = int(digits)
        except ValueError:
            raise ValidationError(field, "reps like 10 or seconds like 45s", raw.strip()) from None
        if seconds:
            sets.append((None, check_int(field, value, 1, 600)))
        else:
            sets.append((check_int(field, value, 0, 200), None))
    if not 1 <= len(sets) <= 10:
        raise ValidationError("sets", "1-10 sets", len(sets))
    return sets
