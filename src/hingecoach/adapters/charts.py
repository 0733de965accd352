"""Progress charts drawn by matplotlib: SVG for the web pages, PNG for the PDF progress
report (adapters/report_pdf.py), from the same functions. No network, no browser script.

Their words (the legend, the axes) are said in the reader's language when a chart is made
(language.py), their dates and weekdays as Babel's locale data writes them: a chart
drawn in English reads as it always did ('05 Mar', 'Mon').
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from babel.dates import format_date, get_day_names
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter
from numpy.typing import NDArray

from hingecoach.engine.texts import num
from hingecoach.language import _, current_language

__all__ = ["adherence_figure", "pain_figure", "step_figure", "to_png", "to_svg"]

_INK, _DURING, _AFTER, _MORNING, _BASE = "#1f2937", "#b45309", "#7c3aed", "#0f766e", "#6b7280"
matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 12, "axes.edgecolor": _BASE})
# Drawn narrow, so that on a phone (about 360 px across) the text is no smaller than the
# page's own small print; a wider screen scales it up. Heights are given for 6.4 in wide.
_WIDTH_IN = 4.4


def _figure(height: float = 2.8) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(_WIDTH_IN, height * _WIDTH_IN / 6.4), layout="constrained")
    return fig, fig.add_subplot()


def _x(days: Sequence[date]) -> NDArray[np.datetime64]:
    return np.array(days, dtype="datetime64[D]")


def _day_month(day: date, language: str) -> str:
    """'05 Mar' ('05 mar' in Spanish): a tick label, short and unambiguous."""
    return format_date(day, "dd MMM", locale=language)


def _weekdays(language: str) -> list[str]:
    """Monday to Sunday, short: 'Mon' ... 'Sun', 'lun' ... 'dom'."""
    names = get_day_names("abbreviated", locale=language)
    return [names[d] for d in range(7)]  # Babel counts from Monday, as date.weekday does


def _dates(ax: Axes, days: Sequence[date], today: date) -> None:
    """From the first day with data (a week when there is none), and at least three days,
    so a few days of data fill the chart instead of hugging the right edge of an empty
    axis, and one point or none still has a readable axis."""
    first = min([*days, today - timedelta(days=2)]) if days else today - timedelta(days=6)
    ax.set_xlim(_x([first - timedelta(days=1)])[0], _x([today + timedelta(days=1)])[0])
    # matplotlib.dates has no type hints yet
    span = (today - first).days + 2
    if span <= 35:  # whole days, at most about four labels
        every = max(1, math.ceil(span / 4))
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=every))  # type: ignore[no-untyped-call]
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=4))  # type: ignore[no-untyped-call]
    language = current_language()  # the one the chart is made in, whenever it is drawn
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: _day_month(mdates.num2date(x).date(), language))  # type: ignore[no-untyped-call]
    )
    ax.spines[["top", "right"]].set_visible(False)


def pain_figure(
    sessions: Sequence[tuple[date, int, int]],
    mornings: Sequence[tuple[date, int]],
    baseline: float,
    today: date,
) -> Figure:
    """Pain during and after each session and next-morning pain, against the onboarding baseline."""
    fig, ax = _figure()
    if sessions:
        days = [s[0] for s in sessions]
        ax.plot(_x(days), [s[1] for s in sessions], "o-", color=_DURING, label=_("during"))
        ax.plot(_x(days), [s[2] for s in sessions], "s--", color=_AFTER, label=_("after"))
    if mornings:
        ax.plot(
            _x([m[0] for m in mornings]),
            [m[1] for m in mornings],
            "^-",
            color=_MORNING,
            label=_("next morning"),
        )
    start = _("at the start ({pain})").format(pain=num(baseline))
    ax.axhline(baseline, color=_BASE, linestyle=":", label=start)
    ax.axhspan(5.5, 10.5, color="#fee2e2", zorder=0)
    ax.set_ylim(-0.5, 10.5)
    ax.set_ylabel(_("pain 0-10"))
    ax.legend(loc="upper left", fontsize=10, ncols=2, frameon=False)
    _dates(ax, [s[0] for s in sessions] + [m[0] for m in mornings], today)
    return fig


def step_figure(points: Sequence[tuple[date, int]], steps: int, today: date) -> Figure:
    """The step (1..steps) over time, as a staircase."""
    fig, ax = _figure(2.4)
    if points:
        ax.step(
            _x([p[0] for p in points]),
            [p[1] for p in points],
            where="post",
            color=_INK,
            linewidth=2,
        )
        ax.plot(_x([p[0] for p in points]), [p[1] for p in points], "o", color=_INK, markersize=4)
    ax.set_ylim(0.5, steps + 0.5)
    ax.set_yticks(range(1, steps + 1))
    ax.set_ylabel(_("step"))
    _dates(ax, [p[0] for p in points], today)
    return fig


def adherence_figure(done: set[date], end: date, weeks: int = 8) -> Figure:
    """A calendar of the last `weeks` weeks, a row a week (Monday first), a filled square for
    each day with a session; days after `end` are left blank."""
    fig, ax = _figure(0.42 * weeks + 0.6)
    start = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        row, col = weeks - 1 - offset // 7, day.weekday()
        colour = _MORNING if day in done else "#e5e7eb"
        ax.add_patch(Rectangle((col, row), 0.9, 0.9, color=colour))
    ax.set_xlim(-0.1, 7)
    ax.set_ylim(-0.1, weeks)
    language = current_language()
    ax.set_xticks([c + 0.45 for c in range(7)], _weekdays(language))
    ax.xaxis.tick_top()
    ax.set_yticks(
        [weeks - 1 - w + 0.45 for w in range(weeks)],
        [_day_month(start + timedelta(weeks=w), language) for w in range(weeks)],
    )
    ax.set_aspect("equal")
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    return fig


def to_svg(fig: Figure, title: str) -> str:
    """Inline SVG with an accessible name; matplotlib's fixed size is made responsive."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", svg, count=1)
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="chart"', 1)


def to_png(fig: Figure, dpi: int = 200) -> bytes:
    """PNG at the figure's own size, so its 12 pt text prints at 12 pt: 200 dpi is sharp on
    paper, where the PDF reader would draw matplotlib's SVG text in a font of its choosing
    (the SVG keeps text as text) and fpdf2 reads only part of SVG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
