"""What the "Changes since the last period" section (``changes.html.j2``) sees: ``v.changes``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..periods import short_date

if TYPE_CHECKING:
    from ..calculator import ReportResult
    from .view import Badge

KIND_TEXT = {"rag": "Performance", "overdue": "Became overdue", "no-result": "No result"}
HEADING = "Changes since the last period"


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


def changes_view(report: ReportResult) -> ChangesView:
    """The section's view of a computed report (empty and not shown when it has no comparison date)."""
    from .view import performance_badge, status_badge

    as_at = short_date(report.as_at)
    if report.changes_since is None:
        return ChangesView(False, HEADING, "", "", f"As at {as_at}", ())
    since = short_date(report.changes_since)
    items = tuple(
        ChangeView(
            number=change.number,
            id=change.measure.id,
            title=change.measure.title,
            kind=KIND_TEXT[change.kind],
            text=change.text,
            before=performance_badge(change.before) if change.kind == "rag" else status_badge(change.before),
            after=performance_badge(change.after) if change.kind == "rag" else status_badge(change.after),
        )
        for change in report.changes
    )
    return ChangesView(True, HEADING, _intro(report, since), f"As at {since}", f"As at {as_at}", items)


def _intro(report: ReportResult, since: str) -> str:
    if not report.changes:
        return (
            f"Compared with the position as at {since}: "
            "no measure changed its Performance, became overdue or is without a result."
        )
    counts = {kind: sum(change.kind == kind for change in report.changes) for kind in KIND_TEXT}
    parts = []
    if counts["rag"]:
        parts.append(f"{counts['rag']} change{'s' if counts['rag'] != 1 else ''} of Performance")
    if counts["overdue"]:
        parts.append(f"{counts['overdue']} measure{'s' if counts['overdue'] != 1 else ''} became overdue")
    if counts["no-result"]:
        parts.append(f"{counts['no-result']} measure{'s' if counts['no-result'] != 1 else ''} without a result")
    return f"Compared with the position as at {since}: " + ", ".join(parts) + "."
