"""The machine-readable outputs of the ``minimal`` project: JSON exactly per SPEC §6, and the CSV export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import CATALOGUE, build, copy_project, measure, write_project

from ncc_scorecard.render.exports import neutralise

SPEC_KEYS = {
    "id", "title", "unit", "frequency", "polarity", "period", "period_label", "value", "display",
    "numerator", "denominator", "target", "target_display", "previous_year_value", "previous_year_display",
    "rag", "direction", "status", "underlying", "comment", "action", "trend",
}  # fmt: skip
NUMBER_KEYS = ("value", "numerator", "denominator", "target", "previous_year_value")
TEXT_KEYS = ("id", "title", "unit", "frequency", "polarity", "period", "period_label", "display", "target_display",
             "previous_year_display", "underlying", "comment", "action")  # fmt: skip

# The minimal project as at 31.12.17, worked out by hand from tests/projects/minimal.
EXPECTED: dict[str, dict[str, Any]] = {
    "timely-assessments": {
        "unit": "percentage", "frequency": "monthly", "polarity": "higher",
        "period": "2017-12", "period_label": "Dec 2017",
        "value": pytest.approx(173 / 199 * 100), "display": "86.9", "numerator": 173, "denominator": 199,
        "target": 90, "target_display": "90",  # 2017/18's target; 2018/19's (92) is not used
        "previous_year_value": 85.0, "previous_year_display": "85.0",  # 2016/17 derived: March 2017, 170/200
        "rag": "amber",  # 3.1 short of 90, within 5% (4.5)
        "direction": "better", "direction_basis": "Nov 2017",  # 86.0
        "status": "up-to-date",
        "underlying": "173 of 199 assessments were completed within 45 days.",
        "comment": "Two assessments slipped over Christmas.\n\nA second paragraph.",
        "action": "Weekly review of open assessments.",
        "trend": [
            {"period": "2017-10", "value": 88.0},
            {"period": "2017-11", "value": 86.0},
            {"period": "2017-12", "value": pytest.approx(173 / 199 * 100)},
        ],
    },
    "families-helped": {
        "unit": "number", "frequency": "quarterly", "polarity": "higher",
        "period": "2017-10", "period_label": "Oct–Dec 2017",
        "value": 92, "display": "92", "numerator": None, "denominator": None,
        "target": 100, "target_display": "100",
        "previous_year_value": 235, "previous_year_display": "235",  # sum of 2016/17's quarters: 80 + 95 + 60
        "rag": "amber",  # 8 short, within the absolute tolerance of 10
        "direction": "worse", "direction_basis": "Oct–Dec 2016",  # 2016/17 Q3: 95
        "status": "up-to-date",
        "underlying": None,
        "comment": "@risk: referrals fell in December",
        "action": None,
        "trend": [
            {"period": p, "value": v}
            for p, v in [("2016-07", 80), ("2016-10", 95), ("2017-01", 60), ("2017-04", 90), ("2017-07", 105),
                         ("2017-10", 92)]
        ],
    },
    "satisfaction": {
        "unit": "percentage", "frequency": "annual", "polarity": "higher",
        "period": "2016-04", "period_label": "2016/17",  # 2017/18 ends after the as-at date
        "value": 72, "display": "72", "numerator": None, "denominator": None,
        "target": None, "target_display": None,  # only 2017/18 has a target
        "previous_year_value": 72, "previous_year_display": "72",
        "rag": None,
        "direction": "better", "direction_basis": "2015/16",  # 68
        "status": "up-to-date",
        "underlying": None, "comment": None, "action": None,
        "trend": [{"period": "2015-04", "value": 68}, {"period": "2016-04", "value": 72}],
    },
    "re-referral-rate": {
        "unit": "rate", "frequency": "monthly", "polarity": "lower",
        "period": "2017-11", "period_label": "Nov 2017",
        "value": 24, "display": "24.0", "numerator": None, "denominator": None,
        "target": 25, "target_display": "25",
        "previous_year_value": 23.75, "previous_year_display": "23.8",  # ratio: 57 / 24000 × 10,000
        "rag": "green",
        "direction": "worse",  # 24.0 against 23.8, lower is better
        "status": "overdue",  # no December result
        "underlying": None,
        "comment": "=SUM(A1:A9) looks like a formula",
        "action": "-2 on last month",
        "trend": [
            {"period": "2017-10", "value": pytest.approx(28 / 12100 * 10000)},
            {"period": "2017-11", "value": 24},
        ],
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    project = copy_project("minimal", root)
    result = build(project, formats="json,csv", out=root / "out")
    assert result.exit_code == 0, result.output
    return root / "out"


@pytest.fixture(scope="module")
def document(out: Path) -> dict[str, Any]:
    return json.loads((out / "overview.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def csv_rows(out: Path) -> list[dict[str, str]]:
    raw = (out / "overview.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_one_file_per_report_and_format(out: Path) -> None:
    assert sorted(path.name for path in out.iterdir() if path.is_file()) == [
        "by-service.csv", "by-service.json", "overview.csv", "overview.json",
    ]  # fmt: skip


def test_heading_facts(document: dict[str, Any]) -> None:
    assert document["report"] == "overview"
    assert document["title"] == "Overview"
    assert document["organisation"] == "Testshire County Council"
    assert document["as_at"] == "2017-12-31"
    assert document["previous_year"] == "2016/17"


def test_measures_in_report_order(document: dict[str, Any]) -> None:
    assert [m["id"] for m in document["measures"]] == list(EXPECTED)


@pytest.mark.parametrize("measure_id", list(EXPECTED))
def test_every_figure(document: dict[str, Any], measure_id: str) -> None:
    row = measure(document, measure_id)
    for key, expected in EXPECTED[measure_id].items():
        assert row[key] == expected, key


@pytest.mark.parametrize("measure_id", list(EXPECTED))
def test_keys_and_types(document: dict[str, Any], measure_id: str) -> None:
    row = measure(document, measure_id)
    assert SPEC_KEYS <= set(row)
    for key in NUMBER_KEYS:
        assert row[key] is None or (isinstance(row[key], (int, float)) and not isinstance(row[key], bool)), key
    for key in TEXT_KEYS:
        assert row[key] is None or isinstance(row[key], str), key
    assert re.fullmatch(r"\d{4}-\d{2}", row["period"])
    month = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    assert re.fullmatch(rf"{month} \d{{4}}|{month}–{month} \d{{4}}|\d{{4}}/\d{{2}}", row["period_label"])
    assert row["rag"] in ("red", "amber", "green", None)
    assert row["direction"] in ("better", "same", "worse", None)
    assert row["status"] in ("up-to-date", "overdue", "no-data")
    for point in row["trend"]:
        assert set(point) == {"period", "value"}
        assert re.fullmatch(r"\d{4}-\d{2}", point["period"]) and isinstance(point["value"], (int, float))


def test_numbers_are_json_numbers_and_absent_values_null(out: Path) -> None:
    text = (out / "overview.json").read_text(encoding="utf-8")
    assert '"numerator": 173,' in text
    assert '"target": null,' in text
    assert '"rag": null,' in text
    assert '"value": "' not in text


# labels in the published NCC style: every period named by its first month; a financial year's
# outturn (direction: previous_year) is named as a year, as the previous-year column is
FIRST_MONTH = {
    "timely-assessments": ("Dec 2017", "Nov 2017"),
    "families-helped": ("Oct 2017", "Oct 2016"),
    "satisfaction": ("Apr 2016", "2015/16"),
    "re-referral-rate": ("Nov 2017", "2016/17"),
}


def test_first_month_labels_name_each_period_by_its_first_month(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    catalogue = project / "measures.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "period_labels: first-month\n", encoding="utf-8")
    result = build(project, formats="json,csv")
    assert result.exit_code == 0, result.output
    document = json.loads((project / "out" / "overview.json").read_text(encoding="utf-8"))
    for measure_id, labels in FIRST_MONTH.items():
        row = measure(document, measure_id)
        assert (row["period_label"], row["direction_basis"]) == labels, measure_id
    text = (project / "out" / "overview.csv").read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert {measure_id: row["period_label"] for measure_id, row in rows.items()} == {
        measure_id: labels[0] for measure_id, labels in FIRST_MONTH.items()
    }


def test_a_measure_without_results_is_all_null(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", CATALOGUE, {"r.csv": "measure,period,value\n"})
    assert build(project).exit_code == 0
    row = measure(json.loads((project / "out" / "overview.json").read_text(encoding="utf-8")), "timely-assessments")
    assert row["status"] == "no-data"
    for key in ("period", "period_label", "value", "display", "previous_year_value", "rag", "direction", "comment",
                "direction_comparator_value", "direction_comparator_display"):  # fmt: skip
        assert row[key] is None, key
    assert (row["target"], row["trend"]) == (90, [])


def test_as_at_a_month_is_its_last_day(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    assert build(project, as_at="2017-12").exit_code == 0
    document = json.loads((project / "out" / "overview.json").read_text(encoding="utf-8"))
    assert document["as_at"] == "2017-12-31"
    assert measure(document, "timely-assessments")["period"] == "2017-12"


def test_sections_report(out: Path) -> None:
    document = json.loads((out / "by-service.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in document["measures"]] == [
        "families-helped", "timely-assessments", "re-referral-rate", "satisfaction",
    ]  # fmt: skip


# What the direction of travel compared with: (basis, comparator value, as displayed)
COMPARED = {
    "timely-assessments": ("Nov 2017", 86.0, "86.0"),
    "families-helped": ("Oct–Dec 2016", 95, "95"),
    "satisfaction": ("2015/16", 68, "68"),
}


@pytest.mark.parametrize("measure_id", list(COMPARED))
def test_the_direction_names_its_comparator_and_figure(document: dict[str, Any], measure_id: str) -> None:
    row = measure(document, measure_id)
    basis, value, shown = COMPARED[measure_id]
    assert (row["direction_basis"], row["direction_comparator_value"], row["direction_comparator_display"]) == (
        basis,
        value,
        shown,
    )


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_has_one_row_per_measure_in_report_order(csv_rows: list[dict[str, str]]) -> None:
    assert [row["id"] for row in csv_rows] == list(EXPECTED)
    assert {row["report"] for row in csv_rows} == {"overview"}


def test_csv_line_endings(out: Path) -> None:
    raw = (out / "overview.csv").read_bytes()
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\r\n") >= len(EXPECTED) + 1


@pytest.mark.parametrize("measure_id", list(EXPECTED))
def test_csv_has_the_figures_of_the_json(
    document: dict[str, Any], csv_rows: list[dict[str, str]], measure_id: str
) -> None:
    row = next(r for r in csv_rows if r["id"] == measure_id)
    data = measure(document, measure_id)
    for key in NUMBER_KEYS:
        assert (float(row[key]) if row[key] else None) == data[key], key
    for key in ("period", "period_label", "display", "target_display", "previous_year_display", "rag", "direction",
                "status", "underlying", "unit", "frequency", "polarity", "title"):  # fmt: skip
        assert row[key] == (data[key] or ""), key
    assert row["trend"] == " ".join(f"{p['period']}={p['value']}" for p in data["trend"])
    value = data["direction_comparator_value"]
    assert (float(row["direction_comparator_value"]) if row["direction_comparator_value"] else None) == value
    for key in ("direction_basis", "direction_comparator_display"):
        assert row[key] == (data[key] or ""), key


def test_csv_neutralises_formula_cells(csv_rows: list[dict[str, str]]) -> None:
    rate = next(r for r in csv_rows if r["id"] == "re-referral-rate")
    assert rate["comment"] == "'=SUM(A1:A9) looks like a formula"
    assert rate["action"] == "'-2 on last month"
    assert next(r for r in csv_rows if r["id"] == "families-helped")["comment"] == "'@risk: referrals fell in December"
    assert next(r for r in csv_rows if r["id"] == "timely-assessments")["comment"].startswith("Two assessments")


def test_csv_keeps_multi_line_comments_in_one_cell(csv_rows: list[dict[str, str]]) -> None:
    row = next(r for r in csv_rows if r["id"] == "timely-assessments")
    assert row["comment"] == "Two assessments slipped over Christmas.\n\nA second paragraph."


def test_csv_neutralises_titles_too_but_numbers_stay_numbers(tmp_path: Path) -> None:
    catalogue = (
        CATALOGUE.replace("Assessments completed within 45 days", '"\\tTabbed title"')
        .replace("title: Families helped", 'title: "\\rCarriage return"')
        .replace("title: Residents satisfied", 'title: "+ plus"')
        .replace("targets: {2017/18: 90}", "targets: {2017/18: 90}\n    min: -10")  # a percentage that can fall
    )
    results = "measure,period,value\ntimely-assessments,2017-12,-3.5\nfamilies-helped,2017-10,-1508\n"
    project = write_project(tmp_path / "project", catalogue, {"r.csv": results})
    result = build(project, formats="csv")
    assert result.exit_code == 0, result.output
    text = (project / "out" / "overview.csv").read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["timely-assessments"]["title"] == "'\tTabbed title"
    assert rows["families-helped"]["title"] == "'\rCarriage return"
    assert rows["satisfaction"]["title"] == "'+ plus"
    assert rows["timely-assessments"]["value"] == "-3.5"
    assert rows["families-helped"]["value"] == "-1508.0"
    assert rows["timely-assessments"]["target"] == "90"


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("cell", ["plain", "", "1,588", "-1,588", "+2.5", 12.5, -3, 0, None])
def test_neutralise_leaves_other_cells_alone(cell: object) -> None:
    assert neutralise(cell) == cell
