"""The publisher files of ../shared/sources/publisher/, read once per test session (the WGI
workbooks alone take seconds): shared by the importer and update tests."""

from __future__ import annotations

from functools import lru_cache

from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES
from analysis.data.publishers import NameMap, read_folder

PUB = DEFAULT_SOURCES / "publisher"


@lru_cache(maxsize=1)
def all_editions() -> tuple:
    """Every Edition read from publisher/ (treat as read-only)."""
    return tuple(read_folder(PUB, NameMap(DEFAULT_DATA / "countries.csv")))
