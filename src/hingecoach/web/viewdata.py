"""Page data for the web: the CLI's JSON shapes (views.py) plus what a page adds."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from hingecoach.catalog import Catalog, Ladder, countries, country
from hingecoach.engine.attention import Alert, AlertKind
from hingecoach.engine.model import Quality, SymptomArea
from hingecoach.engine.screening import DISCLAIMER, FLAGS
from hingecoach.engine.timer import schedule
from hingecoach.services.accounts import Actor
from hingecoach.services.clinic import RosterRow, status_adherence
from hingecoach.services.coach import ClinicalRecord, StatusView, TodayView
from hingecoach.views import history_json, ladder_json, programme_json, today_json

__all__ = [
    "AREAS",
    "QUALITIES",
    "account_data",
    "alert_data",
    "attention_data",
    "countries_data",
    "export_csv",
    "export_data",
    "flags_data",
    "history_data",
    "ladder_page",
    "record_data",
    "roster_data",
    "timer_data",
    "urgency_title",
]

AREAS = [
    {"value": SymptomArea.NONE.value, "label": "No symptoms"},
    {"value": SymptomArea.BACK.value, "label": "In my back only"},
    {"value": SymptomArea.BUTTOCK_THIGH.value, "label": "Into my buttock or thigh"},
    {"value": SymptomArea.BELOW_KNEE.value, "label": "Below my knee"},
]
QUALITIES = [
    {"value": Quality.STRETCH.value, "label": "A stretch or pull in the muscle"},
    {"value": Quality.BURNING.value, "label": "Burning"},
    {"value": Quality.PAIN.value, "label": "Pain that spreads or shoots"},
    {"value": Quality.TINGLING.value, "label": "Pins and needles or tingling"},
    {"value": Quality.NUMBNESS.value, "label": "Numbness"},
    {"value": Quality.WEAKNESS.value, "label": "Weakness"},
]
ALERT_TITLES = {
    AlertKind.EMERGENCY: "Emergency stop",
    AlertKind.URGENT: "Urgent stop",
    AlertKind.NERVE: "Nerve signs: stopped",
    AlertKind.RED_TWICE: "Red again after stepping back",
    AlertKind.STEPPING_BACK: "Stepping back",
    AlertKind.REVIEW: "Review needed",
    AlertKind.STUCK: "Stuck on one step",
}
_URGENCY_TITLES = {
    "emergency": "Get emergency care now",
    "urgent": "See a clinician within a day",
    "routine": "Book a routine review",
    "none": "No warning signs",
}


def flags_data(code: str) -> dict[str, Any]:
    """The safety questions, grouped by what a yes means, with this country's help lines."""
    lines = country(code)
    groups = []
    for urgency in ("emergency", "urgent", "routine"):
        items = [{"id": f.id, "question": f.question} for f in FLAGS if f.urgency.value == urgency]
        groups.append({"urgency": urgency, "title": _URGENCY_TITLES[urgency], "flags": items})
    return {
        "groups": groups,
        "country": {
            "code": lines.code,
            "name": lines.name,
            "emergency": lines.emergency,
            "urgent": lines.urgent,
            "emergency_number": lines.emergency_number,
            "urgent_number": lines.urgent_number,
        },
    }


def urgency_title(urgency: str) -> str:
    return _URGENCY_TITLES.get(urgency, urgency)


def timer_data(view: TodayView, ready: int = 5) -> dict[str, Any]:
    rx = view.prescription
    programme = programme_json(view.status)
    if rx is None:
        return {
            "stopped": True,
            "phases": [],
            "safety": today_json(view)["safety"],
            "programme": programme,
        }
    phases = schedule(rx.sets, rx.work_seconds, rx.rest_seconds, ready, view.rungs[rx.rung].cues)
    return {
        "programme": programme,
        "stopped": False,
        "exercise": rx.name,
        "how_many": rx.how_many,
        "tempo": rx.tempo,
        "counting": "time" if rx.seconds else "reps",
        "reps": list(rx.reps) if rx.reps else None,
        "phases": [
            {"kind": p.kind, "seconds": p.seconds, "set": p.set_number, "of": rx.sets, "cue": p.cue}
            for p in phases
        ],
    }


def history_data(status: StatusView, today: date, base: str) -> dict[str, Any]:
    """Sessions, check-ins and decisions, with the charts drawn from them (as links)."""
    data = history_json(status)
    view = status.today
    stat = status_adherence(status, today)
    data["morning_pain"] = [{"date": d.isoformat(), "pain": p} for d, p in status.mornings]
    data["adherence_14_days"] = {
        "done": stat.done,
        "expected": stat.expected,
        "ratio": round(stat.ratio, 2),
    }
    data["charts"] = {
        "pain": f"{base}/charts/pain.svg",
        "steps": f"{base}/charts/steps.svg",
        "calendar": f"{base}/charts/calendar.svg",
    }
    data["learner"] = view.learner
    data["step"] = view.state.rung + 1
    data["steps"] = len(view.rungs)
    data["programme"] = programme_json(view.status)
    return data


def ladder_page(view: TodayView, catalog: Catalog) -> dict[str, Any]:
    """Where I am, what is next, and what unlocks it; nothing beyond while stopped."""
    data = ladder_json(view.ladder, catalog)
    here = view.state.rung
    for index, step in enumerate(data["steps"]):
        step["status"] = "done" if index < here else "current" if index == here else "ahead"
        step["self_check"] = list(view.rungs[index].self_check)
    rx = view.prescription
    data["current_step"] = here + 1
    data["programme"] = programme_json(view.status)
    if rx is None:
        data["steps"] = data["steps"][: here + 1]
        data["unlock"] = "Your programme is stopped until a clinician who examined you clears it."
        data["next"] = None
        return data
    data["unlock"] = rx.move_on
    data["next"] = data["steps"][here + 1] if here + 1 < len(data["steps"]) else None
    return data


def account_data(
    actor: Actor, clinic: str | None, ladders: list[Ladder] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": actor.email,
        "name": actor.name,
        "role": actor.role.value,
        "clinic": clinic,
        "country": country(actor.country).name,
        "has_programme": actor.learner_id is not None,
        "exports": {"json": "/me/export.json", "csv": "/me/export.csv"},
    }
    if ladders is not None:
        data["ladders"] = [{"id": lad.id, "name": lad.name} for lad in ladders]
    return data


def countries_data() -> list[dict[str, str]]:
    return [{"code": c.code, "name": c.name} for c in countries().values()]


def roster_data(rows: list[RosterRow]) -> list[dict[str, Any]]:
    return [
        {
            "learner_id": r.learner_id,
            "name": r.name,
            "ladder": r.ladder,
            "step": r.step,
            "steps": r.steps,
            "exercise": r.exercise,
            "last_session": r.last_session.isoformat() if r.last_session else None,
            "adherence": {
                "done": r.adherence.done,
                "expected": r.adherence.expected,
                "ratio": round(r.adherence.ratio, 2),
            },
            "urgency": r.urgency.value,
            "stopped": r.stopped,
            "stuck": r.stuck,
            "regressing": r.regressing,
            "alerts": [alert_data(a) for a in r.alerts],
            "url": f"/clinic/learners/{r.learner_id}",
        }
        for r in rows
    ]


def alert_data(alert: Alert) -> dict[str, Any]:
    return {
        "kind": alert.kind.value,
        "title": ALERT_TITLES[alert.kind],
        "reason": alert.reason,
        "date": alert.day.isoformat(),
    }


def attention_data(rows: list[RosterRow]) -> list[dict[str, Any]]:
    """One line per learner who needs the clinician, most urgent kind first, oldest first."""
    first = [(r, r.alerts[0]) for r in rows if r.alerts]
    first.sort(key=lambda pair: (pair[1].rank, pair[1].day))
    return [
        {"learner_id": r.learner_id, "name": r.name, "url": f"/clinic/learners/{r.learner_id}"}
        | alert_data(alert)
        for r, alert in first
    ]


def record_data(record: ClinicalRecord) -> dict[str, Any]:
    return {
        "notes": [
            {"author": n.author, "body": n.body, "at": n.created_at.isoformat(timespec="minutes")}
            for n in record.notes
        ],
        "changes": [
            {
                "by": c.by,
                "kind": c.kind,
                "detail": c.detail,
                "reason": c.reason,
                "at": c.created_at.isoformat(timespec="minutes"),
            }
            for c in record.changes
        ],
        "policy": [
            {"field": name, "value": value, "adjusted": name in record.adjusted}
            for name, value in vars(record.policy).items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
        ],
    }


def export_data(actor: Actor, status: StatusView | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "account": {"email": actor.email, "name": actor.name, "role": actor.role.value}
    }
    if status is not None:
        data["programme"] = today_json(status.today)
        data |= history_json(status)
    data["disclaimer"] = DISCLAIMER
    return data


def export_csv(status: StatusView) -> str:
    """One row per set of every logged session: the format a spreadsheet opens."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "date",
            "step",
            "exercise",
            "pain_before",
            "pain_during",
            "pain_after",
            "area",
            "set",
            "reps",
            "seconds",
            "load",
            "rpe",
            "note",
        ]
    )
    notes = status.notes or [""] * len(status.sessions)
    for s, note in zip(status.sessions, notes, strict=True):
        for n, x in enumerate(s.sets, start=1):
            writer.writerow(
                [
                    s.day.isoformat(),
                    s.rung + 1,
                    s.exercise_id,
                    s.pain_before,
                    s.pain_during,
                    s.pain_after,
                    s.area.value,
                    n,
                    x.reps,
                    x.seconds,
                    x.load,
                    x.rpe,
                    note,
                ]
            )
    return out.getvalue()
