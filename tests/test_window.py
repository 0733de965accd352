"""Decisions that cost the same at two years as at one week (rule H1), and pages that read
the database a fixed number of times.

The property test replays random histories both ways: decided on the whole history in
memory, and decided on what the services load from a real database (a bounded window). The
decisions must be the same.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from hingecoach.adapters.db.records import VideoEvidence
from hingecoach.adapters.db.repositories import ProgrammeRepository
from hingecoach.adapters.db.store import Store, open_store, sqlite_url
from hingecoach.catalog import Catalog, builtin_catalog, rungs_for
from hingecoach.engine.model import (
    CheckIn,
    Experience,
    History,
    ProgramState,
    Quality,
    Session,
    SymptomArea,
)
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import canonical, decide, plan_today
from hingecoach.errors import HingeError
from hingecoach.services import reading
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.clinic import ClinicService
from hingecoach.services.coach import Coach
from hingecoach.services.inputs import CheckInInput, LogInput, StartInput
from hingecoach.services.results import TodayView
from hingecoach.services.uow import sql
from hingecoach.services.views import LearnerCache, Newest

CATALOG: Catalog = builtin_catalog()
RUNGS = rungs_for(CATALOG.ladder("solving-pain"), CATALOG)
D0 = date(2025, 1, 6)
SPAN = 420  # over a year, so the window really cuts
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)

symptoms = st.sampled_from(
    [(SymptomArea.NONE, frozenset[Quality]())] * 8
    + [
        (SymptomArea.BACK, frozenset({Quality.BURNING})),
        (SymptomArea.BUTTOCK_THIGH, frozenset({Quality.STRETCH})),
        (SymptomArea.BELOW_KNEE, frozenset({Quality.TINGLING})),
        (SymptomArea.BUTTOCK_THIGH, frozenset({Quality.PAIN})),
    ]
)


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    rung = draw(st.integers(0, 3))
    area, qualities = draw(symptoms)
    return Session(
        day=D0 + timedelta(days=draw(st.integers(0, SPAN))),
        rung=rung,
        exercise_id=RUNGS[rung].exercise_id,
        pain_before=draw(st.integers(0, 6)),
        pain_during=draw(st.integers(0, 8)),
        pain_after=draw(st.integers(0, 7)),
        area=area,
        qualities=qualities,
        faded_with_rest=draw(st.booleans()),
        first_set_uncued=draw(st.booleans()),
        self_check=(True,) * len(RUNGS[rung].self_check),
    )


@st.composite
def histories(draw: st.DrawFn) -> tuple[History, date, int | None]:
    today = D0 + timedelta(days=draw(st.integers(200, SPAN + 5)))
    cleared = draw(st.one_of(st.none(), st.integers(0, SPAN)))
    return (
        History(
            rungs=RUNGS,
            state=ProgramState(
                rung=draw(st.integers(0, 3)),
                since=D0 + timedelta(days=draw(st.integers(0, SPAN))),
                acted_on=draw(st.one_of(st.none(), st.integers(0, SPAN).map(lambda n: D0 + timedelta(days=n)))),
            ),
            onboarding_pain=draw(st.integers(0, 8)),
            sessions=tuple(draw(st.lists(sessions(), max_size=25))),
            checkins=tuple(
                CheckIn(D0 + timedelta(days=d), p, *draw(symptoms))
                for d, p in draw(st.lists(st.tuples(st.integers(0, SPAN), st.integers(0, 9)), max_size=40))
            ),
            started=D0,
            cleared_on=None if cleared is None else D0 + timedelta(days=cleared),
        ),
        today,
        cleared,
    )  # fmt: skip


def _stored(store: Store, h: History) -> int:
    """The history written to the database through the repository, as the app writes it."""
    with store.session() as db:
        repo = ProgrammeRepository(db)
        learner_id = repo.add_learner(
            h.state, name="Sam", started_on=D0, ladder_id="solving-pain", experience="new",
            onboarding_pain=h.onboarding_pain, age=40, equipment=[], policy={}, clinic_id=None,
        )  # fmt: skip
        for s in h.sessions:
            repo.add_session(learner_id, s)
        for c in h.checkins:
            repo.add_checkin(learner_id, c)
        if h.cleared_on is not None:
            repo.add_clearance(learner_id, h.cleared_on, "Dr Lee", "")
        db.commit()
    return learner_id


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_a_decision_on_the_loaded_window_is_the_decision_on_the_whole_history(
    case: tuple[History, date, int | None],
) -> None:
    full, today, _ = case
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(sqlite_url(Path(folder) / "w.db"))
        try:
            learner_id = _stored(store, full)
            with sql(store)() as uow:
                learner = reading.load(uow, Catalogs(CATALOG), learner_id)
                loaded = learner.history(uow.programme, today)
        finally:
            store.dispose()

    assert len(loaded.sessions) <= len(full.sessions)
    assert decide(loaded, DEFAULT_POLICY, today) == decide(full, DEFAULT_POLICY, today)
    assert plan_today(loaded, DEFAULT_POLICY, today) == plan_today(full, DEFAULT_POLICY, today)


flag_sets = st.sampled_from([frozenset[str](), frozenset({"S-A1"}), frozenset({"S-C1"})])
videos = st.one_of(
    st.none(),
    st.builds(
        VideoEvidence,
        exercise_id=st.just("x"),
        judged=st.booleans(),
        reps=st.integers(0, 12),
        faults=st.integers(0, 5),
        checks=st.tuples(st.sampled_from([True, False, None]), st.booleans(), st.booleans()),
        report=st.just({}),
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), sessions(), flag_sets, videos)
def test_the_evidence_a_log_adds_in_memory_decides_as_reading_it_back(
    case: tuple[History, date, int | None],
    new: Session,
    flags: frozenset[str],
    video: VideoEvidence | None,
) -> None:
    """`Coach.log` decides on what it loaded plus what it stored (`logged_into`), not on a
    second read: the two must decide alike, back-dated signs and video checks included."""
    full, today, _ = case
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(sqlite_url(Path(folder) / "w.db"))
        try:
            learner_id = _stored(store, full)
            with sql(store)(write=True) as uow:
                learner = reading.load(uow, Catalogs(CATALOG), learner_id)
                found = learner.evidence(uow.programme, today)
                session_id = uow.programme.add_session(learner_id, new)
                if video is not None:
                    uow.programme.add_video_check(session_id, video)
                if flags:
                    uow.programme.add_screen(learner_id, new.day, "session", flags)
                in_memory = learner.history_from(reading.logged_into(found, new, flags, video))
                read_back = learner.history(uow.programme, today)
        finally:
            store.dispose()

    # The same window once put in order: every decision from here on agrees, which is what
    # lets the web app keep the in-memory one for the learner's next request.
    assert canonical(in_memory, today, DEFAULT_POLICY) == canonical(
        read_back, today, DEFAULT_POLICY
    )
    assert decide(in_memory, DEFAULT_POLICY, today) == decide(read_back, DEFAULT_POLICY, today)


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def _learners(store: Store, n: int) -> list[tuple[int, str]]:
    ids = []
    for k in range(n):
        coach = Coach(sql(store), CATALOG, D0)
        with sql(store)(write=True) as uow:
            user = uow.accounts.add_user(f"l{k}@example.com", "x", "learner", f"L{k}", "INT")
        coach.start(StartInput(f"L{k}", "solving-pain", Experience.NEW, 2, frozenset()), user.id)
        coach = Coach(sql(store), CATALOG, D0, learner_id=k + 1)
        coach.log(LogInput(D0, 1, 2, 1, [(None, 30)]))
        ids.append((k + 1, f"L{k}"))
    return ids


def test_the_roster_reads_the_same_number_of_times_for_three_learners_or_twelve(
    tmp_path: Path,
) -> None:
    store = open_store(sqlite_url(tmp_path / "r.db"))
    try:
        learners = _learners(store, 12)
        clinic = ClinicService(sql(store), CATALOG, D0 + timedelta(days=1))
        with _statements(store) as few:
            assert len(clinic.roster(learners[:3])) == 3
        with _statements(store) as many:
            assert len(clinic.roster(learners)) == 12
    finally:
        store.dispose()

    assert len(many) == len(few)
    assert len(few) <= 15


# One step of a learner's weeks, sent to one of two server processes: a session (plain, or
# with a warning sign, which is stored apart and so is not a plain log), a check-in, or a
# look at the today page; `days` after the step before.
steps = st.tuples(
    st.integers(0, 1),
    st.sampled_from(["log", "log", "log", "log with a sign", "check-in", "today"]),
    st.integers(0, 3),
    st.integers(0, 6),
)


def _step(coach: Coach, kind: str, day: date, pain: int) -> object:
    """What the learner sees after the step: the decision and today's view, or the refusal
    (the clock time a decision was stored at aside: the two databases store it apart)."""
    try:
        if kind == "today":
            return _unclocked(coach.today_view())
        if kind == "check-in":
            outcome = coach.checkin(CheckInInput(day, pain))
        else:
            flags = frozenset({"S-A1"}) if kind == "log with a sign" else frozenset[str]()
            entry = LogInput(day, 1, pain, 1, [(None, 30)], flags=flags, another_today=True)
            outcome = coach.log(entry)
    except HingeError as refused:
        return (type(refused), str(refused))
    return (outcome.decision, _unclocked(outcome.today))


def _assert_kept_window_is_the_stored_one(store: Store, cache: LearnerCache, day: date) -> None:
    """The newest window a process holds, if it is at the learner's revision, is the one
    in the database (in the engine's order)."""
    with sql(store)() as uow:
        learner = reading.load(uow, Catalogs(CATALOG), 1)
        stored = learner.evidence(uow.programme, day)
    tail = cache.tails.peek((1, learner.record.created_at))
    if tail is None or tail.revision != learner.record.revision:
        return
    kept, read = (
        canonical(learner.history_from(e), day, learner.policy) for e in (tail.evidence, stored)
    )
    assert kept == read


def _unclocked(view: TodayView) -> TodayView:
    last = view.last_decision
    return view if last is None else replace(view, last_decision=replace(last, made_at=EPOCH))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=2, max_size=14))
def test_two_processes_that_catch_up_decide_as_one_that_reads_every_window_whole(
    plan: list[tuple[int, str, int, int]],
) -> None:
    """The same weeks, told to two processes that each keep learners' windows and catch
    them up with the other's logs (`Coach._caught_up`), and to one that keeps nothing: every
    decision and every today page are the same."""
    with tempfile.TemporaryDirectory() as folder:
        kept, whole = (open_store(sqlite_url(Path(folder) / f"{n}.db")) for n in "kw")
        try:
            for store in (kept, whole):
                Coach(sql(store), CATALOG, D0).start(
                    StartInput("Sam", "solving-pain", Experience.NEW, 2, frozenset())
                )
            caches, day = (LearnerCache(), LearnerCache()), D0
            for process, kind, days, pain in plan:
                day += timedelta(days=days)
                seen = _step(Coach(sql(kept), CATALOG, day, 1, caches[process]), kind, day, pain)
                read = _step(Coach(sql(whole), CATALOG, day, 1), kind, day, pain)
                assert seen == read, (process, kind, day)
                _assert_kept_window_is_the_stored_one(kept, caches[process], day)
        finally:
            kept.dispose()
            whole.dispose()


def test_a_process_keeps_as_many_learners_as_it_is_sized_for_however_often_they_log(
    tmp_path: Path,
) -> None:
    """Each write gives a learner a new revision; the window kept at the old one must give
    way to it, not lie beside it and push out another learner's (with two server processes,
    every other log found the window of a quiet learner gone and read it whole)."""
    store = open_store(sqlite_url(tmp_path / "k.db"))
    try:
        (busy, _), (quiet, _) = _learners(store, 2)
        day = D0 + timedelta(days=1)
        cache = LearnerCache(size=2)
        for learner_id in (busy, quiet):
            Coach(sql(store), CATALOG, day, learner_id, cache).today_view()
        for n in range(4):
            entry = LogInput(day, 1, 2, 1, [(None, 30)], another_today=True, client_token=f"b{n}")
            Coach(sql(store), CATALOG, day, busy, cache).log(entry)
        with _statements(store) as seen:
            entry = LogInput(day, 1, 2, 1, [(None, 30)], another_today=True)
            Coach(sql(store), CATALOG, day, quiet, cache).log(entry)
    finally:
        store.dispose()

    window_reads = [s for s in seen if "FROM checkins" in s and "checkins.day >=" in s]
    assert window_reads == []  # the quiet learner's window came from memory


def test_a_value_made_at_an_older_revision_never_replaces_a_newer_one() -> None:
    """A page read before a log, kept after the log kept its own: the log's stays."""
    kept: Newest[str] = Newest(size=2)
    kept.put("sam", (5, "day"), "after the log")
    kept.put("sam", (4, "day"), "read before it")
    assert kept.get("sam", (5, "day"), lambda: "made again") == "after the log"
    kept.put("sam", (6, "day"), "the next write")
    assert kept.get("sam", (6, "day"), lambda: "made again") == "the next write"
