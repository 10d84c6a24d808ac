"""homicide.csv <- three raw files, kept side by side (never merged into one series):

- UNODC Global Study on Homicide 2013 (homicide/unodc_gsh2013_...csv): count and rate per
  country-year; source type CJ -> `criminal_justice`, PH -> `public_health`; a count of `x`
  ("fewer than 2 victims") becomes an empty count.
- World Bank WDI VC.IHR.PSRC.P5 (homicide/wdi_homicide_rate_...csv): rate only,
  source_type `wdi_series`, count empty.
- IHME GBD 2016 via OWID (homicide/ihme_gbd2016_...csv): deaths from all forms of violence
  (broader than homicide), source_type `modelled_all_violence`; rate = the crude death rate
  (comparable with count / population), not the age-standardised one.

Only the report's country set (hand/country_sets.yaml) is kept, so that every rate has a
population in population.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import CountryNames, expect, read_raw, to_number, wide_to_long

GSH = "homicide/unodc_gsh2013_homicide_count_rate_americas_2000_2012.csv"
WDI = "homicide/wdi_homicide_rate_VC.IHR.PSRC.P5_lac.csv"
IHME = "homicide/ihme_gbd2016_violence_deaths_lac_owid.csv"
GSH_COLUMNS = ["Region", "Sub-region", "Country/territory", "Source", "Source organisation", "Indicator"] + [
    str(y) for y in range(2000, 2013)
]
IHME_RATE_AS = "Age-standardized death rate from all forms of violence (IHME (2016))"
IHME_DEATHS = "Total deaths from all forms of violence (IHME (2016))"
IHME_RATE = "Death rate from all forms of violence (IHME (2016))"
SOURCE_TYPES = {"CJ": "criminal_justice", "PH": "public_health"}
COLUMNS = ["iso3", "year", "rate_per_100k", "count", "source_type", "source_org", "source_id"]


def build(sources_dir: Path, names: CountryNames, keep: set[str]) -> pd.DataFrame:
    """Load the three homicide files and return one long table (country set `keep`)."""
    # Load inputs
    gsh = read_raw(sources_dir, GSH, GSH_COLUMNS)
    wdi = read_raw(sources_dir, WDI, ["iso3", "country", "year", "rate_per_100k", "source"])
    ihme = read_raw(sources_dir, IHME, ["Entity", "Year", IHME_RATE_AS, IHME_DEATHS, IHME_RATE])
    # Process data
    parts = [tidy_gsh(gsh, names), tidy_wdi(wdi), tidy_ihme(ihme, names)]
    table = pd.concat(parts, ignore_index=True)
    table = table[table["iso3"].isin(keep)]
    return table.sort_values(["iso3", "year", "source_id", "source_type"]).reset_index(drop=True)[COLUMNS]


def tidy_gsh(raw: pd.DataFrame, names: CountryNames) -> pd.DataFrame:
    """GSH 2013: one Rate and one Count row per country; pivot to (rate, count) per year."""
    expect(set(raw["Source"]) <= set(SOURCE_TYPES), GSH, f"Source is CJ or PH, got {sorted(set(raw['Source']))}")
    expect(set(raw["Indicator"]) == {"Rate", "Count"}, GSH, "Indicator is Rate or Count")
    expect(not raw.duplicated(["Country/territory", "Indicator"]).any(), GSH, "one Rate and one Count row per country")
    long = wide_to_long(raw, ["Country/territory", "Source", "Source organisation", "Indicator"], GSH)
    wide = long.pivot(index=["Country/territory", "Source", "Source organisation", "year"], columns="Indicator", values="raw")
    wide = wide.reindex(columns=["Rate", "Count"]).fillna("").reset_index()
    counts = wide["Count"].str.strip()
    expect(set(counts[~counts.str.fullmatch(r"[0-9]*")]) <= {"x"}, GSH, "counts are whole numbers or 'x'")
    return pd.DataFrame({
        "iso3": names.iso3(wide["Country/territory"], GSH),
        "year": wide["year"],
        "rate_per_100k": to_number(wide["Rate"], GSH, "Rate"),
        "count": pd.to_numeric(counts.mask(counts.isin(["", "x"])), errors="raise").astype("Int64"),
        "source_type": wide["Source"].map(SOURCE_TYPES),
        "source_org": wide["Source organisation"].str.strip(),
        "source_id": "unodc_gsh2013",
    })


def tidy_wdi(raw: pd.DataFrame) -> pd.DataFrame:
    """WDI homicide rate: already tidy; assert one row per country-year and a rate in every row."""
    rate = to_number(raw["rate_per_100k"], WDI, "rate_per_100k")
    expect(rate.notna().all(), WDI, "every row has a rate")
    expect(not raw.duplicated(["iso3", "year"]).any(), WDI, "one row per iso3-year")
    expect(raw["source"].nunique() == 1, WDI, "one constant source text")
    return pd.DataFrame({
        "iso3": raw["iso3"].str.strip(),
        "year": raw["year"].astype(int),
        "rate_per_100k": rate,
        "count": pd.array([pd.NA] * len(raw), dtype="Int64"),
        "source_type": "wdi_series",
        "source_org": raw["source"].str.strip(),
        "source_id": "wdi_homicide",
    })


def tidy_ihme(raw: pd.DataFrame, names: CountryNames) -> pd.DataFrame:
    """IHME GBD 2016: crude rate and total deaths (rounded to whole deaths as published)."""
    deaths = to_number(raw[IHME_DEATHS], IHME, "deaths")
    expect((deaths.dropna() % 1 == 0).all(), IHME, "death counts are whole numbers")
    expect(not raw.duplicated(["Entity", "Year"]).any(), IHME, "one row per entity-year")
    return pd.DataFrame({
        "iso3": names.iso3(raw["Entity"], IHME),
        "year": raw["Year"].astype(int),
        "rate_per_100k": to_number(raw[IHME_RATE], IHME, "crude death rate"),
        "count": deaths.astype("Int64"),
        "source_type": "modelled_all_violence",
        "source_org": "IHME GBD 2016",
        "source_id": "ihme_gbd2016",
    })
