"""Reporting lag: a period's result is due `lag` after the period ends, and only then overdue."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from scorecard_testing import CATALOGUE, assert_invalid, build, build_json, invoke, measure, write_project

from ncc_scorecard.periods import Lag, Period, PeriodError, latest_due, month_index, parse_lag

QUARTERLY = "measure,period,value\nfamilies-helped,2017-07,120\n"  # Jul–Sep 2017 is the latest result


def with_lag(tmp_path: Path, lag: str, where: str = "families-helped", results: str = QUARTERLY) -> Path:
    catalogue = CATALOGUE
    if where == "families-helped":
        catalogue = catalogue.replace("    frequency: quarterly\n", f"    frequency: quarterly\n    lag: {lag}\n")
    elif where == "report":
        catalogue = catalogue.replace("    title: Overview\n", f"    title: Overview\n    lag: {lag}\n")
    else:
        catalogue = catalogue.replace("reports:\n", f"defaults:\n  lag: {lag}\nreports:\n")
    return write_project(tmp_path / "p", catalogue, {"r.csv": results})


@pytest.mark.parametrize(
    ("text", "lag"),
    [
        ("0", Lag()),
        ("30 days", Lag(days=30, text="30 days")),
        ("1 day", Lag(days=1, text="1 day")),
        ("6 weeks", Lag(days=42, text="6 weeks")),
        ("2 months", Lag(months=2, text="2 months")),
        ("1 quarter", Lag(months=3, text="1 quarter")),
        ("1 Year", Lag(months=12, text="1 Year")),
    ],
)
def test_lags_as_written(text: str, lag: Lag) -> None:
    assert parse_lag(text) == lag


@pytest.mark.parametrize("text", ["30", "two months", "1 fortnight", "-1 month", "1.5 months"])
def test_what_is_not_a_lag(text: str) -> None:
    with pytest.raises(PeriodError, match="is not a lag"):
        parse_lag(text)


def test_a_month_lag_keeps_to_month_ends() -> None:
    december = Period(month_index(2017, 12), 1)
    assert Lag(months=2).due(december) == date(2018, 2, 28)
    assert Lag(months=1).due(Period(month_index(2016, 1), 1)) == date(2016, 2, 29)  # a leap year
    assert Lag(days=30).due(december) == date(2018, 1, 30)
    assert Lag().due(december) == date(2017, 12, 31)


def test_the_latest_period_due_steps_back_until_its_result_is_due() -> None:
    quarter = latest_due("quarterly", date(2018, 1, 30), lag=Lag(months=1))  # Oct–Dec is due on 31 Jan
    assert (quarter.year, quarter.month) == (2017, 7)
    quarter = latest_due("quarterly", date(2018, 1, 31), lag=Lag(months=1))
    assert (quarter.year, quarter.month) == (2017, 10)
    month = latest_due("monthly", date(2018, 3, 15), lag=Lag(days=45))  # Jan is due on 17 Mar
    assert (month.year, month.month) == (2017, 12)


@pytest.mark.parametrize("where", ["families-helped", "report", "defaults"])
def test_a_quarter_is_up_to_date_until_its_successor_falls_due(tmp_path: Path, where: str) -> None:
    project = with_lag(tmp_path, "1 month", where)
    row = measure(build_json(project, as_at="2018-01-30"), "families-helped")
    assert (row["status"], row["due_date"], row["overdue_period"]) == ("up-to-date", "2018-01-31", None)
    row = measure(build_json(project, as_at="2018-01-31"), "families-helped")
    assert (row["status"], row["due_date"], row["overdue_period"]) == ("overdue", "2018-01-31", "2017-10")
    assert row["overdue_period_label"] == "Oct–Dec 2017"


def test_without_a_lag_a_result_is_due_when_its_period_ends(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", CATALOGUE, {"r.csv": QUARTERLY})
    row = measure(build_json(project, as_at="2017-12-31"), "families-helped")
    assert (row["status"], row["due_date"], row["overdue_period"]) == ("overdue", "2017-12-31", "2017-10")
    row = measure(build_json(project, as_at="2017-12-30"), "families-helped")
    assert (row["status"], row["due_date"], row["overdue_period"]) == ("up-to-date", "2017-12-31", None)


def test_the_appendix_says_when_a_result_is_due(tmp_path: Path) -> None:
    project = with_lag(tmp_path, "1 month")
    assert build(project, as_at="2018-01-31", formats="html").exit_code == 0
    html = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert (
        '<td class="status-overdue" data-label="Status">Overdue '
        '<span class="detail">— Oct–Dec 2017 was due 31.01.18</span></td>'
    ) in html
    assert build(project, as_at="2018-01-30", formats="html").exit_code == 0
    html = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert '<td class="status-ok" data-label="Status">Up to date <span class="detail">— next due 31.01.18' in html


def test_due_and_changes_follow_the_lag(tmp_path: Path) -> None:
    project = with_lag(tmp_path, "1 month")
    early = invoke("due", "--project", str(project), "--as-at", "2018-01-30", "overview")
    assert "families-helped" not in early.output
    late = invoke("due", "--project", str(project), "--as-at", "2018-01-31", "overview")
    assert re.search(r"families-helped +Oct–Dec 2017 +Jul–Sep 2017", late.output)
    changes = invoke("changes", "--project", str(project), "--as-at", "2018-01-31", "--since", "2018-01-30")
    assert "Overdue: no result for Oct–Dec 2017; the last is 120 in Jul–Sep 2017" in changes.output


@pytest.mark.parametrize(
    ("lag", "message"),
    [
        ("two months", "measures[1].lag: 'two months' is not a lag: write it like 30 days"),
        ("30", "measures[1].lag: '30' is not a lag"),
        ("true", "measures[1].lag: lag must be like 30 days, 2 months or 1 quarter (or 0)"),
    ],
)
def test_a_wrong_lag_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lag: str, message: str) -> None:
    project = with_lag(tmp_path, lag)
    assert_invalid(project, {"measures.yaml:18": [message]}, monkeypatch)
