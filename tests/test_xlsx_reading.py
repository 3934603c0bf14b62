"""The workbook reader (sheetxml.py) against openpyxl: the same cells, rows and problems on random workbooks.

openpyxl writes each workbook (numbers, percentages, dates in several formats, times, text, booleans,
error values, formulas with and without a saved result, blanks, merged cells, title rows, extra
columns, hidden sheets, a 1904 date system); the file is then sometimes changed as other programs
write theirs (shared strings with rich-text runs, cells and rows without a reference). The reference
is openpyxl's ``load_workbook(data_only=True)``, which the reader replaced.
"""

from __future__ import annotations

import html
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from scorecard_testing import PROJECTS, invoke, write_project
from xlsx_packs import csv_to_workbook

from ncc_scorecard.rows import COLUMNS
from ncc_scorecard.sheetxml import Cell, Sheet, read_sheets
from ncc_scorecard.xlsx import read_tables, read_xlsx_rows

REPOSITORY = Path(__file__).resolve().parent.parent
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# --- the reference: openpyxl ----------------------------------------------------------------------


def reference_sheets(path: Path) -> list[Sheet]:
    """The sheets as openpyxl reads them, with the formulas saved without a result found in the XML."""
    book = openpyxl.load_workbook(path, data_only=True, rich_text=False)
    uncached = uncached_formulas(path)
    sheets = []
    for sheet in book.worksheets:
        rows: dict[int, dict[int, Cell]] = {}
        for (row, column), cell in sheet._cells.items():
            formula = uncached.get((sheet.title, cell.coordinate))
            if cell.value is None and formula is None:
                continue
            number_format = getattr(cell, "number_format", "General")
            rows.setdefault(row, {})[column] = Cell(cell.value, number_format, cell.data_type == "e", formula)
        sheets.append(Sheet(sheet.title, rows))
    return sheets


def uncached_formulas(path: Path) -> dict[tuple[str, str], str]:
    """Formula cells saved without a result, by (sheet, cell): empty or no ``<v>``, or fullCalcOnLoad."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        never = re.search(r'fullCalcOnLoad="(1|true)"', book) is not None
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Target="/?(?:xl/)?([^"]+)" Id="([^"]+)"', rels))
        parts = {ident: target for target, ident in targets.items()}
        for name, ident in re.findall(r'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', book):
            part = "xl/" + parts[ident]
            if not part.startswith("xl/worksheets/"):
                continue
            row_number = 0
            for row in ElementTree.fromstring(archive.read(part)).iter(f"{MAIN}row"):
                row_number = int(row.get("r", row_number + 1))
                column = 0
                for element in row.iter(f"{MAIN}c"):
                    ref = element.get("r")
                    if ref:
                        column = openpyxl.utils.cell.coordinate_to_tuple(ref)[1]
                    else:
                        column += 1
                        ref = f"{openpyxl.utils.get_column_letter(column)}{row_number}"
                    formula = element.find(f"{MAIN}f")
                    if formula is not None:
                        result = element.find(f"{MAIN}v")
                        if never or result is None or (not result.text and element.get("t") != "str"):
                            found[(unescape(name), ref)] = formula.text or ""
    return found


def unescape(text: str) -> str:
    return (
        text.replace("&apos;", "'")
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def comparable(sheets: list[Sheet]) -> list[tuple[str, dict[tuple[int, int], tuple[Any, ...]]]]:
    """Sheets as values that compare types too (1, 1.0 and True differ); a blank's format does not matter."""
    return [
        (
            sheet.title,
            {
                (row, column): (
                    type(cell.value).__name__,
                    cell.value,
                    cell.number_format if cell.value is not None else None,
                    cell.error,
                    cell.formula,
                )
                for row, cells in sheet.rows.items()
                for column, cell in cells.items()
            },
        )
        for sheet in sheets
    ]


def assert_read_as_openpyxl_reads(path: Path) -> None:
    expected = reference_sheets(path)
    sheets = list(read_sheets(path))
    assert comparable(sheets) == comparable(expected)
    assert read_xlsx_rows(path) == read_tables(path, expected)


# --- random workbooks -----------------------------------------------------------------------------

TITLES = ["Sheet1", "Results", "Dec results", "Officer's notes", "R1C1", "Données", "A1"]
DATE_FORMATS = [
    "mmm-yy",
    "dd/mm/yyyy",
    "yyyy-mm-dd",
    "d-mmm-yy",
    "mm-dd-yy",
    "mmmm yyyy",
    '"Month "mmm yy',
    "[$-809]dd mmmm yyyy",
    "[h]:mm:ss",
]
NUMBER_FORMATS = ["General", "0", "0.0", "#,##0", "0%", "0.0%", '0"%"', "0\\%", "@", "[Red]0.00", '"d"0']
TEXTS = [
    "timely-assessments",
    "2017-12",
    "Nov 2017",
    " 1,508 ",
    "=not a formula",
    "n/a",
    "",
    " ",
    "line one\nline two",
    "x_x005F_y",
    "Größe ✓",
]


class Formula:
    def __init__(self, text: str, result: str | None) -> None:
        self.text, self.result = text, result


def cell_values() -> st.SearchStrategy[tuple[Any, str | None]]:
    """A cell's value and number format (None: the workbook's default)."""
    numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e9, 1e9, allow_nan=False), st.just(0.1 + 0.2))
    moments = st.datetimes(datetime(1900, 3, 1), datetime(2100, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)
    )
    return st.one_of(
        st.tuples(st.none(), st.none()),
        st.tuples(numbers, st.sampled_from([None, *NUMBER_FORMATS])),
        st.tuples(st.sampled_from(TEXTS), st.none()),
        st.tuples(st.booleans(), st.none()),
        st.tuples(st.one_of(moments, st.dates(date(1900, 3, 1), date(2100, 12, 31))), st.sampled_from(DATE_FORMATS)),
        st.tuples(st.times().map(lambda moment: moment.replace(microsecond=0)), st.sampled_from(["h:mm", "h:mm:ss"])),
        st.tuples(
            st.timedeltas(timedelta(0), timedelta(days=3)).map(lambda d: timedelta(seconds=d.seconds + d.days * 86400)),
            st.just("[h]:mm:ss"),
        ),
        st.tuples(st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!"]), st.none()),
        st.tuples(
            st.builds(
                Formula,
                st.sampled_from(["D2/E2", 'IF(C2>90,"Above","")', "SUM(A1:A3)"]),
                st.sampled_from([None, "", "0.9", "12"]),
            ),
            st.sampled_from([None, "0%"]),
        ),
    )


@st.composite
def sheet_rows(draw: st.DrawFn) -> list[list[tuple[Any, str | None]]]:
    rows: list[list[tuple[Any, str | None]]] = [
        [(draw(st.sampled_from(TEXTS)), None)] for _ in range(draw(st.integers(0, 2)))
    ]
    rows += [[] for _ in range(draw(st.integers(0, 1)))]
    if draw(st.integers(0, 5)):
        header = draw(st.permutations(list(COLUMNS)).map(lambda names: names[: draw(st.integers(2, len(names)))]))
        header = [draw(st.sampled_from([name, name.title(), f" {name} "])) for name in header]
        if draw(st.booleans()):
            header.append(draw(st.sampled_from(["colour", "Measure", ""])))
        rows.append([(name, None) for name in header])
    width = max((len(row) for row in rows), default=3) + draw(st.integers(0, 2))
    rows += draw(st.lists(st.lists(cell_values(), min_size=0, max_size=width), max_size=8))
    return rows


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Any]:
    titles = draw(st.lists(st.sampled_from(TITLES), min_size=1, max_size=3, unique_by=str.lower))
    return {
        "sheets": {title: draw(sheet_rows()) for title in titles},
        "hidden": draw(st.sets(st.sampled_from(titles))),
        "merged": draw(
            st.lists(st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(0, 2), st.integers(0, 2)), max_size=2)
        ),
        "date1904": draw(st.booleans()),
        "calculated": draw(st.booleans()),
        "shared": draw(st.booleans()),
        "unnumbered": draw(st.sampled_from([None, "cells", "rows"])),
    }


def write_workbook(path: Path, spec: dict[str, Any]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    if spec["date1904"]:
        book.epoch = CALENDAR_MAC_1904
    results: dict[str, dict[str, str]] = {}
    for index, (title, rows) in enumerate(spec["sheets"].items()):
        sheet = book.create_sheet(title)
        if title in spec["hidden"] and len(spec["hidden"]) < len(spec["sheets"]):
            sheet.sheet_state = "hidden"
        for number, row in enumerate(rows, start=1):
            for column, (value, number_format) in enumerate(row, start=1):
                cell = sheet.cell(number, column)
                if isinstance(value, Formula):
                    cell.value = "=" + value.text
                    if value.result is not None:
                        results.setdefault(f"sheet{index + 1}", {})[cell.coordinate] = value.result
                elif value is not None:
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "e" if value.startswith("#") else "s"
                if number_format:
                    cell.number_format = number_format
        if index == 0:
            for row, column, down, right in spec["merged"]:
                sheet.merge_cells(start_row=row, start_column=column, end_row=row + down, end_column=column + right)
    book.save(path)
    rewrite(path, spec, results)
    return path


def rewrite(path: Path, spec: dict[str, Any], results: dict[str, dict[str, str]]) -> None:
    """Change the saved XML as other programs write it: results saved with formulas, shared strings
    (some as rich-text runs), cells and rows without a reference."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    strings: list[str] = []
    for name in [name for name in parts if name.startswith("xl/worksheets/sheet")]:
        xml = parts[name].decode()
        for ref, value in results.get(name.rsplit("/", 1)[1].removesuffix(".xml"), {}).items():
            kind = ' t="str"' if value == "" else ""
            xml = re.sub(
                rf'<c r="{ref}"([^>]*)>(<f>[^<]*</f>)<v\s*/>', rf'<c r="{ref}"\g<1>{kind}>\g<2><v>{value}</v>', xml
            )
        if spec["shared"]:
            xml = re.sub(
                r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t>([^<]*)</t></is></c>', lambda m: shared(m, strings), xml
            )
        if spec["unnumbered"] == "cells":
            xml = re.sub(r'<c r="[A-Z]+\d+"', "<c", xml)
        elif spec["unnumbered"] == "rows":
            xml = re.sub(r'<row r="\d+"', "<row", xml)
            xml = re.sub(r'<c r="[A-Z]+\d+"', "<c", xml)
        parts[name] = xml.encode()
    if spec["calculated"] or results:
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    if strings:
        parts["xl/sharedStrings.xml"] = shared_strings(strings)
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
            b'.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def shared(match: re.Match[str], strings: list[str]) -> str:
    strings.append(html.unescape(match.group(3)))
    return f'<c {match.group(1)}t="s"{match.group(2)}><v>{len(strings) - 1}</v></c>'


def shared_strings(strings: list[str]) -> bytes:
    items = []
    for index, text in enumerate(strings):
        if index % 3 == 1 and len(text) > 1:  # rich text: two runs, the first with a font
            half = len(text) // 2
            items.append(
                f"<si><r><rPr><b/></rPr><t>{escape(text[:half])}</t></r><r><t>{escape(text[half:])}</t></r></si>"
            )
        elif index % 3 == 2:  # a phonetic guide, not part of the text
            items.append(f'<si><t xml:space="preserve">{escape(text)}</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>')
        else:
            items.append(f"<si><t>{escape(text)}</t></si>")
    return (
        f'<sst xmlns="{MAIN[1:-1]}" count="{len(strings)}" uniqueCount="{len(strings)}">{"".join(items)}</sst>'
    ).encode()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(spec=workbooks())
def test_random_workbooks_read_as_openpyxl_reads_them(
    spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_workbook(tmp_path_factory.mktemp("book") / "r.xlsx", spec)
    assert_read_as_openpyxl_reads(path)


# --- workbooks of the repository and the ones the tool writes --------------------------------------


def test_every_workbook_in_the_repository_reads_as_openpyxl_reads_it() -> None:
    paths = sorted(path for path in REPOSITORY.rglob("*.xlsx") if ".git" not in path.parts)
    assert PROJECTS / "mistakes" / "data" / "workbook.xlsx" in paths
    for path in paths:
        assert_read_as_openpyxl_reads(path)


def test_the_example_as_a_workbook_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    for source in sorted((REPOSITORY / "data").glob("*.csv")):
        target = tmp_path / source.with_suffix(".xlsx").name
        csv_to_workbook(source, target)
        assert_read_as_openpyxl_reads(target)


def test_a_due_template_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    out = tmp_path / "due.xlsx"
    result = invoke("due", "--project", str(project), "--as-at", "2018-06-30", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert_read_as_openpyxl_reads(out)


# --- what openpyxl does not write: parts as Excel and other programs save them -------------------

WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def package(path: Path, sheets: list[tuple[str, str, str]], styles: str = "", workbook_pr: str = "") -> Path:
    """A workbook written part by part: ``sheets`` are (name, relationship type, sheet XML inside
    ``<sheetData>``); relationship targets relative to the workbook part, as Excel writes them."""
    entries, rels, parts = [], [], {}
    for index, (name, kind, rows) in enumerate(sheets, start=1):
        folder = "chartsheets" if kind == "chartsheet" else "worksheets"
        entries.append(f'<sheet name="{name}" sheetId="{index}" r:id="rId{index}"/>')
        rels.append(f'<Relationship Id="rId{index}" Type="{RELATIONSHIP}/{kind}" Target="{folder}/sheet{index}.xml"/>')
        parts[f"xl/{folder}/sheet{index}.xml"] = (
            f'<worksheet xmlns="{MAIN[1:-1]}"><sheetData>{rows}</sheetData></worksheet>'
        )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPE}"/></Types>'
    )
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN[1:-1]}" xmlns:r="{RELATIONSHIP}">{workbook_pr}'
        f"<sheets>{''.join(entries)}</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>'
    )
    if styles:
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN[1:-1]}">{styles}</styleSheet>'
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>measure</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>period</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
)


def test_relative_targets_hidden_order_and_chart_and_dialog_sheets(tmp_path: Path) -> None:
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>m</t></is></c>'
        '<c r="B2" t="str"><v>2017-12</v></c><c r="C2"><v>88</v></c></row>'
    )
    path = package(
        tmp_path / "r.xlsx",
        [("Chart", "chartsheet", ""), ("Dialog", "dialogsheet", ""), ("Second", "worksheet", HEADER_ROW + row)],
    )
    assert [sheet.title for sheet in read_sheets(path)] == ["Second"]
    rows, problems = read_xlsx_rows(path)
    assert problems == [] and [row.cells for row in rows] == [{"measure": "m", "period": "2017-12", "value": "88"}]


@pytest.mark.parametrize(
    ("number_format", "serial", "text"),
    [
        (
            '<numFmts><numFmt numFmtId="14" formatCode="dd/mm/yyyy"/></numFmts>',
            "43070",
            "2017-12-01",
        ),  # 14 as a UK Excel saves it
        ("", "43070", "2017-12"),  # 17: mmm-yy, a month
        ("", "43435", "2018-12-01"),  # 31: a date in an East Asian Excel (yyyy年m月d日)
        ("", "43070.5", "2017-12-01"),  # 22: date and time
    ],
)
def test_dates_by_builtin_and_custom_formats(number_format: str, serial: str, text: str, tmp_path: Path) -> None:
    ids = {"43070": 14 if number_format else 17, "43435": 31, "43070.5": 22}
    styles = f'{number_format}<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="{ids[serial]}"/></cellXfs>'
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>m</t></is></c>'
        f'<c r="B2" s="1"><v>{serial}</v></c><c r="C2"><v>1</v></c></row>'
    )
    rows, problems = read_xlsx_rows(package(tmp_path / "r.xlsx", [("S", "worksheet", HEADER_ROW + row)], styles))
    assert problems == [] and rows[0].cells["period"] == text


def test_iso_dates_times_and_a_serial_beyond_the_calendar(tmp_path: Path) -> None:
    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    cells = '<c r="A{n}" t="inlineStr"><is><t>m</t></is></c>{period}<c r="C{n}"><v>1</v></c>'
    rows_xml = HEADER_ROW + "".join(
        f'<row r="{n}">' + cells.format(n=n, period=period) + "</row>"
        for n, period in [
            (2, '<c r="B2" t="d"><v>2017-12-31</v></c>'),
            (3, '<c r="B3" t="d"><v>2017-12-31T10:30:00</v></c>'),
            (4, '<c r="B4" t="d"><v>10:30:00</v></c>'),
            (5, '<c r="B5" s="1"><v>9999999</v></c>'),
        ]
    )
    rows, problems = read_xlsx_rows(package(tmp_path / "r.xlsx", [("S", "worksheet", rows_xml)], styles))
    assert [row.cells["period"] for row in rows] == ["2017-12-31", "2017-12-31"]
    assert [(problem.cell, problem.message.split(":")[0]) for problem in problems] == [
        ("S!B4", "column period"),
        ("S!B5", "column period"),
    ]
    assert "is a time (10:30:00), not a period" in problems[0].message
    assert "the cell shows the error #VALUE!" in problems[1].message


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda parts: parts.pop("xl/_rels/workbook.xml.rels"), "There is no item named 'xl/_rels/workbook.xml.rels'"),
        (lambda parts: parts.pop("[Content_Types].xml"), "There is no item named '[Content_Types].xml'"),
        (lambda parts: parts.update({"xl/worksheets/sheet1.xml": b"<worksheet"}), "unclosed token"),
        (lambda parts: parts.update({"[Content_Types].xml": b"<Types/>"}), "no valid workbook part"),
    ],
)
def test_damaged_packages_say_why(edit: Any, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = package(tmp_path / "r.xlsx", [("S", "worksheet", HEADER_ROW)])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    edit(parts)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    rows, problems = read_xlsx_rows(path)
    assert rows == [] and len(problems) == 1
    assert problems[0].message.startswith("cannot be read as an Excel workbook (.xlsx): ")
    assert reason in problems[0].message
