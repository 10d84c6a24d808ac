"""The specification curve: each explanation tested under every defensible set of choices.

One model is one analyst's choices. Following Simonsohn, Simmons & Nelson (2020,
"Specification curve analysis", Nature Human Behaviour), this module runs every combination
of the choices an honest analyst could make (`CHOICES`, `COMPLICITY_CHOICES`) and returns
one row per specification with its choices and results, so that a finding is stated with
the share of specifications behind it (`analysis.verdicts`), not on the strength of one fit.

Choices for the first explanation (misreading: Peru's homicides are undercounted):
- yardstick: Peru's gap measured from the fitted line, or from where its neighbours sit
  (`explanations.yardstick_centre`);
- estimator: Poisson GLM of counts with a log-population offset (weights each country-year
  by its expected count, so the big countries set the line); OLS on log rates (every
  country-year weighs the same; zero rates dropped); negative binomial NB2 (a Poisson mean
  with extra variance, so the big countries weigh less than under Poisson);
- homicide series: World Bank / UNODC (current vintage), UNODC police (criminal justice,
  2000-2012), IHME modelled deaths from all violence (built on death registration; broader
  than homicide), UNODC public health (where Peru has a figure: it has none, so those
  specifications are listed as not estimable);
- drug intensity: log(1 + cocaine seized per 100,000 people), a coca-grower indicator
  (Bolivia, Colombia, Peru; with Peru held out, its effect rests on Bolivia and Colombia
  alone, hence the wide intervals), or none (Peru compared with the regional average);
- comparison set: Latin America and the Caribbean, or South America;
- year: each year from 2011 (the article's data years) to the latest Peru has in the series.

For the second explanation (complicity: corruption keeps the trade peaceful) the choices
are the estimator, series and set as above and the corruption indicator (WGI control of
corruption, or TI's CPI from 2012); drug intensity is the seizure measure only (a coca-grower
interaction would rest on two countries). Neither index can test the article's mechanism (a
pact between traffickers and officials): they measure perceived corruption in general.

Each (estimator, series, drug, set) is fitted once on all years (year effects, Peru held
out) and Peru is evaluated in every year from that one fit; the yardstick changes only where
the gap is measured from. Intervals are 95% with errors clustered by country; with about ten
countries in the South American set, clustered errors are optimistic (few clusters).

The break-even count (the count at which Peru stops being a low outlier) carries the
uncertainty of Peru's expected count only; the spread between countries is taken as known.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis import explanations as ex
from analysis.estimate import Estimate
from analysis.verdicts import Verdict, verdict, verdict_from_flags
from analysis.violence import south_america

__all__ = ["CHOICES", "COMPLICITY_CHOICES", "BASELINE", "FIRST_YEAR", "LEVEL", "MIN_COUNTRIES",
           "ESTIMATORS", "SERIES", "DRUGS", "SETS", "INDICATORS", "Curves", "curves",
           "series_panels", "misreading_grid", "complicity_grid",
           "corruption_positions", "corruption_against_median", "break_even_range", "grid_sources", "curve_verdicts",
           "share_by_choice", "counts_against_break_even",
           "peru_counts"]

ESTIMATORS = {
    "poisson": "Poisson GLM of counts, log-population offset",
    "ols": "OLS on log rates (every country-year weighs the same)",
    "negbin": "Negative binomial (NB2) GLM of counts, log-population offset",
}
SERIES = {
    "wdi_series": "World Bank / UNODC series (current vintage)",
    "criminal_justice": "UNODC police (criminal-justice) figures, 2000-2012",
    "modelled_all_violence": "IHME modelled deaths from all violence",
    "public_health": "UNODC public-health (death registration) figures",
}
DRUGS = {
    "seizures": "log(1 + kg of cocaine seized per 100,000 people)",
    "coca_grower": "coca-growing country (1 = Bolivia, Colombia, Peru)",
    "none": "none: the regional average for the year",
}
SETS = {
    "latin_america": "Latin America and the Caribbean",
    "south_america": "South America",
}
CHOICES = {
    "yardstick": tuple(ex.YARDSTICKS),
    "estimator": tuple(ESTIMATORS),
    "series": tuple(SERIES),
    "drug": tuple(DRUGS),
    "comparison_set": tuple(SETS),
}
INDICATORS = {
    "wgi_cc_est": "World Bank WGI control of corruption (sign flipped: higher = more corrupt)",
    "cpi_0_100": "Transparency International CPI, 0-100, 2012 on (sign flipped)",
}
COMPLICITY_CHOICES = {
    "estimator": tuple(ESTIMATORS),
    "series": tuple(SERIES),
    # Not the coca-grower indicator: with Peru held out only Bolivia and Colombia grow coca, so
    # drug x corruption would rest on two countries; not "none": no drug, no interaction.
    "drug": ("seizures",),
    "comparison_set": tuple(SETS),
    "indicator": tuple(INDICATORS),
}
# The book's original model, one point of the curve.
BASELINE = {"yardstick": "fitted_line", "estimator": "poisson", "series": "wdi_series",
            "drug": "seizures", "comparison_set": "latin_america"}
FIRST_YEAR = 2011  # the article's data years are 2011-2012; the curve runs from there
LEVEL = 0.95
MIN_COUNTRIES = 8  # fewer comparison countries than this: no between-country spread to speak of


# --- the panel for one set of choices ---------------------------------------------------------

def _coca_growers(coca: pd.DataFrame) -> set[str]:
    """Countries with coca area in any year (the coca-grower indicator's ones)."""
    return set(coca.loc[coca["headline"] & (coca["hectares"] > 0), "iso3"])


def series_panels(tables: dict) -> dict[str, pd.DataFrame]:
    """explanations.build_panel once per homicide series (Latin America and the Caribbean),
    with the coca-grower indicator and each corruption indicator (sign flipped: higher = more
    corrupt; NaN where not published) added as columns `corrupt_<indicator>`."""
    growers = _coca_growers(tables["coca_cultivation"])
    corr = tables["corruption"]
    wide = (corr.loc[corr["indicator"].isin(INDICATORS)]
            .pivot_table(index=["iso3", "year"], columns="indicator", values="value")
            .reindex(columns=list(INDICATORS)).rename(columns=lambda c: f"corrupt_{c}"))
    out = {}
    for series in SERIES:
        p = ex.build_panel(tables["homicide"], tables["population"], tables["cocaine_seizures"],
                           tables["countries"], series=series)
        p = p.merge(-wide, left_on=["iso3", "year"], right_index=True, how="left")
        out[series] = p.assign(coca_grower=p["iso3"].isin(growers).astype(float))
    return out


def _subset(panel: pd.DataFrame, tables: dict, comparison_set: str,
            indicator: str | None = None) -> pd.DataFrame:
    """The rows of one comparison set (and, with `indicator`, with that indicator as
    `corrupt`)."""
    if comparison_set == "south_america":
        panel = panel.loc[panel["iso3"].isin(south_america(tables["countries"]))]
    if indicator is not None:
        panel = panel.dropna(subset=[f"corrupt_{indicator}"])
        panel = panel.assign(corrupt=panel[f"corrupt_{indicator}"])
    return panel.reset_index(drop=True)


def _design(d: pd.DataFrame, drug: str, years: list[int],
            extra: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, list[str]]:
    """Design matrix and column names: constant, the drug measure (if any), `extra` columns,
    year dummies (the first of `years` is the reference)."""
    cols = {"const": np.ones(len(d))}
    if drug != "none":
        cols["drug"] = d["x_drugs" if drug == "seizures" else "coca_grower"].to_numpy(float)
    cols.update(extra or {})
    yr = d["year"].to_numpy()
    cols.update({f"y{y}": (yr == y).astype(float) for y in years[1:]})
    return np.column_stack(list(cols.values())), list(cols)


# --- the three estimators ---------------------------------------------------------------------

@dataclass(frozen=True)
class Fit:
    """One fitted estimator: its results object, the rows it used, their fitted counts, and
    the design's column names."""

    estimator: str
    result: object
    used: np.ndarray  # boolean mask of the panel rows the fit used
    fitted_counts: np.ndarray
    columns: list[str]

    def predict(self, X: np.ndarray, population: np.ndarray, level: float = LEVEL):
        """(mean, low, high) expected counts for the rows of X, the CI of the fitted mean.

        The CI is computed on the linear predictor (x'b +- q se, se = sqrt(x'Vx) with the
        cluster-robust V) and exponentiated, as statsmodels' get_prediction does for a log
        link (tested equal); written out because the grid predicts ~100 times. For OLS the
        linear predictor is the log rate per 100,000, so the mean is a geometric mean.
        """
        eta = X @ np.asarray(self.result.params)
        se = np.sqrt(np.einsum("ij,jk,ik->i", X, np.asarray(self.result.cov_params()), X))
        q = stats.norm.ppf(0.5 + level / 2)
        scale = (population / 1e5) if self.estimator == "ols" else population
        return tuple(np.exp(eta + k * se) * scale for k in (0.0, -q, q))

    def coef(self, name: str, level: float = LEVEL) -> tuple[float, float, float, float]:
        """(estimate, low, high, p) of one coefficient."""
        i = self.columns.index(name)
        lo, hi = np.asarray(self.result.conf_int(alpha=1 - level))[i]
        return (float(self.result.params[i]), float(lo), float(hi), float(self.result.pvalues[i]))


def nb2_alpha(y: np.ndarray, mu: np.ndarray) -> float:
    """NB2 overdispersion (Var = mu + alpha mu^2) by Cameron & Trivedi's auxiliary regression
    of ((y - mu)^2 - y) / mu on mu without constant, from a Poisson fit's mu.

    Why not maximum likelihood (statsmodels' discrete NegativeBinomial): the mean model is the
    same GLM and, on these data, alpha within a few percent (baseline: 0.55 both ways), at
    several times the cost, and the grid fits it dozens of times. Clipped at 1e-8 (no
    underdispersion).
    """
    return float(max(np.sum((y - mu) ** 2 - y) / np.sum(mu ** 2), 1e-8))


def _fits(d: pd.DataFrame, X: np.ndarray, columns: list[str]) -> dict[str, Fit | str]:
    """The three estimators on one panel `d` (Peru already out) and design, errors clustered by
    country: estimator -> Fit, or the reason it could not be fitted.

    Not fitted: a design of less than full rank (a coefficient the data cannot identify) or a
    fit that does not converge; such specifications are listed as not estimable, never given
    numbers. The negative binomial starts from the Poisson fit (its mu gives alpha).
    """
    if np.linalg.matrix_rank(X) < X.shape[1]:
        return dict.fromkeys(ESTIMATORS, "a coefficient is not identified by these data")
    y = d["homicides"].to_numpy(float)
    pop = d["population"].to_numpy(float)
    groups = pd.factorize(d["iso3"])[0]
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    out: dict[str, Fit | str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow / domain warnings: judged by convergence
        try:
            po = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(pop)).fit(**cluster)
            nb = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=nb2_alpha(y, po.mu)),
                        offset=np.log(pop)).fit(start_params=po.params, **cluster)
            fits = {"poisson": po, "negbin": nb}
        except (ValueError, np.linalg.LinAlgError, FloatingPointError) as err:
            fits = dict.fromkeys(("poisson", "negbin"), f"model failed: {err}")
    for est, r in fits.items():
        ok = not isinstance(r, str) and r.converged and np.all(np.isfinite(r.params))
        out[est] = Fit(est, r, np.ones(len(d), bool), r.mu, columns) if ok else (
            r if isinstance(r, str) else f"{ESTIMATORS[est]} did not converge")
    used = d["rate_per_100k"].to_numpy() > 0  # log rates: zero rates cannot enter
    ols = sm.OLS(np.log(d["rate_per_100k"].to_numpy()[used]), X[used]).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"][used])[0]})
    out["ols"] = Fit("ols", ols, used, np.exp(ols.fittedvalues) * pop[used] / 1e5, columns)
    return out


# --- the misreading curve ---------------------------------------------------------------------

MISREADING_RESULTS = ["estimable", "reason", "sources", "n_obs", "n_countries", "observed",
                      "observed_rate", "predicted", "predicted_low", "predicted_high", "log_gap",
                      "centre", "sigma", "z", "outlier", "break_even", "break_even_low",
                      "break_even_high", "drug_coef", "drug_low", "drug_high", "drug_grade"]


def _not_estimable(choices: dict, reason: str, years=(pd.NA,)) -> pd.DataFrame:
    """Rows for specifications that cannot be estimated, with the reason."""
    return pd.DataFrame([{**choices, "year": y, "estimable": False, "reason": reason}
                         for y in years])


def _misreading_rows(tables: dict, series: str, drug: str, cset: str, panel: pd.DataFrame,
                     z_out: float) -> list[pd.DataFrame]:
    """Rows of every (estimator, yardstick, year) for one (series, drug, set): each estimator
    fitted once on all years, Peru evaluated in each of its years."""
    specs = [{"estimator": e, "series": series, "drug": drug, "comparison_set": cset,
              "yardstick": y} for e in ESTIMATORS for y in ex.YARDSTICKS]
    peru = panel.loc[(panel["iso3"] == ex.PERU) & (panel["year"] >= FIRST_YEAR)]
    peers = panel.loc[panel["iso3"] != ex.PERU].reset_index(drop=True)
    if peru.empty:
        return [_not_estimable(b, f"Peru has no {series} figure (with population and seizures) "
                                  f"from {FIRST_YEAR}") for b in specs]
    if peers["iso3"].nunique() < MIN_COUNTRIES:
        return [_not_estimable(b, f"fewer than {MIN_COUNTRIES} comparison countries",
                               peru["year"]) for b in specs]
    years = sorted(peers["year"].unique())
    peru = peru.loc[peru["year"].isin(years)]
    X, cols = _design(peers, drug, years)
    fits = _fits(peers, X, cols)
    Xp, _ = _design(peru, drug, years)
    sources = _sources(tables, panel, drug)
    rows = []
    for est, fit in fits.items():
        mine = [b for b in specs if b["estimator"] == est]
        if isinstance(fit, str):
            rows += [_not_estimable(b, fit, peru["year"]) for b in mine]
        else:
            rows += _gap_rows(mine, fit, peers, peru, Xp, drug, z_out, sources)
    return rows


def _gap_rows(specs: list[dict], fit: Fit, peers: pd.DataFrame, peru: pd.DataFrame,
              Xp: np.ndarray, drug: str, z_out: float, sources: str) -> list[pd.DataFrame]:
    """Peru's gap, outlier flag and break-even in each of its years, for one fitted estimator
    under each yardstick in `specs`."""
    keep = (peru["rate_per_100k"].to_numpy() > 0 if fit.estimator == "ols"
            else np.ones(len(peru), bool))
    peru, Xp = peru.loc[keep], Xp[keep]
    used = peers.loc[fit.used]
    gaps = ex.country_gaps(used["homicides"], fit.fitted_counts, used["iso3"])
    sigma = float(gaps.std(ddof=1))
    pop = peru["population"].to_numpy(float)
    obs = peru["homicides"].to_numpy(float)
    mean, lo, hi = fit.predict(Xp, pop)
    log_gap = np.log(obs / mean)
    dc = fit.coef("drug") if drug != "none" else (np.nan,) * 4
    common = {"estimable": True, "reason": "", "sources": sources, "n_obs": int(fit.used.sum()),
              "n_countries": int(used["iso3"].nunique()), "observed": obs,
              "observed_rate": obs / pop * 1e5, "predicted": mean, "predicted_low": lo,
              "predicted_high": hi, "log_gap": log_gap, "sigma": sigma, "drug_coef": dc[0],
              "drug_low": dc[1], "drug_high": dc[2],
              "drug_grade": ex.grade(Estimate(*dc[:3]), +1) if drug != "none" else pd.NA}
    rows = []
    for spec in specs:
        centre = ex.yardstick_centre(gaps, spec["yardstick"])
        z = (log_gap - centre) / sigma
        factor = np.exp(centre - z_out * sigma)
        rows.append(pd.DataFrame({**spec, "year": peru["year"].to_numpy(), **common,
                                  "centre": centre, "z": z, "outlier": z <= -z_out,
                                  "break_even": mean * factor, "break_even_low": lo * factor,
                                  "break_even_high": hi * factor}))
    return rows


@ex.one_blas_thread
def misreading_grid(tables: dict, z_out: float = ex.Z_OUTLIER,
                    panels: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per specification of the misreading test (choices x Peru's years).

    `tables`: homicide, population, cocaine_seizures, countries, coca_cultivation (as loaded).
    Columns: spec_id, the choices (yardstick, estimator, series, drug, comparison_set, year),
    baseline (the book's original model), estimable, reason (why not, if not), n_obs,
    n_countries, observed (Peru's count in the series), observed_rate, predicted (expected
    count) with predicted_low/high (95% CI), log_gap = log(observed / predicted), centre
    (the yardstick's, log points), sigma (between-country SD), z = (log_gap - centre) / sigma,
    outlier (z <= -z_out), break_even (count at which z = -z_out) with break_even_low/high
    (from the CI of the expected count), drug_coef/low/high and drug_grade (explanations.grade
    against a positive effect; NA without a drug measure). `panels`: from `series_panels`.
    """
    rows, panels = [], panels or series_panels(tables)
    for series, cset in itertools.product(SERIES, SETS):
        panel = _subset(panels[series], tables, cset)
        for drug in DRUGS:
            rows += _misreading_rows(tables, series, drug, cset, panel, z_out)
    return _finish(pd.concat(rows, ignore_index=True), list(CHOICES) + ["year"], MISREADING_RESULTS, BASELINE)


def _finish(grid: pd.DataFrame, choice_cols: list[str], result_cols: list[str],
            baseline: dict) -> pd.DataFrame:
    """Columns in order, sorted by the choices, with spec_id and the baseline flag."""
    grid = grid.reindex(columns=choice_cols + result_cols)
    order = {**CHOICES, **COMPLICITY_CHOICES}
    keys = {c: (lambda col, o=order.get(c): col.map({v: i for i, v in enumerate(o)}) if o else col)
            for c in choice_cols}
    grid = grid.sort_values(choice_cols, key=lambda col: keys[col.name](col),
                            na_position="last", kind="stable").reset_index(drop=True)
    if "year" in grid:
        grid["year"] = grid["year"].astype("Int64")
    grid.insert(0, "spec_id", np.arange(1, len(grid) + 1))
    base = np.logical_and.reduce([grid[k] == v for k, v in baseline.items()])
    grid.insert(len(choice_cols) + 1, "baseline", base)
    grid["estimable"] = grid["estimable"].astype(bool)
    if "outlier" in grid:
        grid["outlier"] = grid["outlier"].astype("boolean")  # NA where not estimable
    return grid


# --- the complicity curve ---------------------------------------------------------------------

COMPLICITY_RESULTS = ["estimable", "reason", "sources", "n_obs", "n_countries", "first_year", "last_year",
                      "interaction", "interaction_low", "interaction_high", "interaction_p",
                      "interaction_grade", "corruption_effect", "corruption_low",
                      "corruption_high", "corruption_p", "corruption_grade", "drug_coef",
                      "drug_low", "drug_high"]
COMPLICITY_BASELINE = {"estimator": "poisson", "series": "wdi_series", "drug": "seizures",
                       "comparison_set": "latin_america", "indicator": "wgi_cc_est"}


def _complicity_rows(tables: dict, panel: pd.DataFrame, series: str, drug: str, cset: str,
                     indicator: str) -> list[dict]:
    """Every estimator for one (series, drug, set, indicator): drug x corruption and
    corruption's main effect."""
    specs = [{"estimator": e, "series": series, "drug": drug, "comparison_set": cset,
              "indicator": indicator} for e in ESTIMATORS]
    d = panel.loc[panel["iso3"] != ex.PERU].reset_index(drop=True)
    if d["iso3"].nunique() < MIN_COUNTRIES:
        why = f"fewer than {MIN_COUNTRIES} countries with {series} figures and {indicator}"
        return [{**s, "estimable": False, "reason": why} for s in specs]
    xd = d["x_drugs" if drug == "seizures" else "coca_grower"].to_numpy(float)
    xd, xc = xd - xd.mean(), d["corrupt"].to_numpy(float) - d["corrupt"].mean()
    years = sorted(d["year"].unique())
    X, cols = _design(d, "none", years, {"drugc": xd, "xc": xc, "drug_x_corrupt": xd * xc})
    fits = _fits(d, X, cols)
    sources = _sources(tables, d, drug, indicator)
    return [_complicity_result(s, fits[s["estimator"]], d, sources) for s in specs]


def _complicity_result(spec: dict, fit: Fit | str, d: pd.DataFrame, sources: str) -> dict:
    """One complicity row from its fit (or the reason there is none)."""
    if isinstance(fit, str):
        return {**spec, "estimable": False, "reason": fit}
    ia, ia_lo, ia_hi, ia_p = fit.coef("drug_x_corrupt")
    ce, ce_lo, ce_hi, ce_p = fit.coef("xc")
    dc, dc_lo, dc_hi, _ = fit.coef("drugc")
    used = d.loc[fit.used]
    return {**spec, "estimable": True, "reason": "", "sources": sources,
            "n_obs": int(fit.used.sum()), "n_countries": int(used["iso3"].nunique()),
            "first_year": int(used["year"].min()), "last_year": int(used["year"].max()),
            "interaction": ia, "interaction_low": ia_lo, "interaction_high": ia_hi,
            "interaction_p": ia_p, "interaction_grade": ex.grade(Estimate(ia, ia_lo, ia_hi), -1),
            "corruption_effect": ce, "corruption_low": ce_lo, "corruption_high": ce_hi,
            "corruption_p": ce_p, "corruption_grade": ex.grade(Estimate(ce, ce_lo, ce_hi), +1),
            "drug_coef": dc, "drug_low": dc_lo, "drug_high": dc_hi}


@ex.one_blas_thread
def complicity_grid(tables: dict, panels: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per specification of the complicity test.

    `tables`: as `misreading_grid` plus corruption. Model: counts (or log rates) on drug
    intensity, corruption (the indicator with its sign flipped, so higher = more corrupt;
    both centred on the sample mean, so main effects read at an average country) and their
    product, with year effects; Peru held out. Complicity predicts a negative interaction
    (interaction_grade "supports"); corruption_grade grades the main effect against "more
    corrupt countries have more homicides" (+). Units are the indicator's own (WGI about
    -2.5..2.5; CPI 0-100), so compare signs and grades, not sizes, across indicators.
    Columns: spec_id, the choices, baseline, then COMPLICITY_RESULTS. `panels`: from
    `series_panels` (built once when both grids are computed, see `curves`).
    """
    by_series = panels or series_panels(tables)
    panels = {(series, cset, ind): _subset(by_series[series], tables, cset, ind)
              for series, cset, ind in itertools.product(SERIES, SETS, INDICATORS)}
    rows = [r for series, drug, cset, ind in itertools.product(
                COMPLICITY_CHOICES["series"], COMPLICITY_CHOICES["drug"],
                COMPLICITY_CHOICES["comparison_set"], COMPLICITY_CHOICES["indicator"])
            for r in _complicity_rows(tables, panels[series, cset, ind], series, drug, cset, ind)]
    return _finish(pd.DataFrame(rows), list(COMPLICITY_CHOICES), COMPLICITY_RESULTS,
                   COMPLICITY_BASELINE)


@dataclass(frozen=True)
class Curves:
    """Both specification curves and Peru's corruption positions, computed once."""

    misreading: pd.DataFrame
    complicity: pd.DataFrame
    corruption: pd.DataFrame


def curves(tables: dict) -> Curves:
    """Both grids (sharing the panels) and `corruption_positions`, from the loaded tables
    (homicide, population, cocaine_seizures, countries, coca_cultivation, corruption)."""
    panels = series_panels(tables)
    return Curves(misreading_grid(tables, panels=panels), complicity_grid(tables, panels),
                  corruption_positions(tables["corruption"], tables["countries"],
                                       tables["population"]))


# --- Peru's corruption on a world and a regional scale ---------------------------------------

def corruption_against_median(corruption: pd.DataFrame, countries: pd.DataFrame) -> dict | None:
    """Peru's WGI control-of-corruption estimate against the South American median, in the
    latest year Peru has one (what figure 5.3 draws); None if Peru has none.

    Keys: year, peru, median, low (the range's bottom), rank (1 = most corrupt), n, se (Peru's
    standard error that year, or None), side ("below"/"above" the median), since (the first of
    the years running, back from the latest, with Peru strictly on `side`; `year` itself if
    fewer than one), streak (how many such years). Why one place: the caption's "within one
    standard error", rank and "every year since" are statistics, not wording.
    """
    sa = south_america(countries)
    w = corruption.loc[(corruption["indicator"] == "wgi_cc_est") & corruption["iso3"].isin(sa)].dropna(subset=["value"])
    se = corruption.loc[(corruption["indicator"] == "wgi_cc_se") & (corruption["iso3"] == ex.PERU)]
    se = se.dropna(subset=["value"]).set_index("year")["value"]
    by_year = {int(y): g.set_index("iso3")["value"] for y, g in w.groupby("year") if ex.PERU in set(g["iso3"])}
    if not by_year:
        return None
    year = max(by_year)
    here = by_year[year]
    peru, median = here[ex.PERU], here.median()
    side = "below" if peru < median else "above"
    run = sorted(by_year, reverse=True)
    streak = 0
    for y in run:
        v = by_year[y]
        if (v[ex.PERU] < v.median()) != (side == "below") or v[ex.PERU] == v.median():
            break
        streak += 1
    return {"year": year, "peru": peru, "median": median, "low": here.min(),
            "rank": int((here < peru).sum() + 1), "n": len(here),
            "se": float(se[year]) if year in se.index else None, "side": side,
            "since": run[streak - 1] if streak else year, "streak": streak}


def corruption_positions(corruption: pd.DataFrame, countries: pd.DataFrame,
                         population: pd.DataFrame, first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """Peru's corruption each year from `first_year`, on the world scale and the regional ones.

    Rows: scale (world / latin_america / south_america), indicator, year, value, rank
    (1 = most corrupt), n, more_corrupt_than_half (rank <= n / 2), rank_low, rank_high.
    World scale: the WGI is standardised over the world's countries (mean 0), and its
    published percentile rank (wgi_cc_pct_rank) places Peru among all of them; value there is
    the percentile (below 50 = more corrupt than the world's median country). Regional
    scales rank the WGI estimate and the CPI (0-100) among the set's countries; rank_low/high:
    the ranks Peru could take if countries within one standard error of the difference (WGI
    standard errors) cannot be told apart from it (CPI: no standard errors here, NA).
    """
    c = corruption.loc[corruption["year"] >= first_year]
    rows = []
    pct = c.loc[(c["indicator"] == "wgi_cc_pct_rank") & (c["iso3"] == ex.PERU)]
    for _, r in pct.iterrows():
        rows.append({"scale": "world", "indicator": "wgi_cc_pct_rank", "year": int(r["year"]),
                     "value": float(r["value"]), "rank": pd.NA, "n": pd.NA,
                     "more_corrupt_than_half": bool(r["value"] < 50), "rank_low": pd.NA,
                     "rank_high": pd.NA})
    sets = {"latin_america": ex.latin_america(countries, population),
            "south_america": south_america(countries)}
    se = c.loc[c["indicator"] == "wgi_cc_se"].set_index(["iso3", "year"])["value"]
    for (scale, members), ind in itertools.product(sets.items(), INDICATORS):
        sub = c.loc[(c["indicator"] == ind) & c["iso3"].isin(members)]
        for year, g in sub.groupby("year"):
            v = g.set_index("iso3")["value"]
            if ex.PERU not in v.index:
                continue
            rank, n = int((v < v[ex.PERU]).sum() + 1), len(v)
            lo = hi = pd.NA
            if ind == "wgi_cc_est":
                lo, hi = _rank_range(v, se.xs(year, level="year").reindex(v.index))
            rows.append({"scale": scale, "indicator": ind, "year": int(year),
                         "value": float(v[ex.PERU]), "rank": rank, "n": n,
                         "more_corrupt_than_half": bool(rank <= n / 2),
                         "rank_low": lo, "rank_high": hi})
    return pd.DataFrame(rows).sort_values(["scale", "indicator", "year"]).reset_index(drop=True)


def _rank_range(value: pd.Series, se: pd.Series, k: float = 1.0) -> tuple[int, int]:
    """Peru's rank range (1 = most corrupt, lowest value) when countries whose difference from
    Peru is within `k` standard errors of that difference count as tied with it."""
    diff = value - value[ex.PERU]
    sd = np.sqrt(se ** 2 + se[ex.PERU] ** 2)
    clearly_worse = int(((diff < -k * sd) & (value.index != ex.PERU)).sum())
    clearly_better = int(((diff > k * sd) & (value.index != ex.PERU)).sum())
    return clearly_worse + 1, len(value) - clearly_better


# --- summaries of the curves ------------------------------------------------------------

def break_even_range(grid: pd.DataFrame, year: int) -> Estimate:
    """The break-even count across the estimable specifications of `year`, in homicides.

    Point: the median specification's break-even; low / high: the lowest break_even_low and
    the highest break_even_high (each specification's own 95% CI of the expected count
    included), so the range covers both the choices and the fits' uncertainty.
    """
    g = grid.loc[grid["estimable"] & (grid["year"] == year)]
    if g.empty:
        raise KeyError(f"specification grid: no estimable specification for {year}")
    return Estimate(float(g["break_even"].median()), float(g["break_even_low"].min()),
                    float(g["break_even_high"].max()), unit="homicides", year=year,
                    interval="range across specifications", sources=grid_sources(g),
                    method=(f"{len(g)} specifications (yardstick x estimator x series x drug "
                            f"measure x comparison set) for {year}: median break-even; range "
                            f"from the lowest to the highest end of each one's 95% CI (the "
                            f"specifications' own break-evens run from "
                            f"{g['break_even'].min():,.0f} to {g['break_even'].max():,.0f})."))


def counts_against_break_even(grid: pd.DataFrame, counts: dict[str, float],
                              year: int) -> pd.DataFrame:
    """Where each count of Peru's homicides in `year` falls against the curve's break-evens.

    One row per count: figure, count, share_clears (percent of estimable specifications in
    which the count is at or above the break-even, i.e. Peru would not be an outlier),
    share_clears_ci (at or above even the top of the break-even's CI), n_specs,
    position ("below the range" / "inside the range" / "above the range" of
    break_even_range).
    """
    g = grid.loc[grid["estimable"] & (grid["year"] == year)]
    rng = break_even_range(grid, year)
    rows = []
    for name, count in counts.items():
        where = ("below the range" if count < rng.low else
                 "above the range" if count > rng.high else "inside the range")
        rows.append({"figure": name, "count": float(count),
                     "share_clears": float((count >= g["break_even"]).mean() * 100),
                     "share_clears_ci": float((count >= g["break_even_high"]).mean() * 100),
                     "n_specs": len(g), "position": where})
    return pd.DataFrame(rows)


def peru_counts(tables: dict, year: int) -> dict[str, float]:
    """Peru's homicide counts for `year` that the curve is read against, labelled.

    "world_bank": rate x population (the series publishes rates only); "police_published":
    the UNODC police count as published; "police_article" and "ministry_article": the
    article's 3,000 and 10,000 (article_claims). Missing figures are left out.
    """
    from analysis.claims import claim

    h, pop = tables["homicide"], tables["population"]
    peru = h.loc[(h["iso3"] == ex.PERU) & (h["year"] == year)].set_index("source_type")
    p = pop.loc[(pop["iso3"] == ex.PERU) & (pop["year"] == year), "population"]
    out = {}
    if "wdi_series" in peru.index and not p.empty:
        out["world_bank"] = float(peru.loc["wdi_series", "rate_per_100k"] * p.iloc[0] / 1e5)
    if "criminal_justice" in peru.index and pd.notna(peru.loc["criminal_justice", "count"]):
        out["police_published"] = float(peru.loc["criminal_justice", "count"])
    claims = tables["article_claims"]
    for key, cid in (("police_article", "homicides_national_police"),
                     ("ministry_article", "homicides_interior_ministry")):
        c = claim(claims, cid)
        if c.year == year:
            out[key] = float(c.value)
    return out


def _sources(tables: dict, panel: pd.DataFrame, drug: str, indicator: str | None = None) -> str:
    """Source ids behind one specification, ";"-joined: its homicide series, population, and
    the seizures, coca-area or corruption rows it used."""
    ids = {*panel["source_id"], "wdi_population"}
    if drug == "seizures":
        ids |= set(panel["seizure_source_id"])
    if drug == "coca_grower":
        coca = tables["coca_cultivation"]
        ids |= set(coca.loc[coca["headline"] & (coca["hectares"] > 0), "source_id"])
    if indicator is not None:
        corr = tables["corruption"]
        ids |= set(corr.loc[(corr["indicator"] == indicator)
                            & corr["iso3"].isin(panel["iso3"]), "source_id"])
    return ";".join(sorted(ids))


def grid_sources(grid: pd.DataFrame) -> tuple[str, ...]:
    """Every source id behind the estimable rows of a grid."""
    rows = grid.loc[grid["estimable"], "sources"]
    return tuple(sorted({x for ids in rows for x in ids.split(";")}))


def share_by_choice(grid: pd.DataFrame, flag: str = "outlier",
                    year: int | None = None) -> pd.DataFrame:
    """Which choices drive a finding: the percent of estimable specifications in which `flag`
    (a boolean column) holds, for each option of each dimension.

    Columns: dimension, option, share (percent), n. `year`: only that year's specifications
    (the year dimension is then left out). E.g. Peru is an outlier in most specifications on
    IHME's modelled series and in few on the police series.
    """
    g = grid.loc[grid["estimable"]]
    if not pd.api.types.is_bool_dtype(g[flag]):
        raise TypeError(f"share_by_choice: {flag!r} must be a yes/no column (e.g. grid.assign("
                        f"supports=grid['interaction_grade'] == 'supports'))")
    if year is not None:
        g = g.loc[g["year"] == year]
    dims = [d for d in [*CHOICES, *COMPLICITY_CHOICES, "year"] if d in g and
            (d != "year" or year is None)]
    rows = [{"dimension": d, "option": opt, "share": float(sub[flag].astype(bool).mean() * 100),
             "n": len(sub)}
            for d in dict.fromkeys(dims) for opt, sub in g.groupby(d, sort=False)]
    return pd.DataFrame(rows)


def outlier_by_year(grid: pd.DataFrame, series: Iterable[str] | None = None) -> pd.DataFrame:
    """Peru's outlier verdict in each year of the misreading grid, on the given homicide
    series only (all if None), so that years are compared on the same series: later years
    lose the police and IHME series, and a share over fewer series is a different curve.

    Columns: year, outliers, n (estimable specifications), share (percent), verdict (the
    `verdict_from_flags` word). E.g. on the World Bank series 18 of 36 in 2012, 1 of 36 in 2021.
    """
    g = grid.loc[grid["estimable"]]
    if series is not None:
        g = g.loc[g["series"].isin(list(series))]
    rows = []
    for year, sub in g.groupby("year", sort=True):
        v = verdict_from_flags(sub["outlier"].astype(bool))
        rows.append({"year": int(year), "outliers": v.supporting, "n": v.n, "share": v.share,
                     "verdict": v.word})
    return pd.DataFrame(rows, columns=["year", "outliers", "n", "share", "verdict"])


def _unique_fits(grid: pd.DataFrame) -> pd.DataFrame:
    """One row per fitted model of the misreading grid (the drug coefficient repeats across
    yardsticks and years of one fit), models with a drug measure only."""
    g = grid.loc[grid["estimable"] & (grid["drug"] != "none")]
    return g.drop_duplicates(["estimator", "series", "drug", "comparison_set"])


def premise_support(grid: pd.DataFrame) -> dict[str, int]:
    """How many fitted models clearly support the drug premise ("supports"), and how many of
    them are fitted on South America, where about ten countries make clustered intervals
    optimistic. Keys: "supporting", "south_america"."""
    fits = _unique_fits(grid)
    backing = fits.loc[fits["drug_grade"] == "supports"]
    return {"supporting": len(backing),
            "south_america": int((backing["comparison_set"] == "south_america").sum())}


def interaction_detail(grid: pd.DataFrame) -> dict[str, int]:
    """What the complicity curve's interaction shows beyond its verdict: "negative_points"
    (specifications whose point estimate is below zero, whatever the interval), "min_obs"
    (the fewest observations in an estimable specification) and "contra_at_min_obs" (clearly
    positive specifications fitted on that fewest number, e.g. one observation per country)."""
    est = grid.loc[grid["estimable"]]
    contra = est.loc[est["interaction_grade"] == "contradicts"]
    fewest = int(est["n_obs"].min())
    return {"negative_points": int((est["interaction"] < 0).sum()), "min_obs": fewest,
            "contra_at_min_obs": int((contra["n_obs"] == fewest).sum())}


def curve_verdicts(c: Curves, year: int, counts: dict[str, float] | None = None) -> dict[str, Verdict]:
    """Every verdict the book states, each from its curve by `analysis.verdicts`' one rule.

    Keys:
    - "peru_outlier": Peru's published rate is a low outlier (specifications of `year`);
    - "peru_outlier_all_years": the same over every year from FIRST_YEAR;
    - "drug_premise": drug intensity raises homicide (one outcome per fitted model);
    - "peru_outlier_without_modelled": the same for `year`, leaving out IHME's modelled series
      (the published series only);
    - "peru_outlier_latest": the same for the latest year with an estimable specification;
    - "<figure>_clears" for each of `counts` (e.g. peru_counts): the count is at or above the
      break-even (Peru would not be an outlier) in the specifications of `year`;
      "<figure>_clears_ci": at or above even the top of the break-even's 95% CI (the honest
      share: the point break-even ignores the uncertainty of Peru's expected count);
    - "interaction": corruption weakens the drug-violence link (negative interaction);
    - "corruption_effect": more corrupt countries have more homicides (positive main effect);
    - "peru_more_corrupt_world": Peru below the world median (WGI percentile), years from
      FIRST_YEAR; "peru_more_corrupt_south_america" / "..._latin_america": Peru in the more
      corrupt half of the set (WGI and CPI, years from FIRST_YEAR).
    """
    m = c.misreading.loc[c.misreading["estimable"]]
    this_year = m.loc[m["year"] == year]
    out = {"peru_outlier": verdict_from_flags(this_year["outlier"]),
           "peru_outlier_all_years": verdict_from_flags(m["outlier"]),
           "drug_premise": verdict(_unique_fits(c.misreading)["drug_grade"]),
           "peru_outlier_without_modelled": verdict_from_flags(
               this_year.loc[this_year["series"] != "modelled_all_violence", "outlier"]),
           "peru_outlier_latest": verdict_from_flags(
               m.loc[m["year"] == m["year"].max(), "outlier"])}
    for name, count in (counts or {}).items():
        out[f"{name}_clears"] = verdict_from_flags(count >= this_year["break_even"])
        out[f"{name}_clears_ci"] = verdict_from_flags(count >= this_year["break_even_high"])
    k = c.complicity.loc[c.complicity["estimable"]]
    out["interaction"] = verdict(k["interaction_grade"])
    out["corruption_effect"] = verdict(k["corruption_grade"])
    pos = c.corruption
    for scale in ("world", "south_america", "latin_america"):
        out[f"peru_more_corrupt_{scale}"] = verdict_from_flags(
            pos.loc[pos["scale"] == scale, "more_corrupt_than_half"])
    return out
