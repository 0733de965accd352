"""One learner's programme: the learner, sessions, check-ins, screens, decisions, clearances,
notes and clinicians' changes."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Executable,
    Row,
    String,
    Table,
    and_,
    bindparam,
    cast,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.sql.elements import BindParameter

from hingecoach.adapters.db.records import (
    ChangeRecord,
    ClearanceRecord,
    DecisionRecord,
    Evidence,
    LearnerRecord,
    NoteRecord,
    QuestionnaireRecord,
    VideoEvidence,
)
from hingecoach.adapters.db.repositories import convert
from hingecoach.adapters.db.tables import (
    ChangeRow,
    CheckInRow,
    ClearanceRow,
    DecisionRow,
    FormReportRow,
    LearnerRow,
    NoteRow,
    QuestionnaireRow,
    ScreenRow,
    SessionRow,
    SetRow,
)
from hingecoach.engine.model import (
    CheckIn,
    Decision,
    OutcomeReading,
    ProgramState,
    Quality,
    ScreenResult,
    Session,
    SymptomArea,
)
from hingecoach.engine.symptoms import nerve_signs
from hingecoach.errors import NotFoundError

__all__ = ["ProgrammeRepository", "now"]

T = TypeVar("T")
# Words of the symptom descriptions that can make a nerve sign (engine/symptoms.py): older
# rows without any of them are never read again (rule H1).
_SIGN_WORDS = ("tingling", "numbness", "burning", "weakness")


# The tables as Core sees them: the statements below select plain columns, so their rows
# skip the ORM's loading machinery (issue 9: a fifth of a logged session's time went there).
_S, _F, _C, _SET = (
    SessionRow.__table__,
    FormReportRow.__table__,
    CheckInRow.__table__,
    SetRow.__table__,
)
_SCR, _Q, _CL = ScreenRow.__table__, QuestionnaireRow.__table__, ClearanceRow.__table__


def _as_text(column: Any) -> Any:
    """A small JSON list column read as its text: a window repeats a handful of values
    ("[]", '["ache"]', "[true, true, true]"), which `convert` decodes once each instead of
    once per row (issue 9: decoding was a quarter of reading a window)."""
    return cast(column, String).label(column.name)


# What a session is read as: its own columns and the summary of its video check (never the
# report or the keypoints, which only the record page opens).
_SESSION_COLUMNS = (
    _S.c.id,
    _S.c.learner_id,
    _S.c.day,
    _S.c.rung,
    _S.c.exercise_id,
    _S.c.pain_before,
    _S.c.pain_during,
    _S.c.pain_after,
    _S.c.area,
    _as_text(_S.c.qualities),
    _S.c.burning_faded,
    _S.c.first_set_uncued,
    _as_text(_S.c.self_check),
    _S.c.faults,
    _S.c.fault_basis,
    _F.c.judged.label("video_judged"),
    cast(_F.c.checks, String).label("video_checks"),
    _F.c.faults.label("video_faults"),
    _F.c.reps.label("video_reps"),
)
_CHECKIN_COLUMNS = (
    _C.c.learner_id,
    _C.c.day,
    _C.c.pain,
    _C.c.area,
    _as_text(_C.c.qualities),
    _C.c.soreness,
)


def _may_sign(column: Any) -> Any:
    text = cast(column, String)
    return or_(*(text.contains(word) for word in _SIGN_WORDS))


def _sessions_where(*where: Any, newest: Any = None) -> tuple[Executable, Executable]:
    """The two statements `_sessions_of` runs: the sessions matching `where` with their
    video summary (and, given `newest`, its `last_session` column), and their sets."""
    found = select(*_SESSION_COLUMNS).outerjoin(_F, _F.c.session_id == _S.c.id)
    if newest is not None:
        found = found.add_columns(newest.c.last_session).join(
            newest, newest.c.learner_id == _S.c.learner_id
        )
    found = found.where(*where).order_by(_S.c.day, _S.c.id)
    in_sets = (
        select(_SET.c.session_id, _SET.c.reps, _SET.c.seconds, _SET.c.load, _SET.c.rpe)
        .join(_S, _S.c.id == _SET.c.session_id)
        .where(*where)
        .order_by(_SET.c.session_id, _SET.c.position)
    )
    return found, in_sets


# The window a decision reads (rule H1), for the learners :ids from the day :start, and a
# learner's whole history. Built once: SQLAlchemy then compiles each once and keeps it, and
# building a statement of twenty columns cost more than running it (issue 9: a decision in a
# process that has not kept the learner's window read it in 6 ms, 3.8 of them building).
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_START: BindParameter[Any] = bindparam("start")
_LEARNER_SESSIONS = _sessions_where(_S.c.learner_id == bindparam("learner_id"))
# The sessions a learner stored after a given one (by id).
_SESSIONS_AFTER = _sessions_where(
    _S.c.learner_id == bindparam("learner_id"), _S.c.id > bindparam("after")
)
# With each window session, the id of the learner's newest session, in the same statement
# (so as of the same moment, on PostgreSQL too): what the window was read up to. Worked out
# once per learner (a correlated subquery per row cost PostgreSQL 50 ms a window).
_NEWER = _S.alias("newer")
_NEWEST = (
    select(_NEWER.c.learner_id, func.max(_NEWER.c.id).label("last_session"))
    .where(_NEWER.c.learner_id.in_(_IDS))
    .group_by(_NEWER.c.learner_id)
    .subquery("newest")
)
_WINDOW_SESSIONS = _sessions_where(
    _S.c.learner_id.in_(_IDS),
    or_(_S.c.day >= _START, _may_sign(_S.c.qualities)),
    newest=_NEWEST,
)
_WINDOW_CHECKINS = (
    select(*_CHECKIN_COLUMNS)
    .where(_C.c.learner_id.in_(_IDS))
    .where(or_(_C.c.day >= _START, _may_sign(_C.c.qualities)))
    .order_by(_C.c.day, _C.c.id)
)
_WINDOW_SCREENS = (
    select(_SCR.c.learner_id, _SCR.c.day, _SCR.c.flags)
    .where(_SCR.c.learner_id.in_(_IDS), cast(_SCR.c.flags, String) != "[]")
    .order_by(_SCR.c.day, _SCR.c.id)
)
_WINDOW_OUTCOMES = (
    select(_Q.c.learner_id, _Q.c.measure)
    .add_columns(_Q.c.day, _Q.c.score)
    .where(
        _Q.c.learner_id.in_(_IDS),
        _Q.c.measure.in_(("odi", "rmdq")),
        _Q.c.score.is_not(None),
    )
    .order_by(_Q.c.day, _Q.c.id)
)
_CLEARANCES = (
    select(
        _CL.c.learner_id,
        _CL.c.day,
        _CL.c.by,
        _CL.c.note,
        _CL.c.created_at,
    )
    .where(_CL.c.learner_id.in_(_IDS))
    .order_by(_CL.c.day, _CL.c.id)
)
_BEFORE_HORIZON = (
    select(_S.c.learner_id).where(_S.c.learner_id.in_(_IDS), _S.c.day < _START).distinct()
)


# What logging a session reads besides the window, once per log and page: built once too.
_LEARNER_ID: BindParameter[Any] = bindparam("learner_id")
_LAST_DECISION = (
    select(DecisionRow.__table__)
    .where(DecisionRow.__table__.c.learner_id == _LEARNER_ID)
    .order_by(DecisionRow.__table__.c.id.desc())
    .limit(1)
)
_COUNTS = select(
    select(func.count()).where(_S.c.learner_id == _LEARNER_ID).scalar_subquery().label("sessions"),
    select(func.count()).where(_C.c.learner_id == _LEARNER_ID).scalar_subquery().label("checkins"),
)
_SESSION_TOKEN = (
    select(_S.c.id)
    .where(_S.c.learner_id == _LEARNER_ID, _S.c.client_token == bindparam("token"))
    .limit(1)
)


def _flagged(row: Any) -> bool:
    return bool(row.flags)


def _nerve(row: Any) -> bool:
    faded = getattr(row, "burning_faded", False)
    qualities = frozenset(Quality(q) for q in row.qualities)
    return nerve_signs(SymptomArea(row.area), qualities, faded)


_LEARNERS = LearnerRow.__table__
_LEARNER = select(_LEARNERS).where(_LEARNERS.c.id == bindparam("learner_id"))
_FIRST_LEARNER = select(_LEARNERS).order_by(_LEARNERS.c.id).limit(1)
# Under the write lock at every logged session: built once, so the lock is held for less.
_CLAIM = (
    update(LearnerRow)
    .where(LearnerRow.id == bindparam("learner_id"), LearnerRow.revision == bindparam("revision"))
    .values(revision=LearnerRow.revision + 1)
    .execution_options(synchronize_session=False)
)
# A logged session's rows, written as Core statements under the write lock (the ORM's flush
# was most of the time the lock was held). The revision hook sees only ORM flushes, so the
# statement that writes the learner's new state counts the revision itself.
_INSERT_SESSION = insert(typing.cast(Table, _S)).returning(_S.c.id)
_INSERT_SET = insert(typing.cast(Table, _SET))
_INSERT_DECISION = insert(typing.cast(Table, DecisionRow.__table__))
_STATE_AND_REVISION = (
    update(typing.cast(Table, _LEARNERS))
    .where(_LEARNERS.c.id == bindparam("learner_id"))
    .values(state=bindparam("new_state"), revision=_LEARNERS.c.revision + 1)
    .returning(_LEARNERS.c.revision)
)
# Read by the today page at every visit (its questionnaires due): a Core statement too.
_QUESTIONNAIRE_ROWS = QuestionnaireRow.__table__
_QUESTIONNAIRES = (
    select(_QUESTIONNAIRE_ROWS)
    .where(_QUESTIONNAIRE_ROWS.c.learner_id == bindparam("learner_id"))
    .order_by(_QUESTIONNAIRE_ROWS.c.day, _QUESTIONNAIRE_ROWS.c.id)
)


def now() -> datetime:
    return datetime.now(UTC)


class ProgrammeRepository:
    def __init__(self, db: DbSession, for_update: bool = False) -> None:
        """`for_update` (a writing unit of work): reading a learner locks their row until
        the commit, so two writes for one learner at once take turns on PostgreSQL and each
        decides on what the other stored (SQLite's write lock does this for the file)."""
        self.db = db
        self.for_update = for_update

    # -- the learner -------------------------------------------------------------------

    def learner(self, learner_id: int | None = None) -> LearnerRecord | None:
        """That learner, or (no id: the CLI's one learner a file) the first."""
        row = self._row(learner_id)
        return convert.learner(row) if row is not None else None

    def _row(self, learner_id: int | None) -> LearnerRow | Row[Any] | None:
        """A writing unit of work reads the ORM object, locked (the write changes it, and
        later reads of it in the same transaction come from the session); a reading one
        reads a plain Core row by a statement built once: every page asks for the learner,
        and the ORM query costs twice as much (issue 9)."""
        if not self.for_update:
            if learner_id is None:
                return self.db.execute(_FIRST_LEARNER).first()
            return self.db.execute(_LEARNER, {"learner_id": learner_id}).first()
        query = select(LearnerRow).order_by(LearnerRow.id).with_for_update()
        if learner_id is not None:
            query = query.where(LearnerRow.id == learner_id)
        return self.db.scalars(query.limit(1)).first()

    def claim(self, learner_id: int, revision: int) -> bool:
        """Count the learner's revision up if it is still `revision`: False when another
        write came first. One statement, so two at once cannot both claim one revision."""
        values = {"learner_id": learner_id, "revision": revision}
        found = typing.cast(CursorResult[Any], self.db.execute(_CLAIM, values))
        return found.rowcount == 1

    def _get(self, learner_id: int) -> LearnerRow:
        row = self.db.get(LearnerRow, learner_id)
        if row is None:
            raise NotFoundError(f"learner: no learner with id {learner_id}")
        return row

    def learners_by_ids(self, ids: Sequence[int]) -> list[LearnerRecord]:
        if not ids:
            return []
        rows = self.db.scalars(select(LearnerRow).where(LearnerRow.id.in_(ids)))
        return [convert.learner(r) for r in rows]

    def decisions_since(self, ids: Sequence[int], since: date) -> dict[int, list[DecisionRecord]]:
        if not ids:
            return {}
        rows = self.db.scalars(
            select(DecisionRow)
            .where(DecisionRow.learner_id.in_(ids), DecisionRow.day >= since)
            .order_by(DecisionRow.id)
        )
        return self._grouped((r.learner_id, convert.decision(r)) for r in rows)

    def last_session_days(self, ids: Sequence[int]) -> dict[int, date]:
        if not ids:
            return {}
        query = (
            select(SessionRow.learner_id, func.max(SessionRow.day))
            .where(SessionRow.learner_id.in_(ids))
            .group_by(SessionRow.learner_id)
        )
        return {row[0]: row[1] for row in self.db.execute(query)}

    def learners_on_ladder(self, clinic_id: int, ladder_id: str) -> list[LearnerRecord]:
        query = select(LearnerRow).where(
            LearnerRow.clinic_id == clinic_id, LearnerRow.ladder_id == ladder_id
        )
        return [convert.learner(r) for r in self.db.scalars(query)]

    def add_learner(self, state: ProgramState, **fields: Any) -> int:
        row = LearnerRow(created_at=now(), state=convert.state_to_json(state), **fields)
        self.db.add(row)
        self.db.flush()
        return row.id

    def set_state(self, learner_id: int, state: ProgramState) -> None:
        self._get(learner_id).state = convert.state_to_json(state)

    def set_policy(self, learner_id: int, changes: dict[str, Any]) -> None:
        self._get(learner_id).policy = dict(changes)

    def set_equipment(self, learner_id: int, equipment: Sequence[str]) -> None:
        self._get(learner_id).equipment = list(equipment)

    def set_ladder(self, learner_id: int, ladder_id: str) -> None:
        self._get(learner_id).ladder_id = ladder_id

    def set_clinic(self, learner_id: int, clinic_id: int | None) -> None:
        self._get(learner_id).clinic_id = clinic_id

    def delete_learner(self, learner_id: int) -> None:
        row = self.db.get(LearnerRow, learner_id)
        if row is not None:
            self.db.delete(row)
            self.db.flush()

    # -- what happened -----------------------------------------------------------------

    def sessions(self, learner_id: int) -> list[Session]:
        found = self._sessions_of(_LEARNER_SESSIONS, {"learner_id": learner_id})
        return [s for _, s in found]

    def _sessions_of(
        self, statements: tuple[Executable, Executable], values: dict[str, Any]
    ) -> list[tuple[int, Session]]:
        """(learner id, session) for the sessions `statements` (from `_sessions_where`)
        find with `values`, in day order: two queries of plain columns (the sessions with
        their video summary, then their sets), whatever the number of sessions. Plain rows,
        not ORM objects: a page reads ninety sessions per learner, and a roster hundreds of
        learners."""
        return [(r.learner_id, s) for r, s in self._session_rows(statements, values)]

    def _session_rows(
        self, statements: tuple[Executable, Executable], values: dict[str, Any]
    ) -> list[tuple[Row[Any], Session]]:
        found, in_sets = statements
        rows = self.db.execute(found, values).all()
        sets: dict[int, list[Any]] = {}
        for row in self.db.execute(in_sets, values):
            sets.setdefault(row.session_id, []).append(row)
        return [(r, convert.session(r, sets.get(r.id, ()))) for r in rows]

    def sessions_after(self, learner_id: int, after: int) -> list[tuple[int, Session]]:
        """(id, session) for each session of the learner stored after session `after`, in
        the order they were stored: what a kept window lacks when only logs came since."""
        values = {"learner_id": learner_id, "after": after}
        found = self._session_rows(_SESSIONS_AFTER, values)
        return sorted(((r.id, s) for r, s in found), key=lambda pair: pair[0])

    def session_notes(self, learner_id: int) -> list[str]:
        """Each session's note, in the order `sessions` returns them."""
        query = (
            select(SessionRow.note)
            .where(SessionRow.learner_id == learner_id)
            .order_by(SessionRow.day, SessionRow.id)
        )
        return [note or "" for note in self.db.scalars(query)]

    def checkins(self, learner_id: int) -> list[CheckIn]:
        rows = self.db.execute(
            select(*_CHECKIN_COLUMNS)
            .where(CheckInRow.learner_id == learner_id)
            .order_by(CheckInRow.day, CheckInRow.id)
        )
        return [convert.checkin(r) for r in rows]

    def screens(self, learner_id: int) -> list[ScreenResult]:
        rows = self.db.scalars(
            select(ScreenRow)
            .where(ScreenRow.learner_id == learner_id)
            .order_by(ScreenRow.day, ScreenRow.id)
        )
        return [ScreenResult(r.day, frozenset(r.flags)) for r in rows]

    # -- what a decision reads (rule H1) ---------------------------------------------------

    def evidence(self, ids: Sequence[int], start: date) -> dict[int, Evidence]:
        """For each learner: sessions and check-ins from `start` on, older ones that may
        carry a nerve sign, screens naming a sign, the latest clearance, and the days of
        signs recorded after it but dated on or before it. A constant number of queries,
        whatever the number of learners or the length of their histories."""
        return self._evidence(ids, start)[0]

    def window(self, learner_id: int, start: date) -> tuple[Evidence, int | None]:
        """One learner's evidence, and the id of their newest stored session as of the
        same read (None when the window holds no session): a process keeps both, to catch
        the window up later by reading only the sessions stored after that one
        (services/coach.py)."""
        found, last = self._evidence([learner_id], start)
        return found[learner_id], last.get(learner_id)

    def _evidence(
        self, ids: Sequence[int], start: date
    ) -> tuple[dict[int, Evidence], dict[int, int]]:
        if not ids:
            return {}, {}
        values = {"ids": list(ids), "start": start}
        rows = self._session_rows(_WINDOW_SESSIONS, values)
        last = {r.learner_id: int(r.last_session) for r, _ in rows}
        sessions = self._grouped((r.learner_id, s) for r, s in rows)
        checkins = self._grouped(
            (r.learner_id, convert.checkin(r)) for r in self.db.execute(_WINDOW_CHECKINS, values)
        )
        screens = self._grouped(
            (r.learner_id, ScreenResult(r.day, frozenset(r.flags)))
            for r in self.db.execute(_WINDOW_SCREENS, values)
        )
        outcomes = self._grouped(
            (r.learner_id, OutcomeReading(r.measure.upper(), r.day, r.score))
            for r in self.db.execute(_WINDOW_OUTCOMES, values)
        )
        cleared = self._latest_clearances(ids)
        backdated = self._backdated(cleared)
        before = set(self.db.scalars(_BEFORE_HORIZON, values))
        found = {
            i: Evidence(
                tuple(sessions.get(i, ())),
                tuple(checkins.get(i, ())),
                tuple(screens.get(i, ())),
                cleared.get(i),
                tuple(backdated.get(i, ())),
                before_horizon=i in before,
                outcomes=tuple(outcomes.get(i, ())),
            )
            for i in ids
        }
        return found, last

    @staticmethod
    def _grouped(pairs: Iterable[tuple[int, T]]) -> dict[int, list[T]]:
        found: dict[int, list[T]] = {}
        for learner_id, item in pairs:
            found.setdefault(learner_id, []).append(item)
        return found

    def _latest_clearances(self, ids: Sequence[int]) -> dict[int, ClearanceRecord]:
        """The clearance with the latest day for each learner (the latest recorded, on a tie)."""
        rows = self.db.execute(_CLEARANCES, {"ids": list(ids)})
        return {
            r.learner_id: ClearanceRecord(r.day, r.by, r.note, convert.aware(r.created_at))
            for r in rows
        }

    def _backdated(self, cleared: dict[int, ClearanceRecord]) -> dict[int, list[date]]:
        """Days of signs recorded after a learner's clearance but dated on or before it."""
        if not cleared:
            return {}
        found: dict[int, list[date]] = {}
        tables: tuple[tuple[Any, Callable[[Any], bool]], ...] = (
            (ScreenRow, _flagged),
            (SessionRow, _nerve),
            (CheckInRow, _nerve),
        )
        for table, sign in tables:
            after = or_(
                *(
                    and_(table.learner_id == i, table.created_at > c.created_at, table.day <= c.day)
                    for i, c in cleared.items()
                )
            )
            for row in self.db.scalars(select(table).where(after)):
                if sign(row):
                    found.setdefault(row.learner_id, []).append(row.day)
        return found

    def last_decision(self, learner_id: int) -> DecisionRecord | None:
        row = self.db.execute(_LAST_DECISION, {"learner_id": learner_id}).first()
        return convert.decision(row) if row is not None else None

    def counts(self, learner_id: int) -> tuple[int, int]:
        """How many sessions and check-ins the learner has logged (a form's next token)."""
        found = self.db.execute(_COUNTS, {"learner_id": learner_id}).one()
        return found.sessions or 0, found.checkins or 0

    def decisions(self, learner_id: int) -> list[DecisionRecord]:
        query = (
            select(DecisionRow).where(DecisionRow.learner_id == learner_id).order_by(DecisionRow.id)
        )
        return [convert.decision(r) for r in self.db.scalars(query)]

    def has_session_token(self, learner_id: int, token: str) -> bool:
        found = self.db.execute(_SESSION_TOKEN, {"learner_id": learner_id, "token": token})
        return found.first() is not None

    def has_checkin_token(self, learner_id: int, token: str) -> bool:
        query = select(CheckInRow.id).where(
            CheckInRow.learner_id == learner_id, CheckInRow.client_token == token
        )
        return self.db.scalars(query.limit(1)).first() is not None

    def has_session_on(self, learner_id: int, day: date) -> bool:
        query = select(SessionRow.id).where(
            SessionRow.learner_id == learner_id, SessionRow.day == day
        )
        return self.db.scalars(query.limit(1)).first() is not None

    # -- writes ------------------------------------------------------------------------

    def add_session(
        self, learner_id: int, s: Session, note: str = "", token: str | None = None
    ) -> int:
        """The session and its sets, as Core statements: the revision hook does not see
        them, so the caller counts the learner's revision (`store_decision` does)."""
        values = {
            "learner_id": learner_id,
            "day": s.day,
            "rung": s.rung,
            "exercise_id": s.exercise_id,
            "pain_before": s.pain_before,
            "pain_during": s.pain_during,
            "pain_after": s.pain_after,
            "area": s.area.value,
            "qualities": sorted(q.value for q in s.qualities),
            "burning_faded": s.faded_with_rest,
            "first_set_uncued": s.first_set_uncued,
            "self_check": list(s.self_check),
            "faults": s.faults,
            "fault_basis": s.fault_basis,
            "note": note,
            "created_at": now(),
            "client_token": token,
        }
        session_id = int(self.db.execute(_INSERT_SESSION, values).scalar_one())
        sets = [
            {
                "session_id": session_id,
                "position": i,
                "reps": x.reps,
                "seconds": x.seconds,
                "load": x.load,
                "rpe": x.rpe,
            }
            for i, x in enumerate(s.sets)
        ]
        if sets:
            self.db.execute(_INSERT_SET, sets)
        return session_id

    def session_for_video(self, learner_id: int, day: date, exercise_id: str) -> int | None:
        """The latest session of that exercise on that day without a video check yet."""
        return self.db.scalar(
            select(SessionRow.id)
            .outerjoin(FormReportRow, FormReportRow.session_id == SessionRow.id)
            .where(SessionRow.learner_id == learner_id, SessionRow.day == day)
            .where(SessionRow.exercise_id == exercise_id, FormReportRow.id.is_(None))
            .order_by(SessionRow.id.desc())
            .limit(1)
        )

    def add_video_check(self, session_id: int, video: VideoEvidence) -> None:
        self._add(
            FormReportRow(
                session_id=session_id,
                created_at=now(),
                exercise_id=video.exercise_id,
                judged=video.judged,
                reps=video.reps,
                faults=video.faults,
                checks=list(video.checks),
                report=video.report,
                keypoints=video.keypoints,
            )
        )

    def add_checkin(self, learner_id: int, c: CheckIn, token: str | None = None) -> None:
        self._add(
            CheckInRow(
                learner_id=learner_id,
                day=c.day,
                pain=c.pain,
                area=c.area.value,
                qualities=sorted(q.value for q in c.qualities),
                soreness=c.soreness,
                created_at=now(),
                client_token=token,
            )
        )

    def add_screen(self, learner_id: int, day: date, source: str, flags: frozenset[str]) -> None:
        self._add(
            ScreenRow(
                learner_id=learner_id, day=day, source=source, flags=sorted(flags), created_at=now()
            )
        )

    def add_questionnaire(
        self,
        learner_id: int,
        measure: str,
        day: date,
        *,
        answers: dict[str, Any] | None = None,
        score: float | None = None,
        band: str = "",
        valid: bool = True,
        asked_by: str | None = None,
    ) -> int:
        row = QuestionnaireRow(
            learner_id=learner_id, measure=measure, day=day, answers=answers,
            score=score, band=band, valid=valid, asked_by=asked_by, created_at=now(),
        )  # fmt: skip
        self._add(row)
        return row.id

    def questionnaires(self, learner_id: int) -> list[QuestionnaireRecord]:
        """Filled questionnaires and clinicians' requests, oldest first."""
        rows = self.db.execute(_QUESTIONNAIRES, {"learner_id": learner_id})
        return [
            QuestionnaireRecord(
                r.id, r.measure, r.day, r.answers, r.score, r.band, r.valid, r.asked_by
            )
            for r in rows
        ]

    def add_clearance(self, learner_id: int, day: date, by: str, note: str) -> None:
        self._add(ClearanceRow(learner_id=learner_id, day=day, by=by, note=note, created_at=now()))

    def add_decision(
        self, learner_id: int, day: date, trigger: str, decision: Decision, rung_before: int | None
    ) -> DecisionRecord:
        """Record the decision and the state it leaves, in one step; the record written.
        Through the ORM, so a learner read again in the same unit of work has the new state."""
        row = DecisionRow(**_decision_values(learner_id, day, trigger, decision, rung_before))
        self._add(row)
        self.set_state(learner_id, decision.state)
        return convert.decision(row)

    def store_decision(
        self, learner_id: int, day: date, trigger: str, decision: Decision, rung_before: int | None
    ) -> tuple[DecisionRecord, int]:
        """The same as Core statements, for a unit of work that stores and reads nothing
        after (a logged session): (the record written, the revision it leaves). The learner's
        state and revision are written by one statement; the ORM's copy of the learner, if
        this unit of work loaded it, is not updated."""
        values = _decision_values(learner_id, day, trigger, decision, rung_before)
        self.db.execute(_INSERT_DECISION, values)
        state = {"learner_id": learner_id, "new_state": values["state"]}
        revision = self.db.execute(_STATE_AND_REVISION, state).scalar_one()
        return convert.decision(DecisionRow(**values)), int(revision)  # never added

    def add_note(self, learner_id: int, author: str, body: str) -> None:
        self._add(NoteRow(learner_id=learner_id, author=author, body=body, created_at=now()))

    def notes(self, learner_id: int) -> list[NoteRecord]:
        query = select(NoteRow).where(NoteRow.learner_id == learner_id).order_by(NoteRow.id)
        return [convert.note(r) for r in self.db.scalars(query)]

    def add_change(
        self, learner_id: int, by: str, kind: str, detail: dict[str, Any], reason: str
    ) -> None:
        self._add(
            ChangeRow(
                learner_id=learner_id,
                by=by,
                kind=kind,
                detail=detail,
                reason=reason,
                created_at=now(),
            )
        )

    def changes(self, learner_id: int) -> list[ChangeRecord]:
        query = select(ChangeRow).where(ChangeRow.learner_id == learner_id).order_by(ChangeRow.id)
        return [convert.change(r) for r in self.db.scalars(query)]

    def _add(self, row: object) -> None:
        self.db.add(row)
        self.db.flush()


def _decision_values(
    learner_id: int, day: date, trigger: str, decision: Decision, rung_before: int | None
) -> dict[str, Any]:
    """A decision's row, by column: the same for the ORM and for the Core insert."""
    return {
        "learner_id": learner_id,
        "day": day,
        "made_at": now(),
        "trigger": trigger,
        "action": decision.action.value,
        "light": decision.light.value if decision.light else None,
        "urgency": decision.urgency.value,
        "rules": list(decision.rules),
        "reasons": list(decision.reasons),
        "rung_before": rung_before,
        "rung_after": decision.state.rung,
        "state": convert.state_to_json(decision.state),
    }
