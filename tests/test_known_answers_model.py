"""Known answers for the explanations model: sigma, Peru's z, the break-even and every evidence
strength, worked out here without the code under test.

The fit is redone with a plain design matrix (intercept, x_drugs, one dummy per year after the
first) in `sm.GLM`, not through `fit_model`'s formula; the between-country spread is written out
with numpy (sample SD, n - 1); the corruption rank is counted from data/corruption.csv with
pandas. A mistake in `fit_model`, `peru_prediction`, `break_even` or `evidence_table` (an SD with
ddof=0, a threshold of a half instead of a third) moves an expected value and fails here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis import explanations as ex
from analysis.data import load
from analysis.data.paths import DEFAULT_DATA

@pytest.fixture
def findings(real_findings):
    """The chapter's findings on the repository's data (the session's, computed once)."""
    return real_findings


def _independent_fit(panel: pd.DataFrame) -> dict:
    """Poisson GLM of homicides on [1, x_drugs, year dummies] with log-population offset on
    every country but Peru, and the spread of the countries' average log gaps (SD, n - 1)."""
    d = panel.loc[panel["iso3"] != "PER"].reset_index(drop=True)
    years = sorted(d["year"].unique())

    def design(rows: pd.DataFrame) -> np.ndarray:
        dummies = [(rows["year"].to_numpy() == y).astype(float) for y in years[1:]]
        return np.column_stack([np.ones(len(rows)), rows["x_drugs"].to_numpy(), *dummies])

    fit = sm.GLM(d["homicides"].to_numpy(), design(d), family=sm.families.Poisson(),
                 offset=np.log(d["population"].to_numpy())).fit()
    fitted = np.exp(design(d) @ fit.params + np.log(d["population"].to_numpy()))
    # zero counts are read as 0.5 so the log exists (the book's stated rule)
    gaps = pd.Series(np.log(np.maximum(d["homicides"].to_numpy(), 0.5) / fitted)).groupby(
        d["iso3"]).mean()
    m = len(gaps)
    sigma = np.sqrt(((gaps - gaps.mean()) ** 2).sum() / (m - 1))
    return {"params": fit.params, "design": design, "sigma": sigma, "n_countries": m}


def _peru_answers(panel: pd.DataFrame, year: int) -> dict:
    """Peru's predicted count, z and break-even count in `year` from the independent fit."""
    a = _independent_fit(panel)
    row = panel.loc[(panel["iso3"] == "PER") & (panel["year"] == year)]
    predicted = float(np.exp(a["design"](row) @ a["params"])[0] * row["population"].iloc[0])
    observed = float(row["homicides"].iloc[0])
    return {"sigma": a["sigma"], "predicted": predicted,
            "z": np.log(observed / predicted) / a["sigma"],
            # the count at which Peru sits exactly 1.645 SDs below the line, to the nearest ten
            "break_even": round(predicted * np.exp(-1.645 * a["sigma"]), -1)}


def test_sigma_z_and_break_even_on_the_real_data(findings):
    want = _peru_answers(findings.panel, findings.year)
    assert findings.misreading.sigma == pytest.approx(want["sigma"], rel=1e-6)
    assert findings.prediction["z"].point == pytest.approx(want["z"], rel=1e-6)
    assert findings.break_even.point == pytest.approx(want["break_even"], abs=0.5)
    assert findings.break_even.hedge == "about"


def test_police_series_answers_on_the_real_data(findings):
    panel = ex.build_panel(load("homicide"), load("population"), load("cocaine_seizures"),
                           load("countries"), series="criminal_justice")
    want = _peru_answers(panel, findings.year)
    assert findings.police_model.sigma == pytest.approx(want["sigma"], rel=1e-6)
    assert findings.police_prediction["z"].point == pytest.approx(want["z"], rel=1e-6)
    assert findings.police_break_even.point == pytest.approx(want["break_even"], abs=0.5)


def _synthetic(gaps: dict[str, float], peru_gap: float) -> pd.DataFrame:
    """A panel with no drug effect: each country has rate 10 per 100k x exp(its gap) in both
    years; x_drugs is +1 then -1 for half the countries and -1 then +1 for the other half, so
    it is uncorrelated with everything and its Poisson estimate is exactly 0 (the score for
    it sums y x (+1 - 1) = 0 per country at a common fitted mean)."""
    rows = []
    for i, (iso, g) in enumerate({**gaps, "PER": peru_gap}.items()):
        for y, sign in ((2010, 1), (2011, -1)):
            pop = 1e8
            rows.append({"iso3": iso, "year": y, "population": pop,
                         "homicides": pop * 1e-4 * np.exp(g),
                         "x_drugs": float(sign if i % 4 < 2 else -sign),
                         "source_id": "syn", "seizure_source_id": "syn"})
    return pd.DataFrame(rows).assign(rate_per_100k=lambda d: d["homicides"] / d["population"] * 1e5)


def test_obvious_synthetic_panel_sigma_z_and_break_even():
    # Four peers at log gaps -0.2, -0.1, +0.1, +0.2 on a base of 10,000 homicides; no drug
    # effect, so the fitted line is the peers' mean count 1e4 x (e^-.2 + e^-.1 + e^.1 + e^.2) / 4
    # = 1e4 x 4.05014 / 4 = 10,125.4, log 0.012457 above the base; every peer's gap moves by
    # that same amount, so the SD is unchanged:
    #   sigma = sqrt((0.04 + 0.01 + 0.01 + 0.04) / 3) = sqrt(0.1 / 3) = 0.182574
    #   (with n instead of n - 1 it would be sqrt(0.1 / 4) = 0.158114).
    # Peru at log gap -0.6 from the base: z = (-0.6 - 0.012457) / 0.182574 = -3.3546;
    # break-even = 10,125.4 x exp(-1.645 x 0.182574) = 10,125.4 x 0.740570 = 7,498.5 -> 7,500.
    panel = _synthetic({"AAA": -0.2, "BBB": -0.1, "CCC": 0.1, "DDD": 0.2}, peru_gap=-0.6)
    m = ex.fit_model(panel)
    assert m.sigma == pytest.approx(0.182574, abs=1e-5)
    assert ex.drug_coefficient(m).point == pytest.approx(0.0, abs=1e-6)
    assert ex.peru_prediction(m, panel, 2010)["z"].point == pytest.approx(-3.3546, abs=1e-3)
    assert ex.break_even(m, panel, 2010).point == 7500


def _wgi_rank_of_peru(year: int) -> tuple[int, int]:
    """Peru's WGI control-of-corruption rank among South American countries (1 = lowest
    value = most corrupt) and how many were ranked, read from the CSV files with pandas."""
    corr = pd.read_csv(DEFAULT_DATA / "corruption.csv")
    countries = pd.read_csv(DEFAULT_DATA / "countries.csv")
    sa = set(countries.loc[countries["south_america"] & ~countries["is_aggregate"], "iso3"])
    w = corr.loc[(corr["indicator"] == "wgi_cc_est") & (corr["year"] == year)
                 & corr["iso3"].isin(sa)]
    return int((w["value"] < w.loc[w["iso3"] == "PER", "value"].iloc[0]).sum() + 1), len(w)


def _grade(low: float | None, high: float | None, sign: int) -> str:
    """The interval reading, restated: CI above 0 supports a + prediction, below 0 a -."""
    if low is not None and low > 0:
        return "supports" if sign > 0 else "contradicts"
    if high is not None and high < 0:
        return "supports" if sign < 0 else "contradicts"
    return "inconclusive"


def test_every_evidence_strength_on_the_real_data(findings):
    f = findings
    want_z = _peru_answers(f.panel, f.year)["z"]
    police = ex.build_panel(load("homicide"), load("population"), load("cocaine_seizures"),
                            load("countries"), series="criminal_justice")
    want_zp = _peru_answers(police, f.year)["z"]
    premise = _grade(f.drug_effect.low, f.drug_effect.high, +1)
    first = "consistent with an outlier" if want_z <= -1.645 else "within the usual spread"
    if premise != "supports":
        first += ", but the prediction is mostly the regional average (premise not shown)"
    rank, n = _wgi_rank_of_peru(f.year)
    strengths = dict(zip(f.evidence["prediction"], f.evidence["strength"]))
    assert list(strengths.values()) == [
        first,
        "consistent with an outlier" if want_zp <= -1.645 else "within the usual spread",
        premise,
        ex._break_even_verdict(f.counts.set_index("figure")),
        ex._gap_verdict(f.series_gap),
        _grade(f.interaction.low, f.interaction.high, -1),
        "consistent" if rank <= n / 3 else "not borne out: Peru is mid-table",
        "unverified: no public series",
    ]


@pytest.mark.parametrize("rank, n, strength", [
    (4, 12, "consistent"),                            # 4 <= 12 / 3: in the most corrupt third
    (5, 12, "not borne out: Peru is mid-table"),      # 5 > 4, though within the worse half
    (6, 12, "not borne out: Peru is mid-table"),
])
def test_corruption_strength_is_the_most_corrupt_third(findings, rank, n, strength):
    wgi = pd.DataFrame({"iso3": ["PER"], "value": [-0.5], "rank": [rank], "n": [n],
                        "source_id": ["wb_wgi"]})
    f = {**{k: getattr(findings, k) for k in findings.__dataclass_fields__ if k != "evidence"},
         "corruption_wgi": wgi}
    row = ex.evidence_table(f).set_index("prediction").loc[
        "Peru is among the more corrupt countries of South America"]
    assert row["strength"] == strength
    assert f"rank {rank} of {n} (1 = most corrupt)" in row["data_show"]
