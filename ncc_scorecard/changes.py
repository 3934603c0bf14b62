"""The exception report: what changed since the last period. Pure functions, no I/O, no words.

A report is computed twice, as at its date and as at the previous report date, from the same
results; comparing the two rows of each measure gives its changes (:class:`~.model.ChangeKind`):
its Performance (RAG) changed, it became overdue, or it has no result at all.

The previous report date is the end of the period before the latest one that has ended, in the
report's most frequent measure frequency: as at 31 Dec 2017 a mostly monthly report compares with
30 Nov 2017, a mostly quarterly one with 30 Sep 2017, a mostly weekly one with Sunday 24 Dec 2017
(the end of the week before the latest ended), a mostly biennial one with 31 Mar 2015 (two years
before the end of the latest financial year ended). Rebuilding the report as at that date gives
exactly the figures the comparison uses. The sentences describing a change are written in
``render/changes_view.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from .calculator import compute_report
from .catalogue import Catalogue, Report
from .model import Change, ChangeKind, MeasureResult, ReportResult, Status
from .periods import FREQUENCIES, latest_ended, step
from .results import NotAvailable, Result


def main_frequency(catalogue: Catalogue, report: Report) -> str:
    """The report's most frequent measure frequency (the shorter period on a tie)."""
    counts = Counter(catalogue.measure(measure_id).frequency for measure_id in report.measure_ids)
    return max(counts, key=lambda frequency: (counts[frequency], -FREQUENCIES.index(frequency)))


def previous_report_date(catalogue: Catalogue, report: Report, as_at: date) -> date:
    """The date of the report before the one as at ``as_at``: the end of the period before the
    latest one that has ended, in the report's most frequent frequency."""
    frequency = main_frequency(catalogue, report)
    return step(latest_ended(frequency, as_at, catalogue.year_start_month), frequency, -1).end


def measure_changes(number: int, before: MeasureResult, after: MeasureResult) -> list[Change]:
    """The changes of one measure between two computed rows."""
    changes = []
    if before.rag != after.rag:
        changes.append(Change(after.measure, number, ChangeKind.RAG, before, after))
    if after.status is Status.OVERDUE and before.status is not Status.OVERDUE:
        changes.append(Change(after.measure, number, ChangeKind.OVERDUE, before, after, after.overdue_period))
    if after.status is Status.NO_DATA:
        changes.append(Change(after.measure, number, ChangeKind.NO_RESULT, before, after))
    return changes


def report_changes(before: ReportResult, after: ReportResult) -> tuple[Change, ...]:
    """Every change between two computations of the same report, in report order."""
    previous = {row.measure.id: row for row in before.rows}
    changes: list[Change] = []
    for number, row in enumerate(after.rows, start=1):
        if row.measure.id in previous:
            changes += measure_changes(number, previous[row.measure.id], row)
    return tuple(changes)


def compute_with_changes(
    catalogue: Catalogue,
    report: Report,
    by_measure: Mapping[str, Sequence[Result]],
    as_at: date,
    since: date | None = None,
    unavailable: Mapping[str, Sequence[NotAvailable]] | None = None,
) -> ReportResult:
    """A report as at ``as_at`` with its changes since ``since`` (default: the previous report date)."""
    current = compute_report(catalogue, report, by_measure, as_at, unavailable)
    since = since or previous_report_date(catalogue, report, as_at)
    return with_changes(current, compute_report(catalogue, report, by_measure, since, unavailable))


def with_changes(current: ReportResult, previous: ReportResult) -> ReportResult:
    """``current`` with its changes since ``previous``, the same report computed as at an earlier date
    (a pipeline that computes many dates computes each once and pairs them here)."""
    return replace(current, changes=report_changes(previous, current), changes_since=previous.as_at)
