"""coca_cultivation.csv and coca_eradication.csv <- UNODC World Drug Report annex tables and
Peru's national monitoring.

Reconciliation rules (also in data/README.md):
- Both UNODC editions are kept as rows (source_id unodc_wdr2022_coca / unodc_wdr2025_coca);
  `measure` records what each edition's footnote says the number is.
- `headline` marks ONE UNODC value per country-year: WDR 2025 for 2010-2023 (the newer
  edition wins where both exist), WDR 2022 for 2009 (the only edition that has it). Peru
  2011, the one year WDR 2025 gives two measures, uses the net area on 31 December (62,500)
  to match the 2012+ series; the satellite-interpreted 64,400 is kept with headline=false.
- The editions must agree (WDR 2022 value == WDR 2025 headline) in every shared year; the
  import fails if a new vintage revises history, so the rule is looked at again.
- Peru national monitoring totals (2017-2024) are rows with their own source_id and
  headline=false: 2017-2019 from the 2021 report, 2020-2024 from the 2020-2024 table; the
  two must agree on 2020-2021. Their measure is recorded as net_area_dec31 because UNODC
  publishes the same 2021 figure (80,681 ha) as Peru's net area in WDR 2025.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.imports._common import expect, read_raw, to_number, wide_to_long

WDR22 = "coca/unodc_wdr2022_coca_cultivation_ha_2009_2020.csv"
WDR25 = "coca/unodc_wdr2025_coca_cultivation_ha_2010_2023.csv"
ERAD = "coca/unodc_wdr2022_coca_eradication_ha_2009_2020.csv"
PERU_2021 = "coca/peru_coca_by_department_ha_2017_2021.csv"
PERU_2024 = "coca/peru_coca_by_department_ha_2020_2024.csv"

# Row labels (with footnote letters) -> (iso3, measure), per each edition's footnotes.
WDR22_ROWS = {
    "Bolivia (Plurinational State of)": ("BOL", "satellite_interpreted"),
    "Colombia a": ("COL", "net_area_dec31"),
    "Peru b": ("PER", "satellite_interpreted"),
}
WDR25_ROWS = {
    "Bolivia (Plurinational State of)": ("BOL", "satellite_interpreted"),
    "Colombia a": ("COL", "net_area_dec31"),
    "Peru b": ("PER", "satellite_interpreted"),
    "Peru c": ("PER", "net_area_dec31"),
}
ERAD_ROWS = {"Bolivia (Plurinational State of)": "BOL", "Colombia": "COL", "Peru": "PER"}
COLUMNS = ["iso3", "year", "hectares", "measure", "headline", "source_id"]


def build_cultivation(sources_dir: Path) -> pd.DataFrame:
    """Both WDR editions plus Peru's national totals, with the headline flag set."""
    # Load inputs
    wdr22 = read_raw(sources_dir, WDR22, ["country"] + [str(y) for y in range(2009, 2021)])
    wdr25 = read_raw(sources_dir, WDR25, ["country"] + [str(y) for y in range(2010, 2024)])
    peru21 = read_raw(sources_dir, PERU_2021, ["Departamento"] + [str(y) for y in range(2017, 2022)] + ["Variación (ha) 2020-2021"])
    peru24 = read_raw(sources_dir, PERU_2024, ["Departamento"] + [str(y) for y in range(2020, 2025)] + ["Variación_2024_2023"])
    # Process data
    old = tidy_wdr(wdr22, WDR22, WDR22_ROWS, "unodc_wdr2022_coca")
    new = tidy_wdr(wdr25, WDR25, WDR25_ROWS, "unodc_wdr2025_coca")
    unodc = mark_headline(old, new)
    peru = peru_national_totals(peru21, peru24)
    table = pd.concat([unodc, peru], ignore_index=True)
    return table.sort_values(["iso3", "year", "source_id", "measure"]).reset_index(drop=True)[COLUMNS]


def tidy_wdr(raw: pd.DataFrame, raw_file: str, rows: dict, source_id: str) -> pd.DataFrame:
    """One edition's table -> long rows; asserts the labels and that Total = sum of countries."""
    labels = set(raw["country"])
    expect(labels == set(rows) | {"Total"}, raw_file, f"row labels are {sorted(set(rows))} + Total, got {sorted(labels)}")
    long = wide_to_long(raw, ["country"], raw_file)
    long["hectares"] = to_number(long["raw"], raw_file, "hectares")
    check_total(long, raw_file)
    countries = long[long["country"].ne("Total")]
    mapped = countries["country"].map(rows)
    return pd.DataFrame({
        "iso3": mapped.str[0],
        "year": countries["year"],
        "hectares": countries["hectares"],
        "measure": mapped.str[1],
        "headline": False,
        "source_id": source_id,
    }).reset_index(drop=True)


def check_total(long: pd.DataFrame, raw_file: str) -> None:
    """Total = Bolivia + Colombia + Peru (within 0.5%), using Peru's satellite-interpreted area where an
    edition gives both (footnote: the 2011 global figure uses the satellite-interpreted area)."""
    rows = long[long["country"].ne("Total")].copy()
    rows["is_peru_c"] = rows["country"].eq("Peru c")
    has_b = set(rows.loc[rows["country"].eq("Peru b"), "year"])
    rows = rows[~(rows["is_peru_c"] & rows["year"].isin(has_b))]
    sums = rows.groupby("year")["hectares"].sum()
    totals = long[long["country"].eq("Total")].set_index("year")["hectares"]
    gap = (sums.reindex(totals.index) - totals).abs() / totals
    # Within 0.5%: the printed Totals are not exact sums (2020: 234,200 vs 234,000; WDR 2025
    # 2023: 375,300 vs 376,400), but a shifted column or a lost row would be far off.
    expect(gap.max() < 0.005, raw_file, f"Total equals the sum of the three countries (relative gaps {gap[gap > 0].round(5).to_dict()})")


def mark_headline(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Set headline: WDR 2025 wins in its years (net area for Peru 2011); WDR 2022 elsewhere.

    Asserts that where both editions cover a country-year, WDR 2022's value equals the
    WDR 2025 headline value (they agree in every shared year of these vintages)."""
    new = new.copy()
    old = old.copy()
    two_measures = new.duplicated(["iso3", "year"], keep=False)
    new["headline"] = ~two_measures | new["measure"].eq("net_area_dec31")
    expect(new[new["headline"]].groupby(["iso3", "year"]).size().eq(1).all(), WDR25, "one headline per iso3-year")
    expect(set(new.loc[two_measures, "year"]) <= {2011} and set(new.loc[two_measures, "iso3"]) <= {"PER"},
           WDR25, "only Peru 2011 has two measures")
    shared = old.merge(new[new["headline"]], on=["iso3", "year"], suffixes=("_old", "_new"))
    disagree = shared[shared["hectares_old"].ne(shared["hectares_new"])]
    expect(disagree.empty, WDR25, f"WDR 2022 and WDR 2025 agree in shared years; differ at {disagree[['iso3', 'year']].values.tolist()}")
    covered = set(zip(new["iso3"], new["year"]))
    old["headline"] = [(i, y) not in covered for i, y in zip(old["iso3"], old["year"])]
    return pd.concat([old, new], ignore_index=True)


def peru_totals(raw: pd.DataFrame, raw_file: str, total_label: str) -> pd.Series:
    """National total per year from a department table; asserts departments sum to it
    (within 0.1%: the 2017 total is published rounded to 49,900)."""
    years = [c for c in raw.columns if c.isdigit()]
    values = raw.set_index("Departamento")[years].apply(lambda col: to_number(col.str.replace(",", ""), raw_file, "hectares"))
    expect(total_label in values.index, raw_file, f"a {total_label!r} row")
    total = values.loc[total_label]
    departments = values.drop(index=total_label)
    expect(len(departments) == 13, raw_file, f"13 departments, got {len(departments)}")
    gap = (departments.sum() - total).abs() / total
    expect((gap < 0.001).all(), raw_file, f"departments sum to the total (relative gaps {gap.round(4).to_dict()})")
    total.index = total.index.astype(int)
    return total


def peru_national_totals(peru21: pd.DataFrame, peru24: pd.DataFrame) -> pd.DataFrame:
    """Peru monitoring totals: 2017-2019 from the 2021 report, 2020-2024 from the newer table;
    the two must agree on the years both give (2020, 2021)."""
    older = peru_totals(peru21, PERU_2021, "Total*")
    newer = peru_totals(peru24, PERU_2024, "TOTAL")
    both = sorted(set(older.index) & set(newer.index))
    expect(both == [2020, 2021] and (older[both] == newer[both]).all(), PERU_2024, "2020-2021 agree with the 2021 report")
    rows = [(y, v, "peru_coca_2017_2021") for y, v in older.items() if y not in newer.index]
    rows += [(y, v, "peru_coca_2020_2024") for y, v in newer.items()]
    return pd.DataFrame({
        "iso3": "PER",
        "year": [r[0] for r in rows],
        "hectares": [r[1] for r in rows],
        "measure": "net_area_dec31",
        "headline": False,
        "source_id": [r[2] for r in rows],
    })


def build_eradication(sources_dir: Path) -> pd.DataFrame:
    """WDR 2022 annex 6.1.2: reported eradication per country-year (hectares)."""
    # Load inputs
    raw = read_raw(sources_dir, ERAD, ["country", "Method of eradication", "Unit"] + [str(y) for y in range(2009, 2021)] + ["source 2020"])
    # Process data
    expect(set(raw["country"]) == set(ERAD_ROWS), ERAD, f"rows are {sorted(ERAD_ROWS)}")
    expect(set(raw["Unit"]) == {"hectare"}, ERAD, "unit is hectare")
    long = wide_to_long(raw.drop(columns=["source 2020"]), ["country", "Method of eradication", "Unit"], ERAD)
    table = pd.DataFrame({
        "iso3": long["country"].map(ERAD_ROWS),
        "year": long["year"],
        "hectares": to_number(long["raw"], ERAD, "hectares"),
        "source_id": "unodc_wdr2022_eradication",
    })
    return table.sort_values(["iso3", "year"]).reset_index(drop=True)
