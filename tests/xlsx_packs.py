"""Result files as workbooks: a CSV result file written as the .xlsx a user would save, and a copy of a
project whose results are a workbook (the benchmark's xlsx pack).

For the benchmark: ``sys.path.insert(0, "tests"); from xlsx_packs import write_xlsx_copy``, then
``write_xlsx_copy(csv_project, xlsx_project)`` after ``make_project(csv_project, …)``.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import openpyxl


def write_xlsx_copy(csv_project: Path, xlsx_project: Path) -> None:
    """Copy a project, each CSV result file in its data/ replaced by the same rows as a workbook."""
    shutil.copytree(csv_project, xlsx_project)
    for path in sorted((xlsx_project / "data").glob("*.csv")):
        csv_to_workbook(path, path.with_suffix(".xlsx"))
        path.unlink()


def csv_to_workbook(source: Path, target: Path) -> None:
    """The rows of a CSV result file as a one-sheet workbook: figures as Excel numbers where that keeps
    them as written, empty fields as empty cells."""
    with source.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    book = openpyxl.Workbook()
    sheet = book.active
    for number, row in enumerate(rows):
        sheet.append([None if cell == "" else cell if number == 0 else as_number(cell) for cell in row])
    book.save(target)


def as_number(text: str) -> Any:
    """A cell's text as the number Excel would store, when it reads back the same; else the text."""
    for kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            continue
        return number if str(number) == text else text  # "83.90" or "1,508" stay text
    return text
