"""Outcome questionnaires: scoring, bands, validity and meaningful change (O1-O6)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hingecoach.engine.outcomes import (
    Measure,
    due,
    meaningful_change,
    score_answers,
    score_nprs,
    score_odi,
    score_psfs,
    score_rmdq,
    score_start_back,
)
from hingecoach.errors import ValidationError

# --- NPRS (O1) ------------------------------------------------------------------------------


def test_nprs_scores_the_number_given() -> None:
    score = score_nprs(0)

    assert (score.measure, score.value, score.band, score.rule) == ("NPRS", 0.0, "0/10", "O1")


@pytest.mark.parametrize("bad", [-1, 11, True], ids=["below 0", "above 10", "a boolean"])
def test_nprs_outside_0_to_10_is_refused_naming_the_field(bad: int) -> None:
    with pytest.raises(ValidationError) as caught:
        score_nprs(bad)

    assert caught.value.field == "nprs"


# --- Oswestry (O2) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "percent", "band"),
    [
        (0, 0.0, "minimal"),
        (1, 20.0, "minimal"),
        (2, 40.0, "moderate"),
        (3, 60.0, "severe"),
        (4, 80.0, "crippled"),
        (5, 100.0, "bed-bound"),
    ],
    ids=["0 %", "20 % top of minimal", "40 %", "60 %", "80 %", "100 %"],
)
def test_odi_percent_and_band(answer: int, percent: float, band: str) -> None:
    score = score_odi([answer] * 10)

    assert (score.value, score.band, score.valid) == (percent, band, True)


def test_odi_just_over_twenty_percent_is_moderate() -> None:
    score = score_odi([1] * 9 + [2])

    assert (score.value, score.band) == (22.0, "moderate")


def test_odi_scores_over_the_sections_answered() -> None:
    score = score_odi([3] * 8 + [None, None])

    assert (score.value, score.band, score.valid) == (60.0, "severe", True)


def test_odi_with_more_than_two_sections_missing_is_invalid() -> None:
    score = score_odi([3] * 7 + [None] * 3)

    assert score.valid is False
    assert score.band == "invalid"
    assert math.isnan(score.value)
    assert score.note == "more than 2 sections missing"


def test_odi_needs_ten_sections() -> None:
    with pytest.raises(ValidationError) as caught:
        score_odi([2] * 9)

    assert (caught.value.field, caught.value.received) == ("odi", 9)


def test_an_odi_answer_out_of_range_names_its_own_section() -> None:
    with pytest.raises(ValidationError) as caught:
        score_odi([None, 2, 2, 6, 2, 2, 2, 2, 2, 2])

    assert caught.value.field == "odi section 4"


# --- Roland-Morris (O3) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "note"),
    [
        (3, "outside 4-20: change scores are unreliable from here"),
        (4, ""),
        (20, ""),
        (21, "outside 4-20: change scores are unreliable from here"),
    ],
    ids=["3 unreliable", "4 reliable", "20 reliable", "21 unreliable"],
)
def test_rmdq_counts_yes_answers_and_flags_unreliable_baselines(yes: int, note: str) -> None:
    score = score_rmdq([True] * yes + [False] * (24 - yes))

    assert (score.value, score.band, score.note) == (float(yes), f"{yes}/24", note)


def test_rmdq_needs_24_answers() -> None:
    with pytest.raises(ValidationError):
        score_rmdq([True] * 23)


# --- PSFS (O4) ------------------------------------------------------------------------------


def test_psfs_is_the_mean_of_five_activities() -> None:
    score = score_psfs([1, 2, 3, 4, 5])

    assert (score.value, score.band, score.rule) == (3.0, "3.0/10", "O4")


@pytest.mark.parametrize("count", [2, 6], ids=["two activities", "six activities"])
def test_psfs_needs_three_to_five_activities(count: int) -> None:
    with pytest.raises(ValidationError) as caught:
        score_psfs([5] * count)

    assert caught.value.field == "psfs"


def test_a_psfs_activity_above_ten_names_the_activity() -> None:
    with pytest.raises(ValidationError) as caught:
        score_psfs([5, 11, 5])

    assert caught.value.field == "psfs activity 2"


# --- STarT Back (O5) ------------------------------------------------------------------------


def _start(first_four: int, last_four: int, bother: int) -> tuple[float, str, str]:
    items = [True] * first_four + [False] * (4 - first_four)
    items += [True] * last_four + [False] * (4 - last_four)
    score = score_start_back(items, bother)
    return score.value, score.band, score.note


def test_start_back_total_three_is_low_risk() -> None:
    assert _start(3, 0, 2) == (3.0, "low", "subscale 0")


def test_start_back_total_four_with_subscale_three_is_medium_risk() -> None:
    assert _start(1, 3, 0) == (4.0, "medium", "subscale 3")


def test_start_back_subscale_four_is_high_risk() -> None:
    assert _start(0, 4, 0) == (4.0, "high", "subscale 4")


def test_start_back_item_nine_counts_only_for_very_much_or_extremely() -> None:
    assert _start(0, 3, 2) == (3.0, "low", "subscale 3")  # "moderately"
    assert _start(0, 3, 3) == (4.0, "high", "subscale 4")  # "very much"
    assert _start(0, 3, 4) == (4.0, "high", "subscale 4")  # "extremely"


def test_start_back_refuses_a_bothersomeness_above_four() -> None:
    with pytest.raises(ValidationError) as caught:
        score_start_back([False] * 8, 5)

    assert caught.value.field == "start back item 9"


# --- meaningful change (O6) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "before", "after", "verdict"),
    [
        ("NPRS", 8, 6, "meaningful"),
        ("NPRS", 8, 7, "none"),
        ("NPRS", 3, 2, "meaningful"),  # 33 %
        ("ODI", 50, 40, "meaningful"),
        ("ODI", 50, 41, "none"),
        ("ODI", 20, 14, "meaningful"),  # 30 %
        ("RMDQ", 20, 15, "meaningful"),
        ("RMDQ", 20, 16, "none"),
        ("NPRS", 0, 0, "none"),
        ("NPRS", 4, 6, "none"),
    ],
    ids=[
        "nprs 2 points",
        "nprs 1 point",
        "nprs 30 percent",
        "odi 10 points",
        "odi 9 points",
        "odi 30 percent",
        "rmdq 5 points",
        "rmdq 4 points",
        "no pain to start with",
        "worse",
    ],
)
def test_meaningful_change_by_points_or_thirty_percent(
    measure: str, before: float, after: float, verdict: str
) -> None:
    assert meaningful_change(measure, before, after) == verdict


@pytest.mark.parametrize(
    ("gain", "size"),
    [(1.0, "none"), (1.5, "small"), (2.4, "medium"), (3.0, "large"), (-2.0, "none")],
    ids=["1.0 none", "1.5 small", "2.4 medium", "3.0 large", "worse"],
)
def test_psfs_change_is_sized_small_medium_or_large(gain: float, size: str) -> None:
    assert meaningful_change("PSFS", 4.0, 4.0 + gain) == size


def test_an_unknown_measure_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        meaningful_change("VAS", 5, 2)

    assert (caught.value.field, caught.value.received) == ("measure", "VAS")


# -- the questionnaires as the app asks them: scoring from answers, and what is due ---------

START = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("measure", "values", "activities", "band"),
    [
        (Measure.NPRS, [4], [], "4/10"),
        (Measure.ODI, [2, 3, 1, None, 2, 2, 1, None, 1, 2], [], "moderate"),  # 14/40 = 35 %
        (Measure.RMDQ, [1] * 7 + [0] * 17, [], "7/24"),
        (Measure.PSFS, [], [3, 4, 5], "4.0/10"),
        (Measure.START_BACK, [1, 1, 0, 0, 1, 1, 1, 0, 3], [], "high"),  # subscale 4
        (Measure.START_BACK, [1, 1, 1, 1, 0, 0, 0, 0, 4], [], "medium"),  # total 5, sub 1
        (Measure.START_BACK, [1, 1, 1, 0, 0, 0, 0, 0, 2], [], "low"),
    ],
)
def test_answers_are_scored_as_the_instrument_says(
    measure: Measure, values: list[int | None], activities: list[int], band: str
) -> None:
    assert score_answers(measure, values, activities).band == band


@pytest.mark.parametrize(
    ("measure", "values", "field"),
    [
        (Measure.RMDQ, [1, None] + [0] * 22, "question 2"),  # unanswered, named by number
        (Measure.RMDQ, [1] * 5, "rmdq"),  # too few
        (Measure.START_BACK, [0] * 8 + [5], "question 9"),  # 0-4 only
        (Measure.START_BACK, [2] + [0] * 8, "question 1"),  # agree 1 or disagree 0
        (Measure.NPRS, [11], "nprs"),
        (Measure.ODI, [6] + [0] * 9, "odi section 1"),
    ],
)
def test_a_bad_answer_is_named(measure: Measure, values: list[int | None], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        score_answers(measure, values)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("days_in", "answered", "asked", "expected"),
    [
        (0, [], [], [Measure.ODI, Measure.PSFS, Measure.START_BACK]),  # all at the start
        (3, [(Measure.ODI, 0), (Measure.PSFS, 0), (Measure.START_BACK, 0)], [], []),
        (14, [(Measure.ODI, 0), (Measure.PSFS, 0), (Measure.START_BACK, 0)], [], [Measure.PSFS]),
        (41, [(Measure.ODI, 0), (Measure.PSFS, 28), (Measure.START_BACK, 0)], [], []),
        (42, [(Measure.ODI, 0), (Measure.PSFS, 42), (Measure.START_BACK, 0)], [], [Measure.ODI]),
        (10, [(Measure.ODI, 0), (Measure.PSFS, 0), (Measure.START_BACK, 0)], [(Measure.RMDQ, 9)], [Measure.RMDQ]),
        (10, [(Measure.ODI, 0), (Measure.PSFS, 0), (Measure.START_BACK, 0), (Measure.RMDQ, 10)], [(Measure.RMDQ, 9)], []),
    ],
)  # fmt: skip
def test_what_is_due_follows_the_schedule_and_the_clinicians_requests(
    days_in: int,
    answered: list[tuple[Measure, int]],
    asked: list[tuple[Measure, int]],
    expected: list[Measure],
) -> None:
    def day(n: int) -> date:
        return START + timedelta(days=n)

    found = due(
        START, day(days_in), [(m, day(n)) for m, n in answered], [(m, day(n)) for m, n in asked]
    )
    assert found == expected


@settings(deadline=None)  # a shared, busy machine: the property, not the speed
@given(
    st.integers(0, 200),
    st.lists(st.tuples(st.sampled_from(list(Measure)), st.integers(0, 200)), max_size=12),
)
def test_a_questionnaire_answered_today_is_never_due_today(
    days_in: int, answered: list[tuple[Measure, int]]
) -> None:
    today = START + timedelta(days=days_in)
    fills = [(m, START + timedelta(days=min(n, days_in))) for m, n in answered]
    now_due = due(START, today, [*fills, *((m, today) for m in Measure)])
    assert now_due == []
