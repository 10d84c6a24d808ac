"""corruption.csv <- TI CPI (two files) and World Bank WGI control of corruption.

Rules (also in data/README.md):
- TI changed the CPI method and scale in 2012. The two scales are KEPT APART, never rescaled:
  `cpi_0_10` = 1995-2011 as published (0-10), `cpi_0_100` = 2012-2022 (0-100).
- The Datahub file stores 2012-2017 divided by 10; multiplied back by 10 these are the
  published integer scores (asserted), and they are preferred over the hand-compiled
  2012-2022 file where both exist (PROVENANCE.md); that file supplies 2018-2022.
  Apart from the three known disagreements (Argentina 2014, Mexico 2015, Cuba 2016) the two
  files must agree on 2012-2017; a new disagreement (or a fixed one) fails the import.
- Datahub `0.0` means "not covered" and is dropped; several spellings of one country are
  combined by taking the non-zero value (asserted to be unique).
- WGI: CC.EST -> wgi_cc_est, CC.PER.RNK -> wgi_cc_pct_rank, CC.STD.ERR -> wgi_cc_se; ISO3 is
  the file's own `code` column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import CountryNames, expect, read_raw, to_number, wide_to_long

DATAHUB = "corruption/ti_cpi_1995_2017_datahub_lac.csv"
HANDCOMPILED = "corruption/ti_cpi_2012_2022_lac.csv"
WGI = "corruption/wb_wgi_1996_2019_lac.csv"
WGI_SERIES = {"CC.EST": "wgi_cc_est", "CC.PER.RNK": "wgi_cc_pct_rank", "CC.STD.ERR": "wgi_cc_se"}
WGI_YEARS = [1996, 1998, 2000] + list(range(2002, 2020))
KNOWN_DISAGREEMENTS = {("ARG", 2014), ("MEX", 2015), ("CUB", 2016)}
COLUMNS = ["iso3", "year", "indicator", "value", "source_id"]


def build(sources_dir: Path, names: CountryNames) -> pd.DataFrame:
    """CPI on both scales plus WGI control of corruption, one row per country-year-indicator."""
    # Load inputs
    datahub = read_raw(sources_dir, DATAHUB, ["country"] + [str(y) for y in range(1995, 2018)])
    handcompiled = read_raw(sources_dir, HANDCOMPILED, ["Country"] + [str(y) for y in range(2012, 2023)])
    wgi = read_raw(sources_dir, WGI, ["country", "code", "series_name", "series_code"] + [str(y) for y in WGI_YEARS])
    # Process data
    cpi = combine_cpi(tidy_datahub(datahub, names), tidy_handcompiled(handcompiled, names))
    table = pd.concat([cpi, tidy_wgi(wgi)], ignore_index=True)
    return table.sort_values(["iso3", "year", "indicator"]).reset_index(drop=True)[COLUMNS]


def tidy_datahub(raw: pd.DataFrame, names: CountryNames) -> pd.DataFrame:
    """Datahub CPI (0-10 in every year): drop 0.0, merge spellings, split at 2012."""
    long = wide_to_long(raw, ["country"], DATAHUB)
    long["score"] = to_number(long["raw"], DATAHUB, "CPI score")
    expect(long["score"].between(0, 10).all(), DATAHUB, "scores are on 0-10")
    long = long[long["score"].gt(0)]
    long["iso3"] = names.iso3(long["country"], DATAHUB)
    distinct = long.groupby(["iso3", "year"])["score"].nunique()
    expect(distinct.le(1).all(), DATAHUB, f"spellings of one country agree: {distinct[distinct > 1].index.tolist()}")
    long = long.drop_duplicates(["iso3", "year"])
    recent = long["year"] >= 2012
    scaled = (long.loc[recent, "score"] * 10).round(6)
    expect((scaled % 1 == 0).all(), DATAHUB, "2012+ scores x10 are whole numbers (published 0-100 scores)")
    long.loc[recent, "score"] = scaled
    return pd.DataFrame({
        "iso3": long["iso3"],
        "year": long["year"],
        "indicator": ["cpi_0_100" if y >= 2012 else "cpi_0_10" for y in long["year"]],
        "value": long["score"],
        "source_id": "ti_cpi_datahub",
    })


def tidy_handcompiled(raw: pd.DataFrame, names: CountryNames) -> pd.DataFrame:
    """Hand-compiled CPI 2012-2022 (0-100; blank = not covered)."""
    long = wide_to_long(raw, ["Country"], HANDCOMPILED)
    score = to_number(long["raw"], HANDCOMPILED, "CPI score")
    expect(score.between(0, 100).all(), HANDCOMPILED, "scores are on 0-100")
    table = pd.DataFrame({
        "iso3": names.iso3(long["Country"], HANDCOMPILED),
        "year": long["year"],
        "indicator": "cpi_0_100",
        "value": score,
        "source_id": "ti_cpi_2012_2022",
    })
    expect(not table.duplicated(["iso3", "year"]).any(), HANDCOMPILED, "one row per country-year")
    return table


def combine_cpi(datahub: pd.DataFrame, handcompiled: pd.DataFrame) -> pd.DataFrame:
    """Prefer Datahub where both give a 0-100 score; assert they agree except the known three."""
    both = datahub.merge(handcompiled, on=["iso3", "year", "indicator"], suffixes=("_dh", "_hc"))
    differ = set(map(tuple, both.loc[both["value_dh"].ne(both["value_hc"]), ["iso3", "year"]].values.tolist()))
    expect(differ == KNOWN_DISAGREEMENTS, HANDCOMPILED,
           f"disagrees with Datahub exactly at {sorted(KNOWN_DISAGREEMENTS)}; now at {sorted(differ)}")
    covered = set(zip(datahub["iso3"], datahub["year"], datahub["indicator"]))
    extra = handcompiled[[k not in covered for k in zip(handcompiled["iso3"], handcompiled["year"], handcompiled["indicator"])]]
    return pd.concat([datahub, extra], ignore_index=True)


def tidy_wgi(raw: pd.DataFrame) -> pd.DataFrame:
    """WGI control of corruption: estimate, percentile rank and standard error."""
    expect(set(WGI_SERIES) <= set(raw["series_code"]), WGI, f"series {sorted(WGI_SERIES)} present")
    cc = raw[raw["series_code"].isin(WGI_SERIES)]
    expect(not cc.duplicated(["code", "series_code"]).any(), WGI, "one row per country and series")
    long = wide_to_long(cc, ["code", "series_code"], WGI)
    long = long[long["raw"].ne("..")]
    return pd.DataFrame({
        "iso3": long["code"].str.strip(),
        "year": long["year"],
        "indicator": long["series_code"].map(WGI_SERIES),
        "value": to_number(long["raw"], WGI, "WGI value"),
        "source_id": "wb_wgi",
    })
