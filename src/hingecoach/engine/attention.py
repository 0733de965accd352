"""Who needs a clinician first: the alerts of one learner, most urgent kind first.

The order is the clinic's triage: an emergency stop, an urgent stop, nerve signs, red again
after stepping back (or a long flare: P4), a recent step back, a review the learner's own
record asks for (S-C flags, no improvement S-C2, severe pain P6, burning that never fades
SX6), and last a learner stuck on one step. Windows come from the learner's Policy
(`regress_window_days`, `stuck_days`) [D].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hingecoach.engine.model import Action, Urgency
from hingecoach.engine.policy import Policy
from hingecoach.engine.progression import ProgrammeStatus, Standing
from hingecoach.engine.texts import days
from hingecoach.language import _

__all__ = ["FLAGGED", "Alert", "AlertKind", "DecisionNote", "alerts"]


class AlertKind(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    NERVE = "nerve"
    RED_TWICE = "red_twice"
    STEPPING_BACK = "stepping_back"
    REVIEW = "review"
    STUCK = "stuck"


# Kinds that mean "flagged": stopped, or a clinician's review asked for.
FLAGGED = frozenset(
    {AlertKind.EMERGENCY, AlertKind.URGENT, AlertKind.NERVE, AlertKind.RED_TWICE, AlertKind.REVIEW}
)
_RANK = {kind: n for n, kind in enumerate(AlertKind)}


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    reason: str
    day: date

    @property
    def rank(self) -> int:
        return _RANK[self.kind]


@dataclass(frozen=True)
class DecisionNote:
    """What the alerts read of one recorded decision."""

    day: date
    action: Action
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


def _stop_alert(status: ProgrammeStatus, today: date) -> Alert | None:
    day = status.since or today
    if status.standing is Standing.STOPPED:
        if status.urgency is Urgency.EMERGENCY:
            return Alert(AlertKind.EMERGENCY, status.reason, day)
        if status.urgency is Urgency.URGENT:
            return Alert(AlertKind.URGENT, status.reason, day)
        return Alert(AlertKind.NERVE, status.reason, day)
    if status.standing is Standing.RESTRICTED:
        return Alert(AlertKind.REVIEW, f"{status.reason} {status.advice}".strip(), day)
    return None


def _recent(decisions: Sequence[DecisionNote], today: date, policy: Policy) -> list[DecisionNote]:
    start = today - timedelta(days=policy.regress_window_days)
    return [d for d in decisions if d.day >= start]


def _decision_alerts(decisions: Sequence[DecisionNote], today: date, policy: Policy) -> list[Alert]:
    found: list[Alert] = []
    for d in _recent(decisions, today, policy):
        text = " ".join(d.reasons)
        if "P4" in d.rules:
            found.append(Alert(AlertKind.RED_TWICE, text, d.day))
        elif d.action is Action.REGRESS:
            window = days(policy.regress_window_days)
            said = _("Stepped back in the last {days}: {reasons}").format(days=window, reasons=text)
            found.append(Alert(AlertKind.STEPPING_BACK, said, d.day))
        if {"P6", "SX6"} & set(d.rules):
            found.append(Alert(AlertKind.REVIEW, text, d.day))
    return found


def _stuck(
    on_step_since: date | None, session_days: Sequence[date], today: date, policy: Policy
) -> Alert | None:
    if on_step_since is None:
        return None
    here = {d for d in session_days if d >= on_step_since}
    if (today - on_step_since).days < policy.stuck_days or len(here) < 2:
        return None
    return Alert(
        AlertKind.STUCK,
        _(
            "On the same step for {days} (stuck from {stuck}), with {sessions} session days there."
        ).format(
            days=days((today - on_step_since).days),
            stuck=days(policy.stuck_days),
            sessions=len(here),
        ),
        on_step_since,
    )


def alerts(
    status: ProgrammeStatus,
    decisions: Sequence[DecisionNote],
    on_step_since: date | None,
    session_days: Sequence[date],
    today: date,
    policy: Policy,
) -> tuple[Alert, ...]:
    """Every alert of one learner, most urgent first; one per kind (the latest)."""
    found = [a for a in (_stop_alert(status, today),) if a is not None]
    found += _decision_alerts(decisions, today, policy)
    stuck = _stuck(on_step_since, session_days, today, policy)
    if stuck is not None:
        found.append(stuck)
    latest: dict[AlertKind, Alert] = {}
    for alert in found:
        if alert.kind not in latest or alert.day >= latest[alert.kind].day:
            latest[alert.kind] = alert
    return tuple(sorted(latest.values(), key=lambda a: a.rank))
