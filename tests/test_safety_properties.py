"""Properties the services keep for every door (the web form, the API and the CLI all call
`Coach`): whatever a learner reports, in whatever order, a stopped programme never stores a
session, and a form's token never stores anything twice.

Each example is a fresh SQLite database and a random run of days: screens with or without
warning signs, sessions with any symptoms, check-ins and clearances.
"""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.adapters.db.store import open_store, sqlite_url
from hingecoach.catalog import Catalog, builtin_catalog
from hingecoach.engine.model import Experience, Quality, SymptomArea
from hingecoach.errors import DuplicateError, HingeError, ProgrammeStoppedError
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput, StartInput
from hingecoach.services.uow import sql

DAY0 = date(2026, 2, 2)
CATALOG: Catalog = builtin_catalog()
FLAGS = ("S-A1", "S-B2", "S-C1", "S-C3")

symptoms = st.sampled_from(
    [
        (SymptomArea.NONE, frozenset[Quality]()),
        (SymptomArea.BACK, frozenset({Quality.BURNING})),
        (SymptomArea.BUTTOCK_THIGH, frozenset({Quality.STRETCH})),
        (SymptomArea.BUTTOCK_THIGH, frozenset({Quality.BURNING})),
        (SymptomArea.BELOW_KNEE, frozenset({Quality.TINGLING})),
    ]
)
events = st.one_of(
    st.tuples(st.just("log"), st.integers(0, 8), symptoms, st.booleans()),
    st.tuples(st.just("checkin"), st.integers(0, 8), symptoms, st.booleans()),
    st.tuples(st.just("screen"), st.sampled_from(FLAGS), symptoms, st.booleans()),
    st.tuples(st.just("clear"), st.just(0), symptoms, st.booleans()),
    st.tuples(st.just("next day"), st.just(0), symptoms, st.booleans()),
)


def _log(coach: Coach, day: date, pain: int, where: tuple[SymptomArea, frozenset[Quality]], faded: bool, token: str) -> None:  # fmt: skip
    area, qualities = where
    data = LogInput(
        day=day,
        pain_before=1,
        pain_during=pain,
        pain_after=1,
        sets=[(None, 30), (None, 30)],
        area=area,
        qualities=qualities,
        faded=faded,
        client_token=token,
        another_today=True,
    )
    coach.log(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events, min_size=3, max_size=14))
def test_no_session_is_ever_stored_while_the_programme_is_stopped(
    run: list[tuple[str, object, tuple[SymptomArea, frozenset[Quality]], bool]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(sqlite_url(Path(folder) / "p.db"))
        try:
            day = DAY0
            Coach(sql(store), CATALOG, day).start(
                StartInput("Sam", "solving-pain", Experience.NEW, 2, frozenset(), age=40)
            )
            for n, (kind, value, where, flag) in enumerate(run):
                coach = Coach(sql(store), CATALOG, day)
                if kind == "next day":
                    day += timedelta(days=1)
                    continue
                stopped = coach.programme().stopped
                count = len(coach.status().sessions)
                try:
                    if kind == "log":
                        _log(coach, day, int(str(value)), where, flag, f"t{n}")
                    elif kind == "checkin":
                        coach.checkin(CheckInInput(day, int(str(value)), *where))
                    elif kind == "screen":
                        coach.rescreen(frozenset({str(value)}))
                    else:
                        coach.clear("Dr Lee", "seen", day)
                except ProgrammeStoppedError:
                    assert kind == "log"
                    assert stopped
                except HingeError:
                    pass  # nothing to clear, and the like: refused, nothing stored
                after = len(Coach(sql(store), CATALOG, day).status().sessions)
                if kind == "log" and stopped:
                    assert after == count, "a stopped programme stored a session"
                if kind == "log" and not stopped:
                    assert after == count + 1
        finally:
            store.dispose()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=2, max_size=6))
def test_a_token_is_never_stored_twice(tokens: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(sqlite_url(Path(folder) / "p.db"))
        try:
            coach = Coach(sql(store), CATALOG, DAY0)
            coach.start(StartInput("Sam", "solving-pain", Experience.NEW, 2, frozenset(), age=40))
            for token in tokens:
                with contextlib.suppress(DuplicateError):
                    _log(coach, DAY0, 1, (SymptomArea.NONE, frozenset()), False, token)
            assert len(coach.status().sessions) == len(set(tokens))
        finally:
            store.dispose()
