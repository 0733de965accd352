"""What the analysis gets on every labelled clip, as a table beside the labels.

Run `.venv/bin/python -m tests.vision.scoreboard` to print it (from the committed keypoints,
so the clips themselves are not needed beyond their labels); the labelled-clip tests assert
the same things one clip at a time.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from hingecoach.catalog import Catalog, builtin_catalog
from hingecoach.services.analysis import analyse_keypoints
from tests.vision.conftest import EXERCISE_OF, FIXTURES, labelled_clips


@dataclass(frozen=True)
class Outcome:
    file: str
    reps: int | None
    partial_reps: int
    pattern: str | None
    view: str
    faults: tuple[str, ...]
    refusal: str | None


def outcome(catalog: Catalog, row: dict[str, str]) -> Outcome:
    fixture = FIXTURES / row["file"].replace(".mp4", ".npz")
    report = analyse_keypoints(catalog, EXERCISE_OF[row["exercise"]], fixture).report
    codes = tuple(sorted({f.code for f in report.faults}))
    refusal = report.refusal.code if report.refusal else None
    view = report.view.kind if report.view else "-"
    reps = len(report.reps) if report.judged else None
    return Outcome(row["file"], reps, report.partial_reps, report.pattern, view, codes, refusal)


def table(rows: list[dict[str, str]]) -> list[str]:
    catalog = builtin_catalog()
    lines = ["| clip | label reps/partial/pattern/view | got | faults |", "|---|---|---|---|"]
    for row in rows:
        got = outcome(catalog, row)
        want = f"{row['reps']}/{row['partial_reps'] or 0}/{row['pattern']}/{row['view']}"
        mark = "ok" if _matches(row, got) else "MISS"
        found = f"{got.reps}/{got.partial_reps}/{got.pattern}/{got.view}"
        if got.refusal:
            found = f"refused {got.refusal} ({got.partial_reps} partial)"
        faults = ", ".join(got.faults) or "-"
        lines.append(f"| {row['file']} | {want} | {found} {mark} | {faults} |")
    return lines


def _matches(row: dict[str, str], got: Outcome) -> bool:
    return (
        got.reps == int(row["reps"])
        and got.partial_reps == int(row["partial_reps"] or 0)
        and got.pattern == row["pattern"]
    )


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    print("\n".join(table([r for r in labelled_clips() if not wanted or r["file"] in wanted])))
