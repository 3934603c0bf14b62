"""What every result file reader shares: the columns, a row as read, and the header check.

The CSV reader (:mod:`ncc_scorecard.results`) and the workbook reader (:mod:`ncc_scorecard.xlsx`)
both build on this module, so neither needs the other.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, Severity

COLUMNS = ("measure", "period", "value", "numerator", "denominator", "comment", "action")
"""The columns of a result file, as templates write them."""
OPTIONAL_COLUMNS = ("provisional",)
"""Columns a result file may add: ``provisional`` (yes/no) marks a figure that may be revised."""
ACCEPTED = COLUMNS + OPTIONAL_COLUMNS
REQUIRED = ("measure", "period")


@dataclass(frozen=True)
class RawRow:
    """A row as read from a file: cell texts by lower-case column name, and where it is."""

    cells: dict[str, str]
    path: Path
    line: int

    def problem(
        self, message: str, column: str | None = None, *, at: str | None = None, severity: Severity = "error"
    ) -> Problem:
        """A problem with this row. ``column`` is the column it is about: named in the message
        (``column value: …``) and kept as data. ``at`` is the column whose cell to point at when
        that is another (or the message names none); only a workbook has cells to point at."""
        where = f"column {column}: " if column else ""
        cell = self.cell(at or column)
        return Problem(self.path, self.line, where + message, cell=cell, column=column, severity=severity)

    def cell(self, column: str | None = None) -> str | None:
        """The reference of this row's cell in ``column``; None in a text file, located by its line."""
        return None


def check_header(names: list[str], path: Path, line: int) -> list[Problem]:
    """Problems with a header row: unknown, repeated or missing columns, each naming its column as data."""
    problems = []
    for name in names:
        if name and name not in ACCEPTED:
            one_line = " ".join(name.split())
            guess = difflib.get_close_matches(one_line.replace(" ", ""), ACCEPTED, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"the columns are {', '.join(ACCEPTED)}"
            if one_line != name.strip() and any(mark in name for mark in "\r\n"):
                message = f"the header cell '{one_line}' holds a line break: a column name is one line; {hint}"
            else:
                message = f"unknown column '{name}'; {hint}"
            problems.append(Problem(path, line, message, column=name))
    for name in sorted({n for n in names if n and names.count(n) > 1}):
        problems.append(Problem(path, line, f"column '{name}' is given twice", column=name))
    for name in REQUIRED:
        if name not in names:
            problems.append(
                Problem(
                    path,
                    line,
                    f"missing column '{name}' (the header needs measure and period, "
                    "and value or numerator and denominator)",
                    column=name,
                )
            )
    return problems
