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
    # labels-more.csv
    "bodyweight squat": "hinge_to_squat",
    "resistance-band deadlift": "kb_lift",  # from the bottom, like a lift from the floor
    "barbell sumo deadlift": "kb_lift",
    "Zercher squat (bar taken from floor)": "hinge_to_squat",
    "barbell deadlift (conventional)": "kb_lift",
    "bodyweight air squat": "hinge_to_squat",
    "barbell back squat": "hinge_to_squat",
    "barbell good morning": "weighted_hinge",
    "dumbbell goblet squat": "hinge_to_squat",
    "two-hand kettlebell swing": "kb_swing",
    "barbell Romanian deadlift": "weighted_hinge",  # from standing, down and up
}

# The views the analysis may call each labelled camera angle: "side", "oblique" or
# "front" by the shoulders' width over the torso's length (motion/thresholds.py); a label
# between two of them accepts either, a clip that changes camera any it shows.
VIEWS_OF = {
    "side": {"side"},
    "side-oblique": {"side", "oblique"},
    "front-oblique": {"oblique", "front"},
    "front-oblique with a very low camera": {"oblique", "front"},
    "rear": {"oblique"},  # rear-oblique, about 45 deg behind (labels-more.csv notes)
    "front with a side-view inset": {"front"},
    "oblique for 5 reps then front for 3": {"oblique", "front"},
    "front-oblique 0-11 s then front 13-23 s then side 26-35 s": {"oblique", "front", "side"},
}

# Labelled faults and the fault code the report must carry for them.
FAULT_CODE = {"knee_dominant": "knee_dominant", "rounded_back": "trunk_line_lost"}


def shared_or_skip(path: Path) -> Path:
    if path.exists():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{path} is missing: CI must run with ../shared beside the checkout")
    pytest.skip(f"{path} not found (the shared clips sit beside the checkout)")


LABEL_FILES = ("labels.csv", "labels-more.csv")


def labelled_clips() -> list[dict[str, str]]:
    """Every labelled clip of both label files, each row with `labels` naming its file."""
    rows = []
    for name in LABEL_FILES:
        labels = VIDEOS / name
        if not labels.exists():
            continue
        with labels.open(newline="") as handle:
            rows += [
                {**row, "labels": name}
                for row in csv.DictReader(handle)
                if row["file"].endswith(".mp4")
            ]
    return rows
