"""Files a form check must refuse, made on the spot from a real clip and OpenCV's encoder
(nothing is copied into the repository). Each maker writes one file into `folder` and
returns its path; CORPUS names each with the fault code it must get.

The encoder at hand cannot make a 1 x 1 video; a 2 x 2 one stands in for "a picture too
small to hold a body".
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.vision.conftest import VIDEOS, shared_or_skip

CLIP = "kbtrainer_bomDia.mp4"  # the smallest real clip (about 220 KB)


def _clip() -> bytes:
    return shared_or_skip(VIDEOS / CLIP).read_bytes()


def _synthetic(folder: Path, name: str, size: tuple[int, int], frames: int, fps: float) -> Path:
    import cv2
    import numpy as np

    path = folder / name
    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    assert writer.isOpened(), f"cannot write {name}"
    for n in range(frames):
        writer.write(np.full((height, width, 3), (n * 7) % 255, np.uint8))
    writer.release()
    return path


def zero_bytes(folder: Path) -> Path:
    path = folder / "empty.mp4"
    path.write_bytes(b"")
    return path


def text(folder: Path) -> Path:
    path = folder / "notes.mp4"
    path.write_text("my session went well\n" * 50)
    return path


def png_renamed(folder: Path) -> Path:
    import cv2
    import numpy as np

    path = folder / "photo.mp4"
    ok, data = cv2.imencode(".png", np.zeros((200, 200, 3), np.uint8))
    assert ok
    path.write_bytes(data.tobytes())
    return path


def first_10_kb(folder: Path) -> Path:
    path = folder / "head.mp4"
    path.write_bytes(_clip()[: 10 * 1024])
    return path


def half_a_clip(folder: Path) -> Path:
    data = _clip()
    path = folder / "half.mp4"
    path.write_bytes(data[: len(data) // 2])
    return path


def tiny_picture(folder: Path) -> Path:
    return _synthetic(folder, "tiny.mp4", (2, 2), 30, 30)


def huge_picture(folder: Path) -> Path:
    return _synthetic(folder, "huge.mp4", (8000, 8000), 1, 30)


def four_minutes(folder: Path) -> Path:
    return _synthetic(folder, "long.mp4", (160, 160), 240, 1)  # 240 frames at 1 a second


def claims_hours(folder: Path) -> Path:
    return _synthetic(folder, "hours.mp4", (160, 160), 400, 0.01)  # 400 frames, 11 hours


def polyglot(folder: Path) -> Path:
    """A real clip that is also a ZIP archive (its directory at the end, as ZIPs are read)."""
    path = folder / "clip.mp4"
    path.write_bytes(_clip())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("run.sh", "echo hello\n")
    return path


CORPUS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zero bytes": (zero_bytes, "not_a_video"),
    "text": (text, "not_a_video"),
    "a PNG renamed .mp4": (png_renamed, "not_a_video"),
    "the first 10 KB of a clip": (first_10_kb, "truncated_video"),
    "half a clip": (half_a_clip, "truncated_video"),
    "a 2 x 2 picture": (tiny_picture, "picture_too_small"),
    "an 8000 x 8000 picture": (huge_picture, "picture_too_large"),
    "a 4-minute video": (four_minutes, "video_too_long"),
    "a container that claims hours": (claims_hours, "video_too_long"),
    "a clip that is also a ZIP": (polyglot, "not_a_video"),
}
