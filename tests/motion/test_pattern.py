"""Hinge or squat: by which side of the line between the squat band and the lift-from-the-
floor band (domain-rules.md) a rep's knee and trunk fall, with a margin and "unsure", read
in 3-D where the model gives world landmarks so the camera's angle does not change it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.motion.analysis import analyze
from hingecoach.motion.kinematics import kinematics, pattern_angles
from hingecoach.motion.metrics import classify, squat_side
from hingecoach.motion.reps import depth_signal
from hingecoach.motion.thresholds import THRESHOLDS as T
from tests.vision.variants import rotate_view

from .builders import (
    HINGE,
    SQUAT,
    STANDING,
    Posture,
    bend,
    posture_clip,
    side_figure,
    still,
    with_world,
)

PROPERTY = settings(max_examples=25, deadline=None)


@pytest.mark.parametrize(
    ("knee", "trunk", "pattern"),
    [
        (20, 60, "hinge"),  # hip hinge band
        (85, 45, "hinge"),  # the lift-from-the-floor band's centre
        (115, 35, "squat"),  # the squat band's centre
        (130, 20, "squat"),
        (120, 58, "hinge"),  # trunk past every squat band: a barbell pull, knees misread
        (100, 40, "unsure"),  # on the line between the two bands
        (float("nan"), 40, "unsure"),  # knees not seen
    ],
)
def test_a_rep_is_told_by_its_knee_and_trunk_with_unsure_near_the_line(
    knee: float, trunk: float, pattern: str
) -> None:
    assert classify(knee, trunk)[0] == pattern


def test_the_line_lies_halfway_between_the_band_centres() -> None:
    assert squat_side(*T.squat_centre) == pytest.approx(-squat_side(*T.lift_centre))
    assert squat_side(100, 40) == pytest.approx(0)
    assert squat_side(*T.squat_centre) > T.pattern_margin


def test_the_margin_is_the_distance_from_the_line_in_degrees() -> None:
    assert classify(*T.squat_centre)[1] == pytest.approx(math.hypot(15, 5))


def test_without_world_landmarks_the_pictures_angles_are_used() -> None:
    pose = still(side_figure(HINGE))
    angles = pattern_angles(pose, kinematics(pose))
    assert angles.source == "picture"


def test_world_angles_agree_with_the_picture_for_a_figure_side_on() -> None:
    pose = with_world(still(side_figure(SQUAT)))
    angles = pattern_angles(pose, kinematics(pose))
    assert angles.source == "world"
    assert np.allclose(angles.knee, SQUAT.knee, atol=1)
    assert np.allclose(angles.trunk, abs(SQUAT.trunk), atol=1)


@PROPERTY
@given(degrees=st.floats(-75, 75))
def test_moving_the_camera_round_the_person_changes_neither_pattern_nor_depth(
    degrees: float,
) -> None:
    clip = with_world(posture_clip([STANDING] * 15 + bend(SQUAT, 30) + [STANDING] * 15))
    turned = rotate_view(clip, degrees)
    for pose in (clip, turned):
        angles = pattern_angles(pose, kinematics(pose))
        assert np.nanmax(angles.knee) == pytest.approx(SQUAT.knee, abs=2)
    np.testing.assert_allclose(depth_signal(turned), depth_signal(clip), atol=1e-6)


@pytest.mark.parametrize(("posture", "pattern"), [(HINGE, "hinge"), (SQUAT, "squat")])
def test_a_set_of_hinges_or_squats_gets_its_pattern_from_any_angle(
    posture: Posture, pattern: str
) -> None:
    frames = [STANDING] * 20 + (bend(posture, 30) + [STANDING] * 10) * 3
    clip = with_world(posture_clip(frames))
    spec = check_spec_for(builtin_catalog().exercises["hinge_to_squat"])
    for degrees in (0, 40, -70):
        report = analyze(rotate_view(clip, degrees), spec)
        assert len(report.reps) == 3
        assert report.pattern == pattern
