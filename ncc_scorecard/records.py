"""Published records: what was sent to committee, kept in ``published/<report-id>/<date>.json``
(with the PDF beside it) so that later revisions of the data can be seen and acknowledged.

A record holds the report's JSON output exactly as ``build --format json`` gives it (``scorecard``),
with the tool version, a digest of every input it was computed from, and, for a revision, its
number and reason. Publishing the same date again with other figures adds ``<date>.r2.json``
(``r3`` …) and keeps every earlier record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__
from .problems import Problem

PUBLISHED = "published"
"""The project folder of published records (meant to be committed with the project)."""
SCHEMA_VERSION = 1
"""The version of the record format this tool writes. Version 0 is a bare JSON output of
``build`` (no ``schema_version``), which this version reads as the record's ``scorecard``."""
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.r(\d+))?\.json$")


@dataclass(frozen=True)
class Record:
    """One published record of a report as at a date."""

    path: Path
    report: str
    as_at: date
    revision: int
    """1 for the first publication, 2 … for each revision."""
    scorecard: Mapping[str, Any]
    """The report's JSON output as published."""
    reason: str | None = None
    """Why it was republished (``--revise``); None for the first publication."""
    schema_version: int = SCHEMA_VERSION
    tool_version: str | None = None
    inputs: Mapping[str, str] | None = None
    """The SHA-256 of every input file, by its path in the project."""

    @property
    def pdf(self) -> Path:
        """The PDF published with it (it may be missing)."""
        return self.path.with_suffix(".pdf")


def record_path(root: Path, report: str, as_at: date, revision: int = 1) -> Path:
    """``published/<report>/<date>.json`` (``<date>.r2.json`` for a revision)."""
    name = as_at.isoformat() + (f".r{revision}" if revision > 1 else "") + ".json"
    return root / PUBLISHED / report / name


def read_records(root: Path, reports: Iterable[str]) -> tuple[dict[tuple[str, date], list[Record]], list[Problem]]:
    """Every record of each report, by (report, date), earliest revision first; and every problem
    (unreadable JSON, a schema newer than this tool reads), located at its file."""
    found: dict[tuple[str, date], list[Record]] = {}
    problems: list[Problem] = []
    for report in reports:
        folder = root / PUBLISHED / report
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            match = _NAME.match(path.name)
            if match is None or not path.is_file():
                continue
            record, problem = read_record(path, report, date.fromisoformat(match[1]), int(match[2] or 1))
            if problem is not None:
                problems.append(problem)
            elif record is not None:
                found.setdefault((report, record.as_at), []).append(record)
    for records in found.values():
        records.sort(key=lambda record: record.revision)
    return found, problems


def read_record(path: Path, report: str, as_at: date, revision: int) -> tuple[Record | None, Problem | None]:
    """One record file, of any schema version this tool knows (0 and 1)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, Problem(path, None, f"not a readable published record: {exc.__class__.__name__}")
    if not isinstance(data, dict):
        return None, Problem(path, None, "not a published record: expected a JSON object")
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or version < 0:
        return None, Problem(path, None, f"schema_version {version!r} is not a record version")
    if version > SCHEMA_VERSION:
        message = (
            f"schema_version {version} is newer than this version of ncc-scorecard reads "
            f"({SCHEMA_VERSION}): upgrade ncc-scorecard ({__version__}) to read it"
        )
        return None, Problem(path, None, message)
    if version == 0:  # the bare JSON output of `build`
        data = {"schema_version": 0, "scorecard": data}
    scorecard = data.get("scorecard")
    if not isinstance(scorecard, dict) or not isinstance(scorecard.get("measures"), list):
        return None, Problem(path, None, "not a published record: it has no scorecard with measures")
    return (
        Record(
            path=path,
            report=report,
            as_at=as_at,
            revision=revision,
            scorecard=scorecard,
            reason=data.get("reason"),
            schema_version=version,
            tool_version=data.get("tool_version"),
            inputs=data.get("inputs"),
        ),
        None,
    )


def digests(root: Path, files: Sequence[Path]) -> dict[str, str]:
    """The SHA-256 of each file, by its path in the project (``data/2017-12.csv``)."""
    return {
        path.relative_to(root).as_posix(): "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(files)
        if path.is_file()
    }


def record_bytes(
    scorecard: Mapping[str, Any], inputs: Mapping[str, str], revision: int = 1, reason: str | None = None
) -> bytes:
    """A record as written: schema and tool versions, revision and reason, input digests, scorecard."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "revision": revision,
        "reason": reason,
        "inputs": dict(inputs),
        "scorecard": scorecard,
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
