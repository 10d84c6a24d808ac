"""Transparency International, Corruption Perceptions Index "Global results & trends" workbook.

Layout (CPI 2022): sheet `CPI Timeseries 2012 - 2022`, title in row 1, header in row 3:
`Country / Territory, ISO3, Region`, then per year `CPI score YYYY` (spelled `CPI Score` for
2013 and 2012), rank, sources, standard error; not covered = blank. The sheet is the one whose
header holds score columns for several years (found by content, so a renamed sheet still
reads); score columns are found by the label `CPI score YYYY` in any case. Scores are on TI's
0-100 scale (2012 on), curated as `cpi_0_100`. The edition is the year in the title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Book, Where, find_header, label, number, pick_sheet, refuse, text
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap

NAME = r"(?i)^CPI\d{4}.*\.xlsx$"
SERIES = "ti_cpi"
SCORE = re.compile(r"cpi score (\d{4})")
TITLE = re.compile(r"Corruption Perceptions Index (\d{4})", re.I)


def _score_columns(row: tuple) -> dict[int, int]:
    """{0-based column: year} of the `CPI score YYYY` cells of a header row."""
    return {j: int(m.group(1)) for j, c in enumerate(row) if (m := SCORE.fullmatch(label(c)))}


def read(path: Path, names: NameMap) -> list[Edition]:
    """CPI scores per country and year (0-100)."""
    where = Where(Path(path).name)
    with Book(path) as book:
        def timeseries(sheet):
            return any(len(_score_columns(r)) > 1 for r in book.rows(sheet)[:10])
        sheet = pick_sheet(book.names, [n for n in book.names if "timeseries" in label(n)][:1], where, timeseries)
        rows = book.rows(sheet)
    where = Where(where.file, sheet)
    title = next((text(c) for r in rows[:3] for c in r if TITLE.search(text(c))), None)
    if title is None:
        refuse(where.at(row=1), "no title 'Corruption Perceptions Index YYYY' in the first 3 rows")
    header, cols = find_header(rows, {"iso3": r"iso3", "country": r"country( ?/ ?territory)?"}, where)
    scores = _score_columns(rows[header])
    if not scores:
        refuse(where.at(row=header + 1, label="CPI score YYYY"), "no 'CPI score YYYY' columns in the header row")
    out, problems = [], []
    for i in range(header + 1, len(rows)):
        row = rows[i]
        iso3 = text(row[cols["iso3"]]) if cols["iso3"] < len(row) else ""
        if not iso3:
            continue
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            problems.append(where.at(i + 1, cols["iso3"] + 1, "ISO3").problem(f"not an ISO3 code: {iso3!r}"))
            continue
        for j, y in scores.items():
            try:
                value = number(row[j] if j < len(row) else None, where.at(i + 1, j + 1, text(rows[header][j])))
            except DataValidationError as err:
                problems += err.problems
                continue
            if value is not None:
                if not 0 <= value <= 100:
                    problems.append(where.at(i + 1, j + 1, text(rows[header][j])).problem(f"score {value} is outside 0-100"))
                out.append((iso3, y, value))
    if problems:
        raise DataValidationError(problems)
    table = pd.DataFrame(out, columns=["iso3", "year", "value"])
    return [Edition(SERIES, int(TITLE.search(title).group(1)), table, Path(path), title)]
