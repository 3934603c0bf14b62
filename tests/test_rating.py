"""Rating rules beyond a fixed amber band (``rating:``; tests/projects/rating-rules): Blue for
exceeding the target, amber for an improvement, floor standards, and a report's own words."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import assert_invalid, build, build_json, copy_project, invoke, measure, write_project

from ncc_scorecard.build import compute, load_project
from ncc_scorecard.calculator import history, judge, rag
from ncc_scorecard.catalogue import NO_RULES, Measure, RatingRules
from ncc_scorecard.model import Rag
from ncc_scorecard.periods import parse_as_at
from ncc_scorecard.render.chart import ChartPoint, trend_chart
from ncc_scorecard.render.key import key_view
from ncc_scorecard.render.site import filters
from ncc_scorecard.render.words import RAG_WORDS, in_sentence

ROOT = Path(__file__).resolve().parents[1]
AS_AT = "2017-12-31"


def make_measure(**fields: Any) -> Measure:
    base: dict[str, Any] = {"id": "m", "title": "M", "unit": "number", "polarity": "higher", "frequency": "monthly"}
    return Measure.model_validate(base | fields)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project("rating-rules", tmp_path)


# --- the rules, worked by hand ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        # target 50, margin 2.5 (5% of 50): Blue only when beaten by strictly more
        ("52.5", "higher", Rag.GREEN),
        ("52.6", "higher", Rag.BLUE),
        ("50", "higher", Rag.GREEN),
        ("49.9", "higher", Rag.RED),
        # lower is better: below the target by more than the margin
        ("47.5", "lower", Rag.GREEN),
        ("47.4", "lower", Rag.BLUE),
        ("52.6", "lower", Rag.RED),
    ],
)
def test_blue_beats_the_target_by_more_than_the_margin(value: str, polarity: str, expected: Rag) -> None:
    assert rag(Decimal(value), Decimal(50), polarity, Decimal(0), exceeding=Decimal("2.5")) == expected


def test_blue_is_judged_on_rounded_figures() -> None:
    # target 20,000, "5%" → 1,000; decimals 0: 21,000.4 is shown 21,000 (beats by exactly 1,000: green),
    # 21,000.5 is shown 21,001 (beats by 1,001: blue)
    measure = make_measure(targets=20000)
    rules = RatingRules(exceeding="5%")
    assert judge(measure, 21000.4, 20000, rules) == Rag.GREEN
    assert judge(measure, 21000.5, 20000, rules) == Rag.BLUE
    # an absolute margin of 2 with a target of 10.04 shown as 10.0 (decimals 1): 12.05 → 12.1 beats it by 2.1
    tenths = make_measure(targets=10.04, decimals=1)
    assert judge(tenths, 12.05, 10.04, RatingRules(exceeding=2)) == Rag.BLUE
    assert judge(tenths, 12.04, 10.04, RatingRules(exceeding=2)) == Rag.GREEN
    assert judge(measure, 21000.5, 20000) == Rag.GREEN  # no Blue without the rule


@pytest.mark.parametrize(
    ("value", "comparator", "expected"),
    [
        (96.5, 96.0, Rag.AMBER),  # missed 97, better than 96.0
        (96.5, 96.5, Rag.RED),  # the same is not better
        (96.5, 96.8, Rag.RED),  # worse
        (96.5, None, Rag.RED),  # nothing to compare with
        (96.54, 96.46, Rag.RED),  # both shown as 96.5: the same
        (97.0, 98.0, Rag.GREEN),  # on target, whatever the comparator
    ],
)
def test_amber_improved_is_a_miss_better_than_its_comparator(
    value: float, comparator: float | None, expected: Rag
) -> None:
    measure = make_measure(unit="percentage", decimals=1, targets=97)
    assert judge(measure, value, 97, RatingRules(amber="improved"), comparator=comparator) == expected
    assert judge(measure, 96.5, 97, NO_RULES, comparator=96.0) == Rag.RED  # only with the rule


def test_amber_improved_keeps_the_tolerance() -> None:
    # target 90, tolerance 2% (1.8): 88.5 misses by 1.5, amber although worse than 89.0;
    # 88.1 misses by 1.9 and is worse: red; 88.1 after 87.0 is better: amber
    measure = make_measure(unit="percentage", decimals=1, targets=90, tolerance="2%")
    improved = RatingRules(amber="improved")
    assert judge(measure, 88.5, 90, improved, comparator=89.0) == Rag.AMBER
    assert judge(measure, 88.1, 90, improved, comparator=89.0) == Rag.RED
    assert judge(measure, 88.1, 90, improved, comparator=87.0) == Rag.AMBER


def test_lower_is_better_improvement() -> None:
    # target 20 days, lower is better: 24 after 26 is better (amber), 26 after 24 worse (red)
    measure = make_measure(unit="days", polarity="lower", targets=20)
    improved = RatingRules(amber="improved")
    assert judge(measure, 24, 20, improved, comparator=26) == Rag.AMBER
    assert judge(measure, 26, 20, improved, comparator=24) == Rag.RED


@pytest.mark.parametrize(
    ("polarity", "target", "floor", "value", "expected"),
    [
        ("higher", 63, 58, 61, Rag.AMBER),  # floor met, target missed
        ("higher", 63, 58, 58, Rag.AMBER),  # exactly on the floor
        ("higher", 63, 58, 57, Rag.RED),  # below the floor
        ("higher", 63, 58, 57.5, Rag.AMBER),  # shown as 58
        ("higher", 63, 58, 63, Rag.GREEN),
        ("lower", 10, 14, 12, Rag.AMBER),
        ("lower", 10, 14, 14, Rag.AMBER),
        ("lower", 10, 14, 15, Rag.RED),
        ("lower", 10, 14, 9, Rag.GREEN),
        ("higher", 63, None, 62, Rag.RED),  # a year without a floor has no amber
    ],
)
def test_a_floor_sets_amber(polarity: str, target: int, floor: int | None, value: float, expected: Rag) -> None:
    measure = make_measure(polarity=polarity, targets=target, rating={"floor": floor or target})
    assert judge(measure, value, target, RatingRules(amber="floor"), floor=floor) == expected


def test_blue_ranks_above_green() -> None:
    assert [rag.rank for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)] == [0, 1, 2, 3]


# --- where the rules come from -------------------------------------------------------------


RESOLUTION = """\
organisation: Testshire County Council
defaults:
  rating: {exceeding: 10%, amber: improved, names: {green: On target, blue: Exceeding}}
reports:
  - id: overview
    title: Overview
    rating: {exceeding: 5%, names: {green: Met}}
    measures: [plain, own, floored, info]
  - id: other
    title: Other
    measures: [plain]
measures:
  - id: plain
    title: Plain
    unit: number
    polarity: higher
    frequency: monthly
    targets: 10
  - id: own
    title: Own
    unit: number
    polarity: higher
    frequency: monthly
    targets: 10
    rating: {amber: tolerance}
  - id: floored
    title: Floored
    unit: number
    polarity: higher
    frequency: monthly
    targets: 10
    rating: {floor: 8}
  - id: info
    title: Information
    unit: number
    polarity: none
    frequency: monthly
"""


def test_each_key_comes_from_the_measure_else_the_report_else_defaults(tmp_path: Path) -> None:
    catalogue = load_project(write_project(tmp_path / "p", RESOLUTION, {"r.csv": "measure,period,value\n"})).catalogue
    overview, other = catalogue.reports
    plain, own, floored, info = catalogue.measures
    assert catalogue.rating_for(plain, overview) == RatingRules("5%", "improved")  # report, defaults
    assert catalogue.rating_for(plain, other) == RatingRules("10%", "improved")  # defaults only
    assert catalogue.rating_for(own, overview) == RatingRules("5%", "tolerance")  # its own amber
    assert catalogue.rating_for(floored, overview) == RatingRules("5%", "floor")  # a floor decides amber
    assert catalogue.rating_for(info, overview) == NO_RULES  # a data-only measure is not rated
    assert catalogue.rating_for(plain) == RatingRules("5%", "improved")  # without a report: its first
    names = catalogue.names_for(overview)
    assert (names.green, names.amber, names.red, names.blue) == ("Met", None, None, "Exceeding")  # word by word
    assert catalogue.names_for(other).green == "On target"


# --- what is refused ---------------------------------------------------------------------------

CATALOGUE = """\
organisation: Testshire County Council
reports:
  - id: overview
    title: Overview
    measures: [timely-assessments, waiting-days]
measures:
  - id: timely-assessments
    title: Assessments completed within 45 days
    unit: percentage
    polarity: higher
    frequency: monthly
    targets: {2017/18: 90}
  - id: waiting-days
    title: Days waiting
    unit: days
    polarity: lower
    frequency: quarterly
    targets: 100
"""
FIRST = "    targets: {2017/18: 90}\n"  # line 12: what follows it is line 13
SECOND = "    targets: 100\n"  # line 18: what follows it is line 19
REPORT = "    measures: [timely-assessments, waiting-days]\n"  # line 5: what follows it is line 6

INVALID = {
    "exceeding text": (FIRST, "    rating: {exceeding: five}\n", 13, ["measures[0].rating.exceeding", "like '5%'"]),
    "negative exceeding": (FIRST, "    rating: {exceeding: -1}\n", 13, ["rating.exceeding", "must not be negative"]),
    "amber rule": (FIRST, "    rating: {amber: better}\n", 13, ["measures[0].rating.amber", "'improved'"]),
    "misspelt key": (FIRST, "    rating: {exceding: 5%}\n", 13, ["unknown key 'exceding'; did you mean 'exceeding'?"]),
    "floor text": (FIRST, "    rating: {floor: high}\n", 13, ["floor must be a number or financial years"]),
    "floor year": (FIRST, "    rating: {floor: {next year: 80}}\n", 13, ["measures[0].rating.floor", "floor year"]),
    "floor and amber": (FIRST, "    rating: {floor: 85, amber: improved}\n", 13, ["leave out amber: improved"]),
    "floor and tolerance": (
        FIRST,
        "    tolerance: 2\n    rating: {floor: 85}\n",
        14,
        ["measures[0].rating", "takes no tolerance (tolerance: 2)"],
    ),
    "floor above the target": (
        FIRST,
        "    rating: {floor: 95}\n",
        13,
        ["the floor for 2017/18 (95) is above the target (90)", "at or below the target where higher is better"],
    ),
    "floor below a lower target": (
        SECOND,
        "    rating: {floor: {2017/18: 90}}\n",
        19,
        ["measures[1].rating", "the floor for 2017/18 (90) is below the target (100)", "where lower is better"],
    ),
    "names on a measure": (
        FIRST,
        "    rating: {names: {green: Fine}}\n",
        13,
        ["names are the words of a whole report"],
    ),
    "floor on a report": (REPORT, "    rating: {floor: 60}\n", 6, ["reports[0].rating", "a measure's own standard"]),
    "blank name": (REPORT, "    rating: {names: {green: ' '}}\n", 6, ["reports[0].rating.names.green", "not be blank"]),
    "same names": (
        REPORT,
        "    rating: {names: {green: Fine, red: fine}}\n",
        6,
        ["reports[0].rating.names", "green and red are both named 'fine'"],
    ),
}


@pytest.mark.parametrize(("after", "text", "line", "texts"), INVALID.values(), ids=INVALID.keys())
def test_rating_mistakes_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: str, text: str, line: int, texts: list[str]
) -> None:
    project = write_project(tmp_path / "p", CATALOGUE.replace(after, after + text))
    assert_invalid(project, {f"measures.yaml:{line}": texts}, monkeypatch)


@pytest.mark.parametrize(
    ("old", "new", "line", "texts"),
    [
        (SECOND, "    rating: {floor: 90}\n", 18, ["measures[1].rating", "a floor needs targets"]),
        (
            "    polarity: lower\n    frequency: quarterly\n    targets: 100\n",
            "    polarity: none\n    frequency: quarterly\n    rating: {exceeding: 5%}\n",
            18,
            ["measures[1].rating", "a data-only measure (polarity: none) has no targets, so no rating"],
        ),
        (
            REPORT,
            REPORT + "    rating: {names: {green: Good}}\ndefaults:\n  rating: {names: {amber: good}}\n",
            6,
            ["reports[0].rating.names", "green and amber are both named 'good'", "with those of defaults"],
        ),
    ],
    ids=["floor without targets", "data-only measure", "a report's name and a default one"],
)
def test_more_rating_mistakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, line: int, texts: list[str]
) -> None:
    project = write_project(tmp_path / "p", CATALOGUE.replace(old, new))
    assert_invalid(project, {f"measures.yaml:{line}": texts}, monkeypatch)


def test_a_floor_under_defaults_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", CATALOGUE + "defaults:\n  rating: {floor: 5}\n")
    assert_invalid(project, {"measures.yaml:20": ["defaults.rating", "a measure's own standard"]}, monkeypatch)


def test_a_year_with_a_target_and_no_floor_is_a_warning(tmp_path: Path) -> None:
    text = CATALOGUE.replace(FIRST, "    targets: {2016/17: 88, 2017/18: 90}\n    rating: {floor: {2016/17: 80}}\n")
    project = write_project(tmp_path / "p", text)
    result = invoke("validate", "--project", str(project), "--as-at", AS_AT)
    assert result.exit_code == 0, result.output
    assert (
        "measures.yaml:13: warning: measures[0].rating.floor: no floor for 2017/18 (floors are set for 2016/17 "
        "only): a result that misses the target is red"
    ) in result.output


# --- the sample project in every output ----------------------------------------------------------


def test_the_json_has_blue_and_floors(project: Path) -> None:
    exceeding = build_json(project, "exceeding")
    assert exceeding["summary"]["blue"] == 2
    rags = {m["id"]: m["rag"] for m in exceeding["measures"]}
    assert rags == {
        "recycling-rate": "blue",
        "library-visits": "green",
        "missed-bins": "blue",
        "fly-tipping-days": "amber",
    }
    assert "floor" not in measure(exceeding, "recycling-rate")
    assert [(c["id"], c["from"], c["to"], c["direction"]) for c in exceeding["changes"]][:2] == [
        ("recycling-rate", "green", "blue", "better"),
        ("missed-bins", "green", "blue", "better"),
    ]
    improved = json.loads((project / "out" / "improved.json").read_text(encoding="utf-8"))
    assert "blue" not in improved["summary"]  # no Blue rule: no Blue count
    assert {m["id"]: m["rag"] for m in improved["measures"]} == {
        "rent-collected": "amber",  # 96.5 after 96.0
        "void-days": "red",  # 26 after 24
        "repairs-on-time": "amber",  # within the tolerance
        "complaints-answered": "red",  # better, but the measure keeps the tolerance rule
    }
    floor = json.loads((project / "out" / "floor.json").read_text(encoding="utf-8"))
    ks2 = measure(floor, "ks2-attainment")
    assert (ks2["rag"], ks2["target"], ks2["floor"], ks2["floor_display"], ks2["period"]) == (
        "amber",
        63,
        58,
        "58",
        "2016-04",
    )
    assert [measure(floor, m)["rag"] for m in ("ehcp-20-weeks", "delayed-transfers")] == ["red", "amber"]
    corporate = json.loads((project / "out" / "corporate.json").read_text(encoding="utf-8"))
    assert measure(corporate, "recycling-rate")["rag"] == "blue"  # names change no JSON value
    assert "floor" not in measure(corporate, "recycling-rate") and "floor" in measure(corporate, "ks2-attainment")


def test_the_csv_has_floor_columns_only_when_used(project: Path) -> None:
    assert build(project, formats="csv").exit_code == 0

    def rows(report: str) -> list[dict[str, str]]:
        text = (project / "out" / f"{report}.csv").read_text(encoding="utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    floor = {row["id"]: row for row in rows("floor")}
    assert (floor["ks2-attainment"]["floor"], floor["ks2-attainment"]["floor_display"]) == ("58", "58")
    exceeding = rows("exceeding")
    assert "floor" not in exceeding[0] and exceeding[0]["rag"] == "blue"


def test_the_appendix_shows_blue_with_its_symbol_colour_and_key(project: Path) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "exceeding.html").read_text(encoding="utf-8")
    assert "4 measures: 2 blue, 1 green, 1 amber, 0 red, 0 without target; 0 overdue" in html
    assert (
        '<td class="badge rag-blue" title="Performance against target: blue" data-label="Performance">'
        '<span class="symbol" '
        'aria-hidden="true">★</span> Blue</td>'
    ) in html
    assert ".rag-blue { background: #1d70b8 !important; color: #ffffff; }" in html
    key = html[html.index('<section class="key"') :]
    assert "★</span> Blue</span> beats the target by more than 5% of it" in key
    assert "Green</span> meets or beats the target, but not by more than the margin for Blue" in key
    assert "Green → Blue (better): 52.0 in Nov 2017 → 53.0 in Dec 2017" in html
    improved = (project / "out" / "improved.html").read_text(encoding="utf-8")
    assert "rag-blue" not in improved and "0 green, 2 amber, 2 red" in improved  # no Blue rule: no Blue
    assert "is better than the figure compared with (measures 1–3)" in improved


def test_the_appendix_shows_the_floor_under_the_target(project: Path) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "floor.html").read_text(encoding="utf-8")
    assert '<td class="fig" data-label="Current Target">63<br>floor 58</td>' in html
    key = html[html.index('<section class="key"') :]
    assert "Amber</span> misses the target, but meets the floor standard</li>" in key
    assert "Red</span> misses the floor standard</li>" in key


def test_a_report_prints_its_own_words(project: Path) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "corporate.html").read_text(encoding="utf-8")
    summary = "6 measures: 1 exceeding, 1 on target, 2 close to target, 2 off target, 0 without target; 0 overdue"
    assert summary in html
    assert '<span class="symbol" aria-hidden="true">★</span> Exceeding</td>' in html
    assert '<span class="symbol" aria-hidden="true">◆</span> Close to target</td>' in html
    assert 'title="Performance against target: close to target"' in html
    assert "On target → Exceeding (better)" in html and "Close to target → Off target (worse)" in html
    assert ">Green<" not in html and ">Red<" not in html
    key = html[html.index('<section class="key"') :]
    assert "meets or beats the target, but not by more than the margin for Exceeding" in key
    # the rules differ by measure: amber and red say which is whose
    assert "compared with (measures 1–4); misses the target, but meets the floor standard (measures 5, 6)" in key


def test_the_key_lists_blue_first_only_where_a_measure_can_be_blue(project: Path) -> None:
    checked = load_project(project)
    exceeding, improved = compute(checked, parse_as_at(AS_AT), ["exceeding", "improved"])
    words = [entry.word for entry in key_view(exceeding).groups[0].entries]
    assert words == ["Blue", "Green", "Amber", "Red", "No target", "No result"]
    assert [entry.word for entry in key_view(improved).groups[0].entries][0] == "Green"


def test_the_changes_command_speaks_the_report_words(project: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ ncc-scorecard changes corporate --as-at 2017-12-31\n"
    block = readme[readme.index(command) + len(command) :]
    printed = invoke("changes", "corporate", "--project", str(project), "--as-at", AS_AT)
    assert printed.exit_code == 0, printed.output
    assert block[: block.index("```")] == printed.output


def test_the_readme_example_is_the_sample_report() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = (ROOT / "tests" / "projects" / "rating-rules" / "measures.yaml").read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "id: corporate" in block)
    assert example.removeprefix("reports:\n") in sample


def test_the_portal_shows_blue_and_the_words(project: Path, tmp_path: Path) -> None:
    result = invoke("site", "--project", str(project), "--as-at", AS_AT, "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    site = tmp_path / "o" / "site" / "latest"
    corporate = (site / "corporate.html").read_text(encoding="utf-8")
    assert '<option value="blue">Exceeding</option><option value="green">On target</option>' in corporate
    assert 'data-rag="blue"' in corporate and ".seg-blue, .rag-blue { background: #1d70b8" in corporate
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<span class="seg seg-blue" style="width: 50.0%">2</span>' in index
    home = (tmp_path / "o" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<td>1 exceeding, 1 on target, 2 close to target, 2 off target</td>" in home
    housing = (site / "improved.html").read_text(encoding="utf-8")
    assert '<option value="blue">' not in housing
    page = (site / "measures" / "recycling-rate.html").read_text(encoding="utf-8")
    assert "<dt>Exceeding target</dt><dd>Blue when a result is more than 5% of the target above it</dd>" in page
    assert "Dec 2017: 53.0 (blue)" in page and ">Blue</text>" in page
    assert page.count('fill="#1d70b8"') >= 3  # Jul and Dec 2017, and the legend
    ks2 = (site / "measures" / "ks2-attainment.html").read_text(encoding="utf-8")
    assert "<dt>Floor standard</dt><dd>2016/17: 58; 2017/18: 60</dd>" in ks2
    assert "<dd>None: amber when a result misses the target but meets the floor standard</dd>" in ks2
    rent = (site / "measures" / "rent-collected.html").read_text(encoding="utf-8")
    assert "amber when a result misses the target but is better than the figure compared with" in rent


def test_history_is_judged_by_each_period_s_own_comparator(project: Path) -> None:
    checked = load_project(project)
    rent = checked.catalogue.measure("rent-collected")
    points = history(rent, checked.by_measure["rent-collected"], parse_as_at(AS_AT), RatingRules(amber="improved"))
    # 95.2, 95.8 ↑, 96.4 ↑, 97.1 (met), 96.8 ↓, 95.9 ↓, 96.3 ↑, 96.0 ↓, 96.5 ↑
    assert [point.rag for point in points] == [
        Rag.RED,  # nothing before April in the file
        Rag.AMBER,
        Rag.AMBER,
        Rag.GREEN,
        Rag.RED,
        Rag.RED,
        Rag.AMBER,
        Rag.RED,
        Rag.AMBER,
    ]
    assert {point.rag for point in history(rent, checked.by_measure["rent-collected"], parse_as_at(AS_AT))} == {
        Rag.RED,
        Rag.GREEN,
    }


def test_the_chart_draws_blue_as_a_star_and_wraps_a_long_legend() -> None:
    words = dict(RAG_WORDS) | {Rag.GREEN: "On target", Rag.AMBER: "Close to target", Rag.RED: "Off target"}
    points = [
        ChartPoint("Apr 2017", 10, 12, Rag.RED, 11, 14, 8, True),
        ChartPoint("May 2017", 13, 12, Rag.BLUE, 11, 14, 8),
        ChartPoint("Jun 2017", 12, None, None, 11, 14, 8),
    ]
    svg = str(trend_chart(points, "t", words=words, blue=True))
    assert 'height="286"' in svg  # one more line for the legend
    assert svg.count('<polygon points="') >= 3 and 'fill="#1d70b8"' in svg
    assert "May 2017: 13 (blue)" in svg and "Apr 2017: 10 (off target)" in svg
    plain = str(trend_chart(points[:1], "t"))
    assert 'height="270"' in plain and "Blue" not in plain


def test_filters_and_words() -> None:
    performance = filters(blue=True)[0]
    assert [key for key, _ in performance.options] == ["blue", "green", "amber", "red", "none"]
    assert [key for key, _ in filters()[0].options] == ["green", "amber", "red", "none"]
    assert (in_sentence("On target"), in_sentence("Green"), in_sentence("OK for now")) == (
        "on target",
        "green",
        "OK for now",
    )


def test_the_pdf_prints_blue_the_words_and_the_floor(project: Path, no_weasyprint_warnings: None) -> None:
    result = build(project, "--jobs", "1", "corporate", formats="pdf")
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(project / "out" / "corporate.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = " ".join(text.split())
    for expected in ("★ Exceeding", "◆ Close to", "■ Off target", "floor 58", "Exceeding beats the target by more"):
        assert expected in flat, expected


def test_the_key_says_which_measures_can_be_blue(tmp_path: Path) -> None:
    text = CATALOGUE.replace(FIRST, FIRST + "    rating: {exceeding: 5%}\n").replace(
        SECOND, SECOND + "    rating: {exceeding: 10}\n"
    )
    checked = load_project(write_project(tmp_path / "p", text.replace("    rating: {exceeding: 10}\n", "")))
    (report,) = compute(checked, parse_as_at(AS_AT))
    meanings = {entry.word: entry.meaning for entry in key_view(report).groups[0].entries}
    assert meanings["Blue"] == "beats the target by more than 5% of it (measure 1)"
    assert meanings["Green"] == (
        "meets or beats the target, but not by more than the margin for Blue (measure 1); "
        "meets or beats the target (measure 2)"
    )
    assert report.summary.blue == 0
    checked = load_project(write_project(tmp_path / "q", text))
    (report,) = compute(checked, parse_as_at(AS_AT))
    meanings = {entry.word: entry.meaning for entry in key_view(report).groups[0].entries}
    assert meanings["Blue"] == (
        "beats the target by more than 5% of it (measure 1); beats the target by more than 10 (measure 2)"
    )
    assert meanings["Green"] == "meets or beats the target, but not by more than the margin for Blue"
