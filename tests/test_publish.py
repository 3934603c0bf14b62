"""Published records: `publish` keeps what the committee saw; a later change to the data is listed as
a revision by build, changes, validate and the site, until it is acknowledged or republished."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scorecard_testing import copy_project, invoke

PUBLISHED_AT = "2017-11-30"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal project with the overview published as at 30.11.17; run from inside it, so
    locations read as a user sees them (data/monthly.csv:4)."""
    root = copy_project("minimal", tmp_path)
    monkeypatch.chdir(root)
    result = invoke("publish", "overview", "--as-at", PUBLISHED_AT, "--project", str(root), "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    return root


def revise_november(root: Path) -> None:
    """A late return: November's assessments within 45 days were 180 of 200, not 172 (86.0% → 90.0%)."""
    data = root / "data" / "monthly.csv"
    text = data.read_text(encoding="utf-8")
    assert "timely-assessments,2017-11,,172,200" in text
    data.write_text(text.replace("timely-assessments,2017-11,,172,200", "timely-assessments,2017-11,,180,200"))


def test_publish_writes_the_json_output_and_the_pdf(project: Path) -> None:
    folder = project / "published" / "overview"
    assert sorted(p.name for p in folder.iterdir()) == ["2017-11-30.json", "2017-11-30.pdf"]
    record = json.loads((folder / "2017-11-30.json").read_text(encoding="utf-8"))
    assert (record["schema_version"], record["revision"], record["reason"]) == (1, 1, None)
    assert record["tool_version"]
    assert set(record["inputs"]) == {"measures.yaml", "data/monthly.csv", "data/quarterly-and-annual.csv"}
    assert all(digest.startswith("sha256:") for digest in record["inputs"].values())
    # the scorecard is exactly the JSON output of `build` for that date
    out = project / "json"
    assert invoke("build", "overview", "--as-at", PUBLISHED_AT, "--project", str(project), "--format", "json",
                  "--out", str(out), "-q").exit_code == 0  # fmt: skip
    assert record["scorecard"] == json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert (folder / "2017-11-30.pdf").read_bytes().startswith(b"%PDF-")


def test_publishing_the_same_figures_again_changes_nothing(project: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in (project / "published" / "overview").iterdir()}
    result = invoke("publish", "overview", "--as-at", PUBLISHED_AT, "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "already published with these figures: nothing to do" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in (project / "published" / "overview").iterdir()} == before


def test_a_revised_figure_is_listed_everywhere_and_a_silent_republish_is_refused(project: Path) -> None:
    revise_november(project)
    # build: a warning at the revised row
    result = invoke("build", "--as-at", "2017-12-31", "--project", str(project), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    assert "monthly.csv:4: warning: column value: 'overview' as at 2017-11-30 was published with other figures: " \
        "timely-assessments Nov 2017: published 86.0, now 90.0" in result.output  # fmt: skip
    # changes: the revisions after the changes, and in the JSON
    text = invoke("changes", "--as-at", "2017-12-31", "--project", str(project)).output
    assert "overview: revised since publication as at 2017-11-30" in text
    assert "timely-assessments Nov 2017: published 86.0, now 90.0 (data/monthly.csv:4)" in text
    document = json.loads(
        invoke("changes", "--as-at", "2017-12-31", "--project", str(project), "--format", "json").output
    )
    figures = {(r["measure"], r["figure"]): (r["published"], r["now"]) for r in document["revisions"]}
    assert figures[("timely-assessments", "value")] == ("86.0", "90.0")
    assert figures[("timely-assessments", "numerator")] == (172, 180)
    # validate --strict fails in CI
    strict = invoke("validate", "--project", str(project), "--strict")
    assert strict.exit_code == 1 and "published with other figures" in strict.output
    # publishing the date again without a reason is refused, and nothing is written
    refused = invoke("publish", "overview", "--as-at", PUBLISHED_AT, "--project", str(project))
    assert refused.exit_code == 1
    assert "2017-11-30 is already published with other figures" in refused.output
    assert "timely-assessments Nov 2017: published 86.0, now 90.0" in refused.output
    assert sorted(p.name for p in (project / "published" / "overview").iterdir()) == [
        "2017-11-30.json",
        "2017-11-30.pdf",
    ]


def test_a_note_in_the_catalogue_acknowledges_a_revision(project: Path) -> None:
    revise_november(project)
    catalogue = project / "measures.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8")
        + "\nrevisions:\n  - {measure: timely-assessments, period: 2017-11, note: Late return from the east team}\n",
        encoding="utf-8",
    )
    assert invoke("validate", "--project", str(project), "--strict").exit_code == 0
    text = invoke("changes", "--as-at", "2017-12-31", "--project", str(project)).output
    assert "published 86.0, now 90.0 (data/monthly.csv:4) (acknowledged)" in text
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("measure: timely-assessments, period", "measure: timely, period")
    )
    wrong = invoke("validate", "--project", str(project))
    assert wrong.exit_code == 1 and "revisions[0].measure: no measure 'timely' in the catalogue" in wrong.output


def test_a_revision_with_its_reason_keeps_the_earlier_record(project: Path) -> None:
    revise_november(project)
    result = invoke("publish", "overview", "--as-at", PUBLISHED_AT, "--project", str(project), "-j", "1",
                    "--revise", "Late return from the east team")  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = project / "published" / "overview"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2017-11-30.json", "2017-11-30.pdf", "2017-11-30.r2.json", "2017-11-30.r2.pdf",
    ]  # fmt: skip
    first = json.loads((folder / "2017-11-30.json").read_text(encoding="utf-8"))
    second = json.loads((folder / "2017-11-30.r2.json").read_text(encoding="utf-8"))
    assert (second["revision"], second["reason"]) == (2, "Late return from the east team")
    shown = (
        {m["id"]: m["display"] for m in first["scorecard"]["measures"]},
        {m["id"]: m["display"] for m in second["scorecard"]["measures"]},
    )
    assert (shown[0]["timely-assessments"], shown[1]["timely-assessments"]) == ("86.0", "90.0")
    assert invoke("validate", "--project", str(project), "--strict").exit_code == 0  # the latest record agrees


def test_the_site_shows_a_published_date_from_its_record(project: Path) -> None:
    revise_november(project)
    out = project / "out"
    result = invoke("site", "overview", "--as-at", "2017-12-31", "--history", "2", "--project", str(project),
                    "--out", str(out), "-q", "-j", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (out / "site" / PUBLISHED_AT / "overview.html").read_text(encoding="utf-8")
    assert '<h2 id="publication-heading">As published to committee</h2>' in page
    assert "<li>timely-assessments Nov 2017: published 86.0, now 90.0</li>" in page
    # the table holds the published figure, not today's
    published_row = page.split("Assessments completed within 45 days</th>")[1].split("</tr>")[0]
    assert '<td class="fig" data-label="Value">86.0</td>' in published_row
    # the PDF is the one published, byte for byte
    assert (out / "site" / PUBLISHED_AT / "overview.pdf").read_bytes() == (
        project / "published" / "overview" / "2017-11-30.pdf"
    ).read_bytes()
    measure = (out / "site" / PUBLISHED_AT / "measures" / "timely-assessments.html").read_text(encoding="utf-8")
    assert '<h2 id="revised-heading">Revised since publication</h2>' in measure
    assert "<li>timely-assessments Nov 2017: published 86.0, now 90.0</li>" in measure
    other = (out / "site" / PUBLISHED_AT / "measures" / "families-helped.html").read_text(encoding="utf-8")
    assert "revised-heading" not in other
    later = (out / "site" / "2017-12-31" / "overview.html").read_text(encoding="utf-8")
    assert '<h2 id="publication-heading">Not published</h2>' in later
    assert "computed from today's data" in later


def test_an_older_record_without_a_schema_version_is_read(project: Path) -> None:
    """Schema version 0 is the bare JSON output of `build` (tests/data/published-v0.json, kept as
    an earlier version of the tool wrote it): it reads as that date's record."""
    fixture = Path(__file__).parent / "data" / "published-v0.json"
    target = project / "published" / "overview" / "2017-10-31.json"
    target.write_bytes(fixture.read_bytes())
    result = invoke("changes", "--as-at", "2017-12-31", "--project", str(project))
    assert result.exit_code == 0, result.output
    # the fixture says 85.0 for October where the data gives 88.0
    assert "overview: revised since publication as at 2017-10-31" in result.output
    assert "timely-assessments Oct 2017: published 85.0, now 88.0 (data/monthly.csv:3)" in result.output


def test_a_record_of_a_newer_version_is_a_clear_error(project: Path) -> None:
    path = project / "published" / "overview" / "2017-11-30.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(record | {"schema_version": 99}), encoding="utf-8")
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 1
    assert "2017-11-30.json: schema_version 99 is newer than this version of ncc-scorecard reads (1)" in result.output


def test_revise_needs_a_reason(project: Path) -> None:
    result = invoke("publish", "--as-at", PUBLISHED_AT, "--project", str(project), "--revise", " ")
    assert result.exit_code == 2 and "give the reason for the revision" in result.output
