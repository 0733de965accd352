"""The hard kinds of clip people really film, made from the labelled clips' keypoints.

Each maker takes a `PoseSequence` and returns a new one as the pose model would have given
it for the harder clip: trimmed to start at the floor or to stop before lockout, the top of
the picture cropped so the head leaves it, a person walking in before the set and out after
it, the legs hidden (as behind a weight plate), the camera moved round the person (from the
world landmarks); and the same set through another phone: mirrored, at a lower frame rate,
with frames dropped, with the landmarks shaken, from farther away. Nothing here looks at
labels: a variant keeps its clip's reps and pattern (or says in its name how they change),
which is what the tests assert.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.reps import depth_signal

L = Landmark
FloatArray = NDArray[np.float64]

LEGS = (
    L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE,
    L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX,
)  # fmt: skip
LEFT_LEG = (L.LEFT_KNEE, L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX)
RIGHT_LEG = (L.RIGHT_KNEE, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)
GUESSED = 0.1  # the visibility BlazePose gives a landmark it cannot see


def _with(
    pose: PoseSequence,
    image: FloatArray,
    visibility: FloatArray,
    world: FloatArray | None,
    times: FloatArray | None = None,
    height: int | None = None,
) -> PoseSequence:
    return PoseSequence(
        image, visibility, pose.times if times is None else times, pose.width,
        height or pose.height, world, pose.model, {**pose.meta, "variant": "yes"},
    )  # fmt: skip


def trim(pose: PoseSequence, start: float, stop: float) -> PoseSequence:
    """The frames from `start` to `stop` seconds, as a clip of its own (times from zero)."""
    first = int(np.searchsorted(pose.times, start))
    last = int(np.searchsorted(pose.times, stop))
    part = pose.slice(first, last)
    return _with(part, part.image, part.visibility, part.world, part.times - part.times[0])


def crop_top(pose: PoseSequence, below: Landmark, margin: float, lost: bool) -> PoseSequence:
    """Cut the top of the picture off just under where `below` is when standing tall
    (`margin` of the frame lower), so that landmark and all above it leave the picture at
    every lockout. The model either loses what left the picture (`lost`: NaN) or guesses it
    at the edge with a low visibility."""
    standing = float(np.nanpercentile(pose.image[:, below, 1], 5))
    cut = min(max(standing + margin, 0.0), 0.9)
    image = pose.image.copy()
    image[:, :, 1] = (image[:, :, 1] - cut) / (1 - cut)
    visibility = pose.visibility.copy()
    world = None if pose.world is None else pose.world.copy()
    out = image[:, :, 1] < 0
    if lost:
        image[out] = np.nan
        visibility[out] = 0.0
        if world is not None:
            world[out] = np.nan
    else:
        image[:, :, 1] = np.where(out, 0.0, image[:, :, 1])
        visibility[out] = GUESSED
    return _with(pose, image, visibility, world, height=round(pose.height * (1 - cut)))


def hide_legs(pose: PoseSequence) -> PoseSequence:
    """Knees and feet hidden, as behind a weight plate: the model guesses them where they
    stood, with a low visibility."""
    image = pose.image.copy()
    visibility = pose.visibility.copy()
    world = None if pose.world is None else pose.world.copy()
    legs = list(LEGS)
    image[:, legs] = np.nanmedian(pose.image[:, legs], axis=0)
    visibility[:, legs] = GUESSED
    if world is not None:
        world[:, legs] = np.nanmedian(world[:, legs], axis=0)
    return _with(pose, image, visibility, world)


def rotate_view(pose: PoseSequence, degrees: float) -> PoseSequence:
    """The same movement filmed with the camera moved `degrees` round the person.

    The world landmarks (metres, hip-centred) are turned about the vertical and projected
    back into the picture at the hips' place and the clip's own scale (weak perspective).
    """
    assert pose.world is not None, "rotating the view needs world landmarks"
    theta = np.radians(degrees)
    turn = np.array(
        [[np.cos(theta), 0.0, np.sin(theta)], [0.0, 1.0, 0.0], [-np.sin(theta), 0.0, np.cos(theta)]]
    )
    world = pose.world @ turn.T
    px = pose.pixels()
    hips_px = (px[:, L.LEFT_HIP] + px[:, L.RIGHT_HIP]) / 2
    scale = _pixels_per_metre(pose)
    size = np.array([pose.width, pose.height], dtype=np.float64)
    image = np.empty_like(pose.image)
    image[:, :, :2] = (hips_px[:, None, :] + scale * world[:, :, :2]) / size
    image[:, :, 2] = world[:, :, 2] * scale / pose.width
    return _with(pose, image, pose.visibility.copy(), world)


def _pixels_per_metre(pose: PoseSequence) -> float:
    """Shoulder-to-hip length in the picture over the same length in the world."""
    assert pose.world is not None
    pairs = ((L.LEFT_SHOULDER, L.LEFT_HIP), (L.RIGHT_SHOULDER, L.RIGHT_HIP))
    px = pose.pixels()
    in_picture = np.concatenate([np.linalg.norm(px[:, a] - px[:, b], axis=-1) for a, b in pairs])
    in_world = np.concatenate(
        [np.linalg.norm(pose.world[:, a, :2] - pose.world[:, b, :2], axis=-1) for a, b in pairs]
    )
    return float(np.nanpercentile(in_picture, 90) / np.nanpercentile(in_world, 90))


def walk_in_and_out(pose: PoseSequence, walk: float = 2.0, empty: float = 1.0) -> PoseSequence:
    """`empty` seconds of an empty picture, then the person walking in from the edge of the
    frame to where the set starts (`walk` seconds); after the set, the same out again.
    The set is the clip's frames from the first with the person found to the last."""
    fps = pose.fps
    found = np.flatnonzero(pose.tracked())
    first, last = int(found[0]), int(found[-1])
    before = _walk(pose, first, walk, fps, entering=True)
    after = _walk(pose, last, walk, fps, entering=False)
    blank = _blank(pose, round(empty * fps))
    middle = tuple(x[first : last + 1] for x in _frames(pose))
    parts = [blank, before, middle, after, blank]
    image, visibility, world = (np.concatenate([p[i] for p in parts]) for i in range(3))
    times = np.arange(image.shape[0]) / fps
    return _with(pose, image, visibility, world if pose.world is not None else None, times)


Frames = tuple[FloatArray, FloatArray, FloatArray]


def _frames(pose: PoseSequence) -> Frames:
    world = pose.world if pose.world is not None else np.full_like(pose.image, np.nan)
    return pose.image, pose.visibility, world


def _blank(pose: PoseSequence, n: int) -> Frames:
    shape = (n, *pose.image.shape[1:])
    return np.full(shape, np.nan), np.zeros(shape[:2]), np.full(shape, np.nan)


def _walk(pose: PoseSequence, at: int, seconds: float, fps: float, entering: bool) -> Frames:
    """Frames of a walk between outside the picture and the pose of frame `at`: the figure
    slides sideways with a stride (legs swinging a quarter of a leg length each way)."""
    n = round(seconds * fps)
    image = np.repeat(pose.image[at][None], n, axis=0)
    visibility = np.repeat(pose.visibility[at][None], n, axis=0)
    world = _frames(pose)[2][at]
    worlds = np.repeat(world[None], n, axis=0)
    t = np.arange(n) / fps
    progress = t / seconds if entering else 1 - t / seconds
    xs = pose.image[at, :, 0]
    span = float(np.nanmax(xs) - np.nanmin(xs))
    start = -span - float(np.nanmax(xs)) - 0.05  # wholly outside the left edge
    image[:, :, 0] += ((1 - progress) * start)[:, None]
    leg = _leg_length(pose, at)
    stride = 0.25 * np.sin(2 * np.pi * 0.9 * t)  # leg lengths each way, 0.9 strides a second
    for side, sign in ((LEFT_LEG, 1.0), (RIGHT_LEG, -1.0)):
        image[:, list(side), 0] += (sign * stride * leg)[:, None]
        worlds[:, list(side), 0] += (sign * stride * 0.85)[:, None]  # a leg is about 0.85 m
    outside = (image[:, :, 0] < 0) | (image[:, :, 0] > 1)
    visibility[outside] = GUESSED
    hips = image[:, [L.LEFT_HIP, L.RIGHT_HIP], 0].mean(axis=1)
    gone = (hips < 0) | (hips > 1)  # the model finds no one until the hips are in view
    image[gone] = np.nan
    visibility[gone] = 0.0
    worlds[gone] = np.nan
    return image, visibility, worlds


def _leg_length(pose: PoseSequence, at: int) -> float:
    """Hip-to-ankle length in normalised x units of frame `at`."""
    px = pose.pixels()[at]
    leg = float(np.linalg.norm(px[L.LEFT_HIP] - px[L.LEFT_ANKLE]))
    return leg / pose.width


def from_the_floor(pose: PoseSequence, bottom: int) -> PoseSequence:
    """The clip from the bottom of a rep on: it opens at the floor."""
    return trim(pose, float(pose.times[bottom]), float(pose.times[-1]) + 1)


def one_pull(
    pose: PoseSequence, bottom: int, end: int, risen: float = 1.0, set_up: float = 0.5
) -> PoseSequence:
    """One pull: `set_up` seconds still at the bottom of a rep, then the rise, to half a
    second after the rep's end, or (`risen` under 1) stopped once it has risen that
    fraction of the way from the bottom to standing."""
    depth = depth_signal(pose)
    stop = float(pose.times[min(end + round(0.5 * pose.fps), pose.frames - 1)])
    if risen < 1.0:
        target = depth[bottom] - risen * (depth[bottom] - depth[end])
        up = bottom + int(np.flatnonzero(depth[bottom : end + 1] <= target)[0])
        stop = float(pose.times[up]) + 1e-6
    return held(trim(pose, float(pose.times[bottom]), stop), set_up)


def down_and_up(
    pose: PoseSequence, start: int, bottom: int, end: int, risen: float = 1.0
) -> PoseSequence:
    """One rep from standing: from half a second before its start, down, and up to half a
    second after its end, or (`risen` under 1) stopped on the way up as in `one_pull`."""
    before = float(pose.times[max(start - round(0.5 * pose.fps), 0)])
    pull = one_pull(pose, bottom, end, risen, set_up=0.0)
    return trim(pose, before, float(pose.times[bottom]) + float(pull.times[-1]) + 1e-6)


def held(pose: PoseSequence, seconds: float) -> PoseSequence:
    """The clip's first frame held still for `seconds` before it (a set-up at the floor)."""
    n = round(seconds * pose.fps)
    first = [x[:1].repeat(n, axis=0) for x in _frames(pose)]
    image, visibility, world = (
        np.concatenate([a, b]) for a, b in zip(first, _frames(pose), strict=True)
    )
    times = np.arange(image.shape[0]) / pose.fps
    return _with(pose, image, visibility, world if pose.world is not None else None, times)


def set_up_held(pose: PoseSequence, at: int, seconds: float) -> PoseSequence:
    """Frame `at` (the bottom of a pull) held still for `seconds` there: a lifter setting up
    at the floor (feet, grip, slack) before the pull, as lifters film their heavy singles."""
    n = round(seconds * pose.fps)
    parts = (
        [x[:at] for x in _frames(pose)],
        [x[at : at + 1].repeat(n, axis=0) for x in _frames(pose)],
    )
    image, visibility, world = (
        np.concatenate([a, b, c])
        for a, b, c in zip(parts[0], parts[1], [x[at:] for x in _frames(pose)], strict=True)
    )
    times = np.arange(image.shape[0]) / pose.fps
    return _with(pose, image, visibility, world if pose.world is not None else None, times)


def passer_by(pose: PoseSequence, at: int, seconds: float) -> PoseSequence:
    """From frame `at`, for `seconds`, the model follows someone else: a person standing
    three trunk lengths to the side (the lifter's most upright frame, moved there), before
    it finds the lifter again."""
    upright = int(np.nanargmin(depth_signal(pose)))
    px = pose.pixels()
    trunk = float(np.nanmedian(np.linalg.norm(px[:, L.LEFT_SHOULDER] - px[:, L.LEFT_HIP], axis=1)))
    hips_x = float(np.nanmean(pose.image[upright, [L.LEFT_HIP, L.RIGHT_HIP], 0]))
    shift = 3 * trunk / pose.width * (1.0 if hips_x < 0.5 else -1.0)
    n = round(seconds * pose.fps)
    image, visibility = pose.image.copy(), pose.visibility.copy()
    world = None if pose.world is None else pose.world.copy()
    image[at : at + n] = pose.image[upright]
    image[at : at + n, :, 0] += shift
    visibility[at : at + n] = pose.visibility[upright]
    outside = (image[:, :, 0] < 0) | (image[:, :, 0] > 1)
    visibility[outside] = np.minimum(visibility[outside], GUESSED)
    if world is not None:
        world[at : at + n] = pose.world[upright]  # type: ignore[index]
    return _with(pose, image, visibility, world)


# -- the same set through another phone or another take --------------------------------


def _mirror_index() -> list[int]:
    """Each landmark's index in a mirrored picture: a left joint is seen as a right one."""
    index = list(range(len(Landmark)))
    for mark in Landmark:
        name = mark.name
        if "LEFT" in name.split("_"):
            right = Landmark[name.replace("LEFT", "RIGHT")]
            index[mark], index[right] = int(right), int(mark)
    return index


def mirrored(pose: PoseSequence) -> PoseSequence:
    """The picture flipped left to right (a front camera, or the person facing the other
    way): x turned over, and each side's landmarks named as the other side's."""
    index = _mirror_index()
    image = pose.image[:, index].copy()
    image[:, :, 0] = 1.0 - image[:, :, 0]
    world = None if pose.world is None else pose.world[:, index].copy()
    if world is not None:
        world[:, :, 0] = -world[:, :, 0]
    return _with(pose, image, pose.visibility[:, index].copy(), world)


def every_nth(pose: PoseSequence, n: int) -> PoseSequence:
    """Every `n`th frame: the same set filmed at a lower frame rate."""
    keep = np.arange(0, pose.frames, n)
    return _kept(pose, keep)


def frames_dropped(pose: PoseSequence, share: float, seed: int) -> PoseSequence:
    """About `share` of the frames lost at random (a busy phone skips frames): the times
    keep their gaps."""
    rng = np.random.default_rng(seed)
    keep = np.r_[0, 1 + np.flatnonzero(rng.random(pose.frames - 1) >= share)]
    return _kept(pose, keep)


def _kept(pose: PoseSequence, keep: NDArray[np.intp]) -> PoseSequence:
    world = None if pose.world is None else pose.world[keep]
    return _with(pose, pose.image[keep], pose.visibility[keep], world, pose.times[keep])


def jittered(pose: PoseSequence, pixels: float, metres: float, seed: int) -> PoseSequence:
    """Every landmark shaken at random each frame, by `pixels` in the picture and `metres`
    in the world (standard deviations): a cheaper phone, a worse light, a smaller model."""
    rng = np.random.default_rng(seed)
    image = pose.image.copy()
    image[:, :, 0] += rng.normal(0.0, pixels / pose.width, image.shape[:2])
    image[:, :, 1] += rng.normal(0.0, pixels / pose.height, image.shape[:2])
    world = None if pose.world is None else pose.world + rng.normal(0.0, metres, pose.world.shape)
    return _with(pose, image, pose.visibility.copy(), world)


def farther(pose: PoseSequence, scale: float) -> PoseSequence:
    """The camera farther away: the person `scale` times as large, in the middle of the
    picture; the world landmarks (metres) do not change."""
    image = pose.image.copy()
    image[:, :, :2] = 0.5 + (image[:, :, :2] - 0.5) * scale
    image[:, :, 2] *= scale  # z is on the picture's x scale
    return _with(pose, image, pose.visibility.copy(), pose.world)


# -- faults put into clean clips -----------------------------------------------------------


def _bump(frames: int, start: int, peak: int, stop: int) -> FloatArray:
    """0 outside [start, stop], rising along half a cosine to 1 at `peak` and back."""
    weight = np.zeros(frames)
    for a, b, rising in ((start, peak, True), (peak, stop, False)):
        if b > a:
            x = (1 - np.cos(np.pi * np.arange(b - a + 1) / (b - a))) / 2
            weight[a : b + 1] = np.maximum(weight[a : b + 1], x if rising else x[::-1])
    return weight


def _turned(points: FloatArray, centre: FloatArray, angle: FloatArray) -> FloatArray:
    """(T, n, 2) pixel points turned about (T, 2) centres by (T,) radians (y down)."""
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    v = points - centre[:, None, :]
    return centre[:, None, :] + np.stack(
        [c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], -1
    )


def _picture(pose: PoseSequence, px: FloatArray) -> PoseSequence:
    """The clip with the picture's landmarks moved to `px` (pixels); the world landmarks
    (and so the rep count) stay as they were."""
    image = pose.image.copy()
    image[:, :, :2] = px / np.array([pose.width, pose.height], dtype=np.float64)
    return _with(pose, image, pose.visibility.copy(), pose.world)


def _facing(pose: PoseSequence) -> int:
    from hingecoach.motion.kinematics import kinematics

    return kinematics(pose).facing


FEET = (
    (L.LEFT_HEEL, L.LEFT_ANKLE, L.LEFT_FOOT_INDEX),
    (L.RIGHT_HEEL, L.RIGHT_ANKLE, L.RIGHT_FOOT_INDEX),
)
TOES = (L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)


def raise_heels(
    pose: PoseSequence, reps: list[tuple[int, int, int]], degrees: float
) -> PoseSequence:
    """Both heels raised `degrees` at the bottom of each rep (start, bottom, end frames),
    easing in and out: each foot turns about its toes, and the body above the ankles rises
    with them, as in a real heel raise."""
    px = pose.pixels()
    weight = np.zeros(pose.frames)
    for start, bottom, end in reps:
        weight = np.maximum(weight, _bump(pose.frames, start, bottom, end))
    angle = np.radians(degrees) * weight * _facing(pose)
    moved = px.copy()
    lift = np.zeros((pose.frames, 2))
    for heel, ankle, toe in FEET:
        turned = _turned(px[:, [heel, ankle]], px[:, toe], angle)
        moved[:, [heel, ankle]] = turned
        lift += (turned[:, 1] - px[:, ankle]) / 2
    body = [i for i in range(px.shape[1]) if i not in {j for foot in FEET for j in foot}]
    moved[:, body] += lift[:, None, :]
    return _picture(pose, moved)


def hips_first(
    pose: PoseSequence, reps: list[tuple[int, int, int]], degrees: float
) -> PoseSequence:
    """Each rep's pull made hips-first: from its bottom the upper body (everything above
    the hips) turns `degrees` further forward about the hips as they rise, and back by
    the rep's end, so the shoulders lag while the hips go up."""
    px = pose.pixels()
    weight = np.zeros(pose.frames)
    for _, bottom, end in reps:
        weight = np.maximum(weight, _bump(pose.frames, bottom, bottom + (end - bottom) // 3, end))
    angle = np.radians(degrees) * weight * _facing(pose)
    hips = (px[:, L.LEFT_HIP] + px[:, L.RIGHT_HIP]) / 2
    upper = [int(i) for i in L if i <= L.RIGHT_SHOULDER or L.LEFT_ELBOW <= i <= L.RIGHT_THUMB]
    moved = px.copy()
    moved[:, upper] = _turned(px[:, upper], hips, angle)
    return _picture(pose, moved)


def lean_back(pose: PoseSequence, reps: list[tuple[int, int, int]], degrees: float) -> PoseSequence:
    """Each rep finished leaning back: over the last third of its rise the upper body
    (everything above the hips) turns `degrees` backwards about the hips, holds it for half
    a second at the top, and comes back to where it was."""
    px = pose.pixels()
    weight = np.zeros(pose.frames)
    hold = round(0.5 * pose.fps)
    for _, bottom, end in reps:
        rise = end - (end - bottom) // 3
        top = min(end + hold, pose.frames - 1)
        back = min(top + hold, pose.frames - 1)
        weight = np.maximum(weight, _bump(pose.frames, rise, end, back))
        weight[end : top + 1] = 1.0
    angle = -np.radians(degrees) * weight * _facing(pose)
    hips = (px[:, L.LEFT_HIP] + px[:, L.RIGHT_HIP]) / 2
    upper = [int(i) for i in L if i <= L.RIGHT_SHOULDER or L.LEFT_ELBOW <= i <= L.RIGHT_THUMB]
    moved = px.copy()
    moved[:, upper] = _turned(px[:, upper], hips, angle)
    return _picture(pose, moved)
