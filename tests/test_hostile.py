"""Hostile and broken projects: links out of the project, formulas and terminal escapes in text,
a tampered PDF cache, an out folder over the inputs, names the site needs, stale temporary files.

Each test is named after the defect it keeps out, and goes through the command line (CliRunner).
"""

from __future__ import annotations

import csv
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
