"""Fill-in templates as Excel workbooks (``ncc-scorecard due --format xlsx``), written with openpyxl
(imported only here, only when a workbook is written)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..rows import COLUMNS
from .exports import neutralise
from .palette import COLOURS


@dataclass(frozen=True)
class TemplateRow:
    """One row of a fill-in template: the measure and period to fill in, and what helps to fill it."""

    measure: str
    period: str
    title: str
    unit: str
    owner: str
    guidance: str
    """How the value is made up: the measure's underlying-data sentence or a note on its unit."""


def template_workbook(rows: Sequence[TemplateRow], title: str, notes: Iterable[str] = ()) -> bytes:
    """A fill-in workbook: a ``Results`` sheet with the result file header (period filled in, value
    blank) that loads back unchanged, and a ``Measures`` sheet saying what each measure is.

    The Measures sheet has no ``period`` column, so reading the workbook back skips it. Every text
    cell is an inline string, neutralised as the CSV export is: catalogue text is never a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    results = workbook.active
    results.title = "Results"
    results.append(list(COLUMNS))
    header_font = Font(bold=True, color=COLOURS.excel(COLOURS.background))
    header_fill = PatternFill("solid", fgColor=COLOURS.excel(COLOURS.brand))
    for cell in results[1]:
        cell.font = header_font
        cell.fill = header_fill
    for row in rows:
        results.append([row.measure, row.period, None, None, None, None, None])
    last = max(len(rows) + 1, 2)
    for number in range(2, last + 1):
        results[f"B{number}"].number_format = "@"  # 2018-01 stays text, not a date
        for column in "FG":
            results[f"{column}{number}"].alignment = Alignment(wrap_text=True, vertical="top")
    numbers = DataValidation(type="custom", formula1="ISNUMBER(C2)", allow_blank=True)
    numbers.error = "Type a number (or leave it blank and give numerator and denominator)."
    numbers.errorTitle = "Not a number"
    results.add_data_validation(numbers)
    numbers.add(f"C2:E{last}")
    for column, width in zip("ABCDEFG", (34, 11, 11, 12, 13, 60, 60), strict=True):
        results.column_dimensions[column].width = width
    results.freeze_panes = "A2"

    info = workbook.create_sheet("Measures")
    info.append([_legal(title)])
    info["A1"].font = Font(bold=True, size=13)
    for note in notes:
        info.append([_legal(note)])
    info.append([])
    info.append(["measure id", "title", "unit", "owner", "how the value is made up"])
    heading = info.max_row
    for cell in info[heading]:
        cell.font = header_font
        cell.fill = header_fill
    for row in rows:
        info.append([_legal(text) for text in (row.measure, row.title, row.unit, row.owner, row.guidance)])
        for cell in info[info.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDE", (34, 60, 12, 24, 60), strict=True):
        info.column_dimensions[column].width = width
    for sheet in workbook.worksheets:
        _text_only(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _legal(text: str | None) -> str | None:
    """Catalogue text with the control characters a workbook cannot hold (openpyxl refuses them) shown
    as escapes (``\\x1f``), as messages show them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return None if text is None else ILLEGAL_CHARACTERS_RE.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _text_only(sheet: Any) -> None:
    """Every text cell of ``sheet`` as text (``=1+1`` as ``'=1+1``, as the CSV export writes it), never
    a formula, which openpyxl would otherwise make of text starting with ``=``; numbers stay numbers."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = neutralise(cell.value)
                cell.data_type = "s"  # written as an inline string (t="inlineStr")
