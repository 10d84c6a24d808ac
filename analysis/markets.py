"""Step 2 of the argument: where Peru's cocaine goes, and what it is worth on the way.

The article says: of the ~325 tons produced, most goes to Brazil and Europe; Peru may supply
"as little as five percent" of the ~300 tons the United States consumes; Brazil is "the
world's second-biggest market"; the $1 billion earned at source is worth five times that in
Rio and "tenfold" in London. This module
- turns the US statements into tonnes (`us_bound_volume`, `remainder_for_other_markets`);
- reads the value chain under both readings of "multiply that figure tenfold" (`value_chain`);
- tests "Brazil's rise" on UNODC seizure series (`seizure_series`, `seizure_growth`) and on
  use prevalence (`use_prevalence`, `users_estimate`).
Seizures measure enforcement as much as traffic, and prevalence surveys differ in year and
method between countries: both are stated in the method notes of what is returned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.claims import claim, hedge_for
from analysis.estimate import Estimate, year_span

__all__ = ["CLAIM_IDS", "READINGS", "us_bound_volume", "remainder_for_other_markets",
           "value_chain", "london_value", "MARKETS", "market_members", "seizure_series",
           "seizure_growth", "growth_table", "seizures_in", "divergence_timing", "since_peak", "use_prevalence", "prevalence", "users_table", "market_rank",
           "users_estimate", "SEIZURE_NOTE"]

CLAIM_IDS = {
    "production": "cocaine_production_tons",
    "us_consumption": "us_consumption_tons",
    "us_share": "us_share_pct",
    "source_value": "drug_earnings_usd",
    "rio_multiple": "rio_street_multiple",
    "london_multiple": "london_multiple",
}

# The two readings of "Get it to London and you can multiply that figure tenfold".
READINGS = {
    "tenfold_rio": "tenfold the Rio value (London = 5 x 10 = 50 x source)",
    "tenfold_source": "tenfold the source value (London = 10 x source)",
}


def _scaled(c, factor: float) -> tuple[float | None, float | None, float | None]:
    """A claim's value, low and high each multiplied by `factor` (None stays None)."""
    return tuple(None if v is None else v * factor for v in (c.value, c.low, c.high))


def us_bound_volume(claims: pd.DataFrame) -> Estimate:
    """Tonnes of Peruvian cocaine reaching the US: Peru's share x US consumption.

    Both numbers are the article's (share "as little as five percent" of "the estimated 300
    tons"); the share's bounds, as the claims table encodes them, carry through.
    """
    share, us = claim(claims, CLAIM_IDS["us_share"]), claim(claims, CLAIM_IDS["us_consumption"])
    total = us.value if us.value is not None else us.floor
    point, low, high = _scaled(share, total / 100)
    return Estimate(point, low, high, unit="tonnes", hedge=hedge_for(share.wording),
                    sources=(share.source_id, us.source_id),
                    method="Peru's share of the US market x estimated US consumption, both "
                           "from the article; a share, not a measured flow.")


def remainder_for_other_markets(claims: pd.DataFrame) -> Estimate:
    """Tonnes of the ~325 t left for Brazil, Europe and elsewhere once the US share is out.

    production - US-bound volume; an upper bound on the US share is a lower bound here.
    """
    prod = claim(claims, CLAIM_IDS["production"])
    us = us_bound_volume(claims)
    p = prod.value if prod.value is not None else prod.floor
    point = p - us.point if us.point is not None else None
    low = p - us.high if us.high is not None else None
    high = p - us.low if us.low is not None else None
    return Estimate(point, low, high, unit="tonnes",
                    sources=(prod.source_id, *us.sources),
                    method="Stated production minus the US-bound volume; assumes the 300 t US "
                           "figure and the 325 t production figure refer to the same year.")


def value_chain(claims: pd.DataFrame) -> pd.DataFrame:
    """The value of a year's Peruvian cocaine at source, in Rio and in London, both readings.

    Columns: reading (key of READINGS), reading_label, stage (source / Rio / London),
    multiple (x source value), low (USD; the source value is "well over $1 billion", so every
    stage is a floor), point (USD at the stated source figure). Applies the street multiples to
    the whole year's earnings, as the article's sentence does, although only part of the
    volume reaches either city.
    """
    src = claim(claims, CLAIM_IDS["source_value"])
    rio = claim(claims, CLAIM_IDS["rio_multiple"]).value
    ten = claim(claims, CLAIM_IDS["london_multiple"]).value
    base = src.value if src.value is not None else src.floor
    multiples = {"tenfold_rio": rio * ten, "tenfold_source": ten}
    rows = []
    for key, london in multiples.items():
        for stage, m in (("source", 1.0), ("Rio", rio), ("London", london)):
            rows.append({"reading": key, "reading_label": READINGS[key], "stage": stage,
                         "multiple": m, "low": (src.floor or base) * m, "point": base * m})
    return pd.DataFrame(rows)


def london_value(claims: pd.DataFrame, reading: str) -> Estimate:
    """London street value under one reading ("tenfold_rio" or "tenfold_source"), a floor."""
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {sorted(READINGS)}, got {reading!r}")
    row = value_chain(claims).query("reading == @reading and stage == 'London'").iloc[0]
    src = claim(claims, CLAIM_IDS["source_value"]).source_id
    return Estimate(row["point"], row["low"], None, unit="USD", sources=(src,),
                    method=f"Reading: {READINGS[reading]}.")


# The three markets the article contrasts. Western Europe is UNODC's "Western and Central
# Europe" subregion (countries.subregion), summed over the countries reporting each year.
MARKETS = {"Brazil": ("iso3", "BRA"), "United States": ("iso3", "USA"),
           "Western Europe": ("subregion", "Western and Central Europe")}
SEIZURE_NOTE = ("Seizures measure enforcement as much as traffic: a rise can mean more "
                "cocaine or more (or better-reported) policing.")


def market_members(countries: pd.DataFrame, market: str) -> list[str]:
    """ISO3 codes making up one of MARKETS (aggregates excluded)."""
    column, value = MARKETS[market]
    c = countries.loc[~countries["is_aggregate"]]
    members = sorted(c.loc[c[column] == value, "iso3"])
    assert members, f"countries: no country for market {market!r} ({column} = {value!r})"
    return members


def seizure_series(seizures: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Cocaine seized per market and year: market, year, kilograms, n_reporting, source_ids.

    Western Europe's total covers only the countries that reported that year (n_reporting),
    so a year with fewer reporters reads low.
    """
    parts = []
    for market in MARKETS:
        s = seizures.loc[seizures["iso3"].isin(market_members(countries, market))]
        g = s.groupby("year").agg(kilograms=("kilograms", "sum"), n_reporting=("iso3", "nunique"),
                                  source_ids=("source_id", lambda x: ";".join(sorted(set(x)))))
        parts.append(g.reset_index().assign(market=market))
    out = pd.concat(parts, ignore_index=True)
    return out[["market", "year", "kilograms", "n_reporting", "source_ids"]]


def _growth_fit(years: np.ndarray, kg: np.ndarray):
    """OLS of log(kg) on year with Newey-West (HAC) errors, lag 2: yearly seizures are
    autocorrelated, so plain OLS errors would be too narrow."""
    X = sm.add_constant(years - years.min())
    return sm.OLS(np.log(kg), X).fit(cov_type="HAC", cov_kwds={"maxlags": 2})


def seizure_growth(series: pd.DataFrame, market: str, start: int | None = None,
                   end: int | None = None, level: float = 0.95) -> Estimate:
    """Average yearly growth of one market's seizures, percent a year, with its CI.

    Fits log(kg) = a + b * year (statsmodels OLS, HAC errors); growth = exp(b) - 1 and the
    CI is exp of b's CI - 1. Years with zero or missing seizures are dropped (log undefined).
    """
    s = series.loc[(series["market"] == market) & (series["kilograms"] > 0)]
    if start is not None:
        s = s.loc[s["year"] >= start]
    if end is not None:
        s = s.loc[s["year"] <= end]
    if len(s) < 5:
        raise ValueError(f"seizure_growth: {market} has {len(s)} years in range, need >= 5")
    fit = _growth_fit(s["year"].to_numpy(float), s["kilograms"].to_numpy(float))
    b = fit.params[1]
    lo, hi = fit.conf_int(alpha=1 - level)[1]
    pct = lambda v: 100 * (np.exp(v) - 1)  # noqa: E731
    sources = tuple(sorted({x for ids in s["source_ids"] for x in ids.split(";")}))
    return Estimate(pct(b), pct(lo), pct(hi), unit="percent_per_year",
                    interval=f"{level:.0%} CI", sources=sources,
                    method=(f"OLS of log seizures on year, {int(s['year'].min())}-"
                            f"{int(s['year'].max())}, n = {len(s)} years, Newey-West errors "
                            f"(lag 2). {SEIZURE_NOTE}"))


def growth_table(series: pd.DataFrame, start: int | None = None,
                 end: int | None = None) -> pd.DataFrame:
    """Growth of seizures for every market: market, growth_pct, ci_low, ci_high, n_years,
    first_year, last_year, first_kg, last_kg."""
    rows = []
    for market in MARKETS:
        e = seizure_growth(series, market, start, end)
        s = series.loc[(series["market"] == market) & (series["kilograms"] > 0)]
        s = s.loc[s["year"].between(start or s["year"].min(), end or s["year"].max())]
        rows.append({"market": market, "growth_pct": e.point, "ci_low": e.low,
                     "ci_high": e.high, "n_years": len(s), "first_year": int(s["year"].min()),
                     "last_year": int(s["year"].max()), "first_kg": s["kilograms"].iloc[0],
                     "last_kg": s["kilograms"].iloc[-1]})
    return pd.DataFrame(rows)


def seizures_in(series: pd.DataFrame, market: str, year: int) -> Estimate:
    """Kilograms seized in one market in one year, as tonnes."""
    s = series.loc[(series["market"] == market) & (series["year"] == year)]
    if s.empty:
        raise KeyError(f"cocaine_seizures: no {market} figure for {year}")
    r = s.iloc[0]
    return Estimate(r["kilograms"] / 1000, unit="tonnes", year=year, digits=0,
                    sources=tuple(r["source_ids"].split(";")),
                    method=f"Sum over {int(r['n_reporting'])} reporting countries. {SEIZURE_NOTE}")


def _log_ratio(series: pd.DataFrame, a: str, b: str) -> pd.Series:
    """log(seizures of market a / market b) by year, years where both seized something."""
    p = series.pivot(index="year", columns="market", values="kilograms")[[a, b]]
    p = p.loc[(p[a] > 0) & (p[b] > 0)]
    return np.log(p[a] / p[b])


def divergence_timing(series: pd.DataFrame, a: str = "Brazil", b: str = "United States",
                      split: int = 2013, window: int = 3) -> dict:
    """When market a's seizures caught up with market b's: how much of the change in
    log(a / b) came before `split` and how much after.

    Each end is the mean log ratio over `window` years (single years are noisy): the first
    `window` years, the `window` years before `split`, the last `window` years. Returns
    {"start", "at_split", "end" (the three means, log points), "before", "after" (changes),
    "share_before" (percent of the total change that came before `split`; above 100 when the
    gap partly reopened afterwards; None if the total change is zero), "years" ((first,
    split - 1, last))}. Brazil against the United States in this vintage: about 78% before 2013.
    """
    lr = _log_ratio(series, a, b)
    first, last = int(lr.index.min()), int(lr.index.max())
    start = float(lr.loc[:first + window - 1].mean())
    mid = float(lr.loc[split - window:split - 1].mean())
    end = float(lr.loc[last - window + 1:].mean())
    total = end - start
    return {"start": start, "at_split": mid, "end": end, "before": mid - start,
            "after": end - mid, "share_before": None if total == 0 else 100 * (mid - start) / total,
            "years": (first, split - 1, last)}


def since_peak(series: pd.DataFrame, market: str) -> dict[str, Estimate]:
    """A market's peak year of seizures and what it seized in the latest year since.

    Returns {"peak" (tonnes, its year), "latest" (tonnes, its year), "change" (percent from the
    peak to the latest year; 0 if the latest year is the peak)}. E.g. Brazil peaked in 2019.
    """
    s = series.loc[(series["market"] == market) & (series["kilograms"] > 0)].set_index("year")
    if s.empty:
        raise KeyError(f"cocaine_seizures: no {market} figures")
    peak_year, last_year = int(s["kilograms"].idxmax()), int(s.index.max())
    peak, last = s.loc[peak_year], s.loc[last_year]
    sources = tuple(sorted({x for ids in s["source_ids"] for x in ids.split(";")}))

    def tonnes(r, y):
        return Estimate(r["kilograms"] / 1000, unit="tonnes", year=y, digits=0, sources=sources,
                        method=f"Sum over {int(r['n_reporting'])} reporting countries. {SEIZURE_NOTE}")
    return {"peak": tonnes(peak, peak_year), "latest": tonnes(last, last_year),
            "change": Estimate(100 * (last["kilograms"] / peak["kilograms"] - 1),
                               unit="percent", digits=0, sources=sources,
                               method=f"{market}: {last_year} against the peak year {peak_year}.")}


def use_prevalence(use: pd.DataFrame, iso3s: list[str] | None = None,
                   near_year: int | None = None) -> pd.DataFrame:
    """One survey per country: the latest, or with `near_year` the one closest to that year
    (the later one on a tie); 15-64 surveys are preferred among those of the chosen year.

    Columns: iso3, year, age_group, prevalence_pct, low_pct, high_pct, method, source_id.
    Surveys differ in year, age range and method (household vs school vs indirect), so
    comparisons between countries are rough; UNODC warns the same about changes over time.
    """
    u = use if iso3s is None else use.loc[use["iso3"].isin(iso3s)]
    u = u.assign(_core=(u["age_group"] == "15-64").astype(int),
                 _near=0 if near_year is None else -(u["year"] - near_year).abs())
    u = u.sort_values(["iso3", "_near", "year", "_core"]).groupby("iso3").tail(1)
    return u.drop(columns=["_core", "_near"]).reset_index(drop=True)


def prevalence(use: pd.DataFrame, iso3: str, near_year: int | None = None) -> Estimate:
    """Past-year cocaine use in one country, percent of the surveyed ages, with UNODC's range
    where given; the method note names the age group and survey method."""
    t = use_prevalence(use, [iso3], near_year)
    if t.empty:
        raise KeyError(f"cocaine_use: no survey for {iso3}")
    r = t.iloc[0]
    method = "not stated" if pd.isna(r["method"]) else r["method"]
    return Estimate(r["prevalence_pct"], r["low_pct"], r["high_pct"], unit="percent",
                    year=int(r["year"]), show_year=True, sources=(r["source_id"],),
                    interval="UNODC range",
                    method=f"Ages {r['age_group']}, survey method {method}. Surveys differ in "
                           f"age range and method between countries and years.")


def users_table(use: pd.DataFrame, population: pd.DataFrame,
                near_year: int | None = None) -> pd.DataFrame:
    """Rough number of past-year cocaine users per country with a population figure.

    users = prevalence x total population of the survey year. Total population overstates
    the surveyed age group (about 15-64), so the counts are high by roughly a third; the
    ranking of large countries is what they are for; only countries in the population table
    (Latin America, the Caribbean, the US, Canada and Spain) can be ranked, so "the world's
    second-biggest market" can be checked only within that set. Columns: iso3, year, prevalence_pct,
    population, users, rank (1 = most users), method, source_id.
    """
    latest = use_prevalence(use, near_year=near_year)
    t = latest.merge(population[["iso3", "year", "population"]], on=["iso3", "year"])
    t["users"] = t["prevalence_pct"] / 100 * t["population"]
    t["rank"] = t["users"].rank(ascending=False, method="min").astype(int)
    t = t.sort_values("rank", kind="stable")
    return t[["iso3", "year", "age_group", "prevalence_pct", "population", "users", "rank", "method",
              "source_id"]]


def users_estimate(use: pd.DataFrame, population: pd.DataFrame, iso3: str,
                   near_year: int | None = None) -> Estimate:
    """Rough past-year cocaine users in one country (see `users_table` for the caveat)."""
    t = users_table(use, population, near_year)
    r = t.loc[t["iso3"] == iso3]
    if r.empty:
        raise KeyError(f"cocaine_use/population: no survey year with population for {iso3}")
    r = r.iloc[0]
    return Estimate(round(r["users"], -3), unit="people", year=int(r["year"]), hedge="about",
                    sources=(r["source_id"], "wdi_population"),
                    method=(f"Prevalence {r['prevalence_pct']}% ({r['age_group']}, "
                            f"{r['method']}) x total population; overstates users because "
                            f"total population exceeds the surveyed age group."))


def market_rank(use: pd.DataFrame, population: pd.DataFrame, iso3: str,
                near_year: int | None = None) -> Estimate:
    """A country's rank by rough number of cocaine users (1 = most) among the countries the
    population table covers - the nearest this data can come to "the world's second-biggest
    market" (see `users_table`)."""
    t = users_table(use, population, near_year)
    r = t.loc[t["iso3"] == iso3]
    if r.empty:
        raise KeyError(f"cocaine_use/population: {iso3} cannot be ranked")
    r = r.iloc[0]
    return Estimate(int(r["rank"]), unit="rank", sources=(r["source_id"], "wdi_population"),
                    method=(f"Rank of {len(t)} countries of the Americas and Spain by prevalence "
                            f"x population (surveys {year_span(int(t['year'].min()), int(t['year'].max()))}); "
                            f"the rest of the world is not in the population table."))


def us_share_of_output(claims: pd.DataFrame) -> Estimate:
    """The US-bound tonnes as a share of the article's stated production, percent."""
    prod = claim(claims, "cocaine_production_tons")
    us = us_bound_volume(claims)
    return Estimate(us.central / prod.value * 100, unit="percent", hedge="about", digits=0,
                    sources=(*us.sources, prod.source_id),
                    method="US-bound tonnes / stated production (markets.us_share_of_output).")


def stage_floors(claims: pd.DataFrame) -> list[Estimate]:
    """The floor of each row of `value_chain` ("at least $1 billion"), in its row order.

    Every stage is a floor because the source value is "well over $1 billion"; as Estimates
    the floors print with the formatter's hedge ("at least"), never one typed by hand.
    """
    src = claim(claims, CLAIM_IDS["source_value"]).source_id
    return [Estimate(None, low, None, unit="USD", sources=(src,)) for low in value_chain(claims)["low"]]


def survey(row: pd.Series) -> Estimate:
    """One survey row of `use_prevalence` as the book prints it: percent, one decimal, with
    its year and UNODC's range where given."""
    return Estimate(row["prevalence_pct"], row["low_pct"], row["high_pct"], unit="percent",
                    year=int(row["year"]), show_year=True, interval="range", digits=1,
                    sources=(row["source_id"],),
                    method=f"UNODC annual prevalence, ages {row['age_group']}, method {row['method']}.")


def largest_jump(series: pd.DataFrame, market: str) -> dict:
    """The largest rise of a market's seizures from one year to the next.

    Why: a lasting change in seizures may reflect the trade or a change in enforcement or
    reporting; a one-year doubling (the United States, 86 t in 2014 to 185 t in 2015) looks
    like the second. Returns {"before", "after" (tonnes, with their years), "year" (the later
    year), "ratio"}; only consecutive years with seizures count.
    """
    s = series.loc[(series["market"] == market) & (series["kilograms"] > 0)]
    s = s.set_index("year")["kilograms"].sort_index()
    ratio = (s / s.shift(1)).loc[s.index.to_series().diff() == 1]
    if ratio.empty:
        raise KeyError(f"cocaine_seizures: no consecutive {market} years")
    year = int(ratio.idxmax())
    ids = series.loc[series["market"] == market, "source_ids"]
    sources = tuple(sorted({x for v in ids for x in v.split(";")}))
    t = lambda y: Estimate(s[y] / 1000, unit="tonnes", year=y, show_year=False, digits=0,  # noqa: E731
                           sources=sources, method=SEIZURE_NOTE)
    return {"before": t(year - 1), "after": t(year), "year": year,
            "ratio": Estimate(float(ratio.max()), unit="times", digits=1, sources=sources,
                              method=f"{market}: {year} seizures over {year - 1}'s.")}


def splice_years(series: pd.DataFrame) -> list[int]:
    """Years in which the seizure series changes source (the first year of each later source).

    Why: the series joins UNODC's 1995-2019 table to the World Drug Report 2025 annex from
    2019; a trend across the join assumes the two measure alike.
    """
    by_year = series.groupby("year")["source_ids"].agg(lambda v: ";".join(sorted(set(";".join(v).split(";")))))
    out, prev = [], None
    for year, ids in by_year.sort_index().items():
        if prev is not None and ids != prev:
            out.append(int(year))
        prev = ids
    return out
