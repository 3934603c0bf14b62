"""The pipeline, top to bottom: load → validate → compute → render → write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click

from .calculator import ReportResult
from .catalogue import Catalogue, Report, load_catalogue
from .changes import compute_with_changes
from .errors import InvalidProject, Problem
from .output import write_all
from .progress import Progress
from .results import Result, load_results, read_rows, result_files

FORMATS = ("html", "pdf", "json", "csv")
DEFAULT_FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Project:
    """A scorecard project on disk, loaded and checked."""

    root: Path
    catalogue: Catalogue
    results: tuple[Result, ...]
    files: tuple[Path, ...]
    """The result files read, in order."""

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"


def check_project(root: Path) -> tuple[Project | None, list[Problem]]:
    """Read the catalogue and every result file; return the project (None if invalid) and all problems."""
    catalogue, problems = load_catalogue(root / "measures.yaml")
    files = result_files(root / "data")
    if catalogue is None:
        # without a catalogue the rows cannot be checked, but the files themselves still can
        for path in files:
            problems += read_rows(path)[1]
        return None, problems
    results, result_problems = load_results(root / "data", catalogue)
    problems += result_problems
    if problems:
        return None, problems
    return Project(root, catalogue, tuple(results), tuple(files)), []


def load_project(root: Path) -> Project:
    """The checked project, or :class:`InvalidProject` listing every problem."""
    project, problems = check_project(root)
    if project is None:
        raise InvalidProject(problems)
    return project


def select_reports(catalogue: Catalogue, report_ids: Sequence[str]) -> list[Report]:
    """The reports named on the command line (all when none is named), in catalogue order."""
    known = {report.id: report for report in catalogue.reports}
    unknown = [report_id for report_id in report_ids if report_id not in known]
    if unknown:
        raise click.BadParameter(
            f"no report {', '.join(repr(u) for u in unknown)}; the reports are {', '.join(known)}",
            param_hint="REPORT_ID",
        )
    if not report_ids:
        return list(catalogue.reports)
    return [report for report in catalogue.reports if report.id in report_ids]


def compute(
    project: Project, as_at: date, report_ids: Sequence[str] = (), since: date | None = None
) -> list[ReportResult]:
    """Compute the selected reports as at a date, each with its changes since the previous report date
    (or since ``since``)."""
    return [
        compute_with_changes(project.catalogue, report, project.results, as_at, since)
        for report in select_reports(project.catalogue, report_ids)
    ]


def render(
    project: Project,
    reports: Sequence[ReportResult],
    formats: Sequence[str],
    out_dir: Path,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
) -> dict[Path, bytes]:
    """Render every report in every format, in memory; nothing but the PDF cache is written here."""
    from .render.exports import to_csv, to_json

    progress = progress or Progress()
    plural = "s" if len(reports) != 1 else ""
    progress.start(len(reports), f"Building {len(reports)} report{plural} ({', '.join(formats)})")
    files: dict[Path, bytes] = {}
    pdfs: list[tuple[Path, str]] = []
    if "html" in formats or "pdf" in formats:
        from .render.environment import make_environment
        from .render.html import render_html

        env = make_environment(project.templates_dir)
    for report in reports:
        stem = out_dir / report.report.id
        if "json" in formats:
            files[stem.with_suffix(".json")] = to_json(report)
        if "csv" in formats:
            files[stem.with_suffix(".csv")] = to_csv(report)
        if "html" in formats or "pdf" in formats:
            html = render_html(env, report)
            if "html" in formats:
                files[stem.with_suffix(".html")] = html.encode("utf-8")
            if "pdf" in formats:
                pdfs.append((stem.with_suffix(".pdf"), html))
        if "pdf" not in formats:
            progress.advance(report.report.id)
    if pdfs:
        from .render.pool import CACHE_DIR, PdfJob, prune_cache, render_pdfs

        cache = out_dir / CACHE_DIR
        rendered, _ = render_pdfs(
            [PdfJob(f"report '{path.stem}'", html, project.templates_dir) for path, html in pdfs],
            workers=jobs,
            cache=cache,
            force=force,
            on_done=lambda index: progress.advance(pdfs[index][0].stem),
        )
        files.update(zip((path for path, _ in pdfs), rendered, strict=True))
        prune_cache(cache)
    progress.finish()
    return files


def build(
    root: Path,
    as_at: date,
    formats: Sequence[str] = DEFAULT_FORMATS,
    out_dir: Path | None = None,
    report_ids: Sequence[str] = (),
    jobs: int = 1,
    force: bool = False,
    since: date | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Validate, compute, render and write; on any failure ``out_dir`` is left as it was."""
    project = load_project(root)
    reports = compute(project, as_at, report_ids, since)
    files = render(project, reports, formats, out_dir or root / "out", jobs, force, progress)
    return write_all(files)
