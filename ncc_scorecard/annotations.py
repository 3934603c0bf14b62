"""Problems as GitHub Actions annotations (``::error file=…,line=…::…``, ``::warning …``).

When ``GITHUB_ACTIONS=true`` the runner turns these lines into annotations on the file and
line in the workflow summary and on pull requests. Elsewhere problems print as plain
``path:line: message``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from .problems import Problem, display_path, listing


def in_github_actions() -> bool:
    """True when running as a GitHub Actions step."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: Path) -> str:
    """The path GitHub expects: relative to the checked-out repository (``GITHUB_WORKSPACE``)."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        try:
            return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(workspace))).as_posix()
        except ValueError:
            pass
    return Path(display_path(path)).as_posix()


def annotation(problem: Problem) -> str:
    """One workflow command, ``::error`` or ``::warning`` by the problem's severity. The message
    repeats the location, so the log reads on its own.

    A line is given for text files only: a workbook's problems name their cell in the message.
    A problem with no file (the report date given on the command line) has no ``file=``.
    """
    properties = []
    if problem.path is not None:
        properties.append(f"file={_escape_property(annotation_path(problem.path))}")
        if problem.line and not problem.cell:
            properties.append(f"line={problem.line}")
    where = f" {','.join(properties)}" if properties else ""
    return f"::{problem.severity}{where}::{_escape_data(str(problem))}"


def show_problems(problems: Iterable[Problem], message: str = "", file: IO[Any] | None = None) -> None:
    """Print problems for where the tool runs: on GitHub Actions as annotations (on standard output,
    where the runner reads commands), elsewhere as ``path:line: message`` on standard error; then
    ``message``, a summary, on standard error."""
    lines = listing(list(problems))
    if in_github_actions():  # a count of the rest is a plain line of the log, not an annotation
        for line in lines:
            click.echo(annotation(line) if isinstance(line, Problem) else line, file=file)
    elif lines:
        click.echo("\n".join(str(line) for line in lines), err=file is None, file=file)
    if message:
        click.echo(message, err=file is None, file=file)
