"""The portal and the appendix in a real browser (Debian's Chromium through playwright-core):
axe-core with every rule (WCAG 2.2 AA and best practice) finds nothing at 1280 px or at 320 px,
where no page is wider than the window; a click-through works over http and from file://, the
filters work and keyboard focus reaches every control visibly. Screenshots go to the test's tmp
folder (``--basetemp`` to keep them somewhere known)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ncc_scorecard.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def need(condition: bool, reason: str) -> None:
    """Skip without the browser tools on a workstation; fail in CI, which must run these tests."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs them)")
        pytest.skip(reason)


def build(project: Path, out: Path, *args: str, command: str = "site") -> None:
    result = CliRunner().invoke(main, [command, "--project", str(project), "--out", str(out), "-q", *args])
    assert result.exit_code == 0, result.output


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A web server on 127.0.0.1 (an ephemeral port) serving tmp_path/www."""
    www = tmp_path / "www"
    www.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(www)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert "port " in line, line
        yield www, f"http://127.0.0.1:{int(line.split('port ')[1].split(' ')[0])}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_portal_in_chromium(tmp_path: Path, server: tuple[Path, str]) -> None:
    need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    need(shutil.which("node") is not None, "node is not installed")
    need((ROOT / "node_modules" / "playwright-core").is_dir(), "node_modules is missing (npm ci)")
    need((ROOT / "node_modules" / "@axe-core" / "playwright").is_dir(), "node_modules is missing (npm ci)")
    www, url = server
    build(ROOT, www / "example", "--as-at", "2017-12-31", "--history", "2")
    build(ROOT / "tests" / "projects" / "minimal", www / "sections", "--as-at", "2017-12-31")
    build(ROOT / "tests" / "projects" / "benchmarks", www / "benchmarks", "--as-at", "2017-12-31")
    build(ROOT, www / "appendix", "--as-at", "2017-12-31", "--format", "html", command="build")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    run = subprocess.run(
        [
            "node",
            str(ROOT / "tests" / "browser" / "portal.mjs"),
            f"{url}example/site/",
            str(shots),
            (www / "example" / "site").as_uri() + "/",
            f"{url}sections/site/",
            f"{url}appendix/childrens-safeguarding.html",
            f"{url}benchmarks/site/latest/measures/cla-rate.html",  # a benchmark line and a ranked chart
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.stdout.strip(), run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    pages = ["index", "date", "report", "measure", "benchmarks", "appendix", "benchmarks-example"]
    assert report["violations"] == {f"{page}@{width}": [] for width in (1280, 320) for page in pages}
    assert report["overflow"] == dict.fromkeys(pages, 0)  # no page wider than a 320 px window
    assert report["requests"] == []  # nothing loaded from outside the site
    heading = "Appendix B: Children's Safeguarding – position as at 31.12.17"
    assert report["path"][1].startswith(heading) and len(report["path"]) == 4
    assert report["url"].endswith("/example/site/2017-11-30/measures/sw-caseload.html")
    assert report["pdf"] == "%PDF-"
    title = "Number of cases per full time equivalent (FTE) Children's Social Worker"
    assert report["file"] == [heading, title, "2017-11-30/measures/sw-caseload.html"]
    assert report["filters"] == {
        "green": 6,  # six green measures as at 31.12.17
        "count": "6 of 15 measures shown",
        "hash": "#rag=green",
        "greenWorse": 0,
        "reset": 15,
        "fromAddress": "amber",
        "sections": ["Early help"],  # the section without an amber measure is hidden with its rows
        "amber": 2,
    }
    assert report["nojs"] == {"filters": 0, "measures": 15}
    assert report["focus"] == {"filters": True, "links": True, "allVisible": True}
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in shots.iterdir()) == [
        "0-appendix-320.png", "0-report-320.png",
        "1-index.png", "2-report.png", "3-measure.png", "4-measure-earlier.png", "5-filtered.png", "6-focus.png",
    ]  # fmt: skip
