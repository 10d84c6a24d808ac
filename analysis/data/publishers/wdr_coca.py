"""UNODC World Drug Report statistical annex 6.1.1, "Global illicit cultivation of coca bush" (.xlsx).

Editions differ in layout (PROVENANCE.md of publisher/): WDR 2022 has sheet `6_1_1`, the
table in column A, years in row 3; WDR 2025 has sheet `Sheet1`, the table in column B, years in
row 5 and two unlabelled columns holding only footnote markers. So everything is found by
content:
- the sheet: `Sheet1` / `6_1_1` / `6.1.1`, else the one sheet whose title says "cultivation of coca bush";
- the title "..., 2010-2023 (hectares)" gives the span; the edition is the span's last year + 2
  (hand/publisher_series.yaml `edition_offset`: WDR 2022 covers to 2020, WDR 2025 to 2023);
- the header row is the first row with at least three year cells (2009-2013 are stored as
  dates, e.g. 2009-01-04, and read as their year); columns without a year header are skipped;
- the label column is the one left of the first year column; data rows are the labelled rows
  below the header that hold at least one value; rows "a) ...", "Sources: ..." are footnotes;
- what each number measures comes from the footnote its label carries ("Peru c" -> footnote
  c) "Net area on 31 December ..." -> net_area_dec31), so an edition that re-letters its
  footnotes is still read right; an unlettered country takes the measure declared in the rules.
The printed Total must equal the sum of the countries (coca.check_total, as the import step).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data.imports._common import read_hand_yaml
from analysis.data.imports.coca import check_total
from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Book, Where, number, pick_sheet, refuse, text, year
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap

NAME = r"^6\.1\.1.*coca.*\.xlsx$"
SERIES = "unodc_wdr_coca"
SHEETS = ["Sheet1", "6_1_1", "6.1.1"]
TITLE = re.compile(r"cultivation of coca bush,\s*((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)", re.I)
FOOTNOTE = re.compile(r"^([a-z])\)\s*(.+)$", re.S)
LABEL = re.compile(r"^(.*?\S)\s+([a-z])$")


def read(path: Path, names: NameMap) -> list[Edition]:
    """The annex table as coca_cultivation rows (headline decided later, by the update's rules)."""
    rules = read_hand_yaml("publisher_series.yaml")[SERIES]
    where = Where(Path(path).name)
    with Book(path) as book:
        sheet = pick_sheet(book.names, SHEETS, where, lambda s: bool(_title(book.rows(s)[:10])))
        rows = book.rows(sheet)
    where = Where(where.file, sheet)
    title, span = _title(rows[:10]) or refuse(where.at(row=1), "no title 'Global illicit cultivation of coca bush, YYYY-YYYY' in the first 10 rows")
    header, years = _year_header(rows, where)
    label_col = min(years) - 1
    if label_col < 0:
        refuse(where.at(row=header + 1, column=1), "the first year column has no label column to its left")
    footnotes = _footnotes(rows[header + 1:], label_col)
    long = _values(rows, header, years, label_col, where)
    if long.empty:
        refuse(where.at(row=header + 2, column=label_col + 1), "no data rows below the year header")
    if not long["country"].eq("Total").any():
        refuse(where.at(column=label_col + 1, label="Total"), "no 'Total' row with values (formulas saved without their results?)")
    check_total(long, f"{where.file}: sheet {sheet!r}")
    table = _measured(long, footnotes, rules, names, where.at(column=label_col + 1))
    notes = "; ".join(f"{k}) {v}" for k, v in sorted(footnotes.items()))
    return [Edition(SERIES, span[1] + rules["edition_offset"], table, Path(path), title, notes=notes)]


def _title(rows: list[tuple]):
    """(title text, (first year, last year)) from the first rows, or None."""
    for row in rows:
        for cell in row:
            match = TITLE.search(text(cell))
            if match:
                return text(cell), (int(match.group(1)), int(match.group(2)))
    return None


def _year_header(rows: list[tuple], where: Where) -> tuple[int, dict[int, int]]:
    """(0-based header row, {0-based column: year}) - the first row with >= 3 year cells."""
    for i, row in enumerate(rows[:40]):
        years = {j: y for j, cell in enumerate(row) if (y := year(cell, where)) is not None}
        if len(years) >= 3:
            if len(set(years.values())) != len(years):
                refuse(where.at(row=i + 1), f"a year appears twice in the header row: {sorted(years.values())}")
            return i, years
    refuse(where.at(row=1), "no header row of years (2010, 2011, ...) in the first 40 rows")


def _footnotes(rows: list[tuple], label_col: int) -> dict[str, str]:
    """Footnote letter -> text, from rows like 'c) Net area on 31 December ...'."""
    notes = {}
    for row in rows:
        for cell in row[max(label_col - 1, 0):label_col + 1]:
            match = FOOTNOTE.match(text(cell))
            if match:
                notes[match.group(1)] = " ".join(match.group(2).split())
    return notes


def _values(rows, header: int, years: dict[int, int], label_col: int, where: Where) -> pd.DataFrame:
    """Long (country label, year, hectares) for every labelled row below the header that holds a value."""
    out, problems = [], []
    for i in range(header + 1, len(rows)):
        row = rows[i]
        name = text(row[label_col]) if label_col < len(row) else ""
        if not name or FOOTNOTE.match(name) or re.match(r"^(sources?|notes?)\b", name, re.I):
            continue
        for j, y in years.items():
            cell = row[j] if j < len(row) else None
            try:
                value = number(cell, where.at(i + 1, j + 1, str(y)))
            except DataValidationError as err:
                problems += err.problems
                continue
            if value is not None:
                out.append({"country": " ".join(name.split()), "year": y, "hectares": value, "row": i + 1})
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame(out, columns=["country", "year", "hectares", "row"])


def _measure_of(note: str, rules: dict) -> str | None:
    """The area concept a footnote describes (first matching phrase in the rules wins)."""
    for phrase, measure in rules["measure_by_footnote"].items():
        if phrase.lower() in note.lower():
            return measure
    return None


def _measured(long: pd.DataFrame, footnotes: dict, rules: dict, names: NameMap, where: Where) -> pd.DataFrame:
    """Country rows with iso3 and measure (from the label's footnote letter, else the rules)."""
    rows, problems = [], []
    for label, part in long[long["country"].ne("Total")].groupby("country", sort=False):
        match = LABEL.match(label)
        name, letter = (match.group(1), match.group(2)) if match else (label, None)
        iso3 = names.code(name)
        at = where.at(row=int(part["row"].iloc[0]), column=where.column)
        if iso3 is None:
            problems.append(at.problem(f"country {name!r} has no ISO3 code; add it to analysis/data/hand/publisher_names.csv"))
            continue
        if letter is not None:
            measure = _measure_of(footnotes.get(letter, ""), rules)
            if measure is None:
                problems.append(at.problem(f"footnote {letter}) ({footnotes.get(letter, 'not in the sheet')!r}) names no area concept "
                                           f"known to hand/publisher_series.yaml measure_by_footnote"))
                continue
        else:
            measure = rules["unlettered_measure"].get(iso3)
            if measure is None:
                problems.append(at.problem(f"no footnote letter and no measure declared for {iso3} in hand/publisher_series.yaml unlettered_measure"))
                continue
        rows.append(part.assign(iso3=iso3, measure=measure))
    if problems:
        raise DataValidationError(problems)
    table = pd.concat(rows, ignore_index=True)
    dupes = table[table.duplicated(["iso3", "year", "measure"], keep=False)]
    if not dupes.empty:
        first = dupes.iloc[0]
        refuse(where.at(row=int(first["row"])), f"two rows give {first['iso3']} {first['year']} as {first['measure']}")
    return pd.DataFrame({"iso3": table["iso3"], "year": table["year"].astype(int), "hectares": table["hectares"],
                         "measure": table["measure"], "headline": False})
