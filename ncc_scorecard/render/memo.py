"""What a run leaves in ``out/.cache`` for the next one: a record per command.

``out/.cache/<command>.json`` records what the command's last run used and wrote:

- ``pdfs``: the SHA-256 of every PDF it wrote. Pruning the PDF cache keeps every entry whose content
  some command's last run used (:func:`protected`), so ``build`` between two ``site`` runs does not
  push out the entries the site needs, and the other way round.
- ``pages`` (``site`` only): each page's key and the size and modification time of its file as
  written. A page whose key is the same and whose file is as written is not rendered again.

A page's key (:meth:`PageMemo.key`) hashes the tool's code, the templates, the catalogue and the
``repr`` of everything the page's context is made from (:class:`~.site.Page` ``args``: frozen
dataclasses, tuples, dates and strings, whose ``repr`` shows all they hold). An object whose
``repr`` differs from run to run only makes the page render again. A record that is missing or
cannot be read is treated as empty: everything is rendered, nothing is protected.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import ScorecardError
from ..fingerprint import Stamp, stamp
from ..output import write_atomic
from .environment import default_templates_dir
from .pool import add_templates, renderer_versions

if TYPE_CHECKING:
    from .site import Page

COMMANDS = ("build", "site", "publish")
"""The commands that record what they used."""


def record_path(cache: Path, command: str) -> Path:
    return cache / f"{command}.json"


def read_record(cache: Path, command: str) -> dict[str, Any]:
    """A command's record (empty when there is none, or it cannot be read)."""
    try:
        data = json.loads(record_path(cache, command).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def protected(cache: Path) -> set[str]:
    """The SHA-256 of every PDF some command's last run used."""
    found: set[str] = set()
    for command in COMMANDS:
        pdfs = read_record(cache, command).get("pdfs", [])
        found |= {digest for digest in pdfs if isinstance(digest, str)} if isinstance(pdfs, list) else set()
    return found


def write_record(
    cache: Path, command: str, files: Mapping[Path, bytes], pages: Mapping[Path, str] | None = None
) -> None:
    """Record what ``command`` used: the digests of the PDFs among ``files`` and of those it kept, and
    the key and file of each of ``pages`` (paths written or kept, with their keys). A record that
    cannot be written is left out: the next run renders more, nothing else."""
    digests = {path: hashlib.sha256(data).hexdigest() for path, data in files.items() if path.suffix == ".pdf"}
    before = read_record(cache, command).get("pages", {}) if pages else {}
    entries: dict[str, list[Any]] = {}
    for path, key in (pages or {}).items():
        name = _name(cache, path)
        if path.suffix == ".pdf" and path not in digests:  # kept: its digest as recorded when written
            old = before.get(name) if isinstance(before, dict) else None
            if isinstance(old, list) and len(old) == 5 and isinstance(old[4], str):
                digests[path] = old[4]
        entries[name] = [key, *_stat(path), *([digests[path]] if path in digests else [])]
    record: dict[str, Any] = {"pdfs": sorted(set(digests.values()))}
    if entries:
        record["pages"] = entries
    try:
        write_atomic(record_path(cache, command), json.dumps(record, separators=(",", ":")).encode())
    except ScorecardError:  # a read-only or full cache folder: the outputs are written, the record is optional
        return


def _name(cache: Path, path: Path) -> str:
    """How a record names an output: relative to the output folder that holds the cache (by its
    text: thousands of pages are named in each run)."""
    text, out = str(path), str(cache.parent) + os.sep
    return (text[len(out) :] if text.startswith(out) else path.as_posix()).replace(os.sep, "/")


def _stat(path: Path) -> Stamp:
    """What tells a file changed (:func:`~ncc_scorecard.fingerprint.stamp`: its size and times), zeros
    when it is not there."""
    return stamp(path) or (0, 0, 0)


@functools.cache
def code_digest() -> str:
    """The tool's version and the source of its modules: a page made by other code is made again."""
    digest = hashlib.sha256(__version__.encode() + b"\0")
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PageMemo:
    """The files of the site an earlier run wrote, and whether a page or PDF needs making again."""

    def __init__(self, cache: Path, catalogue: Path, templates: Path | None, reuse: bool = True) -> None:
        """``catalogue``: the project's measures.yaml; ``templates``: its templates folder; ``reuse``
        False makes everything again (``--force``)."""
        try:
            catalogue_digest = hashlib.sha256(catalogue.read_bytes()).hexdigest()
        except OSError:
            catalogue_digest, reuse = "", False
        templates_seen = hashlib.sha256()
        add_templates(templates_seen, [default_templates_dir(), templates])
        base = [code_digest(), templates_seen.hexdigest(), catalogue_digest]
        self._base = hashlib.sha256("\0".join(base).encode())
        pages = read_record(cache, "site").get("pages", {}) if reuse else {}
        self._cache = cache
        self._before: Mapping[str, Any] = pages if isinstance(pages, dict) else {}
        self._shown: dict[int, tuple[object, str]] = {}

    def key(self, template: str, make: Callable[..., object], args: tuple[Any, ...]) -> str:
        """A file's key: the template that lays it out, the function that makes what the template sees
        and its arguments."""
        digest = self._base.copy()
        digest.update(f"\0{template}\0{make.__module__}.{make.__qualname__}\0".encode())
        digest.update("".join([self._digest(arg) for arg in args]).encode())
        return digest.hexdigest()

    def page_key(self, page: Page) -> str:
        return self.key(page.template, page.make, page.args)

    def pdf_key(self, make: Callable[..., object], view: object) -> str:
        """A PDF's key: its HTML's, and the versions of the libraries that render it."""
        return self.key(f"pdf {' '.join(renderer_versions())}", make, (view,))

    def _digest(self, arg: object) -> str:
        """The SHA-256 of ``repr(arg)``, made once per object and run (a measure's history serves its
        page at every date, a report's view its page and its PDF)."""
        shown = self._shown.get(id(arg))
        if shown is None or shown[0] is not arg:
            text = hashlib.sha256(repr(arg).encode()).hexdigest()
            shown = self._shown[id(arg)] = (arg, text)  # holds ``arg``: its id is not reused
        return shown[1]

    def kept(self, path: Path, key: str) -> bool:
        """Whether the file at ``path`` is the one with ``key``, as an earlier run wrote it."""
        before = self._before.get(_name(self._cache, path))
        return isinstance(before, list) and before[:4] == [key, *_stat(path)] and before[1] > 0
