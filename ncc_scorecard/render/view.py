"""What the appendix templates see: a typed view of a computed report, every text ready to print.

Templates only lay these fields out; every figure and word is decided here or in the
calculator, never in a template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..catalogue import Measure
from ..model import MeasureResult, Rag, ReportResult, Summary
from ..numbers import display, plural, target_display
from ..periods import LabelStyle, Years, period_label, short_date, span
from .badges import Badge, due_text, performance_badge, spc_badges, status_badge, travel_badge, travel_basis
from .benchmarks_view import BenchmarkCell, benchmark_cells, benchmark_headers
from .changes_view import ChangesView, changes_view
from .key import KeyView, direction_columns, key_view
from .sparkline import sparkline
from .words import (
    APPENDIX_WORD,
    COMPARATOR_VERSUS,
    DATA_ONLY,
    DIRECTION_HEADER,
    DIRECTION_HEADER_NTH,
    DIRECTION_HEADER_VS,
    FLOOR_TEXT,
    FREQUENCY_WORDS,
    NO_SYMBOL,
    ORDINALS,
    OWN_YEARS_NOTE,
    PROVISIONAL_NOTE,
    RAG_WORDS,
    YEAR_NAMES,
    comparator_key,
    in_sentence,
    rag_words,
    series,
)


@dataclass(frozen=True)
class RowView:
    """One measure's row and its comment rows."""

    number: int
    id: str
    title: str
    unit: str
    previous_year: str
    target: str
    floor: str
    """The floor standard after the target ("floor 55"); empty for a measure without one."""
    current: str
    provisional: bool
    """The current figure is provisional: the table marks it with an asterisk (see ``footnotes``)."""
    period: str
    frequency: str
    direction: Badge
    """The direction of travel against the measure's first comparator (the portal filters by it)."""
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
    not_available: tuple[str, ...]
    """Why the latest figure due is not available (paragraphs; empty otherwise)."""
    not_available_period: str
    """The period of that figure ("Dec 2017"; empty otherwise)."""
    actions: tuple[str, ...]
    """Action paragraphs."""
    directions: tuple[Badge | None, ...] = ()
    """The cell of each Direction of Travel column (``direction`` first); None where the measure has
    no comparator for that column (a "Not used" cell)."""
    previous_year_detail: str = ""
    benchmarks: tuple[BenchmarkCell, ...] = ()
    """The row's cell in each of the report's benchmark columns (``benchmark_columns``)."""
    """Printed under the previous-year figure when the measure is counted in its own years: the
    year it is for ("2016", "2016/17 (academic)"); "" for the financial years."""


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
    """"2017-18 Trend" when every row's trend lies in that financial year, else "Trend" (each
    sparkline's alternative text names its own span)."""
    summary: str
    """"15 measures: 6 green, 0 amber, 7 red, 2 without target; 0 overdue"."""
    groups: tuple[GroupView, ...]
    columns: int
    """How many columns the table has (for full-width comment rows)."""
    spc: bool
    """Whether the table has the SPC Variation and Assurance columns (any measure has SPC)."""
    changes: ChangesView
    """The "Changes since the last period" section (``changes.html.j2``)."""
    key: KeyView
    """The key after the scorecard (block ``key``): symbols, colours and words, and what each
    measure's direction of travel is compared with."""
    footnotes: tuple[str, ...] = ()
    """Printed after the table: what an asterisk means, when a figure is provisional; which years a
    measure counted in its own years shows in the previous-year column."""
    direction_headers: tuple[str, ...] = (DIRECTION_HEADER,)
    """The header of each Direction of Travel column: one "Direction of Travel", or one per comparator
    position any measure uses, named by what it compares with when every measure agrees
    ("Direction of Travel: vs previous period"), else by position ("… second comparison")."""
    blue: bool = False
    """A measure of the report can be Blue (``rating.exceeding``): the stylesheet adds Blue's colour."""
    benchmark_headers: tuple[str, ...] = ()
    """The header of each benchmark column the report shows (``benchmark_columns``), before Status."""

    @property
    def rows(self) -> tuple[RowView, ...]:
        """Every measure's row, in report order."""
        return tuple(row for group in self.groups for row in group.rows)


def paragraphs(text: str) -> tuple[str, ...]:
    """Split free text into paragraphs at blank lines; single line breaks become spaces."""
    return tuple(" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip())


def rag_counts(summary: Summary, words: Mapping[Rag, str] = RAG_WORDS) -> str:
    """ "6 green, 0 amber, 7 red" in the report's words, with "1 blue" first when a measure can be Blue."""
    counts = [(Rag.BLUE, summary.blue)] if summary.blue is not None else []
    counts += [(Rag.GREEN, summary.green), (Rag.AMBER, summary.amber), (Rag.RED, summary.red)]
    return ", ".join(f"{count} {in_sentence(words[rag])}" for rag, count in counts)


def summary_text(summary: Summary, words: Mapping[Rag, str] = RAG_WORDS) -> str:
    text = f"{plural(summary.measures, 'measure')}: {rag_counts(summary, words)}, {summary.no_target} without target"
    if summary.data_only:
        text += f", {summary.data_only} {DATA_ONLY.lower()}"
    if summary.no_data:
        text += f", {summary.no_data} without a result"
    text += f"; {summary.overdue} overdue"
    if summary.not_available:
        text += f", {summary.not_available} not available"
    return text


def trend_title(row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4) -> str:
    """A sparkline's alternative text: the span it shows, then every point ("Trend Apr–Dec 2017: Apr 2017 22,
    …, Dec 2017 24; target 22"). The span is named by what it covers, whatever the label style. With
    targets by quarter or month, each point names its own ("May 2024 5 (target 4)")."""
    if not row.trend:
        return ""
    measure = row.measure
    years, profiled = measure.years_in(start_month), measure.profiled
    covered = period_label(span(row.trend[0].period, row.trend[-1].period), "natural", years)
    points = ", ".join(
        f"{period_label(point.period, style, years)} {display(point.value, measure.decimals, measure.currency)}"
        + (_point_target(point.target, measure) if profiled else "")
        for point in row.trend
    )
    target = f"; target {row.target_display}" if row.target_display and not measure.profiled else ""
    return f"Trend {covered}: {points}{target}"


def _point_target(target: float | None, measure: Measure) -> str:
    return f" (target {target_display(target, measure.decimals, measure.currency) or 'none'})"


def trend_header(report: ReportResult) -> str:
    """The trend column's header: "2017-18 Trend" when every row's trend lies in the as-at date's
    financial year (as a monthly trend does), else "Trend", so it never claims a span a row does not show."""
    year = report.current_year
    if all(year.contains(point.period) for row in report.rows for point in row.trend):
        return f"{year.dash_label} Trend"
    return "Trend"


def direction_headers(report: ReportResult) -> tuple[str, ...]:
    """Each Direction of Travel column's header: "Direction of Travel" for one column; for several,
    what the column compares with when all its measures agree, else its position."""
    columns = direction_columns(report.rows)
    if columns == 1:
        return (DIRECTION_HEADER,)
    headers = []
    for i in range(columns):
        versus = {
            COMPARATOR_VERSUS[comparator_key(row.measure.frequency, row.comparisons[i].comparator)]
            for row in report.rows
            if i < len(row.comparisons)
        }
        only = next(iter(versus)) if len(versus) == 1 else None
        headers.append(
            DIRECTION_HEADER_VS.format(versus=only) if only else DIRECTION_HEADER_NTH.format(ordinal=ORDINALS[i])
        )
    return tuple(headers)


def direction_cells(
    row: MeasureResult, columns: int, style: LabelStyle = "natural", start_month: int = 4
) -> tuple[Badge | None, ...]:
    """A row's cell in each of ``columns`` Direction of Travel columns; None where it has no comparator.
    With several columns, what each compared with is a line of its own under the word (the header
    names the comparison), so it is printed without the dash that follows the word in a single column."""
    if columns == 1:
        return (travel_badge(row, style, start_month),)
    cells: list[Badge | None] = []
    for comparison in row.comparisons:
        badge = travel_badge(row, style, start_month, comparison)
        cells.append(replace(badge, detail=travel_basis(row, style, start_month, comparison)))
    return tuple(cells) + (None,) * (columns - len(cells))


def row_view(number: int, row: MeasureResult, report: ReportResult, columns: int | None = None) -> RowView:
    """A row of the table; ``columns`` is the report's number of Direction of Travel columns (found
    from its rows when not given)."""
    measure = row.measure
    columns = direction_columns(report.rows) if columns is None else columns
    values = [point.value for point in row.trend]
    variation, assurance = spc_badges(row)
    style, start_month = report.label_style, report.start_month
    years = measure.years_in(start_month)
    gap_period = period_label(row.not_available.period, style, years) if row.not_available else ""
    targets = [point.target for point in row.trend] if measure.profiled and len(values) > 1 else None
    return RowView(
        number=number,
        id=measure.id,
        title=measure.title,
        unit=measure.label,
        previous_year=row.previous_year_display or NO_SYMBOL,
        target=row.target_display or "None set",
        floor=FLOOR_TEXT.format(figure=row.floor_display) if row.floor_display else "",
        current=row.display or NO_SYMBOL,
        provisional=row.provisional,
        period=period_label(row.period, style, years) if row.period else NO_SYMBOL,
        frequency=FREQUENCY_WORDS[measure.frequency],
        direction=travel_badge(row, style, start_month),
        directions=direction_cells(row, columns, style, start_month),
        performance=performance_badge(row.rag, row.value is not None, measure.data_only, rag_words(report.names)),
        status=status_badge(row.status, gap_period, due_text(row, style, start_month)),
        variation=variation,
        assurance=assurance,
        sparkline=sparkline(
            values, trend_title(row, style, start_month), row.target if len(values) > 1 else None, targets=targets
        ),
        underlying=row.underlying,
        comments=paragraphs(row.comment),
        not_available=paragraphs(row.not_available.reason) if row.not_available else (),
        not_available_period=gap_period,
        actions=paragraphs(row.action),
        previous_year_detail=previous_year_detail(row, years),
        benchmarks=benchmark_cells(row, report),
    )


def previous_year_detail(row: MeasureResult, years: Years) -> str:
    """The year of a measure's own years whose outturn the previous-year column shows: "2016"."""
    if not years.own or row.previous_year_period is None:
        return ""
    return period_label(row.previous_year_period, "natural", years)


def footnotes(report: ReportResult, header: str) -> tuple[str, ...]:
    """What an asterisk means, when a figure is provisional; which previous year a measure counted in
    its own years shows, when there is one."""
    notes = [PROVISIONAL_NOTE] if any(row.provisional for row in report.rows) else []
    kinds = [row.measure.years_in(report.start_month).kind for row in report.rows]
    names = [YEAR_NAMES[kind] for kind in YEAR_NAMES if kind in kinds]
    if names:
        notes.append(OWN_YEARS_NOTE.format(years=series(names), header=header))
    return tuple(notes)


def appendix_label(appendix: str) -> str:
    """The heading's label: "Appendix B" for a bare letter or number, else the label as written."""
    label = " ".join(appendix.split())
    return f"{APPENDIX_WORD} {label}" if re.fullmatch(r"[A-Za-z]|\d+", label) else label


def appendix_view(report: ReportResult) -> AppendixView:
    title = report.report.title
    as_at = short_date(report.as_at)
    heading = f"{title} – position as at {as_at}"
    if report.report.appendix:
        heading = f"{appendix_label(report.report.appendix)}: {heading}"
    number = 0
    groups = []
    columns = direction_columns(report.rows)
    for group in report.groups:
        rows = []
        for row in group.rows:
            number += 1
            rows.append(row_view(number, row, report, columns))
        groups.append(GroupView(group.title, tuple(rows)))
    previous_year_header = f"{report.previous_year.label} Performance"
    return AppendixView(
        report_id=report.report.id,
        heading=heading,
        title=title,
        appendix=report.report.appendix,
        organisation=report.organisation,
        as_at=as_at,
        as_at_iso=report.as_at.isoformat(),
        previous_year_header=previous_year_header,
        trend_header=trend_header(report),
        summary=summary_text(report.summary, rag_words(report.names)),
        groups=tuple(groups),
        columns=(14 if any(row.spc for row in report.rows) else 12)
        + columns
        - 1
        + len(report.report.benchmark_columns),
        spc=any(row.spc for row in report.rows),
        changes=changes_view(report),
        key=key_view(report),
        footnotes=footnotes(report, previous_year_header),
        direction_headers=direction_headers(report),
        blue=report.summary.blue is not None,
        benchmark_headers=benchmark_headers(report),
    )
