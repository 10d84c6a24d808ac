"""World Bank WDI bulk download CSV (`API_<indicator>_DS2_<lang>_csv_v2_<n>.csv`), as served.

Layout (PROVENANCE.md of publisher/): a UTF-8 BOM (one copy has a stray 0xFF instead), CRLF,
every field quoted, a trailing comma on every line, four preamble lines ("Data Source",
"Last Updated Date"), then the header `Country Name, Country Code, Indicator Name, Indicator
Code, 1960, ...` and one row per economy, aggregates included; "" = missing. The header row
and the year columns are found by label, the vintage is the "Last Updated Date" line.
Indicators read: VC.IHR.PSRC.P5 (homicide rate) -> homicide rows, SP.POP.TOTL -> population.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Where, find_header, number, refuse, text, year
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap

NAME = r"^API_(VC\.IHR\.PSRC\.P5|SP\.POP\.TOTL)_DS2_.*\.csv$"
# indicator -> (series in hand/publisher_series.yaml, value column of the curated table)
INDICATORS = {"VC.IHR.PSRC.P5": ("wdi_homicide", "rate_per_100k"), "SP.POP.TOTL": ("wdi_population", "population")}
URL = "https://api.worldbank.org/v2/en/indicator/{code}?downloadformat=csv"


def decode(data: bytes) -> str:
    """The text of a WDI CSV: a UTF-8 BOM or a stray leading 0xFF byte dropped, CRLF kept for csv."""
    for mark in (b"\xef\xbb\xbf", b"\xff"):
        if data.startswith(mark):
            data = data[len(mark):]
            break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read(path: Path, names: NameMap) -> list[Edition]:
    """One Edition: the indicator's values for every economy and year."""
    path = Path(path)
    where = Where(path.name)
    rows = list(csv.reader(io.StringIO(decode(path.read_bytes()), newline="")))
    vintage = next((text(r[1]) for r in rows[:10] if len(r) > 1 and text(r[0]) == "Last Updated Date"), "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage):
        refuse(where.at(row=3, label="Last Updated Date"), f"no 'Last Updated Date' line with a YYYY-MM-DD date in the preamble (found {vintage!r})")
    header, cols = find_header(rows, {"code": r"country code", "indicator": r"indicator code", "name": r"indicator name"}, where, search=10)
    years = {j: y for j, cell in enumerate(rows[header]) if (y := year(cell, where)) is not None}
    if not years:
        refuse(where.at(row=header + 1), "no year columns (1960, 1961, ...) in the header row")
    code = _indicator(rows[header + 1:], cols["indicator"], header, path, where)
    series, value_col = INDICATORS[code]
    out, problems = [], []
    for i, row in enumerate(rows[header + 1:], start=header + 2):
        if not any(text(c) for c in row):
            continue
        iso3 = text(row[cols["code"]])
        for j, y in years.items():
            try:
                value = number(row[j] if j < len(row) else None, where.at(i, j + 1, str(y)))
            except DataValidationError as err:
                problems += err.problems
                continue
            if value is not None:
                out.append((iso3, y, value))
    if problems:
        raise DataValidationError(problems)
    table = pd.DataFrame(out, columns=["iso3", "year", value_col])
    if value_col == "population":
        fractional = table[table["population"] % 1 != 0]
        if not fractional.empty:
            refuse(where.at(label=str(fractional["year"].iloc[0])), f"population of {fractional['iso3'].iloc[0]} is not a whole number")
        table["population"] = table["population"].astype("int64")
    title = f"{text(rows[header + 1][cols['name']])}, {code}"
    notes = f"WDI bulk download, Last Updated Date {vintage}."
    return [Edition(series, int(vintage[:4]), table, path, title, notes=notes, url=URL.format(code=code))]


def _indicator(rows: list[list[str]], col: int, header: int, path: Path, where: Where) -> str:
    """The one indicator code of the file; it must be the one its name says."""
    codes = {text(r[col]) for r in rows if len(r) > col and text(r[col])}
    named = re.search(NAME, path.name).group(1)
    if codes != {named}:
        refuse(where.at(row=header + 2, column=col + 1, label="Indicator Code"), f"expected only {named} (as the file name says), found {sorted(codes)}")
    return named
