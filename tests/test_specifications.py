"""The specification curve: the yardstick on a panel whose answer is known by construction,
the grid's shape and choices, and known answers on the real data computed here with
statsmodels and the formulas written out (never through analysis.specifications)."""

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis import explanations as ex
from analysis import specifications as sp
from analysis.data import load

# --- a synthetic region: four big countries above the small ones' line ------------------------

YEARS = range(2005, 2015)
BIG = {f"B{i}": 1e8 for i in range(4)}  # rate 30 per 100,000: 30,000 homicides a year each
SMALL_SPREAD = np.linspace(-0.3, 0.3, 20)  # small countries: rate 5 x exp(spread)
SMALL = {f"S{i:02d}": 1e6 for i in range(20)}
PERU_RATE, PERU_POP = 4.0, 3e7


def synthetic_tables():
    """Tables shaped like the curated ones. Rates do not depend on the seizures (x is a
    checkerboard over countries and years), nor on the year: the answer is in the rates."""
    rates = {**{k: 30.0 for k in BIG}, **{k: 5 * np.exp(d) for k, d in zip(SMALL, SMALL_SPREAD)},
             "PER": PERU_RATE}
    pops = {**BIG, **SMALL, "PER": PERU_POP}
    hom, pop, sz = [], [], []
    for j, (iso, y) in enumerate(itertools.product(rates, YEARS)):
        hom.append({"iso3": iso, "year": y, "rate_per_100k": rates[iso], "count": pd.NA,
                    "source_type": "wdi_series", "source_org": "test", "source_id": "syn_hom"})
        pop.append({"iso3": iso, "year": y, "population": pops[iso], "source_id": "wdi_population"})
        sz.append({"iso3": iso, "year": y, "kilograms": pops[iso] / 1e5 * (1 + (j % 2)),
                   "source_id": "syn_sz"})
    countries = pd.DataFrame([{"iso3": i, "name": i, "region": "Americas", "subregion": "x",
                               "south_america": False, "is_aggregate": False} for i in rates])
    homicide = pd.DataFrame(hom)
    homicide["count"] = homicide["count"].astype("Float64")
    coca = pd.DataFrame([{"iso3": "PER", "year": 2010, "hectares": 1.0, "measure": "net_area_dec31",
                          "headline": True, "source_id": "syn_coca"}])
    corruption = pd.DataFrame(columns=["iso3", "year", "indicator", "value", "source_id"])
    return {"homicide": homicide, "population": pd.DataFrame(pop),
            "cocaine_seizures": pd.DataFrame(sz), "countries": countries,
            "coca_cultivation": coca, "corruption": corruption}


@pytest.fixture(scope="module")
def synthetic_grid():
    return sp.misreading_grid(synthetic_tables())


def _row(grid, **choices):
    g = grid
    for k, v in choices.items():
        g = g.loc[g[k] == v]
    assert len(g) == 1, choices
    return g.iloc[0]


def test_weighted_line_calls_the_small_country_an_outlier_its_neighbours_do_not(synthetic_grid):
    # By construction: with year effects only, the Poisson line is total homicides / total
    # population, set by the four big countries (rate 30): line = 28.8. The 20 small ones sit
    # at 5 x exp(spread), about log(5 / 28.8) = -1.75 below it; Peru (rate 4) sits
    # log(4 / 28.8) = -1.97 below the line but only log(4 / 5) = -0.22 below its neighbours.
    small = 5 * np.exp(SMALL_SPREAD)
    line_rate = (4 * 1e8 * 30 + 1e6 * small.sum()) / (4 * 1e8 + 20 * 1e6)
    gaps = pd.Series([np.log(30 / line_rate)] * 4 + list(np.log(small / line_rate)))
    sigma = gaps.std(ddof=1)  # the SD of the 24 countries' average gaps
    line = _row(synthetic_grid, estimator="poisson", drug="none", yardstick="fitted_line",
                year=2012, comparison_set="latin_america")
    centre = _row(synthetic_grid, estimator="poisson", drug="none", yardstick="neighbours_centre",
                  year=2012, comparison_set="latin_america")
    assert line["predicted"] / PERU_POP * 1e5 == pytest.approx(line_rate, rel=1e-6)
    assert line["sigma"] == pytest.approx(sigma, rel=1e-6)
    assert line["z"] == pytest.approx(np.log(4 / line_rate) / sigma, rel=1e-6) and line["outlier"]
    assert centre["centre"] == pytest.approx(gaps.median(), rel=1e-6)
    assert centre["z"] == pytest.approx((np.log(4 / line_rate) - gaps.median()) / sigma, rel=1e-6)
    assert centre["z"] > -0.5 and not centre["outlier"]
    # break-even: predicted x exp(centre - 1.645 sigma); with the centre it is far lower
    assert centre["break_even"] == pytest.approx(
        centre["predicted"] * np.exp(gaps.median() - 1.645 * sigma), rel=1e-6)
    assert centre["break_even"] < line["break_even"] / 4


def test_unweighted_fit_sits_with_the_small_countries(synthetic_grid):
    # OLS on log rates weighs the 20 small countries 5 times as much as the 4 big ones: its
    # line is the mean log rate, (4 log 30 + 20 log 5) / 24, and Peru is not an outlier.
    ols = _row(synthetic_grid, estimator="ols", drug="none", yardstick="fitted_line", year=2012,
               comparison_set="latin_america")
    mean_log = (4 * np.log(30) + 20 * np.log(5)) / 24
    assert ols["predicted"] / PERU_POP * 1e5 == pytest.approx(np.exp(mean_log), rel=0.01)
    assert not ols["outlier"]


def test_negative_binomial_weighs_big_countries_less_than_poisson(synthetic_grid):
    kw = dict(drug="none", yardstick="fitted_line", year=2012, comparison_set="latin_america")
    nb, po = _row(synthetic_grid, estimator="negbin", **kw), _row(synthetic_grid, estimator="poisson", **kw)
    assert nb["predicted"] < po["predicted"]


def test_a_region_without_south_american_countries_is_not_estimable_there(synthetic_grid):
    sa = synthetic_grid.loc[synthetic_grid["comparison_set"] == "south_america"]
    assert not sa["estimable"].any()
    assert sa["reason"].str.startswith("Peru has no").all()  # Peru is not South American here


# --- helpers -----------------------------------------------------------------------------------

def test_prediction_interval_matches_statsmodels_get_prediction():
    rng = np.random.default_rng(5)
    n = 200
    d = pd.DataFrame({"iso3": [f"C{i % 20}" for i in range(n)], "year": 2000 + np.arange(n) % 10,
                      "population": rng.uniform(1e5, 1e7, n), "x_drugs": rng.normal(0, 1, n)})
    d["homicides"] = rng.poisson(d["population"] * np.exp(-9 + 0.3 * d["x_drugs"])).astype(float)
    d["rate_per_100k"] = d["homicides"] / d["population"] * 1e5
    years = sorted(d["year"].unique())
    X, cols = sp._design(d, "seizures", years)
    fits = sp._fits(d, X, cols)
    for est in ("poisson", "negbin", "ols"):
        f = fits[est]
        pop = d["population"].to_numpy()[:5]
        mean, lo, hi = f.predict(X[:5], pop)
        if est == "ols":
            ref = f.result.get_prediction(X[:5]).summary_frame(alpha=0.05)
            ref = {k: np.exp(ref[k]) * pop / 1e5 for k in ("mean", "mean_ci_lower", "mean_ci_upper")}
        else:
            ref = f.result.get_prediction(X[:5], offset=np.log(pop)).summary_frame(alpha=0.05)
        np.testing.assert_allclose(mean, ref["mean"], rtol=1e-8)
        np.testing.assert_allclose(lo, ref["mean_ci_lower"], rtol=1e-6)
        np.testing.assert_allclose(hi, ref["mean_ci_upper"], rtol=1e-6)


def test_nb2_alpha_recovers_a_known_overdispersion():
    # y ~ NB2(mu, alpha = 0.5): gamma-Poisson mixture with shape 1/alpha
    rng = np.random.default_rng(1)
    mu = rng.uniform(5, 200, 20_000)
    y = rng.poisson(mu * rng.gamma(2.0, 0.5, mu.size))
    assert sp.nb2_alpha(y, mu) == pytest.approx(0.5, rel=0.05)


def test_counts_against_break_even_reads_the_grid():
    grid = pd.DataFrame({"estimable": [True, True, True, False], "year": [2012] * 4,
                         "break_even": [1000.0, 2000.0, 3000.0, np.nan],
                         "break_even_low": [800.0, 1500.0, 2500.0, np.nan],
                         "break_even_high": [1300.0, 2600.0, 3900.0, np.nan],
                         "sources": ["a", "a;b", "b", ""]})
    r = sp.break_even_range(grid, 2012)
    assert (r.point, r.low, r.high) == (2000.0, 800.0, 3900.0)
    assert r.sources == ("a", "b")
    t = sp.counts_against_break_even(grid, {"low": 500, "mid": 2000, "high": 5000}, 2012)
    t = t.set_index("figure")
    # 2000 clears 1000 and 2000 (2 of 3 = 66.7%); only 1000's CI top (1300) is cleared
    assert t.loc["mid", "share_clears"] == pytest.approx(200 / 3)
    assert t.loc["mid", "share_clears_ci"] == pytest.approx(100 / 3)
    assert t["position"].tolist() == ["below the range", "inside the range", "above the range"]
    with pytest.raises(KeyError, match="no estimable specification for 2030"):
        sp.break_even_range(grid, 2030)


# --- the real data -----------------------------------------------------------------------------

TABLES = ("homicide", "population", "cocaine_seizures", "countries", "coca_cultivation",
          "corruption", "article_claims")


@pytest.fixture(scope="module")
def real():
    return {n: load(n) for n in TABLES}


@pytest.fixture(scope="module")
def curves(real):
    return sp.curves(real)


def test_grid_holds_every_combination_of_choices_once(curves, real):
    g = curves.misreading
    assert g["spec_id"].tolist() == list(range(1, len(g) + 1))
    for dim, options in sp.CHOICES.items():
        assert set(g[dim]) == set(options), dim
    # Peru's years from 2011 in each series (counted here from the homicide table): every
    # year gets 2 yardsticks x 3 estimators x 3 drug measures x 2 sets
    h = real["homicide"]
    peru_years = {s: sorted(h.loc[(h["iso3"] == "PER") & (h["source_type"] == s)
                                  & (h["year"] >= 2011), "year"]) for s in sp.SERIES}
    est = g.loc[g["estimable"]]
    for series, years in peru_years.items():
        rows = est.loc[est["series"] == series]
        assert sorted(rows["year"].unique()) == years, series
        assert len(rows) == 36 * len(years)
    assert not g.duplicated(list(sp.CHOICES) + ["year"]).any()
    # public health: Peru has no figure, so its specifications are listed, with the reason
    ph = g.loc[g["series"] == "public_health"]
    assert not ph["estimable"].any() and ph["reason"].str.contains("Peru has no").all()
    assert ph["z"].isna().all()
    # exactly one baseline row per year of the World Bank series
    base = g.loc[g["baseline"]]
    assert sorted(base["year"]) == peru_years["wdi_series"]


def _baseline_by_hand(real, yardstick_median=False, year=2012):
    """The book's model written out: Poisson GLM of counts on log(1 + kg per 100k) and year
    dummies, log population offset, Latin America and the Caribbean without Peru, World Bank
    series (count = rate x population / 100k)."""
    c, pop, h, s = real["countries"], real["population"], real["homicide"], real["cocaine_seizures"]
    la = set(c.loc[(c["region"] == "Americas") & ~c["is_aggregate"], "iso3"]) - {
        "USA", "CAN", "BMU", "GRL", "SPM"}
    d = (h.loc[h["source_type"] == "wdi_series", ["iso3", "year", "rate_per_100k"]]
         .merge(pop[["iso3", "year", "population"]]).merge(s[["iso3", "year", "kilograms"]]))
    d = d.loc[d["iso3"].isin(la)].sort_values(["iso3", "year"]).reset_index(drop=True)
    d["y"] = d["rate_per_100k"] * d["population"] / 1e5
    d["x"] = np.log(1 + d["kilograms"] / d["population"] * 1e5)
    X = pd.get_dummies(d["year"], prefix="y", drop_first=True, dtype=float)
    X.insert(0, "x", d["x"])
    X.insert(0, "const", 1.0)
    peers = d["iso3"] != "PER"
    fit = sm.GLM(d.loc[peers, "y"], X.loc[peers], family=sm.families.Poisson(),
                 offset=np.log(d.loc[peers, "population"])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d.loc[peers, "iso3"])[0]})
    gap = np.log(d.loc[peers, "y"].clip(lower=0.5) / fit.fittedvalues)
    by_country = gap.groupby(d.loc[peers, "iso3"]).mean()
    sigma = by_country.std(ddof=1)
    centre = by_country.median() if yardstick_median else 0.0
    row = (d["iso3"] == "PER") & (d["year"] == year)
    pred = fit.get_prediction(X.loc[row], offset=np.log(d.loc[row, "population"])).summary_frame()
    obs = d.loc[row, "y"].iloc[0]
    z = (np.log(obs / pred["mean"].iloc[0]) - centre) / sigma
    k = np.exp(centre - 1.645 * sigma)
    return {"z": z, "be": pred["mean"].iloc[0] * k, "be_low": pred["mean_ci_lower"].iloc[0] * k,
            "be_high": pred["mean_ci_upper"].iloc[0] * k, "centre": centre}


@pytest.mark.parametrize("yardstick, median", [("fitted_line", False), ("neighbours_centre", True)])
def test_baseline_specification_matches_the_model_written_out(curves, real, yardstick, median):
    hand = _baseline_by_hand(real, median)
    g = curves.misreading
    row = g.loc[g["baseline"].eq(False) | g["baseline"]]  # every row: pick by choices
    row = _row(row, **{**sp.BASELINE, "yardstick": yardstick}, year=2012)
    # this vintage: z = -2.03 (line) / -1.32 (centre, median gap -0.52); break-even about
    # 2,600 (CI of the expected count 1,918-3,527) / 1,549
    assert row["z"] == pytest.approx(hand["z"], abs=1e-6)
    assert row["centre"] == pytest.approx(hand["centre"], abs=1e-9)
    assert (row["break_even"], row["break_even_low"], row["break_even_high"]) == pytest.approx(
        (hand["be"], hand["be_low"], hand["be_high"]), rel=1e-6)


def test_baseline_agrees_with_explanations_analyse(curves, real):
    f = ex.analyse(real)
    row = _row(curves.misreading, **sp.BASELINE, year=f.year)
    assert row["z"] == pytest.approx(f.prediction["z"].point)
    assert round(row["break_even"], -1) == f.break_even.point
    assert row["baseline"]


def test_complicity_baseline_matches_the_model_written_out(curves, real):
    # corruption = -WGI, both variables centred; this vintage: main effect 0.46 (0.13 to 0.79)
    c, pop, h, s = real["countries"], real["population"], real["homicide"], real["cocaine_seizures"]
    w = real["corruption"].query("indicator == 'wgi_cc_est'")[["iso3", "year", "value"]]
    la = set(c.loc[(c["region"] == "Americas") & ~c["is_aggregate"], "iso3"]) - {
        "USA", "CAN", "BMU", "GRL", "SPM", "PER"}
    d = (h.loc[h["source_type"] == "wdi_series", ["iso3", "year", "rate_per_100k"]]
         .merge(pop[["iso3", "year", "population"]]).merge(s[["iso3", "year", "kilograms"]])
         .merge(w))
    d = d.loc[d["iso3"].isin(la)].sort_values(["iso3", "year"]).reset_index(drop=True)
    xd = np.log(1 + d["kilograms"] / d["population"] * 1e5)
    xd, xc = xd - xd.mean(), -d["value"] - (-d["value"]).mean()
    X = pd.get_dummies(d["year"], prefix="y", drop_first=True, dtype=float)
    for name, col in (("i", xd * xc), ("xc", xc), ("xd", xd), ("const", 1.0)):
        X.insert(0, name, col)
    fit = sm.GLM(d["rate_per_100k"] * d["population"] / 1e5, X, family=sm.families.Poisson(),
                 offset=np.log(d["population"])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    ci = fit.conf_int()
    row = _row(curves.complicity, **sp.COMPLICITY_BASELINE)
    assert (row["corruption_effect"], row["corruption_low"], row["corruption_high"]) == pytest.approx(
        (fit.params["xc"], ci.loc["xc", 0], ci.loc["xc", 1]), rel=1e-6)
    assert row["interaction"] == pytest.approx(fit.params["i"], rel=1e-6)
    assert row["n_obs"] == len(d)


def test_peru_corruption_positions_2012(curves, real):
    # WGI 2012, South America: Peru -0.40 is 8th lowest of 12; countries within one standard
    # error of the difference are tied with it, so its rank could be anything from 5 to 9
    p = curves.corruption.set_index(["scale", "indicator", "year"])
    sa = p.loc[("south_america", "wgi_cc_est", 2012)]
    w = real["corruption"].query("indicator == 'wgi_cc_est' and year == 2012")
    sa_members = set(real["countries"].loc[real["countries"]["south_america"], "iso3"])
    w = w.loc[w["iso3"].isin(sa_members)].set_index("iso3")["value"]
    assert (sa["rank"], sa["n"]) == (int((w < w["PER"]).sum()) + 1, len(w))
    assert (sa["rank_low"], sa["rank_high"]) == (5, 9)
    world = p.loc[("world", "wgi_cc_pct_rank", 2012)]
    assert world["value"] == pytest.approx(43.1, abs=0.05) and world["more_corrupt_than_half"]


def test_peru_counts_are_labelled_and_from_the_tables(real):
    c = sp.peru_counts(real, 2012)
    # World Bank 6.66 x 29.55 M / 100k = 1,968; UNODC police 2,865; the article's 3,000, 10,000
    assert c["world_bank"] == pytest.approx(1968, abs=1)
    assert (c["police_published"], c["police_article"], c["ministry_article"]) == (2865, 3000, 10000)


def test_curve_verdicts_use_the_one_rule(curves):
    from analysis.verdicts import verdict_from_flags
    v = sp.curve_verdicts(curves, 2012, {"police_published": 2865.0})
    g = curves.misreading
    this_year = g.loc[g["estimable"] & (g["year"] == 2012)]
    assert v["peru_outlier"] == verdict_from_flags(this_year["z"] <= -1.645)
    assert v["police_published_clears"].n == len(this_year)
    assert v["drug_premise"].n == 36  # 3 estimators x 3 series x 2 drug measures x 2 sets
    assert v["interaction"].n == curves.complicity["estimable"].sum()


def test_share_by_choice_counts_each_option():
    grid = pd.DataFrame({"estimable": [True, True, True, True, False],
                         "yardstick": ["fitted_line", "fitted_line", "neighbours_centre",
                                       "neighbours_centre", "fitted_line"],
                         "year": [2011, 2012, 2011, 2012, 2012],
                         "outlier": [True, True, False, True, True]})
    t = sp.share_by_choice(grid).set_index(["dimension", "option"])
    # fitted line: 2 of 2 estimable; neighbours' centre 1 of 2; 2011: 1 of 2, 2012: 2 of 2
    assert t.loc[("yardstick", "fitted_line"), "share"] == 100
    assert t.loc[("yardstick", "neighbours_centre"), "share"] == 50
    assert t.loc[("year", 2012), ["share", "n"]].tolist() == [100, 2]
    one = sp.share_by_choice(grid, year=2012)
    assert "year" not in set(one["dimension"]) and one["n"].sum() == 2
    with pytest.raises(TypeError, match="yes/no column"):
        sp.share_by_choice(grid.assign(g=["supports"] * 5), "g")


def test_share_by_choice_on_the_real_grid(curves):
    t = sp.share_by_choice(curves.misreading, year=2012)
    g = curves.misreading.loc[curves.misreading["estimable"] & (curves.misreading["year"] == 2012)]
    ihme = g.loc[g["series"] == "modelled_all_violence", "z"]
    row = t.set_index(["dimension", "option"]).loc[("series", "modelled_all_violence")]
    assert row["share"] == pytest.approx(100 * (ihme <= -1.645).mean()) and row["n"] == len(ihme)


def test_outlier_by_year_compares_years_on_the_same_series(curves):
    """Review 2, item 10: on the World Bank series Peru is an outlier in 18 of 36
    specifications for 2012 ("fragile") and 1 of 36 for 2021 (under 10%: "not shown"); the
    shares are counted here straight from the grid's flags, the words from the rule's table."""
    g = curves.misreading
    wb = g.loc[g["estimable"] & (g["series"] == "wdi_series")]
    by = sp.outlier_by_year(g, ["wdi_series"]).set_index("year")
    for year, sub in wb.groupby("year"):
        assert by.loc[year, "outliers"] == int(sub["outlier"].astype(bool).sum())
        assert by.loc[year, "n"] == len(sub) == 36
    assert (by.loc[2012, "outliers"], by.loc[2012, "verdict"]) == (18, "fragile")
    assert (by.loc[2021, "outliers"], by.loc[2021, "verdict"]) == (1, "not shown")
    # all series: 2012 has three (108 specifications), 2021 only the World Bank's
    every = sp.outlier_by_year(g).set_index("year")
    assert every.loc[2012, "n"] == 108 and every.loc[2021, "n"] == 36
    assert list(sp.outlier_by_year(g, ["no_such_series"]).columns) == [
        "year", "outliers", "n", "share", "verdict"]


def test_curve_verdicts_honest_shares_on_the_real_grid(curves):
    """The shares review 2 asked to print, worked from the grid with plain pandas: the police
    count against the top of each break-even's 95% CI, the outlier share without IHME's
    modelled series, and the latest year's outlier share."""
    v = sp.curve_verdicts(curves, 2012, {"police_published": 2865.0, "world_bank": 1968.0})
    g = curves.misreading
    y = g.loc[g["estimable"] & (g["year"] == 2012)]
    assert v["police_published_clears_ci"].supporting == int((y["break_even_high"] <= 2865).sum())
    assert v["world_bank_clears_ci"].supporting == int((y["break_even_high"] <= 1968).sum())
    published = y.loc[y["series"] != "modelled_all_violence"]
    assert v["peru_outlier_without_modelled"].n == len(published)
    assert v["peru_outlier_without_modelled"].supporting == int((published["z"] <= -1.645).sum())
    last = g.loc[g["estimable"], "year"].max()
    latest = g.loc[g["estimable"] & (g["year"] == last)]
    assert v["peru_outlier_latest"].supporting == int((latest["z"] <= -1.645).sum())


def test_premise_support_and_interaction_detail_known_answers():
    """Worked by hand on a small grid: two fits support the premise (one South American, the
    other fit repeats across yardsticks and counts once); three estimable complicity rows, two
    negative points, fewest 9 observations, one clearly positive row on 9."""
    mis = pd.DataFrame({"estimable": [True, True, True, True, False],
                        "estimator": ["poisson", "poisson", "ols", "negbin", "poisson"],
                        "series": ["wdi_series"] * 5,
                        "drug": ["seizures", "seizures", "seizures", "seizures", "seizures"],
                        "comparison_set": ["south_america", "south_america", "latin_america",
                                           "latin_america", "latin_america"],
                        "drug_grade": ["supports", "supports", "supports", "inconclusive", None]})
    assert sp.premise_support(mis) == {"supporting": 2, "south_america": 1}
    com = pd.DataFrame({"estimable": [True, True, True, False],
                        "interaction": [-0.1, -0.01, 0.03, np.nan],
                        "interaction_grade": ["inconclusive", "inconclusive", "contradicts", None],
                        "n_obs": [20, 9, 9, np.nan]})
    assert sp.interaction_detail(com) == {"negative_points": 2, "min_obs": 9,
                                          "contra_at_min_obs": 1}


def test_interaction_detail_on_the_real_grid(curves):
    # Table A.7 by hand: 7 negative point estimates (4 print as -0.0x, 3 as 0.00); the fewest
    # observations are 9 (UNODC police x CPI, South America), where 2 of 3 fits contradict.
    k = curves.complicity.loc[curves.complicity["estimable"]]
    d = sp.interaction_detail(curves.complicity)
    assert d["negative_points"] == int((k["interaction"] < 0).sum()) == 7
    assert d["min_obs"] == 9 and d["contra_at_min_obs"] == 2
