"""The catalog turns the new checks on per exercise (`[exercise.camera]`): hips and shoulders
rising together only on a lift from the floor, heels down where the exercise pushes the
floor away; the CheckSpec carries both."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hingecoach.catalog import builtin_catalog, check_spec_for
from hingecoach.catalog.model import CameraChecks


def test_rise_together_is_refused_on_anything_but_a_lift_from_the_floor() -> None:
    with pytest.raises(ValidationError, match="rise_together"):
        CameraChecks(rep_mode="cycle", rise_together=True)
    assert CameraChecks(rep_mode="lift", rise_together=True).rise_together


def test_the_switches_reach_the_check_spec_and_are_off_unless_set() -> None:
    assert not CameraChecks().rise_together
    assert not CameraChecks().heels_down
    for exercise in builtin_catalog().exercises.values():
        spec = check_spec_for(exercise)
        assert spec.rise_together == exercise.camera.rise_together
        assert spec.heels_down == exercise.camera.heels_down
        if spec.rise_together:
            assert spec.rep_mode == "lift"


def test_an_unknown_camera_switch_is_refused() -> None:
    with pytest.raises(ValidationError):
        CameraChecks.model_validate({"heels_up": True})
