"""Writing outputs atomically: every file is complete before it replaces the old one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import ScorecardError, display_path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over ``path``."""
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed to disk; removed again if writing fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file would be
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several rendered outputs; call only once every one of them rendered successfully.

    Every changed file is first written in full beside its target; only when all of them are on
    disk do they replace the old files, so a full disk or a folder in the way changes nothing.
    A file whose content is already the same is left alone (its modification time too).
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
            if path.is_dir():
                raise ScorecardError(f"cannot write {display_path(path)}: a folder of that name is in the way")
            try:
                staged.append((_write_temp(path, data), path))
            except OSError as exc:  # no permission, disk full: a message, not a traceback
                raise ScorecardError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from exc
        while staged:
            temp, path = staged[0]
            try:
                os.replace(temp, path)
            except OSError as exc:
                raise ScorecardError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from exc
            staged.pop(0)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
    return list(files)
