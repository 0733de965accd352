"""Use cases of one learner's programme. Each opens one transaction and commits or rolls back.

Entry points (CLI, later the web app) parse input into the plain dataclasses below, call one
function, and render the view it returns. Rules live in `engine/`; this module only loads
history, asks the engine, and stores what it decided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from hingecoach.adapters.db.repository import (
    FormEvidence,
    Repository,
    now,
    state_from_json,
    state_to_json,
)
from hingecoach.adapters.db.store import Store
from hingecoach.adapters.db.tables import ChangeRow, DecisionRow, LearnerRow, NoteRow, UserRow
from hingecoach.catalog import Catalog, Ladder, country, rungs_for
from hingecoach.engine.dosing import Prescription
from hingecoach.engine.model import (
    Action,
    CheckIn,
    Decision,
    Experience,
    History,
    ProgramState,
    Quality,
    Rung,
    ScreenResult,
    Session,
    SetLog,
    SymptomArea,
    Urgency,
)
from hingecoach.engine.override import override_rung
from hingecoach.engine.pain import LightVerdict, session_light
from hingecoach.engine.placement import KitNote, Placement, kit_notes, place
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.progression import (
    ProgrammeStatus,
    Standing,
    decide,
    fault_basis,
    plan_today,
    programme_status,
    session_notices,
)
from hingecoach.engine.screening import ScreenVerdict, check_flag_ids, screen_verdict
from hingecoach.engine.symptoms import nerve_signs
from hingecoach.errors import (
    AlreadyLoggedTodayError,
    DuplicateError,
    NotFoundError,
    ProgrammeRestrictedError,
    ProgrammeStoppedError,
    StateError,
    ValidationError,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.validation import check_day, check_int, check_number, check_text

__all__ = [
    "CheckInInput",
    "ClinicalRecord",
    "Coach",
    "LogInput",
    "StartInput",
    "TodayView",
]


@dataclass(frozen=True)
class StartInput:
    name: str
    ladder_id: str
    experience: Experience
    pain_now: int
    equipment: frozenset[str]
    flags: frozenset[str] = frozenset()
    age: int | None = None
    country: str | None = None  # sets where-to-get-help lines (catalog/data/countries.toml)


@dataclass(frozen=True)
class LogInput:
    day: date
    pain_before: int
    pain_during: int
    pain_after: int
    sets: Sequence[tuple[int | None, int | None]]
    exercise: str | None = None
    load: float | None = None
    rpe: float | None = None
    area: SymptomArea = SymptomArea.NONE
    qualities: frozenset[Quality] = frozenset()
    faded: bool = False  # the symptom faded within a couple of minutes of rest
    first_set_uncued: bool = False
    self_check: tuple[bool, ...] = ()
    faults: int = 0
    flags: frozenset[str] = frozenset()
    note: str = ""
    client_token: str | None = None  # a form's one-time token: a second post is refused
    another_today: bool = False  # yes, this is another session on a day that has one


@dataclass(frozen=True)
class CheckInInput:
    day: date
    pain: int
    area: SymptomArea = SymptomArea.NONE
    qualities: frozenset[Quality] = frozenset()
    soreness: bool = False
    flags: frozenset[str] = frozenset()
    client_token: str | None = None  # a form's one-time token: a second post is refused


@dataclass(frozen=True)
class TodayView:
    learner: str
    ladder: Ladder
    rungs: tuple[Rung, ...]
    state: ProgramState
    verdict: ScreenVerdict
    prescription: Prescription | None
    last_decision: DecisionRow | None
    kit: tuple[KitNote, ...]
    status: ProgrammeStatus = field(default_factory=lambda: ProgrammeStatus(Standing.RUNNING))
    policy: Policy = DEFAULT_POLICY
    sessions_logged: int = 0  # a web form's one-time token is the next number
    checkins_logged: int = 0
    logged_today: bool = False  # a session is already saved for today


@dataclass(frozen=True)
class StartResult:
    learner_id: int
    ladder: Ladder
    rungs: tuple[Rung, ...]
    placement: Placement
    decision: Decision


@dataclass(frozen=True)
class Outcome:
    """What a log, check-in, screen or clearance produced.

    `session` is the light of the session just logged (a log only): the page after saving
    shows it first, whatever earlier session the decision also had to weigh.
    """

    decision: Decision
    rungs: tuple[Rung, ...]
    rung_before: int
    today: TodayView
    session: LightVerdict | None = None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusView:
    today: TodayView
    decisions: list[DecisionRow]
    sessions: list[Session]
    checkins: list[CheckIn]
    mornings: list[tuple[date, int]] = field(default_factory=list)
    onboarding_pain: int = 0
    notes: list[str] = field(default_factory=list)  # each session's note, in session order


@dataclass(frozen=True)
class ClinicalRecord:
    notes: list[NoteRow]
    changes: list[ChangeRow]
    policy: Policy
    adjusted: frozenset[str]


class Coach:
    """One learner's programme on one store, with the catalog it was built from.

    `learner_id` names the learner (the web app serves many per database); without it the
    coach serves the database's only learner, as the CLI does.
    """

    def __init__(
        self, store: Store, catalog: Catalog, today: date, learner_id: int | None = None
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.today = today
        self.learner_id = learner_id

    # -- helpers ---------------------------------------------------------------------

    def _learner(self, repo: Repository) -> LearnerRow:
        learner = repo.learner(self.learner_id)
        if learner is None and self.learner_id is not None:
            raise NotFoundError(f"learner: no learner with id {self.learner_id}")
        if learner is None:
            raise StateError("no learner yet: run `hinge start` first")
        return learner

    def _policy(self, learner: LearnerRow) -> Policy:
        return DEFAULT_POLICY.adjusted(**learner.policy) if learner.policy else DEFAULT_POLICY

    def _rungs(self, learner: LearnerRow) -> tuple[Ladder, tuple[Rung, ...]]:
        try:
            ladder = self.catalog.ladder(learner.ladder_id)
        except NotFoundError:
            raise StateError(
                f"ladder {learner.ladder_id!r} of this learner is not loaded; "
                "set HINGE_LADDERS_FILE to the custom ladder file"
            ) from None
        return ladder, rungs_for(ladder, self.catalog)

    def _history(self, repo: Repository, learner: LearnerRow, rungs: tuple[Rung, ...]) -> History:
        return History(
            rungs=rungs,
            state=state_from_json(learner.state),
            onboarding_pain=learner.onboarding_pain,
            sessions=tuple(repo.sessions(learner.id)),
            checkins=tuple(repo.checkins(learner.id)),
            screens=tuple(repo.screens(learner.id)),
            cleared_on=_cleared_on(repo, learner.id),
            started=learner.started_on,
        )

    def _alternatives(self) -> dict[str, str | None]:
        return {k: v.alternative for k, v in self.catalog.equipment.items()}

    def _today_view(self, repo: Repository, learner: LearnerRow) -> TodayView:
        ladder, rungs = self._rungs(learner)
        history = self._history(repo, learner, rungs)
        policy = self._policy(learner)
        verdict = screen_verdict(history.screens, policy, self.today, history.cleared_on)
        state = history.state
        decisions = repo.decisions(learner.id)
        last = decisions[-1] if decisions else None
        plan = plan_today(history, policy, self.today)
        return TodayView(
            learner.name,
            ladder,
            rungs,
            state,
            verdict,
            plan.prescription,
            last,
            self._kit(learner, rungs, state.rung) if plan.prescription else (),
            plan.status,
            policy,
            len(history.sessions),
            len(history.checkins),
            any(s.day == self.today for s in history.sessions),
        )

    def _kit(self, learner: LearnerRow, rungs: tuple[Rung, ...], rung: int) -> tuple[KitNote, ...]:
        """Equipment the learner lacks for today's step and the next one (rule PL5)."""
        notes = kit_notes(rungs, rung, frozenset(learner.equipment), self._alternatives())
        return tuple(n for n in notes if n.rung <= rung + 1)

    def _decide_and_record(
        self, repo: Repository, learner: LearnerRow, trigger: str, logged: Session | None = None
    ) -> Outcome:
        _, rungs = self._rungs(learner)
        history = self._history(repo, learner, rungs)
        policy = self._policy(learner)
        before = history.state.rung
        decision = decide(history, policy, self.today)
        repo.add_decision(learner, self.today, trigger, decision, before)
        repo.db.flush()
        verdict: LightVerdict | None = None
        notices: tuple[str, ...] = ()
        if logged is not None:
            verdict = session_light(
                logged, history.checkins, history.onboarding_pain, policy, self.today
            )
            notices = session_notices(logged, history, policy)
        today = self._today_view(repo, learner)
        return Outcome(decision, rungs, before, today, verdict, notices)

    # -- use cases -------------------------------------------------------------------

    def start(self, data: StartInput, user_id: int | None = None) -> StartResult:
        """Screen, place and create the learner.

        Without `user_id` (the CLI) the database holds one learner and a second is refused;
        with it, the learner belongs to that account (and its clinic), one per account.
        """
        name = check_text("name", data.name, 80)
        policy = _country_policy(data.country)
        check_int("pain_now", data.pain_now, 0, 10)
        if data.age is not None:
            check_int("age", data.age, 16, 110)
        flags = check_flag_ids(data.flags)
        flags = _age_filter(flags, data.age)
        ladder = self.catalog.ladder(data.ladder_id)
        unknown = sorted(data.equipment - self.catalog.equipment.keys())
        if unknown:
            raise ValidationError(
                "equipment", f"ids from: {', '.join(self.catalog.equipment)}", unknown[0]
            )
        rungs = rungs_for(ladder, self.catalog)
        with UnitOfWork(self.store) as uow:
            user = _owner(uow.repo, user_id)
            verdict = screen_verdict([ScreenResult(self.today, flags)], policy, self.today)
            placement = place(
                rungs,
                data.experience,
                data.pain_now,
                verdict,
                data.equipment,
                self._alternatives(),
                policy,
            )
            state = ProgramState(
                rung=placement.rung or 0,
                load=_start_load(rungs, placement.rung or 0),
                stopped=placement.rung is None,
                unloaded_only=placement.unloaded_only,
                since=self.today,
            )
            learner = LearnerRow(
                name=name,
                created_at=now(),
                started_on=self.today,
                ladder_id=ladder.id,
                experience=data.experience.value,
                onboarding_pain=data.pain_now,
                age=data.age,
                equipment=sorted(data.equipment),
                policy=_policy_changes(policy),
                state=state_to_json(state),
                clinic_id=user.clinic_id if user else None,
            )
            uow.repo.add(learner)
            if user is not None:
                user.learner_id = learner.id
            uow.repo.add_screen(learner.id, self.today, "onboarding", flags)
            decision = Decision(
                action=_placement_action(placement),
                rules=placement.rules,
                reasons=placement.reasons,
                state=state,
                urgency=placement.urgency,
                refer=placement.urgency is not Urgency.NONE,
            )
            uow.repo.add_decision(learner, self.today, "start", decision, None)
            return StartResult(learner.id, ladder, rungs, placement, decision)

    def has_learner(self) -> bool:
        with UnitOfWork(self.store) as uow:
            return uow.repo.learner() is not None

    def today_view(self) -> TodayView:
        with UnitOfWork(self.store) as uow:
            return self._today_view(uow.repo, self._learner(uow.repo))

    def programme(self) -> ProgrammeStatus:
        """Running, restricted or stopped, and why: what every page of the learner shows."""
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            _, rungs = self._rungs(learner)
            history = self._history(uow.repo, learner, rungs)
            return programme_status(history, self._policy(learner), self.today)

    def rescreen(self, flags: frozenset[str]) -> Outcome:
        checked = check_flag_ids(flags)
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            uow.repo.add_screen(learner.id, self.today, "weekly", _age_filter(checked, learner.age))
            return self._decide_and_record(uow.repo, learner, "screen")

    def exercise_to_log(self, exercise: str | None) -> str:
        """The exercise id a log would record: the one named, else today's."""
        if exercise is not None:
            return self.catalog.exercise(exercise).id
        view = self.today_view()
        return view.rungs[view.state.rung].exercise_id

    def log(self, data: LogInput, form: FormEvidence | None = None) -> Outcome:
        """Record a session (with its video form check, if any) and decide.

        The programme's standing is enforced here, for every door: a stopped programme
        takes no session, a restricted one no loaded session. A second session on a day
        that has one needs `another_today`; a form's token is never stored twice.
        """
        flags = check_flag_ids(data.flags)
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            _, rungs = self._rungs(learner)
            state = state_from_json(learner.state)
            session = self._session(data, learner, rungs, state)
            if form is not None and form.exercise_id != session.exercise_id:
                raise ValidationError("video", f"a clip of {session.exercise_id}", form.exercise_id)
            token = _check_token(uow.repo.has_session_token, learner.id, data.client_token)
            self._refuse_held(uow.repo, learner, rungs[session.rung])
            _refuse_second(uow.repo, learner.id, data)
            row = uow.repo.add_session(learner.id, session, data.note, token)
            if form is not None:
                uow.repo.add_form_report(row, form)
            flags = _age_filter(flags, learner.age)
            if flags:
                uow.repo.add_screen(learner.id, data.day, "session", flags)
            return self._decide_and_record(uow.repo, learner, "session", session)

    def _refuse_held(self, repo: Repository, learner: LearnerRow, rung: Rung) -> None:
        """What the programme's standing forbids: any session when stopped, loaded when restricted."""
        _, rungs = self._rungs(learner)
        history = self._history(repo, learner, rungs)
        status = programme_status(history, self._policy(learner), self.today)
        held = (status.reason, status.advice, status.by_when, status.rules)
        if status.standing is Standing.STOPPED:
            raise ProgrammeStoppedError(*held)
        if status.standing is Standing.RESTRICTED and rung.loaded:
            raise ProgrammeRestrictedError(*held)

    def checkin(self, data: CheckInInput) -> Outcome:
        flags = check_flag_ids(data.flags)
        check_int("pain", data.pain, 0, 10)
        _check_symptoms(data.area, data.qualities)
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            check_day("date", data.day, self.today, learner.started_on)
            token = _check_token(uow.repo.has_checkin_token, learner.id, data.client_token)
            uow.repo.add_checkin(
                learner.id,
                CheckIn(data.day, data.pain, data.area, data.qualities, data.soreness),
                token,
            )
            flags = _age_filter(flags, learner.age)
            if flags:
                uow.repo.add_screen(learner.id, data.day, "checkin", flags)
            return self._decide_and_record(uow.repo, learner, "checkin")

    def clear(self, by: str, note: str, examined_on: date | None) -> Outcome:
        """A clinician who examined the learner clears the signs reported up to that day.

        Named, dated and never before the sign it clears: a stop is lifted by someone who
        saw the learner after it, not by a click. The programme resumes one step lower.
        """
        who = check_clinician(by)
        if examined_on is None:
            raise ValidationError("examined on", "the date the clinician examined you", "nothing")
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            _, rungs = self._rungs(learner)
            history = self._history(uow.repo, learner, rungs)
            status = programme_status(history, self._policy(learner), self.today)
            if status.standing is Standing.RUNNING:
                raise StateError("clearance: there is no stop or review to clear")
            first = status.since or learner.started_on
            check_day("examined on", examined_on, self.today, first)
            uow.repo.add_clearance(learner.id, examined_on, who, note.strip())
            state = replace(state_from_json(learner.state), stopped=False)
            learner.state = state_to_json(state)
            return self._decide_and_record(uow.repo, learner, "clearance")

    # -- a clinician's changes (each recorded with who and why) ----------------------

    def override_step(self, step: int, by: str, why: str) -> Outcome:
        """Rule C1: set the learner's step (1-based, as people count)."""
        who, reason = check_text("by", by, 120), check_text("reason", why, 500)
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            _, rungs = self._rungs(learner)
            state = state_from_json(learner.state)
            decision = override_rung(rungs, state, step - 1, self.today, who, reason)
            uow.repo.add_decision(learner, self.today, "override", decision, state.rung)
            uow.repo.add_change(
                learner.id, who, "step", {"from": state.rung + 1, "to": step}, reason
            )
            return Outcome(decision, rungs, state.rung, self._today_view(uow.repo, learner))

    def adjust_policy(self, changes: dict[str, Any], by: str, why: str) -> Policy:
        """Change some of this learner's thresholds; unknown names and bad values refused."""
        who, reason = check_text("by", by, 120), check_text("reason", why, 500)
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            before = self._policy(learner)
            after = before.adjusted(**changes)
            diff = {
                name: [getattr(before, name), getattr(after, name)]
                for name in changes
                if getattr(before, name) != getattr(after, name)
            }
            if not diff:
                return after
            learner.policy = _policy_changes(after)
            uow.repo.add_change(learner.id, who, "policy", diff, reason)
            return after

    def assign_ladder(self, ladder_id: str, by: str, why: str) -> Outcome:
        """Move the learner to another ladder, on the same exercise if it has it, else step 1."""
        who, reason = check_text("by", by, 120), check_text("reason", why, 500)
        ladder = self.catalog.ladder(ladder_id)
        rungs = rungs_for(ladder, self.catalog)
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            _, old_rungs = self._rungs(learner)
            state = state_from_json(learner.state)
            current = old_rungs[state.rung].exercise_id
            ids = [r.exercise_id for r in rungs]
            target = ids.index(current) if current in ids else 0
            moved = replace(state, rung=min(state.rung, len(rungs) - 1))
            decision = override_rung(rungs, moved, target, self.today, who, reason)
            decision = replace(decision, state=replace(decision.state, since=self.today))
            detail = {"from": learner.ladder_id, "to": ladder.id, "step": target + 1}
            learner.ladder_id = ladder.id
            uow.repo.add_decision(learner, self.today, "override", decision, None)
            uow.repo.add_change(learner.id, who, "ladder", detail, reason)
            return Outcome(decision, rungs, target, self._today_view(uow.repo, learner))

    def add_note(self, author: str, body: str) -> None:
        who, text = check_text("author", author, 80), check_text("note", body, 4000)
        with UnitOfWork(self.store) as uow:
            uow.repo.add_note(self._learner(uow.repo).id, who, text)

    def record(self) -> ClinicalRecord:
        """Notes, changes and the learner's thresholds, for the clinician's page."""
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            return ClinicalRecord(
                notes=uow.repo.notes(learner.id),
                changes=uow.repo.changes(learner.id),
                policy=self._policy(learner),
                adjusted=frozenset(learner.policy),
            )

    def status(self) -> StatusView:
        with UnitOfWork(self.store) as uow:
            learner = self._learner(uow.repo)
            view = self._today_view(uow.repo, learner)
            checkins = uow.repo.checkins(learner.id)
            mornings: dict[date, int] = {}
            for c in checkins:
                mornings[c.day] = max(mornings.get(c.day, 0), c.pain)
            return StatusView(
                view,
                uow.repo.decisions(learner.id),
                uow.repo.sessions(learner.id),
                checkins,
                sorted(mornings.items()),
                learner.onboarding_pain,
                uow.repo.session_notes(learner.id),
            )

    def _session(
        self, data: LogInput, learner: LearnerRow, rungs: tuple[Rung, ...], state: ProgramState
    ) -> Session:
        check_day("date", data.day, self.today, learner.started_on)
        for name in ("pain_before", "pain_during", "pain_after"):
            check_int(name, getattr(data, name), 0, 10)
        _check_symptoms(data.area, data.qualities)
        check_text("note", data.note, 2000, allow_empty=True)
        rung_index = state.rung
        if data.exercise is not None:
            exercise = self.catalog.exercise(data.exercise)
            ids = [r.exercise_id for r in rungs]
            if exercise.id not in ids:
                raise ValidationError(
                    "exercise", f"an exercise on your ladder ({', '.join(ids)})", data.exercise
                )
            rung_index = ids.index(exercise.id)
        rung = rungs[rung_index]
        load = None
        if data.load is not None:
            cap = rung.load.cap if rung.load else 0
            if rung.load is None:
                raise ValidationError("load", f"no load: {rung.name} is unloaded", data.load)
            load = check_number("load", data.load, 0, cap)
        elif rung.load is not None:
            load = (
                state.load
                if state.load is not None and rung_index == state.rung
                else rung.load.start
            )
        rpe = check_number("rpe", data.rpe, 0, 10) if data.rpe is not None else None
        if data.self_check and len(data.self_check) != len(rung.self_check):
            raise ValidationError(
                "self_check",
                f"{len(rung.self_check)} yes/no answers for {rung.name}",
                len(data.self_check),
            )
        check_int("faults", data.faults, 0, 1000)
        _check_sets(data.sets)
        total_reps = sum(r or 0 for r, _ in data.sets)
        total_seconds = sum(s or 0 for _, s in data.sets)
        return Session(
            day=data.day,
            rung=rung_index,
            exercise_id=rung.exercise_id,
            pain_before=data.pain_before,
            pain_during=data.pain_during,
            pain_after=data.pain_after,
            sets=tuple(SetLog(r, s, load, rpe) for r, s in data.sets),
            area=data.area,
            qualities=data.qualities,
            faded_with_rest=data.faded,
            first_set_uncued=data.first_set_uncued,
            self_check=data.self_check,
            faults=data.faults,
            fault_basis=fault_basis(total_reps, total_seconds),
        )


def _check_sets(sets: Sequence[tuple[int | None, int | None]]) -> None:
    """The same ranges `parse_sets` applies to text, for callers that pass numbers."""
    if not 1 <= len(sets) <= 10:
        raise ValidationError("sets", "1-10 sets", len(sets))
    for number, (reps, seconds) in enumerate(sets, start=1):
        field = f"sets (set {number})"
        if (reps is None) == (seconds is None):
            raise ValidationError(field, "either reps or seconds", (reps, seconds))
        if reps is not None:
            check_int(field, reps, 0, 200)
        else:
            check_int(field, seconds, 1, 600)


_SYMPTOM_WORDS = "a stretch, burning, pain that spreads, pins and needles, numbness or weakness"
_NOT_A_CLINICIAN = {"me", "myself", "i", "self", "learner", "nobody", "none", "no one"}


def _check_symptoms(area: SymptomArea, qualities: frozenset[Quality]) -> None:
    """A symptom away from the back needs its description: that is what tells a stretch or
    a tired muscle from a nerve (rules SX1-SX5)."""
    if area in (SymptomArea.BUTTOCK_THIGH, SymptomArea.BELOW_KNEE) and not qualities:
        raise ValidationError("what it felt like", _SYMPTOM_WORDS, "nothing")


def check_clinician(by: str) -> str:
    """The name of the clinician who examined the learner: not the learner themselves."""
    who = check_text("by", by, 120)
    if who.strip(" .").lower() in _NOT_A_CLINICIAN or len(who) < 2:
        raise ValidationError("by", "the name of the clinician who examined you (e.g. Dr Lee)", by)
    return who


def _refuse_second(repo: Repository, learner_id: int, data: LogInput) -> None:
    """A second session on one day counts once, and only when the learner says it is one."""
    if data.another_today or not repo.has_session_on(learner_id, data.day):
        return
    raise AlreadyLoggedTodayError(
        f"a session is already saved for {data.day.isoformat()}; if you did another one, "
        "confirm it is another session (it counts once toward your dose and progress)"
    )


def _cleared_on(repo: Repository, learner_id: int) -> date | None:
    """The day the engine may treat as cleared: everything up to it is covered.

    The engine compares days only, so a warning sign stored after a clearance but dated on or
    before its day (the same day, or a back-dated log) would look cleared. A clearance covers
    only what was reported before it: pull the day back so such a sign stays active. This
    also brings back the same day's earlier signs, which errs on the safe side; the next
    clearance covers them all again.
    """
    last = repo.last_clearance(learner_id)
    if last is None:
        return None
    screens, sessions, checkins = repo.recorded_after(learner_id, last.created_at)
    days = [s.day for s in screens if s.flags]
    days += [s.day for s in sessions if nerve_signs(s.area, s.qualities, s.faded_with_rest)]
    days += [c.day for c in checkins if nerve_signs(c.area, c.qualities)]
    uncovered = [d for d in days if d <= last.day]
    if not uncovered:
        return last.day
    return min(uncovered) - timedelta(days=1)


def _owner(repo: Repository, user_id: int | None) -> UserRow | None:
    """The account a new learner belongs to; the CLI (no account) keeps one learner a file."""
    if user_id is None:
        if repo.learner() is not None:
            raise StateError(
                "a learner already exists in this database: use `hinge status`, or --db for another file"
            )
        return None
    user = repo.user(user_id)
    if user is None:
        raise NotFoundError(f"account: no account with id {user_id}")
    if user.learner_id is not None:
        raise StateError("you have already started: your programme is on the Today page")
    return user


def _country_policy(code: str | None) -> Policy:
    if code is None:
        return DEFAULT_POLICY
    lines = country(code)
    return DEFAULT_POLICY.adjusted(
        emergency_line=lines.emergency,
        urgent_line=lines.urgent,
        emergency_number=lines.emergency_number,
        urgent_number=lines.urgent_number,
    )


def _policy_changes(policy: Policy) -> dict[str, Any]:
    """Only the fields that differ from the defaults are stored with the learner."""
    return {
        f.name: getattr(policy, f.name)
        for f in fields(Policy)
        if getattr(policy, f.name) != getattr(DEFAULT_POLICY, f.name)
    }


def _check_token(
    seen: Callable[[int, str], bool], learner_id: int, token: str | None
) -> str | None:
    if token is None:
        return None
    check_text("client_token", token, 64)
    if seen(learner_id, token):
        raise DuplicateError("this was already saved (the same form was sent twice)")
    return token


def _age_filter(flags: frozenset[str], age: int | None) -> frozenset[str]:
    """S-C1 (inflammatory pattern) applies under age 45 only; drop it for older learners."""
    if age is not None and age >= 45:
        return flags - {"S-C1"}
    return flags


def _start_load(rungs: tuple[Rung, ...], rung: int) -> float | None:
    scheme = rungs[rung].load
    return scheme.start if scheme else None


def _placement_action(placement: Placement) -> Action:
    return Action.STOP if placement.rung is None else Action.HOLD
