"""Pure functions that derive every figure of a scorecard. No files, no HTML.

Values are compared as the committee reads them: rounded to the measure's decimals,
half away from zero, using exact decimal arithmetic.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from .catalogue import NO_RULES, Catalogue, Measure, RatingRules, Report
from .model import (
    Comparison,
    Group,
    HistoryPoint,
    MeasureResult,
    Rag,
    ReportResult,
    Spc,
    Status,
    Summary,
    Travel,
    TrendPoint,
)
from .numbers import display, exact, ratio, rounded, target_display
from .periods import (
    NO_LAG,
    TREND_POINTS,
    FinancialYear,
    Lag,
    Period,
    financial_year_of_date,
    latest_due,
    month_of,
    step,
)
from .results import NotAvailable, Result
from .spc import compute_spc, improvement_direction

# --- judgements --------------------------------------------------------------------------


def rag(
    value: Decimal | None,
    target: Decimal | None,
    polarity: str,
    tolerance: Decimal,
    exceeding: Decimal | None = None,
    floor: Decimal | None = None,
    improved: bool = False,
) -> Rag | None:
    """green when ``value`` meets or beats ``target`` in the polarity, blue when it beats it by more than
    ``exceeding`` (when given); amber within the tolerance, or when it has ``improved`` on its comparator;
    with a ``floor``, amber exactly when it meets the floor; else red."""
    if value is None or target is None:
        return None
    shortfall = target - value if polarity == "higher" else value - target
    if shortfall <= 0:
        return Rag.BLUE if exceeding is not None and -shortfall > exceeding else Rag.GREEN
    if floor is not None:
        return Rag.AMBER if (value >= floor if polarity == "higher" else value <= floor) else Rag.RED
    if shortfall <= tolerance or improved:
        return Rag.AMBER
    return Rag.RED


def judge(
    measure: Measure,
    value: float | None,
    target: float | None,
    rules: RatingRules = NO_RULES,
    floor: float | None = None,
    comparator: float | None = None,
) -> Rag | None:
    """The Performance of a value against a target, all rounded to the measure's decimals as the
    committee reads them, with the measure's tolerance (of the rounded target) as the amber band, and
    its rating ``rules``: a Blue margin (of the rounded target); amber for a miss better than its
    ``comparator`` (``amber: improved``); amber from the year's ``floor`` instead of the tolerance
    (``floor``: a year without one has no amber)."""
    if value is None or target is None:
        return None
    places = measure.decimals
    target_shown, value_shown = rounded(target, places), rounded(value, places)
    improved = (
        rules.amber == "improved"
        and comparator is not None
        and compare(value_shown, rounded(comparator, places), measure.polarity) is Travel.BETTER
    )
    return rag(
        value_shown,
        target_shown,
        measure.polarity,
        measure.tolerance_amount(target_shown),
        rules.exceeding_amount(target_shown),
        rounded(floor, places) if rules.amber == "floor" and floor is not None else None,
        improved,
    )


def compare(value: Decimal | None, other: Decimal | None, polarity: str) -> Travel | None:
    """better / same / worse for ``value`` against ``other``; None when either is missing."""
    if value is None or other is None:
        return None
    if value == other:
        return Travel.SAME
    if polarity == "none":
        return Travel.INCREASED if value > other else Travel.DECREASED
    return Travel.BETTER if (value > other) == (polarity == "higher") else Travel.WORSE


def status(period: Period | None, due: Period, unavailable: bool = False) -> Status:
    """up-to-date when the current result's ``period`` is the latest period ``due``; not-available
    when that period is marked not available (``unavailable``); else overdue, or no-data without
    any result."""
    if period is not None and period.start >= due.start:
        return Status.UP_TO_DATE
    if unavailable:
        return Status.NOT_AVAILABLE
    return Status.NO_DATA if period is None else Status.OVERDUE


def not_available_entry(entries: Sequence[NotAvailable], period: Period | None, due: Period) -> NotAvailable | None:
    """The entry marking the latest period ``due`` as not available, when no result for it came in."""
    if period is not None and period.start >= due.start:
        return None
    return next((entry for entry in entries if entry.period == due), None)


def next_due(
    period: Period | None, due: Period, gap: NotAvailable | None, lag: Lag, frequency: str
) -> tuple[date, Period | None]:
    """When the next result is due, and the period overdue (None unless one is): a missing latest
    period ``due`` was due on its due date; otherwise the period after it (of ``frequency``) is due next."""
    if (period is None or period.start < due.start) and gap is None:
        return lag.due(due), due
    latest = period if period is not None and period.start > due.start else due  # a result may come early
    return lag.due(step(latest, frequency)), None


# --- selecting results -------------------------------------------------------------------


def current_result(results: Sequence[Result], as_at: date) -> Result | None:
    """The latest period that has ended on or before ``as_at`` and has a value."""
    ended = [result for result in results if not result.outturn and result.period.end <= as_at]
    return max(ended, key=lambda result: result.period.start, default=None)


def value_of(results: Sequence[Result], period: Period) -> float | None:
    for result in results:
        if not result.outturn and result.period == period:
            return result.value
    return None


def year_outturn(measure: Measure, results: Sequence[Result], year: FinancialYear) -> float | None:
    """A financial year's figure: an explicit year row, else derived by the measure's outturn rule."""
    whole = year.period
    for result in results:
        if result.outturn and result.period == whole:
            return result.value
    periods = sorted(
        (result for result in results if not result.outturn and year.contains(result.period)),
        key=lambda result: result.period.start,
    )
    if not periods:
        return None
    if measure.outturn == "latest":
        return periods[-1].value
    # in decimal arithmetic, so that a half is a half when it is rounded for display
    if measure.outturn == "sum":
        return float(sum(exact(result.value) for result in periods))
    if measure.outturn == "mean":
        return float(sum(exact(result.value) for result in periods) / len(periods))
    pairs = [(r.numerator, r.denominator) for r in periods if r.numerator is not None and r.denominator is not None]
    denominator = sum(exact(d) for _, d in pairs)
    if not pairs or denominator == 0:
        return None
    return ratio(sum(exact(n) for n, _ in pairs), denominator, measure.factor)


def comparator(
    measure: Measure, results: Sequence[Result], current: Period, kind: str | None = None
) -> tuple[float | None, Period]:
    """What the direction of travel compares with: its value and its period (for ``previous_year``,
    the period of the year before the current result's, in the measure's years, whose outturn it is).
    ``kind`` is one of the measure's comparators (default: its first). A biennial measure has no
    result a year before, so whichever the comparator, it compares with the result before, two years
    earlier."""
    kind = kind or measure.comparator
    if measure.frequency == "biennial":
        period = step(current, "biennial", -1)
        return value_of(results, period), period
    if kind == "previous_year":
        year = measure.years.year_of(current).previous()
        return year_outturn(measure, results, year), year.period
    period = current.shift(-1) if kind == "previous_period" else current.year_earlier()
    return value_of(results, period), period


def comparison(measure: Measure, results: Sequence[Result], current: Result | None, kind: str) -> Comparison:
    """The direction of travel of the ``current`` result against one comparator (``kind``): the figure
    compared with, and better, same or worse, comparing the values as displayed."""
    if current is None:
        return Comparison(kind, None, None, None, None)
    other, period = comparator(measure, results, current.period, kind)
    places = measure.decimals
    travel = compare(
        rounded(current.value, places), rounded(other, places) if other is not None else None, measure.polarity
    )
    return Comparison(kind, period, other, display(other, places, measure.currency), travel)


def trend(
    frequency: str, results: Sequence[Result], current: Period | None, as_at: date, start_month: int = 4
) -> tuple[TrendPoint, ...]:
    """Monthly: this year (of years starting in ``start_month``) up to the current result; weekly: 13
    weeks; quarterly: 8 quarters; annual: 5 years; biennial: 5 results (:data:`~.periods.TREND_POINTS`)."""
    if current is None:
        return ()
    if frequency == "monthly":
        first = financial_year_of_date(as_at, start_month).period.start
    else:
        first = step(current, frequency, 1 - TREND_POINTS[frequency]).start
    points = [
        TrendPoint(result.period, result.value)
        for result in results
        if not result.outturn and first <= result.period.start <= current.start
    ]
    return tuple(sorted(points, key=lambda point: point.period.start))


def underlying_sentence(template: str | None, result: Result | None) -> str | None:
    """The underlying-data sentence with numerator and denominator as written; None if one is blank."""
    if template is None or result is None:
        return None
    fields = {"numerator": result.numerator_text, "denominator": result.denominator_text}
    needed = [name for name in fields if "{" + name + "}" in template]
    if any(not fields[name] for name in needed):
        return None
    # the placeholders were checked with the catalogue (names only, no format): each is replaced by
    # its text, never formatted; any other (a benchmark's, ``{england}``) is kept for later
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(fields.get(name, "{" + name + "}"))
    return "".join(parts)


def spc_of(
    measure: Measure,
    results: Sequence[Result],
    current: Period | None,
    target: float | None,
    rules: tuple[str, int] = ("mdc", 7),
) -> Spc | None:
    """XmR variation and assurance of every period up to the current result (None under two points),
    under ``rules`` (the rule set and run length); the measure's ``spc_exclude`` periods are left out
    of the limits and rules, and no moving range or run spans a missing period."""
    if current is None:
        return None
    series = sorted(
        (result for result in results if not result.outturn and result.period.start <= current.start),
        key=lambda result: result.period.start,
    )
    periods = tuple(result.period for result in series)
    rebase = [index for index, period in enumerate(periods) if index and period.key in measure.spc_rebase]
    excluded = [index for index, period in enumerate(periods) if period.key in measure.spc_exclude]
    every = 2 if measure.frequency == "biennial" else 1
    result = compute_spc(
        [r.value for r in series],
        improvement_direction(measure.polarity),
        target,
        measure.spc_baseline,
        rebase,
        rules=rules[0],
        run_length=rules[1],
        excluded=excluded,
        breaks=missing_before(periods, every),
    )
    if result is None:
        return None
    values = [r.value for r in series]
    return Spc(result, periods, missing_periods(periods, every), rules, spc_bounds(measure, values))


COUNTED_UNITS = ("number", "rate", "days", "weeks")
"""Units that cannot go below 0 unless a measure sets ``min`` or has a result below 0."""


def spc_bounds(measure: Measure, values: Sequence[float]) -> tuple[float | None, float | None]:
    """What the measure's results can take, for drawing process limits: ``min``/``max``; else 0–100 for
    a percentage and at least 0 for counts, rates, days and weeks (when no result is below 0)."""
    low, high = measure.bounds
    if low is None and measure.unit in COUNTED_UNITS and all(value >= 0 for value in values):
        low = 0
    return (None if low is None else float(low)), (None if high is None else float(high))


def missing_before(periods: Sequence[Period], every: int = 1) -> list[int]:
    """The index of each period that does not follow the one before it (``every`` periods on: 2 for a
    biennial measure): a period is missing between."""
    return [i for i in range(1, len(periods)) if periods[i - 1].shift(every) != periods[i]]


def missing_periods(periods: Sequence[Period], every: int = 1) -> tuple[Period, ...]:
    """Every period missing inside the series, in order (at most 1,000)."""
    missing: list[Period] = []
    for before, after in zip(periods, periods[1:], strict=False):
        step = before.shift(every)
        while step.start < after.start and len(missing) < 1000:
            missing.append(step)
            step = step.shift(every)
    return tuple(missing)


# --- a measure and a report --------------------------------------------------------------


def compute_measure(
    measure: Measure,
    results: Sequence[Result],
    as_at: date,
    with_spc: bool = False,
    unavailable: Sequence[NotAvailable] = (),
    lag: Lag = NO_LAG,
    rating: RatingRules = NO_RULES,
    spc_rules: tuple[str, int] = ("mdc", 7),
) -> MeasureResult:
    """Derive one measure's row of the scorecard as at a date, in the measure's years; ``unavailable``
    are its figures marked not available, ``lag`` how long after a period ends its result is due,
    ``rating`` how it is rated in its report, ``spc_rules`` its SPC rule set and run length. Without a
    result, the target is that of the as-at date's month."""
    current = current_result(results, as_at)
    period = current.period if current else None
    value = current.value if current else None
    start_month = measure.years.start_month
    year_now = financial_year_of_date(as_at, start_month)
    target = measure.target_for(period or month_of(as_at))
    floor = measure.floor_for(period or month_of(as_at))
    previous_value = year_outturn(measure, results, year_now.previous())
    places, currency = measure.decimals, measure.currency
    first, *more = (comparison(measure, results, current, kind) for kind in measure.comparators)
    due = latest_due(measure.frequency, as_at, start_month, lag, measure.survey_year_start)
    gap = not_available_entry(unavailable, period, due)
    due_date, overdue = next_due(period, due, gap, lag, measure.frequency)
    return MeasureResult(
        measure=measure,
        period=period,
        value=value,
        display=display(value, places, currency),
        numerator=current.numerator if current else None,
        denominator=current.denominator if current else None,
        target=target,
        target_display=target_display(target, places, currency),
        target_key=measure.target_key(period or month_of(as_at)),
        previous_year_value=previous_value,
        previous_year_display=display(previous_value, places, currency),
        comparator_value=first.value,
        comparator_period=first.period,
        comparator_display=first.display,
        rag=judge(measure, value, target, rating, floor, first.value),
        travel=first.travel,
        status=status(period, due, gap is not None),
        underlying=underlying_sentence(measure.underlying, current),
        comment=current.comment if current else "",
        action=current.action if current else "",
        trend=tuple(
            replace(point, target=measure.target_for(point.period))
            for point in trend(measure.frequency, results, period, as_at, start_month)
        ),
        spc=spc_of(measure, results, period, target, spc_rules) if with_spc else None,
        not_available=gap,
        due_date=due_date,
        overdue_period=overdue,
        provisional=bool(current and current.provisional),
        more_comparisons=tuple(more),
        rating=rating,
        floor=floor,
        floor_display=target_display(floor, places, currency),
        previous_year_period=year_now.previous().period,
    )


def summarise(rows: Sequence[MeasureResult]) -> Summary:
    """The report's counts; Blue is counted only when a measure can be Blue (``rating.exceeding``)."""
    can_be_blue = any(row.rating.exceeding is not None for row in rows)
    return Summary(
        measures=len(rows),
        green=sum(row.rag is Rag.GREEN for row in rows),
        amber=sum(row.rag is Rag.AMBER for row in rows),
        red=sum(row.rag is Rag.RED for row in rows),
        no_target=sum(row.value is not None and row.target is None and not row.measure.data_only for row in rows),
        no_data=sum(row.value is None for row in rows),
        overdue=sum(row.status is Status.OVERDUE for row in rows),
        not_available=sum(row.status is Status.NOT_AVAILABLE for row in rows),
        data_only=sum(row.measure.data_only for row in rows),
        blue=sum(row.rag is Rag.BLUE for row in rows) if can_be_blue else None,
    )


def compute_report(
    catalogue: Catalogue,
    report: Report,
    by_measure: Mapping[str, Sequence[Result]],
    as_at: date,
    unavailable: Mapping[str, Sequence[NotAvailable]] | None = None,
) -> ReportResult:
    """Compute every row of a report as at a date from each measure's results (and its figures
    marked not available)."""
    start_month = catalogue.year_start_month
    gaps = unavailable or {}

    def row(measure: Measure) -> MeasureResult:
        spc, rating = catalogue.spc_enabled(report, measure), catalogue.rating_for(measure, report)
        results, lag = by_measure.get(measure.id, ()), catalogue.lag_for(measure, report)
        rules = catalogue.spc_rules_for(report, measure)
        return compute_measure(measure, results, as_at, spc, gaps.get(measure.id, ()), lag, rating, rules)

    groups = tuple(Group(title, tuple(row(catalogue.measure(i)) for i in ids)) for title, ids in report.groups)
    year = financial_year_of_date(as_at, start_month)
    every_row = [measure_row for group in groups for measure_row in group.rows]
    return ReportResult(
        report,
        catalogue.organisation,
        as_at,
        year,
        year.previous(),
        groups,
        summarise(every_row),
        label_style=catalogue.period_labels,
        names=catalogue.names_for(report),
    )


def history(
    measure: Measure, results: Sequence[Result], as_at: date, rating: RatingRules = NO_RULES
) -> tuple[HistoryPoint, ...]:
    """Every period that has ended by ``as_at`` and has a value, oldest first, with its RAG against its
    own target and floor (so a target profiled by quarter or month steps) by the ``rating`` rules,
    with its own comparator."""
    points = []
    for result in sorted(results, key=lambda r: r.period.start):
        if result.outturn or result.period.end > as_at:
            continue
        target, floor = measure.target_for(result.period), measure.floor_for(result.period)
        other = comparator(measure, results, result.period)[0] if rating.amber == "improved" else None
        points.append(
            HistoryPoint(
                period=result.period,
                value=result.value,
                display=display(result.value, measure.decimals, measure.currency) or "",
                numerator=result.numerator,
                denominator=result.denominator,
                target=target,
                target_display=target_display(target, measure.decimals, measure.currency),
                rag=judge(measure, result.value, target, rating, floor, other),
                comment=result.comment,
                action=result.action,
                provisional=result.provisional,
            )
        )
    return tuple(points)
