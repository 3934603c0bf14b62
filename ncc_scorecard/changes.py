"""The exception report: what changed since the last period. Pure functions, no I/O.

A report is computed twice, as at its date and as at the previous report date, from the same
results; comparing the two rows of each measure gives its changes:

- ``rag``: its Performance (RAG) changed, e.g. green → red (or gained or lost a RAG);
- ``overdue``: it became overdue (it was not overdue before);
- ``no-result``: it has no result at all.

The previous report date is the end of the period before the latest one that has ended, in the
report's most frequent measure frequency: as at 31 Dec 2017 a mostly monthly report compares with
30 Nov 2017, a mostly quarterly one with 30 Sep 2017. Rebuilding the report as at that date gives
exactly the figures the comparison uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .calculator import MeasureResult, ReportResult, compute_report
from .catalogue import Catalogue, Measure, Report
from .periods import MONTHS, latest_ended, period_name, short_date
from .results import Result

KINDS = ("rag", "overdue", "no-result")
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
STATUS_WORDS = {"up-to-date": "up to date", "overdue": "overdue", "no-data": "no result"}
_RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class Change:
    """One change of one measure between the previous report date and this one."""

    measure: Measure
    number: int
    """The measure's row number in the report (1 for the first)."""
    kind: str
    """``rag``, ``overdue`` or ``no-result``."""
    before: MeasureResult
    """The measure's row as at the previous report date."""
    after: MeasureResult
    """The measure's row as at this report's date."""
    text: str
    """The change in one sentence, e.g. "Green → Red (worse): 22 in Nov 2017 → 24 in Dec 2017"."""

    @property
    def old(self) -> str | None:
        """What changed, before: the RAG for ``rag``, the status otherwise (as in the JSON)."""
        return self.before.rag if self.kind == "rag" else self.before.status

    @property
    def new(self) -> str | None:
        return self.after.rag if self.kind == "rag" else self.after.status

    @property
    def direction(self) -> str | None:
        """For a RAG change: ``better`` or ``worse`` (None when either side has no RAG)."""
        if self.kind != "rag" or self.before.rag is None or self.after.rag is None:
            return None
        return "better" if _RAG_ORDER[self.after.rag] > _RAG_ORDER[self.before.rag] else "worse"


def main_frequency(catalogue: Catalogue, report: Report) -> str:
    """The report's most frequent measure frequency (the shorter period on a tie)."""
    counts = Counter(catalogue.measure(measure_id).frequency for measure_id in report.measure_ids)
    return max(counts, key=lambda frequency: (counts[frequency], -MONTHS[frequency]))


def previous_report_date(catalogue: Catalogue, report: Report, as_at: date) -> date:
    """The date of the report before the one as at ``as_at``: the end of the period before the
    latest one that has ended, in the report's most frequent frequency."""
    frequency = main_frequency(catalogue, report)
    return latest_ended(frequency, as_at, catalogue.year_start_month).shift(-1).end


def rag_word(row: MeasureResult) -> str:
    """A row's Performance as the appendix prints it: Green, Amber, Red, No target or No result."""
    if row.rag is not None:
        return RAG_WORDS[row.rag]
    return "No result" if row.value is None else "No target"


def _figure(row: MeasureResult) -> str:
    if row.display is None or row.period is None:
        return "no result"
    return f"{row.display} in {row.period.label}"


def _rag_text(before: MeasureResult, after: MeasureResult) -> str:
    judged = ""
    if before.rag is not None and after.rag is not None:
        judged = " (better)" if _RAG_ORDER[after.rag] > _RAG_ORDER[before.rag] else " (worse)"
    text = f"{rag_word(before)} → {rag_word(after)}{judged}: "
    if before.period == after.period and before.target_display != after.target_display:
        return (
            text + f"target {before.target_display or 'none'} → {after.target_display or 'none'} for {_figure(after)}"
        )
    return text + f"{_figure(before)} → {_figure(after)}"


def _overdue_text(after: MeasureResult, as_at: date, start_month: int) -> str:
    due = latest_ended(after.measure.frequency, as_at, start_month)
    last = f"; the last is {_figure(after)}" if after.period else ""
    return f"Overdue: no result for {period_name(due, start_month)}{last}"


def measure_changes(
    number: int, before: MeasureResult, after: MeasureResult, as_at: date, start_month: int = 4
) -> list[Change]:
    """The changes of one measure between two computed rows."""
    changes = []
    if before.rag != after.rag:
        changes.append(Change(after.measure, number, "rag", before, after, _rag_text(before, after)))
    if after.status == "overdue" and before.status != "overdue":
        changes.append(
            Change(after.measure, number, "overdue", before, after, _overdue_text(after, as_at, start_month))
        )
    if after.status == "no-data":
        text = f"No result for any period up to {short_date(as_at)}"
        changes.append(Change(after.measure, number, "no-result", before, after, text))
    return changes


def report_changes(before: ReportResult, after: ReportResult, start_month: int = 4) -> tuple[Change, ...]:
    """Every change between two computations of the same report, in report order."""
    previous = {row.measure.id: row for row in before.rows}
    changes: list[Change] = []
    for number, row in enumerate(after.rows, start=1):
        if row.measure.id in previous:
            changes += measure_changes(number, previous[row.measure.id], row, after.as_at, start_month)
    return tuple(changes)


def compute_with_changes(
    catalogue: Catalogue, report: Report, results: Sequence[Result], as_at: date, since: date | None = None
) -> ReportResult:
    """A report as at ``as_at`` with its changes since ``since`` (default: the previous report date)."""
    current = compute_report(catalogue, report, results, as_at)
    since = since or previous_report_date(catalogue, report, as_at)
    previous = compute_report(catalogue, report, results, since)
    return replace(current, changes=report_changes(previous, current, catalogue.year_start_month), changes_since=since)


def change_data(change: Change) -> dict[str, Any]:
    """A change in the JSON output (``changes`` list) and in ``ncc-scorecard changes --format json``."""
    return {
        "id": change.measure.id,
        "title": change.measure.title,
        "kind": change.kind,
        "from": change.old,
        "to": change.new,
        "direction": change.direction,
        "from_period": change.before.period.key if change.before.period else None,
        "to_period": change.after.period.key if change.after.period else None,
        "from_display": change.before.display,
        "to_display": change.after.display,
        "text": change.text,
    }


def changes_document(reports: Sequence[ReportResult]) -> dict[str, Any]:
    """The changes of several reports, as ``ncc-scorecard changes --format json`` prints them."""
    return {
        "reports": [
            {
                "report": report.report.id,
                "title": report.report.title,
                "as_at": report.as_at.isoformat(),
                "since": report.changes_since.isoformat() if report.changes_since else None,
                "changes": [change_data(change) for change in report.changes],
            }
            for report in reports
        ]
    }


def changes_text(reports: Sequence[ReportResult]) -> str:
    """The changes of several reports for a terminal."""
    blocks = []
    for report in reports:
        since = short_date(report.changes_since) if report.changes_since else "?"
        lines = [f"{report.report.title} ({report.report.id}): changes between {since} and {short_date(report.as_at)}"]
        if not report.changes:
            lines.append("  no changes")
        width = max((len(change.measure.id) for change in report.changes), default=0)
        for change in report.changes:
            lines.append(f"  {change.number:>2}. {change.measure.id.ljust(width)}  {change.text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


__all__ = [
    "KINDS",
    "Change",
    "change_data",
    "changes_document",
    "changes_text",
    "compute_with_changes",
    "measure_changes",
    "previous_report_date",
    "report_changes",
]
