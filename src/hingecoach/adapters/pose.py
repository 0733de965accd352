"""The one entry point of the pose estimator: MediaPipe BlazePose, fully offline.

`mediapipe==0.10.14` ships `pose_detection.tflite` and `pose_landmark_full.tflite` inside
the wheel, so `solutions.pose` with model_complexity=1 runs with no download. The heavy
landmark model (model_complexity=2) is not in the wheel, and MediaPipe would download it on
first use: `make install` copies it instead from the npm package `@mediapipe/pose` (the
same file, adapters/pose_web.py `install_heavy`), and `estimate` refuses to run the heavy
model until it is there. Every model file's SHA-256 is pinned below and checked by
`verify_models()` (run by `make install` and a test).

Both cores work. Decoding runs in a thread that keeps a small queue of frames ahead of
inference (OpenCV and MediaPipe release the GIL while they compute), and a clip long enough
is cut in two halves that two pose trackers follow at once: the second starts
`_OVERLAP_SECONDS` before the cut, so its tracker has settled by the time its frames are
kept, and the first half's tracker keeps every frame before the cut.
"""

from __future__ import annotations

import hashlib
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from hingecoach.adapters.pose_options import COMPLEXITY, PoseOptions
from hingecoach.adapters.video import Frame, VideoInfo, VideoLimits, frames
from hingecoach.adapters.vision_extra import require_mediapipe
from hingecoach.errors import VideoError
from hingecoach.motion.pose import LANDMARKS, PoseSequence

__all__ = [
    "COMPLEXITY",
    "HEAVY_FILE",
    "MODEL_FILES",
    "PoseOptions",
    "estimate",
    "model_dir",
    "verify_models",
]

MODEL_FILES = {
    "pose_detection/pose_detection.tflite": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    "pose_landmark/pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
}
HEAVY_FILE = "pose_landmark/pose_landmark_heavy.tflite"
HEAVY_SHA256 = "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
MODEL_NAME = "mediapipe-0.10.14 blazepose full (complexity 1)"
# A clip is cut in two for two trackers only when each half is at least this long, and the
# second tracker starts this long before the cut (BlazePose's detector finds the person on
# its first frame; its landmark smoothing settles within about half a second).
_SPLIT_MIN_SECONDS = 4.0
# Frames a second the trackers follow at most: the rate motion/thresholds.py's filters and
# timings were set at (the labelled clips are 24-30 fps, three are 60).
_MOST_FPS = 30.0
_OVERLAP_SECONDS = 1.0
_QUEUE_DEPTH = 8
_DONE = object()


def model_dir() -> Path:
    mp = require_mediapipe()
    return Path(mp.__file__).parent / "modules"


def model_name(model: str) -> str:
    return f"mediapipe-0.10.14 blazepose {model} (complexity {COMPLEXITY[model]})"


def verify_models(heavy: bool = False) -> dict[str, str]:
    """Check each model file against its pinned SHA-256 (the heavy one too when asked, once
    make install has put it in place); return the sums."""
    sums: dict[str, str] = {}
    wanted = dict(MODEL_FILES) | ({HEAVY_FILE: HEAVY_SHA256} if heavy else {})
    for rel, expected in wanted.items():
        path = model_dir() / rel
        if not path.is_file():
            raise VideoError("vision_missing", f"pose model file missing: {path}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise VideoError(
                "vision_missing", f"pose model file {rel} has SHA-256 {digest}, expected {expected}"
            )
        sums[rel] = digest
    return sums


def _prefetch(source: Iterator[Frame]) -> Iterator[Frame]:
    """Decode in a background thread, a few frames ahead of the consumer.

    If the consumer stops early (an error in inference, Ctrl-C), the worker is told to stop,
    the queue is drained so it cannot block, and the decoder is closed (releasing the file).
    """
    buffer: queue.Queue[Any] = queue.Queue(maxsize=_QUEUE_DEPTH)
    stop = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            for frame in source:
                while not stop.is_set():
                    try:
                        buffer.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    break
        except BaseException as exc:  # handed to the consumer, not lost in the thread
            failure.append(exc)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
            buffer.put(_DONE)

    thread = threading.Thread(target=work, name="hinge-decode", daemon=True)
    thread.start()
    try:
        while (item := buffer.get()) is not _DONE:
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                buffer.get(timeout=0.1)
            except queue.Empty:
                continue
        thread.join()
    if failure:
        raise failure[0]


@contextmanager
def _native_logs_silenced() -> Iterator[None]:
    """MediaPipe's C++ logs go straight to file descriptor 2; hide them while it runs.

    Progress output must therefore go to a duplicate of the original stderr (the CLI makes one).
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _landmarks(result: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    image = np.full((LANDMARKS, 3), np.nan)
    world = np.full((LANDMARKS, 3), np.nan)
    vis = np.zeros(LANDMARKS)
    if result.pose_landmarks is not None:
        for i, lm in enumerate(result.pose_landmarks.landmark):
            image[i] = (lm.x, lm.y, lm.z)
            vis[i] = lm.visibility
    if result.pose_world_landmarks is not None:
        for i, lm in enumerate(result.pose_world_landmarks.landmark):
            world[i] = (lm.x, lm.y, lm.z)
    return image, world, vis


def estimate(
    info: VideoInfo,
    progress: Callable[[int], None] | None = None,
    limits: VideoLimits | None = None,
    options: PoseOptions | None = None,
) -> PoseSequence:
    """Run BlazePose over every frame of a probed clip, on both halves at once when the
    clip is long enough and more than one worker is allowed."""
    chosen = options or PoseOptions()
    if chosen.model not in COMPLEXITY:
        raise VideoError("vision_missing", f"no pose model {chosen.model!r}: full or heavy")
    if chosen.model == "heavy":
        verify_models(heavy=True)  # never let MediaPipe download it
    bounds = limits or VideoLimits()
    cut = info.duration / 2
    with _native_logs_silenced():  # once for both trackers: the silencing swaps stderr
        if chosen.workers < 2 or cut < _SPLIT_MIN_SECONDS:
            found = _track(info, bounds, chosen.model, progress, None, None)
        else:
            found = _in_two_halves(info, bounds, chosen.model, progress, cut)
    if not found:
        raise VideoError("unreadable_video", f"{info.path}: no frame could be decoded")
    images, worlds, vis, times = (list(column) for column in zip(*found, strict=True))
    meta = {"source": info.path.name, "rotation": str(info.rotation), "fps": f"{info.fps:.3f}"}
    return PoseSequence(
        np.stack(images), np.stack(vis), np.asarray(times, dtype=np.float64),
        info.width, info.height, np.stack(worlds), model_name(chosen.model), meta,
    )  # fmt: skip


_Tracked = tuple[np.ndarray, np.ndarray, np.ndarray, float]  # image, world, visibility, time


def _in_two_halves(
    info: VideoInfo,
    bounds: VideoLimits,
    model: str,
    progress: Callable[[int], None] | None,
    cut: float,
) -> list[_Tracked]:
    """The first tracker keeps the frames before `cut`, the second those from it; the
    second starts `_OVERLAP_SECONDS` earlier and counts its warm-up frames as no progress."""
    halves: list[list[_Tracked]] = [[], []]
    failure: list[BaseException] = []

    def second() -> None:
        try:
            halves[1] = _track(info, bounds, model, progress, cut - _OVERLAP_SECONDS, None)
        except BaseException as exc:  # handed to the caller, not lost in the thread
            failure.append(exc)

    thread = threading.Thread(target=second, name="hinge-pose-2", daemon=True)
    thread.start()
    try:
        halves[0] = _track(info, bounds, model, progress, None, cut)
    finally:
        thread.join()
    if failure:
        raise failure[0]
    return halves[0] + [row for row in halves[1] if row[3] >= cut]


def _track(
    info: VideoInfo,
    bounds: VideoLimits,
    model: str,
    progress: Callable[[int], None] | None,
    start: float | None,
    stop: float | None,
) -> list[_Tracked]:
    """One tracker over the frames from `start` (decoded, not tracked, before it) to `stop`."""
    mp = require_mediapipe()
    found: list[_Tracked] = []
    with mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=COMPLEXITY[model],
        smooth_landmarks=True,
        enable_segmentation=False,
    ) as pose:
        stride = _stride(info.fps)
        for frame in _prefetch(frames(info, bounds)):
            if stop is not None and frame.time >= stop:
                break
            if start is not None and frame.time < start:
                continue
            if frame.index % stride == 0:
                image, world, visibility = _landmarks(pose.process(frame.rgb))
                found.append((image, world, visibility, frame.time))
            if progress is not None and (start is None or frame.time >= start + _OVERLAP_SECONDS):
                progress(1)  # every frame of the clip counts toward its end, tracked or not
    return found


def _stride(fps: float) -> int:
    """Track every frame up to `_MOST_FPS`; a faster clip (a phone's 60 or 120 fps) every
    second or fourth, so it is tracked at the rate its thresholds were set at (30 fps) in
    half or a quarter of the time."""
    return max(1, round(fps / _MOST_FPS)) if fps >= 1.5 * _MOST_FPS else 1
