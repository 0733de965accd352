"""Hand-written fakes of the repositories and the unit of work, for service tests where a
database adds nothing (cosmicpython's way: no mock.patch).

`FakeStore` holds the data; each `FakeUnitOfWork` works on a copy and puts it back only when
the block succeeds, so a refused use case leaves nothing behind, as a real transaction does.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from hingecoach.adapters.db.records import (
    ChangeRecord,
    ClearanceRecord,
    ClinicRecord,
    CustomLadderRecord,
    DecisionRecord,
    Evidence,
    InviteRecord,
    LearnerRecord,
    NoteRecord,
    UserRecord,
    VideoEvidence,
)
from hingecoach.adapters.db.repositories import (
    AccountRepository,
    ClinicRepository,
    ProgrammeRepository,
)
from hingecoach.engine.model import CheckIn, Decision, ProgramState, ScreenResult, Session
from hingecoach.engine.symptoms import nerve_signs
from hingecoach.errors import AuthError, NotFoundError

_CLOCK = [datetime(2026, 1, 1, tzinfo=UTC)]


def _tick() -> datetime:
    """A clock that moves on with every write, so 'recorded after' is well defined."""
    _CLOCK[0] += timedelta(seconds=1)
    return _CLOCK[0]


@dataclass
class Logged:
    learner_id: int
    session: Session
    note: str
    token: str | None
    at: datetime


@dataclass
class Data:
    learners: dict[int, LearnerRecord] = field(default_factory=dict)
    sessions: list[Logged] = field(default_factory=list)
    checkins: list[tuple[int, CheckIn, str | None, datetime]] = field(default_factory=list)
    screens: list[tuple[int, ScreenResult, datetime]] = field(default_factory=list)
    clearances: list[tuple[int, ClearanceRecord]] = field(default_factory=list)
    decisions: list[tuple[int, DecisionRecord]] = field(default_factory=list)
    notes: list[tuple[int, NoteRecord]] = field(default_factory=list)
    changes: list[tuple[int, ChangeRecord]] = field(default_factory=list)
    videos: dict[int, VideoEvidence] = field(default_factory=dict)
    users: dict[int, UserRecord] = field(default_factory=dict)
    clinics: dict[int, ClinicRecord] = field(default_factory=dict)
    invites: dict[int, InviteRecord] = field(default_factory=dict)
    attempts: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    web_sessions: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    ladders: dict[tuple[int, str], str] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class FakeProgramme(ProgrammeRepository):
    def __init__(self, data: Data) -> None:
        self.data = data

    def learner(self, learner_id: int | None = None) -> LearnerRecord | None:
        if learner_id is None:
            return min(self.data.learners.values(), key=lambda r: r.id, default=None)
        return self.data.learners.get(learner_id)

    def _update(self, learner_id: int, **changes: Any) -> None:
        if learner_id not in self.data.learners:
            raise NotFoundError(f"learner: no learner with id {learner_id}")
        self.data.learners[learner_id] = replace(self.data.learners[learner_id], **changes)

    def add_learner(self, state: ProgramState, **fields: Any) -> int:
        new = self.data.new_id()
        equipment = tuple(fields.pop("equipment", ()))
        self.data.learners[new] = LearnerRecord(
            id=new, created_at=_tick(), state=state, equipment=equipment, **fields
        )
        return new

    def set_state(self, learner_id: int, state: ProgramState) -> None:
        self._update(learner_id, state=state)

    def claim(self, learner_id: int, revision: int) -> bool:
        found = self.data.learners[learner_id]
        if found.revision != revision:
            return False
        self._update(learner_id, revision=revision + 1)
        return True

    def set_policy(self, learner_id: int, changes: dict[str, Any]) -> None:
        self._update(learner_id, policy=dict(changes))

    def set_ladder(self, learner_id: int, ladder_id: str) -> None:
        self._update(learner_id, ladder_id=ladder_id)

    def set_clinic(self, learner_id: int, clinic_id: int | None) -> None:
        self._update(learner_id, clinic_id=clinic_id)

    def delete_learner(self, learner_id: int) -> None:
        self.data.learners.pop(learner_id, None)

    def _logged(self, learner_id: int) -> list[Logged]:
        mine = [x for x in self.data.sessions if x.learner_id == learner_id]
        return sorted(mine, key=lambda x: (x.session.day, x.at))

    def sessions(self, learner_id: int) -> list[Session]:
        return [x.session for x in self._logged(learner_id)]

    def session_notes(self, learner_id: int) -> list[str]:
        return [x.note for x in self._logged(learner_id)]

    def checkins(self, learner_id: int) -> list[CheckIn]:
        mine = [(c, at) for lid, c, _, at in self.data.checkins if lid == learner_id]
        return [c for c, _ in sorted(mine, key=lambda p: (p[0].day, p[1]))]

    def screens(self, learner_id: int) -> list[ScreenResult]:
        mine = [(s, at) for lid, s, at in self.data.screens if lid == learner_id]
        return [s for s, _ in sorted(mine, key=lambda p: (p[0].day, p[1]))]

    def evidence(self, ids: Sequence[int], start: date) -> dict[int, Evidence]:
        """Everything of each learner: the engine keeps its own window (canonical)."""
        found = {}
        for i in ids:
            mine = [c for lid, c in self.data.clearances if lid == i]
            last = max(mine, key=lambda c: (c.day, c.created_at), default=None)
            found[i] = Evidence(
                tuple(self.sessions(i)),
                tuple(self.checkins(i)),
                tuple(s for s in self.screens(i) if s.flags),
                last,
                tuple(self._backdated(i, last)),
            )
        return found

    def _backdated(self, learner_id: int, last: ClearanceRecord | None) -> list[date]:
        if last is None:
            return []
        days = [
            s.day
            for lid, s, at in self.data.screens
            if lid == learner_id and s.flags and at > last.created_at
        ]
        days += [
            x.session.day
            for x in self._logged(learner_id)
            if x.at > last.created_at
            and nerve_signs(x.session.area, x.session.qualities, x.session.faded_with_rest)
        ]
        return [d for d in days if d <= last.day]

    def last_decision(self, learner_id: int) -> DecisionRecord | None:
        mine = self.decisions(learner_id)
        return mine[-1] if mine else None

    def counts(self, learner_id: int) -> tuple[int, int]:
        return len(self._logged(learner_id)), len(self.checkins(learner_id))

    def learners_on_ladder(self, clinic_id: int, ladder_id: str) -> list[LearnerRecord]:
        return [
            r
            for r in self.data.learners.values()
            if r.clinic_id == clinic_id and r.ladder_id == ladder_id
        ]

    def decisions(self, learner_id: int) -> list[DecisionRecord]:
        return [d for lid, d in self.data.decisions if lid == learner_id]

    def has_session_token(self, learner_id: int, token: str) -> bool:
        return any(x.token == token for x in self._logged(learner_id))

    def has_checkin_token(self, learner_id: int, token: str) -> bool:
        return any(lid == learner_id and t == token for lid, _, t, _ in self.data.checkins)

    def has_session_on(self, learner_id: int, day: date) -> bool:
        return any(x.session.day == day for x in self._logged(learner_id))

    def add_session(
        self, learner_id: int, s: Session, note: str = "", token: str | None = None
    ) -> int:
        self.data.sessions.append(Logged(learner_id, s, note, token, _tick()))
        return len(self.data.sessions)

    def add_video_check(self, session_id: int, video: VideoEvidence) -> None:
        self.data.videos[session_id] = video

    def add_checkin(self, learner_id: int, c: CheckIn, token: str | None = None) -> None:
        self.data.checkins.append((learner_id, c, token, _tick()))

    def add_screen(self, learner_id: int, day: date, source: str, flags: frozenset[str]) -> None:
        self.data.screens.append((learner_id, ScreenResult(day, flags), _tick()))

    def add_clearance(self, learner_id: int, day: date, by: str, note: str) -> None:
        self.data.clearances.append((learner_id, ClearanceRecord(day, by, note, _tick())))

    def add_decision(
        self, learner_id: int, day: date, trigger: str, decision: Decision, rung_before: int | None
    ) -> DecisionRecord:
        record = DecisionRecord(
            day=day,
            made_at=_tick(),
            trigger=trigger,
            action=decision.action.value,
            light=decision.light.value if decision.light else None,
            urgency=decision.urgency.value,
            rules=decision.rules,
            reasons=decision.reasons,
            rung_before=rung_before,
            rung_after=decision.state.rung,
        )
        self.data.decisions.append((learner_id, record))
        self.set_state(learner_id, decision.state)
        return record

    def store_decision(
        self, learner_id: int, day: date, trigger: str, decision: Decision, rung_before: int | None
    ) -> tuple[DecisionRecord, int]:
        record = self.add_decision(learner_id, day, trigger, decision, rung_before)
        revision = self.data.learners[learner_id].revision + 1
        self._update(learner_id, revision=revision)
        return record, revision

    def add_note(self, learner_id: int, author: str, body: str) -> None:
        self.data.notes.append((learner_id, NoteRecord(author, body, _tick())))

    def notes(self, learner_id: int) -> list[NoteRecord]:
        return [n for lid, n in self.data.notes if lid == learner_id]

    def add_change(
        self, learner_id: int, by: str, kind: str, detail: dict[str, Any], reason: str
    ) -> None:
        self.data.changes.append((learner_id, ChangeRecord(by, kind, detail, reason, _tick())))

    def changes(self, learner_id: int) -> list[ChangeRecord]:
        return [c for lid, c in self.data.changes if lid == learner_id]


class FakeAccounts(AccountRepository):
    def __init__(self, data: Data) -> None:
        self.data = data

    def user(self, user_id: int) -> UserRecord | None:
        return self.data.users.get(user_id)

    def user_by_email(self, email: str) -> UserRecord | None:
        return next((u for u in self.data.users.values() if u.email == email), None)

    def add_user(
        self, email: str, password_hash: str, role: str, name: str, country: str
    ) -> UserRecord:
        new = self.data.new_id()
        user = UserRecord(new, email, password_hash, role, name, country, None, None, _tick())
        self.data.users[new] = user
        return user

    def _update(self, user_id: int, **changes: Any) -> None:
        if user_id not in self.data.users:
            raise AuthError("your account no longer exists")
        self.data.users[user_id] = replace(self.data.users[user_id], **changes)

    def set_password(self, user_id: int, password_hash: str, changed_at: datetime | None) -> None:
        self._update(user_id, password_hash=password_hash)
        if changed_at is not None:
            self._update(user_id, password_changed_at=changed_at)

    def set_user_clinic(self, user_id: int, clinic_id: int) -> None:
        self._update(user_id, clinic_id=clinic_id)

    def set_user_learner(self, user_id: int, learner_id: int) -> None:
        self._update(user_id, learner_id=learner_id)

    def delete_user(self, user_id: int) -> None:
        self.data.users.pop(user_id)

    def add_clinic(self, name: str) -> int:
        new = self.data.new_id()
        self.data.clinics[new] = ClinicRecord(new, name)
        return new

    def clinic(self, clinic_id: int) -> ClinicRecord | None:
        return self.data.clinics.get(clinic_id)

    def learners(self, clinic_id: int | None) -> list[tuple[int, str]]:
        found = [
            (r.id, r.name)
            for r in self.data.learners.values()
            if clinic_id is None or r.clinic_id == clinic_id
        ]
        return sorted(found, key=lambda p: (p[1], p[0]))

    def add_invite(
        self, code: str, clinic_id: int, role: str, by: int, note: str, expires_at: datetime
    ) -> InviteRecord:
        new = self.data.new_id()
        self.data.invites[new] = InviteRecord(new, code, clinic_id, role, expires_at, None)
        return self.data.invites[new]

    def invite(self, code: str) -> InviteRecord | None:
        return next((i for i in self.data.invites.values() if i.code == code), None)

    def use_invite(self, invite_id: int, user_id: int) -> None:
        self.data.invites[invite_id] = replace(self.data.invites[invite_id], used_at=_tick())

    def attempt(self, key: str, window: timedelta) -> tuple[int, datetime]:
        moment = datetime.now(UTC)
        attempts, start = self.data.attempts.get(key, (0, moment))
        if start < moment - window:
            attempts, start = 0, moment
        self.data.attempts[key] = (attempts + 1, start)
        return self.data.attempts[key]

    def clear_attempts(self, key: str) -> None:
        self.data.attempts.pop(key, None)

    def refund_attempt(self, key: str) -> None:
        if key in self.data.attempts:
            attempts, start = self.data.attempts[key]
            self.data.attempts[key] = (max(0, attempts - 1), start)

    def prune_attempts(self, older_than: datetime) -> None:
        self.data.attempts = {k: v for k, v in self.data.attempts.items() if v[1] >= older_than}

    def open_session(self, session_id: str, user_id: int, expires_at: datetime) -> None:
        self.data.web_sessions[session_id] = (user_id, expires_at)

    def session_user(self, session_id: str) -> UserRecord | None:
        user_id, expires = self.data.web_sessions.get(session_id, (0, _CLOCK[0]))
        return self.data.users.get(user_id) if expires > datetime.now(UTC) else None

    def close_session(self, session_id: str) -> None:
        self.data.web_sessions.pop(session_id, None)

    def close_sessions(self, user_id: int, keep: str | None = None) -> None:
        self.data.web_sessions = {
            k: v for k, v in self.data.web_sessions.items() if v[0] != user_id or k == keep
        }

    def prune_sessions(self) -> None:
        moment = datetime.now(UTC)
        self.data.web_sessions = {k: v for k, v in self.data.web_sessions.items() if v[1] > moment}


class FakeClinics(ClinicRepository):
    def __init__(self, data: Data) -> None:
        self.data = data

    def custom_ladders(self, clinic_id: int) -> list[CustomLadderRecord]:
        mine = [(lid, t) for (cid, lid), t in self.data.ladders.items() if cid == clinic_id]
        return [CustomLadderRecord(lid, t) for lid, t in sorted(mine)]

    def save_ladder(self, clinic_id: int, ladder_id: str, toml: str, by: str) -> None:
        self.data.ladders[(clinic_id, ladder_id)] = toml


class FakeStore:
    """What the fake units of work share: the data that survives a committed block."""

    def __init__(self) -> None:
        self.data = Data()
        self.commits = 0

    def __call__(self, write: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)


class FakeUnitOfWork:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def __enter__(self) -> Self:
        self.working = copy.deepcopy(self.store.data)
        self.programme = FakeProgramme(self.working)
        self.accounts = FakeAccounts(self.working)
        self.clinics = FakeClinics(self.working)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.store.data = self.working
            self.store.commits += 1
