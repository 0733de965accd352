"""Engine benchmark: what one decision costs at a week, a quarter, a year and two years.

The histories are replayed the way the app builds them: a session every day and a check-in
every next morning, each followed by a decision whose state is kept (as `Coach` stores it).
Each decision reads what the app loads (rule H1: the last `horizon_days` of sessions and
check-ins), and is timed on it. The learner in this replay stays on one loaded step for most
of the two years, so every session of the window is judged at every decision: the worst case.

Target (issue 9): under 1 ms at two years, and flat (two years / a year close to 1).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date, timedelta

from hingecoach.catalog import builtin_catalog, rungs_for
from hingecoach.engine.model import CheckIn, History, ProgramState, Session, SetLog
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import canonical, decide
from hingecoach.engine.progression.context import forget_lights

START = date(2024, 1, 1)
SIZES = {"week": 7, "quarter": 91, "year": 365, "two years": 730}


def replayed(days: int) -> tuple[History, date]:
    """A learner's history after `days` days of daily sessions and morning check-ins, with
    the state every decision along the way left, and the day after the last session."""
    catalog = builtin_catalog()
    rungs = rungs_for(catalog.ladder("solving-pain"), catalog)
    h = History(rungs, ProgramState(rung=0, since=START), 2, started=START)
    day = START
    for d in range(days):
        day = START + timedelta(days=d)
        rung = rungs[h.state.rung]
        session = Session(
            day,
            h.state.rung,
            rung.exercise_id,
            1,
            2,
            1,
            (SetLog(seconds=45),) * 3,
            first_set_uncued=True,
            self_check=(True,) * len(rung.self_check),
        )
        h = _decided(replace(h, sessions=(*h.sessions, session)), day)
        morning = CheckIn(day + timedelta(days=1), 1 + d % 2)
        h = _decided(replace(h, checkins=(*h.checkins, morning)), morning.day)
    return h, day + timedelta(days=1)


def _decided(h: History, today: date) -> History:
    """The history as the app would hold it after today's decision: the window, new state."""
    window = canonical(h, today, DEFAULT_POLICY)
    return replace(window, state=decide(window, DEFAULT_POLICY, today).state)


def median_ms(h: History, today: date, repeats: int = 200) -> float:
    """A first decision on the window: the session lights kept between the decisions of one
    request (`lights_for`) are forgotten before each, so none is reused."""
    window = canonical(h, today, DEFAULT_POLICY)  # what the repository loads
    times = []
    for _ in range(repeats):
        forget_lights()
        t0 = time.perf_counter()
        decide(window, DEFAULT_POLICY, today)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    results = {}
    for name, days in SIZES.items():
        h, today = replayed(days)
        results[name] = (median_ms(h, today), len(canonical(h, today, DEFAULT_POLICY).sessions))
    week = results["week"][0]
    print("decide(): median per decision on what the app loads (ratios from this one run)")
    for name, (ms, judged) in results.items():
        print(
            f"  {name:9} {SIZES[name]:4d} days  {judged:3d} sessions judged  {ms:6.3f} ms  "
            f"x{ms / week:5.1f} a week"
        )
    flat = results["two years"][0] / results["year"][0]
    verdict = "met" if results["two years"][0] < 1 else "NOT met"
    print(f"  two years / a year: x{flat:.2f}; under 1 ms at two years: {verdict}")


if __name__ == "__main__":
    main()
