"""The performance portal: pages, relative links, figures, report dates and PDFs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion

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
            if link.startswith("#") or link == "data:,":  # in-page links; the empty icon (no favicon request)
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
        assert f'<td class="fig current" data-label="Current Performance">{measure["display"]}</td>' in body
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
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert rows[0] == "Dec 2017" and rows[-1] == "Apr 2017"  # newest first
    assert '<td class="fig" data-label="Numerator">2,025</td><td class="fig" data-label="Denominator">83.9</td>' in html
    assert "<strong>Underlying data:</strong> FTE of 83.9 social workers; caseload of 2025." in html
    assert '<dd class="fig-big">24</dd><dd>Dec 2017</dd>' in html and "■</span> Red</dd>" in html
    assert 'Reported in: <a href="../childrens-safeguarding.html">Children&#39;s Safeguarding</a>.' in html
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


def test_report_page_lists_the_changes_since_the_last_date(site: Path) -> None:
    html = (site / "2017-12-31" / "childrens-safeguarding.html").read_text(encoding="utf-8")
    assert '<h2 id="changes-heading">Changes since the last period</h2>' in html
    assert "Compared with the position as at 30.11.17" in html


def test_index_lists_every_date_with_its_counts(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>([^<]+)</td>', html)
    assert [label for _, label, _ in dates] == ["31.12.17", "30.11.17", "31.10.17"]  # newest first
    assert dates[0][0] == "2017-12-31/index.html"
    assert dates[0][2] == "6 green, 0 amber, 7 red"
    assert 'href="latest/childrens-safeguarding.html"' in html and 'href="latest/childrens-safeguarding.pdf"' in html
    assert '<span class="seg seg-green" style="width: 40.0%">6</span>' in html


def test_a_measure_in_two_reports_links_both_and_a_measure_without_results_says_so(tmp_path: Path) -> None:
    project = ROOT / "tests" / "projects" / "minimal"
    run("site", "--project", str(project), "--as-at", "2016-05-31", "--out", str(tmp_path), "-q")
    html = (tmp_path / "site" / "latest" / "measures" / "timely-assessments.html").read_text(encoding="utf-8")
    assert 'Reported in: <a href="../overview.html">Overview</a>, <a href="../by-service.html">By service</a>.' in html
    assert "No results up to 31.05.16, so there is no trend to show yet." in html and "<svg" not in html
    assert "<dt>Targets</dt><dd>2017/18: 90; 2018/19: 92</dd>" in html
    assert "Amber when a result is up to 5% of the target below it" in html


def test_quarterly_history_names_whole_quarters(tmp_path: Path) -> None:
    project = ROOT / "tests" / "projects" / "minimal"
    run("site", "overview", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path), "-q")
    site = tmp_path / "site"
    assert not (site / "latest" / "by-service.html").exists()  # only the report named
    html = (site / "latest" / "measures" / "families-helped.html").read_text(encoding="utf-8")
    assert '<th scope="row">Oct–Dec 2017</th>' in html and ">Oct–Dec 2017</text>" in html  # table and chart axis
    assert "<dt>Targets</dt><dd>Every year: 100</dd>" in html


def test_a_rebuild_removes_dates_no_longer_published_and_keeps_other_files(tmp_path: Path) -> None:
    project = ROOT / "tests" / "projects" / "minimal"
    run("site", "--project", str(project), "--as-at", "2017-12", "--as-at", "2017-11", "--out", str(tmp_path), "-q")
    site = tmp_path / "site"
    (site / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (site / "2017-12-31" / "measures" / "retired-measure.html").write_text("old", encoding="utf-8")
    run("site", "--project", str(project), "--as-at", "2017-12", "--out", str(tmp_path), "-q")
    assert sorted(p.name for p in site.iterdir()) == ["2017-12-31", "index.html", "latest", "robots.txt"]
    assert not (site / "2017-12-31" / "measures" / "retired-measure.html").exists()
    assert ">30.11.17</a>" not in (site / "latest" / "overview.html").read_text(encoding="utf-8")  # picker


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--history", "0"], "0 is not in the range"),
        (["--as-at", "2017-13"], "--as-at"),
        (["no-such-report"], "no report 'no-such-report'"),
    ],
)
def test_wrong_usage_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    project = ROOT / "tests" / "projects" / "minimal"
    result = CliRunner().invoke(main, ["site", "--project", str(project), "--out", str(tmp_path), *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "site").exists()


def test_history_counts_month_ends_back_from_the_as_at_date() -> None:
    from datetime import date

    from ncc_scorecard.build import report_dates
    from ncc_scorecard.periods import month_ends

    assert month_ends(date(2018, 2, 28), 3) == [date(2017, 12, 31), date(2018, 1, 31), date(2018, 2, 28)]
    assert month_ends(date(2018, 1, 15), 2) == [date(2017, 11, 30), date(2017, 12, 31)]  # not yet a month end
    assert report_dates([date(2017, 6, 30), date(2017, 12, 31)], 2) == [
        date(2017, 6, 30), date(2017, 11, 30), date(2017, 12, 31)
    ]  # fmt: skip
    assert report_dates([date(2017, 12, 31)], None) == [date(2017, 12, 31)]


def test_a_project_can_restyle_the_portal(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "projects" / "minimal", project)
    (project / "templates" / "site").mkdir(parents=True)
    (project / "templates" / "site" / "site.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    run("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path / "out"), "-q")
    html = (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert "body { color: #123456; }" in html


def test_the_readme_example_is_what_the_command_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ ncc-scorecard site --as-at 2017-12-31 --history 12\n"
    block = readme[readme.index(command) + len(command) :]
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "measures.yaml", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, command.split()[2:])
    assert result.exit_code == 0, result.output
    assert block[: block.index("```")] == result.stdout
    progress = result.stderr.splitlines()  # a line per PDF off a terminal, as for build
    assert progress[0] == "Building the site for 12 report dates"
    assert [line[:7] for line in progress[1:]] == [f"[{n:>2}/12]" for n in range(1, 13)]
    done = sorted(line[8:] for line in progress[1:])  # each PDF once, as it is ready (the largest first)
    assert done[:2] == ["2017-01-31 childrens-safeguarding", "2017-02-28 childrens-safeguarding"]
    assert len(set(done)) == 12
    assert len(list((tmp_path / "out" / "site").glob("20*-*-*"))) == 12


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "2017-12-31/index.html",
        "2017-12-31/childrens-safeguarding.html",
        "2017-12-31/measures/sw-caseload.html",
    ],
    ids=["home", "date", "report", "measure"],
)
def test_each_page_type_matches_its_snapshot(site: Path, page: str, html_snapshot: SnapshotAssertion) -> None:
    """Snapshots under tests/__snapshots__/test_site/, to open in a browser and review after a change."""
    assert (site / page).read_text(encoding="utf-8") == html_snapshot


def test_a_site_template_error_names_the_page_and_leaves_out_unchanged(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "projects" / "minimal", project)
    out = tmp_path / "out"
    run("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(out), "-q")
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    (project / "templates" / "site").mkdir(parents=True)
    (project / "templates" / "site" / "measure.html.j2").write_text(
        '{% extends "default:site/measure.html.j2" %}{% block main %}{{ m.no_such_field }}{% endblock %}',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(out), "-q"]
    )
    assert result.exit_code == 1
    assert "site page 2017-12-31/measures/timely-assessments.html: template" in result.output
    assert "no_such_field" in result.output and "Traceback" not in result.output
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize("command", ["build", "site", "due", "changes"])
def test_every_command_calls_an_unknown_report_wrong_usage(command: str, tmp_path: Path) -> None:
    project = ROOT / "tests" / "projects" / "minimal"
    args = [command, "nope", "--project", str(project), "--as-at", "2017-12-31"]
    result = CliRunner().invoke(main, args + (["--out", str(tmp_path / "out")] if command in {"build", "site"} else []))
    assert result.exit_code == 2
    assert f"Usage: main {command} [OPTIONS]" in result.output  # click's usage line, as for any wrong option
    assert "Invalid value for REPORT_ID: no report 'nope'; the reports are overview, by-service" in result.output
    assert not (tmp_path / "out").exists()
