"""UNODC data portal (dataUNODC) "Victims of intentional homicide", long format (.xlsx).

Layout (as dataUNODC publishes its CTS files): row 1 `UNODC | unodc_ddds@un.org`, row 2 the
release date as text (`16/05/2024`), header in row 3: `Iso3_code, Country, Region, Subregion,
Indicator, Dimension, Category, Sex, Age, Year, Unit of measurement, VALUE, Source`. One row
per country-year-breakdown-unit. Kept: indicator "Victims of intentional homicide", the
totals (Dimension, Category, Sex and Age all "Total"); unit "Counts" -> count, "Rate per
100,000 population" -> rate_per_100k, paired per country, year and Source. Source -> the
homicide table's source_type by hand/publisher_series.yaml `source_types` (first key found in
the Source text); an unknown Source is refused. The edition is the release date's year.
No copy of this file could be obtained (publisher/PROVENANCE.md); the layout is the one
PROVENANCE.md documents from the portal's sibling file, and tests build a workbook in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data.imports._common import read_hand_yaml
from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Book, Where, label, pick_sheet, refuse, text
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap
from analysis.data.publishers._table import labelled_columns

NAME = r"(?i)^data_cts_intentional_homicide.*\.xlsx$"
SERIES = "unodc_homicide"
COLUMNS = {
    "iso3": r"iso3(_code)?", "indicator": r"indicator", "dimension": r"dimension", "category": r"category",
    "sex": r"sex", "age": r"age", "year": r"year", "unit": r"unit( of measurement)?", "value": r"value", "source": r"source",
}
UNITS = {"counts": "count", "rate per 100,000 population": "rate_per_100k"}
INDICATOR = "victims of intentional homicide"


def read(path: Path, names: NameMap) -> list[Edition]:
    """Total victims (count and rate) per country, year and source."""
    rules = read_hand_yaml("publisher_series.yaml")[SERIES]
    where = Where(Path(path).name)
    with Book(path) as book:
        sheet = pick_sheet(book.names, ["data_cts_intentional_homicide"], where, lambda s: len(book.names) == 1)
        rows = book.rows(sheet)
    where = Where(where.file, sheet)
    released = next((m for r in rows[:3] for c in r if (m := re.search(r"\b\d{1,2}/\d{1,2}/((?:19|20)\d\d)\b", text(c)))), None)
    if released is None:
        refuse(where.at(row=2), "no release date (DD/MM/YYYY) in the first rows")
    frame, header = labelled_columns(rows, COLUMNS, where, numeric={"value"})
    totals = frame[frame["indicator"].map(label).eq(INDICATOR)
                   & frame[["dimension", "category", "sex", "age"]].apply(lambda c: c.map(label)).eq("total").all(axis=1)]
    problems = []
    units = totals["unit"].map(label).map(UNITS)
    for _, bad in totals[units.isna()].iterrows():
        problems.append(where.at(int(bad["row"]), label="Unit of measurement").problem(f"unknown unit {bad['unit']!r}; expected {sorted(UNITS)}"))
    types = totals["source"].map(lambda s: next((t for k, t in rules["source_types"].items() if k.lower() in s.lower()), None))
    for _, bad in totals[types.isna()].iterrows():
        problems.append(where.at(int(bad["row"]), label="Source").problem(f"source {bad['source']!r} is neither criminal justice nor public health in hand/publisher_series.yaml source_types"))
    years = totals["year"].str.fullmatch(r"\d{4}")
    for _, bad in totals[~years].iterrows():
        problems.append(where.at(int(bad["row"]), label="Year").problem(f"not a year: {bad['year']!r}"))
    if problems:
        raise DataValidationError(problems)
    long = totals.assign(measure=units, source_type=types, value=pd.to_numeric(totals["value"].replace("", None)))
    wide = long.pivot_table(index=["iso3", "year", "source_type", "source"], columns="measure", values="value", aggfunc="first").reset_index()
    for col in ("count", "rate_per_100k"):
        if col not in wide:
            wide[col] = float("nan")
    table = pd.DataFrame({
        "iso3": wide["iso3"], "year": wide["year"].astype(int), "rate_per_100k": wide["rate_per_100k"],
        "count": wide["count"].round().astype("Int64"), "source_type": wide["source_type"], "source_org": wide["source"],
    })
    edition = int(released.group(1))
    return [Edition(SERIES, edition, table, Path(path), f"Victims of intentional homicide (dataUNODC, released {released.group(0)})")]
