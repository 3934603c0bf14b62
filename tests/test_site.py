"""The performance portal: pages, relative links, figures, report dates and PDFs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from ncc_scorecard.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATES = ["2017-10-31", "2017-11-30", "2017-12-31"]


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal")
    run(
        "site",
        "--project",
        str(ROOT),
        "--as-at",
        "2017-12-31",
        "--history",
        "3",
        "--out",
        str(out),
        "--jobs",
        "2",
        "-q",
    )
    return out / "site"


def test_every_page_is_where_the_url_layout_says(site: Path) -> None:
    assert (site / "index.html").is_file()
    for day in DATES:
        assert (site / day / "index.html").is_file()
        assert (site / day / "childrens-safeguarding.html").is_file()
        assert (site / day / "childrens-safeguarding.pdf").read_bytes().startswith(b"%PDF")
        assert len(list((site / day / "measures").glob("*.html"))) == 15
    assert sorted(p.name for p in site.iterdir()) == [*DATES, "index.html", "latest"]


def test_latest_is_a_copy_of_the_newest_date(site: Path) -> None:
    newest = site / DATES[-1]
    for path in newest.rglob("*"):
        if path.is_file():
            assert (site / "latest" / path.relative_to(newest)).read_bytes() == path.read_bytes()


def test_every_link_is_relative_and_resolves(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for link in re.findall(r'(?:href|src)="([^"]+)"', html):
            parts = urlsplit(link)
            if link.startswith("#"):
                continue
            assert not parts.scheme and not link.startswith("/"), f"{page}: {link}"
            assert (page.parent / parts.path).resolve().is_file(), f"{page}: broken link {link}"
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html


def test_report_page_shows_the_figures_of_the_json(site: Path, tmp_path: Path) -> None:
    run("build", "--project", str(ROOT), "--as-at", "2017-12-31", "--format", "json", "--out", str(tmp_path), "-q")
    data = json.loads((tmp_path / "childrens-safeguarding.json").read_text(encoding="utf-8"))
    html = (site / "2017-12-31" / "childrens-safeguarding.html").read_text(encoding="utf-8")
    bodies = re.findall(r'<tbody class="measure"(.*?)</tbody>', html, re.S)
    assert len(bodies) == len(data["measures"]) == 15
    for body, measure in zip(bodies, data["measures"], strict=True):
        assert f'data-rag="{measure["rag"] or "none"}"' in body
        assert f'data-status="{measure["status"]}"' in body
        assert f'data-direction="{measure["direction"] or "none"}"' in body
        assert f'<td class="fig current">{measure["display"]}</td>' in body
        assert f'href="measures/{measure["id"]}.html"' in body


def test_filters_only_appear_with_javascript(site: Path) -> None:
    html = (site / "latest" / "childrens-safeguarding.html").read_text(encoding="utf-8")
    assert '<form class="filters" id="filters" hidden' in html  # without JS: no dead controls, every row shown
    assert "form.hidden = false" in html
    assert " hidden" not in "".join(re.findall(r"<tbody[^>]*>", html))


def test_measure_page_has_definition_chart_and_history(site: Path) -> None:
    html = (site / "2017-12-31" / "measures" / "sw-caseload.html").read_text(encoding="utf-8")
    assert "<dt>Targets</dt><dd>2017/18: 22</dd>" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img"' in html
    assert html.count('<th scope="row">') == 9  # Apr–Dec 2017, the full history to the date
    assert '<th scope="row">Dec 2017</th>' in html and "FTE of" not in html.split("History")[0]
    earlier = (site / "2017-11-30" / "measures" / "sw-caseload.html").read_text(encoding="utf-8")
    assert earlier.count('<th scope="row">') == 8


def test_each_pdf_is_rendered_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("site", "--project", str(ROOT), "--as-at", "2017-12", "--as-at", "2017-11", "--out", str(out), "-q")
    assert len(list((out / ".cache").glob("*.pdf"))) == 2  # one report × two dates; latest/ is a copy


def test_spc_measures_chart_their_limits(tmp_path: Path) -> None:
    project = ROOT / "tests" / "projects" / "spc"
    run("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path), "-q")
    html = (tmp_path / "site" / "latest" / "measures" / "waiting-days.html").read_text(encoding="utf-8")
    assert 'class="mean"' in html and html.count('class="process-limit"') == 2
    assert html.count('class="special-cause"') >= 1
    plain = (tmp_path / "site" / "latest" / "measures" / "plain-count.html").read_text(encoding="utf-8")
    assert 'class="mean"' not in plain


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "projects" / "minimal", project)
    data = project / "data" / "monthly.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("Two assessments slipped", "<script>alert(1)</script>"))
    run("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path / "out"), "-q")
    for page in (tmp_path / "out" / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
    assert any(
        "&lt;script&gt;alert(1)" in p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "site").rglob("*.html")
    )


def test_site_on_an_invalid_project_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "projects" / "minimal", project)
    (project / "data" / "bad.csv").write_text("measure,period,value\nnope,2017-12,1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["site", "--project", str(project), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "bad.csv:2" in result.output
    assert not (tmp_path / "out").exists()
