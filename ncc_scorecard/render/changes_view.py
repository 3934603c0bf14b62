"""Changes since the last period in words: the appendix section (``changes.html.j2`` sees
``v.changes``), the sentence of each change, and the ``changes`` command's text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from ..catalogue import Measure
from ..model import Change, ChangeKind, MeasureResult, Rag, ReportResult
from ..numbers import plural
from ..periods import Period, period_label, short_date
from ..revisions import Revision
from .badges import Badge, performance_badge, status_badge
from .words import CHANGE_KIND_WORDS, CHANGES_HEADING, performance_word, rag_words


@dataclass(frozen=True)
class ChangeView:
    """One change of one measure."""

    number: int
    """The measure's row number in the appendix table."""
    id: str
    title: str
    """The measure's title."""
    kind: str
    """What changed: "Performance", "Became overdue" or "No result"."""
    text: str
    """The change in one sentence ("Green → Red (worse): 22 in Nov 2017 → 24 in Dec 2017")."""
    before: Badge
    """The Performance (for a Performance change) or the status, as at the previous report date."""
    after: Badge
    """The same as at this report's date."""


@dataclass(frozen=True)
class ChangesView:
    """The section as a whole."""

    shown: bool
    """False when the report was computed without a comparison: the section is left out."""
    heading: str
    """"Changes since the last period"."""
    intro: str
    """What the section compares and how much changed, in a sentence."""
    before_header: str
    """The column header of the earlier position: "As at 30.11.17"."""
    after_header: str
    """"As at 31.12.17"."""
    items: tuple[ChangeView, ...]


def change_sentence(change: Change, report: ReportResult) -> str:
    """A change in one sentence, its periods in the report's label style:
    "Green → Red (worse): 22 in Nov 2017 → 24 in Dec 2017"; with targets by quarter or month, each
    figure's target when they differ ("18 in Apr–Jun 2024 (target 15) → 46 in Jul–Sep 2024 (target 50)")."""
    after = change.after
    if change.kind is ChangeKind.OVERDUE:
        due = _label(change.due, report, change.measure) if change.due else "the latest period"
        last = f"; the last is {_figure(after, report)}" if after.period else ""
        return f"Overdue: no result for {due}{last}"
    if change.kind is ChangeKind.NO_RESULT:
        return f"No result for any period up to {short_date(report.as_at)}"
    before = change.before
    judged = f" ({change.movement})" if change.movement else ""
    words = rag_words(report.names)
    text = f"{_word(before, words)} → {_word(after, words)}{judged}: "
    if before.period == after.period and before.target_display != after.target_display:
        targets = f"target {before.target_display or 'none'} → {after.target_display or 'none'}"
        return text + f"{targets} for {_figure(after, report)}"
    if change.measure.profiled and before.target_display != after.target_display:
        return text + f"{_figure(before, report, True)} → {_figure(after, report, True)}"
    return text + f"{_figure(before, report)} → {_figure(after, report)}"


def _word(row: MeasureResult, words: Mapping[Rag, str]) -> str:
    return performance_word(row.rag, row.value is not None, words)


def _label(period: Period, report: ReportResult, measure: Measure) -> str:
    return period_label(period, report.label_style, measure.years_in(report.start_month))


def _figure(row: MeasureResult, report: ReportResult, with_target: bool = False) -> str:
    if row.display is None or row.period is None:
        return "no result"
    target = f" (target {row.target_display or 'none'})" if with_target else ""
    return f"{row.display} in {_label(row.period, report, row.measure)}{target}"


def _badge(change: Change, row: MeasureResult, words: Mapping[Rag, str]) -> Badge:
    if change.kind is ChangeKind.RAG:
        return performance_badge(row.rag, row.value is not None, row.measure.data_only, words)
    return status_badge(row.status)


def changes_view(report: ReportResult) -> ChangesView:
    """The section's view of a computed report (empty and not shown when it has no comparison date)."""
    as_at = short_date(report.as_at)
    if report.changes_since is None:
        return ChangesView(False, CHANGES_HEADING, "", "", f"As at {as_at}", ())
    since = short_date(report.changes_since)
    words = rag_words(report.names)
    items = tuple(
        ChangeView(
            number=change.number,
            id=change.measure.id,
            title=change.measure.title,
            kind=CHANGE_KIND_WORDS[change.kind],
            text=change_sentence(change, report),
            before=_badge(change, change.before, words),
            after=_badge(change, change.after, words),
        )
        for change in report.changes
    )
    return ChangesView(True, CHANGES_HEADING, _intro(report, since), f"As at {since}", f"As at {as_at}", items)


def _intro(report: ReportResult, since: str) -> str:
    if not report.changes:
        return (
            f"Compared with the position as at {since}: "
            "no measure changed its Performance, became overdue or is without a result."
        )
    counts = {kind: sum(change.kind is kind for change in report.changes) for kind in ChangeKind}
    parts = []
    if counts[ChangeKind.RAG]:
        parts.append(f"{plural(counts[ChangeKind.RAG], 'change')} of Performance")
    if counts[ChangeKind.OVERDUE]:
        parts.append(f"{plural(counts[ChangeKind.OVERDUE], 'measure')} became overdue")
    if counts[ChangeKind.NO_RESULT]:
        parts.append(f"{plural(counts[ChangeKind.NO_RESULT], 'measure')} without a result")
    return f"Compared with the position as at {since}: " + ", ".join(parts) + "."


def changes_text(reports: Sequence[ReportResult]) -> str:
    """The changes of several reports for a terminal (``ncc-scorecard changes``)."""
    blocks = []
    for report in reports:
        since = short_date(report.changes_since) if report.changes_since else "?"
        lines = [f"{report.report.title} ({report.report.id}): changes between {since} and {short_date(report.as_at)}"]
        if not report.changes:
            lines.append("  no changes")
        width = max((len(change.measure.id) for change in report.changes), default=0)
        for change in report.changes:
            sentence = change_sentence(change, report)
            lines.append(f"  {change.number:>2}. {change.measure.id.ljust(width)}  {sentence}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def revisions_text(revised: Sequence[Revision]) -> str:
    """The revisions of published figures, for ``changes``: a heading per published report date, a
    line per figure ("" when there are none)."""
    if not revised:
        return ""
    lines = []
    for (report, day), group in groupby(revised, key=lambda r: (r.report, r.as_at)):
        lines.append(f"\n{report}: revised since publication as at {day.isoformat()}")
        lines += [f"  {r.text}" + ("" if not r.acknowledged else " (acknowledged)") for r in group]
    return "\n".join(lines) + "\n"
