"""The one entry point of the pose estimator: MediaPipe BlazePose, fully offline.

`mediapipe==0.10.14` ships `pose_detection.tflite` and `pose_landmark_full.tflite` inside
the wheel, so `solutions.pose` with model_complexity=1 runs with no download. Their SHA-256
sums are pinned below and checked by `verify_models()` (run by `make install` and a test).
Decoding runs in a thread that keeps a small queue of frames ahead of inference, so both
cores work: OpenCV and MediaPipe release the GIL while they compute.
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

from hingecoach.adapters.video import Frame, VideoInfo, VideoLimits, frames
from hingecoach.adapters.vision_extra import require_mediapipe
from hingecoach.errors import VideoError
from hingecoach.motion.pose import LANDMARKS, PoseSequence

__all__ = ["MODEL_FILES", "estimate", "model_dir", "verify_models"]

MODEL_FILES = {
    "pose_detection/pose_detection.tflite": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    "pose_landmark/pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
}
MODEL_NAME = "mediapipe-0.10.14 blazepose full (complexity 1)"
_QUEUE_DEPTH = 8
_DONE = object()


def model_dir() -> Path:
    mp = require_mediapipe()
    return Path(mp.__file__).parent / "modules"


def verify_models() -> dict[str, str]:
    """Check each shipped model file against its pinned SHA-256; return the sums."""
    sums: dict[str, str] = {}
    for rel, expected in MODEL_FILES.items():
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
) -> PoseSequence:
    """Run BlazePose (full) over every frame of a probed clip."""
    mp = require_mediapipe()
    images, worlds, vis, times = [], [], [], []
    with (
        _native_logs_silenced(),
        mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=1,
            smooth_landmarks=True,
            enable_segmentation=False,
        ) as pose,
    ):
        for frame in _prefetch(frames(info, limits or VideoLimits())):
            image, world, visibility = _landmarks(pose.process(frame.rgb))
            images.append(image)
            worlds.append(world)
            vis.append(visibility)
            times.append(frame.time)
            if progress is not None:
                progress(1)
    if not times:
        raise VideoError("unreadable_video", f"{info.path}: no frame could be decoded")
    meta = {"source": info.path.name, "rotation": str(info.rotation), "fps": f"{info.fps:.3f}"}
    return PoseSequence(
        np.stack(images), np.stack(vis), np.asarray(times, dtype=np.float64),
        info.width, info.height, np.stack(worlds), MODEL_NAME, meta,
    )  # fmt: skip
