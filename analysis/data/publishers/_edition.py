"""Edition: one publisher table read into rows of a curated table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class Edition:
    """One publisher table as rows of the curated table `table` (series = hand/publisher_series.yaml key)."""

    series: str
    edition: int                 # the year sources.csv records (edition, or WDI vintage year)
    rows: pd.DataFrame           # the curated table's columns except source_id
    path: Path                   # the file as saved
    title: str                   # the publisher's title, as in the file where it has one
    notes: str = ""              # vintage and caveats read from the file
    url: str = ""                # where it was fetched from (API) - else the series' page
    accessed: str = ""           # retrieval date (YYYY-MM-DD) where known
    extra_files: list[Path] = field(default_factory=list)  # further pages of one API response
