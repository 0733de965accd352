"""Exercises and ladders as validated data.

The catalog is data, not code: `data/exercises.toml` and `data/ladders.toml` are parsed into
these models and checked on load, so a typo in a cue file fails loudly and early.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hingecoach.engine.model import DoseKind

__all__ = [
    "CameraChecks",
    "CameraView",
    "Demo",
    "Dose",
    "DoseKind",
    "Equipment",
    "Exercise",
    "Fault",
    "Ladder",
    "LadderStep",
    "LoadScheme",
    "Stage",
    "Variant",
]

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]
Text = Annotated[str, Field(min_length=1, max_length=600)]


class Stage(StrEnum):
    """The stages the seed articles name, in teaching order."""

    UNLOCK_HIPS = "unlock_hips"
    NEUTRAL_SPINE = "neutral_spine"
    HINGE_VS_SQUAT = "hinge_vs_squat"
    RESISTED = "resisted"
    LIFT = "lift"
    POWER = "power"


CameraView = Literal["side", "front"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fault(_Frozen):
    code: Id
    what: Text
    fix: Text


class Variant(_Frozen):
    id: Id
    name: Text
    how: Text


class Dose(_Frozen):
    """Default dose; time-based work is the authors' habit, reps the alternative."""

    sets: tuple[int, int] = Field(description="lowest and highest number of sets")
    seconds: tuple[int, int] | None = None
    reps: tuple[int, int] | None = None
    rest_seconds: int = Field(ge=0, le=600)
    tempo: Text

    @model_validator(mode="after")
    def _ranges_are_ordered(self) -> Dose:
        for name in ("sets", "seconds", "reps"):
            pair = getattr(self, name)
            if pair is not None and not 0 < pair[0] <= pair[1]:
                raise ValueError(f"{name} must be two positive numbers, low then high: {pair}")
        if self.seconds is None and self.reps is None:
            raise ValueError("a dose needs seconds, reps or both")
        return self


class LoadScheme(_Frozen):
    """How an external load starts, grows and stops growing for one exercise.

    `step_percent` follows ACSM 2009 (+2-10 % once the top of the range is reached);
    `cap` is the most the app will ever prescribe without a clinician raising it, and
    `cap_reason` says why it sits there (each cap is a design choice [D], written beside it
    as wger writes its caps).
    """

    unit: Literal["kg", "band"]
    start: float = Field(ge=0)
    target: float = Field(ge=0)
    cap: float = Field(gt=0)
    step_percent: float = Field(default=5.0, ge=2.0, le=10.0)
    cap_reason: Text

    @model_validator(mode="after")
    def _start_target_cap_ordered(self) -> LoadScheme:
        if not self.start <= self.target <= self.cap:
            raise ValueError(
                f"load must satisfy start <= target <= cap, got {self.start}, "
                f"{self.target}, {self.cap}"
            )
        return self


class CameraChecks(_Frozen):
    """What the video form check judges for an exercise (see docs/vision.md)."""

    rep_mode: Literal["cycle", "lift", "swing"] = "cycle"
    pattern: Literal["hinge", "squat", "either"] = "hinge"
    hip_flexion_min: float | None = Field(default=None, ge=0, le=180)
    knee_band: tuple[float, float] | None = None
    trunk_line_min: float | None = Field(default=None, ge=0, le=180)
    tempo_min: float | None = Field(default=None, gt=0, le=20)
    lockout: bool = True
    lean_back_max: float | None = Field(default=10.0, ge=0, le=90)
    swing_timing: bool = False
    rise_together: bool = False  # hips and shoulders rise together off the floor (lifts)
    heels_down: bool = False  # the heels stay down through the rep
    self_check_faults: tuple[tuple[Id, ...], ...] = ()

    @model_validator(mode="after")
    def _knee_band_ordered(self) -> CameraChecks:
        if self.knee_band is not None and not 0 <= self.knee_band[0] <= self.knee_band[1] <= 180:
            raise ValueError(f"knee_band must be low then high, 0-180 deg: {self.knee_band}")
        return self

    @model_validator(mode="after")
    def _rise_together_is_for_lifts(self) -> CameraChecks:
        if self.rise_together and self.rep_mode != "lift":
            raise ValueError('rise_together is judged on a lift from the floor: rep_mode = "lift"')
        return self


# One pose of the demonstration figure, side on, facing right: the tilt from vertical, in
# degrees, of the shin, the thigh and the trunk (each measured at its upper end, forward
# positive) and of the arm (its hand end, forward positive; 0 hangs straight down).
Tilt = Annotated[float, Field(ge=-180, le=180)]
Pose = tuple[Tilt, Tilt, Tilt, Tilt]


class Demo(_Frozen):
    """How the movement looks, as a small kinematic model drawn by adapters/demo.py: the
    poses of one rep, played over `seconds`, the `key` pose held as the still with its cue.
    Standing figures have their feet on the floor; kneeling ones their knees (shins flat)."""

    base: Literal["standing", "kneeling"]
    prop: Literal["none", "dowel", "kettlebell", "band"] = "none"
    seconds: float = Field(ge=1, le=20)
    key: int = Field(ge=0)
    cue: Text
    poses: tuple[Pose, ...] = Field(min_length=2, max_length=12)

    @model_validator(mode="after")
    def _key_is_a_pose(self) -> Demo:
        if self.key >= len(self.poses):
            raise ValueError(f"demo.key {self.key} names no pose (there are {len(self.poses)})")
        return self


class Exercise(_Frozen):
    id: Id
    name: Text
    aliases: tuple[Text, ...] = ()
    stage: Stage
    dose_kind: DoseKind
    purpose: Text
    setup: tuple[Text, ...] = Field(min_length=1)
    cues: tuple[Text, ...] = Field(min_length=2)
    faults: tuple[Fault, ...] = Field(min_length=1)
    equipment: tuple[Id, ...] = ()
    loaded: bool
    ballistic: bool
    dose: Dose
    load: LoadScheme | None = None
    self_check: tuple[Text, ...] = Field(min_length=3, max_length=5)
    camera_view: CameraView
    regression: Id | None = None
    progression: Id | None = None
    variants: tuple[Variant, ...] = ()
    camera: CameraChecks = CameraChecks()
    demo: Demo

    @model_validator(mode="after")
    def _camera_checks_match_the_self_check(self) -> Exercise:
        mapped = len(self.camera.self_check_faults)
        if mapped and mapped != len(self.self_check):
            raise ValueError(
                f"camera.self_check_faults has {mapped} entries for {len(self.self_check)} self-check items"
            )
        return self

    @model_validator(mode="after")
    def _loaded_exercises_have_a_load_scheme(self) -> Exercise:
        if self.loaded and self.load is None:
            raise ValueError("a loaded exercise needs a [load] table")
        if not self.loaded and self.load is not None:
            raise ValueError("an unloaded exercise cannot have a [load] table")
        return self


class Equipment(_Frozen):
    """A piece of kit, with what to use instead when the learner lacks it.

    `usual` kit (a floor to lie on, a wall) is in nearly every home, so it is ticked until
    the learner says otherwise; a learner who lacks it is still given its alternative.
    """

    id: Id
    name: Text
    alternative: Text | None = None
    alternative_equipment: Id | None = None
    usual: bool = False


class LadderStep(_Frozen):
    exercise: Id
    label: Text | None = None


class Ladder(_Frozen):
    id: Id
    name: Text
    source: Text
    description: Text | None = None
    steps: tuple[LadderStep, ...] = Field(min_length=1)
