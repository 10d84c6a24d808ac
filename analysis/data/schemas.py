"""The field schemas of the curated tables, from hand/schemas.yaml (the one place they are defined)."""

from __future__ import annotations

import yaml

from analysis.data.paths import HAND, TABLES


def table_schemas() -> dict[str, dict]:
    """Table Schema dict per table (title/description stay in datapackage.json's resource)."""
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
