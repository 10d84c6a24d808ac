"""World Bank Worldwide Governance Indicators workbook (`wgidataset.xlsx`), both layouts.

- Long layout (2024 update on): one sheet, header `codeindyr, code, countryname, year,
  indicator, estimate, stddev, nsource, pctrank, pctranklower, pctrankupper`; `indicator` is a
  lower-case code (`cc` = Control of Corruption); missing = "..".
- Wide layout (to the 2023 update): one sheet per indicator (`ControlofCorruption`), two header
  rows: years repeated over 6-column blocks, then `Country/Territory, Code, Estimate, StdErr,
  NumSrc, Rank, Lower, Upper, ...`; missing = the text "#N/A".
Control of Corruption estimate, percentile rank and standard error become corruption rows
(wgi_cc_est, wgi_cc_pct_rank, wgi_cc_se). Codes are the World Bank's (a few are not ISO3, e.g.
ROM, ZAR; the update keeps only the report's countries). The edition (update year) is the last
data year + 1: the 2021 update covers 1996-2020, the 2024 update 1996-2023.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Book, Where, find_header, label, number, refuse, text, year
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap

NAME = r"(?i)^wgidataset.*\.xlsx$"
SERIES = "wb_wgi"
LONG = {"code": r"code", "year": r"year", "indicator": r"indicator", "estimate": r"estimate",
        "stddev": r"stddev|std\.? ?err(or)?", "pctrank": r"pctrank|percentile rank"}
MEASURES = {"estimate": "wgi_cc_est", "pctrank": "wgi_cc_pct_rank", "stddev": "wgi_cc_se"}
WIDE = {"country": r"country(/territory)?", "code": r"code", "estimate": r"estimate", "stderr": r"stderr", "rank": r"rank"}
WIDE_MEASURES = {"estimate": "wgi_cc_est", "rank": "wgi_cc_pct_rank", "stderr": "wgi_cc_se"}


def read(path: Path, names: NameMap) -> list[Edition]:
    """Control of Corruption rows from whichever layout the workbook has."""
    where = Where(Path(path).name)
    with Book(path) as book:
        wide = next((s for s in book.names if label(s).replace(" ", "") == "controlofcorruption"), None)
        if wide is not None:
            table = _wide(book.rows(wide), Where(where.file, wide))
            layout = "wide layout (sheet per indicator)"
        else:
            sheet = next((s for s in book.names if _is_long(book.rows(s)[:5])), None)
            if sheet is None:
                refuse(where, f"neither a 'ControlofCorruption' sheet nor a long table (code, year, indicator, estimate, ...); sheets: {book.names}")
            table = _long(book.rows(sheet), Where(where.file, sheet))
            layout = "long layout"
    last = int(table["year"].max())
    title = f"Worldwide Governance Indicators, {last + 1} update (1996-{last}): Control of Corruption"
    return [Edition(SERIES, last + 1, table, Path(path), title, notes=f"wgidataset.xlsx, {layout}; update year inferred as last data year + 1.")]


def _is_long(rows: list[tuple]) -> bool:
    """Whether a sheet starts with the long layout's header."""
    try:
        find_header(rows, LONG, Where("probe"), search=5)
        return True
    except DataValidationError:
        return False


def _long(rows: list[tuple], where: Where) -> pd.DataFrame:
    """Long layout: keep indicator cc."""
    header, cols = find_header(rows, LONG, where)
    out, problems = [], []
    for i in range(header + 1, len(rows)):
        row = rows[i]
        if label(row[cols["indicator"]]) != "cc":
            continue
        y = year(row[cols["year"]], where)
        if y is None:
            problems.append(where.at(i + 1, cols["year"] + 1, "year").problem(f"not a year: {text(row[cols['year']])!r}"))
            continue
        for key, indicator in MEASURES.items():
            try:
                value = number(row[cols[key]], where.at(i + 1, cols[key] + 1, text(rows[header][cols[key]])))
            except DataValidationError as err:
                problems += err.problems
                continue
            if value is not None:
                out.append((text(row[cols["code"]]), y, indicator, value))
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame(out, columns=["iso3", "year", "indicator", "value"])


def _wide(rows: list[tuple], where: Where) -> pd.DataFrame:
    """Wide layout: the year row above the column-label row names each 6-column block."""
    header, cols = find_header(rows, WIDE, where)
    if header == 0:
        refuse(where.at(row=1), "no row of years above the column labels")
    years, current = {}, None
    for j, cell in enumerate(rows[header - 1]):
        current = year(cell, where) or current
        if current is not None and label(rows[header][j]) in WIDE_MEASURES:
            years[j] = (current, WIDE_MEASURES[label(rows[header][j])])
    if not years:
        refuse(where.at(row=header), "no years above the Estimate/StdErr/Rank columns")
    out, problems = [], []
    for i in range(header + 1, len(rows)):
        row = rows[i]
        code = text(row[cols["code"]])
        if not code:
            continue
        for j, (y, indicator) in years.items():
            try:
                value = number(row[j] if j < len(row) else None, where.at(i + 1, j + 1, f"{text(rows[header][j])} {y}"))
            except DataValidationError as err:
                problems += err.problems
                continue
            if value is not None:
                out.append((code, y, indicator, value))
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame(out, columns=["iso3", "year", "indicator", "value"])
