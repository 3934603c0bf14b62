"""The portal in a real browser: axe-core finds no WCAG 2.2 AA violation, and a click-through works."""

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
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run the browser tests: see .ci/run)")
        pytest.skip(reason)


def test_portal_in_chromium(tmp_path: Path) -> None:
    need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    need(shutil.which("node") is not None, "node is not installed")
    need((ROOT / "node_modules" / "playwright-core").is_dir(), "node_modules missing (npm ci)")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["site", "--project", str(ROOT), "--as-at", "2017-12-31", "--history", "2", "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(out / "site")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        port = int(line.split("port ")[1].split(" ")[0])
        shots = tmp_path / "screenshots"
        shots.mkdir()
        run = subprocess.run(
            ["node", str(ROOT / "tests" / "browser" / "portal.mjs"), f"http://127.0.0.1:{port}/", str(shots)],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=ROOT,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert run.stdout.strip(), run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["violations"] == {"index": [], "report": [], "measure": []}
    assert len(report["path"]) == 4 and report["url"].endswith("/2017-11-30/measures/sw-caseload.html")
    assert report["filtered"] == 6  # six green measures when filtering on Green
    assert report["focus"] == {"reached": True, "outline": "solid"}
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in shots.iterdir()) == [
        "1-index.png", "2-report.png", "3-measure.png", "4-measure-earlier.png", "5-focus.png",
    ]  # fmt: skip
