"""Targets by period: what a key of a measure's ``targets`` may be (a year, a quarter or a month of
the measure's years), the period it covers, and which key sets a period's target: of those covering
it, a month's, else a quarter's, else a year's. A week counts in the month holding its Thursday, as
its year is the one holding its Thursday."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .periods import Period, PeriodError, Years, counted_months, month_index, parse_period, quarter_starts


def covering_key(keys: Sequence[tuple[str, Period]], period: Period) -> str | None:
    """The key whose period is the shortest of those covering ``period`` (None when none does):
    ``keys`` are each key with the period it covers (:func:`target_period`)."""
    counted = counted_months(period)
    covering = [(covered.months, key) for key, covered in keys if counted.within(covered)]
    return min(covering)[1] if covering else None


def target_period(key: str, frequency: str, years: Years) -> Period:
    """The period a key of ``targets`` covers, in a measure's years: a year (``2017/18``; ``2017`` in
    calendar years), a quarter (``2017/18 Q3``; ``Q3 2017``) or a month (``2017-12``). A month key of a
    quarterly measure names the quarter it starts, as a result file's period does; an annual or
    biennial measure's targets are by year. :class:`PeriodError` says why a key is none of these."""
    what = "year" if re.fullmatch(r"[\d/\s]+", key) else "period"
    try:
        parsed = parse_period(key, years)
    except PeriodError as exc:
        advice = "" if exc.advised else f"; {key_forms(years)}"  # a key's forms, not a result file's
        raise PeriodError(f"target {what} {exc.reason}{advice}") from None
    if parsed.kind == "year":
        return Period(parsed.start, 12)
    named = {"month": "a month", "quarter": "a quarter", "range": "a run of months"}.get(parsed.kind)
    if named is None or (parsed.kind == "range" and parsed.months != 3):
        raise PeriodError(f"target {what} '{key}' is not a year, a quarter or a month; {key_forms(years)}")
    if frequency in ("annual", "biennial"):
        raise PeriodError(
            f"target '{key}' is {named}, but an {frequency} measure has one result a year: "
            f"key its targets by year, like {key_forms(years, 'year')}"
        )
    months = 3 if parsed.kind != "month" or frequency == "quarterly" else 1
    if months == 3 and (parsed.start - month_index(2000, years.start_month)) % 3:
        year = years.year_of(Period(parsed.start, 1))
        first = parsed.start - (parsed.start - year.period.start) % 3
        quarter = f"Q{(first - year.period.start) // 3 + 1}"
        named = f"{quarter} {year.first_year}" if years.calendar else f"{year.label} {quarter}"
        raise PeriodError(
            f"target '{key}' does not start a quarter: this {frequency} measure's quarters start in "
            f"{quarter_starts(years.start_month)}; key the quarter holding it as {named} or by its first month, "
            f"{Period(first, 1).key}"
        )
    return Period(parsed.start, months)


def key_forms(years: Years, only: str | None = None) -> str:
    """How target keys are written in these years: "key targets by year, quarter or month, like 2023/24,
    2023/24 Q1 or 2023-04" (or one of the three)."""
    year = "2023" if years.calendar else "2023/24"
    forms = {
        "year": year,
        "quarter": f"Q1 {year}" if years.calendar else f"{year} Q1",
        "month": f"2023-{years.start_month:02d}",
    }
    if only is not None:
        return forms[only]
    return f"key targets by year, quarter or month, like {forms['year']}, {forms['quarter']} or {forms['month']}"
