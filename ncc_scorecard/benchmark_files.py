"""Reading and checking benchmark figures: the tidy ``benchmarks/*.csv`` (and ``.xlsx``) files, and
the DfE Explore education statistics data files a measure's ``benchmark_source`` names."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, Measure
from .periods import MONTHS, Period, PeriodError, dfe_period, fit_period, parse_period
from .problems import Problem, outside_project, unreadable
from .results import parse_number

SUPPRESSED = ("c", "x", "z", "u", ":", "low", "")
"""What a DfE file writes for a figure it does not give (suppressed, not applicable, unavailable): no data."""
TIDY_COLUMNS = ("measure", "period", "area_code", "area_name", "value")
LOCAL_CODE_RE = re.compile(r"^(E0[6-9]|E10|W06|S12|N09)\d{6}$")
"""ONS codes of local authorities (unitary, district, metropolitan, London borough, county; Wales,
Scotland, Northern Ireland): figures ranked among all areas."""
LEVELS = {"national": "country_code", "regional": "region_code", "local authority": "new_la_code"}
"""The DfE geographic levels read, and the column that holds each one's area code."""


@dataclass(frozen=True)
class BenchmarkFigure:
    """One area's figure for one measure and period."""

    measure: str
    period: Period
    code: str
    name: str
    value: float
    path: Path
    line: int


@dataclass(frozen=True)
class _Row:
    cells: dict[str, str]
    path: Path
    line: int

    def problem(self, message: str, column: str | None = None) -> Problem:
        return Problem(self.path, self.line, (f"column {column}: " if column else "") + message, column=column)


def benchmark_files(root: Path, catalogue: Catalogue) -> list[Path]:
    """The tidy benchmark files: ``benchmarks/*.csv`` and ``*.xlsx`` not named by a ``benchmark_source``."""
    folder = root / "benchmarks"
    sources = {(root / m.benchmark_source.file).resolve() for m in catalogue.measures if m.benchmark_source}
    try:
        if not folder.is_dir():
            return []
        paths = list(folder.iterdir())
    except OSError:  # a folder the system will not list: its files cannot be named, so none is read
        return []
    return sorted(path for path in paths if path.suffix.lower() in (".csv", ".xlsx") and _is_file(path, sources))


def _is_file(path: Path, sources: set[Path]) -> bool:
    """A tidy benchmark file: a file (or one the system will not look at, to be reported when read)
    that no ``benchmark_source`` names."""
    try:
        return path.is_file() and path.resolve() not in sources
    except OSError:
        return True


def load_benchmarks(root: Path, catalogue: Catalogue) -> tuple[list[BenchmarkFigure], list[Problem]]:
    """Every benchmark figure of a project, and every problem with them (all of them, each path:line)."""
    figures: list[BenchmarkFigure] = []
    outside = outside_project(root / "benchmarks", root)
    problems: list[Problem] = [outside] if outside else []
    for path in [] if outside else benchmark_files(root, catalogue):
        outside = outside_project(path, root)
        rows, found = ([], [outside]) if outside else _read_table(path, TIDY_COLUMNS[:3] + ("value",))
        problems += found
        for row in rows:
            figure, row_problems = _tidy_figure(row, catalogue)
            problems += row_problems
            figures += [figure] if figure else []
    for m, measure in enumerate(catalogue.measures):
        source = measure.benchmark_source
        if source is None:
            continue
        path = root / source.file
        loc = ("measures", m, "benchmark_source", "file")
        if outside_project(path, root):
            message = f"{source.file} is outside the project (or a link leading out of it), so it is not read"
            problems.append(catalogue.problem(loc, message))
            continue
        if not path.is_file():
            problems.append(catalogue.problem(loc, f"no file {source.file} in the project"))
            continue
        rows, found = _read_table(path, ("time_period", "time_identifier", "geographic_level", source.column))
        problems += found
        missing = [name for name in source.filter if rows and name.lower() not in rows[0].cells]
        problems += [Problem(path, 1, f"no column '{name}' to filter on (benchmark_source.filter)") for name in missing]
        if not missing:
            for row in rows:
                figure, row_problems = _dfe_figure(row, measure, catalogue)
                problems += row_problems
                figures += [figure] if figure else []
    return figures, problems + _duplicates(figures)


def _read_table(path: Path, required: tuple[str, ...]) -> tuple[list[_Row], list[Problem]]:
    """A CSV file's (UTF-8, with or without BOM) or a workbook's first sheet's rows, by lower-case column name."""
    try:
        lines = _xlsx_lines(path) if path.suffix.lower() == ".xlsx" else list(_csv_lines(path))
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as exc:
        return [], [unreadable(path, exc) if isinstance(exc, OSError) else Problem(path, 1, f"cannot be read: {exc}")]
    if not lines:
        return [], [Problem(path, 1, f"is empty: a benchmark file needs a header row ({', '.join(required)})")]
    header = [name.strip().lower() for name in lines[0][1]]
    missing = [name for name in required if name not in header]
    if missing:
        return [], [Problem(path, lines[0][0], f"missing column '{name}'", column=name) for name in missing]
    rows = [
        _Row({name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}, path, line)
        for line, cells in lines[1:]
        if any(cell.strip() for cell in cells)
    ]
    return rows, []


def _csv_lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), strict=True)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _xlsx_lines(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            (n, ["" if cell is None else str(cell) for cell in row])
            for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _tidy_figure(row: _Row, catalogue: Catalogue) -> tuple[BenchmarkFigure | None, list[Problem]]:
    measure, problem = _measure(row, catalogue)
    if measure is None:
        return None, [problem] if problem else []
    problems = []
    period = None
    try:
        period = _fit(measure, row.cells["period"])
    except PeriodError as exc:
        problems.append(row.problem(str(exc), "period"))
    code = row.cells["area_code"]
    code_problem = _check_code(code, catalogue)
    if code_problem:
        problems.append(row.problem(code_problem, "area_code"))
    value, value_problems = _value(row, "value", measure)
    if problems or value_problems or period is None or value is None:
        return None, problems + value_problems
    name = row.cells.get("area_name") or _known_name(code, catalogue)
    return BenchmarkFigure(measure.id, period, code, name, value, row.path, row.line), []


def _measure(row: _Row, catalogue: Catalogue) -> tuple[Measure | None, Problem | None]:
    measure_id = row.cells["measure"]
    try:
        return catalogue.measure(measure_id), None
    except KeyError:
        ids = [m.id for m in catalogue.measures]
        guess = difflib.get_close_matches(measure_id, ids, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return None, row.problem(f"no measure '{measure_id}' in the catalogue{hint}", "measure")


def _fit(measure: Measure, text: str) -> Period:
    """A benchmark period fits the measure's frequency, or is one of its years (benchmarks are often yearly)."""
    parsed = parse_period(text, measure.years)
    try:
        return fit_period(parsed, measure.frequency, measure.years)[0]
    except PeriodError:
        if measure.frequency in ("annual", "biennial"):
            raise
        return fit_period(parsed, "annual", measure.years)[0]


def _check_code(code: str, catalogue: Catalogue) -> str | None:
    """Why an area code cannot be a benchmark figure's, or None: it must be our area's, a comparator
    group's (its published figure, or one of its areas) or a local authority's."""
    known = {group.code for group in catalogue.comparators.values()}
    known |= {c for group in catalogue.comparators.values() for c in group.codes or ()}
    if catalogue.area is not None:
        known.add(catalogue.area.code)
    if code in known or LOCAL_CODE_RE.match(code):
        return None
    if not code:
        return "no area code"
    return f"area code '{code}' is not the area's, a comparator group's or a local authority's"


def _known_name(code: str, catalogue: Catalogue) -> str:
    if catalogue.area is not None and catalogue.area.code == code:
        return catalogue.area.name
    return next((group.name for group in catalogue.comparators.values() if group.code == code), code)


def _value(row: _Row, column: str, measure: Measure) -> tuple[float | None, list[Problem]]:
    text = row.cells.get(column, "")
    if text.lower() in SUPPRESSED:
        return None, []
    try:
        value = parse_number(text, measure.currency)
    except ValueError as exc:
        return None, [row.problem(str(exc), column)]
    return (None if value is None else float(value)), []


def _dfe_figure(row: _Row, measure: Measure, catalogue: Catalogue) -> tuple[BenchmarkFigure | None, list[Problem]]:
    source = measure.benchmark_source
    if source is None or any(row.cells.get(k.lower(), "") != v for k, v in source.filter.items()):
        return None, []
    level = row.cells["geographic_level"].lower()
    if level not in LEVELS:
        return None, []
    code = row.cells.get(LEVELS[level], "")
    name = row.cells.get("la_name") if level == "local authority" else None
    name = name or row.cells.get(LEVELS[level].replace("_code", "_name")) or _known_name(code, catalogue)
    problems = []
    period = None
    try:
        period = dfe_period(row.cells["time_period"], row.cells["time_identifier"])
        if period.months not in (MONTHS.get(measure.frequency, 12), 12):
            raise PeriodError(f"a {period.months}-month period does not fit a {measure.frequency} measure")
    except PeriodError as exc:
        problems.append(row.problem(str(exc), "time_identifier"))
    if not code:
        problems.append(row.problem("no area code", LEVELS[level]))
    value, value_problems = _value(row, source.column.lower(), measure)
    if problems or value_problems or period is None or value is None:
        return None, problems + value_problems
    return BenchmarkFigure(measure.id, period, code, name, value, row.path, row.line), []


def _duplicates(figures: list[BenchmarkFigure]) -> list[Problem]:
    seen: dict[tuple[str, Period, str], BenchmarkFigure] = {}
    problems = []
    for figure in figures:
        key = (figure.measure, figure.period, figure.code)
        first = seen.setdefault(key, figure)
        if first is not figure:
            message = (
                f"{figure.measure} {figure.period.key} ({figure.period.months} months) for {figure.code} is given "
                f"twice; first at {Problem(first.path, first.line, '').location}"
            )
            problems.append(Problem(figure.path, figure.line, message))
    return problems
