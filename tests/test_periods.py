"""Months, quarters and financial years: reading, fitting to a frequency, labels, latest ended period."""

from __future__ import annotations

from datetime import date

import pytest

from ncc_scorecard.periods import (
    FinancialYear,
    ParsedPeriod,
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
    ],
)
def test_every_period_form_is_read(text: str, kind: str, year: int, month_number: int) -> None:
    assert parse_period(text) == ParsedPeriod(kind, month_index(year, month_number))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2017-13", "no month 13"),
        ("2017-00", "no month 0"),
        ("2017/19", "the second year must follow the first"),
        ("2017/2019", "the second year must follow the first"),
        ("2017/19 Q1", "the second year must follow the first"),
        ("Dec 2017", "is not a period"),
        ("2017/18 Q5", "is not a period"),
        ("12/2017", "is not a period"),
        ("2017-12-01", "is not a period"),
        ("", "is not a period"),
    ],
)
def test_bad_period_forms_are_refused_with_a_reason(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


def test_a_bad_period_message_shows_the_forms_to_use() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("Dec 2017")
    assert "'Dec 2017'" in str(caught.value)
    for form in ("2017-12", "2023/24", "2023/24 Q4"):
        assert form in str(caught.value)


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
    assert month(2017, 12).label == "Dec 2017"
    assert month(2017, 12).key == "2017-12"
    assert month(2017, 10, 3).label == "Oct 2017"
    assert month(2018, 1).key == "2018-01"
    assert FinancialYear(2016).label == "2016/17"
    assert FinancialYear(2017).dash_label == "2017-18"
    assert FinancialYear(1999).label == "1999/00"
    assert FinancialYear(2017, 1).label == "2017"


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
    assert latest_ended("monthly", date(2017, 12, 31)).label == "Dec 2017"
    assert latest_ended("quarterly", date(2017, 12, 31)).label == "Oct 2017"
    assert financial_year_of(latest_ended("annual", date(2017, 12, 31)).start).label == "2016/17"
    assert latest_ended("monthly", date(2017, 12, 30)).label == "Nov 2017"
    assert latest_ended("quarterly", date(2017, 12, 30)).label == "Jul 2017"


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
