"""The calculator: rounding, display, RAG, targets, direction, outturns, status, trend, underlying data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import build, copy_project

from ncc_scorecard.calculator import (
    compare,
    compute_measure,
    current_result,
    display,
    rag,
    rounded,
    target_display,
    year_outturn,
)
from ncc_scorecard.catalogue import Catalogue, Measure
from ncc_scorecard.numbers import ratio
from ncc_scorecard.periods import FinancialYear, Period, fit_period, month_index, parse_period
from ncc_scorecard.results import Result, to_results
from ncc_scorecard.rows import RawRow

AS_AT = date(2017, 12, 31)


def month(year: int, number: int, months: int = 1) -> Period:
    return Period(month_index(year, number), months)


def make_measure(**fields: Any) -> Measure:
    base: dict[str, Any] = {
        "id": "m",
        "title": "M",
        "unit": "percentage",
        "polarity": "higher",
        "frequency": "monthly",
    }
    return Measure.model_validate(base | fields)


def row(
    measure: Measure,
    period: str,
    value: float | None = None,
    numerator: str = "",
    denominator: str = "",
    comment: str = "",
) -> Result:
    """A result as the result files would give it (value computed from numerator/denominator if blank)."""
    fitted, outturn = fit_period(parse_period(period), measure.frequency)
    num = float(numerator.replace(",", "")) if numerator else None
    den = float(denominator.replace(",", "")) if denominator else None
    if value is None:
        assert num is not None and den is not None
        value = ratio(num, den, measure.factor)
    return Result(
        measure.id, fitted, outturn, float(value), num, den, numerator, denominator, comment, "", Path("t.csv"), 2
    )


def compute(measure: Measure, rows: list[Result], as_at: date = AS_AT):  # type: ignore[no-untyped-def]
    return compute_measure(measure, rows, as_at)


# --- rounding and display ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (3.5, 0, "4"),
        (0.125, 2, "0.13"),
        (-0.125, 2, "-0.13"),
        (97.297, 1, "97.3"),
        (97.25, 1, "97.3"),
        (2.675, 2, "2.68"),
        (24.135876, 0, "24"),
        (22, 0, "22"),
    ],
)
def test_rounding_is_half_away_from_zero(value: float, decimals: int, expected: str) -> None:
    assert rounded(value, decimals) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1588, 0, "1,588"),
        (999, 0, "999"),
        (1000, 0, "1,000"),
        (999.5, 0, "1,000"),
        (1234567.891, 2, "1,234,567.89"),
        (-1500, 0, "-1,500"),
        (97.297, 1, "97.3"),
        (85.0, 1, "85.0"),
        (2.5, 0, "3"),
        (-0.4, 0, "0"),
        (0.0, 2, "0.00"),
    ],
)
def test_display(value: float, decimals: int, expected: str) -> None:
    assert display(value, decimals) == expected


def test_display_of_nothing_is_none() -> None:
    assert display(None, 1) is None
    assert target_display(None, 1) is None


@pytest.mark.parametrize(
    ("target", "decimals", "expected"),
    [(96, 1, "96"), (22, 0, "22"), (1351, 0, "1,351"), (22.5, 1, "22.5"), (91.25, 1, "91.3"), (96.0, 1, "96")],
)
def test_target_display_as_set_but_never_finer_than_the_measure(target: float, decimals: int, expected: str) -> None:
    assert target_display(target, decimals) == expected


# --- RAG -----------------------------------------------------------------------------------

# target 90, polarity higher, tolerance "5%" (4.5): 85.5 is exactly on the tolerance
HIGHER = [(95, "green"), (90, "green"), (89.9, "amber"), (85.5, "amber"), (85.4, "red"), (0, "red")]
# target 20, polarity lower, tolerance 2 (absolute): 22 is exactly on the tolerance
LOWER = [(10, "green"), (20, "green"), (20.1, "amber"), (22, "amber"), (22.1, "red")]


@pytest.mark.parametrize(("value", "expected"), HIGHER)
def test_rag_higher_is_better_with_a_percentage_tolerance(value: float, expected: str) -> None:
    measure = make_measure(decimals=1, targets={"2017/18": 90}, tolerance="5%")
    assert compute(measure, [row(measure, "2017-12", value)]).rag == expected


@pytest.mark.parametrize(("value", "expected"), LOWER)
def test_rag_lower_is_better_with_an_absolute_tolerance(value: float, expected: str) -> None:
    measure = make_measure(unit="number", polarity="lower", decimals=1, targets=20, tolerance=2)
    assert compute(measure, [row(measure, "2017-12", value)]).rag == expected


@pytest.mark.parametrize("tolerance", [0, "0%"])
def test_rag_without_tolerance_has_no_amber(tolerance: object) -> None:
    measure = make_measure(decimals=1, targets=90, tolerance=tolerance)
    assert compute(measure, [row(measure, "2017-12", 90)]).rag == "green"
    assert compute(measure, [row(measure, "2017-12", 89.9)]).rag == "red"
    lower = make_measure(polarity="lower", decimals=1, targets=90)  # tolerance defaults to 0
    assert compute(lower, [row(lower, "2017-12", 90.1)]).rag == "red"


def test_rag_pure_function_at_its_boundaries() -> None:
    tolerance = Decimal("4.5")
    assert rag(Decimal("90"), Decimal("90"), "higher", tolerance) == "green"
    assert rag(Decimal("85.5"), Decimal("90"), "higher", tolerance) == "amber"
    assert rag(Decimal("85.4"), Decimal("90"), "higher", tolerance) == "red"
    assert rag(Decimal("94.5"), Decimal("90"), "lower", tolerance) == "amber"
    assert rag(Decimal("94.6"), Decimal("90"), "lower", tolerance) == "red"
    assert rag(None, Decimal("90"), "higher", tolerance) is None
    assert rag(Decimal("90"), None, "higher", tolerance) is None


def test_rag_is_none_without_a_target_or_a_value() -> None:
    no_target = make_measure()
    assert compute(no_target, [row(no_target, "2017-12", 50)]).rag is None
    other_year_only = make_measure(targets={"2018/19": 90})
    assert compute(other_year_only, [row(other_year_only, "2017-12", 50)]).rag is None
    no_value = make_measure(targets=90)
    computed = compute(no_value, [])
    assert (computed.rag, computed.value, computed.display, computed.status) == (None, None, None, "no-data")


def test_rag_compares_the_rounded_value() -> None:
    measure = make_measure(decimals=1, targets=96)
    computed = compute(measure, [row(measure, "2017-12", 95.96)])
    assert (computed.display, computed.rag) == ("96.0", "green")
    assert compute(measure, [row(measure, "2017-12", 95.94)]).rag == "red"
    lower = make_measure(unit="number", polarity="lower", targets=22)
    computed = compute(lower, [row(lower, "2017-12", 22.4)])
    assert (computed.display, computed.rag) == ("22", "green")
    assert compute(lower, [row(lower, "2017-12", 22.5)]).rag == "red"  # shown as 23


def test_a_percentage_tolerance_is_a_share_of_the_target() -> None:
    measure = make_measure(unit="number", decimals=0, targets=1000, tolerance="2.5%")  # 25
    assert compute(measure, [row(measure, "2017-12", 975)]).rag == "amber"
    assert compute(measure, [row(measure, "2017-12", 974)]).rag == "red"


# --- targets ---------------------------------------------------------------------------------


def test_target_is_the_one_of_the_year_holding_the_current_result() -> None:
    measure = make_measure(targets={"2017/18": 90, "2018/19": 95})
    march = [row(measure, "2018-03", 92)]
    computed = compute(measure, march, date(2018, 4, 15))
    assert (computed.period.key, computed.target, computed.rag) == ("2018-03", 90, "green")
    april = [*march, row(measure, "2018-04", 92)]
    computed = compute(measure, april, date(2018, 4, 30))
    assert (computed.period.key, computed.target, computed.rag) == ("2018-04", 95, "red")


def test_a_bare_target_applies_every_year() -> None:
    measure = make_measure(targets=80)
    for period in ("2015-06", "2017-12", "2024-01"):
        assert compute(measure, [row(measure, period, 81)], date(2024, 12, 31)).target == 80


def test_an_annual_measure_uses_the_target_of_its_own_year() -> None:
    measure = make_measure(frequency="annual", targets={"2016/17": 70, "2017/18": 75})
    computed = compute(measure, [row(measure, "2016/17", 72)])
    assert (computed.period.key, computed.target, computed.target_display, computed.rag) == (
        "2016-04",
        70,
        "70",
        "green",
    )


def test_target_display_of_a_computed_row() -> None:
    measure = make_measure(unit="number", targets={"2017/18": 1351})
    computed = compute(measure, [row(measure, "2017-12", 1588)])
    assert (computed.display, computed.target_display) == ("1,588", "1,351")


# --- direction of travel ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "previous", "current", "expected"),
    [
        ("higher", 80, 82, "better"),
        ("higher", 82, 80, "worse"),
        ("lower", 80, 82, "worse"),
        ("lower", 82, 80, "better"),
        ("higher", 81, 81, "same"),
        ("lower", 81.96, 82.04, "same"),  # both shown as 82
    ],
)
def test_direction_against_the_previous_period(polarity: str, previous: float, current: float, expected: str) -> None:
    measure = make_measure(polarity=polarity)
    computed = compute(measure, [row(measure, "2017-11", previous), row(measure, "2017-12", current)])
    assert computed.travel == expected
    assert computed.comparator_period == month(2017, 11)


def test_direction_against_the_same_period_last_year() -> None:
    measure = make_measure(direction="same_period_last_year")
    rows = [row(measure, "2016-12", 85), row(measure, "2017-11", 90), row(measure, "2017-12", 80)]
    computed = compute(measure, rows)
    assert (computed.travel, computed.comparator_value, computed.comparator_period) == ("worse", 85, month(2016, 12))


def test_direction_same_period_last_year_for_a_quarterly_measure() -> None:
    measure = make_measure(unit="number", frequency="quarterly", direction="same_period_last_year")
    rows = [row(measure, "2016-10", 50), row(measure, "2017-07", 90), row(measure, "2017-10", 60)]
    computed = compute(measure, rows)
    assert (computed.travel, computed.comparator_period) == ("better", month(2016, 10, 3))


def test_direction_against_the_previous_year_outturn() -> None:
    measure = make_measure(polarity="lower", unit="number", direction="previous_year")
    rows = [row(measure, "2016/17", 22), row(measure, "2017-03", 30), row(measure, "2017-12", 24.1)]
    computed = compute(measure, rows)
    # the explicit 2016/17 row (22) wins over the derived one (March: 30)
    assert (computed.comparator_value, computed.travel) == (22, "worse")
    assert computed.comparator_period == FinancialYear(2016).period


def test_previous_year_direction_uses_the_year_before_the_current_results_year() -> None:
    measure = make_measure(direction="previous_year")
    # as at mid-April 2018 the current result is March 2018 (2017/18), so the comparator is 2016/17
    rows = [row(measure, "2016/17", 70), row(measure, "2017/18", 90), row(measure, "2018-03", 80)]
    computed = compute(measure, rows, date(2018, 4, 15))
    assert (computed.comparator_period, computed.travel) == (FinancialYear(2016).period, "better")


def test_no_direction_without_a_comparator() -> None:
    for direction in ("previous_period", "same_period_last_year", "previous_year"):
        measure = make_measure(direction=direction)
        computed = compute(measure, [row(measure, "2017-12", 80)])
        assert computed.travel is None, direction
    assert compare(None, Decimal(1), "higher") is None
    assert compare(Decimal(1), None, "lower") is None


def test_annual_direction_compares_with_the_year_before() -> None:
    measure = make_measure(frequency="annual")
    computed = compute(measure, [row(measure, "2015/16", 68), row(measure, "2016/17", 72)])
    assert (computed.travel, computed.comparator_period) == ("better", FinancialYear(2015).period)


# --- outturns ----------------------------------------------------------------------------------

YEAR = FinancialYear(2016)


def year_rows(measure: Measure) -> list[Result]:
    # deliberately out of order; March 2017 is the last period of 2016/17
    return [
        row(measure, "2017-03", None, "3", "20"),
        row(measure, "2016-04", None, "1", "10"),
        row(measure, "2016-06", None, "2", "10"),
        row(measure, "2017-04", 99),  # the next year: never counted
        row(measure, "2016-03", 99),  # the year before: never counted
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("latest", 15.0), ("sum", 45.0), ("mean", 15.0), ("ratio", 6 / 40 * 100)],
)
def test_outturn_rules(rule: str, expected: float) -> None:
    # values: Apr 10%, Jun 20%, Mar 15%
    measure = make_measure(outturn=rule)
    assert year_outturn(measure, year_rows(measure), YEAR) == pytest.approx(expected)


def test_outturn_latest_is_the_last_period_not_the_last_row() -> None:
    measure = make_measure(outturn="latest")
    rows = [row(measure, "2017-03", 30), row(measure, "2016-04", 10)]
    assert year_outturn(measure, rows, YEAR) == 30


def test_an_explicit_year_row_wins_over_every_rule() -> None:
    for rule in ("latest", "sum", "mean", "ratio"):
        measure = make_measure(outturn=rule)
        assert year_outturn(measure, [*year_rows(measure), row(measure, "2016/17", 12.5)], YEAR) == 12.5


def test_outturn_without_periods_is_none() -> None:
    measure = make_measure(outturn="ratio")
    assert year_outturn(measure, [], YEAR) is None
    assert year_outturn(measure, [row(measure, "2016-05", 50)], YEAR) is None  # ratio needs numerators


def test_previous_year_value_is_the_year_before_the_as_at_year() -> None:
    measure = make_measure(unit="number", frequency="quarterly", outturn="sum", decimals=0)
    rows = [row(measure, p, v) for p, v in [("2016-04", 0), ("2016-07", 12), ("2016-10", 20), ("2017-01", 36)]]
    rows.append(row(measure, "2017-10", 100))
    computed = compute(measure, rows)
    assert (computed.previous_year_value, computed.previous_year_display) == (68, "68")


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "period", "as_at", "expected"),
    [
        ("monthly", "2017-12", date(2017, 12, 31), "up-to-date"),
        ("monthly", "2017-11", date(2017, 12, 31), "overdue"),
        ("monthly", "2017-11", date(2017, 12, 30), "up-to-date"),
        ("quarterly", "2017-10", date(2017, 12, 31), "up-to-date"),
        ("quarterly", "2017-07", date(2017, 12, 31), "overdue"),
        ("quarterly", "2017-07", date(2017, 12, 30), "up-to-date"),
        ("annual", "2016/17", date(2017, 12, 31), "up-to-date"),
        ("annual", "2015/16", date(2017, 12, 31), "overdue"),
        ("annual", "2016/17", date(2018, 3, 31), "overdue"),
        ("annual", "2017/18", date(2018, 3, 31), "up-to-date"),
    ],
)
def test_status(frequency: str, period: str, as_at: date, expected: str) -> None:
    measure = make_measure(frequency=frequency)
    assert compute(measure, [row(measure, period, 50)], as_at).status == expected


@pytest.mark.parametrize("frequency", ["monthly", "quarterly", "annual"])
def test_status_without_results_is_no_data(frequency: str) -> None:
    assert compute(make_measure(frequency=frequency), []).status == "no-data"


# --- the current result -----------------------------------------------------------------------


def test_current_result_ignores_periods_ending_after_the_as_at_date() -> None:
    measure = make_measure()
    rows = [row(measure, "2017-11", 80), row(measure, "2018-01", 99), row(measure, "2017-12", 81)]
    computed = compute(measure, rows)
    assert (computed.period.key, computed.value) == ("2017-12", 81)
    computed = compute(measure, rows, date(2017, 12, 30))  # December has not ended
    assert (computed.period.key, computed.value, computed.travel) == ("2017-11", 80, None)


def test_current_result_is_never_a_year_outturn_row() -> None:
    measure = make_measure()
    rows = [row(measure, "2016/17", 70), row(measure, "2017-02", 60)]
    current = current_result(rows, date(2017, 12, 31))
    assert current is not None and current.period.key == "2017-02"
    assert current_result([row(measure, "2016/17", 70)], date(2017, 12, 31)) is None


def test_a_quarter_is_current_only_once_it_has_ended() -> None:
    measure = make_measure(frequency="quarterly")
    rows = [row(measure, "2017-07", 1), row(measure, "2017-10", 2)]
    assert compute(measure, rows, date(2017, 12, 30)).period == month(2017, 7, 3)
    assert compute(measure, rows, date(2017, 12, 31)).period == month(2017, 10, 3)


def test_an_old_appendix_is_rebuilt_exactly_when_later_results_arrive(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(project, out=first, formats="json,csv").exit_code == 0
    (project / "data" / "later.csv").write_text(
        "measure,period,value\n"
        "timely-assessments,2018-02,10\n"
        "re-referral-rate,2017-12,99\n"  # arrives late: December 2017 has ended, so it is used
        "families-helped,2018-01,1\n"
        "satisfaction,2018/19,1\n",
        encoding="utf-8",
    )
    result = build(project, out=second, formats="json,csv")
    assert result.exit_code == 0, result.output
    before = json.loads((first / "overview.json").read_text(encoding="utf-8"))
    after = json.loads((second / "overview.json").read_text(encoding="utf-8"))
    changed = [m["id"] for m, n in zip(before["measures"], after["measures"], strict=True) if m != n]
    assert changed == ["re-referral-rate"]
    (project / "data" / "later.csv").write_text(
        "measure,period,value\ntimely-assessments,2018-02,10\nfamilies-helped,2018-01,1\nsatisfaction,2018/19,1\n",
        encoding="utf-8",
    )
    third = tmp_path / "third"
    assert build(project, out=third, formats="json,csv").exit_code == 0
    for name in ("overview.json", "overview.csv", "by-service.json", "by-service.csv"):
        assert (third / name).read_bytes() == (first / name).read_bytes(), name


# --- trend ----------------------------------------------------------------------------------


def test_monthly_trend_is_this_financial_year_up_to_the_current_result() -> None:
    measure = make_measure()
    months = ["2017-03", "2017-06", "2017-04", "2017-05", "2017-11", "2017-12", "2018-01"]
    rows = [row(measure, p, i) for i, p in enumerate(months)] + [row(measure, "2017/18", 1)]
    trend = compute(measure, rows).trend
    assert [point.period.key for point in trend] == ["2017-04", "2017-05", "2017-06", "2017-11", "2017-12"]
    assert [point.value for point in trend] == [2, 3, 1, 4, 5]


def test_quarterly_trend_is_the_last_eight_quarters() -> None:
    measure = make_measure(frequency="quarterly")
    starts = [f"{year}-{m:02d}" for year in (2015, 2016, 2017, 2018) for m in (1, 4, 7, 10)]
    trend = compute(measure, [row(measure, p, 1) for p in starts]).trend
    keys = [point.period.key for point in trend]
    assert len(keys) == 8
    assert (keys[0], keys[-1]) == ("2016-01", "2017-10")


def test_annual_trend_is_the_last_five_years() -> None:
    measure = make_measure(frequency="annual")
    rows = [row(measure, f"{year}/{(year + 1) % 100:02d}", year - 2000) for year in range(2009, 2019)]
    trend = compute(measure, rows).trend
    assert [point.period.key for point in trend] == [f"{year}-04" for year in range(2012, 2017)]


def test_no_trend_without_a_current_result() -> None:
    assert compute(make_measure(), []).trend == ()


# --- underlying data ------------------------------------------------------------------------


def test_underlying_sentence_uses_the_figures_as_written() -> None:
    measure = make_measure(unit="number", underlying="FTE of {denominator} social workers; caseload of {numerator}.")
    computed = compute(measure, [row(measure, "2017-12", None, "2025", "83.9")])
    assert computed.underlying == "FTE of 83.9 social workers; caseload of 2025."
    assert computed.display == "24"
    computed = compute(measure, [row(measure, "2017-12", None, "1,508", "60.0")])
    assert computed.underlying == "FTE of 60.0 social workers; caseload of 1,508."


def test_underlying_sentence_is_left_out_when_a_figure_it_names_is_blank() -> None:
    measure = make_measure(underlying="{numerator} of {denominator}.")
    assert compute(measure, [row(measure, "2017-12", 80)]).underlying is None
    plain = make_measure(underlying="A sentence without figures.")
    assert compute(plain, [row(plain, "2017-12", 80)]).underlying == "A sentence without figures."
    assert compute(make_measure(), [row(make_measure(), "2017-12", None, "1", "2")]).underlying is None


def test_value_from_numerator_and_denominator_uses_the_multiplier() -> None:
    percentage = make_measure()
    assert compute(percentage, [row(percentage, "2017-12", None, "173", "199")]).display == "87"
    rate = make_measure(unit="rate", per=10000, decimals=1)
    assert rate.factor == 10000 and rate.label == "Rate per 10,000"
    assert compute(rate, [row(rate, "2017-12", None, "28", "12100")]).display == "23.1"
    explicit = make_measure(unit="number", multiplier=12)
    assert explicit.factor == 12
    assert make_measure(unit="number").factor == 1


# --- exact halves ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"), [("57", "200", "29"), ("29", "200", "15"), ("7", "200", "4")]
)
def test_a_computed_half_is_rounded_away_from_zero(numerator: str, denominator: str, shown: str) -> None:
    # in binary floating point 57 / 200 × 100 is 28.499999999999996, which would be shown as 28
    measure = make_measure()
    cells = {"measure": "m", "period": "2017-12", "numerator": numerator, "denominator": denominator}
    rows, problems = to_results([RawRow(cells, Path("t.csv"), 2)], catalogue_of(measure))
    assert problems == []
    assert compute(measure, rows).display == shown


def test_derived_outturns_are_exact_before_rounding() -> None:
    summed = make_measure(unit="number", outturn="sum")
    rows = [row(summed, "2016-04", 1.4), row(summed, "2016-05", 2.8), row(summed, "2016-06", 3.3)]
    assert display(year_outturn(summed, rows, YEAR), 0) == "8"  # 7.5, not 7.499999999999999
    mean = make_measure(unit="number", outturn="mean", decimals=1)
    rows = [row(mean, "2016-04", 0.2), row(mean, "2016-05", 0.7)]
    assert display(year_outturn(mean, rows, YEAR), 1) == "0.5"  # 0.45, not 0.44999999999999996
    pooled = make_measure(outturn="ratio")
    rows = [row(pooled, "2016-04", None, "28", "100"), row(pooled, "2016-05", None, "29", "100")]
    assert display(year_outturn(pooled, rows, YEAR), 0) == "29"  # 57 / 200 × 100 = 28.5


def catalogue_of(measure: Measure) -> Catalogue:
    report = {"id": "r", "title": "R", "measures": [measure.id]}
    return Catalogue.model_validate(
        {"organisation": "O", "reports": [report], "measures": [measure.model_dump(by_alias=True)]}
    )
