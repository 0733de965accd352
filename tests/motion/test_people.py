"""A moment on someone else (motion/people.py): the frames between a leap of the hips away
and a leap back to where they were are not the lifter's; a leap that stays (a cut to
another shot) is left alone."""

from __future__ import annotations

import numpy as np

from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.motion.people import leaps, lifter_only
from hingecoach.motion.pose import PoseSequence
from tests.vision.conftest import FIXTURES
from tests.vision.variants import _with

CLIP = read_keypoints(FIXTURES / "idds_0016c_1.npz")  # 60 fps, side on, one person


def moved(pose: PoseSequence, first: int, stop: int, dx: float) -> PoseSequence:
    """Frames [first, stop) shifted `dx` of the picture's width sideways."""
    image = pose.image.copy()
    image[first:stop, :, 0] += dx
    return _with(pose, image, pose.visibility.copy(), pose.world)


def lost(pose: PoseSequence) -> np.ndarray:
    return ~pose.tracked()


def test_a_moment_away_and_back_is_not_the_lifters() -> None:
    switched = moved(CLIP, 300, 330, 0.5)  # half a second on someone half a picture away
    assert list(leaps(switched)) == [300, 330]
    assert list(np.flatnonzero(lost(lifter_only(switched)))) == list(range(300, 330))


def test_a_leap_that_stays_is_left_alone() -> None:
    cut = moved(CLIP, 300, CLIP.frames, 0.5)  # a cut to another shot: the lifter moved on
    assert list(leaps(cut)) == [300]
    assert not lost(lifter_only(cut)).any()


def test_a_long_time_away_is_left_alone() -> None:
    away = moved(CLIP, 300, 300 + round(3 * CLIP.fps), 0.5)  # 3 s, past `switch_max_seconds`
    assert not lost(lifter_only(away)).any()


def test_a_small_move_is_no_leap() -> None:
    assert list(leaps(moved(CLIP, 300, 330, 0.02))) == []
    assert list(leaps(CLIP)) == []
