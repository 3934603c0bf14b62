"""Weekly and biennial measures: ISO weeks and two-yearly surveys, from reading a period to the figures.

Every expected date and figure below is worked out by hand from a calendar (2024-W05 is Monday
29 January to Sunday 4 February 2024; 2020 and 2026 have 53 ISO weeks).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncc_scorecard.calculator import compute_measure, trend, year_outturn
from ncc_scorecard.catalogue import Catalogue, Measure
from ncc_scorecard.changes import main_frequency, previous_report_date
from ncc_scorecard.checks import fractions, missing_target, not_ended, outliers
from ncc_scorecard.numbers import ratio
from ncc_scorecard.periods import (
    FinancialYear,
    LabelStyle,
    Lag,
    Period,
    PeriodError,
    financial_year_of_period,
    fit_period,
    iso_week,
    latest_due,
    latest_ended,
    month_index,
    parse_period,
    period_label,
    period_text,
    span,
    step,
    week_of,
    weeks_in,
)
from ncc_scorecard.results import Result

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def week(year: int, number: int) -> Period:
    return iso_week(year, number)


def year_period(first_year: int) -> Period:
    return FinancialYear(first_year).period


def fit(text: str, frequency: str, survey_year: int | None = None, start_month: int = 4) -> tuple[Period, bool]:
    return fit_period(parse_period(text, start_month), frequency, start_month, survey_year)


# --- ISO weeks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "number", "monday", "sunday"),
    [
        (2024, 5, date(2024, 1, 29), date(2024, 2, 4)),
        (2024, 1, date(2024, 1, 1), date(2024, 1, 7)),
        (2019, 1, date(2018, 12, 31), date(2019, 1, 6)),  # week 1 holds the year's first Thursday
        (2020, 53, date(2020, 12, 28), date(2021, 1, 3)),  # into the next calendar year
        (2026, 53, date(2026, 12, 28), date(2027, 1, 3)),
        (2023, 52, date(2023, 12, 25), date(2023, 12, 31)),
    ],
)
def test_an_iso_week_runs_monday_to_sunday(year: int, number: int, monday: date, sunday: date) -> None:
    period = week(year, number)
    assert (period.first_day, period.end) == (monday, sunday)
    assert period.key == f"{year}-W{number:02d}"
    assert period.weeks == 1 and period.months == 0


@pytest.mark.parametrize(("year", "weeks"), [(2015, 53), (2019, 52), (2020, 53), (2023, 52), (2024, 52), (2026, 53)])
def test_years_have_52_or_53_iso_weeks(year: int, weeks: int) -> None:
    assert weeks_in(year) == weeks


def test_week_shifts_cross_year_ends_and_week_53() -> None:
    assert week(2020, 52).shift(1) == week(2020, 53)
    assert week(2020, 53).shift(1) == week(2021, 1)
    assert week(2024, 1).shift(-1) == week(2023, 52)
    assert week(2024, 5).shift(-12) == week(2023, 45)
    assert step(week(2024, 5), "weekly", 2) == week(2024, 7)
    assert week(2024, 5) < week(2024, 6) and week(2023, 52) < week(2024, 1)


def test_the_same_week_a_year_before_has_the_same_week_number() -> None:
    assert week(2024, 5).year_earlier() == week(2023, 5)  # w/c 30 Jan 2023
    assert week(2021, 5).year_earlier() == week(2020, 5)  # 53 weeks earlier: 2020 has 53 weeks
    assert week(2021, 5).year_earlier().first_day == date(2020, 1, 27)
    assert week(2020, 53).year_earlier() == week(2019, 52)  # 2019 has no week 53
    assert week(2021, 1).year_earlier().first_day == date(2019, 12, 30)


@pytest.mark.parametrize(
    ("monday", "year"),
    [
        (date(2023, 3, 27), FinancialYear(2022)),  # Thursday 30 March: although Saturday is 1 April
        (date(2023, 4, 3), FinancialYear(2023)),
        (date(2021, 3, 29), FinancialYear(2021)),  # Thursday 1 April: although Monday is in March
        (date(2024, 3, 25), FinancialYear(2023)),
        (date(2024, 4, 1), FinancialYear(2024)),
    ],
)
def test_a_week_belongs_to_the_financial_year_holding_its_thursday(monday: date, year: FinancialYear) -> None:
    period = week_of(monday)
    assert financial_year_of_period(period) == year
    assert year.contains(period) and not year.previous().contains(period)


def test_a_week_belongs_to_the_calendar_year_of_its_iso_number_when_years_start_in_january() -> None:
    assert financial_year_of_period(week(2020, 53), 1) == FinancialYear(2020, 1)
    assert financial_year_of_period(week(2019, 1), 1) == FinancialYear(2019, 1)  # Monday 31 Dec 2018


@pytest.mark.parametrize(("first_year", "weeks"), [(2023, 52), (2021, 53), (2022, 52)])
def test_a_financial_year_has_52_or_53_weeks(first_year: int, weeks: int) -> None:
    year = FinancialYear(first_year)
    first = week_of(year.period.first_day)
    held = [first.shift(n) for n in range(-1, 55) if year.contains(first.shift(n))]
    assert len(held) == weeks
    assert held == [held[0].shift(n) for n in range(weeks)]  # one run, no gaps


@pytest.mark.parametrize(
    ("as_at", "expected"),
    [
        (date(2024, 2, 4), week(2024, 5)),  # a Sunday: its own week has ended
        (date(2024, 2, 3), week(2024, 4)),
        (date(2024, 2, 5), week(2024, 5)),
        (date(2021, 1, 3), week(2020, 53)),
    ],
)
def test_the_latest_week_ended(as_at: date, expected: Period) -> None:
    assert latest_ended("weekly", as_at) == expected


def test_lag_due_dates_for_weeks() -> None:
    assert Lag().due(week(2024, 5)) == date(2024, 2, 4)
    assert Lag(days=7).due(week(2024, 5)) == date(2024, 2, 11)
    assert Lag(months=1).due(week(2024, 5)) == date(2024, 3, 4)  # the same day a month later
    assert Lag(months=1).due(week(2022, 4)) == date(2022, 2, 28)  # ends 30 Jan; February is shorter
    assert Lag(months=1).due(week(2024, 13)) == date(2024, 4, 30)  # ends 31 Mar, a month end: the month end
    assert latest_due("weekly", date(2024, 2, 11), lag=Lag(days=7)) == week(2024, 5)
    assert latest_due("weekly", date(2024, 2, 10), lag=Lag(days=7)) == week(2024, 4)


def test_a_span_of_weeks_is_named_by_its_days() -> None:
    assert period_label(span(week(2017, 45), week(2018, 5))) == "6 Nov 2017–4 Feb 2018"
    assert period_label(span(week(2024, 1), week(2024, 13))) == "1 Jan–31 Mar 2024"
    assert period_label(span(week(2024, 10), week(2024, 12))) == "4–24 Mar 2024"
    assert span(week(2024, 1), week(2024, 13)).weeks == 13


# --- reading weeks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2024-W05", "2024-w05", "2024 W5", "2024W05", "2024-W5", "w/c 29 Jan 2024", "W/C 29 January 2024",
     "2024-01-29", "2024-01-31", "2024-02-04", "31/01/2024", "4/2/2024"],
)  # fmt: skip
def test_every_week_form_names_the_week(text: str) -> None:
    assert fit(text, "weekly") == (week(2024, 5), False)


def test_a_date_names_the_week_holding_it_across_a_year_end() -> None:
    assert fit("2021-01-01", "weekly") == (week(2020, 53), False)
    assert fit("31/12/2018", "weekly") == (week(2019, 1), False)


def test_a_financial_year_row_of_a_weekly_measure_is_its_outturn() -> None:
    assert fit("2022/23", "weekly") == (year_period(2022), True)


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("2023-W53", "weekly", "'2023-W53' has no week 53: 2023 has 52 ISO weeks"),
        ("2024-W00", "weekly", "'2024-W00' has no week 0"),
        ("0000-W01", "weekly", "'0000-W01' has no year 0"),
        ("9999-12-31", "weekly", "is outside the years the tool reads, 1800 to 2999"),
        ("w/c 31 Jan 2024", "weekly", r"31 Jan 2024 is a Wednesday; a week commences on a Monday \(w/c 29 Jan 2024\)"),
        ("w/c 30 Feb 2024", "weekly", "has no day 30: Feb 2024 has 29 days"),
        ("w/c 29 Jan 24", "weekly", "is not a period"),
        ("2024-W5a", "weekly", "is not a period"),
        ("2024-01", "weekly", "a month does not fit a weekly measure: name a week as 2024-W05"),
        ("Jan 2024", "weekly", "a month does not fit a weekly measure"),
        ("Jan–Mar 2024", "weekly", "a quarter does not fit a weekly measure"),
        ("2023/24 Q4", "weekly", "a quarter does not fit a weekly measure"),
        ("2024-W05", "monthly", "^a week does not fit a monthly measure$"),
        ("w/c 29 Jan 2024", "annual", "^a week does not fit an annual measure$"),
        ("2024-W05", "biennial", "^a week does not fit a biennial measure$"),
    ],
)
def test_what_a_weekly_measure_refuses(text: str, frequency: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        fit(text, frequency, 2023)


def test_week_labels_in_both_styles() -> None:
    for style in ("natural", "first-month"):
        assert period_label(week(2024, 5), style) == "w/c 29 Jan 2024"  # type: ignore[arg-type]
        assert period_label(week(2020, 53), style) == "w/c 28 Dec 2020"  # type: ignore[arg-type]
    assert period_text(week(2024, 5), "weekly") == period_text(week(2024, 5), "weekly", 1) == "2024-W05"


weeks = st.integers(date(1901, 1, 7).toordinal() // 7, date(2199, 12, 1).toordinal() // 7).map(
    lambda index: Period(index, 0, 1)
)


@given(weeks, st.sampled_from(["natural", "first-month"]), st.integers(1, 12))
def test_every_week_label_and_key_read_back_as_that_week(period: Period, style: LabelStyle, start_month: int) -> None:
    for text in (period_label(period, style, start_month), period.key, period_text(period, "weekly", start_month)):
        assert fit_period(parse_period(text, start_month), "weekly", start_month) == (period, False), text


@given(st.dates(date(1901, 1, 1), date(2199, 12, 31)))
def test_every_day_maps_to_the_week_holding_it(day: date) -> None:
    for text in (day.isoformat(), day.strftime("%d/%m/%Y")):
        period, outturn = fit_period(parse_period(text), "weekly")
        assert not outturn
        assert period.first_day <= day <= period.end == period.first_day + timedelta(days=6)
        assert WEEKDAY_NAMES[period.first_day.weekday()] == "Mon"
        assert (period.key, period.first_day.isocalendar().week) == (
            f"{day.isocalendar().year}-W{day.isocalendar().week:02d}",
            day.isocalendar().week,
        )


@given(weeks)
def test_every_week_is_in_exactly_one_financial_year(period: Period) -> None:
    year = financial_year_of_period(period)
    assert year.contains(period)
    assert not year.previous().contains(period) and not FinancialYear(year.first_year + 1).contains(period)
    assert year.period.first_day <= period.first_day + timedelta(days=3) <= year.period.end


# --- biennial periods -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2023/24", "2023/2024", "2023-04", "Apr 2023", "Apr 2023–Mar 2024", "2024-01-31"])
def test_a_biennial_result_is_named_by_its_financial_year(text: str) -> None:
    assert fit(text, "biennial", 2021) == (year_period(2023), False)  # never an outturn row


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022/23", "2022/23 is not a survey year of this biennial measure: its results are for every second year "
         r"\(…, 2021/22, 2023/24, 2025/26, …\), in step with its survey_year 2023/24"),
        ("2022-06-30", "2022/23 is not a survey year"),
        ("2023-05", "a biennial measure's period starts in Apr, the first month of the year, not May"),
        ("2023/24 Q1", "a quarter does not fit a biennial measure"),
        ("2017-12", "a biennial measure's period starts in Apr"),
    ],
)  # fmt: skip
def test_a_biennial_result_out_of_step_is_refused(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        fit(text, "biennial", 2023)


def test_biennial_labels_and_names_are_those_of_a_year() -> None:
    assert period_label(year_period(2023), "natural") == "2023/24"
    assert period_label(year_period(2023), "first-month") == "Apr 2023"
    assert period_text(year_period(2023), "biennial") == "2023/24"
    assert period_label(span(year_period(2015), year_period(2023))) == "2015/16–2023/24"


@given(st.integers(1901, 2199), st.sampled_from(["natural", "first-month"]), st.integers(1, 12))
def test_every_biennial_label_reads_back(first_year: int, style: LabelStyle, start_month: int) -> None:
    period = FinancialYear(first_year, start_month).period
    for text in (period_label(period, style, start_month), period_text(period, "biennial", start_month)):
        assert fit_period(parse_period(text, start_month), "biennial", start_month, first_year - 4) == (period, False)


def test_biennial_steps_are_two_years() -> None:
    assert step(year_period(2023), "biennial") == year_period(2025)
    assert step(year_period(2023), "biennial", -2) == year_period(2019)
    assert step(year_period(2023), "annual") == year_period(2024)


@pytest.mark.parametrize(
    ("as_at", "survey_year", "lag", "expected"),
    [
        (date(2024, 3, 31), 2023, Lag(), 2023),
        (date(2024, 3, 30), 2023, Lag(), 2021),  # 2022/23 has ended, but it is not a survey year
        (date(2024, 3, 31), 2022, Lag(), 2022),
        (date(2024, 6, 29), 2023, Lag(months=3), 2021),  # 2023/24 is due on 30 Jun 2024
        (date(2024, 6, 30), 2023, Lag(months=3), 2023),
        (date(2025, 6, 30), 2023, Lag(months=3), 2023),
    ],
)
def test_the_latest_survey_year_due(as_at: date, survey_year: int, lag: Lag, expected: int) -> None:
    assert latest_due("biennial", as_at, lag=lag, survey_year=survey_year) == year_period(expected)


# --- figures ----------------------------------------------------------------------------------


def make_measure(**fields: Any) -> Measure:
    base: dict[str, Any] = {"id": "m", "title": "M", "unit": "number", "polarity": "higher", "frequency": "weekly"}
    return Measure.model_validate(base | fields)


def biennial(**fields: Any) -> Measure:
    return make_measure(frequency="biennial", survey_year="2023/24", **fields)


def row(
    measure: Measure, period: str, value: float | None = None, numerator: str = "", denominator: str = ""
) -> Result:
    """A result as a result file gives it (the value from numerator and denominator when blank)."""
    fitted, outturn = fit_period(parse_period(period), measure.frequency, 4, measure.survey_year_start)
    num, den = (float(numerator) if numerator else None), (float(denominator) if denominator else None)
    if value is None:
        assert num is not None and den is not None
        value = ratio(num, den, measure.factor)
    return Result(measure.id, fitted, outturn, float(value), num, den, numerator, denominator, "", "", Path("t.csv"), 2)


def test_a_weekly_measure_against_the_week_before() -> None:
    measure = make_measure()
    result = compute_measure(measure, [row(measure, "2024-W04", 50), row(measure, "2024-W05", 55)], date(2024, 2, 4))
    assert (result.period, result.value, result.comparator_period, result.comparator_value) == (
        week(2024, 5), 55, week(2024, 4), 50
    )  # fmt: skip
    assert (result.travel, result.status, result.due_date) == ("better", "up-to-date", date(2024, 2, 11))


def test_same_period_last_year_is_the_same_iso_week_number() -> None:
    measure = make_measure(direction="same_period_last_year", polarity="lower")
    rows = [row(measure, "2020-W05", 30), row(measure, "2020-W06", 10), row(measure, "2021-W05", 20)]
    result = compute_measure(measure, rows, date(2021, 2, 7))  # Sunday of 2021-W05
    assert (result.comparator_period, result.comparator_value, result.travel) == (week(2020, 5), 30, "better")


def test_week_53_is_compared_with_week_52_a_year_before() -> None:
    measure = make_measure(direction="same_period_last_year")
    rows = [row(measure, "2019-W52", 20), row(measure, "2020-W53", 18)]
    result = compute_measure(measure, rows, date(2021, 1, 3))
    assert (result.period, result.comparator_period, result.comparator_value, result.travel) == (
        week(2020, 53), week(2019, 52), 20, "worse"
    )  # fmt: skip


def weekly_year_rows(measure: Measure) -> list[Result]:
    """Weeks around 2022/23: 2022-W13 (w/c 28 Mar 2022) is in 2021/22 and 2023-W14 (w/c 3 Apr 2023) in
    2023/24, by their Thursdays; 2022-W14, 2022-W40 and 2023-W13 (w/c 27 Mar 2023) are 2022/23's."""
    return [
        row(measure, "2022-W13", None, "4", "4"),
        row(measure, "2022-W14", None, "1", "2"),  # 50
        row(measure, "2022-W40", None, "2", "4"),  # 50
        row(measure, "2023-W13", None, "3", "4"),  # 75
        row(measure, "2023-W14", None, "0", "4"),
    ]


@pytest.mark.parametrize(("rule", "expected"), [("latest", 75), ("sum", 175), ("mean", 175 / 3), ("ratio", 60)])
def test_weekly_outturn_rules_take_the_weeks_of_the_year(rule: str, expected: float) -> None:
    measure = make_measure(unit="percentage", outturn=rule)
    assert year_outturn(measure, weekly_year_rows(measure), FinancialYear(2022)) == pytest.approx(expected)


def test_an_explicit_year_row_of_a_weekly_measure_wins() -> None:
    measure = make_measure(unit="percentage", outturn="sum")
    rows = [*weekly_year_rows(measure), row(measure, "2022/23", 42)]
    assert year_outturn(measure, rows, FinancialYear(2022)) == 42


def test_weekly_previous_year_direction_and_column_use_the_financial_years_of_the_weeks() -> None:
    measure = make_measure(unit="percentage", outturn="ratio", direction="previous_year")
    rows = [*weekly_year_rows(measure), row(measure, "2024-W05", 70)]
    result = compute_measure(measure, rows, date(2024, 2, 4))
    assert (result.comparator_period, result.comparator_value, result.travel) == (year_period(2022), 60, "better")
    assert result.previous_year_value == 60  # the as-at year 2023/24's previous year


def test_a_weekly_target_is_that_of_the_year_holding_the_weeks_thursday() -> None:
    measure = make_measure(targets={"2022/23": 10, "2023/24": 20})
    as_at = date(2023, 4, 2)  # the Sunday of 2023-W13, w/c 27 Mar 2023: in 2022/23
    assert compute_measure(measure, [row(measure, "2023-W13", 15)], as_at).target == 10
    as_at = date(2023, 4, 9)
    assert compute_measure(measure, [row(measure, "2023-W14", 15)], as_at).target == 20


def test_weekly_status_and_due_dates() -> None:
    measure = make_measure()
    rows = [row(measure, "2024-W04", 50)]
    saturday = compute_measure(measure, rows, date(2024, 2, 3))
    assert (saturday.status, saturday.due_date, saturday.overdue_period) == ("up-to-date", date(2024, 2, 4), None)
    sunday = compute_measure(measure, rows, date(2024, 2, 4))
    assert (sunday.status, sunday.due_date, sunday.overdue_period) == ("overdue", date(2024, 2, 4), week(2024, 5))
    lagged = compute_measure(measure, rows, date(2024, 2, 4), lag=Lag(days=7))
    assert (lagged.status, lagged.due_date, lagged.overdue_period) == ("up-to-date", date(2024, 2, 11), None)
    assert compute_measure(measure, [], date(2024, 2, 4)).status == "no-data"


def test_a_weekly_trend_is_the_last_13_weeks() -> None:
    measure = make_measure()
    rows = [row(measure, week(2023, 40).shift(n).key, n) for n in range(19)]  # 2023-W40 to 2024-W06
    points = trend("weekly", rows, week(2024, 5), date(2024, 2, 4))
    assert [p.period for p in points] == [week(2023, 45).shift(n) for n in range(13)]
    assert (points[0].period.key, points[-1].period.key, points[-1].value) == ("2023-W45", "2024-W05", 17)


def survey_rows(measure: Measure) -> list[Result]:
    values = {"2013/14": 28, "2015/16": 30, "2017/18": 32, "2019/20": 34, "2021/22": 33, "2023/24": 36}
    return [row(measure, year, value) for year, value in values.items()]


@pytest.mark.parametrize("direction", ["previous_period", "same_period_last_year", "previous_year"])
def test_a_biennial_measure_is_compared_with_the_result_two_years_before(direction: str) -> None:
    measure = biennial(direction=direction, targets={"2023/24": 35})
    result = compute_measure(measure, survey_rows(measure), date(2024, 3, 31))
    assert (result.period, result.value, result.target, result.rag) == (year_period(2023), 36, 35, "green")
    assert (result.comparator_period, result.comparator_value, result.travel) == (year_period(2021), 33, "better")
    assert result.previous_year_value is None  # 2022/23 was not a survey year


def test_a_biennial_trend_is_the_last_five_results() -> None:
    measure = biennial()
    result = compute_measure(measure, survey_rows(measure), date(2024, 3, 31))
    assert [(p.period.year, p.value) for p in result.trend] == [
        (2015, 30), (2017, 32), (2019, 34), (2021, 33), (2023, 36)
    ]  # fmt: skip


def test_biennial_status_and_due_dates() -> None:
    measure = biennial()
    rows = survey_rows(measure)[:-1]  # up to 2021/22
    before = compute_measure(measure, rows, date(2024, 3, 30))
    assert (before.status, before.due_date, before.overdue_period) == ("up-to-date", date(2024, 3, 31), None)
    after = compute_measure(measure, rows, date(2024, 3, 31))
    assert (after.status, after.due_date, after.overdue_period) == ("overdue", date(2024, 3, 31), year_period(2023))
    current = compute_measure(measure, survey_rows(measure), date(2024, 3, 31))
    assert (current.status, current.due_date) == ("up-to-date", date(2026, 3, 31))  # 2025/26 next


def test_a_biennial_lag_counts_from_the_end_of_the_survey_year() -> None:
    measure = biennial(lag="3 months")
    rows = survey_rows(measure)[:-1]
    early = compute_measure(measure, rows, date(2024, 6, 29), lag=Lag(months=3))
    assert (early.status, early.due_date) == ("up-to-date", date(2024, 6, 30))
    late = compute_measure(measure, rows, date(2024, 6, 30), lag=Lag(months=3))
    assert (late.status, late.overdue_period) == ("overdue", year_period(2023))


# --- the catalogue, warnings and the changes' previous report date ------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"frequency": "biennial"}, "a biennial measure needs `survey_year`"),
        ({"frequency": "weekly", "survey_year": "2023/24"}, "`survey_year` is only for biennial measures"),
        ({"frequency": "biennial", "survey_year": "2023"}, "survey_year '2023' is not a financial year like 2023/24"),
        ({"frequency": "biennial", "survey_year": 2023}, "survey_year '2023' is not a financial year like 2023/24"),
    ],
)
def test_survey_year_is_required_for_biennial_measures_only(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_measure(**fields)


def test_a_weekly_measure_may_start_a_new_spc_phase_at_a_week() -> None:
    assert make_measure(spc_rebase=["2024-W05"]).spc_rebase == ["2024-W05"]


def test_weekly_warnings() -> None:
    measure = make_measure(unit="percentage", targets={"2022/23": 80})
    rows = [row(measure, week(2023, 50).shift(n).key, 85 + n % 2) for n in range(9)]
    spike = row(measure, "2024-W07", 8.5)
    found = outliers(measure, [*rows, spike])
    # 85, 86, 85, …: mean 769 / 9 = 85.44, every moving range 1, so the limits are 85.44 ± 2.66
    assert [p.message for p in found] == [
        "9 is far outside this measure's usual range (82.8 to 88.1, the process limits of its 9 earlier results): "
        "check the figure, or if the service changed, add `spc_rebase: [2024-W07]` to the measure"
    ]
    assert not outliers(make_measure(unit="percentage", spc_rebase=["2024-W07"]), [*rows, spike])
    assert [p.message for p in fractions(measure, [*rows, row(measure, "2024-W08", 0.86)])] == [
        "0.86 looks like a fraction; did you mean 86?"
    ]
    later = not_ended([row(measure, "2024-W14", 85)], date(2024, 3, 31))
    assert [p.message for p in later] == [
        "w/c 1 Apr 2024 ends after the report date 31.03.24: this result is not shown"
    ]
    catalogue = Catalogue.model_validate(
        {"organisation": "T", "reports": [{"id": "r", "title": "R", "measures": ["m"]}], "measures": [measure]}
    )
    found = missing_target(catalogue, catalogue.measures[0], rows, date(2024, 2, 18))
    assert [p.message.split(": ", 1)[1] for p in found] == [
        "no target for 2023/24 (targets are set for 2022/23 only): the measure shows no RAG"
    ]


def frequency_catalogue(*frequencies: str) -> Catalogue:
    measures = [
        {"id": f"m{i}", "title": "M", "unit": "number", "polarity": "higher", "frequency": frequency}
        | ({"survey_year": "2023/24"} if frequency == "biennial" else {})
        for i, frequency in enumerate(frequencies)
    ]
    report = {"id": "r", "title": "R", "measures": [m["id"] for m in measures]}
    return Catalogue.model_validate({"organisation": "T", "reports": [report], "measures": measures})


@pytest.mark.parametrize(
    ("frequencies", "main"),
    [
        (("weekly", "weekly", "monthly"), "weekly"),
        (("weekly", "monthly"), "weekly"),  # a tie: the shorter period
        (("monthly", "quarterly", "weekly", "monthly"), "monthly"),
        (("biennial", "annual"), "annual"),
        (("biennial", "biennial", "annual"), "biennial"),
    ],
)
def test_the_main_frequency_of_a_report(frequencies: tuple[str, ...], main: str) -> None:
    catalogue = frequency_catalogue(*frequencies)
    assert main_frequency(catalogue, catalogue.reports[0]) == main


@pytest.mark.parametrize(
    ("frequency", "as_at", "previous"),
    [
        ("weekly", date(2024, 1, 31), date(2024, 1, 21)),  # latest week ended 28 Jan: the week before it
        ("weekly", date(2024, 2, 4), date(2024, 1, 28)),
        ("biennial", date(2024, 3, 31), date(2022, 3, 31)),  # two years before 2023/24's end
        ("biennial", date(2017, 12, 31), date(2015, 3, 31)),
    ],
)
def test_a_mostly_weekly_or_biennial_report_compares_with_the_period_before(
    frequency: str, as_at: date, previous: date
) -> None:
    catalogue = frequency_catalogue(frequency)
    assert previous_report_date(catalogue, catalogue.reports[0], as_at) == previous


def test_monthly_periods_are_unchanged_by_weeks() -> None:
    december = Period(month_index(2017, 12), 1)
    assert (december.weeks, december.first_day, december.key) == (0, date(2017, 12, 1), "2017-12")
    assert span(december.shift(-8), december) == Period(month_index(2017, 4), 9)
