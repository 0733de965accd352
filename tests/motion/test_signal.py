"""Conditioning: runs, gap filling, outlier rejection and the zero-phase low-pass."""

from __future__ import annotations

import numpy as np
import pytest

from hingecoach.motion.signal import condition, fill_gaps, hampel, lowpass, runs

FPS = 30.0
TIMES = np.arange(90) / FPS


def sine(hz: float, times: np.ndarray = TIMES) -> np.ndarray:
    return np.sin(2 * np.pi * hz * times)


@pytest.mark.parametrize(
    ("mask", "expected"),
    [
        ([False, True, True, False, True], [(1, 3), (4, 5)]),
        ([True, True, False], [(0, 2)]),
        ([True, True, True], [(0, 3)]),
        ([False, False], []),
        ([], []),
    ],
)
def test_runs_gives_start_and_exclusive_stop_of_each_true_stretch(
    mask: list[bool], expected: list[tuple[int, int]]
) -> None:
    assert runs(np.array(mask, dtype=bool)) == expected


def test_fill_gaps_bridges_a_short_interior_gap_linearly() -> None:
    x = 2.0 * TIMES + 1.0
    holed = x.copy()
    holed[20:25] = np.nan  # 0.2 s between the neighbours
    np.testing.assert_allclose(fill_gaps(holed, TIMES), x)


def test_fill_gaps_leaves_a_long_interior_gap_missing() -> None:
    x = np.cos(TIMES)
    x[30:45] = np.nan  # 0.53 s between the neighbours: too long to guess
    filled = fill_gaps(x, TIMES)
    assert np.isnan(filled[30:45]).all()
    np.testing.assert_array_equal(filled[:30], x[:30])
    np.testing.assert_array_equal(filled[45:], x[45:])


def test_fill_gaps_leaves_long_gaps_at_either_end_missing() -> None:
    x = np.cos(TIMES)
    x[:15] = np.nan
    x[-15:] = np.nan
    filled = fill_gaps(x, TIMES)
    assert np.isnan(filled[:15]).all()
    assert np.isnan(filled[-15:]).all()


def test_fill_gaps_holds_the_nearest_value_over_a_short_gap_at_either_end() -> None:
    x = np.cos(TIMES)
    x[:3] = np.nan
    x[-4:] = np.nan
    filled = fill_gaps(x, TIMES)
    np.testing.assert_array_equal(filled[:3], np.full(3, x[3]))
    np.testing.assert_array_equal(filled[-4:], np.full(4, x[-5]))


def test_fill_gaps_leaves_a_signal_with_no_data_missing() -> None:
    assert np.isnan(fill_gaps(np.full(len(TIMES), np.nan), TIMES)).all()


def test_fill_gaps_does_not_change_its_input() -> None:
    x = TIMES.copy()
    x[10] = np.nan
    fill_gaps(x, TIMES)
    assert np.isnan(x[10])


def test_hampel_removes_a_single_spike() -> None:
    x = sine(1.0)
    x[40] += 3.0
    cleaned = hampel(x)
    assert np.isnan(cleaned[40])
    assert np.isnan(cleaned).sum() == 1


def test_hampel_keeps_a_smooth_sine() -> None:
    np.testing.assert_array_equal(hampel(sine(1.0)), sine(1.0))


def middle(x: np.ndarray) -> np.ndarray:
    return x[len(x) // 4 : -len(x) // 4]


def test_lowpass_keeps_a_slow_movement() -> None:
    times = np.arange(150) / FPS
    filtered = lowpass(sine(1.0, times), FPS)
    assert np.max(np.abs(middle(filtered))) == pytest.approx(1.0, rel=0.05)


def test_lowpass_strongly_attenuates_fast_jitter() -> None:
    times = np.arange(150) / FPS
    filtered = lowpass(sine(12.0, times), FPS)
    assert np.max(np.abs(middle(filtered))) < 0.2


def test_lowpass_is_zero_phase() -> None:
    times = np.arange(150) / FPS
    x = np.cos(2 * np.pi * 1.0 * times)  # peaks at 0, 30, 60, 90, 120
    filtered = lowpass(x, FPS)
    for peak in (30, 60, 90):
        assert abs(peak - 10 + int(np.argmax(filtered[peak - 10 : peak + 11])) - peak) <= 1
    # A one-pass filter lags a 1 Hz wave by about 0.24 rad (1.1 frames); this one must not.
    basis = np.column_stack([np.cos(2 * np.pi * times), np.sin(2 * np.pi * times)])
    (a, b), *_ = np.linalg.lstsq(middle(basis), middle(filtered), rcond=None)
    assert abs(np.arctan2(b, a)) < 0.02


def test_lowpass_leaves_missing_stretches_missing_and_filters_around_them() -> None:
    x = sine(1.0)
    x[40:50] = np.nan
    filtered = lowpass(x, FPS)
    assert np.isnan(filtered[40:50]).all()
    assert np.isfinite(filtered[:40]).all()
    assert np.isfinite(filtered[50:]).all()


def test_condition_gives_a_clean_signal_from_a_spiky_holed_one() -> None:
    clean = np.cos(2 * np.pi * 0.5 * TIMES)
    x = clean.copy()
    x[30] += 5.0
    x[50:54] = np.nan
    out = condition(x, TIMES, FPS)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, clean, atol=0.05)
