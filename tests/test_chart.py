"""The measure trend chart: hand-written SVG with a text equivalent."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from syrupy.assertion import SnapshotAssertion

from ncc_scorecard.render.chart import ChartPoint, describe, nice_ticks, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


POINTS = [
    ChartPoint("Apr 2017", 22.4, 22, "red"),
    ChartPoint("May 2017", 21.9, 22, "green"),
    ChartPoint("Jun 2017", 22.5, 22, "amber"),
    ChartPoint("Jul 2017", 23.0, None, None),
]


def test_every_point_has_the_shape_of_its_rag() -> None:
    svg = parse(trend_chart(POINTS, "Caseload trend"))
    plotted = [el for el in svg if el.tag in (SVG + "circle", SVG + "rect", SVG + "polygon")]
    # one marker per point, then the legend's three markers
    shapes = [el.tag.removeprefix(SVG) for el in plotted[:4]]
    assert shapes == ["rect", "circle", "polygon", "circle"]
    assert plotted[1].get("fill") == "#00703c" and plotted[3].get("fill") == "#ffffff"  # no RAG: hollow


def test_title_and_description_state_the_values() -> None:
    svg = parse(trend_chart(POINTS, "Caseload trend <2017>"))
    assert svg.get("role") == "img"
    assert svg.find(SVG + "title").text == "Caseload trend <2017>"
    assert svg.find(SVG + "desc").text == describe(POINTS)
    assert "Apr 2017: 22.4 (red)" in describe(POINTS) and "Jul 2017: 23." in describe(POINTS)


def test_target_line_steps_only_where_a_target_exists() -> None:
    svg = parse(trend_chart(POINTS, "t"))
    target = next(el for el in svg if el.get("class") == "target")
    assert target.get("d").count("M") == 3


def test_axis_labels_every_period_when_there_is_room() -> None:
    svg = parse(trend_chart(POINTS, "t"))
    texts = [el.text for el in svg if el.tag == SVG + "text"]
    assert all(label in texts for label in ("Apr 2017", "May 2017", "Jun 2017", "Jul 2017"))


def test_long_histories_thin_the_axis_labels_but_keep_the_last() -> None:
    points = [ChartPoint(f"P{i}", float(i), None, None) for i in range(60)]
    texts = [el.text for el in parse(trend_chart(points, "t")) if el.tag == SVG + "text"]
    labels = [t for t in texts if t and t.startswith("P")]
    assert 5 <= len(labels) < 60 and labels[-1] == "P59"


def test_spc_draws_mean_limits_and_rings_special_causes() -> None:
    points = [ChartPoint(f"M{i}", v, None, None, 10.0, 14.0, 6.0, v > 14) for i, v in enumerate([9, 11, 10, 16, 10])]
    svg = parse(trend_chart(points, "t"))
    classes = [el.get("class") for el in svg]
    assert "mean" in classes and classes.count("process-limit") == 2
    assert classes.count("special-cause") == 1
    assert "Process limits" in [el.text for el in svg if el.tag == SVG + "text"]


def test_hostile_labels_are_escaped() -> None:
    markup = str(trend_chart([ChartPoint("<script>", 1.0)], "<img src=x>"))
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "<img" not in markup


@pytest.mark.parametrize(("low", "high"), [(0, 1), (22, 24.3), (527, 1588), (-5, 5), (3, 3)])
def test_nice_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high and 2 <= len(ticks) <= 8
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert round(step / 10 ** math.floor(math.log10(step)), 6) in {1, 2, 2.5, 5}


def test_no_points_no_chart() -> None:
    assert trend_chart([], "t") == ""


def test_unit_labels_the_value_axis() -> None:
    texts = [el.text for el in parse(trend_chart(POINTS, "t", "Rate per 10,000")) if el.tag == SVG + "text"]
    assert "Rate per 10,000" in texts


def test_legend_shows_no_target_only_when_a_point_has_none() -> None:
    def legend(points: list[ChartPoint]) -> list[str | None]:
        return [el.text for el in parse(trend_chart(points, "t")) if el.tag == SVG + "text"]

    assert "No target" in legend(POINTS)
    assert "No target" not in legend(POINTS[:3]) and "Target" in legend(POINTS[:3])
    assert "Target" not in legend([ChartPoint("Apr 2017", 1.0), ChartPoint("May 2017", 2.0)])


def test_long_period_names_get_room_on_the_axis() -> None:
    points = [ChartPoint(f"Oct–Dec {2000 + i}", float(i), None, None) for i in range(12)]
    texts = [el for el in parse(trend_chart(points, "t")) if el.tag == SVG + "text" and "Oct–Dec" in (el.text or "")]
    xs = [float(el.get("x")) for el in texts]
    assert texts[-1].text == "Oct–Dec 2011" and min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 6.5 * 12


def test_chart_is_stable(svg_snapshot: SnapshotAssertion) -> None:
    """A snapshot (tests/__snapshots__/test_chart/): a change to the chart's markup shows up as a diff."""
    assert str(trend_chart(POINTS, "Caseload trend", "Number")) == svg_snapshot
