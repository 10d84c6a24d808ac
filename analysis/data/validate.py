"""`check_folder(dir)`: every problem in a data folder, one line each, never a traceback.

Used by `paradox check`, by every render, by `paradox describe` (which refuses a broken
folder) and by the import step (which validates before it writes). One validation defines
valid data: what passes here, the loader reads and the book renders. Three layers:

1. structure (ours): the descriptor and each CSV exists and is a file, not a link; each
   schema the folder carries is the project's own (analysis/data/schemas.py); a CSV is
   UTF-8, comma-separated, with exactly the schema's columns in order and at least one row;
2. cells and rows: types, constraints, cell counts, primary keys (frictionless, with the
   dialect fixed in csvfile.py), and what frictionless lets through but the loader or the
   renderer cannot take (cells.py): non-ASCII digits, `1_000`, infinities, control
   characters and non-characters in text. Messages are of the form
   `homicide.csv: row 14: rate_per_100k: expected a number >= 0, got "-3"`;
3. across tables and the descriptor (ours): source_id -> sources, iso3 -> countries, every
   homicide rate has a population, one headline coca value per country-year, and each
   file's checksum/size/row count against datapackage.json.

Cells are always checked against the project's schemas, never the folder's copies. Row numbers
are editor line numbers (header = line 1). At most LIMIT problems are listed per file, and
the output says so when that happens. Nothing is ever written.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

from analysis.data.cells import NUMBER_HINT, forbidden_character, is_plain_number, shown
from analysis.data.csvfile import BOM, frictionless_control, records
from analysis.data.descriptor import SYMLINK, check_descriptor, read_descriptor, read_json
from analysis.data.paths import DESCRIPTOR, SCHEMA_DIR, TABLES, csv_path, schema_path
from analysis.data.problems import Problem
from analysis.data.schemas import schema_differences, table_schemas

TYPE_WORDS = {"integer": "an integer", "number": "a number", "boolean": "true or false", "string": "text"}
LIMIT = 10_000  # problems listed per file; a file past it gets one line saying so

Rows = list[tuple[int, dict]]  # (editor line, {column: cell}) per data row


def check_folder(path: Path | str) -> list[Problem]:
    """Every problem in the data folder at `path` (empty list = valid). Never writes."""
    folder = Path(path)
    if not folder.is_dir():
        return [Problem(str(folder), message="data folder not found")]
    problems: list[Problem] = []
    descriptor = read_descriptor(folder, problems)
    schemas = table_schemas()
    rows: dict[str, Rows] = {}
    for name in TABLES:
        try:
            check_schema_file(folder, name, problems)
            table = check_table(folder, name, schemas[name], problems)
            if table is not None:
                rows[name] = table
        except Exception as err:  # a bug here must still come out as one line, not a traceback
            problems.append(Problem(f"{name}.csv", message=f"could not be checked ({err.__class__.__name__}: {err})"))
    try:
        problems += check_references(rows, schemas)
        problems += check_coverage(rows)
        problems += check_headline(rows)
        if descriptor is not None:
            problems += check_descriptor(folder, descriptor)
    except Exception as err:
        problems.append(Problem(DESCRIPTOR, message=f"could not be cross-checked ({err.__class__.__name__}: {err})"))
    return capped(problems)


def capped(problems: list[Problem]) -> list[Problem]:
    """The first LIMIT problems of each file, then one line per file that had more."""
    kept, count = [], {}
    for problem in problems:
        count[problem.file] = count.get(problem.file, 0) + 1
        if count[problem.file] <= LIMIT:
            kept.append(problem)
    return kept + [Problem(file, message=f"more than {LIMIT:,} problems; only the first {LIMIT:,} are listed "
                                         "(fix them and check again to see the rest)")
                   for file, n in count.items() if n > LIMIT]


# ---------------------------------------------------------------- structure

def check_schema_file(folder: Path, name: str, problems: list[Problem]) -> None:
    """schemas/<name>.json exists, is JSON, and is the project's schema for the table."""
    file = f"{SCHEMA_DIR}/{name}.json"
    schema = read_json(schema_path(folder, name), file, problems, "the project's table schema")
    if schema is not None:
        problems += [Problem(file, message=d) for d in schema_differences(name, schema)]


def read_table(folder: Path, name: str, schema: dict, problems: list[Problem]) -> tuple[str, list] | None:
    """The CSV's text and records if it is structurally sound (a file, non-empty, UTF-8, CSV,
    the schema's header)."""
    file = f"{name}.csv"
    path = csv_path(folder, name)
    expected = [f["name"] for f in schema["fields"]]
    if path.is_symlink():  # never read: a message could quote the first line of its target
        problems.append(Problem(file, message=SYMLINK))
        return None
    if not path.is_file():
        problems.append(Problem(file, message="file is missing"))
        return None
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(file, message=f"file is empty (expected a header row: {','.join(expected)})"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        problems.append(Problem(file, row=line, message=f"not valid UTF-8 (byte 0x{data[err.start]:02x} at character {column}); save the file as UTF-8"))
        return None
    header_problems = check_header(file, text, expected)
    problems += header_problems
    if header_problems:
        return None
    try:
        table = records(text)
    except Exception as err:  # csv.Error: a cell longer than the csv module's field limit
        problems.append(Problem(file, message=f"cannot be read as CSV ({err})"))
        return None
    return text, table


def check_header(file: str, text: str, expected: list[str]) -> list[Problem]:
    """The header row: comma-separated, exactly the schema's columns, in order."""
    first_line = text.removeprefix(BOM).split("\n", 1)[0].rstrip("\r")
    header = records(first_line)[0][1] if first_line else []
    if len(header) == 1 and len(expected) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if sep in first_line:
                return [Problem(file, row=1, message=f"not comma-separated: the header is separated by {label}; save it as CSV with commas")]
    problems = [Problem(file, row=1, message=f"missing column {col!r}") for col in expected if col not in header]
    problems += [Problem(file, row=1, message=f"unknown column {shown(col)!r} (expected only: {', '.join(expected)})") for col in header if col not in expected]
    duplicated = sorted({col for col in header if header.count(col) > 1})
    problems += [Problem(file, row=1, message=f"column {shown(col)!r} appears more than once") for col in duplicated]
    if not problems and header != expected:
        problems.append(Problem(file, row=1, message=f"columns are out of order; expected {', '.join(expected)}"))
    return problems


# ---------------------------------------------------------------- cells and rows

def expectation(field: dict) -> str:
    """What a valid cell of `field` looks like: 'a number >= 0', 'an integer between 1990 and 2030'."""
    constraints = field.get("constraints", {})
    words = TYPE_WORDS.get(field.get("type", "string"), field.get("type", "a value"))
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        words += f" between {low} and {high}"
    elif low is not None:
        words += f" >= {low}"
    elif high is not None:
        words += f" <= {high}"
    if "pattern" in constraints:
        words += f" matching {constraints['pattern']}"
    if "enum" in constraints:
        words = "one of " + ", ".join(map(str, constraints["enum"]))
    return words


_CELL_CACHE: dict[tuple[str, str], list[Problem]] = {}


def check_table(folder: Path, name: str, schema: dict, problems: list[Problem]) -> Rows | None:
    """A structurally sound table with at least one row and no bad cell: its rows; else None
    (with problems).

    Cell results are memoised on (table, file sha256): they depend only on those (the schema
    is the project's), and re-checking a folder where one table changed costs one
    frictionless run."""
    table = read_table(folder, name, schema, problems)
    if table is None:
        return None
    text, found_records = table
    if len(found_records) < 2:
        problems.append(Problem(f"{name}.csv", message="has a header but no rows; the book needs at least one row of every table"))
        return None
    key = (name, hashlib.sha256(text.encode("utf-8")).hexdigest())
    if key not in _CELL_CACHE:
        _CELL_CACHE[key] = cell_problems(folder, name, schema, found_records)
    found = _CELL_CACHE[key]
    problems += found
    header = found_records[0][1]
    return None if found else [(line, dict(zip(header, cells))) for line, cells in found_records[1:]]


def cell_problems(folder: Path, name: str, schema: dict, found_records: list) -> list[Problem]:
    """frictionless's problems, then ours on cells it did not already flag."""
    found = frictionless_problems(folder, name, schema, found_records)
    flagged = {(p.row, p.field) for p in found}
    return found + [p for p in own_cell_problems(name, schema, found_records) if (p.row, p.field) not in flagged]


def own_cell_problems(name: str, schema: dict, found_records: list) -> list[Problem]:
    """What frictionless accepts but the loader or the renderer cannot take (see cells.py)."""
    file = f"{name}.csv"
    fields = schema["fields"]
    problems = []
    for line, cells in found_records[1:]:
        for field, cell in zip(fields, cells):
            kind = field.get("type", "string")
            if kind == "string":
                why = forbidden_character(cell)
                if why:
                    problems.append(Problem(file, line, field["name"], "expected text without control characters "
                                                                       f'or non-characters, got "{shown(cell)}" ({why})'))
            elif kind in ("integer", "number") and cell != "":
                plain = is_plain_number(cell, kind)
                if not plain or not math.isfinite(float(cell)):
                    hint = f" ({NUMBER_HINT})" if not plain and any(c.isdigit() for c in cell) else ""
                    problems.append(Problem(file, line, field["name"], f'expected {expectation(field)}, got "{shown(cell)}"{hint}'))
    return problems


def frictionless_problems(folder: Path, name: str, schema: dict, found_records: list) -> list[Problem]:
    """Run frictionless on one structurally sound table; its errors as our problems, at the
    editor line of each row."""
    from frictionless import Checklist, Resource, Schema

    file = f"{name}.csv"
    fields = {f["name"]: f for f in schema["fields"]}
    local = {k: v for k, v in schema.items() if k != "foreignKeys"}  # checked across tables below
    resource = Resource(path=file, basepath=str(folder), schema=Schema.from_descriptor(local), format="csv",
                        encoding="utf-8", control=frictionless_control())
    report = resource.validate(checklist=Checklist(skip_errors=["hash-count", "byte-count"]), limit_errors=LIMIT + 1)
    errors = [error for task in report.tasks for error in task.errors]

    def line(row: int | None) -> int | None:
        """frictionless counts rows (header = 1); an editor counts lines."""
        return found_records[row - 1][0] if row is not None and 0 < row <= len(found_records) else row

    found = [to_problem(file, line(getattr(error, "row_number", None)), error, fields, schema)
             for error in errors if not is_echo(error, errors)]
    found += [Problem(file, message=to_text(e)) for e in report.errors]
    return found


def to_problem(file: str, row: int | None, error, fields: dict, schema: dict) -> Problem:
    """One frictionless error rewritten as our one-line problem."""
    kind = error.type
    field = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    if kind in ("type-error", "constraint-error") and field in fields:
        if cell in (None, "") and fields[field].get("constraints", {}).get("required"):
            return Problem(file, row, field, "a value is required, got an empty cell")
        return Problem(file, row, field, f'expected {expectation(fields[field])}, got "{shown(cell)}"')
    if kind == "missing-cell":
        return Problem(file, row, field, "cell is missing (the row has fewer cells than the header)")
    if kind == "extra-cell":
        return Problem(file, row, None, f'has more cells than the header (extra value "{shown(cell)}")')
    if kind == "blank-row":
        return Problem(file, row, None, "row is blank")
    if kind in ("primary-key", "unique-error"):
        key = schema.get("primaryKey", [])
        values = dict(zip([f["name"] for f in schema["fields"]], getattr(error, "cells", []) or []))
        key_text = ", ".join(f"{k}={shown(values.get(k, '?'))}" for k in key)
        return Problem(file, row, None, f"duplicate key ({key_text}); {to_text(error)}")
    return Problem(file, row, field, to_text(error))


def is_echo(error, errors) -> bool:
    """True for frictionless errors that only repeat another one on the same row: a type or
    constraint error on a cell that is missing, or a duplicate key of a blank row."""
    row = getattr(error, "row_number", None)
    same_row = {e.type for e in errors if getattr(e, "row_number", None) == row}
    if error.type in ("type-error", "constraint-error"):
        field = getattr(error, "field_name", None)
        return any(e.type == "missing-cell" and getattr(e, "row_number", None) == row
                   and getattr(e, "field_name", None) == field for e in errors)
    if error.type in ("primary-key", "unique-error"):
        return "blank-row" in same_row
    return False


def to_text(error) -> str:
    """A frictionless error's note (or title) as plain text."""
    return (getattr(error, "note", "") or getattr(error, "title", "") or str(error)).strip()


# ---------------------------------------------------------------- across tables

def check_references(rows: dict[str, Rows], schemas: dict) -> list[Problem]:
    """Foreign keys declared in each schema (source_id -> sources, iso3 -> countries)."""
    problems = []
    for name, table in rows.items():
        for fk in schemas[name].get("foreignKeys", []):
            local, target = _one(fk["fields"]), fk["reference"]["resource"]
            remote = _one(fk["reference"]["fields"])
            if rows.get(target) is None:
                continue  # the referenced table has its own problem line already
            known = {r[remote] for _, r in rows[target]}
            for line, record in table:
                if record[local] not in known:
                    problems.append(Problem(f"{name}.csv", line, local, f'"{shown(record[local])}" is not a {remote} in {target}.csv'))
    return problems


def _one(fields) -> str:
    """A foreign key's single field name (the contract uses single-field keys only)."""
    return fields[0] if isinstance(fields, list) else fields


def check_coverage(rows: dict[str, Rows]) -> list[Problem]:
    """Every homicide rate has a population for its country-year (rates become counts)."""
    homicide, population = rows.get("homicide"), rows.get("population")
    if homicide is None or population is None:
        return []
    have = {(r["iso3"], r["year"]) for _, r in population}
    return [
        Problem("homicide.csv", line, "rate_per_100k", f"no population for {r['iso3']} {r['year']} in population.csv")
        for line, r in homicide
        if r["rate_per_100k"] != "" and (r["iso3"], r["year"]) not in have
    ]


def check_headline(rows: dict[str, Rows]) -> list[Problem]:
    """At most one headline coca value per country-year (the one the report uses)."""
    coca = rows.get("coca_cultivation")
    if coca is None:
        return []
    seen: dict[tuple, int] = {}
    problems = []
    for line, r in coca:
        if r["headline"] in ("true", "True", "TRUE", "1"):
            key = (r["iso3"], r["year"])
            if key in seen:
                problems.append(Problem("coca_cultivation.csv", line, "headline", f"second headline value for {key[0]} {key[1]} (first on row {seen[key]})"))
            seen.setdefault(key, line)
    return problems
