"""Excel workbooks (``data/*.xlsx``) as result files (fill-in templates are written by ``render/workbook.py``).

A workbook is read like a CSV file: each sheet whose header row has ``measure`` and ``period``
is a table of results (the first sheet when none has). Cells become the text a user sees in
Excel, so the checks of :mod:`ncc_scorecard.results` apply unchanged (the columns, the row and
the header check both readers share are in :mod:`ncc_scorecard.rows`):

- numbers as Excel shows them in General format (15 significant digits, no ``2025.0``);
- a cell formatted as a percentage (0.8 shown as 80%) gives 80;
- a date in the period column on the 1st, shown without its day, gives its month (Excel turns
  ``2017-12`` typed in a cell into 1 Dec 2017, shown as ``Dec-17``); any other date is a date, the
  period that holds it (``31/12/2017``; ``01/04/2024``, the week commencing that Monday);
- formulas give the result Excel saved with the workbook; a formula saved without a result
  (a workbook written by a program that does not calculate) is a located problem.

Problems name the cell: ``results.xlsx:Sheet1!C7: column value: 'n/a' is not a number``.
openpyxl is imported only when a workbook is read.
"""

from __future__ import annotations

import csv
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.etree import ElementTree

from .problems import Problem, unreadable
from .rows import COLUMNS, RawRow, check_header

UNSUPPORTED_SUFFIXES = (".xls", ".xlsb", ".ods")
MAX_PART_BYTES = 32 * 2**20
"""The most one part of a workbook (a sheet's XML, its shared strings) may hold unpacked: 32 MB, about
250,000 rows of results. A small file that unpacks to more (a zip bomb) is refused before it is read."""
MAX_UNPACKED_BYTES = 64 * 2**20
"""The most a whole workbook may hold unpacked: 64 MB."""
MAX_MERGED_CELLS = 100_000
"""The most cells a sheet's merged ranges may cover (each is made a cell when the workbook is read)."""
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
"""Excel's own grid (column XFD): a sheet whose size or cells reach beyond it is refused."""
FIELD_LIMIT = csv.field_size_limit()
"""The most characters a cell may hold, as for a CSV field (131,072)."""
HEADER_SEARCH_ROWS = 20
"""How far down a sheet the header row may be (title rows above it are ignored)."""
NUMBER_COLUMNS = ("value", "numerator", "denominator")

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_QUOTED_FORMAT_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_PLAIN_SHEET_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_CELL_LIKE_RE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


class CellError(ValueError):
    """A cell whose content cannot be used as it is."""


@dataclass(frozen=True)
class SheetRow(RawRow):
    """A row of a worksheet: problems name the cell (``Sheet1!C7``) rather than a line."""

    sheet: str = ""
    letters: dict[str, str] = field(default_factory=dict)
    """The column letter of each column name."""

    def cell(self, column: str | None = None) -> str:
        """The reference of this row's cell in ``column`` (the measure cell for the row as a whole)."""
        letter = self.letters.get(column or "measure") or self.letters.get("measure") or "A"
        return f"{sheet_ref(self.sheet)}!{letter}{self.line}"


def sheet_ref(title: str) -> str:
    """A sheet's name as a cell reference writes it: ``Sheet1``, ``'Dec results'``."""
    if _PLAIN_SHEET_RE.match(title) and not _CELL_LIKE_RE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


# --- reading -------------------------------------------------------------------------------------


def read_xlsx_rows(path: Path) -> tuple[list[RawRow], list[Problem]]:
    """Read the result tables of a workbook; every problem names its cell."""
    workbook = _open(path)
    if isinstance(workbook, Problem):
        return [], [workbook]
    try:
        uncached = _uncached_formulas(path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        uncached = {}
    tables = [(sheet, header_row) for sheet in workbook.worksheets if (header_row := _find_header(sheet)) is not None]
    if not tables:
        return [], _no_table_problems(path, workbook)
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for sheet, header_row in tables:
        sheet_rows, sheet_problems = _read_sheet(path, sheet, header_row, uncached)
        rows += sheet_rows
        problems += sheet_problems
    return rows, problems


def _open(path: Path) -> Any | Problem:
    """The workbook (an openpyxl ``Workbook``), or the problem that stops it being read."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        kind = {
            ".xls": "an Excel 97-2003 workbook",
            ".xlsb": "an Excel binary workbook",
            ".ods": "an OpenDocument spreadsheet",
        }
        return Problem(
            path, None, f"is {kind[suffix]}, which cannot be read: save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
        )
    try:
        with path.open("rb") as file:
            start = file.read(8)
    except OSError as exc:
        return unreadable(path, exc)
    if start == _OLE_MAGIC:
        return Problem(
            path,
            None,
            "is not an .xlsx workbook inside (an Excel 97-2003 file renamed, or a workbook protected with a "
            "password): save it from Excel as 'Excel Workbook (.xlsx)' without a password",
        )
    try:
        too_large = _too_large(path)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, ValueError, EOFError):
        too_large = None  # a damaged file: openpyxl says what is wrong with it
    if too_large is not None:
        return too_large
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops (data validation, …)
            return openpyxl.load_workbook(path, data_only=True, rich_text=False)
    except Exception as exc:  # a damaged or foreign file: zipfile, XML and openpyxl errors alike
        reason = str(exc) or type(exc).__name__
        return Problem(path, None, f"cannot be read as an Excel workbook (.xlsx): {reason}")


def _find_header(sheet: Any) -> int | None:
    """The row number of the sheet's header (the first row naming measure and period), or None."""
    for number, cells in _rows(sheet, last=HEADER_SEARCH_ROWS):
        if {"measure", "period"} <= {_header_name(cell.value) for cell in cells}:
            return number
    return None


def _rows(sheet: Any, first: int = 1, last: int = MAX_ROW) -> Iterator[tuple[int, list[Any]]]:
    """The rows from ``first`` to ``last`` that have cells, each with its cells in column order.

    Only the cells the workbook holds are visited: a sheet's grid (``iter_rows``) would make a cell of
    every blank between them, and a single cell at XFD1048576 would make 17 thousand million."""
    by_row: dict[int, list[tuple[int, Any]]] = {}
    for (row, column), cell in sheet._cells.items():  # openpyxl's cells by (row, column)
        if first <= row <= last:
            by_row.setdefault(row, []).append((column, cell))
    for row in sorted(by_row):
        yield row, [cell for _, cell in sorted(by_row[row], key=lambda item: item[0])]


def _row_values(cells: list[Any]) -> list[Any]:
    """The values of a row's cells by position (None where the workbook holds no cell)."""
    values: list[Any] = [None] * (max((cell.column for cell in cells), default=0))
    for cell in cells:
        values[cell.column - 1] = cell.value
    return values


def _header_name(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _no_table_problems(path: Path, workbook: Any) -> list[Problem]:
    """No sheet has a header with measure and period: report the first sheet's first row."""
    if not workbook.worksheets:
        return [Problem(path, None, "has no worksheets")]
    sheet = workbook.worksheets[0]
    for number, cells in _rows(sheet):
        row = _row_values(cells)
        if any(value is not None and str(value).strip() for value in row):
            names = [_header_name(value) for value in row]
            return [
                replace(problem, cell=_header_cell(sheet.title, number, names, problem.column))
                for problem in check_header(names, path, number)
            ] or [
                Problem(
                    path, number, "no header row with measure and period", cell=f"{sheet_ref(sheet.title)}!A{number}"
                )
            ]
    where = f"{sheet_ref(sheet.title)}!A1"
    return [Problem(path, None, f"is empty: a result sheet needs a header row ({','.join(COLUMNS[:3])},…)", cell=where)]


def _read_sheet(
    path: Path, sheet: Any, header_row: int, uncached: dict[tuple[str, str], str]
) -> tuple[list[RawRow], list[Problem]]:
    from openpyxl.utils import get_column_letter

    header = next(cells for _, cells in _rows(sheet, header_row, header_row))
    names = [_header_name(value) for value in _row_values(header)]
    while names and not names[-1]:
        names.pop()
    problems = [
        replace(problem, cell=_header_cell(sheet.title, header_row, names, problem.column))
        for problem in check_header(names, path, header_row)
    ]
    if problems:
        return [], problems
    letters = {name: get_column_letter(index) for index, name in enumerate(names, start=1) if name}
    rows: list[RawRow] = []
    for number, cells in _rows(sheet, header_row + 1):
        present = [
            cell
            for cell in cells
            if (cell.value is not None and str(cell.value).strip()) or (sheet.title, cell.coordinate) in uncached
        ]
        if not present:
            continue
        row = SheetRow({}, path, number, sheet=sheet.title, letters=letters)
        texts: dict[str, str] = {}
        row_problems: list[Problem] = []
        for cell in present:
            index = cell.column - 1
            name = names[index] if index < len(names) else ""
            if not name:
                row_problems.append(
                    Problem(
                        path,
                        number,
                        "this cell is outside the table: its column has no header",
                        cell=f"{sheet_ref(sheet.title)}!{cell.coordinate}",
                    )
                )
                continue
            try:
                texts[name] = cell_text(cell, name, uncached.get((sheet.title, cell.coordinate)))
            except CellError as exc:
                row_problems.append(row.problem(str(exc), name))
        if row_problems:
            problems += row_problems
            continue
        rows.append(
            SheetRow(
                {name: texts.get(name, "") for name in names if name}, path, number, sheet=sheet.title, letters=letters
            )
        )
    return rows, problems


def _header_cell(sheet: str, row: int, names: list[str], column: str | None) -> str:
    """The header cell of ``column`` (its first, if given twice); the first cell for a missing column."""
    from openpyxl.utils import get_column_letter

    number = names.index(column) + 1 if column in names else 1
    return f"{sheet_ref(sheet)}!{get_column_letter(number)}{row}"


def cell_text(cell: Any, column: str, uncached_formula: str | None = None) -> str:
    """The text a cell gives a result column, as a user reading the sheet would expect."""
    value = cell.value
    if uncached_formula is not None:
        formula = f"the formula ={uncached_formula}" if uncached_formula else "the formula in this cell"
        raise CellError(
            f"{formula} has no saved result: the workbook was saved by a program that does not calculate "
            "formulas. Open it in Excel or LibreOffice Calc and save it again, or type the value"
        )
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > FIELD_LIMIT:
        raise CellError(f"holds {len(value):,} characters, more than a cell may hold ({FIELD_LIMIT:,})")
    if cell.data_type == "e":
        raise CellError(f"the cell shows the error {value}: correct the formula or type the value")
    if isinstance(value, bool):
        if column in NUMBER_COLUMNS:
            raise CellError(f"{'TRUE' if value else 'FALSE'} is not a number")
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date)):
        day = value.date() if isinstance(value, datetime) else value
        if column == "period":
            month = day.day == 1 and not _shows_day(cell.number_format or "General")
            return f"{day.year:04d}-{day.month:02d}" if month else day.isoformat()
        if column in NUMBER_COLUMNS:
            raise CellError(
                f"is a date ({day.isoformat()}), not a number: Excel read what was typed as a date; "
                "format the cell as Number and type the value again"
            )
        return day.isoformat()
    if isinstance(value, (time, timedelta)):
        if column in NUMBER_COLUMNS or column == "period":
            raise CellError(f"is a time ({value}), not a {'number' if column != 'period' else 'period'}")
        return str(value)
    if isinstance(value, (int, float)):
        return number_text(value, cell.number_format or "General")
    return str(value)


def number_text(value: int | float, number_format: str = "General") -> str:
    """A number as Excel shows it in General format; percentage formats give the percentage (0.8 → 80)."""
    number = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
    if _is_percentage(number_format):
        number *= 100
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def _shows_day(number_format: str) -> bool:
    """Whether a date format shows the day (``dd/mm/yyyy``, ``d-mmm-yy``), not only month and year (``mmm-yy``)."""
    return "d" in _QUOTED_FORMAT_RE.sub("", number_format).lower()


def _is_percentage(number_format: str) -> bool:
    """Whether a number format scales by 100 (a % outside quotes, escapes and [colour] codes)."""
    return "%" in _QUOTED_FORMAT_RE.sub("", number_format)


def _uncached_formulas(path: Path) -> dict[tuple[str, str], str]:
    """Formula cells saved without a result, by (sheet name, cell): what openpyxl cannot tell from a blank.

    Excel and LibreOffice save each formula's last result beside it (``<v>``; empty only for a
    text result, ``t="str"``). Programs that write workbooks without calculating leave it out or
    empty, or ask the next application to calculate everything on opening (``fullCalcOnLoad``).
    """
    found: dict[tuple[str, str], str] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return found
        targets = {
            rel.get("Id"): rel.get("Target", "")
            for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(
                f"{_PACKAGE_REL_NS}Relationship"
            )
        }
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        calc = book.find(f"{_MAIN_NS}calcPr")
        never_calculated = calc is not None and calc.get("fullCalcOnLoad") in {"1", "true"}
        for sheet in book.iter(f"{_MAIN_NS}sheet"):
            target = targets.get(sheet.get(f"{_REL_NS}id"), "")
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            if part not in names:
                continue
            title = sheet.get("name", "")
            with archive.open(part) as stream:
                for _, element in ElementTree.iterparse(stream):
                    if element.tag != f"{_MAIN_NS}c":
                        continue
                    formula = element.find(f"{_MAIN_NS}f")
                    if formula is not None:
                        result = element.find(f"{_MAIN_NS}v")
                        empty = result is None or (not result.text and element.get("t") != "str")
                        if never_calculated or empty:
                            found[(title, element.get("r", ""))] = formula.text or ""
                    element.clear()
    return found


def _too_large(path: Path) -> Problem | None:
    """The problem when a workbook is too large to read: it unpacks to more than :data:`MAX_PART_BYTES`
    in a part or :data:`MAX_UNPACKED_BYTES` in all, a sheet's size or cells reach beyond Excel's grid,
    or its merged ranges cover more than :data:`MAX_MERGED_CELLS` cells. Checked on the packed file,
    reading each sheet as a stream, before the workbook is loaded."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        for member in members:
            if member.file_size > MAX_PART_BYTES:
                return Problem(
                    path,
                    None,
                    f"is too large to read: its part {member.filename} unpacks to {member.file_size:,} bytes, "
                    f"more than the {MAX_PART_BYTES // 2**20} MB a part may hold; split the results into "
                    "several workbooks",
                )
        total = sum(member.file_size for member in members)
        if total > MAX_UNPACKED_BYTES:
            return Problem(
                path,
                None,
                f"is too large to read: it unpacks to {total:,} bytes, more than the "
                f"{MAX_UNPACKED_BYTES // 2**20} MB a workbook may hold; split the results into several workbooks",
            )
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                with archive.open(member) as stream:
                    problem = _sheet_too_large(path, _Capped(stream, member.file_size))
                if problem is not None:
                    return problem
    return None


def _sheet_too_large(path: Path, stream: _Capped) -> Problem | None:
    """A sheet whose size (``<dimension ref>``) or cells reach beyond Excel's grid, or whose merged
    ranges cover too many cells."""
    merged = 0
    for _, element in ElementTree.iterparse(stream):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in {"dimension", "mergeCell", "c", "row"}:
            ref = element.get("ref" if tag in {"dimension", "mergeCell"} else "r", "")
            corners = [_cell_position(part) for part in ref.split(":")] if tag != "row" else []
            if tag == "row" and ref.isdigit():
                corners = [(int(ref), 1)]
            if any(row > MAX_ROW or column > MAX_COLUMN for row, column in corners):
                return Problem(
                    path,
                    None,
                    f"has a sheet whose cells reach {ref}, beyond Excel's last cell XFD{MAX_ROW}: it is damaged "
                    "or was not written by a spreadsheet program",
                )
            if tag == "mergeCell" and len(corners) == 2:
                (top, left), (bottom, right) = corners
                merged += (abs(bottom - top) + 1) * (abs(right - left) + 1)
                if merged > MAX_MERGED_CELLS:
                    return Problem(
                        path,
                        None,
                        f"has a sheet whose merged cells cover more than {MAX_MERGED_CELLS:,} cells: unmerge them "
                        "(a result sheet needs no merged cells)",
                    )
        if tag in {"c", "row", "mergeCell"}:
            element.clear()
    return None


def _cell_position(ref: str) -> tuple[int, int]:
    """The (row, column) of a cell reference such as ``XFD1048576`` or ``$B$7``; (0, 0) if it is not one."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,7})\$?(\d{1,12})", ref.strip())
    if not match:
        return 0, 0
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


class _Capped:
    """A stream that refuses to give more than ``limit`` bytes (a part that unpacks to more than its
    recorded size), whatever the archive says of it."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._left = limit

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise ValueError("a part of the workbook unpacks to more than its recorded size")
        return data
