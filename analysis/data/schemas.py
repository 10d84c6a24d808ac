"""The field schemas of the curated tables, from hand/schemas.yaml (the one place they are defined).

`paradox import-sources` writes them to `<data>/schemas/<table>.json`. A data folder's own
copies are not trusted: `schema_differences` lists, one line each, where a folder's schema
departs from the project's (issue 15: a removed `minimum` let a negative area into the book,
a dropped primaryKey let duplicates in). Validation always uses the project's schemas.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import yaml

from analysis.data.cells import shown
from analysis.data.paths import HAND, TABLES


def table_schemas() -> dict[str, dict]:
    """Table Schema dict per table (title/description stay in datapackage.json's resource)."""
    return copy.deepcopy(_table_schemas())


@lru_cache(maxsize=1)
def _table_schemas() -> dict[str, dict]:
    """table_schemas() read once per process (hand/schemas.yaml is part of the code)."""
    spec = yaml.safe_load((HAND / "schemas.yaml").read_text(encoding="utf-8"))
    out = {}
    for name in TABLES:
        entry = spec[name]
        check_fields(name, entry["fields"])
        schema = {"fields": [dict(f) for f in entry["fields"]], "primaryKey": entry["primaryKey"]}
        if entry.get("foreignKeys"):
            schema["foreignKeys"] = entry["foreignKeys"]
        schema["missingValues"] = [""]
        out[name] = schema
    return out


def resource_meta() -> dict[str, dict]:
    """title and description per table, for datapackage.json."""
    spec = yaml.safe_load((HAND / "schemas.yaml").read_text(encoding="utf-8"))
    return {name: {"title": spec[name]["title"], "description": spec[name]["description"]} for name in TABLES}


FIELD_KEYS = {"name", "type", "title", "description", "unit", "decimals", "constraints"}


def check_fields(table: str, fields: list[dict]) -> None:
    """Every field has a name, type and description and only known keys (an unquoted comma
    in a YAML flow mapping silently splits a description into a bogus key - caught here)."""
    for field in fields:
        unknown = set(field) - FIELD_KEYS
        missing = {"name", "type", "description"} - set(field)
        if unknown or missing:
            raise ValueError(f"hand/schemas.yaml: {table}.{field.get('name')}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")


def schema_differences(name: str, schema) -> list[str]:
    """Where `schema` (a data folder's schemas/<name>.json) differs from the project's, one
    phrase each: 'field 'hectares': constraint minimum is missing (the project's schema has 0)'."""
    ours = _table_schemas()[name]
    if not isinstance(schema, dict):
        return [f"is {_short(schema)}; expected the project's table schema (an object with fields)"]
    found = _key_differences("", schema, ours, skip={"fields"})
    theirs = schema.get("fields")
    if not isinstance(theirs, list) or not all(isinstance(f, dict) for f in theirs):
        return found + [f"fields is {_short(theirs)}; expected the project's list of fields"]
    by_name = {_name(f): f for f in theirs}
    expected = [f["name"] for f in ours["fields"]]
    found += [f"field {n!r} is missing (the project's schema has it)" for n in expected if n not in by_name]
    found += [f"field {n!r} is not in the project's schema" for n in by_name if n not in expected]
    if not found and [_name(f) for f in theirs] != expected:
        found.append(f"fields are out of order (the project's order is {', '.join(expected)})")
    for field in ours["fields"]:
        if field["name"] in by_name:
            found += _key_differences(f"field {field['name']!r}: ", by_name[field["name"]], field, skip={"name"})
    return found


def _key_differences(prefix: str, theirs: dict, ours: dict, skip: set) -> list[str]:
    """Key-by-key differences of two dicts (constraints compared one by one)."""
    found = []
    for key in [k for k in ours if k not in skip] + [k for k in theirs if k not in ours and k not in skip]:
        if key not in theirs:
            found.append(f"{prefix}{key} is missing (the project's schema has {_short(ours[key])})")
        elif key not in ours:
            found.append(f"{prefix}{key} is not in the project's schema")
        elif key == "constraints" and isinstance(theirs[key], dict):
            found += _key_differences(f"{prefix}constraint ", theirs[key], ours[key], skip=set())
        elif theirs[key] != ours[key] or type(theirs[key]) is not type(ours[key]):
            found.append(f"{prefix}{key} is {_short(theirs[key])} (the project's schema has {_short(ours[key])})")
    return found


def _name(field: dict) -> str:
    """A field's name as text (a name that is not a string is shown as its JSON)."""
    name = field.get("name")
    return shown(name) if isinstance(name, str) else _short(name)


def _short(value) -> str:
    """A JSON value as quoted in a message, cut at 60 characters."""
    return shown(json.dumps(value, ensure_ascii=False))
