"""sources.csv <- hand/sources.yaml (transcribed from PROVENANCE.md) + sha256 of each raw file.

A raw file named in hand/sources.yaml that is missing from the sources folder is an error.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis.data.imports._common import expect, read_hand_yaml

COLUMNS = ["source_id", "publisher", "title", "year", "url", "intermediary", "accessed", "license", "raw_file", "raw_sha256", "notes"]


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build(sources_dir: Path) -> pd.DataFrame:
    """The sources table, with each raw file's checksum computed now."""
    # Load inputs
    entries = read_hand_yaml("sources.yaml")
    # Process data
    rows = []
    for entry in entries:
        raw_file = entry.get("raw_file") or ""
        if raw_file:
            path = Path(sources_dir) / raw_file
            expect(path.is_file(), raw_file, f"raw file of source {entry['source_id']} not found in {sources_dir}")
        rows.append({**{c: entry.get(c, "") for c in COLUMNS}, "raw_sha256": sha256(path) if raw_file else ""})
    table = pd.DataFrame(rows, columns=COLUMNS)
    expect(table["source_id"].is_unique, "analysis/data/hand/sources.yaml", "source ids are unique")
    return table
