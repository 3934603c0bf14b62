"""Several directions of travel (tests/projects/two-directions): ``direction`` as a list of comparators,
one Direction of Travel column each, ``directions`` in the JSON, more columns in the CSV."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from scorecard_testing import PROJECTS, assert_invalid, build, build_json, invoke, measure

from ncc_scorecard.build import compute, load_project
from ncc_scorecard.calculator import compute_measure
from ncc_scorecard.catalogue import Measure
from ncc_scorecard.model import Comparison
from ncc_scorecard.periods import FinancialYear, Period, fit_period, month_index, parse_as_at, parse_period
from ncc_scorecard.render.key import comparator_sentence
from ncc_scorecard.render.view import AppendixView, appendix_view
from ncc_scorecard.results import Result

NAME = "two-directions"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / NAME
    shutil.copytree(PROJECTS / NAME, target)
    return target


def view_of(report_id: str) -> AppendixView:
    reports = compute(load_project(PROJECTS / NAME), parse_as_at("2017-12-31"), [report_id])
    return appendix_view(reports[0])


# --- the catalogue -------------------------------------------------------------------------------


def make_measure(**fields: Any) -> Measure:
    base = {"id": "m", "title": "M", "unit": "percentage", "polarity": "higher", "frequency": "monthly"}
    return Measure.model_validate(base | fields)


def test_direction_takes_one_comparator_or_a_list() -> None:
    assert make_measure().comparators == ("previous_period",)
    assert make_measure(direction="previous_year").comparators == ("previous_year",)
    both = make_measure(direction=["same_period_last_year", "previous_period"])
    assert (both.comparators, both.comparator) == (
        ("same_period_last_year", "previous_period"),
        "same_period_last_year",
    )
    assert make_measure(direction=["previous_year"]).comparators == ("previous_year",)
    three = ["previous_period", "same_period_last_year", "previous_year"]
    assert make_measure(direction=three).comparators == tuple(three)
    # a catalogue written back out reads in the same
    assert Measure.model_validate(both.model_dump(by_alias=True)).comparators == both.comparators


def line_of(project: Path, text: str, after: str = "") -> int:
    """The line number of the first line that is ``text``, after the line that is ``after``."""
    lines = (project / "measures.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(after) if after else 0
    return lines.index(text, start) + 1


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("[]", "direction must name at least one of previous_period, same_period_last_year or previous_year"),
        ("[previous_period, previous_period]", "direction lists previous_period twice"),
        ("[previous_period, last_year]", "or a list of them (got 'last_year')"),
        ("sideways", "direction must be previous_period, same_period_last_year or previous_year"),
        ("[previous_period, 3]", "(got 3)"),
    ],
)
def test_a_wrong_list_is_an_error_at_its_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, written: str, message: str
) -> None:
    catalogue = project / "measures.yaml"
    line = line_of(project, "    direction: [previous_period, same_period_last_year]")
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace("direction: [previous_period, same_period_last_year]", f"direction: {written}", 1),
        encoding="utf-8",
    )
    assert_invalid(project, {f"measures.yaml:{line}": ["measures[0].direction", message]}, monkeypatch)


@pytest.mark.parametrize(
    ("measure_id", "message"),
    [
        (
            "tenant-satisfaction",  # annual
            "for an annual measure the period before, the same period last year and the previous year's outturn "
            "are all the year before: give one direction, not a list",
        ),
        (
            "staff-survey",  # biennial
            "a biennial measure is always compared with the result before, two years earlier, so it takes one "
            "direction, not a list",
        ),
    ],
)
def test_an_annual_or_biennial_measure_takes_one_comparator(
    project: Path, monkeypatch: pytest.MonkeyPatch, measure_id: str, message: str
) -> None:
    catalogue = project / "measures.yaml"
    text = catalogue.read_text(encoding="utf-8")
    entry = text.index(f"  - id: {measure_id}\n")
    head, tail = text[:entry], text[entry:].replace("    direction: previous_period\n", "", 1)
    tail = tail.replace("    targets:", "    direction: [previous_period, previous_year]\n    targets:", 1)
    catalogue.write_text(head + tail, encoding="utf-8")
    line = line_of(project, "    direction: [previous_period, previous_year]")
    index = [m.id for m in load_measures(PROJECTS / NAME)].index(measure_id)
    assert_invalid(project, {f"measures.yaml:{line}": [f"measures[{index}].direction", message]}, monkeypatch)


def load_measures(project: Path) -> list[Measure]:
    return list(load_project(project).catalogue.measures)


# --- the calculator, worked by hand ---------------------------------------------------------------


def row(measure: Measure, period: str, value: float) -> Result:
    fitted, outturn = fit_period(parse_period(period), measure.frequency)
    return Result(measure.id, fitted, outturn, value, None, None, "", "", "", "", Path("r.csv"), 2)


def month(year: int, number: int) -> Period:
    return Period(month_index(year, number), 1)


def test_each_comparator_is_judged_on_the_rounded_figures() -> None:
    measure = make_measure(direction=["previous_period", "same_period_last_year", "previous_year"])
    rows = [
        row(measure, "2016-12", 75),  # the same month a year before
        row(measure, "2017-03", 79.6),  # the last month of 2016/17: its outturn (latest), shown as 80
        row(measure, "2017-11", 82),  # the month before
        row(measure, "2017-12", 80.4),  # the current result, shown as 80
    ]
    computed = compute_measure(measure, rows, date(2017, 12, 31))
    # 80 against 82: worse; against 75: better; against the outturn 79.6, shown as 80: the same
    assert computed.comparisons == (
        Comparison("previous_period", month(2017, 11), 82, "82", "worse"),
        Comparison("same_period_last_year", month(2016, 12), 75, "75", "better"),
        Comparison("previous_year", FinancialYear(2016).period, 79.6, "80", "same"),
    )
    # the first is the measure's direction of travel, as with one comparator
    assert (computed.travel, computed.comparator_value, computed.comparator_period) == ("worse", 82, month(2017, 11))
    assert computed.more_comparisons == computed.comparisons[1:]


def test_one_comparator_has_no_more_comparisons() -> None:
    measure = make_measure(direction="same_period_last_year")
    computed = compute_measure(measure, [row(measure, "2016-12", 85), row(measure, "2017-12", 80)], date(2017, 12, 31))
    assert computed.more_comparisons == ()
    assert computed.comparisons == (Comparison("same_period_last_year", month(2016, 12), 85, "85", "worse"),)


def test_without_a_result_every_comparison_is_empty() -> None:
    measure = make_measure(direction=["previous_period", "same_period_last_year"])
    computed = compute_measure(measure, [], date(2017, 12, 31))
    assert computed.comparisons == (
        Comparison("previous_period", None, None, None, None),
        Comparison("same_period_last_year", None, None, None, None),
    )


def test_a_missing_comparator_figure_is_no_comparison_in_its_column_only() -> None:
    measure = make_measure(polarity="lower", direction=["previous_period", "same_period_last_year"])
    computed = compute_measure(measure, [row(measure, "2017-11", 30), row(measure, "2017-12", 24)], date(2017, 12, 31))
    assert [c.travel for c in computed.comparisons] == ["better", None]  # lower is better; no Dec 2016


# --- the appendix ---------------------------------------------------------------------------------


def test_the_columns_are_headed_by_what_they_compare_with_when_all_agree() -> None:
    view = view_of("housing")
    assert view.direction_headers == (
        "Direction of Travel: vs previous period",
        "Direction of Travel: vs same period last year",
    )
    assert view.columns == 13
    rent = view.rows[0]
    assert [(b.symbol, b.text, b.detail) for b in rent.directions if b] == [
        ("▼", "Worse", "vs\u00a0Nov\u00a02017: 96.9"),  # 96.4 after 96.9
        ("▲", "Better", "vs\u00a0Dec\u00a02016: 95.8"),  # 96.4 after 95.8 a year before
    ]
    assert rent.direction.detail == "— vs\u00a0Nov\u00a02017: 96.9"  # the first, as one column prints it
    register = next(r for r in view.rows if r.id == "housing-register")  # data-only
    assert [b.text for b in register.directions if b] == ["Decreased", "Increased"]
    survey = next(r for r in view.rows if r.id == "tenant-satisfaction")  # one comparator
    assert survey.directions[1] is None and survey.directions[0] is not None
    assert survey.directions[0].text == "Better"


def test_the_columns_are_headed_by_position_when_the_measures_differ() -> None:
    view = view_of("corporate")
    assert view.direction_headers == (
        "Direction of Travel: first comparison",
        "Direction of Travel: second comparison",
    )
    assert (view.spc, view.columns) == (True, 15)
    sickness = view.rows[0]  # [same_period_last_year, previous_period], lower is better
    assert [(b.text, b.detail) for b in sickness.directions if b] == [
        ("Better", "vs\u00a0Dec\u00a02016: 9.1"),
        ("Worse", "vs\u00a0Nov\u00a02017: 8.6"),
    ]


def test_three_comparators_give_three_columns_and_a_biennial_measure_compares_with_its_period_before() -> None:
    view = view_of("council-tax")
    assert view.direction_headers == (
        "Direction of Travel: vs previous period",  # the staff survey's period before is two years before
        "Direction of Travel: vs same period last year",
        "Direction of Travel: vs previous year's outturn",
    )
    assert view.columns == 16
    council_tax = view.rows[0]
    assert [(b.text, b.detail) for b in council_tax.directions if b] == [
        ("Worse", "vs\u00a0Nov\u00a02017: 96.6"),
        ("Better", "vs\u00a0Dec\u00a02016: 95.4"),
        ("Worse", "vs\u00a02016/17: 97.8"),  # the outturn of 2016/17: March's 97.8
    ]
    assert view.rows[1].directions[2] is None  # rent: two comparators


def test_the_table_has_a_column_per_comparator_and_says_not_used(project: Path) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "housing.html").read_text(encoding="utf-8")
    assert '<table class="scorecard directions-2">' in html
    assert html.count('<col class="c-travel">') == 2
    assert '<th scope="col">Direction of Travel: vs previous period</th>' in html
    assert '<th scope="col">Direction of Travel: vs same period last year</th>' in html
    assert (
        '<span class="symbol" aria-hidden="true">▲</span> Better <span class="detail">vs\u00a0Dec\u00a02016: 95.8'
        "</span></td>"
    ) in html
    survey = html[html.index('id="measure-tenant-satisfaction"') :]
    not_used = '<td class="rag-none" data-label="Direction of Travel: vs same period last year">Not used</td>'
    assert not_used in survey.split("</tbody>")[0]
    assert "table.directions-2 .c-travel" in html  # the column widths, only in such a report
    assert 'colspan="13"' in html


def test_one_comparator_everywhere_keeps_the_table_as_it_was(tmp_path: Path) -> None:
    project = tmp_path / "minimal"
    shutil.copytree(PROJECTS / "minimal", project)
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert '<table class="scorecard">' in html and '<th scope="col">Direction of Travel</th>' in html
    assert "directions-" not in html and "Not used" not in html


def test_the_key_says_what_each_column_compares_with() -> None:
    housing = next(g for g in view_of("housing").key.groups if g.heading == "Direction of travel")
    assert housing.notes == (
        "The figure compared with follows the word: “Worse vs\u00a0Nov\u00a02017: 96.9”.",
        "The first Direction of Travel column compares each result with the period before.",
        "The second Direction of Travel column compares each result with the same period a year before "
        "(measures 1–5). “Not used”: measure 6 has no second comparison.",
    )
    corporate = next(g for g in view_of("corporate").key.groups if g.heading == "Direction of travel")
    assert corporate.notes[1:] == (
        "The first Direction of Travel column compares each result with the same period a year before "
        "(measure 1), the period before (measures 2, 3) or the result two years before (measure 4).",
        "The second Direction of Travel column compares each result with the period before (measure 1) or "
        "the same period a year before (measures 2, 3). “Not used”: measure 4 has no second comparison.",
    )


def test_comparator_sentence_by_column() -> None:
    assert comparator_sentence(["previous_period"] * 3) == (
        "Direction of travel compares each result with the period before."
    )
    assert comparator_sentence(["same_period_last_year", None, None], 1) == (
        "The second Direction of Travel column compares each result with the same period a year before "
        "(measure 1). “Not used”: measures 2, 3 have no second comparison."
    )


def test_the_readme_example_is_the_sample_projects_and_reads_as_printed() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Two or three directions of travel") : readme.index("### Period labels")]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block is not None
    written = Measure.model_validate(yaml.safe_load(block.group(1))[0])
    sample = next(m for m in load_measures(PROJECTS / NAME) if m.id == written.id)
    for key in ("title", "unit", "polarity", "frequency", "decimals", "targets", "comparators"):
        assert getattr(written, key) == getattr(sample, key), key
    for badge in view_of("housing").rows[0].directions:
        assert badge is not None
        assert f"`{badge.symbol} {badge.text} {badge.detail}`".replace("\u00a0", " ") in section


# --- JSON and CSV --------------------------------------------------------------------------------


def test_the_json_lists_every_direction_only_for_a_measure_with_several(project: Path) -> None:
    document = build_json(project, report="corporate")
    sickness = measure(document, "sickness-days")
    assert (sickness["direction"], sickness["direction_basis"]) == ("better", "Dec 2016")  # the first
    assert sickness["directions"] == [
        {
            "comparator": "same_period_last_year",
            "direction": "better",
            "period": "2016-12",
            "period_label": "Dec 2016",
            "value": 9.1,
            "display": "9.1",
        },
        {
            "comparator": "previous_period",
            "direction": "worse",
            "period": "2017-11",
            "period_label": "Nov 2017",
            "value": 8.6,
            "display": "8.6",
        },
    ]
    calls = measure(document, "calls-answered")["directions"]  # weekly: the week before, the same week a year before
    assert [(d["period"], d["period_label"], d["display"], d["direction"]) for d in calls] == [
        ("2017-W51", "w/c 18 Dec 2017", "78", "worse"),
        ("2016-W52", "w/c 26 Dec 2016", "72", "better"),
    ]
    assert "directions" not in measure(document, "staff-survey")  # one comparator: as before


def test_the_json_of_three_directions_names_the_outturn_as_a_year(project: Path) -> None:
    directions = measure(build_json(project, report="council-tax"), "council-tax-collected")["directions"]
    assert [(d["comparator"], d["period"], d["period_label"], d["value"]) for d in directions] == [
        ("previous_period", "2017-11", "Nov 2017", 96.6),
        ("same_period_last_year", "2016-12", "Dec 2016", 95.4),
        ("previous_year", "2016-04", "2016/17", 97.8),  # a year is named by its first month, as ``period`` is
    ]


def csv_rows(project: Path, report: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    assert build(project, formats="csv").exit_code == 0
    text = (project / "out" / f"{report}.csv").read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = {r["id"]: r for r in reader}
    return list(reader.fieldnames or []), rows


def test_the_csv_gains_a_set_of_columns_per_further_direction(project: Path) -> None:
    columns, rows = csv_rows(project, "council-tax")
    extra = ("", "_comparator", "_basis", "_comparator_value", "_comparator_display")
    assert columns[-11:] == [
        "direction_comparator",
        *(f"direction_2{part}" for part in extra),
        *(f"direction_3{part}" for part in extra),
    ]
    council_tax = rows["council-tax-collected"]
    assert (council_tax["direction"], council_tax["direction_comparator"]) == ("worse", "previous_period")
    assert [council_tax[f"direction_3{part}"] for part in extra] == [
        "worse",
        "previous_year",
        "2016/17",
        "97.8",
        "97.8",
    ]
    assert rows["rent-collected"]["direction_3"] == "" and rows["rent-collected"]["direction_2"] == "better"
    assert rows["staff-survey"]["direction_comparator"] == "" and rows["staff-survey"]["direction"] == "better"


def test_the_csv_of_a_project_with_one_comparator_has_no_such_columns(tmp_path: Path) -> None:
    project = tmp_path / "minimal"
    shutil.copytree(PROJECTS / "minimal", project)
    columns, _ = csv_rows(project, "overview")
    assert not [column for column in columns if column.startswith("direction_2") or column == "direction_comparator"]
    assert columns[-1] == "overdue_period"


# --- the portal ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = invoke("site", "--project", str(PROJECTS / NAME), "--as-at", "2017-12-31", "--out", str(out), "-q")
    assert result.exit_code == 0, result.output
    return out / "site" / "latest"


def test_the_report_page_shows_both_columns_and_filters_by_the_first(site: Path) -> None:
    page = (site / "housing.html").read_text(encoding="utf-8")
    assert '<th scope="col">Direction of Travel: vs same period last year</th>' in page
    assert "<label>Direction of Travel: vs previous period\n" in page  # the filter: the first column
    rent = page[page.index('id="measure-rent-collected"') :]
    assert rent.startswith(
        'id="measure-rent-collected" data-rag="amber" data-status="up-to-date" data-direction="worse"'
    )
    assert "The second Direction of Travel column compares each result" in page


def test_the_measure_page_shows_each_direction(site: Path) -> None:
    page = (site / "measures" / "rent-collected.html").read_text(encoding="utf-8")
    assert (
        '<div><dt>Direction of travel vs previous period</dt><dd class="badge rag-red"><span aria-hidden="true">'
        "▼</span> Worse</dd><dd>worse than Nov 2017 (value down)</dd></div>"
    ) in page
    assert "<dt>Direction of travel vs same period last year</dt>" in page
    assert "<dd>better than Dec 2016 (value up)</dd>" in page
    assert (
        "<dt>Direction of travel compares with</dt><dd>The period before and the same period a year before</dd>" in page
    )
    single = (site / "measures" / "tenant-satisfaction.html").read_text(encoding="utf-8")
    assert "<div><dt>Direction of travel</dt>" in single
    assert "<dt>Direction of travel compares with</dt><dd>The period before</dd>" in single


# --- the PDF: every column fits ------------------------------------------------------------------


def overflowing_cells(html: str) -> Iterator[tuple[str, float]]:
    """Text (or a sparkline) that sticks out of its table cell's content box by more than half a point
    (into the padding, towards the next cell) in the laid-out PDF, with by how many points; visually
    hidden text is left out."""
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.fonts import FontConfiguration

    from ncc_scorecard.render.environment import default_templates_dir
    from ncc_scorecard.render.pdf import FONT_CSS, allowed_roots, make_url_fetcher

    fonts, fetcher = FontConfiguration(), make_url_fetcher(allowed_roots())
    base = default_templates_dir().resolve().as_uri() + "/"
    css = CSS(string=FONT_CSS, base_url=base, url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)

    def hidden(box: Any) -> bool:
        return box.element is not None and "visually-hidden" in (box.element.get("class") or "")

    def leaves(box: Any) -> Iterator[Any]:
        if hidden(box):
            return
        if isinstance(box, (boxes.TextBox, boxes.InlineReplacedBox)):
            yield box
        for child in getattr(box, "children", ()):
            yield from leaves(child)

    def walk(box: Any) -> Iterator[tuple[str, float]]:
        if hidden(box):
            return
        if isinstance(box, boxes.TableCellBox):
            right = box.content_box_x() + box.width
            for leaf in leaves(box):
                over = leaf.position_x + leaf.margin_width() - right
                if over > 0.5:
                    yield getattr(leaf, "text", "an image"), round(over, 1)
            return
        for child in getattr(box, "children", ()):
            yield from walk(child)

    for page in document.pages:
        yield from walk(page._page_box)


@pytest.mark.parametrize(("report", "columns"), [("housing", 13), ("corporate", 15), ("council-tax", 16)])
def test_no_cell_overflows_in_13_to_16_columns(project: Path, report: str, columns: int) -> None:
    assert build(project, formats="html").exit_code == 0
    html = (project / "out" / f"{report}.html").read_text(encoding="utf-8")
    assert f'colspan="{columns}"' in html
    assert list(overflowing_cells(html)) == []


def test_no_cell_overflows_in_14_columns_with_every_kind_of_measure(project: Path) -> None:
    """Three comparators without SPC; quarterly, weekly, biennial, data-only and rate measures."""
    catalogue = project / "measures.yaml"
    text = catalogue.read_text(encoding="utf-8")
    every = (
        "[council-tax-collected, rent-collected, homeless-prevented, missed-bins, housing-register, relet-days, "
        "tenant-satisfaction, sickness-days, calls-answered, staff-survey]"
    )
    text = text.replace(
        "    spc: true\n    measures: [council-tax-collected, rent-collected, calls-answered, staff-survey]",
        f"    measures: {every}",
    )
    catalogue.write_text(text, encoding="utf-8")
    assert build(project, "council-tax", formats="html").exit_code == 0
    html = (project / "out" / "council-tax.html").read_text(encoding="utf-8")
    assert 'colspan="14"' in html
    assert list(overflowing_cells(html)) == []


def test_the_pdf_prints_every_column(project: Path, no_weasyprint_warnings: None) -> None:
    assert build(project, "corporate", formats="pdf", out=project / "out").exit_code == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(project / "out" / "corporate.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = " ".join(text.split())
    for expected in ("first comparison", "second comparison", "vs w/c 18 Dec 2017:", "vs w/c 26 Dec 2016:"):
        assert expected in flat, expected
    assert "Not used" in flat and "“Not used”: measure 4 has no second comparison." in flat
