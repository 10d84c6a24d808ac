"""Chapter 4, chapters/04-counting-the-dead.qmd: the ministry's and the police's counts
against every published series.

`bundle()` holds the chapter's named values and its table of counts; the figures are
`peru_homicide_by_source` and `homicide_source_gap`. Rates, ranks, the largest jump of the
police count and the source gaps come from analysis/violence.py.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis import violence
from analysis.claims import claim, claim_estimate
from analysis.data import load
from analysis.estimate import Branch, Estimate, choose, year_span
from analysis.report import theme
from analysis.report.markdown import Table, cell
from analysis.report.values import (ARTICLE_SOURCE, PERU, Bundle, as_count, as_year, branch,
                                    country_name, country_names, join, missing, or_missing, year_named)


SERIES_LABEL = {
    "criminal_justice": "UNODC Global Study on Homicide, police figures",
    "public_health": "UNODC Global Study on Homicide, public-health figures",
    "wdi_series": "World Bank / UNODC series (current vintage)",
    "modelled_all_violence": "IHME, modelled deaths from all violence",
}


def _count_claim(claims: pd.DataFrame, claim_id: str) -> Estimate:
    """An article homicide count as a plain number of homicides (its 'exact'/'just' dropped)."""
    return claim_estimate(claims, claim_id).with_(hedge=None)


COMPARED_WITH = {
    "criminal_justice": "neighbours in the same study (police figures, public health where "
                        "that is all it has)",
    "wdi_series": "neighbours in the same series",
    "modelled_all_violence": "neighbours in the same series",
}


def _series_ranks(homicide, countries, year: int, series: str) -> pd.DataFrame:
    """South American ranks in one series and year, indexed by iso3. The Global Study's
    police series is ranked with `violence.gsh_ranks`, so that a neighbour the study covers
    only from death registrations (Suriname) is counted too."""
    if series == "criminal_justice":
        return violence.gsh_ranks(homicide, countries, year).set_index("iso3")
    return violence.south_america_ranks(homicide, countries, year, series).set_index("iso3")


def _counts_display(homicide, population, countries, claims) -> pd.DataFrame:
    """Every count of Peru's homicides as a rate and a South American rank (tbl-counts)."""
    claimed = violence.claimed_rates(claims, population)
    year = claimed["interior"].year
    scen = violence.peru_rank_scenarios(homicide, population, countries, claims, ("wdi_series",))
    scen = scen.set_index("peru_figure")
    rows = []
    for key, label, cid in (("interior", "Ministry of the Interior (the article)", "homicides_interior_ministry"),
                            ("police", "National Police (the article)", "homicides_national_police")):
        rows.append({"Source": label, "Homicides": cell(claim(claims, cid).value, "count"),
                     "Rate per 100,000": cell(claimed[key].point, "", 1),
                     "Rank in South America": cell(scen.loc[key, "rank"], "rank"),
                     "Neighbours with data": cell(scen.loc[key, "n"] - 1, "count"),
                     "Rate is": "the article's count over World Bank population",
                     "Compared with": "neighbours' World Bank rates"})
    for s in ("criminal_justice", "wdi_series", "modelled_all_violence"):
        t = _series_ranks(homicide, countries, year, s)
        if PERU not in t.index:
            continue
        row = violence.rates(homicide, [PERU], s)
        row = row.loc[row["year"] == year].iloc[0]
        rows.append({"Source": SERIES_LABEL[s], "Homicides": cell(row["count"], "count"),
                     "Rate per 100,000": cell(row["rate_per_100k"], "", 1),
                     "Rank in South America": cell(t.loc[PERU, "rank"], "rank"),
                     "Neighbours with data": cell(t.loc[PERU, "n_neighbours"], "count"),
                     "Rate is": "as published",
                     "Compared with": COMPARED_WITH[s]})
    return pd.DataFrame(rows)


def _gap_sentence(homicide, countries, gap: dict, split: int, r: Bundle):
    """Peru's police-to-model ratio before and since the break in its police count
    (violence.gap_by_period): a mean over all years straddles the break and describes neither
    period. Sets r.gap_split_year, r.peru_gap_before and r.peru_gap_since; returns the sentence."""
    peers = gap["peers_median"]
    lo, hi = (peers.low or 0), (peers.high or float("inf"))
    r.gap_split_year = as_year(split, ("unodc_gsh2013",))
    try:
        g = violence.gap_by_period(homicide, countries, split)
    except KeyError:
        r.peru_gap_before = r.peru_gap_since = missing("a ratio", "gap_period")
        return branch([(True, "The series do not cover years on both sides of the break in "
                              "Peru's police count, so the comparison cannot be split at it.",
                        "no_split")], gap["peru"].sources)
    r.peru_gap_before, r.peru_gap_since = g["before"], g["since"]
    b, a = g["before"].point, g["since"].point
    return branch([
        (lo <= b <= hi and a > hi,
         f"Before the break the two series agreed about as well as the neighbours' do; since "
         f"it the police count has sat further above the model than any neighbour's. Either "
         f"the police series "
         f"widened its definition in {split} or the model undercounts Peru's violent deaths "
         f"from then on; the data cannot say which, and deaths that reach neither source are "
         f"missing from both.", "agree_before_break_apart_since"),
        (a < lo, "Since the break Peru's police count sits further below the modelled deaths "
                 "than any neighbour's, which is what an undercount by the police would look "
                 "like.", "police_below_peers"),
        (a > hi, "On both sides of the break Peru's police count sits above the modelled deaths "
                 "by more than the neighbours' does; either the police count more widely or the "
                 "model undercounts, and the data cannot say which.", "police_above_peers"),
        (True, "On both sides of the break Peru's sources disagree about as much as its "
               "neighbours' do, which says nothing either way about deaths that neither source "
               "records.", "police_like_peers"),
    ], gap["peru"].sources, "violence.gap_by_period against the neighbours' range of means "
                            "(violence.peru_gap_vs_peers)")


PUBLISHED = ("criminal_justice", "wdi_series", "modelled_all_violence")
ON_SERIES = 0.10  # a claimed rate within 10% of the police series' rate "sits on" it
FAR_ABOVE = 2.0  # at least twice the highest published rate: "far above"


def _sources_finding(homicide: pd.DataFrame, claimed: dict, year: int, sources) -> Branch:
    """The finding that opens the caption of the homicide-sources figure, chosen by the data:
    the ministry's implied rate against every published series in the claims' year, the
    police count's against the police series."""
    rates = {}
    for s in PUBLISHED:
        t = violence.rates(homicide, [PERU], s)
        v = t.loc[t["year"] == year, "rate_per_100k"].dropna()
        if len(v):
            rates[s] = float(v.iloc[0])
    if not rates:
        return missing(f"a published series for {year}", "sources_finding", sources)
    ministry, police, top = claimed["interior"].point, claimed["police"].point, max(rates.values())
    where = ("far above every published or modelled series" if ministry >= FAR_ABOVE * top else
             "above every published or modelled series" if ministry > top else
             "within the published and modelled series")
    cj = rates.get("criminal_justice")
    on = cj is not None and abs(police - cj) <= ON_SERIES * cj
    tail = ("while the police count sits on the police series" if on else
            "while the police count does not match the police series" if cj is not None else
            "and the police series has no figure for that year")
    return Branch(f"The ministry's count in the article implies a homicide rate {where}, {tail}.",
                  f"ministry_{where.split(' every')[0].replace(' ', '_')}:police_{'on' if on else 'off'}",
                  sources=tuple(sources),
                  method=f"violence.rates in {year}; 'far above' at {FAR_ABOVE:g} times the highest "
                         f"published rate, 'sits on' within {ON_SERIES:.0%} of the police series")


def bundle() -> Bundle:
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
    r.count_year = as_year(year, (ARTICLE_SOURCE,))
    # "Divided by Peru's population in 2012, ... a rate of 33.8 per 100,000": the sentence names the year
    r.ministry_rate, r.police_rate = (year_named(claimed[k], year) for k in ("interior", "police"))
    r.ministry_rank = Estimate(int(scen.loc["interior", "rank"]), unit="rank", year=year, sources=wdi_src)
    r.police_rank = Estimate(int(scen.loc["police", "rank"]), unit="rank", year=year, sources=wdi_src)
    r.sa_count = as_count(n, wdi_src)
    r.ministry_rank_sentence = choose(
        bool(scen.loc["interior", "rank"] > (n + 1) / 2),
        f"On the ministry's figure, taken as the count for {year} (the article says only "
        f"\"each year\", so the year is this report's assumption), Peru would be in the more "
        f"violent half of the continent, and the paradox would largely disappear.",
        f"Even on the ministry's figure, taken as the count for {year} (the article says only "
        f"\"each year\", so the year is this report's assumption), Peru would stay in the safer "
        f"half of the continent.",
        labels=("ministry_violent_half", "ministry_safer_half"), sources=wdi_src)
    r.counts_table = Table(_counts_display(homicide, population, countries, claims))
    r.sources_finding = _sources_finding(homicide, claimed, year, wdi_src)

    jump = violence.largest_count_jump(homicide)
    r.gsh_jump_before = Estimate(jump["before"], unit="homicides", sources=("unodc_gsh2013",))
    r.gsh_jump_after = Estimate(jump["after"], unit="homicides", sources=("unodc_gsh2013",))
    r.gsh_jump_year_before = as_year(jump["year"] - 1, ("unodc_gsh2013",))
    r.gsh_jump_year_after = as_year(jump["year"], ("unodc_gsh2013",))
    r.gsh_jump_ratio = Estimate(jump["ratio"], unit="times", digits=1, sources=("unodc_gsh2013",),
                                method="Largest year-on-year ratio of Peru's police count (violence.largest_count_jump).")
    wdi_years = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])["year"]
    r.wdi_first_year = as_year(int(wdi_years.min()), ("wdi_homicide",))
    r.wdi_rate_count_year = or_missing(lambda: violence.rate(homicide, PERU, year, "wdi_series"),
                                 "the World Bank rate", "wdi_rate_count_year")
    r.ihme_rate_count_year = or_missing(lambda: violence.rate(homicide, PERU, year, "modelled_all_violence"),
                                  "the IHME rate", "ihme_rate_count_year")
    ihme, wdi = r.ihme_rate_count_year, r.wdi_rate_count_year
    r.ihme_sentence = choose(
        isinstance(ihme, Estimate) and isinstance(wdi, Estimate) and bool(ihme.point < wdi.point),
        "The broader measure gives the lower number, so at least one of the two is wrong for "
        "Peru.",
        "The broader measure gives the higher number, as it should.",
        labels=("ihme_below_wdi", "ihme_not_below_wdi"), sources=("ihme_gbd2016", "wdi_homicide"))

    ph = violence.rates(homicide, violence.south_america(countries), "public_health")
    ph = ph.dropna(subset=["rate_per_100k"])
    ph_names = [country_name(countries, i) for i in sorted(set(ph["iso3"]))]
    r.public_health_sentence = branch([
        (PERU in set(ph["iso3"]), "UNODC's public-health series, built from death registrations, "
                                  "does cover Peru, and is shown with the others.", "peru_has_public_health"),
        (bool(ph_names), f"The Global Study sheet used here gives one source per country, chosen "
                         f"by UNODC, and reports Peru only from police sources (in South America "
                         f"it gives a public-health figure only for {join(ph_names)}); no "
                         f"public-health figure for Peru is in this report's data.",
         "peru_no_public_health"),
        (True, "The Global Study sheet used here reports Peru and its neighbours only from "
               "police sources; no public-health figure for Peru is in this report's data.",
         "no_public_health"),
    ], ("unodc_gsh2013",))

    gap = violence.peru_gap_vs_peers(homicide, countries)
    r.peru_gap, r.peer_gap = gap["peru"], gap["peers_median"]
    lo, hi = (gap["peers_median"].low or 0), (gap["peers_median"].high or float("inf"))
    mean = gap["peru"].point
    gap_table = violence.source_gap_table(homicide, countries)
    r.gap_neighbours = as_count(int((gap_table["iso3"] != PERU).sum()), gap["peru"].sources,
                                "Neighbours (Peru excluded) with police and modelled series.")
    others = f"any of the {r.gap_neighbours} other South American countries with both series"
    r.source_gap_finding = branch([
        (mean > hi, "Averaged over years that straddle the break in Peru's police count, Peru's police "
                    f"record more homicides, relative to the modelled deaths from violence, than the "
                    f"police of {others}.", "above_every_neighbour"),
        (mean < lo, "Averaged over years that straddle the break in Peru's police count, Peru's police "
                    f"record fewer homicides, relative to the modelled deaths from violence, than the "
                    f"police of {others}.", "below_every_neighbour"),
        (True, "Averaged over years that straddle the break in Peru's police count, Peru's police "
               "record about as many homicides, relative to the modelled deaths from violence, as the "
               "police of other South American countries.", "within_neighbours"),
    ], gap["peru"].sources, "violence.peru_gap_vs_peers: Peru's mean ratio against the neighbours' range")
    r.peru_gap_rank = gap["peru_rank"]
    r.gap_sentence = _gap_sentence(homicide, countries, gap, jump["year"], r)

    published = []
    for s in ("criminal_justice", "wdi_series", "modelled_all_violence"):
        t = _series_ranks(homicide, countries, year, s)
        if PERU in t.index:
            published.append(t.loc[PERU, "rank"] <= (t.loc[PERU, "n"] + 1) / 2)
    r.series_rank_sentence = branch([
        (all(published) and scen.loc["interior", "rank"] > (n + 1) / 2,
         "Ranked against its neighbours, the yardstick of this chapter, every published series "
         "puts Peru in the safer half of South America; only the ministry's unpublished figure "
         "would move it into the more violent half.",
         "published_safer_ministry_violent"),
        (all(published), "Ranked against its neighbours, the yardstick of this chapter, every "
                         "published series, and even the ministry's figure, puts Peru in the "
                         "safer half of South America.", "all_safer"),
        (True, "The published series themselves disagree about where Peru stands in South "
               "America.", "published_disagree"),
    ], ("unodc_gsh2013", "wdi_homicide", "ihme_gbd2016", ARTICLE_SOURCE))
    return r



SERIES_STYLE_KEY = {"criminal_justice": "PER", "wdi_series": "COL", "modelled_all_violence": "BOL",
                    "public_health": "BRA"}
SERIES_SHORT = {"criminal_justice": "UNODC police series", "wdi_series": "World Bank series",
                "modelled_all_violence": "IHME model, all violence",
                "public_health": "UNODC public-health series"}


def peru_homicide_by_source() -> alt.LayerChart:
    """Peru's homicide rate by source and year, with the article's two counts as rates."""
    homicide, population, claims = load("homicide"), load("population"), load("article_claims")
    h = violence.rates(homicide, [PERU]).dropna(subset=["rate_per_100k"])
    h = h.assign(series=h["source_type"].map(SERIES_SHORT))
    types = [t for t in SERIES_SHORT if t in set(h["source_type"])]
    order = [SERIES_SHORT[t] for t in types]
    sc = theme.scales(order, [SERIES_STYLE_KEY[t] for t in types])
    x, y = theme.year_axis(), alt.Y("rate_per_100k:Q", title="Homicides per 100,000 people")
    colour = alt.Color("series:N", scale=sc["color"], sort=order, title=None)
    lines = alt.Chart(h).mark_line().encode(
        x=x, y=y, color=colour,
        strokeDash=alt.StrokeDash("series:N", scale=sc["strokeDash"], sort=order, title=None))
    points = theme.without_missing_tooltips(alt.Chart(h).mark_point().encode(
        x=x, y=y, color=colour, shape=alt.Shape("series:N", scale=sc["shape"], sort=order, title=None)), h,
        [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year"),
         alt.Tooltip("rate_per_100k:Q", title="Per 100,000", format=".1f"),
         alt.Tooltip("count:Q", title="Count", format=","),
         alt.Tooltip("source_org:N", title="Organisation")])
    claimed = violence.claimed_rates(claims, population)
    c = pd.DataFrame([
        {"figure": "Ministry of the Interior (article)", "year": e.year, "rate": e.point, "text": str(e)}
        for e in [claimed["interior"]]] + [
        {"figure": "National Police (article)", "year": e.year, "rate": e.point, "text": str(e)}
        for e in [claimed["police"]]])
    marks = alt.Chart(c).mark_point(shape="diamond", size=160, filled=True, color=theme.OKABE_ITO["black"]).encode(
        x="year:Q", y="rate:Q",
        tooltip=[alt.Tooltip("figure:N", title="Figure"), alt.Tooltip("text:N", title="Rate")])
    labels = alt.Chart(c).mark_text(align="left", dx=9, color=theme.TEXT).encode(
        x="year:Q", y="rate:Q", text="figure:N")
    chart = alt.layer(lines, points, marks, labels).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="UNODC Global Study on Homicide 2013; World Bank WDI; IHME GBD "
                                     "2016; the article’s counts divided by World Bank population",
                       sources=sorted(set(h["source_id"])) + ["muggah_mcdermott_2013", "wdi_population"],
                       figure="peru_homicide_by_source")


def homicide_source_gap() -> alt.LayerChart:
    """Police rate / modelled rate per South American country (mean over common years)."""
    homicide, countries = load("homicide"), load("countries")
    names = country_names(countries)
    t = violence.source_gap_table(homicide, countries)
    t = t.assign(country=t["iso3"].map(names),
                 group=np.where(t["iso3"] == PERU, "Peru", "Other South American countries"),
                 years=[year_span(int(a), int(b)) for a, b in zip(t["first_year"], t["last_year"])])
    order = t.sort_values("mean_ratio", kind="stable")["country"].tolist()
    y = alt.Y("country:N", sort=order, title=None)
    bars = alt.Chart(t).mark_bar(stroke="black", strokeWidth=0.4).encode(
        y=y, x=alt.X("mean_ratio:Q", title="Police rate divided by modelled rate (mean over years)"),
        color=theme.highlight_color("group", "Peru", "Other South American countries"),
        tooltip=[alt.Tooltip("country:N", title="Country"),
                 alt.Tooltip("mean_ratio:Q", title="Mean ratio", format=".2f"),
                 alt.Tooltip("ratio_last:Q", title="Ratio, last common year", format=".2f"),
                 alt.Tooltip("years:N", title="Years"), alt.Tooltip("n_years:Q", title="Years compared")],
    )
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color=theme.TEXT).encode(x="x:Q")
    chart = alt.layer(bars, one).properties(width=theme.WIDTH, height=22 * len(order))
    return theme.apply(chart, source="UNODC Global Study on Homicide 2013 (police figures) and IHME "
                                     "GBD 2016 (modelled deaths from all violence)",
                       sources=["unodc_gsh2013", "ihme_gbd2016"], figure="homicide_source_gap")


FIGURES = (peru_homicide_by_source, homicide_source_gap)  # the figures of this chapter, in the order it shows them
