"""Reading and checking the result files (``data/*.csv``, and workbooks through :mod:`ncc_scorecard.xlsx`)."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .catalogue import Catalogue, Measure
from .errors import InvalidProject
from .periods import Period, PeriodError, fit_period, parse_period
from .problems import Problem, unreadable
from .rows import RawRow, check_header

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


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


RESULT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
"""CSV files and workbooks (the last three only to say how to save them as .xlsx)."""


def result_files(data_dir: Path) -> list[Path]:
    """The project's result files, in sorted order; :class:`InvalidProject` if the folder cannot be listed."""
    if not data_dir.is_dir():
        return []
    try:
        return sorted(path for path in data_dir.iterdir() if _is_result_file(path))
    except OSError as exc:
        raise InvalidProject([unreadable(data_dir, exc)]) from exc


def _is_result_file(path: Path) -> bool:
    """A file named as a result file, or a broken link so named (read, and reported as unreadable,
    rather than silently skipped); not a folder, and not Excel's ``~$`` lock file of an open workbook."""
    if path.suffix.lower() not in RESULT_SUFFIXES or path.name.startswith("~$"):
        return False
    return path.is_file() or (path.is_symlink() and not path.exists())


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
    return float(plain) if "." in plain else int(plain)


def _currency_problem(text: str, symbol: str, currency: str | None) -> str:
    """Why a figure written with a currency symbol was refused."""
    if currency is None:
        return f"'{text}' is not a number: a currency symbol ('{symbol}') is only for measures with unit currency"
    return (
        f"'{text}' has the currency symbol '{symbol}', but this measure's figures are in '{currency}' "
        "(currency_symbol in measures.yaml)"
    )


def to_results(rows: Iterable[RawRow], catalogue: Catalogue) -> tuple[list[Result], list[Problem]]:
    """Check rows against the catalogue and turn them into results; report every bad row."""
    results: list[Result] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int, int, bool], RawRow] = {}
    measures = {measure.id: measure for measure in catalogue.measures}
    for row in rows:
        result, row_problems = _to_result(row, measures, catalogue.year_start_month)
        problems += row_problems
        if result is None:
            continue
        key = (result.measure, result.period.start, result.period.months, result.outturn)
        if key in seen:
            first = seen[key]
            problems.append(
                row.problem(
                    f"{result.measure} {row.cells['period'].strip()} is given twice; "
                    f"first at {first.problem('').location}"
                )
            )
            continue
        seen[key] = row
        results.append(result)
    return results, problems


def _to_result(row: RawRow, measures: dict[str, Measure], start_month: int) -> tuple[Result | None, list[Problem]]:
    cells = row.cells
    measure_id = cells.get("measure", "").strip()
    if not measure_id:
        return None, [row.problem("no measure id", "measure")]
    measure = measures.get(measure_id)
    if measure is None:
        guess = difflib.get_close_matches(measure_id, sorted(measures), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return None, [row.problem(f"no measure '{measure_id}' in the catalogue{hint}", "measure")]
    problems: list[Problem] = []
    period = None
    outturn = False
    if not cells.get("period", "").strip():
        problems.append(row.problem("no period", "period"))
    else:
        try:
            period, outturn = fit_period(parse_period(cells["period"], start_month), measure.frequency, start_month)
        except PeriodError as exc:
            problems.append(row.problem(str(exc), "period"))
    numbers: dict[str, int | float | None] = {}
    for column in ("value", "numerator", "denominator"):
        try:
            numbers[column] = parse_number(cells.get(column, ""), measure.currency)
        except ValueError as exc:
            problems.append(row.problem(str(exc), column))
    if problems or period is None:
        return None, problems
    value = numbers["value"]
    numerator, denominator = numbers["numerator"], numbers["denominator"]
    if value is None:
        if numerator is None or denominator is None:
            missing = " and ".join(c for c in ("numerator", "denominator") if numbers[c] is None)
            message = f"no value: give a value, or both numerator and denominator ({missing} blank)"
            return None, [row.problem(message, at="value")]  # a workbook points at the cell to fill in
        if denominator == 0:
            return None, [
                row.problem(
                    "denominator is 0, so there is no value: give a value or a non-zero denominator", "denominator"
                )
            ]
        value = ratio(numerator, denominator, measure.factor)
    return (
        Result(
            measure=measure_id,
            period=period,
            outturn=outturn,
            value=float(value),
            numerator=numerator,
            denominator=denominator,
            numerator_text=cells.get("numerator", "").strip(),
            denominator_text=cells.get("denominator", "").strip(),
            comment=_text(cells.get("comment", "")),
            action=_text(cells.get("action", "")),
            path=row.path,
            line=row.line,
        ),
        [],
    )


def exact(number: int | float | Decimal) -> Decimal:
    """A number as written (``0.1`` is 0.1, not the nearest binary fraction)."""
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def ratio(numerator: int | float | Decimal, denominator: int | float | Decimal, factor: int | float) -> float:
    """numerator / denominator × factor in decimal arithmetic: 57 / 200 × 100 is 28.5 (shown as 29),
    not 28.499999999999996 (shown as 28)."""
    return float(exact(numerator) * exact(factor) / exact(denominator))


def _text(cell: str) -> str:
    """Free text with line endings normalised and outer blank space removed."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def load_results(data_dir: Path, catalogue: Catalogue) -> tuple[list[Result], list[Problem]]:
    """Read every result file of a project and check it against the catalogue."""
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for path in result_files(data_dir):
        file_rows, file_problems = read_rows(path)
        rows += file_rows
        problems += file_problems
    results, row_problems = to_results(rows, catalogue)
    return results, problems + row_problems
