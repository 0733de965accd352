"""Heels lifting: the heel-to-toe line's rise past the learner's standing foot, called past
10 deg plus the foot's 15-deg camera error; a foot that is hidden, turned away or
misplaced gives no verdict, and the report says to keep the feet in view."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.motion.analysis import analyze
from hingecoach.motion.calibration import calibrate
from hingecoach.motion.checks import WHY_NOT
from hingecoach.motion.feet import heel_lift
from hingecoach.motion.honesty import FILM_TIPS
from hingecoach.motion.kinematics import kinematics
from hingecoach.motion.pose import Landmark, PoseSequence
from hingecoach.motion.reps import RepEvent
from hingecoach.motion.thresholds import THRESHOLDS as T

from .builders import STANDING, Posture, bend, pose_from_pixels, side_figure
from .lifts import HINGE_BOTTOM, hinges, spec

L = Landmark
PROPERTY = settings(max_examples=20, deadline=None)


def _raised(degrees: float) -> Posture:
    return replace(HINGE_BOTTOM, heel=degrees)


@pytest.mark.parametrize(
    ("degrees", "found"),
    [(0, False), (10, False), (20, False), (T.heel_lift_min + T.foot_tolerance + 5, True)],
)
def test_a_heel_is_called_lifted_only_past_the_cameras_error_for_a_foot(
    degrees: float, found: bool
) -> None:
    report = analyze(hinges(_raised(degrees)), spec("dowel_hinge"))
    assert [m.heel_lift for m in report.reps] == pytest.approx([degrees] * 3, abs=1)
    faults = [f for f in report.faults if f.code == "heels_lift"]
    assert bool(faults) is found
    assert all(f.confidence is not None and f.confidence.level for f in faults)


def _hidden_feet(pose: PoseSequence) -> PoseSequence:
    seen = pose.visibility.copy()
    feet = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]
    seen[:, feet] = 0.1  # guessed: the model gives them, but under `seen_min`
    return PoseSequence(pose.image, seen, pose.times, pose.width, pose.height)


def test_feet_not_seen_give_no_verdict_and_the_report_says_to_keep_them_in_view() -> None:
    report = analyze(_hidden_feet(hinges(_raised(40))), spec("dowel_hinge"))
    assert "heels_lift" not in {f.code for f in report.faults}
    skipped = {n.check: n for n in report.not_judged}
    assert skipped["heels_lift"].why == WHY_NOT["feet_unseen"]
    assert FILM_TIPS["feet_in_view"] in report.film_next_time


def test_a_foot_placed_elsewhere_is_not_read_as_a_raised_heel() -> None:
    """A foot behind a weight plate: the model puts the whole foot higher, toes and all,
    with the heel higher still. That is no heel raise: the toes left their place."""
    pose = hinges(HINGE_BOTTOM)
    px = pose.pixels()
    bottom = np.zeros(pose.frames, bool)
    for start in (20, 80, 140):
        bottom[start + 20 : start + 40] = True
    feet = (
        (L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE),
        (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE),
    )
    for heel, toe, ankle in feet:
        px[bottom, toe, 1] -= 20
        px[bottom, heel, 1] -= 60
        px[bottom, ankle, 1] -= 60
    misplaced = pose_from_pixels(px)
    # read naively, the heel would be well up
    assert np.nanmax(kinematics(misplaced).foot.pitch) > T.heel_lift_min + T.foot_tolerance
    report = analyze(misplaced, spec("dowel_hinge"))
    assert "heels_lift" not in {f.code for f in report.faults}
    assert all(not m.heel_lift > T.heel_lift_min for m in report.reps)


def test_only_exercises_that_push_the_floor_away_check_the_heels() -> None:
    on = ("butt_taps", "dowel_hinge", "hinge_to_squat", "weighted_hinge", "elevated_kb_lift")
    for exercise in (*on, "kb_lift"):
        assert spec(exercise).heels_down, exercise
    for exercise in ("hero_squat", "kb_swing", "clean", "banded_hinge", "banded_pull_through"):
        assert not spec(exercise).heels_down, exercise


@PROPERTY
@given(
    degrees=st.floats(0, 40),
    shift=st.tuples(st.floats(-150, 150), st.floats(-100, 40)),
    scale=st.floats(0.5, 1.5),
    facing=st.sampled_from([1, -1]),
)
def test_the_heels_rise_is_read_the_same_wherever_the_figure_stands_and_however_it_faces(
    degrees: float, shift: tuple[float, float], scale: float, facing: int
) -> None:
    frames = [STANDING] * 30 + bend(_raised(degrees), 30) + [STANDING] * 10
    ankle = (400 + shift[0], 550 + shift[1])
    px = np.stack([side_figure(p, ankle=ankle, scale=scale, facing=facing) for p in frames])
    pose = pose_from_pixels(px, width=1000, height=800)
    k = kinematics(pose)
    rep = RepEvent(28, 60, 92)
    reference = calibrate(k, (rep,)).foot
    assert reference is not None
    assert heel_lift(k.foot, reference, rep) == pytest.approx(degrees, abs=1)
