"""Parallel PDF rendering and the build cache: same bytes, and only changed reports re-rendered."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from ncc_scorecard.cli import main

MINIMAL = Path(__file__).resolve().parent / "projects" / "minimal"


def build(project: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "build",
            "--project",
            str(project),
            "--as-at",
            "2017-12-31",
            "--format",
            "pdf",
            "--out",
            str(out),
            "-q",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output


def project_with_three_reports(tmp_path: Path) -> Path:
    """The minimal project plus a report that shows only the satisfaction measure."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    catalogue = project / "measures.yaml"
    text = catalogue.read_text(encoding="utf-8")
    extra = "  - id: satisfaction-only\n    title: Satisfaction\n    measures: [satisfaction]\n\n"
    catalogue.write_text(text.replace("reports:\n", "reports:\n" + extra, 1), encoding="utf-8")
    return project


def pdfs(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.glob("*.pdf"))}


def test_two_jobs_give_the_same_bytes_as_one(tmp_path: Path) -> None:
    project = project_with_three_reports(tmp_path)
    build(project, tmp_path / "one", "--jobs", "1")
    build(project, tmp_path / "two", "--jobs", "2", "--force")
    one, two = pdfs(tmp_path / "one"), pdfs(tmp_path / "two")
    assert sorted(one) == ["by-service.pdf", "overview.pdf", "satisfaction-only.pdf"]
    assert one == two


def test_changing_one_row_rerenders_only_the_reports_that_show_it(tmp_path: Path) -> None:
    project = project_with_three_reports(tmp_path)
    out = tmp_path / "out"
    build(project, out, "--jobs", "2")
    cache = out / ".cache"
    first = set(cache.glob("*.pdf"))
    assert len(first) == 3
    stamps = {path.name: path.stat().st_mtime_ns for path in out.glob("*.pdf")}

    build(project, out, "--jobs", "2")  # nothing changed: nothing rendered, nothing rewritten
    assert set(cache.glob("*.pdf")) == first
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("*.pdf")} == stamps

    data = project / "data" / "monthly.csv"
    text = data.read_text(encoding="utf-8")
    assert "timely-assessments,2017-12,,173,199," in text
    data.write_text(text.replace("timely-assessments,2017-12,,173,199,", "timely-assessments,2017-12,,150,199,"))
    build(project, out, "--jobs", "2")
    new = set(cache.glob("*.pdf")) - first
    assert len(new) == 2  # overview and by-service show timely-assessments; satisfaction-only does not
    after = {path.name: path.stat().st_mtime_ns for path in out.glob("*.pdf")}
    assert after["satisfaction-only.pdf"] == stamps["satisfaction-only.pdf"]
    assert after["overview.pdf"] != stamps["overview.pdf"]


def test_force_renders_everything_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(MINIMAL, out)
    cached = {path: path.read_bytes() for path in (out / ".cache").glob("*.pdf")}
    for path in cached:
        path.write_bytes(b"stale")  # a corrupted cache entry is replaced by --force
    build(MINIMAL, out, "--force")
    assert {path: path.read_bytes() for path in (out / ".cache").glob("*.pdf")} == cached
    assert all(data.startswith(b"%PDF") for data in pdfs(out).values())


def test_a_renderer_failure_names_the_report_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ncc_scorecard.render.pdf as pdf

    project = project_with_three_reports(tmp_path)
    out = tmp_path / "out"
    build(project, out, "--format", "json")
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    real = pdf.render_pdf

    def failing(html: str, templates: Path | None = None) -> bytes:
        if "By service" in html:
            raise ValueError("simulated renderer failure")
        return real(html, templates)

    monkeypatch.setattr(pdf, "render_pdf", failing)  # worker processes are forked, so they see it too
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            main, ["build", "--project", str(project), "--as-at", "2017-12-31", "--out", str(out), "--jobs", jobs, "-q"]
        )
        assert result.exit_code == 1, result.output
        assert "report 'by-service'" in result.output and "simulated renderer failure" in result.output
        assert "Traceback" not in result.output
        assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
