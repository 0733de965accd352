"""`PoseSequence`: the one typed container for keypoints, checked on creation.

Frames x 33 BlazePose landmarks. Image coordinates are normalised to the frame (x right,
y down, 0-1) with the frame size kept beside them, so angles are measured in pixels and a
portrait clip is not squashed. World coordinates are metres, hip-centred, as the estimator
gives them. Missing points are NaN, never 0. Any estimator can fill one; nothing
downstream knows which ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from hingecoach.errors import ValidationError

__all__ = ["LANDMARKS", "Landmark", "PoseSequence"]

FloatArray = NDArray[np.float64]


class Landmark(IntEnum):
    """BlazePose 33-point topology (the indices MediaPipe uses)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


LANDMARKS = 33


def _shape_error(name: str, expected: str, array: NDArray[np.generic]) -> ValidationError:
    return ValidationError(name, f"an array of shape {expected}", f"shape {array.shape}")


@dataclass(frozen=True, eq=False)
class PoseSequence:
    image: FloatArray  # (T, 33, 3): x, y normalised to the frame, z relative depth
    visibility: FloatArray  # (T, 33): 0-1
    times: FloatArray  # (T,): seconds from the start of the clip, strictly increasing
    width: int
    height: int
    world: FloatArray | None = None  # (T, 33, 3) metres, hip-centred
    model: str = "unknown"
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frames = self.times.shape[0] if self.times.ndim == 1 else -1
        if self.times.ndim != 1:
            raise _shape_error("times", "(frames,)", self.times)
        if self.image.shape != (frames, LANDMARKS, 3):
            raise _shape_error("image", f"({frames}, {LANDMARKS}, 3)", self.image)
        if self.visibility.shape != (frames, LANDMARKS):
            raise _shape_error("visibility", f"({frames}, {LANDMARKS})", self.visibility)
        if self.world is not None and self.world.shape != (frames, LANDMARKS, 3):
            raise _shape_error("world", f"({frames}, {LANDMARKS}, 3)", self.world)
        if not bool(np.all(np.isfinite(self.times))):
            raise ValidationError("times", "finite seconds", "a missing (NaN) time")
        if frames > 1 and not bool(np.all(np.diff(self.times) > 0)):
            raise ValidationError("times", "strictly increasing seconds", "a repeat or a step back")
        if self.width <= 0 or self.height <= 0:
            raise ValidationError(
                "frame size", "positive width and height", (self.width, self.height)
            )

    @property
    def frames(self) -> int:
        return int(self.times.shape[0])

    @property
    def duration(self) -> float:
        return float(self.times[-1] - self.times[0]) if self.frames > 1 else 0.0

    @property
    def fps(self) -> float:
        return (self.frames - 1) / self.duration if self.duration > 0 else 0.0

    def pixels(self) -> FloatArray:
        """(T, 33, 2) image positions in pixels, so angles are true to the picture."""
        return self.image[:, :, :2] * np.array([self.width, self.height], dtype=np.float64)

    def tracked(self) -> NDArray[np.bool_]:
        """Frames where a person was found (any landmark present)."""
        missing: NDArray[np.bool_] = np.all(np.isnan(self.image[:, :, 0]), axis=1)
        return ~missing

    def slice(self, start: int, stop: int) -> PoseSequence:
        world = None if self.world is None else self.world[start:stop]
        return PoseSequence(
            self.image[start:stop], self.visibility[start:stop], self.times[start:stop],
            self.width, self.height, world, self.model, dict(self.meta),
        )  # fmt: skip
