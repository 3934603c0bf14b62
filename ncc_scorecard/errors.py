"""Errors the command line prints cleanly, with the problems (:mod:`ncc_scorecard.problems`) behind them."""

from __future__ import annotations

import click

from .annotations import show_problems
from .numbers import plural
from .problems import Problem, listing, printable


class ScorecardError(click.ClickException):
    """The root of every error the tool reports; exit status 1."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

    def format_message(self) -> str:
        """Every problem, then the message; control characters shown escaped (:func:`printable`)."""
        lines = [str(line) for line in listing(self.problems)]
        if self.message:
            lines.append(printable(self.message))
        return "\n".join(lines)

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        if self.problems:
            show_problems(self.problems, printable(self.message), file)
            return
        click.echo(self.format_message(), err=True, file=file)


class InvalidProject(ScorecardError):
    """The catalogue or the result files have problems (or, under ``--strict``, warnings); nothing was written."""

    def __init__(self, problems: list[Problem], strict: bool = False) -> None:
        super().__init__(f"{found(problems, strict)}; nothing was written.", problems)


def found(problems: list[Problem], strict: bool = False) -> str:
    """ "2 problems found", "2 problems and 1 warning found", "1 warning found (an error under --strict)"."""
    errors = sum(not problem.is_warning for problem in problems)
    warnings = len(problems) - errors
    parts = [plural(errors, "problem")] if errors or not warnings else []
    if warnings:
        parts.append(plural(warnings, "warning"))
    strictly = " (an error under --strict)" if strict and warnings == 1 else " (errors under --strict)"
    return " and ".join(parts) + " found" + (strictly if strict and warnings else "")


class RenderError(ScorecardError):
    """A template or the PDF renderer failed for one report."""


class UnknownReport(ScorecardError):
    """A report id that the catalogue does not have: wrong usage (exit status 2)."""

    exit_code = 2


class OutOverInputs(ScorecardError):
    """An output folder that is, holds or lies inside the project's own files: wrong usage (exit status 2)."""

    exit_code = 2


class RepublishRefused(ScorecardError):
    """A report date is already published with other figures, and no ``--revise`` reason was given."""

    exit_code = 1
