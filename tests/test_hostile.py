"""Hostile and broken projects: links out of the project, formulas and terminal escapes in text,
a tampered PDF cache, an out folder over the inputs, names the site needs, stale temporary files.

Each test is named after the defect it keeps out, and goes through the command line (CliRunner).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import html
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from scorecard_testing import (
    CATALOGUE,
    VALID_RESULTS,
    assert_clean,
    build,
    copy_project,
    invoke,
    problem_line,
    write_project,
)

from ncc_scorecard.render.exports import neutralise


def link(target: Path, path: Path) -> None:
    """A symbolic link at ``path`` to ``target``."""
    try:
        os.symlink(target, path)
    except (OSError, NotImplementedError):  # Windows without the privilege to make links
        pytest.skip("cannot make symbolic links here")


# --- 3. terminal escape sequences --------------------------------------------------------------


OSC_TITLE = "\x1b]0;owned\x07"


def test_terminal_escape_sequences_from_data_are_shown_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = f"measure,period,value\n{OSC_TITLE}evil,2017-12,1\ntimely-assessments,2017-12,\x9b31m\n"
    project = write_project(tmp_path / "project", files={"r.csv": results})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert_clean(result)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)
    problem_line(result.output, "data/r.csv:2", [r"no measure '\x1b]0;owned\x07evil'"])
    problem_line(result.output, "data/r.csv:3", [r"'\x9b31m' is not a number"])


def test_a_newline_from_data_cannot_forge_a_line_of_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = 'measure,period,value\n"x\ndata/r.csv:9: all fine",2017-12,1\n'
    project = write_project(tmp_path / "project", files={"r.csv": results})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("data/r.csv")] == [
        r"data/r.csv:2: column measure: no measure 'x\x0adata/r.csv:9: all fine' in the catalogue"
    ]


def test_terminal_escapes_in_catalogue_text_are_escaped_in_the_due_table(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace("title: Families helped", 'title: "Families \\e[2Jhelped"')
    project = write_project(tmp_path / "project", catalogue)
    result = invoke("due", "--project", str(project), "--as-at", "2018-01-31")
    assert result.exit_code == 0, result.output
    assert "Families \\x1b[2Jhelped" in result.output
    assert "\x1b" not in result.output


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1bb", "a\\x1bb"),
        ("bell\x07", "bell\\x07"),
        ("del\x7f", "del\\x7f"),
        ("csi\x9b", "csi\\x9b"),
        ("rtl\u202eltr", "rtl\\u202eltr"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("carriage\rreturn", "carriage\\x0dreturn"),
        ("plain – £ ▲ é", "plain – £ ▲ é"),
    ],
)
def test_printable_escapes_control_characters_and_keeps_line_breaks(text: str, shown: str) -> None:
    from ncc_scorecard.problems import printable

    assert printable(text) == shown


# --- 13. negative figures in the CSV export --------------------------------------------------------


def test_negative_figures_get_no_apostrophe_in_the_csv_export(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace("targets: {2017/18: 90}", "targets: {2017/18: -2}\n    min: -10\n    decimals: 1")
    results = "measure,period,value,comment\ntimely-assessments,2017-12,-5,-x\nfamilies-helped,2017-10,-1508,=1+1\n"
    project = write_project(tmp_path / "project", catalogue, {"r.csv": results})
    result = build(project, formats="csv")
    assert result.exit_code == 0, result.output
    text = (project / "out" / "overview.csv").read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    timely, families = rows["timely-assessments"], rows["families-helped"]
    assert (timely["display"], timely["target_display"], timely["comment"]) == ("-5.0", "-2", "'-x")
    assert (families["display"], families["comment"]) == ("-1,508", "'=1+1")


@pytest.mark.parametrize("figure", ["-5", "+5", "-1,508.5", "-3%", "-.5", "-£12", "-£1,200.50"])
def test_neutralise_leaves_figures_written_as_text_alone(figure: str) -> None:
    assert neutralise(figure) == figure


@pytest.mark.parametrize("text", ["-", "-x", "-1+2", "-5e3", "+-5", "-£", "-(5)", "-1,23", "+=1"])
def test_neutralise_still_prefixes_text_that_only_starts_like_a_figure(text: str) -> None:
    assert neutralise(text) == "'" + text


# --- 2. formulas in the due workbook ---------------------------------------------------------------


def sheet_cells(workbook: bytes, sheet: int) -> dict[str, tuple[str | None, str]]:
    """Each cell of a worksheet as written: its type (``t``) and its XML, by reference."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        xml = archive.read(f"xl/worksheets/sheet{sheet}.xml").decode("utf-8")
    cells = re.findall(r'(<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>.*?</c>))', xml)
    return {ref: ((re.search(r't="(\w+)"', attrs) or [None, None])[1], whole) for whole, ref, attrs in cells}


def cell_text(xml: str) -> str:
    found = re.search(r"<is><t[^>]*>(.*?)</t></is>", xml, re.S)
    return html.unescape(found.group(1)) if found else ""


def test_catalogue_text_is_never_a_live_formula_in_the_due_workbook(tmp_path: Path) -> None:
    hyperlink = '=HYPERLINK("http://example.com/?"&A1,"Click")'
    catalogue = (
        CATALOGUE.replace("organisation: Testshire County Council", "organisation: '@SUM(1)'")
        .replace("title: Families helped", "title: '=1+1'\n    owner: '-2+3'")
        .replace("title: Residents satisfied", f"title: '{hyperlink}'")
    )
    project = write_project(tmp_path / "project", catalogue, {"r.csv": "measure,period,value\n"})
    out = tmp_path / "due.xlsx"
    result = invoke("due", "--project", str(project), "--as-at", "2018-06-30", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    workbook = out.read_bytes()
    for sheet in (1, 2):
        for ref, (kind, xml) in sheet_cells(workbook, sheet).items():
            assert "<f>" not in xml and "<f " not in xml, (sheet, ref, xml)
            assert kind == "inlineStr" or "<v>" not in xml, (sheet, ref, xml)  # text, or an empty cell
    texts = {ref: cell_text(xml) for ref, (_, xml) in sheet_cells(workbook, 2).items()}
    assert texts["A1"] == "'@SUM(1): results due"
    assert {"'=1+1", "'-2+3", "'" + hyperlink} <= set(texts.values())
    assert texts["A1"].startswith("'") and sum(text.startswith(("'", "=")) for text in texts.values()) == 4


# --- 1. links leading out of the project ------------------------------------------------------------


SECRET = "s3cr3t-token-4242"
LINK_OUT = "is a link leading outside the project, so it is not read"


def outside_file(tmp_path: Path) -> Path:
    """A result file outside the project whose every cell is a secret."""
    path = tmp_path / "elsewhere" / "secret.csv"
    path.parent.mkdir()
    path.write_text(f"{SECRET},period,value\ntimely-assessments,2017-12,{SECRET}\n", encoding="utf-8")
    return path


def refused(project: Path, monkeypatch: pytest.MonkeyPatch, *locations: str) -> str:
    """``validate`` and ``build`` each report a link at every location, quote nothing behind it and write nothing."""
    monkeypatch.chdir(project)
    outputs = []
    for result in (invoke("validate"), invoke("build", "--as-at", "2017-12-31", "--format", "json,csv")):
        assert result.exit_code == 1, result.output
        assert_clean(result)
        for location in locations:
            assert f"{location}: {LINK_OUT}" in result.output, result.output
        assert SECRET not in result.output and "root:" not in result.output
        outputs.append(result.output)
    assert not (project / "out").exists()
    return "\n".join(outputs)


def test_symlink_to_proc_environ_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/proc/self/environ").exists():
        pytest.skip("no /proc here")
    monkeypatch.setenv("SCORECARD_SECRET", SECRET)
    project = write_project(tmp_path / "project")
    link(Path("/proc/self/environ"), project / "data" / "zz.csv")
    output = refused(project, monkeypatch, "data/zz.csv")
    assert "PATH=" not in output and "unknown column" not in output


def test_symlink_to_etc_passwd_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project")
    link(Path("/etc/passwd"), project / "data" / "passwd.csv")
    link(outside_file(tmp_path), project / "data" / "secret.csv")
    refused(project, monkeypatch, "data/passwd.csv", "data/secret.csv")


def test_symlink_data_folder_to_another_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project", files={})
    (project / "data").rmdir()
    link(outside_file(tmp_path).parent, project / "data")
    output = refused(project, monkeypatch, "data")
    assert "data/secret.csv" not in output


def test_symlink_catalogue_outside_the_project_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project", catalogue=None)
    catalogue = tmp_path / "elsewhere.yaml"
    catalogue.write_text(CATALOGUE.replace("Testshire County Council", SECRET), encoding="utf-8")
    link(catalogue, project / "measures.yaml")
    refused(project, monkeypatch, "measures.yaml")


def test_symlinks_in_templates_leading_outside_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project")
    (project / "templates").mkdir()
    (project / "templates" / "appendix.html.j2").write_text('{% include "secret.html" %}', encoding="utf-8")
    link(outside_file(tmp_path), project / "templates" / "secret.html")
    link(tmp_path / "elsewhere", project / "templates" / "site")
    refused(project, monkeypatch, "templates/secret.html", "templates/site")


def test_symlink_templates_folder_to_another_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ncc_scorecard.render.environment import default_templates_dir, make_environment
    from ncc_scorecard.render.pdf import allowed_roots

    project = write_project(tmp_path / "project")
    outside_file(tmp_path).with_name("appendix.html.j2").write_text(SECRET, encoding="utf-8")
    link(tmp_path / "elsewhere", project / "templates")
    refused(project, monkeypatch, "templates")
    # nor do the renderer and the PDF fetcher use such a folder
    assert allowed_roots(project / "templates") == [default_templates_dir().resolve()]
    template = make_environment(project / "templates").get_template("appendix.html.j2")
    assert Path(template.filename or "").parent == default_templates_dir()


def test_symlinks_to_benchmarks_outside_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("benchmarks", tmp_path)
    link(outside_file(tmp_path), project / "benchmarks" / "more.csv")
    (project / "benchmarks" / "ks2-dfe.csv").rename(tmp_path / "elsewhere" / "ks2-dfe.csv")
    link(tmp_path / "elsewhere" / "ks2-dfe.csv", project / "benchmarks" / "ks2-dfe.csv")
    output = refused(project, monkeypatch, "benchmarks/more.csv")
    problem_line(output, "measures.yaml:41", ["benchmark_source.file", "benchmarks/ks2-dfe.csv is outside the project"])


@pytest.mark.parametrize("source", ["../elsewhere/secret.csv", "/etc/passwd"])
def test_benchmark_source_outside_the_project_is_refused(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project("benchmarks", tmp_path)
    outside_file(tmp_path)
    catalogue = project / "measures.yaml"
    catalogue.write_text(catalogue.read_text().replace("file: benchmarks/ks2-dfe.csv", f"file: {source}"))
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    problem_line(result.output, "measures.yaml:41", [f"{source} is outside the project", "it is not read"])
    assert SECRET not in result.output and "root:" not in result.output


def test_links_inside_the_project_stay_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project", files={})
    (project / "data").rmdir()
    (project / "shared" / "results").mkdir(parents=True)
    (project / "shared" / "results" / "r.csv").write_text(VALID_RESULTS, encoding="utf-8")
    (project / "shared" / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    link(Path("shared/results"), project / "data")
    (project / "measures.yaml").unlink()
    link(Path("shared/catalogue.yaml"), project / "measures.yaml")
    (project / "templates").mkdir()
    link(Path("../shared/catalogue.yaml"), project / "templates" / "notes.txt")
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert "1 results in 1 file(s)" in result.output


# --- 4. the PDF cache --------------------------------------------------------------------------------


def cache_entries(out: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in (out / ".cache").glob("*.pdf")}


def test_failed_build_writes_no_pdf_cache_entry(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    (out / "overview.json").mkdir(parents=True)  # in the way: the build fails when it writes
    result = build(project, formats="pdf,json", out=out)
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert "cannot write" in result.output
    assert cache_entries(out) == {}
    assert not (out / "overview.pdf").exists()


def test_garbage_pdf_cache_entry_is_rendered_again_not_published(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    out = tmp_path / "out"
    assert build(project, formats="pdf", out=out).exit_code == 0
    good = (out / "overview.pdf").read_bytes()
    (entry,) = cache_entries(out)
    assert entry.name == f"{entry.name[:64]}.{hashlib.sha256(good).hexdigest()}.pdf"
    entry.write_bytes(b"%PDF-1.7 not what was cached")
    (out / "overview.pdf").unlink()
    result = build(project, formats="pdf", out=out)
    assert result.exit_code == 0, result.output
    assert (out / "overview.pdf").read_bytes() == good
    assert cache_entries(out) == {entry: good}  # the damaged entry is replaced


def test_pruning_the_cache_removes_only_entries_the_tool_wrote(tmp_path: Path) -> None:
    from ncc_scorecard.render.pool import cache_entry, prune_cache

    cache = tmp_path / ".cache"
    cache.mkdir()
    ours = [cache_entry(cache, f"{n:064x}", b"%PDF-" + bytes([n])) for n in range(3)]
    for age, path in enumerate(ours):
        path.write_bytes(b"%PDF-")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    theirs = [cache / "minutes.pdf", cache / f"{0:064x}.pdf.bak", cache / "notes.txt"]
    for path in theirs:
        path.write_bytes(b"kept")
        os.utime(path, (1, 1))
    prune_cache(cache, keep=1)
    assert sorted(cache.iterdir()) == sorted([ours[0], *theirs])


# --- 6. --out over the project's own files -----------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("data", "--out data is the project's data/ folder"),
        ("data/2017", "--out data/2017 is inside the project's data/ folder"),
        ("templates", "--out templates is the project's templates/ folder"),
        ("benchmarks", "--out benchmarks is the project's benchmarks/ folder"),
        (".", "--out . is the project folder"),
    ],
)
def test_out_over_the_projects_own_files_is_refused(
    out: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = CATALOGUE.replace("id: overview", "id: '2017-12'")
    project = write_project(tmp_path / "project", catalogue, {"2017-12.csv": VALID_RESULTS})
    (project / "templates").mkdir()
    (project / "benchmarks").mkdir()
    monkeypatch.chdir(project)
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    for command in (["build", "--format", "json,csv,html"], ["site"]):
        result = invoke(*command, "--as-at", "2017-12-31", "--out", out)
        assert result.exit_code == 2, result.output
        assert_clean(result)
        assert message in result.output
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_out_holding_the_project_under_its_site_folder_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path / "site" / "project")
    result = invoke("site", "--project", str(project), "--as-at", "2017-12-31", "--out", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "holds the project folder" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_out_beside_or_above_the_project_is_still_allowed(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    assert build(project, out=tmp_path).exit_code == 0
    assert (tmp_path / "overview.json").is_file()


# --- 10. tracebacks instead of messages ---------------------------------------------------------------


def refuse(monkeypatch: pytest.MonkeyPatch, method: str, name: str, code: int = errno.EACCES) -> None:
    """Make ``Path.<method>`` fail with ``code`` for any path called ``name``."""
    original = getattr(Path, method)

    def refused(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == name:
            raise OSError(code, os.strerror(code), str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, refused)


@pytest.mark.parametrize(
    ("method", "name", "code", "location", "message"),
    [
        ("stat", "measures.yaml", errno.EACCES, "measures.yaml", "cannot be read: Permission denied"),
        ("read_bytes", "measures.yaml", errno.EIO, "measures.yaml", "cannot be read: Input/output error"),
        ("read_bytes", "results.csv", errno.EIO, "data/results.csv", "cannot be read: Input/output error"),
        ("read_bytes", "results.csv", errno.EACCES, "data/results.csv", "cannot be read: Permission denied"),
    ],
)
def test_unreadable_catalogue_or_result_file_is_a_message_not_a_traceback(
    method: str, name: str, code: int, location: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "project")
    monkeypatch.chdir(project)
    refuse(monkeypatch, method, name, code)
    result = invoke("validate")
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert f"{location}: {message}" in result.output


@pytest.mark.parametrize("command", [["build", "--format", "pdf"], ["site"]])
def test_out_being_a_file_is_a_message_not_a_traceback(command: list[str], tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    (project / "out").write_text("a file")
    result = invoke(*command, "--project", str(project), "--as-at", "2017-12-31")
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert "is a file, not a folder" in result.output


def test_cache_folder_being_a_file_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    (project / "out").mkdir()
    (project / "out" / ".cache").write_text("a file")
    result = build(project, formats="pdf,json")
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert "out/.cache is a file, not a folder" in result.output.replace("\\", "/")
    assert not (project / "out" / "overview.json").exists()


def test_unwritable_out_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refused(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    project = write_project(tmp_path / "project")
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = build(project, formats="json")
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert "overview.json: Permission denied" in result.output


# --- 11. names the site uses; temporary files of a killed run ----------------------------------------


@pytest.mark.parametrize("report_id", ["index", "latest", "measures", "site"])
def test_site_report_id_index_is_refused(report_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project", CATALOGUE.replace("id: overview", f"id: {report_id}"))
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    problem_line(result.output, "measures.yaml:3", [f"'{report_id}' names the portal's own pages and folders"])


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    out = project / "out"
    out.mkdir()
    stale, fresh = out / ".overview.json.k1ll3d_x.tmp", out / ".overview.json.wr1t1ng.tmp"
    others = [out / ".notes.txt.k1ll3d_x.tmp", out / ".overview.json.tmp", out / "overview.json.k1ll3d_x.tmp"]
    for path in [stale, fresh.with_name(".overview.json.wr1t1ngx.tmp"), *others]:
        path.write_text("half")
        os.utime(path, (0, 0))
    fresh = fresh.with_name(".overview.json.wr1t1ngx.tmp")
    os.utime(fresh, None)  # another run may be writing it now
    assert build(project).exit_code == 0
    assert not stale.exists()
    assert fresh.exists() and all(path.exists() for path in others)
