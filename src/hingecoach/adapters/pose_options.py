"""Which pose model the server runs, and on how many trackers at once (settings.py:
HINGE_POSE_MODEL, HINGE_POSE_WORKERS). Apart from adapters/pose.py, so choosing costs no
import of the vision stack."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMPLEXITY", "PoseOptions"]

# The landmark models by name, and MediaPipe's model_complexity for each.
COMPLEXITY = {"full": 1, "heavy": 2}


@dataclass(frozen=True)
class PoseOptions:
    model: str = "full"  # a key of COMPLEXITY
    workers: int = 2  # 1: one tracker; 2: the clip's two halves at once
