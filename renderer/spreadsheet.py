"""Cells of CSV files written for spreadsheet users, made safe from formula injection.

Why: a reader opens a figure card's CSV or the claims ledger in Excel, LibreOffice or Google
Sheets, and those evaluate a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return
as a formula - so a country named `=HYPERLINK("http://...";"Colombia")` in the data would
become a live link (or worse) in a briefing. OWASP's rule (CSV Injection): such a cell is
prefixed with a single quote, which makes the spreadsheet read it as text.

Two choices, both OWASP-compatible:
- A cell that is a plain number (`-1.7`, `+3`, `-2e-05`) is left as it is: a spreadsheet
  reads it as that number, not as a formula, and a negative value in a numeric column must
  stay a number there. Anything else that starts with a trigger is neutralised.
- The prefix is reversible: a cell whose quotes are followed by a trigger (`'=x`, `''-y`)
  gets one more quote, so `restore` gives back every original text exactly (tests re-plot a
  card's chart from its CSV). JSON files keep the raw values; only CSV cells are changed.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Iterable

__all__ = ["TRIGGERS", "neutralise", "restore", "is_plain_number", "csv_text", "CSV_NOTE"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

# What the card metadata and the ledger documentation say about it, in one wording.
CSV_NOTE = ("text cells starting with = + - @, a tab or a carriage return are prefixed with ' "
            "so that spreadsheets show them as text instead of running them as formulas "
            "(OWASP, CSV injection); plain numbers such as -1.7 are left as numbers; the JSON "
            "files keep the raw values")


def is_plain_number(cell: str) -> bool:
    """True for a decimal number a spreadsheet reads as a number (sign, digits, point, exponent)."""
    return _PLAIN_NUMBER.fullmatch(cell) is not None


def neutralise(cell: str) -> str:
    """The cell as written to a CSV for spreadsheets: `'` + cell if it could run as a formula."""
    if cell.lstrip("'").startswith(TRIGGERS) and not is_plain_number(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The original text of a neutralised cell (the inverse of `neutralise`)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(TRIGGERS):
        return cell[1:]
    return cell


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    """Rows of text cells as CSV for spreadsheets: every cell neutralised, RFC 4180 layout.

    Lines end in CRLF (RFC 4180) because then Python's writer also quotes a cell holding a
    lone carriage return; with '\n' endings such a cell would split its row in two.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
