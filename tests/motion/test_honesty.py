"""How sure each fault is (the weakest of the camera's angle, how clearly the joints were
seen and how far past the line the value is), and what to film differently when a check
could not run."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.catalog import builtin_catalog
from hingecoach.motion.checks import CHECKS, Check, CheckSpec, NotJudged, Reading, rushed_tempo
from hingecoach.motion.honesty import CONFIDENCE, FILM_TIPS, LEVELS, confidence, film_next_time
from hingecoach.motion.metrics import RepMetrics, Seen
from hingecoach.services.analysis import analyse_keypoints
from tests.vision.conftest import FIXTURES

PROPERTY = settings(max_examples=50, deadline=None)
CHECK = {c.code: c for c in CHECKS}
NAN = math.nan


def rep(ratio: float = 0.05, seen: float = 0.95, view: str = "side", **more: object) -> RepMetrics:
    base = RepMetrics(
        number=1, start=0, bottom=1, end=2, descent=1, ascent=1, hip_flexion=NAN,
        knee_flexion=NAN, trunk_angle=NAN, hip_knee_ratio=NAN, hip_behind_ankle=NAN,
        trunk_line_change=NAN, trunk_line_bottom=NAN, top_hip_flexion=NAN, top_lean_back=NAN,
        pattern="squat", view=view, view_ratio=ratio,
        seen=Seen(*(seen,) * 6),
    )  # fmt: skip
    return replace(base, **more)  # type: ignore[arg-type]


def past(margin: float | None) -> Reading:
    return Reading(1.0, True, "a band", margin)


@pytest.mark.parametrize(
    ("ratio", "seen", "margin", "level", "reasons"),
    [
        (0.05, 0.95, 12, "high", ["view_square", "seen_clear", "margin_wide"]),
        (0.25, 0.95, 12, "medium", ["view_turned", "seen_clear", "margin_wide"]),
        (0.05, 0.6, 12, "medium", ["view_square", "seen_partly", "margin_wide"]),
        (0.05, 0.95, 6, "medium", ["view_square", "seen_clear", "margin_some"]),
        (0.05, 0.95, 2, "low", ["view_square", "seen_clear", "margin_thin"]),
        (0.05, 0.35, 12, "low", ["view_square", "seen_poorly", "margin_wide"]),
        (NAN, 0.95, 12, "medium", ["view_turned", "seen_clear", "margin_wide"]),
    ],
)
def test_a_fault_is_as_sure_as_its_weakest_part_and_says_each(
    ratio: float, seen: float, margin: float, level: str, reasons: list[str]
) -> None:
    sure = confidence(CHECK["knee_bend"], past(margin), rep(ratio, seen), "side")
    assert sure.level == level
    assert list(sure.reasons) == [CONFIDENCE[key] for key in reasons]


def test_the_pattern_read_in_3d_does_not_depend_on_the_cameras_angle() -> None:
    check, reading = CHECK["knee_dominant"], past(12)
    in_3d = confidence(check, reading, rep(0.5, view="oblique", pattern_source="world"), "side")
    flat = confidence(check, reading, rep(0.5, view="oblique"), "side")
    assert (in_3d.level, in_3d.reasons[0]) == ("high", CONFIDENCE["view_3d"])
    assert (flat.level, flat.reasons[0]) == ("low", CONFIDENCE["view_other"])


def test_timing_has_no_view_part_and_a_proxy_or_a_standing_read_at_the_top_caps_it() -> None:
    quick = rep(0.5, view="front", end=0.5)
    reading = rushed_tempo(CheckSpec(tempo_min=2.0), quick)  # 0.5 s against 2 s
    tempo = confidence(CHECK["rushed_tempo"], reading, quick, "side")
    assert tempo.level == "high"
    assert CONFIDENCE["view_other"] not in tempo.reasons
    line = confidence(CHECK["trunk_line_lost"], past(30), rep(), "side")
    assert (line.level, line.reasons[-1]) == ("medium", CONFIDENCE["proxy"])
    lockout = confidence(CHECK["incomplete_lockout"], past(30), rep(), "side", "lockout")
    assert (lockout.level, lockout.reasons[-1]) == ("medium", CONFIDENCE["standing_from_top"])


RANK = {level: i for i, level in enumerate(LEVELS)}
parts = st.tuples(st.floats(0, 0.6), st.floats(0, 1), st.floats(-5, 40))


@PROPERTY
@given(part=parts, more_margin=st.floats(0, 20), clearer=st.floats(0, 0.5))
def test_a_wider_margin_or_clearer_joints_never_make_a_fault_less_sure(
    part: tuple[float, float, float], more_margin: float, clearer: float
) -> None:
    ratio, seen, margin = part
    check: Check = CHECK["shallow_hinge"]
    base = confidence(check, past(margin), rep(ratio, seen), "side")
    wider = confidence(check, past(margin + more_margin), rep(ratio, seen), "side")
    seen_better = confidence(check, past(margin), rep(ratio, min(seen + clearer, 1)), "side")
    assert RANK[wider.level] >= RANK[base.level]
    assert RANK[seen_better.level] >= RANK[base.level]


@PROPERTY
@given(part=parts, code=st.sampled_from(sorted(CHECK)))
def test_a_fault_is_sure_only_when_every_part_is(
    part: tuple[float, float, float], code: str
) -> None:
    ratio, seen, margin = part
    sure = confidence(CHECK[code], past(margin), rep(ratio, seen), "side")
    assert sure.level in LEVELS
    assert sure.reasons
    assert set(sure.reasons) <= set(CONFIDENCE.values())
    strong = {CONFIDENCE[k] for k in ("view_square", "view_3d", "seen_clear", "margin_wide")}
    assert (sure.level == "high") == (set(sure.reasons) <= strong)


@pytest.mark.parametrize(
    ("reasons", "view", "tips"),
    [
        (["other_view", "view_unknown", "reps_at_another_angle"], "side", ["film_side"]),
        (["other_view"], "front", ["film_front"]),
        (["not_standing", "joints_unseen"], "side", ["stand_tall", "whole_body"]),
        (
            ["feet_unseen", "pull_unseen", "bottom_unfilmed"],
            "side",
            ["feet_in_view", "start_before"],
        ),
        (["top_unfilmed", "top_unfilmed"], "side", ["film_to_the_end"]),
        ([""], "side", []),
    ],
)
def test_each_reason_a_check_was_not_made_says_once_what_to_film_differently(
    reasons: list[str], view: str, tips: list[str]
) -> None:
    skipped = [NotJudged("a check", "why", reason) for reason in reasons]
    assert film_next_time(view, skipped) == tuple(FILM_TIPS[t] for t in tips)


def test_every_fault_of_a_real_clip_carries_how_sure_it_is() -> None:
    report = analyse_keypoints(builtin_catalog(), "kb_lift", FIXTURES / "idds_0016k_1.npz").report
    assert report.faults
    for fault in report.faults:
        assert fault.confidence is not None
        assert fault.confidence.level in LEVELS
    knee = next(f for f in report.faults if f.code == "knee_dominant")
    assert knee.confidence is not None
    assert knee.confidence.level == "high"
