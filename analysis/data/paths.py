"""One place that defines paths and the list of curated tables; nothing else builds them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

REPO = Path(__file__).resolve().parents[2]
HAND = Path(__file__).resolve().parent / "hand"
DEFAULT_DATA = REPO / "data"
DEFAULT_SOURCES = REPO.parent / "shared" / "sources"
DESCRIPTOR = "datapackage.json"
SCHEMA_DIR = "schemas"

# The curated tables, in the order they are written and checked (referenced tables first).
TABLES: tuple[str, ...] = (
    "sources",
    "countries",
    "population",
    "homicide",
    "coca_cultivation",
    "coca_eradication",
    "cocaine_seizures",
    "cocaine_use",
    "corruption",
    "article_claims",
)


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data folder chapters read: $PARADOX_DATA if set (how `paradox render --data DIR`
    reaches chapter kernels), else `$QUARTO_PROJECT_ROOT/data` (under `quarto render`, the
    project being rendered, which need not be where this package is installed), else the
    repository's `data/`."""
    env = os.environ if env is None else env
    if env.get("PARADOX_DATA"):
        return Path(env["PARADOX_DATA"])
    return project_root(env) / "data"


def project_root(env: Mapping[str, str] | None = None) -> Path:
    """The project being rendered: $QUARTO_PROJECT_ROOT when Quarto runs the chapter (Quarto
    sets it for every kernel it starts), else the checkout this package lives in."""
    root = (os.environ if env is None else env).get("QUARTO_PROJECT_ROOT")
    return Path(root) if root else REPO


def csv_path(folder: Path, name: str) -> Path:
    """`<folder>/<name>.csv`."""
    return Path(folder) / f"{name}.csv"


def schema_path(folder: Path, name: str) -> Path:
    """`<folder>/schemas/<name>.json`."""
    return Path(folder) / SCHEMA_DIR / f"{name}.json"


def descriptor_path(folder: Path) -> Path:
    """`<folder>/datapackage.json`."""
    return Path(folder) / DESCRIPTOR
