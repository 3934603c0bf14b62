"""The cells of an .xlsx workbook's sheets, read from its XML in one streaming pass (the standard library only).

A workbook is a zip archive of XML parts: ``[Content_Types].xml`` names the workbook part and the
shared strings, the workbook part lists the sheets (its relationships give each sheet's part),
``xl/styles.xml`` gives each cell style's number format. Each sheet is read once, as a stream: its
cells, its merged ranges and the limits on its size are all taken in that pass, and the elements
read are let go, so memory follows the cells kept, not the size of the XML.

Cells hold the values openpyxl's ``load_workbook(data_only=True)`` gives for them (the tests
compare the two): numbers as ``int`` or ``float``, dates and times by their number format
(``datetime``, ``time``, ``timedelta``), booleans, text (shared, inline, rich text as its plain
text, a formula's text result), error values (``#DIV/0!``), and the result a formula was saved
with. A formula saved without a result keeps its text in :attr:`Cell.formula`. Cells and rows
without a reference (``r``) take the place after the one before, as Excel counts them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.etree import ElementTree

MAX_PART_BYTES = 32 * 2**20
"""The most one part of a workbook (a sheet's XML, its shared strings) may hold unpacked: 32 MB, about
250,000 rows of results. A small file that unpacks to more (a zip bomb) is refused before it is read."""
MAX_UNPACKED_BYTES = 64 * 2**20
"""The most a whole workbook may hold unpacked: 64 MB."""
MAX_MERGED_CELLS = 100_000
"""The most cells a sheet's merged ranges may cover."""
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
"""Excel's own grid (column XFD): a sheet whose size or cells reach beyond it is refused."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "ms-excel.template.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = (_MAIN + tag for tag in ("row", "c", "v", "f", "is"))
_SHEET_DATA, _DIMENSION, _MERGE_CELL = (_MAIN + tag for tag in ("sheetData", "dimension", "mergeCell"))
_REFERENCE_RE = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
"""Excel's built-in number formats by id (as openpyxl names them)."""
LOCAL_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))
"""Built-in ids whose format depends on the language of Excel (East Asian dates and times): each is a date."""
_LOCAL_DATE_FORMAT = "yyyy-mm-dd"
"""The format such a cell is taken to have: a date that shows its day."""
_LITERAL_RE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE_RE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION_FORMAT_RE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_WINDOWS_EPOCH = datetime(1899, 12, 30)
_MAC_EPOCH = datetime(1904, 1, 1)
_ISO_RE = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?"
)
_ISO_DURATION_RE = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


class Unreadable(Exception):
    """The workbook is damaged or not a workbook; the message says why."""


class TooLarge(Exception):
    """The workbook is too large to read; the message says which limit it passes and what to do."""


class Cell(NamedTuple):
    """A cell that holds something: a value, or a formula saved without its result."""

    value: Any
    """``str``, ``int``, ``float``, ``bool``, ``datetime``, ``time``, ``timedelta`` or None."""
    number_format: str
    """The cell's number format (``General``, ``0%``, ``mmm-yy``)."""
    error: bool = False
    """The cell shows an error value (``#DIV/0!``), its ``value``."""
    formula: str | None = None
    """A formula saved without a result: its text (``D2/E2``); None for every other cell."""


@dataclass
class Sheet:
    """A worksheet: its title and the cells that hold something, by row number and column number."""

    title: str
    rows: dict[int, dict[int, Cell]]


def is_date_format(number_format: str | None) -> bool:
    """Whether a number format shows a date or a time: a date code (d, m, y, h, s) in its first
    section, outside quotes and [brackets] other than elapsed time ([h], [mm], [ss])."""
    if number_format is None:
        return False
    return _DATE_CODE_RE.search(_LITERAL_RE.sub("", number_format.split(";")[0])) is not None


def read_sheets(path: Path) -> Iterator[Sheet]:
    """The worksheets of a workbook in its order (hidden ones too; chart and dialog sheets skipped).

    Raises :class:`TooLarge` for a workbook past a limit, :class:`Unreadable` for one that is damaged
    or not a workbook, and ``OSError`` when the file cannot be opened."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise Unreadable(str(exc)) from exc
    with archive:
        _check_sizes(archive)
        book = _Book(archive)
        yield from book.sheets()


def _check_sizes(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    for member in members:
        if member.file_size > MAX_PART_BYTES:
            raise TooLarge(
                f"is too large to read: its part {member.filename} unpacks to {member.file_size:,} bytes, "
                f"more than the {MAX_PART_BYTES // 2**20} MB a part may hold; split the results into "
                "several workbooks"
            )
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise TooLarge(
            f"is too large to read: it unpacks to {total:,} bytes, more than the "
            f"{MAX_UNPACKED_BYTES // 2**20} MB a workbook may hold; split the results into several workbooks"
        )


class _Book:
    """A workbook's parts other than its sheets: the sheet list, number formats, shared strings."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())
        manifest = self._xml("[Content_Types].xml")
        overrides = [
            (element.get("PartName", ""), element.get("ContentType", ""))
            for element in manifest.iter(f"{_CONTENT_TYPES}Override")
        ]
        self.part = self._workbook_part(manifest, overrides)
        book = self._xml(self.part)
        properties = book.find(f"{_MAIN}workbookPr")
        date1904 = properties.get("date1904") if properties is not None else None
        self.epoch = _MAC_EPOCH if date1904 is not None and date1904 not in ("false", "f", "0") else _WINDOWS_EPOCH
        calculation = book.find(f"{_MAIN}calcPr")
        self.never_calculated = calculation is not None and calculation.get("fullCalcOnLoad") in {"1", "true"}
        sheets = book.findall(f"{_MAIN}sheets/{_MAIN}sheet")
        self.entries = [(sheet.get("name", ""), sheet.get(_RELATIONSHIP_ID)) for sheet in sheets]
        self.styles = self._styles()
        strings = next((name for name, kind in overrides if kind == _SHARED_STRINGS_TYPE), None)
        self.strings = self._shared_strings(strings[1:]) if strings is not None else []

    def _xml(self, name: str) -> ElementTree.Element:
        with self.archive.open(name) as stream:
            return ElementTree.parse(_Capped(stream, self.archive.getinfo(name).file_size)).getroot()

    def _workbook_part(self, manifest: ElementTree.Element, overrides: list[tuple[str, str]]) -> str:
        for kind in _WORKBOOK_TYPES:
            for name, content_type in overrides:
                if content_type == kind and name:
                    return name[1:]
        defaults = {element.get("ContentType") for element in manifest.iter(f"{_CONTENT_TYPES}Default")}
        if defaults & set(_WORKBOOK_TYPES):
            return "xl/workbook.xml"
        raise Unreadable("File contains no valid workbook part")

    def _styles(self) -> list[tuple[str, bool, bool]]:
        """Each cell style's number format, whether it is a date and whether a duration."""
        default = [("General", False, False)]
        if "xl/styles.xml" not in self.names:
            return default
        sheet = self._xml("xl/styles.xml")
        custom = {
            _integer(element.get("numFmtId")): element.get("formatCode", "")
            for element in sheet.findall(f"{_MAIN}numFmts/{_MAIN}numFmt")
        }
        styles = []
        for xf in sheet.findall(f"{_MAIN}cellXfs/{_MAIN}xf"):
            number = _integer(xf.get("numFmtId", "0"))
            if number in custom:
                code: str | None = custom[number]
                shown = code or "General"
            elif number in LOCAL_DATE_FORMATS:
                code = shown = _LOCAL_DATE_FORMAT
            else:
                code = BUILTIN_FORMATS.get(number)
                shown = code or "General"
            duration = code is not None and _DURATION_FORMAT_RE.search(code.split(";")[0]) is not None
            styles.append((shown, is_date_format(code), duration))
        return styles or default

    def _shared_strings(self, name: str) -> list[str]:
        strings: list[str] = []
        item = f"{_MAIN}si"
        holder = None
        with self.archive.open(name) as stream:
            for event, element in ElementTree.iterparse(
                _Capped(stream, self.archive.getinfo(name).file_size), events=("start", "end")
            ):
                if event == "start":
                    if holder is None:
                        holder = element  # the table: its items are let go once read
                elif element.tag == item:
                    strings.append(_plain_text(element).replace("x005F_", ""))
                    if holder is not None:
                        holder.clear()
        return strings

    def sheets(self) -> Iterator[Sheet]:
        if not self.entries:
            return
        targets = self._relationships()
        titles: list[str] = []
        for name, relationship in self.entries:
            if not relationship:
                continue  # a sheet without a part
            if relationship not in targets:
                raise Unreadable(f"the sheet {name!r} has no part ({relationship} is not among its relationships)")
            kind, part = targets[relationship]
            if part not in self.names:
                continue
            title = _unique_title(titles, name)
            titles.append(title)
            if "chartsheet" in kind or "dialogsheet" in kind:
                continue
            with self.archive.open(part) as stream:
                rows = _SheetReader(self, title).read(_Capped(stream, self.archive.getinfo(part).file_size))
            yield Sheet(title, rows)

    def _relationships(self) -> dict[str, tuple[str, str]]:
        """The workbook's relationships by id: their type and the part they point at."""
        folder, name = posixpath.split(self.part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        targets = {}
        for element in self._xml(rels).iter(f"{_PACKAGE}Relationship"):
            target = element.get("Target", "")
            if element.get("TargetMode") != "External":
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            targets[element.get("Id", "")] = (element.get("Type", ""), target)
        return targets


class _SheetReader:
    """One pass over a sheet's XML: its cells, its merged ranges and its limits."""

    def __init__(self, book: _Book, title: str) -> None:
        self.book = book
        self.title = title
        self.rows: dict[int, dict[int, Cell]] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.merged_cells = 0
        self.columns: dict[str, int] = {}

    def read(self, stream: IO[bytes] | _Capped) -> dict[int, dict[int, Cell]]:
        holder = None
        row = 0
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _SHEET_DATA:
                    holder = element  # rows are let go once read
                continue
            if tag == _ROW:
                row = self._row(element, row)
                if holder is not None:
                    holder.clear()
            elif tag == _DIMENSION:
                self._within_grid(element.get("ref", ""))
            elif tag == _MERGE_CELL:
                self._merge(element.get("ref", ""))
        for top, left, bottom, right in self.merged:  # only the top-left cell of a merged range holds a value
            for number in range(top, bottom + 1):
                cells = self.rows.get(number)
                if cells:
                    for column in range(left, right + 1):
                        cell = cells.get(column)
                        if cell is not None and (number, column) != (top, left):
                            if cell.formula is None:
                                del cells[column]
                            else:
                                cells[column] = cell._replace(value=None, error=False)
        return self.rows

    def _row(self, element: ElementTree.Element, previous: int) -> int:
        """Read a row's cells; its number (the one after ``previous`` when it has none)."""
        number = element.get("r")
        row = _row_number(number) if number is not None else previous + 1
        if row > MAX_ROW:
            raise self._beyond(number or str(row))
        column = 0
        for cell in element:
            if cell.tag != _CELL:
                continue
            reference = cell.get("r")
            if reference:
                cell_row, column = self._position(reference)
            else:
                cell_row, column = row, column + 1
            if column > MAX_COLUMN:
                raise self._beyond(reference or f"column {column} of row {cell_row}")
            value = self._cell(cell)
            cells = self.rows.get(cell_row)
            if value is None:
                if cells:
                    cells.pop(column, None)
                continue
            if cells is None:
                cells = self.rows[cell_row] = {}
            cells[column] = value
        return row

    def _cell(self, element: ElementTree.Element) -> Cell | None:
        """What a cell holds, or None for a blank."""
        kind = element.get("t", "n")
        style = element.get("s")
        number_format, is_date, duration = self.book.styles[_style_index(style, len(self.book.styles))]
        result = formula = inline = None
        for child in element:
            tag = child.tag
            if tag == _VALUE:
                if result is None:
                    result = child
            elif tag == _FORMULA:
                if formula is None:
                    formula = child
            elif tag == _INLINE and inline is None:
                inline = child
        text = (result.text or None) if result is not None and kind != "inlineStr" else None
        uncached = None
        if formula is not None and (
            self.book.never_calculated or result is None or (not result.text and kind != "str")
        ):
            uncached = formula.text or ""
        value: Any = None
        error = False
        if text is not None:
            if kind == "n":
                value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                if is_date:
                    try:
                        value = from_excel(value, self.book.epoch, duration)
                    except (OverflowError, ValueError):
                        value, error = "#VALUE!", True  # a serial number beyond the dates Python knows
            elif kind == "s":
                value = self.book.strings[int(text)]
            elif kind == "b":
                value = bool(int(text))
            elif kind == "d":
                value = from_iso8601(text)
            else:
                value, error = text, kind == "e"  # "str": a formula's text; "e": an error value
        elif kind == "inlineStr" and inline is not None:
            value = _plain_text(inline)
        if value is None and uncached is None:
            return None
        return Cell(value, number_format, error, uncached)

    def _position(self, reference: str) -> tuple[int, int]:
        """The (row, column) of a cell reference such as ``C7``."""
        letters = reference.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is None:
            match = _REFERENCE_RE.fullmatch(reference)
            if not match:
                raise Unreadable(f"the sheet {self.title!r} has a cell at {reference!r}, which is not a cell reference")
            column = _column_number(match.group(1))
            if column <= MAX_COLUMN:
                self.columns[letters] = column
        row = int(reference[len(letters) :])
        if row > MAX_ROW or column > MAX_COLUMN:
            raise self._beyond(reference)
        return row, column

    def _within_grid(self, reference: str) -> None:
        for corner in reference.split(":"):
            match = _REFERENCE_RE.fullmatch(corner.strip())
            if match and (int(match.group(2)) > MAX_ROW or _column_number(match.group(1)) > MAX_COLUMN):
                raise self._beyond(reference)

    def _merge(self, reference: str) -> None:
        self._within_grid(reference)
        corners = [self._position(corner) for corner in reference.split(":")]
        if len(corners) != 2:
            return
        top, bottom = sorted(row for row, _ in corners)
        left, right = sorted(column for _, column in corners)
        self.merged_cells += (bottom - top + 1) * (right - left + 1)
        if self.merged_cells > MAX_MERGED_CELLS:
            raise TooLarge(
                f"has a sheet whose merged cells cover more than {MAX_MERGED_CELLS:,} cells: unmerge them "
                "(a result sheet needs no merged cells)"
            )
        self.merged.append((top, left, bottom, right))

    def _beyond(self, reference: str) -> TooLarge:
        return TooLarge(
            f"has a sheet whose cells reach {reference}, beyond Excel's last cell XFD{MAX_ROW}: it is damaged "
            "or was not written by a spreadsheet program"
        )


def _column_number(letters: str) -> int:
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def _style_index(style: str | None, count: int) -> int:
    """The cell style a cell names (``s``): the default for none, or one the workbook does not have."""
    if not style:
        return 0
    index = _integer(style)
    return index if 0 <= index < count else 0


def _integer(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return -1


def _unique_title(titles: list[str], title: str) -> str:
    """A sheet's title, made unique as openpyxl makes it (a second ``Sheet`` is ``Sheet1``)."""
    if not any(other.lower() == title.lower() for other in titles):
        return title
    pattern = re.compile(f"(?P<title>{re.escape(title)})(?P<count>\\d*),?", re.I)
    counts = [int(count) for _, count in pattern.findall(",".join(titles)) if count.isdigit()]
    return f"{title}{max(counts, default=0) + 1}"


def _plain_text(element: ElementTree.Element) -> str:
    """A string item's text (``<si>``, ``<is>``): its ``<t>``, then the ``<t>`` of each rich-text run
    (``<r>``); phonetic guides (``<rPh>``) left out."""
    plain = None
    runs = []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "t":
            plain = child.text
        elif tag == "r":
            run = None
            for part in child:
                if part.tag.rpartition("}")[2] == "t":
                    run = part.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


def from_excel(serial: float, epoch: datetime = _WINDOWS_EPOCH, duration: bool = False) -> datetime | time | timedelta:
    """An Excel serial number as a date and time (a time of day for a fraction of a day; a duration
    for an elapsed-time format such as ``[h]:mm``), to the millisecond, as openpyxl gives it."""
    if duration:
        elapsed = timedelta(days=serial)
        if elapsed.microseconds:
            elapsed = timedelta(seconds=elapsed.total_seconds() // 1, microseconds=round(elapsed.microseconds, -3))
        return elapsed
    day, fraction = divmod(serial, 1)
    moment = timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and moment.days == 0:
        minutes, seconds = divmod(moment.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return time(hours, minutes, seconds, moment.microseconds)
    if 0 < serial < 60 and epoch == _WINDOWS_EPOCH:
        day += 1  # Excel's 29 February 1900, a day that never was
    return epoch + timedelta(days=day) + moment


def from_iso8601(text: str) -> date | datetime | time | timedelta:
    """A date cell written as ISO 8601 text (``t="d"``): a date, a date and time, a time or a duration."""
    match = _ISO_RE.match(text)
    if match and any(match.groups()):
        parts = match.groupdict()
        year, month, day, hour, minute, second = (
            int(parts[key] or 0) for key in ("year", "month", "day", "hour", "minute", "second")
        )
        micro = int(float(parts["microsecond"]) * 1_000_000) if parts["microsecond"] else 0
        if not parts["date"]:
            return time(hour, minute, second, micro)
        if not parts["time"]:
            return date(year, month, day)
        return datetime(year, month, day, hour, minute, second, micro)
    match = _ISO_DURATION_RE.match(text)
    if match and any(match.groups()):
        return timedelta(**{key: float(value) for key, value in match.groupdict().items() if value})
    raise ValueError(f"{text!r} is not a date")


class _Capped:
    """A stream that refuses to give more than ``limit`` bytes (a part that unpacks to more than its
    recorded size), whatever the archive says of it."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._left = limit

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise ValueError("a part of the workbook unpacks to more than its recorded size")
        return data
