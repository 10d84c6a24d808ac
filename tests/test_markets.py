"""Markets: the US share in tonnes, the value chain's two readings, seizures and use."""

import numpy as np
import pandas as pd
import pytest
from factories import MARKET_COUNTRIES, real_tables as _real_tables, claims_frame, population_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import markets as mk

CLAIMS = claims_frame([
    {"claim_id": "cocaine_production_tons", "value": 325, "unit": "tonnes", "wording": "estimated"},
    {"claim_id": "us_consumption_tons", "value": 300, "unit": "tonnes", "wording": "estimated"},
    {"claim_id": "us_share_pct", "value": 5, "low": 5, "unit": "percent", "wording": "as little as"},
    {"claim_id": "drug_earnings_usd", "value": 1e9, "low": 1e9, "unit": "USD", "wording": "well over"},
    {"claim_id": "rio_street_multiple", "value": 5, "unit": "multiple", "wording": "exact"},
    {"claim_id": "london_multiple", "value": 10, "unit": "multiple", "wording": "exact"},
])

COUNTRIES = MARKET_COUNTRIES


@pytest.fixture(scope="module")
def real_tables():
    return _real_tables()


def seizures_frame(kg: dict[str, dict[int, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"iso3": i, "year": y, "kilograms": v, "source_id": "unodc_seizures"}
                         for i, s in kg.items() for y, v in s.items()])


def test_us_bound_volume_keeps_as_little_as():
    e = mk.us_bound_volume(CLAIMS)
    # 5% x 300 t = 15 t; "as little as" is a floor on the share, so 15 t is a floor too
    assert (e.point, e.low, e.high) == (15, 15, None)
    assert str(e) == "as little as 15 tonnes"


def test_remainder_flips_the_bound():
    e = mk.remainder_for_other_markets(CLAIMS)
    # 325 t - 15 t = 310 t; a floor on the US volume is a ceiling on the remainder
    assert (e.point, e.low, e.high) == (310, None, 310)
    assert str(e) == "at most 310 tonnes"


def test_value_chain_returns_both_readings():
    v = mk.value_chain(CLAIMS).set_index(["reading", "stage"])
    # Rio: 5 x $1 bn = $5 bn under both readings
    assert v.loc[("tenfold_rio", "Rio"), "point"] == 5e9
    assert v.loc[("tenfold_source", "Rio"), "point"] == 5e9
    # London: 10 x Rio = 5 x 10 x $1 bn = $50 bn, or 10 x source = $10 bn
    assert v.loc[("tenfold_rio", "London"), "point"] == 50e9
    assert v.loc[("tenfold_source", "London"), "point"] == 10e9
    assert str(mk.london_value(CLAIMS, "tenfold_rio")) == "at least $50 billion"
    assert str(mk.london_value(CLAIMS, "tenfold_source")) == "at least $10 billion"
    with pytest.raises(ValueError, match="reading must be one of"):
        mk.london_value(CLAIMS, "hundredfold")


def test_seizure_series_sums_western_europe():
    s = mk.seizure_series(seizures_frame({"ESP": {2010: 25_000, 2011: 16_000},
                                          "NLD": {2010: 10_000}, "BRA": {2010: 28_000},
                                          "USA": {2010: 87_000}}), COUNTRIES)
    we = s.query("market == 'Western Europe'").set_index("year")
    # 2010: 25,000 + 10,000 = 35,000 kg from 2 reporters; 2011: Spain alone
    assert we.loc[2010, "kilograms"] == 35_000 and we.loc[2010, "n_reporting"] == 2
    assert we.loc[2011, "n_reporting"] == 1
    # 35,000 kg = 35 tonnes
    assert str(mk.seizures_in(s, "Western Europe", 2010)) == "35 tonnes"


def test_seizure_growth_recovers_an_exact_rate():
    # kg = 1,000 x 1.10^t for 2000-2012 -> growth exactly 10% a year
    kg = {2000 + t: 1000 * 1.10 ** t for t in range(13)}
    s = mk.seizure_series(seizures_frame({"BRA": kg, "USA": kg, "ESP": kg}), COUNTRIES)
    e = mk.seizure_growth(s, "Brazil")
    assert e.point == pytest.approx(10.0, abs=1e-6)
    assert e.contains(10.0) and "n = 13 years" in e.method


@settings(max_examples=25, deadline=None)
@given(st.floats(-0.2, 0.4), st.integers(0, 10_000))
def test_seizure_growth_recovers_a_noisy_rate(rate, seed):
    rng = np.random.default_rng(seed)
    years = np.arange(1995, 2024)
    kg = 5_000 * np.exp(rate * (years - 1995) + rng.normal(0, 0.1, len(years)))
    s = mk.seizure_series(seizures_frame({"BRA": dict(zip(years, kg))}), COUNTRIES)
    e = mk.seizure_growth(s, "Brazil")
    # slope SE ~ 0.1 / sqrt(sum (t - mean)^2 = 2,030) = 0.0022; 0.01 is > 4 SE
    assert np.log1p(e.point / 100) == pytest.approx(rate, abs=0.01)
    assert e.low <= e.point <= e.high


def test_too_few_years_is_refused():
    s = mk.seizure_series(seizures_frame({"BRA": {2010: 1.0, 2011: 2.0}}), COUNTRIES)
    with pytest.raises(ValueError, match="Brazil has 2 years in range, need >= 5"):
        mk.seizure_growth(s, "Brazil")


def test_users_rank_countries_by_prevalence_times_population():
    use = pd.DataFrame([
        {"iso3": "BRA", "year": 2012, "age_group": "15-64", "prevalence_pct": 2.0,
         "low_pct": None, "high_pct": None, "method": "HHS", "source_id": "unodc_prev"},
        {"iso3": "BRA", "year": 2005, "age_group": "12-65", "prevalence_pct": 0.7,
         "low_pct": None, "high_pct": None, "method": "HHS", "source_id": "unodc_prev"},
        {"iso3": "USA", "year": 2012, "age_group": "12+", "prevalence_pct": 1.5,
         "low_pct": None, "high_pct": None, "method": "HHS", "source_id": "unodc_prev"}])
    pop = population_frame({("BRA", 2012): 200e6, ("USA", 2012): 314e6})
    t = mk.users_table(use, pop).set_index("iso3")
    # BRA: 2.0% x 200 M = 4.0 M (15-64 survey preferred); USA: 1.5% x 314 M = 4.71 M
    assert t.loc["BRA", "users"] == pytest.approx(4.0e6)
    assert t.loc["USA", "users"] == pytest.approx(4.71e6)
    assert (t.loc["USA", "rank"], t.loc["BRA", "rank"]) == (1, 2)
    assert str(mk.users_estimate(use, pop, "BRA")) == "about 4,000,000 people"


# --- the real data (this vintage of data/) -------------------------------------------------

def test_real_us_share_and_value_chain(real_tables):
    claims = real_tables["article_claims"]
    # 5% x 300 t = 15 t; 325 - 15 = 310 t
    assert str(mk.us_bound_volume(claims)) == "as little as 15 tonnes"
    assert str(mk.remainder_for_other_markets(claims)) == "at most 310 tonnes"
    assert str(mk.london_value(claims, "tenfold_rio")) == "at least $50 billion"


def test_real_brazil_seizures_grow_faster_than_the_us(real_tables):
    s = mk.seizure_series(real_tables["cocaine_seizures"], real_tables["countries"])
    g = mk.growth_table(s).set_index("market")
    # 29 years 1995-2023 in each market
    assert (g["n_years"] == 29).all()
    # Brazil 5.8 t (1995) -> 72.5 t (2023); CIs do not overlap with the US
    assert g.loc["Brazil", "ci_low"] > g.loc["United States", "ci_high"]
    assert g.loc["Brazil", "first_kg"] == pytest.approx(5814.857, abs=0.01)


USE = pd.DataFrame([
    {"iso3": "BRA", "year": 2005, "age_group": "12-65", "prevalence_pct": 0.7, "low_pct": None,
     "high_pct": None, "method": "HHS", "source_id": "unodc_prev"},
    {"iso3": "BRA", "year": 2012, "age_group": "15-64", "prevalence_pct": 2.18, "low_pct": None,
     "high_pct": None, "method": "HHS", "source_id": "unodc_prev"},
    {"iso3": "PER", "year": 2017, "age_group": "15-64", "prevalence_pct": 0.964,
     "low_pct": 0.175, "high_pct": 1.752, "method": "SS", "source_id": "unodc_prev"}])


def test_prevalence_picks_the_survey_nearest_a_year():
    assert mk.prevalence(USE, "BRA").year == 2012
    # 2008 is 3 years from 2005 and 4 from 2012 -> the 2005 survey
    e = mk.prevalence(USE, "BRA", near_year=2008)
    assert (e.point, e.year) == (0.7, 2005) and "12-65" in e.method
    # 2.18% printed with the survey year
    assert str(mk.prevalence(USE, "BRA")) == "2.2% (2012)"


def test_prevalence_keeps_unodc_range():
    e = mk.prevalence(USE, "PER")
    assert (e.low, e.high) == (0.175, 1.752)
    # 0.964 (0.175-1.752): one decimal because the range passes 1
    assert str(e) == "1.0% (2017; UNODC range 0.2\u20131.8%)"  # en dash: the formatter's ranges


def test_market_rank_among_covered_countries():
    use = pd.concat([USE, pd.DataFrame([{"iso3": "USA", "year": 2012, "age_group": "15-64",
                                         "prevalence_pct": 2.3, "low_pct": None, "high_pct": None,
                                         "method": "HHS", "source_id": "unodc_prev"}])])
    pop = population_frame({("BRA", 2012): 199e6, ("USA", 2012): 314e6, ("PER", 2017): 31.3e6})
    # USA 2.3% x 314 M = 7.2 M; BRA 2.18% x 199 M = 4.3 M; PER 0.964% x 31.3 M = 0.3 M
    e = mk.market_rank(use, pop, "BRA")
    assert (e.point, str(e)) == (2, "2nd") and "Rank of 3 countries" in e.method


def test_us_share_of_output():
    # "as little as 5%" of 300 tonnes = 15 tonnes, / 325 tonnes produced = 4.6%: "about 5%"
    e = mk.us_share_of_output(CLAIMS)
    assert e.point == pytest.approx(15 / 325 * 100)
    assert str(e) == "about 5%"


def test_stage_floors_are_the_value_chains_lows_with_the_formatters_hedge():
    # well over $1 billion x (1, 5, 50) and x (1, 5, 10): every stage a floor, "at least ..."
    floors = mk.stage_floors(CLAIMS)
    assert [str(e) for e in floors] == ["at least $1 billion", "at least $5 billion",
                                        "at least $50 billion", "at least $1 billion",
                                        "at least $5 billion", "at least $10 billion"]
    assert [e.low for e in floors] == list(mk.value_chain(CLAIMS)["low"])


def test_survey_prints_one_decimal_with_year_and_range():
    row = pd.Series({"iso3": "BRA", "year": 2011, "age_group": "15-64", "prevalence_pct": 1.75,
                     "low_pct": 1.2, "high_pct": 2.3, "method": "household",
                     "source_id": "unodc_wdr2025_prevalence"})
    assert str(mk.survey(row)) == "1.8% (2011; range 1.2\u20132.3%)"  # en dash between the ends


def _two_markets(brazil: dict, usa: dict) -> pd.DataFrame:
    rows = [{"market": m, "year": y, "kilograms": kg, "n_reporting": 1, "source_ids": "src"}
            for m, d in (("Brazil", brazil), ("United States", usa)) for y, kg in d.items()]
    return pd.DataFrame(rows)


def test_divergence_timing_splits_the_change_in_the_log_ratio():
    # US flat at 100 t; Brazil 1 t in 2001-2003, 10 t in 2010-2012, 100 t in 2021-2023:
    # log ratio -4.61 -> -2.30 -> 0, half the change (2.30 of 4.61) before 2013
    years = range(2001, 2024)
    bra = {y: 1e3 if y <= 2003 else 1e4 if y <= 2012 else 1e5 for y in years}
    t = mk.divergence_timing(_two_markets(bra, {y: 1e5 for y in years}))
    assert t["start"] == pytest.approx(np.log(0.01)) and t["end"] == pytest.approx(0.0)
    assert t["share_before"] == pytest.approx(50.0)
    assert t["years"] == (2001, 2012, 2023)


def test_since_peak_reads_the_fall_after_the_peak(real_tables):
    s = mk.seizure_series(real_tables["cocaine_seizures"], real_tables["countries"])
    r = mk.since_peak(s, "Brazil")
    bra = real_tables["cocaine_seizures"].query("iso3 == 'BRA'").set_index("year")["kilograms"]
    # this vintage: Brazil peaked in 2019 (104.6 t) and seized 72.5 t in 2023, -31%
    assert r["peak"].year == int(bra.idxmax()) and r["latest"].year == int(bra.index.max())
    assert r["change"].point == pytest.approx(100 * (bra.loc[bra.index.max()] / bra.max() - 1))
    with pytest.raises(KeyError, match="no Atlantis figures"):
        mk.since_peak(s, "Atlantis")


def test_largest_jump_takes_consecutive_years_only():
    # USA 2013 87,000 -> 2014 86,000 -> 2015 185,000 kg (2.151x); 2016 -> 2019 is a gap
    kg = {2013: 87_000, 2014: 86_000, 2015: 185_000, 2016: 200_000, 2019: 600_000}
    s = mk.seizure_series(seizures_frame({"USA": kg}), COUNTRIES)
    j = mk.largest_jump(s, "United States")
    assert j["year"] == 2015
    assert (j["before"].point, j["after"].point) == (86, 185)
    assert j["ratio"].point == pytest.approx(185 / 86)


def test_splice_years_name_the_change_of_source():
    s = pd.DataFrame({"market": "Brazil", "year": [2017, 2018, 2019, 2020], "kilograms": 1.0,
                      "n_reporting": 1, "source_ids": ["a", "a", "b", "b"]})
    assert mk.splice_years(s) == [2019]
    assert mk.splice_years(s.assign(source_ids="a")) == []
