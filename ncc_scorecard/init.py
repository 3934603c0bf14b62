"""A new scorecard project (``ncc-scorecard init``) that builds at once.

The files come from ``ncc_scorecard/skeleton/`` with a few words filled in (``@@name@@``);
the sample results are made up to run up to the given date, so the new project's reports look
like a council's: up to date, with a trend, targets by financial year and one of each frequency.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from . import __version__
from .errors import ScorecardError
from .output import write_all
from .periods import Period, financial_year_of, financial_year_of_date, latest_ended, period_text
from .problems import Problem, unreadable
from .results import result_files
from .rows import COLUMNS

SKELETON = Path(__file__).resolve().parent / "skeleton"
_WORD_RE = re.compile(r"@@(\w+)@@")
SAMPLE_NOTE = "Sample result made up by ncc-scorecard init: replace data/results.csv with your own results."


@dataclass(frozen=True)
class ProjectFile:
    """A file of the new project: where it goes and what it holds."""

    path: str
    content: bytes


def project_files(organisation: str, as_at: date, start_month: int = 4) -> list[ProjectFile]:
    """Every file of a new project, with sample results running up to ``as_at``."""
    year = financial_year_of_date(as_at, start_month)
    words = {
        "organisation": organisation,
        "yaml_organisation": _yaml_scalar(organisation),
        "previous_year": year.previous().label,
        "current_year": year.label,
        "version": __version__,
    }
    return [
        ProjectFile("measures.yaml", _fill("measures.yaml", words, yaml_words={"organisation": "yaml_organisation"})),
        ProjectFile("data/results.csv", sample_results(as_at, start_month)),
        ProjectFile(".gitignore", _fill("gitignore", words)),
        ProjectFile(".github/workflows/scorecard.yml", _fill("github-workflow.yml", words)),
        ProjectFile("README.md", _fill("README.md", words)),
    ]


def create_project(directory: Path, organisation: str, as_at: date) -> list[Path]:
    """Write a new project into ``directory`` (created if missing); return the files written.

    Nothing is overwritten: an existing catalogue, result files or workflow stop it before
    anything is written. An existing ``README.md`` is kept and an existing ``.gitignore`` extended.
    The files are written all together or, if one cannot be (a file in the way, no permission),
    not at all.
    """
    problems = _conflicts(directory)
    if problems:
        raise ScorecardError("nothing was written: choose an empty folder, or move these away", problems)
    files: dict[Path, bytes] = {}
    for file in project_files(organisation, as_at):
        target = directory / file.path
        content = file.content
        if file.path == "README.md" and target.exists():
            continue
        if file.path == ".gitignore" and target.exists():
            current = _read_existing(target)
            if any(
                line.strip() in {"out", "out/", "/out", "/out/"}
                for line in current.decode("utf-8", "replace").splitlines()
            ):
                continue
            content = current + (b"" if current.endswith(b"\n") or not current else b"\n") + content
        files[target] = content
    return write_all(files)


def _read_existing(path: Path) -> bytes:
    """An existing file the new project extends; a located error, before anything is written, if unreadable."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ScorecardError(
            "nothing was written: an existing .gitignore is extended, so it must be a file that can be read",
            [unreadable(path, exc)],
        ) from exc


def _conflicts(directory: Path) -> list[Problem]:
    problems = []
    if directory.exists() and not directory.is_dir():
        return [Problem(directory, None, "is a file, not a folder")]
    for name in ("measures.yaml", ".github/workflows/scorecard.yml"):
        if (directory / name).exists():
            problems.append(Problem(directory / name, None, "already exists"))
    for path in result_files(directory / "data"):
        problems.append(
            Problem(path, None, "already exists: the new project's data/ must hold only its sample results")
        )
    return problems


def _fill(name: str, words: dict[str, str], yaml_words: dict[str, str] | None = None) -> bytes:
    """A skeleton file with each ``@@word@@`` filled in (from ``words[yaml_words[word]]`` where given)."""
    values = words | {word: words[key] for word, key in (yaml_words or {}).items()}
    text = (SKELETON / name).read_text(encoding="utf-8")
    unknown = sorted(set(_WORD_RE.findall(text)) - set(values))
    if unknown:  # the skeleton and project_files disagree: the package itself is wrong, not the user's input
        raise RuntimeError(f"skeleton/{name} has words that nothing fills in: {', '.join(unknown)}")
    return _WORD_RE.sub(lambda match: values[match.group(1)], text).encode("utf-8")


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML value: plain when it reads back the same, else double-quoted."""
    plain = text.strip() == text and "#" not in text and ": " not in text
    if plain:
        try:
            plain = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


# --- sample results ------------------------------------------------------------------------------


def sample_results(as_at: date, start_month: int = 4) -> bytes:
    """Made-up results for the skeleton's three measures, up to the latest periods ended by ``as_at``:
    every month since the start of the previous financial year, 8 quarters and 3 years."""
    rows: list[list[str]] = []
    last_month = latest_ended("monthly", as_at, start_month)
    first_month = financial_year_of(last_month.start, start_month).previous().period.start
    months = [Period(start, 1) for start in range(first_month, last_month.start + 1)]
    for index, period in enumerate(months):
        denominator = 180 + (7 * index) % 40
        percent = 86 + (5 * index) % 8
        numerator = round(denominator * percent / 100)
        note = SAMPLE_NOTE if period == last_month else ""
        action = "Weekly review of open assessments with team managers." if period == last_month else ""
        rows.append(["assessments-on-time", period.key, "", str(numerator), str(denominator), note, action])
    for measure_id, frequency, count, value in (
        ("benefit-claim-days", "quarterly", 8, lambda index: 17 + (3 * index) % 7),
        ("residents-satisfied", "annual", 3, lambda index: 71 + 2 * index),
    ):
        last = latest_ended(frequency, as_at, start_month)
        for index, period in enumerate(last.shift(-step) for step in range(count - 1, -1, -1)):
            note = SAMPLE_NOTE if period == last else ""
            rows.append([measure_id, period_text(period, frequency, start_month), str(value(index)), "", "", note, ""])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
