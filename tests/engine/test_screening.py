"""The red-flag screen: urgency, persistence until a clinician clears, and flag ids."""

from __future__ import annotations

import pytest

from hingecoach.engine.model import Urgency
from hingecoach.engine.policy import DEFAULT_POLICY
from hingecoach.engine.screening import FLAGS, check_flag_ids, screen_verdict
from hingecoach.errors import ValidationError

from .builders import day, screen


def test_the_screen_asks_fifteen_questions_in_three_tiers() -> None:
    tiers = {f.id: f.urgency for f in FLAGS}

    assert len(FLAGS) == 15
    assert [tiers[f"S-A{n}"] for n in range(1, 7)] == [Urgency.EMERGENCY] * 6
    assert [tiers[f"S-B{n}"] for n in range(1, 7)] == [Urgency.URGENT] * 6
    assert [tiers[f"S-C{n}"] for n in range(1, 4)] == [Urgency.ROUTINE] * 3


def test_no_flags_means_no_urgency() -> None:
    verdict = screen_verdict([screen(0)], DEFAULT_POLICY, day(0))

    assert (verdict.urgency, verdict.flags, verdict.rules, verdict.stops) == (
        Urgency.NONE,
        (),
        (),
        False,
    )


def test_the_most_urgent_flag_sets_the_urgency() -> None:
    verdict = screen_verdict([screen(0, "S-C1", "S-B4"), screen(1, "S-A2")], DEFAULT_POLICY, day(1))

    assert verdict.urgency is Urgency.EMERGENCY
    assert verdict.flags == ("S-A2", "S-B4", "S-C1")
    assert verdict.rules == ("S-A2", "S-B4", "S-C1", "P5")
    assert verdict.stops


def test_a_routine_flag_does_not_stop_and_does_not_cite_p5() -> None:
    verdict = screen_verdict([screen(0, "S-C3")], DEFAULT_POLICY, day(0))

    assert (verdict.urgency, verdict.rules, verdict.stops) == (Urgency.ROUTINE, ("S-C3",), False)


def test_a_later_none_of_these_never_hides_a_flag() -> None:
    verdict = screen_verdict([screen(0, "S-B3"), screen(7)], DEFAULT_POLICY, day(7))

    assert (verdict.urgency, verdict.flags) == (Urgency.URGENT, ("S-B3",))


def test_a_clearance_removes_flags_given_up_to_that_day() -> None:
    verdict = screen_verdict([screen(0, "S-B3"), screen(2, "S-C2")], DEFAULT_POLICY, day(9), day(2))

    assert verdict.urgency is Urgency.NONE


def test_the_emergency_message_uses_the_policys_wording() -> None:
    policy = DEFAULT_POLICY.adjusted(emergency_line="Call 000 (Australia)")

    verdict = screen_verdict([screen(0, "S-A1")], policy, day(0))

    assert "Call 000 (Australia)" in verdict.message


def test_flag_ids_are_read_in_any_case_and_spacing() -> None:
    assert check_flag_ids([" s-a1", "S-C3 "]) == frozenset({"S-A1", "S-C3"})


def test_an_unknown_flag_id_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        check_flag_ids(["S-A1", "S-D1"])

    assert (caught.value.field, caught.value.received) == ("flag", "S-D1")


def test_policy_changes_refuse_unknown_names_and_negative_numbers() -> None:
    with pytest.raises(ValidationError) as unknown:
        DEFAULT_POLICY.adjusted(pain_max=4)
    with pytest.raises(ValidationError) as negative:
        DEFAULT_POLICY.adjusted(flare_days=-1)

    assert unknown.value.field == "policy field"
    assert negative.value.field == "flare_days"
