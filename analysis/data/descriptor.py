"""Reading the JSON files of a data folder (datapackage.json, schemas/*.json) and checking the descriptor.

Here, not in describe.py, so that validation (which checks the recorded checksums) and
`paradox describe` (which refuses a folder validation rejects) import it one way:
validate -> descriptor <- describe.

Every reader returns a value or a problem line, never an exception: a file that is not
JSON, is nested too deeply (Python's parser raises RecursionError past ~1,000 levels, and the
code that walks the result may fail sooner), is a symbolic link, or holds a character that is
not text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.data.cells import forbidden_character, shown
from analysis.data.paths import DESCRIPTOR, SCHEMA_DIR, TABLES, csv_path, descriptor_path
from analysis.data.problems import Problem

# Deeper than any descriptor or schema the project writes (they need 5 levels).
MAX_DEPTH = 20
SYMLINK = "is a symbolic link; a data folder must hold the file itself (copy the file in its place)"
DESCRIBE_HINT = "if the edit is deliberate, run `paradox describe {dir}` to record it, then `paradox check {dir}`"


def file_stats(path: Path) -> dict:
    """hash (sha256:...), bytes and rows (data lines, header excluded) of a CSV file."""
    data = Path(path).read_bytes()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return {"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data), "rows": max(lines - 1, 0)}


def read_json(path: Path, file: str, problems: list[Problem], what: str):
    """The JSON value in `path`, or None with one problem line (`what` names the kind of file)."""
    if path.is_symlink():
        problems.append(Problem(file, message=SYMLINK))
        return None
    if not path.is_file():
        problems.append(Problem(file, message="file is missing"))
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        problems.append(Problem(file, message=f"is not valid JSON ({err}); expected {what}"))
        return None
    except RecursionError:
        value = None
    if value is None or depth(value) > MAX_DEPTH:
        problems.append(Problem(file, message=f"is nested more than {MAX_DEPTH} levels deep; expected {what}"))
        return None
    problems += [Problem(file, message=f"{where}: expected text without control characters or non-characters, "
                                       f'got "{shown(text)}" ({why})')
                 for where, text, why in bad_strings(value)]
    return value


def depth(value) -> int:
    """How many arrays and objects are nested in `value` (without recursion: no RecursionError)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            stack += [(child, level + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def bad_strings(value, where: str = "") -> list[tuple[str, str, str]]:
    """(JSON path, text, reason) for every key or string in `value` with a forbidden character."""
    found = []
    if isinstance(value, str):
        why = forbidden_character(value)
        return [(where or "value", value, why)] if why else []
    if isinstance(value, dict):
        for key, child in value.items():
            why = forbidden_character(key)
            if why:
                found.append((where or "value", key, why))
            found += bad_strings(child, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += bad_strings(child, f"{where}[{i}]")
    return found


def read_descriptor(folder: Path, problems: list[Problem]) -> dict | None:
    """datapackage.json as a dict, or None (with a problem) if missing, not JSON or malformed."""
    what = "a data package descriptor; delete it and run `paradox describe {}` to rebuild it".format(folder)
    descriptor = read_json(descriptor_path(folder), DESCRIPTOR, problems, what)
    if descriptor is None:
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        problems.append(Problem(DESCRIPTOR, message="has no list of resources"))
        return None
    bad = [Problem(DESCRIPTOR, message=f"resources[{i}] is {shown(json.dumps(r))}; expected an object "
                                       "with the name, path and schema of a table")
           for i, r in enumerate(descriptor["resources"]) if not isinstance(r, dict)]
    problems += bad
    return None if bad else descriptor


def check_descriptor(folder: Path, descriptor: dict) -> list[Problem]:
    """Each table is one resource with the right path and schema, and its recorded checksum,
    size and row count match the file (else: edited without `paradox describe`)."""
    problems = []
    names = [r.get("name") if isinstance(r.get("name"), str) else None for r in descriptor["resources"]]
    problems += [Problem(DESCRIPTOR, message=f"resources[{i}] has no name (expected one of {', '.join(TABLES)})")
                 for i, name in enumerate(names) if name is None]
    for name in sorted({n for n in names if n is not None and names.count(n) > 1}):
        problems.append(Problem(DESCRIPTOR, message=f"resource {shown(name)!r} is listed more than once"))
    for name in sorted({n for n in names if n is not None and n not in TABLES}):
        problems.append(Problem(DESCRIPTOR, message=f"unknown resource {shown(name)!r}"))
    resources = dict(zip(names, descriptor["resources"]))
    for name in TABLES:
        resource = resources.get(name)
        if resource is None:
            problems.append(Problem(DESCRIPTOR, message=f"no resource for {name}.csv"))
            continue
        if resource.get("path") != f"{name}.csv" or resource.get("schema") != f"{SCHEMA_DIR}/{name}.json":
            problems.append(Problem(DESCRIPTOR, message=f"resource {name!r} must have path {name}.csv and schema {SCHEMA_DIR}/{name}.json"))
            continue
        path = csv_path(folder, name)
        if path.is_symlink() or not path.is_file():
            continue  # reported with the file already
        actual = file_stats(path)
        if resource.get("hash") != actual["hash"]:
            hint = DESCRIBE_HINT.format(dir=folder)
            problems.append(Problem(f"{name}.csv", message=f"checksum does not match datapackage.json (the file was edited); {hint}"))
        elif resource.get("bytes") != actual["bytes"] or resource.get("rows") != actual["rows"]:
            problems.append(Problem(f"{name}.csv", message=f"size does not match datapackage.json; run `paradox describe {folder}`"))
    return problems
