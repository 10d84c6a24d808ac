"""UNODC World Drug Report statistical annex 7.1, "Drug seizures, YYYY-YYYY" (.xlsx, long format).

Layout (WDR 2025): sheet `Seizures`, title in row 1, header in row 2 (`Region, SubRegion,
Country, DrugGroup, DrugSubGroup, DrugName, Reference year, Kilograms, msCode`), one row per
country-drug-year report. The header row and the columns are found by label, so a moved
header or reordered columns read the same. Cocaine-type rows are totalled per country-year
by the import step's own rule (`imports.seizures.total_new`: every cocaine row except coca
leaf and bush; repeated reports summed). The edition is the title's last year + 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.data.imports._common import read_hand_yaml
from analysis.data.imports.seizures import NEW_COLUMNS, total_new
from analysis.data.publishers._cells import Book, Where, find_header, pick_sheet, refuse, text
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap
from analysis.data.publishers._table import labelled_columns

NAME = r"(?i)^7\.1.*seizures.*\.xlsx$"
SERIES = "unodc_wdr_seizures"
TITLE = re.compile(r"drug seizures,\s*((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)", re.I)
COLUMNS = {  # key (the import step's column name) -> header label pattern
    "Region": r"region", "SubRegion": r"sub-? ?region", "Country": r"country(/territory)?",
    "DrugGroup": r"drug ?group", "DrugSubGroup": r"drug ?sub-? ?group", "DrugName": r"drug ?name",
    "Reference year": r"(reference )?year", "Kilograms": r"kilograms|quantity \(kg\)|kg", "msCode": r"mscode|iso3( code)?",
}


def read(path: Path, names: NameMap) -> list[Edition]:
    """Cocaine seized per country-year, kilograms."""
    rules = read_hand_yaml("publisher_series.yaml")[SERIES]
    where = Where(Path(path).name)
    with Book(path) as book:
        sheet = pick_sheet(book.names, ["Seizures"], where, lambda s: _has_header(book.rows(s)[:30]))
        rows = book.rows(sheet)
    where = Where(where.file, sheet)
    title = next((text(c) for r in rows[:5] for c in r if TITLE.search(text(c))), None)
    if title is None:
        refuse(where.at(row=1), "no title 'Drug seizures, YYYY-YYYY' in the first 5 rows")
    span_end = int(TITLE.search(title).group(2))
    frame, _ = labelled_columns(rows, COLUMNS, where, numeric={"Kilograms"})
    cocaine = frame[frame["DrugGroup"].eq("Cocaine-type")]
    if cocaine.empty:
        refuse(where.at(label="DrugGroup"), "no Cocaine-type rows")
    bad_year = cocaine[~cocaine["Reference year"].str.fullmatch(r"\d{4}")]
    if not bad_year.empty:
        refuse(where.at(row=int(bad_year["row"].iloc[0]), label="Reference year"), f"not a year: {bad_year['Reference year'].iloc[0]!r}")
    table = total_new(cocaine[NEW_COLUMNS].reset_index(drop=True), f"{where.file}: sheet {sheet!r}")
    return [Edition(SERIES, span_end + rules["edition_offset"], table.drop(columns="source_id"), Path(path), title)]


def _has_header(rows: list[tuple]) -> bool:
    """Whether a sheet holds the seizure table's header (for a renamed sheet)."""
    try:
        find_header(rows, COLUMNS, Where("probe"))
        return True
    except Exception:
        return False
