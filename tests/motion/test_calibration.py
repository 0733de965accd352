"""The standing posture a clip is compared with: read before the first rep when the clip
opens standing, else at the most upright top of a rep (the lockout is standing too), and
none when the learner is never seen upright; the trunk line and the lockout then run on a
lift filmed from the floor."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.motion.analysis import analyze
from hingecoach.motion.calibration import calibrate, top_window
from hingecoach.motion.checks import WHY_NOT
from hingecoach.motion.honesty import CONFIDENCE, FILM_TIPS
from hingecoach.motion.kinematics import kinematics
from hingecoach.motion.reps import Gates, segment
from hingecoach.motion.thresholds import THRESHOLDS as T

from .builders import STANDING, Posture, move, pose_from_pixels, posture_clip, side_figure
from .lifts import FLOOR, lifts, spec

PROPERTY = settings(max_examples=20, deadline=None)
CURLED = Posture(hip=110, knee=90, shin=30, head=30)  # the ear 30 deg toward the chest
SHORT = Posture(hip=45, knee=10, shin=0)  # a lockout 45 deg short of standing


def _skipped(report: object) -> dict[str, str]:
    return {n.check: n.reason for n in report.not_judged}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("opening", "source"), [(STANDING, "start"), (FLOOR, "lockout")])
def test_the_standing_posture_comes_from_the_start_or_else_from_a_lockout(
    opening: Posture, source: str
) -> None:
    report = analyze(lifts(opening=opening), spec("kb_lift"))
    assert report.calibration is not None
    assert report.calibration.source == source
    assert report.calibration.hip_flexion == pytest.approx(0, abs=2)
    assert "not_standing" not in _skipped(report).values()


def test_a_lift_filmed_from_the_floor_gets_its_trunk_line_and_lockout_judged() -> None:
    frames = [FLOOR] * 20 + move(FLOOR, STANDING, 30) + [STANDING] * 20
    frames += move(STANDING, CURLED, 30) + [CURLED] * 15 + move(CURLED, STANDING, 30)
    frames += [STANDING] * 20
    report = analyze(posture_clip(frames), spec("kb_lift"))
    assert len(report.reps) == 2
    assert report.calibration is not None
    assert report.calibration.source == "lockout"
    codes = {f.code for f in report.faults}
    assert "trunk_line_lost" in codes
    assert "incomplete_lockout" not in codes
    sure = next(f.confidence for f in report.faults if f.code == "trunk_line_lost")
    assert sure is not None
    assert CONFIDENCE["standing_from_top"] in sure.reasons
    assert CONFIDENCE["proxy"] in sure.reasons


def test_a_rep_short_of_the_clips_best_lockout_is_an_incomplete_lockout() -> None:
    frames = [FLOOR] * 20 + move(FLOOR, STANDING, 30) + [STANDING] * 20
    frames += move(STANDING, FLOOR, 30) + [FLOOR] * 15 + move(FLOOR, SHORT, 30) + [SHORT] * 20
    frames += move(SHORT, FLOOR, 30) + [FLOOR] * 15 + move(FLOOR, STANDING, 30)
    frames += [STANDING] * 20
    report = analyze(posture_clip(frames), spec("kb_lift"))
    short = [f.rep for f in report.faults if f.code == "incomplete_lockout"]
    assert short == [2]


def test_a_clip_never_upright_has_no_standing_posture_and_says_what_to_film() -> None:
    frames = [FLOOR] * 20 + (move(FLOOR, SHORT, 30) + [SHORT] * 20 + move(SHORT, FLOOR, 30)) * 2
    report = analyze(posture_clip(frames), spec("kb_lift"))
    assert report.judged
    assert report.calibration is None
    skipped = _skipped(report)
    assert skipped["trunk_line_lost"] == skipped["incomplete_lockout"] == "not_standing"
    why = {n.check: n.why for n in report.not_judged}
    assert why["incomplete_lockout"] == WHY_NOT["not_standing"]
    assert FILM_TIPS["stand_tall"] in report.film_next_time


@PROPERTY
@given(
    shift=st.tuples(st.floats(-150, 150), st.floats(-150, 40)),
    scale=st.floats(0.5, 1.5),
    facing=st.sampled_from([1, -1]),
)
def test_the_lockout_calibration_does_not_change_when_the_figure_moves_turns_or_is_scaled(
    shift: tuple[float, float], scale: float, facing: int
) -> None:
    frames = [FLOOR] * 20 + move(FLOOR, STANDING, 30) + [STANDING] * 20
    frames += move(STANDING, FLOOR, 30) + [FLOOR] * 15 + move(FLOOR, STANDING, 30)
    frames += [STANDING] * 20
    found = []
    for ankle, size, way in (
        ((300.0, 550.0), 1.0, 1),
        ((400 + shift[0], 550 + shift[1]), scale, facing),
    ):
        px = np.stack([side_figure(p, ankle=ankle, scale=size, facing=way) for p in frames])
        pose = pose_from_pixels(px, width=1000, height=800)
        k = kinematics(pose)
        seg = segment(pose, Gates(finish=T.lift_finish))
        events = sorted(seg.reps + seg.partials, key=lambda e: e.start)
        starts = [e.start for e in events[1:]] + [None]
        tops = tuple(top_window(k, e, n) for e, n in zip(events, starts, strict=True))
        found.append(calibrate(k, seg.reps, seg.starts_standing, tops))
    assert found[1].source == found[0].source == "lockout"
    assert found[1].standing
    assert found[0].standing
    assert found[1].hip_flexion == pytest.approx(found[0].hip_flexion, abs=0.5)
    assert found[1].trunk_line == pytest.approx(found[0].trunk_line, abs=0.5)
