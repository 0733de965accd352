"""The clinician's pages as JSON: who needs them first, every learner at a glance, one
learner's record, invites and the clinic's ladders.

What a clinician reads is in words here, beside the raw values the API keeps: each change
as a sentence ("Pain-during limit 5 → 4, by Dr Lee, 30 Nov 2026 14:16 UTC: flares easily"),
each threshold with its label, unit, allowed range and help (engine/policy_fields.py), and
counts with their plurals right. All of it in the reader's language (language.py
`_`): the English here is each message's id, its Spanish in locale/es/LC_MESSAGES/clinic.po."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any, Self

from babel.dates import format_date

from hingecoach.adapters.db.records import ChangeRecord, FormCheckRecord
from hingecoach.catalog import Catalog, Exercise, Ladder
from hingecoach.catalog.model import Dose
from hingecoach.engine.attention import FLAGGED, Alert, AlertKind
from hingecoach.engine.policy import DEFAULT_POLICY, Policy
from hingecoach.engine.policy_fields import POLICY_FIELDS, FieldInfo
from hingecoach.engine.texts import num, shown
from hingecoach.language import _, current_language, ngettext
from hingecoach.schemas.base import Public
from hingecoach.schemas.catalog import ExerciseSummary, LadderPublic
from hingecoach.schemas.outcomes import OutcomesPublic
from hingecoach.schemas.pages import AdherencePublic, HistoryPage
from hingecoach.schemas.programme import LadderRef, TodayPublic
from hingecoach.schemas.video import FormCheckPublic
from hingecoach.services.results import ClinicalRecord, StatusView
from hingecoach.services.roster import RosterRow, learner_alerts

__all__ = [
    "ALERT_TITLES",
    "AlertPublic",
    "AttentionPublic",
    "ClinicLadders",
    "ExerciseDose",
    "InvitePublic",
    "LearnerRecordPage",
    "PolicySet",
    "RosterPage",
    "Saved",
    "change_words",
    "dose_words",
    "ladder_names",
    "what_changed",
    "when_words",
]

# English, as the API's ids; shown through `_` (AlertPublic.of).
ALERT_TITLES = {
    AlertKind.EMERGENCY: "Emergency stop",
    AlertKind.URGENT: "Urgent stop",
    AlertKind.NERVE: "Nerve signs: stopped",
    AlertKind.RED_TWICE: "Red again after stepping back",
    AlertKind.STEPPING_BACK: "Stepping back",
    AlertKind.REVIEW: "Review needed",
    AlertKind.STUCK: "Stuck on one step",
}


class AlertPublic(Public):
    kind: str
    title: str
    reason: str
    date: date

    @classmethod
    def of(cls, alert: Alert) -> Self:
        return cls(
            kind=alert.kind.value,
            title=_(ALERT_TITLES[alert.kind]),
            reason=alert.reason,
            date=alert.day,
        )


class AttentionPublic(AlertPublic):
    learner_id: int
    name: str
    url: str


class RosterRowPublic(Public):
    learner_id: int
    name: str
    ladder: str
    step: int
    steps: int
    exercise: str
    last_session: date | None
    adherence: AdherencePublic
    urgency: str
    stopped: bool
    stuck: bool
    regressing: bool
    alerts: list[AlertPublic]
    url: str

    @classmethod
    def of(cls, r: RosterRow) -> Self:
        return cls(
            learner_id=r.learner_id,
            name=r.name,
            ladder=shown(r.ladder),
            step=r.step,
            steps=r.steps,
            exercise=shown(r.exercise),
            last_session=r.last_session,
            adherence=AdherencePublic(
                done=r.adherence.done,
                expected=r.adherence.expected,
                ratio=round(r.adherence.ratio, 2),
            ),
            urgency=r.urgency.value,
            stopped=r.stopped,
            stuck=r.stuck,
            regressing=r.regressing,
            alerts=[AlertPublic.of(a) for a in r.alerts],
            url=f"/clinic/learners/{r.learner_id}",
        )


class Counts(Public):
    learners: int
    flagged: int  # stopped, or a clinician's review asked for
    stopped: int
    stuck: int
    regressing: int


def _summary(c: Counts) -> str:
    """'1 learner · 0 flagged · ...': the counts as the roster's first line reads them."""
    return " · ".join(
        ngettext(one, many, n) % {"n": n}
        for one, many, n in (
            ("%(n)s learner", "%(n)s learners", c.learners),
            ("%(n)s flagged", "%(n)s flagged", c.flagged),
            ("%(n)s stopped", "%(n)s stopped", c.stopped),
            ("%(n)s stuck", "%(n)s stuck", c.stuck),
            ("%(n)s stepping back", "%(n)s stepping back", c.regressing),
        )
    )


class RosterPage(Public):
    clinic: str | None
    attention: list[AttentionPublic]
    learners: list[RosterRowPublic]
    counts: Counts
    summary: str  # the counts in words, plurals right
    all_clinics: bool

    @classmethod
    def of(cls, clinic: str | None, rows: list[RosterRow], all_clinics: bool) -> Self:
        first = sorted(
            ((r, r.alerts[0]) for r in rows if r.alerts), key=lambda p: (p[1].rank, p[1].day)
        )
        counts = Counts(
            learners=len(rows),
            flagged=sum(1 for r in rows if any(a.kind in FLAGGED for a in r.alerts)),
            stopped=sum(1 for r in rows if r.stopped),
            stuck=sum(1 for r in rows if r.stuck),
            regressing=sum(1 for r in rows if r.regressing),
        )
        return cls(
            clinic=clinic,
            attention=[
                AttentionPublic(
                    **AlertPublic.of(alert).model_dump(),
                    learner_id=r.learner_id,
                    name=r.name,
                    url=f"/clinic/learners/{r.learner_id}",
                )
                for r, alert in first
            ],
            learners=[RosterRowPublic.of(r) for r in rows],
            counts=counts,
            summary=_summary(counts),
            all_clinics=all_clinics,
        )


class NotePublic(Public):
    author: str
    body: str
    at: str


class ChangePublic(Public):
    by: str
    kind: str
    detail: dict[str, Any]  # what changed: {field: [before, after]}, or {from, to}
    reason: str
    at: str
    words: str  # the change as a sentence: what, by whom, when, why


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when_words(at: datetime) -> str:
    """'30 Nov 2026 14:16 UTC': a date no reader takes the wrong way round, at the time the
    server keeps (UTC; the clinic has no time zone of its own yet); the month in the
    reader's language ('30 nov 2026 14:16 UTC')."""
    at = at.astimezone(UTC) if at.tzinfo else at
    language = current_language()
    if language == "en":
        day = f"{at.day} {_MONTHS[at.month - 1]} {at.year}"
    else:
        day = format_date(at.date(), "d MMM y", locale=language)
    return f"{day} {at:%H:%M} UTC"


def _value(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return num(value)
    return repr(value) if isinstance(value, str) else str(value)


def _label(name: str) -> str:
    info = POLICY_FIELDS.get(name)
    return _(info.label) if info else name.replace("_", " ").capitalize()


def what_changed(kind: str, detail: Mapping[str, Any], ladders: Mapping[str, str]) -> str:
    """What changed (services/care.py writes it): {from, to} of a step, {from, to, step} of a
    ladder, {field: [before, after]} of thresholds."""
    if kind == "step" and {"from", "to"} <= set(detail):
        return _("Step %(from)s → %(to)s") % {"from": detail["from"], "to": detail["to"]}
    if kind == "ladder" and {"from", "to"} <= set(detail):
        moved = {
            "from": ladders.get(detail["from"], detail["from"]),
            "to": ladders.get(detail["to"], detail["to"]),
        }
        if "step" in detail:
            return _("Ladder %(from)s → %(to)s, on step %(step)s") % (
                moved | {"step": detail["step"]}
            )
        return _("Ladder %(from)s → %(to)s") % moved
    return (
        "; ".join(
            f"{_label(name)} {_value(pair[0])} → {_value(pair[1])}"
            if isinstance(pair, list) and len(pair) == 2
            else f"{_label(name)}: {_value(pair)}"
            for name, pair in detail.items()
        )
        or _(kind.capitalize())  # "Step", "Ladder", "Policy"
    )


def change_words(change: ChangeRecord, ladders: Mapping[str, str] | None = None) -> str:
    """'Pain-during limit 5 → 4, by Dr Lee, 30 Nov 2026 14:16 UTC: flares easily'; a ladder
    by its name where `ladders` (id -> name) knows it, else by its id."""
    said = {
        "what": what_changed(change.kind, change.detail, ladders or {}),
        "by": change.by,
        "when": when_words(change.created_at),
    }
    if change.reason:
        return _("%(what)s, by %(by)s, %(when)s: %(why)s") % (said | {"why": change.reason})
    return _("%(what)s, by %(by)s, %(when)s") % said


class PolicyValue(Public):
    field: str
    value: float | int
    adjusted: bool
    default: float | int
    label: str
    unit: str
    min: float | None
    max: float | None
    allowed: str  # the range in words: "0 or more", "0-10"
    help: str
    rule: str | None  # the rule id (docs/rules.md); None for the clinic's own view

    @classmethod
    def of(cls, policy: Policy, name: str, adjusted: bool) -> Self:
        info = POLICY_FIELDS[name]
        return cls(
            field=name,
            value=getattr(policy, name),
            adjusted=adjusted,
            default=getattr(DEFAULT_POLICY, name),
            label=_(info.label),
            unit=_(info.unit),
            min=info.low,
            max=info.high,
            allowed=_allowed(info),
            help=_(info.help),
            rule=info.rule,
        )


def _allowed(info: FieldInfo) -> str:
    """`info.allowed` in the reader's language: '0 or more'; a range ('0-10') is numbers."""
    if info.low is not None and info.high is None:
        return _("%(low)s or more") % {"low": num(info.low)}
    return info.allowed


def _numbers(policy: Policy) -> list[str]:
    """The thresholds a clinician sets with a number: the form's. The help lines and
    numbers to call are text, set per country."""
    return [
        f.name
        for f in fields(policy)
        if isinstance(getattr(policy, f.name), (int, float))
        and not isinstance(getattr(policy, f.name), bool)
    ]


class RecordPublic(Public):
    notes: list[NotePublic]
    changes: list[ChangePublic]
    policy: list[PolicyValue]

    @classmethod
    def of(cls, record: ClinicalRecord, ladders: Mapping[str, str] | None = None) -> Self:
        """`ladders` (id -> name) puts ladder changes by name."""
        return cls(
            notes=[
                NotePublic(
                    author=n.author, body=n.body, at=n.created_at.isoformat(timespec="minutes")
                )
                for n in record.notes
            ],
            changes=[
                ChangePublic(
                    by=c.by,
                    kind=c.kind,
                    detail=c.detail,
                    reason=c.reason,
                    at=c.created_at.isoformat(timespec="minutes"),
                    words=change_words(c, ladders),
                )
                for c in record.changes
            ],
            policy=[
                PolicyValue.of(record.policy, name, name in record.adjusted)
                for name in _numbers(record.policy)
            ],
        )


class StepChoice(Public):
    step: int
    name: str


class LearnerRecordPage(HistoryPage):
    learner_id: int
    alerts: list[AlertPublic]
    today_date: date
    today: TodayPublic
    record: RecordPublic
    ladders: list[LadderRef]
    rungs: list[StepChoice]
    form_checks: list[FormCheckPublic]  # newest first; each links to its review page
    outcomes: OutcomesPublic | None  # questionnaire scores over time, what is due

    @classmethod
    def record_page(
        cls,
        learner_id: int,
        status: StatusView,
        record: ClinicalRecord,
        catalog: Catalog,
        today: date,
        checks: Sequence[FormCheckRecord] = (),
    ) -> Self:
        history = HistoryPage.page(status, today, f"/clinic/learners/{learner_id}")
        return cls(
            **history.model_dump(),
            learner_id=learner_id,
            alerts=[AlertPublic.of(a) for a in learner_alerts(status, today)],
            today_date=today,
            today=TodayPublic.of(status.today),
            record=RecordPublic.of(record, ladder_names(catalog, status)),
            ladders=[
                LadderRef(id=lad.id, name=shown(lad.name)) for lad in catalog.ladders.values()
            ],
            rungs=[
                StepChoice(step=n, name=shown(r.name))
                for n, r in enumerate(status.today.rungs, start=1)
            ],
            form_checks=[
                FormCheckPublic.of(c, f"/api/v1/clinic/learners/{learner_id}/form-checks/{c.id}")
                for c in checks
            ],
            outcomes=OutcomesPublic.of(record.outcomes) if record.outcomes else None,
        )


def ladder_names(catalog: Catalog, status: StatusView) -> dict[str, str]:
    """Ladder ids to names: the catalog's, and the learner's own ladder (a clinic's custom
    ladder the catalog may not hold); any other shows by its id."""
    names = {lad.id: shown(lad.name) for lad in catalog.ladders.values()}
    return names | {status.today.ladder.id: shown(status.today.ladder.name)}


class InvitePublic(Public):
    code: str
    role: str
    clinic: str
    expires: date
    link: str


class PolicySet(Public):
    field: str
    value: float | int


class Saved(Public):
    saved: bool


class CustomLadder(LadderPublic):
    toml: str
    size: str  # "1 step", "6 steps"

    @classmethod
    def with_text(cls, ladder: Ladder, catalog: Catalog, text: str) -> Self:
        public = LadderPublic.of(ladder, catalog)
        size = ngettext("%(n)s step", "%(n)s steps", len(ladder.steps))
        return cls(**public.model_dump(), toml=text, size=size % {"n": len(ladder.steps)})


def _span(pair: tuple[int, int], one: str, many: str) -> str:
    """(2, 3) 'set' -> '2-3 sets'; (1, 1) 'set' -> '1 set': the plural the high end's."""
    low, high = pair
    return ngettext(one, many, high) % {"n": high if low == high else f"{low}-{high}"}


def dose_words(dose: Dose) -> str:
    """An exercise's catalog dose: '2-3 sets of 30-60 s or 8-12 reps, 60 s rest'."""
    parts = []
    if dose.seconds is not None:
        low, high = dose.seconds
        parts.append(f"{low} s" if low == high else f"{low}-{high} s")
    if dose.reps is not None:
        parts.append(_span(dose.reps, "%(n)s rep", "%(n)s reps"))
    work = (
        _("%(a)s or %(b)s") % {"a": parts[0], "b": parts[1]} if len(parts) == 2 else "".join(parts)
    )
    return _("%(sets)s of %(work)s, %(rest)s s rest") % {
        "sets": _span(dose.sets, "%(n)s set", "%(n)s sets"),
        "work": work,
        "rest": dose.rest_seconds,
    }


class ExerciseDose(ExerciseSummary):
    dose: str  # the catalog's dose: a ladder step takes its exercise's dose

    @classmethod
    def with_dose(cls, ex: Exercise) -> Self:
        return cls(**ExerciseSummary.of(ex).model_dump(), dose=dose_words(ex.dose))


class ClinicLadders(Public):
    custom: list[CustomLadder]
    builtin: list[LadderPublic]
    exercises: list[ExerciseDose]
    example: str

    @classmethod
    def of(cls, custom: list[tuple[Ladder, str]], catalog: Catalog, example: str) -> Self:
        return cls(
            custom=[CustomLadder.with_text(lad, catalog, text) for lad, text in custom],
            builtin=[LadderPublic.of(lad, catalog) for lad in catalog.ladders.values()],
            exercises=[ExerciseDose.with_dose(ex) for ex in catalog.exercises.values()],
            example=example,
        )
