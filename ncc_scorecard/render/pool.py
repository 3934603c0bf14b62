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

import functools
import gc
import hashlib
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__

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


@functools.cache
def renderer_versions() -> tuple[str, ...]:
    """The versions of the libraries that make a PDF from its HTML (pikepdf saves the mended PDF)."""
    found = []
    for package in ("weasyprint", "pikepdf"):
        try:
            found.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            found.append("unknown")
    return tuple(found)


def add_templates(digest: Any, folders: Iterable[Path | None]) -> None:
    """Every file of the template folders, by name and content, into ``digest``."""
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())


def _environment_digest(project_templates: Path | None) -> str:
    """Everything besides the HTML that can change a PDF."""
    from .environment import default_templates_dir
    from .pdf import FONT_CSS, PDF_VARIANT

    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{chr(0).join(renderer_versions())}\0{PDF_VARIANT}\0{FONT_CSS}\0".encode())
    add_templates(digest, (default_templates_dir(), project_templates))
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


@dataclass(frozen=True)
class Made:
    """One rendered PDF, with what rendering it cost (measured in the process that rendered it)."""

    pdf: bytes
    seconds: float
    cpu: float
    """Seconds of CPU time (user and system) the rendering took."""
    peak: int
    """The rendering process's peak memory so far, in KiB."""


def _render(job: PdfJob) -> Made:
    """Render one PDF, timed."""
    from ..errors import RenderError
    from .pdf import render_pdf

    start, cpu = time.perf_counter(), time.process_time()
    try:
        pdf = render_pdf(job.html, job.project_templates)
    except Exception as exc:  # the renderer's own errors, named after the report
        raise RenderError(f"{job.name}: the PDF could not be rendered: {type(exc).__name__}: {exc}") from None
    return Made(pdf, time.perf_counter() - start, time.process_time() - cpu, _peak_memory())


def _peak_memory() -> int:
    """This process's peak memory so far, in KiB (0 where the system does not say)."""
    try:
        import resource
    except ImportError:  # not on Unix
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def _warm_up() -> None:
    """Import WeasyPrint once per worker, before its first document; leave Ctrl-C to the parent (which
    ends the workers), and keep the collector off the modules imported for good."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint  # noqa: F401

    gc.freeze()


class Workers:
    """Worker processes that render PDFs, each importing WeasyPrint once.

    Started early (``start()``), their import overlaps whatever the caller does before it has PDFs to
    render; otherwise they start with the first PDF to render. As a context manager: stopped on
    leaving, waited for if they rendered and the block succeeded, ended at once otherwise (an error,
    Ctrl-C, or every PDF reused from the cache)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.used = False
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> Workers:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(max_workers=self.count, initializer=_warm_up)
            for _ in range(self.count):  # the processes start now, not at the first document
                self._executor.submit(int)
        return self

    def submit(self, job: PdfJob) -> Future[Made]:
        self.used = True
        executor = self.start()._executor
        if executor is None:  # pragma: no cover - start() made it
            raise RuntimeError("the workers did not start")
        return executor.submit(_render, job)

    def stop(self, wait: bool = True) -> None:
        """Stop the workers: let idle ones exit (``wait``), or end them at once."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if not wait:  # ended first, so that the pool sees them gone and stops reading or writing to them
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)

    @property
    def started(self) -> bool:
        return self._executor is not None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        self.stop(wait=kind is None and self.used)


@dataclass(frozen=True)
class Timings:
    """Where a PDF stage's time went: ``NCC_SCORECARD_TIMINGS=1`` prints it to standard error."""

    wall: float
    workers: int
    """Worker processes (0: rendered in this process)."""
    rendered: int
    reused: int
    """PDFs taken from the cache."""
    busy: float
    """Seconds spent rendering, summed over the documents."""
    cpu: float
    """CPU seconds spent rendering, summed over the documents."""
    peak: int
    """The largest peak memory of a rendering process, in KiB."""

    def line(self) -> str:
        """``timings: PDF stage: 20 rendered, 0 reused; workers busy 18.20 s of 9.80 s wall x 2 workers
        (93 %); CPU 17.50 s = 1.79 cores; peak memory 114 MB``."""
        lanes = max(1, self.workers)
        share = self.busy / (self.wall * lanes) if self.wall else 0.0
        cores = self.cpu / self.wall if self.wall else 0.0
        where = f"workers busy {self.busy:.2f} s of {self.wall:.2f} s wall x {self.workers} workers"
        if not self.workers:
            where = f"in this process: busy {self.busy:.2f} s of {self.wall:.2f} s wall"
        return (
            f"timings: PDF stage: {self.rendered} rendered, {self.reused} reused; {where} ({share:.0%}); "
            f"CPU {self.cpu:.2f} s = {cores:.2f} cores; peak memory {self.peak / 1024:.0f} MB"
        )


TIMINGS_VARIABLE = "NCC_SCORECARD_TIMINGS"


def render_pdfs(
    jobs: Sequence[PdfJob],
    workers: int | Workers = 1,
    cache: Path | None = None,
    force: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> tuple[list[bytes], dict[Path, bytes]]:
    """Render every job (in order), reusing cached PDFs; return the PDFs and the new cache entries
    (for the caller to write with its outputs, once everything succeeded).

    ``workers`` > 1 renders in that many processes, or in the started :class:`Workers` given; the
    bytes are the same as one process makes. The largest documents go first, so that the last to
    finish is a short one. ``on_done(index)`` is called as each job's PDF is ready (for progress).
    """
    start = time.perf_counter()
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
    made, lanes = _render_all(jobs, todo, workers, done)
    pdfs.update((index, one.pdf) for index, one in made.items())
    timings = Timings(
        time.perf_counter() - start,
        lanes,
        len(made),
        len(pdfs) - len(made),
        sum(one.seconds for one in made.values()),
        sum(one.cpu for one in made.values()),
        max((one.peak for one in made.values()), default=0),
    )
    if os.environ.get(TIMINGS_VARIABLE):
        print(timings.line(), file=sys.stderr)
    entries = {cache_entry(cache, keys[i], one.pdf): one.pdf for i, one in made.items()} if cache is not None else {}
    return [pdfs[index] for index in range(len(jobs))], entries


def _render_all(
    jobs: Sequence[PdfJob], todo: list[int], workers: int | Workers, done: Callable[[int], None]
) -> tuple[dict[int, Made], int]:
    """Render the jobs ``todo`` (their indices): in the workers given, in new ones when more than one
    is asked for and there is more than one job (or the workers given, not started yet, would start
    for one), else here, one after another; with the number of
    worker processes used (0: here)."""
    if isinstance(workers, Workers) and (workers.started and todo or len(todo) > 1):
        return _render_in(workers, jobs, todo, done), workers.count
    if isinstance(workers, int) and workers > 1 and len(todo) > 1:
        with Workers(min(workers, len(todo))) as pool:
            return _render_in(pool, jobs, todo, done), pool.count
    made = {}
    for index in todo:
        made[index] = _render(jobs[index])
        done(index)
    return made, 0


def _render_in(pool: Workers, jobs: Sequence[PdfJob], todo: list[int], done: Callable[[int], None]) -> dict[int, Made]:
    """Render in the workers, largest HTML first (a document's size is the best guess of its time);
    the first failure cancels the jobs not yet started and is raised (:class:`RenderError` when a
    worker was killed: out of memory, or by a signal)."""
    from ..errors import RenderError

    largest_first = sorted(todo, key=lambda index: len(jobs[index].html), reverse=True)
    futures: dict[Future[Made], int] = {}
    made: dict[int, Made] = {}
    current = largest_first[0]
    try:
        for index in largest_first:
            futures[pool.submit(jobs[index])] = index
        for future in as_completed(futures):
            current = futures[future]
            made[current] = future.result()
            done(current)
    except BaseException as exc:
        for future in futures:
            future.cancel()
        if isinstance(exc, BrokenProcessPool):
            message = "a worker process ended unexpectedly (out of memory?)"
            raise RenderError(f"{jobs[current].name}: the PDF could not be rendered: {message}") from None
        raise
    return made


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
