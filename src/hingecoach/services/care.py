"""A clinician's changes to one learner's programme, each recorded with who and why: the
step (rule C1), the ladder, a threshold, a note; and the clinical record they read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from hingecoach.catalog import Catalog, rungs_for
from hingecoach.engine.override import override_rung
from hingecoach.engine.policy import Policy
from hingecoach.services import reading
from hingecoach.services.catalogs import Catalogs
from hingecoach.services.inputs import policy_changes
from hingecoach.services.outcomes import OutcomesView, outcomes_view, parse_measure
from hingecoach.services.reading import Learner
from hingecoach.services.results import ClinicalRecord, Outcome, TodayView
from hingecoach.services.uow import UnitOfWork, UnitOfWorkFactory
from hingecoach.services.validation import check_text

__all__ = ["Care"]


class Care:
    def __init__(
        self, uow: UnitOfWorkFactory, catalog: Catalog | Catalogs, today: date, learner_id: int
    ) -> None:
        self.uow = uow
        self.catalogs = catalog if isinstance(catalog, Catalogs) else Catalogs(catalog)
        self.today = today
        self.learner_id = learner_id

    def _load(self, uow: UnitOfWork) -> Learner:
        return reading.load(uow, self.catalogs, self.learner_id)

    def _today(self, uow: UnitOfWork) -> TodayView:
        base = self.catalogs.base
        return reading.today_view(uow.programme, self._load(uow), base, self.today)

    def override_step(self, step: int, by: str, why: str) -> Outcome:
        """Rule C1: set the learner's step (1-based, as people count)."""
        who, reason = check_text("by", by, 120), check_text("reason", why, 500)
        with self.uow(write=True) as uow:
            learner = self._load(uow)
            state = learner.record.state
            decision = override_rung(learner.rungs, state, step - 1, self.today, who, reason)
            uow.programme.add_decision(learner.id, self.today, "override", decision, state.rung)
            detail = {"from": state.rung + 1, "to": step}
            uow.programme.add_change(learner.id, who, "step", detail, reason)
            return Outcome(decision, learner.rungs, state.rung, self._today(uow))

    def adjust_policy(self, changes: dict[str, Any], by: str, why: str) -> Policy:
        """Change some of this learner's thresholds; unknown names and bad values refused."""
        who, reason = check_text("by", by, 120), check_text("reason", why, 500)
        with self.uow(write=True) as uow:
            learner = self._load(uow)
            before = learner.policy
            after = before.adjusted(**changes)
            diff = {
                name: [getattr(before, name), getattr(after, name)]
                for name in changes
                if getattr(before, name) != getattr(after, name)
            }
            if diff:
                uow.programme.set_policy(learner.id, policy_changes(after))
                uow.programme.add_change(learner.id, who, "policy", diff, reason)
            return after

    def assign_ladder(self, ladder_id: str, by: str, why: str) -> Outcome:
        """Move the learner to another ladder, on the same exercise if it has it, else step 1."""
        who, reason = check_text("by", by, 120), check_text("reason", why, 500)
        with self.uow(write=True) as uow:
            learner = self._load(uow)
            catalog = self.catalogs.of(uow, learner.record.clinic_id)
            ladder = catalog.ladder(ladder_id)
            rungs = rungs_for(ladder, catalog)
            state = learner.record.state
            current = learner.rungs[state.rung].exercise_id
            ids = [r.exercise_id for r in rungs]
            target = ids.index(current) if current in ids else 0
            moved = replace(state, rung=min(state.rung, len(rungs) - 1))
            decision = override_rung(rungs, moved, target, self.today, who, reason)
            decision = replace(decision, state=replace(decision.state, since=self.today))
            detail = {"from": learner.record.ladder_id, "to": ladder.id, "step": target + 1}
            uow.programme.set_ladder(learner.id, ladder.id)
            uow.programme.add_decision(learner.id, self.today, "override", decision, None)
            uow.programme.add_change(learner.id, who, "ladder", detail, reason)
            return Outcome(decision, rungs, target, self._today(uow))

    def add_note(self, author: str, body: str) -> None:
        who, text = check_text("author", author, 80), check_text("note", body, 4000)
        with self.uow(write=True) as uow:
            uow.programme.add_note(self._load(uow).id, who, text)

    def record(self) -> ClinicalRecord:
        """Notes, changes and the learner's thresholds, for the clinician's page."""
        with self.uow() as uow:
            return reading.clinical_record(uow.programme, self._load(uow), self.today)

    def ask(self, measure: str, by: str) -> OutcomesView:
        """Ask the learner to fill in a questionnaire: it shows as due on their today page
        until they do."""
        wanted, who = parse_measure(measure), check_text("by", by, 120)
        with self.uow(write=True) as uow:
            learner = self._load(uow)
            uow.programme.add_questionnaire(learner.id, wanted.value, self.today, asked_by=who)
            records = uow.programme.questionnaires(learner.id)
            return outcomes_view(records, learner.record.started_on, self.today)
