"""Engine benchmark: how `decide` scales with the length of a learner's history.

Reports the median time of one decision for a week, a quarter and a year of daily sessions
and check-ins, and each as a ratio to the week, all measured in this one run (the machine is
shared and noisy, so absolute times mean little; the ratios show the growth).
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

from hingecoach.catalog import builtin_catalog, rungs_for
from hingecoach.engine.model import CheckIn, History, ProgramState, Session, SetLog
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import decide

START = date(2026, 1, 1)


def history(days: int) -> History:
    catalog = builtin_catalog()
    rungs = rungs_for(catalog.ladder("solving-pain"), catalog)
    sessions = tuple(
        Session(
            START + timedelta(days=d),
            2,
            "dowel_hinge",
            1,
            2,
            1,
            (SetLog(seconds=45),) * 3,
            first_set_uncued=True,
            self_check=(True, True, True),
        )
        for d in range(days)
    )
    checkins = tuple(CheckIn(START + timedelta(days=d + 1), 1) for d in range(days))
    return History(rungs, ProgramState(rung=2, since=START), 2, sessions, checkins)


def median_seconds(h: History, today: date, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        decide(h, DEFAULT_POLICY, today)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    sizes = {"week": 7, "quarter": 91, "year": 365}
    results = {}
    for name, days in sizes.items():
        h = history(days)
        results[name] = median_seconds(h, START + timedelta(days=days), repeats=15)
    base = results["week"]
    print("decide() median per call, by history length (ratios to a week, same run)")
    for name, secs in results.items():
        print(f"  {name:8} {sizes[name]:4d} days  {secs * 1000:8.2f} ms  x{secs / base:6.1f}")


if __name__ == "__main__":
    main()
    from bench import vision

    vision.main()
