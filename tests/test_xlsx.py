"""Excel result files (data/*.xlsx): read like CSVs, cells taken as a user sees them, problems located by cell."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from scorecard_testing import CATALOGUE, assert_clean, build, build_json, copy_project, invoke, measure, write_project
from xlsx_packs import as_number

from ncc_scorecard.results import result_files
from ncc_scorecard.rows import COLUMNS
from ncc_scorecard.xlsx import SheetRow, number_text, read_xlsx_rows

HEADER = ["measure", "period", "value", "numerator", "denominator", "comment", "action"]


def workbook(path: Path, sheets: dict[str, list[list[Any]]], formats: dict[str, str] | None = None) -> Path:
    """Write a workbook: ``sheets`` maps a sheet title to its rows; ``formats`` maps ``Sheet!B2`` to a number format.

    Text starting with ``=`` is kept as text (as typed after an apostrophe in Excel), not as a formula;
    formulas are given as ``Formula("B2*100")``.
    """
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell.text if isinstance(cell, Formula) else cell for cell in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
    for where, number_format in (formats or {}).items():
        title, ref = where.split("!")
        book[title][ref].number_format = number_format
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


class Formula:
    def __init__(self, text: str) -> None:
        self.text = "=" + text


def save_results_as_excel_does(path: Path, results: dict[str, str]) -> None:
    """Give each formula cell the result Excel would have saved with it (``{"C2": "80"}``) and drop
    openpyxl's request to calculate on opening, as a workbook saved by Excel is."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in results.items():
        pattern = rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)'
        sheet, count = re.subn(pattern, rf"\g<1><v>{value}</v>", sheet)
        assert count == 1, ref
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def csv_to_workbook(source: Path, target: Path) -> None:
    """The rows of a CSV result file as a workbook, numbers as Excel numbers where that keeps them as written."""
    rows = list(csv.reader(source.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    converted = [rows[0]] + [[as_number(cell) for cell in row] for row in rows[1:]]
    workbook(target, {"Sheet1": converted})


def to_excel(project: Path) -> None:
    """Replace every CSV in the project's data/ by the same rows as a workbook."""
    for path in sorted((project / "data").glob("*.csv")):
        csv_to_workbook(path, path.with_suffix(".xlsx"))
        path.unlink()


def output_lines(project: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(project)
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 1, result.output
    assert_clean(result)
    return result.output


# --- the same results as CSV and as Excel --------------------------------------------------------


def test_the_bundled_example_as_excel_builds_to_the_same_json(example_project: Path, tmp_path: Path) -> None:
    csv_out = tmp_path / "from-csv"
    assert build(example_project, as_at="2017-12-31", out=csv_out).exit_code == 0
    to_excel(example_project)
    assert {p.suffix for p in result_files(example_project / "data")} == {".xlsx"}
    excel_out = tmp_path / "from-excel"
    result = build(example_project, as_at="2017-12-31", out=excel_out)
    assert result.exit_code == 0, result.output
    name = "childrens-safeguarding.json"
    assert (excel_out / name).read_text(encoding="utf-8") == (csv_out / name).read_text(encoding="utf-8")


def test_the_minimal_project_as_excel_builds_to_the_same_json(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    expected = {name: build_json(project, name) for name in ("overview", "by-service")}
    to_excel(project)
    assert {name: build_json(project, name) for name in ("overview", "by-service")} == expected


def test_csv_and_excel_files_mix_and_duplicates_across_them_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", files={"a.csv": "measure,period,value\ntimely-assessments,2017-12,88\n"})
    workbook(project / "data" / "b.xlsx", {"Sheet1": [HEADER, ["timely-assessments", "2017-12", 89]]})
    output = output_lines(project, monkeypatch)
    assert "data/b.xlsx:Sheet1!A2: timely-assessments 2017-12 is given twice; first at data/a.csv:2" in output


# --- cells as a user sees them -------------------------------------------------------------------


def test_cells_are_read_as_excel_shows_them(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace(
        "frequency: quarterly", 'frequency: quarterly\n    underlying: "{numerator} of {denominator}"'
    ).replace("targets: {2017/18: 90}", "targets: {2017/18: 90}\n    max: 2000")  # room for a text 1,508
    project = write_project(tmp_path / "p", catalogue, files={})
    workbook(
        project / "data" / "results.xlsx",
        {
            "Sheet1": [
                HEADER,
                ["timely-assessments", datetime(2017, 12, 1), 0.8, None, None, "Typed as 80%", None],  # % format
                ["timely-assessments", "2017-11", " 1,508 ", None, None, "=not a formula", None],  # text number
                ["families-helped", "2017/18 Q3", None, 2025, 83.9, None, None],  # numbers as written
                ["satisfaction", "2016/17", 0.7149999999999999, None, None, None, None],  # float noise
            ]
        },
        formats={"Sheet1!B2": "mmm-yy", "Sheet1!C2": "0%", "Sheet1!C5": "0.0%"},
    )
    document = build_json(project, as_at="2017-12-31")
    assessments = measure(document, "timely-assessments")
    assert (assessments["period"], assessments["value"], assessments["comment"]) == ("2017-12", 80, "Typed as 80%")
    assert assessments["trend"][0] == {"period": "2017-11", "value": 1508}
    families = measure(document, "families-helped")
    assert families["underlying"] == "2025 of 83.9"
    assert measure(document, "satisfaction")["previous_year_value"] == 71.5


def test_period_cells_as_dates_and_as_labels(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", files={})
    workbook(
        project / "data" / "results.xlsx",
        {
            "Sheet1": [
                HEADER,
                ["timely-assessments", datetime(2017, 12, 31), 88, None, None, None, None],  # typed 31/12/2017
                ["timely-assessments", "Nov 2017", 87, None, None, None, None],
                ["families-helped", datetime(2017, 11, 15), 92, None, None, None, None],  # the quarter holding it
                ["families-helped", "Jul–Sep 2017", 90, None, None, None, None],
                ["satisfaction", "Apr 2016–Mar 2017", 72, None, None, None, None],
            ]
        },
    )
    document = build_json(project, as_at="2017-12-31")
    assessments = measure(document, "timely-assessments")
    assert (assessments["period"], [point["period"] for point in assessments["trend"]]) == (
        "2017-12",
        ["2017-11", "2017-12"],
    )
    families = measure(document, "families-helped")
    assert (families["period_label"], [point["period"] for point in families["trend"]]) == (
        "Oct–Dec 2017",
        ["2017-07", "2017-10"],
    )
    assert measure(document, "satisfaction")["period_label"] == "2016/17"


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (80, "General", "80"),
        (2025.0, "General", "2025"),
        (83.9, "0.0", "83.9"),
        (0.1 + 0.2, "General", "0.3"),
        (0.8, "0%", "80"),
        (0.973, "0.0%", "97.3"),
        (0.5, '0"%"', "0.5"),  # a literal % sign does not scale
        (0.5, "0\\%", "0.5"),
        (1e16, "General", "10000000000000000"),
        (1e-7, "General", "0.0000001"),
        (-2.5, "General", "-2.5"),
        (-0.0, "General", "0"),
    ],
)
def test_number_text(value: float, number_format: str, text: str) -> None:
    assert number_text(value, number_format) == text


def test_formulas_give_the_result_excel_saved(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", files={})
    path = workbook(
        project / "data" / "results.xlsx",
        {"Sheet1": [HEADER, ["timely-assessments", "2017-12", Formula("D2/E2"), 180, 200, None, None]]},
        formats={"Sheet1!C2": "0%"},
    )
    save_results_as_excel_does(path, {"C2": "0.9"})
    assert measure(build_json(project), "timely-assessments")["value"] == 90


def test_a_formula_saved_without_its_result_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", files={})
    workbook(
        project / "data" / "generated.xlsx",
        {"Results": [HEADER, ["timely-assessments", "2017-12", Formula("D2/E2*100"), 180, 200, None, None]]},
    )
    output = output_lines(project, monkeypatch)
    line = next(line for line in output.splitlines() if line.startswith("data/generated.xlsx:Results!C2: "))
    assert "column value: the formula =D2/E2*100 has no saved result" in line
    assert "Open it in Excel or LibreOffice Calc and save it again" in line


def test_a_text_formula_result_that_is_empty_is_blank_not_a_problem(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", files={})
    path = workbook(
        project / "data" / "results.xlsx",
        {"Sheet1": [HEADER, ["timely-assessments", "2017-12", 88, None, None, Formula('IF(C2>90,"Above","")'), None]]},
    )
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b'<c r="F2">', b'<c r="F2" t="str">')
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert measure(build_json(project), "timely-assessments")["comment"] is None


# --- sheets --------------------------------------------------------------------------------------


def test_every_sheet_with_measure_and_period_is_read_and_others_are_skipped(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", files={})
    workbook(
        project / "data" / "results.xlsx",
        {
            "Read me": [["Fill in the monthly and quarterly sheets."], ["measure id", "title"]],
            "Monthly": [
                ["Monthly results (title row above the header)"],
                [],
                HEADER,
                ["timely-assessments", "2017-12", 91],
            ],
            "Quarterly": [["Measure", "Period", "Value"], ["families-helped", "2017-10", 95]],
        },
    )
    document = build_json(project)
    assert measure(document, "timely-assessments")["value"] == 91
    assert measure(document, "families-helped")["value"] == 95


def test_excel_lock_files_of_open_workbooks_are_ignored(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    (project / "data" / "~$results.xlsx").write_bytes(b"\x00lock")
    assert [p.name for p in result_files(project / "data")] == ["results.csv"]
    assert build(project).exit_code == 0


def test_sheet_names_with_spaces_are_quoted_as_excel_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", files={})
    workbook(project / "data" / "r.xlsx", {"Dec results": [HEADER, ["timely-assessments", "2017-12", "tbc"]]})
    assert "data/r.xlsx:'Dec results'!C2: column value: 'tbc' is not a number" in output_lines(project, monkeypatch)


# --- broken workbooks: every problem names its cell -----------------------------------------------

BROKEN: dict[str, tuple[dict[str, list[list[Any]]], dict[str, str], list[str]]] = {
    "bad value, bad period, unknown measure, all in one run": (
        {
            "Sheet1": [
                HEADER,
                ["timely-assessments", "2017-12", "tbc"],
                ["timely-assessments", "2017-13", 88],
                ["timely-asessments", "2017-11", 88],
                ["timely-assessments", "2017-10", None, 172, None],
            ]
        },
        {},
        [
            "data/results.xlsx:Sheet1!C2: column value: 'tbc' is not a number",
            "data/results.xlsx:Sheet1!B3: column period: '2017-13' has no month 13",
            "data/results.xlsx:Sheet1!A4: column measure: no measure 'timely-asessments' in the catalogue",
            "data/results.xlsx:Sheet1!C5: no value: give a value, or both numerator and denominator",
        ],
    ),
    "unknown column": (
        {"Sheet1": [["measure", "period", "value", "colour"], ["timely-assessments", "2017-12", 88, "red"]]},
        {},
        ["data/results.xlsx:Sheet1!D1: unknown column 'colour'"],
    ),
    "a column given twice": (
        {"Sheet1": [["measure", "value", "period", "Value"], ["timely-assessments", 88, "2017-12", 89]]},
        {},
        ["data/results.xlsx:Sheet1!B1: column 'value' is given twice"],
    ),
    "an unknown column with a quote in its name": (
        {"Sheet1": [["measure", "period", "value", "officer's note"], ["timely-assessments", "2017-12", 88, "x"]]},
        {},
        ["data/results.xlsx:Sheet1!D1: unknown column 'officer's note'"],
    ),
    "no header with measure and period": (
        {"Sheet1": [["measure", "value"], ["timely-assessments", 88]]},
        {},
        ["data/results.xlsx:Sheet1!A1: missing column 'period'"],
    ),
    "a date typed in the value column": (
        {"Sheet1": [HEADER, ["timely-assessments", "2017-12", datetime(2018, 1, 2)]]},
        {"Sheet1!C2": "dd/mm/yyyy"},
        ["data/results.xlsx:Sheet1!C2: column value: is a date (2018-01-02), not a number"],
    ),
    "an error value": (
        {"Sheet1": [HEADER, ["timely-assessments", "2017-12", "#DIV/0!"]]},
        {},
        ["data/results.xlsx:Sheet1!C2: column value: the cell shows the error #DIV/0!"],
    ),
    "a cell outside the table": (
        {"Sheet1": [HEADER, ["timely-assessments", "2017-12", 88, None, None, None, None, "note"]]},
        {},
        ["data/results.xlsx:Sheet1!H2: this cell is outside the table: its column has no header"],
    ),
    "TRUE in a number column": (
        {"Sheet1": [HEADER, ["timely-assessments", "2017-12", True]]},
        {},
        ["data/results.xlsx:Sheet1!C2: column value: TRUE is not a number"],
    ),
    "an empty workbook": ({"Sheet1": []}, {}, ["data/results.xlsx:Sheet1!A1: is empty"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_workbooks_get_located_errors(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheets, formats, expected = BROKEN[case]
    project = write_project(tmp_path / "p", files={})
    workbook(project / "data" / "results.xlsx", sheets, formats)
    output = output_lines(project, monkeypatch)
    for text in expected:
        assert any(line.startswith(text) for line in output.splitlines()), f"{text!r} not in:\n{output}"
    assert "nothing was written" in output
    result = build(project)
    assert result.exit_code == 1 and not (project / "out" / "overview.json").exists()


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("damaged.xlsx", b"PK\x03\x04 not really a zip", "cannot be read as an Excel workbook (.xlsx)"),
        ("plain.xlsx", b"measure,period,value\n", "cannot be read as an Excel workbook (.xlsx)"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003 workbook"),
        ("renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "protected with a password"),
        ("sheet.ods", b"PK\x03\x04", "OpenDocument spreadsheet"),
    ],
)
def test_files_that_are_not_xlsx_workbooks(
    name: str, content: bytes, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p")
    (project / "data" / name).write_bytes(content)
    output = output_lines(project, monkeypatch)
    assert f"data/{name}: " in output and text in output


def test_a_filled_in_workbook_reads_back_every_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx", {"Sheet1": [list(COLUMNS), ["m", "2017-12", 1, 2, 3, "line one\nline two", "act"]]}
    )
    rows, problems = read_xlsx_rows(path)
    assert problems == []
    assert rows[0].cells == {
        "measure": "m", "period": "2017-12", "value": "1", "numerator": "2", "denominator": "3",
        "comment": "line one\nline two", "action": "act",
    }  # fmt: skip
    assert (rows[0].line, rows[0].problem("x", "value").location.endswith("r.xlsx:Sheet1!C2")) == (2, True)


def test_reading_does_not_change_the_workbook(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", {"Sheet1": [HEADER, ["m", "2017-12", 1]]})
    before = path.read_bytes()
    read_xlsx_rows(path)
    assert path.read_bytes() == before
    assert load_workbook(path).active.max_row == 2


def test_validate_counts_workbooks_as_files(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", files={})
    workbook(project / "data" / "a.xlsx", {"Sheet1": [HEADER, ["timely-assessments", "2017-12", 88]]})
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "1 results in 1 file(s)" in result.output


def test_a_row_problem_names_its_column_as_data_and_points_at_its_cell(tmp_path: Path) -> None:
    row = SheetRow({}, tmp_path / "r.xlsx", 5, sheet="Sheet1", letters={"measure": "A", "period": "B", "value": "C"})
    bad = row.problem("'x' is not a number", "value")
    assert (bad.message, bad.column, bad.cell) == ("column value: 'x' is not a number", "value", "Sheet1!C5")
    missing = row.problem("no value: give a value", at="value")  # the cell to fill in, named by no column
    assert (missing.message, missing.column, missing.cell) == ("no value: give a value", None, "Sheet1!C5")
    assert row.problem("given twice").cell == "Sheet1!A5"  # the row as a whole: its measure cell
    no_value_column = SheetRow({}, tmp_path / "r.xlsx", 5, sheet="Sheet1", letters={"measure": "B"})
    assert no_value_column.problem("no value", at="value").cell == "Sheet1!B5"
