"""Step 5 of the argument: the article's two explanations of the paradox, against the data.

1. **Misreading**: the violence is there but not counted. If so, Peru's recorded homicides
   should fall well below what its drug-economy intensity predicts from its neighbours, and
   the higher of the article's two counts should bring it back into line.
2. **Complicity**: elites manage the trade peacefully, and corruption keeps it quiet. If so,
   the link between drug intensity and homicide should be weaker where corruption is higher
   (an interaction), and Peru should rank among the more corrupt.

The model (`fit_model`): a Poisson GLM of homicide counts on drug intensity (+ year effects;
+ corruption and its interaction for explanation 2) with log population as offset, errors
clustered by country. Why this and not OLS on log rates: homicides are counts and small
Caribbean states have very noisy rates; the Poisson likelihood weights each country-year by
its expected count, takes zeros, and returns predicted *counts* for Peru directly (so a
break-even count is in homicides); as a quasi-likelihood it stays consistent for the mean
whatever the overdispersion, and cluster-robust errors by country absorb both the
overdispersion and the serial correlation within a country (Santos Silva & Tenreyro 2006).
A negative binomial would need the variance form to be right for its efficiency gains and
adds nothing to the mean. No country fixed effects: the question is whether Peru is an outlier
*between* countries, which country effects would absorb.

Drug intensity: only Bolivia, Colombia and Peru grow coca, so coca area cannot vary across a
region-wide panel. The measure is cocaine seized per 100,000 people (log(1 + kg per 100k)),
across Latin America and the Caribbean. Seizures measure enforcement as much as traffic, and
transit states seize what passes through rather than what is fought over. Peru is left out of
the fit and predicted from the others, so it cannot pull the line towards itself.

"Almost impossible to know", the article says; the evidence table grades each piece of
evidence and says what data would settle it, and claims no more.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from threadpoolctl import threadpool_limits

from analysis.claims import claim
from analysis.estimate import Estimate, year_span
from analysis.violence import claimed_rates, south_america

__all__ = ["PERU", "Z_OUTLIER", "YARDSTICKS", "one_blas_thread", "peer_gaps", "country_gaps", "yardstick_centre", "latin_america", "drug_intensity", "build_panel", "Model",
           "fit_model", "peru_prediction", "break_even", "counts_vs_break_even",
           "interaction_estimate", "drug_coefficient", "corruption_position", "pardons",
           "evidence_table", "grade", "Findings", "analyse", "ols_check",
           "points_below_line"]

PERU = "PER"
NOT_LATIN = ("USA", "CAN", "BMU", "GRL", "SPM")  # the Americas outside Latin America/Caribbean
Z_OUTLIER = 1.645  # one-sided 5%: below this many residual SDs, a country-year is an outlier
# Where "ordinary" is measured from (see `yardstick_centre`).
YARDSTICKS = {
    "fitted_line": "the model's fitted line (the population-weighted average country)",
    "neighbours_centre": "where the comparison countries actually sit (median of their average "
                         "gaps from the fitted line)",
}
SEIZURE_NOTE = ("Drug intensity = cocaine seized per 100,000 people; seizures measure "
                "enforcement as much as traffic.")


def latin_america(countries: pd.DataFrame, population: pd.DataFrame) -> list[str]:
    """ISO3 of Latin American and Caribbean countries with a population series."""
    c = countries.loc[(countries["region"] == "Americas") & ~countries["is_aggregate"]
                      & ~countries["iso3"].isin(NOT_LATIN)]
    return sorted(set(c["iso3"]) & set(population["iso3"]))


def drug_intensity(seizures: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Cocaine seized per 100,000 people: iso3, year, kg_per_100k, x_drugs = log(1 + kg_per_100k).

    log(1 + .) because intensity is heavily skewed (transit islands seize far more per head
    than anyone) and can be zero.
    """
    d = seizures.merge(population[["iso3", "year", "population"]], on=["iso3", "year"])
    d["kg_per_100k"] = d["kilograms"] / d["population"] * 1e5
    d["x_drugs"] = np.log1p(d["kg_per_100k"])
    d = d.rename(columns={"source_id": "seizure_source_id"})
    return d[["iso3", "year", "kg_per_100k", "x_drugs", "seizure_source_id"]]


def panel_sources(panel: pd.DataFrame) -> tuple[str, ...]:
    """Source ids behind a panel: its homicide and seizure series, and the population table."""
    ids = [*panel["source_id"], *panel["seizure_source_id"], "wdi_population"]
    return tuple(sorted(set(ids)))


def _homicide_counts(homicide: pd.DataFrame, population: pd.DataFrame, series: str) -> pd.DataFrame:
    """iso3, year, homicides, population for one series.

    Uses the published count where the series has one (GSH); otherwise (the World Bank series
    publishes rates only) count = rate x population / 100,000 - a reconstruction, stated.
    """
    h = homicide.loc[homicide["source_type"] == series,
                     ["iso3", "year", "rate_per_100k", "count", "source_id"]]
    d = h.merge(population[["iso3", "year", "population"]], on=["iso3", "year"])
    reconstructed = d["rate_per_100k"] * d["population"] / 1e5
    d["count_published"] = d["count"].notna().astype(bool)
    d["homicides"] = d["count"].astype("Float64").fillna(reconstructed).astype(float)
    return d.dropna(subset=["homicides"])[["iso3", "year", "homicides", "count_published",
                                           "population", "source_id"]]


def build_panel(homicide: pd.DataFrame, population: pd.DataFrame, seizures: pd.DataFrame,
                countries: pd.DataFrame, corruption: pd.DataFrame | None = None,
                series: str = "wdi_series", corruption_indicator: str = "wgi_cc_est") -> pd.DataFrame:
    """Country-year panel of Latin America and the Caribbean for the models.

    Columns: iso3, year, homicides, count_published (the count is the source's, not rate x
    population), population, rate_per_100k (homicides / World Bank population, so a published
    rate computed on another population can differ: Peru's 2012 police rate is printed 9.6,
    recomputed 9.7), kg_per_100k, x_drugs, and with
    `corruption`: cc (the indicator; WGI control of corruption by default, higher = cleaner)
    and corrupt = -cc (higher = more corrupt), both only where the indicator exists.
    Rows need a homicide figure, a population and a seizure figure (inner joins).
    """
    la = latin_america(countries, population)
    d = _homicide_counts(homicide, population, series)
    d = d.loc[d["iso3"].isin(la)].merge(drug_intensity(seizures, population), on=["iso3", "year"])
    d["rate_per_100k"] = d["homicides"] / d["population"] * 1e5
    if corruption is not None:
        cc = corruption.loc[corruption["indicator"] == corruption_indicator,
                            ["iso3", "year", "value"]].rename(columns={"value": "cc"})
        d = d.merge(cc, on=["iso3", "year"])
        d["corrupt"] = -d["cc"]
    return d.sort_values(["iso3", "year"]).reset_index(drop=True)


def one_blas_thread(fn):
    """Run `fn` with BLAS limited to one thread (threadpoolctl).

    Why: the models here are small (hundreds of rows, tens of columns) and are fitted by the
    dozen; on a busy 2-core machine a multi-threaded BLAS spends more time contending for
    cores than computing (the specification curves took 2.8 s with the default threads,
    0.8 s with one; `analyse` 2 s against 0.2 s).
    """
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)
    return wrapper


def country_gaps(observed, fitted, iso3) -> pd.Series:
    """Each country's average log(observed / fitted) over its years (index iso3).

    Zero counts are read as 0.5 so that the log exists. These gaps are what the between-
    country spread (their SD) and the neighbours' centre (their median) are computed from.
    """
    gap = np.log(np.maximum(np.asarray(observed, float), 0.5) / np.asarray(fitted, float))
    codes, countries = pd.factorize(np.asarray(iso3))
    means = np.bincount(codes, gap) / np.bincount(codes)  # the grid calls this ~100 times
    return pd.Series(means, index=countries).sort_index()


def yardstick_centre(gaps: pd.Series, yardstick: str = "fitted_line") -> float:
    """Where an ordinary country sits, in log points from the fitted line.

    "fitted_line": 0, the line itself. A Poisson fit weights each country-year by its expected
    count, so a few big countries set the line and the small ones can sit below it on average.
    "neighbours_centre": the median of the comparison countries' average gaps, so Peru is
    measured from where its neighbours actually are (robust to the big countries).
    """
    if yardstick not in YARDSTICKS:
        raise ValueError(f"yardstick must be one of {sorted(YARDSTICKS)}, got {yardstick!r}")
    return 0.0 if yardstick == "fitted_line" else float(gaps.median())


class ModelError(RuntimeError):
    """A panel model that failed to fit or converge: the book must not print its numbers."""


@dataclass(frozen=True)
class Model:
    """A fitted panel model and what the report needs from it.

    sigma: SD of the peers' country-average log(observed / predicted), the between-country
    spread against which Peru's gap is judged.
    """

    fit: object
    formula: str
    data: pd.DataFrame
    excluded: tuple[str, ...]
    sigma: float

    @property
    def n_obs(self) -> int:
        """Country-years in the fit."""
        return int(self.fit.nobs)

    @property
    def n_countries(self) -> int:
        """Countries in the fit."""
        return int(self.data["iso3"].nunique())

    @property
    def years(self) -> tuple[int, int]:
        """First and last year in the fit."""
        return int(self.data["year"].min()), int(self.data["year"].max())

    @property
    def converged(self) -> bool:
        """Whether the IRLS fit converged."""
        return bool(self.fit.converged)

    @property
    def gaps(self) -> pd.Series:
        """The comparison countries' average log gaps from the fitted line (`country_gaps`)."""
        return country_gaps(self.data["homicides"], self.fit.fittedvalues, self.data["iso3"])

    def centre(self, yardstick: str = "fitted_line") -> float:
        """Where an ordinary country sits under `yardstick`, in log points (`yardstick_centre`)."""
        return yardstick_centre(self.gaps, yardstick)

    def describe(self) -> str:
        """One line for method notes: model, n, countries, years."""
        y0, y1 = self.years
        return (f"Poisson GLM ({self.formula}), log population offset, errors clustered by "
                f"country; n = {self.n_obs} country-years, {self.n_countries} countries, "
                f"{year_span(y0, y1)}; Peru excluded from the fit.")


@one_blas_thread
def fit_model(panel: pd.DataFrame, complicity: bool = False,
              exclude: tuple[str, ...] = (PERU,)) -> Model:
    """Fit the misreading model (drug intensity + year effects) or, with `complicity`, the
    same plus corruption and drug x corruption (variables centred on the sample mean so the
    main effects read at an average country)."""
    d = panel.loc[~panel["iso3"].isin(exclude)].copy()
    if complicity:
        d["xd"] = d["x_drugs"] - d["x_drugs"].mean()
        d["xc"] = d["corrupt"] - d["corrupt"].mean()
        formula = "homicides ~ xd * xc + C(year)"
    else:
        formula = "homicides ~ x_drugs + C(year)"
    groups = pd.factorize(d["iso3"])[0]
    what = f"the {'complicity' if complicity else 'misreading'} model ({formula}; n = {len(d)} country-years)"
    try:
        fit = smf.glm(formula, data=d, family=sm.families.Poisson(),
                      offset=np.log(d["population"])).fit(cov_type="cluster",
                                                          cov_kwds={"groups": groups})
    except (ValueError, np.linalg.LinAlgError, FloatingPointError) as err:
        raise ModelError(f"{what} could not be fitted ({err}); check the homicide, population "
                         "and cocaine_seizures tables of the data folder") from None
    if not fit.converged or not np.all(np.isfinite(fit.params)):
        raise ModelError(f"{what} did not converge; its numbers would be meaningless. Check the "
                         "homicide, population and cocaine_seizures tables of the data folder")
    sigma = float(country_gaps(d["homicides"], fit.fittedvalues, d["iso3"]).std(ddof=1))
    return Model(fit=fit, formula=formula, data=d, excluded=tuple(exclude), sigma=sigma)


def _centre_text(centre: float) -> str:
    """The centre as the start of an exponent in a method note ("" for the fitted line)."""
    return "" if centre == 0 else f"{centre:.2f} "


def peer_gaps(model: Model, yardstick: str = "fitted_line", z: float = Z_OUTLIER) -> pd.DataFrame:
    """Every comparison country's own gap, judged the way Peru's is.

    Columns: iso3, gap (average log(observed / fitted)), z ((gap - centre) / sigma), outlier
    (z <= -`z`), sorted from the lowest z. Why: if several neighbours sit as far below the
    line as Peru, the line (not Peru) is what is unusual; on the fitted line in this vintage
    five do (Chile, Aruba, Bolivia, Cuba, Argentina).
    """
    gaps = model.gaps
    zs = (gaps - model.centre(yardstick)) / model.sigma
    t = pd.DataFrame({"iso3": gaps.index, "gap": gaps.to_numpy(), "z": zs.to_numpy()})
    return t.assign(outlier=t["z"] <= -z).sort_values("z", kind="stable").reset_index(drop=True)


def _design_row(model: Model, row: pd.DataFrame) -> pd.DataFrame:
    """A panel row prepared with the centring the model used.

    ModelError if no country in the fit has the row's year: its year effect is unknown."""
    missing = sorted(set(row["year"]) - set(model.data["year"]))
    if missing:
        raise ModelError(f"the model cannot predict Peru in {missing[0]}: no other country in the fit "
                         f"has homicide, population and seizure data for that year")
    r = row.copy()
    if "xd" in model.data:
        r["xd"] = r["x_drugs"] - model.data["x_drugs"].mean()
        r["xc"] = r["corrupt"] - model.data["corrupt"].mean()
    return r


def _peru_row(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """Peru's panel row for `year`; KeyError saying what a row needs if it is missing."""
    r = panel.loc[(panel["iso3"] == PERU) & (panel["year"] == year)]
    if r.empty:
        raise KeyError(f"panel: no Peru row for {year} (needs homicide, population, seizures)")
    return r


def _observed_note(row: pd.DataFrame) -> str:
    """Whether Peru's observed rate is the source's published rate or its published count
    over the World Bank population (the two can differ: 9.6 printed, 9.7 recomputed)."""
    if "count_published" in row and bool(row["count_published"].iloc[0]):
        return "Recomputed: the series' published count / World Bank population x 100,000."
    return "Published rate in the model's series."


def peru_prediction(model: Model, panel: pd.DataFrame, year: int,
                    level: float = 0.95, yardstick: str = "fitted_line") -> dict[str, Estimate]:
    """Peru's observed vs predicted homicides in `year`.

    Returns {"observed_rate", "predicted_rate", "ratio", "z"}: predicted_rate carries the CI
    of the fitted mean (cluster-robust); ratio = observed / predicted; z = (log(ratio) -
    centre) / sigma, Peru's gap in units of the between-country spread measured from the
    `yardstick`'s centre (0 for the fitted line; below -1.645: an outlier).
    """
    row = _design_row(model, _peru_row(panel, year))
    pred = model.fit.get_prediction(row, offset=np.log(row["population"]))
    frame = pred.summary_frame(alpha=1 - level)
    pop = float(row["population"].iloc[0])
    mean, lo, hi = (float(frame[c].iloc[0]) / pop * 1e5 for c in ("mean", "mean_ci_lower",
                                                                   "mean_ci_upper"))
    obs = float(row["rate_per_100k"].iloc[0])
    srcs = panel_sources(row)
    note = model.describe()
    ratio = obs / mean
    centre = model.centre(yardstick)
    return {
        "observed_rate": Estimate(obs, unit="per_100k", year=year, sources=srcs,
                                  method=_observed_note(row)),
        "predicted_rate": Estimate(mean, lo, hi, unit="per_100k", year=year, sources=srcs,
                                   interval=f"{level:.0%} CI", method=note),
        "ratio": Estimate(ratio, unit="times", digits=2, sources=srcs,
                          method=f"Observed / predicted. {note}"),
        "z": Estimate((np.log(ratio) - centre) / model.sigma, digits=1, sources=srcs,
                      method=f"(log(observed / predicted) - ({centre:.2f})) / {model.sigma:.2f} "
                             f"(centre: {YARDSTICKS[yardstick]}; SD of the other countries' "
                             f"average log gaps). {note}"),
    }


def break_even(model: Model, panel: pd.DataFrame, year: int, z: float = Z_OUTLIER,
               yardstick: str = "fitted_line") -> Estimate:
    """The homicide count at which Peru stops being a low outlier in `year`.

    Below predicted x exp(centre - z x sigma) Peru is more than `z` between-country SDs under
    the `yardstick`'s centre (0 = the fitted line); at or above it, an ordinary country.
    In homicides.
    """
    row = _design_row(model, _peru_row(panel, year))
    mean = float(model.fit.predict(row, offset=np.log(row["population"])).iloc[0])
    centre = model.centre(yardstick)
    count = mean * np.exp(centre - z * model.sigma)
    return Estimate(round(count, -1), unit="homicides", year=year, hedge="about",
                    sources=panel_sources(row),
                    method=(f"Predicted {mean:,.0f} x exp({_centre_text(centre)}-{z} x "
                            f"{model.sigma:.2f}). "
                            f"{model.describe()} {SEIZURE_NOTE}"))


def counts_vs_break_even(model: Model, panel: pd.DataFrame, claims: pd.DataFrame,
                         population: pd.DataFrame) -> pd.DataFrame:
    """Where the published count and the article's two counts fall against the model.

    One row per figure (published, interior, police): count, rate_per_100k, predicted (count),
    break_even (count), ratio_to_predicted, outlier (count below break-even). Year = the
    claims' year.
    """
    rates = claimed_rates(claims, population)
    year = rates["interior"].year
    row = _design_row(model, _peru_row(panel, year))
    pop = float(row["population"].iloc[0])
    predicted = float(model.fit.predict(row, offset=np.log(row["population"])).iloc[0])
    be = predicted * np.exp(-Z_OUTLIER * model.sigma)
    figures = {"published": float(row["homicides"].iloc[0]),
               "interior": claim(claims, "homicides_interior_ministry").value,
               "police": claim(claims, "homicides_national_police").value}
    return pd.DataFrame([{"figure": k, "year": year, "count": v, "rate_per_100k": v / pop * 1e5,
                          "predicted": predicted, "break_even": be,
                          "ratio_to_predicted": v / predicted, "outlier": v < be}
                         for k, v in figures.items()])


def _coef(model: Model, name: str, label: str, level: float) -> Estimate:
    """One coefficient with its cluster-robust CI as an Estimate."""
    lo, hi = model.fit.conf_int(alpha=1 - level).loc[name]
    p = float(model.fit.pvalues[name])
    return Estimate(float(model.fit.params[name]), float(lo), float(hi), digits=2,
                    interval=f"{level:.0%} CI", sources=panel_sources(model.data),
                    method=f"{label}; p = {p:.2f}. {model.describe()} {SEIZURE_NOTE}")


def drug_coefficient(model: Model, level: float = 0.95) -> Estimate:
    """Coefficient of drug intensity (log homicide rate per unit of log(1 + kg per 100k))."""
    name = "xd" if "xd" in model.fit.params.index else "x_drugs"
    return _coef(model, name, "Drug-intensity coefficient", level)


def interaction_estimate(model: Model, level: float = 0.95) -> Estimate:
    """Drug x corruption coefficient of the complicity model.

    Complicity predicts a negative value: the more corrupt the country (higher `corrupt` =
    lower WGI control of corruption), the weaker the drug-violence link.
    """
    if "xd:xc" not in model.fit.params.index:
        raise ValueError("interaction_estimate needs the complicity model (fit_model(complicity=True))")
    return _coef(model, "xd:xc", "Drug intensity x corruption (WGI, sign flipped)", level)


def corruption_position(corruption: pd.DataFrame, countries: pd.DataFrame, year: int,
                        indicator: str = "wgi_cc_est") -> pd.DataFrame:
    """South American countries by corruption in `year`: iso3, value, rank (1 = most corrupt), n.

    For every indicator in `corruption` a higher value means cleaner, so rank 1 is the lowest
    value. CPI's two scales are different indicators and are never mixed.
    """
    c = corruption.loc[(corruption["indicator"] == indicator) & (corruption["year"] == year)
                       & corruption["iso3"].isin(south_america(countries))]
    if c.empty:
        raise KeyError(f"corruption: no {indicator} values for {year}")
    c = c.assign(rank=c["value"].rank(method="min").astype(int), n=len(c))
    c = c.sort_values("rank", kind="stable")
    return c[["iso3", "value", "rank", "n", "source_id"]].reset_index(drop=True)


def pardons(claims: pd.DataFrame) -> dict[str, Estimate]:
    """The article's pardon counts ({"garcia", "humala"}), hedges kept; no public data check
    them, so they stay the article's claims."""
    out = {}
    for key, cid in (("garcia", "garcia_pardons"), ("humala", "humala_pardons")):
        c = claim(claims, cid)
        hedge = {"some": "some", "as many as": "as many as"}.get(c.wording)
        out[key] = Estimate(c.value, c.low, c.high, unit="people", hedge=hedge,
                            sources=(c.source_id,),
                            method="As stated in the article; no public series of pardons "
                                   "was available to check it.")
    return out


@one_blas_thread
def ols_check(panel: pd.DataFrame, year: int, exclude: tuple[str, ...] = (PERU,),
              level: float = 0.95) -> dict[str, Estimate]:
    """The alternative model, for comparison: OLS of log rate on drug intensity + year effects,
    errors clustered by country, Peru held out. Returns {"drug_effect", "predicted_rate"}
    (predicted_rate = exp of the fitted log rate: a geometric mean, so lower than the Poisson
    mean). It weights every country-year equally, small islands as much as Brazil, and must
    drop zero rates; that is why it is the check, not the model."""
    d = panel.loc[~panel["iso3"].isin(exclude) & (panel["rate_per_100k"] > 0)]
    fit = smf.ols("np.log(rate_per_100k) ~ x_drugs + C(year)", data=d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    lo, hi = fit.conf_int(alpha=1 - level).loc["x_drugs"]
    row = _peru_row(panel, year)
    pred = fit.get_prediction(row).summary_frame(alpha=1 - level)
    note = (f"OLS on log rates, year effects, errors clustered by country; n = {int(fit.nobs)} "
            f"country-years, {d['iso3'].nunique()} countries; Peru held out. {SEIZURE_NOTE}")
    srcs = panel_sources(d)
    return {
        "drug_effect": Estimate(float(fit.params["x_drugs"]), float(lo), float(hi), digits=2,
                                interval=f"{level:.0%} CI", sources=srcs, method=note),
        "predicted_rate": Estimate(*(float(np.exp(pred[c].iloc[0])) for c in
                                     ("mean", "mean_ci_lower", "mean_ci_upper")),
                                   unit="per_100k", year=year, interval=f"{level:.0%} CI",
                                   sources=srcs, method=note),
    }


def grade(est: Estimate, predicted_sign: int) -> str:
    """How a coefficient bears on a prediction of its sign (+1 / -1), by its CI.

    "supports" if the CI excludes zero on the predicted side, "contradicts" if it excludes
    zero on the other side, otherwise "inconclusive" (the data cannot tell).
    """
    if est.low is not None and est.low > 0:
        return "supports" if predicted_sign > 0 else "contradicts"
    if est.high is not None and est.high < 0:
        return "supports" if predicted_sign < 0 else "contradicts"
    return "inconclusive"


@dataclass(frozen=True)
class Findings:
    """Both explanations tested, computed once from the tables."""

    year: int
    panel: pd.DataFrame
    misreading: Model
    complicity: Model
    prediction: dict
    break_even: Estimate
    counts: pd.DataFrame
    drug_effect: Estimate
    interaction: Estimate
    corruption_wgi: pd.DataFrame
    corruption_cpi: pd.DataFrame | None
    police_model: Model
    police_prediction: dict
    police_break_even: Estimate
    ols: dict
    series_gap: dict
    gap_table: pd.DataFrame
    pardons: dict
    evidence: pd.DataFrame


def _cpi_position(corruption: pd.DataFrame, countries: pd.DataFrame, year: int):
    """CPI ranks in `year` on whichever scale TI used that year (None if not covered)."""
    for indicator in ("cpi_0_100", "cpi_0_10"):
        try:
            return corruption_position(corruption, countries, year, indicator)
        except KeyError:
            continue
    return None


@one_blas_thread
def analyse(tables: dict[str, pd.DataFrame], year: int | None = None) -> Findings:
    """Both explanations from the loaded tables (keys: homicide, population, cocaine_seizures,
    countries, corruption, article_claims). `year` defaults to the year of the article's
    homicide counts."""
    from analysis.violence import peru_gap_vs_peers, source_gap_table

    h, pop, sz = tables["homicide"], tables["population"], tables["cocaine_seizures"]
    c, corr, claims = tables["countries"], tables["corruption"], tables["article_claims"]
    year = year or claimed_rates(claims, pop)["interior"].year
    panel = build_panel(h, pop, sz, c)
    mis = fit_model(panel)
    police_panel = build_panel(h, pop, sz, c, series="criminal_justice")
    police = fit_model(police_panel)
    com = fit_model(build_panel(h, pop, sz, c, corr), complicity=True)
    f = dict(year=year, panel=panel, misreading=mis, complicity=com,
             prediction=peru_prediction(mis, panel, year), break_even=break_even(mis, panel, year),
             counts=counts_vs_break_even(mis, panel, claims, pop), drug_effect=drug_coefficient(mis),
             interaction=interaction_estimate(com),
             corruption_wgi=corruption_position(corr, c, year),
             corruption_cpi=_cpi_position(corr, c, year),
             series_gap=peru_gap_vs_peers(h, c), gap_table=source_gap_table(h, c),
             pardons=pardons(claims), police_model=police,
             police_prediction=peru_prediction(police, police_panel, year),
             police_break_even=break_even(police, police_panel, year),
             ols=ols_check(panel, year))
    return Findings(evidence=evidence_table(f), **f)


def _break_even_verdict(c: pd.DataFrame) -> str:
    """Which of the published and the two claimed counts leave Peru a low outlier."""
    low = [k for k in ("published", "police", "interior") if c.loc[k, "outlier"]]
    if not low:
        return "no count leaves Peru an outlier: the test cannot separate them"
    if low == ["published"]:
        return "either claimed count removes the outlier; the published one does not"
    return "outlier under: " + ", ".join(low)


def _gap_verdict(gap: dict) -> str:
    """Does Peru's police/modelled ratio sit outside its neighbours' range, and which way?"""
    peru, peers = gap["peru"].point, gap["peers_median"]
    if peers.high is not None and peru > peers.high:
        return "Peru's sources disagree more than any neighbour's (police above modelled, not below)"
    if peers.low is not None and peru < peers.low:
        return "Peru's police count falls further below modelled deaths than any neighbour's"
    return "within the neighbours' range"


def _peru(table: pd.DataFrame) -> pd.Series:
    """Peru's row of a table indexed by iso3."""
    return table.set_index("iso3").loc[PERU]


def evidence_table(f: dict) -> pd.DataFrame:
    """One row per piece of evidence: explanation, prediction, data_show, n, strength,
    would_settle. Strength is graded from the intervals (`grade`) or from the z-gap, never
    stronger than "consistent with"; the article's "almost impossible to know" stands unless
    a row says otherwise."""
    mis, com, pred, counts = f["misreading"], f["complicity"], f["prediction"], f["counts"]
    c = counts.set_index("figure")
    z = pred["z"].point
    pol, zp = f["police_model"], f["police_prediction"]["z"].point
    wgi, gap = _peru(f["corruption_wgi"]), f["series_gap"]
    settle_1 = ("Reconciled yearly death records for Peru (death certificates, police, "
                "prosecutors) with the definitions behind the 10,000 and 3,000, broken down for "
                "the coca valleys.")
    settle_2 = ("Court and pardon records for drug convictions; prosecutions of officials for "
                "drug-linked corruption; surveys of bribery in the coca regions.")
    n_mis = f"{mis.n_obs} country-years, {mis.n_countries} countries"
    gt = f["gap_table"]
    n_gap = (f"{len(gt)} South American countries, "
             f"{year_span(int(gt['first_year'].min()), int(gt['last_year'].max()))}")
    premise = grade(f["drug_effect"], +1)
    outlier = "consistent with an outlier" if z <= -Z_OUTLIER else "within the usual spread"
    if premise != "supports":
        outlier += ", but the prediction is mostly the regional average (premise not shown)"
    rows = [
        ("Misreading", "Peru records far fewer homicides than its drug intensity predicts",
         f"Observed {pred['observed_rate']}; predicted {pred['predicted_rate']}; gap "
         f"{z:.1f} between-country SDs", n_mis, outlier, settle_1),
        ("Misreading", "The same holds on the police series (published counts, not rates)",
         f"Observed {f['police_prediction']['observed_rate']}; predicted "
         f"{f['police_prediction']['predicted_rate']}; gap {zp:.1f} between-country SDs",
         f"{pol.n_obs} country-years, {pol.n_countries} countries",
         "consistent with an outlier" if zp <= -Z_OUTLIER else "within the usual spread",
         settle_1),
        ("Misreading", "Drug intensity drives homicide across the region (the premise)",
         f"Coefficient {f['drug_effect']}", n_mis, premise, settle_1),
        ("Misreading", "A fuller count would bring Peru back into line",
         f"Break-even {f['break_even']}; published {c.loc['published', 'count']:,.0f}, police "
         f"{c.loc['police', 'count']:,.0f}, Interior {c.loc['interior', 'count']:,.0f} "
         f"({c.loc['interior', 'ratio_to_predicted']:.2f} x predicted)", n_mis,
         _break_even_verdict(c), settle_1),
        ("Misreading", "Counts disagree more for Peru than for its neighbours",
         f"Police / modelled deaths: Peru {gap['peru']}, neighbours median {gap['peers_median']}",
         n_gap,
         _gap_verdict(gap), settle_1),
        ("Complicity", "Corruption weakens the drug-violence link (negative interaction)",
         f"Drug x corruption {f['interaction']}",
         f"{com.n_obs} country-years, {com.n_countries} countries", grade(f["interaction"], -1),
         settle_2),
        ("Complicity", "Peru is among the more corrupt countries of South America",
         f"WGI control of corruption {f['year']}: rank {int(wgi['rank'])} of {int(wgi['n'])} "
         f"(1 = most corrupt)", f"{int(wgi['n'])} countries",
         "consistent" if wgi["rank"] <= wgi["n"] / 3 else "not borne out: Peru is mid-table",
         settle_2),
        ("Complicity", "Traffickers are let off (pardons)",
         f"{f['pardons']['garcia']} (Garcia), {f['pardons']['humala']} (Humala)",
         "the article's figures", "unverified: no public series", settle_2),
    ]
    return pd.DataFrame(rows, columns=["explanation", "prediction", "data_show", "n",
                                       "strength", "would_settle"])


def observed_vs_predicted(f: Findings) -> tuple[pd.DataFrame, float]:
    """The yardstick model's fit, country-year by country-year, and Peru's predicted rate.

    Returns (frame, peru_predicted): the frame has iso3, year, rate_per_100k (observed),
    predicted (per 100,000: fitted values for the peers, out-of-sample predictions for Peru,
    which the fit leaves out), kg_per_100k and peru (bool); rows with a zero observed or
    predicted rate are left out (they cannot be drawn on log axes). peru_predicted is Peru's
    predicted rate in the findings' year.
    """
    model, panel = f.misreading, f.panel
    fitted = model.data.assign(predicted=model.fit.fittedvalues / model.data["population"] * 1e5)
    peru = panel.loc[panel["iso3"] == PERU].copy()
    peru["predicted"] = np.asarray(model.fit.predict(peru, offset=np.log(peru["population"]))) \
        / peru["population"].to_numpy() * 1e5
    d = pd.concat([fitted.assign(peru=False), peru.assign(peru=True)], ignore_index=True)
    d = d.loc[(d["rate_per_100k"] > 0) & (d["predicted"] > 0),
              ["iso3", "year", "rate_per_100k", "predicted", "kg_per_100k", "peru"]]
    return d, float(peru.loc[peru["year"] == f.year, "predicted"].iloc[0])


def points_below_line(f: Findings) -> dict:
    """How unusual Peru's place below the yardstick model's line is among the other points.

    Ratios are observed / predicted rate (`observed_vs_predicted`, the points the model-fit
    figure draws). Returns n_others (the other countries' country-years), below (ratio < 1),
    below_half (ratio < 0.5) and as_far_below (ratio <= Peru's in the findings' year), and
    Peru's ratio: peru_ratio (the findings' year), peru_min, peru_max and peru_years (over
    every year Peru has a point). Why: "most points lie below the line" alone hides how few
    lie as far below it as Peru.
    """
    d, _ = observed_vs_predicted(f)
    ratio = d["rate_per_100k"] / d["predicted"]
    others, peru = ratio.loc[~d["peru"]], ratio.loc[d["peru"]]
    own = float(peru.loc[d.loc[d["peru"], "year"] == f.year].iloc[0])
    return {"n_others": int(len(others)), "below": int((others < 1).sum()),
            "below_half": int((others < 0.5).sum()), "as_far_below": int((others <= own).sum()),
            "peru_ratio": own, "peru_min": float(peru.min()), "peru_max": float(peru.max()),
            "peru_years": int(len(peru))}


def term_diagnostics(model: Model, term: str, level: float = 0.95) -> dict:
    """One coefficient of a fitted model with the fit's diagnostics, for the methods appendix.

    Returns coef, ci_low, ci_high (`level` interval, cluster-robust), n_obs, n_countries,
    first_year, last_year, dispersion (Pearson chi2 / residual df; near 1 for a Poisson fit
    that suits the data), sigma (between-country SD) and converged.
    """
    fit = model.fit
    lo, hi = fit.conf_int(alpha=1 - level).loc[term]
    y0, y1 = model.years
    return {"coef": float(fit.params[term]), "ci_low": float(lo), "ci_high": float(hi),
            "n_obs": model.n_obs, "n_countries": model.n_countries, "first_year": y0,
            "last_year": y1, "dispersion": float(fit.pearson_chi2 / fit.df_resid),
            "sigma": model.sigma, "converged": model.converged}
