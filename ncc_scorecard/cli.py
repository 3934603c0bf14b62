"""The command line: parse options, call the library, print results."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .annotations import show_problems
from .numbers import plural

if TYPE_CHECKING:
    from .build import Outcome
    from .fingerprint import Check, State

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("html", "pdf", "json", "csv")
"""What ``build`` writes, each as ``OUT/<report-id>.<format>``."""

PROJECT_OPTION = click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The scorecard project folder (holding measures.yaml and data/).",
)
JOBS_OPTION = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for PDF rendering. Default: the number of CPUs.",
)
FORCE_OPTION = click.option(
    "--force",
    is_flag=True,
    help="Build everything again, even when nothing changed since the last build: render every PDF (and, "
    "for site, every page) again instead of reusing unchanged ones from OUT/.cache.",
)
STRICT_OPTION = click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (figures that look wrong, a report date in the future, missing targets, …) as "
    "errors: exit 1 and write nothing. For CI.",
)
QUIET_OPTION = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and warnings.")


class AsAtDate(click.ParamType):
    """``2017-12-31``, or ``2017-12`` for the end of that month."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from .periods import PeriodError, parse_as_at

        try:
            return parse_as_at(str(value))
        except PeriodError as exc:
            self.fail(str(exc), param, ctx)


AS_AT_HELP = "Report date: 2017-12-31 or 2017-12 (month end). Default: today."
SINCE_HELP = (
    "Compare with the position as at this date. Default: the previous report date (the end of the period "
    "before the latest one that has ended, in the report's most frequent measure frequency)."
)


def _report_ids(command: F) -> F:
    """Report an unknown REPORT_ID as wrong usage (exit status 2, with the command's usage line)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from .errors import UnknownReport

        try:
            return command(*args, **kwargs)
        except UnknownReport as exc:
            raise click.BadParameter(exc.message, param_hint="REPORT_ID") from None

    return run  # type: ignore[return-value]


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    wrong = [name for name in formats if name not in FORMATS]
    if wrong or not formats:
        raise click.BadParameter(f"{', '.join(wrong) or 'none given'}: choose from {', '.join(FORMATS)}")
    return formats


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ncc-scorecard")
def main() -> None:
    """Committee-ready performance scorecards from a measures catalogue and CSV results.

    A project folder holds measures.yaml (the catalogue), data/*.csv and data/*.xlsx
    (the results) and optionally benchmarks/ (comparator figures), templates/
    (overrides of the report templates) and published/ (what `publish` recorded as
    sent to committee). Outputs go to out/. Start a new one with `ncc-scorecard init`.
    """


@main.command()
@click.argument("report_ids", nargs=-1, metavar="[REPORT_ID]...")
@click.option(
    "--as-at",
    "as_at",
    type=AsAtDate(),
    default=None,
    help="Report date: 2017-12-31 or 2017-12 (month end). Default: today.",
)
@click.option(
    "--format",
    "formats",
    default="html,pdf",
    show_default=True,
    callback=_formats,
    help="Comma-separated outputs: html, pdf, json, csv.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: out/ in the project. Not the project folder, nor data/, benchmarks/ or templates/.",
)
@PROJECT_OPTION
@JOBS_OPTION
@FORCE_OPTION
@click.option("--since", type=AsAtDate(), default=None, help=SINCE_HELP)
@STRICT_OPTION
@QUIET_OPTION
@_report_ids
def build(
    report_ids: tuple[str, ...],
    as_at: date | None,
    formats: tuple[str, ...],
    out_dir: Path | None,
    project: Path,
    jobs: int | None,
    force: bool,
    since: date | None,
    strict: bool,
    quiet: bool,
) -> None:
    """Validate, compute and write each report (all when none is named) as
    OUT/<report-id>.<format>. On any error nothing in OUT is changed.
    Warnings (as for `validate`) are printed and counted; --strict makes
    them errors.

    Every output ends with the changes since the last period (see `changes`).
    Progress goes to standard error: a bar on a terminal, a line per report
    otherwise. When no input, option, day, tool or package changed since the last
    build into OUT and its outputs are as it left them, nothing is done but
    printing its warnings again; otherwise PDFs whose inputs did not change
    are reused from OUT/.cache (safe to delete). --force does everything again."""
    as_at = as_at or date.today()
    _check_since(since, as_at)
    out = out_dir or project / "out"
    options = {"as_at": as_at, "formats": formats, "reports": report_ids, "since": since, "strict": strict}
    checked = _check("build", project, out, options, force)
    if checked.fresh is not None:
        show_problems(checked.fresh.warnings)
        if not quiet:
            reports, files = int(checked.fresh.summary.get("reports", 0)), len(checked.fresh.outputs)
            click.echo(_build_summary(reports, files, as_at, formats, out, unchanged=True) + _warned(checked.fresh))
        return
    from .build import build as run_build
    from .progress import make_progress
    from .render.pool import default_jobs

    progress = make_progress(quiet)
    try:
        jobs = jobs or default_jobs()
        outcome = run_build(project, as_at, formats, out_dir, report_ids, jobs, force, since, progress, strict)
    finally:
        progress.finish()
    _record(checked, outcome, {"reports": _report_count(outcome.written)})
    show_problems(outcome.warnings)
    if not quiet:
        reports, files = _report_count(outcome.written), len(outcome.written)
        click.echo(_build_summary(reports, files, as_at, formats, out) + _warned(outcome))


def _check(command: str, project: Path, out: Path, options: dict[str, Any], force: bool) -> Check:
    """Whether the last ``command`` into ``out`` made its outputs from the same inputs and options
    (today's date among them: warnings and defaults depend on it), and they are still as it left them."""
    from .fingerprint import check

    return check(command, project, out, {**options, "today": date.today()}, force)


def _record(checked: Check, outcome: Outcome, summary: dict[str, Any], tidied: tuple[Path, ...] = ()) -> None:
    """Leave the state of a build that succeeded for the next one to compare with. If it cannot be
    written, the last one is removed (its outputs may have been replaced): the next build does everything."""
    from .errors import ScorecardError
    from .fingerprint import state_bytes
    from .output import write_atomic

    state = checked.record(outcome.written, outcome.read, outcome.warnings, summary, tidied)
    try:
        write_atomic(checked.path, state_bytes(state))
    except ScorecardError:
        try:
            checked.path.unlink(missing_ok=True)
        except OSError:
            pass


def _warned(outcome: Outcome | State) -> str:
    """The summary's count of warnings: "" or " 2 warnings (above)."."""
    count = len(outcome.warnings)
    return f" {plural(count, 'warning')} (above)." if count else ""


def _check_since(since: date | None, as_at: date) -> None:
    if since is not None and since >= as_at:
        message = f"{since.isoformat()} is not before the report date {as_at.isoformat()}"
        raise click.BadParameter(message, param_hint="'--since'")


def _report_count(written: list[Path]) -> int:
    return len({path.stem for path in written})


def _build_summary(
    reports: int, files: int, as_at: date, formats: tuple[str, ...], out_dir: Path, unchanged: bool = False
) -> str:
    from .problems import display_path

    built = plural(reports, "report")
    opening = f"Nothing changed since the last build of {built}" if unchanged else f"Built {built}"
    return (
        f"{opening} as at {as_at.isoformat()} into "
        f"{display_path(out_dir)}{os.sep} ({', '.join(formats)}): "
        f"{plural(files, 'file')} {'up to date' if unchanged else 'written'}."
    )


@main.command()
@click.argument("report_ids", nargs=-1, metavar="[REPORT_ID]...")
@click.option(
    "--as-at",
    "as_at",
    type=AsAtDate(),
    multiple=True,
    help="A report date to publish (repeatable): 2017-12-31 or 2017-12. Default: today.",
)
@click.option(
    "--history",
    type=click.IntRange(min=1, max=120),
    default=None,
    help="Also publish the N month-ends up to the latest --as-at date.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder; the site goes to OUT/site. Default: out/ in the project. "
    "Not the project folder, nor data/, benchmarks/ or templates/.",
)
@PROJECT_OPTION
@JOBS_OPTION
@FORCE_OPTION
@STRICT_OPTION
@QUIET_OPTION
@_report_ids
def site(
    report_ids: tuple[str, ...],
    as_at: tuple[date, ...],
    history: int | None,
    out_dir: Path | None,
    project: Path,
    jobs: int | None,
    force: bool,
    strict: bool,
    quiet: bool,
) -> None:
    """Build the performance portal: a static website of every report, measure and
    report date in OUT/site (index.html, one folder per date, latest/ for the newest),
    with a printer-friendly PDF beside each report page. Copy the folder to publish it.

    Progress goes to standard error, as for `build`. As for `build`, nothing is done
    when nothing changed since the last site built into OUT; otherwise pages and PDFs
    whose inputs did not change are kept as the last run wrote them, and PDFs are
    reused from OUT/.cache (safe to delete); --force does everything again."""
    out = out_dir or project / "out"
    options = {"as_at": sorted(set(as_at)), "history": history, "reports": report_ids, "strict": strict}
    checked = _check("site", project, out, options, force)
    if checked.fresh is not None:
        show_problems(checked.fresh.warnings)
        if not quiet:
            summary = checked.fresh.summary
            days = [date.fromisoformat(day) for day in summary.get("dates", [])]
            site = Path(summary.get("folder", out))
            pages, pdfs = summary.get("pages", 0), summary.get("pdfs", 0)
            click.echo(_site_summary(pages, pdfs, days, site, unchanged=True) + _warned(checked.fresh))
        return
    from .build import build_site, report_dates
    from .progress import make_progress
    from .render.pool import default_jobs
    from .render.site import SITE

    dates = report_dates(as_at or (date.today(),), history)
    progress = make_progress(quiet)
    try:
        outcome = build_site(project, dates, out, report_ids, jobs or default_jobs(), force, progress, strict)
    finally:
        progress.finish()
    pages, pdfs = _site_counts(outcome.written, out)
    summary = {"dates": [day.isoformat() for day in dates], "pages": pages, "pdfs": pdfs, "folder": str(out / SITE)}
    _record(checked, outcome, summary, tidied=(out / SITE,))
    show_problems(outcome.warnings)
    if not quiet:
        click.echo(_site_summary(pages, pdfs, dates, out / SITE) + _warned(outcome))


def _site_counts(written: list[Path], out_dir: Path) -> tuple[int, int]:
    """The pages and PDFs of a site's report dates (not their ``latest/`` copies)."""
    from .render.site import SITE, dated_pages

    site = out_dir / SITE
    dated = dated_pages(path.relative_to(site).as_posix() for path in written)
    return sum(path.endswith(".html") for path in dated), sum(path.endswith(".pdf") for path in dated)


def _site_summary(pages: int, pdfs: int, dates: list[date], site: Path, unchanged: bool = False) -> str:
    from .problems import display_path

    span = dates[0].isoformat() + ("" if len(dates) == 1 else f" to {dates[-1].isoformat()}")
    what = "Nothing changed since the last build of the site" if unchanged else "Built the site"
    return (
        f"{what} for {plural(len(dates), 'report date')} ({span}) into "
        f"{display_path(site)}{os.sep}: {pages} pages, {pdfs} PDFs{' up to date' if unchanged else ''}. "
        "Open index.html there."
    )


@main.command()
@click.option(
    "--as-at",
    "as_at",
    type=AsAtDate(),
    default=None,
    help="Check as for a report at this date: 2017-12-31 or 2017-12 (month end). Default: today.",
)
@PROJECT_OPTION
@STRICT_OPTION
def validate(as_at: date | None, project: Path, strict: bool) -> None:
    """Check the catalogue and every result file; print each problem as
    path:line: message (path:Sheet!B7: message in a workbook) and exit 1 if
    there is any. Warnings (path:line: warning: message) point at figures that
    are valid but look wrong: a percentage typed as a fraction, a value far
    outside the measure's usual range, a result for a period that has not
    ended, a year without a target, a measure in no report or without any
    result. They do not fail the check unless --strict is given. On GitHub
    Actions (GITHUB_ACTIONS=true) problems print as annotations
    (::error / ::warning file=…,line=…::…) that mark the files."""
    from .build import load_project

    checked = load_project(project, as_at, strict)
    show_problems(checked.warnings)
    count = len(checked.warnings)
    warned = f"; {plural(count, 'warning')}" if count else ""
    click.echo(
        f"ok: {len(checked.catalogue.measures)} measures in {len(checked.catalogue.reports)} report(s), "
        f"{len(checked.results)} results in {len(checked.files)} file(s){warned}"
    )


@main.command()
@click.argument("report_ids", nargs=-1, metavar="[REPORT_ID]...")
@click.option(
    "--as-at", "as_at", type=AsAtDate(), default=None, help="Date: 2018-01-31 or 2018-01 (month end). Default: today."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx"]), default="table", show_default=True,
    help="table: a list on screen; csv or xlsx: a fill-in template to send to services.",
)  # fmt: skip
@click.option(
    "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="File to write ('-' for standard output). "
    "Default: the table on screen, a template as out/due-DATE.csv|xlsx in the project.",
)  # fmt: skip
@PROJECT_OPTION
@_report_ids
def due(report_ids: tuple[str, ...], as_at: date | None, fmt: str, out_file: Path | None, project: Path) -> None:
    """List the results due: measures (of the named reports, or all) with no result yet
    for the latest period of their frequency that has ended.

    With --format csv or xlsx, writes a template with the result file's columns, one row
    per due result with its period filled in and the value blank. Filled in and saved
    into data/, it loads as it is."""
    from .build import load_project, select_reports
    from .due import due_results
    from .output import write_atomic
    from .problems import display_path
    from .render.due import due_output

    checked = load_project(project, warn=False)  # due shows no warnings: validate does
    as_at = as_at or date.today()
    measure_ids = None
    if report_ids:
        measure_ids = [m for report in select_reports(checked.catalogue, report_ids) for m in report.measure_ids]
    items = due_results(checked.catalogue, checked.by_measure, as_at, measure_ids, checked.unavailable)
    data = due_output(fmt, items, checked.catalogue, as_at, len(measure_ids or checked.catalogue.measures))
    if out_file is None and fmt != "table":
        out_file = project / "out" / f"due-{as_at.isoformat()}.{fmt}"
    if out_file is None or str(out_file) == "-":
        from .problems import printable

        # bytes go to the binary stream; the table's titles and owners are shown with controls escaped
        click.echo(printable(data.decode("utf-8")) if fmt == "table" else data, nl=False)
        return
    write_atomic(out_file, data)
    click.echo(f"{plural(len(items), 'result')} due as at {as_at.isoformat()}: wrote {display_path(out_file)}")


@main.command()
@click.argument("report_ids", nargs=-1, metavar="[REPORT_ID]...")
@click.option("--as-at", "as_at", type=AsAtDate(), default=None, help=AS_AT_HELP)
@click.option("--since", type=AsAtDate(), default=None, help=SINCE_HELP)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="How to print it."
)
@PROJECT_OPTION
@_report_ids
def changes(report_ids: tuple[str, ...], as_at: date | None, since: date | None, fmt: str, project: Path) -> None:
    """List what changed since the last period, per report: measures whose
    Performance (RAG) changed, that became overdue, or that have no result.

    The same list ends every output of `build` ("Changes since the last period")."""
    import json

    from .build import compute, load_project, revisions_since
    from .problems import printable
    from .records import PUBLISHED
    from .render.changes_view import changes_text, revisions_text
    from .render.exports import changes_document, revision_data

    as_at = as_at or date.today()
    _check_since(since, as_at)
    checked = load_project(project, warn=False)
    reports = compute(checked, as_at, report_ids, since)
    revised = revisions_since(checked, as_at, report_ids) if (project / PUBLISHED).is_dir() else []
    if fmt == "json":
        document = changes_document(reports)
        if revised:
            document["revisions"] = [revision_data(revision) for revision in revised]
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(printable(changes_text(reports) + revisions_text(revised)), nl=False)


@main.command()
@click.argument("report_ids", nargs=-1, metavar="[REPORT_ID]...")
@click.option(
    "--as-at", "as_at", type=AsAtDate(), required=True, help="The report date sent to committee: 2017-12-31 or 2017-12."
)
@click.option(
    "--revise",
    metavar="REASON",
    default=None,
    help="Publish a date again with other figures, saying why; the earlier record is kept.",
)
@PROJECT_OPTION
@JOBS_OPTION
@QUIET_OPTION
@_report_ids
def publish(
    report_ids: tuple[str, ...], as_at: date, revise: str | None, project: Path, jobs: int | None, quiet: bool
) -> None:
    """Record what is sent to committee: each report (all when none is
    named) as published/<report-id>/<date>.json (its JSON output, the tool
    version and a digest of every input) with the PDF beside it. Commit the
    published/ folder with the project.

    Publishing a date again with the same figures changes nothing. With other
    figures it is refused, listing each one, unless --revise gives the reason:
    then <date>.r2.json (r3 …) is added and every earlier record is kept.
    Later, `build`, `changes` and `validate` list every published figure that
    today's data gives otherwise (a revision); --strict fails on those not
    acknowledged in the catalogue's `revisions`."""
    from .build import publish as run_publish
    from .problems import display_path
    from .progress import make_progress
    from .render.pool import default_jobs

    if revise is not None and not revise.strip():
        raise click.BadParameter("give the reason for the revision", param_hint="'--revise'")
    progress = make_progress(quiet)
    try:
        done = run_publish(project, as_at, report_ids, revise, jobs or default_jobs(), progress)
    finally:
        progress.finish()
    if quiet:
        return
    for path in done.written:
        click.echo(f"Published {display_path(path)}")
    for report_id in done.unchanged:
        click.echo(f"'{report_id}' as at {as_at.isoformat()} is already published with these figures: nothing to do.")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option(
    "--organisation", default="Example Council", show_default=True, help="The council's name, printed on every report."
)
@click.option(
    "--as-at", "as_at", type=AsAtDate(), default=None, help="The sample results run up to this date. Default: today."
)
def init(directory: Path, organisation: str, as_at: date | None) -> None:
    """Create a new scorecard project in DIRECTORY (default: here): a commented
    measures.yaml with one report and three measures, sample results in data/,
    a .gitignore and a GitHub Actions workflow. It builds at once.

    Existing files are never overwritten (a .gitignore is extended)."""
    from .init import create_project
    from .problems import display_path

    created = create_project(directory, organisation, as_at or date.today())
    for path in created:
        click.echo(f"created {display_path(path)}")
    where = "" if Path(os.path.abspath(directory)) == Path.cwd() else f" --project {display_path(directory)}"
    click.echo(f"\nNext: ncc-scorecard build{where}   (then open out/*.html or out/*.pdf)")
