"""The import step: its reconciliation rules, its assertions about raw files, determinism.

Small frames built here exercise each rule; the raw public files in ../shared/sources are
used for the end-to-end cases (they stay outside the repository, as PROVENANCE.md says).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.data import DataValidationError, check_folder
from analysis.data.imports import claims, coca, corruption, homicide, import_all, seizures
from analysis.data.imports._common import CountryNames
from tests.digests import file_digest
from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES


def test_sources_folder_is_present():
    # the raw files live beside the repository (../shared/sources); every other test here needs them
    assert (DEFAULT_SOURCES / "PROVENANCE.md").is_file()


def test_import_reproduces_the_committed_data_byte_for_byte(tmp_path):
    rows = import_all(DEFAULT_SOURCES, tmp_path / "data")
    assert file_digest(tmp_path / "data") == file_digest(DEFAULT_DATA)
    assert rows["coca_cultivation"] == len((DEFAULT_DATA / "coca_cultivation.csv").read_text().splitlines()) - 1


def test_a_broken_raw_file_fails_loudly_and_leaves_the_output_untouched(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(DEFAULT_SOURCES, sources)
    (tmp_path / "article.txt").write_bytes((DEFAULT_SOURCES.parent / "article.txt").read_bytes())
    raw = sources / coca.WDR25
    raw.write_text(raw.read_text().replace("Peru c,", "Peru d,"))
    out = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, out)
    before = file_digest(out)
    with pytest.raises(DataValidationError, match=r"coca/unodc_wdr2025_coca_cultivation_ha_2010_2023.csv: import assumption broken: row labels are"):
        import_all(sources, out)
    assert file_digest(out) == before


def wdr(rows: list[tuple], source_id: str) -> pd.DataFrame:
    """A tidy WDR coca frame from (iso3, year, hectares, measure) tuples."""
    frame = pd.DataFrame(rows, columns=["iso3", "year", "hectares", "measure"])
    frame["headline"] = False
    frame["source_id"] = source_id
    return frame


def test_headline_rule_newer_edition_wins_and_peru_2011_uses_net_area():
    old = wdr([("PER", 2009, 59900, "satellite_interpreted"), ("PER", 2011, 62500, "satellite_interpreted")], "unodc_wdr2022_coca")
    new = wdr([("PER", 2011, 64400, "satellite_interpreted"), ("PER", 2011, 62500, "net_area_dec31")], "unodc_wdr2025_coca")
    marked = coca.mark_headline(old, new)
    chosen = marked[marked.headline].set_index("year")
    assert chosen.loc[2009, "source_id"] == "unodc_wdr2022_coca"  # only WDR 2022 has 2009
    assert (chosen.loc[2011, "source_id"], chosen.loc[2011, "hectares"]) == ("unodc_wdr2025_coca", 62500)
    assert len(chosen) == 2


def test_editions_that_disagree_stop_the_import():
    old = wdr([("COL", 2012, 48000, "net_area_dec31")], "unodc_wdr2022_coca")
    new = wdr([("COL", 2012, 47000, "net_area_dec31")], "unodc_wdr2025_coca")
    with pytest.raises(DataValidationError, match=r"WDR 2022 and WDR 2025 agree in shared years; differ at \[\['COL', 2012\]\]"):
        coca.mark_headline(old, new)


def test_seizure_overlap_rule_prefers_wdr_2025_for_2019():
    old = pd.DataFrame({"iso3": ["PER", "PER", "BRA"], "year": [2018, 2019, 2019], "kilograms": [1.0, 2.0, 3.0],
                        "source_id": "unodc_seizures_1995_2019"})
    new = pd.DataFrame({"iso3": ["PER", "PER"], "year": [2019, 2020], "kilograms": [20.0, 30.0], "source_id": "unodc_wdr2025_seizures"})
    out = seizures.combine(old, new).set_index(["iso3", "year"])
    # PER 2019 from WDR 2025 (20, not 2); BRA 2019 only in the old file, so kept from it
    assert out.loc[("PER", 2019), "kilograms"] == 20.0 and out.loc[("PER", 2019), "source_id"] == "unodc_wdr2025_seizures"
    assert out.loc[("BRA", 2019), "source_id"] == "unodc_seizures_1995_2019"
    assert len(out) == 4


def test_seizures_exclude_coca_leaf_and_sum_repeated_reports():
    raw = pd.DataFrame({
        "Region": "Americas", "SubRegion": "South America", "Country": "Peru", "DrugGroup": "Cocaine-type",
        "DrugSubGroup": ["Cocaine", "Cocaine", "Coca-type"],
        "DrugName": ["Cocaine hydrochloride", "Cocaine hydrochloride", "Coca leaf"],
        "Reference year": "2021", "Kilograms": ["10", "5.5", "1000"], "msCode": "PER",
    })
    out = seizures.total_new(raw)
    # 10 + 5.5 hydrochloride; the 1,000 kg of coca leaf is not cocaine
    assert out.to_dict("records") == [{"iso3": "PER", "year": 2021, "kilograms": 15.5, "source_id": "unodc_wdr2025_seizures"}]


def test_an_unknown_drug_row_in_a_new_vintage_fails():
    raw = pd.DataFrame({"region": ["Americas"], "subregion": ["South America"], "country": ["Peru"], "drug_group": ["Cocaine-type"],
                        "drug": ["Synthetic cocaine"], **{str(y): [""] for y in range(1995, 2020)}})
    with pytest.raises(DataValidationError, match=r"known drug rows only; new: \['Synthetic cocaine'\]"):
        seizures.total_old(raw, CountryNames())


def test_gsh_x_count_is_empty_not_zero():
    raw = pd.DataFrame({"Region": "Americas", "Sub-region": "Caribbean", "Country/territory": ["Montserrat"] * 2,
                        "Source": "CJ", "Source organisation": "NSO", "Indicator": ["Rate", "Count"],
                        **{str(y): ["", ""] for y in range(2000, 2012)}, "2012": ["20.4", "x"]})
    out = homicide.tidy_gsh(raw, CountryNames())
    assert out["count"].isna().all() and out["rate_per_100k"].tolist() == [20.4]
    assert out["source_type"].tolist() == ["criminal_justice"] and out["iso3"].tolist() == ["MSR"]


def test_unmapped_country_names_are_listed_one_per_line():
    names = CountryNames()
    names.iso3(pd.Series(["Atlantis", "Peru ", "Ruritania"]), "some/raw.csv")
    lines = [str(p) for p in names.problems() if "Atlantis" in p.message or "Ruritania" in p.message]
    assert lines == [
        "some/raw.csv: country name 'Atlantis' has no ISO3 code; add it to analysis/data/hand/country_names.csv",
        "some/raw.csv: country name 'Ruritania' has no ISO3 code; add it to analysis/data/hand/country_names.csv",
    ]


def test_an_override_that_matches_nothing_is_reported_as_stale():
    names = CountryNames()
    names.iso3(pd.Series(["Venezuela"]), "x.csv")
    stale = [str(p) for p in names.problems() if "stale" in p.message]
    assert "analysis/data/hand/country_names.csv: override 'Yemen' matches no name in any source (stale?)" in stale
    assert not any("'Venezuela'" in line for line in stale)


def test_cpi_disagreements_must_be_exactly_the_known_three():
    def frame(rows, source_id):
        return pd.DataFrame(rows, columns=["iso3", "year", "indicator", "value"]).assign(source_id=source_id)

    datahub = frame([("ARG", 2014, "cpi_0_100", 34.0), ("MEX", 2015, "cpi_0_100", 35.0), ("CUB", 2016, "cpi_0_100", 47.0),
                     ("PER", 2013, "cpi_0_100", 38.0)], "ti_cpi_datahub")
    hand = frame([("ARG", 2014, "cpi_0_100", 37.0), ("MEX", 2015, "cpi_0_100", 31.0), ("CUB", 2016, "cpi_0_100", 49.0),
                  ("PER", 2013, "cpi_0_100", 38.0), ("PER", 2018, "cpi_0_100", 35.0)], "ti_cpi_2012_2022")
    out = corruption.combine_cpi(datahub, hand).set_index(["iso3", "year"])
    assert out.loc[("ARG", 2014), "value"] == 34.0  # Datahub preferred
    assert out.loc[("PER", 2018), "source_id"] == "ti_cpi_2012_2022"  # only the hand-compiled file has 2018
    hand.loc[hand.iso3.eq("PER") & hand.year.eq(2013), "value"] = 39.0
    with pytest.raises(DataValidationError, match="disagrees with Datahub exactly at"):
        corruption.combine_cpi(datahub, hand)


def test_claim_quotes_are_verbatim_in_their_paragraphs():
    paragraphs = claims.body_paragraphs((DEFAULT_SOURCES.parent / "article.txt").read_text(encoding="utf-8"))
    # 12 body paragraphs: "Peru is the single largest..." (1) to "If history is any guide..." (12)
    assert len(paragraphs) == 12 and paragraphs[-1].startswith("If history is any guide")
    table = claims.build(DEFAULT_SOURCES)
    claims.check_quotes(table, paragraphs)
    moved = table.copy()
    moved.loc[moved.claim_id.eq("cooperation_conventions"), "paragraph"] = 9
    with pytest.raises(DataValidationError, match=r"quote not found verbatim in its paragraph of article.txt: \['cooperation_conventions'\]"):
        claims.check_quotes(moved, paragraphs)


def test_claims_cover_the_issue_list_with_bounds_from_the_wording():
    table = claims.build(DEFAULT_SOURCES).set_index("claim_id")
    required = {"cocaine_production_tons", "drug_earnings_usd", "rio_street_multiple", "london_multiple",
                "gold_vs_drugs_multiple", "organized_crime_total_usd", "us_share_pct", "us_consumption_tons",
                "homicides_interior_ministry", "homicides_national_police", "garcia_pardons", "humala_pardons",
                "cooperation_conventions", "helicopter_spending_usd"}
    assert required <= set(table.index)
    # "well over $1 billion": a floor only
    assert table.loc["drug_earnings_usd", "low"] == 1e9 and pd.isna(table.loc["drug_earnings_usd", "high"])
    # "at least $5 billion ..., perhaps closer to $7 billion": 5e9 .. 7e9
    assert (table.loc["organized_crime_total_usd", "low"], table.loc["organized_crime_total_usd", "high"]) == (5e9, 7e9)
    # "almost three times" and "as many as 100": ceilings only
    assert table.loc["gold_vs_drugs_multiple", "high"] == 3 and pd.isna(table.loc["gold_vs_drugs_multiple", "low"])
    assert table.loc["humala_pardons", "high"] == 100 and pd.isna(table.loc["humala_pardons", "low"])
    # the two homicide counts are pinned to 2012
    assert table.loc[["homicides_interior_ministry", "homicides_national_police"], "year"].tolist() == [2012, 2012]


def test_imported_folder_passes_its_own_check(tmp_path):
    import_all(DEFAULT_SOURCES, tmp_path / "out")
    assert check_folder(tmp_path / "out") == []


def test_countries_take_region_from_the_first_source_and_flag_south_america():
    from analysis.data.imports import countries

    table = countries.build({"PER", "WLD", "MSR"},
                            name_sources=[{"PER": "Peru", "WLD": "World"}, {"MSR": "Montserrat"}],
                            region_sources=[{"PER": ("Americas", "South America")}, {"MSR": ("Americas", "Caribbean"), "PER": ("Asia", "x")}],
                            aggregates={"WLD"}).set_index("iso3")
    assert table.loc["PER", "subregion"] == "South America" and table.loc["PER", "south_america"]
    assert table.loc["MSR", "region"] == "Americas" and not table.loc["MSR", "south_america"]
    assert table.loc["WLD", "is_aggregate"] and pd.isna(table.loc["WLD", "region"])


def test_a_country_without_region_stops_the_import():
    from analysis.data.imports import countries

    with pytest.raises(DataValidationError, match=r"no UNODC region for \['ATL'\]; add them"):
        countries.build({"ATL"}, name_sources=[{"ATL": "Atlantis"}], region_sources=[], aggregates=set())


def test_every_schema_field_has_type_description_and_only_known_keys():
    import json

    from analysis.data.paths import TABLES
    from analysis.data.schemas import FIELD_KEYS

    for name in TABLES:
        schema = json.loads((DEFAULT_DATA / "schemas" / f"{name}.json").read_text())
        for field in schema["fields"]:
            assert {"name", "type", "description"} <= set(field) <= FIELD_KEYS, (name, field)
            assert all(value is not None for value in field.values()), (name, field)
