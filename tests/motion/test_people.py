"""A moment on someone else (motion/people.py): the frames between a leap of the hips away
and a leap back to where they were are not the lifter's; a leap that stays (a cut to
another shot), a long time away, or the lifter unseen for a while is left alone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.motion.analysis import analyze
from hingecoach.motion.people import leaps, lifter_only
from hingecoach.motion.pose import PoseSequence
from tests.vision.conftest import FIXTURES

CLIP = read_keypoints(FIXTURES / "idds_0016c_1.npz")  # 60 fps, side on, one person


def moved(pose: PoseSequence, first: int, stop: int, dx: float) -> PoseSequence:
    """Frames [first, stop) shifted `dx` of the picture's width sideways."""
    image = pose.image.copy()
    image[first:stop, :, 0] += dx
    return replace(pose, image=image)


def hidden(pose: PoseSequence, first: int, stop: int) -> PoseSequence:
    """Frames [first, stop) without anyone found."""
    image, visibility = pose.image.copy(), pose.visibility.copy()
    image[first:stop] = np.nan
    visibility[first:stop] = 0.0
    world = None if pose.world is None else pose.world.copy()
    if world is not None:
        world[first:stop] = np.nan
    return replace(pose, image=image, visibility=visibility, world=world)


def lost(pose: PoseSequence) -> NDArray[np.intp]:
    return np.flatnonzero(~pose.tracked())


def test_a_moment_away_and_back_is_not_the_lifters() -> None:
    switched = moved(CLIP, 300, 330, 0.5)  # half a second on someone half a picture away
    assert list(leaps(switched)) == [300, 330]
    assert list(lost(lifter_only(switched))) == list(range(300, 330))


def test_a_leap_that_stays_is_left_alone() -> None:
    cut = moved(CLIP, 300, CLIP.frames, 0.5)  # a cut to another shot: the lifter moved on
    assert list(leaps(cut)) == [300]
    assert lost(lifter_only(cut)).size == 0


def test_a_long_time_away_is_left_alone() -> None:
    away = moved(CLIP, 300, 300 + round(3 * CLIP.fps), 0.5)  # 3 s, past `switch_max_seconds`
    assert lost(lifter_only(away)).size == 0


def test_a_small_move_is_no_leap() -> None:
    assert list(leaps(moved(CLIP, 300, 330, 0.02))) == []
    assert list(leaps(CLIP)) == []


def test_the_lifter_unseen_for_a_while_has_not_leapt() -> None:
    """Hips found again a trunk length on after half a second unseen moved at walking pace."""
    gap = moved(hidden(CLIP, 300, 330), 330, CLIP.frames, 0.05)
    assert list(leaps(gap)) == []


def test_the_one_followed_longer_before_the_leaps_is_the_lifter() -> None:
    """Empty frames before a walk-in are not time spent on the lifter: after 100 empty
    frames, 10 on a passer-by, then the lifter, the passer-by's frames go."""
    start = moved(hidden(CLIP, 0, 100), 100, 110, 0.5)
    assert list(leaps(start)) == [110]  # the first frames found were the passer-by's
    walked_in = moved(start, 200, 230, 0.5)  # and the passer-by again for half a second
    assert list(lost(lifter_only(walked_in))) == [*range(100), *range(200, 230)]


def test_only_a_model_that_keeps_jumping_is_refused_as_two_people() -> None:
    spec = check_spec_for(builtin_catalog().exercises["kb_lift"])
    once = analyze(moved(CLIP, 300, 330, 0.5), spec)
    assert once.judged, once.refusal
    flicker = CLIP.image.copy()
    flicker[1::10, :, 0] += 0.5  # every tenth frame on someone else
    refused = analyze(replace(CLIP, image=flicker), spec).refusal
    assert refused is not None
    assert refused.code == "two_people"
