"""Joint angles from synthetic stick figures, and the invariants every angle must keep."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hingecoach.motion.kinematics import (
    angle_between,
    detect_view,
    kinematics,
    segment_angle_from_vertical,
)
from hingecoach.motion.pose import Landmark, PoseSequence

from .builders import (
    HINGE,
    LEFT,
    SQUAT,
    STANDING,
    Posture,
    front_figure,
    pose_from_pixels,
    side_figure,
    still,
)

PROPERTY = settings(max_examples=60, deadline=None)
FRAME_SIZES = pytest.mark.parametrize(
    ("width", "height"), [(640, 640), (360, 640), (1920, 1080)], ids=["square", "portrait", "wide"]
)


def only_value(signal: np.ndarray) -> float:
    """The value of a signal that should be the same in every frame."""
    assert np.isfinite(signal).all()
    assert np.ptp(signal) < 1e-6
    return float(signal[0])


@FRAME_SIZES
@pytest.mark.parametrize("posture", [STANDING, HINGE, SQUAT], ids=["standing", "hinge", "squat"])
def test_hip_knee_and_trunk_angles_are_recovered_from_a_side_view(
    posture: Posture, width: int, height: int
) -> None:
    kin = kinematics(still(side_figure(posture), width=width, height=height))
    assert only_value(kin.hip_flexion) == pytest.approx(posture.hip, abs=3)
    assert only_value(kin.knee_flexion) == pytest.approx(posture.knee, abs=3)
    assert only_value(kin.trunk_angle) == pytest.approx(abs(posture.trunk), abs=3)
    assert only_value(kin.shin_angle) == pytest.approx(abs(posture.shin), abs=3)


def test_the_hinge_figure_leans_its_trunk_about_sixty_degrees() -> None:
    assert HINGE.trunk == 60


def test_standing_tall_keeps_ear_shoulder_and_hip_in_line() -> None:
    kin = kinematics(still(side_figure(STANDING)))
    assert only_value(kin.trunk_line) == pytest.approx(180, abs=1)
    assert only_value(kin.hip_behind_ankle) == pytest.approx(0, abs=0.01)
    assert only_value(kin.hip_height) == pytest.approx(1.0, abs=0.01)


def test_a_hinge_puts_the_hips_behind_the_ankles_whichever_way_the_person_faces() -> None:
    right = kinematics(still(side_figure(HINGE, facing=1)))
    left = kinematics(still(side_figure(HINGE, facing=-1)))
    assert (right.facing, left.facing) == (1, -1)
    assert only_value(right.hip_behind_ankle) > 0.1
    assert only_value(left.hip_behind_ankle) == pytest.approx(only_value(right.hip_behind_ankle))


def test_angles_are_read_on_the_side_nearer_the_camera() -> None:
    assert kinematics(still(side_figure(HINGE))).side == "right"
    px = np.repeat(side_figure(HINGE)[None], 30, axis=0)
    assert kinematics(pose_from_pixels(px, near=LEFT)).side == "left"


def test_a_side_figure_is_seen_from_the_side() -> None:
    view = detect_view(still(side_figure(STANDING)))
    assert (view.kind, view.side) == ("side", "right")
    assert view.shoulder_ratio < 0.35


def test_a_figure_with_shoulders_a_torso_length_apart_is_seen_from_the_front() -> None:
    view = detect_view(still(front_figure()))
    assert view.kind == "front"
    assert view.shoulder_ratio == pytest.approx(1.0, abs=0.05)


def test_the_view_is_judged_while_standing_not_at_the_bottom_of_a_hinge() -> None:
    frames = [side_figure(STANDING)] * 20 + [side_figure(HINGE)] * 40
    assert detect_view(pose_from_pixels(np.stack(frames))).kind == "side"


def test_segment_angle_from_vertical_is_zero_upright_ninety_level_and_180_upside_down() -> None:
    bottom = np.zeros((3, 2))
    top = np.array([[0.0, -5.0], [5.0, 0.0], [0.0, 5.0]])  # image y points down
    np.testing.assert_allclose(segment_angle_from_vertical(top, bottom), [0.0, 90.0, 180.0])


def test_angle_between_is_missing_when_a_vector_is_missing_or_has_no_length() -> None:
    u = np.array([[np.nan, 1.0], [0.0, 0.0], [1.0, 0.0]])
    v = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    angles = angle_between(u, v)
    assert np.isnan(angles[:2]).all()
    assert angles[2] == pytest.approx(90.0)


coordinate = st.floats(-500, 500, allow_nan=False)
vectors = st.tuples(coordinate, coordinate).map(np.array).filter(lambda v: np.hypot(*v) > 1e-2)
points = st.tuples(coordinate, coordinate).map(np.array)


def rotate(v: np.ndarray, degrees: float) -> np.ndarray:
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    return np.array([[c, -s], [s, c]]) @ v


@PROPERTY
@given(u=vectors, v=vectors)
def test_angle_between_stays_within_0_and_180(u: np.ndarray, v: np.ndarray) -> None:
    assert 0.0 <= float(angle_between(u, v)) <= 180.0


@PROPERTY
@given(u=vectors, v=vectors, degrees=st.floats(-360, 360))
def test_angle_between_does_not_change_when_both_vectors_rotate(
    u: np.ndarray, v: np.ndarray, degrees: float
) -> None:
    turned = angle_between(rotate(u, degrees), rotate(v, degrees))
    assert float(turned) == pytest.approx(float(angle_between(u, v)), abs=1e-4)


@PROPERTY
@given(u=vectors, v=vectors, a=st.floats(1e-2, 1e2), b=st.floats(1e-2, 1e2))
def test_angle_between_does_not_change_when_the_vectors_are_scaled(
    u: np.ndarray, v: np.ndarray, a: float, b: float
) -> None:
    assert float(angle_between(a * u, b * v)) == pytest.approx(float(angle_between(u, v)), abs=1e-4)


@PROPERTY
@given(joint=points, ends=st.tuples(vectors, vectors), shift=points)
def test_a_joint_angle_does_not_change_when_the_body_moves(
    joint: np.ndarray, ends: tuple[np.ndarray, np.ndarray], shift: np.ndarray
) -> None:
    a, b = joint + ends[0], joint + ends[1]
    assume(min(np.hypot(*ends[0]), np.hypot(*ends[1])) > 1.0)
    moved = angle_between(a + shift - (joint + shift), b + shift - (joint + shift))
    assert float(moved) == pytest.approx(float(angle_between(a - joint, b - joint)), abs=1e-4)


def hinge_clip(posture: Posture, ankle: tuple[float, float], scale: float) -> np.ndarray:
    """60 frames: stand, hinge down to `posture` and back up, as (T, 33, 2) pixels."""
    phase = (1 - np.cos(2 * np.pi * np.arange(60) / 60)) / 2
    frames = [
        side_figure(Posture(posture.hip * p, posture.knee * p, posture.shin * p), ankle, scale)
        for p in phase
    ]
    return np.stack(frames)


postures = st.builds(
    Posture, hip=st.floats(0, 120), knee=st.floats(0, 130), shin=st.floats(-10, 40)
)


@PROPERTY
@given(
    posture=postures,
    shift=st.tuples(st.floats(-300, 300), st.floats(-300, 300)),
    scale=st.floats(0.25, 4.0),
)
def test_kinematics_do_not_change_when_the_figure_moves_or_is_scaled(
    posture: Posture, shift: tuple[float, float], scale: float
) -> None:
    base = kinematics(pose_from_pixels(hinge_clip(posture, (300.0, 550.0), 1.0)))
    ankle = (300.0 * scale + shift[0], 550.0 * scale + shift[1])
    moved = kinematics(pose_from_pixels(hinge_clip(posture, ankle, scale)))
    for name in ("hip_flexion", "knee_flexion", "trunk_angle", "shin_angle", "trunk_line"):
        np.testing.assert_allclose(getattr(moved, name), getattr(base, name), atol=1e-3)
    for name in ("hip_behind_ankle", "hip_height", "wrist_height"):  # in leg lengths
        np.testing.assert_allclose(getattr(moved, name), getattr(base, name), atol=1e-6)


def test_a_side_whose_joints_have_no_visibility_is_not_chosen() -> None:
    pose = still(side_figure(HINGE))
    visibility = pose.visibility.copy()
    visibility[:, [Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE]] = np.nan
    blind = PoseSequence(pose.image, visibility, pose.times, pose.width, pose.height)
    assert kinematics(blind).side == "left"


def test_a_clip_with_nobody_in_it_has_an_unknown_view() -> None:
    pose = still(side_figure(STANDING))
    empty = PoseSequence(
        np.full_like(pose.image, np.nan),
        np.zeros_like(pose.visibility),
        pose.times,
        pose.width,
        pose.height,
    )
    assert detect_view(empty).kind == "unknown"
