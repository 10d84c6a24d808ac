"""dataUNODC "Victims of intentional homicide" (long format). No copy of the real file could be
obtained (publisher/PROVENANCE.md), so the workbook is built here in the layout PROVENANCE.md
documents; the values are the GSH 2013 sheet's Peru 2012 police figures (count 2,865, rate 9.6)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis.data import DataValidationError
from analysis.data.paths import DEFAULT_DATA
from analysis.data.publishers import NameMap, unodc_homicide

HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
          "Unit of measurement", "VALUE", "Source"]


def portal_file(folder: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data_cts_intentional_homicide"
    sheet.append(["UNODC | unodc_ddds@un.org"])
    sheet.append(["16/05/2024"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = folder / "data_cts_intentional_homicide.xlsx"
    book.save(path)
    return path


def row(unit, value, sex="Total", source="CTS/National police"):
    return ["PER", "Peru", "Americas", "South America", "Victims of intentional homicide", "Total", "Total", sex, "Total",
            2012, unit, value, source]


def test_totals_paired_into_rate_and_count(tmp_path):
    path = portal_file(tmp_path, [row("Counts", "2,865"), row("Rate per 100,000 population", 9.6),
                                  row("Counts", 2500, sex="Male")])  # a breakdown: not kept
    [ed] = unodc_homicide.read(path, NameMap(DEFAULT_DATA / "countries.csv"))
    assert ed.edition == 2024  # row 2: released 16/05/2024
    [r] = ed.rows.to_dict("records")
    assert (r["iso3"], r["year"], r["count"], r["rate_per_100k"], r["source_type"]) == ("PER", 2012, 2865, 9.6, "criminal_justice")


def test_unknown_source_is_refused_naming_row_and_column(tmp_path):
    path = portal_file(tmp_path, [row("Counts", 2865, source="Ministry of Tourism")])
    with pytest.raises(DataValidationError) as err:
        unodc_homicide.read(path, NameMap(DEFAULT_DATA / "countries.csv"))
    assert str(err.value).startswith("data_cts_intentional_homicide.xlsx: sheet 'data_cts_intentional_homicide': row 4: column 'Source': source 'Ministry of Tourism'")
