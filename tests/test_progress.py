"""Build progress: a bar on a terminal, a line per report otherwise, a one-line summary, silence with -q;
and the light commands never load WeasyPrint."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scorecard_testing import copy_project

from ncc_scorecard.cli import main
from ncc_scorecard.progress import BarProgress, LineProgress, Progress, make_progress

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project("minimal", tmp_path)


def run_build(project: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["build", "--project", str(project), "--as-at", "2017-12-31", "--format", "json,csv", *extra]
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_line_per_report_and_a_summary(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    status, stdout, stderr = run_build(project)
    assert status == 0, stderr
    lines = stderr.splitlines()
    assert lines[:3] == ["Building 2 reports (json, csv)", "[1/2] overview", "[2/2] by-service"]
    assert [line.split(": warning: ")[0] for line in lines[3:]] == WARNINGS  # after the progress
    assert stdout == "Built 2 reports as at 2017-12-31 into out/ (json, csv): 4 files written. 3 warnings (above).\n"


# the sample project holds results after 31.12.17 and a year without a target
WARNINGS = ["data/monthly.csv:8", "data/quarterly-and-annual.csv:10", "measures.yaml:46"]


def test_quiet_prints_nothing_but_warnings(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    status, stdout, stderr = run_build(project, "-q")
    assert (status, stdout) == (0, "")
    assert [line.split(": warning: ")[0] for line in stderr.splitlines()] == WARNINGS
    status, stdout, stderr = run_build(project, "-q", "--as-at", "2018-03-31")  # nothing after it, every target set
    assert (status, stdout, stderr) == (0, "", "")


def test_one_report_reads_in_the_singular(project: Path, tmp_path: Path) -> None:
    status, stdout, stderr = run_build(project, "overview", "--out", str(tmp_path / "o"), "--format", "json")
    assert status == 0
    assert stderr.splitlines()[0] == "Building 1 report (json)"
    assert stdout.endswith("(json): 1 file written. 3 warnings (above).\n")


def test_a_failed_build_reports_no_summary(tmp_path: Path) -> None:
    broken = copy_project("broken-data", tmp_path)
    status, stdout, stderr = run_build(broken)
    assert status == 1
    assert "Built" not in stdout + stderr and "problems found" in stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar() -> None:
    terminal = Terminal()
    progress = make_progress(stream=terminal)
    assert isinstance(progress, BarProgress)
    progress.start(3, "Building 3 reports (pdf)")
    for name in ("a", "b", "c"):
        progress.advance(name)
    progress.finish()
    progress.finish()  # harmless twice (the command finishes it after errors too)
    shown = terminal.getvalue()
    assert "Building 3 reports (pdf)" in shown and "100%" in shown


def test_a_pipe_gets_lines_and_quiet_gets_nothing() -> None:
    assert isinstance(make_progress(stream=io.StringIO()), LineProgress)
    assert type(make_progress(quiet=True, stream=Terminal())) is Progress
    stream = io.StringIO()
    lines = LineProgress(stream)
    lines.start(10, "Building 10 reports (html)")
    for index in range(10):
        lines.advance(f"r{index}")
    assert stream.getvalue().splitlines()[1:3] == ["[ 1/10] r0", "[ 2/10] r1"]


LIGHT_COMMANDS = [
    ["validate"],
    ["due", "--as-at", "2018-01-31"],
    ["due", "--as-at", "2018-01-31", "--format", "xlsx", "--out", "{tmp}/due.xlsx"],
    ["changes", "--as-at", "2017-12-31", "--format", "json"],
    ["build", "--as-at", "2017-12-31", "--format", "json,csv", "--out", "{tmp}/out"],
]


@pytest.mark.parametrize("args", LIGHT_COMMANDS, ids=[" ".join(a[:3]) for a in LIGHT_COMMANDS])
def test_commands_without_pdf_never_import_weasyprint(args: list[str], tmp_path: Path) -> None:
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in args] + ["--project", str(ROOT)]
    code = (
        "import sys\n"
        "from ncc_scorecard.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint was imported'\n"
        "print('light')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("light")
