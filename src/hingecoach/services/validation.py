"""Range checks for every user input. Each failure names the field, the range and the value."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from hingecoach.engine.texts import N_
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
        raise ValidationError(field, N_("a whole number {low}-{high}"), value, low=low, high=high)
    return value


def check_number(field: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValidationError(
            field, N_("a number {low}-{high}"), value, low=f"{low:g}", high=f"{high:g}"
        )
    return float(value)


def check_text(field: str, value: str, max_length: int, *, allow_empty: bool = False) -> str:
    text = value.strip()
    if (not text and not allow_empty) or len(text) > max_length:
        low = 0 if allow_empty else 1
        raise ValidationError(field, N_("{low}-{high} characters"), value, low=low, high=max_length)
    return text


def check_day(field: str, value: date, today: date, earliest: date | None = None) -> date:
    if value > today:
        raise ValidationError(
            field,
            N_("a date no later than today ({today})"),
            value.isoformat(),
            today=today.isoformat(),
        )
    if earliest is not None and value < earliest:
        raise ValidationError(
            field, N_("a date on or after {day}"), value.isoformat(), day=earliest.isoformat()
        )
    return value


def check_choice(field: str, value: str, enum: type[E]) -> E:
    try:
        return enum(value.strip().lower().replace("-", "_"))
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(field, N_("one of {allowed}"), value, allowed=allowed) from None


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
            raise ValidationError(
                field, N_("reps like 10 or seconds like 45s"), raw.strip()
            ) from None
        if seconds:
            sets.append((None, check_int(field, value, 1, 600)))
        else:
            sets.append((check_int(field, value, 0, 200), None))
    if not 1 <= len(sets) <= 10:
        raise ValidationError("sets", N_("{low}-{high} sets"), len(sets), low=1, high=10)
    return sets
