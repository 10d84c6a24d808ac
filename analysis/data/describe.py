"""datapackage.json: build it, and refresh it after a deliberate edit (`paradox describe`).

The descriptor lists each table as a resource with its schema reference
(`schemas/<name>.json`), sha256 (`"hash": "sha256:..."`), size in bytes and row count.
`describe_folder` is the one way a user adopts edited data: it refuses a structurally broken
folder, rewrites only the checksums/sizes/row counts, and says what changed.

Imports run one way: describe -> validate -> descriptor (file_stats lives there, used by both).
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.data.descriptor import file_stats
from analysis.data.paths import DESCRIPTOR, HAND, SCHEMA_DIR, TABLES, csv_path, descriptor_path
from analysis.data.problems import DataValidationError
from analysis.data.validate import check_folder
from analysis.data.write import write_json


def package_meta() -> dict:
    """Package-level metadata (hand/package.yaml) plus the sources list from sources.csv."""
    import yaml

    return yaml.safe_load((HAND / "package.yaml").read_text(encoding="utf-8"))


def build_descriptor(folder: Path) -> dict:
    """The full descriptor for the tables in `folder` (stats computed from the files)."""
    import csv

    from analysis.data.schemas import resource_meta

    meta = package_meta()
    titles = resource_meta()
    with open(csv_path(folder, "sources"), encoding="utf-8", newline="") as handle:
        sources = [{"title": r["title"], "path": r["url"], "publisher": r["publisher"]} for r in csv.DictReader(handle)]
    resources = []
    for name in TABLES:
        resources.append({
            "name": name,
            "type": "table",
            "path": f"{name}.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **titles[name],
            "schema": f"{SCHEMA_DIR}/{name}.json",
            **file_stats(csv_path(folder, name)),
        })
    return {**meta, "sources": sources, "resources": resources}


def write_descriptor(folder: Path) -> None:
    """Write `<folder>/datapackage.json` from the files now in the folder."""
    write_json(descriptor_path(folder), build_descriptor(folder))


def describe_folder(folder: Path) -> list[str]:
    """Refresh checksums, sizes and row counts in datapackage.json after a deliberate edit.

    Refuses (DataValidationError) if the folder is structurally broken - missing files,
    unreadable CSVs, wrong columns, bad cells - because recording a checksum would bless it.
    A missing datapackage.json is written from scratch. Returns one human line per table
    whose figures changed.
    """
    folder = Path(folder)
    path = descriptor_path(folder)
    blocking = [p for p in check_folder(folder) if not p.message.startswith(STALE_PREFIXES)
                and not (p.file == DESCRIPTOR and p.message == "file is missing")]
    if blocking:
        raise DataValidationError(blocking)
    if not path.is_file():  # a folder assembled by hand: describe it from scratch
        write_descriptor(folder)
        return [f"{DESCRIPTOR}: created ({len(TABLES)} resources)"]
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    changes = []
    for resource in descriptor["resources"]:
        new = file_stats(folder / resource["path"])
        old = {k: resource.get(k) for k in new}
        if old != new:
            changes.append(describe_change(resource["path"], old, new))
            resource.update(new)
    if changes:
        write_json(path, descriptor)
    return changes


def describe_change(file: str, old: dict, new: dict) -> str:
    """`homicide.csv: rows 1200 -> 1201, bytes 51234 -> 51262, sha256 1a2b3c4d… -> 5e6f7a8b…`."""
    parts = []
    for key in ("rows", "bytes"):
        if old[key] != new[key]:
            parts.append(f"{key} {old[key]} -> {new[key]}")
    parts.append(f"sha256 {str(old['hash'])[7:19]}… -> {new['hash'][7:19]}…")
    return f"{file}: " + ", ".join(parts)


# Problems that `describe` exists to fix (it records the new figures); everything else blocks it.
STALE_PREFIXES = ("checksum does not match", "row count does not match", "size does not match")
