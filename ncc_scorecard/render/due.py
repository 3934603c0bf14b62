"""The list of results due, for people: a table for the terminal, or a fill-in template (CSV or
Excel) with the result file's columns that loads back unchanged once filled in."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from ..catalogue import Catalogue, Measure
from ..due import DueResult
from ..periods import LabelStyle, period_label, short_date
from ..rows import COLUMNS
from .exports import neutralise


def due_table(
    due: Sequence[DueResult], as_at: date, measures: int, start_month: int = 4, style: LabelStyle = "natural"
) -> str:
    """The list for a terminal: one line per measure, the title last so nothing is cut."""
    if not due:
        return (
            f"Nothing due as at {short_date(as_at)}: all {measures} measures have a result for their latest period.\n"
        )
    header = ("measure", "due for", "last result", "owner", "title")
    lines = [
        (
            item.measure.id,
            period_label(item.period, style, item.measure.years_in(start_month)),
            period_label(item.last, style, item.measure.years_in(start_month)) if item.last else "none",
            item.measure.owner or "–",
            item.measure.title,
        )
        for item in due
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header) - 1)]
    text = [f"{len(due)} of {measures} measures have a result due as at {short_date(as_at)}:", ""]
    for row in [header, *lines]:
        text.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    return "\n".join(text) + "\n"


def due_output(fmt: str, due: Sequence[DueResult], catalogue: Catalogue, as_at: date, measures: int) -> bytes:
    """The list in a format: ``table`` (text), ``csv`` or ``xlsx`` (fill-in templates)."""
    if fmt == "csv":
        return template_csv(due)
    if fmt == "xlsx":
        return template_xlsx(due, catalogue.organisation, as_at)
    return due_table(due, as_at, measures, catalogue.year_start_month, catalogue.period_labels).encode("utf-8")


def template_csv(due: Sequence[DueResult]) -> bytes:
    """A fill-in result file: the result file header, one row per due result with its period, value blank.

    UTF-8 with a byte-order mark and CRLF, as Excel reads and writes "CSV UTF-8".
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in due:
        writer.writerow([neutralise(item.measure.id), neutralise(item.period_text), "", "", "", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(due: Sequence[DueResult], organisation: str, as_at: date) -> bytes:
    """A fill-in workbook: a Results sheet that loads back unchanged and a Measures sheet of guidance."""
    from .workbook import TemplateRow, template_workbook

    rows = [
        TemplateRow(
            measure=item.measure.id,
            period=item.period_text,
            title=item.measure.title,
            unit=item.measure.label,
            owner=item.measure.owner or "",
            guidance=_guidance(item.measure),
        )
        for item in due
    ]
    notes = [
        f"Results due as at {short_date(as_at)}: fill in the Results sheet, one row per measure.",
        "Give the value, or the numerator and denominator and leave the value blank. Comments and actions "
        "are printed in the committee report. Keep the column headings as they are.",
    ]
    return template_workbook(rows, f"{organisation}: results due", notes)


def _guidance(measure: Measure) -> str:
    parts = []
    if measure.underlying:
        parts.append("Underlying data: " + measure.underlying)
    if measure.unit in {"percentage", "rate"}:
        base = "a percentage" if measure.unit == "percentage" else measure.label.lower()
        parts.append(f"value as {base}, or numerator and denominator")
    return "; ".join(parts)
