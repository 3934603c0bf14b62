"""Rendering many PDFs: worker processes that import WeasyPrint once, and a build cache.

A PDF is a pure function of its HTML, the packaged fonts and stylesheet, the WeasyPrint, pikepdf
and tool versions and the render options. The cache key hashes all of them, so an output whose
inputs did not change is copied from ``out/.cache`` instead of being rendered again.

An entry is named ``<key>.<digest>.pdf``, the digest being the SHA-256 of its content: an entry
whose content does not match its name (damaged, truncated, replaced) is never used, the PDF is
rendered again. New entries are returned, not written, so that they are written with the
outputs of a build that succeeded; pruning removes only files named as entries.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import __version__

CACHE_DIR = ".cache"
_ENTRY_RE = re.compile(r"^[0-9a-f]{64}\.([0-9a-f]{64})\.pdf$")
"""A cache entry's name: its key, then the SHA-256 of its content."""
_OWN_RE = re.compile(r"^[0-9a-f]{64}(\.[0-9a-f]{64})?\.pdf$")
"""The names of entries this tool writes, or wrote before entries had a digest: what pruning may remove."""


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: its name (for errors), its HTML and the project's template folder."""

    name: str
    html: str
    project_templates: Path | None = None


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _environment_digest(project_templates: Path | None) -> str:
    """Everything besides the HTML that can change a PDF."""
    from .environment import default_templates_dir
    from .pdf import FONT_CSS, PDF_VARIANT

    digest = hashlib.sha256()
    versions = []
    for package in ("weasyprint", "pikepdf"):  # pikepdf saves the mended PDF
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("unknown")
    digest.update(f"{__version__}\0{chr(0).join(versions)}\0{PDF_VARIANT}\0{FONT_CSS}\0".encode())
    for folder in (default_templates_dir(), project_templates):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(job: PdfJob, environment: str) -> str:
    return hashlib.sha256(environment.encode() + b"\0" + job.html.encode("utf-8")).hexdigest()


def cache_entry(cache: Path, key: str, pdf: bytes) -> Path:
    """Where a PDF is cached: its key and the digest of its content in the name."""
    return cache / f"{key}.{hashlib.sha256(pdf).hexdigest()}.pdf"


def cached_pdf(cache: Path, key: str) -> bytes | None:
    """The PDF cached under ``key``, if an entry holds exactly what its name says; None otherwise."""
    try:
        entries = sorted(cache.glob(f"{key}.*.pdf"))
    except OSError:
        return None
    for path in entries:
        match = _ENTRY_RE.match(path.name)
        try:
            pdf = path.read_bytes() if match else b""
        except OSError:
            continue
        if match and pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == match.group(1):
            try:
                os.utime(path)  # recently used: kept by prune_cache
            except OSError:
                pass
            return pdf
    return None


def _render(job: PdfJob) -> bytes:
    from ..errors import RenderError
    from .pdf import render_pdf

    try:
        return render_pdf(job.html, job.project_templates)
    except Exception as exc:  # the renderer's own errors, named after the report
        raise RenderError(f"{job.name}: the PDF could not be rendered: {type(exc).__name__}: {exc}") from None


def _warm_up() -> None:
    """Import WeasyPrint once per worker, before its first document."""
    import weasyprint  # noqa: F401


def render_pdfs(
    jobs: Sequence[PdfJob],
    workers: int = 1,
    cache: Path | None = None,
    force: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> tuple[list[bytes], dict[Path, bytes]]:
    """Render every job (in order), reusing cached PDFs; return the PDFs and the new cache entries
    (for the caller to write with its outputs, once everything succeeded).

    ``workers`` > 1 renders in that many processes; the bytes are the same as one process makes.
    ``on_done(index)`` is called as each job's PDF is ready (for progress reports).
    """
    done = on_done or (lambda index: None)
    pdfs: dict[int, bytes] = {}
    keys: dict[int, str] = {}
    if cache is not None:
        environments: dict[Path | None, str] = {}
        for index, job in enumerate(jobs):
            if job.project_templates not in environments:
                environments[job.project_templates] = _environment_digest(job.project_templates)
            keys[index] = cache_key(job, environments[job.project_templates])
            cached = None if force else cached_pdf(cache, keys[index])
            if cached is not None:
                pdfs[index] = cached
                done(index)
    todo = [index for index in range(len(jobs)) if index not in pdfs]
    rendered: list[tuple[int, bytes]] = []
    if len(todo) > 1 and workers > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), initializer=_warm_up) as pool:
            for index, pdf in zip(todo, pool.map(_render, [jobs[i] for i in todo]), strict=True):
                rendered.append((index, pdf))
                done(index)
    else:
        for index in todo:
            rendered.append((index, _render(jobs[index])))
            done(index)
    pdfs.update(rendered)
    entries = {cache_entry(cache, keys[index], pdf): pdf for index, pdf in rendered} if cache is not None else {}
    return [pdfs[index] for index in range(len(jobs))], entries


def prune_cache(cache: Path, keep: int = 200, protect: Collection[str] = ()) -> None:
    """Keep the cache small: remove every entry but the ``keep`` most recently used ones and those
    whose content's SHA-256 is in ``protect`` (what a command's last run used). Only files named as
    the tool names its entries are counted or removed: nothing else in the folder is touched."""
    try:
        entries = [path for path in cache.iterdir() if _OWN_RE.match(path.name) and path.is_file()]
        entries.sort(key=lambda path: path.stat().st_mtime, reverse=True)
        for path in entries[keep:]:
            match = _ENTRY_RE.match(path.name)
            if not (match and match.group(1) in protect):
                path.unlink(missing_ok=True)
    except OSError:  # no cache yet, or one the system will not list: nothing to prune
        return
