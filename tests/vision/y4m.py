"""A clip as a Y4M file for Chromium's fake camera (`--use-file-for-fake-video-capture`).

Decoded with OpenCV (already installed for the vision extra), resampled to `fps`, scaled to
`width`, and written as planar 4:2:0, with the first frame held `lead` seconds before the
clip and the last held `tail` seconds after it: the camera starts before the page watches,
and a set ends standing still, before the fake camera would loop back to the start.
"""

from __future__ import annotations

from pathlib import Path

import cv2


def write_y4m(
    clip: Path, out: Path, width: int = 270, fps: int = 30, lead: float = 2.0, tail: float = 3.0
) -> float:
    """Write `out`; return the clip's own length in seconds (without lead and tail)."""
    capture = cv2.VideoCapture(str(clip))
    source_fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    if not frames:
        raise ValueError(f"{clip}: no frames")
    height = round(frames[0].shape[0] * width / frames[0].shape[1] / 2) * 2
    length = len(frames) / source_fps
    picked = [
        frames[min(int(i * source_fps / fps), len(frames) - 1)] for i in range(int(length * fps))
    ]
    held = [picked[0]] * int(lead * fps) + picked + [picked[-1]] * int(tail * fps)
    with out.open("wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in held:
            small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
            handle.write(b"FRAME\n")
            handle.write(cv2.cvtColor(small, cv2.COLOR_BGR2YUV_I420).tobytes())
    return length
