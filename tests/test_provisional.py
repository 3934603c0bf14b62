"""Provisional figures (tests/projects/provisional): an asterisk and a footnote, provisional: true in the JSON."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from scorecard_testing import PROJECTS, assert_invalid, build, build_json, invoke, measure


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "provisional"
    shutil.copytree(PROJECTS / "provisional", target)
    return target


def test_the_json_marks_only_provisional_results(project: Path) -> None:
    document = build_json(project, report="housing")
    assert measure(document, "homeless-prevented")["provisional"] is True
    assert "provisional" not in measure(document, "relets-days")  # present only when a figure is provisional


def test_the_csv_gains_the_column_when_a_figure_is_provisional(project: Path) -> None:
    assert build(project, formats="csv").exit_code == 0
    text = (project / "out" / "housing.csv").read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["homeless-prevented"]["provisional"] == "True" and rows["relets-days"]["provisional"] == ""


def test_the_appendix_marks_the_figure_and_explains_the_asterisk(project: Path) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "housing.html").read_text(encoding="utf-8")
    assert (
        '<td class="fig current" data-label="Current Performance">66'
        '<span class="provisional" aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (provisional)</span></td>'
    ) in html
    assert '<td class="fig current" data-label="Current Performance">29</td>' in html
    assert '</table><p class="footnote">* Provisional figure: it may be revised' in html
    assert "<h1>Annex 2: Housing – position as at 31.12.17</h1>" in html


def test_the_portal_history_marks_provisional_values(project: Path, tmp_path: Path) -> None:
    result = invoke("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "o" / "site" / "latest" / "measures" / "homeless-prevented.html").read_text(encoding="utf-8")
    assert (
        '<td class="fig" data-label="Value">66<span aria-hidden="true">*</span>'
        '<span class="visually-hidden"> (provisional)</span>' in page
    )
    assert '<p class="footnote">* Provisional figure' in page
    other = (tmp_path / "o" / "site" / "latest" / "measures" / "relets-days.html").read_text(encoding="utf-8")
    assert "footnote" not in other


def test_a_provisional_cell_must_say_yes_or_no(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = project / "data" / "results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace(",n,", ",maybe,"), encoding="utf-8")
    message = "column provisional: 'maybe' is not yes or no (y, yes, true; n, no, false)"
    assert_invalid(project, {"data/results.csv:6": [message]}, monkeypatch)
