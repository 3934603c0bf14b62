"""Writing outputs: all or nothing, complete files only, unchanged files left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ncc_scorecard.errors import ScorecardError
from ncc_scorecard.output import write_all, write_atomic


def test_write_all_writes_every_file_and_creates_folders(tmp_path: Path) -> None:
    files = {tmp_path / "out" / "a.json": b"a", tmp_path / "out" / "sub" / "b.csv": b"b"}
    assert write_all(files) == list(files)
    assert {path: path.read_bytes() for path in files} == files
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["a.json", "b.csv", "sub"]


def test_new_files_get_ordinary_permissions(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.json", b"{}")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_failure_part_way_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"old")
    (tmp_path / "blocker").write_bytes(b"a file where a folder should be")
    with pytest.raises(ScorecardError, match="cannot write"):
        write_all({tmp_path / "a.json": b"new", tmp_path / "blocker" / "b.json": b"b"})
    assert (tmp_path / "a.json").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "blocker"]  # no temporary files left


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"same")
    os.utime(path, ns=(1, 1))
    write_all({path: b"same"})
    assert path.stat().st_mtime_ns == 1
    write_all({path: b"changed"})
    assert path.read_bytes() == b"changed" and path.stat().st_mtime_ns != 1


def test_a_file_in_place_of_a_folder_is_named_in_the_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blocked").write_bytes(b"")
    with pytest.raises(ScorecardError) as raised:
        write_atomic(Path("blocked") / "sub" / "x.csv", b"x")
    assert raised.value.message == f"cannot write {Path('blocked/sub/x.csv')}: blocked is a file, not a folder"


def test_a_folder_in_place_of_the_file_is_an_error_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "x.csv").mkdir()
    with pytest.raises(ScorecardError, match="x.csv: a folder of that name is in the way"):
        write_atomic(tmp_path / "x.csv", b"x")
    assert [p.name for p in tmp_path.rglob("*")] == ["x.csv"]


def test_a_refused_rename_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ScorecardError, match="x.csv: Permission denied"):
        write_atomic(tmp_path / "x.csv", b"x")
    assert list(tmp_path.iterdir()) == []
