"""Video decoding with OpenCV: checks first, then frames with their own timestamps.

A file that is not a video, is too long or too large is refused before decoding, each with
its own error and advice. OpenCV applies the phone's rotation metadata itself
(CAP_PROP_ORIENTATION_AUTO); each frame keeps the container's timestamp, so variable
frame rates give true times.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hingecoach.adapters.container import container_of
from hingecoach.errors import VideoError

__all__ = ["Frame", "VideoInfo", "VideoLimits", "frames", "probe"]

MAX_SECONDS = 180.0
MAX_BYTES = 500 * 1024 * 1024
# A body needs some pixels to be found; more than 4K is more than the pose model can use, and
# decoding it costs memory a shared server does not have (4096 x 2304 covers every 4K phone).
MIN_SIDE = 120
MAX_PIXELS = 4096 * 2304


@dataclass(frozen=True)
class VideoLimits:
    max_seconds: float = MAX_SECONDS
    max_bytes: int = MAX_BYTES
    min_side: int = MIN_SIDE
    max_pixels: int = MAX_PIXELS


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    width: int
    height: int
    fps: float
    frame_count: int
    duration: float
    rotation: int


@dataclass(frozen=True)
class Frame:
    index: int
    time: float  # seconds
    rgb: Any  # numpy uint8 (H, W, 3)


def _cv2() -> Any:
    from hingecoach.adapters.vision_extra import require_cv2

    return require_cv2()


def probe(path: Path, limits: VideoLimits = VideoLimits()) -> VideoInfo:
    """Open and measure a clip, refusing what cannot or should not be analysed."""
    try:
        found = path.is_file()
        size = path.stat().st_size if found else 0
    except OSError as exc:  # a name too long, a folder we may not read, ...
        raise VideoError("unreadable_video", f"cannot read that file: {exc.strerror}") from None
    if not found:
        raise VideoError("unreadable_video", f"{path}: no such file")
    if size > limits.max_bytes:
        raise VideoError(
            "video_too_large",
            f"{path}: {size / 1e6:.0f} MB is over the {limits.max_bytes / 1e6:.0f} MB limit; trim the clip to one set",
        )
    container_of(path)  # what the bytes are, before a decoder sees them
    cv2 = _cv2()
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    try:
        if not cap.isOpened():
            raise VideoError(
                "unreadable_video",
                f"{path}: not a video OpenCV can read; record an MP4 or MOV with the phone's camera app",
            )
        _check_picture(path, cap, cv2, limits)
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        fps = fps if 0 < fps < 1000 else 30.0  # a missing or absurd rate: timestamps decide
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        ok, first = cap.read()
        if not ok or first is None:
            raise VideoError(
                "unreadable_video", f"{path}: no frame could be decoded; the file may be damaged"
            )
        height, width = first.shape[:2]
        rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)
    finally:
        cap.release()
    duration = count / fps if fps > 0 else 0.0
    if duration > limits.max_seconds:
        raise VideoError(
            "video_too_long",
            f"{path}: {duration:.0f} s is over the {limits.max_seconds:.0f} s limit; record one set at a time",
        )
    return VideoInfo(path, width, height, fps, count, duration, rotation)


def _check_picture(path: Path, cap: Any, cv2: Any, limits: VideoLimits) -> None:
    """The picture's size from the stream's header, before a frame is decoded."""
    width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
    height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
    if min(width, height) < limits.min_side:
        raise VideoError(
            "picture_too_small",
            f"{path.name}: the picture is {width} x {height} pixels, too small to see a body "
            f"in (at least {limits.min_side} on each side); record with the phone's camera app",
        )
    if width * height > limits.max_pixels:
        raise VideoError(
            "picture_too_large",
            f"{path.name}: the picture is {width} x {height} pixels, more than 4K; record at "
            "4K or lower (1080p is plenty)",
        )


def frames(info: VideoInfo, limits: VideoLimits = VideoLimits()) -> Iterator[Frame]:
    """Decode every frame as RGB with its timestamp (falls back to index / fps).

    The length limit is enforced again while decoding: a container whose frame count or
    rate is missing or false cannot slip a long clip past `probe`.
    """
    cv2 = _cv2()
    cap = cv2.VideoCapture(str(info.path), cv2.CAP_FFMPEG)
    try:
        index = 0
        last = -1.0
        while True:
            ok, bgr = cap.read()
            if not ok or bgr is None:
                break
            stamp = float(cap.get(cv2.CAP_PROP_POS_MSEC) or 0.0) / 1000.0
            fallback = index / info.fps if info.fps > 0 else float(index)
            time = stamp if stamp > last else max(fallback, last + 1e-3)
            last = time
            if time > limits.max_seconds:
                raise VideoError(
                    "video_too_long",
                    f"{info.path}: longer than the {limits.max_seconds:.0f} s limit; record one set at a time",
                )
            yield Frame(index, time, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            index += 1
    finally:
        cap.release()
