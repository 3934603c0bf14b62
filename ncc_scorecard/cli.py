"""The command line: parse options, call the library, print results."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from . import __version__

PROJECT_OPTION = click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The scorecard project folder (holding measures.yaml and data/).",
)


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


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from .build import FORMATS

    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    wrong = [name for name in formats if name not in FORMATS]
    if wrong or not formats:
        raise click.BadParameter(f"{', '.join(wrong) or 'none given'}: choose from {', '.join(FORMATS)}")
    return formats


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ncc-scorecard")
def main() -> None:
    """Committee-ready performance scorecards from a measures catalogue and CSV results.

    A project folder holds measures.yaml (the catalogue), data/*.csv (the results) and
    optionally templates/ (overrides of the report templates). Outputs go to out/.
    """


@main.command()
@click.argument("report_ids", nargs=-1, metavar="[REPORT_ID]...")
@click.option("--as-at", "as_at", type=AsAtDate(), default=None, help="Report date: 2017-12-31 or 2017-12 (month end). Default: today.")
@click.option("--format", "formats", default="html,pdf", show_default=True, callback=_formats, help="Comma-separated outputs: html, pdf, json, csv.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder. Default: out/ in the project.")
@PROJECT_OPTION
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes for PDF rendering. Default: the number of CPUs.")
@click.option("--force", is_flag=True, help="Render every PDF again instead of reusing unchanged ones from OUT/.cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(
    report_ids: tuple[str, ...],
    as_at: date | None,
    formats: tuple[str, ...],
    out_dir: Path | None,
    project: Path,
    jobs: int | None,
    force: bool,
    quiet: bool,
) -> None:
    """Validate, compute and write each report (all when none is named) as
    OUT/<report-id>.<format>. On any error nothing in OUT is changed.

    PDFs whose inputs did not change since the last build are reused from
    OUT/.cache (safe to delete)."""
    from .build import build as run_build
    from .errors import display_path
    from .render.pool import default_jobs

    written = run_build(project, as_at or date.today(), formats, out_dir, report_ids, jobs or default_jobs(), force)
    if not quiet:
        for path in written:
            click.echo(f"wrote {display_path(path)}")
        click.echo(f"{len(written)} file{'s' if len(written) != 1 else ''} written.")


@main.command()
@PROJECT_OPTION
def validate(project: Path) -> None:
    """Check the catalogue and every result file; print each problem as
    path:line: message and exit 1 if there is any."""
    from .build import check_project
    from .errors import InvalidProject

    checked, problems = check_project(project)
    if checked is None:
        raise InvalidProject(problems)
    click.echo(
        f"ok: {len(checked.catalogue.measures)} measures in {len(checked.catalogue.reports)} report(s), "
        f"{len(checked.results)} results in {len(checked.files)} file(s)"
    )
