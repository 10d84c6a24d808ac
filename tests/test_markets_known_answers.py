"""Known answers for the markets chapter: every Estimate a reader sees (its text, bounds,
sources, year and method note) on small hand-made tables whose answers are worked out in the
comments, and the growth CI against a statsmodels fit written out here (OLS on [1, t], HAC
errors with two lags)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from factories import MARKET_COUNTRIES, claims_frame, population_frame

from analysis import markets as mk

NOTE = ("Seizures measure enforcement as much as traffic: a rise can mean more cocaine or more "
        "(or better-reported) policing.")


def _claims(us_value=300.0, us_low=None, share=(5.0, 5.0, 8.0), prod=(325.0, None),
            src=(1.2e9, 1e9)):
    """Article claims, each with its own source id so citations can be traced."""
    return claims_frame([
        {"claim_id": "cocaine_production_tons", "value": prod[0], "low": prod[1],
         "wording": "estimated", "source_id": "s_prod"},
        {"claim_id": "us_consumption_tons", "value": us_value, "low": us_low,
         "wording": "estimated", "source_id": "s_us"},
        {"claim_id": "us_share_pct", "value": share[0], "low": share[1], "high": share[2],
         "wording": "as little as", "source_id": "s_share"},
        {"claim_id": "drug_earnings_usd", "value": src[0], "low": src[1], "wording": "well over",
         "source_id": "s_src"},
        {"claim_id": "rio_street_multiple", "value": 5, "wording": "exact", "source_id": "s_rio"},
        {"claim_id": "london_multiple", "value": 10, "wording": "exact", "source_id": "s_lon"},
    ])


def test_us_bound_volume_in_full():
    e = mk.us_bound_volume(_claims())
    # share 5% (5-8%) of 300 t: 15 t (15-24 t)
    assert (e.point, e.low, e.high, e.unit) == (15, 15, 24, "tonnes")
    assert e.hedge == "as little as" and e.sources == ("s_share", "s_us")
    assert e.method == ("Peru's share of the US market x estimated US consumption, both from the "
                        "article; a share, not a measured flow.")
    # US consumption stated as a value (300) with a lower floor (250): the value is used
    assert mk.us_bound_volume(_claims(us_value=300.0, us_low=250.0)).point == 15
    # stated only as a floor ("at least 250 t"): the floor, 5% x 250 = 12.5 t
    assert mk.us_bound_volume(_claims(us_value=None, us_low=250.0)).point == 12.5


def test_remainder_in_full():
    e = mk.remainder_for_other_markets(_claims())
    # 325 - 15 = 310; 325 - 24 = 301 (the US ceiling is the remainder's floor); 325 - 15 = 310
    assert (e.point, e.low, e.high, e.unit) == (310, 301, 310, "tonnes")
    assert e.sources == ("s_prod", "s_share", "s_us")
    assert e.method == ("Stated production minus the US-bound volume; assumes the 300 t US "
                        "figure and the 325 t production figure refer to the same year.")
    # production as a value with a floor below it: the value (325, not 300) is used
    assert mk.remainder_for_other_markets(_claims(prod=(325.0, 300.0))).point == 310
    # production stated only as a floor of 300: 300 - 15 = 285
    assert mk.remainder_for_other_markets(_claims(prod=(None, 300.0))).point == 285
    # a share with no point and no ceiling: the remainder has no point and no floor
    open_share = mk.remainder_for_other_markets(_claims(share=(None, 5.0, None)))
    assert (open_share.point, open_share.low, open_share.high) == (None, None, 310)


def test_value_chain_in_full():
    v = mk.value_chain(_claims())
    assert list(v.columns) == ["reading", "reading_label", "stage", "multiple", "low", "point"]
    assert v["stage"].tolist() == ["source", "Rio", "London"] * 2
    assert v["reading_label"].tolist() == [mk.READINGS["tenfold_rio"]] * 3 + \
        [mk.READINGS["tenfold_source"]] * 3
    # stated $1.2 bn, floor $1 bn; multiples 1, 5, 50 and 1, 5, 10
    assert v["multiple"].tolist() == [1, 5, 50, 1, 5, 10]
    assert v["point"].tolist() == pytest.approx([1.2e9, 6e9, 60e9, 1.2e9, 6e9, 12e9])
    assert v["low"].tolist() == pytest.approx([1e9, 5e9, 50e9, 1e9, 5e9, 10e9])
    # stated only as a floor ("well over $1 billion"): point = floor
    f = mk.value_chain(_claims(src=(None, 1e9)))
    assert f["point"].tolist() == f["low"].tolist() == pytest.approx([1e9, 5e9, 50e9, 1e9, 5e9, 10e9])


def test_london_value_in_full():
    e = mk.london_value(_claims(), "tenfold_source")
    # $1.2 bn x 10 = $12 bn; floor $1 bn x 10 = $10 bn; no ceiling
    assert (e.point, e.low, e.high, e.unit) == (12e9, 10e9, None, "USD")
    assert e.sources == ("s_src",)
    assert e.method == "Reading: tenfold the source value (London = 10 x source)."


def _seizures(rows):
    return pd.DataFrame([{"iso3": i, "year": y, "kilograms": kg, "source_id": s}
                         for i, y, kg, s in rows])


COUNTRIES = MARKET_COUNTRIES


def test_seizure_series_joins_source_ids_and_numbers_rows():
    s = mk.seizure_series(_seizures([("ESP", 2010, 25_000, "b"), ("NLD", 2010, 10_000, "a"),
                                     ("BRA", 2010, 28_000, "a")]), COUNTRIES)
    assert s.index.tolist() == list(range(len(s)))
    assert s.set_index("market").loc["Western Europe", "source_ids"] == "a;b"


def _brazil(kg: dict[int, float], ids: str = "a;b") -> pd.DataFrame:
    return pd.DataFrame([{"market": "Brazil", "year": y, "kilograms": v, "n_reporting": 3,
                          "source_ids": ids} for y, v in kg.items()])


# log kg = 7 + 0.1 t + a fixed wiggle, 2000-2009 (t = 0..9), plus a zero year (2010) that has
# no log and must be dropped
WIGGLE = [0.05, -0.03, 0.08, -0.06, 0.02, -0.01, 0.07, -0.08, 0.03, -0.04]
KG = {2000 + t: float(np.exp(7 + 0.1 * t + w)) for t, w in enumerate(WIGGLE)} | {2010: 0.0}


def _hac(years: list[int], level: float = 0.95) -> tuple[float, float, float]:
    """Growth (%/yr) and its CI from OLS of log kg on [1, t] with HAC (Newey-West, 2 lags)
    errors, written out here."""
    t = np.array(years, float) - min(years)
    y = np.log([KG[yr] for yr in years])
    fit = sm.OLS(y, np.column_stack([np.ones(len(t)), t])).fit(cov_type="HAC",
                                                               cov_kwds={"maxlags": 2})
    lo, hi = fit.conf_int(alpha=1 - level)[1]
    return tuple(100 * (np.exp(v) - 1) for v in (fit.params[1], lo, hi))


def test_seizure_growth_against_a_hac_fit_written_out():
    e = mk.seizure_growth(_brazil(KG), "Brazil")
    want = _hac(list(range(2000, 2010)))
    assert (e.point, e.low, e.high) == pytest.approx(want, rel=1e-9)
    assert (e.unit, e.interval, e.sources) == ("percent_per_year", "95% CI", ("a", "b"))
    assert e.method == ("OLS of log seizures on year, 2000-2009, n = 10 years, Newey-West "
                        "errors (lag 2). " + NOTE)


def test_seizure_growth_years_are_inclusive():
    e = mk.seizure_growth(_brazil(KG), "Brazil", start=2002, end=2006)
    # 2002..2006 inclusive: five years, the fewest allowed
    assert "2002-2006, n = 5 years" in e.method
    assert (e.point, e.low, e.high) == pytest.approx(_hac(list(range(2002, 2007))), rel=1e-9)
    with pytest.raises(ValueError, match="Brazil has 4 years in range, need >= 5"):
        mk.seizure_growth(_brazil(KG), "Brazil", start=2003, end=2006)
    assert mk.seizure_growth(_brazil(KG), "Brazil", level=0.9).interval == "90% CI"


def test_growth_table_in_full():
    series = pd.concat([_brazil(KG), _brazil(KG).assign(market="United States"),
                        _brazil(KG).assign(market="Western Europe")], ignore_index=True)
    g = mk.growth_table(series, start=2001, end=2008).set_index("market")
    assert list(g.columns) == ["growth_pct", "ci_low", "ci_high", "n_years", "first_year",
                               "last_year", "first_kg", "last_kg"]
    want = _hac(list(range(2001, 2009)))
    assert (g.loc["Brazil", "growth_pct"], g.loc["Brazil", "ci_low"], g.loc["Brazil", "ci_high"]) \
        == pytest.approx(want, rel=1e-9)
    assert g.loc["Brazil", ["n_years", "first_year", "last_year"]].tolist() == [8, 2001, 2008]
    assert g.loc["Brazil", "first_kg"] == KG[2001] and g.loc["Brazil", "last_kg"] == KG[2008]
    # no bounds: all the years with seizures (the zero year 2010 is not one)
    whole = mk.growth_table(series).set_index("market")
    assert whole.loc["Brazil", ["n_years", "first_year", "last_year"]].tolist() == [10, 2000, 2009]
    assert whole.loc["Brazil", "last_kg"] == KG[2009]


def test_seizures_in_in_full():
    s = _brazil({2010: 35_400.0})
    e = mk.seizures_in(s, "Brazil", 2010)
    # 35,400 kg = 35.4 tonnes, printed whole
    assert (e.point, e.year, str(e)) == (35.4, 2010, "35 tonnes")
    assert e.sources == ("a", "b")
    assert e.method == "Sum over 3 reporting countries. " + NOTE
    with pytest.raises(KeyError, match="no Brazil figure for 2011"):
        mk.seizures_in(s, "Brazil", 2011)


def _pair(bra: dict, usa: dict) -> pd.DataFrame:
    rows = [{"market": m, "year": y, "kilograms": kg, "n_reporting": 1, "source_ids": "src"}
            for m, d in (("Brazil", bra), ("United States", usa)) for y, kg in d.items()]
    return pd.DataFrame(rows)


def test_divergence_timing_windows_by_hand():
    # US 100 kg every year; Brazil's log ratio log(bra / 100) set year by year:
    # 2001..2012 and 2013..2016 with window 2, split 2010
    lr = {2001: -4.0, 2002: -3.0, 2003: -2.5, 2004: -2.0, 2005: -2.0, 2006: -1.8,
          2007: -1.5, 2008: -1.2, 2009: -1.0, 2010: -0.5, 2011: -0.2, 2012: 0.0}
    bra = {y: 100 * np.exp(v) for y, v in lr.items()}
    t = mk.divergence_timing(_pair(bra, {y: 100.0 for y in lr}), split=2010, window=2)
    # start = mean(2001, 2002) = -3.5; at split = mean(2008, 2009) = -1.1;
    # end = mean(2011, 2012) = -0.1; before = 2.4, after = 1.0, share 2.4 / 3.4 = 70.588%
    assert t["start"] == pytest.approx(-3.5) and t["at_split"] == pytest.approx(-1.1)
    assert t["end"] == pytest.approx(-0.1)
    assert t["before"] == pytest.approx(2.4) and t["after"] == pytest.approx(1.0)
    assert t["share_before"] == pytest.approx(240 / 3.4)
    assert t["years"] == (2001, 2009, 2012)


def test_divergence_timing_skips_years_without_seizures_and_reads_no_change():
    # a year where either market seized nothing has no log ratio; small amounts (0.5 kg) count
    bra = {2001: 0.0, 2002: 0.5, 2003: 0.5, 2004: 0.5, 2005: 0.5, 2006: 0.5}
    usa = {2001: 1.0, 2002: 0.5, 2003: 0.5, 2004: 0.0, 2005: 0.5, 2006: 0.5}
    t = mk.divergence_timing(_pair(bra, usa), split=2005, window=1)
    # log ratios 0 in 2002, 2003, 2005, 2006: no change at all, so no share to report
    assert t["years"] == (2002, 2004, 2006)
    assert (t["start"], t["end"], t["share_before"]) == (0.0, 0.0, None)


def test_since_peak_in_full():
    s = _brazil({2017: 80_000.0, 2018: 104_600.0, 2019: 0.0, 2020: 0.6})
    r = mk.since_peak(s, "Brazil")
    # peak 104.6 t in 2018; the latest year with seizures is 2020 (0.6 kg; 2019 seized none)
    assert (r["peak"].point, r["peak"].year, str(r["peak"])) == (104.6, 2018, "105 tonnes")
    assert (r["latest"].point, r["latest"].year) == (0.0006, 2020)
    assert r["peak"].sources == r["latest"].sources == r["change"].sources == ("a", "b")
    assert r["peak"].method == "Sum over 3 reporting countries. " + NOTE
    # 0.6 / 104,600 - 1 = -99.99943%: -100%
    assert r["change"].point == pytest.approx(100 * (0.6 / 104_600 - 1))
    assert str(r["change"]) == "−100%"
    assert r["change"].method == "Brazil: 2020 against the peak year 2018."
    r2 = mk.since_peak(_brazil({2017: 80_000.0, 2018: 104_600.0, 2019: 72_450.0}), "Brazil")
    # 72.45 / 104.6 - 1 = -30.736%: "−31%"; 72.45 t prints "72 tonnes"
    assert (str(r2["change"]), str(r2["latest"])) == ("−31%", "72 tonnes")


USE = pd.DataFrame([
    {"iso3": "BRA", "year": 2005, "age_group": "12-65", "prevalence_pct": 0.7, "low_pct": None,
     "high_pct": None, "method": "HHS", "source_id": "p"},
    {"iso3": "BRA", "year": 2012, "age_group": "15-64", "prevalence_pct": 2.18, "low_pct": None,
     "high_pct": None, "method": "HHS", "source_id": "p"},
    {"iso3": "BRA", "year": 2012, "age_group": "12-65", "prevalence_pct": 1.9, "low_pct": None,
     "high_pct": None, "method": "HHS", "source_id": "p"},
    {"iso3": "ARG", "year": 2010, "age_group": "16-65", "prevalence_pct": 2.0, "low_pct": None,
     "high_pct": None, "method": None, "source_id": "q"},
])


def test_use_prevalence_prefers_15_64_and_the_nearest_year():
    t = mk.use_prevalence(USE)
    # latest survey; in 2012 Brazil has two, the 15-64 one is kept
    assert t[["iso3", "year", "age_group"]].values.tolist() == [["ARG", 2010, "16-65"],
                                                                 ["BRA", 2012, "15-64"]]
    assert t.index.tolist() == [0, 1] and list(t.columns) == list(USE.columns)
    # 2011 is one year from 2012 and six from 2005: the 2012 survey
    assert mk.use_prevalence(USE, ["BRA"], near_year=2011)["year"].tolist() == [2012]
    assert mk.use_prevalence(USE, ["BRA"], near_year=2007)["year"].tolist() == [2005]


def test_prevalence_in_full():
    e = mk.prevalence(USE, "ARG")
    assert (e.point, e.year, e.unit, e.sources, e.interval) == (2.0, 2010, "percent", ("q",),
                                                                "UNODC range")
    assert e.method == ("Ages 16-65, survey method not stated. Surveys differ in age range and "
                        "method between countries and years.")
    assert mk.prevalence(USE, "BRA").method.startswith("Ages 15-64, survey method HHS.")
    with pytest.raises(KeyError, match="no survey for PER"):
        mk.prevalence(USE, "PER")


POP = population_frame({("BRA", 2012): 200e6, ("BRA", 2005): 186e6, ("ARG", 2010): 218e6})


def test_users_in_full():
    t = mk.users_table(USE, POP)
    # BRA 2.18% x 200 M = 4.36 M; ARG 2.0% x 218 M = 4.36 M: a tie shares rank 1
    assert t["users"].tolist() == pytest.approx([4.36e6, 4.36e6])
    assert t["rank"].tolist() == [1, 1] and t["rank"].dtype.kind == "i"
    e = mk.users_estimate(USE, POP, "BRA")
    assert (e.point, e.year, e.hedge, e.unit) == (4_360_000, 2012, "about", "people")
    assert e.sources == ("p", "wdi_population")
    assert e.method == ("Prevalence 2.18% (15-64, HHS) x total population; overstates users "
                        "because total population exceeds the surveyed age group.")
    # near 2006: Brazil's 2005 survey, 0.7% x 186 M = 1,302,000
    e05 = mk.users_estimate(USE, POP, "BRA", near_year=2006)
    assert (e05.point, e05.year) == (1_302_000, 2005)
    with pytest.raises(KeyError, match="no survey year with population for PER"):
        mk.users_estimate(USE, POP, "PER")


def test_users_estimate_rounds_to_thousands():
    use = USE.assign(prevalence_pct=[0.7, 2.3456, 1.9, 2.0])
    # 2.3456% x 200 M = 4,691,200 -> 4,691,000
    assert mk.users_estimate(use, POP, "BRA").point == 4_691_000


def test_market_rank_in_full():
    use = USE.assign(prevalence_pct=[0.7, 2.5, 1.9, 2.0])
    # BRA 2.5% x 200 M = 5.0 M; ARG 2.0% x 218 M = 4.36 M
    e = mk.market_rank(use, POP, "ARG")
    assert (e.point, str(e), e.sources) == (2, "2nd", ("q", "wdi_population"))
    assert e.method == ("Rank of 2 countries of the Americas and Spain by prevalence x "
                        "population (surveys 2010–2012); the rest of the world is not in the "
                        "population table.")
    # near 2006: Brazil's 2005 survey, 0.7% x 186 M = 1.3 M, below Argentina
    assert mk.market_rank(use, POP, "BRA", near_year=2006).point == 2
    with pytest.raises(KeyError, match="PER cannot be ranked"):
        mk.market_rank(use, POP, "PER")


def test_us_share_of_output_cites_and_says_how():
    e = mk.us_share_of_output(_claims())
    assert e.sources == ("s_share", "s_us", "s_prod")
    assert e.method == "US-bound tonnes / stated production (markets.us_share_of_output)."


def test_stage_floors_cite_the_source_value():
    floors = mk.stage_floors(_claims())
    assert {e.sources for e in floors} == {("s_src",)}
    assert {e.unit for e in floors} == {"USD"}


def test_survey_in_full():
    row = pd.Series({"iso3": "BRA", "year": 2011, "age_group": "15-64", "prevalence_pct": 1.75,
                     "low_pct": 1.2, "high_pct": 2.3, "method": "household", "source_id": "w"})
    e = mk.survey(row)
    assert (e.digits, e.interval, e.sources) == (1, "range", ("w",))
    assert e.method == "UNODC annual prevalence, ages 15-64, method household."
    # one decimal: 1.75 -> 1.8
    assert str(e) == "1.8% (2011; range 1.2\u20132.3%)"


def test_largest_jump_in_full():
    s = pd.concat([_brazil({2013: 87_000.0, 2014: 86_000.0, 2015: 185_000.0, 2016: 0.0,
                            2017: 0.5, 2018: 0.9}, ids="a").assign(market="United States"),
                   _brazil({2013: 1.0, 2014: 100_000.0}, ids="z")], ignore_index=True)
    j = mk.largest_jump(s, "United States")
    # 185 / 86 = 2.151 (2015); 0.9 / 0.5 = 1.8 (2018); 2017 follows a year of none
    assert j["year"] == 2015
    assert j["ratio"].point == pytest.approx(185 / 86)
    assert (str(j["before"]), str(j["after"]), str(j["ratio"])) == ("86 tonnes", "185 tonnes",
                                                                     "2.2 times")
    assert (j["before"].year, j["after"].year) == (2014, 2015)
    assert j["before"].sources == j["ratio"].sources == ("a",)
    assert j["before"].method == NOTE
    assert j["ratio"].method == "United States: 2015 seizures over 2014's."
    with pytest.raises(KeyError, match="no consecutive Western Europe years"):
        mk.largest_jump(s, "Western Europe")


def test_splice_years_read_joined_source_ids():
    s = pd.DataFrame({"market": ["Brazil", "United States"] * 3,
                      "year": [2018, 2018, 2019, 2019, 2020, 2020], "kilograms": 1.0,
                      "n_reporting": 1, "source_ids": ["a", "a;b", "b;a", "a", "a;b", "b"]})
    # 2018 {a, b}; 2019 {a, b}; 2020 {a, b}: no change of source
    assert mk.splice_years(s) == []
    assert mk.splice_years(s.assign(source_ids=["a", "a", "a", "a;b", "b", "b"])) == [2019, 2020]


def test_share_without_a_floor_leaves_the_remainder_open_above():
    e = mk.remainder_for_other_markets(_claims(share=(5.0, None, 8.0)))
    # US 15 t (up to 24 t), no floor: remainder 310 t, at least 301 t, no ceiling
    assert (e.point, e.low, e.high) == (310, 301, None)


def test_small_seizures_count_and_zero_years_do_not():
    kg = {**KG, 2010: 0.5}                      # half a kilogram is a seizure
    series = pd.concat([_brazil(kg), _brazil(kg).assign(market="United States"),
                        _brazil(kg).assign(market="Western Europe")], ignore_index=True)
    g = mk.growth_table(series).set_index("market")
    assert g.loc["Brazil", ["n_years", "last_year"]].tolist() == [11, 2010]
    assert g.loc["Brazil", "last_kg"] == 0.5
    # a latest year with no seizures is not the latest year with seizures
    r = mk.since_peak(_brazil({2017: 5_000.0, 2018: 9_000.0, 2019: 0.0}), "Brazil")
    assert r["latest"].year == 2018


def test_three_way_tie_shares_the_top_rank():
    use = pd.DataFrame([{"iso3": i, "year": 2012, "age_group": "15-64", "prevalence_pct": 1.0,
                         "low_pct": None, "high_pct": None, "method": "HHS", "source_id": "p"}
                        for i in ("ARG", "BRA", "CHL")])
    pop = population_frame({(i, 2012): 1e6 for i in ("ARG", "BRA", "CHL")})
    assert mk.users_table(use, pop)["rank"].tolist() == [1, 1, 1]


def test_largest_jump_prints_whole_tonnes_with_joined_sources():
    s = _brazil({2013: 14_400.0, 2014: 33_120.0}, ids="a;b")
    j = mk.largest_jump(s, "Brazil")
    # 14.4 t -> 33.12 t: whole tonnes; the ratio 2.3 with one decimal
    assert (str(j["before"]), str(j["after"]), str(j["ratio"])) == ("14 tonnes", "33 tonnes",
                                                                     "2.3 times")
    assert j["ratio"].sources == ("a", "b")


def test_divergence_timing_skips_a_year_the_second_market_seized_nothing():
    # US seized nothing in 2001: no log ratio that year (not log(20 / 0) = infinity)
    bra = {2000: 10.0, 2001: 20.0, 2002: 40.0}
    usa = {2000: 10.0, 2001: 0.0, 2002: 10.0}
    t = mk.divergence_timing(_pair(bra, usa), split=2002, window=2)
    # log ratios: 2000 log(10 / 10) = 0, 2002 log(40 / 10) = log 4 = 1.386
    # start = mean of years to 2000 + 2 - 1 = 2001: 2000 only = 0; end = mean from 2002 - 2 + 1
    # = 2001: 2002 only = log 4
    assert t["start"] == 0.0
    assert t["end"] == pytest.approx(np.log(4))
    assert t["years"] == (2000, 2001, 2002)


def test_largest_jump_counts_a_seizure_under_one_kilogram():
    s = _brazil({2000: 0.5, 2001: 5.0, 2002: 6.0}, ids="a").assign(market="United States")
    j = mk.largest_jump(s, "United States")
    # 2001: 5 / 0.5 = 10 (the 0.5 kg year counts); 2002: 6 / 5 = 1.2
    assert j["year"] == 2001
    assert j["ratio"].point == pytest.approx(10.0)


def test_largest_jump_ratio_prints_one_decimal():
    s = _brazil({2000: 1000.0, 2001: 500.0}, ids="a").assign(market="United States")
    j = mk.largest_jump(s, "United States")
    # the only pair: 500 / 1,000 = 0.5, printed with one decimal (not the automatic two below 1)
    assert j["year"] == 2001
    assert str(j["ratio"]) == "0.5 times"
