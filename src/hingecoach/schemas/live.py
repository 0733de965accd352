"""The shapes of live coaching: the page's data, and the keypoints the phone sends at the
end of a set (docs/web.md, "Live coaching"). The video itself is never sent."""

from __future__ import annotations

from typing import Self

from pydantic import Field

from hingecoach.catalog import Exercise
from hingecoach.engine.texts import shown
from hingecoach.motion.analysis import gates_for
from hingecoach.motion.checks import CheckSpec
from hingecoach.motion.thresholds import THRESHOLDS as T
from hingecoach.schemas.base import Input, Public
from hingecoach.schemas.programme import SafetyPublic, TodayPublic
from hingecoach.services.results import TodayView

__all__ = ["LANDMARKS", "Counting", "LiveFrame", "LiveKeypoints", "LivePage", "PatternLine"]

LANDMARKS = 33  # BlazePose's landmarks, in its order (motion/pose.py)
# At most this many keypoint frames a second are kept by the page (live.js FPS_MOST).
_FPS_MOST = 30


class PatternLine(Public):
    """How the server tells a hinge from a squat at the bottom of a rep (motion/metrics.py
    `classify`, motion/thresholds.py): the page's hips-back cue reads the same line."""

    squat_centre: tuple[float, float] = T.squat_centre  # knee flexion, trunk from vertical
    lift_centre: tuple[float, float] = T.lift_centre
    margin: float = T.pattern_margin
    hinge_trunk_min: float = T.hinge_trunk_min


class Counting(Public):
    """How the server counts reps (motion/reps.py `Gates`, from motion/thresholds.py): the
    live counter (static/live_reps.js) counts with the same numbers, sent with the page."""

    seen_min: float = T.seen_min  # a landmark under this visibility is not seen
    min_depth: float  # body lengths: smaller dips are fidgets
    min_seconds: float
    max_seconds: float  # a longer dip is a pause or a set-down
    set_up_free: bool = False  # lifts: the set-up held at the bottom is not timed, the pull is
    enter: float  # fractions of the typical dip
    leave: float
    bottom_zone: float = T.bottom_zone  # fraction of a dip that is its bottom
    # Swings only (None otherwise): a slower rise, or a longer stay at the bottom, is a
    # pick-up or a park, not a swing.
    max_rise_seconds: float | None = None
    max_bottom_seconds: float | None = None

    @classmethod
    def of(cls, spec: CheckSpec | None) -> Self:
        gates = gates_for(spec or CheckSpec())
        return cls(
            min_depth=gates.min_depth,
            min_seconds=gates.min_seconds,
            max_seconds=gates.max_seconds,
            set_up_free=gates.set_up_free,
            enter=gates.enter,
            leave=gates.leave,
            max_rise_seconds=gates.max_rise_seconds,
            max_bottom_seconds=gates.max_bottom_seconds,
        )


class LivePage(Public):
    """What the live coaching page needs: today's exercise and how many reps, the pose
    model to run, and where to send the keypoints."""

    stopped: bool
    safety: SafetyPublic | None = None
    exercise_id: str | None = None
    exercise: str | None = None
    pattern: str | None = None  # "hinge" or "squat": the pattern the exercise calls for
    how_many: str | None = None
    target_reps: int | None = None  # the top of today's rep range, when reps are counted
    model: int = 1  # the browser model's complexity: 0 lite, 1 full, 2 heavy
    pattern_line: PatternLine = PatternLine()
    counting: Counting = Field(default_factory=lambda: Counting.of(None))
    max_seconds: int
    post: str = "/api/v1/form-checks/live"

    @classmethod
    def of(
        cls, view: TodayView, exercise: Exercise | None, spec: CheckSpec | None, max_seconds: int
    ) -> Self:
        """Today's dose counts only when the exercise filmed is today's."""
        rx = view.prescription
        if rx is None or exercise is None:
            return cls(stopped=True, safety=TodayPublic.of(view).safety, max_seconds=max_seconds)
        todays = exercise.id == rx.exercise_id
        return cls(
            stopped=False,
            exercise_id=exercise.id,
            exercise=shown(exercise.name),
            pattern=spec.pattern if spec else None,
            counting=Counting.of(spec),
            how_many=rx.how_many if todays else None,
            target_reps=rx.reps[1] if todays and rx.reps else None,
            max_seconds=max_seconds,
        )


class LiveFrame(Input):
    """One frame of the browser's pose model: seconds since the set began, then the 33
    landmarks flattened, `image` as x, y, z, visibility (x and y as fractions of the
    picture) and `world` as x, y, z in metres; null where no person was found."""

    t: float = Field(ge=0, le=3600)
    image: list[float] | None = Field(
        default=None, min_length=4 * LANDMARKS, max_length=4 * LANDMARKS
    )
    world: list[float] | None = Field(
        default=None, min_length=3 * LANDMARKS, max_length=3 * LANDMARKS
    )


class LiveKeypoints(Input):
    """A set filmed live: the keypoints of each frame."""

    exercise: str = Field(min_length=1, max_length=40)
    model: int = Field(default=1, ge=0, le=2)
    width: int = Field(ge=16, le=8192)
    height: int = Field(ge=16, le=8192)
    frames: list[LiveFrame] = Field(min_length=1, max_length=3600 * _FPS_MOST)
