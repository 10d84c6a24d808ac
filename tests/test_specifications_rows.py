"""Known answers for the specification grid's private row builders (`_misreading_rows`,
`_gap_rows`, `_fits`, `_complicity_result`, `_finish`, ...) on small hand-made panels built
inside each test, so that mutmut attributes every function under test to the test that checks
it (results built once in a shared fixture are attributed to the first test only).

Expected values come from statsmodels fits written out here (formula in the comments) or by
hand, never through analysis.specifications."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis import specifications as sp

# Peru's zero count in 2013 gives a log gap of -inf under the count models, on purpose
pytestmark = pytest.mark.filterwarnings("ignore:divide by zero encountered in log")
Z = 1.645              # explanations.Z_OUTLIER
PEERS = [f"C{i:02d}" for i in range(9)]
YEARS = list(range(2009, 2014))


def _panel(n_peers: int = 9, seed: int = 11) -> pd.DataFrame:
    """`n_peers` peers 2009-2013 and Peru 2010-2014: Poisson counts around a rate rising with
    x_drugs (log rate -8 + 0.6 x); C01 has a zero count in 2009 (OLS must drop it), C02 a rate
    below 1 in 2010; Peru has 2 homicides in 2012 and none in 2013 (OLS must skip that year); Peru's 2010 is
    before FIRST_YEAR and its 2014 is a year without peers."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_peers + 1):
        iso = "PER" if i == n_peers else f"C{i:02d}"
        pop, bx = rng.uniform(2e6, 3e7), rng.normal(2, 1.2)
        years = range(2010, 2015) if iso == "PER" else YEARS
        for y in years:
            x = bx + rng.normal(0, 0.3)
            h = float(rng.poisson(pop * np.exp(-8 + 0.6 * x)))
            p = pop
            if (iso, y) == ("C01", 2009):
                h = 0.0
            if (iso, y) == ("C02", 2010):
                h, p = 3.0, 1e6
            if (iso, y) == ("PER", 2013):
                h = 0.0
            if (iso, y) == ("PER", 2012):
                h = 2.0  # a rate below 1 per 100,000: OLS keeps it
            rows.append({"iso3": iso, "year": y, "homicides": h, "population": p,
                         "rate_per_100k": h / p * 1e5, "x_drugs": x,
                         "coca_grower": float(iso in ("C00", "C03", "C06")),
                         "source_id": "h", "seizure_source_id": "s"})
    return pd.DataFrame(rows)


COCA = pd.DataFrame({"iso3": ["C00", "C03", "C06", "C07"], "headline": [True, True, False, True],
                     "hectares": [10.0, 0.5, 30.0, 0.0],
                     "source_id": ["coca1", "coca2", "coca_not_headline", "coca_zero"]})
TABLES = {"coca_cultivation": COCA}


def _written_out(peers: pd.DataFrame, X: np.ndarray):
    """Poisson GLM (log-pop offset), OLS on log rates (zero rates out), NB2 GLM with Cameron &
    Trivedi's alpha = sum((y - mu)^2 - y) / sum(mu^2) from the Poisson mu (at least 1e-8), all clustered by
    country."""
    y, pop = peers["homicides"].to_numpy(float), peers["population"].to_numpy(float)
    g = pd.factorize(peers["iso3"])[0]
    po = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(pop)).fit(
        cov_type="cluster", cov_kwds={"groups": g})
    alpha = max(np.sum((y - po.mu) ** 2 - y) / np.sum(po.mu ** 2), 1e-8)  # no underdispersion
    nb = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha), offset=np.log(pop)).fit(
        start_params=po.params, cov_type="cluster", cov_kwds={"groups": g})
    pos = peers["rate_per_100k"].to_numpy() > 0
    ols = sm.OLS(np.log(peers["rate_per_100k"].to_numpy()[pos]), X[pos]).fit(
        cov_type="cluster", cov_kwds={"groups": g[pos]})
    return {"poisson": (po, po.mu, np.ones(len(y), bool)),
            "ols": (ols, np.exp(ols.fittedvalues) * pop[pos] / 1e5, pos),
            "negbin": (nb, nb.mu, np.ones(len(y), bool))}


def _design(d: pd.DataFrame, drug_col: str | None) -> np.ndarray:
    cols = [np.ones(len(d))] + ([d[drug_col].to_numpy(float)] if drug_col else [])
    cols += [(d["year"] == y).to_numpy(float) for y in YEARS[1:]]
    return np.column_stack(cols)


def test_misreading_rows_against_fits_written_out():
    panel = _panel()
    rows = sp._misreading_rows(TABLES, "wdi_series", "seizures", "latin_america", panel, Z)
    assert len(rows) == 6
    got = pd.concat(rows, ignore_index=True)
    peers = panel.loc[panel["iso3"] != "PER"].reset_index(drop=True)
    peru = panel.loc[(panel["iso3"] == "PER") & panel["year"].between(2011, 2013)]
    X = _design(peers, "x_drugs")
    fits = _written_out(peers, X)
    assert got[["estimator", "yardstick"]].drop_duplicates().values.tolist() == [
        ["poisson", "fitted_line"], ["poisson", "neighbours_centre"], ["negbin", "fitted_line"],
        ["negbin", "neighbours_centre"], ["ols", "fitted_line"], ["ols", "neighbours_centre"]]
    for est, (fit, fitted, used) in fits.items():
        # OLS: Peru's zero count in 2013 has no log rate, that year is skipped
        pe = peru.loc[peru["homicides"] > 0] if est == "ols" else peru
        pop, obs = pe["population"].to_numpy(), pe["homicides"].to_numpy()
        Xp = _design(pe, "x_drugs")
        if est == "ols":  # linear predictor = log rate per 100,000
            sf = fit.get_prediction(Xp).summary_frame(alpha=0.05)
            mean, lo, hi = (np.exp(sf[c].to_numpy()) * pop / 1e5
                            for c in ("mean", "mean_ci_lower", "mean_ci_upper"))
        else:
            sf = fit.get_prediction(Xp, offset=np.log(pop)).summary_frame(alpha=0.05)
            mean, lo, hi = (sf[c].to_numpy() for c in ("mean", "mean_ci_lower", "mean_ci_upper"))
        u = peers.loc[used]
        # each country's average log(max(observed, 0.5) / fitted); sigma their SD (ddof 1)
        gaps = (pd.Series(np.log(np.maximum(u["homicides"].to_numpy(), 0.5) / fitted))
                .groupby(u["iso3"].to_numpy()).mean())
        sigma = gaps.std(ddof=1)
        b, (blo, bhi), bp = fit.params[1], fit.conf_int(alpha=0.05)[1], fit.pvalues[1]
        grade = "supports" if blo > 0 else "contradicts" if bhi < 0 else "inconclusive"
        for yardstick, centre in (("fitted_line", 0.0), ("neighbours_centre", gaps.median())):
            r = got.loc[(got["estimator"] == est) & (got["yardstick"] == yardstick)]
            assert list(r.columns) == ["estimator", "series", "drug", "comparison_set",
                                       "yardstick", "year", "estimable", "reason", "sources",
                                       "n_obs", "n_countries", "observed", "observed_rate",
                                       "predicted", "predicted_low", "predicted_high",
                                       "log_gap", "sigma", "drug_coef", "drug_low",
                                       "drug_high", "drug_grade", "centre", "z", "outlier",
                                       "break_even", "break_even_low", "break_even_high"]
            assert r["year"].tolist() == pe["year"].tolist()
            assert (r["series"].unique().tolist(), r["drug"].unique().tolist(),
                    r["comparison_set"].unique().tolist()) == (
                ["wdi_series"], ["seizures"], ["latin_america"])
            assert r["estimable"].tolist() == [True] * len(pe)
            assert r["reason"].tolist() == [""] * len(pe)
            assert r["sources"].unique().tolist() == ["h;s;wdi_population"]
            # 9 peers x 5 years; OLS drops C01's zero count
            assert r["n_obs"].unique().tolist() == [44 if est == "ols" else 45]
            assert r["n_countries"].unique().tolist() == [9]
            npt = np.testing.assert_allclose
            npt(r["observed"], obs)
            npt(r["observed_rate"], obs / pop * 1e5, rtol=1e-9)
            npt(r["predicted"], mean, rtol=1e-6)
            npt(r["predicted_low"], lo, rtol=1e-6)
            npt(r["predicted_high"], hi, rtol=1e-6)
            log_gap = np.log(obs / mean)
            npt(r["log_gap"], log_gap, rtol=1e-6)
            npt(r["sigma"], sigma, rtol=1e-6)
            npt(r["centre"], centre, rtol=1e-6, atol=1e-12)
            z = (log_gap - centre) / sigma
            npt(r["z"], z, rtol=1e-6)
            assert r["outlier"].tolist() == (z <= -Z).tolist()
            # break-even: the count at which z = -1.645, i.e. mean x exp(centre - 1.645 sigma)
            f = np.exp(centre - Z * sigma)
            npt(r["break_even"], mean * f, rtol=1e-6)
            npt(r["break_even_low"], lo * f, rtol=1e-6)
            npt(r["break_even_high"], hi * f, rtol=1e-6)
            npt(r["drug_coef"], b, rtol=1e-6)
            npt(r["drug_low"], blo, rtol=1e-6)
            npt(r["drug_high"], bhi, rtol=1e-6)
            assert bp < 0.05 and r["drug_grade"].unique().tolist() == [grade] == ["supports"]
    # Peru's zero in 2013 is an outlier under the count models (log gap -inf)
    assert got.loc[(got["estimator"] == "poisson") & (got["year"] == 2013), "outlier"].all()


def test_a_z_exactly_at_the_threshold_is_an_outlier():
    panel = _panel()
    first = pd.concat(sp._misreading_rows(TABLES, "wdi_series", "none", "latin_america", panel, Z))
    z0 = float(first["z"].iloc[0])
    again = pd.concat(sp._misreading_rows(TABLES, "wdi_series", "none", "latin_america", panel,
                                          -z0))
    assert bool(again["outlier"].iloc[0]) is True
    # no drug measure: no coefficient, no grade, sources without seizures
    assert first["drug_coef"].isna().all() and first["drug_low"].isna().all()
    assert first["drug_high"].isna().all() and first["drug_grade"].isna().all()
    assert first["sources"].unique().tolist() == ["h;wdi_population"]


def test_misreading_rows_not_estimable():
    panel = _panel()
    specs = [(e, y) for e in ("poisson", "ols", "negbin")
             for y in ("fitted_line", "neighbours_centre")]

    def frame(reason, years):
        return pd.DataFrame([{"estimator": e, "series": "criminal_justice", "drug": "coca_grower",
                              "comparison_set": "south_america", "yardstick": y, "year": yr,
                              "estimable": False, "reason": reason}
                             for e, y in specs for yr in years])

    def check(rows, want):
        assert len(rows) == 6
        got = pd.concat(rows, ignore_index=True)
        assert list(got.columns) == list(want.columns)
        assert got.astype(object).values.tolist() == want.astype(object).values.tolist()

    args = ("criminal_justice", "coca_grower", "south_america")
    # no Peru from 2011: one row per spec, year NA
    no_peru = panel.loc[~((panel["iso3"] == "PER") & (panel["year"] >= 2011))]
    rows = sp._misreading_rows(TABLES, *args, no_peru, Z)
    got = pd.concat(rows, ignore_index=True)
    assert got["reason"].unique().tolist() == [
        "Peru has no criminal_justice figure (with population and seizures) from 2011"]
    assert got["year"].isna().all() and (~got["estimable"]).all() and len(got) == 6
    # seven peers: fewer than eight comparison countries, one row per Peru year
    seven = panel.loc[~panel["iso3"].isin(["C07", "C08"])]
    check(sp._misreading_rows(TABLES, *args, seven, Z),
          frame("fewer than 8 comparison countries", [2011, 2012, 2013, 2014]))
    # eight peers are enough; but the coca indicator is 1 for C00, C03, C06 only: drop them
    # and it is all zeros, a coefficient the data cannot identify (all three estimators)
    eight = panel.loc[panel["iso3"] != "C08"]
    ok = pd.concat(sp._misreading_rows(TABLES, *args, eight, Z))
    assert ok["estimable"].all() and ok["n_countries"].unique().tolist() == [8]
    # sources: the coca rows of headline, positive area only
    assert ok["sources"].unique().tolist() == ["coca1;coca2;h;wdi_population"]
    flat = panel.loc[~panel["iso3"].isin(["C00", "C03", "C06"])]
    flat = pd.concat([flat, panel.loc[panel["iso3"].isin(["C01", "C02"])].assign(
        iso3=lambda d: d["iso3"] + "b")])  # eight peers again, none growing coca
    check(sp._misreading_rows(TABLES, *args, flat, Z),
          frame("a coefficient is not identified by these data", [2011, 2012, 2013]))


def test_fits_ols_counts_and_rank():
    panel = _panel()
    peers = panel.loc[panel["iso3"] != "PER"].reset_index(drop=True)
    X = _design(peers, "x_drugs")
    fits = sp._fits(peers, X, ["const", "drug"] + [f"y{y}" for y in YEARS[1:]])
    want = _written_out(peers, X)
    assert list(fits) == ["poisson", "negbin", "ols"]
    for est, (fit, fitted, used) in want.items():
        f = fits[est]
        assert f.estimator == est
        assert f.used.tolist() == used.tolist()
        np.testing.assert_allclose(f.fitted_counts, fitted, rtol=1e-6)
        np.testing.assert_allclose(np.asarray(f.result.params), fit.params, rtol=1e-6)
        np.testing.assert_allclose(np.asarray(f.result.bse), fit.bse, rtol=1e-6)
    # the zero-count country-year is out of OLS; C02's rate of 0.3 per 100,000 stays in
    assert (~fits["ols"].used).sum() == 1 and peers.loc[~fits["ols"].used, "iso3"].item() == "C01"
    # an infinite count: the count models fail (statsmodels raises), OLS on rates still fits
    inf = sp._fits(peers.assign(homicides=peers["homicides"].where(peers.index != 3, np.inf)),
                   X, ["c"] * X.shape[1])
    assert list(inf) == ["poisson", "negbin", "ols"]
    assert inf["poisson"] == inf["negbin"] and inf["poisson"].startswith("model failed: ")
    assert inf["ols"].estimator == "ols"
    bad = np.column_stack([X, X[:, 1] * 2])
    assert sp._fits(peers, bad, ["a"] * bad.shape[1]) == dict.fromkeys(
        ["poisson", "ols", "negbin"], "a coefficient is not identified by these data")


def _complicity_panel(seed: int = 3) -> pd.DataFrame:
    """Ten peers 2010-2013 and Peru, counts around log rate -8 + 0.5 x + 0.8 c - 0.6 x c."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(11):
        iso = "PER" if i == 10 else f"K{i:02d}"
        pop, bx, bc = rng.uniform(5e6, 4e7), rng.normal(1, 1), rng.normal(0, 1)
        for y in range(2010, 2014):
            x, c = bx + rng.normal(0, 0.3), bc + rng.normal(0, 0.2)
            h = float(rng.poisson(pop * np.exp(-8 + 0.5 * x + 0.8 * c - 0.6 * x * c)))
            rows.append({"iso3": iso, "year": y, "homicides": h, "population": pop,
                         "rate_per_100k": h / pop * 1e5, "x_drugs": x, "corrupt": c,
                         "coca_grower": float(i % 2), "source_id": "h", "seizure_source_id": "s"})
    return pd.DataFrame(rows)


def test_complicity_rows_every_column_and_grade():
    panel = _complicity_panel()
    corr = pd.DataFrame({"iso3": ["K00", "K01", "ZZZ", "K02"], "indicator":
                         ["cpi_0_100", "cpi_0_100", "cpi_0_100", "wgi_cc_est"],
                         "source_id": ["ti1", "ti2", "ti_other_country", "wgi"]})
    rows = sp._complicity_rows({"corruption": corr}, panel, "modelled_all_violence",
                               "seizures", "south_america", "cpi_0_100")
    d = panel.loc[panel["iso3"] != "PER"].reset_index(drop=True)
    xd, xc = d["x_drugs"] - d["x_drugs"].mean(), d["corrupt"] - d["corrupt"].mean()
    X = np.column_stack([np.ones(len(d)), *[(d["year"] == y).astype(float)
                                            for y in range(2011, 2014)], xd, xc, xd * xc])
    fits = _written_out(d.assign(year=d["year"]), X)
    keys = ["estimator", "series", "drug", "comparison_set", "indicator", "estimable", "reason",
            "sources", "n_obs", "n_countries", "first_year", "last_year", "interaction",
            "interaction_low", "interaction_high", "interaction_p", "interaction_grade",
            "corruption_effect", "corruption_low", "corruption_high", "corruption_p",
            "corruption_grade", "drug_coef", "drug_low", "drug_high"]

    def grade(lo, hi, sign):
        if lo > 0:
            return "supports" if sign > 0 else "contradicts"
        return ("supports" if sign < 0 else "contradicts") if hi < 0 else "inconclusive"

    for r in rows:
        fit = fits[r["estimator"]][0]
        ci = fit.conf_int(alpha=0.05)
        assert list(r) == keys
        assert (r["series"], r["drug"], r["comparison_set"], r["indicator"], r["estimable"],
                r["reason"], r["sources"]) == ("modelled_all_violence", "seizures",
                                               "south_america", "cpi_0_100", True, "",
                                               "h;s;ti1;ti2;wdi_population")
        assert (r["n_obs"], r["n_countries"], r["first_year"], r["last_year"]) == (40, 10, 2010,
                                                                                2013)
        got = [r[k] for k in keys[12:16] + keys[17:21] + keys[22:]]
        want = [fit.params[6], *ci[6], fit.pvalues[6], fit.params[5], *ci[5], fit.pvalues[5],
                fit.params[4], *ci[4]]
        assert got == pytest.approx(want, rel=1e-6)
        assert r["interaction_grade"] == grade(*ci[6], -1)
        assert r["corruption_grade"] == grade(*ci[5], +1)
    # the data were made with a clearly negative interaction and positive corruption effect
    assert {r["interaction_grade"] for r in rows} == {"supports"}
    assert {r["corruption_grade"] for r in rows} == {"supports"}
    # the coca-grower indicator as the drug measure
    coca = sp._complicity_rows({"corruption": corr, **TABLES}, panel, "wdi_series",
                               "coca_grower", "latin_america", "cpi_0_100")
    g = d["coca_grower"] - d["coca_grower"].mean()
    Xc = np.column_stack([X[:, :4], g, xc, g * xc])
    po = sm.GLM(d["homicides"].to_numpy(), Xc, family=sm.families.Poisson(),
                offset=np.log(d["population"].to_numpy())).fit(cov_type="cluster",
                                                    cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    assert coca[0]["drug_coef"] == pytest.approx(po.params[4], rel=1e-6)
    # corruption's sign flipped: the interaction and the main effect turn, both contradict
    flip = sp._complicity_rows({"corruption": corr}, panel.assign(corrupt=-panel["corrupt"]),
                               "wdi_series", "seizures", "latin_america", "cpi_0_100")
    assert [(r["interaction_grade"], r["corruption_grade"]) for r in flip] == [
        ("contradicts", "contradicts")] * 3
    # no fit: the reason, nothing else
    spec = {"estimator": "ols", "series": "s"}
    assert sp._complicity_result(spec, "why not", d, "src") == {
        "estimator": "ols", "series": "s", "estimable": False, "reason": "why not"}


def test_finish_orders_numbers_and_flags():
    grid = pd.DataFrame({
        "estimator": ["negbin", "ols", "poisson", "poisson", "ols"],
        "series": ["wdi_series", "wdi_series", "criminal_justice", "wdi_series", "wdi_series"],
        "year": [2012, 2012, 2012, 2012, 2011],
        "estimable": [1, 1, 0, 1, 1],
        "outlier": [True, False, None, True, False],
        "extra": [1.0, 2.0, 3.0, 4.0, 5.0]})
    out = sp._finish(grid, ["estimator", "series", "year"], ["estimable", "outlier", "missing"],
                     {"estimator": "poisson", "series": "wdi_series"})
    assert list(out.columns) == ["spec_id", "estimator", "series", "year", "baseline",
                                 "estimable", "outlier", "missing"]
    # sorted by the CHOICES order (poisson, ols, negbin; wdi_series before criminal_justice),
    # not alphabetically
    assert out[["estimator", "series", "year"]].values.tolist() == [
        ["poisson", "wdi_series", 2012], ["poisson", "criminal_justice", 2012],
        ["ols", "wdi_series", 2011], ["ols", "wdi_series", 2012], ["negbin", "wdi_series", 2012]]
    assert out["spec_id"].tolist() == [1, 2, 3, 4, 5]
    assert out.index.tolist() == [0, 1, 2, 3, 4]
    assert out["baseline"].tolist() == [True, False, False, False, False]
    assert str(out["year"].dtype) == "Int64" and out["estimable"].dtype == bool
    assert out["estimable"].tolist() == [True, False, True, True, True]
    assert str(out["outlier"].dtype) == "boolean"
    assert [None if pd.isna(x) else bool(x) for x in out["outlier"]] == [True, None, False,
                                                                          False, True]
    assert out["missing"].isna().all()
    # a grid without year or outlier columns keeps them out
    plain = sp._finish(grid.drop(columns=["year", "outlier"]), ["estimator", "series"],
                       ["estimable"], {"estimator": "ols"})
    assert list(plain.columns) == ["spec_id", "estimator", "series", "baseline", "estimable"]
    assert plain["baseline"].tolist() == [False, False, True, True, False]


def test_rank_range_at_the_boundaries():
    # Peru 10 (SE 3); others SE 4, so the SE of each difference is sqrt(9 + 16) = 5 exactly.
    # A 5 (diff -5: within one SE, tied), B 16 (+6: clearly better), C 15 (+5: tied),
    # D 3 (-7: clearly worse). One clearly worse: rank from 2; one clearly better: to 5 - 1 = 4.
    value = pd.Series({"PER": 10.0, "A": 5.0, "B": 16.0, "C": 15.0, "D": 3.0})
    se = pd.Series({"PER": 3.0, "A": 4.0, "B": 4.0, "C": 4.0, "D": 4.0})
    assert sp._rank_range(value, se) == (2, 4)
    # two SEs (10): nobody is clearly apart
    assert sp._rank_range(value, se, k=2.0) == (1, 5)


def test_coca_growers_headline_positive_area_only():
    coca = pd.DataFrame({"iso3": ["BOL", "COL", "PER", "ECU", "BOL"],
                         "headline": [True, True, False, True, True],
                         "hectares": [0.5, 100.0, 50.0, 0.0, 0.0]})
    # ECU: zero area; PER: not the headline measure; BOL counts for its 0.5 ha
    assert sp._coca_growers(coca) == {"BOL", "COL"}


def test_design_columns_by_hand():
    d = pd.DataFrame({"year": [2010, 2011, 2012, 2011], "x_drugs": [1.0, 2.0, 3.0, 4.0],
                      "coca_grower": [0.0, 1.0, 0.0, 1.0]})
    X, cols = sp._design(d, "coca_grower", [2010, 2011, 2012])
    assert cols == ["const", "drug", "y2011", "y2012"]
    assert X.tolist() == [[1, 0, 0, 0], [1, 1, 1, 0], [1, 0, 0, 1], [1, 1, 1, 0]]
    X, cols = sp._design(d, "seizures", [2010, 2011, 2012], {"z": np.array([5.0, 6, 7, 8])})
    assert cols == ["const", "drug", "z", "y2011", "y2012"]
    assert X[:, 1].tolist() == [1, 2, 3, 4] and X[:, 2].tolist() == [5, 6, 7, 8]
    X, cols = sp._design(d, "none", [2011, 2012])
    assert cols == ["const", "y2012"] and X.tolist() == [[1, 0], [1, 0], [1, 1], [1, 0]]


def test_subset_by_set_and_indicator():
    countries = pd.DataFrame({"iso3": ["PER", "BOL", "MEX", "SAM"],
                              "south_america": [True, True, False, True],
                              "is_aggregate": [False, False, False, True]})
    panel = pd.DataFrame({"iso3": ["MEX", "PER", "BOL", "BOL", "SAM"],
                          "year": [2012, 2012, 2012, 2013, 2012],
                          "corrupt_cpi_0_100": [-30.0, -38.0, np.nan, -34.0, -1.0],
                          "corrupt_wgi_cc_est": [0.1, 0.2, 0.3, 0.4, 0.5]})
    t = {"countries": countries}
    sa = sp._subset(panel, t, "south_america")
    assert sa.index.tolist() == [0, 1, 2] and list(sa.columns) == list(panel.columns)
    assert sa["iso3"].tolist() == ["PER", "BOL", "BOL"]
    # CPI: Bolivia's missing 2012 dropped; the indicator copied to `corrupt`
    cpi = sp._subset(panel, t, "south_america", "cpi_0_100")
    assert cpi[["iso3", "year", "corrupt"]].values.tolist() == [["PER", 2012, -38.0],
                                                                ["BOL", 2013, -34.0]]
    assert cpi.index.tolist() == [0, 1]
    la = sp._subset(panel, t, "latin_america", "wgi_cc_est")
    assert la["corrupt"].tolist() == [0.1, 0.2, 0.3, 0.4, 0.5]


def test_outlier_by_year_and_share_by_choice():
    grid = pd.DataFrame({
        "estimable": [True, True, True, True, False, True],
        "year": [2013, 2013, 2012, 2012, 2012, 2013],
        "series": ["wdi_series", "criminal_justice", "wdi_series", "wdi_series", "wdi_series",
                   "wdi_series"],
        "estimator": ["poisson", "negbin", "poisson", "negbin", "poisson", "ols"],
        "outlier": [True, True, False, True, True, False]})
    t = sp.outlier_by_year(grid.assign(outlier=grid["outlier"].astype(object)))
    # 2012: one of two estimable (the third is not estimable); 2013: two of three
    assert list(t.columns) == ["year", "outliers", "n", "share", "verdict"]
    assert t[["year", "outliers", "n"]].values.tolist() == [[2012, 1, 2], [2013, 2, 3]]
    assert t["share"].tolist() == pytest.approx([50.0, 200 / 3])
    w = sp.outlier_by_year(grid, series=["wdi_series"])
    assert w[["year", "outliers", "n"]].values.tolist() == [[2012, 1, 2], [2013, 1, 2]]
    s = sp.share_by_choice(grid)
    # options in order of appearance; shares over the estimable rows
    assert s.values.tolist() == [
        ["estimator", "poisson", 50.0, 2], ["estimator", "negbin", 100.0, 2],
        ["estimator", "ols", 0.0, 1], ["series", "wdi_series", 50.0, 4],
        ["series", "criminal_justice", 100.0, 1], ["year", 2013, pytest.approx(200 / 3), 3],
        ["year", 2012, 50.0, 2]]


def test_curve_verdicts_counts_and_scales():
    mis = pd.DataFrame({
        "estimable": [True, True, True, True, False],
        "year": [2012, 2012, 2013, 2012, 2012],
        "series": ["wdi_series", "modelled_all_violence", "wdi_series", "wdi_series",
                   "wdi_series"],
        "estimator": ["poisson", "poisson", "poisson", "ols", "ols"],
        "drug": "seizures", "comparison_set": "latin_america",
        "drug_grade": ["supports", "supports", "supports", "inconclusive", "supports"],
        "outlier": [True, True, False, False, True],
        "break_even": [100.0, 200.0, 50.0, 300.0, np.nan],
        "break_even_high": [150.0, 260.0, 60.0, 400.0, np.nan]})
    com = pd.DataFrame({"estimable": [True, True, False],
                        "interaction_grade": ["supports", "inconclusive", "supports"],
                        "corruption_grade": ["contradicts", "supports", "supports"]})
    pos = pd.DataFrame({"scale": ["world", "world", "south_america", "latin_america"],
                        "more_corrupt_than_half": [True, False, True, False]})
    v = sp.curve_verdicts(sp.Curves(mis, com, pos), 2012, {"at_be": 200.0, "at_top": 150.0})
    counts = {k: (x.supporting, x.contradicting, x.n) for k, x in v.items()}
    # 2012: three estimable, two outliers; without IHME: one of two; latest (2013): 0 of 1;
    # 200 >= break-evens 100 and 200 (two of three), >= the CI tops 150 only (one of three);
    # drug premise: one row per estimable fit (estimator, series, drug, set): poisson-wdi and
    # poisson-IHME support, ols-wdi is inconclusive (the not-estimable ols row is left out)
    assert counts == {"peru_outlier": (2, 0, 3), "peru_outlier_all_years": (2, 0, 4),
                      "drug_premise": (2, 0, 3), "peru_outlier_without_modelled": (1, 0, 2),
                      "peru_outlier_latest": (0, 0, 1), "at_be_clears": (2, 0, 3),
                      "at_be_clears_ci": (1, 0, 3), "interaction": (1, 0, 2),
                      # 150: at or above 100 only; equal to the CI top 150, which it clears
                      "at_top_clears": (1, 0, 3), "at_top_clears_ci": (1, 0, 3),
                      "corruption_effect": (1, 1, 2), "peru_more_corrupt_world": (1, 0, 2),
                      "peru_more_corrupt_south_america": (1, 0, 1),
                      "peru_more_corrupt_latin_america": (0, 0, 1)}


def test_corruption_positions_first_year_gaps_and_half():
    countries = pd.DataFrame({"iso3": ["PER", "BOL", "ECU", "COL"], "region": "Americas",
                              "south_america": True, "is_aggregate": False})
    population = pd.DataFrame({"iso3": ["PER", "BOL", "ECU", "COL"], "year": 2011,
                               "population": 1.0})
    corr = pd.DataFrame(
        [("PER", 2011, 30.0), ("BOL", 2011, 25.0), ("ECU", 2011, 40.0), ("COL", 2011, 50.0),
         ("BOL", 2012, 26.0),                       # 2012: no Peru, no row, and on to 2013
         ("PER", 2013, 20.0), ("BOL", 2013, 27.0), ("PER", 2010, 1.0), ("BOL", 2010, 2.0)],
        columns=["iso3", "year", "value"]).assign(indicator="cpi_0_100")
    t = sp.corruption_positions(corr, countries, population)
    # 2011 (the first year, included): only Bolivia's 25 is lower, rank 2 of 4, and 2 <= 4 / 2
    # puts Peru in the more corrupt half; 2013: Peru's 20 is the lowest, rank 1 of 2
    assert t[["scale", "year", "rank", "n", "more_corrupt_than_half"]].values.tolist() == [
        ["latin_america", 2011, 2, 4, True], ["latin_america", 2013, 1, 2, True],
        ["south_america", 2011, 2, 4, True], ["south_america", 2013, 1, 2, True]]
    # the CPI has no standard errors: no rank range (NA, not None)
    assert all(x is pd.NA for x in [*t["rank_low"], *t["rank_high"]])


def test_corruption_against_median_by_hand():
    # Three South American countries and Mexico (not South American, ignored). WGI estimates:
    #   2018: PER -0.6, BRA -0.2, CHL 1.0 -> median -0.2, Peru below
    #   2019: PER -0.5, BRA -0.3, CHL 1.1 -> median -0.3, Peru below, rank 1 of 3, low -0.5
    #   2017: PER  0.0, BRA -0.4, CHL 1.0 -> median 0.0 = Peru: the run below stops here
    # so the latest year is 2019, Peru has sat below the median 2 years running, since 2018.
    from factories import countries_frame

    countries = countries_frame([("PER", "Peru", True), ("BRA", "Brazil", True),
                                 ("CHL", "Chile", True), ("MEX", "Mexico", False)])
    est = {2017: {"PER": 0.0, "BRA": -0.4, "CHL": 1.0, "MEX": -2.0},
           2018: {"PER": -0.6, "BRA": -0.2, "CHL": 1.0, "MEX": -2.0},
           2019: {"PER": -0.5, "BRA": -0.3, "CHL": 1.1, "MEX": -2.0}}
    rows = [{"iso3": i, "year": y, "indicator": "wgi_cc_est", "value": v, "source_id": "wb_wgi"}
            for y, vs in est.items() for i, v in vs.items()]
    rows.append({"iso3": "PER", "year": 2019, "indicator": "wgi_cc_se", "value": 0.15, "source_id": "wb_wgi"})
    got = sp.corruption_against_median(pd.DataFrame(rows), countries)
    assert got == {"year": 2019, "peru": -0.5, "median": -0.3, "low": -0.5, "rank": 1, "n": 3,
                   "se": 0.15, "side": "below", "since": 2018, "streak": 2}
    # no standard error for the latest year; no Peru at all
    assert sp.corruption_against_median(pd.DataFrame(rows[:-1]), countries)["se"] is None
    assert sp.corruption_against_median(pd.DataFrame([r for r in rows if r["iso3"] != "PER"]), countries) is None
