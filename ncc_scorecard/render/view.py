"""What the appendix templates see: a typed view of a computed report, every text ready to print.

Templates only lay these fields out; every figure and word is decided here or in the
calculator, never in a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from ..calculator import MeasureResult, ReportResult, Summary, display
from ..periods import short_date
from .changes_view import ChangesView, changes_view
from .sparkline import sparkline

RAG_TEXT = {"green": "Green", "amber": "Amber", "red": "Red"}
STATUS_TEXT = {"up-to-date": "Up to date", "overdue": "Overdue", "no-data": "No data"}
FREQUENCY_TEXT = {"monthly": "Monthly", "quarterly": "Quarterly", "annual": "Annual"}


@dataclass(frozen=True)
class Badge:
    """A status word with its symbol and colour class: never colour alone."""

    text: str
    """The word printed in the cell ("Red", "Better", "Up to date")."""
    symbol: str
    """A shape that repeats the meaning (▲ ▼ ► ● ■), hidden from screen readers."""
    css: str
    """The colour class: rag-green, rag-amber, rag-red or rag-none."""
    description: str
    """A longer text for screen readers and tooltips."""


@dataclass(frozen=True)
class RowView:
    """One measure's row and its comment rows."""

    number: int
    id: str
    title: str
    unit: str
    previous_year: str
    target: str
    current: str
    period: str
    frequency: str
    direction: Badge
    performance: Badge
    status: Badge
    sparkline: Markup
    """Inline SVG (built from numbers only); empty when there is no trend."""
    variation: Badge | None
    """SPC variation of the latest point (None when SPC is off for the measure)."""
    assurance: Badge | None
    """SPC assurance against the target (None when SPC is off for the measure)."""
    underlying: str | None
    comments: tuple[str, ...]
    """Comment paragraphs."""
    actions: tuple[str, ...]
    """Action paragraphs."""


@dataclass(frozen=True)
class GroupView:
    title: str | None
    rows: tuple[RowView, ...]


@dataclass(frozen=True)
class AppendixView:
    """The template context of an appendix (``appendix.html.j2``)."""

    report_id: str
    heading: str
    """"Appendix B: Children's Safeguarding – position as at 31.12.17"."""
    title: str
    appendix: str | None
    organisation: str
    as_at: str
    """The as-at date as the heading prints it (31.12.17)."""
    as_at_iso: str
    previous_year_header: str
    """"2016/17 Performance"."""
    trend_header: str
    """"2017-18 Trend"."""
    summary: str
    """"15 measures: 6 green, 0 amber, 7 red, 2 without target; 0 overdue"."""
    groups: tuple[GroupView, ...]
    columns: int
    """How many columns the table has (for full-width comment rows)."""
    spc: bool
    """Whether the table has the SPC Variation and Assurance columns (any measure has SPC)."""
    changes: ChangesView
    """The "Changes since the last period" section (``changes.html.j2``)."""


def paragraphs(text: str) -> tuple[str, ...]:
    """Split free text into paragraphs at blank lines; single line breaks become spaces."""
    return tuple(" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip())


def summary_text(summary: Summary) -> str:
    text = (
        f"{summary.measures} measure{'s' if summary.measures != 1 else ''}: "
        f"{summary.green} green, {summary.amber} amber, {summary.red} red, {summary.no_target} without target"
    )
    if summary.no_data:
        text += f", {summary.no_data} without a result"
    return text + f"; {summary.overdue} overdue"


def direction_badge(row: MeasureResult) -> Badge:
    if row.direction is None:
        return Badge("No comparison", "–", "rag-none", "Direction of travel: no earlier figure to compare with")
    moved = (
        "same"
        if row.direction == "same"
        else ("up" if (row.direction == "better") == (row.measure.polarity == "higher") else "down")
    )
    symbol = {"up": "▲", "down": "▼", "same": "►"}[moved]
    css = "rag-red" if row.direction == "worse" else "rag-green"
    basis = f" than {row.comparator_label}" if row.comparator_label else ""
    word = row.direction.capitalize()
    return Badge(
        word,
        symbol,
        css,
        f"Direction of travel: {row.direction}{basis}" + ("" if moved == "same" else f" (value {moved})"),
    )


def performance_badge(row: MeasureResult) -> Badge:
    if row.rag is None:
        reason = "No result" if row.value is None else "No target"
        return Badge(reason, "–", "rag-none", f"Performance: {reason.lower()}")
    symbol = {"green": "●", "amber": "◆", "red": "■"}[row.rag]
    return Badge(RAG_TEXT[row.rag], symbol, f"rag-{row.rag}", f"Performance against target: {row.rag}")


def status_badge(row: MeasureResult) -> Badge:
    css = {"up-to-date": "status-ok", "overdue": "status-overdue", "no-data": "status-overdue"}[row.status]
    return Badge(STATUS_TEXT[row.status], "", css, f"Data status: {STATUS_TEXT[row.status].lower()}")


def trend_title(row: MeasureResult, header: str) -> str:
    if not row.trend:
        return ""
    points = ", ".join(f"{point.period.label} {display(point.value, row.measure.decimals)}" for point in row.trend)
    target = f"; target {row.target_display}" if row.target_display else ""
    return f"{header}: {points}{target}"


VARIATION = {
    ("common_cause", None): ("~", "Common cause", "spc-common", "no significant change"),
    ("improvement", "high"): ("H▲", "Improvement", "spc-improvement", "special cause improvement, higher"),
    ("improvement", "low"): ("L▼", "Improvement", "spc-improvement", "special cause improvement, lower"),
    ("concern", "high"): ("H▲", "Concern", "spc-concern", "special cause concern, higher"),
    ("concern", "low"): ("L▼", "Concern", "spc-concern", "special cause concern, lower"),
    ("neutral", "high"): ("H▲", "Special cause", "spc-neutral", "special cause, higher, neither better nor worse"),
    ("neutral", "low"): ("L▼", "Special cause", "spc-neutral", "special cause, lower, neither better nor worse"),
}
ASSURANCE = {
    "consistent_pass": ("P", "Will pass", "spc-improvement", "the process will consistently meet the target"),
    "consistent_fail": ("F", "Will fail", "spc-concern", "the process will consistently miss the target"),
    "hit_or_miss": ("?", "Hit or miss", "spc-common", "the process will sometimes meet and sometimes miss the target"),
    "none": ("–", "No assurance", "rag-none", "no target to assure against"),
}


def spc_badges(row: MeasureResult) -> tuple[Badge | None, Badge | None]:
    """Variation and assurance as symbol, word and colour; marked provisional under 12 points."""
    if row.spc is None:
        return None, None
    note = " (provisional: fewer than 12 points)" if row.spc.result.provisional else ""
    suffix = " (provisional)" if row.spc.result.provisional else ""
    symbol, word, css, text = VARIATION[(row.spc.variation, row.spc.side)]
    variation = Badge(word + suffix, symbol, css, f"Variation: {text}{note}")
    symbol, word, css, text = ASSURANCE[row.spc.result.assurance]
    assurance = Badge(word + suffix, symbol, css, f"Assurance: {text}{note}")
    return variation, assurance


def row_view(number: int, row: MeasureResult, trend_header: str) -> RowView:
    measure = row.measure
    values = [point.value for point in row.trend]
    return RowView(
        number=number,
        id=measure.id,
        title=measure.title,
        unit=measure.label,
        previous_year=row.previous_year_display or "–",
        target=row.target_display or "None set",
        current=row.display or "–",
        period=row.period.label if row.period else "–",
        frequency=FREQUENCY_TEXT[measure.frequency],
        direction=direction_badge(row),
        performance=performance_badge(row),
        status=status_badge(row),
        variation=spc_badges(row)[0],
        assurance=spc_badges(row)[1],
        sparkline=sparkline(values, trend_title(row, trend_header), row.target if len(values) > 1 else None),
        underlying=row.underlying,
        comments=paragraphs(row.comment),
        actions=paragraphs(row.action),
    )


def appendix_view(report: ReportResult) -> AppendixView:
    title = report.report.title
    as_at = short_date(report.as_at)
    heading = f"{title} – position as at {as_at}"
    if report.report.appendix:
        heading = f"Appendix {report.report.appendix}: {heading}"
    trend_header = f"{report.current_year.dash_label} Trend"
    number = 0
    groups = []
    for group in report.groups:
        rows = []
        for row in group.rows:
            number += 1
            rows.append(row_view(number, row, trend_header))
        groups.append(GroupView(group.title, tuple(rows)))
    return AppendixView(
        report_id=report.report.id,
        heading=heading,
        title=title,
        appendix=report.report.appendix,
        organisation=report.organisation,
        as_at=as_at,
        as_at_iso=report.as_at.isoformat(),
        previous_year_header=f"{report.previous_year.label} Performance",
        trend_header=trend_header,
        summary=summary_text(report.summary),
        groups=tuple(groups),
        columns=14 if any(row.spc for row in report.rows) else 12,
        spc=any(row.spc for row in report.rows),
        changes=changes_view(report),
    )
