"""The interval timer's schedule."""

from __future__ import annotations

import pytest

from hingecoach.engine.timer import Phase, schedule
from hingecoach.errors import ValidationError

REST_CUE = "Rest. Breathe easy, shake out your legs."


def test_the_schedule_is_ready_then_work_and_rest_with_no_rest_after_the_last_set() -> None:
    phases = schedule(3, 30, 60, 5, ["one", "two"])

    assert phases == (
        Phase("ready", 5, 1, "Get into position."),
        Phase("work", 30, 1, "one"),
        Phase("rest", 60, 1, REST_CUE),
        Phase("work", 30, 2, "two"),
        Phase("rest", 60, 2, REST_CUE),
        Phase("work", 30, 3, "one"),
    )


def test_a_single_set_has_no_rest_at_all() -> None:
    assert [p.kind for p in schedule(1, 40, 90, 0, ["cue"])] == ["work"]


def test_no_ready_phase_when_ready_is_zero_and_no_rests_when_rest_is_zero() -> None:
    assert [p.kind for p in schedule(2, 20, 0, 0, [])] == ["work", "work"]


def test_without_cues_each_set_gets_a_default_cue() -> None:
    phases = schedule(2, 20, 10, 0, [])

    assert {p.cue for p in phases if p.kind == "work"} == {"Move slowly and smoothly."}


def test_the_schedule_adds_up_to_work_plus_rests_plus_ready() -> None:
    assert sum(p.seconds for p in schedule(4, 45, 90, 10, ["x"])) == 10 + 4 * 45 + 3 * 90


@pytest.mark.parametrize(
    ("field", "args"),
    [
        ("sets", (0, 30, 60, 5)),
        ("sets", (11, 30, 60, 5)),
        ("work", (2, 0, 60, 5)),
        ("rest", (2, 30, -1, 5)),
        ("ready", (2, 30, 60, 61)),
        ("sets", (True, 30, 60, 5)),
    ],
    ids=["zero sets", "eleven sets", "zero work", "negative rest", "long ready", "bool sets"],
)
def test_out_of_range_values_are_refused_naming_the_field(
    field: str, args: tuple[int, int, int, int]
) -> None:
    with pytest.raises(ValidationError) as caught:
        schedule(*args, ["cue"])

    assert caught.value.field == field
    assert field in str(caught.value)
