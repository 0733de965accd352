"""The browser's pose model: the files of the npm package `@mediapipe/pose`, served by this
server to the live coaching page (no CDN, nothing fetched from elsewhere at run time).

`make install` puts the package in `node_modules/@mediapipe/pose` (pinned in package.json,
its integrity hash in package-lock.json); each file served is checked here against its
SHA-256 pinned below, once per process, so a changed or damaged file is never sent to a
phone. `HINGE_POSE_WEB_DIR` (settings.py) points elsewhere, for a copy outside the checkout.
`python -m hingecoach.adapters.pose_web` checks every file (make install runs it).
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import threading
from pathlib import Path

from hingecoach.errors import NotFoundError, VideoError

__all__ = [
    "MODELS",
    "PACKAGE",
    "VERSION",
    "install_heavy",
    "pose_web_dir",
    "verified",
    "verify_all",
]

PACKAGE = "@mediapipe/pose"
VERSION = "0.5.1675469404"

# Every file the solution loads, by name, with its SHA-256 (npm pack of VERSION).
FILES = {
    "pose.js": "fcb703afcce65d0a1c540f6a70c3bb45fc84521498c21a9d4160265dde648ab4",
    "pose_web.binarypb": "dc8efd1c2d62007b34278467407fda5f70847f41310e0e39f0f59fc17b1d01f7",
    "pose_solution_packed_assets_loader.js": (
        "d7aa29b7d8e11b5c97a58d719e982dd15c2de72995d95112d60492b854840a36"
    ),
    "pose_solution_packed_assets.data": (
        "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85"
    ),
    "pose_solution_simd_wasm_bin.js": (
        "3983d1dca31d945d81abb70b18dd61f28ef4736e112463d7cfb1cbadef588127"
    ),
    "pose_solution_simd_wasm_bin.wasm": (
        "195a929430e2ce130b3efb82e64ba27c8e68cb0f6bad870b715688060ea6f7e2"
    ),
    "pose_solution_simd_wasm_bin.data": (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    ),
    "pose_solution_wasm_bin.js": "3fcfd9574a04fcf4a0b9271b9b4429c6b9a70278300a5e54c45ddf2001e41422",
    "pose_solution_wasm_bin.wasm": (
        "a5589369289e1f1e007c106e8ffb26e85a5be762c6db9551ed36213f8f58378d"
    ),
    "pose_landmark_lite.tflite": "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    "pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "pose_landmark_heavy.tflite": (
        "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
    ),
}

# The landmark models by the solution's `modelComplexity`.
MODELS = {0: "lite", 1: "full", 2: "heavy"}

_checked: dict[Path, tuple[int, int]] = {}  # path -> (size, mtime) when it last matched
_lock = threading.Lock()


def pose_web_dir(configured: Path | None = None) -> Path:
    """Where the package's files are: the setting, else the checkout's node_modules."""
    return configured or Path(__file__).resolve().parents[3] / "node_modules" / PACKAGE


def verified(name: str, folder: Path | None = None) -> Path:
    """The file `name` of the package, once its checksum matches the pinned one."""
    expected = FILES.get(name)
    if expected is None:
        raise NotFoundError(f"pose file: {PACKAGE} has no file {name!r} that is served")
    path = pose_web_dir(folder) / name
    try:
        stat = path.stat()
    except OSError:
        raise VideoError(
            "vision_missing",
            f"the browser's pose model is not installed ({path}): run make install",
        ) from None
    stamp = (stat.st_size, stat.st_mtime_ns)
    with _lock:
        if _checked.get(path) == stamp:
            return path
    digest = _sha256(path)
    if digest != expected:
        raise VideoError(
            "vision_missing", f"pose file {name} has SHA-256 {digest}, expected {expected}"
        )
    with _lock:
        _checked[path] = stamp
    return path


def verify_all(folder: Path | None = None) -> dict[str, str]:
    """Check every file; the sums by name."""
    return {name: _sha256(verified(name, folder)) for name in FILES}


def install_heavy(folder: Path | None = None) -> Path:
    """Put the heavy landmark model where MediaPipe's Python solution looks for it, so the
    server can run it without the download MediaPipe would start (adapters/pose.py). The
    npm package's file is the same model; it is copied only once its checksum matches."""
    from hingecoach.adapters.pose import HEAVY_FILE, model_dir

    source = verified("pose_landmark_heavy.tflite", folder)
    target = model_dir() / HEAVY_FILE
    if not target.exists() or _sha256(target) != FILES["pose_landmark_heavy.tflite"]:
        partial = target.with_suffix(".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    try:
        sums = verify_all()  # the checkout's copy, where make install puts it
    except (VideoError, NotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"browser pose model ok: {PACKAGE} {VERSION}, {len(sums)} files checked")
    try:
        heavy = install_heavy()
    except VideoError as exc:  # the vision extra is not installed: no server analysis
        print(f"heavy model not installed for the server: {exc}", file=sys.stderr)
        return 0
    print(f"heavy landmark model ready for server analysis: {heavy}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
