"""The PDF progress report (issue 13): the clinician's copy of one learner's, and the
learner's own. Both are built from what the history page reads (the learner's status),
the clinician's with their notes and changes besides, and drawn by adapters/report_pdf.py.

The learner's copy is in plain words: no rule ids, which mean something only beside the
rule book the clinician reads, and no clinicians' notes, which are the clinic's record (the
learner's own data export leaves them out too). Building one is matplotlib and fpdf2 work,
about half a second for a month of sessions and a second for six months (16 pages), so the
routes are plain `def`: FastAPI runs them in its thread pool, off the event loop.

Each copy is in the language of the request that asks for it (web/language.py): the learner's
in theirs, the clinician's in the clinician's. Its words, dates and numbers are said while it
is built and drawn (language.py); the engine's reasons keep the language they were
made in. The Spanish is in locale/es/LC_MESSAGES/report.po.
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
    pgettext,
    report_pdf,
)
from hingecoach.engine.model import Session
from hingecoach.engine.outcomes import meaningful_change
from hingecoach.engine.progression import Standing
from hingecoach.engine.screening import DISCLAIMER
from hingecoach.engine.texts import N_, points, shown
from hingecoach.errors import StateError
from hingecoach.language import _, ngettext
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
    "progress": N_("moved up a step"),
    "hold": N_("stayed on the step"),
    "regress": N_("stepped back"),
    "refer": N_("see a clinician"),
    "stop": N_("stopped: see a clinician"),
}
_TRIGGERS = {
    "session": N_("a session"),
    "checkin": N_("a morning check-in"),
    "screen": N_("a safety check"),
    "video": N_("a form check"),
    "start": N_("the first questions"),
    "clearance": N_("a clinician's clearance"),
    "override": N_("a clinician's change"),
}
# A rule id in brackets at the end of a reason, "(P2)", "(D2-D5)", "(rule S-C2)", "(regla
# O6)": the learner's copy drops it and keeps the sentence.
_ID = r"(?:[A-Z]-)?[A-Z]{1,2}\d{1,2}"
_RULE_NOTE = re.compile(rf"\s*\((?:(?:rules?|reglas?)\s+)?{_ID}(?:\s*(?:-|–|,|and|y|/)\s*{_ID})*\)")
# A rise in pain this large is marked, as a fall of 2 points or 30 % is (rule O1, Ostelo 2008).
_PAIN_IMPORTANT = 2
_TABLE_WEEKS = 8  # sessions listed one by one: the calendar's weeks; the pain chart has all


def _plain(text: str) -> str:
    return _RULE_NOTE.sub("", text)


def _same(r: DecisionRecord) -> tuple[object, ...]:
    return (r.action, r.rung_after, r.rules, r.reasons)


def _said(table: Mapping[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


def _headline(group: Sequence[DecisionRecord]) -> str:
    """'moved up a step (after a session, now step 3)'; a run: 'stayed on the step, now
    step 2: 3 times, the last on 4 Mar 2026'."""
    r = group[0]
    what, step = _said(_ACTIONS, r.action), r.rung_after
    if len(group) == 1:
        after = _said(_TRIGGERS, r.trigger)
        if step is None:
            return _("{what} (after {trigger})").format(what=what, trigger=after)
        said = _("{what} (after {trigger}, now step {step})")
        return said.format(what=what, trigger=after, step=step + 1)
    last = long_date(group[-1].day)
    if step is None:
        run = ngettext(
            "{what}: {n} time, the last on {day}",
            "{what}: {n} times, the last on {day}",
            len(group),
        )
        return run.format(what=what, n=len(group), day=last)
    run = ngettext(
        "{what}, now step {step}: {n} time, the last on {day}",
        "{what}, now step {step}: {n} times, the last on {day}",
        len(group),
    )
    return run.format(what=what, step=step + 1, n=len(group), day=last)


def _decision(group: Sequence[DecisionRecord], clinician: bool) -> Entry:
    """One decision, or a run of the same decision (the same action, step and reasons),
    which a printed page says once: a learner's "waiting for the next-morning check-in"
    follows nearly every session."""
    r = group[0]
    reasons = r.reasons if clinician else tuple(_plain(x) for x in r.reasons)
    return Entry(r.day, _headline(group), reasons, ", ".join(r.rules) if clinician else "")


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
            said = _("began on step {step}").format(step=r.rung_after + 1)
        else:
            said = _("step {before} → {after}").format(
                before=r.rung_before + 1, after=r.rung_after + 1
            )
        changes.append(Entry(r.day, said))
    return tuple(changes)


def _latest_pain(status: StatusView) -> tuple[date, int, str] | None:
    """The latest pain at rest, the nearest to the 'pain now' asked at the start: a morning
    check-in's, or the pain before a session."""
    found = [(d, p, _("morning check-in")) for d, p in status.mornings]
    found += [(s.day, s.pain_before, _("before a session")) for s in status.sessions]
    return max(found, key=lambda f: f[0], default=None)


def _pain_change(baseline: int, latest: int) -> Fact:
    change = pgettext("noun", "Change")
    if latest == baseline:
        return Fact(change, _("none since the start"))
    size = points(abs(latest - baseline))
    if latest < baseline:
        important = meaningful_change("NPRS", float(baseline), float(latest)) == "meaningful"
        share = round(100 * (baseline - latest) / baseline)
        said = _("down {points}, {percent} %: better").format(points=size, percent=share)
        return Fact(change, said, important)
    worse = _("up {points}: worse").format(points=size)
    return Fact(change, worse, abs(latest - baseline) >= _PAIN_IMPORTANT)


def _pain(status: StatusView, started: date) -> tuple[Fact, ...]:
    baseline = status.onboarding_pain
    at_start = _("{pain}/10 on {day}").format(pain=baseline, day=long_date(started))
    facts = [Fact(_("At the start"), at_start)]
    latest = _latest_pain(status)
    if latest is None:
        return (*facts, Fact(_("Latest"), _("none logged yet")))
    day, pain, where = latest
    said = _("{pain}/10 on {day} ({where})").format(pain=pain, day=long_date(day), where=where)
    facts.append(Fact(_("Latest"), said))
    facts.append(_pain_change(baseline, pain))
    facts.append(
        Fact(
            _("Important change"),
            _("2 points, or 30 % of the pain at the start: one people notice"),
        )
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
            _("Step on the ladder"),
            _("The step on the ladder over time."),
        ),
        Chart.of(
            pain,
            _("Pain"),
            _(
                "Pain during and after each session and the next morning; the dotted line is "
                "the pain at the start; the shaded band is above 5."
            ),
        ),
        Chart.of(
            calendar,
            _("Sessions, last 8 weeks"),
            _("A filled square for each day with a session."),
        ),
    )


def _standing_word(standing: Standing) -> str:
    """The programme's standing in a word; "stopped" of a programme, not of a form check."""
    return {
        Standing.RUNNING: pgettext("programme", "running"),
        Standing.RESTRICTED: pgettext("programme", "restricted"),
        Standing.STOPPED: pgettext("programme", "stopped"),
    }[standing]


def _standing(status: StatusView, clinician: bool) -> str:
    """'running', or 'stopped: why. What to do.' (the programme, in the copy's words)."""
    programme = status.today.status
    said = _standing_word(programme.standing)
    if programme.standing is Standing.RUNNING:
        return said
    reason = programme.reason if clinician else _plain(programme.reason)
    return f"{said}: {reason} {programme.advice}".strip()


def _summary(status: StatusView, started: date, clinician: bool) -> tuple[Fact, ...]:
    view = status.today
    here = view.state.rung
    last = status.sessions[-1].day if status.sessions else None
    count = len(status.sessions)
    logged = (
        _("{n}, the last on {day}").format(n=count, day=long_date(last)) if last else f"{count}"
    )
    step = _("{step} of {steps}: {name}").format(
        step=here + 1, steps=len(view.rungs), name=shown(view.rungs[here].name)
    )
    return (
        Fact(_("Ladder"), shown(view.ladder.name)),
        Fact(_("Step"), step),
        Fact(_("Programme"), _standing(status, clinician)),
        Fact(_("Started"), long_date(started)),
        Fact(_("Sessions logged"), logged),
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
    listed, every = len(_recent(status, today)), len(status.sessions)
    if listed == every:
        return ""
    said = _("The last {weeks} weeks: {listed} of {every} sessions; the chart above has them all.")
    return said.format(weeks=_TABLE_WEEKS, listed=listed, every=every)


def _flags(status: StatusView, today: date, clinician: bool) -> tuple[Entry, ...]:
    alerts = learner_alerts(status, today)
    return tuple(
        Entry(a.day, _(ALERT_TITLES[a.kind]), (a.reason if clinician else _plain(a.reason),))
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
        adherence=_adherence(done.done, done.expected, round(100 * done.ratio)),
        calendar=calendar,
        outcomes=tuple(outcomes),
        flags=_flags(status, today, clinician),
        decisions=_decisions(status.decisions, clinician),
        notes=tuple(Entry(n.created_at.date(), n.author, (n.body,)) for n in record.notes)
        if record
        else (),
        changes=tuple(_change(c, ladders or {}) for c in record.changes) if record else (),
        about=" ".join((_("Made by HingeCoach from what was logged in it."), _(DISCLAIMER))),
    )


def _adherence(done: int, expected: int, percent: int) -> str:
    said = _("{done} of {expected} expected sessions in the last 14 days ({percent} %).")
    return said.format(done=done, expected=expected, percent=percent)


def _change(c: ChangeRecord, ladders: Mapping[str, str]) -> Entry:
    """A clinician's change in the words the learner record uses (schemas/clinic.py)."""
    said = _("{what}, by {who}").format(what=what_changed(c.kind, c.detail, ladders), who=c.by)
    return Entry(c.created_at.date(), said, (c.reason,))


def outcome_scores(view: OutcomesView) -> list[OutcomeScore]:
    """Each questionnaire's first and latest score, the latest's change against the first
    marked when important (rule O6), worded as the questionnaire pages word them."""
    found = []
    for series in OutcomesPublic.of(view).series:
        first, latest = series.points[0], series.points[-1]
        change = latest.change_words if len(series.points) > 1 else _("only one so far")
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
