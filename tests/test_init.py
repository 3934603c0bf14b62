"""`ncc-scorecard init`: a new project that builds at once, with its CI workflow; and the example's own workflow."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from scorecard_testing import build, invoke

from ncc_scorecard import __version__

ROOT = Path(__file__).resolve().parents[1]
FILES = ["measures.yaml", "data/results.csv", ".gitignore", ".github/workflows/scorecard.yml", "README.md"]


def init(target: Path, *extra: str) -> str:
    result = invoke("init", str(target), *extra)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_new_project_builds_at_once_pdf_too(tmp_path: Path, no_weasyprint_warnings: None) -> None:
    project = tmp_path / "scorecard"
    output = init(project, "--organisation", "Testshire County Council", "--as-at", "2024-12-31")
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == sorted(FILES)
    assert "Next: ncc-scorecard build" in output
    result = invoke("build", "--project", str(project), "--as-at", "2024-12-31", "--format", "json,html,pdf", "-j", "1")
    assert result.exit_code == 0, result.output
    out = project / "out"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "performance-overview.html", "performance-overview.json", "performance-overview.pdf",
    ]  # fmt: skip
    assert (out / "performance-overview.pdf").read_bytes().startswith(b"%PDF-")
    document = json.loads((out / "performance-overview.json").read_text(encoding="utf-8"))
    assert document["organisation"] == "Testshire County Council"
    rows = {m["id"]: m for m in document["measures"]}
    assert list(rows) == ["assessments-on-time", "benefit-claim-days", "residents-satisfied"]
    assert [(m["frequency"], m["period"], m["status"]) for m in rows.values()] == [
        ("monthly", "2024-12", "up-to-date"),
        ("quarterly", "2024-10", "up-to-date"),
        ("annual", "2023-04", "up-to-date"),
    ]
    for row in rows.values():
        assert row["rag"] in {"green", "amber", "red"} and row["direction"] is not None
        assert row["previous_year_value"] is not None and row["comment"].startswith("Sample result")
    assert rows["assessments-on-time"]["underlying"].endswith("assessments were completed within 45 working days.")
    html = (out / "performance-overview.html").read_text(encoding="utf-8")
    assert "Appendix A: Performance overview – position as at 31.12.24" in html


def test_the_default_as_at_is_today_and_builds_as_at_today(tmp_path: Path) -> None:
    project = tmp_path / "p"
    init(project)
    result = invoke("build", "--project", str(project), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads((project / "out" / "performance-overview.json").read_text(encoding="utf-8"))
    assert {m["status"] for m in document["measures"]} == {"up-to-date"}
    assert document["organisation"] == "Example Council"


@pytest.mark.parametrize("as_at", ["2018-04-01", "2019-03-31", "2021-06-15", "2030-01-31"])
def test_a_new_project_is_valid_and_up_to_date_on_any_date(as_at: str, tmp_path: Path) -> None:
    project = tmp_path / "p"
    init(project, "--as-at", as_at)
    checked = invoke("validate", "--project", str(project), "--as-at", as_at, "--strict")  # as its workflow runs it
    if date.fromisoformat(as_at) > date.today():  # the one warning: a report date in the future
        assert "warning: the report date 2030-01-31 is after today" in checked.output
    else:
        assert checked.exit_code == 0 and "warning" not in checked.output, checked.output
    due = invoke("due", "--project", str(project), "--as-at", as_at)
    assert due.output.startswith("Nothing due"), due.output
    result = build(project, as_at=as_at, formats="json")
    assert result.exit_code == 0, result.output
    document = json.loads((project / "out" / "performance-overview.json").read_text(encoding="utf-8"))
    assert all(m["target"] is not None for m in document["measures"])


def test_a_month_later_the_monthly_result_is_due(tmp_path: Path) -> None:
    project = tmp_path / "p"
    init(project, "--as-at", "2024-12-31")
    due = invoke("due", "--project", str(project), "--as-at", "2025-01-31")
    assert "assessments-on-time" in due.output and "Children's Services" in due.output
    assert "benefit-claim-days" not in due.output


def test_the_catalogue_is_commented_and_shows_the_main_keys(tmp_path: Path) -> None:
    init(tmp_path, "--as-at", "2024-12-31")
    text = (tmp_path / "measures.yaml").read_text(encoding="utf-8")
    catalogue = yaml.safe_load(text)
    assert len(catalogue["reports"]) == 1 and len(catalogue["measures"]) == 3
    keys = {key for measure in catalogue["measures"] for key in measure}
    assert {
        "unit",
        "polarity",
        "frequency",
        "targets",
        "tolerance",
        "direction",
        "outturn",
        "underlying",
        "owner",
    } <= keys
    assert catalogue["measures"][0]["targets"] == {"2023/24": 88, "2024/25": 90}
    assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) >= 20


def test_an_organisation_name_is_quoted_when_yaml_needs_it(tmp_path: Path) -> None:
    init(tmp_path, "--organisation", "Borough of Testham: #1 council", "--as-at", "2024-12-31")
    assert yaml.safe_load((tmp_path / "measures.yaml").read_text())["organisation"] == "Borough of Testham: #1 council"
    assert invoke("validate", "--project", str(tmp_path)).exit_code == 0


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "measures.yaml").write_text("mine\n")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 1
    assert "measures.yaml: already exists" in result.output and "nothing was written" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["measures.yaml"]
    assert (tmp_path / "measures.yaml").read_text() == "mine\n"


def test_existing_results_stop_it_too(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2024-12.xlsx").write_bytes(b"")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 1 and "data/2024-12.xlsx: already exists" in result.output.replace("\\", "/")


def test_a_readme_is_kept_and_a_gitignore_extended(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Ours\n")
    (tmp_path / ".gitignore").write_text("*.tmp")
    output = init(tmp_path, "--as-at", "2024-12-31")
    assert (tmp_path / "README.md").read_text() == "# Ours\n"
    assert (tmp_path / ".gitignore").read_text().splitlines()[0] == "*.tmp"
    assert "/out/" in (tmp_path / ".gitignore").read_text().splitlines()
    assert "README.md" not in output
    again = tmp_path / "again"
    again.mkdir()
    (again / ".gitignore").write_text("out/\n")
    init(again)
    assert (again / ".gitignore").read_text() == "out/\n"


# --- the CI workflows ----------------------------------------------------------------------------


def load_workflow(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def steps_text(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


def check_recipe(workflow: dict[str, Any], install: str, build_command: str) -> None:
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["on"]["push"] is None  # every branch
    validate, build_job = workflow["jobs"]["validate"], workflow["jobs"]["build"]
    assert "if" not in validate
    assert install in steps_text(validate) and "ncc-scorecard validate --strict" in steps_text(validate)
    assert build_job["needs"] == "validate"
    assert "github.ref == 'refs/heads/main'" in build_job["if"]
    assert install in steps_text(build_job) and build_command in steps_text(build_job)
    upload = next(
        step for step in build_job["steps"] if str(step.get("uses", "")).startswith("actions/upload-artifact@")
    )
    assert upload["with"]["path"].split() == ["out/", "!out/.cache/"]
    assert upload["with"]["name"] == "scorecard"


def test_the_new_projects_workflow_installs_from_pypi(tmp_path: Path) -> None:
    init(tmp_path, "--as-at", "2024-12-31")
    workflow = load_workflow(tmp_path / ".github" / "workflows" / "scorecard.yml")
    check_recipe(
        workflow,
        f'python -m pip install "ncc-scorecard=={__version__}"',
        "ncc-scorecard build --strict --format html,pdf,json,csv",
    )


def test_the_examples_workflow_installs_from_the_checkout() -> None:
    workflow = load_workflow(ROOT / ".github" / "workflows" / "scorecard.yml")
    check_recipe(
        workflow,
        "python -m pip install .",
        "ncc-scorecard build --strict --as-at 2017-12-31 --format html,pdf,json,csv",
    )
    assert "ncc-scorecard validate --strict --as-at 2017-12-31" in steps_text(workflow["jobs"]["validate"])
    assert "scripts/system-deps.sh" in steps_text(workflow["jobs"]["build"])


def test_the_skeleton_is_packaged_with_the_tool() -> None:
    from ncc_scorecard.init import SKELETON

    assert SKELETON.parent.name == "ncc_scorecard"
    assert {p.name for p in SKELETON.iterdir()} >= {"measures.yaml", "gitignore", "github-workflow.yml", "README.md"}


def test_a_skeleton_word_nothing_fills_in_is_a_packaging_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ncc_scorecard import init as init_module

    (tmp_path / "README.md").write_text("# @@organisation@@ since @@founded@@\n", encoding="utf-8")
    monkeypatch.setattr(init_module, "SKELETON", tmp_path)
    with pytest.raises(RuntimeError, match="skeleton/README.md has words that nothing fills in: founded"):
        init_module._fill("README.md", {"organisation": "Testshire"})


def test_a_name_that_looks_like_a_skeleton_word_is_kept_as_given(tmp_path: Path) -> None:
    init(tmp_path, "--organisation", "@@version@@ Council", "--as-at", "2024-12-31")
    assert (tmp_path / "README.md").read_text(encoding="utf-8").startswith("# @@version@@ Council")
