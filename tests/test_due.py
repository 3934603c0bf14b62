"""`ncc-scorecard due`: which results are due, and fill-in templates that load back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from scorecard_testing import CATALOGUE, assert_clean, build, build_json, copy_project, invoke, measure, write_project

from ncc_scorecard.build import load_project
from ncc_scorecard.due import due_results, period_text
from ncc_scorecard.periods import Period, month_index, period_label
from ncc_scorecard.rows import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_MONTHLY = [
    "sw-caseload", "iro-caseload", "foster-ncc-carers", "residential-good-outstanding", "adoption-entry-to-family",
    "adoption-authority-to-match", "care-proceedings-duration", "lac-placement-stability", "referral-decisions-1-day",
    "cp-plans-2-years", "care-leavers-accommodation", "yot-ete", "eha-per-month", "supported-families-identified",
]  # fmt: skip


def table_ids(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("measure "))
    return [line.split()[0] for line in lines[start + 1 :] if line.strip()]


# --- the bundled example -------------------------------------------------------------------------


def test_the_example_as_at_january_2018_is_due_every_monthly_measure() -> None:
    result = invoke("due", "--project", str(ROOT), "--as-at", "2018-01-31")
    assert result.exit_code == 0, result.output
    assert table_ids(result.output) == EXAMPLE_MONTHLY
    assert "14 of 15 measures have a result due as at 31.01.18" in result.output
    assert "supporting-families-progress" not in result.output  # quarterly: Jan–Mar 2018 has not ended
    for line in result.output.splitlines()[3:]:
        assert "Jan 2018" in line and "Dec 2017" in line  # due for, last result


def test_the_example_as_at_its_report_date_has_nothing_due() -> None:
    result = invoke("due", "--project", str(ROOT), "--as-at", "2017-12-31")
    assert result.exit_code == 0, result.output
    assert result.output == "Nothing due as at 31.12.17: all 15 measures have a result for their latest period.\n"


def test_the_example_after_the_quarter_ends_is_due_the_quarterly_measure_too() -> None:
    project = load_project(ROOT)
    due = due_results(project.catalogue, project.by_measure, date(2018, 3, 31))
    assert [item.measure.id for item in due] == [*EXAMPLE_MONTHLY, "supporting-families-progress"]
    quarterly = due[-1]
    assert (quarterly.period_text, quarterly.status) == ("2017/18 Q4", "overdue")
    assert quarterly.period == Period(month_index(2018, 1), 3)
    assert quarterly.last == Period(month_index(2017, 10), 3)


# --- the templates load back unchanged ----------------------------------------------------------


def fill_csv(template: bytes, values: dict[str, str]) -> bytes:
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        row[2] = values[row[0]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def test_a_filled_in_csv_template_dropped_into_data_builds(example_project: Path) -> None:
    result = invoke("due", "--project", str(example_project), "--as-at", "2018-01", "--format", "csv", "--out", "-")
    assert result.exit_code == 0, result.output
    template = result.stdout_bytes
    assert template.startswith(b"\xef\xbb\xbfmeasure,period,value,numerator,denominator,comment,action\r\n")
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"), newline="")))[1:]
    assert rows == [[measure_id, "2018-01", "", "", "", "", ""] for measure_id in EXAMPLE_MONTHLY]
    values = {measure_id: str(10 + index) for index, measure_id in enumerate(EXAMPLE_MONTHLY)}
    (example_project / "data" / "2018-01.csv").write_bytes(fill_csv(template, values))
    document = build_json(example_project, "childrens-safeguarding", as_at="2018-01-31")
    for measure_id, value in values.items():
        row = measure(document, measure_id)
        assert (row["period"], row["value"], row["status"]) == ("2018-01", float(value), "up-to-date")
    after = invoke("due", "--project", str(example_project), "--as-at", "2018-01-31")
    assert after.output.startswith("Nothing due as at 31.01.18")


def test_a_filled_in_xlsx_template_builds_to_the_same_json_as_the_csv(example_project: Path, tmp_path: Path) -> None:
    result = invoke("due", "--project", str(example_project), "--as-at", "2018-01-31", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    written = example_project / "out" / "due-2018-01-31.xlsx"
    assert "14 results due as at 2018-01-31: wrote" in result.output and written.is_file()
    book = load_workbook(written)
    assert book.sheetnames == ["Results", "Measures"]
    sheet = book["Results"]
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert [(row[0], row[1], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        (measure_id, "2018-01", None) for measure_id in EXAMPLE_MONTHLY
    ]
    guidance = {
        row[0]: row for row in book["Measures"].iter_rows(values_only=True) if row and row[0] in EXAMPLE_MONTHLY
    }
    assert guidance["sw-caseload"][1].startswith("Number of cases per full time equivalent")
    values = {measure_id: 20 + index for index, measure_id in enumerate(EXAMPLE_MONTHLY)}
    for row in sheet.iter_rows(min_row=2):
        row[3].value, row[4].value = values[row[0].value], 100  # numerator and denominator, value blank
        row[5].value = "Filled in by the service"
    book.save(example_project / "data" / "2018-01.xlsx")
    from_excel = build_json(example_project, "childrens-safeguarding", as_at="2018-01-31")

    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "measures.yaml").write_bytes((example_project / "measures.yaml").read_bytes())
    (twin / "data").mkdir()
    for path in (example_project / "data").glob("*.csv"):
        (twin / "data" / path.name).write_bytes(path.read_bytes())
    rows = "".join(f"{m},2018-01,,{v},100,Filled in by the service,\n" for m, v in values.items())
    (twin / "data" / "2018-01.csv").write_text("measure,period,value,numerator,denominator,comment,action\n" + rows)
    assert from_excel == build_json(twin, "childrens-safeguarding", as_at="2018-01-31")


def test_templates_name_quarters_and_years_as_result_files_do(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace("    frequency: annual\n", "    frequency: annual\n    owner: Policy team\n")
    project = write_project(tmp_path / "p", catalogue, {"r.csv": "measure,period,value\n"})
    result = invoke(
        "due", "--project", str(project), "--as-at", "2018-04-30", "--format", "csv", "--out", str(tmp_path / "t.csv")
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert [(row["measure"], row["period"]) for row in rows] == [
        ("timely-assessments", "2018-04"),
        ("families-helped", "2017/18 Q4"),
        ("satisfaction", "2017/18"),
    ]
    filled = "measure,period,value\n" + "".join(f"{row['measure']},{row['period']},50\n" for row in rows)
    (project / "data" / "r.csv").write_text(filled)
    document = build_json(project, as_at="2018-04-30")
    assert {m["id"]: m["status"] for m in document["measures"]} == dict.fromkeys(
        ("timely-assessments", "families-helped", "satisfaction"), "up-to-date"
    )
    table = invoke("due", "--project", str(project), "--as-at", "2018-04-30")
    assert table.output.startswith("Nothing due")


def test_the_table_shows_owner_and_last_result(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace("    frequency: annual\n", "    frequency: annual\n    owner: Policy team\n")
    project = write_project(tmp_path / "p", catalogue)
    result = invoke("due", "--project", str(project), "--as-at", "2018-04-30")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[3:]}
    assert list(lines) == ["timely-assessments", "families-helped", "satisfaction"]
    assert "Apr 2018" in lines["timely-assessments"] and "Dec 2017" in lines["timely-assessments"]
    assert "Jan–Mar 2018" in lines["families-helped"] and "none" in lines["families-helped"]
    assert "2017/18" in lines["satisfaction"] and "Policy team" in lines["satisfaction"]


def test_due_for_named_reports_only(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    result = invoke("due", "by-service", "--project", str(project), "--as-at", "2018-01-31")
    assert result.exit_code == 0, result.output
    assert table_ids(result.output) == ["re-referral-rate"]  # timely-assessments has Jan 2018 already
    assert "1 of 4 measures" in result.output
    unknown = invoke("due", "nope", "--project", str(project))
    assert unknown.exit_code == 2 and "no report 'nope'" in unknown.output


def test_due_on_an_invalid_project_reports_its_problems(tmp_path: Path) -> None:
    project = copy_project("broken-data", tmp_path)
    result = invoke("due", "--project", str(project), "--format", "xlsx")
    assert result.exit_code == 1
    assert_clean(result)
    assert "problems found" in result.output
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    ("start", "months", "frequency", "text", "name"),
    [
        ((2018, 1), 1, "monthly", "2018-01", "Jan 2018"),
        ((2017, 10), 3, "quarterly", "2017/18 Q3", "Oct–Dec 2017"),
        ((2018, 1), 3, "quarterly", "2017/18 Q4", "Jan–Mar 2018"),
        ((2017, 4), 12, "annual", "2017/18", "2017/18"),
    ],
)
def test_period_text_and_name(start: tuple[int, int], months: int, frequency: str, text: str, name: str) -> None:
    period = Period(month_index(*start), months)
    assert period_text(period, frequency) == text
    assert period_label(period) == name


def test_period_names_across_a_calendar_year_end() -> None:
    assert period_label(Period(month_index(2017, 11), 3), start_month=5) == "Nov 2017–Jan 2018"
    assert period_text(Period(month_index(2017, 1), 12), "annual", start_month=1) == "2017-01"


def test_the_default_format_has_no_file_and_a_template_lands_in_out(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    assert invoke("due", "--project", str(project), "--as-at", "2018-01-31").exit_code == 0
    assert not (project / "out").exists()
    result = invoke("due", "--project", str(project), "--as-at", "2018-01-31", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert (project / "out" / "due-2018-01-31.csv").is_file()
    assert build(project).exit_code == 0  # the template in out/ is not read as results
