"""`load(name)`: one curated table as a typed DataFrame.

Reads ONLY `<dir>/<name>.csv` and `<dir>/schemas/<name>.json` - never datapackage.json, which
changes whenever any table changes; the renderer's cache records the files a chapter read, so
a chapter is re-executed only when a table it uses changes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from analysis.data.csvfile import records
from analysis.data.paths import csv_path, data_dir as default_data_dir, schema_path
from analysis.data.problems import DataValidationError, Problem

_CACHE: dict[tuple, pd.DataFrame] = {}

TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")


def read_schema(folder: Path, name: str) -> dict:
    """The Table Schema of one table, as a dict."""
    return json.loads(schema_path(folder, name).read_text(encoding="utf-8"))


def _convert(column: pd.Series, field: dict) -> pd.Series:
    """Convert one column of strings to the dtype its schema field declares.

    integer -> int64 (Int64 when the field may be empty), number -> float64,
    boolean -> bool, string -> str. Empty cells are missing values.
    """
    kind = field.get("type", "string")
    required = field.get("constraints", {}).get("required", False)
    empty = column.eq("")
    if kind == "integer":
        values = pd.to_numeric(column.mask(empty), errors="raise").astype("Int64")
        return values.astype("int64") if required and not values.isna().any() else values
    if kind == "number":
        return pd.to_numeric(column.mask(empty), errors="raise").astype("float64")
    if kind == "boolean":
        bad = ~column.isin(TRUE_VALUES + FALSE_VALUES)
        if bad.any():
            raise ValueError(f"not a boolean: {column[bad].iloc[0]!r}")
        return column.isin(TRUE_VALUES).astype(bool)
    return column.mask(empty).astype("str")


def load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read `<data_dir>/<name>.csv` typed by its schema (cached per file; returns a copy).

    Raises DataValidationError (one problem line) if the file is missing or a cell does not
    parse as its declared type; run `paradox check` for the full list of problems.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    path = csv_path(folder, name)
    try:
        stat = path.stat()
        schema_stat = schema_path(folder, name).stat()
    except FileNotFoundError as err:
        raise DataValidationError([Problem(Path(err.filename).name, message="file is missing")]) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, schema_stat.st_mtime_ns, schema_stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = _read(folder, name)
    return _CACHE[key].copy()


def _read(folder: Path, name: str) -> pd.DataFrame:
    """Parse the CSV as strings (the one dialect, csvfile.py: what `paradox check` read),
    check its header against the schema, convert each column."""
    schema = read_schema(folder, name)
    fields = schema["fields"]
    file = f"{name}.csv"
    try:
        rows = records(csv_path(folder, name).read_bytes().decode("utf-8"))  # line ends kept as written
    except (UnicodeDecodeError, csv.Error) as err:
        raise DataValidationError([Problem(file, message=f"cannot be read as UTF-8 CSV ({err.__class__.__name__})")]) from None
    expected = [f["name"] for f in fields]
    header = rows[0][1] if rows else []
    if header != expected:
        raise DataValidationError([Problem(file, message=f"header is {header}, expected {expected}")])
    short = next((line for line, cells in rows[1:] if len(cells) != len(header)), None)
    if short is not None:
        raise DataValidationError([Problem(file, row=short, message=f"expected {len(header)} cells, as in the header")])
    raw = pd.DataFrame([cells for _, cells in rows[1:]], columns=header, dtype=object)
    out = {}
    for field in fields:
        try:
            out[field["name"]] = _convert(raw[field["name"]], field)
        except (ValueError, TypeError, OverflowError) as err:
            raise DataValidationError([Problem(file, field=field["name"], message=f"expected {field['type']} values ({err})")]) from None
    return pd.DataFrame(out)
