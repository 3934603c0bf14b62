"""The command line: exit statuses, usage errors, which files a build writes and when."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scorecard_testing import PREVIOUS_BUILD, assert_clean, build, copy_project, invoke


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project("minimal", tmp_path)


def test_validate_a_good_project(project: Path) -> None:
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "ok: 4 measures in 2 report(s), 18 results in 2 file(s)" in result.output
    assert not (project / "out").exists()


def test_validate_from_inside_the_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 0, result.output


def test_build_writes_every_report_in_every_format_asked(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = build(project, formats="json,csv", out=out)
    assert result.exit_code == 0, result.output
    assert outputs(out) == [
        "by-service.csv",
        "by-service.json",
        "overview.csv",
        "overview.json",
    ]
    assert "4 files written." in result.output


def test_build_defaults_to_out_in_the_project(project: Path) -> None:
    result = invoke("build", "--project", str(project), "--as-at", "2017-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    assert outputs(project / "out") == ["by-service.json", "overview.json"]


def test_build_only_the_named_report(project: Path) -> None:
    result = build(project, "by-service")
    assert result.exit_code == 0, result.output
    assert outputs(project / "out") == ["by-service.json"]


def test_quiet_build_prints_nothing(project: Path) -> None:
    result = build(project, "--quiet", as_at="2018-03-31")  # nothing after that date, every target set
    assert result.exit_code == 0
    assert result.output == ""


def outputs(out: Path) -> list[str]:
    """The names of the outputs in ``out``: not the tool's own ``.cache`` folder."""
    return sorted(p.name for p in out.iterdir() if p.name != ".cache")


def test_an_unchanged_rebuild_leaves_files_alone(project: Path) -> None:
    assert build(project, formats="json,csv").exit_code == 0
    out = project / "out"
    files = [p for p in out.iterdir() if p.is_file()]
    stamps = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    for p in files:
        os.utime(p, ns=(1, 1))  # the outputs are not as the last build left them: it builds again
    result = build(project, formats="json,csv")
    assert result.exit_code == 0 and "written" in result.output
    assert {p.name: p.read_bytes() for p in files} == {name: data for name, (data, _) in stamps.items()}
    assert {p.stat().st_mtime_ns for p in files} == {1}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--format", "json,docx"], "docx"),
        (["--format", ","], "--format"),
        (["--as-at", "2017-13"], "is not a date"),
        (["--as-at", "31/12/2017"], "is not a date"),
        (["no-such-report"], "no report 'no-such-report'"),
        (["overview", "nope"], "no report 'nope'"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(project: Path, args: list[str], text: str) -> None:
    out = project / "out"
    out.mkdir()
    (out / "overview.json").write_bytes(PREVIOUS_BUILD)
    result = invoke(
        "build",
        "--project",
        str(project),
        "--out",
        str(out),
        *(["--format", "json"] if "--format" not in args else []),
        *args,
    )
    assert result.exit_code == 2, result.output
    assert_clean(result)
    assert text in result.output
    assert [p.name for p in out.iterdir()] == ["overview.json"]
    assert (out / "overview.json").read_bytes() == PREVIOUS_BUILD


def test_a_project_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    for command in ("validate", "build"):
        result = invoke(command, "--project", str(tmp_path / "nowhere"))
        assert result.exit_code == 2, result.output
        assert "does not exist" in result.output


def test_the_error_for_a_report_names_the_reports(project: Path) -> None:
    result = build(project, "overveiw")
    assert "overview, by-service" in result.output


def test_unknown_command_and_help() -> None:
    assert invoke("deploy").exit_code == 2
    result = invoke("--help")
    assert result.exit_code == 0
    assert "build" in result.output and "validate" in result.output


def test_python_dash_m_runs_the_command_line(project: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ncc_scorecard", "validate", "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("ok: ")


def test_python_dash_m_reports_problems_on_stderr_with_status_1(tmp_path: Path) -> None:
    project = copy_project("broken-data", tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "ncc_scorecard", "validate", "--project", "."],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=project,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.startswith("data/a-monthly.csv:3: column period:")
    assert "Traceback" not in completed.stderr


IMPORTS = """
import sys
from ncc_scorecard.cli import main
main(sys.argv[1:], standalone_mode=False)
print(sorted({name.split('.')[0] for name in sys.modules} & {'weasyprint', 'jinja2'}))
"""


@pytest.mark.parametrize("command", [["validate"], ["build", "--as-at", "2017-12", "--format", "json,csv", "-q"]])
def test_validate_and_data_builds_never_import_weasyprint(project: Path, command: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", IMPORTS, *command, "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == "[]"


def test_an_output_that_cannot_be_written_is_an_error_and_changes_nothing(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    (out / "overview.json").write_bytes(PREVIOUS_BUILD)
    (out / "by-service.csv").mkdir()  # a folder where the last file should go
    result = build(project, formats="json,csv")
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert "cannot write" in result.output and "by-service.csv" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["by-service.csv", "overview.json"]
    assert (out / "overview.json").read_bytes() == PREVIOUS_BUILD  # not replaced by the new build either
