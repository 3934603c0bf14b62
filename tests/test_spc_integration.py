"""SPC beside RAG: catalogue switches, JSON figures and the appendix columns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ncc_scorecard.cli import main
from ncc_scorecard.spc import compute_spc

PROJECT = Path(__file__).resolve().parent / "projects" / "spc"
VECTORS = Path(__file__).resolve().parent / "data" / "spc_vectors.json"


def build(project: Path, out: Path, formats: str = "json") -> dict:
    result = CliRunner().invoke(
        main,
        ["build", "--project", str(project), "--as-at", "2017-12-31", "--format", formats, "--out", str(out), "-q"],
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "spc-report.json").read_text(encoding="utf-8")) if "json" in formats else {}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {m["id"]: m for m in build(PROJECT, tmp_path_factory.mktemp("spc"))["measures"]}


def test_json_spc_matches_the_reference_vector(data: dict) -> None:
    case = next(c for c in json.loads(VECTORS.read_text()) if c["name"] == "shift_7_below_mean")
    spc = data["waiting-days"]["spc"]
    expected = case["expected"]
    for key in ("mean", "upl", "lpl", "upper_near", "lower_near", "mr_bar"):
        assert spc[key] == pytest.approx(expected[key], abs=1e-6), key
    assert spc["assurance"] == expected["assurance"] == "consistent_fail"
    assert [p["type"] for p in spc["points"]] == [p["type"] for p in expected["points"]]
    assert [p["rule"] for p in spc["points"]] == [p["rule"] for p in expected["points"]]
    assert spc["points"][-1]["period"] == "2017-12" and len(spc["points"]) == len(case["values"])
    assert spc["provisional"] is False


def test_latest_point_beyond_the_upper_limit_is_an_improvement_for_higher_is_better(data: dict) -> None:
    spc = data["satisfaction"]["spc"]
    assert spc["variation"] == "improvement" and spc["variation_side"] == "high"
    assert spc["points"][-1]["rule"] == "outside_upper"
    values = [p["value"] for p in spc["points"]]
    reference = compute_spc(values, "increase", 52)
    assert reference is not None and spc["upl"] == pytest.approx(reference.upl)


def test_fewer_than_twelve_points_are_provisional(data: dict) -> None:
    spc = data["new-service"]["spc"]
    assert spc["provisional"] is True and len(spc["points"]) == 5


def test_a_measure_can_switch_spc_off(data: dict) -> None:
    assert data["plain-count"]["spc"] is None


def test_spc_is_off_unless_switched_on(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    text = (project / "measures.yaml").read_text().replace("    spc: true\n", "")
    (project / "measures.yaml").write_text(text)
    measures = build(project, tmp_path / "out")["measures"]
    assert all(m["spc"] is None for m in measures)


def test_appendix_shows_variation_and_assurance_in_words(tmp_path: Path) -> None:
    build(PROJECT, tmp_path, "html")
    html = (tmp_path / "spc-report.html").read_text(encoding="utf-8")
    assert '<th scope="col">Variation</th>' in html and '<th scope="col">Assurance</th>' in html
    assert "Improvement" in html and "Will fail" in html and "Hit or miss" in html
    assert "(provisional)" in html and "provisional: fewer than 12 points" in html
    assert "Not used" in html  # plain-count has SPC switched off


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("    spc: true\n", "    spc: sometimes\n"),
        ("    targets: 12\n", "    targets: 12\n    spc_baseline: 1\n"),
        ("    targets: 12\n", "    targets: 12\n    spc_rebase: [April 2017]\n"),
    ],
)
def test_bad_spc_settings_are_located(tmp_path: Path, snippet: str, message: str) -> None:
    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    path = project / "measures.yaml"
    text = path.read_text()
    assert snippet in text
    path.write_text(text.replace(snippet, message, 1))
    line = path.read_text().splitlines().index(message.splitlines()[-1]) + 1
    result = CliRunner().invoke(main, ["validate", "--project", str(project)])
    assert result.exit_code == 1
    assert f"measures.yaml:{line}:" in result.output
    assert "Traceback" not in result.output


def test_rebase_starts_new_limits(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    path = project / "measures.yaml"
    path.write_text(path.read_text().replace("    targets: 12\n", "    targets: 12\n    spc_rebase: ['2017-06']\n", 1))
    spc = {m["id"]: m for m in build(project, tmp_path / "out")["measures"]}["waiting-days"]["spc"]
    before = {p["mean"] for p in spc["points"] if p["period"] < "2017-06"}
    after = {p["mean"] for p in spc["points"] if p["period"] >= "2017-06"}
    assert len(before) == 1 and len(after) == 1 and before != after
    assert spc["mean"] == pytest.approx(after.pop())
