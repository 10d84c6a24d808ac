"""Country names in publisher files -> ISO3, from declared pairs only.

Files that carry a code column (WDI, TI, WGI, UNODC 7.1 `msCode`) need no names. Files that
carry only names (UNODC annex 6.1.1 and 1.2) are matched against, in this order:
hand/country_names.csv (the import step's overrides), hand/publisher_names.csv (UNODC
spellings of the publisher files), and the `name` column of the data folder's countries.csv.
A name none of them knows is reported (with every other unknown name of the file), never guessed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from analysis.data.imports._common import read_hand_csv
from analysis.data.problems import Problem


class NameMap:
    """name -> ISO3 lookups; `unknown` collects every name that had no code."""

    def __init__(self, countries_csv: Path | None = None):
        self.codes: dict[str, str] = {}
        if countries_csv is not None and Path(countries_csv).is_file():
            with open(countries_csv, encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    self.codes[row["name"].strip()] = row["iso3"]
        for name in ("publisher_names.csv", "country_names.csv"):
            self.codes.update({r["name"].strip(): r["iso3"] for r in read_hand_csv(name)})

        self.unknown: dict[str, set[str]] = {}

    def code(self, name: str) -> str | None:
        """The code of a name (surrounding spaces ignored), or None."""
        return self.codes.get(str(name).replace("\xa0", " ").strip())

    def iso3(self, names: pd.Series, raw_file: str) -> pd.Series:
        """Codes for a column of names (the import step's CountryNames interface); names
        without a code become None and are remembered under `raw_file`."""
        out = [self.code(n) for n in names]
        for name, code in zip(names, out):
            if code is None:
                self.unknown.setdefault(raw_file, set()).add(str(name).strip())
        return pd.Series(out, index=names.index, dtype="object")

    def problems(self) -> list[Problem]:
        """One line per name that had no code."""
        return [Problem(raw_file, message=f"country name {name!r} has no ISO3 code; add it to analysis/data/hand/publisher_names.csv")
                for raw_file, names in sorted(self.unknown.items()) for name in sorted(names)]
