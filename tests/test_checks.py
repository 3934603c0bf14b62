"""Errors and warnings before anything is published, on tests/projects/mistakes: every message at
its place, the exit status, nothing written on error, and --strict."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from scorecard_testing import PROJECTS

from ncc_scorecard.cli import main

AS_AT = "2018-01-31"
ERRORS = {
    "data/returns.csv:9": "column value: 112.0 is above 100, the most a percentage can be "
    "(or set `max:` on the measure)",
    "data/returns.csv:10": "column value: the value 80 disagrees with numerator / denominator 121 / 166 = 72.89: "
    "correct one of them, or leave the value blank",
    "data/returns.csv:11": "column value: 151 is above the measure's max: 150",
    "data/returns.csv:21": "column value: -3 is below the measure's min: 0",
    "data/returns.csv:27": "column comment: n/a needs a reason: give it in the comment column (it is printed "
    "beside the last available result)",
    "data/returns.csv:28": "no value: give a value, or both numerator and denominator (numerator and denominator "
    "blank); if the figure is not available, write n/a as the value and the reason in the comment column",
    "data/returns.csv:29": "column period: '1/2/17' is ambiguous (a date needs its year in full, day first: "
    "31/12/2017): use 2017-12, Dec 2017, December 2017 or Dec-17 (a month, or the first month of a quarter or "
    "year), Oct–Dec 2017 (a quarter), 2023/24 (a financial year), 2023/24 Q4 or Q4 2023/24 (a financial-year "
    "quarter), 2024-W05 or w/c 29 Jan 2024 (an ISO week, Monday to Sunday), or a date, 2017-12-31 or "
    "31/12/2017 (the period that holds it)",
    "data/returns.csv:31": "column value: '$968.10' has the currency symbol '$', but this measure's figures are in "
    "'£' (currency_symbol in measures.yaml)",
}
WARNINGS = {
    "data/returns.csv:6": "column value: 0.87 looks like a fraction; did you mean 87?",
    "data/returns.csv:22": "column value: 410 is far outside this measure's usual range (33.2 to 48.5, the process "
    "limits of its 9 earlier results): check the figure, or if the service changed, add `spc_rebase: [2018-01]` "
    "to the measure",
    "data/returns.csv:24": "column period: Feb 2018 ends after the report date 31.01.18: this result is not shown",
    "data/workbook.xlsx:Results!C4": "column value: 0.75 looks like a fraction; did you mean 75? (a percentage in "
    "Excel: format the cell as Percentage, or type the number of per cent)",
    "measures.yaml:34": "measures[4].id: 'no-results-yet' has no result in any file: 'adult-social-care' will show "
    "it as 'No result'",
    "measures.yaml:44": "measures[5].targets: no target for 2017/18 (targets are set for 2016/17 only): the measure "
    "shows no RAG",
    "measures.yaml:46": "measures[6].id: 'not-in-a-report' is in no report: it is never shown",
}
CORRECTED = {
    9: "reviews-on-time,2017-11,85.3,,,",
    10: "reviews-on-time,2017-12,,141,166,",
    11: "carers-assessed,2017-12,97,,,",
    21: "not-in-a-report,2017-11,10,,,",
    27: "hours-of-care,2017-11,n/a,,,The count was not run in November",
    28: "hours-of-care,2017-10,14980,,,",
    29: "hours-of-care,2017-09,15010,,,",
    31: "care-spend,2017-12,£968.10,,,",
}


@pytest.fixture
def mistakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "mistakes"
    shutil.copytree(PROJECTS / "mistakes", project)
    monkeypatch.chdir(project)  # locations read as a user sees them
    return project


@pytest.fixture
def doubtful(mistakes: Path) -> Path:
    """The same project with its errors corrected in place: only the warnings are left, on the same lines."""
    returns = mistakes / "data" / "returns.csv"
    lines = returns.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, corrected in CORRECTED.items():
        lines[number - 1] = corrected + "\n"
    returns.write_text("".join(lines), encoding="utf-8")
    return mistakes


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def lines_of(result: Result) -> dict[str, str]:
    found = {}
    for line in result.stderr.splitlines():
        location, _, message = line.partition(": ")
        if location.startswith(("data/", "measures.yaml")):
            found[location] = message
    return found


def test_validate_reports_every_error_and_every_warning_and_fails(mistakes: Path) -> None:
    result = run("validate", "--as-at", AS_AT)
    assert result.exit_code == 1
    expected = ERRORS | {location: "warning: " + message for location, message in WARNINGS.items()}
    assert lines_of(result) == expected
    assert result.stderr.splitlines()[-1] == "8 problems and 7 warnings found; nothing was written."
    assert "Traceback" not in result.output


def test_build_writes_nothing_on_error(mistakes: Path) -> None:
    result = run("build", "--as-at", AS_AT, "--format", "json,csv")
    assert result.exit_code == 1 and "nothing was written" in result.stderr
    assert not (mistakes / "out").exists()


def test_warnings_alone_are_printed_and_counted_and_the_build_goes_on(doubtful: Path) -> None:
    result = run("validate", "--as-at", AS_AT)
    assert result.exit_code == 0
    assert lines_of(result) == {location: "warning: " + message for location, message in WARNINGS.items()}
    assert result.stdout.endswith("; 7 warnings\n")
    result = run("build", "--as-at", AS_AT, "--format", "json", "-q")
    assert result.exit_code == 0 and result.stdout == ""  # quiet, but the warnings are still shown
    assert len(lines_of(result)) == 7
    result = run("build", "--as-at", AS_AT, "--format", "json")  # nothing changed: the same warnings again
    assert result.stdout.endswith("1 file up to date. 7 warnings (above).\n") and len(lines_of(result)) == 7
    result = run("build", "--as-at", AS_AT, "--format", "json", "--force")
    assert result.stdout.endswith("1 file written. 7 warnings (above).\n") and len(lines_of(result)) == 7
    assert (doubtful / "out" / "adult-social-care.json").is_file()


@pytest.mark.parametrize("command", [["validate"], ["build", "--format", "json"], ["site"]])
def test_strict_makes_warnings_errors(doubtful: Path, command: list[str]) -> None:
    result = run(*command, "--as-at", AS_AT, "--strict")
    assert result.exit_code == 1
    assert len(lines_of(result)) == 7
    assert result.stderr.splitlines()[-1] == "7 warnings found (errors under --strict); nothing was written."
    assert not (doubtful / "out").exists()


def test_strict_passes_a_project_without_warnings() -> None:
    result = run("validate", "--project", str(PROJECTS.parent.parent), "--as-at", "2017-12-31", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 15 measures") and "warning" not in result.output


def test_a_report_date_in_the_future_is_a_warning(doubtful: Path) -> None:
    result = run("validate", "--as-at", "2099-12-31")
    assert result.exit_code == 0
    assert any(
        line.startswith("warning: the report date 2099-12-31 is after today") for line in result.stderr.splitlines()
    )


def test_warnings_are_github_annotations(doubtful: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("validate", "--as-at", AS_AT)
    assert result.exit_code == 0
    assert "::warning file=data/returns.csv,line=6::data/returns.csv:6: warning: column value: 0.87" in result.stdout
    assert "::warning file=data/workbook.xlsx::data/workbook.xlsx:Results!C4: warning:" in result.stdout
    future = run("validate", "--as-at", "2099-12-31")
    assert "::warning::warning: the report date 2099-12-31 is after today" in future.stdout  # no file to mark


def test_a_value_within_its_usual_range_and_a_steady_trend_are_quiet(doubtful: Path) -> None:
    returns = doubtful / "data" / "returns.csv"
    text = returns.read_text(encoding="utf-8").replace("delayed-transfers,2018-01,410", "delayed-transfers,2018-01,46")
    rising = "".join(f"hours-of-care,2017-{month:02d},{14000 + 150 * month},,,\n" for month in range(3, 12))
    returns.write_text(text + rising, encoding="utf-8")  # a steady rise: far above the early months, but no jump
    result = run("validate", "--as-at", AS_AT)
    assert not any("usual range" in message for message in lines_of(result).values())


def test_the_readme_example_is_what_validate_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    root = PROJECTS.parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = "$ ncc-scorecard validate --as-at 2018-01-31 --project tests/projects/mistakes\n"
    block = readme[readme.index(command) + len(command) :]
    monkeypatch.chdir(root)
    result = run(*command.split()[2:])
    assert result.exit_code == 1
    assert block[: block.index("```")] == result.output
