"""Paths to the labelled clips (read from ../shared, never copied) and committed keypoints."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIDEOS = ROOT.parent / "shared" / "videos"
FIXTURES = ROOT / "tests" / "fixtures" / "keypoints"

# The catalog exercise each labelled clip is judged as.
EXERCISE_OF = {
    "kettlebell deadlift from the floor": "kb_lift",
    "back squat holding a dowel": "hinge_to_squat",
    "good morning with a dowel on the back": "dowel_hinge",
    "hip hinge pattern with a dowel (deadlift drill)": "dowel_hinge",
    "front squat holding a dowel": "hinge_to_squat",
    "kettlebell goblet squat": "hinge_to_squat",
    "bodyweight squat with hands behind the head": "hinge_to_squat",
    "kettlebell deadlift": "kb_lift",
    "kettlebell good morning (bell behind the head)": "weighted_hinge",
    "kettlebell swing to overhead": "kb_swing",
    "kettlebell swing": "kb_swing",
    "barbell deadlift": "kb_lift",
    "barbell pull with high hips (Romanian-deadlift-like)": "kb_lift",
}

# Labelled faults and the fault code the report must carry for them.
FAULT_CODE = {"knee_dominant": "knee_dominant", "rounded_back": "trunk_line_lost"}


def shared_or_skip(path: Path) -> Path:
    if path.exists():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{path} is missing: CI must run with ../shared beside the checkout")
    pytest.skip(f"{path} not found (the shared clips sit beside the checkout)")


def labelled_clips() -> list[dict[str, str]]:
    labels = VIDEOS / "labels.csv"
    if not labels.exists():
        return []
    with labels.open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["file"].endswith(".mp4")]
