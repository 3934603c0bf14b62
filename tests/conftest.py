"""Shared fixtures: the repository's bundled example and a guard against WeasyPrint warnings."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = Path(__file__).resolve().parent / "projects"


@pytest.fixture(autouse=True)
def _plain_problem_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems print as ``path:line: message`` even when the suite itself runs on GitHub Actions."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A private copy of the bundled example (measures.yaml, data/, templates/)."""
    target = tmp_path / "example"
    target.mkdir()
    shutil.copy(ROOT / "measures.yaml", target / "measures.yaml")
    shutil.copytree(ROOT / "data", target / "data")
    return target


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def no_weasyprint_warnings() -> Iterator[None]:
    """Fail the test if the ``weasyprint`` logger warns: an unsupported CSS property is a bug."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    messages = [record.getMessage() for record in collector.records]
    assert not messages, f"WeasyPrint warned: {messages}"


class HTMLSnapshot(SingleFileSnapshotExtension):
    """A snapshot kept as an .html (or .svg) file beside the tests, so it opens in a browser for review.

    Update after a deliberate change with ``.venv/bin/python -m pytest --snapshot-update``, look at
    the changed files, and commit them with the change.
    """

    file_extension = _file_extension = "html"
    _write_mode = WriteMode.TEXT


class SVGSnapshot(HTMLSnapshot):
    file_extension = _file_extension = "svg"


@pytest.fixture
def html_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(HTMLSnapshot)


@pytest.fixture
def svg_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(SVGSnapshot)
