"""Parallel PDF rendering and the build cache: same bytes, and only changed reports re-rendered."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
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


def page(text: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>{text[:20]}</title></head><body><p>{text}</p></body></html>'


def test_workers_take_the_largest_document_first_and_the_pdfs_come_back_in_order() -> None:
    from ncc_scorecard.render.pool import PdfJob, Workers, render_pdfs

    jobs = [PdfJob("small", page("a")), PdfJob("large", page("b " * 400)), PdfJob("middle", page("c " * 40))]
    here, _ = render_pdfs(jobs)
    finished: list[int] = []
    with Workers(1).start() as workers:  # one worker takes the jobs in the order they were given to it
        there, _ = render_pdfs(jobs, workers, on_done=finished.append)
    assert finished == [1, 2, 0]
    assert there == here


def test_the_garbage_collector_is_paused_while_a_document_renders(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc

    import weasyprint

    from ncc_scorecard.render.pdf import paused_collector, render_pdf

    seen: list[bool] = []
    real = weasyprint.HTML.render

    def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", recording)
    assert gc.isenabled()
    assert render_pdf(page("one")).startswith(b"%PDF-")
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_collector():
        assert not gc.isenabled()
        raise ValueError("a renderer failure")
    assert gc.isenabled()
    gc.disable()  # a caller's own choice is kept
    try:
        with paused_collector():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_workers_with_nothing_to_render_are_ended_at_once() -> None:
    import multiprocessing
    import time

    from ncc_scorecard.render.pool import Workers

    before = set(multiprocessing.active_children())
    start = time.perf_counter()
    with Workers(2).start():  # still importing WeasyPrint when the block ends
        assert len(set(multiprocessing.active_children()) - before) == 2
    assert time.perf_counter() - start < 5
    assert set(multiprocessing.active_children()) - before == set()


def test_timings_say_how_busy_the_workers_were(tmp_path: Path) -> None:
    project = project_with_three_reports(tmp_path)
    command = ["build", "--project", str(project), "--as-at", "2017-12-31", "--format", "pdf", "-q", "--jobs", "2"]
    first = CliRunner().invoke(main, command, env={"NCC_SCORECARD_TIMINGS": "1"})
    # an input that changes no PDF: the build runs (it is not "nothing changed") and reuses all three
    (project / "data" / "empty.csv").write_text("measure,period,value\n", encoding="utf-8")
    again = CliRunner().invoke(main, command, env={"NCC_SCORECARD_TIMINGS": "1"})
    (project / "data" / "empty.csv").unlink()
    quiet = CliRunner().invoke(main, command)
    assert first.exit_code == again.exit_code == quiet.exit_code == 0, first.output
    assert re.fullmatch(
        r"timings: PDF stage: 3 rendered, 0 reused; workers busy [\d.]+ s of [\d.]+ s wall x 2 workers \(\d+%\); "
        r"CPU [\d.]+ s = [\d.]+ cores; peak memory \d+ MB",
        first.stderr.splitlines()[0],  # then the project's warnings
    )
    assert again.stderr.startswith("timings: PDF stage: 0 rendered, 3 reused; in this process: busy 0.00 s")
    assert "timings: " not in quiet.stderr
