"""Revisions: figures of a published report that differ when the same date is computed from
today's data (a late return, a corrected count). Pure functions: the records are read elsewhere."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .problems import Problem, display_path
from .records import Record
from .results import Result

FIGURES = (
    ("display", "value"),
    ("numerator", "numerator"),
    ("denominator", "denominator"),
    ("target_display", "target"),
    ("previous_year_display", "previous year"),
    ("rag", "performance"),
    ("direction", "direction of travel"),
    ("status", "status"),
)
"""The figures of a measure compared with its published record: the JSON key and what it is called."""


@dataclass(frozen=True)
class Revision:
    """One figure that differs from what was published."""

    report: str
    as_at: date
    """The published report date."""
    measure: str
    period: str | None
    """The period key of the published result (``2017-11``)."""
    period_label: str | None
    figure: str
    """What changed: "value", "target", "performance" …"""
    published: Any
    now: Any
    result: Result | None = None
    """Today's result for that period (its file and line), when there is one."""
    acknowledged: bool = False
    """Named in the catalogue's ``revisions``, or republished since with ``--revise``."""

    @property
    def text(self) -> str:
        """ "sw-caseload Nov 2017: published 24, now 25 (data/2017-11.csv:4)" """
        where = f" ({display_path(self.result.path)}:{self.result.line})" if self.result is not None else ""
        return self.change + where

    @property
    def change(self) -> str:
        """ "sw-caseload Nov 2017: published 24, now 25" """
        what = "" if self.figure == "value" else f" {self.figure}"
        when = f" {self.period_label}" if self.period_label else ""
        return f"{self.measure}{when}{what}: published {_text(self.published)}, now {_text(self.now)}"

    def problem(self) -> Problem:
        """The revision as a warning, at today's result row when there is one."""
        message = (
            f"'{self.report}' as at {self.as_at.isoformat()} was published with other figures: {self.change}; "
            "acknowledge it in the catalogue's `revisions` or republish with `publish --revise REASON`"
        )
        if self.result is not None:
            return self.result.problem(message)
        return Problem(None, None, message, severity="warning")


def _text(value: Any) -> str:
    return "none" if value is None or value == "" else str(value)


def revisions(
    record: Record,
    now: Mapping[str, Any],
    by_measure: Mapping[str, Sequence[Result]],
    acknowledged: Collection[tuple[str, str]] = (),
) -> list[Revision]:
    """Every figure of ``record`` that ``now`` (the same report and date computed today, as JSON)
    gives otherwise, in the published order of measures; ``acknowledged`` are (measure, period)
    pairs the catalogue's ``revisions`` names."""
    today = {m["id"]: m for m in now.get("measures", [])}
    found = []
    for published in record.scorecard.get("measures", []):
        current = today.get(published.get("id"))
        if current is None:
            continue
        period = published.get("period")
        result = next((r for r in by_measure.get(published["id"], ()) if r.period.key == period), None)
        for key, figure in FIGURES:
            if key in published and published.get(key) != current.get(key):
                found.append(
                    Revision(
                        report=record.report,
                        as_at=record.as_at,
                        measure=published["id"],
                        period=period,
                        period_label=published.get("period_label"),
                        figure=figure,
                        published=published.get(key),
                        now=current.get(key),
                        result=result,
                        acknowledged=(published["id"], period or "") in acknowledged,
                    )
                )
    return found
