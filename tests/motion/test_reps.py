"""Repetitions from a shoulder-drop signal: events, partial reps, and the gates."""

from __future__ import annotations

import numpy as np
import pytest

from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.reps import Gates, RepEvent, depth_signal, segment
from tests.vision.variants import crop_top

from .builders import (
    SQUAT,
    STANDING,
    bend,
    dips,
    ease,
    posture_clip,
    shoulder_drop_clip,
    stand,
    with_world,
)

FPS = 30.0
PERIOD = 2.0
LEAD = stand(1.0)


def troughs(n: int, offset: int = len(LEAD)) -> list[int]:
    return [offset + round((i + 0.5) * PERIOD * FPS) for i in range(n)]


def assert_bottoms(reps: tuple[RepEvent, ...], expected: list[int]) -> None:
    """Bottoms within 2 frames of where the dips are deepest."""
    np.testing.assert_allclose([rep.bottom for rep in reps], expected, atol=2, rtol=0)


def test_depth_signal_is_the_shoulder_drop_in_body_lengths() -> None:
    drop = np.concatenate([LEAD, dips(2, 0.3), LEAD])
    depth = depth_signal(shoulder_drop_clip(drop))
    np.testing.assert_allclose(depth, drop, atol=0.01)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_n_dips_from_standing_are_n_reps_with_bottoms_at_the_troughs(n: int) -> None:
    found = segment(shoulder_drop_clip(np.concatenate([LEAD, dips(n, 0.3), LEAD])))
    assert len(found.reps) == n
    assert (found.partials, found.rejected) == ((), 0)
    assert_bottoms(found.reps, troughs(n))
    for rep in found.reps:
        assert rep.start < rep.bottom < rep.end
        assert not rep.partial


def test_reps_follow_one_another_without_overlapping() -> None:
    found = segment(shoulder_drop_clip(np.concatenate([LEAD, dips(4, 0.3), LEAD])))
    for before, after in zip(found.reps, found.reps[1:], strict=False):
        assert before.end <= after.start


def test_a_clip_that_starts_at_the_bottom_has_one_partial_rep_apart_from_the_full_ones() -> None:
    rise = ease(0.3, 0.0, PERIOD / 2)
    drop = np.concatenate([rise, stand(0.5), dips(3, 0.3), LEAD])
    found = segment(shoulder_drop_clip(drop))
    assert len(found.reps) == 3
    assert len(found.partials) == 1
    partial = found.partials[0]
    assert partial.partial
    assert partial.start == 0
    assert partial.bottom <= 2
    assert partial.end <= found.reps[0].start
    offset = len(rise) + len(stand(0.5))
    assert_bottoms(found.reps, troughs(3, offset))


@pytest.mark.parametrize("depth", [0.03, 0.08])
def test_dips_shallower_than_the_minimum_depth_are_not_reps(depth: float) -> None:
    assert depth < Gates().min_depth
    found = segment(shoulder_drop_clip(np.concatenate([LEAD, dips(4, depth), LEAD])))
    assert (found.reps, found.partials) == ((), ())


def test_fidgets_between_real_reps_are_not_counted() -> None:
    fidget = dips(1, 0.06, period=1.0)
    drop = np.concatenate([LEAD, dips(1, 0.3), fidget, dips(1, 0.3), fidget, dips(1, 0.3), LEAD])
    assert len(segment(shoulder_drop_clip(drop)).reps) == 3


def swing(rise_seconds: float) -> np.ndarray:
    return np.concatenate([ease(0.0, 0.3, 0.5), ease(0.3, 0.0, rise_seconds), stand(0.5)])


def test_a_slow_rise_is_rejected_when_the_rise_is_gated() -> None:
    drop = np.concatenate([LEAD, swing(0.5), swing(0.5), swing(2.5), LEAD])
    clip = shoulder_drop_clip(drop)
    gated = segment(clip, Gates(max_rise_seconds=0.5))
    assert len(gated.reps) == 2
    assert gated.rejected == 1
    assert all(rep.bottom < len(LEAD) + 2 * len(swing(0.5)) for rep in gated.reps)
    assert len(segment(clip).reps) == 3  # ungated, the slow one is a rep like the others


def test_a_dip_that_stays_at_its_bottom_is_rejected_when_the_bottom_is_gated() -> None:
    """A swing turns at its bottom; a pick-up or a park crouches there first. Its deepest
    point comes at the end of the crouch, so its rise alone looks like a swing's."""
    hold = np.linspace(0.3, 0.31, len(stand(1.0)))
    crouch = np.concatenate([ease(0.0, 0.3, 0.5), hold, ease(0.31, 0.0, 0.5)])
    drop = np.concatenate([LEAD, swing(0.5), crouch, stand(0.5), swing(0.5), LEAD])
    clip = shoulder_drop_clip(drop)
    gated = segment(clip, Gates(max_rise_seconds=0.9, max_bottom_seconds=0.45))
    assert (len(gated.reps), gated.rejected) == (2, 1)
    assert len(segment(clip, Gates(max_rise_seconds=0.9)).reps) == 3  # its rise is a swing's


def test_a_lifts_set_up_at_the_floor_is_not_timed_only_its_pull_is() -> None:
    """A lifter may set up at the floor for half a minute; the pull is the rep."""
    # Deepest as the set-up begins: the pull is timed from leaving the bottom, not from it.
    set_up = np.linspace(0.305, 0.3, len(stand(30.0)))
    lift = np.concatenate([ease(0.0, 0.305, 1.0), set_up, ease(0.3, 0.0, 1.5)])
    clip = shoulder_drop_clip(np.concatenate([LEAD, lift, LEAD]))
    assert len(segment(clip, Gates(set_up_free=True)).reps) == 1
    assert (segment(clip).reps, segment(clip).rejected) == ((), 1)  # timed whole: a pause
    # The pull is timed from leaving the bottom (a fifth of the dip up): a 30 s rise is no pull.
    slow_pull = np.concatenate([ease(0.0, 0.3, 1.0), ease(0.3, 0.0, 30.0)])
    slow = shoulder_drop_clip(np.concatenate([LEAD, slow_pull, LEAD]))
    assert segment(slow, Gates(set_up_free=True)).reps == ()


def test_a_rep_longer_than_the_duration_gate_is_rejected() -> None:
    slow = np.concatenate([ease(0.0, 0.3, 3.0), ease(0.3, 0.0, 3.0)])
    found = segment(shoulder_drop_clip(np.concatenate([LEAD, slow, LEAD])), Gates(max_seconds=4.0))
    assert (found.reps, found.rejected) == ((), 1)


def test_a_short_loss_of_the_person_mid_rep_is_bridged() -> None:
    clip = shoulder_drop_clip(np.concatenate([LEAD, dips(3, 0.3), LEAD]))
    lost = troughs(3)[1] - 6
    clip.image[lost : lost + 5] = np.nan  # 5 frames, about 0.17 s, on the way down
    assert not clip.tracked()[lost : lost + 5].any()
    found = segment(clip)
    assert np.isfinite(found.depth[lost : lost + 5]).all()
    assert len(found.reps) == 3
    assert_bottoms(found.reps, troughs(3))


def test_a_clip_with_nobody_in_it_has_no_reps() -> None:
    clip = shoulder_drop_clip(np.concatenate([LEAD, dips(2, 0.3)]))
    clip.image[:] = np.nan
    found = segment(clip)
    assert (found.reps, found.partials, found.rejected) == ((), (), 0)
    assert np.isnan(found.depth).all()


def test_with_world_landmarks_a_walk_toward_the_camera_does_not_deepen_the_reps() -> None:
    frames = [STANDING] * 30 + (bend(SQUAT, 30) + [STANDING] * 15) * 3
    clip = with_world(posture_clip(frames))
    closer = np.linspace(1.0, 1.6, clip.frames)[:, None, None]  # the person fills more of it
    image = clip.image.copy()
    image[:, :, :2] = 0.5 + (image[:, :, :2] - 0.5) * closer
    walked = PoseSequence(image, clip.visibility, clip.times, clip.width, clip.height, clip.world)
    np.testing.assert_allclose(depth_signal(walked), depth_signal(clip), atol=0.01)
    assert len(segment(walked).reps) == 3


def test_shoulders_that_leave_the_top_of_the_picture_at_each_lockout_stand_tall_there() -> None:
    clip = shoulder_drop_clip(np.concatenate([LEAD, dips(4, 0.3), LEAD]))
    cropped = crop_top(clip, Landmark.LEFT_SHOULDER, 0.03, lost=True)
    assert np.isnan(cropped.image[:, Landmark.LEFT_SHOULDER, 0]).mean() > 0.3
    found = segment(cropped)
    assert len(found.reps) == 4
    assert_bottoms(found.reps, troughs(4))


def test_legs_hidden_from_the_camera_scale_the_drop_by_the_trunk() -> None:
    drop = np.concatenate([LEAD, dips(3, 0.3), LEAD])
    clip = shoulder_drop_clip(drop)
    legs = [Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE, Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]
    clip.visibility[:, legs] = 0.05
    depth = depth_signal(clip)
    np.testing.assert_allclose(depth, drop, atol=0.05)  # 2.7 trunks stand for the body
    assert len(segment(clip).reps) == 3


def rise_stopped(fraction: float) -> np.ndarray:
    return np.concatenate([LEAD, ease(0.0, 0.3, 1.0), ease(0.3, 0.3 * (1 - fraction), 0.8)])


def test_a_lift_the_clip_stops_filming_on_its_way_up_counts_once_most_of_the_way_up() -> None:
    clip = shoulder_drop_clip(rise_stopped(0.75))
    assert segment(clip).reps == ()  # as a cycle it never came back to standing
    found = segment(clip, Gates(finish=0.6))
    assert len(found.reps) == 1
    rep = found.reps[0]
    assert not rep.finished
    assert rep.end == clip.frames - 1


def test_a_lift_stopped_low_or_a_set_down_at_the_end_is_no_rep() -> None:
    assert segment(shoulder_drop_clip(rise_stopped(0.4)), Gates(finish=0.6)).reps == ()
    set_down = np.concatenate([LEAD, dips(2, 0.3), ease(0.0, 0.3, 1.0)])
    assert len(segment(shoulder_drop_clip(set_down), Gates(finish=0.6)).reps) == 2
