"""Benchmarks: a measure against its comparator groups (England, a region, statistical neighbours),
with its rank and quartile among every area. Pure functions, like :mod:`ncc_scorecard.calculator`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from statistics import fmean

from .benchmark_files import BenchmarkFigure
from .calculator import compare
from .catalogue import Catalogue, ComparatorGroup, Measure
from .model import AreaFigure, Benchmarks, Group, GroupFigure, MeasureResult, ReportResult
from .numbers import display, ordinal, rounded
from .periods import Period
from .results import Result

QUARTILES = ("A", "B", "C", "D")
FEWEST_RANKED = 2
"""A rank needs another area with a figure: "1st of 1" compares us with nobody."""
FEWEST_QUARTILED = 4
"""Quartiles need at least four areas, one for each quarter (alone, we would be "1st of 1, quartile D")."""
NO_FIGURE = "(no figure)"
"""What a placeholder of a comment, action or underlying sentence becomes when there is no figure."""


def rank_text(rank: int | None, of: int | None) -> str | None:
    """``87th of 152``; None without a rank."""
    return None if rank is None or of is None else f"{ordinal(rank)} of {of}"


def ranks(values: Sequence[Decimal], polarity: str) -> list[int]:
    """Each value's rank, 1 the best by polarity; equal values share the best of their ranks (1, 2, 2, 4)."""
    better = (lambda a, b: a > b) if polarity == "higher" else (lambda a, b: a < b)
    return [1 + sum(1 for other in values if better(other, value)) for value in values]


def quartile(rank: int, of: int) -> str:
    """A for the best quarter of the ranks to D for the worst: ranks 1–3 of 12 are A, 4–6 B, 7–9 C, 10–12 D."""
    return QUARTILES[math.ceil(4 * rank / of) - 1]


def compute_benchmarks(
    measure: Measure,
    group_ids: Sequence[str],
    catalogue: Catalogue,
    figures: Sequence[BenchmarkFigure],
    results: Sequence[Result],
    current: Period | None,
) -> Benchmarks | None:
    """The measure against each group of ``group_ids`` for the latest benchmark period that ended by the
    end of the current result's period; None without groups, a current result or a figure by then."""
    if not group_ids or current is None or catalogue.area is None:
        return None
    periods = sorted({f.period for f in figures if f.period.end <= current.end}, key=lambda p: (p.end, -p.months))
    if not periods:
        return None
    period = periods[-1]
    by_period: dict[Period, dict[str, BenchmarkFigure]] = {}  # each period's figures by area, the last given
    for figure in figures:
        by_period.setdefault(figure.period, {})[figure.code] = figure
    at = by_period[period]
    area = catalogue.area
    ours = at[area.code].value if area.code in at else _own_result(results, period)
    places, currency, polarity = measure.decimals, measure.currency, measure.polarity
    groups = tuple(
        _group(group_id, catalogue.comparators[group_id], by_period, periods, ours, measure, area.code)
        for group_id in group_ids
    )
    published = {group.code for group in catalogue.comparators.values() if group.code}
    local = {code: f.value for code, f in at.items() if code not in published}
    if ours is not None:
        local[area.code] = ours
    rank = rank_of = neighbour_rank = neighbour_rank_of = None
    neighbours: tuple[AreaFigure, ...] = ()
    if ours is not None and polarity != "none" and len(local) >= FEWEST_RANKED:
        codes = list(local)
        rank, rank_of = ranks([rounded(local[c], places) for c in codes], polarity)[codes.index(area.code)], len(codes)
        group = next((catalogue.comparators[g] for g in group_ids if catalogue.comparators[g].codes), None)
        members = [area.code, *(c for c in group.codes or () if c in at and c != area.code)] if group else []
        if len(members) >= FEWEST_RANKED:
            order = ranks([rounded(local[c], places) for c in members], polarity)
            neighbour_rank, neighbour_rank_of = order[0], len(members)
            names = {c: (at[c].name if c in at else area.name) for c in members}
            ranked = sorted(zip(order, members, strict=True))
            neighbours = tuple(
                AreaFigure(c, names[c], local[c], display(local[c], places, currency) or "", r, c == area.code)
                for r, c in ranked
            )
    return Benchmarks(
        period=period,
        ours=ours,
        ours_display=display(ours, places, currency),
        groups=groups,
        rank=rank,
        rank_of=rank_of,
        neighbour_rank=neighbour_rank,
        neighbour_rank_of=neighbour_rank_of,
        quartile=quartile(rank, rank_of) if rank is not None and rank_of and rank_of >= FEWEST_QUARTILED else None,
        neighbours=neighbours,
    )


def _own_result(results: Sequence[Result], period: Period) -> float | None:
    """Our result for exactly that period (a year's explicit outturn row for a yearly benchmark)."""
    return next((r.value for r in results if r.period == period), None)


def _group_value(
    group: ComparatorGroup, at: Mapping[str, BenchmarkFigure], own: str
) -> tuple[float | None, int | None]:
    """A group's figure among a period's figures by area (``at``): its own, or the mean of its members'
    (without ``own``), with how many there are."""
    if group.code is not None:
        return (at[group.code].value if group.code in at else None), None
    values = [at[c].value for c in group.codes or () if c in at and c != own]
    return (fmean(values) if values else None), len(values)


def _group(
    group_id: str,
    group: ComparatorGroup,
    by_period: Mapping[Period, Mapping[str, BenchmarkFigure]],
    periods: Sequence[Period],
    ours: float | None,
    measure: Measure,
    own: str,
) -> GroupFigure:
    places, currency = measure.decimals, measure.currency
    value, count = _group_value(group, by_period[periods[-1]], own)
    series = []
    for period in periods:
        point = _group_value(group, by_period[period], own)[0]
        if point is not None:
            series.append((period, point))
    difference = None if value is None or ours is None else ours - value
    travel = None
    if value is not None and ours is not None and measure.polarity != "none":
        travel = compare(rounded(ours, places), rounded(value, places), measure.polarity)
    return GroupFigure(
        id=group_id,
        name=group.name,
        value=value,
        display=display(value, places, currency),
        mean_of=count,
        difference=difference,
        difference_display=display(difference, places, currency),
        comparison=travel,
        series=tuple(series),
    )


def placeholders(benchmarks: Benchmarks | None, group_ids: Sequence[str]) -> dict[str, str]:
    """What each placeholder of a comment, action or underlying sentence becomes: ``{england}`` (each of
    ``group_ids``) the group's figure as printed, ``{rank}`` "87th of 152", ``{neighbour_rank}`` "6th of
    11", ``{quartile}`` A–D; "(no figure)" for a group or rank without a figure."""
    words = {name: NO_FIGURE for name in (*group_ids, "rank", "neighbour_rank", "quartile")}
    if benchmarks is None:
        return words
    words |= {group.id: group.display or NO_FIGURE for group in benchmarks.groups}
    words["rank"] = rank_text(benchmarks.rank, benchmarks.rank_of) or NO_FIGURE
    words["neighbour_rank"] = rank_text(benchmarks.neighbour_rank, benchmarks.neighbour_rank_of) or NO_FIGURE
    words["quartile"] = benchmarks.quartile or NO_FIGURE
    return words


def fill(text: str | None, words: Mapping[str, str]) -> str | None:
    """``text`` with each ``{name}`` of ``words`` replaced (other braces are left as written)."""
    if text is None:
        return None
    for name, word in words.items():
        text = text.replace("{" + name + "}", word)
    return text


def with_benchmarks(
    report: ReportResult,
    catalogue: Catalogue,
    figures: Mapping[str, Sequence[BenchmarkFigure]],
    by_measure: Mapping[str, Sequence[Result]],
) -> ReportResult:
    """The report with each row that has comparator groups benchmarked, and the placeholders of every
    row's comment, action and underlying sentence filled in ("(no figure)" where it has none)."""

    def row(result: MeasureResult) -> MeasureResult:
        group_ids = catalogue.benchmarks_for(result.measure, report.report)
        measure = result.measure
        found = compute_benchmarks(
            measure, group_ids, catalogue, figures.get(measure.id, ()), by_measure.get(measure.id, ()), result.period
        )
        words = placeholders(found, list(catalogue.comparators))
        return replace(
            result,
            benchmarks=found,
            comment=fill(result.comment, words) or "",
            action=fill(result.action, words) or "",
            underlying=fill(result.underlying, words),
        )

    groups = tuple(Group(group.title, tuple(row(r) for r in group.rows)) for group in report.groups)
    return replace(report, groups=groups)
