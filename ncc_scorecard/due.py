"""Which results are due: measures with no result yet for the latest period that has ended.

A measure is due when its status (SPEC §4) as at the date is not ``up-to-date``: it has no
result for the latest period of its frequency that has ended. The list becomes a table for the
terminal, or a fill-in template (CSV or Excel) with the result file's columns that a service
fills in and the performance team drops into ``data/`` unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .calculator import current_result, status
from .catalogue import Catalogue, Measure
from .periods import Period, financial_year_of, latest_ended, period_name, short_date
from .render.exports import neutralise
from .results import COLUMNS, Result


@dataclass(frozen=True)
class DueResult:
    """A result that is due: the measure, the period it is due for, and the last one held."""

    measure: Measure
    period: Period
    """The latest period of the measure's frequency that has ended."""
    period_text: str
    """The period as a result file names it (``2018-01``, ``2017/18 Q3``, ``2017/18``)."""
    period_name: str
    """The period for people (``Jan 2018``, ``Oct–Dec 2017``, ``2017/18``)."""
    last: Period | None
    """The latest period with a result, or None."""
    status: str
    """``overdue`` (an older result is held) or ``no-data``."""


def due_results(
    catalogue: Catalogue, results: Sequence[Result], as_at: date, measure_ids: Sequence[str] | None = None
) -> list[DueResult]:
    """The measures (all, or those named, in that order) without a result for their latest ended period."""
    start_month = catalogue.year_start_month
    by_measure: dict[str, list[Result]] = {}
    for result in results:
        by_measure.setdefault(result.measure, []).append(result)
    ids = list(dict.fromkeys(measure_ids)) if measure_ids is not None else [m.id for m in catalogue.measures]
    due = []
    for measure_id in ids:
        measure = catalogue.measure(measure_id)
        current = current_result(by_measure.get(measure_id, []), as_at)
        last = current.period if current else None
        state = status(last, measure.frequency, as_at, start_month)
        if state == "up-to-date":
            continue
        period = latest_ended(measure.frequency, as_at, start_month)
        due.append(
            DueResult(
                measure=measure,
                period=period,
                period_text=period_text(period, measure.frequency, start_month),
                period_name=period_name(period, start_month),
                last=last,
                status=state,
            )
        )
    return due


def period_text(period: Period, frequency: str, start_month: int = 4) -> str:
    """How a result file names a measure's period: ``2018-01``; ``2017/18 Q3``; ``2017/18``."""
    if start_month == 1 or frequency == "monthly":
        return period.key
    year = financial_year_of(period.start, start_month)
    if frequency == "annual":
        return year.label
    return f"{year.label} Q{(period.start - year.period.start) // 3 + 1}"


def due_table(due: Sequence[DueResult], as_at: date, measures: int, start_month: int = 4) -> str:
    """The list for a terminal: one line per measure, the title last so nothing is cut."""
    if not due:
        return (
            f"Nothing due as at {short_date(as_at)}: all {measures} measures have a result for their latest period.\n"
        )
    header = ("measure", "due for", "last result", "owner", "title")
    lines = [
        (
            item.measure.id,
            item.period_name,
            period_name(item.last, start_month) if item.last else "none",
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
    return due_table(due, as_at, measures, catalogue.year_start_month).encode("utf-8")


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
    from .xlsx import TemplateRow, template_workbook

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
