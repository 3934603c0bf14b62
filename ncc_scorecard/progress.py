"""How far a build has got: a progress bar on a terminal, plain lines in a log, or nothing.

Progress goes to standard error, so standard output carries only the summary of what was written.
"""

from __future__ import annotations

import sys
from typing import IO, Any, TextIO, cast

import click


class Progress:
    """Told about each finished step of a build; this base class stays silent (``--quiet``)."""

    def start(self, total: int, label: str) -> None:
        """``total`` steps are about to run."""

    def advance(self, item: str) -> None:
        """One more step finished: ``item`` names it (a report id)."""

    def finish(self) -> None:
        """Every step finished (or the build stopped)."""


class LineProgress(Progress):
    """One line per finished step, for logs and pipes: ``[2/5] childrens-safeguarding``."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def start(self, total: int, label: str) -> None:
        self.total, self.done = total, 0
        click.echo(label, file=self.stream, err=self.stream is None)

    def advance(self, item: str) -> None:
        self.done += 1
        width = len(str(self.total))
        click.echo(f"[{self.done:>{width}}/{self.total}] {item}", file=self.stream, err=self.stream is None)


class BarProgress(Progress):
    """A click progress bar on an interactive terminal."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None
        self.current = ""

    def start(self, total: int, label: str) -> None:
        self.bar = click.progressbar(
            length=total, label=label, file=cast(TextIO, self.stream), item_show_func=lambda _: self.current or None
        )
        self.bar.__enter__()

    def advance(self, item: str) -> None:
        if self.bar is not None:
            self.current = item
            self.bar.update(1)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def make_progress(quiet: bool = False, stream: IO[str] | None = None) -> Progress:
    """Nothing when quiet, a bar on a terminal, plain lines otherwise."""
    if quiet:
        return Progress()
    target = stream or sys.stderr
    if target.isatty():
        return BarProgress(target)
    return LineProgress(stream)
