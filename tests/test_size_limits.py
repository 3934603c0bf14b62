"""Hostile and broken input, continued: sizes, numbers and dates, placeholders, nesting, the scale of
bad input, and what a file that is not text is called.

Each test is named after the defect it keeps out, and goes through the command line (CliRunner),
or a subprocess with a memory ceiling where memory is the point.
"""

from __future__ import annotations

import difflib
import io
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from scorecard_testing import (
    CATALOGUE,
    VALID_RESULTS,
    assert_clean,
    build,
    build_json,
    invoke,
    measure,
    problem_line,
    write_project,
)

from ncc_scorecard.calculator import underlying_sentence
from ncc_scorecard.catalogue import MAX_REPORT_MEASURES
from ncc_scorecard.problems import MOST_SHOWN
from ncc_scorecard.xlsx import MAX_PART_BYTES

REPOSITORY = Path(__file__).resolve().parent.parent


def workbook(edit: Callable[[bytes], bytes] | None = None) -> bytes:
    """A one-row result workbook, its sheet's XML changed by ``edit``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["measure", "period", "value", "comment"])
    sheet.append(["timely-assessments", "2017-12", 88, "ok"])
    buffer = io.BytesIO()
    book.save(buffer)
    if edit is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, edit(content) if info.filename == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


def add_to_sheet(xml: str, after: str = "") -> Callable[[bytes], bytes]:
    """An edit adding rows (``xml``) at the end of the sheet data, and ``after`` it."""
    return lambda content: content.replace(b"</sheetData>", xml.encode() + b"</sheetData>" + after.encode())


def validate_within(project: Path, megabytes: int = 600) -> subprocess.CompletedProcess[str]:
    """``validate`` in a process that may not grow past ``megabytes`` of memory."""
    ceiling = megabytes * 2**20

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "ncc_scorecard", "validate", "--project", str(project)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limit,
        timeout=120,
        check=False,
    )


# --- 5. memory -------------------------------------------------------------------------------------


def test_workbook_with_one_cell_at_XFD1048576_is_read_in_bounded_memory(tmp_path: Path) -> None:  # noqa: N802
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    project = write_project(tmp_path / "p", files={"r.xlsx": workbook(add_to_sheet(far))})
    result = validate_within(project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "r.xlsx:Sheet!XFD1048576: this cell is outside the table: its column has no header" in result.stderr


def test_workbook_whose_dimension_reaches_beyond_excels_grid_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit = lambda content: content.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFE1048577"/>')  # noqa: E731
    project = write_project(tmp_path / "p", files={"r.xlsx": workbook(edit)})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert_clean(result)
    problem_line(result.output, "data/r.xlsx", ["reach A1:XFE1048577, beyond Excel's last cell XFD1048576"])


def test_merged_range_over_a_whole_sheet_is_refused_before_loading(tmp_path: Path) -> None:
    merged = add_to_sheet("", '<mergeCells count="1"><mergeCell ref="E1:XFD1048576"/></mergeCells>')
    project = write_project(tmp_path / "p", files={"r.xlsx": workbook(merged)})
    result = validate_within(project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "merged cells cover more than 100,000 cells" in result.stderr


def test_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    comment = "A" * (MAX_PART_BYTES + 1)  # 32 MB of one letter packs into a few kilobytes
    bomb = workbook(add_to_sheet(f'<row r="3"><c r="D3" t="inlineStr"><is><t>{comment}</t></is></c></row>'))
    assert len(bomb) < 100_000
    project = write_project(tmp_path / "p", files={"r.xlsx": bomb})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert_clean(result)
    problem_line(
        result.output, "data/r.xlsx", ["too large to read: its part xl/worksheets/sheet1.xml unpacks to", "32 MB"]
    )


def test_workbook_cell_longer_than_a_csv_field_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    row = (
        '<row r="3"><c r="A3" t="inlineStr"><is><t>timely-assessments</t></is></c>'
        '<c r="B3" t="inlineStr"><is><t>2017-11</t></is></c><c r="C3"><v>5</v></c>'
        f'<c r="D3" t="inlineStr"><is><t>{"A" * 200_000}</t></is></c></row>'
    )
    project = write_project(tmp_path / "p", files={"r.xlsx": workbook(add_to_sheet(row))})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    problem_line(
        result.output, "data/r.xlsx:Sheet!D3", ["holds 200,000 characters, more than a cell may hold (131,072)"]
    )


def test_report_of_10000_measures_is_refused_naming_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    count = MAX_REPORT_MEASURES + 1
    ids = [f"m{i}" for i in range(count)]
    lines = ["organisation: Big", "reports:", "  - id: big", "    title: Big", f"    measures: [{', '.join(ids)}]"]
    lines.append("measures:")
    for measure_id in ids:
        lines += [f"  - id: {measure_id}", "    title: A measure", "    unit: number", "    polarity: higher"]
        lines.append("    frequency: monthly")
    project = write_project(tmp_path / "p", "\n".join(lines) + "\n", files={})
    monkeypatch.chdir(project)
    for result in (invoke("validate"), build(project, formats="pdf")):
        assert result.exit_code == 1
        assert_clean(result)
        problem_line(result.output, "measures.yaml:3", ["the report shows 501 measures, more than the 500"])
    assert not (project / "out").exists()


# --- 7. numbers and dates that pass validate and crash build ------------------------------------


HUGE = "9" * 400


@pytest.mark.parametrize(
    ("results", "location", "message"),
    [
        (f"measure,period,value\nfamilies-helped,2017/18 Q3,{HUGE}\n", "data/r.csv:2", "has more than 30 digits"),
        (
            f"measure,period,numerator,denominator\ntimely-assessments,2017-12,{HUGE},{HUGE}\n",
            "data/r.csv:2",
            "column numerator: '" + "9" * 39 + "…' has more than 30 digits",
        ),
        (
            "measure,period,value\nfamilies-helped,2017/18 Q3," + "1797693134862315" + "0" * 293 + "\n",
            "data/r.csv:2",
            "has more than 30 digits",
        ),
        (
            "measure,period,value\nfamilies-helped,2017/18 Q3,1000000000000000\n",
            "data/r.csv:2",
            "is too large: a figure must be less than 1,000,000,000,000,000 in size",
        ),
        (
            "measure,period,numerator,denominator\ntimely-assessments,2017-12,999999999999999,0.000001\n",
            "data/r.csv:2",
            "the value numerator / denominator (999999999999999 / 0.000001) is too large",
        ),
        ("measure,period,value\ntimely-assessments,0000-01,5\n", "data/r.csv:2", "outside the years the tool reads"),
        ("measure,period,value\nfamilies-helped,9999/00 Q4,5\n", "data/r.csv:2", "outside the years the tool reads"),
    ],
)
def test_400_digit_values_and_year_0_are_refused_by_validate_not_crashing_build(
    results: str, location: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", files={"r.csv": results})
    monkeypatch.chdir(project)
    for result in (invoke("validate"), build(project)):
        assert result.exit_code == 1, result.output
        assert_clean(result)
        problem_line(result.output, location, [message])


@pytest.mark.parametrize("target", ["1.0e+80", "1.7976931348623157e308", "1e300", "-2e15"])
def test_target_of_1e80_is_refused_at_its_line(target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", CATALOGUE.replace("{2017/18: 90}", target))
    monkeypatch.chdir(project)
    for result in (invoke("validate"), build(project)):
        assert result.exit_code == 1, result.output
        assert_clean(result)
        problem_line(result.output, "measures.yaml:12", ["is too large: a figure must be less than"])


@pytest.mark.parametrize(("written", "target"), [("9e1", 90), ("9E+1", 90), ("0.9e2", 90), ("'9e1'", None)])
def test_yaml_1e300_float_forms_are_read_as_numbers(
    written: str, target: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", CATALOGUE.replace("{2017/18: 90}", written))
    if target is None:  # quoted, it stays text
        monkeypatch.chdir(project)
        result = invoke("validate")
        assert result.exit_code == 1
        problem_line(result.output, "measures.yaml:12", ["targets must be a number"])
        return
    document = build_json(project)
    assert measure(document, "timely-assessments")["target"] == target


def test_as_at_year_1_is_wrong_usage_not_a_crash(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    result = build(project, as_at="0001-01-01")
    assert result.exit_code == 2
    assert_clean(result)
    assert "'0001-01-01' is outside the years the tool reads, 1800 to 2999" in result.output


# --- 8. underlying format specs -------------------------------------------------------------------


def with_underlying(sentence: str) -> str:
    return CATALOGUE.replace(
        "    targets: {2017/18: 90}\n", f"    targets: {{2017/18: 90}}\n    underlying: '{sentence}'\n"
    )


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("{numerator:d} of {denominator}", "{numerator:d}"),
        ("{numerator:%}", "{numerator:%}"),
        ("{numerator:>300000000}", "{numerator:>300000000}"),
        ("{numerator:>{denominator}}", "{numerator:>{denominator}}"),
        ("{numerator!r}", "{numerator!r}"),
    ],
)
def test_underlying_format_spec_is_a_catalogue_error(
    sentence: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = "measure,period,numerator,denominator\ntimely-assessments,2017-12,5,10\n"
    project = write_project(tmp_path / "p", with_underlying(sentence), files={"r.csv": results})
    monkeypatch.chdir(project)
    for result in (invoke("validate"), build(project)):
        assert result.exit_code == 1, result.output
        assert_clean(result)
        problem_line(result.output, "measures.yaml:13", [f"writes {shown}; a placeholder takes no format"])


def test_underlying_placeholders_are_replaced_as_written_never_formatted(tmp_path: Path) -> None:
    results = 'measure,period,numerator,denominator\ntimely-assessments,2017-12,"1,508",2000\n'
    project = write_project(
        tmp_path / "p", with_underlying("{numerator} of {denominator} {{braces}}"), files={"r.csv": results}
    )
    row = measure(build_json(project), "timely-assessments")
    assert row["underlying"] == "1,508 of 2000 {braces}"


def test_underlying_sentence_keeps_other_placeholders_for_the_benchmarks() -> None:
    class Row:
        numerator_text = "57"
        denominator_text = "200"

    sentence = underlying_sentence("{numerator}/{denominator}; England {england}, {rank}", Row())  # type: ignore[arg-type]
    assert sentence == "57/200; England {england}, {rank}"


# --- 9. deep YAML nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "catalogue",
    [
        "organisation: x\nreports: " + "[" * 300 + "]" * 300 + "\n",
        "organisation: x\nreports: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "organisation: x\nreports:\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(200)),
    ],
    ids=["300-flow", "100000-flow", "200-block"],
)
def test_deep_yaml_nesting_is_refused_before_parsing(
    catalogue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", catalogue)
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert_clean(result)
    problem_line(result.output, "measures.yaml", ["mappings and lists nest more than 50 deep"])


# --- 12. scale of bad input -------------------------------------------------------------------------


def test_unknown_measure_suggestion_is_computed_once_per_distinct_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"timely-assesments,2017-{m:02d},5\nnobody-{m % 3},2017-{m:02d},5\n" for m in range(1, 13))
    project = write_project(tmp_path / "p", files={"r.csv": "measure,period,value\n" + rows * 50})
    calls: list[str] = []
    original = difflib.get_close_matches

    def counted(word: str, *args: object, **kwargs: object) -> list[str]:
        calls.append(word)
        return original(word, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 1
    assert sorted(calls) == ["nobody-0", "nobody-1", "nobody-2", "timely-assesments"]
    assert "did you mean 'timely-assessments'?" in result.output


def duplicate_rows(count: int) -> str:
    return "measure,period,value\n" + "timely-assessments,2017-12,88\n" * count


def test_1m_duplicate_rows_print_a_capped_listing_with_a_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", files={"r.csv": duplicate_rows(10_001)})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert_clean(result)
    listed = [line for line in result.output.splitlines() if "is given twice" in line]
    assert len(listed) == MOST_SHOWN
    assert f"… and {10_000 - MOST_SHOWN:,} more duplicate rows" in result.output
    assert "10000 problems" in result.output
    assert listed[0].startswith("data/r.csv:3: ")


def test_capped_listing_in_github_mode_annotates_the_first_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", files={"r.csv": duplicate_rows(101)})
    monkeypatch.chdir(project)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = invoke("validate")
    assert result.exit_code == 1
    annotations = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert len(annotations) == MOST_SHOWN
    assert f"\n… and {100 - MOST_SHOWN} more duplicate rows\n" in result.output


def test_each_kind_of_problem_keeps_its_own_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = duplicate_rows(30) + "nobody,2017-12,1\n" * 3 + "timely-assessments,2017-11,x\n"
    project = write_project(tmp_path / "p", files={"r.csv": results})
    monkeypatch.chdir(project)
    result = invoke("validate")
    problem_line(result.output, "data/r.csv:32", ["no measure 'nobody'"])
    problem_line(result.output, "data/r.csv:35", ["'x' is not a number"])
    assert f"… and {29 - MOST_SHOWN} more duplicate rows" in result.output


# --- 14. clearer messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (VALID_RESULTS.encode("utf-16"), 1, "is UTF-16 text (it starts with a UTF-16 byte order mark)"),
        (VALID_RESULTS.encode("utf-16-le"), 1, "is UTF-16 text (NUL bytes between the letters)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "is a PNG image"),
        (b"%PDF-1.7\n", 1, "is a PDF document"),
        (b"measure,period,value\ntimely-assessments,2017-12,8\x008\n", 2, "is a binary file, not text (it holds a NUL"),
    ],
    ids=["utf16-bom", "utf16-no-bom", "png", "pdf", "nul"],
)
def test_utf16_or_png_csv_is_named_as_such_not_windows_1252(
    content: bytes, line: int, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", files={"r.csv": content})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    assert_clean(result)
    found = problem_line(result.output, f"data/r.csv:{line}", [message, "CSV saved as UTF-8"])
    assert "Windows-1252" not in found


def test_nul_in_the_catalogue_gets_a_line_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", CATALOGUE.replace("Families helped", "Families\x00 helped"))
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    problem_line(result.output, "measures.yaml:14", ["holds a NUL byte"])


def test_utf16_catalogue_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p")
    (project / "measures.yaml").write_text(CATALOGUE, encoding="utf-16")
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    problem_line(result.output, "measures.yaml:1", ["is UTF-16 text", "save it as UTF-8"])


def test_control_character_in_the_catalogue_gets_a_line_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p", CATALOGUE.replace("Families helped", "Families\x07 helped"))
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    problem_line(result.output, "measures.yaml:14", ["the control character U+0007 is not allowed"])


def test_header_cell_with_a_newline_is_located_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = openpyxl.Workbook()
    book.active.append(["measure", "per\niod", "value"])
    book.active.append(["timely-assessments", "2017-12", 88])
    buffer = io.BytesIO()
    book.save(buffer)
    results = 'measure,"per\niod",value\ntimely-assessments,2017-12,88\n'
    project = write_project(tmp_path / "p", files={"r.csv": results, "w.xlsx": buffer.getvalue()})
    monkeypatch.chdir(project)
    result = invoke("validate")
    assert result.exit_code == 1
    message = "the header cell 'per iod' holds a line break: a column name is one line; did you mean 'period'?"
    problem_line(result.output, "data/r.csv:1", [message])
    problem_line(result.output, "data/w.xlsx:Sheet!B1", [message])
