"""Months, quarters and financial years: parsing, arithmetic and labels.

A period is named by its first month and its length in months (1, 3 or 12).
Months are counted as a single integer (``year * 12 + month - 1``) so that
arithmetic across year ends is plain addition.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
_QUARTER_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})\s+[Qq]([1-4])$")


class PeriodError(ValueError):
    """A period text that cannot be read, or does not fit a measure."""


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def split_index(index: int) -> tuple[int, int]:
    """The (year, month) of a month index."""
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A run of ``months`` months starting at month index ``start``."""

    start: int
    months: int

    @property
    def year(self) -> int:
        return split_index(self.start)[0]

    @property
    def month(self) -> int:
        return split_index(self.start)[1]

    @property
    def end(self) -> date:
        """The last day of the period."""
        year, month = split_index(self.start + self.months - 1)
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def key(self) -> str:
        """The machine name of the period: its first month, ``2017-12``."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The appendix's name of the period: its first month, ``Dec 2017``."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods of the same length later (earlier if negative)."""
        return Period(self.start + steps * self.months, self.months)

    def year_earlier(self) -> Period:
        return Period(self.start - 12, self.months)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, named by the calendar year it starts in."""

    first_year: int
    start_month: int = 4

    @property
    def label(self) -> str:
        """``2016/17``."""
        if self.start_month == 1:
            return f"{self.first_year}"
        return f"{self.first_year}/{(self.first_year + 1) % 100:02d}"

    @property
    def dash_label(self) -> str:
        """``2017-18``, as the appendix's trend column header prints it."""
        if self.start_month == 1:
            return f"{self.first_year}"
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"

    @property
    def period(self) -> Period:
        return Period(month_index(self.first_year, self.start_month), 12)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.first_year - 1, self.start_month)

    def contains(self, period: Period) -> bool:
        return self.period.start <= period.start < self.period.start + 12


def financial_year_of(index: int, start_month: int = 4) -> FinancialYear:
    """The financial year holding month index ``index``."""
    year, month = split_index(index)
    return FinancialYear(year if month >= start_month else year - 1, start_month)


def financial_year_of_date(day: date, start_month: int = 4) -> FinancialYear:
    return financial_year_of(month_index(day.year, day.month), start_month)


def parse_financial_year(text: str, start_month: int = 4) -> FinancialYear:
    """Read ``2023/24`` (or ``2023/2024``)."""
    match = _YEAR_RE.match(text.strip())
    if not match:
        raise PeriodError(f"'{text}' is not a financial year like 2023/24")
    return _checked_year(match.group(1), match.group(2), text, start_month)


def _checked_year(first: str, second: str, text: str, start_month: int) -> FinancialYear:
    year = int(first)
    if int(second) % (100 if len(second) == 2 else 10000) != (year + 1) % (100 if len(second) == 2 else 10000):
        raise PeriodError(f"'{text}' is not a financial year: the second year must follow the first")
    return FinancialYear(year, start_month)


@dataclass(frozen=True)
class ParsedPeriod:
    """A period as written in a result file, before it is fitted to a measure.

    ``kind`` is ``month`` (``2017-12``: a period named by its first month),
    ``year`` (``2023/24``) or ``quarter`` (``2023/24 Q4``).
    """

    kind: str
    start: int


def parse_period(text: str, start_month: int = 4) -> ParsedPeriod:
    """Read one of the period forms of a result file."""
    value = text.strip()
    match = _MONTH_RE.match(value)
    if match:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"'{text}' has no month {month}")
        return ParsedPeriod("month", month_index(int(match.group(1)), month))
    match = _QUARTER_RE.match(value)
    if match:
        year = _checked_year(match.group(1), match.group(2), text, start_month)
        return ParsedPeriod("quarter", year.period.start + 3 * (int(match.group(3)) - 1))
    match = _YEAR_RE.match(value)
    if match:
        year = _checked_year(match.group(1), match.group(2), text, start_month)
        return ParsedPeriod("year", year.period.start)
    raise PeriodError(
        f"'{text}' is not a period: use 2017-12 (a month, or the first month of a quarter or year), "
        "2023/24 (a financial year) or 2023/24 Q4 (a financial-year quarter)"
    )


def fit_period(parsed: ParsedPeriod, frequency: str, start_month: int = 4) -> tuple[Period, bool]:
    """Fit a parsed period to a measure's frequency.

    Returns the period and whether the row is an explicit financial-year outturn
    (a ``2016/17`` row for a monthly or quarterly measure).
    """
    months = MONTHS[frequency]
    if parsed.kind == "year":
        if frequency == "annual":
            return Period(parsed.start, 12), False
        return Period(parsed.start, 12), True
    if parsed.kind == "quarter" and frequency != "quarterly":
        raise PeriodError(f"a quarter does not fit {'an' if frequency == 'annual' else 'a'} {frequency} measure")
    offset = (parsed.start - month_index(2000, start_month)) % months
    if offset:
        _, month = split_index(parsed.start)
        if frequency == "quarterly":
            starts = sorted({(start_month - 1 + 3 * i) % 12 + 1 for i in range(4)})
            names = ", ".join(_MONTH_NAMES[m - 1] for m in starts)
            raise PeriodError(f"a quarterly measure's period starts in {names}, not {_MONTH_NAMES[month - 1]}")
        raise PeriodError(
            f"an annual measure's period starts in {_MONTH_NAMES[start_month - 1]}, "
            f"the first month of the year, not {_MONTH_NAMES[month - 1]}"
        )
    return Period(parsed.start, months), False


def latest_ended(frequency: str, as_at: date, start_month: int = 4) -> Period:
    """The latest period of ``frequency`` that has ended on or before ``as_at``."""
    months = MONTHS[frequency]
    index = month_index(as_at.year, as_at.month)
    if as_at == date(as_at.year, as_at.month, calendar.monthrange(as_at.year, as_at.month)[1]):
        index += 1  # the as-at month itself has ended
    # the first aligned period start after the last ended month, minus one period
    aligned = index - (index - month_index(2000, start_month)) % months
    return Period(aligned - months, months)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_as_at(text: str) -> date:
    """Read ``2017-12-31`` or ``2017-12`` (the end of that month)."""
    value = text.strip()
    match = _MONTH_RE.match(value)
    if match and 1 <= int(match.group(2)) <= 12:
        return month_end(int(match.group(1)), int(match.group(2)))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"'{text}' is not a date: use 2017-12-31 or 2017-12") from None


def short_date(day: date) -> str:
    """The appendix's as-at date: ``31.12.17``."""
    return day.strftime("%d.%m.%y")


def period_name(period: Period, start_month: int = 4) -> str:
    """A period for people: ``Jan 2018``, ``Oct–Dec 2017``, ``Nov 2017–Jan 2018``, ``2017/18``."""
    if period.months == 1:
        return period.label
    if period.months == 12 and period.month == start_month:
        return FinancialYear(period.year, start_month).label
    last_year, last_month = split_index(period.start + period.months - 1)
    first = _MONTH_NAMES[period.month - 1]
    if last_year == period.year:
        return f"{first}–{_MONTH_NAMES[last_month - 1]} {period.year}"
    return f"{first} {period.year}–{_MONTH_NAMES[last_month - 1]} {last_year}"


def month_ends(last: date, count: int) -> list[date]:
    """The last ``count`` month-ends up to ``last`` (``last`` itself if it is a month end), oldest first."""
    year, month = last.year, last.month
    if month_end(year, month) != last:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    dates = []
    for _ in range(count):
        dates.append(month_end(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(dates)


def period_text(period: Period, frequency: str, start_month: int = 4) -> str:
    """How a result file names a measure's period: ``2018-01``; ``2017/18 Q3``; ``2017/18``."""
    if start_month == 1 or frequency == "monthly":
        return period.key
    year = financial_year_of(period.start, start_month)
    if frequency == "annual":
        return year.label
    return f"{year.label} Q{(period.start - year.period.start) // 3 + 1}"
