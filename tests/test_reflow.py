"""The HTML reads on a narrow screen: every cell of the scorecard, the changes and a measure's
history names its column (``data-label``, shown when the cells stack), scrollable regions take
keyboard focus with a name, the page's h1 comes before the report-date picker, only the current
date is marked current, and the SPC chart says its mean and limits in words in a colour that
stands out against white. The layout itself is checked in Chromium (test_site_browser.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ncc_scorecard.cli import main
from ncc_scorecard.render.chart import ChartPoint, describe, spc_levels
from ncc_scorecard.render.palette import COLOURS

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "tests" / "projects"


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


class Tables(HTMLParser):
    """Each table's column headers and, for each body row, its cells as (tag, data-label)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list]] = []
        self.part = ""
        self.header: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"class": [dict(attrs).get("class") or ""], "headers": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr" and self.part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag == "th" and self.part == "thead":
            self.header = ""
        elif tag in ("td", "th") and self.part == "tbody":
            self.tables[-1]["rows"][-1].append((tag, dict(attrs).get("data-label"), dict(attrs).get("colspan")))

    def handle_data(self, data: str) -> None:
        if self.header is not None:
            self.header += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self.header is not None:
            self.tables[-1]["headers"].append(self.header)
            self.header = None


def tables(html: str) -> list[dict[str, list]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def assert_labelled_by_column(table: dict[str, list]) -> int:
    """Every cell of a full row carries its column's header; a row header, a section row and a
    comments row (one cell across the table) need none. Returns the number of full rows."""
    full = 0
    for row in table["rows"]:
        if len(row) == 1 and row[0][2]:  # a section title or COMMENTS / ACTIONS across the table
            continue
        assert len(row) == len(table["headers"])
        for (tag, label, _), header in zip(row, table["headers"], strict=True):
            assert label == (None if tag == "th" else header)
        full += 1
    return full


@pytest.fixture(scope="module")
def appendices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("appendices")
    pages = {}
    for name in ("example", "spc", "benchmarks", "two-directions"):
        project = ROOT if name == "example" else PROJECTS / name
        run("build", "--project", str(project), "--as-at", "2017-12-31", "--format", "html", "--out", str(out / name))
        for file in sorted((out / name).glob("*.html")):
            pages[f"{name}/{file.stem}"] = file.read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal")
    run("site", "--project", str(ROOT), "--as-at", "2017-12-31", "--history", "2", "--out", str(out), "-q")
    return out / "site"


def test_every_scorecard_cell_names_its_column(appendices: dict[str, str]) -> None:
    for name, html in appendices.items():
        scorecard = tables(html)[0]
        assert scorecard["class"][0].startswith("scorecard"), name
        assert assert_labelled_by_column(scorecard) >= 3, name
    example = tables(appendices["example/childrens-safeguarding"])[0]
    assert example["rows"][0][3][1] == "2016/17 Performance"  # the header of the year, as printed above it
    spc = tables(appendices["spc/spc-report"])[0]
    assert [label for _, label, _ in spc["rows"][0][10:12]] == ["Variation", "Assurance"]
    benchmarks = tables(appendices["benchmarks/children"])[0]
    assert "Statistical neighbours" in [label for _, label, _ in benchmarks["rows"][0]]


def test_the_changes_and_the_history_name_their_columns(site: Path) -> None:
    report = (site / "latest" / "childrens-safeguarding.html").read_text(encoding="utf-8")
    changes = next(t for t in tables(report) if "changes" in t["class"][0])
    assert assert_labelled_by_column(changes) >= 1
    page = (site / "latest" / "measures" / "sw-caseload.html").read_text(encoding="utf-8")
    history = next(t for t in tables(page) if t["class"][0] == "history reflow")
    assert assert_labelled_by_column(history) == 9  # Apr–Dec 2017


def test_the_narrow_layout_is_for_screens_only(appendices: dict[str, str]) -> None:
    html = appendices["example/childrens-safeguarding"]
    # WeasyPrint reads media types only: every width query sits inside "@media screen"
    assert "@media screen { @media (max-width: 48em) {" in html
    assert not re.search(r"@media [^{]*\band\b", html)


def test_scrollable_regions_take_focus_and_are_named_by_their_caption(site: Path) -> None:
    pages = {
        "index.html": ["dates-heading"],
        "latest/childrens-safeguarding.html": ["scorecard-caption", "changes-caption"],
        "latest/measures/sw-caseload.html": ["history-caption"],
    }
    for page, names in pages.items():
        html = (site / page).read_text(encoding="utf-8")
        wraps = re.findall(r'<div class="table-wrap"[^>]*>', html)
        assert wraps == [f'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="{n}">' for n in names]
        for name in names:
            assert html.count(f'id="{name}"') == 1
    measure = (site / "latest" / "measures" / "sw-caseload.html").read_text(encoding="utf-8")
    assert '<figure class="chart" tabindex="0">' in measure  # the chart scrolls sideways on a narrow screen


def test_the_heading_comes_first_and_only_the_current_date_is_current(site: Path) -> None:
    for page in ("index.html", "2017-11-30/index.html", "latest/childrens-safeguarding.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert html.index("<main") < html.index("<h1>") < html.index('<nav class="date-picker"')
        assert html.count('aria-current="page"') == 1
    earlier = (site / "2017-11-30" / "measures" / "sw-caseload.html").read_text(encoding="utf-8")
    current = re.findall(r'<a href="([^"]+)" aria-current="page"><strong>([^<]+)</strong>', earlier)
    assert current == [("../../2017-11-30/measures/sw-caseload.html", "30.11.17")]
    assert earlier.count('aria-current="page"') == 1  # not also on the breadcrumb


LIMITS = [
    ChartPoint("Jan 2017", 9, mean=10, upl=16, lpl=4),
    ChartPoint("Feb 2017", 11, mean=10, upl=16, lpl=4),
    ChartPoint("Mar 2017", 20, mean=20, upl=25.5, lpl=14.5, special_cause=True),
    ChartPoint("Apr 2017", 21, mean=20, upl=25.5, lpl=14.5),
]


def test_the_chart_says_its_mean_and_limits() -> None:
    assert spc_levels(LIMITS[:2]) == "Process mean 10, process limits 4 to 16."
    assert spc_levels(LIMITS) == (
        "Process mean 10, process limits 4 to 16 (Jan 2017 to Feb 2017). "
        "Process mean 20, process limits 14.5 to 25.5 (Mar 2017 to Apr 2017)."
    )
    assert spc_levels([ChartPoint("Jan 2017", 1, mean=0.6, upl=1.2)]) == "Process mean 0.6, upper process limit 1.2."
    assert spc_levels([ChartPoint("Jan 2017", 9)]) == ""  # no SPC
    assert describe(LIMITS[:2]) == "Jan 2017: 9; Feb 2017: 11. Process mean 10, process limits 4 to 16."


def test_the_measure_page_says_the_limits_under_the_chart(tmp_path: Path) -> None:
    run("site", "--project", str(PROJECTS / "spc"), "--as-at", "2017-12-31", "--out", str(tmp_path), "-q")
    html = (tmp_path / "site" / "latest" / "measures" / "waiting-days.html").read_text(encoding="utf-8")
    caption = html.split("<figcaption>")[1].split("</figcaption>")[0]
    assert caption.endswith("gives every value. Process mean 18.2, process limits 12.6 to 23.8.")
    assert "(red). Process mean 18.2, process limits 12.6 to 23.8.</desc>" in html


def contrast(one: str, other: str) -> float:
    """WCAG 2.2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_special_cause_orange_stands_out_against_white_and_carries_text() -> None:
    assert contrast("#ed8b00", "#ffffff") == pytest.approx(2.53, abs=0.01)  # the NHS orange: too pale for a ring
    assert contrast(COLOURS.orange, COLOURS.background) == pytest.approx(3.31, abs=0.01)  # WCAG 1.4.11: 3:1
    assert contrast(COLOURS.orange, COLOURS.text) == pytest.approx(5.92, abs=0.01)  # the Concern badge's text
