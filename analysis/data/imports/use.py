"""cocaine_use.csv <- UNODC WDR 2025 annex 1.2, annual prevalence of cocaine use (national).

Rules: `year` is the first year of a survey span ("2020/21" -> 2020); non-breaking-space
cells are empty; rows identical in every carried column are kept once (Albania 2014
appears twice, 2.5% from two sources that differ only in Source and male/female shares);
sub-national surveys without an ISO3 code are dropped as declared in hand/exclusions.csv.
Male/female shares, adjustment codes and notes are not carried over.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import CountryNames, expect, read_hand_csv, read_raw, to_number

RAW = "cocaine_use/unodc_wdr2025_cocaine_annual_prevalence_national.csv"
SOURCE_ID = "unodc_wdr2025_prevalence"
COLUMNS = ["Region", "Sub-region", "Country/Territory", "Best", "Low", "High", "Male", "Female", "Year", "Age",
           "Source", "Method", "Adjustment/  notes", "Specific notes"]


def build(sources_dir: Path, names: CountryNames) -> pd.DataFrame:
    """Load the prevalence sheet and return one row per country, year and age group."""
    # Load inputs
    raw = read_raw(sources_dir, RAW, COLUMNS)
    excluded = {row["name"] for row in read_hand_csv("exclusions.csv") if row["table"] == "cocaine_use"}
    # Process data
    raw = raw.apply(lambda col: col.str.replace("\xa0", " ").str.strip())
    kept = drop_excluded(raw, excluded)
    table = tidy(kept, names).drop_duplicates()
    key = ["iso3", "year", "age_group"]
    dupes = table[table.duplicated(key, keep=False)]
    expect(dupes.empty, RAW, f"one row per country, year and age group; repeated: {dupes[key].values.tolist()[:6]}")
    return table.sort_values(key, kind="stable").reset_index(drop=True)


def drop_excluded(raw: pd.DataFrame, excluded: set[str]) -> pd.DataFrame:
    """Drop declared exclusions; an exclusion that matches no row is stale and an error."""
    present = set(raw["Country/Territory"])
    expect(excluded <= present, "analysis/data/hand/exclusions.csv", f"exclusions match no row: {sorted(excluded - present)}")
    return raw[~raw["Country/Territory"].isin(excluded)]


def tidy(raw: pd.DataFrame, names: CountryNames, raw_file: str = RAW) -> pd.DataFrame:
    """Rename, parse numbers, take the first year of a span."""
    years = raw["Year"]
    expect(years.str.fullmatch(r"[0-9]{4}(/[0-9]{2})?").all(), raw_file, f"Year is YYYY or YYYY/YY, got {sorted(set(years[~years.str.fullmatch(r'[0-9]{4}(/[0-9]{2})?')]))}")
    best = to_number(raw["Best"], raw_file, "Best")
    expect(best.notna().all(), raw_file, "every row has a best estimate")
    return pd.DataFrame({
        "iso3": names.iso3(raw["Country/Territory"], raw_file),
        "year": years.str[:4].astype(int),
        "age_group": raw["Age"],
        "prevalence_pct": best,
        "low_pct": to_number(raw["Low"], raw_file, "Low"),
        "high_pct": to_number(raw["High"], raw_file, "High"),
        "method": raw["Method"],
        "source_id": SOURCE_ID,
    })
