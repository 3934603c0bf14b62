"""The performance portal: a static website of every report, measure and report date.

Every page is built in memory from the same computed reports as the appendix; links are
relative, so the folder works from ``file://`` and from any web server sub-path::

    site/index.html                          the reports as at the newest date, and every date
    site/2017-12-31/index.html               the reports as at one date
    site/2017-12-31/<report>.html | .pdf     a scorecard page and its printer-friendly PDF
    site/2017-12-31/measures/<measure>.html  a measure: definition, trend chart, history
    site/latest/...                          a copy of the newest date (no symlink, no redirect)
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, TemplateError
from markupsafe import Markup

from ..build import Project, compute
from ..calculator import HistoryPoint, MeasureResult, ReportResult, history, target_display
from ..catalogue import Measure
from ..errors import RenderError
from ..output import write_all
from ..periods import month_end, period_name, short_date
from ..results import Result
from .chart import ChartPoint, trend_chart
from .view import RAG_TEXT, AppendixView, Badge, RowView, appendix_view, paragraphs, row_view, summary_text

SITE = "site"
LATEST = "latest"
_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COMPARATOR_TEXT = {
    "previous_period": "the period before",
    "same_period_last_year": "the same period a year before",
    "previous_year": "the previous financial year's outturn",
}


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
    """A report's RAG counts as at a date, for index pages."""

    id: str
    title: str
    href: str
    pdf: str
    """Relative link to the report's PDF as at the same date."""
    summary: str
    """"15 measures: 6 green, 0 amber, 7 red, 2 without target; 0 overdue"."""
    bar: tuple[tuple[str, int, float], ...]
    """(rag, count, percentage of measures) for green, amber, red and none; counts of 0 left out."""


@dataclass(frozen=True)
class DateRow:
    """One report date in the index's table of dates: a short summary per report."""

    label: str
    href: str
    counts: tuple[str, ...]
    """"6 green, 0 amber, 7 red" per report, in the order of the table's columns."""


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class HistoryRow:
    """One period of a measure's history table."""

    period: str
    """"Dec 2017", "Oct–Dec 2017" or "2017/18"."""
    value: str
    numerator: str
    denominator: str
    target: str
    performance: Badge
    comments: tuple[str, ...]


@dataclass(frozen=True)
class MeasurePage:
    """The context of a measure page (``site/measure.html.j2``)."""

    measure: Measure
    row: RowView
    """The measure's row of the scorecard as at the page's date (badges as in the report)."""
    result: MeasureResult
    reports: tuple[Link, ...]
    """The reports that include the measure, linked."""
    chart: Markup
    """The trend chart (inline SVG built from numbers; empty without results)."""
    history: tuple[HistoryRow, ...]
    """Every result up to the page's date, newest first."""
    targets: tuple[tuple[str, str], ...]
    """(financial year, target) in year order, or one ("Every year", target)."""
    tolerance: str
    comparator: str
    """What the direction of travel compares with, in words."""


# --- report dates --------------------------------------------------------------------------


def month_ends(last: date, count: int) -> list[date]:
    """The last ``count`` month-ends up to ``last`` (``last`` itself if it is a month end), oldest first."""
    year, month = last.year, last.month
    if month_end(year, month) != last:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    dates = []
    for _ in range(count):
        dates.append(month_end(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(dates)


def report_dates(as_at: Sequence[date], history_months: int | None) -> list[date]:
    """The dates to publish: every ``as_at`` and the ``history_months`` month-ends up to the newest."""
    dates = set(as_at)
    if history_months:
        dates |= set(month_ends(max(dates), history_months))
    return sorted(dates)


# --- page contexts -------------------------------------------------------------------------


def summary_of(report: ReportResult, href: str, pdf: str) -> ReportSummary:
    s = report.summary
    total = s.measures or 1
    none = s.measures - s.green - s.amber - s.red
    bar = tuple(
        (rag, count, round(count / total * 100, 2))
        for rag, count in (("green", s.green), ("amber", s.amber), ("red", s.red), ("none", none))
        if count
    )
    return ReportSummary(report.report.id, report.report.title, href, pdf, summary_text(s), bar)


def rag_counts(report: ReportResult) -> str:
    s = report.summary
    return f"{s.green} green, {s.amber} amber, {s.red} red"


def rag_badge(rag: str | None) -> Badge:
    """A history row's Performance, as the report table shows it."""
    if rag is None:
        return Badge("No target", "–", "rag-none", "Performance: no target")
    symbol = {"green": "●", "amber": "◆", "red": "■"}[rag]
    return Badge(RAG_TEXT[rag], symbol, f"rag-{rag}", f"Performance against target: {rag}")


def number_text(number: int | float | None) -> str:
    """A numerator or denominator with a thousands separator (``2,025``; ``83.9``); blank when absent."""
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}"


def history_row(point: HistoryPoint, start_month: int) -> HistoryRow:
    return HistoryRow(
        period=period_name(point.period, start_month),
        value=point.display,
        numerator=number_text(point.numerator),
        denominator=number_text(point.denominator),
        target=point.target_display or "None set",
        performance=rag_badge(point.rag),
        comments=paragraphs(point.comment),
    )


def targets_text(measure: Measure, start_month: int) -> tuple[tuple[str, str], ...]:
    if isinstance(measure.targets, dict):
        return tuple(
            (str(year), target_display(target, measure.decimals) or "None set")
            for year, target in measure.targets.items()
        )
    if measure.targets is not None:
        return (("Every year", target_display(measure.targets, measure.decimals) or ""),)
    return ()


def tolerance_text(measure: Measure) -> str:
    if measure.tolerance in (0, "0", "0%"):
        return "None: a result that misses the target is red"
    if isinstance(measure.tolerance, str):
        amount = f"{measure.tolerance.replace(' ', '')} of the target"
    else:
        amount = f"{measure.tolerance:,}"
    return f"Amber when a result misses the target by no more than {amount}"


def chart_points(result: MeasureResult, points: Sequence[HistoryPoint], start_month: int = 4) -> list[ChartPoint]:
    """The chart's points, with the SPC mean and limits where the report shows SPC."""
    spc = (
        {period.start: p for period, p in zip(result.spc.periods, result.spc.result.points, strict=True)}
        if result.spc
        else {}
    )
    chart = []
    for point in points:
        s = spc.get(point.period.start)
        chart.append(
            ChartPoint(
                period_name(point.period, start_month),
                point.value,
                point.target,
                point.rag,
                s.mean if s else None,
                s.upl if s else None,
                s.lpl if s else None,
                bool(s and s.special_cause),
                point.display,
            )
        )
    return chart


def measure_page(
    project: Project,
    result: MeasureResult,
    results: Sequence[Result],
    as_at: date,
    reports: Sequence[Link],
    trend_header: str,
) -> MeasurePage:
    """A measure page's context; ``results`` are that measure's results."""
    measure = result.measure
    start_month = project.catalogue.year_start_month
    points = history(measure, results, as_at, start_month)
    title = f"{measure.title}: results to {short_date(as_at)}"
    return MeasurePage(
        measure=measure,
        row=row_view(0, result, trend_header),
        result=result,
        reports=tuple(reports),
        chart=trend_chart(chart_points(result, points, start_month), title, measure.label),
        history=tuple(history_row(point, start_month) for point in reversed(points)),
        targets=targets_text(measure, start_month),
        tolerance=tolerance_text(measure),
        comparator=COMPARATOR_TEXT[measure.direction],
    )


def picker(dates: Sequence[date], current: date, page: str, up: str = "../") -> tuple[DateLink, ...]:
    """The same page at every date, newest first, linked from a page ``up`` below site/."""
    return tuple(
        DateLink(short_date(day), day.isoformat(), f"{up}{day.isoformat()}/{page}", day == current)
        for day in reversed(dates)
    )


# --- the site ------------------------------------------------------------------------------


def build_site(
    project: Project,
    dates: Sequence[date],
    out_dir: Path,
    env: Environment,
    report_ids: Sequence[str] = (),
    jobs: int = 1,
    force: bool = False,
) -> dict[Path, bytes]:
    """Every page and PDF of the site, in memory (``out_dir/site/...``).

    Each report is computed once per date and its PDF rendered once (or reused from the
    build cache); ``latest/`` holds copies of the newest date's files.
    """
    from .html import render_html
    from .pool import CACHE_DIR, PdfJob, prune_cache, render_pdfs

    dates = sorted(set(dates))
    site = out_dir / SITE
    by_date = {day: compute(project, day, report_ids) for day in dates}
    by_measure: dict[str, list[Result]] = {}
    for result in project.results:
        by_measure.setdefault(result.measure, []).append(result)
    files: dict[Path, str | bytes] = {}
    pdf_jobs: list[tuple[Path, str]] = []

    def page(name: str, **context: object) -> str:
        template = f"site/{name}.html.j2"
        try:
            return env.get_template(template).render(organisation=project.catalogue.organisation, **context)
        except TemplateError as exc:
            where = f"{getattr(exc, 'filename', None) or template}:{getattr(exc, 'lineno', None) or ''}".rstrip(":")
            raise RenderError(f"site: template {where}: {exc.message or exc}") from exc

    for day, reports in by_date.items():
        folder = site / day.isoformat()
        label = short_date(day)
        summaries = tuple(summary_of(r, f"{r.report.id}.html", f"{r.report.id}.pdf") for r in reports)
        files[folder / "index.html"] = page(
            "date", root="../", day=label, dates=picker(dates, day, "index.html"), reports=summaries
        )
        measures: dict[str, tuple[MeasureResult, list[Link], str]] = {}
        for report in reports:
            view: AppendixView = appendix_view(report)
            pdf_jobs.append((folder / f"{report.report.id}.pdf", render_html(env, report)))
            files[folder / f"{report.report.id}.html"] = page(
                "report",
                root="../",
                v=view,
                dates=picker(dates, day, f"{report.report.id}.html"),
                pdf=f"{report.report.id}.pdf",
            )
            for row in report.rows:
                entry = measures.setdefault(row.measure.id, (row, [], view.trend_header))
                entry[1].append(Link(report.report.title, f"../{report.report.id}.html"))
        for measure_id, (row, links, trend_header) in measures.items():
            files[folder / "measures" / f"{measure_id}.html"] = page(
                "measure",
                root="../../",
                m=measure_page(project, row, by_measure.get(measure_id, []), day, links, trend_header),
                day=label,
                dates=picker(dates, day, f"measures/{measure_id}.html", up="../../"),
            )
    latest = dates[-1]
    columns = tuple(report.report.title for report in by_date[latest])
    files[site / "index.html"] = page(
        "index",
        root="",
        day=short_date(latest),
        reports=tuple(
            summary_of(r, f"{LATEST}/{r.report.id}.html", f"{LATEST}/{r.report.id}.pdf") for r in by_date[latest]
        ),
        dates=picker(dates, latest, "index.html", up=""),
        columns=columns,
        rows=tuple(
            DateRow(short_date(day), f"{day.isoformat()}/index.html", tuple(rag_counts(r) for r in by_date[day]))
            for day in reversed(dates)
        ),
    )
    cache = out_dir / CACHE_DIR
    rendered, _ = render_pdfs(
        [
            PdfJob(f"report '{path.stem}' as at {path.parent.name}", html, project.templates_dir)
            for path, html in pdf_jobs
        ],
        workers=jobs,
        cache=cache,
        force=force,
    )
    prune_cache(cache, keep=max(200, len(pdf_jobs)))
    files.update(zip((path for path, _ in pdf_jobs), rendered, strict=True))
    newest = site / latest.isoformat()
    for path in [p for p in files if newest in p.parents]:
        files[site / LATEST / path.relative_to(newest)] = files[path]
    return {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in files.items()}


def write_site(files: Mapping[Path, bytes], site: Path) -> list[Path]:
    """Write the site atomically, then remove what an earlier build left that this one did not make.

    Only report-date folders (``2017-12-31/``) and ``latest/`` are tidied: other files a web team
    keeps in the folder stay.
    """
    written = write_all(files)
    keep = {path.resolve() for path in files}
    for folder in sorted(site.iterdir()) if site.is_dir() else []:
        if not folder.is_dir() or not (folder.name == LATEST or _DATE_FOLDER.match(folder.name)):
            continue
        for path in sorted(folder.rglob("*"), reverse=True):  # files before the folders holding them
            if path.is_file() and path.resolve() not in keep and not path.name.startswith("."):
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(folder.iterdir()):
            shutil.rmtree(folder)
    return written
