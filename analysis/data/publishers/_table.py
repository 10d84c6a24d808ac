"""A header-labelled block of a sheet as text columns, for importers that reuse the import step's rules."""

from __future__ import annotations

import pandas as pd

from analysis.data.problems import DataValidationError
from analysis.data.publishers._cells import Where, find_header, number, text


def labelled_columns(rows: list[tuple], required: dict[str, str], where: Where, numeric: set[str] = frozenset(),
                     until=None) -> tuple[pd.DataFrame, int]:
    """The rows below the header as a frame of text cells, one column per key of `required`,
    plus `row` (the sheet row number).

    Keys in `numeric` are parsed by `_cells.number` (missing marks -> "", "1,234" -> "1234") and
    written back as text, so the import step's `to_number` reads them; a cell that is neither a
    number nor a missing mark is refused naming its row and column. Rows where every required
    cell is empty are skipped; `until(row)` true ends the table (a closing note row).
    """
    header, cols = find_header(rows, required, where)
    labels = {k: text(rows[header][j]) for k, j in cols.items()}
    out, problems = [], []
    for i in range(header + 1, len(rows)):
        row = rows[i]
        cells = {k: (row[j] if j < len(row) else None) for k, j in cols.items()}
        if until is not None and until(row):
            break
        if all(text(cells[k]) == "" for k in required):
            continue
        record = {"row": i + 1}
        for key, value in cells.items():
            if key in numeric:
                try:
                    parsed = number(value, where.at(i + 1, cols[key] + 1, labels[key]))
                except DataValidationError as err:
                    problems += err.problems
                    parsed = None
                record[key] = "" if parsed is None else repr(parsed)
            else:
                record[key] = text(value)
        out.append(record)
    if problems:
        raise DataValidationError(problems)
    return pd.DataFrame(out, columns=["row", *cols]), header

