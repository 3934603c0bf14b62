"""Helpers for the engine tests: sample projects in tmp_path and the command line through CliRunner.

Nothing here writes into the repository: projects are generated or copied into a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from ncc_scorecard.cli import main

PROJECTS = Path(__file__).resolve().parent / "projects"

# A catalogue for generated projects. Line numbers matter: tests name them.
CATALOGUE = """\
organisation: Testshire County Council
reports:
  - id: overview
    title: Overview
    measures: [timely-assessments, families-helped, satisfaction]
measures:
  - id: timely-assessments
    title: Assessments completed within 45 days
    unit: percentage
    polarity: higher
    frequency: monthly
    targets: {2017/18: 90}
  - id: families-helped
    title: Families helped
    unit: number
    polarity: higher
    frequency: quarterly
  - id: satisfaction
    title: Residents satisfied
    unit: percentage
    polarity: higher
    frequency: annual
"""

VALID_RESULTS = "measure,period,value\ntimely-assessments,2017-12,88\n"

PREVIOUS_BUILD = b'{"a previous build": true}\n'


def write_project(
    root: Path, catalogue: str | None = CATALOGUE, files: Mapping[str, str | bytes] | None = None
) -> Path:
    """A project folder: ``measures.yaml`` (unless None) and ``data/<name>`` for each file."""
    root.mkdir(parents=True, exist_ok=True)
    if catalogue is not None:
        (root / "measures.yaml").write_text(catalogue, encoding="utf-8")
    data = root / "data"
    data.mkdir(exist_ok=True)
    for name, content in (files if files is not None else {"results.csv": VALID_RESULTS}).items():
        raw = content if isinstance(content, bytes) else textwrap.dedent(content).encode("utf-8")
        (data / name).write_bytes(raw)
    return root


def copy_project(name: str, tmp_path: Path) -> Path:
    """A private copy of ``tests/projects/<name>``."""
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target)
    return target


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def build(
    project: Path, *extra: str, as_at: str = "2017-12-31", formats: str = "json", out: Path | None = None
) -> Result:
    out = out or project / "out"
    return invoke("build", *extra, "--project", str(project), "--as-at", as_at, "--format", formats, "--out", str(out))


def build_json(project: Path, report: str = "overview", as_at: str = "2017-12-31") -> dict[str, Any]:
    """Build ``report`` as JSON and return the document; fails the test if the build fails."""
    result = build(project, as_at=as_at)
    assert result.exit_code == 0, result.output
    assert_clean(result)
    return json.loads((project / "out" / f"{report}.json").read_text(encoding="utf-8"))


def measure(document: dict[str, Any], measure_id: str) -> dict[str, Any]:
    return next(m for m in document["measures"] if m["id"] == measure_id)


def assert_clean(result: Result) -> None:
    """The command ended by itself (no uncaught exception) and printed no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output


def problem_line(output: str, location: str, texts: Iterable[str] = ()) -> str:
    """The output line reporting a problem at ``location`` (``data/a.csv:3``) whose message has every text."""
    lines = [line for line in output.splitlines() if line.startswith(location + ":")]
    assert lines, f"no problem reported at {location}:\n{output}"
    matching = [line for line in lines if all(text in line for text in texts)]
    assert matching, f"no problem at {location} mentions all of {list(texts)}:\n" + "\n".join(lines)
    return matching[0]


def assert_invalid(project: Path, problems: dict[str, list[str]], monkeypatch: Any) -> str:
    """``validate`` and ``build`` both exit 1 and report each problem at its location; out/ is untouched.

    ``problems`` maps a location (``measures.yaml:12``) to texts its message must contain.
    Runs from inside the project, so locations read as a user sees them. Returns the build output.
    """
    monkeypatch.chdir(project)
    out = project / "out"
    out.mkdir(exist_ok=True)
    (out / "overview.json").write_bytes(PREVIOUS_BUILD)
    before = sorted(path.name for path in out.iterdir())
    outputs = []
    for result in (invoke("validate", "--project", str(project)), build(project, as_at="2017-12-31")):
        assert result.exit_code == 1, result.output
        assert_clean(result)
        for location, texts in problems.items():
            problem_line(result.output, location, texts)
        assert "nothing was written" in result.output
        outputs.append(result.output)
    assert sorted(path.name for path in out.iterdir()) == before
    assert (out / "overview.json").read_bytes() == PREVIOUS_BUILD
    return outputs[1]
