"""The PDF progress report (issue 13): the clinician's copy of one learner's, and the
learner's own. Both are built from what the history page reads (the learner's status),
the clinician's with their notes and changes besides, and drawn by adapters/report_pdf.py.

The learner's copy is in plain words: no rule ids, which mean something only beside the
rule book the clinician reads, and no clinicians' notes, which are the clinic's record (the
learner's own data export leaves them out too). Building one is matplotlib and fpdf2 work,
about half a second for a month of sessions and a second for six months (16 pages), so the
routes are plain `def`: FastAPI runs them in its thread pool, off the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from hingecoach.adapters.db.records import ChangeRecord, DecisionRecord
from hingecoach.adapters.report_pdf import (
    Chart,
    Entry,
    Fact,
    OutcomeScore,
    ProgressReport,
    SessionRow,
    long_date,
    report_pdf,
)
from hingecoach.engine.model import Session
from hingecoach.engine.outcomes import meaningful_change
from hingecoach.engine.progression import Standing
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.errors import StateError
from hingecoach.schemas.clinic import ALERT_TITLES, ladder_names, what_changed
from hingecoach.schemas.errors import file_answer
from hingecoach.schemas.outcomes import OutcomesPublic
from hingecoach.services.accounts import Role
from hingecoach.services.outcomes import OutcomesView
from hingecoach.services.results import ClinicalRecord, StatusView
from hingecoach.services.roster import learner_alerts, status_adherence
from hingecoach.web.clinic import CaredFor
from hingecoach.web.context import CurrentUser, Web
from hingecoach.web.learner import chart_figure

__all__ = ["clinician_report", "learner_report", "router"]

router = APIRouter()
TAGS: list[Any] = ["reports"]

# The history page's words for a decision (templates/history_body.html).
_ACTIONS = {
    "progress": "moved up a step",
    "hold": "stayed on the step",
    "regress": "stepped back",
    "refer": "see a clinician",
    "stop": "stopped: see a clinician",
}
_TRIGGERS = {
    "session": "a session",
    "checkin": "a morning check-in",
    "screen": "a safety check",
    "video": "a form check",
    "start": "the first questions",
    "clearance": "a clinician's clearance",
    "override": "a clinician's change",
}
# A rule id in brackets at the end of a reason, "(P2)", "(D2-D5)", "(rule S-C2)": the
# learner's copy drops it and keeps the sentence.
_ID = r"(?:[A-Z]-)?[A-Z]{1,2}\d{1,2}"
_RULE_NOTE = re.compile(rf"\s*\((?:rules?\s+)?{_ID}(?:\s*(?:-|–|,|and|/)\s*{_ID})*\)")
# A rise in pain this large is marked, as a fall of 2 points or 30 % is (rule O1, Ostelo 2008).
_PAIN_IMPORTANT = 2
_TABLE_WEEKS = 8  # sessions listed one by one: the calendar's weeks; the pain chart has all


def _plain(text: str) -> str:
    return _RULE_NOTE.sub("", text)


def _same(r: DecisionRecord) -> tuple[object, ...]:
    return (r.action, r.rung_after, r.rules, r.reasons)


def _decision(group: Sequence[DecisionRecord], clinician: bool) -> Entry:
    """One decision, or a run of the same decision (the same action, step and reasons),
    which a printed page says once: a learner's "waiting for the next-morning check-in"
    follows nearly every session."""
    r, last = group[0], group[-1]
    what = _ACTIONS.get(r.action, r.action)
    now = f", now step {r.rung_after + 1}" if r.rung_after is not None else ""
    if len(group) == 1:
        what += f" (after {_TRIGGERS.get(r.trigger, r.trigger)}{now})"
    else:
        what += f"{now}: {len(group)} times, the last on {long_date(last.day)}"
    reasons = r.reasons if clinician else tuple(_plain(x) for x in r.reasons)
    return Entry(r.day, what, reasons, ", ".join(r.rules) if clinician else "")


def _decisions(decisions: Sequence[DecisionRecord], clinician: bool) -> tuple[Entry, ...]:
    groups: list[list[DecisionRecord]] = []
    for r in decisions:
        if groups and _same(groups[-1][-1]) == _same(r):
            groups[-1].append(r)
        else:
            groups.append([r])
    return tuple(_decision(g, clinician) for g in groups)


def _step_changes(decisions: Sequence[DecisionRecord]) -> tuple[Entry, ...]:
    changes = []
    for r in decisions:
        if r.rung_after is None or r.rung_after == r.rung_before:
            continue
        if r.rung_before is None:
            changes.append(Entry(r.day, f"began on step {r.rung_after + 1}"))
        else:
            changes.append(Entry(r.day, f"step {r.rung_before + 1} → {r.rung_after + 1}"))
    return tuple(changes)


def _latest_pain(status: StatusView) -> tuple[date, int, str] | None:
    """The latest pain at rest, the nearest to the 'pain now' asked at the start: a morning
    check-in's, or the pain before a session."""
    found = [(d, p, "morning check-in") for d, p in status.mornings]
    found += [(s.day, s.pain_before, "before a session") for s in status.sessions]
    return max(found, key=lambda f: f[0], default=None)


def _pain_change(baseline: int, latest: int) -> Fact:
    if latest == baseline:
        return Fact("Change", "none since the start")
    points = abs(latest - baseline)
    size = f"{points} point{'' if points == 1 else 's'}"
    if latest < baseline:
        important = meaningful_change("NPRS", float(baseline), float(latest)) == "meaningful"
        share = f"{round(100 * (baseline - latest) / baseline)} %"
        return Fact("Change", f"down {size}, {share}: better", important)
    return Fact("Change", f"up {size}: worse", points >= _PAIN_IMPORTANT)


def _pain(status: StatusView, started: date) -> tuple[Fact, ...]:
    baseline = status.onboarding_pain
    facts = [Fact("At the start", f"{baseline}/10 on {long_date(started)}")]
    latest = _latest_pain(status)
    if latest is None:
        return (*facts, Fact("Latest", "none logged yet"))
    day, pain, where = latest
    facts.append(Fact("Latest", f"{pain}/10 on {long_date(day)} ({where})"))
    facts.append(_pain_change(baseline, pain))
    facts.append(
        Fact("Important change", "2 points, or 30 % of the pain at the start: one people notice")
    )
    return tuple(facts)


def _charts(status: StatusView, today: date) -> tuple[Chart, Chart, Chart]:
    """The history page's three charts (web/learner.py chart_figure)."""
    pain = chart_figure(status, "pain", today)
    calendar = chart_figure(status, "calendar", today)
    # Printed in DejaVu Sans, wider than a browser's usual sans-serif, the weekday names
    # at 12 pt run into each other: 9 pt fits them in their columns.
    calendar.axes[0].tick_params(axis="x", labelsize=9)
    return (
        Chart.of(
            chart_figure(status, "steps", today),
            "Step on the ladder",
            "The step on the ladder over time.",
        ),
        Chart.of(
            pain,
            "Pain",
            "Pain during and after each session and the next morning; the dotted line is "
            "the pain at the start; the shaded band is above 5.",
        ),
        Chart.of(
            calendar,
            "Sessions, last 8 weeks",
            "A filled square for each day with a session.",
        ),
    )


def _summary(status: StatusView, started: date, clinician: bool) -> tuple[Fact, ...]:
    view = status.today
    here = view.state.rung
    programme = view.status
    standing = "running"
    if programme.standing is not Standing.RUNNING:
        reason = programme.reason if clinician else _plain(programme.reason)
        standing = f"{programme.standing.value}: {reason} {programme.advice}".strip()
    last = status.sessions[-1].day if status.sessions else None
    logged = f"{len(status.sessions)}" + (f", the last on {long_date(last)}" if last else "")
    return (
        Fact("Ladder", view.ladder.name),
        Fact("Step", f"{here + 1} of {len(view.rungs)}: {view.rungs[here].name}"),
        Fact("Programme", standing),
        Fact("Started", long_date(started)),
        Fact("Sessions logged", logged),
    )


def _recent(status: StatusView, today: date) -> list[Session]:
    first = today - timedelta(weeks=_TABLE_WEEKS) + timedelta(days=1)
    return [s for s in status.sessions if s.day >= first]


def _sessions(status: StatusView, today: date) -> tuple[SessionRow, ...]:
    return tuple(
        SessionRow(s.day, s.rung + 1, s.pain_before, s.pain_during, s.pain_after)
        for s in _recent(status, today)
    )


def _sessions_note(status: StatusView, today: date) -> str:
    shown, every = len(_recent(status, today)), len(status.sessions)
    if shown == every:
        return ""
    return (
        f"The last {_TABLE_WEEKS} weeks: {shown} of {every} sessions; the chart above has them all."
    )


def _flags(status: StatusView, today: date, clinician: bool) -> tuple[Entry, ...]:
    alerts = learner_alerts(status, today)
    return tuple(
        Entry(a.day, ALERT_TITLES[a.kind], (a.reason if clinician else _plain(a.reason),))
        for a in alerts
    )


def _report(
    status: StatusView,
    today: date,
    record: ClinicalRecord | None,
    outcomes: Sequence[OutcomeScore],
    ladders: Mapping[str, str] | None = None,
) -> ProgressReport:
    clinician = record is not None
    started = status.decisions[0].day if status.decisions else today
    done = status_adherence(status, today)
    steps, pain, calendar = _charts(status, today)
    return ProgressReport(
        name=status.today.learner,
        made=today,
        for_clinician=clinician,
        summary=_summary(status, started, clinician),
        steps_chart=steps,
        step_changes=_step_changes(status.decisions),
        pain=_pain(status, started),
        pain_chart=pain,
        sessions=_sessions(status, today),
        sessions_note=_sessions_note(status, today),
        adherence=f"{done.done} of {done.expected} expected sessions in the last 14 days "
        f"({round(100 * done.ratio)} %).",
        calendar=calendar,
        outcomes=tuple(outcomes),
        flags=_flags(status, today, clinician),
        decisions=_decisions(status.decisions, clinician),
        notes=tuple(Entry(n.created_at.date(), n.author, (n.body,)) for n in record.notes)
        if record
        else (),
        changes=tuple(_change(c, ladders or {}) for c in record.changes) if record else (),
        about=f"Made by HingeCoach from what was logged in it. {DISCLAIMER}",
    )


def _change(c: ChangeRecord, ladders: Mapping[str, str]) -> Entry:
    """A clinician's change in the words the learner record uses (schemas/clinic.py)."""
    said = f"{what_changed(c.kind, c.detail, ladders)}, by {c.by}"
    return Entry(c.created_at.date(), said, (c.reason,))


def outcome_scores(view: OutcomesView) -> list[OutcomeScore]:
    """Each questionnaire's first and latest score, the latest's change against the first
    marked when important (rule O6), worded as the questionnaire pages word them."""
    found = []
    for series in OutcomesPublic.of(view).series:
        first, latest = series.points[0], series.points[-1]
        change = latest.change_words if len(series.points) > 1 else "only one so far"
        name = f"{series.name} ({series.short})"
        found.append(OutcomeScore(name, first.shown, latest.shown, change or "-", latest.important))
    return found


def learner_report(
    status: StatusView, today: date, outcomes: Sequence[OutcomeScore] = ()
) -> ProgressReport:
    """The learner's own copy, in plain words."""
    return _report(status, today, None, outcomes)


def clinician_report(
    status: StatusView,
    record: ClinicalRecord,
    today: date,
    outcomes: Sequence[OutcomeScore] = (),
    ladders: Mapping[str, str] | None = None,
) -> ProgressReport:
    """The clinician's copy: rule ids beside the reasons, their notes and changes (a
    ladder named from `ladders`, id -> name)."""
    return _report(status, today, record, outcomes, ladders)


def _pdf(report: ProgressReport, filename: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",  # a health record: no copy left in a shared cache
    }
    return Response(report_pdf(report), media_type="application/pdf", headers=headers)


@router.get(
    "/me/report.pdf",
    tags=TAGS,
    summary="My progress report, as PDF",
    response_class=Response,
    responses=file_answer("application/pdf", 401, 409),
)
def my_report(web: Web, actor: CurrentUser) -> Response:
    if actor.learner_id is None:
        raise StateError(
            "no programme yet: answer the safety questions first (/start)"
            if actor.role is Role.LEARNER
            else "no programme to report on: each learner's report is on their page (/clinic)"
        )
    today = web.today()
    coach = web.coach(actor.learner_id)
    report = learner_report(coach.status(), today, outcome_scores(coach.outcomes()))
    return _pdf(report, f"hingecoach-report-{today.isoformat()}.pdf")


@router.get(
    "/clinic/learners/{learner_id}/report.pdf",
    tags=TAGS,
    summary="A learner's progress report, as PDF",
    response_class=Response,
    responses=file_answer("application/pdf", 401, 403, 404, 422),
)
def clinic_report(web: Web, learner_id: CaredFor) -> Response:
    today = web.today()
    coach = web.coach(learner_id)
    status, record = coach.status(), web.care(learner_id).record()
    scores = outcome_scores(record.outcomes) if record.outcomes else []
    ladders = ladder_names(coach.catalog, status)
    report = clinician_report(status, record, today, scores, ladders)
    return _pdf(report, f"hingecoach-report-learner-{learner_id}-{today.isoformat()}.pdf")
