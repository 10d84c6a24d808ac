"""Explanations: the panel models recover known effects; on the real data they converge with
the n the data allow; the break-even logic and the evidence grading follow their definitions."""

import numpy as np
import pandas as pd
import pytest
from factories import claims_frame, countries_frame, population_frame

from analysis import explanations as ex
from analysis.data import load
from analysis.estimate import Estimate


def synthetic_panel(beta=0.5, gamma=0.0, delta=0.0, n_countries=30, n_years=20, seed=0):
    """log rate = -9 + beta x_drugs + gamma corrupt + delta x_drugs corrupt + year effect,
    counts ~ Poisson(population x rate)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_countries):
        pop = rng.uniform(1e5, 5e7)
        base_x, base_c = rng.normal(2, 1), rng.normal(0, 1)
        for y in range(2000, 2000 + n_years):
            x, cor = base_x + rng.normal(0, 0.3), base_c + rng.normal(0, 0.2)
            mu = pop * np.exp(-9 + beta * x + gamma * cor + delta * x * cor + 0.01 * (y - 2000))
            rows.append({"iso3": f"C{i:02d}", "year": y, "homicides": float(rng.poisson(mu)),
                         "population": pop, "x_drugs": x, "corrupt": cor, "source_id": "syn",
                         "seizure_source_id": "syn_seizures"})
    d = pd.DataFrame(rows)
    d["rate_per_100k"] = d["homicides"] / d["population"] * 1e5
    return d


def test_model_recovers_a_known_drug_coefficient():
    m = ex.fit_model(synthetic_panel(beta=0.5))
    e = ex.drug_coefficient(m)
    assert m.converged and e.point == pytest.approx(0.5, abs=0.05)
    assert e.contains(0.5)
    # 30 countries x 20 years, none excluded (no "PER" in the synthetic panel)
    assert (m.n_obs, m.n_countries) == (600, 30)


def test_complicity_model_recovers_a_known_interaction():
    # corrupt centred near 0 and x_drugs near 2: centring changes main effects, not delta
    m = ex.fit_model(synthetic_panel(beta=0.4, gamma=0.2, delta=-0.3, seed=3), complicity=True)
    assert ex.interaction_estimate(m).point == pytest.approx(-0.3, abs=0.05)
    with pytest.raises(ValueError, match="needs the complicity model"):
        ex.interaction_estimate(ex.fit_model(synthetic_panel()))


def test_break_even_is_prediction_times_spread():
    panel = synthetic_panel(beta=0.5, seed=1)
    peru = panel.loc[panel["iso3"] == "C00"].assign(iso3="PER")
    panel = pd.concat([panel.loc[panel["iso3"] != "C00"], peru], ignore_index=True)
    m = ex.fit_model(panel)
    row = peru.loc[peru["year"] == 2010]
    predicted = float(m.fit.predict(row, offset=np.log(row["population"])).iloc[0])
    be = ex.break_even(m, panel, 2010)
    # predicted x exp(-1.645 sigma), rounded to tens
    assert be.point == pytest.approx(round(predicted * np.exp(-1.645 * m.sigma), -1))
    p = ex.peru_prediction(m, panel, 2010)
    # z = log(observed / predicted) / sigma
    obs = float(row["rate_per_100k"].iloc[0])
    assert p["z"].point == pytest.approx(np.log(obs / (predicted / row["population"].iloc[0]
                                                       * 1e5)) / m.sigma)
    assert p["predicted_rate"].contains(p["predicted_rate"].point)


def test_grade_reads_the_interval():
    assert ex.grade(Estimate(0.3, 0.1, 0.5), +1) == "supports"
    assert ex.grade(Estimate(0.3, 0.1, 0.5), -1) == "contradicts"
    assert ex.grade(Estimate(-0.3, -0.5, -0.1), -1) == "supports"
    assert ex.grade(Estimate(0.1, -0.1, 0.3), -1) == "inconclusive"


def test_corruption_position_ranks_most_corrupt_first():
    countries = countries_frame([("PER", "Peru", True), ("CHL", "Chile", True),
                                 ("VEN", "Venezuela", True), ("MEX", "Mexico", False)])
    corr = pd.DataFrame([{"iso3": i, "year": 2012, "indicator": "wgi_cc_est", "value": v,
                          "source_id": "wb_wgi"}
                         for i, v in [("PER", -0.40), ("CHL", 1.54), ("VEN", -1.26), ("MEX", -0.9)]])
    t = ex.corruption_position(corr, countries, 2012)
    # VEN -1.26 < PER -0.40 < CHL 1.54 (Mexico is not South American)
    assert t["iso3"].tolist() == ["VEN", "PER", "CHL"] and t["rank"].tolist() == [1, 2, 3]


def test_pardons_keep_the_hedges():
    claims = claims_frame([
        {"claim_id": "garcia_pardons", "value": 400, "unit": "persons", "wording": "some"},
        {"claim_id": "humala_pardons", "value": 100, "high": 100, "unit": "persons",
         "wording": "as many as"}])
    p = ex.pardons(claims)
    assert (str(p["garcia"]), str(p["humala"])) == ("some 400 people", "as many as 100 people")


# --- the real data -----------------------------------------------------------------------

TABLES = ["homicide", "population", "cocaine_seizures", "countries", "corruption",
          "article_claims"]


@pytest.fixture(scope="module")
def real():
    return {n: load(n) for n in TABLES}


def _expected_n(real, corruption=False):
    """Country-years the data allow, counted independently of build_panel: Latin American
    (Americas minus USA/CAN/BMU/GRL/SPM) World Bank homicide rows with a population and a
    seizure figure (and a WGI value), Peru left out."""
    c = real["countries"]
    la = set(c.loc[(c["region"] == "Americas") & ~c["is_aggregate"], "iso3"]) - {
        "USA", "CAN", "BMU", "GRL", "SPM", "PER"}
    h = real["homicide"].query("source_type == 'wdi_series'")
    keys = set(zip(h["iso3"], h["year"])) & set(zip(real["population"]["iso3"],
                                                     real["population"]["year"]))
    keys &= set(zip(real["cocaine_seizures"]["iso3"], real["cocaine_seizures"]["year"]))
    if corruption:
        w = real["corruption"].query("indicator == 'wgi_cc_est'")
        keys &= set(zip(w["iso3"], w["year"]))
    return len({k for k in keys if k[0] in la})


def test_real_misreading_model_converges_with_the_n_the_data_allow(real, real_findings):
    f = real_findings
    assert f.misreading.converged and f.complicity.converged
    assert f.misreading.n_obs == _expected_n(real)
    assert f.complicity.n_obs == _expected_n(real, corruption=True)
    assert "PER" not in set(f.misreading.data["iso3"])
    assert f.year == 2012  # the year the claims table gives the two homicide counts


def test_real_findings_are_internally_consistent(real, real_findings):
    f = real_findings
    c = f.counts.set_index("figure")
    # the published count is the WDI rate x population: 6.66 x 29.55 M / 100k = 1,968
    assert c.loc["published", "count"] == pytest.approx(1968, abs=1)
    assert (c["outlier"] == (c["count"] < c["break_even"])).all()
    assert f.break_even.point == pytest.approx(round(c["break_even"].iloc[0], -1))
    assert list(f.evidence.columns) == ["explanation", "prediction", "data_show", "n",
                                        "strength", "would_settle"]
    assert set(f.evidence["explanation"]) == {"Misreading", "Complicity"}
    assert f.evidence["strength"].str.len().gt(0).all()


def test_break_even_verdict_follows_the_flags():
    def table(pub, pol, intr):
        return pd.DataFrame({"outlier": [pub, pol, intr]}, index=["published", "police", "interior"])
    assert ex._break_even_verdict(table(True, False, False)).startswith("either claimed count")
    assert ex._break_even_verdict(table(False, False, False)).startswith("no count")
    assert ex._break_even_verdict(table(True, True, False)) == "outlier under: published, police"


def test_gap_verdict_reads_direction():
    peers = Estimate(1.0, 0.7, 1.4)
    assert "police above modelled" in ex._gap_verdict({"peru": Estimate(2.3), "peers_median": peers})
    assert "further below" in ex._gap_verdict({"peru": Estimate(0.5), "peers_median": peers})
    assert ex._gap_verdict({"peru": Estimate(1.1), "peers_median": peers}) == "within the neighbours' range"


def test_ols_check_recovers_a_known_coefficient():
    panel = synthetic_panel(beta=0.5, seed=2)
    peru = panel.loc[panel["iso3"] == "C00"].assign(iso3="PER")
    panel = pd.concat([panel.loc[panel["iso3"] != "C00"], peru], ignore_index=True)
    r = ex.ols_check(panel, 2010)
    # counts are Poisson around exp(-9 + 0.5 x) x population: log rates recover 0.5 closely
    assert r["drug_effect"].point == pytest.approx(0.5, abs=0.05)
    assert r["predicted_rate"].contains(r["predicted_rate"].point)


def test_model_estimates_cite_only_sources_that_exist():
    # every source id an explanation estimate cites must be a row of sources.csv
    known = set(load("sources")["source_id"])
    tables = {name: load(name) for name in
              ("homicide", "population", "cocaine_seizures", "countries", "corruption")}
    panel = ex.build_panel(tables["homicide"], tables["population"], tables["cocaine_seizures"],
                           tables["countries"])
    cited = set(ex.panel_sources(panel))
    assert cited and cited <= known


def test_a_model_that_does_not_converge_is_an_error_not_numbers():
    # counts of 1e30 homicides push the Poisson IRLS to overflow: statsmodels either raises
    # or reports converged=False; both must surface as ModelError naming what to check
    panel = synthetic_panel(beta=0.5)
    panel.loc[panel.index[::7], "homicides"] = 1e300
    with pytest.raises(ex.ModelError, match=r"(did not converge|could not be fitted).*homicide"):
        ex.fit_model(panel)


def test_a_model_without_variation_cannot_be_fitted():
    # every count zero: the deviance's first guess is NaN; a ModelError, not a traceback
    panel = synthetic_panel(beta=0.5)
    panel["homicides"] = 0.0
    with pytest.raises(ex.ModelError, match="misreading model"):
        ex.fit_model(panel)


def test_predicting_a_year_no_peer_has_is_an_error_not_a_patsy_crash():
    panel = synthetic_panel(beta=0.5)
    m = ex.fit_model(panel)
    peru = panel.loc[panel["iso3"] == "C00"].assign(iso3="PER", year=2050).head(1)
    with pytest.raises(ex.ModelError, match="cannot predict Peru in 2050"):
        ex.peru_prediction(m, peru, 2050)


def test_observed_vs_predicted_and_term_diagnostics(real, real_findings):
    f = real_findings
    d, peru_pred = ex.observed_vs_predicted(f)
    # the peers' predicted rates are the fit's fitted values per 100,000; Peru is predicted
    # out of sample, and its value in the findings' year is the model's predicted rate
    assert set(d.loc[~d["peru"], "iso3"]) <= set(f.misreading.data["iso3"])
    assert set(d.loc[d["peru"], "iso3"]) == {"PER"}
    assert (d["rate_per_100k"] > 0).all() and (d["predicted"] > 0).all()
    assert peru_pred == pytest.approx(f.prediction["predicted_rate"].point, rel=1e-9)
    t = ex.term_diagnostics(f.misreading, "x_drugs")
    assert t["coef"] == pytest.approx(float(f.misreading.fit.params["x_drugs"]))
    assert t["ci_low"] < t["coef"] < t["ci_high"]
    assert t["n_obs"] == _expected_n(real) and t["converged"] is True
    assert t["dispersion"] == pytest.approx(float(f.misreading.fit.pearson_chi2)
                                            / float(f.misreading.fit.df_resid))


def test_yardstick_centre_moves_the_gap_and_the_break_even():
    panel = synthetic_panel(beta=0.5, seed=1)
    peru = panel.loc[panel["iso3"] == "C00"].assign(iso3="PER")
    panel = pd.concat([panel.loc[panel["iso3"] != "C00"], peru], ignore_index=True)
    m = ex.fit_model(panel)
    # the neighbours' centre = median over countries of mean log(observed / fitted)
    d = m.data.assign(g=np.log(m.data["homicides"].clip(lower=0.5) / m.fit.fittedvalues))
    centre = d.groupby("iso3")["g"].mean().median()
    assert m.centre("neighbours_centre") == pytest.approx(centre)
    assert m.centre("fitted_line") == 0.0
    line = ex.peru_prediction(m, panel, 2010)["z"].point
    assert ex.peru_prediction(m, panel, 2010, yardstick="neighbours_centre")["z"].point == \
        pytest.approx(line - centre / m.sigma)
    row = peru.loc[peru["year"] == 2010]
    predicted = float(m.fit.predict(row, offset=np.log(row["population"])).iloc[0])
    assert ex.break_even(m, panel, 2010, yardstick="neighbours_centre").point == pytest.approx(
        round(predicted * np.exp(centre - 1.645 * m.sigma), -1))
    with pytest.raises(ValueError, match="yardstick must be one of"):
        ex.yardstick_centre(m.gaps, "median")


def test_peer_gaps_judge_every_neighbour_like_peru(real, real_findings):
    f = real_findings
    t = ex.peer_gaps(f.misreading)
    # by hand: each country's mean log(observed / fitted) over its years, / the model's sigma
    d = f.misreading.data
    g = np.log(d["homicides"].clip(lower=0.5) / f.misreading.fit.fittedvalues).groupby(d["iso3"]).mean()
    assert t.set_index("iso3")["z"].to_dict() == pytest.approx((g / g.std(ddof=1)).to_dict())
    # this vintage: Chile, Aruba, Bolivia, Cuba and Argentina lie further below than 1.645
    assert set(t.loc[t["outlier"], "iso3"]) == set(g.index[g / g.std(ddof=1) <= -1.645])
    assert set(t.loc[t["outlier"], "iso3"]) == {"CHL", "ABW", "BOL", "CUB", "ARG"}
    centred = ex.peer_gaps(f.misreading, "neighbours_centre")
    assert centred["outlier"].sum() < t["outlier"].sum()
