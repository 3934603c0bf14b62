"""Each report is computed at most once as at each date in a run: a build and its changes, the site's
dates, the revisions of published records and ``publish`` share one set of computations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from scorecard_testing import copy_project, invoke

from ncc_scorecard import build as pipeline
from ncc_scorecard.calculator import compute_report
from ncc_scorecard.changes import previous_report_date
from ncc_scorecard.periods import month_ends


def count_computations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, date]]:
    """Every (report id, date) the pipeline computes from now on, in order."""
    calls: list[tuple[str, date]] = []

    def counted(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        report, as_at = args[1], args[3]
        calls.append((report.id, as_at))  # type: ignore[attr-defined]
        return compute_report(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "compute_report", counted)
    return calls


def no_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs stand-ins, so that a run takes a moment: what is counted here is the computing."""

    def stage(project: object, targets: Sequence[pipeline.PdfTarget], *args: object) -> pipeline.Rendered:
        return pipeline.Rendered({target.path: b"%PDF-1.7 stand-in" for target in targets})

    monkeypatch.setattr(pipeline, "pdf_stage", stage)


def expected(root: Path, dates: Sequence[date]) -> set[tuple[str, date]]:
    """Every report as at every date, and as at the previous report date of each."""
    catalogue = pipeline.load_project(root, max(dates), warn=False).catalogue
    return {
        (report.id, day)
        for report in catalogue.reports
        for as_at in dates
        for day in (as_at, previous_report_date(catalogue, report, as_at))
    }


@pytest.mark.parametrize("name", ["minimal", "weekly-and-biennial"])
def test_a_site_computes_each_report_once_as_at_each_date(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(name, tmp_path)
    no_pdfs(monkeypatch)
    dates = month_ends(date(2017, 12, 31), 12)
    wanted = expected(root, dates)
    calls = count_computations(monkeypatch)
    result = invoke("site", "--project", str(root), "--as-at", "2017-12-31", "--history", "12", "-q")
    assert result.exit_code == 0, result.output
    assert len(calls) == len(set(calls)), "a report was computed twice as at the same date"
    assert set(calls) == wanted
    if name == "minimal":  # mostly monthly: 12 dates and the month before the first
        assert len([call for call in calls if call[0] == "overview"]) == 13


def test_revisions_publish_and_the_site_share_the_computations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project("minimal", tmp_path)
    no_pdfs(monkeypatch)
    calls = count_computations(monkeypatch)
    for day in ("2017-10-31", "2017-11-30"):
        result = invoke("publish", "--as-at", day, "--project", str(root), "-q")
        assert result.exit_code == 0, result.output
    assert len(calls) == 4 * 2  # each publish: two reports, as at the day and the month before
    calls.clear()
    # the published dates' revisions are checked before the site computes the same dates
    result = invoke("site", "--project", str(root), "--as-at", "2017-12-31", "--history", "3", "-q")
    assert result.exit_code == 0, result.output
    assert len(calls) == len(set(calls)) == len(expected(root, month_ends(date(2017, 12, 31), 3)))
    published = root / "out" / "site" / "2017-11-30" / "overview.pdf"
    assert published.read_bytes() == b"%PDF-1.7 stand-in"


def test_a_build_computes_each_report_as_at_its_date_and_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project("minimal", tmp_path)
    no_pdfs(monkeypatch)
    assert invoke("publish", "--as-at", "2017-12-31", "--project", str(root), "-q").exit_code == 0
    calls = count_computations(monkeypatch)
    result = invoke("build", "--project", str(root), "--as-at", "2017-12-31", "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(calls) == sorted(expected(root, [date(2017, 12, 31)]))
    assert len(calls) == 4
