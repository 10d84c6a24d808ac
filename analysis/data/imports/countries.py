"""countries.csv <- every code used by any curated table, with name and UNODC region.

- name: World Bank spelling (WDI files) where available, else the UNODC WDR 2025 seizure
  file's, else the name it was mapped from (hand/country_names.csv), else WGI's.
- region/subregion: UNODC naming, from the WDR 2025 seizure file, else the 1995-2019 seizure
  file, else the GSH 2013 sheet (subregion names aligned per hand/country_sets.yaml), else
  hand/country_regions.csv. Aggregates (hand/country_sets.yaml) have none.
- south_america: subregion is "South America"; is_aggregate: a declared World Bank aggregate.
A code with no region that is not an aggregate is an error.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.imports._common import CountryNames, expect, read_hand_csv

COLUMNS = ["iso3", "name", "region", "subregion", "south_america", "is_aggregate"]


def build(codes: set[str], name_sources: list[dict[str, str]], region_sources: list[dict[str, tuple[str, str]]],
          aggregates: set[str]) -> pd.DataFrame:
    """One row per code; names and regions taken from the first source that has them."""
    hand_regions = {r["iso3"]: (r["region"], r["subregion"]) for r in read_hand_csv("country_regions.csv")}
    stale = set(hand_regions) - codes
    expect(not stale, "analysis/data/hand/country_regions.csv", f"entries for codes no table uses: {sorted(stale)}")
    rows, missing = [], []
    for iso3 in sorted(codes):
        name = next((src[iso3] for src in name_sources if iso3 in src), None)
        region = next((src[iso3] for src in region_sources + [hand_regions] if iso3 in src), (None, None))
        is_aggregate = iso3 in aggregates
        if is_aggregate:
            region = (None, None)
        elif region[0] is None:
            missing.append(iso3)
        rows.append({"iso3": iso3, "name": name, "region": region[0], "subregion": region[1],
                     "south_america": region[1] == "South America", "is_aggregate": is_aggregate})
    expect(not missing, "analysis/data/hand/country_regions.csv", f"no UNODC region for {missing}; add them")
    table = pd.DataFrame(rows, columns=COLUMNS)
    expect(table["name"].notna().all(), "countries", f"no name for {table.loc[table['name'].isna(), 'iso3'].tolist()}")
    return table


def names_from(names: pd.Series, codes: pd.Series) -> dict[str, str]:
    """code -> name from a file carrying both (first spelling wins)."""
    out: dict[str, str] = {}
    for name, code in zip(names.str.strip(), codes.str.strip()):
        out.setdefault(code, name)
    return out


def regions_from(codes: pd.Series, regions: pd.Series, subregions: pd.Series, rename: dict | None = None) -> dict:
    """code -> (region, subregion) from a file carrying both; a code must not have two."""
    out: dict[str, tuple[str, str]] = {}
    rename = rename or {}
    for code, region, sub in zip(codes, regions.str.strip(), subregions.str.strip()):
        if code is None or pd.isna(code):
            continue
        pair = (region, rename.get(sub, sub))
        expect(out.get(code, pair) == pair, "countries", f"{code} has two regions: {out.get(code)} and {pair}")
        out[code] = pair
    return out


def mapped_names(names: CountryNames) -> dict[str, str]:
    """code -> the override name it was mapped from (last resort for a display name)."""
    out: dict[str, str] = {}
    for name, code in sorted(names.overrides.items()):
        out.setdefault(code, name)
    return out
