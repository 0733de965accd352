"""Swing timing (arms_lift_bell): the arms' speed peaking before the hips' is a fault only
when it comes first by more than the filtered signal can place a peak
(`swing_timing_tolerance`, half a period of the 6 Hz low-pass); the value is that lead."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from hingecoach.motion.checks import CheckSpec, run_checks
from hingecoach.motion.thresholds import THRESHOLDS as T
from tests.motion.test_oblique import rep

SWING = CheckSpec(swing_timing=True, rep_mode="swing", view="side")


@pytest.mark.parametrize(
    ("arms_lead", "fault"),
    [
        (-0.20, False),  # the hips first: the swing as taught
        (0.0, False),  # the same frame
        (T.swing_timing_tolerance - 0.01, False),  # within what the signal can place
        (T.swing_timing_tolerance + 0.01, True),
        (0.30, True),  # the arms lift the bell
        (math.nan, False),  # the arms or the hips not seen: no verdict
    ],
)
def test_the_arms_leading_the_hips_is_called_past_the_signals_blur(
    arms_lead: float, fault: bool
) -> None:
    m = replace(rep(view="side", source="world"), arms_lead_seconds=arms_lead)
    checked = run_checks(SWING, [m], "side", True)
    faults = [f for f in checked.faults if f.code == "arms_lift_bell"]
    assert bool(faults) == fault
    # Unseen, it says so rather than passing the rep.
    assert ("arms_lift_bell" in {n.check for n in checked.not_judged}) == math.isnan(arms_lead)
    if fault:
        assert faults[0].value == pytest.approx(arms_lead, abs=0.005)  # the report rounds
