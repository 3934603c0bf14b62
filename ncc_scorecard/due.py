"""Which results are due: measures with no result yet for the latest period that has ended.

A measure is due when its status (SPEC §4) as at the date is ``overdue`` or ``no-data``: it has
no result for the latest period of its frequency that has ended, and that figure is not marked
not available. The list becomes a table for the
terminal, or a fill-in template (CSV or Excel) with the result file's columns that a service
fills in and the performance team drops into ``data/`` unchanged (``render/due.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .calculator import current_result, not_available_entry, status
from .catalogue import Catalogue, Measure
from .model import Status
from .periods import Period, latest_due, period_text
from .results import NotAvailable, Result


@dataclass(frozen=True)
class DueResult:
    """A result that is due: the measure, the period it is due for, and the last one held."""

    measure: Measure
    period: Period
    """The latest period of the measure's frequency that has ended."""
    period_text: str
    """The period as a result file names it (``2024-W05``, ``2018-01``, ``2017/18 Q3``, ``2017/18``)."""
    last: Period | None
    """The latest period with a result, or None."""
    status: Status
    """``overdue`` (an older result is held) or ``no-data``."""


def due_results(
    catalogue: Catalogue,
    by_measure: Mapping[str, Sequence[Result]],
    as_at: date,
    measure_ids: Sequence[str] | None = None,
    unavailable: Mapping[str, Sequence[NotAvailable]] | None = None,
) -> list[DueResult]:
    """The measures (all, or those named, in that order) without a result for their latest ended period."""
    ids = list(dict.fromkeys(measure_ids)) if measure_ids is not None else [m.id for m in catalogue.measures]
    due = []
    for measure_id in ids:
        measure = catalogue.measure(measure_id)
        current = current_result(by_measure.get(measure_id, ()), as_at)
        last = current.period if current else None
        lag = catalogue.lag_for(measure)
        years = measure.years
        period = latest_due(measure.frequency, as_at, years.start_month, lag, measure.survey_year_start)
        gap = not_available_entry((unavailable or {}).get(measure_id, ()), last, period)
        state = status(last, period, gap is not None)
        if state in (Status.UP_TO_DATE, Status.NOT_AVAILABLE):
            continue
        due.append(
            DueResult(
                measure=measure,
                period=period,
                period_text=period_text(period, measure.frequency, years),
                last=last,
                status=state,
            )
        )
    return due
