"""A build whose inputs did not change does nothing, and anything that can change an output builds again.

A full build is seen by counting the project loads (``build.load_project``): a build that found
its outputs up to date loads nothing.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from scorecard_testing import copy_project, invoke

import ncc_scorecard
from ncc_scorecard import build as pipeline
from ncc_scorecard import fingerprint
from ncc_scorecard.fingerprint import default_templates_dir, read_state, state_path

AS_AT = "2019-03-31"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The benchmarks project (a ``benchmark_source`` among its benchmark files) with a template,
    a font of its own and a published folder."""
    root = copy_project("benchmarks", tmp_path)
    (root / "templates" / "fonts").mkdir(parents=True)
    (root / "templates" / "notes.css").write_text("/* kept with the project */\n", encoding="utf-8")
    (root / "templates" / "fonts" / "Own.ttf").write_bytes(b"\0\1font")
    (root / "published").mkdir()
    (root / "published" / "README.txt").write_text("what was sent to committee\n", encoding="utf-8")
    return root


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every project a build loaded: one per full build."""
    loaded: list[Path] = []
    real = pipeline.load_project

    def counting(root: Path, *args: object, **kwargs: object) -> pipeline.Project:
        loaded.append(root)
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_project", counting)
    return loaded


def run(project: Path, *extra: str, formats: str = "html,json,csv", as_at: str = AS_AT) -> Result:
    return invoke("build", "--project", str(project), "--as-at", as_at, "--format", formats, *extra)


def warned(result: Result) -> list[str]:
    """The warnings a build printed (its progress lines left out)."""
    return [line for line in result.stderr.splitlines() if "warning: " in line]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def test_an_unchanged_rebuild_loads_nothing_and_says_so(project: Path, loads: list[Path]) -> None:
    first = run(project)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Built 1 report as at 2019-03-31 into ")
    written = {path: path.stat().st_mtime_ns for path in (project / "out").iterdir() if path.is_file()}
    second = run(project)
    assert second.exit_code == 0, second.output
    assert loads == [project]
    assert second.stdout.startswith("Nothing changed since the last build of 1 report as at 2019-03-31 into ")
    assert second.stdout.endswith(" (html, json, csv): 3 files up to date.\n")
    assert {path: path.stat().st_mtime_ns for path in written} == written
    assert run(project, "-q").output == ""
    assert loads == [project]


CHANGES: dict[str, Callable[[Path], object]] = {
    "a CSV row": lambda root: append(root / "data" / "results.csv", "\n"),
    "the catalogue": lambda root: append(root / "measures.yaml", "# a comment\n"),
    "a template of the project": lambda root: append(root / "templates" / "notes.css", "p {}\n"),
    "a font of the project": lambda root: (root / "templates" / "fonts" / "Own.ttf").write_bytes(b"\0\2font"),
    "a new template": lambda root: (root / "templates" / "new.css").write_text("", encoding="utf-8"),
    "a benchmark file": lambda root: append(root / "benchmarks" / "figures.csv", "\n"),
    "a benchmark_source file": lambda root: append(root / "benchmarks" / "ks2-dfe.csv", "\n"),
    "a published record": lambda root: write(root / "published" / "children" / "2019-03-31.json", "{}"),
    "a file in a published folder": lambda root: append(root / "published" / "README.txt", "more\n"),
    "a new file in data/": lambda root: (root / "data" / "more.csv").write_text("measure,period,value\n"),
    "a file in data/ removed": lambda root: (root / "data" / "results.csv").unlink(),
    "an output deleted": lambda root: (root / "out" / "children.json").unlink(),
    "an output edited": lambda root: append(root / "out" / "children.html", " "),
    "an output touched": lambda root: os.utime(root / "out" / "children.csv", ns=(1, 1)),
    "the state damaged": lambda root: state_path(root / "out", "build").write_text("{", encoding="utf-8"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_input_or_output_builds_again(project: Path, loads: list[Path], change: str) -> None:
    assert run(project).exit_code == 0
    CHANGES[change](project)
    result = run(project)
    assert loads == [project, project], result.output
    assert not result.stdout.startswith("Nothing changed")


@pytest.mark.parametrize(
    "options",
    [
        ["--as-at", "2019-02-28"],
        ["--format", "html,json"],
        ["--format", "json,html,csv"],
        ["children"],
        ["--since", "2018-12-31"],
        ["--strict"],
        ["--force"],
        ["--out", "elsewhere"],
    ],
)
def test_other_options_build_again(project: Path, loads: list[Path], options: list[str]) -> None:
    assert run(project, "--out", str(project / "elsewhere")).exit_code == 0
    assert run(project, "--out", str(project / "elsewhere")).exit_code == 0
    assert loads == [project]
    if options[0] == "--out":
        options = ["--out", str(project / "elsewhere" / "inner")]
    else:
        options = [*options, "--out", str(project / "elsewhere")]
    result = invoke("build", "--project", str(project), "--as-at", AS_AT, "--format", "html,json,csv", *options)
    assert result.exit_code == 0, result.output
    assert loads == [project, project]


def test_a_new_version_or_day_builds_again(project: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(project).exit_code == 0
    monkeypatch.setattr(ncc_scorecard, "__version__", "99.0.0")
    assert run(project).exit_code == 0
    assert len(loads) == 2

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> datetime.date:
            return datetime.date.today() + datetime.timedelta(days=1)

    monkeypatch.setattr("ncc_scorecard.cli.date", Tomorrow)
    assert run(project).exit_code == 0
    assert len(loads) == 3
    assert run(project).exit_code == 0
    assert len(loads) == 3


def test_a_packaged_font_or_template_builds_again(
    project: Path, loads: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    shutil.copytree(default_templates_dir(), package / "templates")
    shutil.copy(ROOT / "ncc_scorecard" / "cli.py", package / "cli.py")
    monkeypatch.setattr(fingerprint, "package_roots", lambda: [package])
    assert run(project).exit_code == 0
    assert run(project).exit_code == 0
    assert len(loads) == 1
    font = package / "templates" / "fonts" / "LiberationSans-Regular.ttf"
    font.write_bytes(font.read_bytes()[:-1] + b"\0")
    assert run(project).exit_code == 0
    assert len(loads) == 2
    append(package / "templates" / "appendix.css", "\n")
    assert run(project).exit_code == 0
    append(package / "cli.py", "\n")
    assert run(project).exit_code == 0
    assert run(project).exit_code == 0
    assert len(loads) == 4


def test_python_bytecode_is_not_an_input(
    project: Path, loads: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    (package / "__pycache__").mkdir(parents=True)
    monkeypatch.setattr(fingerprint, "package_roots", lambda: [package])
    assert run(project).exit_code == 0
    (package / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"compiled")
    assert run(project).exit_code == 0
    assert len(loads) == 1


def test_where_a_link_leads_is_an_input(project: Path, loads: list[Path]) -> None:
    """The same content found elsewhere (a link leading outside the project is refused): it builds again."""
    results = project / "data" / "results.csv"
    for name in ("a", "b"):
        write(project / "copies" / name / "extra.css", "p {}\n")
        shutil.copy(results, project / "copies" / name / "results.csv")
    results.unlink()
    results.symlink_to(project / "copies" / "a" / "results.csv")
    (project / "templates" / "linked").symlink_to(project / "copies" / "a")
    assert run(project).exit_code == 0
    assert run(project).stdout.startswith("Nothing changed")
    (project / "templates" / "linked").unlink()
    (project / "templates" / "linked").symlink_to(project / "copies" / "b")
    assert run(project).exit_code == 0
    results.unlink()
    results.symlink_to(project / "copies" / "b" / "results.csv")
    assert run(project).exit_code == 0
    assert run(project).stdout.startswith("Nothing changed")
    assert len(loads) == 3


def test_a_benchmark_source_outside_the_usual_folders_is_an_input(project: Path, loads: list[Path]) -> None:
    """The catalogue names it: the build that first reads it records it, the next one digests it too."""
    (project / "sources").mkdir()
    (project / "benchmarks" / "ks2-dfe.csv").rename(project / "sources" / "ks2-dfe.csv")
    catalogue = project / "measures.yaml"
    catalogue.write_text(catalogue.read_text().replace("benchmarks/ks2-dfe.csv", "sources/ks2-dfe.csv"))
    assert run(project).exit_code == 0
    assert read_state(state_path(project / "out", "build")).extra == (str(project / "sources" / "ks2-dfe.csv"),)
    assert run(project).exit_code == 0  # digested with the source now
    assert run(project).exit_code == 0
    assert len(loads) == 2
    append(project / "sources" / "ks2-dfe.csv", "\n")
    assert run(project).exit_code == 0
    assert len(loads) == 3


def test_a_failed_build_leaves_the_last_state_and_its_outputs(project: Path, loads: list[Path]) -> None:
    assert run(project).exit_code == 0
    outputs = {path: path.read_bytes() for path in (project / "out").iterdir() if path.is_file()}
    catalogue = project / "measures.yaml"
    good = catalogue.read_bytes()
    catalogue.write_bytes(good + b"reports: [\n")
    assert run(project).exit_code == 1
    assert {path: path.read_bytes() for path in outputs} == outputs
    catalogue.write_bytes(good)  # back as it was: the outputs are those of these inputs
    result = run(project)
    assert result.exit_code == 0 and result.stdout.startswith("Nothing changed")
    assert len(loads) == 2


def test_warnings_and_strict_are_the_same_without_a_build(
    tmp_path: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project("minimal", tmp_path)
    (project / "data" / "extra.csv").write_text("measure,period,value\ntimely-assessments,2016-04,0.9\n")
    monkeypatch.chdir(project)  # warnings name their files from here
    later = "2040-01-31"  # after today: a warning without a file
    first = run(project, as_at=later, formats="json")
    assert first.exit_code == 0, first.output
    assert warned(first) == [
        "warning: the report date 2040-01-31 is after today "
        f"({datetime.date.today().isoformat()}): measures whose latest period has not ended yet will show as overdue",
        "data/extra.csv:2: warning: column value: 0.9 looks like a fraction; did you mean 90?",
    ]
    assert first.stdout.endswith(": 2 files written. 2 warnings (above).\n")
    second = run(project, as_at=later, formats="json")
    assert second.exit_code == 0 and len(loads) == 1
    assert second.stderr == "\n".join(warned(first)) + "\n"  # no progress: nothing was built
    assert second.stdout.endswith(": 2 files up to date. 2 warnings (above).\n")
    quiet = run(project, "-q", as_at=later, formats="json")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == second.stderr
    strict = run(project, "--strict", as_at=later, formats="json")
    assert strict.exit_code == 1 and len(loads) == 2
    assert strict.stderr.endswith("2 warnings found (errors under --strict); nothing was written.\n")
    assert run(project, as_at=later, formats="json").stderr == second.stderr  # the failed build left the state
    assert len(loads) == 2


def test_the_site_is_skipped_when_nothing_changed(project: Path, loads: list[Path]) -> None:
    args = ["site", "--project", str(project), "--as-at", AS_AT, "--jobs", "1"]
    first = invoke(*args, "--history", "2")
    assert first.exit_code == 0, first.output
    second = invoke(*args, "--history", "2")
    assert second.exit_code == 0 and len(loads) == 1
    unchanged = first.stdout.replace("Built the site", "Nothing changed since the last build of the site")
    assert second.stdout == unchanged.replace(" PDFs.", " PDFs up to date.")
    stray = project / "out" / "site" / "2019-02-28" / "stray.html"
    stray.write_text("left over", encoding="utf-8")
    assert invoke(*args, "--history", "2").exit_code == 0 and len(loads) == 2
    assert not stray.exists()  # a full build tidies what it did not write
    assert invoke(*args, "--history", "2", "--force").exit_code == 0 and len(loads) == 3
    append(project / "data" / "results.csv", "\n")
    assert invoke(*args, "--history", "2").exit_code == 0 and len(loads) == 4
    assert invoke(*args).exit_code == 0 and len(loads) == 5


FAST_PATH = """
import sys
from ncc_scorecard.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = {"pydantic", "yaml", "jinja2", "weasyprint", "openpyxl", "pikepdf", "markupsafe"}
    loaded = sorted({name.split(".")[0] for name in sys.modules} & heavy)
    ours = sorted(name for name in sys.modules if name.startswith("ncc_scorecard."))
    print("loaded:", loaded, ours)
"""


def test_the_fast_path_imports_nothing_heavy(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", FAST_PATH, "build", "--project", str(project), "--as-at", AS_AT, "--format", "json"]
    first = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert first.stdout.startswith("Built") and "'pydantic'" in first.stdout
    second = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    assert second.stdout.startswith("Nothing changed"), second.stdout + second.stderr
    loaded = second.stdout.splitlines()[-1]
    assert loaded.startswith("loaded: [] ")
    assert "ncc_scorecard.build" not in loaded and "ncc_scorecard.catalogue" not in loaded


def test_a_state_reads_back_as_written(tmp_path: Path) -> None:
    """Warnings keep every field, a file name's undecodable bytes and text a terminal would act on."""
    from ncc_scorecard.fingerprint import State, state_bytes
    from ncc_scorecard.problems import Problem

    warning = Problem(Path("/p/data/x\udcff.csv"), 3, "odd \u202e\x1b text", "Sheet1!B7", "value", "warning", "rows")
    state = State("0" * 64, {"/p/out/a.json": (1, 2, 3)}, ("/p/sources/b.csv",), (warning,), {"reports": 1}, {})
    path = tmp_path / "state.json"
    path.write_bytes(state_bytes(state))
    assert read_state(path) == state
    path.write_bytes(state_bytes(state).replace(b'"schema": 1', b'"schema": 2'))
    assert read_state(path) is None
