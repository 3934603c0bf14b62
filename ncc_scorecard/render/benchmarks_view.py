"""What the appendix and the portal show of a measure's benchmarks: the report's benchmark columns
(``benchmark_columns``) and each row's cells, every text ready to print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..benchmarks import rank_text
from ..model import AreaFigure, Benchmarks, MeasureResult, ReportResult
from ..numbers import ordinal
from ..periods import LabelStyle, Period, period_label
from .chart import RankBar, rank_chart
from .words import (
    BENCHMARK_HEADERS,
    COMPARISON_WORDS,
    MEAN_LINE,
    MEAN_OF,
    NO_SYMBOL,
    OURS,
    OURS_FIGURE,
    RANK_CHART_TITLE,
)


@dataclass(frozen=True)
class BenchmarkCell:
    """One benchmark cell of a row: the figure ("62", "3rd of 12", "A") and, on a line of its own,
    the benchmark period when it is not the current result's ("2016/17") and how a mean was made."""

    text: str
    detail: str = ""


def benchmark_headers(report: ReportResult) -> tuple[str, ...]:
    """The header of each of the report's benchmark columns: a group's name, "Rank", "Quartile"."""
    names = {group.id: group.name for row in report.rows if row.benchmarks for group in row.benchmarks.groups}
    return tuple(
        BENCHMARK_HEADERS.get(column) or names.get(column, column.replace("-", " ").capitalize())
        for column in report.report.benchmark_columns
    )


def benchmark_cells(row: MeasureResult, report: ReportResult) -> tuple[BenchmarkCell, ...]:
    """A row's cell in each of the report's benchmark columns."""
    return tuple(_cell(row, report, column) for column in report.report.benchmark_columns)


def benchmark_period(row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4) -> str:
    """The benchmark period as printed ("2016/17"); empty without benchmarks. A period of another
    length than the measure's (a year against monthly results) always says what it covers: named by
    its first month it would read as a month ("Apr 2016")."""
    found = row.benchmarks
    if found is None:
        return ""
    same_length = row.period is not None and (row.period.months, row.period.weeks) == (
        found.period.months,
        found.period.weeks,
    )
    return period_label(found.period, style if same_length else "natural", row.measure.years_in(start_month))


def _cell(row: MeasureResult, report: ReportResult, column: str) -> BenchmarkCell:
    found = row.benchmarks
    if found is None:
        return BenchmarkCell(NO_SYMBOL)
    text = _text(found, column)
    if text is None:
        return BenchmarkCell(NO_SYMBOL)
    details = []
    if row.period is None or found.period != row.period:
        details.append(benchmark_period(row, report.label_style, report.start_month))
    group = next((g for g in found.groups if g.id == column), None)
    if group is not None and group.mean_of is not None:
        details.append(MEAN_OF.format(count=group.mean_of))
    return BenchmarkCell(text, ", ".join(details))


def _text(found: Benchmarks, column: str) -> str | None:
    if column == "rank":
        return rank_text(found.rank, found.rank_of)
    if column == "neighbour_rank":
        return rank_text(found.neighbour_rank, found.neighbour_rank_of)
    if column == "quartile":
        return found.quartile
    return next((group.display for group in found.groups if group.id == column), None)


@dataclass(frozen=True)
class GroupLine:
    """A comparator group on a measure page: "England", "62", "better than ours is 60 (2016/17)"."""

    name: str
    figure: str
    comparison: str


@dataclass(frozen=True)
class BenchmarkSection:
    """The benchmarks of a measure page: each group's figure, the ranks, the quartile, and the
    ranked chart of the neighbours with its table."""

    period: str
    ours: str
    groups: tuple[GroupLine, ...]
    rank: str
    """"87th of 152"; empty without a rank (a data-only measure, or no other area with a figure)."""
    neighbour_rank: str
    quartile: str
    """A–D; empty without quartiles (fewer than four areas with a figure)."""
    chart: Markup
    """Us and the neighbours ranked best first (empty without a group of areas)."""
    group_name: str
    """The name of the group the chart ranks ("Statistical neighbours")."""
    table: tuple[AreaFigure, ...]
    """The chart's text equivalent: rank, area, figure."""
    ours_word: str = OURS


def benchmark_section(
    row: MeasureResult, style: LabelStyle = "natural", start_month: int = 4
) -> BenchmarkSection | None:
    """A measure page's benchmarks; None without any."""
    found = row.benchmarks
    if found is None:
        return None
    period = benchmark_period(row, style, start_month)
    groups = tuple(
        GroupLine(
            group.name,
            (group.display or NO_SYMBOL) + (f" ({MEAN_OF.format(count=group.mean_of)})" if group.mean_of else ""),
            f"{OURS_FIGURE.format(ours=found.ours_display)} is {COMPARISON_WORDS[group.comparison]} {group.name}"
            if group.comparison in COMPARISON_WORDS
            else "",
        )
        for group in found.groups
    )
    neighbours = next((g for g in found.groups if g.mean_of is not None), None)
    name = neighbours.name if neighbours else ""
    bars = [RankBar(_area_name(a), a.value, a.display, a.ours) for a in found.neighbours]
    title = RANK_CHART_TITLE.format(measure=row.measure.title, group=name, period=period)
    description = "; ".join(f"{ordinal(a.rank)} {_area_name(a)}: {a.display}" for a in found.neighbours) + "."
    return BenchmarkSection(
        period=period,
        ours=found.ours_display or NO_SYMBOL,
        groups=groups,
        rank=rank_text(found.rank, found.rank_of) or "",
        neighbour_rank=rank_text(found.neighbour_rank, found.neighbour_rank_of) or "",
        quartile=found.quartile or "",
        chart=rank_chart(bars, title, description) if bars else Markup(""),
        group_name=name,
        table=found.neighbours,
    )


def _area_name(area: AreaFigure) -> str:
    return f"{area.name} {OURS}" if area.ours else area.name


def benchmark_levels(
    row: MeasureResult, periods: Sequence[Period]
) -> tuple[tuple[str, ...], list[tuple[float | None, ...]]]:
    """The chart name of each chosen comparator group ("England", "Statistical neighbours (mean)")
    and, at each period, every group's figure: that of the latest benchmark period ended by the
    period's end (None before the first)."""
    found = row.benchmarks
    if found is None or not found.groups:
        return (), [() for _ in periods]
    names = tuple(MEAN_LINE.format(name=g.name) if g.mean_of is not None else g.name for g in found.groups)
    levels = []
    for period in periods:
        ended = [[value for at, value in group.series if at.end <= period.end] for group in found.groups]
        levels.append(tuple(values[-1] if values else None for values in ended))
    return names, levels
