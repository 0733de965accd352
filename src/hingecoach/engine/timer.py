"""The interval timer's schedule: get ready, then work and rest, with a cue line for each set.

Pure: the terminal and the web page both play this list; neither decides the phases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError
from hingecoach.language import _

__all__ = ["Phase", "schedule"]


@dataclass(frozen=True)
class Phase:
    kind: str  # "ready", "work" or "rest"
    seconds: int
    set_number: int
    cue: str


def schedule(sets: int, work: int, rest: int, ready: int, cues: Sequence[str]) -> tuple[Phase, ...]:
    """Phases in order; no rest after the last set. Cues rotate one per work phase.

    The timer's own lines are in the reader's language; `cues` come as the caller gives them
    (the page translates the catalog's cues before it asks)."""
    for field, value, low, high in (
        ("sets", sets, 1, 10),
        ("work", work, 1, 600),
        ("rest", rest, 0, 600),
        ("ready", ready, 0, 60),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                field, N_("a whole number {low}-{high}"), value, low=low, high=high
            )
    phases = [Phase("ready", ready, 1, _("Get into position."))] if ready else []
    for n in range(1, sets + 1):
        cue = cues[(n - 1) % len(cues)] if cues else _("Move slowly and smoothly.")
        phases.append(Phase("work", work, n, cue))
        if n < sets and rest:
            phases.append(Phase("rest", rest, n, _("Rest. Breathe easy, shake out your legs.")))
    return tuple(phases)
