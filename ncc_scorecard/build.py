"""The pipeline, top to bottom: load → validate → compute → render → write.

Every command that computes goes through here. :func:`build` writes each report as HTML, PDF,
JSON and CSV; :func:`build_site` writes the performance portal for several report dates. Both
render their PDFs in one stage (:func:`render_pdfs`: the cache, worker processes, pruning and
progress), and both write only once everything has rendered, so a failure changes nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .benchmark_files import BenchmarkFigure, load_benchmarks
from .benchmarks import with_benchmarks
from .calculator import compute_report
from .catalogue import Catalogue, Report, load_catalogue
from .changes import previous_report_date, with_changes
from .checks import warnings
from .errors import InvalidProject, OutOverInputs, RepublishRefused, UnknownReport
from .fingerprint import CACHE_DIR
from .model import ReportResult
from .numbers import plural
from .output import write_all, write_tree
from .periods import month_ends
from .problems import Problem, display_path, links_leaving
from .progress import Progress
from .records import PUBLISHED, Record, digests, read_records, record_bytes, record_path
from .results import NotAvailable, Result, group_by_measure, load_results, read_result_files, result_files
from .revisions import Revision, revisions

if TYPE_CHECKING:  # the render layer is imported only by the stages that render
    from jinja2 import Environment

    from .render.memo import PageMemo
    from .render.pool import Workers
    from .render.site import SiteReport

INPUT_FOLDERS = ("data", "benchmarks", "templates")
"""The folders of a project the tool reads: an output folder may be none of them, nor inside one."""
DEFAULT_FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Project:
    """A scorecard project on disk, loaded and checked."""

    root: Path
    catalogue: Catalogue
    results: tuple[Result, ...]
    files: tuple[Path, ...]
    """The result files read, in order."""
    by_measure: Mapping[str, tuple[Result, ...]] = field(default_factory=dict)
    """Each measure's results, in file order: grouped once, used by every stage."""
    warnings: tuple[Problem, ...] = ()
    """Figures and settings that are valid but probably wrong (:mod:`ncc_scorecard.checks`)."""
    unavailable: Mapping[str, tuple[NotAvailable, ...]] = field(default_factory=dict)
    """Each measure's figures marked not available, with their reasons."""
    benchmarks: Mapping[str, tuple[BenchmarkFigure, ...]] = field(default_factory=dict)
    """Each measure's benchmark figures (``benchmarks/`` and ``benchmark_source`` files)."""
    computed: dict[tuple[str, date], ReportResult] = field(default_factory=dict, compare=False, repr=False)
    """Each report computed as at a date (:func:`report_as_at`), by report id and date: every stage of
    a run (a build and its changes, the site's dates, revisions, ``publish``) shares it, so each
    report is computed at most once as at each date."""

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"


@dataclass(frozen=True)
class Outcome:
    """What a build wrote, and the warnings about its project (for the command line to show)."""

    written: list[Path]
    warnings: tuple[Problem, ...] = ()
    read: tuple[Path, ...] = ()
    """Every file the outputs were made from (:func:`files_read`)."""


@dataclass(frozen=True)
class Rendered:
    """Outputs rendered in memory, and the PDF cache entries to write with them."""

    files: dict[Path, bytes]
    cache: dict[Path, bytes] = field(default_factory=dict)
    """New entries of ``out/.cache``: written only with the outputs of a build that succeeded."""
    pdfs: int = 0
    """How many PDFs the build made."""
    kept: frozenset[Path] = frozenset()
    """Pages an earlier run wrote from the same inputs, left as they are (written with the outputs)."""
    pages: Mapping[Path, str] = field(default_factory=dict)
    """The key of every page, written or kept, for the next run (:class:`~.render.memo.PageMemo`)."""


@dataclass(frozen=True)
class PdfTarget:
    """A PDF to make: where it goes, what it is called in progress and errors, and its HTML."""

    path: Path
    name: str
    """"report 'childrens-safeguarding'" (as at 2017-12-31, for the site)."""
    label: str
    """What the progress line shows when it is done."""
    html: str


# --- load and validate -------------------------------------------------------------------


def check_project(root: Path, as_at: date | None = None, warn: bool = True) -> tuple[Project | None, list[Problem]]:
    """Read the catalogue and every result file, and check them for a build as at ``as_at``
    (default today): the project and no problems, or None and every error, then every warning.
    The project's warnings are on it. ``warn=False`` skips the warnings, for commands that never
    show them (``due``, ``changes``)."""
    catalogue, problems = load_catalogue(root / "measures.yaml")
    files = result_files(root / "data")
    problems += links_leaving(root / "templates", root)
    if catalogue is None:
        # without a catalogue the rows cannot be checked, but the files themselves still can
        return None, problems + read_result_files(root)[1]
    loaded = load_results(root, catalogue)
    problems += loaded.problems
    figures, benchmark_problems = load_benchmarks(root, catalogue)
    problems += benchmark_problems
    by_measure = group_by_measure(loaded.results)
    today = date.today()
    found = warnings(catalogue, by_measure, as_at or today, today, loaded.named) if warn else []  # beside errors too
    if problems:
        return None, problems + found
    unavailable = group_by_measure(loaded.unavailable)
    results = tuple(loaded.results)
    benchmarks = group_by_measure(figures)
    project = Project(root, catalogue, results, tuple(files), by_measure, tuple(found), unavailable, benchmarks)
    if not (root / PUBLISHED).is_dir():
        return project, []
    records, record_problems = read_records(root, [report.id for report in catalogue.reports])
    if record_problems:
        return None, record_problems + found
    if not warn:
        return project, []
    revised = [r.problem() for r in revisions_since(project, as_at or today, records=records) if not r.acknowledged]
    return replace(project, warnings=project.warnings + tuple(revised)), []


def load_project(root: Path, as_at: date | None = None, strict: bool = False, warn: bool = True) -> Project:
    """The checked project, or :class:`InvalidProject` listing every problem (and, when ``strict``,
    every warning; ``warn=False`` skips the warnings)."""
    project, problems = check_project(root, as_at, warn)
    if project is None:
        raise InvalidProject(problems)
    if strict and project.warnings:
        raise InvalidProject(list(project.warnings), strict=True)
    return project


def select_reports(catalogue: Catalogue, report_ids: Sequence[str]) -> list[Report]:
    """The reports named (all when none is named), in catalogue order; :class:`UnknownReport` otherwise."""
    known = {report.id: report for report in catalogue.reports}
    unknown = [report_id for report_id in report_ids if report_id not in known]
    if unknown:
        raise UnknownReport(f"no report {', '.join(repr(u) for u in unknown)}; the reports are {', '.join(known)}")
    if not report_ids:
        return list(catalogue.reports)
    return [report for report in catalogue.reports if report.id in report_ids]


def check_out(root: Path, out_dir: Path | None) -> Path:
    """The output folder (default ``out/`` in the project); :class:`OutOverInputs` when it is the
    project folder, or is or lies inside ``data/``, ``benchmarks/`` or ``templates/``, or would put
    the project under the folders the tool fills (``site/``, ``.cache/``): outputs written there would
    overwrite, join or remove the project's own files."""
    from .render.site import SITE

    out = out_dir or root / "out"
    where, project = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    folder = next((name for name in INPUT_FOLDERS if where.is_relative_to(project / name)), None)
    own = any(project.is_relative_to(where / name) for name in (SITE, CACHE_DIR))
    if folder is None and where != project and not own:
        return out
    what = f"the project's {folder}/ folder" if folder else "the project folder"
    relation = "is" if where in (project, project / (folder or "")) else "is inside" if folder else "holds"
    raise OutOverInputs(
        f"--out {display_path(out)} {relation} {what}: outputs there could overwrite the project's own files. "
        "Write them to another folder (the default is out/ in the project)."
    )


# --- compute -----------------------------------------------------------------------------


def compute(
    project: Project, as_at: date, report_ids: Sequence[str] = (), since: date | None = None
) -> list[ReportResult]:
    """Compute the selected reports as at a date, each with its changes since the previous report date
    (or since ``since``)."""
    return [
        report_with_changes(project, report, as_at, since) for report in select_reports(project.catalogue, report_ids)
    ]


def report_with_changes(project: Project, report: Report, as_at: date, since: date | None = None) -> ReportResult:
    """One report as at a date with its changes since the previous report date (or ``since``) and
    its benchmarks."""
    catalogue = project.catalogue
    before = since or previous_report_date(catalogue, report, as_at)
    result = with_changes(report_as_at(project, report, as_at), report_as_at(project, report, before))
    if not catalogue.comparators:
        return result
    return with_benchmarks(result, catalogue, project.benchmarks, project.by_measure)


def report_as_at(project: Project, report: Report, as_at: date) -> ReportResult:
    """A report's rows as at a date, computed the first time a run asks (:attr:`Project.computed`)."""
    key = (report.id, as_at)
    found = project.computed.get(key)
    if found is None:
        found = compute_report(project.catalogue, report, project.by_measure, as_at, project.unavailable)
        project.computed[key] = found
    return found


def report_dates(as_at: Sequence[date], history_months: int | None) -> list[date]:
    """The dates to publish: every ``as_at`` and the ``history_months`` month-ends up to the newest."""
    dates = set(as_at)
    if history_months:
        dates |= set(month_ends(max(dates), history_months))
    return sorted(dates)


# --- published records and revisions --------------------------------------------------------


def revisions_since(
    project: Project,
    as_at: date,
    report_ids: Sequence[str] = (),
    records: Mapping[tuple[str, date], list[Record]] | None = None,
) -> list[Revision]:
    """Every figure of each published record (the latest revision of each report date up to
    ``as_at``) that the same report and date computed from today's data gives otherwise."""
    from .render.exports import report_data

    reports = select_reports(project.catalogue, report_ids)
    if records is None:
        records = read_records(project.root, [report.id for report in reports])[0]
    noted = {(note.measure, note.period) for note in project.catalogue.revisions}
    dates: dict[str, list[date]] = {}
    for report_id, day in sorted(records, key=lambda key: key[1]):
        if day <= as_at:
            dates.setdefault(report_id, []).append(day)
    found: list[Revision] = []
    for report in reports:
        for day in dates.get(report.id, ()):
            now = report_data(report_with_changes(project, report, day))
            found += revisions(records[(report.id, day)][-1], now, project.by_measure, noted)
    return found


@dataclass(frozen=True)
class Published:
    """What ``publish`` wrote, and the reports whose record was already the same."""

    written: list[Path]
    unchanged: list[str]


def publish(
    root: Path,
    as_at: date,
    report_ids: Sequence[str] = (),
    revise: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Published:
    """Record each report as sent to committee: ``published/<report>/<date>.json`` and its PDF. A date
    already published with the same figures is left as it is; with other figures it is refused
    (:class:`RepublishRefused`, nothing written) unless ``revise`` gives the reason, which adds the
    next revision and keeps every earlier record."""
    with pdf_workers(jobs, root / "out", False) as workers:
        project = load_project(root, as_at, warn=False)
        files, targets, unchanged = _records(project, as_at, report_ids, revise)
        progress = progress or Progress()
        progress.start(len(targets), f"Publishing {plural(len(targets), 'report')} as at {as_at.isoformat()}")
        stage = pdf_stage(project, targets, root / "out", jobs, False, progress, workers)
    rendered = Rendered(files | stage.files, stage.cache, stage.pdfs)
    return Published(write_outputs(rendered, root / "out", write_all, "publish"), unchanged)


def _records(
    project: Project, as_at: date, report_ids: Sequence[str], revise: str | None
) -> tuple[dict[Path, bytes], list[PdfTarget], list[str]]:
    """The records to write and the PDFs to render for ``publish``, and the reports already
    published with these figures; :class:`RepublishRefused` when figures changed and ``revise`` is None."""
    from .render.exports import report_data

    root = project.root
    reports = compute(project, as_at, report_ids)
    records = read_records(root, [report.report.id for report in reports])[0]
    inputs = digests(root, input_files(project))
    files: dict[Path, bytes] = {}
    targets: list[PdfTarget] = []
    unchanged, refused = [], []
    appendix = _appendix_renderer(project)
    for report in reports:
        report_id = report.report.id
        now = report_data(report)
        kept = records.get((report_id, as_at), [])
        changed = revisions(kept[-1], now, project.by_measure) if kept else []
        if kept and not changed:
            unchanged.append(report_id)
            continue
        if changed and revise is None:
            refused += [f"  {r.text}" for r in changed]
            continue
        path = record_path(root, report_id, as_at, kept[-1].revision + 1 if kept else 1)
        files[path] = record_bytes(now, inputs, kept[-1].revision + 1 if kept else 1, revise if kept else None)
        targets.append(PdfTarget(path.with_suffix(".pdf"), f"report '{report_id}'", report_id, appendix(report)))
    if refused:
        raise RepublishRefused(
            f"{as_at.isoformat()} is already published with other figures:\n" + "\n".join(refused) + "\n"
            'Nothing was written. To publish a revision, give its reason: publish --revise "…"'
        )
    return files, targets, unchanged


def input_files(project: Project) -> list[Path]:
    """Every file a report is computed and rendered from: the catalogue, the result and benchmark
    files, and the project's templates."""
    root = project.root
    found = [root / "measures.yaml", *project.files]
    for folder in (root / "benchmarks", project.templates_dir):
        if folder.is_dir():
            found += [path for path in folder.rglob("*") if path.is_file()]
    return sorted(set(found))


def files_read(project: Project) -> tuple[Path, ...]:
    """Every input file of a build: :func:`input_files` and the ``benchmark_source`` files."""
    sources = {project.root / m.benchmark_source.file for m in project.catalogue.measures if m.benchmark_source}
    return tuple(sorted(set(input_files(project)) | sources))


# --- build: the committee outputs ----------------------------------------------------------


def build(
    root: Path,
    as_at: date,
    formats: Sequence[str] = DEFAULT_FORMATS,
    out_dir: Path | None = None,
    report_ids: Sequence[str] = (),
    jobs: int = 1,
    force: bool = False,
    since: date | None = None,
    progress: Progress | None = None,
    strict: bool = False,
) -> Outcome:
    """Validate, compute, render and write; on any failure ``out_dir`` is left as it was.
    ``strict`` makes a warning stop the build as an error would."""
    out_dir = check_out(root, out_dir)
    with pdf_workers(jobs if "pdf" in formats else 1, out_dir, force) as workers:
        project = load_project(root, as_at, strict)
        reports = compute(project, as_at, report_ids, since)
        rendered = render(project, reports, formats, out_dir, jobs, force, progress, workers)
    return Outcome(write_outputs(rendered, out_dir, write_all), project.warnings, files_read(project))


def render(
    project: Project,
    reports: Sequence[ReportResult],
    formats: Sequence[str],
    out_dir: Path,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> Rendered:
    """Render every report in every format, in memory; nothing is written here."""
    from .render.exports import to_csv, to_json

    progress = progress or Progress()
    progress.start(len(reports), f"Building {plural(len(reports), 'report')} ({', '.join(formats)})")
    files: dict[Path, bytes] = {}
    pdfs: list[PdfTarget] = []
    appendix = _appendix_renderer(project) if "html" in formats or "pdf" in formats else None
    for report in reports:
        stem = out_dir / report.report.id
        if "json" in formats:
            files[stem.with_suffix(".json")] = to_json(report)
        if "csv" in formats:
            files[stem.with_suffix(".csv")] = to_csv(report)
        if appendix is not None:
            html = appendix(report)
            if "html" in formats:
                files[stem.with_suffix(".html")] = html.encode("utf-8")
            if "pdf" in formats:
                name = f"report '{report.report.id}'"
                pdfs.append(PdfTarget(stem.with_suffix(".pdf"), name, report.report.id, html))
        if "pdf" not in formats:
            progress.advance(report.report.id)
    stage = pdf_stage(project, pdfs, out_dir, jobs, force, progress, workers)
    progress.finish()
    return Rendered(files | stage.files, stage.cache, stage.pdfs)


def _appendix_renderer(project: Project) -> Callable[[ReportResult], str]:
    """A function giving a report's appendix HTML, with the project's templates."""
    from .render.environment import make_environment
    from .render.html import render_appendix
    from .render.view import appendix_view

    env = make_environment(project.templates_dir)
    return lambda report: render_appendix(env, appendix_view(report))


# --- build_site: the portal ----------------------------------------------------------------


def build_site(
    root: Path,
    dates: Sequence[date],
    out_dir: Path | None = None,
    report_ids: Sequence[str] = (),
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    strict: bool = False,
) -> Outcome:
    """Validate, compute every report as at every date, render the portal's pages and PDFs, and
    write ``out_dir/site/``, removing dates an earlier build published and this one does not.
    Warnings are checked as at the newest date."""
    from .render.site import SITE, is_date_folder

    out_dir = check_out(root, out_dir)
    with pdf_workers(jobs, out_dir, force) as workers:
        project = load_project(root, max(dates), strict)
        editions = _editions(project, sorted(set(dates)), report_ids)
        rendered = render_site(project, editions, out_dir, jobs, force, progress, workers)
    write_site = functools.partial(write_tree, root=out_dir / SITE, tidy=is_date_folder, keep=rendered.kept)
    return Outcome(write_outputs(rendered, out_dir, write_site, "site"), project.warnings, files_read(project))


def _editions(project: Project, dates: Sequence[date], report_ids: Sequence[str]) -> dict[date, list[SiteReport]]:
    """The selected reports as at each date, each computed and viewed once; a published date with its
    record and the revisions since."""
    from .render.exports import report_data
    from .render.site import SiteReport, published_view
    from .render.view import appendix_view

    publishing = (project.root / PUBLISHED).is_dir()
    records = read_records(project.root, [report.id for report in project.catalogue.reports])[0] if publishing else {}
    noted = {(note.measure, note.period) for note in project.catalogue.revisions}
    editions: dict[date, list[SiteReport]] = {}
    for day in dates:
        editions[day] = []
        for report in compute(project, day, report_ids):
            kept = records.get((report.report.id, day))
            published = None
            if kept:
                revised = revisions(kept[-1], report_data(report), project.by_measure, noted)
                published = published_view(kept[-1], revised)
            editions[day].append(SiteReport(report, appendix_view(report), published, publishing))
    return editions


def published_pdfs(project: Project, editions: Mapping[date, Sequence[SiteReport]]) -> dict[tuple[date, str], bytes]:
    """The PDF published with each published report date of the site (those whose file is there)."""
    found = {}
    for day, reports in editions.items():
        for report in reports:
            path = record_path(project.root, report.id, day, report.published.revision) if report.published else None
            if path is not None and path.with_suffix(".pdf").is_file():
                found[(day, report.id)] = path.with_suffix(".pdf").read_bytes()
    return found


def render_site(
    project: Project,
    editions: Mapping[date, Sequence[SiteReport]],
    out_dir: Path,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> Rendered:
    """Every page and PDF of the site in memory, with ``latest/`` copies of the newest date. A file
    that an earlier run made from the same inputs, and that is still as written, is kept instead of
    made again (unless ``force``)."""
    from .render.environment import make_environment
    from .render.html import render_appendix
    from .render.memo import PageMemo
    from .render.site import SITE, latest_copies, latest_path, pdf_path

    dates, root = sorted(editions), out_dir / SITE
    env = make_environment(project.templates_dir)
    memo = PageMemo(out_dir / CACHE_DIR, project.root / "measures.yaml", project.templates_dir, reuse=not force)
    progress = progress or Progress()
    progress.start(sum(map(len, editions.values())), f"Building the site for {plural(len(dates), 'report date')}")
    published = published_pdfs(project, editions)
    for day, report_id in published:
        progress.advance(f"{day.isoformat()} {report_id} (as published)")
    keys: dict[str, str] = {}
    pdfs = []
    for day, report in ((day, report) for day, reports in editions.items() for report in reports):
        if (day, report.id) in published:
            continue
        path, label = pdf_path(day, report.id), f"{day.isoformat()} {report.id}"
        key = memo.pdf_key(render_appendix, report.view)
        if _keep(memo, root, [path, *filter(None, [latest_path(path, dates[-1])])], key, keys):
            progress.advance(label)
            continue
        html = render_appendix(env, report.view)
        pdfs.append(PdfTarget(root / path, f"report '{report.id}' as at {day.isoformat()}", label, html))
    stage = pdf_stage(project, pdfs, out_dir, jobs, force, progress, workers)
    del pdfs  # their HTML, before the pages are made: the site's memory is the larger of the two, not both
    progress.finish()
    site, page_keys = _site_pages(project, editions, env, memo, root)
    keys = page_keys | keys
    site |= {pdf_path(day, report_id): pdf for (day, report_id), pdf in published.items()}
    site |= {path.relative_to(root).as_posix(): pdf for path, pdf in stage.files.items()}
    site.update(latest_copies(site, dates[-1]))
    kept = frozenset(root / path for path in keys if path not in site)
    return Rendered(
        {root / path: data for path, data in site.items()},
        stage.cache,
        stage.pdfs,
        kept,
        {root / path: key for path, key in keys.items()},
    )


def _keep(memo: PageMemo, root: Path, paths: Sequence[str], key: str, keys: dict[str, str]) -> bool:
    """Note the key of a file (its ``latest/`` copy too) and whether every copy is kept as it is."""
    keys.update(dict.fromkeys(paths, key))
    return all(memo.kept(root / path, key) for path in paths)


def _site_pages(
    project: Project, editions: Mapping[date, Sequence[SiteReport]], env: Environment, memo: PageMemo, root: Path
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The site's pages (paths relative to ``site/``) that are not kept as an earlier run wrote them,
    and the key of every page (kept or not)."""
    from .calculator import history
    from .render.html import render_template
    from .render.site import latest_path, site_pages

    dates = sorted(editions)
    catalogue = project.catalogue
    first_showing: dict[str, Report] = {}  # rated as on its page: in the first report shown that has it
    for report in editions[dates[-1]]:
        for measure_id in report.result.report.measure_ids:
            first_showing.setdefault(measure_id, report.result.report)
    histories = {
        measure.id: history(
            measure,
            project.by_measure.get(measure.id, ()),
            dates[-1],
            catalogue.rating_for(measure, first_showing.get(measure.id)),
        )
        for measure in catalogue.measures
    }
    site: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    for page in site_pages(
        catalogue.organisation, editions, histories, catalogue.year_start_month, catalogue.period_labels
    ):
        paths = [page.path, *filter(None, [latest_path(page.path, dates[-1])])]
        if _keep(memo, root, paths, memo.page_key(page), keys):
            continue
        template = f"site/{page.template}.html.j2"
        site[page.path] = render_template(env, template, page.context, f"site page {page.path}").encode("utf-8")
    return site, keys


# --- the PDF stage -------------------------------------------------------------------------


def pdf_workers(jobs: int, out_dir: Path, force: bool) -> AbstractContextManager[Workers | None]:
    """The worker processes of a PDF stage with ``jobs`` > 1; stopped on leaving the block (at once on
    an error or when they had nothing to render). When every PDF will be rendered (``force``, or no
    cache yet) they start now, before the project is loaded, so that their WeasyPrint import overlaps
    loading and computing; otherwise with the first PDF the cache does not have (a build that changed
    nothing starts none). None for one job."""
    if jobs <= 1:
        return nullcontext()
    from .render.pool import Workers

    workers = Workers(jobs)
    return workers.start() if force or not (out_dir / CACHE_DIR).is_dir() else workers


def pdf_stage(
    project: Project,
    targets: Sequence[PdfTarget],
    out_dir: Path,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> Rendered:
    """Every PDF, in order: reused from ``out_dir/.cache`` when its inputs did not change and its
    entry is intact, else rendered in the ``workers`` given or in ``jobs`` new worker processes; with
    the new cache entries."""
    if not targets:
        return Rendered({})
    from .render.pool import PdfJob, render_pdfs

    cache = out_dir / CACHE_DIR
    done = (progress or Progress()).advance
    rendered, entries = render_pdfs(
        [PdfJob(target.name, target.html, project.templates_dir) for target in targets],
        workers=jobs if workers is None else workers,
        cache=cache,
        force=force,
        on_done=lambda index: done(targets[index].label),
    )
    pdfs = {target.path: pdf for target, pdf in zip(targets, rendered, strict=True)}
    return Rendered(pdfs, entries, len(targets))


CACHE_SPARE = 200
"""PDF cache entries kept besides those some command's last run used: the most recently used."""


def write_outputs(
    rendered: Rendered, out_dir: Path, write: Callable[[Mapping[Path, bytes]], object], command: str = "build"
) -> list[Path]:
    """Write the outputs and the new cache entries together (``write``: :func:`write_all` or a site's
    :func:`write_tree`), record what ``command`` used, then prune the cache: it keeps every entry that
    the last run of ``build``, ``site`` or ``publish`` used, and the :data:`CACHE_SPARE` most recently
    used others. The outputs written or kept, in order."""
    write({**rendered.files, **rendered.cache})
    if rendered.pdfs or rendered.pages:
        from .render.memo import protected, write_record
        from .render.pool import prune_cache

        cache = out_dir / CACHE_DIR
        write_record(cache, command, rendered.files, rendered.pages)
        if rendered.pdfs:
            prune_cache(cache, keep=CACHE_SPARE, protect=protected(cache))
    return [*rendered.files, *sorted(rendered.kept)]
