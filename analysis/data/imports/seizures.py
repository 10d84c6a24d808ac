"""cocaine_seizures.csv <- UNODC seizure series 1995-2019 and WDR 2025 annex 7.1 (2019-2023).

Which rows are summed (per country-year, in kilograms):
- 1995-2019 file: every `drug` of drug_group Cocaine-type EXCEPT the plant rows `Coca leaf`,
  `Coca bush` and `Coca seed` - i.e. "Cocaine (base, paste and salts)", "Cocaine salts",
  "Coca paste/cocaine base", "Crack", "Cocaine (salt and crack)", "Non-specified cocaine",
  "Other coca/cocaine type", "Non-specified coca/cocaine type".
- WDR 2025 file: every row of DrugGroup Cocaine-type EXCEPT DrugSubGroup `Coca-type`
  (coca leaf, coca bush); the two rows with an empty quantity are skipped. Rows repeated for a country-year-drug (separate reports) are summed.
  The row "Cocaine (total of the above, including if unspecified/undistinguished ...)" is
  summed too: where a country reports it next to component rows, the components are a few kg
  beside it (or, Portugal 2020, the "total" is 0.0003 kg beside 10,066 kg of hydrochloride),
  so it is not a total of those components in practice.
- Overlap: 2019 is in both files; the newer WDR 2025 vintage wins for 2019 (and for any
  country-year it covers); the 1995-2019 series supplies 1995-2018 and 2019 where WDR 2025
  has no row for that country.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import CountryNames, expect, read_raw, to_number, wide_to_long

OLD = "cocaine_seizures/unodc_cocaine_seizures_kg_1995_2019.csv"
NEW = "cocaine_seizures/unodc_wdr2025_cocaine_seizures_kg_2019_2023.csv"
OLD_COLUMNS = ["region", "subregion", "country", "drug_group", "drug"] + [str(y) for y in range(1995, 2020)]
NEW_COLUMNS = ["Region", "SubRegion", "Country", "DrugGroup", "DrugSubGroup", "DrugName", "Reference year", "Kilograms", "msCode"]
OLD_SUMMED = {
    "Cocaine (base, paste and salts)", "Cocaine salts", "Coca paste/cocaine base", "Crack",
    "Cocaine (salt and crack)", "Non-specified cocaine", "Other coca/cocaine type", "Non-specified coca/cocaine type",
}
OLD_EXCLUDED = {"Coca leaf", "Coca bush", "Coca seed"}
NEW_EXCLUDED_SUBGROUP = "Coca-type"
NEW_SUBGROUPS = {
    "Coca-type", "Cocaine", "Other coca/cocaine-type drugs",
    "Other/non-specified coca/cocaine-type drugs OR Miscellaneous coca/cocaine-type drugs",
}


def read(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both raw seizure files (the WDR 2025 one also supplies Country -> ISO3 pairs)."""
    return read_raw(sources_dir, OLD, OLD_COLUMNS), read_raw(sources_dir, NEW, NEW_COLUMNS)


def build(old_raw: pd.DataFrame, new_raw: pd.DataFrame, names: CountryNames) -> pd.DataFrame:
    """Total cocaine-type kilograms per country-year, WDR 2025 winning where both give a value."""
    old = total_old(old_raw, names)
    new = total_new(new_raw)
    return combine(old, new)


def total_old(raw: pd.DataFrame, names: CountryNames) -> pd.DataFrame:
    """1995-2019 file: sum the cocaine rows (not coca plant rows) per country-year."""
    expect(set(raw["drug_group"]) == {"Cocaine-type"}, OLD, "only Cocaine-type rows")
    drugs = set(raw["drug"])
    expect(drugs <= OLD_SUMMED | OLD_EXCLUDED, OLD, f"known drug rows only; new: {sorted(drugs - OLD_SUMMED - OLD_EXCLUDED)}")
    expect(not raw.duplicated(["country", "drug"]).any(), OLD, "one row per country and drug")
    cocaine = raw[raw["drug"].isin(OLD_SUMMED)]
    long = wide_to_long(cocaine, ["country", "drug"], OLD)
    long["kilograms"] = to_number(long["raw"], OLD, "kilograms")
    long["iso3"] = names.iso3(long["country"], OLD)
    sums = long.groupby(["iso3", "year"], as_index=False)["kilograms"].sum()
    sums["source_id"] = "unodc_seizures_1995_2019"
    return sums


def total_new(raw: pd.DataFrame, raw_file: str = NEW) -> pd.DataFrame:
    """WDR 2025 file: sum every cocaine row (not coca leaf/bush) per country-year."""
    expect(set(raw["DrugGroup"]) == {"Cocaine-type"}, raw_file, "only Cocaine-type rows")
    expect(set(raw["DrugSubGroup"]) <= NEW_SUBGROUPS, raw_file, f"known sub-groups only; new: {sorted(set(raw['DrugSubGroup']) - NEW_SUBGROUPS)}")
    coca = raw["DrugSubGroup"].eq(NEW_EXCLUDED_SUBGROUP)
    expect(set(raw.loc[coca, "DrugName"]) <= {"Coca leaf", "Coca bush"}, raw_file, "Coca-type rows are coca leaf or bush")
    expect(raw["msCode"].str.fullmatch("[A-Z]{3}").all(), raw_file, "every row has an ISO3 msCode")
    cocaine = raw[~coca]
    kilograms = to_number(cocaine["Kilograms"], raw_file, "Kilograms")
    # Two rows have no quantity (Paraguay 2022 coca paste, Luxembourg 2021 other): skipped,
    # not read as zero. More than a handful would mean the layout changed.
    expect(kilograms.isna().sum() <= 5, raw_file, f"at most 5 rows without a quantity, got {kilograms.isna().sum()}")
    cocaine, kilograms = cocaine[kilograms.notna()], kilograms[kilograms.notna()]
    frame = pd.DataFrame({"iso3": cocaine["msCode"].str.strip(), "year": cocaine["Reference year"].astype(int), "kilograms": kilograms})
    sums = frame.groupby(["iso3", "year"], as_index=False)["kilograms"].sum()
    sums["source_id"] = "unodc_wdr2025_seizures"
    return sums


def combine(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Stack the two series; where both give a country-year (2019), keep WDR 2025."""
    expect(set(old["year"]) & set(new["year"]) == {2019}, NEW, "the two files overlap in 2019 only")
    covered = set(zip(new["iso3"], new["year"]))
    old = old[[(i, y) not in covered for i, y in zip(old["iso3"], old["year"])]]
    table = pd.concat([old, new], ignore_index=True)
    return table.sort_values(["iso3", "year"]).reset_index(drop=True)[["iso3", "year", "kilograms", "source_id"]]
