"""Errors the command line prints cleanly, each problem carrying its ``path:line``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a project file, and where it is."""

    path: Path
    line: int | None
    message: str
    cell: str | None = None
    """A spreadsheet cell (``Sheet1!B7``), shown instead of the line for workbooks."""

    @property
    def location(self) -> str:
        shown = display_path(self.path)
        if self.cell:
            return f"{shown}:{self.cell}"
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


class ScorecardError(click.ClickException):
    """The root of every error the tool reports; exit status 1."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def format_message(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        if self.problems and os.environ.get("GITHUB_ACTIONS") == "true":
            from .annotations import show_annotated

            show_annotated(self.problems, self.message, file)
            return
        click.echo(self.format_message(), err=True, file=file)


class InvalidProject(ScorecardError):
    """The catalogue or the result files have problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", problems)


class RenderError(ScorecardError):
    """A template or the PDF renderer failed for one report."""


class UnknownReport(ScorecardError):
    """A report id that the catalogue does not have: wrong usage (exit status 2)."""

    exit_code = 2
