"""The trunk line: ear, shoulder and hip out of line on the chest side (the head and upper
back curling forward) is a lost line; a head held up, back of the line, is not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.motion.analysis import analyze
from hingecoach.motion.kinematics import kinematics

from .builders import pose_from_pixels, side_figure
from .lifts import HINGE_BOTTOM, hinges, spec

PROPERTY = settings(max_examples=25, deadline=None)


@pytest.mark.parametrize(
    ("head", "lost"),
    [
        (-35, False),  # looking up: the ear back of the line, as good lifters often hold it
        (0, False),  # in one line
        (15, False),  # 165 deg: within the exercise's 160
        (30, True),  # curled toward the chest: 150 deg
    ],
)
def test_only_a_line_bent_toward_the_chest_is_lost(head: float, lost: bool) -> None:
    report = analyze(hinges(replace(HINGE_BOTTOM, head=head)), spec("dowel_hinge"))
    assert [m.trunk_bend_bottom for m in report.reps] == pytest.approx([head] * 3, abs=1)
    faults = [f for f in report.faults if f.code == "trunk_line_lost"]
    assert bool(faults) is lost
    assert all(f.value == pytest.approx(180 - head, abs=1) for f in faults)


@PROPERTY
@given(
    head=st.floats(-60, 60),
    trunk=st.floats(0, 90),
    facing=st.sampled_from([1, -1]),
    scale=st.floats(0.5, 1.5),
)
def test_the_bend_reads_the_heads_side_and_size_whichever_way_the_person_faces(
    head: float, trunk: float, facing: int, scale: float
) -> None:
    posture = replace(HINGE_BOTTOM, hip=trunk + HINGE_BOTTOM.knee, head=head)
    px = side_figure(posture, ankle=(500.0, 700.0), scale=scale, facing=facing)
    pose = pose_from_pixels(np.repeat(px[None], 20, axis=0), width=1000, height=800)
    k = kinematics(pose)
    assert float(np.median(k.trunk_bend)) == pytest.approx(head, abs=0.5)
    # the unsigned line the report also keeps: 180 less the bend's size
    assert float(np.median(k.trunk_line)) == pytest.approx(180 - abs(head), abs=0.5)
