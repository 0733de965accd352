"""The video form check as `hinge analyze --json` gives it (docs/vision.md). Times are
seconds from the start of the clip; reps are numbered from 1; a value the camera could not
measure is null, never a guess."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import Field

from hingecoach.adapters.db.records import FormCheckRecord
from hingecoach.motion.analysis import FormReport
from hingecoach.motion.calibration import Calibration
from hingecoach.motion.honesty import Confidence
from hingecoach.motion.metrics import RepMetrics
from hingecoach.schemas.base import Public
from hingecoach.services.analysis import Analysis

__all__ = [
    "HONESTY",
    "CalibrationPublic",
    "ConfidencePublic",
    "FormCheckPage",
    "FormCheckPublic",
    "FormCheckStarted",
    "VideoCheckPublic",
]

HONESTY = (
    "A phone camera sees joint angles to within about 10-15 degrees and cannot see the "
    "curve of your spine: the trunk line is the alignment of ear, shoulder and hip, not a "
    "measure of your back. This is coaching feedback, not a diagnosis."
)


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 2)


class ExerciseRef(Public):
    id: str
    name: str
    view_needed: str


class RefusalPublic(Public):
    code: str
    reason: str


class RepEventPublic(Public):
    rep: int
    start: float | None
    bottom: float | None
    end: float | None


class PatternPublic(Public):
    overall: str | None
    per_rep: list[str]


class ViewPublic(Public):
    kind: str
    side: str
    shoulder_ratio: float | None


class ConfidencePublic(Public):
    """How sure the camera is of a fault, and why: each reason one part it stands on."""

    level: Literal["high", "medium", "low"]
    reasons: list[str]


class FaultPublic(Public):
    code: str
    rep: int
    time: float | None
    value: float
    expected: str
    advice: str
    confidence: ConfidencePublic | None = None  # None in a report stored before it existed


class NotJudgedPublic(Public):
    check: str
    why: str
    reason: str | None = None  # why, as a code (motion/checks.py WHY_NOT)


class CalibrationPublic(Public):
    """Where the learner's standing posture was read: before the first rep ("start") or at
    the most upright top of a rep ("lockout")."""

    source: Literal["start", "lockout"]
    time: float | None


class TrackingPublic(Public):
    fraction: float | None
    model: str
    frames: int
    duration: float | None


class MasteryPublic(Public):
    item: str
    status: str


class RepMetricsPublic(Public):
    rep: int
    tempo_seconds: float | None
    descent_seconds: float | None
    ascent_seconds: float | None
    hip_flexion: float | None
    knee_flexion: float | None
    trunk_from_vertical: float | None
    hip_knee_ratio: float | None
    trunk_line: float | None
    trunk_line_change: float | None
    top_hip_flexion: float | None
    top_lean_back: float | None
    hips_lead_arms: bool | None
    trunk_bend: float | None = None
    hips_rise_first: float | None = None
    heel_lift: float | None = None
    arms_lead_seconds: float | None = None  # swings: arms' speed peak before the hips'

    @classmethod
    def of(cls, m: RepMetrics) -> Self:
        lead = _num(m.arms_lead_seconds)  # swing timing: the hips lead unless it is > 0
        return cls(
            rep=m.number,
            tempo_seconds=_num(m.end - m.start),
            descent_seconds=_num(m.descent),
            ascent_seconds=_num(m.ascent),
            hip_flexion=_num(m.hip_flexion),
            knee_flexion=_num(m.knee_flexion),
            trunk_from_vertical=_num(m.trunk_angle),
            hip_knee_ratio=_num(m.hip_knee_ratio),
            trunk_line=_num(m.trunk_line_bottom),
            trunk_line_change=_num(m.trunk_line_change),
            top_hip_flexion=_num(m.top_hip_flexion),
            top_lean_back=_num(m.top_lean_back),
            hips_lead_arms=None if lead is None else lead <= 0,
            trunk_bend=_num(m.trunk_bend_bottom),
            hips_rise_first=_num(m.hips_rise_first),
            heel_lift=_num(m.heel_lift),
            arms_lead_seconds=lead,
        )


def _events(report: FormReport, times: Any) -> list[RepEventPublic]:
    return [
        RepEventPublic(
            rep=i + 1,
            start=_num(times[e.start]),
            bottom=_num(times[e.bottom]),
            end=_num(times[e.end]),
        )
        for i, e in enumerate(report.events)
    ]


class VideoCheckPublic(Public):
    exercise: ExerciseRef
    judged: bool
    refusal: RefusalPublic | None
    reps: int
    partial_reps: int
    rep_events: list[RepEventPublic]
    pattern: PatternPublic
    view: ViewPublic | None
    faults: list[FaultPublic]
    not_judged: list[NotJudgedPublic]
    tracking: TrackingPublic
    mastery: list[MasteryPublic]
    metrics: list[RepMetricsPublic]
    note: str
    calibration: CalibrationPublic | None = None
    film_next_time: list[str] = Field(default_factory=list)  # for the checks not judged

    @classmethod
    def of(cls, a: Analysis) -> Self:
        r = a.report
        view = r.view
        return cls(
            exercise=ExerciseRef(
                id=a.exercise.id, name=a.exercise.name, view_needed=a.exercise.camera_view
            ),
            judged=r.judged,
            refusal=RefusalPublic(code=r.refusal.code, reason=r.refusal.reason)
            if r.refusal
            else None,
            reps=len(r.reps),
            partial_reps=r.partial_reps,
            rep_events=_events(r, a.pose.times),
            pattern=PatternPublic(overall=r.pattern, per_rep=[m.pattern for m in r.reps]),
            view=ViewPublic(
                kind=view.kind, side=view.side, shoulder_ratio=_num(view.shoulder_ratio)
            )
            if view
            else None,
            faults=[
                FaultPublic(
                    code=f.code,
                    rep=f.rep,
                    time=_num(f.time),
                    value=f.value,
                    expected=f.expected,
                    advice=f.advice,
                    confidence=_confidence(f.confidence),
                )
                for f in r.faults
            ],
            not_judged=[
                NotJudgedPublic(check=n.check, why=n.why, reason=n.reason or None)
                for n in r.not_judged
            ],
            tracking=TrackingPublic(
                fraction=_num(r.tracked),
                model=r.model,
                frames=a.pose.frames,
                duration=_num(r.duration),
            ),
            mastery=[MasteryPublic(item=m.item, status=m.status) for m in r.mastery],
            metrics=[RepMetricsPublic.of(m) for m in r.reps],
            note=HONESTY,
            calibration=_calibration(r.calibration),
            film_next_time=list(r.film_next_time),
        )


def _confidence(c: Confidence | None) -> ConfidencePublic | None:
    if c is None:
        return None
    return ConfidencePublic.model_validate({"level": c.level, "reasons": list(c.reasons)})


def _calibration(c: Calibration | None) -> CalibrationPublic | None:
    if c is None:
        return None
    return CalibrationPublic.model_validate({"source": c.source, "time": _num(c.time)})


# -- form checks sent from the web app (docs/web.md) ----------------------------------------


class FormCheckError(Public):
    code: str
    message: str


class FormCheckReview(Public):
    by: str
    comment: str
    at: datetime


class KeyFramePublic(Public):
    rep: int
    label: str  # bottom or top
    time: float  # seconds into the clip
    src: str  # a data: URL of the JPEG, the skeleton drawn on it


class FormCheckStarted(Public):
    id: int
    status: str
    progress: float
    url: str  # where the check's state is read (GET)

    @classmethod
    def of(cls, record: FormCheckRecord) -> Self:
        return cls(id=record.id, status=record.status, progress=record.progress, url=_url(record))


class FormCheckPublic(Public):
    """A form check sent from the web app: where its job stands and, once done, its report
    in exactly the `hinge analyze --json` shape."""

    id: int
    status: Literal["queued", "running", "done", "refused", "failed"]
    progress: float  # 0 to 1
    seconds_left: float | None  # an estimate while running
    exercise_id: str
    sent: datetime
    report: VideoCheckPublic | None
    error: FormCheckError | None
    attached: bool  # counted in a session's decision (rule V1)
    review: FormCheckReview | None
    url: str

    @classmethod
    def of(cls, record: FormCheckRecord, url: str | None = None) -> Self:
        """`url`: where this reader reads it (a clinician's differs from the learner's)."""
        review = None
        if record.reviewed_by and record.reviewed_at:
            review = FormCheckReview(
                by=record.reviewed_by, comment=record.review_comment or "", at=record.reviewed_at
            )
        error = None
        if record.error_code:
            error = FormCheckError(code=record.error_code, message=record.error_message or "")
        report = VideoCheckPublic.model_validate(record.report) if record.report else None
        return cls(
            id=record.id,
            status=record.status,
            progress=record.progress,
            seconds_left=record.seconds_left,
            exercise_id=record.exercise_id,
            sent=record.created_at,
            report=report,
            error=error,
            attached=record.session_id is not None,
            review=review,
            url=url or _url(record),
        )


class FormCheckPage(FormCheckPublic):
    """The page of one check: its key frames besides the report."""

    frames: list[KeyFramePublic]
    chart: str | None  # the address of the angle chart (SVG)
    can_attach: bool
    page_url: str  # this page (where the progress script reloads)
    back: str  # the list this check belongs to
    video: str | None = None  # a kept clip a clinician can watch
    review_action: str | None = None  # a clinician's review form posts here

    @classmethod
    def page(
        cls,
        record: FormCheckRecord,
        at: str,
        can_attach: bool = False,
        *,
        back: str = "/form-checks",
        url: str | None = None,
        review_action: str | None = None,
    ) -> Self:
        """The page at `at` (its chart and kept clip beneath it)."""
        frames = [
            KeyFramePublic(
                rep=f["rep"],
                label=f["label"],
                time=f["time"],
                src="data:image/jpeg;base64," + f["jpeg"],
            )
            for f in (record.visuals or {}).get("frames", [])
        ]
        return cls(
            **FormCheckPublic.of(record, url).model_dump(),
            frames=frames,
            chart=f"{at}/chart.svg" if record.visuals else None,
            can_attach=can_attach,
            page_url=at,
            back=back,
            video=f"{at}/video" if review_action and record.keep_video and record.upload else None,
            review_action=review_action,
        )


def _url(record: FormCheckRecord) -> str:
    return f"/api/v1/form-checks/{record.id}"
