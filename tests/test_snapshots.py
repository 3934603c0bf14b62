"""Snapshots of the appendix HTML, kept as .html files under tests/__snapshots__/ and reviewed by
eye in a browser: a change to the markup shows up here as a diff to look at."""

from __future__ import annotations

from pathlib import Path

from scorecard_testing import PROJECTS
from syrupy.assertion import SnapshotAssertion

from ncc_scorecard.build import compute, load_project
from ncc_scorecard.calculator import history
from ncc_scorecard.periods import parse_as_at
from ncc_scorecard.render.chart import trend_chart
from ncc_scorecard.render.environment import make_environment
from ncc_scorecard.render.html import render_appendix
from ncc_scorecard.render.site import chart_points
from ncc_scorecard.render.view import appendix_view

ROOT = Path(__file__).resolve().parents[1]


def appendix(project: Path, as_at: str) -> str:
    checked = load_project(project)
    (report,) = compute(checked, parse_as_at(as_at))[:1]
    return render_appendix(make_environment(checked.templates_dir), appendix_view(report))


def test_the_example_appendix(html_snapshot: SnapshotAssertion) -> None:
    assert appendix(ROOT, "2017-12-31") == html_snapshot


def test_an_appendix_with_spc_columns(html_snapshot: SnapshotAssertion) -> None:
    assert appendix(PROJECTS / "spc", "2017-12-31") == html_snapshot


def test_an_appendix_with_sections(html_snapshot: SnapshotAssertion) -> None:
    checked = load_project(PROJECTS / "minimal")
    (report,) = compute(checked, parse_as_at("2017-12-31"), ["by-service"])
    assert render_appendix(make_environment(checked.templates_dir), appendix_view(report)) == html_snapshot


def test_a_trend_chart_with_spc_limits(svg_snapshot: SnapshotAssertion) -> None:
    checked = load_project(PROJECTS / "spc")
    (report,) = compute(checked, parse_as_at("2017-12-31"))
    result = report.rows[0]
    points = history(result.measure, checked.by_measure[result.measure.id], report.as_at)
    assert str(trend_chart(chart_points(result, points), "Waiting days", result.measure.label)) == svg_snapshot
