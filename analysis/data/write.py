"""Writing curated tables deterministically: same input -> byte-identical files.

CSV: UTF-8, comma, LF line ends, header row; integers without decimals, numbers in the
shortest form that round-trips (60400 not 60400.0), booleans `true`/`false`, missing = empty.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from analysis.data.paths import csv_path, schema_path


def format_cell(value, kind: str) -> str:
    """One cell as text, by schema type."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return str(value)


def table_text(frame: pd.DataFrame, schema: dict) -> str:
    """The CSV text of a table, columns in schema order."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ValueError(f"table lacks columns {missing}")
    columns = [[format_cell(v, f.get("type", "string")) for v in frame[f["name"]].tolist()] for f in fields]
    out = pd.DataFrame(dict(zip(names, columns)), columns=names)
    return out.to_csv(index=False, lineterminator="\n")


def write_table(frame: pd.DataFrame, folder: Path, name: str, schema: dict) -> None:
    """Write `<folder>/<name>.csv` and `<folder>/schemas/<name>.json`."""
    csv_path(folder, name).write_text(table_text(frame, schema), encoding="utf-8", newline="")
    write_json(schema_path(folder, name), schema)


def write_json(path: Path, obj) -> None:
    """JSON in a stable layout (keys in insertion order, 2-space indent, UTF-8, trailing newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="")
