"""Import the optional vision stack, with a friendly error when it is missing."""

from __future__ import annotations

import importlib
from typing import Any

from hingecoach.errors import VisionMissingError

__all__ = ["require_cv2", "require_mediapipe"]


def require_cv2() -> Any:
    try:
        return importlib.import_module("cv2")
    except ImportError:
        raise VisionMissingError("OpenCV (opencv-contrib-python)") from None


def require_mediapipe() -> Any:
    try:
        return importlib.import_module("mediapipe")
    except ImportError:
        raise VisionMissingError("MediaPipe (mediapipe==0.10.14)") from None
