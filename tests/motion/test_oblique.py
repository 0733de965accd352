"""Angle checks from an oblique view: the joint angle the world landmarks give in 3-D (hip
flexion, for the depth check and the lockout) is judged there too, with the band widened by
`oblique_tolerance` and the fault saying it was read obliquely; checks that need the
picture's own side-view geometry stay skipped, saying why."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.adapters.keypoints import read_keypoints
from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.motion.analysis import analyze
from hingecoach.motion.checks import CheckSpec, run_checks
from hingecoach.motion.honesty import CONFIDENCE, LEVELS
from hingecoach.motion.metrics import RepMetrics, Seen
from hingecoach.motion.thresholds import THRESHOLDS as T
from tests.vision.conftest import FIXTURES
from tests.vision.variants import rotate_view

NAN = math.nan
SPEC = CheckSpec(
    hip_flexion_min=50.0, knee_band=(10.0, 30.0), trunk_line_min=160.0, lean_back_max=None
)
SIDE_LINE = 50.0 - T.angle_tolerance  # 40: under it, too shallow from the side
OBLIQUE_LINE = SIDE_LINE - T.oblique_tolerance  # 35: under it, too shallow obliquely


def rep(view: str = "oblique", source: str = "world", **more: object) -> RepMetrics:
    base = RepMetrics(
        number=1, start=0, bottom=1, end=2, descent=1, ascent=1, hip_flexion=NAN,
        knee_flexion=20.0, trunk_angle=NAN, hip_knee_ratio=NAN, hip_behind_ankle=NAN,
        trunk_line_change=NAN, trunk_line_bottom=NAN, top_hip_flexion=0.0, top_lean_back=NAN,
        pattern="hinge", view=view, view_ratio=0.5,
        pattern_source=source, trunk_bend_bottom=0.0, seen=Seen(*(0.95,) * 6),
    )  # fmt: skip
    return replace(base, **more)  # type: ignore[arg-type]


def skipped(m: RepMetrics) -> dict[str, str]:
    return {n.check: n.reason for n in run_checks(SPEC, [m], m.view, True).not_judged}


@pytest.mark.parametrize(
    ("view", "source", "hip_2d", "hip_3d", "shallow", "why_not"),
    [
        # from the side: the picture's hip angle, the usual band
        ("side", "world", 38.0, 60.0, True, None),
        ("side", "world", 45.0, 20.0, False, None),
        # obliquely with world landmarks: the 3-D hip angle, the band 5 deg wider
        ("oblique", "world", 10.0, 38.0, False, None),
        ("oblique", "world", 80.0, 30.0, True, None),
        ("oblique", "world", 10.0, 60.0, False, None),
        # a joint not seen in 3-D at the bottom: no verdict, said as not seen
        ("oblique", "world", 10.0, NAN, False, "joints_unseen"),
        # no world landmarks, or a front view: the depth check waits for a side view
        ("oblique", "picture", 10.0, NAN, False, "other_view"),
        ("front", "world", 10.0, 10.0, False, "other_view"),
    ],
)
def test_the_depth_check_runs_obliquely_in_3d_with_a_wider_band(
    view: str, source: str, hip_2d: float, hip_3d: float, shallow: bool, why_not: str | None
) -> None:
    m = rep(view, source, hip_flexion=hip_2d, hip_flexion_3d=hip_3d)
    result = run_checks(SPEC, [m], view, True)
    assert ("shallow_hinge" in {f.code for f in result.faults}) is shallow
    assert skipped(m).get("shallow_hinge") == why_not
    assert ("shallow_hinge" in result.judged) is (why_not is None)


@pytest.mark.parametrize(
    ("view", "top_2d", "top_3d", "calibrated", "broken", "why_not"),
    [
        ("side", 22.0, 0.0, True, True, None),  # 20 past standing: not locked out
        ("oblique", 0.0, 22.0, True, False, None),  # obliquely 20 + 5
        ("oblique", 0.0, 30.0, True, True, None),
        ("oblique", 0.0, 30.0, False, False, "not_standing"),  # nothing to compare with
        ("oblique", 0.0, NAN, True, False, "joints_unseen"),
    ],
)
def test_the_lockout_runs_obliquely_against_the_standing_hip_read_in_3d(
    view: str, top_2d: float, top_3d: float, calibrated: bool, broken: bool, why_not: str | None
) -> None:
    m = rep(view, top_hip_flexion=top_2d, top_hip_flexion_3d=top_3d, hip_flexion_3d=60.0)
    result = run_checks(SPEC, [m], view, calibrated)
    assert ("incomplete_lockout" in {f.code for f in result.faults}) is broken
    reasons = {n.check: n.reason for n in result.not_judged}
    assert reasons.get("incomplete_lockout") == why_not


@pytest.mark.parametrize("code", ["knee_bend", "trunk_line_lost"])
def test_checks_that_need_the_side_views_picture_stay_skipped_obliquely(code: str) -> None:
    m = rep(hip_flexion_3d=60.0, knee_flexion=80.0, trunk_bend_bottom=60.0)
    result = run_checks(SPEC, [m], "oblique", True)
    assert code not in {f.code for f in result.faults}
    assert skipped(m)[code] == "other_view"


def test_a_fault_read_obliquely_says_so_and_is_at_most_medium() -> None:
    (fault,) = run_checks(SPEC, [rep(hip_flexion_3d=5.0)], "oblique", True).faults
    assert fault.confidence is not None
    assert fault.confidence.reasons[0] == CONFIDENCE["view_oblique_3d"]
    assert fault.confidence.level == "medium"  # 30 deg past, joints clear: only the view
    assert "±" not in fault.expected  # the depth band is one-sided: ">= 50 deg"


def test_reps_filmed_obliquely_among_side_reps_are_still_said_for_the_side_only_checks() -> None:
    reps = [rep("side", hip_flexion=60.0), rep("oblique", number=2, hip_flexion_3d=60.0)]
    reasons = {n.reason for n in run_checks(SPEC, reps, "side", True).not_judged}
    assert "reps_at_another_angle" in reasons  # the knee band and the trunk line
    only_depth = CheckSpec(hip_flexion_min=50.0, lockout=False, lean_back_max=None)
    reasons = {n.reason for n in run_checks(only_depth, reps, "side", True).not_judged}
    assert "reps_at_another_angle" not in reasons  # the depth was judged on both


@settings(max_examples=60, deadline=None)
@given(hip=st.floats(-10, 180), seen=st.floats(0.3, 1.0))
def test_an_oblique_read_is_never_stricter_nor_surer_than_the_same_angle_from_the_side(
    hip: float, seen: float
) -> None:
    clear = Seen(*(seen,) * 6)
    side = run_checks(
        SPEC, [rep("side", hip_flexion=hip, view_ratio=0.05, seen=clear)], "side", True
    )
    oblique = run_checks(SPEC, [rep(hip_flexion_3d=hip, seen=clear)], "oblique", True)
    found = [f for f in oblique.faults if f.code == "shallow_hinge"]
    if found:
        assert "shallow_hinge" in {f.code for f in side.faults}
        sure = found[0].confidence
        assert sure is not None
        assert LEVELS.index(sure.level) <= LEVELS.index("medium")
    assert (hip < OBLIQUE_LINE) == bool(found)


def test_a_side_clip_turned_oblique_keeps_its_3d_depth_and_is_judged_on_it() -> None:
    spec = check_spec_for(builtin_catalog().exercises["kb_lift"])
    pose = rotate_view(read_keypoints(FIXTURES / "idds_0016c_1.npz"), 30)
    report = analyze(pose, spec)
    oblique = [m for m in report.reps if m.view == "oblique"]
    assert oblique
    assert all(m.hip_flexion_3d > spec.hip_flexion_min for m in oblique)  # type: ignore[operator]
    assert "shallow_hinge" not in {n.check for n in report.not_judged}
    assert "shallow_hinge" not in {f.code for f in report.faults}
