"""Reading cells of publisher files: where a table starts, which column holds what, what a cell means.

Publishers move things between editions: a header row moves down, a footnote row appears, a
column is renamed, a sheet is renamed, a value is written "-", ".." or "1,234". So nothing
here relies on a fixed position: sheets, header rows and columns are found by their labels,
and every cell is parsed by one rule. Whatever cannot be read is refused with a Problem that
names the file, the sheet, the row and the column (`Where`), so a user can open the file at
that cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from analysis.data.problems import DataValidationError, Problem

# Cells that mean "no value" in UNODC, World Bank and TI files (".." WDI/WGI, "-" and "x" UNODC,
# "#N/A" WGI 2021 as text, "" TI source columns, a non-breaking space UNODC annex 1.2).
MISSING = {"", "-", "–", "—", "..", "...", "x", "X", "#N/A", "N/A", "n.a.", "na", "NA"}
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
PLAIN = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True)
class Where:
    """A place in a publisher file: file name, sheet (None for CSV), 1-based row and column."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    label: str | None = None  # the column's header label, when known

    def at(self, row: int | None = None, column: int | None = None, label: str | None = None) -> "Where":
        """The same file and sheet, another cell."""
        return Where(self.file, self.sheet, row, column, label)

    def problem(self, message: str) -> Problem:
        """One line: `file: sheet 'S': row 5: column C ('Kilograms'): message`."""
        file = self.file if self.sheet is None else f"{self.file}: sheet {self.sheet!r}"
        column = None
        if self.column is not None:
            column = f"column {get_column_letter(self.column)}" if self.sheet is not None else f"column {self.column}"
            if self.label:
                column += f" ({self.label!r})"
        elif self.label:
            column = f"column {self.label!r}"
        return Problem(file, self.row, column, message)


def refuse(where: Where, message: str):
    """Stop reading this file: one Problem naming the place."""
    raise DataValidationError([where.problem(message)])


def text(value) -> str:
    """A cell as stripped text (None -> ""; non-breaking spaces are spaces)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\xa0", " ").strip()


def label(value) -> str:
    """A header cell normalised for matching: lower case, single spaces, no line breaks."""
    return re.sub(r"\s+", " ", text(value)).lower()


def number(value, where: Where) -> float | None:
    """A numeric cell: numbers as they are, missing marks -> None, "1,234" -> 1234.

    Anything else (a word, a date, "12 a") is refused naming the cell, because reading it as
    missing would silently drop a figure and reading it as a number would invent one.
    """
    if isinstance(value, bool):
        refuse(where, f"expected a number, found {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        refuse(where, f"expected a number, found the date {value:%Y-%m-%d}")
    cell = text(value)
    if cell in MISSING:
        return None
    if THOUSANDS.match(cell):
        return float(cell.replace(",", ""))
    if PLAIN.match(cell):
        return float(cell)
    refuse(where, f"expected a number or a missing-value mark ({', '.join(sorted(repr(m) for m in MISSING if m))}), found {cell!r}")


def year(value, where: Where) -> int | None:
    """A year header: 2014, "2014", 2014.0, or an Excel date standing for the year (UNODC stores
    2009-2013 as 2009-01-04 ... 2013-01-05). None for a cell that is not a year."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    cell = text(value)
    match = re.fullmatch(r"(19[5-9]\d|20\d\d)", cell)
    return int(match.group(1)) if match else None


def pick_sheet(names: list[str], wanted: list[str], where: Where, looks_right=None) -> str:
    """The sheet to read: the first name in `wanted` (compared without case and surrounding
    spaces), else the one sheet for which `looks_right(name)` is true (a renamed sheet whose
    content is still the table), else refused naming the sheets the file has."""
    normal = {label(n): n for n in names}
    for name in wanted:
        if label(name) in normal:
            return normal[label(name)]
    if looks_right is not None:
        matches = [n for n in names if looks_right(n)]
        if len(matches) == 1:
            return matches[0]
    refuse(where, f"no sheet named {' or '.join(repr(w) for w in wanted)}; the file has {names}")


def find_header(rows: list[tuple], required: dict[str, str], where: Where, search: int = 30) -> tuple[int, dict[str, int]]:
    """The header row and the column of each required label.

    `required` maps a key to a regular expression matched against normalised header cells
    (`label`). The header row is the first of the first `search` rows holding a match for
    every key; if none does, the row matching most keys is named with the labels it lacks.
    Returns (0-based row index, {key: 0-based column index}).
    """
    best = (-1, None, {})
    for i, row in enumerate(rows[:search]):
        found = {}
        for key, pattern in required.items():
            hits = [j for j, cell in enumerate(row) if re.fullmatch(pattern, label(cell))]
            if hits:
                found[key] = hits[0]
        if len(found) == len(required):
            return i, found
        if len(found) > best[0] and found:
            best = (len(found), i, found)
    if best[1] is None:
        refuse(where.at(row=1), f"no header row with {sorted(required)} in the first {search} rows")
    missing = [k for k in required if k not in best[2]]
    row = rows[best[1]]
    present = [text(c) for c in row if text(c)]
    refuse(where.at(row=best[1] + 1, label=missing[0]),
           f"required column {missing[0]!r} not found in the header row (it has {present})")


class Book:
    """A workbook opened once (read-only): its sheet names, save date and the rows of a sheet."""

    def __init__(self, path: Path):
        from openpyxl import load_workbook

        self.path = Path(path)
        try:
            self._book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as err:  # zip or XML damage: openpyxl raises many types
            refuse(Where(self.path.name), f"not a readable .xlsx workbook ({type(err).__name__}: {err})")
        self.names = list(self._book.sheetnames)
        self.modified = self._book.properties.modified

    def rows(self, sheet: str) -> list[tuple]:
        """All rows of a sheet as tuples of values (cached values of formulas), trailing blank rows dropped."""
        rows = [tuple(r) for r in self._book[sheet].iter_rows(values_only=True)]
        while rows and all(text(c) == "" for c in rows[-1]):
            rows.pop()
        return rows

    def close(self) -> None:
        """Release the file."""
        self._book.close()

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
