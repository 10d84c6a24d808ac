"""The one CSV dialect of the data contract, and the rows of a CSV with their editor line numbers.

Every curated table is UTF-8, comma-separated, with double quotes around cells that hold a
comma, a quote or a line break (a quote inside such a cell is doubled). The dialect is fixed,
never guessed: frictionless's sniffing read a valid file whose quoted notes held semicolons
as `;`-separated (issue 15). `paradox check`, frictionless and the loader all read a table
through this module, so they see the same cells.

Row numbers in messages are the line numbers an editor shows (header = line 1). A quoted cell
may span several lines, so the n-th row of a file is not always on line n.
"""

from __future__ import annotations

import csv
import io

# Python's csv module parameters; pandas and frictionless are given the same.
DIALECT = {"delimiter": ",", "quotechar": '"', "doublequote": True, "escapechar": None,
           "skipinitialspace": False, "strict": False}
BOM = "\ufeff"


def frictionless_control():
    """The dialect as a frictionless CsvControl with every field set, so nothing is sniffed."""
    from frictionless.formats import CsvControl

    return CsvControl(delimiter=",", quote_char='"', double_quote=True, skip_initial_space=False,
                      line_terminator="\r\n")


def records(text: str) -> list[tuple[int, list[str]]]:
    """Every row of the CSV `text` (header included) as (editor line where it starts, cells).

    A blank line is a row with no cells, as frictionless counts it, so the k-th record here is
    frictionless's row_number k.
    """
    reader = csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), **DIALECT)
    out, line = [], 1
    for cells in reader:
        out.append((line, cells))
        line = reader.line_num + 1
    return out
