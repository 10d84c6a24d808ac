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
import re
from dataclasses import dataclass, replace
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable

import pandas as pd

from analysis import criminal_economy as ce
from analysis import markets as mk
from analysis import explanations as ex
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
REPO = Path(__file__).resolve().parent.parent

# Thresholds that turn a number into words. They are this report's reading, declared here so
# that a reader (and a test) can see them; none changes a number, only which sentence is shown.
ESCALATION_PCT = 50   # homicide rate up by half or more since the article: "an escalation"
RISE_PCT = 10         # up by a tenth or more: "rose"; within +-10%: "barely moved"
COCA_CHANGE_PCT = 25  # coca area up or down by a quarter or more: "grew" / "fell"
SAME_ORDER = 0.5      # a prevalence at least half another's is "of the same order"
CLOSE_SHARE = 0.10    # a claimed count within 10% of a published one is "consistent" with it


_MD_SPECIAL = set("\\`*_{}[]()<>#+!|$^~@")


def _md_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation so a cell is shown literally (pandoc accepts it)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


class Table:
    """A table for the book: a DataFrame of display strings shown as a Markdown pipe table.

    Why not the DataFrame itself: its HTML repr carries the row index and is HTML-only, while a
    Markdown table becomes a real table in every format (HTML, Typst/PDF, Quarto or the
    project's renderer) and takes its caption from `tbl-cap`. `frame` keeps the data.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    def to_markdown(self) -> str:
        """The pipe table (header, alignment row, one line per row)."""
        cols = self.columns
        numeric = [bool(len(self.frame)) and all(_looks_numeric(v) for v in self.frame[c]) for c in cols]
        lines = ["| " + " | ".join(_md_escape(c) for c in cols) + " |",
                 "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
        for _, row in self.frame.iterrows():
            lines.append("| " + " | ".join(_md_escape("" if pd.isna(v) else v) for v in row) + " |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def _looks_numeric(value) -> bool:
    """True for display strings such as '1,260', '45%', '2nd', '' (right-aligned columns)."""
    text = str(value).strip().rstrip("%").replace(",", "")
    for suffix in ("st", "nd", "rd", "th"):
        text = text.removesuffix(suffix)
    if text == "":
        return True
    try:
        float(text)
        return True
    except ValueError:
        return False


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


def _year(year: int, sources: Iterable[str] = (), method: str = "") -> Estimate:
    """A year as a named value (printed without separators: 2013)."""
    return Estimate(int(year), unit="year", sources=tuple(sources), method=method)


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


def _rank_place(rank: int, n: int, sources: Iterable[str], label: str,
                subject: str = "Peru") -> Branch:
    """Where a rank (1 = safest) puts Peru: safest third, safer half, or more violent half."""
    return _branch([
        (rank <= n / 3, f"{subject} among the safest third of the continent.", f"{label}:safest_third"),
        (rank <= (n + 1) / 2, f"{subject} in the safer half of the continent, though not among "
                              f"the very safest.", f"{label}:safer_half"),
        (True, f"{subject} in the more violent half of the continent.", f"{label}:violent_half"),
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
    r.rank_table = Table(_rank_table_display(coca, countries))

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
    r.safest_sentence = _rank_place(int(peru_row["rank"]), int(peru_row["n"]), h_sources,
                                    "wdi_latest", "Peru is")
    r.safety_summary = _rank_place(int(peru_row["rank"]), int(peru_row["n"]), h_sources,
                                   "wdi_latest", "Its homicide rate puts it")
    r.colombia_rate_latest = _try(lambda: violence.rate(homicide, COLOMBIA, h_year, "wdi_series"),
                                  "Colombia's rate", "colombia_rate_latest")
    r.mexico_rate_latest = _try(lambda: violence.rate(homicide, "MEX", h_year, "wdi_series"),
                                "Mexico's rate", "mexico_rate_latest")
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
    seizures, use, population = load("cocaine_seizures"), load("cocaine_use"), load("population")
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
    users = mk.users_table(use, population)
    bra = users.loc[users["iso3"] == "BRA"]
    r.users_countries = _count(len(users), ("unodc_wdr2025_prevalence", "wdi_population"))
    if bra.empty:
        r.brazil_users = _missing("a Brazilian survey", "brazil_users")
        r.brazil_users_rank = _missing("a Brazilian survey", "brazil_users_rank")
        rank = None
    else:
        rank = int(bra["rank"].iloc[0])
        r.brazil_users = mk.users_estimate(use, population, "BRA")
        r.brazil_users_rank = Estimate(rank, unit="rank", sources=("unodc_wdr2025_prevalence", "wdi_population"),
                                       method="markets.users_table: prevalence x population, 1 = most users")
    r.brazil_rank_sentence = _branch([
        (rank is not None and rank <= 2,
         "That is consistent with the article's \"second-biggest market\", though the data cannot "
         "rank Brazil against Europe as a whole or the rest of the world.", "brazil_top_two"),
        (rank is not None, "That does not bear out the article's \"second-biggest market\", even "
                           "within the Americas.", "brazil_not_top_two"),
        (True, "Without a Brazilian survey the article's ranking cannot be checked.", "no_brazil_survey"),
    ], ("unodc_wdr2025_prevalence", "wdi_population"))
    bra_p, usa_p = r.brazil_prevalence, r.usa_prevalence
    r.direction_sentence = _branch([
        (faster and isinstance(bra_p, Estimate) and isinstance(usa_p, Estimate)
         and bra_p.point >= SAME_ORDER * usa_p.point,
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
    r.value_chain_table = Table(_value_chain_display(claims))
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
    r.economy_table = Table(_economy_display(claims, sim))
    r.mc_draws = _count(len(sim), rng.sources)
    return r

# --- chapter 4: counting the dead --------------------------------------------------------------

SERIES_LABEL = {
    "criminal_justice": "UNODC Global Study on Homicide, police figures",
    "public_health": "UNODC Global Study on Homicide, public-health figures",
    "wdi_series": "World Bank / UNODC series (current vintage)",
    "modelled_all_violence": "IHME, modelled deaths from all violence",
}


def _count_claim(claims: pd.DataFrame, claim_id: str) -> Estimate:
    """An article homicide count as a plain number of homicides (its 'exact'/'just' dropped)."""
    return claim_estimate(claims, claim_id).with_(hedge=None)


def _biggest_jump(homicide: pd.DataFrame) -> dict:
    """The largest year-on-year ratio in Peru's police count (composed in report).

    Why: the GSH police series for Peru doubles from one year to the next, which reads as a
    change of source or definition; the chapter names the years and the size of the jump.
    """
    cj = violence.rates(homicide, [PERU], "criminal_justice").dropna(subset=["count"])
    cj = cj.sort_values("year")
    counts = cj.set_index("year")["count"].astype(float)
    ratio = counts / counts.shift(1)
    ratio = ratio.loc[counts.index.to_series().diff() == 1].dropna()
    year = int(ratio.idxmax())
    return {"before": counts.loc[year - 1], "after": counts.loc[year], "year": year,
            "ratio": float(ratio.loc[year])}


def _counts_display(homicide, population, countries, claims) -> pd.DataFrame:
    """Every count of Peru's homicides as a rate and a South American rank (tbl-counts)."""
    claimed = violence.claimed_rates(claims, population)
    year = claimed["interior"].year
    scen = violence.peru_rank_scenarios(homicide, population, countries, claims, ("wdi_series",))
    scen = scen.set_index("peru_figure")
    rows = []
    for key, label, cid in (("interior", "Ministry of the Interior (the article)", "homicides_interior_ministry"),
                            ("police", "National Police (the article)", "homicides_national_police")):
        rows.append({"Source": label, "Homicides": _cell(claim(claims, cid).value, "count"),
                     "Rate per 100,000": _cell(claimed[key].point, "", 1),
                     "Rank in South America": _cell(scen.loc[key, "rank"], "rank"),
                     "Countries compared": _cell(scen.loc[key, "n"], "count"),
                     "Compared with": "neighbours' World Bank rates"})
    for s in ("criminal_justice", "wdi_series", "modelled_all_violence"):
        t = violence.south_america_ranks(homicide, countries, year, s).set_index("iso3")
        if PERU not in t.index:
            continue
        row = violence.rates(homicide, [PERU], s)
        row = row.loc[row["year"] == year].iloc[0]
        rows.append({"Source": SERIES_LABEL[s], "Homicides": _cell(row["count"], "count"),
                     "Rate per 100,000": _cell(row["rate_per_100k"], "", 1),
                     "Rank in South America": _cell(t.loc[PERU, "rank"], "rank"),
                     "Countries compared": _cell(t.loc[PERU, "n"], "count"),
                     "Compared with": "neighbours in the same series"})
    return pd.DataFrame(rows)


def counting() -> Bundle:
    """Chapter 4: the ministry's and the police's counts against every published series."""
    claims, population = load("article_claims"), load("population")
    homicide, countries = load("homicide"), load("countries")
    claimed = violence.claimed_rates(claims, population)
    year = claimed["interior"].year
    scen = violence.peru_rank_scenarios(homicide, population, countries, claims, ("wdi_series",))
    scen = scen.set_index("peru_figure")
    n = int(scen.loc["interior", "n"])
    wdi_src = ("wdi_homicide", ARTICLE_SOURCE, "wdi_population")

    r = Bundle()
    r.ministry_count = _count_claim(claims, "homicides_interior_ministry")
    r.police_count = _count_claim(claims, "homicides_national_police")
    r.count_year = _year(year, (ARTICLE_SOURCE,))
    r.ministry_rate, r.police_rate = claimed["interior"], claimed["police"]
    r.ministry_rank = Estimate(int(scen.loc["interior", "rank"]), unit="rank", year=year, sources=wdi_src)
    r.police_rank = Estimate(int(scen.loc["police", "rank"]), unit="rank", year=year, sources=wdi_src)
    r.sa_count = _count(n, wdi_src)
    r.ministry_rank_sentence = choose(
        bool(scen.loc["interior", "rank"] > (n + 1) / 2),
        "On the ministry's figure Peru would be in the more violent half of the continent, and "
        "the paradox would disappear.",
        "Even on the ministry's figure Peru would stay in the safer half of the continent.",
        labels=("ministry_violent_half", "ministry_safer_half"), sources=wdi_src)
    r.counts_table = Table(_counts_display(homicide, population, countries, claims))

    jump = _biggest_jump(homicide)
    r.gsh_jump_before = Estimate(jump["before"], unit="homicides", sources=("unodc_gsh2013",))
    r.gsh_jump_after = Estimate(jump["after"], unit="homicides", sources=("unodc_gsh2013",))
    r.gsh_jump_year_before = _year(jump["year"] - 1, ("unodc_gsh2013",))
    r.gsh_jump_year_after = _year(jump["year"], ("unodc_gsh2013",))
    r.gsh_jump_ratio = Estimate(jump["ratio"], unit="times", digits=1, sources=("unodc_gsh2013",),
                                method="Largest year-on-year ratio of Peru's police count (composed in report).")
    wdi_years = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])["year"]
    r.wdi_first_year = _year(int(wdi_years.min()), ("wdi_homicide",))
    r.wdi_rate_count_year = _try(lambda: violence.rate(homicide, PERU, year, "wdi_series"),
                                 "the World Bank rate", "wdi_rate_count_year")
    r.ihme_rate_count_year = _try(lambda: violence.rate(homicide, PERU, year, "modelled_all_violence"),
                                  "the IHME rate", "ihme_rate_count_year")
    ihme, wdi = r.ihme_rate_count_year, r.wdi_rate_count_year
    r.ihme_sentence = choose(
        isinstance(ihme, Estimate) and isinstance(wdi, Estimate) and bool(ihme.point < wdi.point),
        "The broader measure gives the lower number, which says more about the model than "
        "about Peru.",
        "The broader measure gives the higher number, as it should.",
        labels=("ihme_below_wdi", "ihme_not_below_wdi"), sources=("ihme_gbd2016", "wdi_homicide"))

    ph = violence.rates(homicide, violence.south_america(countries), "public_health")
    ph = ph.dropna(subset=["rate_per_100k"])
    ph_names = [country_name(countries, i) for i in sorted(set(ph["iso3"]))]
    r.public_health_sentence = _branch([
        (PERU in set(ph["iso3"]), "UNODC's public-health series, built from death registrations, "
                                  "does cover Peru, and is shown with the others.", "peru_has_public_health"),
        (bool(ph_names), f"UNODC's public-health series, built from death registrations, has no "
                         f"figure for Peru at all (in South America it covers only "
                         f"{_join(ph_names)}), so the most independent check on the police count "
                         f"is missing.", "peru_no_public_health"),
        (True, "UNODC's public-health series, built from death registrations, has no figure for "
               "Peru or its neighbours, so the most independent check on the police count is "
               "missing.", "no_public_health"),
    ], ("unodc_gsh2013",))

    gap = violence.peru_gap_vs_peers(homicide, countries)
    r.peru_gap, r.peer_gap = gap["peru"], gap["peers_median"]
    r.peru_gap_rank = gap["peru_rank"]
    gap_n = len(violence.source_gap_table(homicide, countries))
    r.gap_countries = _count(gap_n, gap["peru"].sources)
    r.gap_sentence = _branch([
        (gap["peru"].point < (gap["peers_median"].low or 0),
         "Peru's police count sits further below the modelled deaths than any neighbour's, which "
         "is what an undercount by the police would look like.", "police_below_peers"),
        (gap["peru"].point > (gap["peers_median"].high or float("inf")),
         "Peru's police count sits further above the modelled deaths than any neighbour's: the "
         "opposite of what an undercount by the police would produce. If anything, the model "
         "misses deaths the police record.", "police_above_peers"),
        (True, "Peru's sources disagree about as much as its neighbours' do.", "police_like_peers"),
    ], gap["peru"].sources, "violence.peru_gap_vs_peers")

    published = []
    for s in ("criminal_justice", "wdi_series", "modelled_all_violence"):
        t = violence.south_america_ranks(homicide, countries, year, s).set_index("iso3")
        if PERU in t.index:
            published.append(t.loc[PERU, "rank"] <= (t.loc[PERU, "n"] + 1) / 2)
    r.series_rank_sentence = _branch([
        (all(published) and scen.loc["interior", "rank"] > (n + 1) / 2,
         "Every published series puts Peru in the safer half of South America; only the "
         "ministry's unpublished figure would move it into the more violent half.",
         "published_safer_ministry_violent"),
        (all(published), "Every published series, and even the ministry's figure, puts Peru in "
                         "the safer half of South America.", "all_safer"),
        (True, "The published series themselves disagree about where Peru stands in South "
               "America.", "published_disagree"),
    ], ("unodc_gsh2013", "wdi_homicide", "ihme_gbd2016", ARTICLE_SOURCE))
    return r


# --- chapter 6: outlook ------------------------------------------------------------------------

def escalation_sentence(change_pct: float, later_data: bool = True) -> Branch:
    """Did Peru's homicide rate escalate since the article? (% change of the World Bank rate)."""
    return _branch([
        (not later_data, "The data end in the article's year, so its forecast cannot be checked "
                         "yet.", "no_later_data"),
        (change_pct >= ESCALATION_PCT, "That is an escalation, though not on the scale of "
                                       "Colombia or Mexico.", "escalated"),
        (change_pct >= RISE_PCT, "Violence rose, but more slowly than 'dangerous escalation' "
                                 "suggests.", "rose_modestly"),
        (change_pct > -RISE_PCT, "That is no escalation: the rate has barely moved.", "flat"),
        (True, "Violence fell: the forecast escalation has not happened.", "fell"),
    ], ("wdi_homicide",), f"Change in Peru's World Bank rate since the article's year: "
                          f"+{ESCALATION_PCT}% or more = escalation, +{RISE_PCT}% or more = rise, "
                          f"within {RISE_PCT}% = flat.")


def coca_growth_sentence(coca_pct: float, violence_pct: float, later_data: bool = True,
                         sources: tuple[str, ...] = ()) -> Branch:
    """How Peru's coca area moved since the article, against its homicide rate (% changes)."""
    grew = coca_pct >= COCA_CHANGE_PCT
    return _branch([
        (not later_data, "There are no later coca surveys in this data vintage either.", "no_later_coca"),
        (grew and coca_pct > violence_pct + COCA_CHANGE_PCT,
         "The trade, as far as coca area measures it, grew much faster than the violence.",
         "coca_grew_faster_than_violence"),
        (grew, "Coca area grew, and violence grew with it.", "coca_and_violence_grew"),
        (coca_pct > -COCA_CHANGE_PCT, "Coca area has changed little.", "coca_flat"),
        (True, "Coca area has fallen.", "coca_fell"),
    ], sources)


def outlook() -> Bundle:
    """Chapter 6: what happened after the article (violence, coca, use, eradication); the
    claims no public data can check."""
    sources, claims = load("sources"), load("article_claims")
    homicide, coca = load("homicide"), load("coca_cultivation")
    eradication, use = load("coca_eradication"), load("cocaine_use")
    a_year = article_year(sources)
    r = Bundle()
    r.article_year = a_year

    wdi = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])
    start = _latest_at_or_before(wdi["year"], a_year.point) or int(wdi["year"].min())
    end = int(wdi["year"].max())
    r.rate_start = violence.rate(homicide, PERU, start, "wdi_series")
    r.rate_end = violence.rate(homicide, PERU, end, "wdi_series")
    change = (r.rate_end.point / r.rate_start.point - 1) * 100
    r.escalation_sentence = escalation_sentence(change, later_data=end > start)

    h = producers.headline(coca)
    peru_years = sorted(h.loc[h["iso3"] == PERU, "year"])
    c_start = _latest_at_or_before(peru_years, a_year.point) or peru_years[0]
    c_end = peru_years[-1]
    r.coca_start = producers.area(coca, PERU, c_start)
    r.coca_end = producers.area(coca, PERU, c_end)
    coca_change = (r.coca_end.point / r.coca_start.point - 1) * 100
    r.coca_growth_sentence = coca_growth_sentence(coca_change, change, later_data=c_end > c_start,
                                                  sources=tuple(sorted(set(h["source_id"]))))

    peru_use = use.loc[use["iso3"] == PERU].sort_values("year")
    if len(peru_use) >= 2:
        first, last = peru_use.iloc[0], peru_use.iloc[-1]

        def _survey(row) -> Estimate:
            return Estimate(row["prevalence_pct"], row["low_pct"], row["high_pct"], unit="percent",
                            year=int(row["year"]), show_year=True, digits=1, interval="range",
                            sources=(row["source_id"],),
                            method=f"UNODC annual prevalence, ages {row['age_group']}, method {row['method']}.")
        r.peru_prevalence_first, r.peru_prevalence_latest = _survey(first), _survey(last)
        same_method = first["method"] == last["method"] and first["age_group"] == last["age_group"]
        r.domestic_market_sentence = _branch([
            (not same_method, "The two surveys differ in method or age range, so the change "
                              "cannot be read as growth of the market.", "surveys_not_comparable"),
            (last["prevalence_pct"] > first["prevalence_pct"], "Use rose between the two "
             "surveys, as the article expected.", "use_rose"),
            (True, "Use did not rise between the two surveys.", "use_not_rose"),
        ], ("unodc_wdr2025_prevalence",))
    else:
        r.peru_prevalence_first = _missing("an earlier survey", "peru_prevalence_first")
        r.peru_prevalence_latest = _prevalence(use, PERU)
        r.domestic_market_sentence = Branch("One survey cannot show a trend.", "single_survey")

    er = eradication.loc[eradication["iso3"] == PERU]
    peak = er.loc[er["hectares"].idxmax()]
    r.eradication_peak_year = _year(int(peak["year"]), (peak["source_id"],))
    r.eradication_peak = Estimate(peak["hectares"], unit="hectares", sources=(peak["source_id"],))
    later = h.loc[(h["iso3"] == PERU) & (h["year"] > peak["year"])]
    at_peak = h.loc[(h["iso3"] == PERU) & (h["year"] == peak["year"]), "hectares"]
    r.eradication_sentence = _branch([
        (later.empty, "The data end with that campaign, so what followed cannot be seen.", "no_later_years"),
        (not at_peak.empty and later["hectares"].max() > at_peak.iloc[0],
         "Within a few years the area under coca was larger than in the year of the campaign.",
         "area_rebounded"),
        (True, "The area under coca has stayed below its level in the year of the campaign.",
         "area_stayed_down"),
    ], (peak["source_id"], *sorted(set(h["source_id"]))))

    conv = claim(claims, "cooperation_conventions")
    r.conventions = Estimate(conv.value, conv.low, None, unit="count", hedge="more than",
                             sources=(conv.source_id,))
    heli = claim(claims, "helicopter_spending_usd")
    r.helicopters = Estimate(heli.value, unit="USD", hedge="some", sources=(heli.source_id,))

    countries = load("countries")
    latest_leader = producers.leader(coca, producers.latest_year(coca))
    r.paradox_status_sentence = _branch([
        (latest_leader == PERU and change < ESCALATION_PCT,
         "and that it still holds: Peru still grows the most coca and is still comparatively "
         "peaceful,", "paradox_holds"),
        (latest_leader != PERU and change < ESCALATION_PCT,
         f"though it has since changed shape: {country_name(countries, latest_leader)} now grows "
         f"the most coca, while Peru's homicide rate has stayed moderate,", "paradox_changed"),
        (True, "though Peru's violence has since risen enough to weaken it,", "paradox_weakened"),
    ], ("wdi_homicide", "unodc_wdr2025_coca"))
    return r


# --- chapter 5: the two explanations -----------------------------------------------------------

EXPLANATION_TABLES = ("homicide", "population", "cocaine_seizures", "countries", "corruption",
                      "article_claims")


def findings() -> "ex.Findings":
    """Both explanations computed once from the current data folder (explanations.analyse)."""
    return ex.analyse({name: load(name) for name in EXPLANATION_TABLES})


def _evidence_display(f) -> pd.DataFrame:
    """explanations.evidence_table with reader-facing column names (tbl-evidence).

    The explanation and what would settle it repeat for every row of an explanation; they are
    shown on its first row only, so the table reads as two groups.
    """
    t = f.evidence.copy()
    repeat = t["explanation"].eq(t["explanation"].shift())
    t.loc[repeat & t["would_settle"].eq(t["would_settle"].shift()), "would_settle"] = ""
    t.loc[repeat, "explanation"] = ""
    return t.rename(columns={
        "explanation": "Explanation", "prediction": "What it predicts",
        "data_show": "What the data show", "n": "Observations", "strength": "Strength",
        "would_settle": "What would settle it"})


def _misreading_summary(f) -> Branch:
    """What the break-even count implies for the first explanation (data-chosen)."""
    c = f.counts.set_index("figure")
    published, police, interior = (bool(c.loc[k, "outlier"]) for k in ("published", "police", "interior"))
    return _branch([
        (not published, "On the published figures Peru is not an outlier at all, so there is "
                        "little paradox for the first explanation to explain.", "published_not_outlier"),
        (not police, "So, against this yardstick, the paradox depends on which count is "
                     "believed: the published series makes Peru an outlier and the police's own "
                     "figure does not. The first explanation does not need the ministry's figure "
                     "to be right, only the police's.", "police_clears_break_even"),
        (not interior, "So the first explanation needs the ministry's figure, or something near "
                       "it, to be right and every published series to be wrong.",
         "only_ministry_clears"),
        (True, "Even the ministry's figure leaves Peru an outlier, so counting more cannot "
               "explain the paradox away.", "no_count_clears"),
    ], ("wdi_homicide", ARTICLE_SOURCE), "explanations.counts_vs_break_even")


def _premise_sentence(f) -> Branch:
    g = ex.grade(f.drug_effect, +1)
    return _branch([
        (g == "supports", "Across the region, countries that seize more cocaine per head do have "
                          "more homicides, so the yardstick has some footing.", "premise_supported"),
        (g == "contradicts", "Across the region, countries that seize more cocaine per head have "
                             "fewer homicides, so the yardstick cannot say Peru should be violent.",
         "premise_contradicted"),
        (True, "That is too uncertain to tell from zero: across the region, cocaine seized per "
               "head says little about homicide, so Peru's expected rate is close to the regional "
               "average and the yardstick is weak.", "premise_inconclusive"),
    ], f.drug_effect.sources, "explanations.grade of the drug-intensity coefficient")


def _interaction_sentence(f) -> Branch:
    g = ex.grade(f.interaction, -1)
    return _branch([
        (g == "supports", "Where corruption is higher, cocaine seizures go with fewer homicides, "
                          "as the complicity explanation predicts.", "interaction_supports"),
        (g == "contradicts", "Where corruption is higher, cocaine seizures go with more homicides, "
                             "the opposite of what the complicity explanation predicts.",
         "interaction_contradicts"),
        (True, "The data cannot tell whether corruption weakens or strengthens the link between "
               "drugs and violence.", "interaction_inconclusive"),
    ], f.interaction.sources, "explanations.grade of the interaction (complicity predicts < 0)")


def _verdicts(f) -> tuple[Branch, Branch]:
    """One-sentence verdicts on each explanation (index page and end of chapter 5)."""
    z = f.prediction["z"].point
    premise = ex.grade(f.drug_effect, +1)
    police_clears = not bool(f.counts.set_index("figure").loc["police", "outlier"])
    mis = _branch([
        (z > -ex.Z_OUTLIER, "Not needed on the published figures: Peru is not an outlier for "
                            "its drug economy.", "mis_not_outlier"),
        (premise != "supports" and police_clears,
         "Possible but unproven: Peru looks unusually peaceful only on the published series, "
         "the police's own count would make it ordinary, and the link between drugs and "
         "homicide the comparison rests on is weak.", "mis_possible_weak"),
        (police_clears, "Plausible: the police's own count would be enough to make Peru an "
                        "ordinary country for its drug economy.", "mis_plausible"),
        (True, "Unlikely on the published figures: only a count far above any published one "
               "would remove the paradox.", "mis_unlikely"),
    ], ("wdi_homicide", "unodc_gsh2013", ARTICLE_SOURCE))
    wgi = f.corruption_wgi.set_index("iso3").loc[ex.PERU]
    g = ex.grade(f.interaction, -1)
    com = _branch([
        (g == "supports" and wgi["rank"] <= wgi["n"] / 3,
         "Supported: Peru is among the more corrupt countries, and corruption weakens the "
         "drug-violence link across the region.", "com_supported"),
        (g == "contradicts", "Contradicted by the regional data: corruption does not weaken the "
                             "drug-violence link.", "com_contradicted"),
        (wgi["rank"] <= wgi["n"] / 3, "Unproven: Peru is among the more corrupt countries, but "
                                      "the regional data cannot show that corruption keeps the "
                                      "trade peaceful.", "com_unproven_corrupt"),
        (True, "Unproven and weakly grounded: Peru is not unusually corrupt for South America, "
               "and the regional data cannot show that corruption keeps the trade peaceful.",
         "com_unproven_midtable"),
    ], ("wb_wgi", "wdi_homicide"))
    return mis, com


def explanations() -> Bundle:
    """Chapter 5: the yardstick model, the break-even count, corruption, the evidence table."""
    f = findings()
    population = load("population")
    mis, com = f.misreading, f.complicity
    c = f.counts.set_index("figure")
    wgi = f.corruption_wgi.set_index("iso3").loc[ex.PERU]
    model_src = tuple(f.prediction["predicted_rate"].sources)

    r = Bundle()
    r.model_n = _count(mis.n_obs, model_src, mis.describe())
    r.model_countries = _count(mis.n_countries, model_src, mis.describe())
    r.model_first_year, r.model_last_year = (_year(y, model_src) for y in mis.years)
    r.peru_model_year = _year(f.year, model_src)
    r.peru_predicted = f.prediction["predicted_rate"]
    r.peru_observed = f.prediction["observed_rate"]
    r.peru_ratio = f.prediction["ratio"]
    r.peru_z = f.prediction["z"]
    r.outlier_sentence = choose(
        bool(f.prediction["z"].point <= -ex.Z_OUTLIER),
        "By this yardstick Peru is an outlier: its recorded rate is further below the expected "
        "one than the usual spread between countries allows.",
        "By this yardstick Peru is not an outlier: its recorded rate is below the expected one, "
        "but within the usual spread between countries.",
        labels=("peru_outlier", "peru_not_outlier"), sources=model_src,
        method=f"z = log(observed / predicted) / between-country SD; outlier below -{ex.Z_OUTLIER}.")
    r.drug_effect = f.drug_effect
    r.premise_sentence = _premise_sentence(f)
    r.break_even_count = f.break_even
    r.break_even_rate = violence.count_as_rate(f.break_even.point, population, ex.PERU, f.year,
                                               f.break_even.sources)
    r.published_count = Estimate(c.loc["published", "count"], unit="homicides", digits=0, year=f.year, sources=("wdi_homicide", "wdi_population"),
                                 method="Count behind the World Bank rate (rate x population).")
    r.break_even_sentence = choose(
        bool(c.loc["published", "outlier"]),
        "The count behind the published rate for that year is below it, which is why Peru looks "
        "unusually peaceful.",
        "Even the count behind the published rate is above it.",
        labels=("published_below", "published_above"), sources=("wdi_homicide",))
    r.police_vs_break_even_sentence = choose(
        not bool(c.loc["police", "outlier"]),
        "The police's count is above the break-even point.",
        "The police's count is below the break-even point.",
        labels=("police_above", "police_below"), sources=(ARTICLE_SOURCE,))
    r.ministry_vs_break_even_sentence = choose(
        not bool(c.loc["interior", "outlier"]),
        "The ministry's count is far above it.",
        "Even the ministry's count is below it.",
        labels=("ministry_above", "ministry_below"), sources=(ARTICLE_SOURCE,))
    r.misreading_summary = _misreading_summary(f)

    r.corruption_year = _year(f.year, ("wb_wgi",))
    r.peru_corruption_rank = Estimate(int(wgi["rank"]), unit="rank", year=f.year, sources=("wb_wgi",),
                                      method="explanations.corruption_position; 1 = most corrupt")
    r.corruption_n = _count(int(wgi["n"]), ("wb_wgi",))
    if f.corruption_cpi is not None and ex.PERU in set(f.corruption_cpi["iso3"]):
        cpi = f.corruption_cpi.set_index("iso3").loc[ex.PERU]
        r.peru_cpi_rank = Estimate(int(cpi["rank"]), unit="rank", year=f.year,
                                   sources=(cpi["source_id"],))
        r.cpi_n = _count(int(cpi["n"]), (cpi["source_id"],))
    else:
        r.peru_cpi_rank = _missing("the CPI", "peru_cpi_rank")
        r.cpi_n = _missing("the CPI", "cpi_n")
    r.corruption_sentence = choose(
        bool(wgi["rank"] <= wgi["n"] / 3),
        "That is among the most corrupt third of the continent: room enough for plata to do "
        "plomo's work.",
        "That is the middle of the table, not the bottom: by this measure Peru is no more "
        "corrupt than most of its neighbours, which weakens the explanation's premise.",
        labels=("peru_corrupt_third", "peru_mid_table"), sources=("wb_wgi",))
    r.interaction_coef = f.interaction
    r.interaction_sentence = _interaction_sentence(f)
    r.complicity_n = _count(com.n_obs, ("wb_wgi",) + model_src, com.describe())
    r.garcia_pardons, r.humala_pardons = f.pardons["garcia"], f.pardons["humala"]
    r.evidence_table = Table(_evidence_display(f))
    r.misreading_verdict, r.complicity_verdict = _verdicts(f)
    return r


# --- appendix: data and methods ------------------------------------------------------------------

def _descriptor(folder: Path) -> dict:
    import json

    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _schema(folder: Path, resource: dict) -> dict:
    import json

    schema = resource.get("schema")
    if isinstance(schema, str):
        return json.loads((folder / schema).read_text(encoding="utf-8"))
    return schema or {"fields": []}


def _constraint_text(constraints: dict) -> str:
    """Field constraints in words: 'required; >= 0; one of a, b'."""
    parts = []
    if constraints.get("required"):
        parts.append("required")
    if "minimum" in constraints:
        parts.append(f">= {constraints['minimum']}")
    if "maximum" in constraints:
        parts.append(f"<= {constraints['maximum']}")
    if "enum" in constraints:
        parts.append("one of " + ", ".join(str(v) for v in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"pattern {constraints['pattern']}")
    if constraints.get("unique"):
        parts.append("unique")
    return "; ".join(parts)


def dictionary_table(folder: Path | None = None) -> pd.DataFrame:
    """One row per field of every table, from datapackage.json and schemas/*.json."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in _descriptor(folder)["resources"]:
        for fld in _schema(folder, res).get("fields", []):
            rows.append({"Table": res["name"], "Field": fld["name"], "Type": fld.get("type", ""),
                         "Unit": str(fld.get("unit", "") or ""),
                         "Meaning": str(fld.get("description") or fld.get("title") or ""),
                         "Constraints": _constraint_text(fld.get("constraints", {}))})
    return pd.DataFrame(rows)


def files_table(folder: Path | None = None) -> pd.DataFrame:
    """The curated tables: rows, years covered, checksum (from the data package)."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in _descriptor(folder)["resources"]:
        frame = load(res["name"], folder)
        years = ""
        if "year" in frame.columns and frame["year"].notna().any():
            years = f"{int(frame['year'].min())}-{int(frame['year'].max())}"
        rows.append({"Table": res["path"], "Title": res.get("title", ""),
                     "Rows": _cell(res.get("rows", len(frame)), "count"), "Years": years,
                     "SHA-256": _short_hash(res.get("hash", ""))})
    return pd.DataFrame(rows)


HASH_SHOWN = 16  # hex characters of a checksum shown in the book; the files hold all 64


def _short_hash(value) -> str:
    text = "" if value is None or pd.isna(value) else str(value).removeprefix("sha256:")
    return f"{text[:HASH_SHOWN]}…" if len(text) > HASH_SHOWN else text


def _short_copy(intermediary) -> str:
    """'github.com/owner/repo@<40 hex> path/to/file.xlsx' -> 'owner/repo@abcdef1, file.xlsx'."""
    text = "" if intermediary is None or pd.isna(intermediary) else str(intermediary)
    m = re.match(r"(?:https?://)?github\.com/(?P<repo>[^@\s]+)@(?P<sha>[0-9a-f]{7,40})\s*(?P<path>.*)$", text)
    if not m:
        return text
    name = m.group("path").strip().rsplit("/", 1)[-1]
    return f"{m.group('repo')}@{m.group('sha')[:7]}" + (f", {name}" if name else "")


def provenance_table(folder: Path | None = None) -> pd.DataFrame:
    """sources.csv for readers: publisher, title, intermediary copy, raw file checksum.

    Checksums and commits are abbreviated for the page; data/sources.csv holds them in full.
    """
    s = load("sources", folder)
    return pd.DataFrame({
        "Source id": s["source_id"], "Publisher": s["publisher"], "Title": s["title"],
        "Year": s["year"].astype("Int64").astype(str),
        "Taken from": [_short_copy(v) for v in s["intermediary"]],
        "Raw file SHA-256": [_short_hash(v) for v in s["raw_sha256"]],
    })


def model_table(f=None) -> pd.DataFrame:
    """Specification and diagnostics of every model in the report (tbl-model-diagnostics)."""
    f = f if f is not None else findings()
    rows = []
    models = (("Misreading (headline)", f.misreading, "x_drugs", "drug intensity"),
              ("Misreading, police series", f.police_model, "x_drugs", "drug intensity"),
              ("Complicity", f.complicity, "xd", "drug intensity (centred)"),
              ("Complicity", f.complicity, "xc", "corruption (centred, sign flipped)"),
              ("Complicity", f.complicity, "xd:xc", "drug x corruption"))
    for name, model, term, label in models:
        fit = model.fit
        lo, hi = fit.conf_int().loc[term]
        y0, y1 = model.years
        rows.append({
            "Model": name, "Formula": model.formula, "Term": label,
            "Coefficient (95% CI)": str(Estimate(float(fit.params[term]), float(lo), float(hi),
                                                 digits=2, interval="CI")).replace("(CI ", "("),
            "n": _cell(model.n_obs, "count"), "Countries": _cell(model.n_countries, "count"),
            "Years": f"{y0}-{y1}",
            "Dispersion (Pearson chi2 / df)": _cell(float(fit.pearson_chi2 / fit.df_resid), "", 1),
            "Between-country SD": _cell(model.sigma, "", 2),
            "Converged": "yes" if model.converged else "no",
        })
    ols = f.ols["drug_effect"]
    rows.append({"Model": "Check: OLS on log rates", "Formula": "log(rate) ~ x_drugs + C(year)",
                 "Term": "drug intensity", "Coefficient (95% CI)": str(ols),
                 "n": "", "Countries": "", "Years": "", "Dispersion (Pearson chi2 / df)": "",
                 "Between-country SD": "", "Converged": "yes"})
    return pd.DataFrame(rows)


def data_methods() -> Bundle:
    """Appendix A: provenance, data dictionary, choices, models."""
    folder = data_dir()
    desc = _descriptor(folder)
    f = findings()
    r = Bundle()
    r.n_tables = _count(len(desc["resources"]))
    r.n_rows = _count(sum(int(res.get("rows", 0)) for res in desc["resources"]))
    r.provenance_table = Table(provenance_table(folder))
    r.files_table = Table(files_table(folder))
    r.dictionary_table = Table(dictionary_table(folder))
    coca = load("coca_cultivation")
    both = coca.loc[coca["iso3"] == PERU].groupby("year")["measure"].nunique()
    two = sorted(int(y) for y in both.loc[both > 1].index)
    r.coca_rule_sentence = choose(
        bool(two), f"Peru has both measures for {_year_ranges(two)}.",
        "No year has both measures for Peru in this data vintage.",
        labels=("peru_two_measures", "peru_one_measure"), sources=("unodc_wdr2025_coca",))
    corr = load("corruption")
    new_scale = corr.loc[corr["indicator"] == "cpi_0_100", "year"]
    r.cpi_break_year = _year(int(new_scale.min()) if not new_scale.empty else 2012, ("ti_cpi_2012_2022",))
    r.model_spec_sentence = Branch(
        text=f"The headline model is a {f.misreading.describe()} The complicity model adds "
             f"corruption and its interaction with drug intensity: {f.complicity.describe()}",
        branch="model_spec", sources=tuple(f.prediction["predicted_rate"].sources))
    r.model_table = Table(model_table(f))
    sim_claims = load("article_claims")
    r.mc_draws = _count(len(ce.simulate(sim_claims)), (ARTICLE_SOURCE,))
    readings = ce.Readings()
    r.mc_readings = Branch(
        text=(f"drug earnings uniform between the stated floor and {readings.well_over_cap:g} "
              f"times it (\"well over\"); the gold-to-drugs multiple uniform between "
              f"{readings.almost_floor:g} times the stated multiple and the multiple itself "
              f"(\"almost\"); the total uniform over its stated range."),
        branch="mc_readings", sources=(ARTICLE_SOURCE,))
    return r


def _year_ranges(years: list[int]) -> str:
    """[2011, 2012, 2013, 2015] -> '2011-2013 and 2015'."""
    spans, start, prev = [], None, None
    for y in sorted(years):
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            spans.append((start, prev))
            start = prev = y
    if start is not None:
        spans.append((start, prev))
    return _join([f"{a}-{b}" if a != b else str(a) for a, b in spans])


# --- appendix: the article's claims checked ------------------------------------------------------

NO_DATA = "no independent data"


def _claim_evidence(claims: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Independent evidence and a verdict for each claim the public data can speak to.

    Claims not listed get "no independent data". Verdict words: consistent, partly,
    not supported, no independent data.
    """
    out: dict[str, tuple[str, str]] = {}
    countries = load("countries")
    coca = load("coca_cultivation")
    largest = producers.years_peru_largest(coca)
    latest = producers.latest_year(coca)
    lead = country_name(countries, producers.leader(coca, latest))
    out["peru_largest_producer"] = (
        f"Largest coca grower (area, a proxy for cocaine) in {_year_ranges(largest) or 'no year'}; "
        f"{lead} leads in {latest}. No public production series.",
        "partly" if largest else "not supported")
    population, homicide = load("population"), load("homicide")
    rates = violence.claimed_rates(claims, population)
    year = rates["interior"].year
    cj = violence.rates(homicide, [PERU], "criminal_justice")
    cj = cj.loc[cj["year"] == year].dropna(subset=["count"])
    police_claim = claim(claims, "homicides_national_police").value
    if not cj.empty:
        published = float(cj["count"].iloc[0])
        close = abs(published - police_claim) <= CLOSE_SHARE * published
        out["homicides_national_police"] = (
            f"UNODC police count for {year}: {_cell(published, 'count')} homicides "
            f"({_cell(cj['rate_per_100k'].iloc[0], '', 1)} per 100,000); the claim is "
            f"{rates['police']}.", "consistent" if close else "partly")
        out["homicides_interior_ministry"] = (
            f"No published series near it; as a rate it is {rates['interior']}, "
            f"{_cell(rates['interior'].point / cj['rate_per_100k'].iloc[0], '', 1)} times the "
            f"UNODC police rate.", "not supported")
    users = mk.users_table(load("cocaine_use"), population)
    bra = users.loc[users["iso3"] == "BRA"]
    if not bra.empty:
        rank = int(bra["rank"].iloc[0])
        out["brazil_market_rank"] = (
            f"Rough users (prevalence x population): Brazil {_cell(rank, 'rank')} of "
            f"{len(users)} countries of the Americas and Spain with surveys; no global ranking "
            f"in the data.", "consistent" if rank <= 2 else "not supported")
    a_year = int(article_year(load("sources")).point)
    peru_years = sorted(producers.headline(coca).query("iso3 == @PERU")["year"])
    coca_year = _latest_at_or_before(peru_years, a_year)
    if coca_year is not None:
        out["cocaine_production_tons"] = (
            f"No public production series; the proxy, coca area, was "
            f"{producers.area(coca, PERU, coca_year)} in {coca_year}.", NO_DATA)
    series = mk.seizure_series(load("cocaine_seizures"), countries)
    try:
        bra, usa = mk.seizure_growth(series, "Brazil"), mk.seizure_growth(series, "United States")
        out["us_share_pct"] = (
            f"No public series of flows by destination. Seizure trends bear on the direction only: "
            f"Brazil {bra}, the United States {usa}.", NO_DATA)
    except (KeyError, ValueError):
        pass
    ce_fit = ce.share_consistent(ce.simulate(claims), claims)
    for cid in ("gold_vs_drugs_multiple", "organized_crime_total_usd"):
        out[cid] = (f"No public series. Internal check: the stated parts fit the stated total "
                    f"in {ce_fit} of simulated readings.", NO_DATA)
    return out


def claims_table() -> pd.DataFrame:
    """One row per article claim: paragraph, quote, value as worded, evidence, verdict."""
    claims = load("article_claims")
    evidence = _claim_evidence(claims)
    rows = []
    for _, row in claims.iterrows():
        cid = row["claim_id"]
        text, verdict = evidence.get(cid, ("Nothing public could be found to check it.", NO_DATA))
        c = claim(claims, cid)
        value = claim_estimate(claims, cid)
        unit = {"multiple": "times", "persons": "people", "agreements": "count"}.get(c.unit)
        if unit:
            value = value.with_(unit=unit)
        if c.wording in ("exact", "just", "estimated", "single largest"):
            value = value.with_(hedge=None)
        rows.append({"Paragraph": str(int(row["paragraph"])), "Quote": row["quote"],
                     "The article's value": str(value), "Independent evidence": text,
                     "Verdict": verdict})
    return pd.DataFrame(rows)


def claims_checked() -> Bundle:
    """Appendix B: every claim of the article against the data."""
    table = claims_table()
    r = Bundle()
    r.claims_table = Table(table)
    r.n_claims = _count(len(table), (ARTICLE_SOURCE,))
    r.n_no_data = _count(int((table["Verdict"] == NO_DATA).sum()), (ARTICLE_SOURCE,))
    claims = load("article_claims")
    r.encoding_note = Branch(
        text=("Each hedge bounds the value the way the claims table's encoding column states: "
              + "; ".join(sorted({f'"{w}"' for w in claims["wording"].dropna()
                                  if w not in ("exact",)})) + " are kept as hedges on the "
              "number, never dropped to a bare point."),
        branch="encoding_note", sources=(ARTICLE_SOURCE,))
    return r


# --- appendix: how to cite, reproducibility ----------------------------------------------------------

EXAMPLE_CLAIM_ID = "peru-homicide-rate-latest"  # the ledger id of the example number
EXAMPLE_FIGURE_ID = "fig-coca-area"  # the example figure (chapter 1)


def citation() -> Bundle:
    """Appendix C: how to cite the report, a figure and a number, generated from CITATION.cff
    and the render's edition; the examples are a real figure and a real ledger entry."""
    from analysis import citation as cite

    cff, edition = cite.load_citation(), cite.edition_from_env()
    example = replace(paradox().peru_rate_latest, id=EXAMPLE_CLAIM_ID)
    r = Bundle()
    r.how_to_cite = Markdown(cite.how_to_cite_markdown(
        cff, edition, figure=(EXAMPLE_FIGURE_ID, figure_caption(EXAMPLE_FIGURE_ID)),
        claim=(EXAMPLE_CLAIM_ID, str(example)), level=2))
    return r


def changes() -> Bundle:
    """'What changed in this edition': the render command's diff against an earlier ledger
    (`paradox render --since OLD`), or None when no earlier edition was given."""
    from analysis import citation as cite

    text = cite.changes_from_env()
    r = Bundle()
    r.what_changed = Markdown("## What changed in this edition\n\n" + text) if text else None
    return r


class Markdown(str):
    """Markdown the chapter shows as it is (Jupyter's text/markdown output)."""

    def _repr_markdown_(self) -> str:
        return str(self)


CITATION_GROUP = re.compile(r"\s*\[[^\[\]]*@[^\[\]]*\]")  # " [@a; @b]" in a caption


def figure_caption(fig_id: str) -> str:
    """The caption a chapter gives figure `fig_id` (the `fig-cap` of the cell so labelled),
    read from the chapter sources so an example citation quotes the caption as printed;
    Markdown citations ("[@key]") are dropped, the source line's words stay."""
    import yaml

    for path in [REPO / "index.qmd", *sorted((REPO / "chapters").glob("*.qmd"))]:
        options: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#|"):
                options.append(line[2:].removeprefix(" "))
                continue
            if options:
                cell = yaml.safe_load("\n".join(options)) or {}
                if cell.get("label") == fig_id:
                    return CITATION_GROUP.sub("", str(cell.get("fig-cap", "")))
                options = []
    raise KeyError(f"no chapter has a figure labelled {fig_id}")


def _git_commit() -> tuple[str, bool | None]:
    """(commit, dirty) this edition was rendered from: the render's edition stamp, else git.

    dirty is None when it cannot be known (no git, or the stamp does not say).
    """
    from analysis import citation as cite

    edition = cite.edition_from_env() or {}
    if edition.get("commit"):
        return str(edition["commit"]), None
    repo = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                 "--untracked-files=no"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)", None
    return out, bool(status)


PACKAGES = ("pandas", "numpy", "statsmodels", "altair", "vl-convert-python", "frictionless",
            "nbclient", "ipykernel", "pypandoc-binary", "typst", "pyyaml")


def vintage_table(folder: Path | None = None) -> pd.DataFrame:
    """Years each curated table covers in the data folder rendered from."""
    folder = Path(folder) if folder is not None else data_dir()
    rows = []
    for res in _descriptor(folder)["resources"]:
        frame = load(res["name"], folder)
        if res["name"] in ("sources", "article_claims") or "year" not in frame.columns \
                or frame["year"].isna().all():
            continue  # publication years and the claims' reference year are not data years
        rows.append({"Table": res["name"], "First year": str(int(frame["year"].min())),
                     "Latest year": str(int(frame["year"].max())),
                     "Rows": _cell(len(frame), "count")})
    return pd.DataFrame(rows)


def reproducibility() -> Bundle:
    """Appendix D: commit, Python, packages, data vintage."""
    r = Bundle()
    commit, dirty = _git_commit()
    r.commit = Branch(text=commit, branch="commit")
    r.python_version = Branch(text=platform.python_version(), branch="python")
    r.dirty_sentence = _branch([
        (dirty is True, "This edition was rendered from a working copy with uncommitted changes, "
                        "so it may not be reproducible from the commit alone.", "dirty"),
        (dirty is False, "The working copy matched the commit when this edition was rendered.",
         "clean"),
        (True, "Whether the working copy matched the commit was not recorded.", "unknown"),
    ])
    r.vintage_table = Table(vintage_table())
    rows = []
    for name in PACKAGES:
        try:
            rows.append({"Package": name, "Version": metadata.version(name)})
        except metadata.PackageNotFoundError:
            rows.append({"Package": name, "Version": "not installed"})
    r.packages_table = Table(pd.DataFrame(rows))
    return r


# --- the report in one page ----------------------------------------------------------------------

def summary() -> Bundle:
    """index.qmd: the paradox, six numbers, the two verdicts (values from the chapter bundles)."""
    p, m, e = paradox(), markets(), criminal_economy()
    c, x = counting(), explanations()
    r = Bundle()
    r.article_year = p.article_year
    r.producer_sentence = _branch([
        (p.leader_article_year_sentence.branch == "peru_leads" and p.claim_status_sentence.branch == "claim_lapsed",
         "Peru was the largest grower of coca when the article was written, but it no longer is.",
         "was_largest_no_longer"),
        (p.leader_article_year_sentence.branch == "peru_leads",
         "Peru was the largest grower of coca when the article was written, and still is.", "still_largest"),
        (True, "Peru was not the largest grower of coca even when the article was written.", "never_largest"),
    ], p.peru_area_latest.sources)
    r.safety_sentence = p.safety_summary
    r.peru_area_latest = p.peru_area_latest
    r.colombia_area_latest = p.colombia_area_latest
    r.latest_coca_year = p.latest_year
    # The first time this number appears in the book; its fixed ledger id is the example of
    # "how to cite a number" in the How to cite appendix.
    r.peru_rate_latest = replace(p.peru_rate_latest, id=EXAMPLE_CLAIM_ID)
    r.sa_median_latest = p.sa_median_latest
    r.ministry_count, r.police_count = c.ministry_count, c.police_count
    r.ministry_rate, r.police_rate = c.ministry_rate, c.police_rate
    r.break_even_count = x.break_even_count
    r.total_stated = e.total_stated
    r.residual_interval = e.residual_interval
    r.us_bound_volume = m.us_bound_volume
    r.misreading_verdict, r.complicity_verdict = x.misreading_verdict, x.complicity_verdict
    return r


BUNDLES = {"index.qmd": summary, "01-paradox": paradox, "02-markets": markets,
           "03-criminal-economy": criminal_economy, "04-counting-the-dead": counting,
           "05-explanations": explanations, "06-outlook": outlook, "a1-data-methods": data_methods,
           "a2-claims": claims_checked, "a3-cite": citation, "a4-reproducibility": reproducibility}


# --- Quarto compatibility ----------------------------------------------------------------------------

def _inline_markdown(value) -> str:
    """An inline value as Markdown: its formatted text with Markdown punctuation escaped."""
    return _md_escape(str(value))


def register_markdown_formatters(shell=None) -> bool:
    """Make Estimates and Branches display as their formatted text in a Jupyter kernel.

    Why: Quarto (>= 1.4) evaluates `` `{python} r.x` `` through the kernel's display formatter
    and uses the text/markdown representation when there is one; without it a reader using
    `quarto render` would see the dataclass repr. The project's renderer inserts `str(value)`
    itself, so this changes nothing there. Returns True if a shell was found.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
            return False
        shell = get_ipython()
    if shell is None:
        return False
    markdown = shell.display_formatter.formatters["text/markdown"]
    for cls in (Estimate, Branch):
        markdown.for_type(cls, _inline_markdown)
    return True


register_markdown_formatters()
