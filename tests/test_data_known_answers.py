"""Known answers: values in the curated tables checked against the raw public files by hand.

Each expected number was read off the raw file named in the comment (../shared/sources/...),
not computed by the code under test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import data_dir, load
from analysis.data.paths import DEFAULT_DATA


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row of `frame` matching every column=value in `where`."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].eq(value)
    rows = frame[mask]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


def headline(iso3: str, year: int) -> float:
    """The headline coca area of a country-year."""
    coca = load("coca_cultivation")
    return one(coca[coca["headline"]], iso3=iso3, year=year)["hectares"]


def test_peru_and_colombia_coca_2012_as_published_by_unodc():
    # WDR 2025 annex row "Peru c" 2012 = 60400; "Colombia a" 2012 = 48000 (WDR 2022 gives the same)
    assert headline("PER", 2012) == 60_400
    assert headline("COL", 2012) == 48_000


def test_peru_2011_headline_is_the_net_area_and_the_satellite_figure_is_kept():
    # WDR 2025: "Peru b" 2011 = 64400 (satellite), "Peru c" 2011 = 62500 (net, 31 Dec)
    coca = load("coca_cultivation")
    peru = coca[(coca.iso3 == "PER") & (coca.year == 2011) & (coca.source_id == "unodc_wdr2025_coca")]
    assert dict(zip(peru.measure, peru.hectares)) == {"net_area_dec31": 62_500, "satellite_interpreted": 64_400}
    assert headline("PER", 2011) == 62_500


def test_2009_headline_comes_from_wdr_2022_and_later_years_from_wdr_2025():
    # WDR 2022 row "Peru b" 2009 = 59900 (WDR 2025 starts in 2010)
    coca = load("coca_cultivation")
    assert one(coca[coca.headline], iso3="PER", year=2009)["source_id"] == "unodc_wdr2022_coca"
    assert headline("PER", 2009) == 59_900
    sources = set(coca[coca.headline & coca.year.ge(2010)]["source_id"])
    assert sources == {"unodc_wdr2025_coca"}
    # one headline per country-year, for Bolivia, Colombia, Peru x 2009-2023 = 3 x 15
    assert coca.headline.sum() == 45


def test_peru_national_monitoring_totals_are_kept_apart():
    # peru_coca_by_department 2020-2024 TOTAL row: 61777 80681 95008 92784 89755;
    # 2017-2021 table Total* row: 49,900 54,134 54,655
    coca = load("coca_cultivation")
    peru = coca[coca.source_id.str.startswith("peru_coca")].set_index("year")["hectares"]
    assert peru.to_dict() == {2017: 49_900, 2018: 54_134, 2019: 54_655, 2020: 61_777, 2021: 80_681,
                              2022: 95_008, 2023: 92_784, 2024: 89_755}
    assert not coca[coca.source_id.str.startswith("peru_coca")]["headline"].any()


def test_peru_population_2012_from_wdi():
    # population/wdi_population_SP.POP.TOTL_lac.csv: PER,Peru,2012,29550366
    assert one(load("population"), iso3="PER", year=2012)["population"] == 29_550_366


def test_peru_gsh2013_police_count_and_rate():
    # GSH 2013 sheet, Peru, CJ, "CTS/National police/OAS": Count 2012 = 2865, 2011 = 2850; Rate 2012 = 9.6
    homicide = load("homicide")
    row = one(homicide, iso3="PER", year=2012, source_type="criminal_justice")
    assert (row["count"], row["rate_per_100k"], row["source_org"]) == (2865, 9.6, "CTS/National police/OAS")
    assert one(homicide, iso3="PER", year=2011, source_type="criminal_justice")["count"] == 2850
    # 2,865 victims / 29,550,366 people = 9.70 per 100k, close to the published 9.6 (GSH used its own population)
    assert 2865 / 29_550_366 * 1e5 == pytest.approx(9.70, abs=0.01)


def test_wdi_and_ihme_series_for_peru_2012():
    # WDI file: PER 2012 rate 6.7 (PROVENANCE: Peru only from 2011, 5.5 in 2011); IHME: ~1,075 deaths, 3.5/100k
    homicide = load("homicide")
    wdi = one(homicide, iso3="PER", year=2012, source_type="wdi_series")
    assert wdi["rate_per_100k"] == pytest.approx(6.7, abs=0.05) and pd.isna(wdi["count"])
    assert homicide[(homicide.iso3 == "PER") & (homicide.source_type == "wdi_series")]["year"].min() == 2011
    ihme = one(homicide, iso3="PER", year=2012, source_type="modelled_all_violence")
    assert ihme["count"] == pytest.approx(1075, abs=10) and ihme["rate_per_100k"] == pytest.approx(3.5, abs=0.1)


def test_gsh_source_types():
    # GSH 2013 sheet: Peru is CJ (police), Aruba is PH ("WHO-MDB/PAHO", 2002 count 5, rate 5.3)
    homicide = load("homicide")
    gsh = homicide[homicide.source_id == "unodc_gsh2013"]
    assert set(gsh.source_type) == {"criminal_justice", "public_health"}
    aruba = one(gsh, iso3="ABW", year=2002)
    assert (aruba["source_type"], aruba["count"], aruba["rate_per_100k"]) == ("public_health", 5, 5.3)


def test_seizures_2019_uses_wdr_2025_and_sums_cocaine_rows_only():
    # WDR 2025 Peru 2019: coca paste/base 16155 + hydrochloride 25050 = 41205 kg (coca leaf excluded);
    # the 1995-2019 file gives 16154.8068 + 25049.6619 = 41204.47 for the same year
    seizures = load("cocaine_seizures")
    row = one(seizures, iso3="PER", year=2019)
    assert (row["kilograms"], row["source_id"]) == (41_205, "unodc_wdr2025_seizures")
    # 2012 from the old file: paste/base 19697.0 + salts 12677.02 (coca leaf 2,091,440 kg excluded)
    old = one(seizures, iso3="PER", year=2012)
    assert old["source_id"] == "unodc_seizures_1995_2019"
    assert old["kilograms"] == pytest.approx(19_697 + 12_677.02, abs=0.5)
    # Colombia 2010: paste/base 50090 + salts 164808.32
    assert one(seizures, iso3="COL", year=2010)["kilograms"] == pytest.approx(214_898.32, abs=0.01)


def test_cpi_scales_are_kept_apart():
    # Datahub: Peru 2011 = 3.386 on 0-10; Peru 2012 = 3.8 on 0-10 in the file = 38 as published (0-100)
    corruption = load("corruption")
    peru = corruption[corruption.iso3 == "PER"]
    assert one(peru, year=2011, indicator="cpi_0_10")["value"] == 3.386
    assert one(peru, year=2012, indicator="cpi_0_100")["value"] == 38
    assert corruption[corruption.indicator == "cpi_0_10"]["year"].max() == 2011
    assert corruption[corruption.indicator == "cpi_0_100"]["year"].min() == 2012
    # Argentina 2014: Datahub 3.4 -> 34 preferred over the hand-compiled 37
    assert one(corruption, iso3="ARG", year=2014, indicator="cpi_0_100")["value"] == 34


def test_loader_types():
    homicide = load("homicide")
    assert str(homicide["count"].dtype) == "Int64"
    assert homicide["year"].dtype == "int64" and homicide["rate_per_100k"].dtype == "float64"
    assert load("coca_cultivation")["headline"].dtype == bool
    assert load("countries")["south_america"].dtype == bool
    assert pd.api.types.is_string_dtype(homicide["iso3"])
    assert str(load("article_claims")["year"].dtype) == "Int64"


def test_loader_reads_only_the_table_and_its_schema(tmp_path):
    # a folder with nothing but one CSV and its schema (no datapackage.json) loads fine
    (tmp_path / "schemas").mkdir()
    (tmp_path / "population.csv").write_bytes((DEFAULT_DATA / "population.csv").read_bytes())
    (tmp_path / "schemas" / "population.json").write_bytes((DEFAULT_DATA / "schemas" / "population.json").read_bytes())
    assert len(load("population", data_dir=tmp_path)) == len(load("population"))


def test_data_dir_follows_paradox_data(monkeypatch, tmp_path):
    monkeypatch.delenv("PARADOX_DATA", raising=False)
    assert data_dir() == DEFAULT_DATA
    monkeypatch.setenv("PARADOX_DATA", str(tmp_path))
    assert data_dir() == tmp_path


def test_every_country_code_is_known_and_south_america_flag():
    countries = load("countries").set_index("iso3")
    assert countries.loc["PER", "south_america"] and countries.loc["COL", "south_america"]
    assert not countries.loc["MEX", "south_america"]
    assert countries.loc["WLD", "is_aggregate"] and pd.isna(countries.loc["WLD", "region"])
    assert countries.loc["PER", "subregion"] == "South America"
