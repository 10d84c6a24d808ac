"""UNODC World Drug Report annex 1.2, "Prevalence of drug use in the general population,
national data" (.xlsx): the `Cocaine` sheet.

Layout (WDR 2025): ten sheets, one per drug; the table starts in column B; row 1 is the drug
title, row 2 the measure, row 3 the header (`Region, Sub-region, Country/Territory, Best, Low,
High, Male, Female, Year, Age, Source, Method, Adjustment/\\n notes, Specific notes`), the last
row a merged note. Header and columns are found by label; the note row (text in the Region
column, no country) ends the table. Rows are turned into cocaine_use rows by the import step's
own rules (`imports.use`: first year of a span, exclusions from hand/exclusions.csv, exact
duplicates once). The edition is the year the workbook was last saved (the file states none).
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.imports._common import expect, read_hand_csv
from analysis.data.imports.use import drop_excluded, tidy
from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Book, Where, label, pick_sheet, refuse, text
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap
from analysis.data.publishers._table import labelled_columns

NAME = r"(?i)^1\.2.*prevalence.*\.xlsx$"
SERIES = "unodc_wdr_prevalence"
COLUMNS = {
    "Region": r"region", "Sub-region": r"sub-? ?region", "Country/Territory": r"country(/territory)?",
    "Best": r"best", "Low": r"low", "High": r"high", "Year": r"year", "Age": r"age", "Method": r"method",
}


def read(path: Path, names: NameMap) -> list[Edition]:
    """National annual prevalence of cocaine use (% of the population in the survey's age group)."""
    where = Where(Path(path).name)
    with Book(path) as book:
        sheet = pick_sheet(book.names, ["Cocaine"], where, lambda s: label(book.rows(s)[0][1] if book.rows(s) else "").startswith("cocaine"))
        rows = book.rows(sheet)
        modified = book.modified
    where = Where(where.file, sheet)
    if modified is None:
        refuse(where, "the workbook has no last-saved date, so its edition is unknown")
    frame, header = labelled_columns(rows, COLUMNS, where, numeric={"Best", "Low", "High"},
                                     until=lambda r: _is_note(r))
    frame = frame[frame["Country/Territory"].ne("")]
    if frame.empty:
        refuse(where.at(row=header + 2), "no data rows below the header")
    file = f"{where.file}: sheet {sheet!r}"
    excluded = {r["name"] for r in read_hand_csv("exclusions.csv") if r["table"] == "cocaine_use"}
    kept = drop_excluded(frame, excluded)
    table = tidy(kept, names, file).drop_duplicates()
    problems = [p for p in names.problems() if p.file == file]
    if problems:
        raise DataValidationError(problems)
    key = ["iso3", "year", "age_group"]
    dupes = table[table.duplicated(key, keep=False)]
    expect(dupes.empty, file, f"one row per country, year and age group; repeated: {dupes[key].values.tolist()[:6]}")
    title = " ".join(f"{text(rows[0][1]).splitlines()[0].title()}: {text(rows[1][1])}".split())
    return [Edition(SERIES, modified.year, table.drop(columns="source_id").reset_index(drop=True), Path(path), title)]


def _is_note(row: tuple) -> bool:
    """The closing note: long text in the first cells and nothing where a country would be."""
    cells = [text(c) for c in row[:3]]
    return any(len(c) > 80 for c in cells)
