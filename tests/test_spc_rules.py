"""SPC as NHS England uses it since 2023, on tests/projects/spc-rules (built as at 2021-03-31): the
mdc and ptd-0.2 rule sets, runs of six, excluded months, a missing month, limits clipped at what a
measure can take, notes on the history, and a constant series. The rule functions themselves are
worked by hand in tests/test_spc.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import CATALOGUE, assert_invalid, build_json, copy_project, invoke, measure, write_project

AS_AT = "2021-03-31"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return build_json(copy_project("spc-rules", tmp_path_factory.mktemp("s")), "spc-rules", AS_AT)


def flagged(spc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["period"], p["rule"]) for p in spc["points"] if p["special_cause"]]


def test_the_default_rule_set_is_mdc_and_ptd_can_be_kept(document: dict[str, Any]) -> None:
    # the near_zone_then_beyond_upl vector from Nov 2019: 14.2 (Feb 2020... index 9) is beyond two
    # sigma (13.85) and 16.5 beyond the limit (15.49): under mdc they are two of three beyond two
    # sigma, so 14.2 is a special cause; ptd-0.2 counts only points between the lines
    mdc, ptd = measure(document, "near-limit-mdc")["spc"], measure(document, "near-limit-ptd")["spc"]
    assert (mdc["rules"], ptd["rules"]) == ("mdc", "ptd-0.2")
    assert flagged(mdc) == [("2020-05", "two_in_three_upper"), ("2020-06", "outside_upper")]
    assert flagged(ptd) == [("2020-06", "outside_upper")]
    assert mdc["upl"] == pytest.approx(ptd["upl"]) == pytest.approx(15.485)


def test_run_length_six_on_a_report(tmp_path: Path) -> None:
    # 12, 12.5, 12, 12.5, 12, 12.5 (Aug 2020–Jan 2021) above the mean of 152.5 / 14 ≈ 10.89: six in a
    # row is a shift only where the report says runs of six count
    project = copy_project("spc-rules", tmp_path)
    seven = measure(build_json(project, "spc-rules", AS_AT), "six-run")["spc"]
    six = measure(build_json(project, "six-run", AS_AT), "six-run")["spc"]
    assert (seven["run_length"], six["run_length"]) == (7, 6)
    assert flagged(seven) == []
    assert [period for period, rule in flagged(six) if rule == "shift_above"] == [
        "2020-08", "2020-09", "2020-10", "2020-11", "2020-12", "2021-01",
    ]  # fmt: skip


def test_excluded_months_are_marked_and_left_out(document: dict[str, Any]) -> None:
    spc = measure(document, "delayed-transfers")["spc"]
    excluded = [p["period"] for p in spc["points"] if p["excluded"]]
    assert excluded == ["2020-04", "2020-05"]
    assert spc["basis_points"] == 22  # 24 months less the two excluded
    kept = [62, 58, 61, 59, 63, 60, 57, 62, 64, 59, 61, 60, 55, 52, 50, 49, 51, 48, 50, 47, 49, 46]
    assert spc["mean"] == pytest.approx(sum(kept) / 22)
    assert not any(p["special_cause"] for p in spc["points"] if p["excluded"])
    notes = {p["period"]: p["annotation"] for p in spc["points"] if p["annotation"]}
    assert notes == {"2020-09": "New discharge-to-assess process"}


def test_a_missing_month_is_listed_and_warned_about(document: dict[str, Any], tmp_path: Path) -> None:
    spc = measure(document, "gapped")["spc"]
    assert spc["missing"] == ["2020-02"]
    assert spc["basis_points"] == 23
    # 22 moving ranges, not 23: the range Jan 2020 → Mar 2020 spans the gap
    values = [40, 42, 41, 43, 40, 42, 41, 43, 40, 42, 41, 43, 40, 41, 43, 40, 42, 41, 43, 40, 42, 41, 43]
    ranges = [abs(b - a) for i, (a, b) in enumerate(zip(values, values[1:], strict=False)) if i != 9]
    assert spc["mr_bar"] == pytest.approx(sum(ranges) / len(ranges))
    assert "missing" not in measure(document, "constant")["spc"]
    project = copy_project("spc-rules", tmp_path)
    result = invoke("validate", "--project", str(project), "--as-at", AS_AT)
    assert re.search(
        r"data/results\.csv:\d+: warning: column period: 'gapped' has no result for Feb 2020", result.output
    )


def test_limits_are_drawn_within_what_the_measure_can_take(document: dict[str, Any]) -> None:
    # a percentage cannot pass 100: the computed upper limit (≈ 102.3) stays in the JSON, which says
    # it is drawn at 100; the lower limit (≈ 95.4) is not clipped
    spc = measure(document, "same-day-response")["spc"]
    assert spc["upl"] == pytest.approx(102.345, abs=1e-3)
    assert spc["clipped"] == {"upl": 100, "lpl": pytest.approx(spc["lpl"])}
    assert "clipped" not in measure(document, "gapped")["spc"]


def test_a_constant_series_consistently_passes(document: dict[str, Any]) -> None:
    spc = measure(document, "constant")["spc"]
    assert (spc["mean"], spc["upl"], spc["lpl"]) == (100, 100, 100)
    assert spc["assurance"] == "consistent_pass"
    assert flagged(spc) == []


def test_the_portal_draws_gaps_exclusions_and_notes(tmp_path: Path) -> None:
    project = copy_project("spc-rules", tmp_path)
    result = invoke("site", "--project", str(project), "--as-at", AS_AT, "--out", str(project / "out"), "-q")
    assert result.exit_code == 0, result.output
    pages = project / "out" / "site" / AS_AT / "measures"
    gapped = (pages / "gapped.html").read_text(encoding="utf-8")
    assert gapped.count('<polyline class="values"') == 2  # broken at Feb 2020, never joined across
    assert "(a period is missing here) Mar 2020" in gapped
    delayed = (pages / "delayed-transfers.html").read_text(encoding="utf-8")
    assert delayed.count('class="excluded"') == 2
    assert "Left out of SPC</text>" in delayed  # in the legend
    assert 'class="annotation"' in delayed and "note: New discharge-to-assess process" in delayed
    assert "<p><strong>Note: New discharge-to-assess process</strong></p>" in delayed  # the history table
    assert delayed.count("<p><strong>Left out of the SPC mean and limits (spc_exclude).</strong></p>") == 2
    response = (pages / "same-day-response.html").read_text(encoding="utf-8")
    upper = re.search(r'<path class="process-limit" d="M[\d.]+,([\d.]+) ', response)
    assert upper is not None  # drawn at 100, inside the chart


@pytest.mark.parametrize(
    ("text", "texts"),
    [
        ("    spc_rules: nhs\n", ["spc_rules", "'mdc' or 'ptd-0.2'"]),
        ("    spc_run_length: 5\n", ["spc_run_length", "6 or 7"]),
        ("    spc_exclude: ['2020-4']\n", ["spc_exclude"]),
        ("    annotations: {2018-01: ''}\n", ["annotations"]),
    ],
    ids=["rule set", "run length", "excluded period", "empty note"],
)
def test_spc_key_mistakes_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, texts: list[str]
) -> None:
    after = "    targets: {2017/18: 90}\n"
    project = write_project(tmp_path / "p", CATALOGUE.replace(after, after + text))
    assert_invalid(project, {"measures.yaml:13": texts}, monkeypatch)


def test_unused_spc_periods_are_warned_about(tmp_path: Path) -> None:
    after = "    targets: {2017/18: 90}\n"
    project = write_project(
        tmp_path / "p", CATALOGUE.replace(after, after + "    spc: true\n    spc_exclude: ['2017-04']\n")
    )
    result = invoke("validate", "--project", str(project))
    assert (
        "measures.yaml:14: warning: measures[0].spc_exclude: 'timely-assessments' has no result for 2017-04"
        in result.output
    )
