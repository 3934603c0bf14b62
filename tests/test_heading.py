"""The appendix heading: a bare letter or number becomes "Appendix B: …", any other label is printed as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scorecard_testing import CATALOGUE, assert_invalid, build, write_project

from ncc_scorecard.render.view import appendix_label


@pytest.mark.parametrize(
    ("label", "shown"),
    [("B", "Appendix B"), ("2", "Appendix 2"), ("12", "Appendix 12"), ("Annex 1", "Annex 1"),
     ("Appendix A", "Appendix A"), ("  Annex   C ", "Annex C"), ("Schedule 3(b)", "Schedule 3(b)")],
)  # fmt: skip
def test_appendix_labels(label: str, shown: str) -> None:
    assert appendix_label(label) == shown


@pytest.mark.parametrize(("yaml", "heading"), [("B", "Appendix B"), ("2", "Appendix 2"), ("Annex 1", "Annex 1")])
def test_the_heading_in_the_appendix_and_the_label_in_the_json(tmp_path: Path, yaml: str, heading: str) -> None:
    catalogue = CATALOGUE.replace("    title: Overview\n", f"    title: Overview\n    appendix: {yaml}\n")
    project = write_project(
        tmp_path / "p", catalogue, {"r.csv": "measure,period,value\ntimely-assessments,2017-12,88\n"}
    )
    assert build(project, formats="json,html").exit_code == 0
    assert json.loads((project / "out" / "overview.json").read_text(encoding="utf-8"))["appendix"] == yaml
    text = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert f"<h1>{heading}: Overview – position as at 31.12.17</h1>" in text


def test_a_blank_appendix_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = CATALOGUE.replace("    title: Overview\n", '    title: Overview\n    appendix: " "\n')
    project = write_project(tmp_path / "p", catalogue, {"r.csv": "measure,period,value\n"})
    assert_invalid(project, {"measures.yaml:5": ["reports[0].appendix: appendix must not be blank"]}, monkeypatch)
