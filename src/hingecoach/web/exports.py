"""What the web serves that is not a JSON shape: the CSV of every logged set."""

from __future__ import annotations

import csv
import io

from hingecoach.services.results import StatusView

__all__ = ["export_csv"]

_COLUMNS = (
    "date", "step", "exercise", "pain_before", "pain_during", "pain_after", "area",
    "set", "reps", "seconds", "load", "rpe", "note",
)  # fmt: skip


def export_csv(status: StatusView) -> str:
    """One row per set of every logged session: the format a spreadsheet opens."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_COLUMNS)
    notes = status.notes or [""] * len(status.sessions)
    for s, note in zip(status.sessions, notes, strict=True):
        for n, x in enumerate(s.sets, start=1):
            writer.writerow(
                [
                    s.day.isoformat(), s.rung + 1, s.exercise_id, s.pain_before, s.pain_during,
                    s.pain_after, s.area.value, n, x.reps, x.seconds, x.load, x.rpe, note,
                ]
            )  # fmt: skip
    return out.getvalue()
