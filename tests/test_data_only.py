"""Data-only measures (polarity: none; tests/projects/data-only): no RAG, Increased / Decreased / No change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scorecard_testing import PROJECTS, assert_invalid, build, build_json, invoke, measure


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "data-only"
    shutil.copytree(PROJECTS / "data-only", target)
    return target


def test_figures_without_rag_and_with_neutral_directions(project: Path) -> None:
    document = build_json(project, report="adults")
    assert document["summary"]["data_only"] == 3 and document["summary"]["no_target"] == 0
    population = measure(document, "population-65-plus")
    assert (population["rag"], population["direction"], population["display"]) == (None, "increased", "61,450")
    assert population["direction_comparator_display"] == "61,200" and population["polarity"] == "none"
    assert measure(document, "referrals-received")["direction"] == "decreased"  # 402 after 410
    assert measure(document, "care-home-beds")["direction"] == "same"  # 2,310 both months
    assert measure(document, "reviews-on-time")["rag"] == "green"  # other measures as before


def test_spc_variation_is_neither_better_nor_worse_and_there_is_no_assurance(project: Path) -> None:
    results = project / "data" / "results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace("2017-12,402", "2017-12,300"), encoding="utf-8")
    spc = measure(build_json(project, report="adults"), "referrals-received")["spc"]
    assert (spc["variation"], spc["variation_side"], spc["assurance"]) == ("neutral", "low", "none")


def test_the_appendix_says_data_only_in_the_neutral_colour(project: Path) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "adults.html").read_text(encoding="utf-8")
    assert "4 measures: 1 green, 0 amber, 0 red, 0 without target, 3 data only; 0 overdue" in html
    assert (
        '<td class="badge rag-none" title="Performance: a figure for information: it has no target and no better '
        'direction" data-label="Performance"><span class="symbol" aria-hidden="true">–</span> Data only</td>'
    ) in html
    assert '<span class="symbol" aria-hidden="true">▲</span> Increased <span class="detail">— vs' in html
    assert '<span class="symbol" aria-hidden="true">►</span> No change <span class="detail">' in html
    assert "rag-green" not in html.split("population-65-plus")[1].split("</tbody>")[0]  # never green or red
    key = html[html.index('<section class="key"') :]
    assert "Data only</span> a figure for information" in key and "Increased</span>" in key


def test_the_portal_filters_and_chart(project: Path, tmp_path: Path) -> None:
    result = invoke("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    site = tmp_path / "o" / "site" / "latest"
    report = (site / "adults.html").read_text(encoding="utf-8")
    assert '<option value="data-only">Data only</option>' in report and 'data-rag="data-only"' in report
    assert '<option value="increased">Increased</option>' in report
    chart = (site / "measures" / "referrals-received.html").read_text(encoding="utf-8")
    assert ">Data only</text>" in chart and ">Green</text>" not in chart
    assert "<dt>Better when</dt><dd>Neither: a figure for information</dd>" in chart


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    targets: 60000\n", "a data-only measure (polarity: none) has no better direction, so no targets"),
        ("    tolerance: 5%\n", "a data-only measure (polarity: none) has no targets, so no tolerance"),
    ],
)
def test_a_data_only_measure_takes_no_target(
    project: Path, monkeypatch: pytest.MonkeyPatch, extra: str, message: str
) -> None:
    catalogue = project / "measures.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("    polarity: none\n", "    polarity: none\n" + extra, 1), encoding="utf-8")
    assert_invalid(project, {"measures.yaml:15": ["measures[1]", message]}, monkeypatch)
