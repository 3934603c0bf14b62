"""Reading and checking the result files (``data/*.csv``, and workbooks through :mod:`ncc_scorecard.xlsx`)."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from .catalogue import Catalogue, Measure
from .errors import InvalidProject
from .numbers import MAX_DIGITS, display, out_of_range, ratio, rounded
from .periods import Period, PeriodError, Years, fit_period, parse_period
from .problems import Problem, Severity, not_text, outside_project, unreadable
from .rows import RawRow, check_header

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_PLAIN_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
"""A figure as most cells hold it (``80``, ``72.5``): read without the checks for signs, symbols and commas."""
NOT_AVAILABLE = ("n/a", "na", "-", "–", "not available")
YES = ("y", "yes", "true", "1")
NO = ("", "n", "no", "false", "0")
"""What the ``provisional`` column may hold."""
"""What a value cell may hold to say the figure is not available (with the reason as the comment)."""


@dataclass(frozen=True)
class Result:
    """One row of a result file: a measure's figure for one period (or one year's outturn)."""

    measure: str
    period: Period
    outturn: bool
    """True for an explicit financial-year row of a monthly or quarterly measure."""
    value: float
    numerator: int | float | None
    denominator: int | float | None
    numerator_text: str
    denominator_text: str
    comment: str
    action: str
    path: Path
    line: int
    source: RawRow | None = None
    """The row it was read from, to locate a problem found later (a workbook's cell)."""
    given: bool = True
    """Whether the value was typed, rather than computed from numerator and denominator."""
    provisional: bool = False
    """Marked provisional in the ``provisional`` column: it may be revised."""

    def problem(self, message: str, column: str | None = "value", severity: Severity = "warning") -> Problem:
        """A problem with this result, located at its row (its cell in a workbook)."""
        return _located(self.path, self.line, self.source, message, column, severity)


@dataclass(frozen=True)
class NotAvailable:
    """A figure a service could not supply for a period, and why: ``n/a`` (or a blank value) with a comment.

    It never has a value, so it is a type of its own: the last available result stays the
    current one, and the status says the latest figure is not available, with the reason.
    """

    measure: str
    period: Period
    reason: str
    path: Path
    line: int
    source: RawRow | None = None

    def problem(self, message: str, column: str | None = "value", severity: Severity = "warning") -> Problem:
        """A problem with this entry, located at its row (its cell in a workbook)."""
        return _located(self.path, self.line, self.source, message, column, severity)


def _located(
    path: Path, line: int, source: RawRow | None, message: str, column: str | None, severity: Severity
) -> Problem:
    if source is None:
        return Problem(path, line, message, column=column, severity=severity)
    return source.problem(message, column, severity=severity)


RESULT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
"""CSV files and workbooks (the last three only to say how to save them as .xlsx)."""


def result_files(data_dir: Path) -> list[Path]:
    """The project's result files, in sorted order; :class:`InvalidProject` if the folder cannot be listed."""
    try:
        if not data_dir.is_dir():
            return []
        return sorted(path for path in data_dir.iterdir() if _is_result_file(path))
    except OSError as exc:
        raise InvalidProject([unreadable(data_dir, exc)]) from exc


def _is_result_file(path: Path) -> bool:
    """A file named as a result file, or a broken link so named (read, and reported as unreadable,
    rather than silently skipped); not a folder, and not Excel's ``~$`` lock file of an open workbook."""
    if path.suffix.lower() not in RESULT_SUFFIXES or path.name.startswith("~$"):
        return False
    try:
        return path.is_file() or (path.is_symlink() and not path.exists())
    except OSError:  # read, and reported with its own name, rather than as the folder's problem
        return True


def read_result_files(root: Path) -> tuple[list[RawRow], list[Problem]]:
    """The rows of every result file of the project ``root`` (``data/``), and the problems reading them.
    A file or a ``data`` folder that is a link leading outside the project is a problem, not read."""
    data_dir = root / "data"
    outside = outside_project(data_dir, root)
    if outside is not None:
        return [], [outside]
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for path in result_files(data_dir):
        outside = outside_project(path, root)
        file_rows, file_problems = ([], [outside]) if outside else read_rows(path)
        rows += file_rows
        problems += file_problems
    return rows, problems


def read_rows(path: Path) -> tuple[list[RawRow], list[Problem]]:
    """Read a result file of any kind: CSV, or an Excel workbook (openpyxl imported only then)."""
    if path.suffix.lower() == ".csv":
        return read_csv_rows(path)
    from .xlsx import read_xlsx_rows

    return read_xlsx_rows(path)


def read_csv_rows(path: Path) -> tuple[list[RawRow], list[Problem]]:
    """Read a CSV result file: UTF-8 with or without BOM, any line endings, quoted multi-line cells."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [unreadable(path, exc)]
    kind = not_text(data)
    if kind is not None:
        return [], [Problem(path, kind[1], f"is {kind[0]}: a result file is CSV saved as UTF-8 ('CSV UTF-8' in Excel)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            Problem(
                path,
                line,
                f"is not UTF-8 (byte 0x{data[exc.start]:02x}; Excel's 'CSV (Comma delimited)' writes Windows-1252). "
                "Save it from Excel as 'CSV UTF-8 (Comma delimited)', or convert it with "
                f"`iconv -f WINDOWS-1252 -t UTF-8`",
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # an unclosed quote is an error, not a lost row
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(path, 1, f"cannot read the header: {exc}")]
    if header is None:
        return [], [Problem(path, 1, "is empty: a result file needs a header row (measure,period,value,…)")]
    names = [name.strip().lower() for name in header]
    problems = check_header(names, path, 1)
    if problems:
        return [], problems
    rows: list[RawRow] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
                problems.append(Problem(path, line, f"has {len(cells)} cells but the header has {len(names)} columns"))
                continue
            rows.append(
                RawRow({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)}, path, line)
            )
    except csv.Error as exc:
        problems.append(Problem(path, start, f"cannot read this row: {exc} (an unclosed quote?)"))
    return rows, problems


def parse_number(text: str, currency: str | None = None) -> int | float | None:
    """Read ``1,508``, `` 80% ``, ``-2.5``, and for a currency measure ``£951.40`` or ``-£12`` (``currency``
    is its symbol; None for other measures); None for a blank cell; ValueError otherwise."""
    if not text:
        return None
    if len(text) <= MAX_DIGITS and _PLAIN_RE.fullmatch(text):
        number = float(text) if "." in text else int(text)
        why = out_of_range(number)
        if why:
            raise ValueError(f"'{_shortened(text)}' {why}")
        return number
    value = text.strip().replace("\u00a0", "")
    percent = value.endswith("%")
    if percent:
        value = value[:-1].strip()
    sign, value = (value[0], value[1:]) if value.startswith(("+", "-")) else ("", value)
    symbol = currency if currency and value.startswith(currency) else None
    if symbol is None and value and unicodedata.category(value[0]) == "Sc":
        raise ValueError(_currency_problem(text.strip(), value[0], currency))
    if symbol and not percent:  # £80% stays unreadable
        value = value.removeprefix(symbol).lstrip()
        if not sign and value.startswith(("+", "-")):
            sign, value = value[0], value[1:]
        if not value:
            raise ValueError(f"'{text.strip()}' is not a number")
    value = sign + value
    if not value:
        if text.strip():
            raise ValueError(f"'{text.strip()}' is not a number")
        return None
    if not _NUMBER_RE.match(value) or value in {"+", "-", "."}:
        raise ValueError(f"'{text.strip()}' is not a number")
    plain = value.replace(",", "")
    shown = _shortened(text.strip())
    if sum(char.isdigit() for char in plain) > MAX_DIGITS:
        raise ValueError(f"'{shown}' has more than {MAX_DIGITS} digits")
    number = float(plain) if "." in plain else int(plain)
    why = out_of_range(number)
    if why:
        raise ValueError(f"'{shown}' {why}")
    return number


def _shortened(text: str, most: int = 40) -> str:
    """Text quoted in a message, cut to ``most`` characters."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _currency_problem(text: str, symbol: str, currency: str | None) -> str:
    """Why a figure written with a currency symbol was refused."""
    if currency is None:
        return f"'{text}' is not a number: a currency symbol ('{symbol}') is only for measures with unit currency"
    return (
        f"'{text}' has the currency symbol '{symbol}', but this measure's figures are in '{currency}' "
        "(currency_symbol in measures.yaml)"
    )


def to_results(rows: Iterable[RawRow], catalogue: Catalogue) -> tuple[list[Result | NotAvailable], list[Problem]]:
    """Check rows against the catalogue and turn them into results (or not-available entries);
    report every bad row."""
    results: list[Result | NotAvailable] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int, int, bool], RawRow] = {}
    first_at: dict[tuple[str, int, int, bool], str] = {}  # where a figure given twice was first given, found once
    measures = {measure.id: measure for measure in catalogue.measures}
    hints: dict[str, str] = {}  # the suggestion for each unknown measure id, found once
    periods = _PeriodCells()
    for row in rows:
        result, row_problems = _to_result(row, measures, hints, periods)
        problems += row_problems
        if result is None:
            continue
        key = (result.measure, result.period.start, result.period.months, isinstance(result, Result) and result.outturn)
        if key in seen:
            if key not in first_at:
                first_at[key] = seen[key].problem("").location
            message = f"{result.measure} {row.cells['period'].strip()} is given twice; first at {first_at[key]}"
            problems.append(replace(row.problem(message), kind="duplicate rows"))
            continue
        seen[key] = row
        results.append(result)
    return results, problems


def _to_result(
    row: RawRow,
    measures: dict[str, Measure],
    hints: dict[str, str],
    periods: _PeriodCells,
) -> tuple[Result | NotAvailable | None, list[Problem]]:
    cells = row.cells
    measure_id = cells.get("measure", "").strip()
    if not measure_id:
        return None, [row.problem("no measure id", "measure")]
    measure = measures.get(measure_id)
    if measure is None:
        if measure_id not in hints:
            guess = difflib.get_close_matches(measure_id, sorted(measures), n=1)
            hints[measure_id] = f"; did you mean '{guess[0]}'?" if guess else ""
        problem = row.problem(f"no measure '{measure_id}' in the catalogue{hints[measure_id]}", "measure")
        return None, [replace(problem, kind="rows naming a measure that is not in the catalogue")]
    problems: list[Problem] = []
    period = None
    outturn = False
    if not cells.get("period", "").strip():
        problems.append(row.problem("no period", "period"))
    else:
        fitted = periods.fit(cells["period"], measure)
        if isinstance(fitted, str):
            problems.append(row.problem(fitted, "period"))
        else:
            period, outturn = fitted
    unavailable = _is_not_available(cells)
    numbers: dict[str, int | float | None] = {}
    for column in ("numerator", "denominator") if unavailable else ("value", "numerator", "denominator"):
        try:
            numbers[column] = parse_number(cells.get(column, ""), measure.currency)
        except ValueError as exc:
            problems.append(row.problem(str(exc), column))
    provisional = cells.get("provisional", "").strip().lower()
    if provisional not in YES + NO:
        written = cells["provisional"].strip()
        problems.append(row.problem(f"'{written}' is not yes or no (y, yes, true; n, no, false)", "provisional"))
    if problems or period is None:
        return None, problems
    if unavailable:
        return _not_available(row, measure_id, period, outturn)
    value, problems = _value(row, measure, numbers)
    if value is None:
        return None, problems
    return (
        Result(
            measure=measure_id,
            period=period,
            outturn=outturn,
            value=float(value),
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            numerator_text=cells.get("numerator", "").strip(),
            denominator_text=cells.get("denominator", "").strip(),
            comment=_text(cells.get("comment", "")),
            action=_text(cells.get("action", "")),
            path=row.path,
            line=row.line,
            source=row,
            given=numbers["value"] is not None,
            provisional=provisional in YES,
        ),
        [],
    )


class _PeriodCells:
    """Period cells fitted to their measures, each text read once for measures of the same years,
    frequency and survey years (a pack's measures mostly share them)."""

    def __init__(self) -> None:
        self._kinds: dict[str, tuple[Years, str, int | None]] = {}
        self._found: dict[tuple[str, Years, str, int | None], tuple[Period, bool] | str] = {}

    def fit(self, text: str, measure: Measure) -> tuple[Period, bool] | str:
        """The period, and whether it is a year's outturn; or why the text is not one of the measure's."""
        kind = self._kinds.get(measure.id)
        if kind is None:
            kind = self._kinds[measure.id] = (measure.years, measure.frequency, measure.survey_year_start)
        key = (text, *kind)
        found = self._found.get(key)
        if found is None:
            years, frequency, survey = kind
            try:
                found = fit_period(parse_period(text, years), frequency, years, survey)
            except PeriodError as exc:
                found = str(exc)
            self._found[key] = found
        return found


def _is_not_available(cells: dict[str, str]) -> bool:
    """``n/a`` (``NA``, ``-``) as the value, or no figure at all but a comment saying why."""
    value = cells.get("value", "").strip().lower()
    if value in NOT_AVAILABLE:
        return True
    blank = not value and not cells.get("numerator", "").strip() and not cells.get("denominator", "").strip()
    return blank and bool(cells.get("comment", "").strip())


def _not_available(
    row: RawRow, measure_id: str, period: Period, outturn: bool
) -> tuple[NotAvailable | None, list[Problem]]:
    reason = _text(row.cells.get("comment", ""))
    if not reason:
        message = "n/a needs a reason: give it in the comment column (it is printed beside the last available result)"
        return None, [row.problem(message, "comment", at="comment")]
    if outturn:
        message = "a financial year's outturn cannot be marked not available: leave the row out to derive it"
        return None, [row.problem(message, "value")]
    if row.cells.get("numerator", "").strip() or row.cells.get("denominator", "").strip():
        return None, [row.problem("n/a with a numerator or denominator: give the figure, or neither", "value")]
    return NotAvailable(measure_id, period, reason, row.path, row.line, row), []


def _value(row: RawRow, measure: Measure, numbers: dict[str, int | float | None]) -> tuple[float | None, list[Problem]]:
    """The row's value: as given, or numerator / denominator × multiplier; checked against both
    and against the measure's bounds."""
    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    if value is None:
        if numerator is None or denominator is None:
            missing = " and ".join(c for c in ("numerator", "denominator") if numbers[c] is None)
            message = (
                f"no value: give a value, or both numerator and denominator ({missing} blank); if the figure "
                "is not available, write n/a as the value and the reason in the comment column"
            )
            return None, [row.problem(message, at="value")]  # a workbook points at the cell to fill in
        if denominator == 0:
            message = "denominator is 0, so there is no value: give a value or a non-zero denominator"
            return None, [row.problem(message, "denominator")]
        value = ratio(numerator, denominator, measure.factor)
        column = None
        why = out_of_range(value)
        if why:
            figures = f"{row.cells['numerator'].strip()} / {row.cells['denominator'].strip()}"
            return None, [row.problem(f"the value numerator / denominator ({_shortened(figures)}) {why}", at="value")]
    else:
        column = "value"
        if numerator is not None and denominator:
            computed = ratio(numerator, denominator, measure.factor)
            if rounded(value, measure.decimals) != rounded(computed, measure.decimals):
                given = row.cells["value"].strip()
                figures = f"{row.cells['numerator'].strip()} / {row.cells['denominator'].strip()}"
                message = (
                    f"the value {given} disagrees with numerator / denominator {figures} = "
                    f"{display(computed, measure.decimals + 1)}: correct one of them, or leave the value blank"
                )
                return None, [row.problem(message, "value")]
    problem = _out_of_bounds(row, measure, float(value), column)
    return (None, [problem]) if problem else (float(value), [])


def _out_of_bounds(row: RawRow, measure: Measure, value: float, column: str | None) -> Problem | None:
    """A value below the measure's least or above its most possible value (a percentage: 0 to 100)."""
    low, high = measure.bounds
    if low is not None and value < low:
        limit, word, key, own = low, "below", "min", measure.min is not None
    elif high is not None and value > high:
        limit, word, key, own = high, "above", "max", measure.max is not None
    else:
        return None
    shown = display(value, measure.decimals) or ""
    if own:
        message = f"{shown} is {word} the measure's {key}: {limit:g}"
    else:
        least = "least" if key == "min" else "most"
        message = f"{shown} is {word} {limit:g}, the {least} a percentage can be (or set `{key}:` on the measure)"
    return row.problem(message, column, at="value")


def _text(cell: str) -> str:
    """Free text with line endings normalised and outer blank space removed."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class Loaded:
    """Every result file of a project, read and checked against the catalogue."""

    results: list[Result]
    unavailable: list[NotAvailable]
    """Figures marked not available, with their reasons."""
    problems: list[Problem]
    named: set[str] | None
    """The measure ids named by any row read, valid or not (None when a file or row could not be read)."""


def load_results(root: Path, catalogue: Catalogue) -> Loaded:
    """Read every result file of the project ``root`` and check it against the catalogue."""
    rows, problems = read_result_files(root)
    named = None if problems else {row.cells.get("measure", "").strip() for row in rows}
    entries, row_problems = to_results(rows, catalogue)
    results = [entry for entry in entries if isinstance(entry, Result)]
    unavailable = [entry for entry in entries if isinstance(entry, NotAvailable)]
    return Loaded(results, unavailable, problems + row_problems, named)


class _OfMeasure(Protocol):
    @property
    def measure(self) -> str: ...


Entry = TypeVar("Entry", bound=_OfMeasure)


def group_by_measure(entries: Iterable[Entry]) -> dict[str, tuple[Entry, ...]]:
    """Entries (results, not-available entries, benchmark figures) by measure id, each measure's in
    the order read: grouped once per build, used by every stage."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.measure, []).append(entry)
    return {measure_id: tuple(rows) for measure_id, rows in grouped.items()}
