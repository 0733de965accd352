"""Condition a keypoint signal before judging it (after kineticstoolkit and Sports2D).

Fill short gaps, reject outliers with a Hampel filter, then a zero-phase Butterworth
low-pass around 6 Hz, which suits human movement filmed at 30 fps (Winter 2009).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy.signal import butter, sosfiltfilt

from hingecoach.motion.thresholds import THRESHOLDS

__all__ = ["condition", "fill_gaps", "hampel", "lowpass", "runs"]

FloatArray = NDArray[np.float64]


def runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Start and stop (exclusive) of each run of True values."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def fill_gaps(
    x: FloatArray, times: FloatArray, max_gap: float = THRESHOLDS.gap_fill_seconds
) -> FloatArray:
    """Bridge NaN gaps no longer than `max_gap` seconds: linearly inside, by holding the
    nearest value at either end of the clip."""
    out = x.copy()
    for start, stop in runs(np.isnan(x)):
        if start == 0 and stop == len(x):
            continue
        if start == 0:
            if times[stop] - times[0] <= max_gap:
                out[:stop] = x[stop]
        elif stop == len(x):
            if times[-1] - times[start - 1] <= max_gap:
                out[start:] = x[start - 1]
        elif times[stop] - times[start - 1] <= max_gap:
            out[start:stop] = np.interp(
                times[start:stop], [times[start - 1], times[stop]], [x[start - 1], x[stop]]
            )
    return out


def hampel(x: FloatArray, half_window: int = 3, k: float = 4.0) -> FloatArray:
    """Replace points more than k robust deviations from the local median with NaN."""
    if len(x) < 3:
        return x.copy()
    padded = np.pad(x, half_window, constant_values=np.nan)
    windows = sliding_window_view(padded, 2 * half_window + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows give NaN, as wanted
        median = np.nanmedian(windows, axis=1)
        mad = 1.4826 * np.nanmedian(np.abs(windows - median[:, None]), axis=1)
    outlier = (mad > 0) & (np.abs(x - median) > k * mad)
    out = x.copy()
    out[outlier] = np.nan
    return out


def lowpass(
    x: FloatArray, fps: float, cutoff: float = THRESHOLDS.lowpass_hz, order: int = 2
) -> FloatArray:
    """Zero-phase Butterworth low-pass of each NaN-free stretch long enough to filter."""
    if fps <= 2 * cutoff:
        return x.copy()
    sos = butter(order, cutoff, btype="low", fs=fps, output="sos")
    out = x.copy()
    pad = 3 * (2 * len(sos) + 1)
    for start, stop in runs(~np.isnan(x)):
        if stop - start > pad:
            out[start:stop] = sosfiltfilt(sos, x[start:stop])
    return out


def condition(
    x: FloatArray, times: FloatArray, fps: float, cutoff: float = THRESHOLDS.lowpass_hz
) -> FloatArray:
    """Outliers out, short gaps filled, then low-passed."""
    return lowpass(fill_gaps(hampel(x), times), fps, cutoff)
