"""A figure a service cannot supply: n/a (or a blank value) with the reason as the comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape
from scorecard_testing import CATALOGUE, assert_invalid, build, build_json, invoke, measure, write_project

HEADER = "measure,period,value,numerator,denominator,comment\n"
HISTORY = "timely-assessments,2017-10,86,,,\ntimely-assessments,2017-11,88,,,Fine\n"
REASON = "The case management system was being upgraded; December's figure will follow in January."


def project_with(tmp_path: Path, rows: str) -> Path:
    return write_project(tmp_path / "p", CATALOGUE, {"r.csv": HEADER + HISTORY + rows})


@pytest.mark.parametrize("value", ["n/a", "N/A", "NA", "-", "", "not available"])
def test_a_figure_marked_not_available_keeps_the_last_result_and_says_why(tmp_path: Path, value: str) -> None:
    project = project_with(tmp_path, f'timely-assessments,2017-12,{value},,,"{REASON}"\n')
    document = build_json(project)
    row = measure(document, "timely-assessments")
    assert (row["period"], row["value"], row["rag"], row["comment"]) == ("2017-11", 88, "red", "Fine")
    assert row["status"] == "not-available"  # never overdue
    assert row["not_available"] == {"period": "2017-12", "period_label": "Dec 2017", "reason": REASON}
    assert document["summary"]["overdue"] == 0 and document["summary"]["not_available"] == 1


def test_the_appendix_prints_the_status_and_the_reason(tmp_path: Path) -> None:
    project = project_with(tmp_path, f'timely-assessments,2017-12,n/a,,,"{REASON}"\n')
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert '<td class="status-na" data-label="Status">Not available: Dec 2017</td>' in html
    assert f"<p><strong>NOT AVAILABLE (Dec 2017):</strong> {escape(REASON)}</p>" in html
    assert "; 0 overdue, 1 not available" in html


def test_a_figure_not_available_is_not_due(tmp_path: Path) -> None:
    project = project_with(tmp_path, f'timely-assessments,2017-12,n/a,,,"{REASON}"\n')
    listed = invoke("due", "--project", str(project), "--as-at", "2017-12-31")
    assert "timely-assessments" not in listed.output


def test_an_older_figure_not_available_does_not_excuse_a_missing_latest_one(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p",
        CATALOGUE,
        {"r.csv": HEADER + "timely-assessments,2017-10,86,,,\ntimely-assessments,2017-11,n/a,,,Upgrade\n"},
    )
    row = measure(build_json(project), "timely-assessments")
    assert (row["period"], row["status"], row["not_available"]) == ("2017-10", "overdue", None)


def test_a_later_result_makes_an_earlier_gap_history(tmp_path: Path) -> None:
    rows = HEADER + "timely-assessments,2017-11,n/a,,,Upgrade\ntimely-assessments,2017-12,90,,,\n"
    project = write_project(tmp_path / "q", CATALOGUE, {"r.csv": rows})
    row = measure(build_json(project), "timely-assessments")
    assert (row["period"], row["status"], row["not_available"]) == ("2017-12", "up-to-date", None)


@pytest.mark.parametrize(
    ("row", "location", "message"),
    [
        (
            "timely-assessments,2017-12,n/a,,,\n",
            "data/r.csv:4",
            "column comment: n/a needs a reason: give it in the comment column",
        ),
        (
            "timely-assessments,2017-12,,,,\n",
            "data/r.csv:4",
            "no value: give a value, or both numerator and denominator (numerator and denominator blank); if the "
            "figure is not available, write n/a as the value and the reason in the comment column",
        ),
        (
            "timely-assessments,2016/17,n/a,,,Not collected\n",
            "data/r.csv:4",
            "column value: a financial year's outturn cannot be marked not available",
        ),
        (
            "timely-assessments,2017-12,n/a,120,140,Upgrade\n",
            "data/r.csv:4",
            "column value: n/a with a numerator or denominator",
        ),
        (
            "timely-assessments,2017-11,n/a,,,Upgrade\n",
            "data/r.csv:4",
            "timely-assessments 2017-11 is given twice; first at data/r.csv:3",
        ),
    ],
)
def test_wrong_not_available_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: str, location: str, message: str
) -> None:
    assert_invalid(project_with(tmp_path, row), {location: [message]}, monkeypatch)
