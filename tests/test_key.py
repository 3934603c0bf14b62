"""What a reader needs to read the table: the key after the scorecard, the direction of travel's
comparison in its cell, the measure page's tolerance sentence and the actions in its history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scorecard_testing import PROJECTS, copy_project

from ncc_scorecard.build import compute, load_project
from ncc_scorecard.calculator import history
from ncc_scorecard.catalogue import Measure
from ncc_scorecard.model import Rag
from ncc_scorecard.periods import parse_as_at
from ncc_scorecard.render.environment import make_environment
from ncc_scorecard.render.html import render_appendix
from ncc_scorecard.render.key import comparator_sentence, row_numbers
from ncc_scorecard.render.site import history_row, tolerance_text
from ncc_scorecard.render.view import AppendixView, appendix_view
from ncc_scorecard.render.words import ASSURANCE, MOVE_SYMBOLS, RAG_SYMBOLS, VARIATION

ROOT = Path(__file__).resolve().parents[1]


def view_of(project: Path, report_id: str | None = None) -> AppendixView:
    checked = load_project(project)
    reports = compute(checked, parse_as_at("2017-12-31"), [report_id] if report_id else ())
    return appendix_view(reports[0])


@pytest.fixture(scope="module")
def example() -> AppendixView:
    return view_of(ROOT)


# --- the direction of travel names what it compared with -----------------------------------------


def test_the_direction_cell_names_its_comparator_and_figure(example: AppendixView) -> None:
    first = example.rows[0].direction
    assert (first.symbol, first.text, first.detail) == ("▲", "Worse", "— vs\u00a02016/17: 22")
    referrals = next(row for row in example.rows if row.id == "referral-decisions-1-day").direction
    assert (referrals.text, referrals.detail) == ("Better", "— vs\u00a02016/17: 91.2")
    families = next(row for row in example.rows if row.id == "supported-families-identified").direction
    assert families.detail == "— vs\u00a02016/17: 949"


def test_no_comparison_has_no_detail(example: AppendixView) -> None:
    cut_off = next(row for row in example.rows if row.id == "cp-plans-2-years").direction
    assert (cut_off.text, cut_off.detail) == ("No comparison", "")


def test_the_comparator_figure_is_displayed_like_every_figure() -> None:
    view = view_of(PROJECTS / "minimal", "overview")
    details = {row.id: row.direction.detail for row in view.rows}
    assert details["timely-assessments"] == "— vs\u00a0Nov\u00a02017: 86.0"  # one decimal, as the measure shows
    assert details["families-helped"] == "— vs\u00a0Oct–Dec\u00a02016: 95"  # the same quarter a year before


def test_the_cell_text_is_on_paper(example: AppendixView) -> None:
    html = render_appendix(make_environment(), example)
    assert '▲</span> Worse <span class="detail">— vs\u00a02016/17: 22</span></td>' in html


# --- the key -------------------------------------------------------------------------------------


def test_the_key_explains_each_column_once(example: AppendixView) -> None:
    key = example.key
    assert key.heading == "Key"
    assert [group.heading for group in key.groups] == ["Performance", "Direction of travel", "Status", "Trend"]
    performance, direction, status, trend = key.groups
    assert [entry.word for entry in status.entries] == ["Up to date", "Overdue", "No data", "Not available"]
    assert [(e.symbol, e.word, e.css) for e in performance.entries] == [
        ("●", "Green", "rag-green"),
        ("◆", "Amber", "rag-amber"),
        ("■", "Red", "rag-red"),
        ("–", "No target", "rag-none"),
        ("–", "No result", "rag-none"),
    ]
    assert [e.symbol for e in performance.entries[:3]] == [RAG_SYMBOLS[rag] for rag in (Rag.GREEN, Rag.AMBER, Rag.RED)]
    assert [e.symbol for e in direction.entries[:3]] == list(MOVE_SYMBOLS.values())
    assert [(e.word, e.css) for e in direction.entries[3:]] == [
        ("Better", "rag-green"),
        ("Same", "rag-green"),
        ("Worse", "rag-red"),
        ("No comparison", "rag-none"),
    ]
    assert direction.notes == (
        "The figure compared with follows the word: “Worse — vs\u00a02016/17: 22”.",
        "Direction of travel compares each result with the previous financial year's outturn.",
    )
    assert [(e.word, e.css) for e in trend.entries] == [("Dashed line", "key-target"), ("Dot", "key-latest")]
    assert trend.notes == (
        "Each line shows this financial year's months (monthly) or the last 8 quarters (quarterly).",
    )


def test_the_spc_part_only_when_the_table_has_spc_columns(example: AppendixView) -> None:
    assert not any("SPC" in group.heading for group in example.key.groups)
    spc = view_of(PROJECTS / "spc").key
    assert [group.heading for group in spc.groups][4:] == ["Variation (SPC)", "Assurance (SPC)"]
    variation, assurance = spc.groups[4:]
    assert [(e.symbol, e.word, e.css, e.meaning) for e in variation.entries] == list(VARIATION.values())
    assert [(e.symbol, e.word, e.css, e.meaning) for e in assurance.entries] == list(ASSURANCE.values())
    assert "provisional" in variation.notes[0]


def test_the_key_names_each_comparator_with_its_measures() -> None:
    direction = view_of(PROJECTS / "minimal", "overview").key.groups[1]
    assert direction.notes[-1] == (
        "Direction of travel compares each result with the period before (measure 1), the same period a year "
        "before (measure 2) or the previous financial year's outturn (measures 3, 4)."
    )


def test_comparator_sentence() -> None:
    comparators = ["previous_year", "previous_year", "previous_year", "previous_period", "previous_year"]
    assert comparator_sentence(comparators) == (
        "Direction of travel compares each result with the previous financial year's outturn (measures 1–3, 5) "
        "or the period before (measure 4)."
    )
    assert comparator_sentence(["same_period_last_year"]) == (
        "Direction of travel compares each result with the same period a year before."
    )


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([4], "measure 4"),
        ([1, 2], "measures 1, 2"),
        ([1, 2, 3, 5], "measures 1–3, 5"),
        ([2, 4, 5, 6, 7], "measures 2, 4–7"),
    ],
)
def test_row_numbers(numbers: list[int], text: str) -> None:
    assert row_numbers(numbers) == text


def test_the_key_is_a_block_after_the_changes(example: AppendixView) -> None:
    html = render_appendix(make_environment(), example)
    key = html.index('<section class="key" aria-labelledby="key-heading">')
    assert html.index('<section class="changes"') < key < html.index("</main>")
    section = html[key : html.index("</section>", key)]
    assert '<h2 id="key-heading">Key</h2>' in section and section.count("<h3>") == 4
    assert (
        '<li><span class="key-sample rag-green"><span class="symbol" aria-hidden="true">●</span> Green</span> meets'
        in section
    )
    assert '<li><span class="key-sample"><span class="symbol">▲</span></span> the value went up</li>' in section


def test_a_project_can_remove_the_key(tmp_path: Path) -> None:
    project = copy_project("minimal", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "appendix.html.j2").write_text(
        '{% extends "default:appendix.html.j2" %}\n{% block key %}{% endblock %}\n', encoding="utf-8"
    )
    checked = load_project(project)
    (report,) = compute(checked, parse_as_at("2017-12-31"), ["overview"])
    html = render_appendix(make_environment(checked.templates_dir), appendix_view(report))
    assert 'class="key"' not in html and "key-heading" not in html
    assert '<table class="scorecard">' in html and "Changes since the last period" in html


def test_the_readme_example_removes_the_key(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```jinja\n(.*?)```", readme, re.S)
    example = next(block for block in blocks if "{% block key %}" in block)
    project = copy_project("minimal", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "appendix.html.j2").write_text(example, encoding="utf-8")
    checked = load_project(project)
    (report,) = compute(checked, parse_as_at("2017-12-31"), ["overview"])
    html = render_appendix(make_environment(checked.templates_dir), appendix_view(report))
    assert "key-heading" not in html and '<table class="scorecard">' in html


# --- the measure page ----------------------------------------------------------------------------


def measure_of(**fields: object) -> Measure:
    base = {"id": "m", "title": "M", "unit": "number", "polarity": "higher", "frequency": "monthly"}
    return Measure.model_validate(base | fields)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"tolerance": "5%"}, "Amber when a result is up to 5% of the target below it"),
        ({"tolerance": "10 %", "polarity": "lower"}, "Amber when a result is up to 10% of the target above it"),
        ({"tolerance": 2}, "Amber when a result is up to 2 below the target"),
        ({"tolerance": 2, "polarity": "lower"}, "Amber when a result is up to 2 above the target"),
        ({"tolerance": 1500.5, "polarity": "lower"}, "Amber when a result is up to 1,500.5 above the target"),
        (
            {"tolerance": 50, "unit": "currency", "polarity": "lower"},
            "Amber when a result is up to £50 above the target",
        ),
        ({}, "No amber band: a result that misses the target is red"),
        ({"tolerance": "0%"}, "No amber band: a result that misses the target is red"),
        ({"tolerance": 0.0, "polarity": "lower"}, "No amber band: a result that misses the target is red"),
    ],
)
def test_the_tolerance_sentence_follows_the_polarity(fields: dict[str, object], text: str) -> None:
    assert tolerance_text(measure_of(**fields)) == text


def test_the_history_shows_actions_as_well_as_comments() -> None:
    checked = load_project(PROJECTS / "minimal")
    measure = checked.catalogue.measure("timely-assessments")
    points = history(measure, checked.by_measure[measure.id], parse_as_at("2017-12-31"))
    latest = history_row(points[-1], 4)
    assert latest.comments == ("Two assessments slipped over Christmas.", "A second paragraph.")
    assert latest.actions == ("Weekly review of open assessments.",)
    assert history_row(points[0], 4).actions == ()


def test_the_measure_page_has_an_action_column(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ncc_scorecard.cli import main

    project = PROJECTS / "minimal"
    result = CliRunner().invoke(
        main, ["site", "overview", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "site" / "latest" / "measures" / "timely-assessments.html").read_text(encoding="utf-8")
    assert '<th scope="col">Comment</th><th scope="col">Action</th></tr></thead>' in html
    assert '<td class="text" data-label="Action"><p>Weekly review of open assessments.</p></td>' in html
    report = (tmp_path / "site" / "latest" / "overview.html").read_text(encoding="utf-8")
    assert '<h2 id="key-heading">Key</h2>' in report  # the portal's report page has the key too
    assert re.search(r"Worse <span class=\"detail\">— vs\u00a0Oct–Dec\u00a02016: 95</span>", report)
