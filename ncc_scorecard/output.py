"""Writing outputs atomically: every file is complete before it replaces the old one.

Whatever the system refuses (no permission, a full disk, a file where a folder should be) is a
:class:`ScorecardError` naming the file: ``cannot write out/a.csv: …``, never a traceback.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .errors import ScorecardError
from .problems import display_path

STALE_AFTER = 3600
"""Seconds after which a temporary file of ours (``.NAME.xxxxxxxx.tmp``) is left over from a run that
was killed while writing, and not one that another run is writing now."""
_TEMP_RE = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over ``path``."""
    _check_target(path)
    remove_stale_temps([path])
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise


def _write_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed to disk; removed again if writing fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file would be
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise
    return Path(temp)


def remove_stale_temps(paths: Iterable[Path]) -> None:
    """Remove what a killed run left beside ``paths``: the temporary files this module names
    ``.NAME.xxxxxxxx.tmp`` for a NAME among them, unchanged for :data:`STALE_AFTER` seconds.
    Nothing else is removed, and whatever the system refuses is left for the next run."""
    names: dict[Path, set[str]] = {}
    for path in paths:
        names.setdefault(path.parent, set()).add(path.name)
    stale = time.time() - STALE_AFTER
    for folder, written in names.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not there yet
            continue
        for entry in entries:
            match = _TEMP_RE.match(entry.name)
            try:
                if match and match.group(1) in written and entry.is_file(follow_symlinks=False):
                    if entry.stat(follow_symlinks=False).st_mtime < stale:
                        os.unlink(entry.path)
            except OSError:
                continue


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise ScorecardError(f"cannot write {display_path(path)}: a folder of that name is in the way")


def _cannot_write(path: Path, error: OSError) -> ScorecardError:
    """The error for an output the system refused, with the reason as a user can act on it."""
    reason = error.strerror or str(error)
    if isinstance(error, (FileExistsError, NotADirectoryError)):  # a file where a folder should be
        blocking = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
        if blocking is not None:
            reason = f"{display_path(blocking)} is a file, not a folder"
    return ScorecardError(f"cannot write {display_path(path)}: {reason}")


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
    remove_stale_temps(files)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if _unchanged(path, data):
                continue
            _check_target(path)
            staged.append((_write_temp(path, data), path))
        while staged:
            temp, path = staged[0]
            try:
                os.replace(temp, path)
            except OSError as exc:
                raise _cannot_write(path, exc) from exc
            staged.pop(0)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
    return list(files)


def _unchanged(path: Path, data: bytes) -> bool:
    """Whether ``path`` already holds ``data`` (False when it cannot be read: writing it will say why)."""
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_tree(
    files: Mapping[Path, bytes], root: Path, tidy: Callable[[str], bool], keep: Iterable[Path] = ()
) -> list[Path]:
    """Write ``files`` (all inside ``root``) like :func:`write_all`, then remove what an earlier run
    left in the folders of ``root`` that ``tidy`` names and this run did not write, nor ``keep``
    as it is.

    Other files and folders in ``root`` (a ``robots.txt`` a web team keeps there) are left alone,
    and so are hidden files.
    """
    written = write_all(files)
    inside, real = str(root) + os.sep, os.path.realpath(root) + os.sep

    def resolved(path: str) -> str:  # ``root`` resolved once, not each of thousands of paths
        path = os.path.normpath(path)
        return real + path[len(inside) :] if path.startswith(inside) else os.path.realpath(path)

    wanted = {resolved(str(path)) for path in (*files, *keep)}
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not folder.is_dir() or folder.is_symlink() or not tidy(folder.name):
            continue
        for here, folders, names in os.walk(folder, topdown=False):  # files before the folders holding them
            for name in names:
                path = os.path.join(here, name)
                if not name.startswith(".") and os.path.isfile(path) and resolved(path) not in wanted:
                    os.unlink(path)
            for name in folders:
                path = os.path.join(here, name)
                if os.path.isdir(path) and not os.listdir(path):
                    os.rmdir(path)
        if not any(folder.iterdir()):
            folder.rmdir()
    return written
