"""Period labels: one style, the catalogue's ``period_labels``, in every output; the trend column's
header and each sparkline's alternative text name only the span they show.

Built through the CLI from the ``minimal`` project (a monthly, a quarterly and an annual measure
and a rate; results up to December 2017) as at 31.12.17, in both styles.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from scorecard_testing import CATALOGUE, build, copy_project, invoke, write_project

STYLES = ("natural", "first-month")


def with_style(project: Path, style: str | None) -> Path:
    if style is not None:
        catalogue = project / "measures.yaml"
        catalogue.write_text(catalogue.read_text(encoding="utf-8") + f"period_labels: {style}\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module", params=STYLES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp(request.param)
    project = with_style(copy_project("minimal", root), request.param)
    result = build(project, formats="html,json", out=root / "out")
    assert result.exit_code == 0, result.output
    return request.param, root / "out"


def cells(page: str) -> list[str]:
    return [html.unescape(cell) for cell in re.findall(r"<td[^>]*>([^<]*)</td>", page)]


def test_natural_is_the_default(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    assert build(project).exit_code == 0
    document = json.loads((project / "out" / "overview.json").read_text(encoding="utf-8"))
    labels = {row["id"]: row["period_label"] for row in document["measures"]}
    assert labels["families-helped"] == "Oct–Dec 2017"
    assert labels["satisfaction"] == "2016/17"


LAST_RESULT = {
    "natural": ["Dec 2017", "Oct–Dec 2017", "2016/17", "Nov 2017"],
    "first-month": ["Dec 2017", "Oct 2017", "Apr 2016", "Nov 2017"],
}


def test_the_last_available_result_column_is_in_the_style(built: tuple[str, Path]) -> None:
    style, out = built
    page = (out / "overview.html").read_text(encoding="utf-8")
    shown = [cell for cell in cells(page) if re.fullmatch(r"[A-Z][a-z]{2}(–[A-Z][a-z]{2})? \d{4}|\d{4}/\d{2}", cell)]
    assert shown[:4] == LAST_RESULT[style]


def test_direction_of_travel_names_its_comparator_in_the_style(built: tuple[str, Path]) -> None:
    style, out = built
    page = html.unescape((out / "overview.html").read_text(encoding="utf-8"))
    quarter = "Oct–Dec 2016" if style == "natural" else "Oct 2016"
    assert f"Direction of travel: worse than {quarter} (value down)" in page
    # a financial year's outturn is named as a year in either style, as the 2016/17 column is
    assert "Direction of travel: better than 2015/16 (value up)" in page


def test_changes_name_their_periods_in_the_style(built: tuple[str, Path]) -> None:
    style, out = built
    document = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    texts = [change["text"] for change in document["changes"]]
    if style == "natural":
        assert "Green → Amber (worse): 105 in Jul–Sep 2017 → 92 in Oct–Dec 2017" in texts
    else:
        assert "Green → Amber (worse): 105 in Jul 2017 → 92 in Oct 2017" in texts


def test_each_sparkline_names_its_own_span(built: tuple[str, Path]) -> None:
    style, out = built
    page = (out / "overview.html").read_text(encoding="utf-8")
    alts = re.findall(r"<title>([^<]*)</title>", html.unescape(page))
    spans = [alt.split(":")[0] for alt in alts if alt.startswith("Trend ")]
    assert spans == ["Trend Oct–Dec 2017", "Trend Jul 2016–Dec 2017", "Trend 2015/16–2016/17", "Trend Oct–Nov 2017"]
    quarterly = next(alt for alt in alts if alt.startswith("Trend Jul 2016"))
    first = "Jul–Sep 2016 80" if style == "natural" else "Jul 2016 80"
    assert quarterly.startswith(f"Trend Jul 2016–Dec 2017: {first}, ")


def test_the_trend_header_is_neutral_when_rows_show_different_spans(built: tuple[str, Path]) -> None:
    _, out = built
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert '<th scope="col">Trend</th>' in page
    assert "2017-18 Trend" not in page


def test_the_trend_header_names_the_year_when_every_row_lies_in_it(tmp_path: Path) -> None:
    results = (
        "measure,period,value\ntimely-assessments,2017-11,88\ntimely-assessments,2017-12,89\n"
        "families-helped,2017-07,5\nfamilies-helped,2017-10,6\nsatisfaction,2017/18,70\n"
    )
    project = write_project(tmp_path / "p", CATALOGUE, {"r.csv": results})
    assert build(project, as_at="2018-03-31", formats="html").exit_code == 0
    page = html.unescape((project / "out" / "overview.html").read_text(encoding="utf-8"))
    assert '<th scope="col">2017-18 Trend</th>' in page  # quarters and the year all lie in 2017/18
    assert "Trend Jul–Dec 2017: Jul–Sep 2017 5, Oct–Dec 2017 6" in page


@pytest.mark.parametrize(
    ("style", "due", "last"), [(None, "Oct–Dec 2017", "Jul–Sep 2017"), ("first-month", "Oct 2017", "Jul 2017")]
)
def test_the_due_table_names_periods_in_the_style(tmp_path: Path, style: str | None, due: str, last: str) -> None:
    results = "measure,period,value\nfamilies-helped,2017-07,5\n"
    project = with_style(write_project(tmp_path / "p", CATALOGUE, {"r.csv": results}), style)
    result = invoke("due", "--project", str(project), "--as-at", "2017-12-31")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("families-helped"))
    assert re.match(rf"families-helped +{due} +{last} ", line), line


@pytest.mark.parametrize("style", STYLES)
def test_the_due_template_names_periods_as_result_files_do_and_loads_back(tmp_path: Path, style: str) -> None:
    results = "measure,period,value\nfamilies-helped,2017-07,5\n"
    project = with_style(write_project(tmp_path / "p", CATALOGUE, {"r.csv": results}), style)
    template = tmp_path / "due.csv"
    result = invoke(
        "due", "--project", str(project), "--as-at", "2017-12-31", "--format", "csv", "--out", f"{template}"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"), newline="")))
    assert ["families-helped", "2017/18 Q3"] in [row[:2] for row in rows]
    for row in rows[1:]:
        row[2] = "7"
    with (project / "data" / "due.csv").open("w", encoding="utf-8", newline="") as filled:
        csv.writer(filled).writerows(rows)
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("style", "quarter"), [("natural", "Oct–Dec 2017"), ("first-month", "Oct 2017")])
def test_the_portal_names_history_rows_and_chart_points_in_the_style(tmp_path: Path, style: str, quarter: str) -> None:
    project = with_style(copy_project("minimal", tmp_path), style)
    result = invoke("site", "overview", "--project", str(project), "--as-at", "2017-12-31", "--jobs", "1", "-q")
    assert result.exit_code == 0, result.output
    page = (project / "out" / "site" / "2017-12-31" / "measures" / "families-helped.html").read_text(encoding="utf-8")
    assert f'<th scope="row">{quarter}</th>' in page  # the history table
    assert f"{quarter}: 92 (amber)" in page  # the chart's text equivalent
    assert f">{quarter}</text>" in page  # its axis
