"""Writing outputs atomically: every file is complete before it replaces the old one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file would be
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several rendered outputs; call only once every one of them rendered successfully.

    A file whose content is already the same is left alone (its modification time too).
    """
    for path, data in files.items():
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            continue
        write_atomic(path, data)
    return list(files)
