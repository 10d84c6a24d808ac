"""Appendix B, chapters/a2-claims.qmd: every claim of the article against the public data.

`bundle()` holds the claims table (paragraph, quote, value as worded, independent evidence,
verdict) and its counts. The evidence comes from the argument modules (analysis/producers.py,
violence.py, markets.py, criminal_economy.py); the verdict words are this module's reading.
"""

from __future__ import annotations

import pandas as pd

from analysis import criminal_economy as ce
from analysis import markets as mk
from analysis import producers, violence
from analysis.claims import claim, claim_estimate
from analysis.data import load
from analysis.estimate import Branch
from analysis.report import explanations
from analysis.report.markdown import Table, cell
from analysis.report.values import (ARTICLE_SOURCE, PERU, Bundle, article_year, as_count,
                                    country_name, latest_at_or_before, year_named, year_ranges)

CLOSE_SHARE = 0.10  # a claimed count within 10% of a published one is "consistent" with it


NO_DATA = "no independent data"
IRRECONCILABLE = "no independent data; irreconcilable with every published series"


def _ministry_evidence(rates: dict, police: dict) -> tuple[str, str]:
    """The ministry's 10,000 against every published count of the same year.

    No series reproduces it, so there is no independent evidence for it; when it is also
    further than CLOSE_SHARE above every published count, no published series can be
    reconciled with it (data-chosen, so a vintage with a series near it says so).
    """
    x = explanations.reading()
    published = {k: v for k, v in x.counts.items() if k in ("world_bank", "police_published")}
    claimed = x.counts.get("ministry_article", rates["interior"].point)
    far = bool(published) and all(claimed > v * (1 + CLOSE_SHARE) for v in published.values())
    shown = "; ".join(f"{name} {cell(v, 'count')}" for name, v in
                      (("World Bank count", published.get("world_bank")),
                       ("UNODC police count", published.get("police_published"))) if v is not None)
    text = (f"No series reproduces it. Published counts for {police['year']}: {shown}. As a rate "
            f"it is {rates['interior']}, {cell(police['interior_multiple'], '', 1)} times the "
            f"UNODC police rate as published.")
    return text, IRRECONCILABLE if far else NO_DATA


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
        f"Largest coca grower (area, a proxy for cocaine) in {year_ranges(largest) or 'no year'}; "
        f"{lead} leads in {latest}. No public production series.",
        "partly" if largest else "not supported")
    population, homicide = load("population"), load("homicide")
    rates = violence.claimed_rates(claims, population)
    police = violence.claims_vs_police_series(claims, population, homicide)
    if police is not None:
        out["homicides_national_police"] = (
            f"UNODC police count for {police['year']}: {cell(police['police_count'], 'count')} "
            f"homicides ({cell(police['police_rate'], '', 1)} per 100,000 as published); the claim is "
            f"{year_named(rates['police'], police['year'])}.",
            "consistent" if police["police_gap_share"] <= CLOSE_SHARE else "partly")
        out["homicides_interior_ministry"] = _ministry_evidence(rates, police)
    users = mk.users_table(load("cocaine_use"), population)
    bra = users.loc[users["iso3"] == "BRA"]
    if not bra.empty:
        rank = int(bra["rank"].iloc[0])
        out["brazil_market_rank"] = (
            f"Rough users (prevalence x population): Brazil {cell(rank, 'rank')} of "
            f"{len(users)} countries with surveys, but the surveys are of different years and "
            f"only the Americas and Spain are ranked; no global ranking in the data.",
            # At most "partly": a rank among surveyed countries of different years is not the
            # article's world ranking.
            "partly" if rank <= 2 else "not supported")
    a_year = int(article_year(load("sources")).point)
    peru_years = sorted(producers.headline(coca).query("iso3 == @PERU")["year"])
    coca_year = latest_at_or_before(peru_years, a_year)
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
    out.update(_tested_in_words(claims, homicide, countries, a_year))
    ce_fit = ce.share_consistent(ce.simulate(claims), claims)
    for cid in ("gold_vs_drugs_multiple", "organized_crime_total_usd"):
        out[cid] = (f"No public series. Under this report's assumed reading of the hedges, the "
                    f"stated parts fit the stated total in {ce_fit} of simulated readings (an "
                    f"assumption about the hedges, not a check of the article).", NO_DATA)
    return out


def _holds_word(every: bool, some: bool) -> str:
    """The appendix's verdict for an encoded claim checked in several years or readings:
    consistent if it holds in all, partly if in some and not others, else not supported."""
    return "consistent" if every else "partly" if some else "not supported"


def _safest_evidence(c, homicide: pd.DataFrame, countries: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """"One of the safest" (rank <= c.high) in every World Bank year from the claim's year,
    not the claim's year alone; UNODC's police series of the claim's year beside it."""
    rows = []
    for y in sorted(violence.rates(homicide, [PERU], "wdi_series").dropna(
            subset=["rate_per_100k"])["year"]):
        if y < c.year:
            continue
        ranks = violence.south_america_ranks(homicide, countries, int(y)).set_index("iso3")
        rows.append((int(y), int(ranks.loc[PERU, "rank"]), int(ranks.loc[PERU, "n"])))
    if not rows:
        return {}
    held = [y for y, rank, _ in rows if rank <= c.high]
    police = violence.south_america_ranks(homicide, countries, c.year, "criminal_justice").set_index("iso3")
    police_text = (f" ({cell(int(police.loc[PERU, 'rank']), 'rank')} of "
                   f"{int(police.loc[PERU, 'n'])} in UNODC's police series)" if PERU in police.index else "")
    first, last = rows[0], rows[-1]
    text = (f"World Bank rates: Peru {cell(first[1], 'rank')} safest of {first[2]} South American "
            f"countries in {first[0]}{police_text}, {cell(last[1], 'rank')} of {last[2]} in "
            f"{last[0]}; within the encoded ranks {cell(c.low, '', 0)}\u2013{cell(c.high, '', 0)} in "
            f"{len(held)} of {len(rows)} years ({year_ranges(held) or 'none'}) (chapter 1).")
    return {c.claim_id: (text, _holds_word(len(held) == len(rows), bool(held)))}


def _tested_in_words(claims: pd.DataFrame, homicide: pd.DataFrame, countries: pd.DataFrame,
                     a_year: int) -> dict[str, tuple[str, str]]:
    """The article's qualitative claims the book tests (chapters 1 and 6), against the bounds
    hand/article_claims.yaml reads into their words. A claim absent from the table is skipped."""
    out: dict[str, tuple[str, str]] = {}
    ids = set(claims["claim_id"])
    if "safest_in_south_america" in ids:
        c = claim(claims, "safest_in_south_america")
        out.update(_safest_evidence(c, homicide, countries))
    if "dangerous_escalation" in ids:
        c = claim(claims, "dangerous_escalation")
        change = violence.change_since(homicide, PERU, a_year)
        span = violence.change_range_since(homicide, PERU, a_year)
        if change["later_data"] and span is not None:
            # The encoded claim (a rise of at least c.low percent) checked at every end year:
            # "partly" is the appendix's "holds in some years and not others".
            every, some = span.low >= c.low, span.high >= c.low
            reach = ("every end year reaches" if every else "some end years reach"
                     if some else "no end year reaches")
            out[c.claim_id] = (
                f"World Bank rate {change['start']} to {change['end']}: "
                f"{cell(change['change_pct'], 'percent', 0)}; measured to each later year, "
                f"{span.with_(point=None)}: {reach} the +{cell(c.low, '', 0)}% this report reads "
                f"into \"dangerous escalation\" (the article gives no number). National "
                f"homicide is only a proxy for organised-crime violence (chapter 6).",
                _holds_word(every, some))
        else:
            out[c.claim_id] = ("The data end in the article's year.", NO_DATA)
    if "domestic_market_expanding" in ids:
        c = claim(claims, "domestic_market_expanding")
        surveys = load("cocaine_use").query("iso3 == @PERU").sort_values("year", kind="stable")
        comparable = surveys.groupby(["age_group", "method"]).filter(lambda g: len(g) >= 2)
        if comparable.empty:
            out[c.claim_id] = (
                f"{len(surveys)} surveys of Peru, no two with the same ages and method, so no "
                f"change can be read from them (chapter 6).", NO_DATA)
        else:
            first, last = comparable.iloc[0], comparable.iloc[-1]
            rose = last["prevalence_pct"] - first["prevalence_pct"] > c.low
            out[c.claim_id] = (f"Comparable surveys: {first['year']} to {last['year']}.",
                               "consistent" if rose else "not supported")
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


def bundle() -> Bundle:
    """Appendix B: every claim of the article against the data."""
    table = claims_table()
    r = Bundle()
    r.claims_table = Table(table)
    r.n_claims = as_count(len(table), (ARTICLE_SOURCE,))
    r.n_no_data = as_count(int(table["Verdict"].str.startswith(NO_DATA).sum()), (ARTICLE_SOURCE,))
    x = explanations.bundle()
    r.misreading_head, r.complicity_head = x.misreading_head, x.complicity_head
    r.outlier_share, r.n_specs, r.verdict_year = x.outlier_share, x.n_specs, x.peru_model_year
    r.interaction_share, r.n_complicity_specs = x.interaction_share, x.n_complicity_specs
    claims = load("article_claims")
    r.encoding_note = Branch(
        text=("Each hedge bounds the value the way the claims table's encoding column states: "
              + "; ".join(sorted({f'"{w}"' for w in claims["wording"].dropna()
                                  if w not in ("exact",)})) + " are kept as hedges on the "
              "number, never dropped to a bare point."),
        branch="encoding_note", sources=(ARTICLE_SOURCE,))
    return r
