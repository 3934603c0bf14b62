"""The exception report: `ncc-scorecard changes` and the "Changes since the last period" section
agree with the JSON of the two report dates they compare."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import CATALOGUE, build, copy_project, invoke, write_project

from ncc_scorecard.build import load_project
from ncc_scorecard.changes import main_frequency, previous_report_date

ROOT = Path(__file__).resolve().parents[1]


def build_documents(project: Path, as_at: str, out: Path, *extra: str) -> dict[str, dict[str, Any]]:
    result = build(project, *extra, as_at=as_at, formats="json", out=out)
    assert result.exit_code == 0, result.output
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(out.glob("*.json"))}


def expected_changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """The changes a reader finds by putting the two JSON documents side by side."""
    earlier = {m["id"]: m for m in before["measures"]}
    found = []
    for now in after["measures"]:
        then = earlier[now["id"]]
        if then["rag"] != now["rag"]:
            found.append((now["id"], "rag", then["rag"], now["rag"]))
        if now["status"] == "overdue" and then["status"] != "overdue":
            found.append((now["id"], "overdue", then["status"], now["status"]))
        if now["status"] == "no-data":
            found.append((now["id"], "no-result", then["status"], now["status"]))
    return found


def listed(changes: list[dict[str, Any]]) -> list[tuple[str, str, Any, Any]]:
    return [(c["id"], c["kind"], c["from"], c["to"]) for c in changes]


def sparse_project(root: Path) -> Path:
    """Results that give every kind of change: a RAG change, a measure becoming overdue, one without results."""
    results = (
        "measure,period,value\n"
        "timely-assessments,2017-10,91\n"
        "timely-assessments,2017-11,85\n"
        "families-helped,2017-07,100\n"
    )
    return write_project(root, CATALOGUE, {"r.csv": results})


CASES = {
    "bundled example, month on month": (lambda tmp: ROOT, "2017-11-30", "2017-12-31"),
    "bundled example, a quarter": (lambda tmp: ROOT, "2017-09-30", "2017-12-31"),
    "minimal project": (lambda tmp: copy_project("minimal", tmp), "2017-11-30", "2017-12-31"),
    "every kind of change": (lambda tmp: sparse_project(tmp / "sparse"), "2017-10-31", "2017-12-31"),
    "mid-month as at": (lambda tmp: copy_project("minimal", tmp), "2017-11-30", "2018-01-15"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_changes_agree_with_the_json_of_the_two_report_dates(case: str, tmp_path: Path) -> None:
    make, since, as_at = CASES[case]
    project = make(tmp_path)
    before = build_documents(project, since, tmp_path / "before")
    after = build_documents(project, as_at, tmp_path / "after", "--since", since)
    printed = invoke("changes", "--project", str(project), "--as-at", as_at, "--since", since, "--format", "json")
    assert printed.exit_code == 0, printed.output
    reports = {r["report"]: r for r in json.loads(printed.output)["reports"]}
    assert sorted(reports) == sorted(after)
    total = 0
    for report_id, document in after.items():
        expected = expected_changes(before[report_id], document)
        total += len(expected)
        assert listed(document["changes"]) == expected
        assert document["changes_since"] == since
        assert listed(reports[report_id]["changes"]) == expected
        assert reports[report_id]["changes"] == document["changes"]
        assert (reports[report_id]["since"], reports[report_id]["as_at"]) == (since, document["as_at"])
    if case == "every kind of change":
        assert {kind for document in after.values() for kind in (c["kind"] for c in document["changes"])} == {
            "rag", "overdue", "no-result",
        }  # fmt: skip
    else:
        assert total > 0


def test_the_default_comparison_is_the_previous_month_end_for_a_monthly_report(tmp_path: Path) -> None:
    since_default = build_documents(ROOT, "2017-12-31", tmp_path / "a")
    explicit = build_documents(ROOT, "2017-12-31", tmp_path / "b", "--since", "2017-11-30")
    assert since_default == explicit
    document = since_default["childrens-safeguarding"]
    assert document["changes_since"] == "2017-11-30"
    assert listed(document["changes"]) == [
        ("lac-placement-stability", "rag", "green", "red"),
        ("yot-ete", "rag", "red", "green"),
    ]
    yot = next(c for c in document["changes"] if c["id"] == "yot-ete")
    assert yot == {
        "id": "yot-ete",
        "title": "% Young Offenders engagement in suitable education, employment or training (ETE)",
        "kind": "rag", "from": "red", "to": "green", "direction": "better",
        "from_period": "2017-11", "to_period": "2017-12", "from_display": "67", "to_display": "80",
        "text": "Red → Green (better): 67 in Nov 2017 → 80 in Dec 2017",
    }  # fmt: skip


def test_the_text_list() -> None:
    result = invoke("changes", "--project", str(ROOT), "--as-at", "2017-12-31")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Children's Safeguarding (childrens-safeguarding): changes between 30.11.17 and 31.12.17\n"
        "   8. lac-placement-stability  Green → Red (worse): 67 in Nov 2017 → 66 in Dec 2017\n"
        "  12. yot-ete                  Red → Green (better): 67 in Nov 2017 → 80 in Dec 2017\n"
    )


def test_texts_of_overdue_and_missing_results(tmp_path: Path) -> None:
    project = sparse_project(tmp_path / "p")
    result = invoke("changes", "--project", str(project), "--as-at", "2017-12-31")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Overview (overview): changes between 30.11.17 and 31.12.17\n"
        "   1. timely-assessments  Overdue: no result for Dec 2017; the last is 85 in Nov 2017\n"
        "   2. families-helped     Overdue: no result for Oct–Dec 2017; the last is 100 in Jul–Sep 2017\n"
        "   3. satisfaction        No result for any period up to 31.12.17\n"
    )


def test_no_changes(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace("[timely-assessments, families-helped, satisfaction]", "[timely-assessments]")
    results = "measure,period,value\ntimely-assessments,2017-11,91\ntimely-assessments,2017-12,92\n"
    project = write_project(tmp_path / "p", catalogue, {"r.csv": results})
    result = invoke("changes", "--project", str(project), "--as-at", "2017-12-31")
    assert result.output.endswith("\n  no changes\n")
    html = build(project, formats="html")
    assert html.exit_code == 0, html.output
    page = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert "Changes since the last period" in page
    assert "no measure changed its Performance, became overdue or is without a result" in page


@pytest.mark.parametrize(
    ("frequencies", "as_at", "expected"),
    [
        (["monthly", "monthly", "quarterly"], date(2017, 12, 31), date(2017, 11, 30)),
        (["monthly", "monthly", "quarterly"], date(2018, 1, 15), date(2017, 11, 30)),  # Dec is the latest ended
        (["quarterly", "quarterly", "monthly"], date(2017, 12, 31), date(2017, 9, 30)),
        (["quarterly", "quarterly", "monthly"], date(2018, 2, 28), date(2017, 9, 30)),
        (["monthly", "quarterly"], date(2017, 12, 31), date(2017, 11, 30)),  # a tie: the more frequent
        (["annual", "annual", "monthly"], date(2018, 4, 30), date(2017, 3, 31)),
    ],
)
def test_previous_report_date(tmp_path: Path, frequencies: list[str], as_at: date, expected: date) -> None:
    ids = [f"m{index}" for index in range(len(frequencies))]
    measures = "".join(
        f"  - {{id: {m}, title: M, unit: number, polarity: higher, frequency: {f}}}\n"
        for m, f in zip(ids, frequencies, strict=True)
    )
    catalogue = (
        f"organisation: X\nreports:\n  - {{id: r, title: R, measures: [{', '.join(ids)}]}}\nmeasures:\n{measures}"
    )
    project = load_project(write_project(tmp_path / "p", catalogue, {"r.csv": "measure,period,value\n"}))
    report = project.catalogue.reports[0]
    assert main_frequency(project.catalogue, report) == max(
        set(frequencies), key=lambda f: (frequencies.count(f), f == "monthly")
    )
    assert previous_report_date(project.catalogue, report, as_at) == expected


def test_since_must_be_before_the_report_date() -> None:
    for command in ("changes", "build"):
        result = invoke(
            command, "--project", str(ROOT), "--as-at", "2017-12-31", "--since", "2017-12-31", "--format", "json"
        )
        assert result.exit_code == 2, result.output
        assert "is not before the report date 2017-12-31" in result.output


def test_the_csv_export_has_each_measures_changes(tmp_path: Path) -> None:
    result = build(ROOT, as_at="2017-12-31", formats="csv", out=tmp_path)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "childrens-safeguarding.csv").read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["yot-ete"]["changes"] == "Red → Green (better): 67 in Nov 2017 → 80 in Dec 2017"
    assert rows["sw-caseload"]["changes"] == ""


def test_the_html_section_lists_each_change_with_words_and_symbols(tmp_path: Path) -> None:
    result = build(ROOT, as_at="2017-12-31", formats="html", out=tmp_path)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "childrens-safeguarding.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="changes"') : page.index("</section>")]
    assert '<h2 id="changes-heading"' in section and "Changes since the last period</h2>" in section
    assert "Compared with the position as at 30.11.17: 2 changes of Performance." in section
    assert '<th scope="col">As at 30.11.17</th>' in section and '<th scope="col">As at 31.12.17</th>' in section
    assert section.count("<tr>") == 3  # the header row and two changes
    assert 'class="badge rag-red"' in section and '<span class="symbol" aria-hidden="true">■</span> Red' in section
    assert page.index('<table class="scorecard">') < page.index('<section class="changes"')


def test_text_from_the_catalogue_is_escaped_in_the_section(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace(
        "title: Assessments completed within 45 days", 'title: "<script>alert(1)</script> & more"'
    )
    project = sparse_project(tmp_path / "p")
    (project / "measures.yaml").write_text(catalogue, encoding="utf-8")
    assert build(project, formats="html").exit_code == 0
    page = (project / "out" / "overview.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="changes"') :]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in section
    assert "<script>" not in page


def test_the_readme_example_is_what_the_command_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ ncc-scorecard changes --as-at 2017-12-31\n"
    block = readme[readme.index(command) + len(command) :]
    printed = invoke("changes", "--project", str(ROOT), "--as-at", "2017-12-31")
    assert block[: block.index("```")] == printed.output
