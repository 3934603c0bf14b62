"""Result files (data/*.csv): every bad row is reported as ``path:line: message``, all in one run,
and the forms a spreadsheet writes are accepted. Through the CLI, on projects in tmp_path.

The catalogue is ``scorecard_testing.CATALOGUE``: timely-assessments (monthly percentage, target 90),
families-helped (quarterly number) and satisfaction (annual percentage).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from scorecard_testing import CATALOGUE, assert_invalid, build_json, copy_project, measure, write_project

from ncc_scorecard.problems import Problem
from ncc_scorecard.results import parse_number
from ncc_scorecard.rows import RawRow, check_header

HEADER = "measure,period,value,numerator,denominator\n"
GOOD = "timely-assessments,2017-11,88,,\n"  # line 2 of a file starting with HEADER

# id: ({file name: content}, {location: [texts the message must contain]})
CASES: dict[str, tuple[dict[str, str | bytes], dict[str, list[str]]]] = {
    "unknown column": (
        {"results.csv": "measure,period,value,colour\ntimely-assessments,2017-12,88,red\n"},
        {"data/results.csv:1": ["unknown column 'colour'", "the columns are measure, period, value"]},
    ),
    "misspelt column": (
        {"results.csv": "measure,period,valeu\ntimely-assessments,2017-12,88\n"},
        {"data/results.csv:1": ["unknown column 'valeu'", "did you mean 'value'?"]},
    ),
    "missing measure column": (
        {"results.csv": "period,value\n2017-12,88\n"},
        {"data/results.csv:1": ["missing column 'measure'"]},
    ),
    "missing period column": (
        {"results.csv": "measure,value\ntimely-assessments,88\n"},
        {"data/results.csv:1": ["missing column 'period'"]},
    ),
    "column given twice": (
        {"results.csv": "measure,period,value,Value\ntimely-assessments,2017-12,88,89\n"},
        {"data/results.csv:1": ["column 'value' is given twice"]},
    ),
    "empty file": (
        {"results.csv": ""},
        {"data/results.csv:1": ["is empty", "header row"]},
    ),
    "unknown measure id": (
        {"results.csv": HEADER + GOOD + "timely-asessments,2017-12,88,,\n"},
        {
            "data/results.csv:3": [
                "column measure",
                "no measure 'timely-asessments'",
                "did you mean 'timely-assessments'?",
            ]
        },
    ),
    "blank measure id": (
        {"results.csv": HEADER + GOOD + ",2017-12,88,,\n"},
        {"data/results.csv:3": ["column measure", "no measure id"]},
    ),
    "month 13": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-13,88,,\n"},
        {"data/results.csv:3": ["column period", "'2017-13' has no month 13"]},
    ),
    "period that names no month": (
        {"results.csv": HEADER + GOOD + "timely-assessments,Decembre 2017,88,,\n"},
        {"data/results.csv:3": ["column period", "'Decembre 2017' is not a period", "2023/24 Q4", "31/12/2017"]},
    ),
    "date with a two-digit year": (
        {"results.csv": HEADER + GOOD + "timely-assessments,31/12/17,88,,\n"},
        {"data/results.csv:3": ["column period", "'31/12/17' is ambiguous", "Dec-17", "31/12/2017"]},
    ),
    "date written month first": (
        {"results.csv": HEADER + GOOD + "timely-assessments,12/31/2017,88,,\n"},
        {"data/results.csv:3": ["column period", "'12/31/2017' has no month 31", "day first"]},
    ),
    "quarter for a monthly measure, as a label": (
        {"results.csv": HEADER + GOOD + "timely-assessments,Oct–Dec 2017,88,,\n"},
        {"data/results.csv:3": ["column period", "a quarter does not fit a monthly measure"]},
    ),
    "financial year whose years do not follow": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017/19,88,,\n"},
        {"data/results.csv:3": ["column period", "'2017/19'", "the second year must follow the first"]},
    ),
    "blank period": (
        {"results.csv": HEADER + GOOD + "timely-assessments,,88,,\n"},
        {"data/results.csv:3": ["column period", "no period"]},
    ),
    "quarterly period starting in November": (
        {"results.csv": HEADER + GOOD + "families-helped,2017-11,5,,\n"},
        {"data/results.csv:3": ["column period", "quarterly measure's period starts in Jan, Apr, Jul, Oct, not Nov"]},
    ),
    "annual period starting in January": (
        {"results.csv": HEADER + GOOD + "satisfaction,2017-01,72,,\n"},
        {"data/results.csv:3": ["column period", "annual measure's period starts in Apr", "not Jan"]},
    ),
    "quarter row for a monthly measure": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017/18 Q3,88,,\n"},
        {"data/results.csv:3": ["column period", "a quarter does not fit a monthly measure"]},
    ),
    "bad value": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-12,eighty,,\n"},
        {"data/results.csv:3": ["column value", "'eighty' is not a number"]},
    ),
    "badly grouped thousands": (
        {"results.csv": HEADER + GOOD + 'timely-assessments,2017-12,"12,34",,\n'},
        {"data/results.csv:3": ["column value", "'12,34' is not a number"]},
    ),
    "bad numerator": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-12,,n/a,200\n"},
        {"data/results.csv:3": ["column numerator", "'n/a' is not a number"]},
    ),
    "no value and no numerator or denominator": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-12,,,\n"},
        {"data/results.csv:3": ["no value", "give a value, or both numerator and denominator"]},
    ),
    "numerator without denominator": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-12,,172,\n"},
        {"data/results.csv:3": ["no value", "denominator blank"]},
    ),
    "zero denominator": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-12,,0,0\n"},
        {"data/results.csv:3": ["column denominator", "denominator is 0"]},
    ),
    "more cells than columns": (
        {"results.csv": HEADER + GOOD + "timely-assessments,2017-12,88,,,surplus\n"},
        {"data/results.csv:3": ["has 6 cells but the header has 5 columns"]},
    ),
    "unclosed quote": (
        {
            "results.csv": "measure,period,value,comment\n"
            + 'timely-assessments,2017-10,88,"never closed\n'
            + "timely-assessments,2017-11,88,\n"
        },
        {"data/results.csv:2": ["cannot read this row", "unclosed quote"]},
    ),
    "same measure and period in two files": (
        {
            "a.csv": HEADER + GOOD + "timely-assessments,2017-12,88,,\n",
            "b.csv": "measure,period,value\ntimely-assessments,2017-12,89\n",
        },
        {"data/b.csv:2": ["timely-assessments 2017-12 is given twice", "first at data/a.csv:3"]},
    ),
    "same annual period written two ways": (
        {"results.csv": HEADER + "satisfaction,2023/24,70,,\nsatisfaction,2023-04,71,,\n"},
        {"data/results.csv:3": ["satisfaction 2023-04 is given twice", "first at data/results.csv:2"]},
    ),
    "same quarter written two ways": (
        {"results.csv": HEADER + "families-helped,2017/18 Q3,5,,\nfamilies-helped,2017-10,6,,\n"},
        {"data/results.csv:3": ["is given twice", "first at data/results.csv:2"]},
    ),
    "same year outturn twice": (
        {"results.csv": HEADER + "timely-assessments,2016/17,85,,\ntimely-assessments,2016/2017,86,,\n"},
        {"data/results.csv:3": ["timely-assessments 2016/2017 is given twice", "first at data/results.csv:2"]},
    ),
    "Windows-1252 file": (
        {"results.csv": b"measure,period,value,comment\ntimely-assessments,2017-12,88,caf\xe9\n"},
        {"data/results.csv:2": ["is not UTF-8", "0xe9", "Windows-1252", "Save it", "UTF-8"]},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_result_file_is_reported_at_its_line(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, problems = CASES[case]
    project = write_project(tmp_path / "project", CATALOGUE, files)
    assert_invalid(project, problems, monkeypatch)


def test_every_bad_row_in_every_file_is_reported_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("broken-data", tmp_path)
    expected = {
        "data/a-monthly.csv:3": ["column period", "no month 13"],
        "data/a-monthly.csv:4": ["column measure", "no measure 'timely-asessments'"],
        "data/a-monthly.csv:5": ["column value", "'eighty' is not a number"],
        "data/a-monthly.csv:6": ["no value", "denominator blank"],
        "data/a-monthly.csv:7": ["column denominator", "denominator is 0"],
        "data/a-monthly.csv:8": ["column period", "a quarter does not fit a monthly measure"],
        "data/b-other.csv:2": ["column period", "quarterly measure's period starts in Jan, Apr, Jul, Oct, not Nov"],
        "data/b-other.csv:3": ["timely-assessments 2017-07 is given twice", "first at data/a-monthly.csv:9"],
        "data/b-other.csv:5": ["column period", "annual measure's period starts in Apr"],
        "data/b-other.csv:7": ["satisfaction 2016-04 is given twice", "first at data/b-other.csv:6"],
    }
    output = assert_invalid(project, expected, monkeypatch)
    assert "10 problems found; nothing was written." in output
    reported = [line.split(": ")[0] for line in output.splitlines() if line.startswith("data/")]
    assert reported == list(expected)  # in file and line order, each once


def test_several_files_with_several_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {
        "1-header.csv": "measure,period,amount\n",
        "2-excel.csv": b"measure,period,value\r\ntimely-assessments,2017-12,88\r\nsatisfaction,2016/17,caf\xe9\r\n",
        "3-rows.csv": HEADER + "families-helped,2017-12,1,,\ntimely-assessments,2017-11,,,\n",
    }
    project = write_project(tmp_path / "project", CATALOGUE, files)
    assert_invalid(
        project,
        {
            "data/1-header.csv:1": ["unknown column 'amount'"],
            "data/2-excel.csv:3": ["is not UTF-8"],
            "data/3-rows.csv:2": ["column period", "not Dec"],
            "data/3-rows.csv:3": ["no value"],
        },
        monkeypatch,
    )


# --- accepted forms ------------------------------------------------------------------------------


def built(tmp_path: Path, files: Mapping[str, str | bytes], catalogue: str = CATALOGUE) -> dict:
    return build_json(write_project(tmp_path / "project", catalogue, files))


@pytest.mark.parametrize(
    ("monthly", "quarterly", "annual"),
    [
        ("2017-12", "2017-10", "2016/17"),
        ("Dec 2017", "Oct–Dec 2017", "2016/17"),  # the tool's own natural labels
        ("Dec 2017", "Oct 2017", "Apr 2016"),  # its first-month labels
        ("December 2017", "Q3 2017/18", "2016-04"),
        ("Dec-17", "Oct-Dec 2017", "Apr 2016–Mar 2017"),
        ("2017-12-31", "2017-11-15", "2017-03-31"),  # a date: the period that holds it
        ("31/12/2017", "1/10/2017", "01/04/2016"),
    ],
)
def test_periods_as_labels_and_as_people_type_them(tmp_path: Path, monthly: str, quarterly: str, annual: str) -> None:
    results = (
        f"measure,period,value\ntimely-assessments,{monthly},88\n"
        f"families-helped,{quarterly},92\nsatisfaction,{annual},72\n"
    )
    document = built(tmp_path, {"r.csv": results})
    periods = {row["id"]: (row["period"], row["period_label"]) for row in document["measures"]}
    assert periods == {
        "timely-assessments": ("2017-12", "Dec 2017"),
        "families-helped": ("2017-10", "Oct–Dec 2017"),
        "satisfaction": ("2016-04", "2016/17"),
    }


def test_header_names_in_any_case_and_order(tmp_path: Path) -> None:
    document = built(tmp_path, {"r.csv": " Value ,PERIOD,Comment,Measure\n88.5,2017-12,Fine,timely-assessments\n"})
    row = measure(document, "timely-assessments")
    assert (row["period"], row["value"], row["display"], row["comment"]) == ("2017-12", 88.5, "89", "Fine")


def test_utf8_byte_order_mark_and_crlf_line_endings(tmp_path: Path) -> None:
    content = "\ufeffmeasure,period,value,comment\r\ntimely-assessments,2017-12,88,Café\r\n".encode()
    row = measure(built(tmp_path, {"excel.csv": content}), "timely-assessments")
    assert (row["value"], row["comment"]) == (88, "Café")


def test_quoted_multi_line_comment_keeps_its_paragraphs(tmp_path: Path) -> None:
    content = (
        b"measure,period,value,comment,action\r\n"
        b'timely-assessments,2017-12,88,"First paragraph, with a comma.\r\n\r\nSecond ""quoted"" paragraph.",'
        b'"Act one.\r\nAct two."\r\n'
        b"timely-assessments,2017-11,87,,\r\n"
    )
    row = measure(built(tmp_path, {"r.csv": content}), "timely-assessments")
    assert row["comment"] == 'First paragraph, with a comma.\n\nSecond "quoted" paragraph.'
    assert row["action"] == "Act one.\nAct two."
    assert row["direction"] == "better"  # the row after the multi-line cell was read too


def test_multi_line_cells_do_not_shift_later_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = (
        'measure,period,value,comment\ntimely-assessments,2017-12,88,"one\n\nthree"\ntimely-assessments,2017-11,x,\n'
    )
    project = write_project(tmp_path / "project", CATALOGUE, {"r.csv": content})
    assert_invalid(project, {"data/r.csv:5": ["'x' is not a number"]}, monkeypatch)


def test_blank_lines_and_short_rows_are_accepted(tmp_path: Path) -> None:
    content = "measure,period,value,comment\n\ntimely-assessments,2017-12,88\n,,,\n"
    assert measure(built(tmp_path, {"r.csv": content}), "timely-assessments")["value"] == 88


@pytest.mark.parametrize(
    ("cell", "value", "shown"),
    [
        ('"1,508"', 1508, "1,508"),
        ('" 80% "', 80, "80"),
        ("80%", 80, "80"),
        (" 87.25 ", 87.25, "87"),
        ("-2.5", -2.5, "-3"),
    ],
)
def test_numbers_as_a_spreadsheet_writes_them(tmp_path: Path, cell: str, value: float, shown: str) -> None:
    row = measure(
        built(tmp_path, {"r.csv": f"measure,period,value\nfamilies-helped,2017-10,{cell}\n"}), "families-helped"
    )
    assert (row["value"], row["display"]) == (value, shown)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,508", 1508), (" 80% ", 80), ("80 %", 80), ("-2.5", -2.5), ("+3", 3), (".5", 0.5), ("", None), ("  ", None),
     ("1\u00a0508", 1508), ("1,234,567.5", 1234567.5)],
)  # fmt: skip
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["eighty", "1,50", "1.2.3", "%", "-", "1e5", "£5", "5."])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text)


def test_numerator_and_denominator_give_the_value_times_the_multiplier(tmp_path: Path) -> None:
    catalogue = (
        CATALOGUE.replace("    measures: [timely-assessments, families-helped, satisfaction]",
                          "    measures: [timely-assessments, rate, scaled]")
        + "  - {id: rate, title: Rate, unit: rate, per: 10000, polarity: lower, frequency: monthly, decimals: 1}\n"
        + "  - {id: scaled, title: Scaled, unit: number, multiplier: 12, polarity: lower, frequency: monthly}\n"
    )  # fmt: skip
    content = HEADER + 'timely-assessments,2017-12,,173,199\nrate,2017-12,,28,12100\nscaled,2017-12,,"1,508",100\n'
    document = built(tmp_path, {"r.csv": content}, catalogue)
    percentage = measure(document, "timely-assessments")
    assert percentage["value"] == pytest.approx(173 / 199 * 100)
    assert (percentage["display"], percentage["numerator"], percentage["denominator"]) == ("87", 173, 199)
    rate = measure(document, "rate")
    assert rate["value"] == pytest.approx(28 / 12100 * 10000)
    assert (rate["display"], rate["unit_label"]) == ("23.1", "Rate per 10,000")
    scaled = measure(document, "scaled")
    assert (scaled["value"], scaled["numerator"]) == (pytest.approx(180.96), 1508)


def test_a_value_that_agrees_with_numerator_and_denominator_once_rounded_is_kept(tmp_path: Path) -> None:
    row = measure(built(tmp_path, {"r.csv": HEADER + "timely-assessments,2017-12,87,173,199\n"}), "timely-assessments")
    assert (row["value"], row["numerator"], row["denominator"]) == (87, 173, 199)  # 173 / 199 = 86.9 shows as 87


def test_a_value_that_disagrees_with_numerator_and_denominator_names_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", CATALOGUE, {"r.csv": HEADER + "timely-assessments,2017-12,80,121,166\n"})
    message = "column value: the value 80 disagrees with numerator / denominator 121 / 166 = 72.9"
    assert_invalid(project, {"data/r.csv:2": [message, "leave the value blank"]}, monkeypatch)


@pytest.mark.parametrize(
    ("catalogue_extra", "row", "message"),
    [
        ("", "timely-assessments,2017-12,112,,", "column value: 112 is above 100, the most a percentage can be"),
        ("", "timely-assessments,2017-12,-1,,", "column value: -1 is below 0, the least a percentage can be"),
        ("", "timely-assessments,2017-12,,250,200", "125 is above 100, the most a percentage can be"),
        ("    max: 150\n", "timely-assessments,2017-12,151,,", "column value: 151 is above the measure's max: 150"),
        ("    min: 10\n", "timely-assessments,2017-12,9,,", "column value: 9 is below the measure's min: 10"),
    ],
)
def test_a_value_outside_the_measures_bounds_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogue_extra: str, row: str, message: str
) -> None:
    catalogue = CATALOGUE.replace("    targets: {2017/18: 90}\n", "    targets: {2017/18: 90}\n" + catalogue_extra)
    project = write_project(tmp_path / "p", catalogue, {"r.csv": HEADER + row + "\n"})
    assert_invalid(project, {"data/r.csv:2": [message]}, monkeypatch)


def test_a_percentage_with_its_own_max_may_exceed_100(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace("    targets: {2017/18: 90}\n", "    targets: {2017/18: 90}\n    max: 200\n")
    row = measure(
        built(tmp_path, {"r.csv": HEADER + "timely-assessments,2017-12,120,,\n"}, catalogue), "timely-assessments"
    )
    assert row["value"] == 120


def test_explicit_year_outturn_overrides_the_derived_one(tmp_path: Path) -> None:
    derived = HEADER + "timely-assessments,2017-03,85,,\ntimely-assessments,2017-12,88,,\n"
    row = measure(built(tmp_path / "derived", {"r.csv": derived}), "timely-assessments")
    assert (row["previous_year_value"], row["previous_year_display"]) == (85, "85")
    explicit = {"r.csv": derived, "outturns.csv": "measure,period,value\ntimely-assessments,2016/17,91.2\n"}
    row = measure(built(tmp_path / "explicit", explicit), "timely-assessments")
    assert (row["previous_year_value"], row["previous_year_display"]) == (91.2, "91")


def test_a_project_without_results_builds_with_no_data(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", CATALOGUE, {})
    (project / "data").rmdir()
    document = build_json(project)
    assert {row["status"] for row in document["measures"]} == {"no-data"}
    assert {row["value"] for row in document["measures"]} == {None}


def test_files_other_than_csv_are_ignored(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"r.csv": HEADER + GOOD, "notes.txt": "not,a\nresult file\n", "old.csv.bak": "x"}
    assert measure(built(tmp_path, files), "timely-assessments")["value"] == 88


def test_header_problems_name_their_column_as_data() -> None:
    problems = check_header(["measure", "valeu", "value", "value"], Path("r.csv"), 1)
    assert [(problem.column, problem.message.split(";")[0]) for problem in problems] == [
        ("valeu", "unknown column 'valeu'"),
        ("value", "column 'value' is given twice"),
        (
            "period",
            "missing column 'period' (the header needs measure and period, and value or numerator and denominator)",
        ),
    ]


def test_row_problems_name_their_column_as_data_and_in_words() -> None:
    row = RawRow({"measure": "x", "period": "2017-12"}, Path("r.csv"), 4)
    assert row.problem("'n/a' is not a number", "value") == Problem(
        Path("r.csv"), 4, "column value: 'n/a' is not a number", column="value"
    )
    # a text file has no cell to point at: ``at`` changes nothing
    assert row.problem("no value: give a value", at="value") == Problem(Path("r.csv"), 4, "no value: give a value")
