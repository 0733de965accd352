"""The decision after each session and check-in: progress, hold, regress, refer or stop.

`decide(history, policy, today)` is pure: the same history gives the same decision whatever
order its readings arrive in. Rules are checked in order of safety: red flags (S-*, P5),
nerve signs (SX2), review-only flags (S-C), any red session not yet acted on (P3, SX1, K1,
P4, D6), a long flare (P4), then the worst session of the latest day: amber (P2) holds, and
only green reaches mastery (M1-M6) or load progression (L1-L4). Every decision carries the
rule ids and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from math import ceil

from hingecoach.engine.model import (
    Action,
    CheckIn,
    Decision,
    History,
    Light,
    ProgramState,
    Rung,
    ScreenResult,
    Session,
    Urgency,
)
from hingecoach.engine.pain import (
    CheckInIndex,
    LightVerdict,
    baseline,
    flare_days,
    nerve_signs,
    session_light,
)
from hingecoach.engine.policy import Policy
from hingecoach.engine.screening import ScreenVerdict, screen_verdict

__all__ = ["canonical", "decide", "next_load"]


@dataclass(frozen=True)
class _Ctx:
    history: History
    policy: Policy
    today: date
    state: ProgramState
    verdict: ScreenVerdict

    @property
    def rungs(self) -> tuple[Rung, ...]:
        return self.history.rungs

    @cached_property
    def checkin_index(self) -> CheckInIndex:
        return CheckInIndex.of(self.history.checkins, self.today)

    @cached_property
    def _lights(self) -> dict[Session, LightVerdict]:
        return {}

    def light(self, session: Session) -> LightVerdict:
        """The light of a session, computed once per decision."""
        if session not in self._lights:
            h = self.history
            self._lights[session] = session_light(
                session, (), h.onboarding_pain, self.policy, self.today, self.checkin_index
            )
        return self._lights[session]


def _session_key(s: Session) -> tuple[object, ...]:
    # A frozenset's repr can list equal members in different orders, so sort them apart.
    rest = repr(replace(s, qualities=frozenset()))
    qualities = tuple(sorted(s.qualities))
    return (
        s.day,
        s.rung,
        s.exercise_id,
        s.pain_during,
        s.pain_after,
        s.pain_before,
        qualities,
        rest,
    )


def _checkin_key(c: CheckIn) -> tuple[object, ...]:
    return (c.day, c.pain, tuple(sorted(c.qualities)), repr(replace(c, qualities=frozenset())))


def _screen_key(s: ScreenResult) -> tuple[object, ...]:
    return (s.day, tuple(sorted(s.flags)))


def canonical(history: History, today: date) -> History:
    """Drop readings dated after `today` and sort the rest, so arrival order never matters."""
    return replace(
        history,
        sessions=tuple(sorted((s for s in history.sessions if s.day <= today), key=_session_key)),
        checkins=tuple(sorted((c for c in history.checkins if c.day <= today), key=_checkin_key)),
        screens=tuple(sorted((s for s in history.screens if s.day <= today), key=_screen_key)),
    )


def decide(history: History, policy: Policy, today: date) -> Decision:
    """Decide what the learner does next, and why."""
    h = canonical(history, today)
    verdict = screen_verdict(h.screens, policy, today, h.cleared_on)
    # Stopped and unloaded-only follow the active flags and nerve signs, so a clinician's
    # clearance lifts them; a stop still in force sets `stopped` again below.
    state = replace(
        _expire_deload(h.state, today),
        unloaded_only=bool(_routine_flags(verdict)),
        stopped=False,
    )
    ctx = _Ctx(h, policy, today, state, verdict)
    if verdict.stops:
        return _stop(ctx)
    nerve = _nerve_event(h)
    if nerve is not None:
        return _refer_nerve(ctx, nerve)
    restricted = _restrict_to_unloaded(ctx)
    if restricted is not None:
        return restricted
    red = _unacted_red(ctx)
    if red is not None:
        return _on_red(ctx, *red)
    # P4: a long flare shows in the mornings, whether or not sessions are still logged.
    flare = _flare(ctx)
    if flare is not None:
        return flare
    if not h.sessions:
        return _hold(ctx, ("D1",), ("No session logged yet: start with today's prescription.",))
    latest, light = _worst_of_last_day(ctx)
    return _judge_latest(ctx, latest, light)


def _routine_flags(verdict: ScreenVerdict) -> tuple[str, ...]:
    return tuple(f for f in verdict.flags if f.startswith("S-C"))


_SEVERITY = {Light.GREEN: 0, Light.PENDING: 1, Light.AMBER: 2, Light.RED: 3}


def _unacted_red(ctx: _Ctx) -> tuple[Session, LightVerdict] | None:
    """The latest red session not yet acted on: a red is never lost behind a later session."""
    after = ctx.state.acted_on
    found: tuple[Session, LightVerdict] | None = None
    for s in ctx.history.sessions:
        if after is None or s.day > after:
            verdict = ctx.light(s)
            if verdict.light is Light.RED:
                found = (s, verdict)
    return found


def _worst_of_last_day(ctx: _Ctx) -> tuple[Session, LightVerdict]:
    """Same-day sessions count as their worst (ties: the last in canonical order)."""
    last_day = ctx.history.sessions[-1].day
    judged = [(s, ctx.light(s)) for s in ctx.history.sessions if s.day == last_day]
    return max(reversed(judged), key=lambda pair: _SEVERITY[pair[1].light])


def _judge_latest(ctx: _Ctx, latest: Session, light: LightVerdict) -> Decision:
    if ctx.state.acted_on is not None and latest.day <= ctx.state.acted_on:
        return _hold(
            ctx,
            light.rules,
            ("This session has already been acted on.", *light.reasons),
            light.light,
        )
    if light.light is not Light.GREEN:
        return _hold(ctx, light.rules, light.reasons, light.light)
    state = replace(ctx.state, last_green_rung=latest.rung)
    return _on_green(replace(ctx, state=state), latest)


def _expire_deload(state: ProgramState, today: date) -> ProgramState:
    if state.deload_until is not None and today >= state.deload_until:
        return replace(state, deload_until=None, volume_factor=1.0)
    return state


def _stop(ctx: _Ctx) -> Decision:
    verdict = ctx.verdict
    state = replace(ctx.state, stopped=True)
    return Decision(
        Action.STOP,
        verdict.rules,
        (f"Warning sign reported ({', '.join(verdict.flags)}).", verdict.message),
        state,
        urgency=verdict.urgency,
        refer=True,
    )


def _nerve_event(h: History) -> date | None:
    """Day of the latest session or check-in with nerve signs not yet cleared (rule SX2)."""
    events: list[date] = [s.day for s in h.sessions if nerve_signs(s.area, s.qualities)]
    events += [c.day for c in h.checkins if nerve_signs(c.area, c.qualities)]
    fresh = [d for d in events if h.cleared_on is None or d > h.cleared_on]
    return max(fresh) if fresh else None


def _refer_nerve(ctx: _Ctx, day: date) -> Decision:
    already = ctx.state.acted_on is not None and ctx.state.acted_on >= day
    rung = ctx.state.rung if already else max(0, ctx.state.rung - 1)
    state = replace(
        ctx.state,
        rung=rung,
        stopped=True,
        acted_on=max(day, ctx.state.acted_on or day),
        regressed_on=ctx.state.regressed_on if already else ctx.today,
        since=ctx.state.since if already else ctx.today,
        load=_start_load(ctx.rungs[rung]) if not already else ctx.state.load,
    )
    return Decision(
        Action.REFER,
        ("SX2", "P4"),
        (
            f"On {day.isoformat()} you reported burning into the buttock or leg, tingling or numbness.",
            "That can come from an irritated nerve rather than a tired muscle.",
            "Stop the programme and see a clinician before your next session; when they clear "
            f"you, restart one step lower, at {ctx.rungs[rung].name}.",
        ),
        state,
        light=Light.RED,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def _restrict_to_unloaded(ctx: _Ctx) -> Decision | None:
    """S-C flags: book a review and keep to unloaded steps."""
    verdict = ctx.verdict
    if verdict.urgency is not Urgency.ROUTINE or not ctx.rungs[ctx.state.rung].loaded:
        return None
    unloaded = [i for i in range(ctx.state.rung) if not ctx.rungs[i].loaded]
    target = unloaded[-1] if unloaded else 0
    state = replace(
        ctx.state,
        rung=target,
        load=None,
        unloaded_only=True,
        since=ctx.today,
        regressed_on=ctx.today,
    )
    return Decision(
        Action.REGRESS,
        verdict.rules,
        (
            f"You reported {', '.join(verdict.flags)}: {verdict.message}",
            f"Back to {ctx.rungs[target].name}, the highest unloaded step.",
        ),
        state,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def _hold(
    ctx: _Ctx, rules: tuple[str, ...], reasons: tuple[str, ...], light: Light | None = None
) -> Decision:
    return Decision(Action.HOLD, tuple(dict.fromkeys(rules)), reasons, ctx.state, light=light)


def _start_load(rung: Rung) -> float | None:
    return rung.load.start if rung.load is not None else None


def _flare(ctx: _Ctx) -> Decision | None:
    h = ctx.history
    days = flare_days(ctx.checkin_index.mornings, h.onboarding_pain, ctx.today, ctx.policy)
    if days <= ctx.policy.flare_days:
        return None
    return Decision(
        Action.REFER,
        ("P4",),
        (
            f"Your morning pain has been well above your usual for {days} days in a row.",
            "A flare lasting more than a week needs a clinician's review; keep to the current "
            "step at reduced volume until then.",
        ),
        _flare_state(ctx),
        light=Light.RED,
        urgency=Urgency.ROUTINE,
        refer=True,
    )


def _flare_state(ctx: _Ctx) -> ProgramState:
    """Reduced volume for a deload week, renewed by each decision while the flare lasts
    (so it ends on its own once the flare is over, like any other deload: D6)."""
    until = ctx.today + timedelta(days=ctx.policy.deload_days)
    if ctx.state.deload_until is not None:
        until = max(until, ctx.state.deload_until)
    factor = min(ctx.state.volume_factor, ctx.policy.deload_factor)
    return replace(ctx.state, volume_factor=factor, deload_until=until)


def _reds_in_window(ctx: _Ctx, latest: Session) -> int:
    start = latest.day - timedelta(days=ctx.policy.deload_window_days - 1)
    window = [s for s in ctx.history.sessions if start <= s.day <= latest.day]
    return sum(1 for s in window if ctx.light(s).light is Light.RED)


def _previous_red_after_regression(ctx: _Ctx, latest: Session) -> bool:
    """Rule P4: red again on the next session after a regression for red."""
    earlier = [s for s in ctx.history.sessions if s.day < latest.day]
    if not earlier or ctx.state.regressed_on is None:
        return False
    previous = earlier[-1]
    return ctx.light(previous).light is Light.RED and ctx.state.regressed_on >= previous.day


def _red_target(ctx: _Ctx, latest: Session) -> tuple[int, str, str]:
    state = ctx.state
    if latest.rung > state.rung:
        target = min(
            state.rung, state.last_green_rung if state.last_green_rung is not None else state.rung
        )
        return (
            target,
            "K1",
            (
                f"You tried {ctx.rungs[latest.rung].name}, above your current step, and it hurt: "
                f"back to {ctx.rungs[target].name}, the last step where your pain stayed green."
            ),
        )
    if state.rung == 0:
        return 0, "P3", "You are on the first step, so the volume is cut instead of the step."
    target = state.rung - 1
    return target, "P3", f"Down one step to {ctx.rungs[target].name} for at least a week."


def _on_red(ctx: _Ctx, latest: Session, light: LightVerdict) -> Decision:
    policy = ctx.policy
    target, rule, why = _red_target(ctx, latest)
    rules = [*light.rules, rule]
    reasons = [f"Pain light RED: {'; '.join(light.reasons)}.", why]
    factor = ctx.state.volume_factor
    deload_until = ctx.state.deload_until
    if target == ctx.state.rung == 0:
        factor = min(factor, policy.first_step_volume_factor)  # P3: no step below
        deload_until = ctx.today + timedelta(days=policy.regress_hold_days)
    if _reds_in_window(ctx, latest) >= policy.deload_reds:
        factor = min(factor, policy.deload_factor)
        deload_until = ctx.today + timedelta(days=policy.deload_days)
        rules.append("D6")
        reasons.append(
            f"Two red sessions within {policy.deload_window_days} days: one week at {policy.deload_factor:.0%} volume."
        )
    refer = _previous_red_after_regression(ctx, latest)
    if refer:
        rules.append("P4")
        reasons.append(
            "Red again after stepping down: please have a clinician review your programme."
        )
    moved = target != ctx.state.rung
    state = replace(
        ctx.state,
        rung=target,
        load=_start_load(ctx.rungs[target]) if moved else _lower_load(ctx, ctx.state.load),
        volume_factor=factor,
        deload_until=deload_until,
        regressed_on=ctx.today,
        since=ctx.today if moved else ctx.state.since,
        acted_on=latest.day,
    )
    action = Action.REFER if refer else Action.REGRESS
    return Decision(
        action,
        tuple(dict.fromkeys(rules)),
        tuple(reasons),
        state,
        light=Light.RED,
        refer=refer,
        urgency=Urgency.ROUTINE if refer else Urgency.NONE,
    )


def _lower_load(ctx: _Ctx, load: float | None) -> float | None:
    scheme = ctx.rungs[ctx.state.rung].load
    if load is None or scheme is None:
        return load
    return min(scheme.cap, max(scheme.start, load))


def _on_green(ctx: _Ctx, latest: Session) -> Decision:
    state, rungs = ctx.state, ctx.rungs
    if latest.rung > state.rung:
        return _hold(
            ctx,
            ("K2",),
            (
                f"You did {rungs[latest.rung].name}, above your current step, without pain. "
                f"Steps are not skipped: master {rungs[state.rung].name} first.",
            ),
            Light.GREEN,
        )
    if latest.rung < state.rung:
        return _hold(
            ctx,
            ("K2",),
            (f"You did an easier step; your step is still {rungs[state.rung].name}.",),
            Light.GREEN,
        )
    if state.regressed_on is not None and ctx.today < state.regressed_on + timedelta(
        days=ctx.policy.regress_hold_days
    ):
        until = state.regressed_on + timedelta(days=ctx.policy.regress_hold_days)
        return _hold(
            ctx,
            ("P1", "P3"),
            (
                "Pain light GREEN.",
                f"After a step down you stay at least a week: no move up before {until.isoformat()}.",
            ),
            Light.GREEN,
        )
    if rungs[state.rung].load is None:
        return _mastery(ctx, latest)
    return _two_for_two(ctx, latest)


def _fault_rate_ok(s: Session, policy: Policy) -> bool:
    if s.fault_basis <= 0:
        own = s.faults == 0
    else:
        own = s.faults * 10 / s.fault_basis <= policy.max_faults_per_10
    if s.video_reps > 0:  # rule V1: the camera's count is a second, independent opinion
        return own and s.video_faults * 10 / s.video_reps <= policy.max_faults_per_10
    return own


def _form_met(s: Session) -> bool:
    """Every self-check item a yes, and none contradicted by a video check (rules M1, V1)."""
    return bool(s.self_check) and all(s.self_check) and False not in s.video_checks


def _mastery_misses(ctx: _Ctx, s: Session) -> list[tuple[str, str]]:
    misses: list[tuple[str, str]] = []
    if not s.self_check or not all(s.self_check):
        misses.append(("M1", "not every self-check item was a yes"))
    elif False in s.video_checks:
        misses.append(("V1", "the video form check contradicts a self-check item you marked yes"))
    if not s.first_set_uncued:
        misses.append(("M6", "the first set was done with the cues (do the first set from memory)"))
    if not _fault_rate_ok(s, ctx.policy):
        video = (
            s.video_reps > 0 and s.video_faults * 10 > s.video_reps * ctx.policy.max_faults_per_10
        )
        rule = "V1" if video else "M4"
        where = " in the video form check" if video else ""
        misses.append((rule, f"more than 1 fault per 10 reps or per minute{where}"))
    if ctx.light(s).light is not Light.GREEN:
        misses.append(("M5", "pain was not green in the session and the next morning"))
    return misses


def _sessions_here(ctx: _Ctx) -> list[Session]:
    since = ctx.state.since
    return [
        s
        for s in ctx.history.sessions
        if s.rung == ctx.state.rung and (since is None or s.day >= since)
    ]


def _mastery(ctx: _Ctx, latest: Session) -> Decision:
    """Rules M1-M6: two sessions on different days, uncued first set, all checks, green."""
    good = [s for s in _sessions_here(ctx) if not _mastery_misses(ctx, s)]
    good_days = {s.day for s in good}
    need = ctx.policy.mastery_sessions
    if len(good_days) >= need:
        filmed = any(True in s.video_checks for s in good)
        return _progress(
            ctx,
            latest,
            ("P1", "M1", "M4", "M5", "M6", *(("V1",) if filmed else ())),
            (
                f"Mastered in {len(good_days)} sessions on different days: first set from memory, "
                "every self-check a yes, few faults, pain green in the session and next morning"
                + (", with the form confirmed on video." if filmed else "."),
            ),
        )
    misses = _mastery_misses(ctx, latest)
    reasons = [
        f"Pain light GREEN. {len(good_days)} of {need} mastery sessions (on different days) so far."
    ]
    reasons += [f"Last session: {text}." for _, text in misses]
    return _hold(ctx, ("P1", *(r for r, _ in misses), "M6"), tuple(reasons), Light.GREEN)


def _top_of_range(rung: Rung, s: Session) -> bool:
    if len(s.sets) < rung.sets[0]:
        return False
    for st in s.sets:
        if st.reps is not None and rung.reps is not None:
            if st.reps < rung.reps[1]:
                return False
        elif st.seconds is not None and rung.seconds is not None:
            if st.seconds < rung.seconds[1]:
                return False
        else:
            return False
    return True


def _at_load(s: Session, load: float | None) -> bool:
    if load is None:
        return True
    loads = [st.load for st in s.sets]
    return bool(loads) and all(x is not None and x >= load for x in loads)


def next_load(rung: Rung, load: float) -> float:
    """One load step: next band level, or +step % rounded up to 0.5 kg (ACSM 2009); capped (L3)."""
    assert rung.load is not None
    if rung.load.unit == "band":
        return min(rung.load.cap, load + 1)
    raised = load * (1 + rung.load.step_percent / 100)
    # Round the half-kilos to 6 places first so float noise (11.0000001) is not rounded up.
    rounded = max(load + 0.5, ceil(round(raised * 2, 6)) / 2)
    return min(rung.load.cap, rounded)


def _two_for_two(ctx: _Ctx, latest: Session) -> Decision:
    """Rules L1-L4: top of the range on all sets, form met, pain green, two sessions running."""
    rung = ctx.rungs[ctx.state.rung]
    assert rung.load is not None
    load = ctx.state.load if ctx.state.load is not None else rung.load.start
    recent = _sessions_here(ctx)[-ctx.policy.two_for_two_sessions :]
    ok = [
        s
        for s in recent
        if _top_of_range(rung, s)
        and _at_load(s, load)
        and _form_met(s)
        and ctx.light(s).light is Light.GREEN
    ]
    need = ctx.policy.two_for_two_sessions
    if len(ok) < need or len({s.day for s in ok}) < need:
        return _hold(
            ctx,
            ("P1", "L1"),
            (
                "Pain light GREEN.",
                f"{len(ok)} of {need} sessions running at {_fmt_load(rung, load)} with the top of the "
                "range on every set, every form check a yes and green pain.",
            ),
            Light.GREEN,
        )
    top = ctx.state.rung + 1 >= len(ctx.rungs)
    # L3: at the top of the ladder the load keeps growing to its cap, elsewhere to target.
    if load < (rung.load.cap if top else rung.load.target):
        new = next_load(rung, load)
        state = replace(ctx.state, load=new, acted_on=latest.day)
        return Decision(
            Action.HOLD,
            ("P1", "L1", "L3") if new >= rung.load.cap else ("P1", "L1"),
            (
                f"Two sessions running at the top of the range with good form and green pain: "
                f"load goes up from {_fmt_load(rung, load)} to {_fmt_load(rung, new)} "
                "(or the next weight you own, at most 10 % more).",
            ),
            state,
            light=Light.GREEN,
            load_change=f"{load:g} -> {new:g}",
        )
    return _progress(
        ctx,
        latest,
        ("P1", "L1", "L2"),
        (
            f"Two sessions running at the target load {_fmt_load(rung, load)} with good form and green pain.",
        ),
    )


def _fmt_load(rung: Rung, load: float) -> str:
    return f"band level {load:g}" if rung.load and rung.load.unit == "band" else f"{load:g} kg"


def _progress(
    ctx: _Ctx, latest: Session, rules: tuple[str, ...], reasons: tuple[str, ...]
) -> Decision:
    state, rungs = ctx.state, ctx.rungs
    if state.rung + 1 >= len(rungs):
        return _hold(
            ctx,
            (*rules, "L3"),
            (
                *reasons,
                "You are at the top of this ladder: keep practising; load can grow to its cap.",
            ),
            Light.GREEN,
        )
    nxt = rungs[state.rung + 1]
    if nxt.loaded and state.unloaded_only:
        return _hold(
            ctx,
            (*rules, *_routine_flags(ctx.verdict)),
            (
                *reasons,
                f"{nxt.name} is loaded, and your screen asks for a clinician review before loaded steps.",
            ),
            Light.GREEN,
        )
    if nxt.loaded and not rungs[state.rung].loaded:
        base = baseline(
            ctx.checkin_index.mornings, ctx.history.onboarding_pain, ctx.today, ctx.policy
        )
        if base > ctx.policy.placement_pain_unloaded_max:
            return _hold(
                ctx,
                (*rules, "L4"),
                (
                    *reasons,
                    f"Loaded steps wait until your usual morning pain is {ctx.policy.placement_pain_unloaded_max}/10 or less (now {base:.1f}).",
                ),
                Light.GREEN,
            )
    new_state = replace(
        state,
        rung=state.rung + 1,
        load=_start_load(nxt),
        since=ctx.today,
        regressed_on=None,
        acted_on=latest.day,
        last_green_rung=state.rung,
    )
    return Decision(
        Action.PROGRESS, rules, (*reasons, f"Move up to {nxt.name}."), new_state, light=Light.GREEN
    )
