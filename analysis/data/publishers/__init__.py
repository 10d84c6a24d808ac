"""Importers for files exactly as the publishers release them (one module per format).

    from analysis.data.publishers import read_folder
    editions = read_folder(folder, names)   # every recognised file -> Edition(s)

Each format module exposes `NAME` (a regular expression on the file name, as the publisher
names its downloads) and `read(path, names) -> list[Edition]`. An Edition is one publisher
table turned into rows of a curated table (its columns, without `source_id`), plus what
`sources.csv` needs to say where they came from. Which edition wins where two overlap is not
decided here but by the rules in hand/publisher_series.yaml, applied by `paradox update`.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.data.problems import DataValidationError, Problem
from analysis.data.publishers import ti_cpi, unodc_homicide, wdi_api, wdi_bulk, wdr_coca, wdr_prevalence, wdr_seizures, wgi
from analysis.data.publishers._edition import Edition
from analysis.data.publishers._names import NameMap

FORMATS = (wdi_bulk, wdi_api, wdr_coca, wdr_seizures, wdr_prevalence, unodc_homicide, ti_cpi, wgi)
# Files that travel with a download but hold no table of their own (WDI bulk metadata, notes).
COMPANIONS = re.compile(r"^(Metadata_(Country|Indicator)_.*\.csv|.*\.md|.*\.txt|fetch\.json)$", re.I)


def format_of(path: Path):
    """The format module whose file-name pattern matches, or None."""
    return next((f for f in FORMATS if re.search(f.NAME, path.name)), None)


def read_folder(folder: Path, names: NameMap) -> list[Edition]:
    """Every publisher file in `folder` (recursively), read by its format's importer.

    Problems from all files are collected and raised together (DataValidationError), so a
    user sees every file that needs attention at once. A file no importer recognises is a
    problem too: an update never skips a file silently.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataValidationError([Problem(str(folder), message="folder not found")])
    editions: list[Edition] = []
    problems: list[Problem] = []
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    readers: dict = {}
    for path in files:
        if COMPANIONS.match(path.name):
            continue
        fmt = format_of(path)
        if fmt is None:
            problems.append(Problem(str(path.relative_to(folder)), message="not a publisher file `paradox update` knows "
                                    "(WDI API_*_DS2_*.csv or API .json, WDR annex 6.1.1 / 7.1 / 1.2 .xlsx, "
                                    "data_cts_intentional_homicide .xlsx, TI CPI*.xlsx, WGI wgidataset*.xlsx)"))
            continue
        readers.setdefault(fmt, []).append(path)
    for fmt, paths in readers.items():
        for group in getattr(fmt, "group", lambda ps: [[p] for p in ps])(paths):
            try:
                editions += fmt.read(group if hasattr(fmt, "group") else group[0], names)
            except DataValidationError as err:
                problems += err.problems
    if problems:
        raise DataValidationError(problems)
    return editions


__all__ = ["Edition", "FORMATS", "NameMap", "format_of", "read_folder"]
