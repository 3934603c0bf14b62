"""Targets that change within the year: keys for quarters and months beside years, the most specific
covering a period winning, in every place a target is used; and tests/projects/profiled-targets.

The project is built as at Monday 30 September 2024, the end of Q2 2024/25. Its figures, worked out
from data/results.csv by hand:

- affordable-homes (quarterly): Jul–Sep 2024 46; the key 2024/25 Q2 gives 50, and 10% of 50 is 5,
  so a shortfall of 4 is amber. Apr–Jun 2024 was 18 against 15 (green). 2023/24 ended at 171.
- rough-sleepers (monthly): Sep 2024 0; no September key, so the year's 0: green. The trajectory
  gives Apr 8, May 4, Jun 0: Apr 9 is amber (tolerance 1), May 4 green, Jun 2 red, Jul 1 amber.
  SPC from April (spc_rebase): 9, 4, 2, 1, 0, 0, mean 16/6 = 2.67, mR̄ 9/5 = 1.8, limits
  2.67 ± 2.66 × 1.8 = -2.12 to 7.45: against the latest target, 0, hit or miss; against April's 8
  it would pass.
- calls-abandoned (weekly): w/c 23 Sep 2024 5.3; its Thursday is 26 Sep, a month without a key, so
  the year's 5: red. The week of Monday 29 July takes August's 6 (its Thursday is 1 August), so
  its 6.4 is red, where July's 8 would make it green.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import (
    CATALOGUE,
    PROJECTS,
    assert_clean,
    assert_invalid,
    copy_project,
    invoke,
    measure,
    write_project,
)

from ncc_scorecard.calculator import compute_measure, history
from ncc_scorecard.catalogue import Measure
from ncc_scorecard.periods import Period, fit_period, iso_week, month_index, parse_period
from ncc_scorecard.render.sparkline import sparkline
from ncc_scorecard.results import Result
from ncc_scorecard.spc import compute_spc

AS_AT = "2024-09-30"
NAME = "profiled-targets"
ROOT = Path(__file__).resolve().parent.parent


def make(**fields: Any) -> Measure:
    base = {"id": "m", "title": "M", "unit": "number", "polarity": "lower", "frequency": "monthly"}
    return Measure.model_validate(base | fields)


def row(m: Measure, period: str, value: float) -> Result:
    fitted, outturn = fit_period(parse_period(period, m.years), m.frequency, m.years)
    return Result(m.id, fitted, outturn, value, None, None, "", "", "", "", Path("t.csv"), 2)


def month(year: int, number: int, months: int = 1) -> Period:
    return Period(month_index(year, number), months)


# --- which key covers a period ---------------------------------------------------------------

TRAJECTORY = {"2023/24": 12, "2024/25": 0, "2024-04": 8, "2024-05": 4, "2024-06": 0}


@pytest.mark.parametrize(
    ("period", "target", "key"),
    [
        (month(2024, 3), 12, "2023/24"),
        (month(2024, 4), 8, "2024-04"),
        (month(2024, 5), 4, "2024-05"),
        (month(2024, 6), 0, "2024-06"),
        (month(2024, 7), 0, "2024/25"),
        (month(2025, 4), None, None),
    ],
)
def test_a_month_key_wins_over_its_year(period: Period, target: int | None, key: str | None) -> None:
    m = make(targets=TRAJECTORY)
    assert (m.target_for(period), m.target_key(period)) == (target, key)


def test_a_quarter_key_wins_over_its_year_and_a_month_key_over_its_quarter() -> None:
    m = make(polarity="higher", targets={"2014/15": 60, "2014/15 Q1": 15, "Q2 2014/15": 50, "2014-05": 9})
    assert [m.target_for(month(2014, number)) for number in (4, 5, 6, 7, 10)] == [15, 9, 15, 50, 60]


def test_a_quarterly_measure_reads_a_month_key_as_the_quarter_it_starts() -> None:
    m = make(frequency="quarterly", targets={"2014/15": 60, "2014/15 Q1": 15, "2014-07": 50, "2015-01": 58})
    quarters = [month(2014, 4, 3), month(2014, 7, 3), month(2014, 10, 3), month(2015, 1, 3)]
    assert [m.target_for(quarter) for quarter in quarters] == [15, 50, 60, 58]
    assert m.target_key(month(2015, 1, 3)) == "2015-01"


@pytest.mark.parametrize(
    ("week", "target"),
    [
        (iso_week(2024, 26), 5),  # Mon 24 Jun, Thu 27 Jun: June has no key, the year's
        (iso_week(2024, 27), 8),  # Mon 1 Jul
        (iso_week(2024, 30), 8),  # Mon 22 Jul, Thu 25 Jul
        (iso_week(2024, 31), 6),  # Mon 29 Jul, Thu 1 Aug: August's, although it starts in July
        (iso_week(2024, 35), 6),  # Mon 26 Aug, Thu 29 Aug
        (iso_week(2024, 36), 5),  # Mon 2 Sep
        (iso_week(2024, 40), 4),  # Mon 30 Sep, Thu 3 Oct: Q3's, although it starts in Q2
        (iso_week(2024, 14), 5),  # Mon 1 Apr 2024
        (iso_week(2024, 13), None),  # Mon 25 Mar, Thu 28 Mar: 2023/24, without a key
    ],
)
def test_a_week_counts_in_the_month_and_quarter_holding_its_thursday(week: Period, target: int | None) -> None:
    m = make(frequency="weekly", targets={"2024/25": 5, "2024-07": 8, "2024-08": 6, "2024/25 Q3": 4})
    assert m.target_for(week) == target


def test_a_key_left_empty_is_no_target_for_its_period() -> None:
    m = make(targets={"2024/25": 10, "2024-05": None})
    assert (m.target_for(month(2024, 5)), m.target_key(month(2024, 5))) == (None, "2024-05")
    assert m.target_for(month(2024, 6)) == 10


def test_a_bare_number_is_every_periods_target() -> None:
    m = make(targets=5)
    assert (m.target_for(month(2024, 5)), m.target_key(month(2024, 5)), m.profiled) == (5, None, False)
    assert not make(targets={"2024/25": 5}).profiled and make(targets={"2024-05": 5}).profiled


# --- the figures ---------------------------------------------------------------------------------


def test_performance_is_judged_against_the_quarters_target_and_tolerance() -> None:
    m = make(polarity="higher", frequency="quarterly", targets={"2024/25": 200, "2024/25 Q1": 15, "2024/25 Q2": 50})
    m = m.model_copy(update={"tolerance": "10%"})
    rows = [row(m, "2024/25 Q1", 18), row(m, "2024/25 Q2", 46)]
    now = compute_measure(m, rows, date(2024, 9, 30))
    assert (now.target, now.target_key, now.rag) == (50, "2024/25 Q2", "amber")  # 50 - 46 = 4, within 5
    before = compute_measure(m, rows, date(2024, 8, 31))
    assert (before.target, before.rag) == (15, "green")
    assert [(point.value, point.target) for point in now.trend] == [(18, 15), (46, 50)]


def test_without_a_result_the_target_is_the_report_months() -> None:
    m = make(targets=TRAJECTORY)
    assert compute_measure(m, [], date(2024, 5, 31)).target == 4
    assert compute_measure(m, [], date(2024, 9, 30)).target == 0


ROUGH = [9, 4, 2, 1, 0, 0]


def test_assurance_judges_the_process_against_the_latest_periods_target() -> None:
    m = make(targets=TRAJECTORY, spc_rebase=["2024-04"])
    rows = [row(m, f"2024-{number:02d}", value) for number, value in zip(range(4, 10), ROUGH, strict=True)]
    rows = [row(m, f"2023-{number:02d}", 12) for number in range(4, 13)] + rows
    result = compute_measure(m, rows, date(2024, 9, 30), with_spc=True)
    assert result.spc is not None and result.target == 0
    assert (round(result.spc.result.lpl, 2), round(result.spc.result.upl, 2)) == (-2.12, 7.45)
    assert result.spc.result.assurance == "hit_or_miss"  # 0 lies between the limits
    april = compute_spc([12] * 9 + ROUGH, "decrease", 8, None, [9])
    assert april is not None and april.assurance == "consistent_pass"  # April's 8 lies above them


def test_the_history_judges_each_period_against_its_own_target() -> None:
    m = make(targets=TRAJECTORY, tolerance=1)
    rows = [row(m, f"2024-{number:02d}", value) for number, value in zip(range(4, 10), ROUGH, strict=True)]
    points = history(m, rows, date(2024, 9, 30))
    assert [(p.target, p.rag) for p in points] == [
        (8, "amber"), (4, "green"), (0, "red"), (0, "amber"), (0, "green"), (0, "green"),
    ]  # fmt: skip


def test_the_sparkline_steps_when_the_targets_differ() -> None:
    stepped = sparkline([9, 4, 2], "t", 0, targets=[8, 4, 0])
    # 0 to 9 over y 17 to 3 (y = 17 - 14v/9); points at x 3, 36, 69, each level held half a step (16.5) each side
    assert '<path class="target" d="M3,4.6 H19.5 M19.5,10.8 H52.5 M52.5,17 H69"' in stepped
    assert "<line" not in stepped
    assert sparkline([9, 4, 2], "t", 4, targets=[4, 4, 4]) == sparkline([9, 4, 2], "t", 4)  # one level: a line


# --- the catalogue -------------------------------------------------------------------------------


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


KEYS = """\
    targets:
      2017/18: 90
      2017/18 Q3: 85
      2017-12: 80
      2017-13: 80
      2017/2018: 91
      2017-W05: 1
      Q3 2017: 1
      next year: 1
"""
QUARTERLY_KEYS = """\
    frequency: quarterly
    targets:
      2017-10: 20
      2017-11: 21
      2017/18 Q4: 22
"""
ANNUAL_KEYS = """\
    frequency: annual
    targets:
      2017/18: 70
      2017/18 Q1: 60
"""


def test_every_bad_target_key_is_reported_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CATALOGUE.replace("    targets: {2017/18: 90}\n", KEYS)
    text = text.replace("    frequency: quarterly\n", QUARTERLY_KEYS).replace("    frequency: annual\n", ANNUAL_KEYS)
    project = write_project(tmp_path / "p", text)
    output = assert_invalid(
        project,
        {
            f"measures.yaml:{line_of(text, '2017-13')}": ["measures[0].targets.2017-13", "has no month 13"],
            f"measures.yaml:{line_of(text, '2017/2018')}": [
                "target '2017/2018' names the same period as '2017/18' (line 13)"
            ],
            f"measures.yaml:{line_of(text, '2017-W05')}": ["'2017-W05' is not a year, a quarter or a month"],
            f"measures.yaml:{line_of(text, 'Q3 2017')}": ["'Q3 2017' is ambiguous (Q3 of 2017/18 or of the calendar"],
            f"measures.yaml:{line_of(text, 'next year')}": [
                "'next year' is not a period",
                "key targets by year, quarter or month, like 2023/24, 2023/24 Q1 or 2023-04",
            ],
            f"measures.yaml:{line_of(text, '2017-11')}": [
                "measures[1].targets.2017-11: target '2017-11' does not start a quarter",
                "quarters start in Jan, Apr, Jul, Oct; key the quarter holding it as 2017/18 Q3 or by its first "
                "month, 2017-10",
            ],
            f"measures.yaml:{line_of(text, '2017/18 Q1')}": [
                "measures[2].targets.2017/18 Q1: target '2017/18 Q1' is a quarter, but an annual measure has one "
                "result a year: key its targets by year, like 2023/24"
            ],
        },
        monkeypatch,
    )
    assert "2017/18 Q3: 85" not in output and "2017-12:" not in output and "2017/18 Q4" not in output
    assert "7 problems found" in output


def test_a_target_key_is_checked_beside_schema_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CATALOGUE.replace("    targets: {2017/18: 90}\n", "    targets: {2017-13: 90}\n    decimals: two\n")
    assert_invalid(
        write_project(tmp_path / "p", text),
        {"measures.yaml:12": ["2017-13"], "measures.yaml:13": ["measures[0].decimals"]},
        monkeypatch,
    )


def test_existing_target_year_messages_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CATALOGUE.replace("{2017/18: 90}", "{2017/19: 90}")
    assert_invalid(
        write_project(tmp_path / "p", text),
        {"measures.yaml:12": ["target year '2017/19' is not a financial year: the second year must follow"]},
        monkeypatch,
    )


def warnings_of(tmp_path: Path, targets: str, results: str, as_at: str = "2017-12-31") -> list[str]:
    text = CATALOGUE.replace("    targets: {2017/18: 90}\n", f"    targets: {targets}\n")
    project = write_project(tmp_path / "p", text, {"r.csv": "measure,period,value\n" + results})
    result = invoke("validate", "--project", str(project), "--as-at", as_at)
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if "no target" in line]


def test_the_missing_target_warning_needs_no_key_covering_the_period(tmp_path: Path) -> None:
    months = "timely-assessments,2017-12,88\n"
    assert warnings_of(tmp_path / "a", "{2017/18 Q3: 90}", months) == []  # Oct–Dec 2017 holds December
    assert warnings_of(tmp_path / "b", "{2017-12: null}", months) == []  # left empty on purpose
    assert warnings_of(tmp_path / "c", "{2017-10: 90, 2017-11: 90}", months) == [
        f"{tmp_path / 'c' / 'p' / 'measures.yaml'}:12: warning: measures[0].targets: no target for Dec 2017 "
        "(targets are set for 2017-10, 2017-11 only): the measure shows no RAG"
    ]
    assert warnings_of(tmp_path / "d", "{2016/17: 90}", months)[0].endswith(
        "no target for 2017/18 (targets are set for 2016/17 only): the measure shows no RAG"
    )  # years only: as before
    no_result = "families-helped,2017-07,3\n"
    assert warnings_of(tmp_path / "e", "{2017-11: 90}", no_result) == []  # no result, but a key in the year


# --- tests/projects/profiled-targets through the command line --------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(NAME, tmp_path_factory.mktemp("built"))
    out = project / "out"
    args = ("--project", str(project), "--as-at", AS_AT)
    result = invoke("build", *args, "--format", "json,csv,html,pdf", "--out", str(out))
    assert result.exit_code == 0, result.output
    site = invoke("site", *args, "--out", str(out), "-q")
    assert site.exit_code == 0, site.output
    assert_clean(result)
    return out


def test_the_project_is_valid_and_raises_no_warning() -> None:
    result = invoke("validate", "--project", str(PROJECTS / NAME), "--as-at", AS_AT, "--strict")
    assert result.output == "ok: 3 measures in 1 report(s), 38 results in 1 file(s)\n"


FIGURES = ("period_label", "display", "target", "target_basis", "rag", "direction", "previous_year_display")


def test_the_json_gives_each_target_and_the_key_that_set_it(built: Path) -> None:
    document = json.loads((built / "profiled.json").read_text(encoding="utf-8"))
    assert [tuple(measure(document, i)[k] for k in FIGURES) for i in ("affordable-homes", "rough-sleepers")] == [
        ("Jul–Sep 2024", "46", 50, "2024/25 Q2", "amber", "better", "171"),
        ("Sep 2024", "0", 0, "2024/25", "green", "same", "10"),
    ]
    calls = measure(document, "calls-abandoned")
    assert tuple(calls[k] for k in FIGURES) == ("w/c 23 Sep 2024", "5.3", 5, "2024/25", "red", "worse", None)
    assert measure(document, "rough-sleepers")["spc"]["assurance"] == "hit_or_miss"
    assert "year_start_month" not in calls and "previous_year" not in calls


def test_the_csv_gains_the_target_basis_column(built: Path) -> None:
    text = (built / "profiled.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["id"], r["target"], r["target_basis"]) for r in rows] == [
        ("affordable-homes", "50", "2024/25 Q2"),
        ("rough-sleepers", "0", "2024/25"),
        ("calls-abandoned", "5", "2024/25"),
    ]
    assert "year_start_month" not in rows[0]


def test_a_project_without_profiled_targets_has_no_target_basis(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    assert invoke("build", "--project", str(project), "--as-at", "2017-12-31", "--format", "json,csv").exit_code == 0
    document = json.loads((project / "out" / "overview.json").read_text(encoding="utf-8"))
    assert not any({"target_basis", "year_start_month", "previous_year"} & set(m) for m in document["measures"])
    assert "target_basis" not in (project / "out" / "overview.csv").read_text(encoding="utf-8-sig")


def test_the_appendix_steps_the_sparkline_and_explains_the_current_target(built: Path) -> None:
    html = (built / "profiled.html").read_text(encoding="utf-8")
    rows = html.split('<tbody class="measure"')[1:]
    assert all('<path class="target"' in part and '<line class="target"' not in part for part in rows[:2])
    assert (
        "Trend Apr–Sep 2024: Apr 2024 9 (target 8), May 2024 4 (target 4), Jun 2024 2 (target 0), "
        "Jul 2024 1 (target 0), Aug 2024 0 (target 0), Sep 2024 0 (target 0)</title>"
    ) in rows[1]
    assert "w/c 29 Jul 2024 6.4 (target 6)" in rows[2]
    assert "the target of each period, in steps where it changes within the year" in html
    assert "Current Target is the target of the current result&#39;s period" in html


def test_the_pdf_prints_the_current_periods_target(built: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "profiled.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = " ".join(text.split())
    assert "Current Target is the target of the current result's period" in words
    assert "(target 15)" in words and "(target 50)" in words  # the changes since the last period


def test_the_portal_steps_the_chart_and_lists_every_key(built: Path) -> None:
    page = (built / "site" / "latest" / "measures" / "rough-sleepers.html").read_text(encoding="utf-8")
    assert "<dt>Targets</dt><dd>2023/24: 12; 2024/25: 0; Apr 2024: 8; May 2024: 4; Jun 2024: 0</dd>" in page
    history_rows = page.split('<table class="history reflow">')[1].split("<tr>")[2:8]
    targets = [part.split('<td class="fig" data-label="Target">')[1].split("<")[0] for part in history_rows]
    assert targets == ["0", "0", "0", "0", "4", "8"]  # newest first
    assert page.count('<path class="target"') == 1
    homes = (built / "site" / "latest" / "measures" / "affordable-homes.html").read_text(encoding="utf-8")
    assert "2024/25: 200; 2024/25 Q1 (Apr–Jun 2024): 15; 2024/25 Q2 (Jul–Sep 2024): 50" in homes


def test_the_readme_example_is_what_changes_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = f"$ ncc-scorecard changes --as-at {AS_AT} --project tests/projects/{NAME}\n"
    block = readme[readme.index(command) + len(command) :]
    monkeypatch.chdir(ROOT)
    assert block[: block.index("```")] == invoke(*command.split()[2:]).output
