"""The PDFs pass the Matterhorn Protocol's machine checks (tests/matterhorn.py): the bundled example,
a report of 64 measures split over many pages (one comment longer than a page), and an SPC report.
Each HTML table is one Table element."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pikepdf
import pytest
from matterhorn import Document, failures
from scorecard_testing import PROJECTS, build

ROOT = Path(__file__).resolve().parents[1]
MEASURES = 64
LONG_COMMENT = "The service was reorganised during the year and the figures were checked again. " * 40


def large_project(root: Path) -> Path:
    """64 monthly measures in one report of two sections; every third has a comment and an action,
    measure 30's comment runs to many paragraphs (its row is split over two pages)."""
    measures = []
    rows = ["measure,period,value,comment,action"]
    for number in range(1, MEASURES + 1):
        measures.append(
            f"""
            - id: m{number:02d}
              title: Measure number {number} of the large report, with a long enough title
              unit: percentage
              polarity: {"higher" if number % 2 else "lower"}
              frequency: monthly
              targets: 50
            """
        )
        for month, value in (
            ("2017-10", 40 + number % 20),
            ("2017-11", 45 + number % 13),
            ("2017-12", 60 - number % 17),
        ):
            comment = action = ""
            if month == "2017-12" and number % 3 == 0:
                comment, action = f"Comment on measure {number}.", f"Action for measure {number}."
            if month == "2017-12" and number == 30:
                comment = "\n\n".join([LONG_COMMENT] * 6)
            rows.append(f'm{number:02d},{month},{value},"{comment}","{action}"')
    ids = [f"m{n:02d}" for n in range(1, MEASURES + 1)]
    catalogue = textwrap.dedent(
        f"""\
        organisation: Testshire County Council
        reports:
          - id: large
            title: Large report
            appendix: C
            sections:
              - title: First half
                measures: [{", ".join(ids[:32])}]
              - title: Second half
                measures: [{", ".join(ids[32:])}]
        measures:
        """
    ) + "".join(textwrap.indent(textwrap.dedent(m), "  ") for m in measures)
    root.mkdir(parents=True)
    (root / "measures.yaml").write_text(catalogue, encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "results.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each PDF with its HTML beside it."""
    base = tmp_path_factory.mktemp("matterhorn")
    example = base / "example"
    example.mkdir()
    shutil.copy(ROOT / "measures.yaml", example / "measures.yaml")
    shutil.copytree(ROOT / "data", example / "data")
    spc = base / "spc"
    shutil.copytree(PROJECTS / "spc", spc)
    projects = {"childrens-safeguarding": example, "large": large_project(base / "large"), "spc-report": spc}
    for report, project in projects.items():
        result = build(project, report, formats="html,pdf", out=base / "out")
        assert result.exit_code == 0, result.output
    return {report: base / "out" / f"{report}.pdf" for report in projects}


REPORTS = ["childrens-safeguarding", "large", "spc-report"]


@pytest.mark.parametrize("report", REPORTS)
def test_the_pdf_passes_the_matterhorn_checks(pdfs: dict[str, Path], report: str) -> None:
    with pikepdf.open(pdfs[report]) as pdf:
        assert failures(pdf) == []


@pytest.mark.parametrize("report", REPORTS)
def test_each_html_table_is_one_table_element(pdfs: dict[str, Path], report: str) -> None:
    html = pdfs[report].with_suffix(".html").read_text(encoding="utf-8")
    with pikepdf.open(pdfs[report]) as pdf:
        document = Document(pdf)
        tables = document.of_type("Table")
        assert len(tables) == html.count("<table")
        for table in tables:  # the header row once, at the top
            kids = [kid.type for kid in table.children]
            assert kids.count("THead") == 1
            assert kids[:2] == ["Caption", "THead"]


@pytest.mark.parametrize("report", REPORTS)
def test_every_page_and_heading_is_real_content(pdfs: dict[str, Path], report: str) -> None:
    """Joining the pages' parts loses nothing: each page has tagged content and each heading is in the tree."""
    html = pdfs[report].with_suffix(".html").read_text(encoding="utf-8")
    with pikepdf.open(pdfs[report]) as pdf:
        document = Document(pdf)
        pages = {page for element in document.all() for page, _ in element.mcids}
        assert pages == set(range(len(pdf.pages)))
        for level in (1, 2, 3):
            assert len(document.of_type(f"H{level}")) == html.count(f"<h{level}")


def test_the_large_report_spans_pages_and_keeps_its_rows_whole(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["large"]) as pdf:
        assert len(pdf.pages) >= 8
        document = Document(pdf)
        scorecard = document.of_type("Table")[0]
        bodies = [kid for kid in scorecard.children if kid.type == "TBody"]
        assert len(bodies) == MEASURES + 2  # a row group per measure and per section heading
        pages = {page for body in bodies for element in body.walk() for page, _ in element.mcids}
        assert len(pages) >= 8
        # measure 30's rows (figures, a comment longer than a page, an action) stay one row group
        # of three rows, over two pages
        thirtieth = bodies[30]  # after the first section's heading row
        assert [row.type for row in thirtieth.children] == ["TR", "TR", "TR"]
        assert len({page for element in thirtieth.walk() for page, _ in element.mcids}) >= 2


def test_comments_and_actions_name_their_measure(pdfs: dict[str, Path]) -> None:
    """A full-width cell (COMMENTS, ACTIONS) has the measure's row header as its one header."""
    with pikepdf.open(pdfs["childrens-safeguarding"]) as pdf:
        document = Document(pdf)
        checked = 0
        scorecard = document.of_type("Table")[0]
        for body in (kid for kid in scorecard.children if kid.type == "TBody"):
            rows = [row for row in body.children if row.type == "TR"]
            row_headers = [cell for cell in rows[0].children if cell.type == "TH"]
            for row in rows[1:]:
                for cell in row.children:
                    headers = [bytes(h) for h in cell.attribute("/Headers")]
                    assert headers == [bytes(row_headers[0].node.ID)]
                    checked += 1
        assert checked >= 15


def test_the_running_footer_and_repeated_headers_are_pagination_artifacts(pdfs: dict[str, Path]) -> None:
    with pikepdf.open(pdfs["childrens-safeguarding"]) as pdf:
        for page in pdf.pages:
            data = page.Contents.read_bytes()
            assert data.count(b"/Artifact <</Type /Pagination>> BDC") >= 2  # the footer's two parts
