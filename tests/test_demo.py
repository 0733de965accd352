"""The demonstration figures: every exercise has one, drawn from its kinematic model.

Table: each built-in exercise's SVG parses, names the exercise and its cue, moves through
exactly its poses and holds the key pose as a still. Property: whatever the angles, the
segments keep their lengths and the figure stays on the floor by its foot (or its knee).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hingecoach.adapters.demo import demo_svg, joints_of
from hingecoach.catalog import Catalog
from hingecoach.catalog.model import Demo
from tests.expected import EVOLVE_ORDER, SOLVING_PAIN_ORDER

SVG = "{http://www.w3.org/2000/svg}"
tilts = st.floats(min_value=-180, max_value=180, allow_nan=False)


@pytest.mark.parametrize("exercise_id", sorted({*SOLVING_PAIN_ORDER, *EVOLVE_ORDER}))
def test_each_exercise_is_shown_moving_and_as_a_still_with_its_cue(
    catalog: Catalog, exercise_id: str
) -> None:
    exercise = catalog.exercises[exercise_id]
    root = ET.fromstring(demo_svg(exercise, "x"))

    title = root.find(f"{SVG}title")
    assert title is not None
    assert exercise.name in (title.text or "")
    assert exercise.demo.cue in (title.text or "")
    moving, still = (root.find(f"{SVG}g[@class='{c}']") for c in ("moving", "still"))
    assert moving is not None
    assert still is not None
    animations = moving.findall(f".//{SVG}animate")
    assert animations, "the figure does not move"
    assert {len(a.attrib["values"].split(";")) for a in animations} == {len(exercise.demo.poses)}
    assert still.findall(f".//{SVG}animate") == []


def test_every_exercise_of_the_catalog_has_a_demonstration(catalog: Catalog) -> None:
    assert all(e.demo.cue and len(e.demo.poses) >= 2 for e in catalog.exercises.values())
    assert len(catalog.exercises) == 11


def _length(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.dist(a, b)


@given(
    shin=tilts, thigh=tilts, trunk=tilts, arm=tilts, base=st.sampled_from(["standing", "kneeling"])
)
def test_segments_keep_their_lengths_and_the_figure_stays_on_the_floor(
    shin: float, thigh: float, trunk: float, arm: float, base: str
) -> None:
    still = Demo(base=base, seconds=2, key=0, cue="c", poses=((0, 0, 0, 0), (0, 0, 0, 0)))
    moved = Demo(base=base, seconds=2, key=0, cue="c", poses=((shin, thigh, trunk, arm),) * 2)
    a, b = joints_of(still, still.poses[0]), joints_of(moved, moved.poses[0])

    for one, two in (("foot", "knee"), ("knee", "hip"), ("hip", "shoulder"), ("shoulder", "hand")):
        before = _length(getattr(a, one), getattr(a, two))
        after = _length(getattr(b, one), getattr(b, two))
        assert after == pytest.approx(before, abs=1e-9)
    grounded = b.foot if base == "standing" else b.knee
    assert grounded == (0.0, 0.0)
