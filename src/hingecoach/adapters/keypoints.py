"""Read and write keypoint files, so a clip can be analysed again without the pose model.

Format (documented in docs/keypoints.md): a NumPy `.npz` archive with
`image` (T, 33, 3) float32, `visibility` (T, 33) float32, `times` (T,) float64 seconds,
optional `world` (T, 33, 3) float32, and `meta`, a JSON string with at least `format`
("hingecoach-keypoints/1"), `width`, `height` and `model`. Missing landmarks are NaN.
The posetrack JSON of idvorkin/swing-analyzer (BlazePose keypoints in pixels) is read too.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from hingecoach.engine.texts import N_
from hingecoach.errors import ValidationError
from hingecoach.motion.pose import LANDMARKS, PoseSequence

__all__ = ["FORMAT", "keypoints_bytes", "read_keypoints", "read_posetrack", "write_keypoints"]

FORMAT = "hingecoach-keypoints/1"


def keypoints_bytes(pose: PoseSequence) -> bytes:
    """The keypoint file's bytes, for storing beside a session."""
    buffer = io.BytesIO()
    _save(pose, buffer)
    return buffer.getvalue()


def write_keypoints(pose: PoseSequence, path: Path) -> None:
    with path.open("wb") as handle:
        _save(pose, handle)


def _save(pose: PoseSequence, handle: Any) -> None:
    meta = {
        **pose.meta,
        "format": FORMAT,
        "width": pose.width,
        "height": pose.height,
        "model": pose.model,
    }
    arrays: dict[str, Any] = {
        "image": pose.image.astype(np.float32),
        "visibility": pose.visibility.astype(np.float32),
        "times": pose.times.astype(np.float64),
        "meta": np.array(json.dumps(meta)),
    }
    if pose.world is not None:
        arrays["world"] = pose.world.astype(np.float32)
    np.savez_compressed(handle, **arrays)


def _bad(path: Path, why: str) -> ValidationError:
    return ValidationError(
        "keypoints file",
        N_("a {format} .npz file or a posetrack .json file"),
        f"{path} ({why})",
        format=FORMAT,
    )


def read_keypoints(path: Path) -> PoseSequence:
    """Load a keypoint file written by `write_keypoints` (or a posetrack JSON)."""
    if path.suffix.lower() == ".json":
        return read_posetrack(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            world = data["world"].astype(np.float64) if "world" in data.files else None
            arrays = (
                data["image"].astype(np.float64),
                data["visibility"].astype(np.float64),
                data["times"].astype(np.float64),
            )
    except FileNotFoundError:
        raise _bad(path, "no such file") from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise _bad(path, f"unreadable: {exc.__class__.__name__}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise _bad(path, f"format {found!r}")
    try:
        width, height, model = int(meta["width"]), int(meta["height"]), str(meta["model"])
        extra = {
            k: str(v) for k, v in meta.items() if k not in {"width", "height", "model", "format"}
        }
        return PoseSequence(*arrays, width, height, world, model, extra)
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(path, f"bad metadata or arrays: {exc}") from None


def _posetrack_frame(
    frame: dict[str, Any], width: float, height: float
) -> tuple[np.ndarray, np.ndarray]:
    points = np.full((LANDMARKS, 3), np.nan)
    scores = np.zeros(LANDMARKS)
    for i, kp in enumerate(frame.get("keypoints", [])[:LANDMARKS]):
        points[i] = (kp["x"] / width, kp["y"] / height, kp.get("z", 0.0))
        scores[i] = kp.get("score", 0.0)
    return points, scores


def read_posetrack(path: Path, width: int = 1920, height: int = 1080) -> PoseSequence:
    """posetrack JSON: pixels of the source video (its size from the metadata when given,
    else `width` x `height`); times from frame indices at the metadata's fps (default 30)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        frames = data["frames"]
        meta = data.get("metadata", {})
        width = int(meta.get("videoWidth", width))
        height = int(meta.get("videoHeight", height))
        fps = float(meta.get("fps", 30.0))
        if not isinstance(frames, list) or not frames:
            raise ValueError("no frames")
        if fps <= 0 or width <= 0 or height <= 0:
            raise ValueError(f"fps, width and height must be positive: {fps}, {width}, {height}")
        pts, vis = zip(*(_posetrack_frame(f, width, height) for f in frames), strict=True)
        times = np.array(
            [f.get("frameIndex", i) / fps for i, f in enumerate(frames)], dtype=np.float64
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _bad(path, f"unreadable: {exc.__class__.__name__}: {exc}") from None
    model = f"{meta.get('model', 'blazepose')}-{meta.get('modelVariant', '')}".strip("-")
    return PoseSequence(
        np.stack(pts), np.stack(vis), times, width, height, None, model, {"source": path.name}
    )
