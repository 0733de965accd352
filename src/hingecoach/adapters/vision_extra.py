"""Import the optional vision stack, with a friendly error when it is missing."""

from __future__ import annotations

import importlib
import os
import warnings
from typing import Any

from hingecoach.errors import VisionMissingError

__all__ = ["require_cv2", "require_mediapipe"]


def require_cv2() -> Any:
    try:
        return importlib.import_module("cv2")
    except ImportError:
        raise VisionMissingError("OpenCV (opencv-contrib-python)") from None


def require_mediapipe() -> Any:
    # Quiet the native logs and a protobuf deprecation notice that mean nothing to a user.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore", message="SymbolDatabase.GetPrototype", category=UserWarning)
    try:
        return importlib.import_module("mediapipe")
    except ImportError:
        raise VisionMissingError("MediaPipe (mediapipe==0.10.14)") from None
