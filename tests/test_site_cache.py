"""What one run leaves for the next: the PDF cache keeps what each command's last run used, and the
site keeps every page and PDF whose inputs did not change, with the same bytes as a fresh build."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import ncc_scorecard.build
import ncc_scorecard.render.html
import ncc_scorecard.render.pool
from ncc_scorecard.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> None:
    result = CliRunner().invoke(main, [*args, "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project (one report of 15 measures), to change."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "measures.yaml", copy)
    shutil.copytree(ROOT / "data", copy / "data")
    shutil.copytree(ROOT / "benchmarks", copy / "benchmarks")
    return copy


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every PDF rendered (by a stand-in for WeasyPrint: a PDF that is a digest of its HTML)."""
    done: list[str] = []

    def render(job: ncc_scorecard.render.pool.PdfJob) -> ncc_scorecard.render.pool.Made:
        done.append(job.name)
        pdf = b"%PDF-1.7\n% " + hashlib.sha256(job.html.encode()).hexdigest().encode() + b"\n"
        return ncc_scorecard.render.pool.Made(pdf, seconds=0.0, cpu=0.0, peak=0)

    monkeypatch.setattr(ncc_scorecard.render.pool, "_render", render)
    return done


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What every page rendered is (``site page 2017-12-31/index.html``, ``report '…'`` for an appendix)."""
    done: list[str] = []
    render_template = ncc_scorecard.render.html.render_template

    def counting(env: object, name: str, context: object, what: str) -> str:
        done.append(what)
        return render_template(env, name, context, what)  # type: ignore[arg-type]

    monkeypatch.setattr(ncc_scorecard.render.html, "render_template", counting)
    return done


def site(project: Path, out: Path, as_at: str = "2017-12", history: int = 3) -> None:
    run("site", "--project", str(project), "--as-at", as_at, "--history", str(history), "--out", str(out))


def build(project: Path, out: Path, as_at: str) -> None:
    run("build", "--project", str(project), "--as-at", as_at, "--format", "html,pdf", "--out", str(out))


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def entries(out: Path) -> set[str]:
    return {path.name for path in (out / ".cache").glob("*.pdf")}


def test_a_build_between_two_site_runs_leaves_the_site_its_pdfs(
    project: Path, tmp_path: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ncc_scorecard.build, "CACHE_SPARE", 0)  # keep only what some command's last run used
    out = tmp_path / "out"
    site(project, out)
    assert len(renders) == 3 and len(entries(out)) == 3  # one report × three dates
    build(project, out, "2017-09")  # a date the site does not show
    assert len(renders) == 4 and len(entries(out)) == 4  # the site's entries are still there
    renders.clear()
    site(project, out)
    assert renders == []  # its files as it wrote them: kept
    shutil.rmtree(out / "site")
    site(project, out)
    assert renders == []  # written again from the cache
    build(project, out, "2017-09")
    assert renders == []


def test_the_cache_stays_bounded_when_dates_roll_forward(
    project: Path, tmp_path: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ncc_scorecard.build, "CACHE_SPARE", 2)
    out = tmp_path / "out"
    for month in ("2017-08", "2017-09", "2017-10", "2017-11", "2017-12"):
        site(project, out, month, 2)
        build(project, out, month)
        # the site's two dates, the build's date (also the site's newest) and at most two others
        assert len(entries(out)) <= 2 + 2
    assert len(renders) == 5 + 1  # each month's PDF once, and the one before the first month
    site(project, out, "2017-12", 2)
    assert len(renders) == 6


def change_a_comment(project: Path) -> None:
    csv = project / "data" / "2017-12.csv"
    text = csv.read_text(encoding="utf-8")
    old = "Senior managers are aware that the level of caseloads"
    assert old in text
    csv.write_text(text.replace(old, "Senior managers know that the level of caseloads"), encoding="utf-8")


@pytest.mark.parametrize("change", [change_a_comment, lambda project: None], ids=["a comment", "nothing"])
def test_a_site_built_over_an_older_one_is_the_same_as_a_fresh_one(
    project: Path,
    tmp_path: Path,
    renders: list[str],
    pages: list[str],
    change: Callable[[Path], None],
) -> None:
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    site(project, warm)
    older = warm / "site" / "2017-11-30" / "measures" / "sw-caseload.html"
    written = older.stat().st_mtime_ns
    change(project)
    renders.clear()
    pages.clear()
    site(project, warm)
    if change is change_a_comment:
        # the measure's pages (its history changed) and the report as at the newest date (its page,
        # appendix and PDF)
        assert sorted(pages) == [
            "report 'childrens-safeguarding'",
            "site page 2017-10-31/measures/sw-caseload.html",
            "site page 2017-11-30/measures/sw-caseload.html",
            "site page 2017-12-31/childrens-safeguarding.html",
            "site page 2017-12-31/measures/sw-caseload.html",
        ]
        assert renders == ["report 'childrens-safeguarding' as at 2017-12-31"]
        assert older.stat().st_mtime_ns == written  # made again, the same: not written
    else:
        assert pages == [] and renders == []
    site(project, cold)
    assert files(warm / "site") == files(cold / "site")


def test_a_page_changed_on_disk_is_written_again(project: Path, tmp_path: Path, renders: list[str]) -> None:
    out = tmp_path / "out"
    site(project, out)
    before = files(out / "site")
    page = out / "site" / "2017-11-30" / "measures" / "sw-caseload.html"
    page.write_text("changed by hand", encoding="utf-8")
    (out / "site" / "latest" / "childrens-safeguarding.pdf").unlink()
    site(project, out)
    assert files(out / "site") == before
    assert len(renders) == 3  # the PDF came from the cache


def test_force_makes_every_page_again(project: Path, tmp_path: Path, renders: list[str], pages: list[str]) -> None:
    out = tmp_path / "out"
    site(project, out)
    first = len(pages)
    pages.clear()
    run("site", "--project", str(project), "--as-at", "2017-12", "--history", "3", "--out", str(out), "--force")
    assert len(pages) == first and len(renders) == 6
