"""A problem with a project file and where it is: the leaf every other module may import.

Nothing here imports the rest of the package (or click), so readers, loaders and the error
classes that print problems all depend on this module and never on each other.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a project file, and where it is."""

    path: Path | None
    """The file; None for a problem with what was given on the command line (a report date)."""
    line: int | None
    message: str
    cell: str | None = None
    """A spreadsheet cell (``Sheet1!B7``), shown instead of the line for workbooks."""
    column: str | None = None
    """The result-file column the problem is about (``value``, or an unknown ``colour``), as data:
    the message names it for people, this names it for code (a workbook reader finds its cell)."""
    severity: Severity = "error"
    """An error stops a build; a warning is printed (``path:line: warning: …``) and counted, and
    ``--strict`` makes it stop the build too."""
    kind: str | None = None
    """What problems like this one are, in the plural ("duplicate rows"), for a listing that shows the
    first few of each kind and counts the rest; None counts it with the other problems of its file."""

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        shown = display_path(self.path)
        if self.cell:
            return f"{shown}:{self.cell}"
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        label = "warning: " if self.is_warning else ""
        text = f"{self.location}: {label}{self.message}" if self.location else f"{label}{self.message}"
        return printable(text, keep="")


MOST_SHOWN = 20
"""How many problems of a kind a listing shows before it counts the rest."""


def listing(problems: Sequence[Problem], most: int = MOST_SHOWN) -> list[Problem | str]:
    """The problems to print, in order: the first ``most`` of each kind (:attr:`Problem.kind`, else the
    problems or warnings of one file), and after the last of them a line counting the rest of that
    kind ("… and 999,990 more duplicate rows"). A million bad rows print a screenful, not 70 MB."""
    counts = Counter(_kind(problem) for problem in problems)
    shown: Counter[str] = Counter()
    lines: list[Problem | str] = []
    for problem in problems:
        kind = _kind(problem)
        shown[kind] += 1
        if shown[kind] <= most:
            lines.append(problem)
        if shown[kind] == most and counts[kind] > most:
            lines.append(printable(f"… and {counts[kind] - most:,} more {kind}", keep=""))
    return lines


def _kind(problem: Problem) -> str:
    if problem.kind:
        return problem.kind
    words = "warnings" if problem.is_warning else "problems"
    return f"{words} in {display_path(problem.path)}" if problem.path is not None else words


_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters: C0 (ESC among them), DEL, C1, and the marks that reorder text (bidirectional
controls), which a terminal or a log viewer would act on instead of showing."""


def printable(text: str, keep: str = "\n\t") -> str:
    """``text`` safe to print on a terminal or in a CI log: each control character (but those in
    ``keep``) shown as its escape (``\\x1b``, ``\\u202e``), so text from a file can neither change the
    terminal (colours, its title, a cleared screen) nor forge a line of output. A problem is one
    line, so :class:`Problem` keeps nothing; a message of several lines keeps its line breaks."""
    return _CONTROL_RE.sub(lambda match: _escape(match.group()) if match.group() not in keep else match.group(), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def outside_project(path: Path, root: Path) -> Problem | None:
    """The problem for a project file or folder that is a link (or lies in a linked folder) leading
    outside the project ``root``; None when it stays inside. Such a file is never read, and the
    message says nothing of where the link points."""
    if Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return None
    message = "is a link leading outside the project, so it is not read: copy what it links to into the project"
    return Problem(path, None, message)


def links_leaving(folder: Path, root: Path) -> list[Problem]:
    """A problem for ``folder`` if it is a link leading outside ``root``, else for each file or folder
    inside it that is (its linked folders are not entered)."""
    problem = outside_project(folder, root)
    if problem is not None or not folder.is_dir():
        return [problem] if problem else []
    problems = []
    for parent, folders, files in os.walk(folder):
        for name in sorted(folders + files):
            found = outside_project(Path(parent) / name, root)
            if found is not None:
                problems.append(found)
                if name in folders:
                    folders.remove(name)
    return problems


def unreadable(path: Path, error: OSError) -> Problem:
    """The problem for a file or folder the system would not read: missing (a broken link), a folder,
    no permission."""
    return Problem(path, None, f"cannot be read: {error.strerror or error}")


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook is one: name it .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook or another Office file"),
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\x00\x00\xfe\xff", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text (it starts with a UTF-16 byte order mark)"),
    (b"\xfe\xff", "UTF-16 text (it starts with a UTF-16 byte order mark)"),
)


def not_text(data: bytes) -> tuple[str, int] | None:
    """What a file that should be UTF-8 text is instead, and the line to point at: an image, a PDF, a
    zip archive or an Office file (by its first bytes), UTF-16 or UTF-32 text (by its byte order mark,
    or NUL bytes between the letters), or a binary file (a NUL byte); None for anything else."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind, 1
    nul = data.find(b"\x00")
    if nul < 0:
        return None
    sample = data[:4096]
    if len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4):
        return "UTF-16 text (NUL bytes between the letters)", 1
    return "a binary file, not text (it holds a NUL byte)", data.count(b"\n", 0, nul) + 1
