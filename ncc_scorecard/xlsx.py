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
The workbook's XML is read by :mod:`ncc_scorecard.sheetxml`, one streaming pass over each sheet.
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .problems import Problem, unreadable
from .rows import COLUMNS, RawRow, check_header
from .sheetxml import (
    MAX_PART_BYTES,  # noqa: F401 (the limits are the workbook reader's, named here too)
    MAX_ROW,
    Cell,
    Sheet,
    TooLarge,
    Unreadable,
    read_sheets,
)

UNSUPPORTED_SUFFIXES = (".xls", ".xlsb", ".ods")
FIELD_LIMIT = csv.field_size_limit()
"""The most characters a cell may hold, as for a CSV field (131,072)."""
HEADER_SEARCH_ROWS = 20
"""How far down a sheet the header row may be (title rows above it are ignored)."""
NUMBER_COLUMNS = ("value", "numerator", "denominator")

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
    refused = _refused(path)
    if refused is not None:
        return [], [refused]
    try:
        sheets = list(read_sheets(path))
    except TooLarge as exc:
        return [], [Problem(path, None, str(exc))]
    except _DAMAGED as exc:  # a damaged or foreign file: zip, XML and format errors alike
        return [], [_damaged(path, exc)]
    return read_tables(path, sheets)


def read_tables(path: Path, sheets: list[Sheet]) -> tuple[list[RawRow], list[Problem]]:
    """The result tables of a workbook's sheets: each sheet whose header row has measure and period."""
    tables = [(sheet, header_row) for sheet in sheets if (header_row := _find_header(sheet)) is not None]
    if not tables:
        return [], _no_table_problems(path, sheets)
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for sheet, header_row in tables:
        sheet_rows, sheet_problems = _read_sheet(path, sheet, header_row)
        rows += sheet_rows
        problems += sheet_problems
    return rows, problems


_DAMAGED = (
    Unreadable,
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OverflowError,
    EOFError,
    NotImplementedError,  # a zip compression method Python does not have
    RuntimeError,  # a zip archive with a password
    OSError,
)


def _damaged(path: Path, exc: Exception) -> Problem:
    reason = str(exc) or type(exc).__name__
    return Problem(path, None, f"cannot be read as an Excel workbook (.xlsx): {reason}")


def _refused(path: Path) -> Problem | None:
    """The problem that stops a file being read as a workbook before it is opened: another kind of
    spreadsheet, an Office file that is not an .xlsx inside, a file the system will not read."""
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
    return None


def _find_header(sheet: Sheet) -> int | None:
    """The row number of the sheet's header (the first row naming measure and period), or None."""
    for number, cells in _rows(sheet, last=HEADER_SEARCH_ROWS):
        if {"measure", "period"} <= {_header_name(cell.value) for cell in cells.values()}:
            return number
    return None


def _rows(sheet: Sheet, first: int = 1, last: int = MAX_ROW) -> Iterator[tuple[int, dict[int, Cell]]]:
    """The rows from ``first`` to ``last`` that have cells, each with its cells by column number.

    Only the cells the workbook holds are visited: a sheet's grid would make a cell of every blank
    between them, and a single cell at XFD1048576 would make 17 thousand million."""
    for number in sorted(sheet.rows):
        if first <= number <= last:
            cells = sheet.rows[number]
            if cells:
                yield number, cells if _in_order(cells) else dict(sorted(cells.items()))


def _in_order(cells: dict[int, Cell]) -> bool:
    previous = 0
    for column in cells:
        if column < previous:
            return False
        previous = column
    return True


def _row_values(cells: dict[int, Cell]) -> list[Any]:
    """The values of a row's cells by position (None where the workbook holds no cell)."""
    values: list[Any] = [None] * max(cells, default=0)
    for column, cell in cells.items():
        values[column - 1] = cell.value
    return values


def _header_name(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _no_table_problems(path: Path, sheets: list[Sheet]) -> list[Problem]:
    """No sheet has a header with measure and period: report the first sheet's first row."""
    if not sheets:
        return [Problem(path, None, "has no worksheets")]
    sheet = sheets[0]
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


def _read_sheet(path: Path, sheet: Sheet, header_row: int) -> tuple[list[RawRow], list[Problem]]:
    names = [_header_name(value) for value in _row_values(sheet.rows[header_row])]
    while names and not names[-1]:
        names.pop()
    problems = [
        replace(problem, cell=_header_cell(sheet.title, header_row, names, problem.column))
        for problem in check_header(names, path, header_row)
    ]
    if problems:
        return [], problems
    letters = {name: column_letter(index) for index, name in enumerate(names, start=1) if name}
    rows: list[RawRow] = []
    for number, cells in _rows(sheet, header_row + 1):
        present = [
            (column, cell)
            for column, cell in cells.items()
            if (cell.value is not None and str(cell.value).strip()) or cell.formula is not None
        ]
        if not present:
            continue
        row = SheetRow({}, path, number, sheet=sheet.title, letters=letters)
        texts: dict[str, str] = {}
        row_problems: list[Problem] = []
        for column, cell in present:
            name = names[column - 1] if column <= len(names) else ""
            if not name:
                row_problems.append(
                    Problem(
                        path,
                        number,
                        "this cell is outside the table: its column has no header",
                        cell=f"{sheet_ref(sheet.title)}!{column_letter(column)}{number}",
                    )
                )
                continue
            try:
                texts[name] = cell_text(cell, name)
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
    number = names.index(column) + 1 if column in names else 1
    return f"{sheet_ref(sheet)}!{column_letter(number)}{row}"


def column_letter(number: int) -> str:
    """A column's letters: 1 is A, 27 is AA, 16384 is XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_text(cell: Cell, column: str) -> str:
    """The text a cell gives a result column, as a user reading the sheet would expect."""
    value = cell.value
    if cell.formula is not None:
        formula = f"the formula ={cell.formula}" if cell.formula else "the formula in this cell"
        raise CellError(
            f"{formula} has no saved result: the workbook was saved by a program that does not calculate "
            "formulas. Open it in Excel or LibreOffice Calc and save it again, or type the value"
        )
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > FIELD_LIMIT:
        raise CellError(f"holds {len(value):,} characters, more than a cell may hold ({FIELD_LIMIT:,})")
    if cell.error:
        raise CellError(f"the cell shows the error {value}: correct the formula or type the value")
    if isinstance(value, bool):
        if column in NUMBER_COLUMNS:
            raise CellError(f"{'TRUE' if value else 'FALSE'} is not a number")
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date)):
        day = value.date() if isinstance(value, datetime) else value
        if column == "period":
            month = day.day == 1 and not _shows_day(cell.number_format)
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
        return number_text(value, cell.number_format)
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
