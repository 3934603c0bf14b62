"""The committee PDF and HTML: structure, accessibility, reproducibility, lock-down, look."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from ncc_scorecard.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORT = "childrens-safeguarding"
HEADING = "Appendix B: Children's Safeguarding – position as at 31.12.17"


def build(project: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        main, ["build", "--project", str(project), "--as-at", "2017-12-31", "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    build(ROOT, out)
    return out


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def figures(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                walk(kids)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_pdf_is_tagged_pdf_ua(example_out: Path) -> None:
    with pikepdf.open(example_out / f"{REPORT}.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.docinfo["/Title"]) == HEADING
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"
        sparklines = figures(pdf)
        assert len(sparklines) == 15  # every measure has a trend in the example
        for figure in sparklines:
            assert "/Alt" in figure and str(figure.Alt).strip(), figure
        first = pdf.pages[0]
        width, height = (float(v) for v in first.mediabox[2:])
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_sparkline_alt_text_states_the_values(example_out: Path) -> None:
    with pikepdf.open(example_out / f"{REPORT}.pdf") as pdf:
        alts = [str(figure.Alt) for figure in figures(pdf)]
    assert alts[0].startswith("Trend Apr–Dec 2017: Apr 2017 22, May 2017 23")
    assert alts[0].endswith("Dec 2017 24; target 22")
    # the quarterly measure's trend spans eight quarters, and says so
    assert alts[-1] == "Trend Apr–Dec 2017: Apr 2017 95, Jul 2017 110, Oct 2017 274; target 300"  # quarters
    assert alts[-1].endswith("Oct 2017 274; target 300")


def test_pdf_text_reads_like_the_appendix(example_out: Path) -> None:
    text = pdf_text(example_out / f"{REPORT}.pdf")
    flat = " ".join(text.split())
    assert HEADING in flat
    assert "15 measures: 6 green, 0 amber, 7 red, 2 without target; 0 overdue" in flat
    for header in ("Measure", "2016/17", "Current", "Last", "Frequency", "Direction", "Trend"):
        assert header in flat
    assert "2017-18 Trend" in flat  # as printed: every row's trend lies in 2017/18
    assert "COMMENTS: Underlying data: FTE of 83.9 social workers; caseload of 2025." in flat
    assert "ACTIONS:" in flat
    assert "1,588" in flat and "1,351" in flat and "97.3" in flat
    pages = text.count("\f") or 1
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    # RAG and direction are never colour alone
    assert "Red" in flat and "Green" in flat and "Worse" in flat and "Better" in flat and "Same" in flat


def test_outputs_are_reproducible(tmp_path: Path, example_out: Path) -> None:
    build(ROOT, tmp_path)
    for suffix in (".pdf", ".html"):
        assert (tmp_path / f"{REPORT}{suffix}").read_bytes() == (example_out / f"{REPORT}{suffix}").read_bytes()


def test_no_weasyprint_warnings(tmp_path: Path, no_weasyprint_warnings: None) -> None:
    build(ROOT, tmp_path, "--format", "pdf")
    assert (tmp_path / f"{REPORT}.pdf").stat().st_size > 10_000


def test_html_is_a_standalone_accessible_page(example_out: Path) -> None:
    html = (example_out / f"{REPORT}.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert f"<title>{HEADING.replace(chr(39), '&#39;')}</title>" in html
    scorecard = html[
        html.index('<table class="scorecard">') : html.index("</table>", html.index('<table class="scorecard">'))
    ]
    assert scorecard.count('<th scope="col">') == 12
    assert scorecard.count('<th scope="row"') == 15
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


HOSTILE = [
    '<img src="file:///etc/passwd">',
    "<script>alert('x')</script>",
    '<style>body { background: url("file:///etc/passwd") }</style>',
    "{{ 7 * 7 }}",
]


def test_hostile_comments_render_as_inert_text(
    example_project: Path, tmp_path: Path, no_weasyprint_warnings: None
) -> None:
    data = example_project / "data" / "2017-12.csv"
    with data.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    rows[0]["comment"] = " ".join(HOSTILE)
    with data.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    build(example_project, out)
    html = (out / f"{REPORT}.html").read_text(encoding="utf-8")
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "{{ 7 * 7 }}" in html
    flat = " ".join(pdf_text(out / f"{REPORT}.pdf").split())
    assert '<img src="file:///etc/passwd">' in flat
    assert "<script>alert('x')</script>" in flat
    assert "root:x:0:0" not in flat


def test_url_fetcher_allows_only_own_assets_and_data_urls() -> None:
    from ncc_scorecard.render.environment import default_templates_dir
    from ncc_scorecard.render.pdf import allowed_roots, make_url_fetcher

    fetcher = make_url_fetcher(allowed_roots())
    font = default_templates_dir() / "fonts" / "LiberationSans-Regular.ttf"
    assert fetcher(font.resolve().as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher("data:text/plain,hello").read() == b"hello"
    for url in (
        "file:///etc/passwd",
        (default_templates_dir() / ".." / ".." / ".." / "etc" / "passwd").as_uri(),
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError, match="blocked"):
            fetcher(url)


def test_project_template_overrides_the_heading(example_project: Path, tmp_path: Path) -> None:
    templates = example_project / "templates"
    templates.mkdir()
    (templates / "appendix.html.j2").write_text(
        '{% extends "default:appendix.html.j2" %}\n'
        "{% block heading %}<h1>Corporate Parenting Committee – {{ v.heading }}</h1>{% endblock %}\n",
        encoding="utf-8",
    )
    build(example_project, tmp_path, "--format", "html")
    html = (tmp_path / f"{REPORT}.html").read_text(encoding="utf-8")
    assert "<h1>Corporate Parenting Committee – Appendix B: Children&#39;s Safeguarding" in html
    assert "Senior managers are aware" in html  # the rest of the default appendix is kept


def test_a_template_error_names_the_report_and_leaves_out_unchanged(example_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{REPORT}.html").write_text("previous good output", encoding="utf-8")
    templates = example_project / "templates"
    templates.mkdir()
    (templates / "appendix.html.j2").write_text("{{ v.no_such_field }}", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "--project", str(example_project), "--as-at", "2017-12", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert REPORT in result.output and "no_such_field" in result.output
    assert "Traceback" not in result.output
    assert (out / f"{REPORT}.html").read_text(encoding="utf-8") == "previous good output"
    assert sorted(p.name for p in out.iterdir()) == [f"{REPORT}.html"]


def test_validate_and_data_formats_never_import_weasyprint(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ncc_scorecard.cli import main\n"
        f"r = CliRunner().invoke(main, ['validate', '--project', {str(ROOT)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(main, ['build', '--project', {str(ROOT)!r}, '--as-at', '2017-12', "
        f"'--format', 'json,csv', '--out', {str(tmp_path)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_packaged_templates_are_complete() -> None:
    from ncc_scorecard.render.environment import default_templates_dir

    folder = default_templates_dir()
    for name in (
        "appendix.html.j2",
        "appendix.css",
        "fonts/LiberationSans-Regular.ttf",
        "fonts/LiberationSans-Bold.ttf",
    ):
        assert (folder / name).is_file(), name


def test_wheel_ships_the_templates(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is needed to copy the source tree")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 and "hatchling" in (result.stderr + result.stdout):
        pytest.skip("hatchling is not installed in this environment")
    assert result.returncode == 0, result.stderr
    import zipfile

    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "ncc_scorecard/templates/appendix.html.j2" in names
    assert "ncc_scorecard/templates/fonts/LiberationSans-Regular.ttf" in names


def test_the_readme_override_example_works_as_written(example_project: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```jinja\n") + len("```jinja\n")
    example = readme[start : readme.index("```", start)]
    (example_project / "templates").mkdir()
    (example_project / "templates" / "appendix.html.j2").write_text(example, encoding="utf-8")
    build(example_project, tmp_path, "--format", "html")
    html = (tmp_path / f"{REPORT}.html").read_text(encoding="utf-8")
    assert "<h1>Corporate Parenting Committee – Appendix B: Children&#39;s Safeguarding" in html
    assert html.count("<h1>") == 1


def test_header_repeats_and_measures_never_split_from_their_comments(example_out: Path) -> None:
    pages = pdf_text(example_out / f"{REPORT}.pdf").split("\f")
    table_pages = [page for page in pages if "COMMENTS:" in page]
    assert len(table_pages) >= 2
    for page in table_pages:
        flat = " ".join(page.split())
        assert "Frequency" in flat and "Direction of" in flat  # the header row on every page
    # every measure's title and its COMMENTS line are on the same page
    titles = {
        "Number of cases per full time": "FTE of 83.9 social workers",
        "Average duration of care": "209 cases ending",
        "Supporting Families cases": "Two Payment By Results",
    }
    for title, comment in titles.items():
        holding = [i for i, page in enumerate(pages) if title in " ".join(page.split())]
        assert holding, title
        assert comment in " ".join(pages[holding[0]].split()), title


def test_changes_heading_stays_with_its_table(example_out: Path) -> None:
    pages = pdf_text(example_out / f"{REPORT}.pdf").split("\f")
    page = next(page for page in pages if "Changes since the last period" in page)
    assert "As at 30.11.17" in page and "Green → Red (worse)" in page


def structure_types(pdf: pikepdf.Pdf) -> list[str]:
    """The structure types of the tagged PDF, in document order (/H2, /L, /LI, …)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(str(node.S))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_the_key_is_on_the_last_page_whole_and_tagged(example_out: Path) -> None:
    pages = pdf_text(example_out / f"{REPORT}.pdf").split("\f")
    holding = [i for i, page in enumerate(pages) if "Key" in page and "Dashed line" in page]
    assert holding == [len([page for page in pages if page.strip()]) - 1]  # the last page, not split
    key = " ".join(pages[holding[0]].split())
    key = key[key.index("Key Performance") :]
    # the groups stand side by side, so the text extracted interleaves their lines: short fragments
    for text in (
        "● Green",
        "meets or beats the target",
        "◆ Amber",
        "■ Red",
        "▲ the value went up",
        "Worse",
        "– No comparison",
        "Dashed line the target",
        "Up to date",
        "Not available",
        "Overdue",
        "compares each result with the",
        "outturn.",
    ):
        assert text in key, text
    assert "SPC" not in key
    with pikepdf.open(example_out / f"{REPORT}.pdf") as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        types = structure_types(pdf)
    assert types.count("/H2") == 2 and types.count("/H3") == 4  # the changes and the key; its four groups
    assert types.count("/L") == 4 and types.count("/LI") == 18


def test_the_direction_cell_prints_its_comparison(example_out: Path) -> None:
    flat = " ".join(pdf_text(example_out / f"{REPORT}.pdf").split())
    assert "vs 2016/17: 22" in flat and "vs 2016/17: 91.2" in flat and "vs 2016/17: 949" in flat


def test_the_spc_key_has_variation_and_assurance(tmp_path: Path, no_weasyprint_warnings: None) -> None:
    build(ROOT / "tests" / "projects" / "spc", tmp_path, "--format", "pdf")
    flat = " ".join(pdf_text(tmp_path / "spc-report.pdf").split())
    for text in ("Variation (SPC)", "Assurance (SPC)", "~ Common cause", "F Will fail"):
        assert text in flat, text
    assert "vs Nov 2017: 20" in flat


def test_the_lean_user_agent_stylesheet_changes_no_byte(example_out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report is laid out without WeasyPrint's styles for the footnote, note and marker
    pseudo-elements of every element (a sixth of the styles of a long report), and its PDF is the
    same as with them; a document that may use them keeps WeasyPrint's stylesheet."""
    from ncc_scorecard.render import pdf

    html = (example_out / f"{REPORT}.html").read_text(encoding="utf-8")
    assert pdf.lean_ua_stylesheet(html) is not None
    lean = pdf.render_pdf(html)
    monkeypatch.setattr(pdf, "lean_ua_stylesheet", lambda html: None)
    assert pdf.render_pdf(html) == lean
    monkeypatch.undo()
    for uses in ("h1 { float: footnote }", "p::footnote-call { color: red }", "div { display: list-item }"):
        assert pdf.lean_ua_stylesheet(html.replace("</style>", uses + "</style>", 1)) is None


def test_the_lean_user_agent_stylesheet_drops_only_pseudo_element_rules() -> None:
    from ncc_scorecard.render import pdf

    sheet = pdf._lean_ua_sheet()
    assert sheet is not None  # the rules it narrows are in WeasyPrint's stylesheet
    styles_before = _pseudo_styles(None)
    styles_after = _pseudo_styles(sheet)
    assert styles_after["marker"] < styles_before["marker"]
    assert styles_after["footnote-call"] == styles_after["note-callback"] == 0 < styles_before["footnote-call"]
    assert styles_after[None] == styles_before[None]  # every element keeps its own style


def _pseudo_styles(ua: object) -> dict[str | None, int]:
    """How many styles WeasyPrint computes for a small list page's elements and pseudo-elements."""
    import collections

    import weasyprint.css
    from weasyprint import HTML

    captured: list[weasyprint.css.StyleFor] = []
    original = weasyprint.css.get_all_computed_styles

    def capture(*args: object, **kwargs: object) -> weasyprint.css.StyleFor:
        style_for = original(*args, **kwargs)
        captured.append(style_for)
        return style_for

    page = HTML(string="<p>One</p><ul><li>two</li></ul><table><tr><td>three</td></tr></table>")
    if ua is not None:
        page._ua_stylesheets = lambda forms=False: [ua]  # type: ignore[method-assign]
    import weasyprint.document

    weasyprint.document.get_all_computed_styles = capture
    try:
        page.render()
    finally:
        weasyprint.document.get_all_computed_styles = original
    return collections.Counter(pseudo for _, pseudo in captured[0]._computed_styles)
