"""measures.yaml: every mistake is reported as ``measures.yaml:LINE: key: message``, through the CLI.

Each case edits one line of the generated catalogue (``scorecard_testing.CATALOGUE``, whose
line numbers are listed below) and checks that ``validate`` and ``build`` exit 1, name the line
and the key, print no traceback, and leave out/ exactly as it was.

     1 organisation: Testshire County Council
     2 reports:
     3   - id: overview
     4     title: Overview
     5     measures: [timely-assessments, families-helped, satisfaction]
     6 measures:
     7   - id: timely-assessments
     8     title: Assessments completed within 45 days
     9     unit: percentage
    10     polarity: higher
    11     frequency: monthly
    12     targets: {2017/18: 90}
    13   - id: families-helped
    14     title: Families helped
    15     unit: number
    16     polarity: higher
    17     frequency: quarterly
    18   - id: satisfaction
    19     title: Residents satisfied
    20     unit: percentage
    21     polarity: higher
    22     frequency: annual
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from scorecard_testing import CATALOGUE, assert_invalid, build_json, copy_project, invoke, measure, write_project

from ncc_scorecard.catalogue import Measure, load_catalogue
from ncc_scorecard.periods import FinancialYear

TARGETS = "    targets: {2017/18: 90}\n"
REPORT_LIST = "    measures: [timely-assessments, families-helped, satisfaction]\n"


def after_targets(line: str) -> tuple[str, str]:
    """An edit adding ``line`` as line 13, in the first measure."""
    return TARGETS, TARGETS + line


# id: (text replaced, replacement, {location: [texts the message must contain]})
CASES: dict[str, tuple[str, str, dict[str, list[str]]]] = {
    "unknown key in a measure": (
        *after_targets("    colour: red\n"),
        {"measures.yaml:13": ["measures[0].colour", "unknown key 'colour'"]},
    ),
    "misspelt key gets a suggestion": (
        "    frequency: monthly\n",
        "    frequncy: monthly\n",
        {
            "measures.yaml:11": ["measures[0].frequncy", "unknown key 'frequncy'", "did you mean 'frequency'?"],
            "measures.yaml:7": ["measures[0]", "missing required key 'frequency'"],
        },
    ),
    "unknown top-level key": (
        "reports:\n",
        "colour: red\nreports:\n",
        {"measures.yaml:2": ["colour", "unknown key 'colour'"]},
    ),
    "unknown key in a report": (
        "    title: Overview\n",
        "    title: Overview\n    colour: red\n",
        {"measures.yaml:5": ["reports[0].colour", "unknown key 'colour'"]},
    ),
    "unknown key in a section": (
        REPORT_LIST,
        "    sections:\n      - title: Early help\n        measures: [timely-assessments]\n        colour: red\n",
        {"measures.yaml:8": ["reports[0].sections[0].colour", "unknown key 'colour'", "title, measures"]},
    ),
    "wrong type: text for a number": (
        *after_targets("    decimals: two\n"),
        {"measures.yaml:13": ["measures[0].decimals", "valid integer", "'two'"]},
    ),
    "wrong type: a list for a text": (
        "    title: Overview\n",
        "    title: [Overview]\n",
        {"measures.yaml:4": ["reports[0].title", "valid string"]},
    ),
    "wrong type: targets": (
        TARGETS,
        "    targets: high\n",
        {"measures.yaml:12": ["measures[0].targets", "targets must be a number or financial years"]},
    ),
    "decimals out of range": (
        *after_targets("    decimals: 9\n"),
        {"measures.yaml:13": ["measures[0].decimals", "less than or equal to 6"]},
    ),
    "bad polarity": (
        "    polarity: higher\n    frequency: monthly\n",
        "    polarity: up\n    frequency: monthly\n",
        {"measures.yaml:10": ["measures[0].polarity", "'higher', 'lower' or 'none'", "'up'"]},
    ),
    "bad frequency": (
        "    frequency: annual\n",
        "    frequency: yearly\n",
        {
            "measures.yaml:22": [
                "measures[2].frequency",
                "'weekly', 'monthly', 'quarterly', 'annual' or 'biennial'",
                "'yearly'",
            ]
        },
    ),
    "bad unit": (
        "    unit: number\n",
        "    unit: count\n",
        {"measures.yaml:15": ["measures[1].unit", "'count'"]},
    ),
    "bad direction": (
        *after_targets("    direction: last_year\n"),
        {"measures.yaml:13": ["measures[0].direction", "'last_year'"]},
    ),
    "missing required key in a measure": (
        "    polarity: higher\n    frequency: quarterly\n",
        "    frequency: quarterly\n",
        {"measures.yaml:13": ["measures[1]", "missing required key 'polarity'"]},
    ),
    "missing organisation": (
        "organisation: Testshire County Council\n",
        "",
        {"measures.yaml:1": ["missing required key 'organisation'"]},
    ),
    "missing report title": (
        "    title: Overview\n",
        "",
        {"measures.yaml:3": ["reports[0]", "missing required key 'title'"]},
    ),
    "duplicate measure id": (
        "  - id: satisfaction\n",
        "  - id: families-helped\n",
        {"measures.yaml:18": ["measures[2].id", "duplicate id 'families-helped'", "first used at line 13"]},
    ),
    "duplicate report id": (
        "measures:\n",
        "  - id: overview\n    title: Again\n    measures: [satisfaction]\nmeasures:\n",
        {"measures.yaml:6": ["reports[1].id", "duplicate id 'overview'", "first used at line 3"]},
    ),
    "report naming an unknown measure": (
        "satisfaction]\n",
        "satisfation]\n",
        {"measures.yaml:5": ["reports[0].measures[2]", "no measure 'satisfation'", "did you mean 'satisfaction'?"]},
    ),
    "section naming an unknown measure": (
        REPORT_LIST,
        "    sections:\n      - title: Early help\n        measures:\n          - timely-assessments\n"
        "          - family-helped\n",
        {"measures.yaml:9": ["reports[0].sections[0].measures[1]", "no measure 'family-helped'"]},
    ),
    "measure listed twice in a report": (
        "satisfaction]\n",
        "satisfaction, families-helped]\n",
        {"measures.yaml:5": ["reports[0].measures[3]", "'families-helped' is listed twice"]},
    ),
    "report with measures and sections": (
        REPORT_LIST,
        REPORT_LIST + "    sections: [{title: S, measures: [satisfaction]}]\n",
        {"measures.yaml:3": ["reports[0]", "either `measures` or `sections`"]},
    ),
    "bad measure slug": (
        "  - id: satisfaction\n",
        "  - id: Satisfaction_2\n",
        {"measures.yaml:18": ["measures[2].id", "[a-z0-9-]+", "'Satisfaction_2'"]},
    ),
    "bad report slug": (
        "  - id: overview\n",
        "  - id: Overview 2017\n",
        {"measures.yaml:3": ["reports[0].id", "[a-z0-9-]+", "'Overview 2017'"]},
    ),
    "bad tolerance text": (
        *after_targets("    tolerance: five\n"),
        {"measures.yaml:13": ["measures[0].tolerance", "a number or a percentage of the target like '5%'"]},
    ),
    "negative tolerance": (
        *after_targets("    tolerance: -1\n"),
        {"measures.yaml:13": ["measures[0].tolerance", "must not be negative"]},
    ),
    "negative percentage tolerance": (
        *after_targets("    tolerance: '-5%'\n"),
        {"measures.yaml:13": ["measures[0].tolerance", "like '5%'"]},
    ),
    "bad target year": (
        TARGETS,
        "    targets: {2017/19: 90}\n",
        {"measures.yaml:12": ["measures[0].targets", "target year '2017/19'", "the second year must follow the first"]},
    ),
    "target year written as a calendar year": (
        TARGETS,
        "    targets: {2017: 90}\n",
        {"measures.yaml:12": ["measures[0].targets", "target year '2017'", "like 2023/24"]},
    ),
    "underlying naming another field": (
        *after_targets('    underlying: "{value} of {numerator}"\n'),
        {"measures.yaml:13": ["measures[0].underlying", "{value}", "only {numerator} and {denominator}"]},
    ),
    "underlying that cannot be read": (
        *after_targets('    underlying: "{numerator of 5"\n'),
        {"measures.yaml:13": ["measures[0].underlying", "cannot be read"]},
    ),
    "rate without per": (
        "    unit: number\n",
        "    unit: rate\n",
        {"measures.yaml:13": ["measures[1]", "a rate measure needs `per`"]},
    ),
    "per on a measure that is not a rate": (
        *after_targets("    per: 1000\n"),
        {"measures.yaml:7": ["measures[0]", "`per` is only for rate measures"]},
    ),
    "year_start_month out of range": (
        "reports:\n",
        "year_start_month: 13\nreports:\n",
        {"measures.yaml:2": ["year_start_month", "(got 13)"]},
    ),
    "unknown period label style": (
        "reports:\n",
        "period_labels: first-of-month\nreports:\n",
        {"measures.yaml:2": ["period_labels", "'natural' or 'first-month'", "(got 'first-of-month')"]},
    ),
    "YAML syntax error": (
        "    title: Families helped\n",
        "    title: [Families helped\n",
        {"measures.yaml:15": ["YAML syntax"]},
    ),
    "tab indentation": (
        "    title: Families helped\n",
        "\ttitle: Families helped\n",
        {"measures.yaml:14": ["YAML syntax", "tab"]},
    ),
    "duplicate YAML key": (
        *after_targets("    title: Again\n"),
        {"measures.yaml:13": ["key 'title' is given twice", "first at line 8"]},
    ),
    "unhashable key": (
        "reports:\n",
        "[a, b]: 1\nreports:\n",
        {"measures.yaml:2": ["YAML syntax", "unhashable key"]},
    ),
    "python object tag": (
        "organisation: Testshire County Council\n",
        "organisation: !!python/object/apply:os.system [echo]\n",
        {"measures.yaml:1": ["YAML syntax", "could not determine a constructor"]},
    ),
    "undefined alias": (
        "    title: Overview\n",
        "    title: *name\n",
        {"measures.yaml:4": ["YAML syntax", "undefined alias"]},
    ),
    "target that is not a number": (
        TARGETS,
        "    targets: .nan\n",
        {"measures.yaml:12": ["measures[0].targets", "finite number"]},
    ),
    "target year with an infinite target": (
        TARGETS,
        "    targets: {2017/18: .inf}\n",
        {"measures.yaml:12": ["measures[0].targets.2017/18", "finite number"]},
    ),
    "infinite tolerance": (
        *after_targets("    tolerance: .inf\n"),
        {"measures.yaml:13": ["measures[0].tolerance", "finite number"]},
    ),
    "multiplier that is not a number": (
        *after_targets("    multiplier: .nan\n"),
        {"measures.yaml:13": ["measures[0].multiplier", "finite number"]},
    ),
    "not a mapping": (
        CATALOGUE,
        "- just a list\n",
        {"measures.yaml:1": ["must be a mapping with organisation, reports and measures"]},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_catalogue_mistake_is_reported_at_its_line(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, problems = CASES[case]
    assert CATALOGUE.count(old) == 1, "the edit must apply to exactly one place"
    project = write_project(tmp_path / "project", CATALOGUE.replace(old, new))
    assert_invalid(project, problems, monkeypatch)


def test_the_generated_catalogue_is_valid(tmp_path: Path) -> None:
    document = build_json(write_project(tmp_path / "project"))
    assert [m["id"] for m in document["measures"]] == ["timely-assessments", "families-helped", "satisfaction"]


def test_missing_measures_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project", catalogue=None)
    output = assert_invalid(project, {"measures.yaml": ["not found", "needs a measures.yaml"]}, monkeypatch)
    assert output.count("measures.yaml") >= 1


def test_catalogue_not_in_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project")
    (project / "measures.yaml").write_bytes(CATALOGUE.replace("Testshire", "Caf\xe9").encode("cp1252"))
    assert_invalid(project, {"measures.yaml": ["is not UTF-8", "save it as UTF-8"]}, monkeypatch)


def test_catalogue_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    (project / "measures.yaml").write_bytes(b"\xef\xbb\xbf" + CATALOGUE.encode("utf-8"))
    assert build_json(project)["organisation"] == "Testshire County Council"


def test_errors_name_the_file_when_run_from_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new, _ = CASES["bad polarity"]
    project = write_project(tmp_path / "project", CATALOGUE.replace(old, new))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 1
    assert f"{project / 'measures.yaml'}:10: measures[0].polarity" in result.output


def test_every_schema_mistake_is_reported_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("broken-catalogue", tmp_path)
    output = assert_invalid(
        project,
        {
            "measures.yaml:6": ["reports[0].id", "'Overview_2017'"],
            "measures.yaml:14": ["measures[0].polarity", "'up'"],
            "measures.yaml:16": ["measures[0].tolerance"],
            "measures.yaml:17": ["measures[0].colour", "unknown key 'colour'"],
            "measures.yaml:19": ["measures[1]", "missing required key 'frequency'"],
        },
        monkeypatch,
    )
    assert "5 problems found; nothing was written." in output


def test_catalogue_and_result_file_problems_are_reported_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project("broken-catalogue", tmp_path)
    (project / "data" / "excel.csv").write_bytes(b"measure,period,value,comment\nfamilies-helped,2017-10,1,caf\xe9\n")
    (project / "data" / "typo.csv").write_text("measure,period,valeu\n", encoding="utf-8")
    assert_invalid(
        project,
        {
            "measures.yaml:14": ["measures[0].polarity"],
            "data/excel.csv:2": ["UTF-8"],
            "data/typo.csv:1": ["unknown column 'valeu'", "did you mean 'value'?"],
        },
        monkeypatch,
    )


# --- the schema's defaults and helpers -----------------------------------------------------------


def measure_of(**fields: object) -> Measure:
    return Measure.model_validate(
        {"id": "m", "title": "M", "unit": "number", "polarity": "higher", "frequency": "monthly"} | fields
    )


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"unit": "percentage"}, "%"),
        ({"unit": "number"}, "Number"),
        ({"unit": "rate", "per": 10000}, "Rate per 10,000"),
        ({"unit": "days"}, "Days"),
        ({"unit": "weeks"}, "Weeks"),
        ({"unit": "score"}, "Score"),
        ({"unit": "currency"}, "£"),
        ({"unit": "number", "unit_label": "Cases"}, "Cases"),
    ],
)
def test_unit_labels(fields: dict[str, object], label: str) -> None:
    assert measure_of(**fields).label == label


def test_defaults() -> None:
    m = measure_of()
    assert (m.decimals, m.tolerance, m.comparator, m.outturn, m.targets) == (0, 0, "previous_period", "latest", None)
    assert measure_of(unit="percentage").factor == 100
    assert measure_of(unit="rate", per=1000).factor == 1000
    assert measure_of(unit="percentage", multiplier=1).factor == 1


def test_targets_by_year_and_tolerance_amounts() -> None:
    m = measure_of(targets={"2017/18": 22, "2018/2019": 21, "2019/20": None}, tolerance="5%")
    assert m.target_for(FinancialYear(2017).period) == 22
    assert m.target_for(FinancialYear(2018).period) == 21
    assert m.target_for(FinancialYear(2019).period) is None
    assert m.target_for(FinancialYear(2016).period) is None
    assert m.tolerance_amount(Decimal("80")) == Decimal("4")
    assert measure_of(tolerance=2.5).tolerance_amount(Decimal("80")) == Decimal("2.5")


def test_sections_give_the_display_order(tmp_path: Path) -> None:
    catalogue, problems = load_catalogue(copy_project("minimal", tmp_path) / "measures.yaml")
    assert problems == [] and catalogue is not None
    report = catalogue.reports[1]
    assert report.groups == [
        ("Early help", ["families-helped", "timely-assessments"]),
        ("Social care", ["re-referral-rate", "satisfaction"]),
    ]
    document = build_json(tmp_path / "minimal", report="by-service")
    assert [(m["section"], m["id"]) for m in document["measures"]] == [
        ("Early help", "families-helped"),
        ("Early help", "timely-assessments"),
        ("Social care", "re-referral-rate"),
        ("Social care", "satisfaction"),
    ]
    assert measure(document, "satisfaction")["display"] == "72"


def test_a_message_is_printed_once_even_when_union_members_repeat_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, problems = CASES["multiplier that is not a number"]
    project = write_project(tmp_path / "project", CATALOGUE.replace(old, new))
    output = assert_invalid(project, problems, monkeypatch)
    assert output.count("measures[0].multiplier: Input should be a finite number") == 1


def test_schema_errors_and_cross_entry_errors_come_in_one_run(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (project / "measures.yaml").write_text(
        "organisation: Testshire\n"
        "reports:\n"
        "  - id: r\n"
        "    title: R\n"
        "    measures: [a, nowhere]\n"
        "measures:\n"
        "  - id: a\n"
        "    title: A\n"
        "    unit: number\n"
        "    polarity: up\n"
        "    frequency: monthly\n"
        "  - id: a\n"
        "    title: A again\n"
        "    unit: number\n"
        "    polarity: higher\n"
        "    frequency: monthly\n",
        encoding="utf-8",
    )
    from click.testing import CliRunner

    from ncc_scorecard.cli import main

    result = CliRunner().invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "measures.yaml:" in line]
    assert len(lines) == 3, result.output
    assert "measures.yaml:5: reports[0].measures[1]: no measure 'nowhere'" in lines[0]
    assert "measures.yaml:10: measures[0].polarity:" in lines[1]
    assert "measures.yaml:12: measures[1].id: duplicate id 'a' (first used at line 7)" in lines[2]


@pytest.mark.parametrize("text", ["tolerance: true", "targets: yes", "multiplier: '100'"])
def test_booleans_and_quoted_text_are_not_numbers(tmp_path: Path, text: str) -> None:
    from click.testing import CliRunner

    from ncc_scorecard.cli import main

    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (project / "measures.yaml").write_text(
        "organisation: Testshire\nreports:\n  - id: r\n    title: R\n    measures: [a]\nmeasures:\n"
        "  - id: a\n    title: A\n    unit: number\n    polarity: higher\n    frequency: monthly\n"
        f"    {text}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 1, result.output
    assert "measures.yaml:12: measures[0]." in result.output
