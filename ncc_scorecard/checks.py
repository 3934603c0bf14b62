"""Warnings: figures and settings that are valid but probably wrong, found before anything is published.

Each is a :class:`~.problems.Problem` with severity ``warning``, located at the result row (its
cell in a workbook) or the catalogue entry. ``validate``, ``build`` and ``site`` print them and
count them; ``--strict`` makes them stop the build. Pure functions: no files, no output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .calculator import current_result
from .catalogue import Catalogue, Measure
from .numbers import display
from .periods import LabelStyle, Years, parse_financial_year, period_label, short_date
from .problems import Problem
from .results import Result
from .spc import SCREEN_FACTOR, RunningLimits

OUTLIER_HISTORY = 8
"""Earlier results a value is judged against before it can be called far outside the usual range."""


def warnings(
    catalogue: Catalogue,
    by_measure: Mapping[str, Sequence[Result]],
    as_at: date,
    today: date,
    named: set[str] | None = None,
) -> list[Problem]:
    """Every warning for a project built as at ``as_at`` on ``today``, in file and line order.

    ``named`` are the measure ids of every row read, valid or not: a measure is without results
    only when no row names it (None: rows were lost to unreadable files, so that is not said)."""
    found = report_date(as_at, today) + catalogue_warnings(catalogue, by_measure, as_at, named)
    for measure in catalogue.measures:
        results = sorted(by_measure.get(measure.id, ()), key=lambda result: result.period.start)
        found += not_ended(results, as_at, measure.years, catalogue.period_labels)
        found += fractions(measure, results)
        found += outliers(measure, [r for r in results if not r.outturn and r.period.end <= as_at])
        if any(catalogue.spc_enabled(report, measure) for report in catalogue.reports_of(measure)):
            series = [r for r in results if not r.outturn and r.period.end <= as_at]
            found += spc_gaps(measure, series, catalogue.period_labels)
            found += spc_periods_unused(catalogue, measure, [r for r in results if not r.outturn])
    return sorted(found, key=lambda p: (str(p.path or ""), p.line or 0, p.cell or ""))


def report_date(as_at: date, today: date) -> list[Problem]:
    """A report date after today: results for periods that have not ended cannot be in yet."""
    if as_at <= today:
        return []
    message = (
        f"the report date {as_at.isoformat()} is after today ({today.isoformat()}): measures whose latest "
        "period has not ended yet will show as overdue"
    )
    return [Problem(None, None, message, severity="warning")]


def catalogue_warnings(
    catalogue: Catalogue, by_measure: Mapping[str, Sequence[Result]], as_at: date, named: set[str] | None = None
) -> list[Problem]:
    """Measures in no report, report measures without any result, and targets missing for the year."""
    found = []
    for measure in catalogue.measures:
        where = ("measures", catalogue.index(measure), "id")
        reports = catalogue.reports_of(measure)
        if not reports:
            found.append(catalogue.problem(where, f"'{measure.id}' is in no report: it is never shown", "warning"))
            continue
        results = by_measure.get(measure.id, ())
        if not results and named is not None and measure.id not in named:
            names = ", ".join(f"'{report.id}'" for report in reports)
            message = f"'{measure.id}' has no result in any file: {names} will show it as 'No result'"
            found.append(catalogue.problem(where, message, "warning"))
        found += missing_target(catalogue, measure, results, as_at)
        found += missing_floor(catalogue, measure, results, as_at)
    return found


def missing_target(catalogue: Catalogue, measure: Measure, results: Sequence[Result], as_at: date) -> list[Problem]:
    """Targets set for some periods but none covering the current result's (in the measure's years);
    without a result, none for any part of the as-at date's year."""
    if not isinstance(measure.targets, dict) or not measure.targets:
        return []
    years = measure.years
    current = current_result(results, as_at)
    keys = measure.target_periods()
    if current is not None:
        period = current.period
        covered = measure.target_key(period) is not None
    else:
        period = years.year_of_date(as_at).period
        covered = any(key.within(period) or period.within(key) for _, key in keys)
    if covered:
        return []  # set, or deliberately left empty (null)
    listed = ", ".join(str(key) for key in measure.targets)
    by_year = all(key.months == 12 for _, key in keys)
    missing = years.label(years.year_of(period)) if by_year else period_label(period, "natural", years)
    message = f"no target for {missing} (targets are set for {listed} only): the measure shows no RAG"
    return [catalogue.problem(("measures", catalogue.index(measure), "targets"), message, "warning")]


def missing_floor(catalogue: Catalogue, measure: Measure, results: Sequence[Result], as_at: date) -> list[Problem]:
    """A floor standard set for some years but not for the year of the current result, which has a target."""
    floor = measure.floor
    if not isinstance(floor, dict) or not floor:
        return []
    years = measure.years
    current = current_result(results, as_at)
    period = current.period if current else years.year_of_date(as_at).period
    year = years.year_of(period)
    if measure.target_for(period) is None or year in {parse_financial_year(str(k), year.start_month) for k in floor}:
        return []
    listed = ", ".join(str(key) for key in floor)
    message = (
        f"no floor for {years.label(year)} (floors are set for {listed} only): a result that misses the target is red"
    )
    return [catalogue.problem(("measures", catalogue.index(measure), "rating", "floor"), message, "warning")]


def not_ended(
    results: Sequence[Result], as_at: date, start_month: int | Years = 4, style: LabelStyle = "natural"
) -> list[Problem]:
    """Results for periods that end after the report date: they are not shown."""
    return [
        result.problem(
            f"{period_label(result.period, style, start_month)} ends after the report date {short_date(as_at)}: "
            "this result is not shown",
            "period",
        )
        for result in results
        if result.period.end > as_at
    ]


def fractions(measure: Measure, results: Sequence[Result]) -> list[Problem]:
    """A percentage typed as a fraction (0.75 for 75%) among results that are otherwise over 1."""
    if measure.unit != "percentage":
        return []
    typed = [result for result in results if result.given and 0 < result.value <= 1]
    others = [result for result in results if not (result.given and 0 < result.value <= 1)]
    if not others or any(result.value <= 1 for result in others):
        return []
    found = []
    for result in typed:
        text = f"{result.value:g} looks like a fraction; did you mean {result.value * 100:g}?"
        if result.source is not None and result.source.cell("value"):
            text += " (a percentage in Excel: format the cell as Percentage, or type the number of per cent)"
        found.append(result.problem(text))
    return found


def outliers(measure: Measure, results: Sequence[Result]) -> list[Problem]:
    """Values far outside the usual variation of at least 8 earlier results of the same process:
    beyond the XmR process limits of those results, and after a jump from the previous value
    larger than their usual moving range allows (3.267 × mR̄, the moving-range chart's limit).

    The second condition keeps a steady trend or a year-to-date count quiet, while a typing error
    (7.5 for 75) or a sudden change shows. A period in ``spc_rebase`` starts a new process:
    values are judged against their own phase only.
    """
    found = []
    phase = RunningLimits()
    for result in results:
        if result.period.key in measure.spc_exclude:
            continue  # a known exception, left out of SPC: neither judged nor part of the usual range
        if result.period.key in measure.spc_rebase:
            phase = RunningLimits()
        if len(phase.values) >= OUTLIER_HISTORY:
            lpl, upl, mr_bar = phase.limits()
            jump = abs(result.value - phase.values[-1])
            outside = not lpl <= result.value <= upl
            if mr_bar > 0 and outside and jump > SCREEN_FACTOR * mr_bar:
                found.append(result.problem(_outlier_text(measure, result, len(phase.values), lpl, upl)))
        phase.add(result.value)
    return found


def spc_gaps(measure: Measure, results: Sequence[Result], style: LabelStyle = "natural") -> list[Problem]:
    """Periods missing inside an SPC series: the chart breaks there, and no moving range, run or
    trend spans the gap. Located at the first result after each gap."""
    found = []
    every = 2 if measure.frequency == "biennial" else 1
    years = measure.years
    for before, after in zip(results, results[1:], strict=False):
        first = before.period.shift(every)
        if first.start < after.period.start:
            last = after.period.shift(-every)
            missing = period_label(first, style, years)
            if last != first:
                missing += f" to {period_label(last, style, years)}"
            message = (
                f"'{measure.id}' has no result for {missing}: its SPC chart breaks there and no moving range, "
                "run or trend spans the gap; add the result, or mark the period n/a with the reason"
            )
            found.append(after.problem(message, column="period"))
    return found


def spc_periods_unused(catalogue: Catalogue, measure: Measure, results: Sequence[Result]) -> list[Problem]:
    """``spc_exclude``, ``spc_rebase`` and ``annotations`` periods without a result: probably a typing
    error (2020-40 for 2020-04) or a period of another length (a quarter's first month is its name)."""
    have = {result.period.key for result in results}
    found = []
    where = ("measures", catalogue.index(measure))
    for key, periods in (
        ("spc_exclude", measure.spc_exclude),
        ("spc_rebase", measure.spc_rebase),
        ("annotations", list(measure.annotations)),
    ):
        for period in periods:
            if period not in have:
                message = f"'{measure.id}' has no result for {period}: this {key} entry changes nothing"
                found.append(catalogue.problem((*where, key), message, "warning"))
    return found


def _outlier_text(measure: Measure, result: Result, earlier: int, low: float, high: float) -> str:
    places = measure.decimals + 1
    return (
        f"{display(result.value, measure.decimals)} is far outside this measure's usual range "
        f"({display(low, places)} to {display(high, places)}, the process limits of its {earlier} earlier "
        f"results): check the figure, or if the service changed, add `spc_rebase: [{result.period.key}]` "
        "to the measure"
    )
