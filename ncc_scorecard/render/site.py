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

from calendar import month_name
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ..catalogue import NO_RULES, Measure, RatingRules
from ..model import HistoryPoint, MeasureResult, Rag, ReportResult, Status, Summary, Travel
from ..numbers import target_display, with_currency
from ..periods import FinancialYear, LabelStyle, Period, Years, period_label, short_date
from ..records import Record
from ..revisions import Revision
from .badges import NONE, Badge, performance_badge, status_badge, travel_badge, travel_detail, travel_word
from .benchmarks_view import BenchmarkSection, benchmark_levels, benchmark_section
from .chart import ChartPoint, spc_levels, trend_chart
from .key import margin_text
from .view import AppendixView, RowView, paragraphs, rag_counts, summary_text
from .words import (
    COMPARATOR_VERSUS,
    COMPARATOR_WORDS,
    DATA_ONLY,
    DATA_ONLY_KEY,
    KEY_DIRECTION,
    LEFT_OUT_OF_SPC,
    NO_COMPARISON,
    NO_SYMBOL,
    NO_TARGET,
    NOTE,
    POLARITY_WORDS,
    PROVISIONAL_NOTE,
    RAG_ORDER,
    RAG_WORDS,
    STATUS_WORDS,
    TRAVEL_WORDS,
    YEAR_KINDS,
    YEAR_TEXT,
    comparator_key,
    rag_words,
    series,
)

SITE = "site"
LATEST = "latest"


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, which template renders it, and how its context is made."""

    path: str
    """Relative to ``site/``: ``2017-12-31/measures/sw-caseload.html``."""
    template: str
    """``site/<name>.html.j2``."""
    make: Callable[..., Mapping[str, Any]]
    """Makes what the template sees from ``args``, and from nothing else: pages with equal ``args``
    are the same page, which lets a build keep a page it wrote before (:mod:`.memo`)."""
    args: tuple[Any, ...] = ()

    @property
    def context(self) -> Mapping[str, Any]:
        """What the template sees."""
        return self.make(*self.args)


def given(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """A page's context made beforehand (for pages that cost nothing to make)."""
    return context


@dataclass(frozen=True)
class PublishedRow:
    """A measure's figures as published (read from its record, not recomputed)."""

    number: int
    title: str
    period: str
    value: str
    target: str
    previous_year: str
    performance: Badge
    direction: str
    status: Badge


@dataclass(frozen=True)
class PublishedView:
    """A report date as published to committee: its record's figures, and what today's data gives
    otherwise."""

    revision: int
    reason: str | None
    summary: str
    """The published summary line ("15 measures: 6 green, …")."""
    rows: tuple[PublishedRow, ...]
    revisions: tuple[str, ...]
    """"sw-caseload Nov 2017: published 24, now 26" for every figure today's data gives otherwise."""
    acknowledged: tuple[str, ...] = ()
    """The same for revisions the catalogue's ``revisions`` acknowledges."""
    measures: tuple[tuple[str, str], ...] = ()
    """(measure id, change) of every revision, for the measure pages of the date."""


def published_view(record: Record, revised: Sequence[Revision]) -> PublishedView:
    """The published figures of ``record`` and the revisions since."""
    rows = []
    for number, item in enumerate(record.scorecard.get("measures", []), start=1):
        rag = item.get("rag")
        status = item.get("status")
        rows.append(
            PublishedRow(
                number=number,
                title=str(item.get("title", item.get("id", ""))),
                period=str(item.get("period_label") or NO_SYMBOL),
                value=str(item.get("display") or NO_SYMBOL),
                target=str(item.get("target_display") or NO_SYMBOL),
                previous_year=str(item.get("previous_year_display") or NO_SYMBOL),
                performance=performance_badge(_member(Rag, rag), bool(item.get("display"))),
                direction=travel_word(travel) if (travel := _member(Travel, item.get("direction"))) else NO_COMPARISON,
                status=status_badge(_member(Status, status) or Status.NO_DATA),
            )
        )
    counts = record.scorecard.get("summary") or {}
    counted = {name: value for name, value in counts.items() if isinstance(value, int)}
    summary = summary_text(
        Summary(
            measures=counted.get("measures", len(rows)),
            green=counted.get("green", 0),
            amber=counted.get("amber", 0),
            red=counted.get("red", 0),
            no_target=counted.get("no_target", 0),
            no_data=counted.get("no_data", 0),
            overdue=counted.get("overdue", 0),
            not_available=counted.get("not_available", 0),
            data_only=counted.get("data_only", 0),
            blue=counted.get("blue"),
        )
    )
    return PublishedView(
        revision=record.revision,
        reason=record.reason,
        summary=summary,
        rows=tuple(rows),
        revisions=tuple(r.change for r in revised if not r.acknowledged),
        acknowledged=tuple(r.change for r in revised if r.acknowledged),
        measures=tuple((r.measure, r.change) for r in revised),
    )


def _member(kind: Any, value: Any) -> Any:
    """The enum member with this value (a record's "green"), None for any other value."""
    return kind(value) if value in {member.value for member in kind} else None


@dataclass(frozen=True)
class SiteReport:
    """A report as at one date, computed and viewed once for its page, its PDF and the summaries."""

    result: ReportResult
    view: AppendixView
    published: PublishedView | None = None
    """Its published record, when the date was published (the page then shows the record)."""
    publishing: bool = False
    """The project keeps published records: a date without one is marked as not published."""

    @property
    def id(self) -> str:
        return self.result.report.id


@dataclass(frozen=True)
class Filter:
    """One of the report page's filters: the row key it matches (``data-rag``) and its choices."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    """(key, word) for each choice after "All"."""


def filters(
    data_only: bool = False,
    blue: bool = False,
    words: Mapping[Rag, str] = RAG_WORDS,
    direction_header: str | None = None,
) -> tuple[Filter, ...]:
    """The report page's filters, in the table's words: by performance, status and direction of
    travel (with the choices of data-only measures when the report has any, and Blue when a measure
    can be Blue). With several Direction of Travel columns it filters by the first, and is labelled
    with that column's ``direction_header``."""
    rags = RAG_ORDER if blue else RAG_ORDER[1:]
    rag = tuple((rag.value, words[rag]) for rag in rags) + ((NONE, f"{NO_TARGET} or result"),)
    status = tuple((status.value, STATUS_WORDS[status]) for status in Status)
    judged = (Travel.BETTER, Travel.SAME, Travel.WORSE)
    travel = tuple((travel.value, TRAVEL_WORDS[travel]) for travel in judged) + ((NONE, NO_COMPARISON),)
    if data_only:
        rag += ((DATA_ONLY_KEY, DATA_ONLY),)
        travel += tuple((t.value, TRAVEL_WORDS[t]) for t in (Travel.INCREASED, Travel.DECREASED))
    return (
        Filter("rag", "Performance", rag),
        Filter("status", "Status", status),
        Filter("direction", direction_header or "Direction of travel", travel),
    )


@dataclass(frozen=True)
class DateLink:
    """One report date in the picker."""

    label: str
    """"31.12.17"."""
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
    """(rag, count, percentage of measures) for blue, green, amber, red and none; counts of 0 left out."""


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
    actions: tuple[str, ...]
    """The action paragraphs of the period's result."""
    provisional: bool = False
    """The value is provisional (marked with an asterisk, explained under the table)."""
    notes: tuple[str, ...] = ()
    """The period's notes: the measure's annotation, and whether it is left out of SPC."""


@dataclass(frozen=True)
class DirectionItem:
    """One direction of travel of a measure that has several, on its page."""

    heading: str
    """"Direction of travel vs previous period"."""
    badge: Badge
    detail: str
    """In words: "worse than Nov 2017 (value down)"."""


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
    """(year, quarter or month, target) in catalogue order, or one ("Every year", target)."""
    tolerance: str
    """When a result that misses the target is amber, in words."""
    comparator: str
    """What the direction of travel compares with, in words."""
    polarity: str
    """Which way is better: "Higher" or "Lower"."""
    travel_detail: str
    """The direction of travel in words: "worse than 2016/17 (value up)"."""
    footnotes: tuple[str, ...] = ()
    """Printed under the history table: what an asterisk means, when a value is provisional."""
    directions: tuple[DirectionItem, ...] = ()
    """Every direction of travel of a measure with more than one comparator, in the catalogue's
    order; empty with one (the page shows ``row.direction`` and ``travel_detail``)."""
    floors: tuple[tuple[str, str], ...] = ()
    """The floor standard like ``targets`` (empty without one)."""
    exceeding: str = ""
    """When a result is Blue, in words ("" when the measure cannot be Blue)."""
    year: str = ""
    """The years the measure is counted in, when they are its own ("Calendar years: January to
    December, labelled like 2023"); "" for the financial years."""
    benchmarks: BenchmarkSection | None = None
    """The measure against its comparator groups, with the ranked chart of its neighbours (None without)."""
    spc_levels: str = ""
    """With SPC, the process mean and limits in words, as the chart's description gives them ("" without)."""


# --- page contexts -------------------------------------------------------------------------


def summary_of(report: ReportResult, href: str, pdf: str) -> ReportSummary:
    s = report.summary
    total = s.measures or 1
    blue = s.blue or 0
    none = s.measures - s.green - s.amber - s.red - blue
    counts = (("blue", blue), ("green", s.green), ("amber", s.amber), ("red", s.red), ("none", none))
    bar = tuple((rag, count, round(count / total * 100, 2)) for rag, count in counts if count)
    text = summary_text(s, rag_words(report.names))
    return ReportSummary(report.report.id, report.report.title, href, pdf, text, bar)


def number_text(number: int | float | None) -> str:
    """A numerator or denominator with a thousands separator (``2,025``; ``83.9``); blank when absent."""
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}"


def history_row(
    point: HistoryPoint,
    start_month: int | Years,
    style: LabelStyle = "natural",
    data_only: bool = False,
    words: Mapping[Rag, str] = RAG_WORDS,
    notes: tuple[str, ...] = (),
) -> HistoryRow:
    """A row of the history table; ``notes`` are the period's notes (its annotation, "left out of SPC")."""
    return HistoryRow(
        period=period_label(point.period, style, start_month),
        value=point.display,
        numerator=number_text(point.numerator),
        denominator=number_text(point.denominator),
        target=point.target_display or "None set",
        performance=performance_badge(point.rag, data_only=data_only, words=words),
        comments=paragraphs(point.comment),
        actions=paragraphs(point.action),
        provisional=point.provisional,
        notes=notes,
    )


def period_notes(result: MeasureResult, period: Period) -> tuple[str, ...]:
    """The notes of a period in the history table: the measure's annotation and, when it is left out
    of SPC, that it is."""
    notes = []
    if period.key in result.measure.annotations:
        notes.append(NOTE.format(text=result.measure.annotations[period.key]))
    point = result.spc.by_period().get(period.start) if result.spc else None
    if point is not None and point.excluded:
        notes.append(LEFT_OUT_OF_SPC)
    return tuple(notes)


def floors_text(measure: Measure) -> tuple[tuple[str, str], ...]:
    """(financial year, floor) of the measure's floor standard, or one ("Every year", floor)."""
    floor = measure.floor
    if isinstance(floor, dict):
        return tuple(
            (str(year), target_display(figure, measure.decimals, measure.currency) or "None set")
            for year, figure in floor.items()
        )
    if floor is not None:
        return (("Every year", target_display(floor, measure.decimals, measure.currency) or ""),)
    return ()


def targets_text(measure: Measure, start_month: int = 4) -> tuple[tuple[str, str], ...]:
    """(what each target is for, the target), in catalogue order (:func:`target_name`), or one
    ("Every year", target)."""
    if isinstance(measure.targets, dict):
        years = measure.years_in(start_month)
        return tuple(
            (
                target_name(key, covered, years),
                target_display(measure.targets[key], measure.decimals, measure.currency) or "None set",
            )
            for key, covered in measure.target_periods()
        )
    if measure.targets is not None:
        return (("Every year", target_display(measure.targets, measure.decimals, measure.currency) or ""),)
    return ()


def target_name(key: str, covered: Period, years: Years) -> str:
    """What a target key is for, readably: a financial year as written (``2017/18``), a year of the
    measure's own years by its label (``2023``, ``2022/23 (academic)``), a quarter with the months it
    covers (``2014/15 Q2 (Jul–Sep 2014)``), a month by its label (``May 2024``)."""
    if covered.months == 12 and not years.own:
        return key
    label = period_label(covered, "natural", years)
    return f"{key} ({label})" if covered.months == 3 and key != label else label


def year_text(years: Years) -> str:
    """The years a measure is counted in, when they are its own: "Calendar years: January to December,
    labelled like 2023"; "" for the financial years."""
    if not years.own:
        return ""
    last = (years.start_month - 2) % 12 + 1
    example = years.label(FinancialYear(2023, years.start_month))
    return YEAR_TEXT.format(
        kind=YEAR_KINDS[years.kind], first=month_name[years.start_month], last=month_name[last], example=example
    )


def tolerance_text(measure: Measure, rating: RatingRules = NO_RULES) -> str:
    """The amber band in words, on the side of the target that is worse: "Amber when a result is up to
    5% of the target below it" (higher is better), "… up to 2 above the target" (lower is better); by
    the rating rules, also when it improved (``amber: improved``), or from the floor instead."""
    if measure.data_only:
        return "None: a figure for information has no target"
    if rating.amber == "floor":
        return "None: amber when a result misses the target but meets the floor standard"
    improved = (
        ", or misses it by more but is better than the figure compared with" if rating.amber == "improved" else ""
    )
    if measure.tolerance_amount(Decimal(100)) == 0:
        if improved:
            return "None: amber when a result misses the target but is better than the figure compared with"
        return "No amber band: a result that misses the target is red"
    side = "below" if measure.polarity == "higher" else "above"
    if isinstance(measure.tolerance, str):
        return f"Amber when a result is up to {measure.tolerance.replace(' ', '')} of the target {side} it{improved}"
    amount = with_currency(f"{measure.tolerance:,}", measure.currency)
    return f"Amber when a result is up to {amount} {side} the target{improved}"


def exceeding_text(result: MeasureResult, words: Mapping[Rag, str] = RAG_WORDS) -> str:
    """When a result is Blue, on the side of the target that is better: "Blue when a result is more than
    5% of the target above it"; "" when the measure cannot be Blue."""
    if result.rating.exceeding is None:
        return ""
    side = "above" if result.measure.polarity == "higher" else "below"
    margin = margin_text(result)
    where = f"{side} it" if margin.endswith(" of the target") else f"{side} the target"
    return f"{words[Rag.BLUE]} when a result is more than {margin} {where}"


def chart_points(
    result: MeasureResult, points: Sequence[HistoryPoint], start_month: int | Years = 4, style: LabelStyle = "natural"
) -> list[ChartPoint]:
    """The chart's points, with the SPC mean and limits (drawn within the measure's bounds) where the
    report shows SPC, the line broken where a period is missing, and the measure's notes."""
    spc = result.spc.by_period() if result.spc else {}
    drawn = result.spc.drawn if result.spc else (lambda limit: limit)
    every = 2 if result.measure.frequency == "biennial" else 1
    notes = result.measure.annotations
    chart = []
    for i, point in enumerate(points):
        s = spc.get(point.period.start)
        chart.append(
            ChartPoint(
                period_label(point.period, style, start_month),
                point.value,
                point.target,
                point.rag,
                s.mean if s else None,
                drawn(s.upl) if s else None,
                drawn(s.lpl) if s else None,
                bool(s and s.special_cause),
                point.display,
                gap_before=i > 0 and points[i - 1].period.shift(every) != point.period,
                excluded=bool(s and s.excluded),
                annotation=notes.get(point.period.key, ""),
            )
        )
    return chart


def measure_page(
    result: MeasureResult,
    row: RowView,
    points: Sequence[HistoryPoint],
    as_at: date,
    reports: Sequence[Link],
    start_month: int = 4,
    style: LabelStyle = "natural",
    words: Mapping[Rag, str] = RAG_WORDS,
) -> MeasurePage:
    """A measure page's context: ``row`` is its row of the report, ``points`` its history to ``as_at``,
    ``words`` the report's words for its ratings."""
    measure = result.measure
    years = measure.years_in(start_month)
    title = f"{measure.title}: results to {short_date(as_at)}"
    blue = result.rating.exceeding is not None
    chart = chart_points(result, points, years, style)
    groups, levels = benchmark_levels(result, [point.period for point in points])
    if groups:
        chart = [replace(point, benchmarks=level) for point, level in zip(chart, levels, strict=True)]
    return MeasurePage(
        measure=measure,
        row=row,
        result=result,
        reports=tuple(reports),
        chart=trend_chart(
            chart, title, measure.label, data_only=measure.data_only, words=words, blue=blue, benchmarks=groups
        ),
        history=tuple(
            history_row(point, years, style, measure.data_only, words, period_notes(result, point.period))
            for point in reversed(points)
        ),
        targets=targets_text(measure, start_month),
        tolerance=tolerance_text(measure, result.rating),
        floors=floors_text(measure),
        exceeding=exceeding_text(result, words),
        comparator=series(
            [COMPARATOR_WORDS[comparator_key(measure.frequency, c, years.kind)] for c in measure.comparators], "and"
        ),
        polarity=POLARITY_WORDS[measure.polarity],
        footnotes=(PROVISIONAL_NOTE,) if any(point.provisional for point in points) else (),
        travel_detail=travel_detail(result, style, start_month),
        directions=direction_items(result, style, start_month),
        year=year_text(years),
        benchmarks=benchmark_section(result, style, start_month),
        spc_levels=spc_levels(chart),
    )


def direction_items(
    result: MeasureResult, style: LabelStyle = "natural", start_month: int = 4
) -> tuple[DirectionItem, ...]:
    """A measure page's directions of travel, each headed by what it compares with (none for a measure
    with one comparator)."""
    if len(result.comparisons) == 1:
        return ()
    kind = result.measure.years_in(start_month).kind
    return tuple(
        DirectionItem(
            f"{KEY_DIRECTION} {COMPARATOR_VERSUS[comparator_key(result.measure.frequency, c.comparator, kind)]}",
            travel_badge(result, style, start_month, c),
            travel_detail(result, style, start_month, c),
        )
        for c in result.comparisons
    )


def picker(dates: Sequence[date], current: date, page: str, up: str = "../") -> tuple[DateLink, ...]:
    """The same page at every date, newest first, linked from a page ``up`` below site/."""
    return tuple(DateLink(short_date(day), f"{up}{day.isoformat()}/{page}", day == current) for day in reversed(dates))


# --- the pages -----------------------------------------------------------------------------


def site_pages(
    organisation: str,
    editions: Mapping[date, Sequence[SiteReport]],
    histories: Mapping[str, Sequence[HistoryPoint]],
    start_month: int = 4,
    style: LabelStyle = "natural",
) -> list[Page]:
    """Every page of the site: for each date its index, report pages and measure pages; then the home page.

    ``editions`` holds the reports as at each date; ``histories`` each measure's every result up to
    the newest date (a measure page shows those up to its own date).
    """
    dates = sorted(editions)
    blue = any(report.view.blue for reports in editions.values() for report in reports)
    pages = []
    for day in dates:
        pages += date_pages(organisation, dates, day, editions[day], histories, start_month, style, blue)
    pages.append(index_page(organisation, dates, editions, blue))
    return pages


def date_pages(
    organisation: str,
    dates: Sequence[date],
    day: date,
    reports: Sequence[SiteReport],
    histories: Mapping[str, Sequence[HistoryPoint]],
    start_month: int = 4,
    style: LabelStyle = "natural",
    blue: bool = False,
) -> list[Page]:
    """The pages of one report date: its index, a page per report, a page per measure (``blue``: a
    measure of the site can be Blue)."""
    folder, label = day.isoformat(), short_date(day)
    summaries = tuple(summary_of(r.result, f"{r.id}.html", pdf_name(r.id)) for r in reports)
    index = {"root": "../", "day": label, "dates": picker(dates, day, "index.html"), "reports": summaries}
    pages = [Page(f"{folder}/index.html", "date", given, ({"organisation": organisation, **index, "blue": blue},))]
    measures: dict[str, tuple[MeasureResult, RowView, list[Link], dict[Rag, str]]] = {}
    for report in reports:
        words = rag_words(report.result.names)
        data_only = any(row.measure.data_only for row in report.result.rows)
        context = {
            "organisation": organisation,
            "root": "../",
            "dates": picker(dates, day, f"{report.id}.html"),
            "pdf": pdf_name(report.id),
            "publishing": report.publishing,
            "published": report.published,
            "filters": filters(
                data_only,
                report.view.blue,
                words,
                report.view.direction_headers[0] if len(report.view.direction_headers) > 1 else None,
            ),
            "blue": blue,
        }
        pages.append(Page(f"{folder}/{report.id}.html", "report", report_context, (report.view, context)))
        for result, row in zip(report.result.rows, report.view.rows, strict=True):
            entry = measures.setdefault(result.measure.id, (result, row, [], words))
            entry[2].append(Link(report.result.report.title, f"../{report.id}.html"))
    revised: dict[str, list[str]] = {}
    for report in reports:
        for measure_id, change in report.published.measures if report.published else ():
            revised.setdefault(measure_id, []).append(change)
    for measure_id, (result, row, links, words) in measures.items():
        args = (result, row, histories.get(measure_id, ()), day, tuple(links), start_month, style, words)
        shown = (organisation, dates, tuple(revised.get(measure_id, ())), blue)
        pages.append(Page(f"{folder}/measures/{measure_id}.html", "measure", measure_context, (*args, *shown)))
    return pages


def report_context(view: AppendixView, context: Mapping[str, Any]) -> dict[str, Any]:
    """What a report page's template sees: the report's view as ``v``, and the rest of ``context``."""
    return {**context, "v": view}


def measure_context(
    result: MeasureResult,
    row: RowView,
    history: Sequence[HistoryPoint],
    day: date,
    links: Sequence[Link],
    start_month: int,
    style: LabelStyle,
    words: Mapping[Rag, str],
    organisation: str,
    dates: Sequence[date],
    revised: tuple[str, ...],
    blue: bool,
) -> dict[str, Any]:
    """What a measure page's template sees: :func:`measure_page` with the measure's ``history`` up to
    ``day`` (the whole history is the argument: one object serves every date), and the page's frame."""
    points = [point for point in history if point.period.end <= day]
    return {
        "organisation": organisation,
        "revised": revised,
        "root": "../../",
        "m": measure_page(result, row, points, day, links, start_month, style, words),
        "day": short_date(day),
        "dates": picker(dates, day, f"measures/{result.measure.id}.html", up="../../"),
        "blue": blue,
    }


def index_page(
    organisation: str, dates: Sequence[date], editions: Mapping[date, Sequence[SiteReport]], blue: bool = False
) -> Page:
    """The home page: the reports as at the newest date, and every date with each report's counts."""
    latest = dates[-1]
    reports = editions[latest]
    rows = tuple(
        DateRow(
            short_date(day),
            f"{day.isoformat()}/index.html",
            tuple(rag_counts(r.result.summary, rag_words(r.result.names)) for r in editions[day]),
        )
        for day in reversed(dates)
    )
    context = {
        "organisation": organisation,
        "root": "",
        "day": short_date(latest),
        "reports": tuple(summary_of(r.result, f"{LATEST}/{r.id}.html", f"{LATEST}/{pdf_name(r.id)}") for r in reports),
        "dates": picker(dates, latest, "index.html", up=""),
        "columns": tuple(r.result.report.title for r in reports),
        "rows": rows,
        "blue": blue,
    }
    return Page("index.html", "index", given, (context,))


def pdf_name(report_id: str) -> str:
    """The file name of a report's PDF, beside its page."""
    return f"{report_id}.pdf"


def pdf_path(day: date, report_id: str) -> str:
    """Where a report's PDF as at a date goes, relative to ``site/``."""
    return f"{day.isoformat()}/{pdf_name(report_id)}"


def latest_path(path: str, newest: date) -> str | None:
    """Where ``latest/`` copies a file of the newest date; None for a file of another date."""
    prefix = f"{newest.isoformat()}/"
    return f"{LATEST}/{path.removeprefix(prefix)}" if path.startswith(prefix) else None


def latest_copies(files: Mapping[str, bytes], newest: date) -> dict[str, bytes]:
    """``latest/``: a copy of every file of the newest date (a real copy works on any host and from disk)."""
    return {copy: data for path, data in files.items() if (copy := latest_path(path, newest)) is not None}


def is_date_folder(name: str) -> bool:
    """Whether a folder of ``site/`` is one the site builds (a report date, or ``latest``)."""
    if name == LATEST:
        return True
    try:
        return date.fromisoformat(name).isoformat() == name
    except ValueError:
        return False


def dated_pages(paths: Iterable[str]) -> list[str]:
    """The paths that are not ``latest/`` copies."""
    return [path for path in paths if not path.startswith(f"{LATEST}/")]
