"""The performance portal: a static website of every report, measure and report date.

Every page is built in memory from the same computed reports as the appendix; links are
relative, so the folder works from ``file://`` and from any web server sub-path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from ..build import Project, compute
from ..calculator import HistoryPoint, MeasureResult, ReportResult, history
from ..catalogue import Measure
from ..periods import month_end, short_date
from ..results import Result
from .chart import ChartPoint, trend_chart
from .view import AppendixView, appendix_view

SITE = "site"
LATEST = "latest"


@dataclass(frozen=True)
class DateLink:
    """One report date in the picker."""

    label: str
    """"31.12.17"."""
    iso: str
    href: str
    """Relative link to the same page at this date (or to that date's index)."""
    current: bool


@dataclass(frozen=True)
class ReportSummary:
    """A report's RAG counts for a date, for index pages."""

    id: str
    title: str
    href: str
    summary: str
    bar: tuple[tuple[str, int, float], ...]
    """(rag, count, percentage of measures) for green, amber, red and none."""


@dataclass(frozen=True)
class MeasurePage:
    """The context of a measure page."""

    measure: Measure
    row: MeasureResult
    report_title: str
    chart: Markup
    history: tuple[HistoryPoint, ...]
    targets: tuple[tuple[str, str], ...]
    """(financial year, target) in year order, or one ("every year", target)."""
    tolerance: str
    direction: str


def month_ends(last: date, count: int) -> list[date]:
    """The last ``count`` month-ends up to ``last`` (``last`` itself if it is a month end)."""
    year, month = last.year, last.month
    if month_end(year, month) != last:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    dates = []
    for _ in range(count):
        dates.append(month_end(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(dates)


def summary_of(report: ReportResult, href: str) -> ReportSummary:
    s = report.summary
    total = s.measures or 1
    none = s.measures - s.green - s.amber - s.red
    bar = tuple(
        (rag, count, round(count / total * 100, 2))
        for rag, count in (("green", s.green), ("amber", s.amber), ("red", s.red), ("none", none))
        if count
    )
    view = appendix_view(report)
    return ReportSummary(report.report.id, report.report.title, href, view.summary, bar)


def measure_page(
    project: Project, report: ReportResult, row: MeasureResult, results: Sequence[Result], as_at: date
) -> MeasurePage:
    """A measure page's context; ``results`` are that measure's results."""
    measure = row.measure
    points = history(measure, results, as_at, project.catalogue.year_start_month)
    spc = (
        {period.start: point for period, point in zip(row.spc.periods, row.spc.result.points, strict=True)}
        if row.spc
        else {}
    )
    chart_points = []
    for point in points:
        s = spc.get(point.period.start)
        chart_points.append(
            ChartPoint(
                point.period.label,
                point.value,
                point.target,
                point.rag,
                s.mean if s else None,
                s.upl if s else None,
                s.lpl if s else None,
                bool(s and s.special_cause),
            )
        )
    if isinstance(measure.targets, dict):
        targets = tuple((str(year), "none set" if t is None else f"{t:g}") for year, t in measure.targets.items())
    elif measure.targets is not None:
        targets = (("every year", f"{measure.targets:g}"),)
    else:
        targets = ()
    tolerance = "none (no amber)" if measure.tolerance in (0, "0") else f"{measure.tolerance} below target is amber"
    direction = {
        "previous_period": "the period before",
        "same_period_last_year": "the same period a year before",
        "previous_year": "the previous financial year's outturn",
    }[measure.direction]
    title = f"{measure.title}: results to {short_date(as_at)}"
    return MeasurePage(
        measure, row, report.report.title, trend_chart(chart_points, title), points, targets, tolerance, direction
    )


def build_site(
    project: Project,
    dates: Sequence[date],
    out_dir: Path,
    env: Environment,
    report_ids: Sequence[str] = (),
    jobs: int = 1,
    force: bool = False,
) -> dict[Path, bytes]:
    """Every page and PDF of the site, in memory (``out_dir/site/...``)."""
    from .html import render_html
    from .pool import CACHE_DIR, PdfJob, render_pdfs

    dates = sorted(set(dates))
    site = out_dir / SITE
    by_date = {day: compute(project, day, report_ids) for day in dates}
    by_measure: dict[str, list[Result]] = {}
    for result in project.results:
        by_measure.setdefault(result.measure, []).append(result)
    latest = dates[-1]
    files: dict[Path, str | bytes] = {}
    pdf_jobs: list[tuple[Path, str]] = []

    def picker(current: date, page: str, up: str = "../") -> tuple[DateLink, ...]:
        """The same page at every date, newest first, linked from a page ``up`` below site/."""
        return tuple(
            DateLink(short_date(day), day.isoformat(), f"{up}{day.isoformat()}/{page}", day == current)
            for day in reversed(dates)
        )

    def page(name: str, **context: object) -> str:
        return env.get_template(f"site/{name}.html.j2").render(organisation=project.catalogue.organisation, **context)

    for day, reports in by_date.items():
        folder = site / day.isoformat()
        summaries = tuple(summary_of(report, f"{report.report.id}.html") for report in reports)
        files[folder / "index.html"] = page(
            "date", root="../", day=short_date(day), dates=picker(day, "index.html"), reports=summaries
        )
        for report in reports:
            view: AppendixView = appendix_view(report)
            pdf_jobs.append((folder / f"{report.report.id}.pdf", render_html(env, report)))
            files[folder / f"{report.report.id}.html"] = page(
                "report",
                root="../",
                v=view,
                dates=picker(day, f"{report.report.id}.html"),
                pdf=f"{report.report.id}.pdf",
            )
            for row in report.rows:
                files[folder / "measures" / f"{row.measure.id}.html"] = page(
                    "measure",
                    root="../../",
                    m=measure_page(project, report, row, by_measure.get(row.measure.id, []), day),
                    day=short_date(day),
                    report_href=f"../{report.report.id}.html",
                    dates=picker(day, f"measures/{row.measure.id}.html", up="../../"),
                )
    latest_summaries = tuple(summary_of(r, f"{LATEST}/{r.report.id}.html") for r in by_date[latest])
    files[site / "index.html"] = page(
        "index",
        root="",
        day=short_date(latest),
        reports=latest_summaries,
        dates=picker(latest, "index.html", up=""),
    )
    rendered, _ = render_pdfs(
        [
            PdfJob(f"report '{path.stem}' as at {path.parent.name}", html, project.templates_dir)
            for path, html in pdf_jobs
        ],
        workers=jobs,
        cache=out_dir / CACHE_DIR,
        force=force,
    )
    files.update(zip((path for path, _ in pdf_jobs), rendered, strict=True))
    newest = site / latest.isoformat()
    for path in [p for p in files if newest in p.parents]:
        files[site / LATEST / path.relative_to(newest)] = files[path]
    return {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in files.items()}
