"""Pain monitoring: baseline, flares, weekly trend and the light of one session."""

from __future__ import annotations

from datetime import date

import pytest

from hingecoach.engine.model import CheckIn, Light, Quality, Session, SymptomArea
from hingecoach.engine.pain import (
    LightVerdict,
    baseline,
    flare_days,
    morning_by_day,
    nerve_signs,
    session_light,
    weekly_rising_runs,
)
from hingecoach.engine.policy import DEFAULT_POLICY

from .builders import checkin, day, mornings, session

P = DEFAULT_POLICY


def _mornings(*parts: tuple[int, int, int]) -> dict[date, int]:
    readings = [c for first, last, pain in parts for c in mornings(first, last, pain)]
    return morning_by_day(readings)


# --- baseline -------------------------------------------------------------------------------


def test_baseline_uses_onboarding_pain_until_seven_mornings_exist() -> None:
    six = _mornings((0, 5, 5))

    assert baseline(six, 2, day(6), P) == 2.0


def test_baseline_is_the_mean_morning_pain_once_seven_mornings_exist() -> None:
    seven = _mornings((0, 6, 5))

    assert baseline(seven, 2, day(7), P) == 5.0


def test_baseline_only_averages_the_seven_days_before() -> None:
    readings = _mornings((0, 2, 9), (3, 9, 1))

    assert baseline(readings, 2, day(10), P) == 1.0


def test_baseline_leaves_out_the_day_itself_and_later_days() -> None:
    readings = _mornings((0, 6, 1), (7, 9, 9))

    assert baseline(readings, 5, day(7), P) == 1.0


def test_same_day_readings_count_as_their_worst() -> None:
    readings = morning_by_day([checkin(1, 2), checkin(1, 6), checkin(1, 3)])

    assert readings == {day(1): 6}


# --- flares (P4) ----------------------------------------------------------------------------


def test_flare_days_counts_mornings_above_the_pre_flare_baseline() -> None:
    readings = _mornings((0, 6, 2), (7, 15, 5))

    assert flare_days(readings, 2, day(15), P) == 9


def test_a_flare_of_exactly_seven_days_is_counted_as_seven() -> None:
    readings = _mornings((0, 6, 2), (7, 13, 5))

    assert flare_days(readings, 2, day(13), P) == 7


def test_a_long_flare_cannot_hide_behind_its_own_baseline() -> None:
    # Two weeks at 5 after a week at 2: the 7 days before today are all flare mornings.
    readings = _mornings((0, 6, 2), (7, 20, 5))

    assert flare_days(readings, 2, day(20), P) == 14


def test_a_morning_within_one_point_of_usual_ends_the_flare() -> None:
    readings = _mornings((0, 6, 2), (7, 10, 5), (11, 11, 3), (12, 13, 5))

    assert flare_days(readings, 2, day(13), P) == 2


def test_no_flare_is_counted_without_a_reading_today() -> None:
    readings = _mornings((0, 6, 2), (7, 15, 5))

    assert flare_days(readings, 2, day(16), P) == 0


def test_mornings_just_one_point_above_usual_are_not_a_flare() -> None:
    readings = _mornings((0, 15, 3))

    assert flare_days(readings, 2, day(15), P) == 0


# --- weekly trend ---------------------------------------------------------------------------


def test_weekly_mean_rising_two_weeks_running_counts_two() -> None:
    readings = _mornings((1, 7, 1), (8, 14, 2), (15, 21, 3))

    assert weekly_rising_runs(readings, day(21), P) == 2


def test_weekly_mean_rising_only_this_week_counts_one() -> None:
    readings = _mornings((1, 14, 2), (15, 21, 3))

    assert weekly_rising_runs(readings, day(21), P) == 1


def test_a_weekly_rise_under_half_a_point_does_not_count() -> None:
    # Weekly means 2.0, then 2 + 3/7 = 2.43: a rise of 0.43 < 0.5.
    readings = _mornings((1, 14, 2), (15, 17, 3), (18, 21, 2))

    assert weekly_rising_runs(readings, day(21), P) == 0


# --- nerve signs ----------------------------------------------------------------------------


def test_burning_in_the_back_alone_is_not_a_nerve_sign() -> None:
    assert not nerve_signs(SymptomArea.BACK, frozenset({Quality.BURNING}))


_B, _T, _N, _W, _S, _P = (
    Quality.BURNING,
    Quality.TINGLING,
    Quality.NUMBNESS,
    Quality.WEAKNESS,
    Quality.STRETCH,
    Quality.PAIN,
)
_BACK, _THIGH, _CALF = SymptomArea.BACK, SymptomArea.BUTTOCK_THIGH, SymptomArea.BELOW_KNEE


@pytest.mark.parametrize(
    ("area", "qualities", "faded", "nerve"),
    [
        (_THIGH, {_B}, False, True),  # burning into the buttock or thigh that stays
        (_THIGH, {_B}, True, False),  # hamstring burn that fades: fatigue (SX3)
        (_CALF, {_B}, True, True),  # below the knee is no working muscle of a hinge
        (SymptomArea.NONE, {_T}, False, True),  # pins and needles, anywhere
        (_BACK, {_N}, True, True),  # numbness, anywhere, faded or not
        (_THIGH, {_W}, False, True),  # weakness in the leg that stays
        (_THIGH, {_W}, True, False),  # tired legs that recover
        (_THIGH, {_S}, False, False),  # a hamstring stretch
        (_CALF, {_P}, False, False),  # spreading pain: red (SX1), not a nerve sign
    ],
)
def test_which_descriptions_are_nerve_signs(
    area: SymptomArea, qualities: set[Quality], faded: bool, nerve: bool
) -> None:
    assert nerve_signs(area, frozenset(qualities), faded) is nerve


# --- the light of one session ---------------------------------------------------------------


def _light(s: Session, *readings: CheckIn, today: int = 5) -> LightVerdict:
    return session_light(s, readings, 2, P, day(today))


def test_pain_five_during_is_still_green_and_six_is_red() -> None:
    assert _light(session(1, 2, during=5), checkin(2, 2)).light is Light.GREEN
    assert _light(session(1, 2, during=6), checkin(2, 2)).light is Light.RED


def test_a_next_morning_one_above_usual_is_amber_and_two_above_is_red() -> None:
    amber = _light(session(1, 2), checkin(2, 3))
    red = _light(session(1, 2), checkin(2, 4))

    assert (amber.light, amber.rules) == (Light.AMBER, ("P2",))
    assert (red.light, red.rules) == (Light.RED, ("P3",))


def test_a_next_morning_below_usual_is_green() -> None:
    verdict = _light(session(1, 2), checkin(2, 0))

    assert (verdict.light, verdict.rules) == (Light.GREEN, ("P1",))


def test_pain_after_above_five_turns_green_to_amber() -> None:
    assert _light(session(1, 2, after=5), checkin(2, 2)).light is Light.GREEN
    assert _light(session(1, 2, after=6), checkin(2, 2)).light is Light.AMBER


def test_an_amber_morning_says_when_it_settled_the_day_after() -> None:
    verdict = _light(session(1, 2), checkin(2, 3), checkin(3, 2))

    assert "settled the day after" in verdict.reasons[0]


def test_readings_after_today_are_not_known_yet() -> None:
    verdict = _light(session(1, 2), checkin(2, 9), today=1)

    assert verdict.light is Light.PENDING


def test_a_weekly_rise_this_week_turns_green_to_amber() -> None:
    readings = (*mornings(1, 14, 2), *mornings(15, 20, 3), checkin(21, 2))

    verdict = _light(session(20, 2), *readings, today=21)

    assert verdict.light is Light.AMBER
    assert "P2" in verdict.rules


def test_soreness_marked_on_a_much_worse_morning_is_amber_not_red() -> None:
    verdict = _light(session(1, 2), checkin(2, 6, soreness=True))

    assert (verdict.light, verdict.rules) == (Light.AMBER, ("SX4",))


def test_soreness_only_counts_if_every_reading_that_morning_says_so() -> None:
    verdict = _light(session(1, 2), checkin(2, 6, soreness=True), checkin(2, 6))

    assert verdict.light is Light.RED


def test_next_morning_spreading_marked_as_muscle_soreness_is_not_red() -> None:
    verdict = _light(session(1, 2), checkin(2, 2, area=SymptomArea.BUTTOCK_THIGH, soreness=True))

    assert verdict.light is Light.GREEN


def test_burning_that_faded_is_green_and_burning_that_did_not_is_amber() -> None:
    faded = _light(session(1, 2, qualities=[Quality.BURNING], faded=True), checkin(2, 2))
    lasting = _light(session(1, 2, qualities=[Quality.BURNING]), checkin(2, 2))

    assert (faded.light, "SX3" in faded.rules) == (Light.GREEN, True)
    assert (lasting.light, "SX3" in lasting.rules) == (Light.AMBER, True)


def test_every_red_reason_is_listed_with_its_rule() -> None:
    verdict = _light(
        session(1, 2, during=8, area=_CALF, qualities=[Quality.NUMBNESS, Quality.PAIN]),
        checkin(2, 2),
    )

    assert verdict.light is Light.RED
    assert verdict.rules == ("P3", "SX2", "SX1")
    assert len(verdict.reasons) == 3


@pytest.mark.parametrize(
    ("area", "qualities", "faded", "light", "rule"),
    [
        (_THIGH, [_S], False, Light.GREEN, "SX5"),  # the stretch the cue asks for
        (_THIGH, [_B], True, Light.GREEN, "SX3"),  # hamstring burn that fades: fatigue
        (_BACK, [_B], False, Light.AMBER, "SX3"),  # back burning that stays: amber
        (_THIGH, [_P], False, Light.RED, "SX1"),  # pain spreading into the thigh
        (_THIGH, [], False, Light.RED, "SX1"),  # an old record with no description
        (_CALF, [_B], False, Light.RED, "SX2"),  # burning below the knee
    ],
)
def test_each_description_gets_its_own_rule_and_light(
    area: SymptomArea, qualities: list[Quality], faded: bool, light: Light, rule: str
) -> None:
    verdict = _light(session(1, 2, area=area, qualities=qualities, faded=faded), checkin(2, 2))

    assert verdict.light is light
    assert rule in verdict.rules


def test_a_nerve_sign_is_not_also_called_fatigue() -> None:
    verdict = _light(session(1, 2, area=_THIGH, qualities=[_B]), checkin(2, 2))

    assert "SX3" not in verdict.rules


def test_severe_mornings_for_a_week_are_amber_whatever_the_baseline() -> None:
    week = mornings(2, 8, 9)
    start_high = session_light(session(7, 2), week, 9, P, day(8))
    one_bad_day = session_light(session(1, 2), (checkin(2, 9),), 9, P, day(2))

    assert (start_high.light, "P6" in start_high.rules) == (Light.AMBER, True)
    assert one_bad_day.light is Light.GREEN
