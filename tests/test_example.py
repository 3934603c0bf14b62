"""The bundled example reproduces the published appendix, figure for figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ncc_scorecard.cli import main

# Transcribed from the published appendix (position as at 31.12.17):
# id, 2016/17, current target, current performance, last available result, frequency,
# direction of travel (Red = worse, Green = better or same), performance (RAG), status.
SEED = [
    ("sw-caseload", "22", "22", "24", "Dec 2017", "monthly", "worse", "red"),
    ("iro-caseload", "66", "67", "77", "Dec 2017", "monthly", "worse", "red"),
    ("foster-ncc-carers", "81", "80", "81", "Dec 2017", "monthly", "same", "green"),
    ("residential-good-outstanding", "100", "100", "100", "Dec 2017", "monthly", "same", "green"),
    ("adoption-entry-to-family", "597", "600", "527", "Dec 2017", "monthly", "better", "green"),
    ("adoption-authority-to-match", "193", "190", "234", "Dec 2017", "monthly", "worse", "red"),
    ("care-proceedings-duration", "32", "30", "35", "Dec 2017", "monthly", "worse", "red"),
    ("lac-placement-stability", "67", "67", "66", "Dec 2017", "monthly", "worse", "red"),
    ("referral-decisions-1-day", "91.2", "96", "97.3", "Dec 2017", "monthly", "better", "green"),
    ("yot-ete", "53", "68", "80", "Dec 2017", "monthly", "better", "green"),
    ("eha-per-month", "117", "115", "100", "Dec 2017", "monthly", "worse", "red"),
    ("supported-families-identified", "949", "1,351", "1,588", "Dec 2017", "monthly", "better", "green"),
    ("supporting-families-progress", "68", "300", "274", "Oct 2017", "quarterly", "better", "red"),
]
# The two rows cut off in the published appendix: only their comments survive.
CUT_OFF = {"cp-plans-2-years": (16, 342), "care-leavers-accommodation": (49, 52)}


@pytest.fixture(scope="module")
def example_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("out")
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(
        main, ["build", "--project", str(root), "--as-at", "2017-12-31", "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "childrens-safeguarding.json").read_text(encoding="utf-8"))


def test_heading_facts(example_json: dict) -> None:
    assert example_json["report"] == "childrens-safeguarding"
    assert example_json["title"] == "Children's Safeguarding"
    assert example_json["organisation"] == "Northumberland County Council"
    assert example_json["as_at"] == "2017-12-31"
    assert example_json["previous_year"] == "2016/17"
    assert len(example_json["measures"]) == 15


@pytest.mark.parametrize("row", SEED, ids=[row[0] for row in SEED])
def test_every_published_figure(example_json: dict, row: tuple[str, ...]) -> None:
    measure_id, previous, target, current, period, frequency, direction, rag = row
    measure = next(m for m in example_json["measures"] if m["id"] == measure_id)
    assert measure["previous_year_display"] == previous
    assert measure["target_display"] == target
    assert measure["display"] == current
    assert measure["period_label"] == period
    assert measure["frequency"] == frequency
    assert measure["direction"] == direction
    assert measure["rag"] == rag
    assert measure["status"] == "up-to-date"


def test_report_order_is_the_appendix_order(example_json: dict) -> None:
    ids = [m["id"] for m in example_json["measures"]]
    expected = [row[0] for row in SEED]
    expected[9:9] = list(CUT_OFF)  # rows 10 and 11 of the appendix
    assert ids == expected


@pytest.mark.parametrize("measure_id", list(CUT_OFF))
def test_cut_off_rows_have_their_figures_and_no_invented_target(example_json: dict, measure_id: str) -> None:
    measure = next(m for m in example_json["measures"] if m["id"] == measure_id)
    numerator, denominator = CUT_OFF[measure_id]
    assert (measure["numerator"], measure["denominator"]) == (numerator, denominator)
    assert measure["value"] == pytest.approx(numerator / denominator * 100)
    assert measure["target"] is None and measure["rag"] is None
    assert measure["previous_year_value"] is None and measure["direction"] is None
    assert measure["underlying"].startswith(f"{numerator} ")


def test_underlying_sentence_of_the_first_measure(example_json: dict) -> None:
    first = example_json["measures"][0]
    assert first["underlying"] == "FTE of 83.9 social workers; caseload of 2025."
    assert (first["numerator"], first["denominator"]) == (2025, 83.9)
    assert first["value"] == pytest.approx(2025 / 83.9)
    assert first["comment"].startswith("Senior managers are aware")
    assert first["action"].startswith("A rigorous analysis of the social work workforce")


def test_summary_counts(example_json: dict) -> None:
    assert example_json["summary"] == {
        "measures": 15, "green": 6, "amber": 0, "red": 7, "no_target": 2, "no_data": 0, "overdue": 0,
        "not_available": 0,
    }  # fmt: skip


def test_trend_runs_from_april_to_the_current_result(example_json: dict) -> None:
    first = example_json["measures"][0]
    periods = [point["period"] for point in first["trend"]]
    assert periods == [f"2017-{month:02d}" for month in range(4, 13)]
    assert first["trend"][-1]["value"] == pytest.approx(first["value"])
    quarterly = example_json["measures"][-1]
    assert [point["period"] for point in quarterly["trend"]] == ["2017-04", "2017-07", "2017-10"]  # up to 8


def test_an_earlier_appendix_can_be_rebuilt(tmp_path: Path) -> None:
    """As at 30.11.17 the December results are ignored and the illustrative November figures show."""
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(
        main, ["build", "--project", str(root), "--as-at", "2017-11", "--format", "json", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "childrens-safeguarding.json").read_text(encoding="utf-8"))
    first = data["measures"][0]
    assert first["period"] == "2017-11" and first["display"] == "24" and first["value"] == 24.3
    assert data["measures"][-1]["period"] == "2017-07"  # the Oct-Dec quarter has not ended


def test_national_figures_of_the_comments_come_from_the_benchmark_file(example_json: dict, tmp_path: Path) -> None:
    """benchmarks/national.csv holds the two national figures the published comments state; the
    comments name them through {england} and still read exactly as printed."""
    found = {m["id"]: m for m in example_json["measures"]}
    adoption, stability = found["adoption-authority-to-match"], found["lac-placement-stability"]
    assert adoption["comment"].endswith("better than the target of 190 days, and the national average of 226 days).")
    assert "(68% compared to our 66%)" in stability["comment"]
    # compared like for like: our 2016/17 outturn (193 days, lower is better; 67%, higher is better)
    for row, ours, england, comparison in ((adoption, 193, 226, "better"), (stability, 67, 68, "worse")):
        benchmarks = row["benchmarks"]
        assert (benchmarks["period"], benchmarks["period_label"]) == ("2016-04", "2016/17")
        assert (benchmarks["value"], benchmarks["groups"][0]["value"]) == (ours, england)
        assert (benchmarks["groups"][0]["name"], benchmarks["groups"][0]["comparison"]) == ("England", comparison)
        # one published figure ranks nobody
        assert (benchmarks["rank"], benchmarks["quartile"]) == (None, None)
    assert sum(1 for m in example_json["measures"] if m["benchmarks"] is not None) == 2
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--project", str(root), "--as-at", "2017-12-31", "--format", "html", "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    html = (out / "childrens-safeguarding.html").read_text(encoding="utf-8")
    assert "Benchmarks" not in html  # the published appendix has no benchmark columns: nor has ours


def test_measure_page_draws_the_national_figure(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(
        main, ["site", "--project", str(root), "--as-at", "2017-12-31", "--history", "1", "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "2017-12-31" / "measures" / "adoption-authority-to-match.html").read_text("utf-8")
    assert "Dec 2017: 234 (red) (England 226)" in page  # the line drawn, in the chart's description
    assert "Compared with the latest figures published for 2016/17: ours 193." in page
    assert "<dt>England</dt><dd>226: ours (193) is better than England</dd>" in page
    assert "Rank among all areas" not in page and "<dt>Quartile</dt>" not in page
