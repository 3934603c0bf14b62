"""Errors the command line prints cleanly, with the problems (:mod:`ncc_scorecard.problems`) behind them."""

from __future__ import annotations

import click

from .annotations import in_github_actions, show_annotated
from .problems import Problem


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
        if self.problems and in_github_actions():
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
