"""Months, quarters and financial years: reading, fitting to a frequency, labels, latest ended period."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncc_scorecard.periods import (
    MONTHS,
    PERIOD_FORMS,
    FinancialYear,
    LabelStyle,
    Period,
    PeriodError,
    financial_year_of,
    financial_year_of_date,
    fit_period,
    latest_ended,
    month_index,
    parse_as_at,
    parse_financial_year,
    parse_period,
    period_label,
    short_date,
)


def fit(text: str, frequency: str, start_month: int = 4) -> tuple[Period, bool]:
    return fit_period(parse_period(text, start_month), frequency, start_month)


def month(year: int, number: int, months: int = 1) -> Period:
    return Period(month_index(year, number), months)


# --- reading -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "year", "month_number"),
    [
        ("2017-12", "month", 2017, 12),
        ("2017-1", "month", 2017, 1),
        (" 2017-04 ", "month", 2017, 4),
        ("2023/24", "year", 2023, 4),
        ("2023/2024", "year", 2023, 4),
        ("1999/00", "year", 1999, 4),
        ("1999/2000", "year", 1999, 4),
        ("2023/24 Q1", "quarter", 2023, 4),
        ("2023/24 Q2", "quarter", 2023, 7),
        ("2023/24 Q3", "quarter", 2023, 10),
        ("2023/24 Q4", "quarter", 2024, 1),
        ("2023/24 q4", "quarter", 2024, 1),
        ("2023/2024 Q4", "quarter", 2024, 1),
        # labels, and months as people write them: a period named by its first month
        ("Dec 2017", "month", 2017, 12),
        ("dec 2017", "month", 2017, 12),
        ("December 2017", "month", 2017, 12),
        ("Sept 2017", "month", 2017, 9),
        ("Dec-17", "month", 2017, 12),
        ("December-17", "month", 2017, 12),
        ("Dec-2017", "month", 2017, 12),
        ("Jan-99", "month", 1999, 1),  # two-digit years as Excel reads them: 30–99 are 1900s
        # a run of months
        ("Oct–Dec 2017", "range", 2017, 10),
        ("Oct-Dec 2017", "range", 2017, 10),
        ("Oct – Dec 2017", "range", 2017, 10),
        ("Nov 2017–Jan 2018", "range", 2017, 11),
        ("Apr 2017–Mar 2018", "year", 2017, 4),  # a whole financial year is that year
        # the quarter first
        ("Q3 2017/18", "quarter", 2017, 10),
        ("q4 2017/2018", "quarter", 2018, 1),
        # a date: the month that holds it
        ("2017-12-31", "date", 2017, 12),
        ("2017-12-01", "date", 2017, 12),
        ("31/12/2017", "date", 2017, 12),
        ("1/2/2017", "date", 2017, 2),
        ("29/02/2016", "date", 2016, 2),
    ],
)
def test_every_period_form_is_read(text: str, kind: str, year: int, month_number: int) -> None:
    parsed = parse_period(text)
    assert (parsed.kind, parsed.start) == (kind, month_index(year, month_number))


@pytest.mark.parametrize(("text", "months"), [("2023/24", 12), ("2023/24 Q1", 3), ("Oct–Dec 2017", 3), ("Dec 2017", 1)])
def test_a_parsed_period_knows_how_many_months_it_names(text: str, months: int) -> None:
    assert parse_period(text).months == months


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2017-13", "no month 13"),
        ("2017-00", "no month 0"),
        ("2017/19", "the second year must follow the first"),
        ("2017/2019", "the second year must follow the first"),
        ("2017/19 Q1", "the second year must follow the first"),
        ("Q1 2017/19", "the second year must follow the first"),
        ("2017/18 Q5", "is not a period"),
        ("Q5 2017/18", "is not a period"),
        ("12/2017", "is not a period"),
        ("Decembre 2017", "is not a period"),
        ("Dec 201", "is not a period"),
        ("17-Dec", "is not a period"),
        ("Foo–Dec 2017", "is not a period"),
        ("2017-12-31 09:00", "is not a period"),
        ("", "is not a period"),
        # ambiguous: refused rather than guessed
        ("Dec 17", "is ambiguous"),  # the 17th, or 2017?
        ("1/2/17", "is ambiguous"),  # 1 Feb or 2 Jan, and which century?
        ("31/12/17", "is ambiguous"),
        ("31/12/017", "is ambiguous"),
        ("2017", "is ambiguous"),  # 2017/18 or 2016/17?
        # impossible dates and runs
        ("12/31/2017", "has no month 31: dates are read day first"),
        ("31/13/2017", "has no month 13"),
        ("2017-13-01", "has no month 13"),
        ("31/02/2017", "has no day 31: Feb 2017 has 28 days"),
        ("2017-02-29", "has no day 29"),
        ("0/12/2017", "has no day 0"),
        ("Dec–Oct 2017", "ends before it starts"),
        ("Jan 2018–Dec 2017", "ends before it starts"),
    ],
)
def test_bad_period_forms_are_refused_with_a_reason(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


@pytest.mark.parametrize("text", ["Decembre 2017", "12/2017", "Dec 17", "1/2/17", "2017"])
def test_a_bad_or_ambiguous_period_message_lists_the_forms_to_use(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert f"'{text}'" in str(caught.value)
    assert str(caught.value).endswith(f"use {PERIOD_FORMS}")
    for form in ("2017-12", "Dec 2017", "December 2017", "Dec-17", "Oct–Dec 2017", "2023/24", "2023/24 Q4",
                 "2017-12-31", "31/12/2017"):  # fmt: skip
        assert form in PERIOD_FORMS


def test_a_bare_year_names_the_years_it_could_be() -> None:
    with pytest.raises(PeriodError, match=r"\(2017/18 or 2016/17\?\)"):
        parse_period("2017")


def test_a_bare_year_is_the_year_when_years_start_in_january() -> None:
    assert fit("2017", "annual", 1) == (month(2017, 1, 12), False)
    assert fit("2017", "monthly", 1) == (month(2017, 1, 12), True)


@pytest.mark.parametrize("text", ["2016/17", "2016/2017", " 2016 / 17 "])
def test_financial_year_forms(text: str) -> None:
    assert parse_financial_year(text) == FinancialYear(2016, 4)


@pytest.mark.parametrize("text", ["2016/18", "2016", "16/17", "2016-17"])
def test_bad_financial_years(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_financial_year(text)


# --- fitting to a measure's frequency ------------------------------------------------------


def test_a_month_fits_a_monthly_measure() -> None:
    assert fit("2017-12", "monthly") == (month(2017, 12), False)


@pytest.mark.parametrize("text", ["2017-01", "2017-04", "2017-07", "2017-10", "2017/18 Q1", "2017/18 Q4"])
def test_quarterly_periods_start_in_jan_apr_jul_oct(text: str) -> None:
    period, outturn = fit(text, "quarterly")
    assert period.months == 3 and period.month in (1, 4, 7, 10)
    assert outturn is False


def test_financial_year_quarters_name_the_calendar_quarters() -> None:
    assert fit("2017/18 Q3", "quarterly")[0] == fit("2017-10", "quarterly")[0] == month(2017, 10, 3)
    assert fit("2017/18 Q4", "quarterly")[0] == month(2018, 1, 3)


@pytest.mark.parametrize("text", ["2017-02", "2017-11", "2017-12"])
def test_a_quarterly_period_must_start_in_a_quarter_month(text: str) -> None:
    with pytest.raises(PeriodError, match="quarterly measure's period starts in Jan, Apr, Jul, Oct"):
        fit(text, "quarterly")


def test_annual_periods_start_in_april() -> None:
    assert fit("2023-04", "annual") == (month(2023, 4, 12), False)
    with pytest.raises(PeriodError, match="annual measure's period starts in Apr"):
        fit("2023-01", "annual")


def test_2023_24_and_2023_04_name_the_same_annual_period() -> None:
    assert fit("2023/24", "annual") == fit("2023-04", "annual") == (month(2023, 4, 12), False)


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("Dec 2017", "monthly", month(2017, 12)),
        ("Oct 2017", "quarterly", month(2017, 10, 3)),  # a first-month label, as 2017-10
        ("Apr 2017", "annual", month(2017, 4, 12)),
        ("Oct–Dec 2017", "quarterly", month(2017, 10, 3)),
        ("Q3 2017/18", "quarterly", month(2017, 10, 3)),
        ("Apr 2017–Mar 2018", "annual", month(2017, 4, 12)),
    ],
)
def test_labels_fit_the_period_they_name(text: str, frequency: str, expected: Period) -> None:
    assert fit(text, frequency) == (expected, False)


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("2017-12-31", "monthly", month(2017, 12)),
        ("2017-12-31", "quarterly", month(2017, 10, 3)),
        ("2017-12-31", "annual", month(2017, 4, 12)),
        ("31/12/2017", "quarterly", month(2017, 10, 3)),
        ("01/10/2017", "quarterly", month(2017, 10, 3)),
        ("31/03/2018", "annual", month(2017, 4, 12)),
        ("01/04/2018", "annual", month(2018, 4, 12)),
    ],
)
def test_a_date_means_the_period_of_the_frequency_that_holds_it(text: str, frequency: str, expected: Period) -> None:
    assert fit(text, frequency) == (expected, False)


def test_a_date_follows_the_year_start() -> None:
    # quarters of a year starting in September: Sep–Nov, Dec–Feb, Mar–May, Jun–Aug
    assert fit("2017-12-31", "quarterly", 9) == (month(2017, 12, 3), False)
    assert fit("2017-08-31", "annual", 9) == (month(2016, 9, 12), False)


def test_a_date_is_never_a_year_outturn() -> None:
    assert fit("2017-03-31", "monthly") == (month(2017, 3), False)


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("Oct–Dec 2017", "monthly", "a quarter does not fit a monthly measure"),
        ("Oct–Dec 2017", "annual", "a quarter does not fit an annual measure"),
        ("Oct–Nov 2017", "quarterly", "a period of 2 months does not fit a quarterly measure"),
        ("Dec–Dec 2017", "quarterly", "a period of 1 month does not fit a quarterly measure"),
        ("Nov 2017–Jan 2018", "quarterly", "quarterly measure's period starts in Jan, Apr, Jul, Oct, not Nov"),
        ("Jun 2017–May 2018", "annual", "annual measure's period starts in Apr"),
        ("Nov 2017", "quarterly", "quarterly measure's period starts in Jan, Apr, Jul, Oct, not Nov"),
        ("Jan 2017", "annual", "annual measure's period starts in Apr"),
    ],
)
def test_a_label_that_does_not_fit_the_frequency_is_refused(text: str, frequency: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        fit(text, frequency)


@pytest.mark.parametrize(("frequency", "message"), [("monthly", "a monthly"), ("annual", "an annual")])
def test_quarter_rows_are_refused_for_other_frequencies(frequency: str, message: str) -> None:
    with pytest.raises(PeriodError, match=f"^a quarter does not fit {message} measure$"):
        fit("2017/18 Q1", frequency)


@pytest.mark.parametrize("frequency", ["monthly", "quarterly"])
def test_a_financial_year_row_of_a_monthly_or_quarterly_measure_is_an_outturn(frequency: str) -> None:
    assert fit("2016/17", frequency) == (month(2016, 4, 12), True)


def test_other_year_start_months_move_quarters_and_years() -> None:
    # a year starting in September: quarters start Sep, Dec, Mar, Jun
    assert fit("2017/18 Q2", "quarterly", 9)[0] == month(2017, 12, 3)
    assert fit("2017-09", "annual", 9) == (month(2017, 9, 12), False)
    assert fit("2017/18", "annual", 9) == (month(2017, 9, 12), False)
    with pytest.raises(PeriodError, match="starts in Mar, Jun, Sep, Dec, not Oct"):
        fit("2017-10", "quarterly", 9)
    with pytest.raises(PeriodError, match="starts in Sep"):
        fit("2017-04", "annual", 9)


# --- labels -------------------------------------------------------------------------------


def test_labels() -> None:
    assert month(2017, 12).key == "2017-12"
    assert month(2018, 1).key == "2018-01"
    assert FinancialYear(2016).label == "2016/17"
    assert FinancialYear(2017).dash_label == "2017-18"
    assert FinancialYear(1999).label == "1999/00"
    assert FinancialYear(2017, 1).label == "2017"
    assert FinancialYear(2017, 1).dash_label == "2017"


@pytest.mark.parametrize(
    ("period", "start_month", "natural", "first_month"),
    [
        (month(2017, 12), 4, "Dec 2017", "Dec 2017"),
        (month(2017, 10, 3), 4, "Oct–Dec 2017", "Oct 2017"),
        (month(2018, 1, 3), 4, "Jan–Mar 2018", "Jan 2018"),
        (month(2017, 11, 3), 5, "Nov 2017–Jan 2018", "Nov 2017"),
        (month(2017, 4, 12), 4, "2017/18", "Apr 2017"),
        (month(1999, 4, 12), 4, "1999/00", "Apr 1999"),
        (month(2017, 9, 12), 9, "2017/18", "Sep 2017"),
        (month(2017, 1, 12), 1, "2017", "Jan 2017"),
        # spans, as a trend's alternative text names them
        (month(2017, 4, 9), 4, "Apr–Dec 2017", "Apr 2017"),
        (month(2016, 1, 24), 4, "Jan 2016–Dec 2017", "Jan 2016"),
        (month(2013, 4, 60), 4, "2013/14–2017/18", "Apr 2013"),
        (month(2013, 1, 60), 1, "2013–2017", "Jan 2013"),
        (month(2017, 1, 12), 4, "Jan–Dec 2017", "Jan 2017"),  # twelve months that are not a financial year
    ],
)
def test_period_label_in_both_styles(period: Period, start_month: int, natural: str, first_month: str) -> None:
    assert period_label(period, "natural", start_month) == natural
    assert period_label(period, "first-month", start_month) == first_month


def test_natural_is_the_default_style() -> None:
    assert period_label(month(2017, 10, 3)) == "Oct–Dec 2017"


@st.composite
def measure_periods(draw: st.DrawFn) -> tuple[Period, str, int]:
    """A period of some measure: its frequency, the year start, and a start aligned to both."""
    frequency = draw(st.sampled_from(sorted(MONTHS)))
    start_month = draw(st.integers(1, 12))
    months = MONTHS[frequency]
    first = month_index(draw(st.integers(1901, 2199)), start_month)
    return Period(first + months * draw(st.integers(-6, 6)), months), frequency, start_month


@given(measure_periods(), st.sampled_from(["natural", "first-month"]))
def test_every_label_reads_back_as_its_period(case: tuple[Period, str, int], style: LabelStyle) -> None:
    period, frequency, start_month = case
    label = period_label(period, style, start_month)
    assert fit_period(parse_period(label, start_month), frequency, start_month) == (period, False)


@given(measure_periods(), st.integers(0, 365))
def test_every_day_of_a_period_names_it(case: tuple[Period, str, int], day_offset: int) -> None:
    period, frequency, start_month = case
    first_day = date(period.year, period.month, 1).toordinal()
    day = date.fromordinal(min(period.end.toordinal(), first_day + day_offset))
    for text in (day.isoformat(), day.strftime("%d/%m/%Y")):
        assert fit_period(parse_period(text, start_month), frequency, start_month) == (period, False), text


def test_period_end_and_shifts() -> None:
    assert month(2017, 12).end == date(2017, 12, 31)
    assert month(2016, 2).end == date(2016, 2, 29)
    assert month(2017, 10, 3).end == date(2017, 12, 31)
    assert month(2016, 4, 12).end == date(2017, 3, 31)
    assert month(2018, 1).shift(-1) == month(2017, 12)
    assert month(2017, 10, 3).shift(1) == month(2018, 1, 3)
    assert month(2017, 12).year_earlier() == month(2016, 12)


# --- financial years ------------------------------------------------------------------------


def test_financial_year_boundary() -> None:
    assert financial_year_of(month_index(2018, 3)) == FinancialYear(2017)
    assert financial_year_of(month_index(2018, 4)) == FinancialYear(2018)
    assert financial_year_of_date(date(2018, 3, 31)).label == "2017/18"
    assert financial_year_of_date(date(2018, 4, 1)).label == "2018/19"


def test_financial_year_boundary_with_another_start_month() -> None:
    assert financial_year_of(month_index(2018, 8), 9) == FinancialYear(2017, 9)
    assert financial_year_of(month_index(2018, 9), 9) == FinancialYear(2018, 9)
    assert financial_year_of(month_index(2018, 1), 1) == FinancialYear(2018, 1)
    assert financial_year_of(month_index(2018, 12), 1).label == "2018"


def test_a_financial_year_contains_its_twelve_months() -> None:
    year = FinancialYear(2017)
    assert year.contains(month(2017, 4)) and year.contains(month(2018, 3))
    assert not year.contains(month(2017, 3)) and not year.contains(month(2018, 4))
    assert year.previous() == FinancialYear(2016)


# --- the latest period that has ended -------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "as_at", "expected"),
    [
        ("monthly", date(2017, 12, 31), month(2017, 12)),
        ("monthly", date(2017, 12, 30), month(2017, 11)),
        ("monthly", date(2018, 1, 1), month(2017, 12)),
        ("quarterly", date(2017, 12, 31), month(2017, 10, 3)),
        ("quarterly", date(2017, 12, 30), month(2017, 7, 3)),
        ("quarterly", date(2018, 3, 31), month(2018, 1, 3)),
        ("annual", date(2017, 12, 31), month(2016, 4, 12)),
        ("annual", date(2018, 3, 30), month(2016, 4, 12)),
        ("annual", date(2018, 3, 31), month(2017, 4, 12)),
    ],
)
def test_latest_ended(frequency: str, as_at: date, expected: Period) -> None:
    assert latest_ended(frequency, as_at) == expected


def test_latest_ended_labels_as_at_31_december_2017() -> None:
    assert period_label(latest_ended("monthly", date(2017, 12, 31))) == "Dec 2017"
    assert period_label(latest_ended("quarterly", date(2017, 12, 31))) == "Oct–Dec 2017"
    assert period_label(latest_ended("annual", date(2017, 12, 31))) == "2016/17"
    assert financial_year_of(latest_ended("annual", date(2017, 12, 31)).start).label == "2016/17"
    assert period_label(latest_ended("monthly", date(2017, 12, 30))) == "Nov 2017"
    assert period_label(latest_ended("quarterly", date(2017, 12, 30)), "first-month") == "Jul 2017"


def test_latest_ended_with_another_start_month() -> None:
    assert latest_ended("annual", date(2017, 12, 31), 9) == month(2016, 9, 12)
    assert latest_ended("annual", date(2017, 8, 31), 9) == month(2016, 9, 12)
    assert latest_ended("annual", date(2017, 8, 31), 1) == month(2016, 1, 12)


# --- the as-at date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-12-31", date(2017, 12, 31)),
        ("2017-12", date(2017, 12, 31)),
        ("2016-02", date(2016, 2, 29)),
        ("2017-02", date(2017, 2, 28)),
        ("2017-04", date(2017, 4, 30)),
        (" 2017-12-15 ", date(2017, 12, 15)),
    ],
)
def test_parse_as_at(text: str, expected: date) -> None:
    assert parse_as_at(text) == expected


@pytest.mark.parametrize("text", ["2017-13", "31/12/2017", "Dec 2017", "2017-02-30", ""])
def test_bad_as_at(text: str) -> None:
    with pytest.raises(PeriodError, match="is not a date"):
        parse_as_at(text)


def test_short_date_as_the_appendix_prints_it() -> None:
    assert short_date(date(2017, 12, 31)) == "31.12.17"
