"""`check_folder(dir)`: every problem in a data folder, one line each, never a traceback.

Used by `paradox check`, by every render, by `paradox describe` (which refuses a broken
folder) and by the import step (which validates before it writes). Three layers:

1. structure (ours): the descriptor, each schema and CSV exists; a CSV is non-empty,
   UTF-8, comma-separated, with exactly the schema's columns in order;
2. cells and rows (frictionless): types, constraints, cell counts, primary keys - run only
   on structurally sound files, with messages rewritten into the form
   `homicide.csv: row 14: rate_per_100k: expected a number >= 0, got "-3"`;
3. across tables and the descriptor (ours): finite numbers, source_id -> sources,
   iso3 -> countries, every homicide rate has a population, one headline coca value per
   country-year, and each file's checksum/size/row count against datapackage.json.

Row numbers are file line numbers (header = line 1). Nothing is ever written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from pathlib import Path

from analysis.data.paths import DESCRIPTOR, SCHEMA_DIR, TABLES, csv_path, descriptor_path, schema_path
from analysis.data.problems import Problem

TYPE_WORDS = {"integer": "an integer", "number": "a number", "boolean": "true or false", "string": "text"}
DESCRIBE_HINT = "if the edit is deliberate, run `paradox describe {dir}` to record it, then `paradox check {dir}`"


def check_folder(path: Path | str) -> list[Problem]:
    """Every problem in the data folder at `path` (empty list = valid). Never writes."""
    folder = Path(path)
    if not folder.is_dir():
        return [Problem(str(folder), message="data folder not found")]
    problems: list[Problem] = []
    descriptor = read_descriptor(folder, problems)
    rows: dict[str, list[dict] | None] = {}
    schemas: dict[str, dict] = {}
    for name in TABLES:
        try:
            schema = read_schema(folder, name, problems)
            if schema is None:
                continue
            schemas[name] = schema
            text = read_table_text(folder, name, schema, problems)
            if text is not None and check_cells(folder, name, schema, problems):
                rows[name] = parse_rows(text)
        except Exception as err:  # a bug here must still come out as one line, not a traceback
            problems.append(Problem(f"{name}.csv", message=f"could not be checked ({err.__class__.__name__}: {err})"))
    try:
        problems += check_finite(rows, schemas)
        problems += check_references(rows, schemas)
        problems += check_coverage(rows)
        problems += check_headline(rows)
        if descriptor is not None:
            problems += check_descriptor(folder, descriptor)
    except Exception as err:
        problems.append(Problem(DESCRIPTOR, message=f"could not be cross-checked ({err.__class__.__name__}: {err})"))
    return problems


# ---------------------------------------------------------------- structure

def read_descriptor(folder: Path, problems: list[Problem]) -> dict | None:
    """datapackage.json as a dict, or None (with a problem) if missing or not JSON."""
    path = descriptor_path(folder)
    if not path.is_file():
        problems.append(Problem(DESCRIPTOR, message="file is missing"))
        return None
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        problems.append(Problem(DESCRIPTOR, message=f"is not valid JSON ({err}); delete it and run `paradox describe {folder}` to rebuild it"))
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        problems.append(Problem(DESCRIPTOR, message="has no list of resources"))
        return None
    return descriptor


def read_schema(folder: Path, name: str, problems: list[Problem]) -> dict | None:
    """schemas/<name>.json as a dict with a list of named fields, or None (with a problem)."""
    file = f"{SCHEMA_DIR}/{name}.json"
    path = schema_path(folder, name)
    if not path.is_file():
        problems.append(Problem(file, message="file is missing"))
        return None
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(schema, dict) and all(isinstance(f, dict) and "name" in f for f in schema["fields"])
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AssertionError) as err:
        problems.append(Problem(file, message=f"is not a valid table schema ({err.__class__.__name__})"))
        return None
    errors = schema_errors(schema)
    problems += [Problem(file, message=f"is not a valid table schema: {e}") for e in errors]
    return None if errors else schema


def schema_errors(schema: dict) -> list[str]:
    """What frictionless finds wrong with a Table Schema (unknown type, bad constraint ...)."""
    from frictionless import FrictionlessException, Schema

    local = {k: v for k, v in schema.items() if k != "foreignKeys"}
    try:
        Schema.from_descriptor(local)
    except FrictionlessException as err:
        reasons = getattr(err, "reasons", None) or [err.error]
        return [to_text(r) for r in reasons]
    return []


def read_table_text(folder: Path, name: str, schema: dict, problems: list[Problem]) -> str | None:
    """The CSV's text if it is structurally sound (exists, non-empty, UTF-8, right header)."""
    file = f"{name}.csv"
    path = csv_path(folder, name)
    expected = [f["name"] for f in schema["fields"]]
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
    return None if header_problems else text


def check_header(file: str, text: str, expected: list[str]) -> list[Problem]:
    """The header row: comma-separated, exactly the schema's columns, in order."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([first_line]), [])
    if len(header) == 1 and len(expected) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if sep in first_line:
                return [Problem(file, row=1, message=f"not comma-separated: the header is separated by {label}; save it as CSV with commas")]
    problems = [Problem(file, row=1, message=f"missing column {col!r}") for col in expected if col not in header]
    problems += [Problem(file, row=1, message=f"unknown column {col!r} (expected only: {', '.join(expected)})") for col in header if col not in expected]
    duplicated = sorted({col for col in header if header.count(col) > 1})
    problems += [Problem(file, row=1, message=f"column {col!r} appears more than once") for col in duplicated]
    if not problems and header != expected:
        problems.append(Problem(file, row=1, message=f"columns are out of order; expected {', '.join(expected)}"))
    return problems


# ---------------------------------------------------------------- cells and rows (frictionless)

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


_CELL_CACHE: dict[tuple[str, str, str], list[Problem]] = {}


def check_cells(folder: Path, name: str, schema: dict, problems: list[Problem]) -> bool:
    """Types, constraints, cell counts and primary key via frictionless; True if no problem.

    Results are memoised on (table, schema, file sha256): the outcome depends only on those,
    and re-checking a folder where one table changed then costs one frictionless run."""
    key = (name, json.dumps(schema, sort_keys=True), hashlib.sha256(csv_path(folder, name).read_bytes()).hexdigest())
    if key not in _CELL_CACHE:
        _CELL_CACHE[key] = frictionless_problems(folder, name, schema)
    found = _CELL_CACHE[key]
    problems += found
    return not found


def frictionless_problems(folder: Path, name: str, schema: dict) -> list[Problem]:
    """Run frictionless on one structurally sound table; its errors as our problems."""
    from frictionless import Checklist, Resource, Schema

    file = f"{name}.csv"
    fields = {f["name"]: f for f in schema["fields"]}
    local = {k: v for k, v in schema.items() if k != "foreignKeys"}  # checked across tables below
    resource = Resource(path=file, basepath=str(folder), schema=Schema.from_descriptor(local), format="csv", encoding="utf-8")
    report = resource.validate(checklist=Checklist(skip_errors=["hash-count", "byte-count"]), limit_errors=10_000)
    errors = [error for task in report.tasks for error in task.errors]
    found = [to_problem(file, error, fields, schema) for error in errors if not is_echo(error, errors)]
    found += [Problem(file, message=to_text(e)) for e in report.errors]
    return found


def to_problem(file: str, error, fields: dict, schema: dict) -> Problem:
    """One frictionless error rewritten as our one-line problem."""
    kind = error.type
    row = getattr(error, "row_number", None)
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
        key_text = ", ".join(f"{k}={values.get(k, '?')}" for k in key)
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


def shown(cell) -> str:
    """A cell as quoted in a message: line breaks escaped, long values cut at 60 characters."""
    text = str(cell).replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= 60 else text[:57] + "..."


def to_text(error) -> str:
    """A frictionless error's note (or title) as plain text."""
    return (getattr(error, "note", "") or getattr(error, "title", "") or str(error)).strip()


def parse_rows(text: str) -> list[dict]:
    """The rows of a sound CSV as dicts of strings (row i of the list = file line i + 2)."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# ---------------------------------------------------------------- across tables

def check_finite(rows: dict, schemas: dict) -> list[Problem]:
    """Numbers are finite: frictionless accepts "NaN", "inf" and "1e999" as numbers."""
    problems = []
    for name, table in rows.items():
        for field in schemas[name]["fields"]:
            if field.get("type") not in ("number", "integer"):
                continue
            for i, record in enumerate(table, start=2):
                cell = record[field["name"]]
                if cell and not math.isfinite(float(cell)):
                    problems.append(Problem(f"{name}.csv", i, field["name"], f'expected {expectation(field)}, got "{shown(cell)}"'))
    return problems


def check_references(rows: dict, schemas: dict) -> list[Problem]:
    """Foreign keys declared in each schema (source_id -> sources, iso3 -> countries)."""
    problems = []
    for name, table in rows.items():
        for fk in schemas[name].get("foreignKeys", []):
            local, target = _one(fk["fields"]), fk["reference"]["resource"]
            remote = _one(fk["reference"]["fields"])
            if rows.get(target) is None:
                continue  # the referenced table has its own problem line already
            known = {r[remote] for r in rows[target]}
            for i, record in enumerate(table, start=2):
                if record[local] not in known:
                    problems.append(Problem(f"{name}.csv", i, local, f'"{record[local]}" is not a {remote} in {target}.csv'))
    return problems


def _one(fields) -> str:
    """A foreign key's single field name (the contract uses single-field keys only)."""
    return fields[0] if isinstance(fields, list) else fields


def check_coverage(rows: dict) -> list[Problem]:
    """Every homicide rate has a population for its country-year (rates become counts)."""
    homicide, population = rows.get("homicide"), rows.get("population")
    if homicide is None or population is None:
        return []
    have = {(r["iso3"], r["year"]) for r in population}
    return [
        Problem("homicide.csv", i, "rate_per_100k", f"no population for {r['iso3']} {r['year']} in population.csv")
        for i, r in enumerate(homicide, start=2)
        if r["rate_per_100k"] != "" and (r["iso3"], r["year"]) not in have
    ]


def check_headline(rows: dict) -> list[Problem]:
    """At most one headline coca value per country-year (the one the report uses)."""
    coca = rows.get("coca_cultivation")
    if coca is None:
        return []
    seen: dict[tuple, int] = {}
    problems = []
    for i, r in enumerate(coca, start=2):
        if r["headline"] in ("true", "True", "TRUE", "1"):
            key = (r["iso3"], r["year"])
            if key in seen:
                problems.append(Problem("coca_cultivation.csv", i, "headline", f"second headline value for {key[0]} {key[1]} (first on row {seen[key]})"))
            seen.setdefault(key, i)
    return problems


def check_descriptor(folder: Path, descriptor: dict) -> list[Problem]:
    """Each table is a resource with the right path and schema, and its recorded checksum,
    size and row count match the file (else: edited without `paradox describe`)."""
    from analysis.data.describe import file_stats

    problems = []
    resources = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    for name in sorted(set(resources) - set(TABLES)):
        problems.append(Problem(DESCRIPTOR, message=f"unknown resource {name!r}"))
    for name in TABLES:
        resource = resources.get(name)
        if resource is None:
            problems.append(Problem(DESCRIPTOR, message=f"no resource for {name}.csv"))
            continue
        if resource.get("path") != f"{name}.csv" or resource.get("schema") != f"{SCHEMA_DIR}/{name}.json":
            problems.append(Problem(DESCRIPTOR, message=f"resource {name!r} must have path {name}.csv and schema {SCHEMA_DIR}/{name}.json"))
            continue
        path = csv_path(folder, name)
        if not path.is_file():
            continue  # reported as a missing file already
        actual = file_stats(path)
        if resource.get("hash") != actual["hash"]:
            hint = DESCRIBE_HINT.format(dir=folder)
            problems.append(Problem(f"{name}.csv", message=f"checksum does not match datapackage.json (the file was edited); {hint}"))
        elif resource.get("bytes") != actual["bytes"] or resource.get("rows") != actual["rows"]:
            problems.append(Problem(f"{name}.csv", message=f"size does not match datapackage.json; run `paradox describe {folder}`"))
    return problems
