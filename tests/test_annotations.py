"""On GitHub Actions (GITHUB_ACTIONS=true) problems print as annotations; elsewhere as path:line: message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from scorecard_testing import CATALOGUE, build, copy_project, invoke, write_project

from ncc_scorecard.annotations import annotation
from ncc_scorecard.cli import main
from ncc_scorecard.problems import Problem


def run_in_actions(project: Path, *args: str) -> tuple[int, str, str]:
    """Run a command as a GitHub Actions step would, from the repository root; return (status, stdout, stderr)."""
    runner = CliRunner(env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(project)})
    result = runner.invoke(main, [*args, "--project", str(project)])
    return result.exit_code, result.stdout, result.stderr


def test_validate_prints_annotations_for_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("broken-data", tmp_path)
    monkeypatch.chdir(project)
    status, stdout, stderr = run_in_actions(project, "validate")
    assert status == 1
    lines = stdout.splitlines()
    assert lines and all(line.startswith("::error file=data/") for line in lines), stdout
    assert (
        "::error file=data/a-monthly.csv,line=3::data/a-monthly.csv:3: column period: '2017-13' has no month 13"
        in lines
    )
    plain = invoke("validate", "--project", str(project))
    assert len(lines) == len([line for line in plain.output.splitlines() if line.startswith("data/")])
    assert stderr.strip().endswith("problems found; nothing was written.")


def test_plain_output_without_github_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("broken-data", tmp_path)
    monkeypatch.chdir(project)
    result = CliRunner(env={"GITHUB_ACTIONS": "false"}).invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "::error" not in result.output
    assert "data/a-monthly.csv:3: column period: '2017-13' has no month 13" in result.output


def test_catalogue_problems_are_annotated_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(
        tmp_path / "p",
        CATALOGUE.replace("polarity: higher\n    frequency: quarterly", "polarity: up\n    frequency: quarterly"),
    )
    monkeypatch.chdir(project)
    status, stdout, _ = run_in_actions(project, "validate")
    assert status == 1
    assert stdout.startswith("::error file=measures.yaml,line=16::measures.yaml:16: measures[1].polarity: ")


def test_build_fails_with_annotations_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("broken-data", tmp_path)
    monkeypatch.chdir(project)
    status, stdout, _ = run_in_actions(project, "build", "--format", "json")
    assert status == 1
    assert stdout.startswith("::error file=data/")
    assert not (project / "out").exists()


def test_workbook_problems_name_the_file_and_the_cell_but_no_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", files={})
    book = Workbook()
    book.active.append(["measure", "period", "value"])
    book.active.append(["timely-assessments", "2017-12", "tbc"])
    book.save(project / "data" / "results.xlsx")
    monkeypatch.chdir(project)
    _, stdout, _ = run_in_actions(project, "validate")
    assert stdout.splitlines()[0] == (
        "::error file=data/results.xlsx::data/results.xlsx:Sheet!C2: column value: 'tbc' is not a number"
    )


def test_paths_are_relative_to_the_workspace_even_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = tmp_path / "repo"
    project = copy_project("broken-data", repository)
    monkeypatch.chdir(project / "data")  # a step with another working directory
    runner = CliRunner(env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repository)})
    result = runner.invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=broken-data/data/a-monthly.csv,line=")


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (Problem(Path("data/a.csv"), 4, "bad"), "::error file=data/a.csv,line=4::data/a.csv:4: bad"),
        (Problem(Path("measures.yaml"), None, "not found"), "::error file=measures.yaml::measures.yaml: not found"),
        (
            Problem(Path("data/a.csv"), 2, "100% wrong\nsecond line\r"),
            "::error file=data/a.csv,line=2::data/a.csv:2: 100%25 wrong\\x0asecond line\\x0d",
        ),
        (Problem(Path("data/x,y:z.csv"), 1, "m"), "::error file=data/x%2Cy%3Az.csv,line=1::data/x,y:z.csv:1: m"),
        (Problem(Path("data/r.xlsx"), 7, "m", cell="Sheet1!B7"), "::error file=data/r.xlsx::data/r.xlsx:Sheet1!B7: m"),
    ],
)
def test_annotation_escaping(problem: Problem, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    problem = Problem(tmp_path / problem.path, problem.line, problem.message, problem.cell)
    assert annotation(problem) == expected


def test_a_good_project_validates_quietly_on_actions(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    status, stdout, _ = run_in_actions(project, "validate")
    assert status == 0
    assert stdout.startswith("ok: 4 measures") and "::" not in stdout
    assert build(project).exit_code == 0
