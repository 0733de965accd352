"""The PDF progress report, drawn by fpdf2 from plain values (web/reports.py builds them).

fpdf2 is pure Python: no system library to install on a clinic's server, unlike WeasyPrint
(Pango, cairo). The text is set in DejaVu Sans, the font matplotlib ships with its charts,
so a name like "Zoë Łukasz" prints as written where the PDF core fonts know only Latin-1,
and the report looks like its charts. A4 portrait, 11 pt body, so it reads when printed.

The report's own words (headings, labels, the footer) and its dates are in the reader's
language (language.py), the one the report's values were made in: web/reports.py
builds and draws it within one request. Their Spanish is in locale/es/LC_MESSAGES/report.po.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import matplotlib
from babel.dates import format_date
from fpdf import FPDF, Align, XPos, YPos
from matplotlib.figure import Figure

from hingecoach.adapters.charts import to_png
from hingecoach.language import _, current_language

__all__ = [
    "Chart",
    "Entry",
    "Fact",
    "OutcomeScore",
    "ProgressReport",
    "SessionRow",
    "long_date",
    "pgettext",
    "report_pdf",
]

_FONT = "DejaVu"
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_BODY, _SMALL, _HEADING, _TITLE = 11, 9, 14, 20  # pt
_LINE = 5.6  # mm: 11 pt text with a little air between lines
_LEADING = _LINE / _BODY  # mm of line per pt of type, the same air at every size
_ROW = 6.5  # mm: a table row
_MARGIN = 18  # mm on every side; the footer sits in the bottom one
_INK, _GREY, _RULE = (31, 41, 55), (75, 85, 99), (209, 213, 219)
_MM_PER_INCH = 25.4


def long_date(day: date) -> str:
    """Day, month's short name, year ('2 Mar 2026', '2 mar 2026'): unambiguous wherever the
    report is read (a date written 11/30 or 30/11 is read the wrong way round somewhere)."""
    return format_date(day, "d MMM y", locale=current_language())


def pgettext(context: str, message: str) -> str:
    """`message` as said in `context`, where the same English says two things: the report's
    "Change" is a noun, the pages' button a verb (gettext's msgctxt, which the merged
    catalogs keep as "context\x04message"). English is the message itself."""
    key = f"{context}\x04{message}"
    said = _(key)
    return message if said.startswith(f"{context}\x04") else said


@dataclass(frozen=True)
class Chart:
    """A chart as PNG, with the size it is drawn at so its 12 pt text prints at 12 pt."""

    title: str
    caption: str
    png: bytes
    width_mm: float
    height_mm: float

    @classmethod
    def of(cls, fig: Figure, title: str, caption: str) -> Chart:
        width, height = fig.get_size_inches()
        return cls(title, caption, to_png(fig), width * _MM_PER_INCH, height * _MM_PER_INCH)


@dataclass(frozen=True)
class Fact:
    """A label and its value. An important change (one large enough for a person to notice)
    is printed bold and said in words, so it shows in black-and-white print and when read
    aloud."""

    label: str
    value: str
    important: bool = False


@dataclass(frozen=True)
class Entry:
    """A dated line with its details: a decision and its reasons, a flag, a note."""

    day: date
    headline: str
    details: tuple[str, ...] = ()
    rules: str = ""  # the rule ids, printed beside the headline on the clinician's copy


@dataclass(frozen=True)
class SessionRow:
    day: date
    step: int
    pain_before: int
    pain_during: int
    pain_after: int


@dataclass(frozen=True)
class OutcomeScore:
    """One questionnaire's first and latest score, as the outcome questionnaires give them.

    `important`: the change reaches the measure's minimal important change (rule O6).
    """

    measure: str
    first: str
    latest: str
    change: str
    important: bool = False


@dataclass(frozen=True)
class ProgressReport:
    """Everything the report prints, in the words of the copy it is (web/reports.py)."""

    name: str
    made: date
    for_clinician: bool  # the clinician's copy adds their notes and the change log
    summary: tuple[Fact, ...]
    steps_chart: Chart
    step_changes: tuple[Entry, ...]
    pain: tuple[Fact, ...]
    pain_chart: Chart
    sessions: tuple[SessionRow, ...]
    sessions_note: str  # what the table leaves out, if anything
    adherence: str
    calendar: Chart
    outcomes: tuple[OutcomeScore, ...] = ()
    flags: tuple[Entry, ...] = ()
    decisions: tuple[Entry, ...] = ()
    notes: tuple[Entry, ...] = ()
    changes: tuple[Entry, ...] = ()
    about: str = ""


class _Pdf(FPDF):
    """A4 portrait with the footer every page carries."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer = footer
        for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            self.add_font(_FONT, style, _FONTS / file)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 4)

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self.set_font(_FONT, size=_SMALL)
        self.set_text_color(*_GREY)
        # "{nb}" is fpdf2's alias for the page count, filled in when the document closes
        text = self._footer.replace("{page}", str(self.page_no()))
        self.cell(0, 5, text, align=Align.C)


def _footer_text(name: str, made: date) -> str:
    """The footer, its page number and count left for each page and the document's end."""
    short = name if len(name) <= 40 else name[:39] + "…"
    return _("HingeCoach progress report · {name} · page {page} of {pages} · made {day}").format(
        name=short, page="{page}", pages="{nb}", day=long_date(made)
    )


def _important(value: str) -> str:
    return _("{value} (important change)").format(value=value)


def _text(pdf: _Pdf, text: str, size: int = _BODY, bold: bool = False, indent: float = 0) -> None:
    pdf.set_font(_FONT, "B" if bold else "", size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        0,
        size * _LEADING,
        text.replace("\r", ""),
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _bullet(pdf: _Pdf, text: str) -> None:
    """A detail line with a hanging indent: wrapped lines start under its first word."""
    pdf.set_font(_FONT, "", _BODY)
    pdf.set_x(pdf.l_margin + 4)
    pdf.cell(5, _LINE, "•")
    pdf.multi_cell(
        0, _LINE, text.replace("\r", ""), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )


def _heading(pdf: _Pdf, title: str, keep: float = 30) -> None:
    """A section heading, moved to the next page when `keep` mm would not follow it."""
    if pdf.will_page_break(12 + keep):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_text_color(*_INK)
    _text(pdf, title, _HEADING, bold=True)
    pdf.set_draw_color(*_RULE)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.ln(2.5)


def _facts(pdf: _Pdf, facts: Sequence[Fact]) -> None:
    label_width = 48
    for fact in facts:
        pdf.set_font(_FONT, "B", _BODY)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(
            label_width, _LINE, fact.label, align=Align.L, new_x=XPos.RIGHT, new_y=YPos.TOP
        )
        value = _important(fact.value) if fact.important else fact.value
        pdf.set_font(_FONT, "B" if fact.important else "", _BODY)
        pdf.multi_cell(0, _LINE, value, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)


def _chart(pdf: _Pdf, chart: Chart) -> None:
    if pdf.will_page_break(chart.height_mm + 18):
        pdf.add_page()
    _text(pdf, chart.title, bold=True)
    pdf.image(
        chart.png,
        x=Align.C,
        w=chart.width_mm,
        h=chart.height_mm,
        alt_text=f"{chart.title}. {chart.caption}",
    )
    pdf.set_text_color(*_GREY)
    _text(pdf, chart.caption, _SMALL)
    pdf.set_text_color(*_INK)
    pdf.ln(2)


def _entries(pdf: _Pdf, entries: Sequence[Entry], none: str) -> None:
    if not entries:
        _text(pdf, none)
        return
    for entry in entries:
        if pdf.will_page_break(_LINE * (2 + len(entry.details))):
            pdf.add_page()
        _text(pdf, f"{long_date(entry.day)} · {entry.headline}", bold=True)
        if entry.rules:
            pdf.set_text_color(*_GREY)
            _text(pdf, _("Rules: {rules}").format(rules=entry.rules), _SMALL, indent=5)
            pdf.set_text_color(*_INK)
        for detail in entry.details:
            _bullet(pdf, detail)
        pdf.ln(1.5)


def _widths(pdf: _Pdf, head: Sequence[str], least: Sequence[float]) -> tuple[float, ...]:
    """Columns (mm) at least `least` wide, and wide enough for each bold heading on one
    line: some languages' headings are longer ('Después' is wider than 'After')."""
    pdf.set_font(_FONT, "B", _BODY)
    found = tuple(max(w, pdf.get_string_width(h) + 4) for w, h in zip(least, head, strict=True))
    pdf.set_font(_FONT, "", _BODY)
    return found


def _sessions(pdf: _Pdf, rows: Sequence[SessionRow], note: str) -> None:
    if not rows:
        _text(pdf, note or _("No sessions logged yet."))
        return
    if note:
        _text(pdf, note)
    if pdf.will_page_break(_ROW * 4):  # the headings and a few rows together
        pdf.add_page()
    pdf.set_font(_FONT, "", _BODY)
    pdf.set_draw_color(*_RULE)
    head = (_("Date"), _("Step"), _("Pain before"), _("During"), _("After"))
    widths = _widths(pdf, head, (34, 14, 30, 20, 20))
    with pdf.table(
        width=sum(widths),
        align="LEFT",
        col_widths=widths,
        text_align=("LEFT", *["RIGHT"] * 4),
        line_height=_ROW,
    ) as table:
        table.row(head)
        for r in rows:
            cells = (r.step, r.pain_before, r.pain_during, r.pain_after)
            table.row((long_date(r.day), *(str(c) for c in cells)))


def _outcomes(pdf: _Pdf, scores: Sequence[OutcomeScore]) -> None:
    if not scores:
        _text(pdf, _("None recorded yet."))
        return
    pdf.set_font(_FONT, "", _BODY)
    pdf.set_draw_color(*_RULE)
    with pdf.table(
        align="LEFT", col_widths=(40, 25, 25, 50), text_align="LEFT", line_height=_ROW
    ) as table:
        table.row((_("Measure"), _("First"), _("Latest"), pgettext("noun", "Change")))
        for s in scores:
            change = _important(s.change) if s.important else s.change
            table.row((s.measure, s.first, s.latest, change))
    _text(pdf, _("An important change is one large enough for a person to notice."), _SMALL)


def _body(pdf: _Pdf, report: ProgressReport) -> None:
    _heading(pdf, _("Ladder and step over time"))
    _chart(pdf, report.steps_chart)
    _entries(pdf, report.step_changes, _("No change of step yet."))
    _heading(pdf, _("Pain against the start"))
    _facts(pdf, report.pain)
    pdf.ln(2)
    _chart(pdf, report.pain_chart)
    _sessions(pdf, report.sessions, report.sessions_note)
    _heading(pdf, _("Adherence"))
    _text(pdf, report.adherence)
    _chart(pdf, report.calendar)
    _heading(pdf, _("Outcome scores"))
    _outcomes(pdf, report.outcomes)
    _heading(pdf, _("Flags"))
    _entries(pdf, report.flags, _("None."))
    _heading(pdf, _("Decisions and their reasons"))
    _entries(pdf, report.decisions, _("None yet."))
    if report.for_clinician:
        _heading(pdf, _("Clinicians' notes"))
        _entries(pdf, report.notes, _("None yet."))
        _heading(pdf, _("Changes by clinicians"))
        _entries(pdf, report.changes, _("None yet."))


def report_pdf(report: ProgressReport) -> bytes:
    """The report as a PDF file's bytes."""
    pdf = _Pdf(_footer_text(report.name, report.made))
    pdf.set_title(_("HingeCoach progress report: {name}").format(name=report.name))
    pdf.set_author("HingeCoach")
    pdf.set_lang(current_language())
    pdf.set_creation_date(
        datetime(report.made.year, report.made.month, report.made.day, tzinfo=UTC)
    )
    pdf.add_page()
    pdf.set_text_color(*_INK)
    _text(pdf, _("HingeCoach progress report"), _TITLE, bold=True)
    pdf.ln(2)
    _text(pdf, report.name, _HEADING)
    pdf.set_text_color(*_GREY)
    copy = (
        _("The clinician's copy, made {day}")
        if report.for_clinician
        else _("Your own copy, made {day}")
    )
    _text(pdf, copy.format(day=long_date(report.made)), _SMALL)
    pdf.set_text_color(*_INK)
    pdf.ln(3)
    _facts(pdf, report.summary)
    _body(pdf, report)
    if report.about:
        pdf.ln(4)
        pdf.set_text_color(*_GREY)
        _text(pdf, report.about, _SMALL)
    return bytes(pdf.output())
