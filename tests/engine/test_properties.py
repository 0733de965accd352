"""Properties `decide` must keep whatever the history: safety first, no skipped rungs,
loads within their caps, and the same answer whatever order the readings arrive in.

Histories are drawn over a 30-day window on the real solving-pain ladder; pain is 0-10.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hingecoach.engine.model import (
    Action,
    CheckIn,
    Decision,
    History,
    Light,
    ProgramState,
    Quality,
    Rung,
    ScreenResult,
    Session,
    SetLog,
    SymptomArea,
    Urgency,
)
from hingecoach.engine.pain import CheckInIndex, is_red, session_light
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.progression import canonical, decide, next_load, plan_today
from hingecoach.engine.screening import FLAGS

from .builders import D0, day, documented_rule_ids

WINDOW = 30
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STOP_FLAGS = tuple(f.id for f in FLAGS if f.id.startswith(("S-A", "S-B")))
ROUTINE_FLAGS = tuple(f.id for f in FLAGS if f.id.startswith("S-C"))
DOCUMENTED = documented_rule_ids()

pains = st.one_of(st.integers(0, 3), st.integers(0, 10))
# Mostly calm readings, so the deeper rules (mastery, loads) are reached as well as the stops.
areas = st.sampled_from([SymptomArea.NONE] * 12 + [*SymptomArea])
qualities = st.sampled_from(
    [frozenset[Quality]()] * 40
    + [frozenset({q}) for q in Quality]
    + [frozenset({Quality.BURNING, Quality.TINGLING})]
)


def days(window: int = WINDOW) -> st.SearchStrategy[date]:
    return st.integers(0, window - 1).map(day)


def loads(rung: Rung) -> st.SearchStrategy[float | None]:
    """A load on the rung's own scale: whole band levels, or kilos in 0.5 kg steps."""
    scheme = rung.load
    if scheme is None:
        return st.none()
    if scheme.unit == "band":
        return st.integers(int(scheme.start), int(scheme.cap)).map(float)
    return st.integers(int(scheme.start * 2), int(scheme.cap * 2)).map(lambda n: n / 2)


@st.composite
def set_logs(draw: st.DrawFn, rung: Rung) -> SetLog:
    reps = draw(st.one_of(st.none(), st.integers(0, 16)))
    seconds = draw(st.none()) if reps is not None else draw(st.integers(0, 70))
    return SetLog(reps=reps, seconds=seconds, load=draw(loads(rung)))


@st.composite
def sessions(draw: st.DrawFn, rungs: tuple[Rung, ...], window: int = WINDOW) -> Session:
    index = draw(st.integers(0, len(rungs) - 1))
    rung = rungs[index]
    checks = len(rung.self_check)
    return Session(
        day=draw(days(window)),
        rung=index,
        exercise_id=rung.exercise_id,
        pain_before=draw(pains),
        pain_during=draw(pains),
        pain_after=draw(pains),
        sets=tuple(draw(st.lists(set_logs(rung), max_size=4))),
        area=draw(areas),
        qualities=draw(qualities),
        faded_with_rest=draw(st.booleans()),
        first_set_uncued=draw(st.booleans()),
        self_check=tuple(draw(st.lists(st.booleans(), min_size=checks, max_size=checks))),
        faults=draw(st.integers(0, 4)),
        fault_basis=draw(st.integers(0, 30)),
    )


@st.composite
def checkins(draw: st.DrawFn, window: int = WINDOW) -> CheckIn:
    return CheckIn(
        day=draw(days(window)),
        pain=draw(pains),
        area=draw(areas),
        qualities=draw(qualities),
        soreness=draw(st.booleans()),
    )


@st.composite
def screens(draw: st.DrawFn, window: int = WINDOW) -> ScreenResult:
    flags = draw(
        st.one_of(
            st.just(frozenset[str]()),
            st.frozensets(st.sampled_from(ROUTINE_FLAGS), max_size=2),
            st.frozensets(st.sampled_from(STOP_FLAGS + ROUTINE_FLAGS), max_size=2),
        )
    )
    return ScreenResult(draw(days(window)), flags)


@st.composite
def states(draw: st.DrawFn, rungs: tuple[Rung, ...], window: int = WINDOW) -> ProgramState:
    index = draw(st.integers(0, len(rungs) - 1))
    maybe_day = st.one_of(st.none(), days(window))
    return ProgramState(
        rung=index,
        load=draw(loads(rungs[index])),
        volume_factor=draw(st.sampled_from([1.0, 0.6, 0.5])),
        deload_until=draw(maybe_day),
        regressed_on=draw(maybe_day),
        last_green_rung=draw(st.one_of(st.none(), st.integers(0, index))),
        unloaded_only=draw(st.booleans()),
        since=draw(maybe_day),
        acted_on=draw(maybe_day),
    )


@st.composite
def histories(draw: st.DrawFn, rungs: tuple[Rung, ...], window: int = WINDOW) -> History:
    return History(
        rungs=rungs,
        state=draw(states(rungs, window)),
        onboarding_pain=draw(pains),
        sessions=tuple(draw(st.lists(sessions(rungs, window), max_size=8))),
        checkins=tuple(draw(st.lists(checkins(window), max_size=20))),
        screens=tuple(draw(st.lists(screens(window), max_size=2))),
        cleared_on=draw(st.one_of(st.none(), days(window))),
    )


@st.composite
def top_sets(draw: st.DrawFn, rung: Rung, load: float | None) -> tuple[SetLog, ...]:
    """Sets at the top of the rung's range, at the given load (what L1 looks for)."""
    count = draw(st.integers(rung.sets[0], rung.sets[1]))
    if rung.reps is not None:
        return tuple(SetLog(reps=rung.reps[1], load=load) for _ in range(count))
    assert rung.seconds is not None
    return tuple(SetLog(seconds=rung.seconds[1], load=load) for _ in range(count))


@st.composite
def stories(draw: st.DrawFn, rungs: tuple[Rung, ...], window: int = WINDOW) -> History:
    """A learner mostly doing their own rung well, with morning check-ins near their usual
    pain: the histories where mastery, loads and progressions are decided."""
    index = draw(st.integers(0, len(rungs) - 1))
    load = draw(loads(rungs[index]))
    onboarding = draw(st.integers(0, 4))
    session_days = draw(st.lists(st.integers(0, window - 2), unique=True, min_size=1, max_size=6))
    done = []
    for d in sorted(session_days):
        r = draw(st.sampled_from([index] * 4 + [max(0, index - 1), min(len(rungs) - 1, index + 1)]))
        rung = rungs[r]
        done.append(
            Session(
                day=day(d),
                rung=r,
                exercise_id=rung.exercise_id,
                pain_before=draw(st.integers(0, 4)),
                pain_during=draw(st.one_of(st.integers(0, 5), st.integers(0, 8))),
                pain_after=draw(st.integers(0, 6)),
                sets=draw(top_sets(rung, load if r == index else draw(loads(rung)))),
                area=draw(areas),
                qualities=draw(qualities),
                first_set_uncued=draw(st.sampled_from([True, True, False])),
                self_check=(True,) * len(rung.self_check),
                faults=draw(st.sampled_from([0, 0, 3])),
                fault_basis=20,
            )
        )
    extra_days = draw(st.lists(st.integers(0, window - 1), unique=True, max_size=8))
    next_days = [d + 1 for d in session_days if draw(st.sampled_from([True] * 4 + [False]))]
    drift = st.sampled_from([0] * 8 + [-1, 1, 2])
    mornings = tuple(
        CheckIn(day(d), max(0, min(10, onboarding + draw(drift))))
        for d in sorted(set(extra_days) | set(next_days))
    )
    return History(
        rungs=rungs,
        state=ProgramState(
            rung=index,
            load=load,
            unloaded_only=draw(st.booleans()),
            acted_on=draw(st.one_of(st.none(), st.integers(0, 3).map(day))),
        ),
        onboarding_pain=onboarding,
        sessions=tuple(done),
        checkins=mornings,
        screens=tuple(draw(st.lists(screens(window), max_size=1))),
    )


def any_history(rungs: tuple[Rung, ...], window: int = WINDOW) -> st.SearchStrategy[History]:
    return st.one_of(histories(rungs, window), stories(rungs, window))


def todays(window: int = WINDOW) -> st.SearchStrategy[date]:
    return st.integers(0, window).map(day)


def today_for(history: History, window: int = WINDOW) -> st.SearchStrategy[date]:
    """A day from the first session on, or just after the last one (when it gets judged)."""
    if not history.sessions:
        return todays(window)
    first = (min(s.day for s in history.sessions) - D0).days
    last = max(s.day for s in history.sessions)
    return st.one_of(
        st.integers(first, window).map(day),
        st.sampled_from([1, 1, 2, 0]).map(lambda n: last + timedelta(days=n)),
    )


def _is_red(session: Session, history: History, today: date) -> bool:
    light = session_light(session, history.checkins, history.onboarding_pain, DEFAULT_POLICY, today)
    return light.light is Light.RED


@PROPERTY
@given(data=st.data())
def test_the_red_rules_alone_say_red_exactly_when_the_whole_light_is_red(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    """A decision asks `is_red` of every session of its window and the whole light of a
    few: the two must never disagree, or a red could be missed (P3) or invented."""
    history = data.draw(any_history(solving_pain))
    today = data.draw(today_for(history))
    index = CheckInIndex.of(history.checkins, today)
    for s in history.sessions:
        found = is_red(s, history.onboarding_pain, DEFAULT_POLICY, today, index)
        assert found == _is_red(s, history, today), s


# --- (a) red flags stop ---------------------------------------------------------------------


@PROPERTY
@given(data=st.data())
def test_a_red_flag_answer_always_stops_the_programme(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))
    today = data.draw(today_for(history))
    flag = data.draw(st.sampled_from(STOP_FLAGS))
    flag_day = day(data.draw(st.integers(0, (today - D0).days)))
    cleared = data.draw(
        st.one_of(st.none(), st.integers(1, 10).map(lambda n: flag_day - timedelta(days=n)))
    )
    flagged = replace(
        history,
        screens=(*history.screens, ScreenResult(flag_day, frozenset({flag}))),
        cleared_on=cleared,
    )

    decision = decide(flagged, DEFAULT_POLICY, today)

    assert decision.action is Action.STOP
    assert {flag, "P5"} <= set(decision.rules)
    assert decision.state.stopped
    assert decision.refer
    if flag.startswith("S-A"):
        assert decision.urgency is Urgency.EMERGENCY
    else:
        assert decision.urgency in (Urgency.URGENT, Urgency.EMERGENCY)


# --- (b) red never progresses ---------------------------------------------------------------


@PROPERTY
@given(data=st.data())
def test_a_red_session_never_leads_to_progress(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))
    today = data.draw(today_for(history))

    decision = decide(history, DEFAULT_POLICY, today)

    seen = canonical(history, today, DEFAULT_POLICY)
    acted_on = seen.state.acted_on
    unacted = [s for s in seen.sessions if acted_on is None or s.day > acted_on]
    last_day = [s for s in seen.sessions if s.day == seen.sessions[-1].day] if seen.sessions else []
    if any(_is_red(s, seen, today) for s in unacted + last_day):
        assert decision.action is not Action.PROGRESS


@PROPERTY
@given(data=st.data())
def test_a_fresh_red_session_is_acted_on_and_never_rewarded(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))
    today = data.draw(today_for(history))
    rung = data.draw(st.integers(0, len(solving_pain) - 1))
    red = Session(
        day=today,
        rung=rung,
        exercise_id=solving_pain[rung].exercise_id,
        pain_before=2,
        pain_during=data.draw(st.integers(6, 10)),
        pain_after=2,
    )
    acted_on = history.state.acted_on
    earlier = acted_on if acted_on is None or acted_on < today else today - timedelta(days=1)
    fresh = replace(
        history,
        sessions=(*history.sessions, red),
        state=replace(history.state, acted_on=earlier),
    )

    decision = decide(fresh, DEFAULT_POLICY, today)

    assert decision.action in (Action.REGRESS, Action.REFER, Action.STOP)
    if decision.action is not Action.STOP:
        assert decision.light is Light.RED or decision.urgency is Urgency.ROUTINE


# --- (c) no skipped rungs, (d) loads within caps --------------------------------------------


@PROPERTY
@given(data=st.data())
def test_progression_never_skips_a_rung_or_leaves_the_ladder(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))
    before = history.state.rung

    decision = decide(history, DEFAULT_POLICY, data.draw(today_for(history)))

    assert 0 <= decision.state.rung < len(solving_pain)
    assert decision.state.rung <= before + 1
    if decision.action is Action.PROGRESS:
        assert decision.state.rung == before + 1
    if decision.action is Action.REGRESS:
        assert decision.state.rung <= before


@PROPERTY
@given(data=st.data())
def test_load_never_exceeds_the_current_rungs_cap(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))

    decision = decide(history, DEFAULT_POLICY, data.draw(today_for(history)))

    scheme = solving_pain[decision.state.rung].load
    if scheme is None:
        assert decision.state.load is None
    elif decision.state.load is not None:
        assert scheme.start <= decision.state.load <= scheme.cap


@PROPERTY
@given(data=st.data())
def test_next_load_climbs_but_never_passes_the_cap(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    rung = data.draw(st.sampled_from([r for r in solving_pain if r.load is not None]))
    assert rung.load is not None
    load = data.draw(st.integers(0, int(rung.load.cap * 2)).map(lambda n: n / 2))

    raised = next_load(rung, load)

    assert raised <= rung.load.cap
    if load < rung.load.cap:
        assert raised > load
        assert raised * 2 == int(raised * 2), "kilos stay in 0.5 kg steps, bands whole"
    else:
        assert raised == rung.load.cap


# --- (e) arrival order never matters --------------------------------------------------------


@PROPERTY
@given(data=st.data())
def test_decisions_do_not_depend_on_the_order_readings_arrive_in(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    window = 4  # few days, so many readings share a date
    history = data.draw(any_history(solving_pain, window))
    shuffled = replace(
        history,
        sessions=tuple(data.draw(st.permutations(history.sessions))),
        checkins=tuple(data.draw(st.permutations(history.checkins))),
        screens=tuple(data.draw(st.permutations(history.screens))),
    )
    today = data.draw(today_for(history, window))

    first: Decision = decide(history, DEFAULT_POLICY, today)

    assert decide(shuffled, DEFAULT_POLICY, today) == first


# --- every decision explains itself with documented rule ids --------------------------------


@PROPERTY
@given(data=st.data())
def test_every_cited_rule_id_is_documented(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))

    decision = decide(history, DEFAULT_POLICY, data.draw(today_for(history)))

    assert decision.rules
    assert set(decision.rules) <= DOCUMENTED
    assert decision.reasons


# --- the dose follows the light; a day counts once --------------------------------------------


def _dose(history: History, today: date) -> tuple[int, int]:
    rx = plan_today(history, DEFAULT_POLICY, today).prescription
    return (rx.sets, rx.seconds or 0) if rx is not None else (0, 0)


@PROPERTY
@given(data=st.data())
def test_an_amber_session_never_raises_the_dose(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))
    last = max((s.day for s in history.sessions), default=D0)
    new_day = last + timedelta(days=1)
    rung = history.state.rung
    amber = Session(new_day, rung, solving_pain[rung].exercise_id, 2, 2, 6)  # after > 5: P2
    later = replace(
        history,
        sessions=(*history.sessions, amber),
        checkins=(*history.checkins, CheckIn(new_day + timedelta(days=1), 0)),
    )
    today = new_day + timedelta(days=1)
    light = session_light(amber, later.checkins, later.onboarding_pain, DEFAULT_POLICY, today)
    assert light.light is not Light.GREEN

    before, after = _dose(history, today), _dose(later, today)

    assert after[0] <= before[0]
    assert after[1] <= before[1]
    decision = decide(later, DEFAULT_POLICY, today)
    assert decision.load_change is None


@PROPERTY
@given(data=st.data())
def test_a_days_repeated_sessions_count_once(
    solving_pain: tuple[Rung, ...], data: st.DataObject
) -> None:
    history = data.draw(any_history(solving_pain))
    if not history.sessions:
        return
    again = data.draw(st.sampled_from(history.sessions))
    repeated = replace(history, sessions=(*history.sessions, again))
    today = data.draw(today_for(history))

    once, twice = decide(history, DEFAULT_POLICY, today), decide(repeated, DEFAULT_POLICY, today)

    assert (twice.action, twice.state.rung, twice.state.load, twice.light) == (
        once.action,
        once.state.rung,
        once.state.load,
        once.light,
    )
    first = plan_today(history, DEFAULT_POLICY, today).prescription
    assert plan_today(repeated, DEFAULT_POLICY, today).prescription == first
