"""Known answers for the specification curve's summaries and the complicity fit, on small
hand-made grids and panels whose answers are worked out in the comments or by a statsmodels
fit written out here (never through analysis.specifications). Each test builds its own input,
so that every function under test runs inside the test that checks it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from factories import claims_frame

from analysis import specifications as sp

GRID = pd.DataFrame({"estimable": [True, True, True, False, True], "year": [2012] * 4 + [2013],
                     "break_even": [1000.0, 2000.0, 3000.0, np.nan, 9.0],
                     "break_even_low": [800.0, 1500.0, 2500.0, np.nan, 1.0],
                     "break_even_high": [1300.0, 2600.0, 3900.0, np.nan, 99.0],
                     "sources": ["a", "a;b", "b", "z", "c"]})


def test_break_even_range_in_full():
    r = sp.break_even_range(GRID, 2012)
    # the three estimable 2012 rows: median 2,000; lowest CI end 800; highest 3,900
    assert (r.point, r.low, r.high) == (2000.0, 800.0, 3900.0)
    assert (r.unit, r.year, r.interval, r.sources) == ("homicides", 2012,
                                                       "range across specifications", ("a", "b"))
    assert r.method == ("3 specifications (yardstick x estimator x series x drug measure x "
                        "comparison set) for 2012: median break-even; range from the lowest to "
                        "the highest end of each one's 95% CI (the specifications' own "
                        "break-evens run from 1,000 to 3,000).")
    # a count prints without its year (the unit shows years for rates only)
    assert str(r) == "2,000 homicides (range across specifications 800–3,900)"


def test_counts_at_the_ends_of_the_range_are_inside_and_clear():
    t = sp.counts_against_break_even(GRID, {"at_low": 800, "at_high": 3900, "at_be": 1300}, 2012)
    assert list(t.columns) == ["figure", "count", "share_clears", "share_clears_ci", "n_specs",
                               "position"]
    t = t.set_index("figure")
    # the ends of the range belong to it
    assert t["position"].tolist() == ["inside the range"] * 3
    # 1,300 equals the top of the first specification's CI: it clears it (1 of 3)
    assert t.loc["at_be", "share_clears_ci"] == pytest.approx(100 / 3)
    assert t.loc["at_high", "share_clears_ci"] == 100.0
    assert t["n_specs"].tolist() == [3, 3, 3] and t.loc["at_low", "count"] == 800.0


def _tables(population=True, police_count=2865.0):
    hom = pd.DataFrame([
        {"iso3": "PER", "year": 2012, "source_type": "wdi_series", "rate_per_100k": 6.6,
         "count": np.nan},
        {"iso3": "PER", "year": 2012, "source_type": "criminal_justice", "rate_per_100k": 9.6,
         "count": police_count},
        {"iso3": "CHL", "year": 2012, "source_type": "wdi_series", "rate_per_100k": 3.0,
         "count": np.nan}])
    pop = pd.DataFrame({"iso3": ["PER"] if population else ["CHL"], "year": [2012],
                        "population": [30_000_000.0]})
    claims = claims_frame([
        {"claim_id": "homicides_national_police", "value": 3000, "year": 2012},
        {"claim_id": "homicides_interior_ministry", "value": 10000, "year": 2011}])
    return {"homicide": hom, "population": pop, "article_claims": claims}


def test_peru_counts_by_hand():
    # World Bank: 6.6 x 30 M / 100,000 = 1,980; police as published 2,865; the article's police
    # 3,000 is for 2012, its ministry figure for 2011 (left out)
    assert sp.peru_counts(_tables(), 2012) == {"world_bank": pytest.approx(1980.0),
                                               "police_published": 2865.0,
                                               "police_article": 3000.0}
    # no population: no World Bank count; no published police count: none
    assert sp.peru_counts(_tables(population=False, police_count=np.nan), 2012) == {
        "police_article": 3000.0}


def test_premise_support_counts_south_american_fits():
    mis = pd.DataFrame({"estimable": True, "estimator": ["poisson", "ols", "negbin", "poisson"],
                        "series": "wdi_series", "drug": "seizures",
                        "comparison_set": ["south_america", "south_america", "latin_america",
                                           "latin_america"],
                        "drug_grade": ["supports", "supports", "supports", "inconclusive"]})
    # three fits support; two of them on South America
    assert sp.premise_support(mis) == {"supporting": 3, "south_america": 2}


def test_interaction_detail_zero_is_not_negative():
    com = pd.DataFrame({"estimable": True, "interaction": [-0.1, 0.0, 0.2],
                        "interaction_grade": ["inconclusive", "inconclusive", "contradicts"],
                        "n_obs": [20, 30, 20]})
    assert sp.interaction_detail(com) == {"negative_points": 1, "min_obs": 20,
                                          "contra_at_min_obs": 1}


def _panel(n_countries: int, seed: int = 5) -> pd.DataFrame:
    """`n_countries` peers and Peru, 2008-2012: counts Poisson around a rate depending on drugs,
    corruption and their product; a coca_grower column that differs from x_drugs."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_countries + 1):
        iso = "PER" if i == n_countries else f"C{i:02d}"
        pop, bx, bc = rng.uniform(1e6, 3e7), rng.normal(2, 1), rng.normal(0, 1)
        for y in range(2008, 2013):
            x, c = bx + rng.normal(0, 0.3), bc + rng.normal(0, 0.2)
            mu = pop * np.exp(-9 + 0.3 * x + 0.2 * c - 0.2 * x * c)
            h = float(rng.poisson(mu))
            rows.append({"iso3": iso, "year": y, "homicides": h, "population": pop,
                         "rate_per_100k": h / pop * 1e5, "x_drugs": x, "corrupt": c,
                         "coca_grower": float(i % 3 == 0), "source_id": "h",
                         "seizure_source_id": "s"})
    return pd.DataFrame(rows)


CORR = pd.DataFrame({"iso3": ["C00"], "year": [2010], "indicator": ["wgi_cc_est"], "value": [0.1],
                     "source_id": "wgi"})


def test_complicity_rows_against_a_fit_written_out():
    panel = _panel(9)
    rows = sp._complicity_rows({"corruption": CORR}, panel, "wdi_series", "seizures",
                               "latin_america", "wgi_cc_est")
    assert [r["estimator"] for r in rows] == ["poisson", "ols", "negbin"]
    po = rows[0]
    assert {k: po[k] for k in ("series", "drug", "comparison_set", "indicator", "estimable")} == {
        "series": "wdi_series", "drug": "seizures", "comparison_set": "latin_america",
        "indicator": "wgi_cc_est", "estimable": True}
    # Peru left out: 9 countries x 5 years
    assert (po["n_obs"], po["n_countries"], po["first_year"], po["last_year"]) == (45, 9, 2008, 2012)
    assert po["sources"] == "h;s;wdi_population;wgi"
    # the Poisson fit written out: [1, xd, xc, xd xc, year dummies], xd and xc centred on the
    # peers' means, log-population offset, errors clustered by country
    d = panel.loc[panel["iso3"] != "PER"].reset_index(drop=True)
    xd, xc = d["x_drugs"] - d["x_drugs"].mean(), d["corrupt"] - d["corrupt"].mean()
    X = np.column_stack([np.ones(len(d)), *[(d["year"] == y).astype(float) for y in range(2009, 2013)],
                         xd, xc, xd * xc])
    fit = sm.GLM(d["homicides"].to_numpy(), X, family=sm.families.Poisson(),
                 offset=np.log(d["population"].to_numpy())).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    lo, hi = fit.conf_int(alpha=0.05)[7]
    assert (po["interaction"], po["interaction_low"], po["interaction_high"]) == pytest.approx(
        (fit.params[7], lo, hi), rel=1e-6)
    assert po["corruption_effect"] == pytest.approx(fit.params[6], rel=1e-6)
    assert po["drug_coef"] == pytest.approx(fit.params[5], rel=1e-6)


def test_complicity_rows_need_eight_comparison_countries():
    ok = sp._complicity_rows({"corruption": CORR}, _panel(8), "wdi_series", "seizures",
                             "south_america", "cpi_0_100")
    assert all(r["estimable"] for r in ok) and ok[0]["n_countries"] == 8
    few = sp._complicity_rows({"corruption": CORR}, _panel(7), "criminal_justice", "seizures",
                              "south_america", "cpi_0_100")
    assert few == [{"estimator": e, "series": "criminal_justice", "drug": "seizures",
                    "comparison_set": "south_america", "indicator": "cpi_0_100",
                    "estimable": False,
                    "reason": "fewer than 8 countries with criminal_justice figures and cpi_0_100"}
                   for e in ("poisson", "ols", "negbin")]


def test_corruption_positions_by_hand():
    countries = pd.DataFrame([{"iso3": i, "region": "Americas", "south_america": sa,
                               "is_aggregate": False}
                              for i, sa in (("PER", True), ("BOL", True), ("CHL", True),
                                            ("ARG", True), ("MEX", False), ("USA", False))])
    population = pd.DataFrame({"iso3": ["PER", "BOL", "CHL", "ARG", "MEX", "USA"], "year": 2012,
                               "population": 1.0})
    rows = [("PER", 2010, "wgi_cc_pct_rank", 40.0), ("PER", 2012, "wgi_cc_pct_rank", 45.0),
            ("PER", 2013, "wgi_cc_pct_rank", 50.0), ("CHL", 2012, "wgi_cc_pct_rank", 90.0)]
    for iso, est, cpi in (("PER", -0.4, 30), ("BOL", -0.7, 34), ("CHL", 1.5, 72),
                          ("ARG", -0.45, 35), ("MEX", -0.4, 34), ("USA", -2.0, 10)):
        rows += [(iso, 2012, "wgi_cc_est", est), (iso, 2012, "wgi_cc_se", 0.1),
                 (iso, 2012, "cpi_0_100", float(cpi))]
    rows.append(("CHL", 2013, "cpi_0_100", 70.0))      # a year without Peru: no row
    corr = pd.DataFrame(rows, columns=["iso3", "year", "indicator", "value"])
    t = sp.corruption_positions(corr, countries, population)
    assert list(t.columns) == ["scale", "indicator", "year", "value", "rank", "n",
                               "more_corrupt_than_half", "rank_low", "rank_high"]
    got = [[None if pd.isna(x) else x for x in r] for r in t.values.tolist()]
    # WGI, South America: BOL -0.7 and ARG -0.45 below Peru's -0.4: rank 3 of 4, not in the
    # more corrupt half (3 > 2). Within one SE of the difference (sqrt(0.1^2 + 0.1^2) = 0.141):
    # BOL (-0.3) is clearly worse, CHL (+1.9) clearly better, ARG (-0.05) tied: ranks 2-3.
    # Latin America adds Mexico at -0.4 (tied, not below): rank 3 of 5, ranks 2-4.
    # CPI 30 is the lowest: rank 1 (of 4, of 5), the more corrupt half. The US is not Latin
    # American. World: WGI percentile 45 (< 50: more corrupt than the median), 50 (not), and
    # 2010 is before the curve's first year.
    assert got == [
        ["latin_america", "cpi_0_100", 2012, 30.0, 1, 5, True, None, None],
        ["latin_america", "wgi_cc_est", 2012, -0.4, 3, 5, False, 2, 4],
        ["south_america", "cpi_0_100", 2012, 30.0, 1, 4, True, None, None],
        ["south_america", "wgi_cc_est", 2012, -0.4, 3, 4, False, 2, 3],
        ["world", "wgi_cc_pct_rank", 2012, 45.0, None, None, True, None, None],
        ["world", "wgi_cc_pct_rank", 2013, 50.0, None, None, False, None, None],
    ]


def _three_country_tables(corruption_rows):
    """Peru, Bolivia and Chile (all South American), 2012-2013, World Bank rates only; Bolivia
    grows coca (headline area), Peru's headline area is zero and Chile's figure is not a
    headline one, so Bolivia alone is a coca grower."""
    isos, years = ("PER", "BOL", "CHL"), (2012, 2013)
    hom = pd.DataFrame([{"iso3": i, "year": y, "rate_per_100k": 5.0, "count": pd.NA,
                         "source_type": "wdi_series", "source_org": "test", "source_id": "h"}
                        for i in isos for y in years])
    hom["count"] = hom["count"].astype("Float64")
    pop = pd.DataFrame([{"iso3": i, "year": y, "population": 1e6, "source_id": "wdi_population"}
                        for i in isos for y in years])
    sz = pd.DataFrame([{"iso3": i, "year": y, "kilograms": 10.0, "source_id": "s"}
                       for i in isos for y in years])
    countries = pd.DataFrame([{"iso3": i, "name": i, "region": "Americas", "subregion": "x",
                               "south_america": True, "is_aggregate": False} for i in isos])
    coca = pd.DataFrame([
        {"iso3": "BOL", "year": 2012, "hectares": 100.0, "measure": "net_area_dec31",
         "headline": True, "source_id": "c"},
        {"iso3": "PER", "year": 2012, "hectares": 0.0, "measure": "net_area_dec31",
         "headline": True, "source_id": "c"},
        {"iso3": "CHL", "year": 2012, "hectares": 5.0, "measure": "other", "headline": False,
         "source_id": "c"}])
    corruption = pd.DataFrame(corruption_rows,
                              columns=["iso3", "year", "indicator", "value", "source_id"])
    return {"homicide": hom, "population": pop, "cocaine_seizures": sz, "countries": countries,
            "coca_cultivation": coca, "corruption": corruption}


def test_series_panels_flip_each_indicator_into_its_own_column():
    t = _three_country_tables([("PER", 2012, "wgi_cc_est", -0.4, "wgi"),
                               ("BOL", 2012, "wgi_cc_est", -0.7, "wgi"),
                               ("PER", 2012, "wgi_cc_se", 0.1, "wgi"),
                               ("PER", 2012, "cpi_0_100", 38.0, "ti")])
    p = sp.series_panels(t)["wdi_series"]
    # WGI first, then the CPI (INDICATORS' order, not the alphabet's), then the coca grower
    assert list(p.columns)[-3:] == ["corrupt_wgi_cc_est", "corrupt_cpi_0_100", "coca_grower"]
    got = p.set_index(["iso3", "year"]).sort_index()
    # sign flipped (higher = more corrupt); NaN where the indicator is not published; the
    # standard error is not an indicator
    want_wgi = {("BOL", 2012): 0.7, ("PER", 2012): 0.4}
    want_cpi = {("PER", 2012): -38.0}
    for key in got.index:
        w, c = got.loc[key, "corrupt_wgi_cc_est"], got.loc[key, "corrupt_cpi_0_100"]
        assert (w == want_wgi[key]) if key in want_wgi else np.isnan(w), key
        assert (c == want_cpi[key]) if key in want_cpi else np.isnan(c), key
    assert got["coca_grower"].to_dict() == {("BOL", 2012): 1.0, ("BOL", 2013): 1.0,
                                            ("CHL", 2012): 0.0, ("CHL", 2013): 0.0,
                                            ("PER", 2012): 0.0, ("PER", 2013): 0.0}
    # no CPI rows at all: its column is still there, empty
    p = sp.series_panels(_three_country_tables([("PER", 2012, "wgi_cc_est", -0.4, "wgi")]))
    assert p["wdi_series"]["corrupt_cpi_0_100"].isna().all()
    assert list(p["wdi_series"].columns)[-3:] == ["corrupt_wgi_cc_est", "corrupt_cpi_0_100",
                                                  "coca_grower"]


def test_curves_carries_the_complicity_grid_and_corruption_positions():
    # two comparison countries: nothing is estimable; Peru's WGI percentile 45 in 2012
    c = sp.curves(_three_country_tables([("PER", 2012, "wgi_cc_pct_rank", 45.0, "wgi")]))
    # complicity: 4 series x 2 sets x 2 indicators x 3 estimators, none with 8 countries
    k = c.complicity
    assert len(k) == 48 and not k["estimable"].any()
    assert k.loc[(k["series"] == "criminal_justice") & (k["indicator"] == "cpi_0_100"),
                 "reason"].unique().tolist() == [
        "fewer than 8 countries with criminal_justice figures and cpi_0_100"]
    world = c.corruption.loc[c.corruption["scale"] == "world"]
    assert world[["indicator", "year", "value", "more_corrupt_than_half"]].values.tolist() == [
        ["wgi_cc_pct_rank", 2012, 45.0, True]]
    assert len(c.misreading) > 0 and not c.misreading["estimable"].any()


def test_fits_name_a_negative_binomial_that_does_not_converge(monkeypatch):
    # statsmodels reports non-convergence with the result's `converged` flag; which data fail to
    # converge depends on the CPU's floating point (OpenBLAS kernels), so the flag is forced here
    # for the NB2 fit only, on a plain panel, and the Poisson and OLS fits stay real
    real_fit = sm.GLM.fit

    def fit(self, *args, **kwargs):
        result = real_fit(self, *args, **kwargs)
        if isinstance(self.family, sm.families.NegativeBinomial):
            result.converged = False
        return result

    monkeypatch.setattr(sm.GLM, "fit", fit)
    h = np.array([3.0, 5, 8, 13, 2, 4, 9, 11])
    d = pd.DataFrame({"iso3": [f"C{i % 4}" for i in range(8)], "year": 2010, "homicides": h,
                      "population": 1e6, "rate_per_100k": h / 1e6 * 1e5})
    X = np.column_stack([np.ones(8), np.arange(8.0)])
    out = sp._fits(d, X, ["const", "drug"])
    assert out["negbin"] == ("Negative binomial (NB2) GLM of counts, log-population offset did "
                             "not converge")
    assert isinstance(out["poisson"], sp.Fit) and isinstance(out["ols"], sp.Fit)


def _median_tables(years):
    """Peru, Bolivia, Argentina and Chile (South American) and Mexico (not), WGI estimates."""
    countries = pd.DataFrame([{"iso3": i, "region": "Americas", "south_america": i != "MEX",
                               "is_aggregate": False}
                              for i in ("PER", "BOL", "ARG", "CHL", "MEX")])
    # the others: -1, 0, 1 every year (Mexico -3, not South American); Peru by year
    rows = [(i, y, "wgi_cc_est", v) for y in years
            for i, v in (("BOL", -1.0), ("ARG", 0.0), ("CHL", 1.0), ("MEX", -3.0))]
    rows += [("PER", y, "wgi_cc_est", years[y]) for y in years]
    rows += [("PER", 2012, "wgi_cc_se", 0.2), ("BOL", 2013, "wgi_cc_se", 0.3)]
    return pd.DataFrame(rows, columns=["iso3", "year", "indicator", "value"]), countries


def test_corruption_against_median_streak_stops_at_the_first_year_on_the_other_side():
    # Peru 0.5 in 2012: the others -1, 0, 1, median (0 + 0.5) / 2 = 0.25: above, 3rd of 4.
    # 2011 (0.6) above too; 2010 (-0.5, median -0.25) below: the run stops there, although
    # 2009 (0.5) is above again: streak 2, since 2011
    corr, countries = _median_tables({2009: 0.5, 2010: -0.5, 2011: 0.6, 2012: 0.5})
    assert sp.corruption_against_median(corr, countries) == {
        "year": 2012, "peru": 0.5, "median": 0.25, "low": -1.0, "rank": 3, "n": 4, "se": 0.2,
        "side": "above", "since": 2011, "streak": 2}


def test_corruption_against_median_peru_on_the_median_is_no_streak():
    # 2013: Peru 0 with -1, 0, 1: median (0 + 0) / 2 = 0, Peru on it: "above" (not below),
    # no year strictly on that side, so since is 2013 itself and streak 0; no SE in 2013
    corr, countries = _median_tables({2011: 0.6, 2012: 0.5, 2013: 0.0})
    assert sp.corruption_against_median(corr, countries) == {
        "year": 2013, "peru": 0.0, "median": 0.0, "low": -1.0, "rank": 2, "n": 4, "se": None,
        "side": "above", "since": 2013, "streak": 0}
