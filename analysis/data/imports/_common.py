"""Shared helpers of the import steps: reading raw files, asserting assumptions, ISO3 names.

Every assumption about a raw file is checked where it is made with `expect(...)`; a new
vintage that breaks one fails with a DataValidationError naming the raw file and the
assumption, instead of producing a quietly wrong table.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import yaml

from analysis.data.paths import HAND
from analysis.data.problems import DataValidationError, Problem


def expect(condition: bool, raw_file: str, message: str) -> None:
    """Fail loudly, naming the raw file and the assumption that no longer holds."""
    if not condition:
        raise DataValidationError([Problem(raw_file, message=f"import assumption broken: {message}")])


def read_raw(sources_dir: Path, raw_file: str, columns: list[str]) -> pd.DataFrame:
    """Read a raw CSV as strings (empty cells = ""), asserting its exact header."""
    path = Path(sources_dir) / raw_file
    expect(path.is_file(), raw_file, f"file not found in {sources_dir}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expect(list(frame.columns) == columns, raw_file, f"header is {list(frame.columns)}, expected {columns}")
    return frame


def read_hand_yaml(name: str):
    """A hand-maintained YAML file from analysis/data/hand/."""
    return yaml.safe_load((HAND / name).read_text(encoding="utf-8"))


def read_hand_csv(name: str) -> list[dict]:
    """A hand-maintained CSV file from analysis/data/hand/, as a list of dicts."""
    with open(HAND / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_number(values: pd.Series, raw_file: str, what: str) -> pd.Series:
    """Parse a column of number strings (empty = missing), failing on anything else."""
    stripped = values.str.strip()
    parsed = pd.to_numeric(stripped.mask(stripped.eq("")), errors="coerce")
    bad = parsed.isna() & stripped.ne("")
    expect(not bad.any(), raw_file, f"{what}: not a number: {sorted(set(stripped[bad]))[:5]}")
    return parsed.astype("float64")


def wide_to_long(frame: pd.DataFrame, id_cols: list[str], raw_file: str) -> pd.DataFrame:
    """Melt year columns ("2009", "2010", ...) into (year, raw) rows, dropping empty cells."""
    years = [c for c in frame.columns if c.isdigit()]
    expect(len(years) > 0, raw_file, "no year columns")
    long = frame.melt(id_vars=id_cols, value_vars=years, var_name="year", value_name="raw")
    long["year"] = long["year"].astype(int)
    return long[long["raw"].str.strip().ne("")].reset_index(drop=True)


class CountryNames:
    """Maps country names to ISO3 from declared pairs; remembers every name it could not map.

    Pairs come from the WDR 2025 seizure file (Country -> msCode), the WDI files
    (country -> iso3) and the hand override table `hand/country_names.csv`. A name mapping to
    two codes is an error; an override that never matches a name is an error (stale fix).
    """

    def __init__(self) -> None:
        self.pairs: dict[str, str] = {}
        self.origin: dict[str, str] = {}
        self.unmapped: dict[str, set[str]] = {}
        self.overrides = {row["name"]: row["iso3"] for row in read_hand_csv("country_names.csv")}
        self.used_overrides: set[str] = set()

    def add_pairs(self, names: pd.Series, codes: pd.Series, origin: str) -> None:
        """Learn name -> code pairs from a file that carries both."""
        for name, code in zip(names.str.strip(), codes.str.strip()):
            known = self.pairs.get(name)
            expect(known in (None, code), origin, f"name {name!r} maps to {known} and {code}")
            self.pairs[name] = code
            self.origin.setdefault(name, origin)
        clash = {n for n in self.overrides if n in self.pairs and self.pairs[n] != self.overrides[n]}
        expect(not clash, "hand/country_names.csv", f"overrides contradict {origin}: {sorted(clash)}")

    def iso3(self, names: pd.Series, raw_file: str) -> pd.Series:
        """ISO3 for each name (surrounding spaces ignored); unmapped names are recorded."""
        out = []
        for name in names.str.strip():
            if name in self.overrides:
                self.used_overrides.add(name)
                out.append(self.overrides[name])
            elif name in self.pairs:
                out.append(self.pairs[name])
            else:
                self.unmapped.setdefault(raw_file, set()).add(name)
                out.append(None)
        return pd.Series(out, index=names.index, dtype="object")

    def problems(self) -> list[Problem]:
        """Unmapped names (one line each) and overrides that matched nothing."""
        lines = [
            Problem(raw_file, message=f"country name {name!r} has no ISO3 code; add it to analysis/data/hand/country_names.csv")
            for raw_file, names in sorted(self.unmapped.items())
            for name in sorted(names)
        ]
        lines += [
            Problem("analysis/data/hand/country_names.csv", message=f"override {name!r} matches no name in any source (stale?)")
            for name in sorted(set(self.overrides) - self.used_overrides)
        ]
        return lines
