"""Files the system will not read or write: each is a located message and exit status 1, never a traceback.

Through the command line (CliRunner). The suite may run as root, whom permission bits do not
stop, so a write fails because a file stands where a folder should be, a read because a result
file is a broken link; a refused read (no permission) is simulated by patching ``Path``.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from scorecard_testing import assert_clean, assert_invalid, copy_project, invoke, write_project

from ncc_scorecard.yamlfile import load_yaml


def broken_link(path: Path) -> None:
    """A symbolic link at ``path`` to a file that does not exist."""
    try:
        os.symlink(path.parent / "gone", path)
    except (OSError, NotImplementedError):  # Windows without the privilege to make links
        pytest.skip("cannot make symbolic links here")


def refuse(monkeypatch: pytest.MonkeyPatch, method: str, name: str) -> None:
    """Make ``Path.<method>`` fail with 'Permission denied' for any path called ``name``."""
    original = getattr(Path, method)

    def refused(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, refused)


def assert_failed_cleanly(args: list[str], message: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert_clean(result)
    assert message in result.output.replace("\\", "/"), result.output
    return result.output


# --- writing -------------------------------------------------------------------------------------


def test_due_to_a_path_under_a_file_names_the_file_in_the_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("minimal", tmp_path)
    (tmp_path / "blocked").write_text("a file, not a folder")
    monkeypatch.chdir(tmp_path)
    args = ["due", "--project", str(project), "--as-at", "2018-01-31", "--format", "csv", "--out", "blocked/x.csv"]
    assert_failed_cleanly(args, "cannot write blocked/x.csv: blocked is a file, not a folder")
    assert (tmp_path / "blocked").read_text() == "a file, not a folder"


def test_due_template_into_out_when_out_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("minimal", tmp_path)
    (project / "out").write_bytes(b"")
    monkeypatch.chdir(project)
    args = ["due", "--project", ".", "--as-at", "2018-01-31", "--format", "xlsx"]
    assert_failed_cleanly(args, "cannot write out/due-2018-01-31.xlsx: out is a file, not a folder")


def test_init_under_a_file_names_the_file_in_the_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "blocked").write_text("")
    monkeypatch.chdir(tmp_path)
    assert_failed_cleanly(
        ["init", "blocked/new"], "cannot write blocked/new/measures.yaml: blocked is a file, not a folder"
    )


def test_init_writes_all_its_files_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".github").write_text("a file where the workflow's folder goes")
    monkeypatch.chdir(tmp_path)
    assert_failed_cleanly(
        ["init", "."], "cannot write .github/workflows/scorecard.yml: .github is a file, not a folder"
    )
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == [".github"]


def test_init_with_a_gitignore_it_cannot_read_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".gitignore").mkdir()
    monkeypatch.chdir(tmp_path)
    output = assert_failed_cleanly(["init", "."], ".gitignore: cannot be read: ")
    assert "nothing was written" in output
    assert [path.name for path in tmp_path.iterdir()] == [".gitignore"]


# --- reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["x.csv", "x.xlsx"])
def test_a_broken_link_in_data_is_reported_not_skipped(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p")
    broken_link(project / "data" / name)
    assert_invalid(project, {f"data/{name}": [f"cannot be read: {os.strerror(errno.ENOENT)}"]}, monkeypatch)


def test_a_broken_link_is_reported_with_the_catalogues_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", catalogue="organisation: [\n")
    broken_link(project / "data" / "x.csv")
    monkeypatch.chdir(project)
    output = assert_failed_cleanly(["validate"], "data/x.csv: cannot be read: ")
    assert "measures.yaml:" in output


def test_due_on_a_project_with_a_broken_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("minimal", tmp_path)
    broken_link(project / "data" / "x.csv")
    monkeypatch.chdir(project)
    assert_failed_cleanly(["due", "--as-at", "2018-01-31"], "data/x.csv: cannot be read: ")


def test_a_result_file_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p")
    refuse(monkeypatch, "read_bytes", "results.csv")
    assert_invalid(project, {"data/results.csv": ["cannot be read: Permission denied"]}, monkeypatch)


def test_a_data_folder_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p")
    refuse(monkeypatch, "iterdir", "data")
    assert_invalid(project, {"data": ["cannot be read: Permission denied"]}, monkeypatch)


def test_a_catalogue_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "p")
    refuse(monkeypatch, "read_bytes", "measures.yaml")
    assert_invalid(project, {"measures.yaml": ["cannot be read: Permission denied"]}, monkeypatch)


def test_load_yaml_on_a_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    folder = tmp_path / "measures.yaml"
    folder.mkdir()
    data, problems = load_yaml(folder)
    assert data is None
    assert [(problem.path, problem.line, problem.message.startswith("cannot be read: ")) for problem in problems] == [
        (folder, None, True)
    ]


def test_a_folder_named_like_a_result_file_is_still_skipped(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    (project / "data" / "archive.csv").mkdir()
    result = invoke("validate", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "in 1 file(s)" in result.output
