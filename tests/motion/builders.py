"""Synthetic keypoints: a stick figure drawn in pixels, and clips of shoulders dipping.

Angles are segment tilts from vertical, positive leaning towards the way the figure faces.
The shin tilts `shin` forward, the thigh `shin - knee` (so the knee bends by `knee`), the
trunk `shin - knee + hip` (so the hip bends by `hip`): a hinge with hip 80, knee 20, shin 0
has the trunk 60 degrees forward.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.pose import LANDMARKS, Landmark, PoseSequence

L = Landmark
FloatArray = NDArray[np.float64]

SHIN, THIGH, TRUNK, NECK, ARM, HEEL, TOE = 100.0, 100.0, 120.0, 25.0, 130.0, 15.0, 45.0
BODY = SHIN + THIGH + TRUNK  # standing shoulder height above the ankle, pixels at scale 1
LEFT = (
    L.LEFT_ANKLE,
    L.LEFT_KNEE,
    L.LEFT_HIP,
    L.LEFT_SHOULDER,
    L.LEFT_EAR,
    L.LEFT_HEEL,
    L.LEFT_FOOT_INDEX,
    L.LEFT_WRIST,
)
RIGHT = (L.RIGHT_ANKLE, L.RIGHT_KNEE, L.RIGHT_HIP, L.RIGHT_SHOULDER, L.RIGHT_EAR, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_WRIST)  # fmt: skip


@dataclass(frozen=True)
class Posture:
    hip: float = 0.0  # flexion, degrees
    knee: float = 0.0
    shin: float = 0.0  # forward tilt of the shin from vertical
    heel: float = 0.0  # degrees the heels are raised, each foot turning about its toes
    head: float = 0.0  # degrees the ear sits off the trunk line toward the chest

    @property
    def trunk(self) -> float:
        return self.shin - self.knee + self.hip


STANDING = Posture()
HINGE = Posture(hip=80, knee=20, shin=0)  # trunk 60
SQUAT = Posture(hip=110, knee=120, shin=40)  # trunk 30


def _direction(degrees: float, facing: int) -> FloatArray:
    theta = np.radians(degrees)
    return np.array([facing * np.sin(theta), -np.cos(theta)])


def side_figure(
    posture: Posture,
    ankle: tuple[float, float] = (300.0, 550.0),
    scale: float = 1.0,
    facing: int = 1,
) -> FloatArray:
    """(33, 2) pixels of one side-view frame; the far side sits 3 px behind the near one.
    The toes stay at `ankle` plus the foot's length whatever the heels do."""
    px = np.full((LANDMARKS, 2), np.nan)
    toe = np.array(ankle) + scale * np.array([facing * TOE, 0.0])
    foot_back = np.radians(posture.heel)  # the foot turns about the toes, heel up
    back = np.array([-facing * np.cos(foot_back), -np.sin(foot_back)])
    a = toe + scale * TOE * back
    heel = toe + scale * (TOE + HEEL) * back
    knee = a + scale * SHIN * _direction(posture.shin, facing)
    hip = knee + scale * THIGH * _direction(posture.shin - posture.knee, facing)
    shoulder = hip + scale * TRUNK * _direction(posture.trunk, facing)
    ear = shoulder + scale * NECK * _direction(posture.trunk + posture.head, facing)
    wrist = shoulder + scale * np.array([0.0, ARM])
    points = (a, knee, hip, shoulder, ear, heel, toe, wrist)
    for near_id, far_id, point in zip(RIGHT, LEFT, points, strict=True):
        px[near_id] = point
        px[far_id] = point + scale * np.array([-facing * 3.0, 0.0])
    return px


def front_figure(centre: float = 300.0, ankle_y: float = 550.0) -> FloatArray:
    """(33, 2) pixels of a person facing the camera: shoulders a torso-length apart."""
    px = np.full((LANDMARKS, 2), np.nan)
    hip_y, shoulder_y = ankle_y - SHIN - THIGH, ankle_y - BODY
    half = {"shoulder": TRUNK / 2, "leg": TRUNK / 4}
    for sign, ids in ((1, LEFT), (-1, RIGHT)):  # the person's left is the image's right
        ankle, knee, hip, shoulder, ear, heel, toe, wrist = ids
        leg_x = centre + sign * half["leg"]
        px[ankle], px[heel], px[toe] = (leg_x, ankle_y), (leg_x, ankle_y), (leg_x, ankle_y + 5)
        px[knee], px[hip] = (leg_x, ankle_y - SHIN), (leg_x, hip_y)
        px[shoulder] = (centre + sign * half["shoulder"], shoulder_y)
        px[ear] = (centre + sign * 10, shoulder_y - NECK)
        px[wrist] = (centre + sign * half["shoulder"], shoulder_y + ARM)
    return px


def pose_from_pixels(
    px: FloatArray,
    width: int = 640,
    height: int = 640,
    fps: float = 30.0,
    near: tuple[Landmark, ...] = RIGHT,
) -> PoseSequence:
    """A clip from (T, 33, 2) pixels: visibility 0.9 on the near side, 0.5 elsewhere seen."""
    frames = px.shape[0]
    image = np.zeros((frames, LANDMARKS, 3))
    image[:, :, :2] = px / np.array([width, height])
    image[np.isnan(px[:, :, 0])] = np.nan
    visibility = np.where(np.isnan(px[:, :, 0]), 0.0, 0.5)
    visibility[:, list(near)] = np.where(np.isnan(px[:, list(near), 0]), 0.0, 0.9)
    return PoseSequence(image, visibility, np.arange(frames) / fps, width, height, model="stick")


def still(
    figure: FloatArray, frames: int = 30, width: int = 640, height: int = 640
) -> PoseSequence:
    return pose_from_pixels(np.repeat(figure[None], frames, axis=0), width, height)


def shoulder_drop_clip(drop: FloatArray, fps: float = 30.0) -> PoseSequence:
    """A standing figure whose shoulders sink `drop` body lengths at each frame."""
    px = np.repeat(side_figure(STANDING)[None], len(drop), axis=0)
    for shoulder in (L.LEFT_SHOULDER, L.RIGHT_SHOULDER):
        px[:, shoulder, 1] += drop * BODY
    return pose_from_pixels(px, fps=fps)


def stand(seconds: float, fps: float = 30.0) -> FloatArray:
    return np.zeros(round(seconds * fps))


def dips(n: int, depth: float, period: float = 2.0, fps: float = 30.0) -> FloatArray:
    """n cosine dips from standing to `depth` and back; trough i at frame (i + 0.5) * period * fps."""
    t = np.arange(round(n * period * fps)) / fps
    return depth * (1 - np.cos(2 * np.pi * t / period)) / 2


def ease(start: float, stop: float, seconds: float, fps: float = 30.0) -> FloatArray:
    """Half a cosine from `start` to `stop` (start included, stop excluded)."""
    t = np.arange(round(seconds * fps)) / (seconds * fps)
    return start + (stop - start) * (1 - np.cos(np.pi * t)) / 2


def with_world(pose: PoseSequence, pixels_per_metre: float = 200.0) -> PoseSequence:
    """The clip with world landmarks as the model gives them: metres, hip-centred, y down,
    from the picture of a figure standing side on to the camera (depth 0)."""
    px = pose.pixels()
    hips = (px[:, L.LEFT_HIP] + px[:, L.RIGHT_HIP]) / 2
    world = np.zeros_like(pose.image)
    world[:, :, :2] = (px - hips[:, None, :]) / pixels_per_metre
    world[np.isnan(px[:, :, 0])] = np.nan
    return PoseSequence(
        pose.image, pose.visibility, pose.times, pose.width, pose.height, world, pose.model
    )


def posture_clip(postures: list[Posture], fps: float = 30.0) -> PoseSequence:
    """A side-view clip of the figure taking each posture in turn, one frame each."""
    return pose_from_pixels(np.stack([side_figure(p) for p in postures]), fps=fps)


def bend(target: Posture, frames: int) -> list[Posture]:
    """From standing to `target` and back, along half a cosine each way."""
    down = (1 - np.cos(np.linspace(0, np.pi, frames))) / 2
    path = np.concatenate([down, down[::-1]])
    return [between(STANDING, target, float(f)) for f in path]


def between(a: Posture, b: Posture, f: float) -> Posture:
    """The posture a fraction `f` of the way from `a` to `b`, every angle alike."""
    return Posture(*(x + f * (y - x) for x, y in zip(astuple(a), astuple(b), strict=True)))


def move(a: Posture, b: Posture, frames: int) -> list[Posture]:
    """From `a` to `b` along half a cosine, `frames` frames (`b` excluded)."""
    ease = (1 - np.cos(np.linspace(0, np.pi, frames, endpoint=False))) / 2
    return [between(a, b, float(f)) for f in ease]
