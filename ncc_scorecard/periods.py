"""Weeks, months, quarters and financial years: parsing, arithmetic and labels.

A period is named by its first month and its length in months (1, 3 or 12), or, for a weekly
measure, by its first ISO week (Monday to Sunday) and its length in weeks. Months are counted as
a single integer (``year * 12 + month - 1``) and weeks likewise (:func:`week_of`), so that
arithmetic across year ends is plain addition. A biennial measure's period is a financial year,
two years after the one before (:func:`step`). Every label a reader sees is made by
:func:`period_label`; result files name periods as :func:`period_text` writes them, and
:func:`parse_period` reads those, the labels, and the forms people type.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
"""The length in months of a period of each month-based frequency (a biennial period is a year, 12)."""
FREQUENCIES = ("weekly", "monthly", "quarterly", "annual", "biennial")
"""Every frequency a measure can have, the most frequent first."""
Frequency = Literal["weekly", "monthly", "quarterly", "annual", "biennial"]
TREND_POINTS = {"weekly": 13, "quarterly": 8, "annual": 5, "biennial": 5}
"""How many periods a trend shows, up to the current result (a monthly trend shows the financial year)."""
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
_MONTH_NUMBERS = {
    **{name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name.lower(): number for number, name in enumerate(_FULL_NAMES, start=1)},
    "sept": 9,
}

LabelStyle = Literal["natural", "first-month"]
"""How a period is named for people: ``natural`` says what it covers (``Oct–Dec 2017``, ``2017/18``);
``first-month`` names it by its first month (``Oct 2017``, ``Apr 2017``), as NCC's appendices do."""

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
_QUARTER_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})\s+[Qq]([1-4])$")
_Q_FIRST_RE = re.compile(r"^[Qq]([1-4])\s+(\d{4})\s*/\s*(\d{2}|\d{4})$")
_CALENDAR_YEAR_RE = re.compile(r"^\d{4}$")
_CALENDAR_QUARTER_RE = re.compile(r"^(?P<year>\d{4})\s+[Qq](?P<quarter>[1-4])$")
_Q_CALENDAR_RE = re.compile(r"^[Qq](?P<quarter>[1-4])\s+(?P<year>\d{4})$")
_SUFFIX_RE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_NAMED_MONTH_RE = re.compile(r"^([A-Za-z]+)(?:\s+|\s*-\s*)(\d{4})$")
_SHORT_YEAR_RE = re.compile(r"^([A-Za-z]+)\s*-\s*(\d{2})$")
_DAY_OR_YEAR_RE = re.compile(r"^([A-Za-z]+)\s+(\d{1,2})$")
_RANGE_RE = re.compile(r"^([A-Za-z]+)(?:\s+(\d{4}))?\s*[-–—]\s*([A-Za-z]+)\s+(\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d+)$")
_ISO_WEEK_RE = re.compile(r"^(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})$")
_WEEK_COMMENCING_RE = re.compile(r"^[Ww]\s*/\s*[Cc]\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PERIOD_FORMS = (
    "2017-12, Dec 2017, December 2017 or Dec-17 (a month, or the first month of a quarter or year), "
    "Oct–Dec 2017 (a quarter), 2023/24 (a financial year), 2023/24 Q4 or Q4 2023/24 (a financial-year "
    "quarter), 2024-W05 or w/c 29 Jan 2024 (an ISO week, Monday to Sunday), "
    "or a date, 2017-12-31 or 31/12/2017 (the period that holds it)"
)
"""The period forms a result file accepts, as error messages list them."""


class PeriodError(ValueError):
    """A period text that cannot be read, or does not fit a measure.

    ``reason`` says why; with ``forms`` the message goes on to list the forms a result file accepts
    (:data:`PERIOD_FORMS`), which a target key, with forms of its own, leaves out; ``advised`` says
    that the reason already tells how to write the period."""

    def __init__(self, reason: str, forms: bool = False, advised: bool = False) -> None:
        super().__init__(f"{reason}: use {PERIOD_FORMS}" if forms else reason)
        self.reason = reason
        self.advised = advised


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def split_index(index: int) -> tuple[int, int]:
    """The (year, month) of a month index."""
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A run of ``months`` months starting at month index ``start``; or, when ``weeks`` is set, a run
    of ``weeks`` ISO weeks (Monday to Sunday) starting at week index ``start`` (``months`` is then 0;
    see :func:`week_of`). A measure's periods are all of one kind, so their ``start`` orders them."""

    start: int
    months: int
    weeks: int = 0

    @property
    def first_day(self) -> date:
        if self.weeks:
            return date.fromordinal(self.start * 7 + 1)
        return date(self.year, self.month, 1)

    @property
    def year(self) -> int:
        """The calendar year of its first month (of its Monday, for weeks)."""
        return self.first_day.year if self.weeks else split_index(self.start)[0]

    @property
    def month(self) -> int:
        """Its first month, 1 to 12 (the month of its Monday, for weeks)."""
        return self.first_day.month if self.weeks else split_index(self.start)[1]

    @cached_property
    def end(self) -> date:
        """The last day of the period (worked out once: a result's period is asked for it often)."""
        if self.weeks:
            return date.fromordinal((self.start + self.weeks) * 7)
        year, month = split_index(self.start + self.months - 1)
        return date(year, month, calendar.monthrange(year, month)[1])

    @cached_property
    def key(self) -> str:
        """The machine name of the period: its first month, ``2017-12``; for a week, ``2024-W05``."""
        if self.weeks:
            iso = self.first_day.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods of the same length later (earlier if negative)."""
        if self.weeks:
            return Period(self.start + steps * self.weeks, 0, self.weeks)
        return Period(self.start + steps * self.months, self.months)

    def within(self, other: Period) -> bool:
        """Whether this run of months lies inside the run of months ``other``."""
        return other.start <= self.start and self.start + self.months <= other.start + other.months

    def year_earlier(self) -> Period:
        """The same period a year before; for a week, the week with the same ISO week number
        (week 53, which the year before never has, gives week 52)."""
        if self.weeks:
            iso = self.first_day.isocalendar()
            return iso_week(iso.year - 1, min(iso.week, weeks_in(iso.year - 1)))
        return Period(self.start - 12, self.months)


def month_of(day: date) -> Period:
    """The month holding ``day``."""
    return Period(month_index(day.year, day.month), 1)


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) holding ``day``. Weeks are counted from the week of 1 January
    of year 1 (a Monday), so week ``n`` starts on the day of ordinal ``7n + 1``."""
    index = (day.toordinal() - 1) // 7
    if (index + 1) * 7 > date.max.toordinal():
        raise PeriodError(f"the week holding {day.isoformat()} ends after the last day of the calendar")
    return Period(index, 0, 1)


def iso_week(year: int, week: int) -> Period:
    """ISO week ``week`` of ``year`` (``2024-W05``: 29 Jan to 4 Feb 2024)."""
    return week_of(date.fromisocalendar(year, week, 1))


def weeks_in(year: int) -> int:
    """How many ISO weeks a year has: 52, or 53 when it starts or (in a leap year) ends on a Thursday."""
    return date(year, 12, 28).isocalendar().week


def step(period: Period, frequency: str, steps: int = 1) -> Period:
    """The period ``steps`` periods of a measure's ``frequency`` after ``period`` (before, if negative):
    a biennial measure's periods are financial years two years apart."""
    if frequency == "biennial":
        return Period(period.start + 24 * steps, 12)
    return period.shift(steps)


def span(first: Period, last: Period) -> Period:
    """The run of periods from ``first`` to ``last`` (of one measure), as a trend covers them."""
    if first.weeks:
        return Period(first.start, 0, last.start + last.weeks - first.start)
    return Period(first.start, last.start + last.months - first.start)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, named by the calendar year it starts in."""

    first_year: int
    start_month: int = 4

    @property
    def label(self) -> str:
        """``2016/17`` (``2016`` when years start in January): :func:`period_label` of the year."""
        return period_label(self.period, "natural", self.start_month)

    @property
    def dash_label(self) -> str:
        """``2017-18``, as the appendix's trend column header prints it."""
        return self.label.replace("/", "-")

    @property
    def period(self) -> Period:
        return Period(month_index(self.first_year, self.start_month), 12)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.first_year - 1, self.start_month)

    def contains(self, period: Period) -> bool:
        """Whether the period starts in this year (a week: whether its Thursday is in it)."""
        if period.weeks:
            return financial_year_of_period(period, self.start_month) == self
        first = month_index(self.first_year, self.start_month)
        return first <= period.start < first + 12


def financial_year_of(index: int, start_month: int = 4) -> FinancialYear:
    """The financial year holding month index ``index``."""
    year, month = split_index(index)
    return FinancialYear(year if month >= start_month else year - 1, start_month)


def financial_year_of_date(day: date, start_month: int = 4) -> FinancialYear:
    return financial_year_of(month_index(day.year, day.month), start_month)


def financial_year_of_period(period: Period, start_month: int = 4) -> FinancialYear:
    """The financial year a period belongs to: the year holding its first month; for a week, the
    year holding its Thursday, as ISO numbering gives a week to the year holding its Thursday (the
    week of Monday 27 March 2023 belongs to 2022/23, although its Saturday is 1 April)."""
    if period.weeks:
        return financial_year_of_date(period.first_day + timedelta(days=3), start_month)
    return financial_year_of(period.start, start_month)


def counted_months(period: Period) -> Period:
    """The months a period is counted in, to find its target: its own; a week's is the month holding its
    Thursday, as its year is the one holding its Thursday (:func:`financial_year_of_period`)."""
    if period.weeks:
        thursday = period.first_day + timedelta(days=3)
        return Period(month_index(thursday.year, thursday.month), 1)
    return period


def parse_financial_year(text: str, start_month: int = 4) -> FinancialYear:
    """Read ``2023/24`` (or ``2023/2024``)."""
    match = _YEAR_RE.match(text.strip())
    if not match:
        raise PeriodError(f"'{text}' is not a financial year like 2023/24")
    return _checked_year(match.group(1), match.group(2), text, start_month)


def _checked_year(first: str, second: str, text: str, start_month: int) -> FinancialYear:
    year = int(first)
    check_year(year, text)
    check_year(year + 1, text)
    if int(second) % (100 if len(second) == 2 else 10000) != (year + 1) % (100 if len(second) == 2 else 10000):
        raise PeriodError(f"'{text}' is not a financial year: the second year must follow the first")
    return FinancialYear(year, start_month)


YearKind = Literal["financial", "calendar", "academic", "other"]
CALENDAR_START = 1
"""The first month of a calendar year (``year: calendar``)."""
ACADEMIC_START = 9
"""The first month of an academic year (``year: academic``): September."""


@dataclass(frozen=True)
class Years:
    """The years a measure is counted in: they start in ``start_month``, and the catalogue's financial
    year starts in ``financial_start``.

    A measure's years are its own when they start in another month: calendar years (January) for
    crime figures, academic years (September) for school results. Its annual periods, the year its
    targets are keyed by, its previous-year outturn and its monthly trend then follow its own years,
    and their labels say which years they are: ``2023`` (calendar), ``2022/23 (academic)``,
    ``2022/23 (Jul–Jun)`` (any other month). A financial year keeps its label, ``2022/23``.
    """

    start_month: int = 4
    financial_start: int = 4

    @property
    def own(self) -> bool:
        """Whether these are not the catalogue's financial years."""
        return self.start_month != self.financial_start

    @property
    def calendar(self) -> bool:
        """Whether a year is a calendar year, named by one year (``2023``)."""
        return self.start_month == CALENDAR_START

    @property
    def kind(self) -> YearKind:
        """``financial`` (the catalogue's years), ``calendar``, ``academic``, or ``other`` (a measure's
        own years from any other month)."""
        if not self.own:
            return "financial"
        if self.calendar:
            return "calendar"
        return "academic" if self.start_month == ACADEMIC_START else "other"

    @property
    def suffix(self) -> str:
        """What a year's label adds to say which years it counts: "" for financial and calendar years
        (``2022/23``, ``2023``), ``academic`` from September, else the months, ``Jul–Jun``."""
        if not self.own or self.calendar:
            return ""
        if self.start_month == ACADEMIC_START:
            return "academic"
        return f"{_MONTH_NAMES[self.start_month - 1]}–{_MONTH_NAMES[(self.start_month - 2) % 12]}"

    @property
    def name(self) -> str:
        """The years in words: "financial year", "calendar year", "academic year", "year from July"."""
        if self.kind == "other":
            return f"year from {_FULL_NAMES[self.start_month - 1]}"
        return f"{self.kind} year"

    def year_of(self, period: Period) -> FinancialYear:
        """The year a period is counted in (a week's: the year holding its Thursday)."""
        return financial_year_of_period(period, self.start_month)

    def year_of_date(self, day: date) -> FinancialYear:
        return financial_year_of_date(day, self.start_month)

    def label(self, year: FinancialYear) -> str:
        """``2016/17``; ``2016`` for a calendar year; ``2016/17 (academic)``."""
        return period_label(year.period, "natural", self)


def years_of(start_month: int | Years) -> Years:
    """A start month as the catalogue's financial years, or the years given."""
    return start_month if isinstance(start_month, Years) else Years(start_month, start_month)


@dataclass(frozen=True)
class ParsedPeriod:
    """A period as written in a result file, before it is fitted to a measure.

    ``kind`` is ``month`` (``2017-12``, ``Dec 2017``, ``Dec-17``: a period named by its first month),
    ``range`` (``Oct–Dec 2017``: ``months`` months from ``start``), ``year`` (``2023/24``),
    ``quarter`` (``2023/24 Q4``), ``week`` (``2024-W05``, ``w/c 29 Jan 2024``: the week of index
    ``start``) or ``date`` (``2017-12-31``: the period that holds ``day``, in month ``start``).
    """

    kind: str
    start: int
    months: int = 1
    """How many months the text names: 12 for a year, 3 for a quarter, a range's length; 0 for a week;
    1 otherwise."""
    day: date | None = None
    """The day a ``date`` names, or a ``week``'s Monday."""


def parse_period(text: str, start_month: int | Years = 4) -> ParsedPeriod:
    """Read one of the period forms of a result file (:data:`PERIOD_FORMS`), including every label
    :func:`period_label` makes. Ambiguous text (``1/2/17``, ``Dec 17``) is refused, not guessed.

    Years and quarters are of ``start_month``'s years: a measure's own :class:`Years` read
    ``2022/23`` and ``2022/23 (academic)`` as its academic year; calendar years are named ``2023``
    and their quarters ``2023 Q1`` or ``Q1 2023``, and a measure counted in calendar years refuses
    the two-year forms (``2023/24``) of another catalogue's years."""
    years = years_of(start_month)
    value = _without_suffix(" ".join(text.split()), text, years)
    if years.own and years.calendar and (_YEAR_RE.match(value) or _QUARTER_RE.match(value) or _Q_FIRST_RE.match(value)):
        first_year = re.findall(r"\d{4}", value)[0]
        raise PeriodError(
            f"'{text}' is not a calendar year or one of its quarters: this measure's years are calendar years, "
            f"named like {first_year}, and their quarters like Q1 {first_year} (Jan–Mar {first_year})",
            advised=True,
        )
    for reader in (_read_week, _read_numeric_month, _read_financial, _read_named, _read_date):
        parsed = reader(value, text, years)
        if parsed is not None:
            first = parsed.day.year if parsed.day else split_index(parsed.start)[0]
            check_year(first, text)
            check_year(split_index(parsed.start + max(parsed.months, 1) - 1)[0] if not parsed.day else first, text)
            return parsed
    raise PeriodError(f"'{text}' is not a period", forms=True)


FIRST_YEAR = 1800
LAST_YEAR = 2999
"""The years a period or date may be in: any a council reports, with room for the arithmetic of
years before and after (a year earlier, the next due date) to stay within the calendar."""


def check_year(year: int, text: str) -> None:
    """A :class:`PeriodError` for a year outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"'{text}' is outside the years the tool reads, {FIRST_YEAR} to {LAST_YEAR}")


def _without_suffix(value: str, text: str, years: Years) -> str:
    """The text without the years a label names after it: ``2022/23`` of ``2022/23 (academic)``,
    when those are the measure's years."""
    match = _SUFFIX_RE.match(value)
    if not match:
        return value
    named = match.group(2).replace("-", "–").strip().lower()
    if not years.suffix or named != years.suffix.lower():
        example = years.label(FinancialYear(2022 + years.calendar, years.start_month))
        message = f"'{text}' names other years: this measure's years are {years.name}s, like {example}"
        raise PeriodError(message, advised=True)
    return match.group(1)


def _ambiguous(text: str, why: str) -> PeriodError:
    return PeriodError(f"'{text}' is ambiguous ({why})", forms=True)


def _month_of(year: int, month: int, text: str) -> int:
    if not 1 <= month <= 12:
        raise PeriodError(f"'{text}' has no month {month}")
    return month_index(year, month)


def _read_numeric_month(value: str, text: str, years: Years) -> ParsedPeriod | None:
    """``2017-12``."""
    match = _MONTH_RE.match(value)
    if not match:
        return None
    return ParsedPeriod("month", _month_of(int(match.group(1)), int(match.group(2)), text))


def _read_financial(value: str, text: str, years: Years) -> ParsedPeriod | None:
    """``2023/24 Q4``, ``Q4 2023/24``, ``2023/24``; ``2023``, ``2023 Q1`` and ``Q1 2023`` only when
    years start in January."""
    start_month = years.start_month
    for pattern, year_at, quarter_at in ((_QUARTER_RE, 1, 3), (_Q_FIRST_RE, 2, 1)):
        match = pattern.match(value)
        if match:
            year = _checked_year(match.group(year_at), match.group(year_at + 1), text, start_month)
            return ParsedPeriod("quarter", year.period.start + 3 * (int(match.group(quarter_at)) - 1), 3)
    match = _YEAR_RE.match(value)
    if match:
        return ParsedPeriod("year", _checked_year(match.group(1), match.group(2), text, start_month).period.start, 12)
    match = _CALENDAR_QUARTER_RE.match(value) or _Q_CALENDAR_RE.match(value)
    if match:
        first_year, quarter = int(match.group("year")), match.group("quarter")
        if start_month == 1:
            return ParsedPeriod("quarter", month_index(first_year, 1) + 3 * (int(quarter) - 1), 3)
        named = years.label(FinancialYear(first_year, start_month))
        raise _ambiguous(text, f"Q{quarter} of {named} or of the calendar year {first_year}?")
    if _CALENDAR_YEAR_RE.match(value):
        if start_month == 1:
            return ParsedPeriod("year", month_index(int(value), 1), 12)
        this, last = FinancialYear(int(value), start_month), FinancialYear(int(value) - 1, start_month)
        raise _ambiguous(text, f"{years.label(this)} or {years.label(last)}?")
    return None


def _read_named(value: str, text: str, years: Years) -> ParsedPeriod | None:
    """``Dec 2017``, ``December 2017``, ``Dec-17``, ``Oct–Dec 2017``, ``Nov 2017–Jan 2018``."""
    match = _RANGE_RE.match(value)
    if match:
        return _read_range(match, text, years.start_month)
    match = _NAMED_MONTH_RE.match(value) or _SHORT_YEAR_RE.match(value)
    if match and match.group(1).lower() in _MONTH_NUMBERS:
        year = int(match.group(2))
        if len(match.group(2)) == 2:
            year += 2000 if year < 30 else 1900  # as Excel reads a two-digit year
        return ParsedPeriod("month", month_index(year, _MONTH_NUMBERS[match.group(1).lower()]))
    match = _DAY_OR_YEAR_RE.match(value)
    if match and match.group(1).lower() in _MONTH_NUMBERS:
        raise _ambiguous(text, "a day or a year?")
    return None


def _read_range(match: re.Match[str], text: str, start_month: int) -> ParsedPeriod | None:
    first, last = (_MONTH_NUMBERS.get(match.group(i).lower()) for i in (1, 3))
    if first is None or last is None:
        return None
    end_year = int(match.group(4))
    start = month_index(int(match.group(2) or end_year), first)
    months = month_index(end_year, last) - start + 1
    if months < 1:
        raise PeriodError(f"'{text}' ends before it starts")
    if months == 12 and (start - month_index(2000, start_month)) % 12 == 0:
        return ParsedPeriod("year", start, 12)
    return ParsedPeriod("range", start, months)


def _read_date(value: str, text: str, years: Years) -> ParsedPeriod | None:
    """``2017-12-31`` or ``31/12/2017`` (day first, the year in full): the period that holds the day."""
    match = _ISO_DATE_RE.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE_RE.match(value)
        if not match:
            return None
        day, month = int(match.group(1)), int(match.group(2))
        if len(match.group(3)) != 4:
            raise _ambiguous(text, "a date needs its year in full, day first: 31/12/2017")
        year = int(match.group(3))
        if month > 12 and day <= 12:
            raise PeriodError(f"'{text}' has no month {month}: dates are read day first (31/12/2017)")
    return ParsedPeriod("date", _month_of(year, month, text), day=_day_of(year, month, day, text))


def _day_of(year: int, month: int, day: int, text: str) -> date:
    _month_of(year, month, text)
    if year < 1:
        raise PeriodError(f"'{text}' has no year 0")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise PeriodError(f"'{text}' has no day {day}: {_MONTH_NAMES[month - 1]} {year} has {days} days")
    return date(year, month, day)


def _read_week(value: str, text: str, years: Years) -> ParsedPeriod | None:
    """``2024-W05`` (``2024-w05``, ``2024 W5``), an ISO week; ``w/c 29 Jan 2024``, the week commencing
    that Monday."""
    match = _ISO_WEEK_RE.match(value)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        if year < 1:
            raise PeriodError(f"'{text}' has no year 0")
        if not 1 <= number <= weeks_in(year):
            raise PeriodError(f"'{text}' has no week {number}: {year} has {weeks_in(year)} ISO weeks")
        return _week(iso_week(year, number))
    match = _WEEK_COMMENCING_RE.match(value)
    if not match or match.group(2).lower() not in _MONTH_NUMBERS:
        return None
    day = _day_of(int(match.group(3)), _MONTH_NUMBERS[match.group(2).lower()], int(match.group(1)), text)
    if day.weekday():
        monday = day - timedelta(days=day.weekday())
        raise PeriodError(
            f"'{text}': {_day_label(day)} is a {_WEEKDAYS[day.weekday()]}; a week commences on a Monday "
            f"(w/c {_day_label(monday)})"
        )
    return _week(week_of(day))


def _week(period: Period) -> ParsedPeriod:
    return ParsedPeriod("week", period.start, 0, period.first_day)


def fit_period(
    parsed: ParsedPeriod, frequency: str, start_month: int | Years = 4, survey_year: int | None = None
) -> tuple[Period, bool]:
    """Fit a parsed period to a measure's frequency.

    Returns the period and whether the row is an explicit financial-year outturn
    (a ``2016/17`` row for a weekly, monthly or quarterly measure). A date gives the period of the
    frequency that holds it; any other form must name a period of the frequency exactly. A biennial
    measure's period is a financial year in step with ``survey_year``, the calendar year one of its
    survey years starts in (2023 for 2023/24), when that is given.
    """
    if frequency == "weekly":
        return _fit_week(parsed)
    article = "an" if frequency == "annual" else "a"
    if parsed.kind == "week":
        raise PeriodError(f"a week does not fit {article} {frequency} measure")
    years = years_of(start_month)
    period, outturn = _fit_months(parsed, frequency, years.start_month, article)
    if frequency == "biennial" and survey_year is not None and (period.year - survey_year) % 2:
        raise PeriodError(_out_of_step(period.year, survey_year, years))
    return period, outturn


def _fit_months(parsed: ParsedPeriod, frequency: str, start_month: int, article: str) -> tuple[Period, bool]:
    months = MONTHS.get(frequency, 12)
    if parsed.kind == "year":
        return Period(parsed.start, 12), frequency not in ("annual", "biennial")
    if parsed.kind == "quarter" and frequency != "quarterly":
        raise PeriodError(f"a quarter does not fit {article} {frequency} measure")
    if parsed.kind == "range" and parsed.months != months:
        raise PeriodError(f"{_months_named(parsed)} does not fit {article} {frequency} measure")
    offset = (parsed.start - month_index(2000, start_month)) % months
    if parsed.kind == "date":
        return Period(parsed.start - offset, months), False
    if offset:
        _, month = split_index(parsed.start)
        if frequency == "quarterly":
            names = quarter_starts(start_month)
            raise PeriodError(f"a quarterly measure's period starts in {names}, not {_MONTH_NAMES[month - 1]}")
        raise PeriodError(
            f"{article} {frequency} measure's period starts in {_MONTH_NAMES[start_month - 1]}, "
            f"the first month of the year, not {_MONTH_NAMES[month - 1]}"
        )
    return Period(parsed.start, months), False


def quarter_starts(start_month: int) -> str:
    """The months quarters start in, in years starting in ``start_month``: "Jan, Apr, Jul, Oct"."""
    return ", ".join(_MONTH_NAMES[m - 1] for m in sorted({(start_month - 1 + 3 * i) % 12 + 1 for i in range(4)}))


def _months_named(parsed: ParsedPeriod) -> str:
    """What a run of months is, in an error message: "a quarter", "a period of 2 months"."""
    if parsed.months == 3:
        return "a quarter"
    return f"a period of {parsed.months} month{'s' * (parsed.months > 1)}"


def _fit_week(parsed: ParsedPeriod) -> tuple[Period, bool]:
    """A weekly measure's period: a week, the week holding a date, or a financial year's outturn."""
    if parsed.kind == "year":
        return Period(parsed.start, 12), True
    if parsed.kind == "week":
        return Period(parsed.start, 0, 1), False
    if parsed.kind == "date" and parsed.day is not None:
        return week_of(parsed.day), False
    what = "a month" if parsed.kind == "month" else "a quarter" if parsed.kind == "quarter" else _months_named(parsed)
    raise PeriodError(
        f"{what} does not fit a weekly measure: name a week as 2024-W05 or w/c 29 Jan 2024, or give a day in it"
    )


def _out_of_step(first_year: int, survey_year: int, years: Years) -> str:
    """Why a biennial measure's result cannot be for the year starting in ``first_year``."""
    start_month = years.start_month
    label = years.label(FinancialYear(first_year, start_month))
    others = ", ".join(years.label(FinancialYear(first_year + i, start_month)) for i in (-1, 1, 3))
    return (
        f"{label} is not a survey year of this biennial measure: its results are for every second year "
        f"(…, {others}, …), in step with its survey_year {years.label(FinancialYear(survey_year, start_month))}"
    )


def latest_ended(frequency: str, as_at: date, start_month: int = 4, survey_year: int | None = None) -> Period:
    """The latest period of ``frequency`` that has ended on or before ``as_at`` (for a biennial measure,
    a financial year in step with ``survey_year``, when that is given; see :func:`fit_period`)."""
    if frequency == "weekly":
        return week_of(as_at + timedelta(days=1)).shift(-1)  # as at a Sunday, its own week has ended
    months = MONTHS.get(frequency, 12)
    index = month_index(as_at.year, as_at.month)
    if as_at == date(as_at.year, as_at.month, calendar.monthrange(as_at.year, as_at.month)[1]):
        index += 1  # the as-at month itself has ended
    # the first aligned period start after the last ended month, minus one period
    aligned = index - (index - month_index(2000, start_month)) % months
    period = Period(aligned - months, months)
    if frequency == "biennial" and survey_year is not None and (period.year - survey_year) % 2:
        return period.shift(-1)
    return period


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_as_at(text: str) -> date:
    """Read ``2017-12-31`` or ``2017-12`` (the end of that month)."""
    value = text.strip()
    match = _MONTH_RE.match(value)
    if match and 1 <= int(match.group(2)) <= 12:
        check_year(int(match.group(1)), text)
        return month_end(int(match.group(1)), int(match.group(2)))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"'{text}' is not a date: use 2017-12-31 or 2017-12") from None
    check_year(day.year, text)
    return day


def short_date(day: date) -> str:
    """The appendix's as-at date: ``31.12.17``."""
    return day.strftime("%d.%m.%y")


def period_label(period: Period, style: LabelStyle = "natural", start_month: int | Years = 4) -> str:
    """The name of a period that every output prints: the one place a label is made.

    ``natural`` says what the period covers: ``Dec 2017``; ``Oct–Dec 2017`` or ``Nov 2017–Jan 2018``
    for a quarter; ``2017/18`` for a financial year (``2017`` when years start in January) and
    ``2013/14–2017/18`` for a run of them; ``Apr–Dec 2017`` for any other run of months.
    ``first-month`` names a period by its first month (``Oct 2017``, ``Apr 2017``).
    A week is ``w/c 29 Jan 2024`` (the week commencing that Monday) in either style, as it has no
    first month; a run of weeks is named by its days, ``6 Nov 2017–4 Feb 2018``, ``4–24 Mar 2024``.
    A measure's own :class:`Years` name its years so: ``2017`` (calendar), ``2017/18 (academic)``,
    ``2014/15–2017/18 (academic)``.
    :func:`parse_period` reads every label of a single period back.
    """
    years = years_of(start_month)
    start_month = years.start_month
    if period.weeks:
        if period.weeks == 1:
            return f"w/c {_day_label(period.first_day)}"
        monday, sunday = period.first_day, period.end
        if monday.year != sunday.year:
            return f"{_day_label(monday)}–{_day_label(sunday)}"
        if monday.month != sunday.month:
            return f"{monday.day} {_MONTH_NAMES[monday.month - 1]}–{_day_label(sunday)}"
        return f"{monday.day}–{_day_label(sunday)}"
    if style == "first-month" or period.months == 1:
        return _month_label(period.start)
    if period.months % 12 == 0 and period.month == start_month:
        first = _year_label(period.year, start_month)
        suffix = f" ({years.suffix})" if years.suffix else ""
        if period.months == 12:
            return first + suffix
        return f"{first}–{_year_label(period.year + period.months // 12 - 1, start_month)}{suffix}"
    last_year, last_month = split_index(period.start + period.months - 1)
    if last_year == period.year:
        return f"{_MONTH_NAMES[period.month - 1]}–{_MONTH_NAMES[last_month - 1]} {period.year}"
    return f"{_month_label(period.start)}–{_month_label(period.start + period.months - 1)}"


def _day_label(day: date) -> str:
    """``29 Jan 2024``."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def _month_label(index: int) -> str:
    year, month = split_index(index)
    return f"{_MONTH_NAMES[month - 1]} {year}"


def _year_label(first_year: int, start_month: int) -> str:
    if start_month == 1:
        return f"{first_year}"
    return f"{first_year}/{(first_year + 1) % 100:02d}"


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


def period_text(period: Period, frequency: str, start_month: int | Years = 4) -> str:
    """How a result file names a measure's period: ``2024-W05``; ``2018-01``; ``2017/18 Q3``; ``2017/18``
    (an annual or biennial measure's year). A measure's own years name a quarter by its first month
    (``2022-09``), and a year by its label (``2023``, ``2022/23 (academic)``)."""
    years = years_of(start_month)
    start_month = years.start_month
    if frequency in ("weekly", "monthly") or (start_month == 1 and not years.own):
        return period.key
    year = financial_year_of(period.start, start_month)
    if frequency in ("annual", "biennial"):
        return years.label(year)
    if years.own:
        return period.key
    return f"{year.label} Q{(period.start - year.period.start) // 3 + 1}"


# --- reporting lag: when a period's result is due ------------------------------------------

_LAG_RE = re.compile(r"^\s*(\d+)\s*(day|week|month|quarter|year)s?\s*$", re.IGNORECASE)
_LAG_UNITS = {
    "day": ("days", 1),
    "week": ("days", 7),
    "month": ("months", 1),
    "quarter": ("months", 3),
    "year": ("months", 12),
}


@dataclass(frozen=True)
class Lag:
    """How long after a period ends its result is due: a number of days or of months."""

    days: int = 0
    months: int = 0
    text: str = "0"
    """As written in the catalogue ("30 days", "1 quarter")."""

    def due(self, period: Period) -> date:
        """The day a period's result is due: ``lag`` after the period's last day (a month lag keeps
        to month ends: a period ending 31 Dec with a 2-month lag is due on 28 or 29 Feb; a week
        ending on another day is due on the same day of the month, or that month's last day if it
        is shorter: a week ending Sun 31 Mar 2024 is due on 30 Apr, one ending 4 Feb on 4 Mar)."""
        end = period.end
        if self.months:
            year, month = split_index(month_index(end.year, end.month) + self.months)
            last = month_end(year, month)
            end = last if end == month_end(end.year, end.month) else last.replace(day=min(end.day, last.day))
        return end + timedelta(days=self.days)


NO_LAG = Lag()


def parse_lag(text: str | int) -> Lag:
    """Read ``30 days``, ``6 weeks``, ``2 months``, ``1 quarter``, ``1 year`` (or ``0``)."""
    if text == 0 or str(text).strip() == "0":
        return NO_LAG
    match = _LAG_RE.match(str(text))
    if not match:
        raise PeriodError(f"'{text}' is not a lag: write it like 30 days, 6 weeks, 2 months, 1 quarter or 1 year")
    unit, size = _LAG_UNITS[match.group(2).lower()]
    count = int(match.group(1)) * size
    written = " ".join(str(text).split())
    return Lag(days=count, text=written) if unit == "days" else Lag(months=count, text=written)


def latest_due(
    frequency: str, as_at: date, start_month: int = 4, lag: Lag = NO_LAG, survey_year: int | None = None
) -> Period:
    """The latest period of ``frequency`` whose result is due on or before ``as_at`` (for a biennial
    measure, in step with ``survey_year``; see :func:`latest_ended`)."""
    period = latest_ended(frequency, as_at, start_month, survey_year)
    while lag.due(period) > as_at:
        period = step(period, frequency, -1)
    return period


# --- DfE Explore education statistics: time_period and time_identifier -----------------------

_DFE_YEARS = {
    "academic year": ACADEMIC_START,
    "financial year": 4,
    "tax year": 4,
    "reporting year": 4,
    "calendar year": CALENDAR_START,
}
"""The first month of each kind of DfE year. A reporting year (``2017``) is the year to 31 March of
that year (Apr 2016–Mar 2017), as the looked-after children and children in need statistics count it."""
_DFE_QUARTER_RE = re.compile(r"^(academic year|financial year|calendar year|tax year|reporting year) q([1-4])$")


def dfe_period(time_period: str, time_identifier: str) -> Period:
    """The period a row of a DfE Explore education statistics data file covers: ``201718`` with
    ``Academic year`` is Sep 2017–Aug 2018, with ``Financial year`` Apr 2017–Mar 2018; ``2017`` with
    ``Calendar year`` is Jan–Dec 2017 and with ``Reporting year`` Apr 2016–Mar 2017; ``… Q1`` the
    year's first quarter (its first three months); a month name (``January``) that month of a
    calendar year (``2018``), or of an academic year (``201718``: Sep–Dec in 2017, Jan–Aug in 2018)."""
    text, identifier = time_period.strip(), " ".join(time_identifier.split()).lower()
    if not re.fullmatch(r"\d{4}(\d{2})?", text):
        raise PeriodError(f"time_period '{time_period}' is not a year (2017) or a two-year period (201718)")
    first = int(text[:4])
    if len(text) == 6 and int(text[4:]) != (first + 1) % 100:
        raise PeriodError(f"time_period '{time_period}' is not two consecutive years")
    month_names = [name.lower() for name in _FULL_NAMES]
    if identifier in month_names:
        month = month_names.index(identifier) + 1
        year = first + 1 if len(text) == 6 and month < ACADEMIC_START else first
        return Period(month_index(year, month), 1)
    quarter = _DFE_QUARTER_RE.match(identifier)
    kind = quarter.group(1) if quarter else identifier
    if kind not in _DFE_YEARS:
        raise PeriodError(f"time_identifier '{time_identifier}' is not one this tool reads (years, quarters, months)")
    start = _DFE_YEARS[kind]
    if kind == "reporting year" and len(text) == 4:
        first -= 1
    elif (len(text) == 6) != (start != CALENDAR_START):
        written = "one year (2017)" if start == CALENDAR_START else "two years (201718)"
        raise PeriodError(f"a {kind} is written as {written}, not '{time_period}'")
    year_start = month_index(first, start)
    if quarter:
        return Period(year_start + 3 * (int(quarter.group(2)) - 1), 3)
    return Period(year_start, 12)
