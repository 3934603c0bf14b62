"""Whether a build's outputs are up to date, decided before anything is loaded.

A digest covers everything that can change what ``build`` or ``site`` writes: the content of every
project input (``measures.yaml`` and every file under ``data/``, ``benchmarks/``, ``templates/`` and
``published/``, listed afresh each time, plus any other file the last build read), the options that
change outputs, today's date, the tool's version and its own files (code, default templates,
fonts) and the installed packages. A build that succeeded leaves a small state file in
``OUT/.cache``: the digest, each output with its size and times, and the warnings it printed. When
the next build's digest is the same and every output is still as written, nothing needs doing.

Standard library only, and nothing of the package beyond :mod:`problems`: the command line calls
this before it imports the catalogue, the results or the renderers.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem, Severity

PROJECT_INPUTS = ("measures.yaml", "data", "benchmarks", "templates", "published")
"""What every build reads from a project (a folder: every file in it, however deep)."""
CACHE_DIR = ".cache"
"""The folder of ``OUT`` the tool keeps for itself (the PDF cache, and the state files here)."""
SCHEMA = 1
"""The state file's layout; a state of another one is ignored."""
_SKIPPED = {"__pycache__"}
"""Folders of the package that Python writes itself, and no build reads."""


def default_templates_dir() -> Path:
    """The packaged default templates (``ncc_scorecard/templates`` in an installed wheel,
    the top-level ``templates/`` folder in a source checkout)."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / "templates"


def package_roots() -> list[Path]:
    """The tool's own files: the package (code) and its default templates (stylesheets, fonts)."""
    package = Path(__file__).resolve().parent
    templates = default_templates_dir()
    return [package] if templates.is_relative_to(package) else [package, templates]


def installed() -> list[str]:
    """The installed distributions and their versions, as the names of their ``*.dist-info`` (and
    ``*.egg-info``) folders on ``sys.path``: any upgrade of WeasyPrint, pikepdf, Jinja, pydantic, PyYAML,
    openpyxl or what they use changes the list. Listing the folders takes well under a millisecond."""
    names = []
    for entry in sys.path:
        try:
            names += [f"{entry}/{name}" for name in os.listdir(entry or ".") if name.endswith(("-info", ".pth"))]
        except OSError:  # a zip file, or a folder that is not there
            names.append(entry)
    return sorted(names)


def walk(folder: Path, skip: Iterable[str] = ()) -> Iterator[tuple[Path, str]]:
    """Every file in ``folder``, however deep, in a stable order, through linked folders (each real
    folder once) as the tool's readers go through them; links and broken links included. With each
    file, the real path of its folder (where the links lead)."""
    skipped = set(skip)
    seen: set[str] = set()
    for parent, folders, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(parent)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders[:] = sorted(name for name in folders if name not in skipped)
        for name in sorted(files):
            yield Path(parent) / name, real


def _add_file(digest: Any, label: str, path: Path, folder: str = "") -> None:
    """A file's name, where it really is (through links), and its content (or why it cannot be read)
    into ``digest``: a link leading outside the project is refused by the build, not read."""
    target = os.path.realpath(path) if path.is_symlink() else os.path.join(folder, path.name) if folder else ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        data, label = b"", f"{label}\0unreadable {exc.errno}"
    digest.update(f"{label}\0{target}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
    digest.update(data)


def _add_path(digest: Any, label: str, path: Path, skip: Iterable[str] = ()) -> None:
    """A file, every file of a folder (named relative to it), or a mark that nothing is there."""
    if path.is_dir():
        digest.update(f"folder {label}\0".encode("utf-8", "surrogateescape"))
        for found, real in walk(path, skip):
            _add_file(digest, f"{label}/{found.relative_to(path).as_posix()}", found, real)
    elif path.exists() or path.is_symlink():
        _add_file(digest, label, path, os.path.realpath(path.parent))
    else:
        digest.update(f"missing {label}\0".encode("utf-8", "surrogateescape"))


def input_digest(project: Path, options: Mapping[str, object], extra: Sequence[Path] = ()) -> str:
    """The SHA-256 of everything a build's outputs are made from: the options (as given by the
    command line, with the output folder, today's date and the working folder), the tool's version,
    Python and the installed packages, the tool's own files, the project's inputs and the ``extra``
    files a build read besides them (a catalogue's ``benchmark_source``)."""
    from . import __version__  # looked up on each call: a new version is a new digest

    digest = hashlib.sha256(f"ncc-scorecard state {SCHEMA}\0{__version__}\0{sys.version}\0".encode())
    for key, value in sorted(options.items()):
        digest.update(f"{key}={value!r}\0".encode("utf-8", "surrogateescape"))
    digest.update("\0".join(installed()).encode("utf-8", "surrogateescape") + b"\0")
    for index, root in enumerate(package_roots()):
        _add_path(digest, f"package {index}", root, _SKIPPED)
    for name in PROJECT_INPUTS:
        _add_path(digest, name, project / name)
    for path in extra:
        _add_path(digest, f"extra {os.path.abspath(path)}", path)
    return digest.hexdigest()


# --- the state a build leaves ------------------------------------------------------------------


Stamp = tuple[int, int, int]
"""A file as written: its size, and its modification and status-change times in nanoseconds."""


def stamp(path: Path) -> Stamp | None:
    """The file's size and times, or None when it is not a file (or cannot be looked at)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def listing(folder: Path) -> list[str]:
    """Every file in ``folder`` (relative paths), for an output folder a build tidies."""
    return [path.relative_to(folder).as_posix() for path, _ in walk(folder)] if folder.is_dir() else []


@dataclass(frozen=True)
class State:
    """What a build that succeeded wrote, and from what."""

    digest: str | None
    """The inputs' digest, taken before the build read them; None when the next build cannot be
    skipped (this one read files the digest did not cover)."""
    outputs: dict[str, Stamp]
    """Each output written (an absolute path), as it was just after."""
    extra: tuple[str, ...] = ()
    """Files read besides the project's usual inputs (absolute paths), for the next digest."""
    warnings: tuple[Problem, ...] = ()
    """The warnings the build printed, to print again."""
    summary: dict[str, Any] = field(default_factory=dict)
    """What the command's summary says (how many reports, pages, PDFs; the report dates)."""
    tidied: dict[str, list[str]] = field(default_factory=dict)
    """Output folders the build removes stale files from, with every file in them after it."""

    def unchanged(self) -> bool:
        """Whether every output is still as written, and the tidied folders hold nothing else."""
        if any(stamp(Path(path)) != tuple(was) for path, was in self.outputs.items()):
            return False
        return all(listing(Path(folder)) == files for folder, files in self.tidied.items())


def state_path(out: Path, command: str) -> Path:
    """Where ``command`` (``build``, ``site``) keeps its state in the output folder."""
    return out / CACHE_DIR / f"{command}-state.json"


def read_state(path: Path) -> State | None:
    """The state recorded at ``path``; None when there is none, or it is damaged or of another layout."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("schema") != SCHEMA:
            return None
        return State(
            digest=data["digest"] if isinstance(data["digest"], str) else None,
            outputs={str(name): (int(a), int(b), int(c)) for name, (a, b, c) in data["outputs"].items()},
            extra=tuple(str(name) for name in data["extra"]),
            warnings=tuple(_problem(item) for item in data["warnings"]),
            summary=dict(data["summary"]),
            tidied={str(name): [str(file) for file in files] for name, files in data["tidied"].items()},
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def state_bytes(state: State) -> bytes:
    """The state as the JSON file :func:`read_state` reads."""
    data = {
        "schema": SCHEMA,
        "digest": state.digest,
        "outputs": state.outputs,
        "extra": list(state.extra),
        "warnings": [_problem_data(problem) for problem in state.warnings],
        "summary": state.summary,
        "tidied": state.tidied,
    }
    return json.dumps(data, indent=1).encode("ascii")  # a file name's undecodable bytes escaped too


def _problem_data(problem: Problem) -> dict[str, object]:
    return {
        "path": None if problem.path is None else os.path.abspath(problem.path),
        "line": problem.line,
        "message": problem.message,
        "cell": problem.cell,
        "column": problem.column,
        "severity": problem.severity,
        "kind": problem.kind,
    }


def _problem(data: dict[str, Any]) -> Problem:
    severity: Severity = "warning" if data["severity"] == "warning" else "error"
    path, line = data["path"], data["line"]
    return Problem(
        Path(path) if isinstance(path, str) else None,
        int(line) if line is not None else None,
        str(data["message"]),
        cell=data["cell"] if isinstance(data["cell"], str) else None,
        column=data["column"] if isinstance(data["column"], str) else None,
        severity=severity,
        kind=data["kind"] if isinstance(data["kind"], str) else None,
    )


# --- the check the command line makes ----------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A build's digest, and the state of the last build when its outputs are up to date."""

    path: Path
    """The state file."""
    project: Path
    digest: str
    extra: tuple[str, ...]
    """The files besides the project's usual inputs that the digest covers."""
    fresh: State | None
    """The last build's state, when its digest is this one and its outputs are unchanged."""

    def record(
        self,
        written: Iterable[Path],
        read: Iterable[Path],
        warnings: Sequence[Problem],
        summary: Mapping[str, Any],
        tidied: Iterable[Path] = (),
    ) -> State:
        """The state to leave after a build that succeeded: what it wrote, as it is now. The digest is
        kept only if it covered every file the build read (``read``: besides the project's usual inputs,
        a catalogue's ``benchmark_source``); the next build reads those into its digest."""
        extra = tuple(sorted({os.path.abspath(path) for path in read if not _usual(path, self.project)}))
        outputs = {os.path.abspath(path): stamp(path) for path in written}
        return State(
            self.digest if extra == self.extra and None not in outputs.values() else None,
            {path: found for path, found in outputs.items() if found is not None},
            extra,
            tuple(warnings),
            dict(summary),
            {os.path.abspath(folder): listing(folder) for folder in tidied},
        )


def _usual(path: Path, project: Path) -> bool:
    """Whether a file a build read is among the project inputs every digest covers."""
    where, root = Path(os.path.abspath(path)), Path(os.path.abspath(project))
    return any(where == root / name or where.is_relative_to(root / name) for name in PROJECT_INPUTS)


def check(command: str, project: Path, out: Path, options: Mapping[str, object], force: bool = False) -> Check:
    """Digest a build of ``project`` into ``out`` with ``options`` and compare it with the state the
    last ``command`` left there. ``force`` never finds the outputs up to date."""
    path = state_path(out, command)
    state = read_state(path)
    extra = state.extra if state is not None else ()
    where = {
        "command": command,
        "project": os.path.realpath(project),
        "out": os.path.realpath(out),
        "cwd": os.getcwd(),
        **options,
    }
    digest = input_digest(project, where, [Path(name) for name in extra])
    fresh = state if state is not None and not force and state.digest == digest and state.unchanged() else None
    return Check(path, project, digest, extra, fresh)
