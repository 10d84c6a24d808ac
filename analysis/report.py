"""The named values each chapter of the book shows, one bundle per chapter.

Why this module: a chapter cell must be "a call and a format" (STYLE.md), so a chapter calls
one function here (`report.paradox()`) and reads named values from the bundle it returns
(`r.peru_rate_latest`). Every value is an `Estimate` (a number, formatted by the one
formatter), a `Branch` (a sentence chosen by the data) or a DataFrame of display strings (a
table). This module is thin: it picks the data each chapter needs, calls the analysis modules
and labels their results. The few values the analysis modules do not provide are composed
here from their outputs and say so in their method note (search for "composed in report").

Each bundle loads only the tables its chapter uses, so that the renderer's cache re-executes
a chapter only when one of those tables changes. Every bundle works on any data folder of the
contract's layout, including one cut at the article's year (tests/test_book_datacut.py): a
value that a vintage cannot provide becomes a sentence saying so, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable

import pandas as pd

from analysis import criminal_economy as ce
from analysis import markets as mk
from analysis import producers, violence
from analysis.claims import claim, claim_estimate
from analysis.data import data_dir, load
from analysis.estimate import Branch, Estimate, choose, format_number

__all__ = ["Bundle", "ARTICLE_SOURCE", "article_year", "paradox", "markets",
           "criminal_economy", "counting", "outlook", "explanations", "data_methods",
           "claims_checked", "citation", "reproducibility", "summary", "country_name",
           "BUNDLES"]

ARTICLE_SOURCE = "muggah_mcdermott_2013"
PERU, COLOMBIA, BOLIVIA = "PER", "COL", "BOL"


class Bundle(SimpleNamespace):
    """The named values of one chapter (attribute access: `r.peru_rate_latest`)."""

    def names(self) -> list[str]:
        """The value names, sorted (for tests and for a reader exploring in a notebook)."""
        return sorted(vars(self))


# --- small helpers (formatting and picking, no statistics) ------------------------------------

def _branch(options: Iterable[tuple[bool, str, str]], sources: Iterable[str] = (),
            method: str = "") -> Branch:
    """The first option whose condition holds: (condition, sentence, label) triples.

    A multi-way `choose`: the ledger records the label of the sentence the data picked.
    The last option should have condition True (the fallback).
    """
    for condition, text, label in options:
        if bool(condition):
            return Branch(text=text, branch=label, sources=tuple(dict.fromkeys(sources)),
                          method=method)
    raise ValueError("no option matched; give a final fallback with condition True")


@dataclass(frozen=True)
class YearValue(Estimate):
    """A calendar year as a named value: prints "2013", never "2,013".

    The shared formatter groups thousands for every unit, years included; a year is a label,
    not a quantity, so it is printed plainly. Everything else (sources, the claim dict the
    ledger records) is the Estimate's.
    """

    def __str__(self) -> str:
        return str(int(self.point))

    def _repr_claim_(self) -> dict:
        claim_dict = super()._repr_claim_()
        claim_dict["text"] = str(self)
        return claim_dict


def _year(year: int, sources: Iterable[str] = (), method: str = "") -> Estimate:
    """A year as a named value (printed without separators: 2013)."""
    return YearValue(int(year), unit="year", sources=tuple(sources), method=method)


def _count(n: int, sources: Iterable[str] = (), method: str = "") -> Estimate:
    """A count of things (years, countries, claims) as a named value."""
    return Estimate(int(n), unit="count", sources=tuple(sources), method=method)


def _join(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _year_list(years: list[int], sources: Iterable[str], label: str) -> Branch:
    """A list of years the data picked ("2012 and 2013"), recorded in the ledger as a branch."""
    text = _join([str(y) for y in years]) if years else "no year at all"
    return Branch(text=text, branch=f"{label}:{','.join(str(y) for y in years) or 'none'}",
                  sources=tuple(dict.fromkeys(sources)))


def _cell(value: float | None, unit: str, digits: int | None = None) -> str:
    """One table cell through the shared formatter ('' for a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return ""
    return format_number([float(value)], unit, digits)


def country_name(countries: pd.DataFrame, iso3: str) -> str:
    """The display name of a country; World Bank style suffixes such as ', RB' dropped."""
    name = str(countries.set_index("iso3").loc[iso3, "name"])
    return name.split(",")[0]


def article_year(sources: pd.DataFrame) -> Estimate:
    """The year the article was published, from its row in sources.csv."""
    year = int(sources.set_index("source_id").loc[ARTICLE_SOURCE, "year"])
    return _year(year, (ARTICLE_SOURCE,), "Publication year of the article (sources.csv).")


def _latest_at_or_before(years: Iterable[int], year: int) -> int | None:
    """The latest of `years` that is <= `year` (None if there is none)."""
    before = [int(y) for y in years if int(y) <= year]
    return max(before) if before else None


def _missing(what: str, label: str, sources: Iterable[str] = ()) -> Branch:
    """The sentence fragment shown when a data vintage lacks a value ('no figure for ...')."""
    return Branch(text=f"no figure ({what} is not in this data vintage)", branch=f"missing:{label}",
                  sources=tuple(sources))


def _try(make: Callable[[], Estimate], what: str, label: str) -> Estimate | Branch:
    """`make()`, or a 'no figure' fragment if the data lack the row it needs."""
    try:
        return make()
    except (KeyError, IndexError, ValueError):
        return _missing(what, label)


# --- chapter 1: the paradox ------------------------------------------------------------------

def _wdi_latest_peru_year(homicide: pd.DataFrame) -> int:
    """The latest year with a World Bank homicide rate for Peru."""
    peru = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])
    return int(peru["year"].max())


def _sa_median(homicide: pd.DataFrame, countries: pd.DataFrame, year: int,
               source_type: str = "wdi_series") -> Estimate:
    """Median South American rate in one year and series, with the min-max as its range.

    Composed in report from violence.south_america_ranks (the analysis modules give ranks,
    not the median the chapter compares Peru with).
    """
    t = violence.south_america_ranks(homicide, countries, year, source_type)
    return Estimate(t["rate_per_100k"].median(), t["rate_per_100k"].min(), t["rate_per_100k"].max(),
                    unit="per_100k", year=year, sources=tuple(sorted(set(t["source_id"]))),
                    interval="range",
                    method=f"Median of {len(t)} South American countries with a {source_type} "
                           f"rate in {year} (composed in report from violence.south_america_ranks).")


def _rank_place(rank: int, n: int, sources: Iterable[str], label: str) -> Branch:
    """Where a rank (1 = safest) puts Peru: safest third, safer half, or more violent half."""
    return _branch([
        (rank <= n / 3, "Peru is among the safest third of the continent.", f"{label}:safest_third"),
        (rank <= (n + 1) / 2, "Peru sits in the safer half of the continent, though not among "
                              "the very safest.", f"{label}:safer_half"),
        (True, "Peru is in the more violent half of the continent.", f"{label}:violent_half"),
    ], sources, "Rank 1 = lowest homicide rate; thirds and halves of the countries with data.")


def _rank_table_display(coca: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Peru's place among the growers by year, as display strings (tbl-grower-rank)."""
    t = producers.rank_table(coca)
    wide = t.pivot(index="year", columns="iso3", values="hectares")
    peru = t.loc[t["iso3"] == PERU].set_index("year")
    rows = []
    for year in wide.index:
        row = {"Year": str(int(year))}
        for iso3 in (PERU, COLOMBIA, BOLIVIA):
            if iso3 in wide.columns:
                row[f"{country_name(countries, iso3)} (ha)"] = _cell(wide.loc[year, iso3], "count")
        if year in peru.index:
            row["Peru's rank"] = _cell(peru.loc[year, "rank"], "rank")
            row["Peru's share of the Andean total"] = _cell(peru.loc[year, "share_pct"], "percent", 0)
        rows.append(row)
    return pd.DataFrame(rows)


def paradox() -> Bundle:
    """Chapter 1: Peru's rank as a coca grower by year; its homicide rate against South America."""
    sources, countries = load("sources"), load("countries")
    coca, homicide = load("coca_cultivation"), load("homicide")
    a_year = article_year(sources)
    coca_years = sorted(producers.headline(coca).query("iso3 == @PERU")["year"].unique())
    coca_article = _latest_at_or_before(coca_years, a_year.point) or coca_years[0]
    latest = producers.latest_year(coca)
    largest = producers.years_peru_largest(coca)
    coca_sources = tuple(sorted(set(producers.headline(coca)["source_id"])))
    latest_leader = producers.leader(coca, latest)
    sens = producers.measure_sensitivity(coca)
    flips = sens.loc[sens["leader_headline"] != sens["leader_alternative"]]
    flip_years = sorted(int(y) for y in flips["year"].unique())

    r = Bundle()
    r.article_year = a_year
    r.coca_article_year = _year(coca_article, coca_sources)
    r.leader_article_year_sentence = producers.leader_sentence(coca, countries, coca_article)
    r.peru_area_article_year = producers.area(coca, PERU, coca_article)
    r.colombia_area_article_year = _try(lambda: producers.area(coca, COLOMBIA, coca_article),
                                        "Colombia's area", "colombia_area")
    r.bolivia_area_article_year = _try(lambda: producers.area(coca, BOLIVIA, coca_article),
                                       "Bolivia's area", "bolivia_area")
    r.peru_largest_years = _year_list(largest, coca_sources, "peru_largest_years")
    r.peru_largest_count = _count(len(largest), coca_sources)
    r.years_covered = _count(len(coca_years), coca_sources)
    r.sensitivity_sentence = choose(
        bool(flip_years),
        f"The ranking depends on the definition in {_join([str(y) for y in flip_years])}: with "
        f"Peru's area as interpreted on satellite imagery, which an older edition reports, "
        f"the lead changes hands in that year.",
        "The ranking does not depend on which of UNODC's definitions of Peru's area is used.",
        labels=("definition_matters", "definition_robust"), sources=coca_sources,
        method="producers.measure_sensitivity")
    r.latest_year = _year(latest, coca_sources)
    r.leader_latest_sentence = producers.leader_sentence(coca, countries, latest)
    r.peru_area_latest = producers.area(coca, PERU, latest)
    r.colombia_area_latest = _try(lambda: producers.area(coca, COLOMBIA, latest),
                                  "Colombia's area", "colombia_area_latest")
    r.peru_share_latest = producers.peru_share(coca, latest)
    r.peru_share_article_year = producers.peru_share(coca, coca_article)
    r.claim_status_sentence = choose(
        latest_leader == PERU,
        "On this measure the article's claim still holds in the latest data.",
        f"On this measure the article's claim no longer holds: "
        f"{country_name(countries, latest_leader)} has overtaken Peru.",
        labels=("claim_holds", "claim_lapsed"), sources=coca_sources,
        method="Leader of the latest year's headline areas (producers.leader).")
    r.rank_table = _rank_table_display(coca, countries)

    # Homicide: the World Bank series, Peru's latest year.
    h_year = _wdi_latest_peru_year(homicide)
    sa = violence.south_america_ranks(homicide, countries, h_year)
    peru_row = sa.set_index("iso3").loc[PERU]
    h_sources = tuple(sorted(set(sa["source_id"])))
    r.latest_homicide_year = _year(h_year, h_sources)
    r.peru_rate_latest = violence.rate(homicide, PERU, h_year, "wdi_series")
    r.sa_median_latest = _sa_median(homicide, countries, h_year)
    r.peru_rank_latest = Estimate(int(peru_row["rank"]), unit="rank", year=h_year, sources=h_sources,
                                  method="violence.south_america_ranks, 1 = lowest rate")
    r.sa_count_latest = _count(int(peru_row["n"]), h_sources)
    r.safest_sentence = _rank_place(int(peru_row["rank"]), int(peru_row["n"]), h_sources, "wdi_latest")
    wdi_years = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])["year"]
    r.peru_wdi_first_year = _year(int(wdi_years.min()), ("wdi_homicide",))

    # The figure that circulated when the article was written: the police series.
    cj_years = violence.rates(homicide, [PERU], "criminal_justice").dropna(subset=["rate_per_100k"])["year"]
    cj_year = _latest_at_or_before(cj_years, a_year.point)
    cj = violence.south_america_ranks(homicide, countries, cj_year, "criminal_justice")
    cj_peru = cj.set_index("iso3").loc[PERU]
    r.peru_gsh_rate_article = violence.rate(homicide, PERU, cj_year, "criminal_justice")
    r.peru_rank_gsh_article = Estimate(int(cj_peru["rank"]), unit="rank", year=cj_year,
                                       sources=("unodc_gsh2013",))
    r.sa_count_gsh_article = _count(int(cj_peru["n"]), ("unodc_gsh2013",))
    both_safer = (cj_peru["rank"] <= (cj_peru["n"] + 1) / 2) and (peru_row["rank"] <= (peru_row["n"] + 1) / 2)
    r.both_series_sentence = choose(
        bool(both_safer),
        "Either way Peru sits in the safer half of South America, not among its most violent "
        "countries.",
        "The two series place Peru differently, and on at least one of them Peru is in the more "
        "violent half of South America.",
        labels=("both_safer_half", "series_disagree"), sources=(*h_sources, "unodc_gsh2013"))

    world = violence.rates(homicide, ["WLD"], "wdi_series")
    world = world.loc[world["year"] == h_year].dropna(subset=["rate_per_100k"])
    if world.empty:
        r.world_rate_latest = _missing("the world rate", "world_rate")
        r.peru_vs_world_sentence = _missing("the world rate", "peru_vs_world")
    else:
        r.world_rate_latest = violence.rate(homicide, "WLD", h_year, "wdi_series")
        r.peru_vs_world_sentence = choose(
            bool(r.peru_rate_latest.point > r.world_rate_latest.point),
            "by world standards Peru is not a safe country, only a safer one than most of its "
            "neighbours.",
            "Peru is safer than the world as a whole, not only than its neighbours.",
            labels=("above_world", "below_world"), sources=("wdi_homicide",))
    return r


# --- chapter 2: where the cocaine goes ---------------------------------------------------------

def _prevalence(use: pd.DataFrame, iso3: str) -> Estimate | Branch:
    """A country's latest annual prevalence of cocaine use, with UNODC's range where given."""
    t = mk.use_prevalence(use, [iso3])
    if t.empty:
        return _missing("a survey", f"prevalence_{iso3.lower()}")
    row = t.iloc[0]
    return Estimate(row["prevalence_pct"], row["low_pct"], row["high_pct"], unit="percent",
                    year=int(row["year"]), show_year=True, interval="range", digits=1,
                    sources=(row["source_id"],),
                    method=f"UNODC annual prevalence, ages {row['age_group']}, method {row['method']}.")


def _value_chain_display(claims: pd.DataFrame) -> pd.DataFrame:
    """mk.value_chain as display strings: one row per stage, one column per reading."""
    v = mk.value_chain(claims)
    rows = []
    for stage in ("source", "Rio", "London"):
        row = {"Stage": {"source": "Earnings in Peru", "Rio": "Street value in Rio",
                         "London": "Street value in London"}[stage]}
        for reading, label in (("tenfold_rio", "'Tenfold' the Rio value"),
                               ("tenfold_source", "'Tenfold' the source value")):
            x = v.loc[(v["reading"] == reading) & (v["stage"] == stage)].iloc[0]
            row[f"{label}: multiple of source"] = _cell(x["multiple"], "count")
            row[f"{label}: value"] = "at least " + _cell(x["low"], "USD")
        rows.append(row)
    return pd.DataFrame(rows)


def markets() -> Bundle:
    """Chapter 2: the article's US arithmetic, Brazil in the seizure and use records, value chain."""
    claims, countries = load("article_claims"), load("countries")
    seizures, use = load("cocaine_seizures"), load("cocaine_use")
    r = Bundle()
    r.us_share = claim_estimate(claims, "us_share_pct")
    r.us_market = claim_estimate(claims, "us_consumption_tons").with_(hedge="about")
    r.peru_output = claim_estimate(claims, "cocaine_production_tons").with_(hedge="about")
    r.us_bound_volume = mk.us_bound_volume(claims)
    r.non_us_volume = mk.remainder_for_other_markets(claims)
    prod = claim(claims, "cocaine_production_tons")
    us = r.us_bound_volume
    r.us_share_of_output = Estimate(us.central / prod.value * 100, unit="percent", hedge="about",
                                    digits=0, sources=(*us.sources, prod.source_id),
                                    method="US-bound tonnes / stated production (composed in report).")

    series = mk.seizure_series(seizures, countries)
    growth = {m: _try(lambda m=m: mk.seizure_growth(series, m), f"{m}'s seizure trend",
                      f"growth_{m.lower().replace(' ', '_')}") for m in mk.MARKETS}
    seizure_sources = tuple(sorted({x for ids in series["source_ids"] for x in ids.split(";")}))
    r.brazil_growth, r.usa_growth = growth["Brazil"], growth["United States"]
    r.weu_growth = growth["Western Europe"]
    bra = series.loc[(series["market"] == "Brazil") & (series["kilograms"] > 0)]
    r.seizure_first_year = _year(int(bra["year"].min()), seizure_sources)
    r.seizure_last_year = _year(int(bra["year"].max()), seizure_sources)
    have = isinstance(r.brazil_growth, Estimate) and isinstance(r.usa_growth, Estimate)
    faster = have and r.brazil_growth.point > r.usa_growth.point
    r.brazil_seizure_sentence = choose(
        bool(faster),
        "Brazil's seizures have grown faster than those of the United States.",
        "Brazil's seizures have not grown faster than those of the United States.",
        labels=("brazil_faster", "brazil_not_faster"), sources=seizure_sources)
    separated = have and r.brazil_growth.low is not None and r.usa_growth.high is not None \
        and r.brazil_growth.low > r.usa_growth.high
    r.growth_comparison_sentence = choose(
        bool(separated),
        "The two confidence intervals do not overlap, so the difference is larger than the "
        "year-to-year noise in the series.",
        "The two confidence intervals overlap, so the series alone cannot rule out that the "
        "difference is noise.",
        labels=("growth_separated", "growth_overlaps"), sources=seizure_sources)

    r.brazil_prevalence = _prevalence(use, "BRA")
    r.usa_prevalence = _prevalence(use, "USA")
    r.peru_prevalence = _prevalence(use, PERU)
    bra_p, usa_p = r.brazil_prevalence, r.usa_prevalence
    r.direction_sentence = _branch([
        (faster and isinstance(bra_p, Estimate) and isinstance(usa_p, Estimate)
         and bra_p.point >= 0.5 * usa_p.point,
         "Brazil's seizures have grown faster than those of the United States, and past-year "
         "use in Brazil is of the same order as in the United States.", "direction_supported"),
        (faster, "Brazil's seizures have grown faster than those of the United States, though "
                 "the surveys do not show a market of the same order.", "direction_partly"),
        (True, "the seizure record does not show Brazil rising against the United States.",
         "direction_not_supported"),
    ], seizure_sources + ("unodc_wdr2025_prevalence",))

    r.source_value = claim_estimate(claims, "drug_earnings_usd")
    rio = claim(claims, "rio_street_multiple")
    r.rio_multiple = Estimate(rio.value, unit="times", sources=(rio.source_id,))
    r.london_tenfold_rio = mk.london_value(claims, "tenfold_rio")
    r.london_tenfold_source = mk.london_value(claims, "tenfold_source")
    r.value_chain_table = _value_chain_display(claims)
    return r


# --- chapter 3: the criminal economy -----------------------------------------------------------

def _economy_display(claims: pd.DataFrame, sim: pd.DataFrame) -> pd.DataFrame:
    """Each part of the article's criminal economy: its hedge, the interval, the simulation."""
    rng = ce.article_ranges(claims)
    hedge = {k: claim(claims, cid).wording for k, cid in
             (("drugs", "drug_earnings_usd"), ("gold", "gold_vs_drugs_multiple"),
              ("total", "organized_crime_total_usd"))}
    total = Estimate(None, rng.total_low, rng.total_high, unit="USD", sources=rng.sources)
    rows = [
        ("Drugs", hedge["drugs"], claim_estimate(claims, "drug_earnings_usd"),
         ce.mc_estimate(sim, "drugs", claims)),
        ("Gold", f"{hedge['gold']} (a multiple of drugs)", ce.implied_gold(claims),
         ce.mc_estimate(sim, "gold", claims)),
        ("Drugs and gold", "implied (sum of the two)", ce.drugs_plus_gold(claims), None),
        ("Trafficking, timber, antiquities", "not stated (the residual)",
         ce.residual_range(claims), ce.mc_estimate(sim, "residual", claims)),
        ("Total", hedge["total"], total, ce.mc_estimate(sim, "total", claims)),
    ]
    return pd.DataFrame([{"Part": part, "The article's hedge": words,
                          "Interval arithmetic": str(interval),
                          "Simulation": "" if mc is None else str(mc)}
                         for part, words, interval, mc in rows])


def _fit_conditions(claims: pd.DataFrame) -> Branch:
    """Under which readings of the hedges the parts fit the top of the stated total."""
    t = ce.consistency_table(claims)
    at_floor = t.loc[t["scenario"].str.startswith("drugs at stated floor"), "fits_high"].all()
    at_cap = t.loc[t["scenario"].str.startswith("drugs at read cap"), "fits_high"].any()
    return _branch([
        (at_floor and at_cap, "The parts fit under every reading of the hedges considered here.",
         "fits_all_readings"),
        (at_floor, "They fit only if drug earnings are close to the stated floor; if \"well "
                   "over\" means something near twice the floor, drugs and gold alone exceed "
                   "even the top of the total.", "fits_near_floor_only"),
        (True, "They do not fit even with drug earnings at the stated floor.", "fits_no_reading"),
    ], ce.article_ranges(claims).sources, "criminal_economy.consistency_table")


def criminal_economy() -> Bundle:
    """Chapter 3: the article's drugs, gold and total as ranges; the implied residual; the fit."""
    claims = load("article_claims")
    sim = ce.simulate(claims)
    rng = ce.article_ranges(claims)
    r = Bundle()
    r.drugs_stated = claim_estimate(claims, "drug_earnings_usd")
    r.total_stated = Estimate(None, rng.total_low, rng.total_high, unit="USD", sources=rng.sources,
                              method="The article's 'at least ... perhaps closer to' range.")
    r.gold_interval = ce.implied_gold(claims)
    r.drugs_gold_interval = ce.drugs_plus_gold(claims)
    r.residual_interval = ce.residual_range(claims)
    r.residual_simulated = ce.mc_estimate(sim, "residual", claims, consistent_only=True)
    r.fit_sentence = ce.consistency_verdict(claims)
    r.share_consistent = ce.share_consistent(sim, claims)
    r.assumption_sentence = _fit_conditions(claims)
    r.economy_table = _economy_display(claims, sim)
    r.mc_draws = _count(len(sim), rng.sources)
    return r

