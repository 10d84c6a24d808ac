"""Every file in ../shared/sources/publisher/, read by its importer: values checked against the
cells they come from, read by hand (sheet and cell, or CSV line, in each comment)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data.paths import DEFAULT_DATA, DEFAULT_SOURCES
from analysis.data.publishers import NameMap, format_of, read_folder
from tests.publisher_files import all_editions

PUB = DEFAULT_SOURCES / "publisher"


@pytest.fixture(scope="module")
def names() -> NameMap:
    return NameMap(DEFAULT_DATA / "countries.csv")


@pytest.fixture(scope="module")
def read(names):
    """Every publisher file read once (the WGI workbooks take seconds): file name -> Edition."""
    editions = all_editions()
    by_path = {e.path.relative_to(PUB).as_posix(): e for e in editions}

    def get(relative: str):
        return by_path[relative]
    get.all = editions
    return get


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row matching every column=value."""
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


def test_every_publisher_file_has_an_importer():
    files = [p for p in PUB.rglob("*") if p.is_file() and p.suffix in (".csv", ".json", ".xlsx") and not p.name.startswith("Metadata_")]
    assert len(files) == 10  # 12 data files, two of them WDI metadata companions
    assert all(format_of(p) is not None for p in files), [p.name for p in files if format_of(p) is None]


def test_wdr2025_coca(read):
    ed = read("unodc_wdr2025_annex/6.1.1_Global_illicit_coca_bush_cultivation.xlsx")
    rows = ed.rows
    assert ed.edition == 2025 and ed.series == "unodc_wdr_coca"  # title B3 "..., 2010-2023 (hectares)" -> WDR 2025
    # Sheet1 R10 ("  Peru c", 2023 column; footnote c = "Net area on 31 December, ...")
    assert one(rows, iso3="PER", year=2023)["hectares"] == 92800
    assert one(rows, iso3="PER", year=2023)["measure"] == "net_area_dec31"
    # Sheet1 D9 (Peru b, 2011) 64,400 satellite-interpreted; D10 (Peru c, 2011) 62,500 net
    assert one(rows, iso3="PER", year=2011, measure="satellite_interpreted")["hectares"] == 64400
    assert one(rows, iso3="PER", year=2011, measure="net_area_dec31")["hectares"] == 62500
    # Sheet1 R8 (Colombia a, 2023) 252,600; C7 (Bolivia, 2010) 31,000 (2010 header is the date 2010-01-04)
    assert one(rows, iso3="COL", year=2023)["hectares"] == 252600
    assert one(rows, iso3="BOL", year=2010)["hectares"] == 31000
    assert set(rows["year"]) == set(range(2010, 2024))  # marker columns E and Q are not years
    assert len(rows) == 14 + 14 + 2 + 13  # Bolivia, Colombia 2010-2023; Peru b 2010-2011; Peru c 2011-2023


def test_wdr2022_coca_other_layout(read):
    ed = read("unodc_wdr2022_annex/6.1.1_-_Illicit_coca_bush_cultivation.xlsx")
    rows = ed.rows
    assert ed.edition == 2022  # title A1 "..., 2009-2020 (hectares)"
    # sheet 6_1_1, B7 (Peru b, 2009) 59,900; M7 (Peru b, 2020) 61,800; footnote b = satellite imagery
    assert one(rows, iso3="PER", year=2009)["hectares"] == 59900
    assert one(rows, iso3="PER", year=2020)["hectares"] == 61800
    assert set(rows.loc[rows["iso3"].eq("PER"), "measure"]) == {"satellite_interpreted"}
    assert one(rows, iso3="COL", year=2009)["hectares"] == 73000  # B6


def test_wdr2025_seizures(read):
    ed = read("unodc_wdr2025_annex/7.1_Drug_seizures_2019-2023.xlsx")
    assert ed.edition == 2025  # title A1 "Drug seizures, 2019-2023"
    # sheet Seizures rows 2842-2843 (Peru 2023): coca paste 43,337.448 + cocaine hydrochloride
    # 22,512.828 kg; row 2844 (coca leaf 303,270.66 kg) is not cocaine.
    assert one(ed.rows, iso3="PER", year=2023)["kilograms"] == pytest.approx(43337.448 + 22512.828)
    assert one(ed.rows, iso3="PER", year=2020)["kilograms"] == 20281 + 17988  # rows 2824-2825


def test_wdr2025_prevalence(read):
    ed = read("unodc_wdr2025_annex/1.2_Prevalence_of_drug_use_in_the_general_population_national_data.xlsx")
    rows = ed.rows
    assert ed.edition == 2025  # workbook last saved 2025-06-23
    # sheet Cocaine, Peru rows (PROVENANCE.md of publisher/): 2017 SS 0.964, 2010 HHS 0.4, 2006 HHS 0.48
    peru = rows[rows["iso3"].eq("PER")].set_index("year")
    assert peru.loc[2017, "prevalence_pct"] == 0.964 and peru.loc[2017, "method"] == "SS"
    assert peru.loc[2010, "prevalence_pct"] == 0.4 and peru.loc[2006, "prevalence_pct"] == 0.48
    # row 4: Kenya 2016, Best 0.1, age 15-64
    assert one(rows, iso3="KEN", year=2016)["prevalence_pct"] == 0.1


def test_wdi_bulk_homicide(read):
    ed = read("worldbank_wdi_bulk/API_VC.IHR.PSRC.P5_DS2_en_csv_v2_6299884.csv")
    assert ed.series == "wdi_homicide" and ed.edition == 2023  # line 3: "Last Updated Date","2023-12-18"
    peru = ed.rows[ed.rows["iso3"].eq("PER")].set_index("year")["rate_per_100k"]
    assert peru[2020] == 5.71389863958169 and peru[2011] == 5.48549859934052  # line of "PER", columns 2020, 2011
    assert 2021 not in peru.index and 2022 not in peru.index  # "" in this vintage


def test_wdi_bulk_population_with_stray_first_byte(read):
    # this copy starts with the byte 0xFF where the BOM should be (PROVENANCE.md)
    ed = read("worldbank_wdi_bulk/API_SP.POP.TOTL_DS2_en_csv_v2_38144.csv")
    assert ed.series == "wdi_population" and ed.edition == 2025
    assert one(ed.rows, iso3="PER", year=2024)["population"] == 34217848  # "PER" line, last year column


def test_wdi_api_json(read):
    ed = read("worldbank_api_v2/SP.POP.TOTL.json")
    assert ed.edition == 2023  # "lastupdated":"2023-06-29"
    assert one(ed.rows, iso3="IND", year=2022)["population"] == 1417173173  # first record
    assert len(ed.rows) == 63


def test_ti_cpi(read):
    ed = read("ti_cpi2022/CPI2022_GlobalResultsTrends.xlsx")
    rows = ed.rows
    assert ed.edition == 2022
    # sheet 'CPI Timeseries 2012 - 2022' row 132 (Peru): D 'CPI score 2022' 36; AN 'CPI Score 2012' 38
    assert one(rows, iso3="PER", year=2022)["value"] == 36
    assert one(rows, iso3="PER", year=2012)["value"] == 38
    assert one(rows, iso3="MEX", year=2015)["value"] == 31  # row 111, 'CPI score 2015'
    assert rows[rows["iso3"].eq("BRN")]["year"].tolist().count(2022) == 0  # Brunei blank in 2022


def test_wgi_wide_2021(read):
    ed = read("worldbank_wgi/2021_update/wgidataset.xlsx")
    rows = ed.rows
    assert ed.edition == 2021  # 1996-2020 -> 2021 update (Introduction sheet says so too)
    # sheet ControlofCorruption, Peru row: Estimate 1996 -0.399, 2020 -0.490 (PROVENANCE.md)
    assert one(rows, iso3="PER", year=1996, indicator="wgi_cc_est")["value"] == pytest.approx(-0.399, abs=5e-4)
    assert one(rows, iso3="PER", year=2020, indicator="wgi_cc_est")["value"] == pytest.approx(-0.490, abs=5e-4)
    assert rows[rows["iso3"].eq("ABW") & rows["year"].eq(1996)].empty  # row 16: '#N/A' text


def test_wgi_long_2024(read):
    ed = read("worldbank_wgi/2024_update/wgidataset.xlsx")
    rows = ed.rows
    assert ed.edition == 2024
    # Sheet1 row 'PERcc2023': estimate -0.721, stddev 0.163, pctrank 25.47
    assert one(rows, iso3="PER", year=2023, indicator="wgi_cc_est")["value"] == pytest.approx(-0.721, abs=5e-4)
    assert one(rows, iso3="PER", year=2023, indicator="wgi_cc_se")["value"] == pytest.approx(0.163, abs=5e-4)
    assert one(rows, iso3="PER", year=2023, indicator="wgi_cc_pct_rank")["value"] == pytest.approx(25.47, abs=5e-3)


def test_read_folder_reads_every_file(read):
    assert sorted(e.path.name for e in read.all) == sorted(
        p.name for p in PUB.rglob("*") if p.suffix in (".csv", ".json", ".xlsx") and not p.name.startswith("Metadata_"))


def test_read_folder_refuses_an_unknown_file(tmp_path, names):
    (tmp_path / "notes.xlsx").write_bytes(b"")
    with pytest.raises(Exception) as err:
        read_folder(tmp_path, names)
    assert "notes.xlsx: not a publisher file" in str(err.value)
