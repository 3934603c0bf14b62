"""A structure-aware fuzzer: catalogues and result files generated from the schema, valid and invalid,
CSV and workbooks, with hostile text, figures, periods, encodings and links, through the commands.

For each generated project, ``validate`` and ``build`` (JSON, CSV, HTML) must: exit 0 or 1, print no
traceback, locate every problem (``measures.yaml:12: …``, ``data/r.csv:3: …``), leave ``out/``
untouched on failure, escape ``<`` and ``&`` from the data in HTML, neutralise every text cell of the
CSV export, read nothing outside the project, and stay within a memory ceiling. ``due`` (table and
workbook) and GitHub mode run on every project; the long profile also renders PDFs and the site.

``make test`` runs a bounded profile (250 projects, about 30 s). ``make fuzz`` runs for ``FUZZ_SECONDS``
(default 600) and prints one summary line.
"""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import shutil
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from scorecard_testing import PREVIOUS_BUILD, assert_clean, invoke

from ncc_scorecard.render.exports import neutralise

LONG_SECONDS = float(os.environ.get("NCC_FUZZ_SECONDS", "0"))
"""Set by ``make fuzz``: run for this long, with PDFs and the site, and print a summary line."""
MEMORY_CEILING = 2 * 2**30
"""The most the test process may grow to (peak resident set size), fuzzing included."""

settings.register_profile(
    "fuzz-bounded",
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "fuzz-long",
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

SECRET = "OUTSIDE-THE-PROJECT-d41d8cd9"
"""The content of a file outside the project that a link in data/ points at: never printed or written."""
MARKUP = "<script>x</script> Tom & Jerry"
"""Text with markup and an ampersand: never in an HTML output as written."""

HOSTILE_TEXT = [
    MARKUP,
    '=HYPERLINK("http://example.com/"&A1,"Click")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1,2)",
    "-2+3",
    "\t=1",
    "\x1b]0;owned\x07title",
    "line one\nline two",
    "right\u202eleft",
    "{numerator:>300000000}",
    "{england} {rank}",
    "{{braces}}",
    "'quoted'",
    "ünïcödé — £ €",
    "",
    " ",
    "a" * 300,
]
IDS = ["timely", "families", "satisfaction", "cost"]
PERIODS = [
    "2017-12",
    "2017-11",
    "Dec 2017",
    "Dec-17",
    "2017/18 Q3",
    "Oct–Dec 2017",
    "2016/17",
    "2017/18",
    "31/12/2017",
    "2017-12-31",
    "2024-W05",
    "w/c 29 Jan 2024",
    "0000-01",
    "9999/00 Q4",
    "2017-13",
    "1/2/17",
    "Dec 17",
    "",
    "n/a",
]
FIGURES = [
    "88",
    "1,508",
    "80%",
    "-5",
    "0",
    "0.5",
    "£951.40",
    "n/a",
    "",
    "x",
    "9" * 400,
    "1.7976931348623157e308",
    "1e300",
    "999999999999999",
    "1000000000000000",
    "0.000000000000000000000000000001",
    "-0",
    "=1+1",
]

SAFE_NUMBERS = [0, 1, 5, 50, 90, 100, -5, 2.5, 99.5]
BAD_NUMBERS = [1e300, 1.0e80, 10**20, -(10**16)]
SAFE_FIGURES = ["88", "1,508", "80%", "-5", "0", "0.5", "n/a", "", "12.25", "-0"]
PERIODS_OF = {
    "monthly": ["2017-12", "2017-11", "Dec 2017", "Oct 2017", "2017-12-31"],
    "quarterly": ["2017/18 Q3", "Oct–Dec 2017", "2017/18 Q2"],
    "annual": ["2016/17", "2017/18", "2015/16"],
}


def pick(draw: st.DrawFn, safe: list[Any], bad: list[Any], hostile: bool) -> Any:
    """A safe choice, or in a hostile project now and then a bad one."""
    if hostile and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(bad))
    return draw(st.sampled_from(safe))


def pick_text(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(HOSTILE_TEXT) | st.text(max_size=20))


@st.composite
def measures(draw: st.DrawFn, hostile: bool) -> list[dict[str, Any]]:
    found = []
    for measure_id in IDS:
        unit = draw(st.sampled_from(["percentage", "number", "rate", "currency", "days"]))
        item: dict[str, Any] = {
            "id": measure_id,
            "title": pick(draw, [MARKUP, "=1+1", "Families helped", "ünïcödé — £ €", "a" * 300], ["", "\x1f"], hostile),
            "unit": unit,
            "polarity": draw(st.sampled_from(["higher", "lower", "none"])),
            "frequency": draw(st.sampled_from(sorted(PERIODS_OF))),
        }
        if unit == "rate":
            item["per"] = pick(draw, [1000, 10000], [10**40, 0], hostile)
        if item["polarity"] != "none" and draw(st.booleans()):
            target = pick(draw, SAFE_NUMBERS, BAD_NUMBERS, hostile)
            item["targets"] = target if draw(st.booleans()) else {"2017/18": target, "2016/17": target}
        if draw(st.booleans()):
            item["underlying"] = pick(
                draw,
                ["{numerator} of {denominator}", MARKUP, "=1+1 {numerator}", "{{numerator}}"],
                ["{numerator:d}", "{numerator:>{denominator}}", "{numerator!r}", "{nobody}", "{"],
                hostile,
            )
        if draw(st.booleans()):
            item["owner"] = pick_text(draw) if hostile else draw(st.sampled_from([MARKUP, "@owner", "Service"]))
        if hostile and draw(st.integers(0, 5)) == 0:  # a key removed, an unknown key, a value of the wrong type
            key = draw(st.sampled_from(sorted(item)))
            choice = draw(st.integers(0, 2))
            if choice == 0:
                del item[key]
            elif choice == 1:
                item["colour"] = "red"
            else:
                item[key] = draw(st.sampled_from([None, [], {}, True, 3, "x"]))
        found.append(item)
    return found


@st.composite
def catalogues(draw: st.DrawFn, hostile: bool) -> tuple[str, dict[str, str]]:
    """measures.yaml, and the frequency of each measure (for result rows that fit it)."""
    chosen = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=4, unique=True))
    items = draw(measures(hostile))
    data = {
        "organisation": pick(draw, [MARKUP, "Testshire County Council", "=1+1"], ["", "\x1b]0;x\x07"], hostile),
        "reports": [{"id": "overview", "title": pick(draw, [MARKUP, "Overview"], [""], hostile), "measures": chosen}],
        "measures": items,
    }
    written = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    frequencies = {str(item["id"]): str(item.get("frequency", "monthly")) for item in items if "id" in item}
    if not hostile or draw(st.integers(0, 2)):
        return written, frequencies
    lines = written.splitlines(keepends=True)
    at = draw(st.integers(0, len(lines)))
    snippets = [
        "deep: " + "[" * 400 + "]" * 400 + "\n",
        "organisation: twice\n",
        "nul: a\x00b\n",
        "obj: !!python/object:os.system 'true'\n",
        "  bad indentation: [\n",
        "\x07\n",
    ]
    lines.insert(at, draw(st.sampled_from(snippets)))
    return "".join(lines), frequencies


@st.composite
def result_rows(draw: st.DrawFn, frequencies: dict[str, str], hostile: bool) -> list[list[str]]:
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        measure_id = pick(draw, IDS, ["unknown", "timly", MARKUP, "\x1b[31mred"], hostile)
        periods = PERIODS_OF.get(frequencies.get(measure_id, "monthly"), PERIODS_OF["monthly"])
        period = pick(draw, periods, PERIODS, hostile)
        numerator, denominator = ("", "")
        if draw(st.integers(0, 3)) == 0:
            numerator, denominator = (pick(draw, ["57", "1,508", "3"], FIGURES, hostile) for _ in range(2))
            value = ""
        else:
            value = pick(draw, SAFE_FIGURES, FIGURES, hostile)
        comment = pick_text(draw) if hostile or value == "n/a" else draw(st.sampled_from(HOSTILE_TEXT[:8]))
        rows.append([measure_id, period, value, numerator, denominator, comment or "reason", ""])
    if rows and draw(st.booleans()):
        rows.append(list(rows[0]))  # a duplicate
    return rows


HEADER = ["measure", "period", "value", "numerator", "denominator", "comment", "action"]


def csv_bytes(rows: list[list[str]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]], header: list[str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        cells: list[Any] = []
        for value in row:  # a figure as a number cell, as Excel would store it; no characters Excel refuses
            figure = re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", value)
            cells.append(float(value) if figure else ILLEGAL_CHARACTERS_RE.sub("", value))
        sheet.append([cell if not isinstance(cell, str) or not cell.startswith("=") else "'" + cell for cell in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small workbook whose sheet unpacks to more than a part may hold."""
    base = xlsx_bytes([], HEADER)
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>", b"<row r='2'><c r='A2'><v>" + b"1" * 40_000_000 + b"</v></c></row></sheetData>"
                )
            archive.writestr(info.filename, content)
    return out.getvalue()


@st.composite
def result_files(draw: st.DrawFn, frequencies: dict[str, str], hostile: bool) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for index in range(draw(st.integers(0, 2))):
        rows = draw(result_rows(frequencies, hostile))
        header = list(HEADER)
        mutation = draw(st.integers(0, 9)) if hostile else 9
        if mutation == 0:
            header[1] = "per\niod"
        elif mutation == 1:
            header[2] = "vaule"
        elif mutation == 2:
            header.append("measure")
        kind = draw(st.sampled_from(["csv", "xlsx"]))
        content = csv_bytes(rows, header) if kind == "csv" else xlsx_bytes(rows, header)
        if kind == "csv" and hostile:
            encoding = draw(st.integers(0, 8))
            if encoding == 0:
                content = content.decode().encode("utf-16")
            elif encoding == 1:
                content = b"\x89PNG\r\n\x1a\n" + content
            elif encoding == 2:
                content = content.replace(b"\n", b"\x00\n", 1)
            elif encoding == 3:
                content = content.decode().encode("cp1252", "replace")
            elif encoding == 4:
                content = content[: len(content) // 2] + b'"'
        elif hostile and draw(st.integers(0, 8)) == 0:
            content = content[: len(content) // 2]  # a damaged workbook
        files[f"r{index}.{kind}"] = content
    return files


@st.composite
def projects(draw: st.DrawFn) -> tuple[str, dict[str, bytes], bool]:
    """A project: its catalogue, its result files, and whether data/ links to a file outside it. One in
    three is hostile: bad figures, periods, encodings, headers and YAML now and then."""
    hostile = draw(st.integers(0, 2)) == 0
    catalogue, frequencies = draw(catalogues(hostile))
    files = draw(result_files(frequencies, hostile))
    return catalogue, files, hostile and draw(st.integers(0, 4)) == 0


def previous_build(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def assert_located(output: str) -> None:
    """Every line of a failed command's output is a located problem, a count of the rest, or the summary."""
    lines = [line for line in output.splitlines() if line.strip()]
    for line in lines[:-1]:
        if line.startswith(("… and ", "::error ", "::warning ")):
            continue
        assert re.match(r"^(measures\.yaml|data/[^:]+)(:[^ ]+)?: ", line), f"not located: {line!r}\n{output}"
    assert "Traceback" not in output
    assert SECRET not in output


def assert_outputs_safe(out: Path) -> None:
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert SECRET.encode() not in data, path
        if path.suffix == ".html":
            page = data.decode("utf-8")
            assert "<script>x</script>" not in page, path
            assert "Tom & Jerry" not in page, path
        if path.suffix == ".csv":
            for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
                for cell in row:
                    assert neutralise(cell) == cell, (path, cell)


TALLY: Counter[str] = Counter()


def check_project(root: Path, catalogue: str, files: dict[str, bytes], link_out: bool, heavy: bool) -> None:
    """Run the commands on one generated project and check what they print and write."""
    if root.exists():
        shutil.rmtree(root)
    project = root / "project"
    (project / "data").mkdir(parents=True)
    (project / "measures.yaml").write_text(catalogue, encoding="utf-8")
    for name, content in files.items():
        (project / "data" / name).write_bytes(content)
    secret = root / "secret.csv"
    secret.write_text(f"measure,period,value\n{SECRET},2017-12,1\n", encoding="utf-8")
    if link_out:
        try:
            os.symlink(secret, project / "data" / "zz.csv")
        except OSError:
            pass
    out = project / "out"
    out.mkdir()
    (out / "overview.json").write_bytes(PREVIOUS_BUILD)
    before = previous_build(out)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        validated = invoke("validate")
        assert validated.exit_code in (0, 1), validated.output
        assert_clean(validated)
        TALLY[f"validate {validated.exit_code}"] += 1
        if validated.exit_code == 1:
            assert_located(validated.output)
        formats = "json,csv,html,pdf" if heavy else "json,csv,html"
        built = invoke("build", "--as-at", "2017-12-31", "--format", formats)
        assert built.exit_code in (0, 1), built.output
        assert_clean(built)
        TALLY[f"build {built.exit_code}"] += 1
        if built.exit_code == 1:
            assert_located(built.output)
            assert previous_build(out) == before, "out/ changed by a failed build"
        assert validated.exit_code == built.exit_code or built.exit_code == 0, (validated.output, built.output)
        assert_outputs_safe(out)
        for extra in (["due", "--as-at", "2018-01-31"], ["due", "--as-at", "2018-01-31", "--format", "xlsx"]):
            due = invoke(*extra)
            assert due.exit_code in (0, 1), due.output
            assert_clean(due)
            assert SECRET not in due.output
        os.environ["GITHUB_ACTIONS"] = "true"
        try:
            annotated = invoke("validate")
        finally:
            del os.environ["GITHUB_ACTIONS"]
        assert annotated.exit_code == validated.exit_code
        assert_clean(annotated)
        if heavy:
            site = invoke("site", "--as-at", "2017-12-31")
            assert site.exit_code in (0, 1), site.output
            assert_clean(site)
            TALLY[f"site {site.exit_code}"] += 1
            assert_outputs_safe(out)
    finally:
        os.chdir(cwd)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert peak < MEMORY_CEILING, f"memory grew to {peak // 2**20} MB"
    TALLY["projects"] += 1


@pytest.mark.skipif(LONG_SECONDS > 0, reason="make fuzz runs the long profile instead")
@settings(settings.get_profile("fuzz-bounded"))
@given(projects())
def test_fuzzed_projects_never_crash_leak_or_write_live_formulas(tmp_path: Path, project: tuple[Any, ...]) -> None:
    catalogue, files, link_out = project
    check_project(tmp_path / "case", catalogue, files, link_out, heavy=False)


def test_fuzzer_zip_bomb_is_refused(tmp_path: Path) -> None:
    """The one case too large to generate every time: a workbook that unpacks to 40 MB."""
    files = {"bomb.xlsx": zip_bomb()}
    catalogue = yaml.safe_dump(
        {
            "organisation": "x",
            "reports": [{"id": "overview", "title": "t", "measures": ["timely"]}],
            "measures": [
                {"id": "timely", "title": "t", "unit": "number", "polarity": "higher", "frequency": "monthly"}
            ],
        }
    )
    check_project(tmp_path / "case", catalogue, files, False, heavy=False)
    assert TALLY["validate 1"] >= 1


@pytest.mark.skipif(LONG_SECONDS <= 0, reason="the long profile runs under make fuzz (NCC_FUZZ_SECONDS)")
def test_fuzz_long(tmp_path: Path) -> None:
    """Generate projects until ``NCC_FUZZ_SECONDS`` have passed; every 10th renders PDFs and the site."""
    deadline = time.monotonic() + LONG_SECONDS
    started = time.monotonic()
    count = 0

    @settings(settings.get_profile("fuzz-long"))
    @given(projects())
    def one(project: tuple[Any, ...]) -> None:
        nonlocal count
        if time.monotonic() > deadline:
            return
        count += 1
        catalogue, files, link_out = project
        check_project(tmp_path / "case", catalogue, files, link_out, heavy=count % 10 == 0)

    while time.monotonic() < deadline:
        one()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    summary = ", ".join(f"{key} ×{value}" for key, value in sorted(TALLY.items()) if key != "projects")
    print(
        f"\nfuzz: {TALLY['projects']} projects in {time.monotonic() - started:.0f} s, no failures "
        f"({summary}; peak memory {peak} MB)"
    )
