"""tests/projects/weekly-and-biennial through the command line: JSON, CSV, HTML, PDF, `due`, `changes`
and `site`, and the problems a weekly or biennial result file can have, each at its place.

The project is built as at Sunday 31 March 2024, the last day of 2023/24. Its figures, worked out
from data/*.csv by hand:

- calls-answered: 2024-W13 (w/c 25 Mar) 861 / 1004 = 85.76% → 85.8, target 85: green; the week
  before 834 / 994 = 83.90 → better; 2022/23 from its explicit year row, 82.5.
- delayed-discharges (lag 1 week): 2024-W13 is due on 7 Apr, so 2024-W12 (10) is up to date; the
  same week a year before, 2023-W12, was 15 → better (lower); 2022/23 sums its weeks 2023-W10 to
  W13 (w/c 27 Mar 2023 has its Thursday in March), 14 + 17 + 15 + 11 = 57, not 2023-W14's 9.
- safeguarding-contacts: the latest result is 2024-W11 (41), so 2024-W13 is overdue; 2022/23's
  mean (40 + 44 + 48) / 3 = 44 → better (lower), without 2023-W14's 100.
- carers-satisfied (survey_year 2023/24, lag 3 months): 2023/24 39.5 is in before it is due, so up
  to date, next due 30.06.26 (2025/26); target 40, tolerance 1: amber; against 2021/22 35.2: better.
- carers-breaks: 2021/22 44 is the latest; 2023/24 was due 31.03.24: overdue; 2019/20 48 → worse.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from scorecard_testing import assert_clean, copy_project, invoke, measure

AS_AT = "2024-03-31"
NAME = "weekly-and-biennial"
KEYS = (
    "frequency", "period", "period_label", "display", "target_display", "previous_year_display", "rag",
    "direction", "direction_basis", "direction_comparator_display", "status", "due_date", "overdue_period",
)  # fmt: skip


def build(project: Path, formats: str = "json", *extra: str, as_at: str = AS_AT) -> Path:
    out = project / "out"
    result = invoke(
        "build", "--project", str(project), "--as-at", as_at, "--format", formats, "--out", str(out), *extra
    )
    assert result.exit_code == 0, result.output
    assert_clean(result)
    return out


def document(project: Path, report: str = "weekly", as_at: str = AS_AT) -> dict[str, Any]:
    return json.loads((build(project, as_at=as_at) / f"{report}.json").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(NAME, tmp_path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built once in every format."""
    return build(copy_project(NAME, tmp_path_factory.mktemp("built")), "json,csv,html,pdf")


def figures(row: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(row[key] for key in keys)


# --- the figures --------------------------------------------------------------------------------


def test_the_project_is_valid_and_raises_no_warning(project: Path) -> None:
    result = invoke("validate", "--project", str(project), "--as-at", AS_AT, "--strict")
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 5 measures in 2 report(s), 38 results in 2 file(s)\n"


def test_the_json_of_weekly_measures(built: Path) -> None:
    report = json.loads((built / "weekly.json").read_text(encoding="utf-8"))
    assert figures(report, "as_at", "previous_year", "changes_since") == (AS_AT, "2022/23", "2024-03-24")
    assert figures(measure(report, "calls-answered"), *KEYS) == (
        "weekly", "2024-W13", "w/c 25 Mar 2024", "85.8", "85", "82.5", "green",
        "better", "w/c 18 Mar 2024", "83.9", "up-to-date", "2024-04-07", None,
    )  # fmt: skip
    assert figures(measure(report, "delayed-discharges"), *KEYS) == (
        "weekly", "2024-W12", "w/c 18 Mar 2024", "10", "12", "57", "green",
        "better", "w/c 20 Mar 2023", "15", "up-to-date", "2024-04-07", None,
    )  # fmt: skip
    assert figures(measure(report, "safeguarding-contacts"), *KEYS) == (
        "weekly", "2024-W11", "w/c 11 Mar 2024", "41", None, "44", None,
        "better", "2022/23", "44", "overdue", "2024-03-31", "2024-W13",
    )  # fmt: skip
    assert measure(report, "safeguarding-contacts")["overdue_period_label"] == "w/c 25 Mar 2024"


def test_the_json_of_biennial_measures(built: Path) -> None:
    report = json.loads((built / "weekly.json").read_text(encoding="utf-8"))
    assert figures(measure(report, "carers-satisfied"), *KEYS) == (
        "biennial", "2023-04", "2023/24", "39.5", "40", None, "amber",
        "better", "2021/22", "35.2", "up-to-date", "2026-06-30", None,
    )  # fmt: skip
    assert figures(measure(report, "carers-breaks"), *KEYS) == (
        "biennial", "2021-04", "2021/22", "44", "50", None, "red",
        "worse", "2019/20", "48", "overdue", "2024-03-31", "2023-04",
    )  # fmt: skip


def test_trends_are_13_weeks_and_5_surveys(built: Path) -> None:
    report = json.loads((built / "weekly.json").read_text(encoding="utf-8"))
    weeks = [point["period"] for point in measure(report, "calls-answered")["trend"]]
    assert weeks == [f"2024-W{number:02d}" for number in range(1, 14)]  # not 2023-W50 to W52
    surveys = [(p["period"], p["value"]) for p in measure(report, "carers-satisfied")["trend"]]
    assert surveys == [("2015-04", 36.1), ("2017-04", 37.0), ("2019-04", 38.4), ("2021-04", 35.2), ("2023-04", 39.5)]


def test_the_csv_names_weeks_and_survey_years(built: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((built / "weekly.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["frequency"], r["period"], r["period_label"]) for r in rows] == [
        ("calls-answered", "weekly", "2024-W13", "w/c 25 Mar 2024"),
        ("delayed-discharges", "weekly", "2024-W12", "w/c 18 Mar 2024"),
        ("safeguarding-contacts", "weekly", "2024-W11", "w/c 11 Mar 2024"),
        ("carers-satisfied", "biennial", "2023-04", "2023/24"),
        ("carers-breaks", "biennial", "2021-04", "2021/22"),
    ]
    assert rows[1]["trend"] == "2024-W10=13.0 2024-W11=12.0 2024-W12=10.0"


def test_the_appendix_shows_weeks_and_surveys(built: Path) -> None:
    html = (built / "weekly.html").read_text(encoding="utf-8")
    frequency = '<td data-label="Frequency">'
    assert html.count(f"{frequency}Weekly</td>") == 3 and html.count(f"{frequency}Biennial</td>") == 2
    kept_whole = "vs\u00a0w/\u2060c\u00a018\u00a0Mar\u00a02024: 83.9"  # no line break inside "vs w/c 18 Mar 2024"
    assert f'Better <span class="detail">— {kept_whole}</span>' in html
    assert (
        '<td class="status-overdue" data-label="Status">Overdue <span class="detail">— w/c 25 Mar 2024 was due 31.03.24'
        "</span></td>" in html
    )
    assert '<td class="status-ok" data-label="Status">Up to date <span class="detail">— next due 30.06.26' in html
    assert "<title>Trend 1 Jan–31 Mar 2024: w/c 1 Jan 2024 83.2, w/c 8 Jan 2024 85.9," in html
    assert "<title>Trend 2015/16–2023/24: 2015/16 36.1, 2017/18 37.0, 2019/20 38.4, 2021/22 35.2, 2023/24 39.5" in html
    assert '<th scope="col">Trend</th>' in html  # the surveys' trends reach back before 2023/24
    assert "Each line shows the last 13 weeks (weekly) or the last 5 results, two years apart (biennial)." in html
    assert (
        "Direction of travel compares each result with the period before (measure 1), the same period a year "
        "before (measure 2), the previous financial year&#39;s outturn (measure 3) or the result two years before "
        "(measures 4, 5)."
    ) in html


def test_the_pdf_reads_like_the_html(built: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "weekly.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Appendix W: Weekly and biennial – position as at 31.03.24" in text
    for words in ("w/c 25 Mar", "Weekly", "Biennial", "2023/24", "vs w/c 18 Mar 2024:", "next due", "30.06.26"):
        assert words in text, words


def test_the_pdf_renders_without_warnings(project: Path, no_weasyprint_warnings: None) -> None:
    assert (build(project, "pdf") / "surveys.pdf").read_bytes().startswith(b"%PDF-")


def test_a_weekly_report_heads_its_trend_with_the_year(project: Path) -> None:
    catalogue = project / "measures.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace(", carers-satisfied, carers-breaks]\n\n  - id: surveys", "]\n\n  - id: surveys"))
    html = (build(project, "html") / "weekly.html").read_text(encoding="utf-8")
    assert '<th scope="col">2023-24 Trend</th>' in html
    assert "Each line shows the last 13 weeks." in html


def test_first_month_labels_name_a_survey_by_its_first_month_and_a_week_as_ever(project: Path) -> None:
    catalogue = project / "measures.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("organisation:", "period_labels: first-month\norganisation:")
    )
    report = document(project)
    assert measure(report, "carers-satisfied")["period_label"] == "Apr 2023"
    assert measure(report, "carers-breaks")["overdue_period_label"] == "Apr 2023"
    assert measure(report, "calls-answered")["period_label"] == "w/c 25 Mar 2024"
    assert measure(report, "carers-satisfied")["direction_basis"] == "2021/22"  # an outturn is named as a year


def test_an_old_report_is_rebuilt_from_the_same_files(project: Path) -> None:
    report = document(project, as_at="2024-03-30")  # a Saturday: 2024-W12 is the latest week ended
    assert figures(measure(report, "calls-answered"), "period", "status") == ("2024-W12", "up-to-date")
    assert figures(measure(report, "carers-satisfied"), "period", "status") == ("2021-04", "up-to-date")
    assert figures(measure(report, "carers-breaks"), "status", "due_date") == ("up-to-date", "2024-03-31")


# --- due, changes and the portal ------------------------------------------------------------------


def test_due_lists_the_week_and_the_survey_year(project: Path) -> None:
    result = invoke("due", "--project", str(project), "--as-at", AS_AT)
    assert result.exit_code == 0, result.output
    assert re.search(r"safeguarding-contacts +w/c 25 Mar 2024 +w/c 11 Mar 2024", result.output)
    assert re.search(r"carers-breaks +2023/24 +2021/22", result.output)
    assert result.output.startswith("2 of 5 measures have a result due as at 31.03.24")


def test_filled_in_templates_load_back(project: Path) -> None:
    result = invoke("due", "--project", str(project), "--as-at", AS_AT, "--format", "csv", "--out", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert rows[1:] == [
        ["safeguarding-contacts", "2024-W13", "", "", "", "", ""],
        ["carers-breaks", "2023/24"] + [""] * 5,
    ]
    rows[1][2] = "39"
    filled = "\n".join(",".join(row) for row in rows[:2]) + "\n"

    result = invoke("due", "--project", str(project), "--as-at", AS_AT, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    written = project / "out" / f"due-{AS_AT}.xlsx"
    book = load_workbook(written)
    sheet = book["Results"]
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2)] == [
        ("safeguarding-contacts", "2024-W13"),
        ("carers-breaks", "2023/24"),
    ]
    sheet.delete_rows(2)
    sheet["C2"] = 46
    book.save(project / "data" / "due.xlsx")
    written.unlink()
    (project / "data" / "due.csv").write_text(filled, encoding="utf-8")

    report = document(project)
    assert figures(measure(report, "safeguarding-contacts"), "period", "value", "status") == (
        "2024-W13",
        39,
        "up-to-date",
    )
    assert figures(measure(report, "carers-breaks"), "period", "value", "status") == ("2023-04", 46, "up-to-date")
    assert invoke("due", "--project", str(project), "--as-at", AS_AT).output.startswith("Nothing due as at 31.03.24")


def test_changes_compare_with_the_week_before_and_the_survey_before(project: Path) -> None:
    result = invoke("changes", "--project", str(project), "--as-at", AS_AT)
    assert result.exit_code == 0, result.output
    weekly, surveys = result.output.split("\n\n")
    assert weekly.splitlines()[0] == "Weekly and biennial (weekly): changes between 24.03.24 and 31.03.24"
    assert "calls-answered    Amber → Green (better): 83.9 in w/c 18 Mar 2024 → 85.8 in w/c 25 Mar 2024" in weekly
    assert "carers-breaks     Overdue: no result for 2023/24; the last is 44 in 2021/22" in weekly
    assert surveys.splitlines()[0] == "Carers' surveys (surveys): changes between 31.03.22 and 31.03.24"


def test_the_portal_names_weeks_in_history_tables_and_chart_axes(project: Path) -> None:
    result = invoke("site", "--project", str(project), "--as-at", AS_AT, "--out", str(project / "out"), "-q")
    assert result.exit_code == 0, result.output
    page = (project / "out" / "site" / AS_AT / "measures" / "calls-answered.html").read_text(encoding="utf-8")
    axis = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="middle"[^>]*>([^<]*)</text>', page)
    assert axis == ["w/c 1 Jan 2024", "w/c 29 Jan 2024", "w/c 26 Feb 2024", "w/c 25 Mar 2024"]
    history = re.findall(r"<th scope=\"row\">([^<]*)</th>", page)
    assert history[:2] == ["w/c 25 Mar 2024", "w/c 18 Mar 2024"] and history[-1] == "w/c 11 Dec 2023"
    survey = (project / "out" / "site" / AS_AT / "measures" / "carers-satisfied.html").read_text(encoding="utf-8")
    assert "<dd>Biennial</dd>" in survey and "The result two years before" in survey


# --- problems, each at its place ------------------------------------------------------------------


def test_period_problems_of_weekly_and_biennial_results_are_located(project: Path) -> None:
    (project / "data" / "wrong.csv").write_text(
        "measure,period,value\n"
        "calls-answered,2024-03,85\n"
        "calls-answered,w/c 27 Mar 2024,85\n"
        "calls-answered,2023-W53,85\n"
        "carers-breaks,2022/23,45\n"
        "carers-breaks,2023-Q1,45\n"
        "delayed-discharges,2024-03-14,11\n",
        encoding="utf-8",
    )
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 1
    assert result.output.splitlines()[:6] == [
        f"{project / 'data' / 'wrong.csv'}:2: column period: a month does not fit a weekly measure: name a week "
        "as 2024-W05 or w/c 29 Jan 2024, or give a day in it",
        f"{project / 'data' / 'wrong.csv'}:3: column period: 'w/c 27 Mar 2024': 27 Mar 2024 is a Wednesday; a week "
        "commences on a Monday (w/c 25 Mar 2024)",
        f"{project / 'data' / 'wrong.csv'}:4: column period: '2023-W53' has no week 53: 2023 has 52 ISO weeks",
        f"{project / 'data' / 'wrong.csv'}:5: column period: 2022/23 is not a survey year of this biennial measure: "
        "its results are for every second year (…, 2021/22, 2023/24, 2025/26, …), in step with its survey_year "
        "2023/24",
        f"{project / 'data' / 'wrong.csv'}:6: column period: '2023-Q1' is not a period: use 2017-12, Dec 2017, "
        "December 2017 or Dec-17 (a month, or the first month of a quarter or year), Oct–Dec 2017 (a quarter), "
        "2023/24 (a financial year), 2023/24 Q4 or Q4 2023/24 (a financial-year quarter), 2024-W05 or w/c 29 Jan "
        "2024 (an ISO week, Monday to Sunday), or a date, 2017-12-31 or 31/12/2017 (the period that holds it)",
        f"{project / 'data' / 'wrong.csv'}:7: delayed-discharges 2024-03-14 is given twice; first at "
        f"{project / 'data' / 'weekly.csv'}:25",
    ]


def test_a_biennial_measure_without_survey_year_is_a_catalogue_error(project: Path) -> None:
    catalogue = project / "measures.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines(keepends=True)
    survey = next(i for i, line in enumerate(lines) if "survey_year" in line)
    catalogue.write_text("".join(lines[:survey] + lines[survey + 1 :]), encoding="utf-8")
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 1
    assert f"{catalogue}:46: measures[3]: a biennial measure needs `survey_year`: a financial year" in result.output


def test_a_workbook_date_names_a_week_unless_it_shows_only_a_month(project: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["measure", "period", "value"])
    sheet.append(["calls-answered", datetime(2024, 4, 1), 86])  # Monday 1 April, shown as a date
    sheet.append(["calls-answered", datetime(2024, 4, 1), 86])
    sheet["B2"].number_format = "dd/mm/yyyy"
    sheet["B3"].number_format = "mmm-yy"  # what Excel makes of "Apr-24": a month
    book.save(project / "data" / "april.xlsx")
    result = invoke("validate", "--project", str(project), "--as-at", "2024-04-07")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "april.xlsx" in line]
    assert lines == [
        f"{project / 'data' / 'april.xlsx'}:Sheet!B3: column period: a month does not fit a weekly measure: name a "
        "week as 2024-W05 or w/c 29 Jan 2024, or give a day in it"
    ]
    sheet.delete_rows(3)
    book.save(project / "data" / "april.xlsx")
    report = document(project, as_at="2024-04-07")
    assert figures(measure(report, "calls-answered"), "period", "period_label") == ("2024-W14", "w/c 1 Apr 2024")
