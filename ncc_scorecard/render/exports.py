"""The machine-readable outputs: JSON (SPEC §6) and a CSV with the same figures."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..model import Benchmarks, Change, Comparison, MeasureResult, ReportResult
from ..periods import period_label
from ..problems import display_path
from ..revisions import Revision
from .badges import comparator_label
from .benchmarks_view import benchmark_period
from .changes_view import change_sentence


def report_data(report: ReportResult) -> dict[str, Any]:
    """The JSON document of a computed report."""
    summary = report.summary
    return {
        "report": report.report.id,
        "title": report.report.title,
        "appendix": report.report.appendix,
        "organisation": report.organisation,
        "as_at": report.as_at.isoformat(),
        "previous_year": report.previous_year.label,
        "current_year": report.current_year.label,
        "summary": {
            "measures": summary.measures,
            "green": summary.green,
            "amber": summary.amber,
            "red": summary.red,
            "no_target": summary.no_target,
            "no_data": summary.no_data,
            "overdue": summary.overdue,
            "not_available": summary.not_available,
        }
        | ({"data_only": summary.data_only} if summary.data_only else {})
        | ({"blue": summary.blue} if summary.blue is not None else {}),
        "measures": [measure_data(row, report, group.title) for group in report.groups for row in group.rows],
        "changes_since": report.changes_since.isoformat() if report.changes_since else None,
        "changes": [change_data(change, report) for change in report.changes],
    }


def change_data(change: Change, report: ReportResult) -> dict[str, Any]:
    """A change in the JSON output (``changes`` list) and in ``ncc-scorecard changes --format json``."""
    return {
        "id": change.measure.id,
        "title": change.measure.title,
        "kind": change.kind,
        "from": change.old,
        "to": change.new,
        "direction": change.movement,
        "from_period": change.before.period.key if change.before.period else None,
        "to_period": change.after.period.key if change.after.period else None,
        "from_display": change.before.display,
        "to_display": change.after.display,
        "text": change_sentence(change, report),
    }


def changes_document(reports: Sequence[ReportResult]) -> dict[str, Any]:
    """The changes of several reports, as ``ncc-scorecard changes --format json`` prints them."""
    return {
        "reports": [
            {
                "report": report.report.id,
                "title": report.report.title,
                "as_at": report.as_at.isoformat(),
                "since": report.changes_since.isoformat() if report.changes_since else None,
                "changes": [change_data(change, report) for change in report.changes],
            }
            for report in reports
        ]
    }


def measure_data(row: MeasureResult, report: ReportResult, section: str | None = None) -> dict[str, Any]:
    """A measure's row of the JSON, its periods named in the report's label style."""
    return _core(row, report, section) | optional_data(row, report)


def optional_data(row: MeasureResult, report: ReportResult) -> dict[str, Any]:
    """Keys of features a project may not use, present only when it does, so a project that uses
    none of them gets the same JSON and CSV as before they existed: ``provisional: true``;
    ``directions`` for a measure with more than one; a measure's ``floor`` standard; for a measure
    with targets by quarter or month, ``target_basis``, the key of ``targets`` that set the target;
    for a measure counted in its own years, their ``year_start_month`` and its ``previous_year``,
    the year whose outturn ``previous_year_value`` is (``2016``)."""
    data: dict[str, Any] = {"provisional": True} if row.provisional else {}
    if len(row.comparisons) > 1:
        data["directions"] = [comparison_data(row, c, report) for c in row.comparisons]
    if row.rating.amber == "floor":
        data |= {"floor": row.floor, "floor_display": row.floor_display}
    if row.measure.profiled:
        data["target_basis"] = row.target_key
    years = row.measure.years_in(report.start_month)
    if years.own:
        data["year_start_month"] = years.start_month
        data["previous_year"] = (
            period_label(row.previous_year_period, "natural", years) if row.previous_year_period else None
        )
    if benchmarked(report):
        data["benchmarks"] = benchmarks_data(row.benchmarks, report, row) if row.benchmarks else None
    return data


def benchmarked(report: ReportResult) -> bool:
    """Whether the report compares any of its measures with comparator groups."""
    return bool(report.report.benchmarks) or any(row.measure.benchmarks for row in report.rows)


def benchmarks_data(found: Benchmarks, report: ReportResult, row: MeasureResult) -> dict[str, Any]:
    """A measure against its comparator groups, its rank and quartile (``benchmarks``)."""
    return {
        "period": found.period.key,
        "period_label": benchmark_period(row, report.label_style, report.start_month),
        "value": found.ours,
        "display": found.ours_display,
        "groups": [
            {
                "id": group.id,
                "name": group.name,
                "basis": "published" if group.mean_of is None else "mean",
                "mean_of": group.mean_of,
                "value": group.value,
                "display": group.display,
                "difference": group.difference,
                "difference_display": group.difference_display,
                "comparison": group.comparison,
            }
            for group in found.groups
        ],
        "rank": found.rank,
        "rank_of": found.rank_of,
        "neighbour_rank": found.neighbour_rank,
        "neighbour_rank_of": found.neighbour_rank_of,
        "quartile": found.quartile,
    }


OPTIONAL_KEYS = (
    "provisional", "directions", "floor", "floor_display", "target_basis", "year_start_month", "previous_year",
    "benchmarks",
)  # fmt: skip


def comparison_data(row: MeasureResult, comparison: Comparison, report: ReportResult) -> dict[str, Any]:
    """One direction of travel of a measure with several (``directions``; the first is ``direction``)."""
    style, start_month = report.label_style, report.start_month
    return {
        "comparator": comparison.comparator,
        "direction": comparison.travel,
        "period": comparison.period.key if comparison.period else None,
        "period_label": comparator_label(row, style, start_month, comparison),
        "value": comparison.value,
        "display": comparison.display,
    }


def _core(row: MeasureResult, report: ReportResult, section: str | None) -> dict[str, Any]:
    measure = row.measure
    style, years = report.label_style, measure.years_in(report.start_month)
    return {
        "id": measure.id,
        "title": measure.title,
        "section": section,
        "unit": measure.unit,
        "unit_label": measure.label,
        "frequency": measure.frequency,
        "polarity": measure.polarity,
        "period": row.period.key if row.period else None,
        "period_label": period_label(row.period, style, years) if row.period else None,
        "value": row.value,
        "display": row.display,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "target": row.target,
        "target_display": row.target_display,
        "previous_year_value": row.previous_year_value,
        "previous_year_display": row.previous_year_display,
        "rag": row.rag,
        "direction": row.travel,
        "direction_basis": comparator_label(row, style, report.start_month),
        "direction_comparator_value": row.comparator_value,
        "direction_comparator_display": row.comparator_display,
        "status": row.status,
        "underlying": row.underlying,
        "comment": row.comment or None,
        "action": row.action or None,
        "trend": [{"period": point.period.key, "value": point.value} for point in row.trend],
        "spc": spc_data(row),
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "overdue_period": row.overdue_period.key if row.overdue_period else None,
        "overdue_period_label": period_label(row.overdue_period, style, years) if row.overdue_period else None,
        "not_available": (
            {
                "period": row.not_available.period.key,
                "period_label": period_label(row.not_available.period, style, years),
                "reason": row.not_available.reason,
            }
            if row.not_available
            else None
        ),
    }


def spc_data(row: MeasureResult) -> dict[str, Any] | None:
    """SPC of a measure (null when switched off or under two points): the figures of the last phase,
    the rule set, how many points the limits rest on, and every point. ``missing`` (periods missing
    inside the series), ``clipped`` (limits drawn at the measure's bounds), a point's ``excluded``
    and ``annotation`` appear only when they apply."""
    if row.spc is None:
        return None
    spc, result = row.spc, row.spc.result
    rules, run_length = spc.rules
    data: dict[str, Any] = {
        "mean": result.mean,
        "upl": result.upl,
        "lpl": result.lpl,
        "upper_near": result.upper_near,
        "lower_near": result.lower_near,
        "mr_bar": result.mr_bar,
        "variation": spc.variation,
        "variation_side": spc.side,
        "assurance": result.assurance,
        "provisional": result.provisional,
        "rules": rules,
        "run_length": run_length,
        "basis_points": result.phases[-1].basis_points,
    }
    if spc.missing:
        data["missing"] = [period.key for period in spc.missing]
    clipped = {name: spc.drawn(limit) for name, limit in (("upl", result.upl), ("lpl", result.lpl))}
    if any(clipped[name] != limit for name, limit in (("upl", result.upl), ("lpl", result.lpl))):
        data["clipped"] = clipped
    excluded = any(point.excluded for point in result.points)
    notes = row.measure.annotations
    points = []
    for period, point in zip(spc.periods, result.points, strict=True):
        item: dict[str, Any] = {
            "period": period.key,
            "value": point.value,
            "special_cause": point.special_cause,
            "type": point.type,
            "rule": point.rule,
            "mean": point.mean,
            "upl": point.upl,
            "lpl": point.lpl,
        }
        if excluded:
            item["excluded"] = point.excluded
        if notes:
            item["annotation"] = notes.get(period.key)
        points.append(item)
    data["points"] = points
    return data


def to_json(report: ReportResult) -> bytes:
    return (json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


CSV_COLUMNS = (
    "report", "section", "id", "title", "unit", "unit_label", "frequency", "polarity", "period", "period_label",
    "value", "display", "numerator", "denominator", "target", "target_display", "previous_year_value",
    "previous_year_display", "rag", "direction", "status", "underlying", "comment", "action", "trend", "changes",
    "spc_variation", "spc_assurance", "spc_mean", "spc_upl", "spc_lpl", "not_available_period",
    "not_available_reason", "direction_basis", "direction_comparator_value", "direction_comparator_display",
    "due_date", "overdue_period",
)  # fmt: skip


def optional_columns(key: str, measures: list[dict[str, Any]]) -> tuple[str, ...]:
    """The CSV columns of an optional JSON key that some measure has: the key itself, or for
    ``directions`` the first comparator's name (``direction_comparator``) and for each further
    direction of travel, as many as the most a measure has, ``direction_2``, ``direction_2_comparator``,
    ``direction_2_basis``, ``direction_2_comparator_value``, ``direction_2_comparator_display``, ``direction_3_…``."""
    if key == "benchmarks":
        ids = dict.fromkeys(g["id"] for m in measures for g in (m.get(key) or {}).get("groups", ()))
        cells = ("", "_display", "_difference", "_comparison")
        return (
            "benchmark_period", "benchmark_period_label", "benchmark_value",
            *(f"benchmark_{i}{part}" for i in ids for part in cells),
            "rank", "rank_of", "neighbour_rank", "neighbour_rank_of", "quartile",
        )  # fmt: skip
    if key != "directions":
        return (key,)
    count = max(len(measure.get(key, ())) for measure in measures)
    parts = ("", "_comparator", "_basis", "_comparator_value", "_comparator_display")
    return ("direction_comparator", *(f"direction_{n}{part}" for n in range(2, count + 1) for part in parts))


def flat_directions(directions: list[dict[str, Any]]) -> dict[str, Any]:
    """A measure's ``directions`` as CSV cells (see :func:`optional_columns`)."""
    cells = {"direction_comparator": directions[0]["comparator"]} if directions else {}
    for n, direction in enumerate(directions[1:], start=2):
        cells[f"direction_{n}"] = direction["direction"]
        cells[f"direction_{n}_comparator"] = direction["comparator"]
        cells[f"direction_{n}_basis"] = direction["period_label"]
        cells[f"direction_{n}_comparator_value"] = direction["value"]
        cells[f"direction_{n}_comparator_display"] = direction["display"]
    return cells


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FIGURE_RE = re.compile(r"^((\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+)%?$")
"""A figure as text (``-5``, ``-1,508.5``, ``-3%``, ``-£12``): a spreadsheet reads it as the number it is."""


def flat_benchmarks(found: dict[str, Any] | None) -> dict[str, Any]:
    """A measure's ``benchmarks`` as CSV cells (see :func:`optional_columns`)."""
    if not found:
        return {}
    cells = {"benchmark_period": found["period"], "benchmark_period_label": found["period_label"]}
    cells["benchmark_value"] = found["value"]
    for group in found["groups"]:
        cells[f"benchmark_{group['id']}"] = group["value"]
        cells[f"benchmark_{group['id']}_display"] = group["display"]
        cells[f"benchmark_{group['id']}_difference"] = group["difference"]
        cells[f"benchmark_{group['id']}_comparison"] = group["comparison"]
    return cells | {key: found[key] for key in ("rank", "rank_of", "neighbour_rank", "neighbour_rank_of", "quartile")}


def neutralise(cell: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers,
    and so does a figure written as text (``-5``): a negative number is not a formula."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START) and not _is_figure(cell):
        return "'" + cell
    return cell


def _is_figure(text: str) -> bool:
    """Whether ``text`` is a number as the tool prints one, signed, with a currency symbol or not."""
    figure = text[1:] if text[:1] in "+-" else text
    if figure[:1] and unicodedata.category(figure[0]) == "Sc":
        figure = figure[1:]
    return _FIGURE_RE.match(figure) is not None


def to_csv(report: ReportResult) -> bytes:
    """One row per measure with the JSON's figures; UTF-8 with BOM so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    data = report_data(report)
    used = [key for key in OPTIONAL_KEYS if any(key in m for m in data["measures"])]
    columns = CSV_COLUMNS + tuple(column for key in used for column in optional_columns(key, data["measures"]))
    writer.writerow(columns)
    for measure in data["measures"]:
        measure = dict(measure, report=data["report"]) | flat_directions(measure.get("directions", []))
        measure |= flat_benchmarks(measure.pop("benchmarks", None))
        spc = measure["spc"] or {}
        for key in ("variation", "assurance", "mean", "upl", "lpl"):
            measure[f"spc_{key}"] = spc.get(key)
        gap = measure["not_available"] or {}
        measure["not_available_period"], measure["not_available_reason"] = gap.get("period"), gap.get("reason")
        measure["trend"] = " ".join(f"{point['period']}={point['value']}" for point in measure["trend"])
        measure["changes"] = "; ".join(change["text"] for change in data["changes"] if change["id"] == measure["id"])
        writer.writerow([neutralise("" if measure.get(column) is None else measure[column]) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def revision_data(revision: Revision) -> dict[str, Any]:
    """A published figure revised since, in ``changes --format json`` (``revisions``)."""
    where = revision.result
    return {
        "report": revision.report,
        "as_at": revision.as_at.isoformat(),
        "measure": revision.measure,
        "period": revision.period,
        "period_label": revision.period_label,
        "figure": revision.figure,
        "published": revision.published,
        "now": revision.now,
        "location": f"{display_path(where.path)}:{where.line}" if where is not None else None,
        "acknowledged": revision.acknowledged,
    }
