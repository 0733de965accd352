"""The learner's use cases: start, today, log a session, check in, re-screen, a clearance.

Each opens one unit of work and commits or rolls back. Every door (web form, JSON API, CLI)
calls these, so the rules they enforce hold at every door: a stopped programme takes no
session, a restricted one no loaded session, a day's second session needs a yes, and a
form's one-time token is never stored twice. Rules live in `engine/`; this module loads the
history, asks the engine, and stores what it decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from hingecoach.adapters.db.records import (
    DecisionRecord,
    Evidence,
    QuestionnaireRecord,
    VideoEvidence,
)
from hingecoach.adapters.db.repositories import ProgrammeRepository
from hingecoach.catalog import Catalog, rungs_for
from hingecoach.engine.model import (
    Action,
    CheckIn,
    Decision,
    History,
    ProgramState,
    Rung,
    ScreenResult,
    Session,
    Urgency,
)
from hingecoach.engine.outcomes import Measure, score_answers
from hingecoach.engine.pain import session_light
from hingecoach.engine.placement import Answers, Placement, place
from hingecoach.engine.policy import Policy
from hingecoach.engine.progression import (
    ProgrammeStatus,
    Standing,
    decide,
    horizon,
    programme_status,
    session_notices,
)
from hingecoach.engine.screening import check_flag_ids, for_age, screen_verdict
from hingecoach.engine.texts import N_
from hingecoach.errors import (
    AlreadyLoggedTodayError,
    DuplicateError,
    NotFoundError,
    ProgrammeRestrictedError,
    ProgrammeStoppedError,
    StateError,
    ValidationError,
    Words,
)
from hingecoach.language import current_language
from hingecoach.services import reading
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.inputs import (
    AnswerInput,
    CheckInInput,
    LogInput,
    StartInput,
    build_session,
    check_clinician,
    check_symptoms,
    country_policy,
    policy_changes,
)
from hingecoach.services.outcomes import OutcomesView, outcomes_view, parse_measure
from hingecoach.services.reading import Learner
from hingecoach.services.results import (
    Answered,
    KitView,
    Outcome,
    StartResult,
    StatusView,
    TodayView,
)
from hingecoach.services.uow import UnitOfWork, UnitOfWorkFactory
from hingecoach.services.validation import check_day, check_int, check_text
from hingecoach.services.views import LearnerCache, Tail, Version

__all__ = ["Coach"]


class Coach:
    """One learner's programme, with the catalog their ladder comes from.

    `learner_id` names the learner (the web app serves many per database); without it the
    coach serves the database's only learner, as the CLI does.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        catalog: Catalog | Catalogs,
        today: date,
        learner_id: int | None = None,
        cache: LearnerCache | None = None,
    ) -> None:
        self.uow = uow
        self.cache = cache
        self.catalogs = catalog if isinstance(catalog, Catalogs) else Catalogs(catalog)
        self.catalog = self.catalogs.base  # the exercises; a clinic's ladders come per learner
        self.today = today
        self.learner_id = learner_id

    def _load(self, uow: UnitOfWork) -> Learner:
        return reading.load(uow, self.catalogs, self.learner_id)

    def _outcome(self, uow: UnitOfWork, learner: Learner, trigger: str) -> Outcome:
        """Ask the engine on what is stored now, store its decision, say what it means."""
        repo = uow.programme
        history = learner.history(repo, self.today)
        decision = decide(history, learner.policy, self.today)
        before = history.state.rung
        repo.add_decision(learner.id, self.today, trigger, decision, before)
        # What the decision left: the same rows, the new state (not read again).
        after = replace(learner, record=replace(learner.record, state=decision.state))
        now = replace(history, state=decision.state)
        today = reading.today_from(repo, after, now, self.catalog, self.today)
        return Outcome(decision, learner.rungs, before, today)

    # -- start -----------------------------------------------------------------------

    def start(self, data: StartInput, user_id: int | None = None) -> StartResult:
        """Screen, place and create the learner.

        Without `user_id` (the CLI) the database holds one learner and a second is refused;
        with it, the learner belongs to that account (and its clinic), one per account.
        """
        name, policy, flags = _check_start(data)
        _check_equipment(data.equipment, self.catalog)
        with self.uow(write=True) as uow:
            clinic_id = _owner_clinic(uow, user_id)
            catalog = self.catalogs.of(uow, clinic_id)
            ladder = catalog.ladder(data.ladder_id)
            rungs = rungs_for(ladder, catalog)
            placement = self._place(data, rungs, flags, policy)
            decision = _placed(placement, rungs, self.today)
            state = decision.state
            learner_id = uow.programme.add_learner(
                state,
                name=name,
                started_on=self.today,
                ladder_id=ladder.id,
                experience=data.experience.value,
                onboarding_pain=data.pain_now,
                age=data.age,
                equipment=sorted(data.equipment),
                policy=policy_changes(policy),
                clinic_id=clinic_id,
            )
            if user_id is not None:
                uow.accounts.set_user_learner(user_id, learner_id)
            uow.programme.add_screen(learner_id, self.today, "onboarding", flags)
            uow.programme.add_decision(learner_id, self.today, "start", decision, None)
            return StartResult(learner_id, ladder, rungs, placement, decision)

    def _place(
        self, data: StartInput, rungs: tuple[Rung, ...], flags: frozenset[str], policy: Policy
    ) -> Placement:
        verdict = screen_verdict([ScreenResult(self.today, flags)], policy, self.today)
        alternatives = {k: v.alternative for k, v in self.catalog.equipment.items()}
        answers = Answers(data.experience, data.pain_now, data.equipment)
        return place(rungs, answers, verdict, alternatives, policy)

    # -- reading ---------------------------------------------------------------------

    def has_learner(self) -> bool:
        with self.uow() as uow:
            return uow.programme.learner() is not None

    def today_view(self) -> TodayView:
        with self.uow() as uow:
            return self._today_in(uow, self._load(uow))

    def today_and_outcomes(self) -> tuple[TodayView, OutcomesView]:
        """Today's card and the questionnaires due, read in one transaction: the learner is
        loaded once (the today page asks for both at every visit)."""
        with self.uow() as uow:
            learner = self._load(uow)
            view = self._today_in(uow, learner)

            def due() -> OutcomesView:
                records = uow.programme.questionnaires(learner.id)
                return outcomes_view(records, learner.record.started_on, self.today)

            if self.cache is None:
                return view, due()
            slot = (*_who(learner), current_language())
            version = (learner.record.revision, self.today)
            return view, self.cache.outcomes.get(slot, version, due)

    def _today_in(self, uow: UnitOfWork, learner: Learner) -> TodayView:
        def make() -> TodayView:
            history = learner.history_from(self._evidence(uow, learner))
            return reading.today_from(uow.programme, learner, history, self.catalog, self.today)

        if self.cache is None:
            return make()
        revision = learner.record.revision
        return self.cache.today.get(
            self._today_slot(learner), self._today_version(learner, revision), make
        )

    def _keep(
        self,
        learner: Learner,
        revision: int,
        found: Evidence,
        today: TodayView,
        session_id: int,
    ) -> None:
        """After a committed log: what the next page and the next log would read, kept
        under the revision the log left (the session is already in both); and the window
        as the newest this process has, to catch up from (`_caught_up`)."""
        if self.cache is None:
            return
        self.cache.evidence.put(_who(learner), self._evidence_version(learner, revision), found)
        self.cache.today.put(
            self._today_slot(learner), self._today_version(learner, revision), today
        )
        start = horizon(self.today, learner.policy)
        self.cache.tails.put(_who(learner), Tail(revision, start, found, session_id))

    def _today_slot(self, learner: Learner) -> tuple[object, ...]:
        """Today's view is kept written out, so one for each language it was written in."""
        return (*_who(learner), current_language())

    def _today_version(self, learner: Learner, revision: int) -> Version:
        return (revision, (self.today, learner.ladder, learner.policy))

    def _evidence_version(self, learner: Learner, revision: int) -> Version:
        return (revision, horizon(self.today, learner.policy))

    def _evidence(self, uow: UnitOfWork, learner: Learner) -> Evidence:
        """The window a decision today reads (rule H1), as of the learner's revision just
        read: kept by the cache, if any, until their next write."""
        if self.cache is None:
            return learner.evidence(uow.programme, self.today)
        version = self._evidence_version(learner, learner.record.revision)
        return self.cache.evidence.get(
            _who(learner), version, lambda: self._read_evidence(uow, learner)
        )

    def _read_evidence(self, uow: UnitOfWork, learner: Learner) -> Evidence:
        """Caught up from the newest window kept, else read whole and kept as the newest
        (with the session it was read up to)."""
        assert self.cache is not None
        caught = self._caught_up(uow, learner)
        if caught is not None:
            return caught
        start = horizon(self.today, learner.policy)
        found, last = uow.programme.window(learner.id, start)
        if last is not None:
            self.cache.tails.put(_who(learner), Tail(learner.record.revision, start, found, last))
        return found

    def _caught_up(self, uow: UnitOfWork, learner: Learner) -> Evidence | None:
        """The window at the learner's revision, from the newest one this process read or
        logged into, when every write since was a plain logged session (another process's, as a
        rule: `hinge serve --workers N`): only those sessions are read, and each is added as
        the process that logged it added it (`reading.logged_into`). None when anything else
        was written since (`rewritten`, adapters/db/revisions.py), or the day moved the
        window's start; the window is then read whole. tests/test_window.py checks both
        ways decide alike."""
        assert self.cache is not None
        record, start = learner.record, horizon(self.today, learner.policy)
        tail = self.cache.tails.peek(_who(learner))
        if tail is None or tail.start != start:
            return None
        if not record.rewritten <= tail.revision < record.revision:
            return None
        found, last = tail.evidence, tail.last_session
        for session_id, session in uow.programme.sessions_after(learner.id, last):
            found, last = reading.logged_into(found, session, frozenset(), None), session_id
        self.cache.tails.put(_who(learner), Tail(record.revision, start, found, last))
        return found

    def status(self) -> StatusView:
        with self.uow() as uow:
            return reading.status_view(uow.programme, self._load(uow), self.catalog, self.today)

    def programme(self) -> ProgrammeStatus:
        """Running, restricted or stopped, and why: what every page of the learner shows."""
        with self.uow() as uow:
            learner = self._load(uow)
            return programme_status(
                learner.history(uow.programme, self.today), learner.policy, self.today
            )

    def exercise_to_log(self, exercise: str | None) -> str:
        """The exercise id a log would record: the one named, else today's."""
        if exercise is not None:
            return self.catalog.exercise(exercise).id
        view = self.today_view()
        return view.rungs[view.state.rung].exercise_id

    # -- kit -------------------------------------------------------------------------

    def kit(self) -> KitView:
        with self.uow() as uow:
            have = frozenset(self._load(uow).record.equipment)
        return KitView(have, self.today_view())

    def set_kit(self, equipment: frozenset[str]) -> KitView:
        """What the learner has at home now: asked once at the start, changed here when they
        get (or lose) something; rule PL5 names what today's step and the next still lack."""
        _check_equipment(equipment, self.catalog)
        with self.uow(write=True) as uow:
            learner = self._load(uow)
            uow.programme.set_equipment(learner.id, sorted(equipment))
        return self.kit()

    # -- what the learner reports ------------------------------------------------------

    def rescreen(self, flags: frozenset[str]) -> Outcome:
        checked = check_flag_ids(flags)
        with self.uow(write=True) as uow:
            learner = self._load(uow)
            found = for_age(checked, learner.record.age)
            uow.programme.add_screen(learner.id, self.today, "weekly", found)
            return self._outcome(uow, learner, "screen")

    def log(self, data: LogInput, video: VideoEvidence | None = None) -> Outcome:
        """Record a session (with its video form check, if any) and decide.

        The programme's standing is enforced here, for every door: a stopped programme
        takes no session, a restricted one no loaded session. A second session on a day
        that has one needs `another_today`; a form's token is never stored twice.

        Everything but the inserts is worked out first, on what is stored, with nothing
        locked: the checks, the decision, today's view. The write lock is then held only to
        store, and only if nothing of the learner's changed meanwhile (their revision, so
        what was worked out is still true); if something did, it starts again, the last
        time under the lock.
        """
        flags = check_flag_ids(data.flags)
        for _ in range(_OPTIMISTIC_TRIES):
            with self.uow() as uow:
                planned = self._plan_log(uow, data, video, flags)
            with self.uow(write=True) as uow:
                stored = self._store_log(uow, planned, data, video, claim=True)
            if stored is not None:
                return self._logged(planned, *stored)
        with self.uow(write=True) as uow:
            planned = self._plan_log(uow, data, video, flags)
            stored = self._store_log(uow, planned, data, video, claim=False)
        assert stored is not None  # planned under the lock: nothing can have changed
        return self._logged(planned, *stored)

    def _plan_log(
        self,
        uow: UnitOfWork,
        data: LogInput,
        video: VideoEvidence | None,
        flags: frozenset[str],
    ) -> _PlannedLog:
        """Every check, the session, the decision it brings and what it will mean, from
        what is stored (true at the learner's revision read here)."""
        repo, learner = uow.programme, self._load(uow)
        check_day("date", data.day, self.today, learner.record.started_on)
        state = learner.record.state
        session = build_session(data, learner.rungs, self.catalog, state.rung, state.load)
        if video is not None and video.exercise_id != session.exercise_id:
            raise ValidationError(
                "video", N_("a clip of {exercise}"), video.exercise_id, exercise=session.exercise_id
            )
        token = _check_token(repo.has_session_token, learner.id, data.client_token)
        found = self._evidence(uow, learner)
        self._refuse_held(learner.history_from(found), learner, learner.rungs[session.rung])
        _refuse_second(repo, learner.id, data)
        flags = for_age(flags, learner.record.age)
        after = reading.logged_into(found, session, flags, video)
        history = learner.history_from(after)
        sessions, checkins = repo.counts(learner.id)
        return _PlannedLog(
            learner,
            session,
            token,
            flags,
            after,
            history,
            decide(history, learner.policy, self.today),
            (sessions + 1, checkins),
        )

    def _store_log(
        self,
        uow: UnitOfWork,
        planned: _PlannedLog,
        data: LogInput,
        video: VideoEvidence | None,
        claim: bool,
    ) -> tuple[DecisionRecord, int, int] | None:
        """Store what was planned: (the decision record, the revision it leaves, the
        session's id), or None when the learner's revision moved since the plan (`claim`:
        check it first)."""
        repo, learner = uow.programme, planned.learner
        if claim and not repo.claim(learner.id, learner.record.revision):
            return None
        session_id = repo.add_session(learner.id, planned.session, data.note.strip(), planned.token)
        if video is not None:
            repo.add_video_check(session_id, video)
        if planned.flags:
            repo.add_screen(learner.id, data.day, "session", planned.flags)
        before = planned.history.state.rung
        record, revision = repo.store_decision(
            learner.id, self.today, "session", planned.decision, before
        )
        return record, revision, session_id

    def _logged(
        self, planned: _PlannedLog, record: DecisionRecord, revision: int, session_id: int
    ) -> Outcome:
        """What a stored log means (worked out from the plan, nothing read again), kept
        for the learner's next request under the revision it left."""
        learner, history, decision = planned.learner, planned.history, planned.decision
        policy, session = learner.policy, planned.session
        verdict = session_light(
            session, history.checkins, history.onboarding_pain, policy, self.today
        )
        notices = session_notices(session, history, policy)
        after = replace(learner, record=replace(learner.record, state=decision.state))
        now = replace(history, state=decision.state)
        today = reading.today_of(after, now, self.catalog, self.today, planned.counts, record)
        self._keep(learner, revision, planned.after, today, session_id)
        before = history.state.rung
        return Outcome(decision, learner.rungs, before, today, verdict, notices)

    def attach_video(self, video: VideoEvidence, check_id: int) -> Outcome:
        """A finished web form check onto today's session of its exercise, and decide again:
        the camera's verdict now counts (rule V1)."""
        with self.uow(write=True) as uow:
            repo, learner = uow.programme, self._load(uow)
            session_id = repo.session_for_video(learner.id, self.today, video.exercise_id)
            if session_id is None:
                name = self.catalog.exercise(video.exercise_id).name
                raise StateError(
                    N_(
                        "form check: there is no session of {name} today without a form check; "
                        "log today's session first, then attach the check to it"
                    ),
                    name=Words(name),
                )
            repo.add_video_check(session_id, video)
            uow.form_checks.attach(check_id, session_id)
            return self._outcome(uow, learner, "video")

    def _refuse_held(self, history: History, learner: Learner, rung: Rung) -> None:
        """What the standing forbids: any session when stopped, loaded when restricted."""
        status = programme_status(history, learner.policy, self.today)
        held = (status.reason, status.advice, status.by_when, status.rules)
        if status.standing is Standing.STOPPED:
            raise ProgrammeStoppedError(*held)
        if status.standing is Standing.RESTRICTED and rung.loaded:
            raise ProgrammeRestrictedError(*held)

    def checkin(self, data: CheckInInput) -> Outcome:
        flags = check_flag_ids(data.flags)
        check_int("pain", data.pain, 0, 10)
        check_symptoms(data.area, data.qualities)
        with self.uow(write=True) as uow:
            repo, learner = uow.programme, self._load(uow)
            check_day("date", data.day, self.today, learner.record.started_on)
            token = _check_token(repo.has_checkin_token, learner.id, data.client_token)
            reading_ = CheckIn(data.day, data.pain, data.area, data.qualities, data.soreness)
            repo.add_checkin(learner.id, reading_, token)
            flags = for_age(flags, learner.record.age)
            if flags:
                repo.add_screen(learner.id, data.day, "checkin", flags)
            return self._outcome(uow, learner, "checkin")

    # -- outcome questionnaires ----------------------------------------------------------

    def outcomes(self) -> OutcomesView:
        """What is due now, and each measure's scores over time (rules O1-O6)."""
        with self.uow() as uow:
            learner = self._load(uow)
            records = uow.programme.questionnaires(learner.id)
            return outcomes_view(records, learner.record.started_on, self.today)

    def questionnaires(self) -> list[QuestionnaireRecord]:
        """Every filled questionnaire with its answers, oldest first (exports, reports)."""
        with self.uow() as uow:
            records = uow.programme.questionnaires(self._load(uow).id)
        return [r for r in records if r.answers is not None]

    def answer(self, data: AnswerInput) -> Answered:
        """Score and keep a filled questionnaire. A high-risk STarT Back (rule O5) is sign
        S-C3: the programme keeps to unloaded steps and a clinician review is booked, as when
        the learner ticks that sign in a screen, so the decision is taken again at once."""
        measure = parse_measure(data.measure)
        names = [check_text(f"activity {i + 1}", n, 80) for i, n in enumerate(data.names)]
        if measure is Measure.PSFS and len(names) != len(data.activities):
            raise ValidationError(
                "activities", N_("a name and a rating 0-10 for each activity"),
                Words(
                    N_("{names} names and {ratings} ratings"),
                    names=len(names), ratings=len(data.activities),
                ),
            )  # fmt: skip
        score = score_answers(measure, data.values, data.activities)
        answers: dict[str, object] = {"values": list(data.values)}
        if measure is Measure.PSFS:
            answers = {
                "activities": [
                    {"name": n, "score": s} for n, s in zip(names, data.activities, strict=True)
                ]
            }
        with self.uow(write=True) as uow:
            repo, learner = uow.programme, self._load(uow)
            repo.add_questionnaire(
                learner.id, measure.value, self.today, answers=answers,
                score=score.value if score.valid else None, band=score.band, valid=score.valid,
            )  # fmt: skip
            outcome = None
            if measure is Measure.START_BACK and score.band == "high":
                repo.add_screen(learner.id, self.today, "questionnaire", frozenset({"S-C3"}))
                outcome = self._outcome(uow, learner, "screen")
            view = outcomes_view(
                repo.questionnaires(learner.id), learner.record.started_on, self.today
            )
            return Answered(measure, score, view, outcome)

    def clear(self, by: str, note: str, examined_on: date | None) -> Outcome:
        """A clinician who examined the learner clears the signs reported up to that day.

        Named, dated and never before the sign it clears: a stop is lifted by someone who
        saw the learner after it, not by a click. The programme resumes one step lower.
        """
        who = check_clinician(by)
        if examined_on is None:
            raise ValidationError(
                "examined on", N_("the date the clinician examined you"), "nothing"
            )
        with self.uow(write=True) as uow:
            repo, learner = uow.programme, self._load(uow)
            status = programme_status(learner.history(repo, self.today), learner.policy, self.today)
            if status.standing is Standing.RUNNING:
                raise StateError(N_("clearance: there is no stop or review to clear"))
            first = status.since or learner.record.started_on
            check_day("examined on", examined_on, self.today, first)
            repo.add_clearance(learner.id, examined_on, who, note.strip())
            repo.set_state(learner.id, replace(learner.record.state, stopped=False))
            return self._outcome(uow, reading.load(uow, self.catalogs, learner.id), "clearance")


def _placed(placement: Placement, rungs: tuple[Rung, ...], today: date) -> Decision:
    """The first decision: the placement, or the stop the screen calls for."""
    state = ProgramState(
        rung=placement.rung or 0,
        load=rungs[placement.rung or 0].start_load,
        stopped=placement.rung is None,
        unloaded_only=placement.unloaded_only,
        since=today,
    )
    return Decision(
        action=Action.STOP if placement.rung is None else Action.HOLD,
        rules=placement.rules,
        reasons=placement.reasons,
        state=state,
        urgency=placement.urgency,
        refer=placement.urgency is not Urgency.NONE,
    )


def _check_start(data: StartInput) -> tuple[str, Policy, frozenset[str]]:
    name = check_text("name", data.name, 80)
    policy = country_policy(data.country)
    check_int("pain_now", data.pain_now, 0, 10)
    if data.age is not None:
        check_int("age", data.age, 16, 110)
    return name, policy, for_age(check_flag_ids(data.flags), data.age)


def _check_equipment(equipment: frozenset[str], catalog: Catalog) -> None:
    unknown = sorted(equipment - catalog.equipment.keys())
    if unknown:
        allowed = ", ".join(catalog.equipment)
        raise ValidationError("equipment", N_("ids from: {allowed}"), unknown[0], allowed=allowed)


def _owner_clinic(uow: UnitOfWork, user_id: int | None) -> int | None:
    """The clinic of the account a new learner belongs to; the CLI keeps one learner a file."""
    if user_id is None:
        if uow.programme.learner() is not None:
            raise StateError(
                "a learner already exists in this database: use `hinge status`, or --db for another file"
            )
        return None
    user = uow.accounts.user(user_id)
    if user is None:
        raise NotFoundError(N_("account: no account with id {id}"), id=user_id)
    if user.learner_id is not None:
        raise StateError(N_("you have already started: your programme is on the Today page"))
    return user.clinic_id


def _refuse_second(repo: ProgrammeRepository, learner_id: int, data: LogInput) -> None:
    """A second session on one day counts once, and only when the learner says it is one."""
    if data.another_today or not repo.has_session_on(learner_id, data.day):
        return
    raise AlreadyLoggedTodayError(
        N_(
            "a session is already saved for {day}; if you did another one, confirm it is "
            "another session (it counts once toward your dose and progress)"
        ),
        day=Words(_DATE, year=data.day.year, month=data.day.month, day=data.day.day),
    )


# A date inside a sentence as engine/texts.py writes it (ISO in English).
_DATE = N_("{year}-{month:02d}-{day:02d}")


def _who(learner: Learner) -> tuple[int, datetime]:
    """What a process keeps a learner's values under: their id, and when they were created,
    since SQLite gives a deleted account's id to the next one made."""
    return learner.id, learner.record.created_at


# A log planned without the lock starts again this many times if the learner's data changed
# meanwhile (another session or check-in of theirs at that moment), then plans under it.
_OPTIMISTIC_TRIES = 2


@dataclass(frozen=True)
class _PlannedLog:
    learner: Learner
    session: Session
    token: str | None
    flags: frozenset[str]
    after: Evidence  # what the learner's window will be once the session is stored
    history: History
    decision: Decision
    counts: tuple[int, int]  # sessions and check-ins stored once this one is


def _check_token(
    seen: Callable[[int, str], bool], learner_id: int, token: str | None
) -> str | None:
    if token is None:
        return None
    check_text("client_token", token, 64)
    if seen(learner_id, token):
        raise DuplicateError(N_("this was already saved (the same form was sent twice)"))
    return token
