"""population.csv <- World Bank WDI SP.POP.TOTL (population/wdi_population_SP.POP.TOTL_lac.csv).

One row per country-year, persons at mid-year, as published (no interpolation).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import expect, read_raw, to_number

RAW = "population/wdi_population_SP.POP.TOTL_lac.csv"
SOURCE_ID = "wdi_population"


def build(sources_dir: Path) -> pd.DataFrame:
    """Load the WDI population file and return the tidy table."""
    # Load inputs
    raw = read_raw(sources_dir, RAW, ["iso3", "country", "year", "population", "source"])
    # Process data
    table = tidy_population(raw)
    return table


def tidy_population(raw: pd.DataFrame) -> pd.DataFrame:
    """Keep iso3, year, population (integers); assert one row per country-year and no gaps."""
    population = to_number(raw["population"], RAW, "population")
    expect(population.notna().all(), RAW, "every row has a population")
    expect((population % 1 == 0).all(), RAW, "populations are whole numbers")
    table = pd.DataFrame({
        "iso3": raw["iso3"].str.strip(),
        "year": raw["year"].astype(int),
        "population": population.astype("int64"),
        "source_id": SOURCE_ID,
    })
    expect(not table.duplicated(["iso3", "year"]).any(), RAW, "one row per iso3-year")
    return table.sort_values(["iso3", "year"]).reset_index(drop=True)
