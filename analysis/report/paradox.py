"""Chapter 1, chapters/01-paradox.qmd: the largest producer and one of the safest countries.

`bundle()` holds the chapter's named values and its table of growers; the two figures are
`coca_area_by_country` and `homicide_south_america`. The statistics come from
analysis/producers.py (coca) and analysis/violence.py (homicide rates and ranks).
"""

from __future__ import annotations

from typing import Iterable

import altair as alt
import numpy as np
import pandas as pd

from analysis import producers, violence
from analysis.data import load
from analysis.estimate import Branch, Estimate, choose, year_span
from analysis.report import theme
from analysis.report.markdown import Table, cell
from analysis.claims import claim_estimate
from analysis.report.values import (BOLIVIA, COLOMBIA, FOCUS, PERU, Bundle, article_year, as_count,
                                    as_year, branch, country_name, country_names, join,
                                    latest_at_or_before, missing, or_missing, year_list, year_named,
                                    year_ranges)


def _wdi_latest_peru_year(homicide: pd.DataFrame) -> int:
    """The latest year with a World Bank homicide rate for Peru."""
    peru = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])
    return int(peru["year"].max())


# Within this share of the South American median, a rate is "about the median" (8.6 against
# 8.8 in 2021 is 2% below it): ranks near the middle of twelve say little, so the words follow
# the rate's distance from the median, not which half the rank falls in.
ABOUT_MEDIAN = 0.10


def _near_median(rate: float, median: float) -> bool:
    """Is a rate within ABOUT_MEDIAN of the median (the middle of the continent)?

    A median of zero (a vintage where every neighbour reports none) is only "near" a rate of
    zero: the relative distance is undefined, and no rate above zero is about it.
    """
    if median == 0:
        return rate == 0
    return abs(rate - median) <= ABOUT_MEDIAN * abs(median)


def _rank_place(rank: int, n: int, sources: Iterable[str], label: str,
                subject: str = "Peru", near_median: bool = False) -> Branch:
    """Where a rank (1 = safest) puts Peru: safest third, about the median, safer half, or
    more violent half."""
    return branch([
        (rank <= n / 3, f"{subject} among the safest third of the continent.", f"{label}:safest_third"),
        (near_median, f"{subject} about at the South American median: neither among the safest "
                      f"countries of the continent nor among its most violent.",
         f"{label}:about_median"),
        (rank <= (n + 1) / 2, f"{subject} in the safer half of the continent, though not among "
                              f"the very safest.", f"{label}:safer_half"),
        (True, f"{subject} in the more violent half of the continent.", f"{label}:violent_half"),
    ], sources, f"Rank 1 = lowest homicide rate; thirds and halves of the countries with data; "
                f"within {ABOUT_MEDIAN:.0%} of the median = about the median.")


# How Table 1.1 names the measure behind Peru's area in each year (Colombia's is always net).
PERU_MEASURE = {"net_area_dec31": "net area", "satellite_interpreted": "satellite-interpreted"}


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
                row[f"{country_name(countries, iso3)} (ha)"] = cell(wide.loc[year, iso3], "count")
        if year in peru.index:
            row["Peru's measure"] = PERU_MEASURE[peru.loc[year, "measure"]]
            row["Peru's rank"] = cell(peru.loc[year, "rank"], "rank")
            row["Peru's share of the Andean total"] = cell(peru.loc[year, "share_pct"], "percent", 0)
        rows.append(row)
    return pd.DataFrame(rows)


# UNODC publishes a year's coca survey in the middle of the next year, and the article
# appeared early in its year: the latest survey its authors could have seen is two years older.
SURVEY_LAG = 2


def _margin_at(coca: pd.DataFrame, countries: pd.DataFrame, year: int, r: Bundle) -> None:
    """Peru's lead in `year` on each measure any edition publishes (producers.peru_margins):
    r.peru_sat_seen (satellite-interpreted, where published), r.peru_net_seen (the headline
    net area), r.other_seen (the largest other grower) and r.seen_margin_sentence."""
    m = producers.peru_margins(coca, year)
    net = m.loc[m["headline"]].iloc[0]
    net_sources = tuple(m.loc[m["peru_ha"] == net["peru_ha"], "source_id"])
    sat = m.loc[(m["measure"] == "satellite_interpreted") & (m["peru_ha"] != net["peru_ha"])]
    other = country_name(countries, str(net["other"]))
    ha = lambda v, src: Estimate(abs(float(v)), unit="hectares", sources=src)  # noqa: E731
    r.peru_net_seen = Estimate(net["peru_ha"], unit="hectares", year=year, sources=net_sources,
                               method="UNODC net area on 31 December (the headline measure).")
    relabelled = m.loc[(m["peru_ha"] == net["peru_ha"]) & (m["measure"] != net["measure"])]
    r.seen_labels_sentence = choose(
        not relabelled.empty,
        "The earlier edition prints that same figure but labels it as interpreted on satellite "
        "imagery, not as net area, and UNODC's own global total for that year used the "
        "satellite figure.",
        "Every edition that gives the net figure labels it the same way.",
        labels=("editions_label_differently", "editions_agree"),
        sources=tuple(dict.fromkeys(m["source_id"])), method="producers.peru_margins")
    r.other_seen = producers.area(coca, str(net["other"]), year)
    r.other_seen_name = Branch(other, f"other:{net['other']}", sources=r.other_seen.sources)
    net_lead = ha(net["margin_ha"], net_sources)
    if sat.empty:
        r.peru_sat_seen = missing("a satellite-interpreted area", "peru_sat_seen")
        r.seen_margin_sentence = choose(
            bool(net["margin_ha"] > 0),
            f"Only the net area is published for that year, and on it Peru led by {net_lead}.",
            f"Only the net area is published for that year, and on it {other} led by {net_lead}.",
            labels=("net_only_peru", "net_only_other"), sources=net_sources)
        return
    s = sat.iloc[0]
    sat_lead = ha(s["margin_ha"], (s["source_id"],))
    r.peru_sat_seen = Estimate(s["peru_ha"], unit="hectares", year=year, sources=(s["source_id"],),
                               method="UNODC area as interpreted on satellite imagery.")
    r.seen_margin_sentence = branch([
        (s["margin_ha"] > 0 and net["margin_ha"] <= 0,
         f"On the satellite figure Peru led by {sat_lead}; on the net area {other} led by "
         f"{net_lead}. Whether Peru or {other} led in the latest survey the authors could "
         f"have seen depends on which measure is read.", "seen_lead_hangs_on_measure"),
        (s["margin_ha"] > 0, f"On either measure Peru led, by {net_lead} on the net area.",
         "seen_peru_either"),
        (net["margin_ha"] <= 0, f"On either measure {other} led, by {net_lead} on the net area.",
         "seen_other_either"),
        (True, f"On the net area Peru led by {net_lead}; on the satellite figure {other} did. "
               f"Whether Peru or {other} led in the latest survey the authors could have seen "
               f"depends on which measure is read.", "seen_net_peru_only"),
    ], (*net_sources, s["source_id"]), "producers.peru_margins")


def _lead_sentence(coca: pd.DataFrame, countries: pd.DataFrame, year: int) -> Branch:
    """The size of the largest grower's lead in `year` (producers.lead_margin): a lead of a
    few percent is a different claim from "largest" said without qualification."""
    m = producers.lead_margin(coca, year)
    lead, runner = country_name(countries, m["leader"]), country_name(countries, m["runner_up"])
    return Branch(f"{lead}'s lead over {runner} was {m['margin_ha']}, {m['margin_pct']} of "
                  f"{runner}'s area.", f"lead:{m['leader']}", sources=m["margin_ha"].sources,
                  method="producers.lead_margin")


def lead_vs_measure_sentence(lead: dict, lead_year: int, coca: pd.DataFrame, seen: int) -> Branch:
    """The article-year lead (producers.lead_margin) against how far UNODC's two measures of
    Peru's area apart in the latest survey the authors could have seen
    (producers.peru_margins): a lead smaller than what the choice of measure alone moved is
    no firm ranking."""
    m = producers.peru_margins(coca, seen)
    net = m.loc[m["headline"]].iloc[0]
    sat = m.loc[(m["measure"] == "satellite_interpreted") & (m["peru_ha"] != net["peru_ha"])]
    sources = tuple(dict.fromkeys((*lead["margin_ha"].sources, *m["source_id"])))
    if sat.empty:
        return Branch("", "no_second_measure", sources)
    gap = Estimate(abs(float(sat.iloc[0]["peru_ha"] - net["peru_ha"])), unit="hectares",
                   sources=tuple(dict.fromkeys(m["source_id"])),
                   method=f"Peru {seen}: satellite-interpreted minus net area (producers.peru_margins)")
    small = lead["margin_ha"].point < gap.point
    return choose(
        bool(small),
        f"The lead of {lead_year}, {lead['margin_ha']}, is smaller than the {gap} by which "
        f"UNODC's two measures of Peru's own area differ for {seen}: a lead that size is within "
        f"what the choice of measure alone can move.",
        f"The lead of {lead_year}, {lead['margin_ha']}, is larger than the {gap} by which "
        f"UNODC's two measures of Peru's own area differ for {seen}.",
        labels=("lead_within_measure_gap", "lead_beyond_measure_gap"), sources=sources,
        method="producers.lead_margin against producers.peru_margins")


def _measure_note(coca: pd.DataFrame) -> Branch:
    """Which years Table 1.1 ranks Peru on its satellite-interpreted area against Colombia's
    net area: where no edition gives Peru's net area, the measures are not alike."""
    h = producers.headline(coca)
    sat = sorted(int(y) for y in h.loc[(h["iso3"] == PERU) &
                                       (h["measure"] == "satellite_interpreted"), "year"])
    both = producers.years_with_both_measures(coca)
    both = year_ranges(both) or "no year"
    return choose(
        bool(sat),
        f"For {both}, where an edition's label or a second measure differs, the report uses the "
        f"net area. For {year_ranges(sat)} only the "
        f"satellite-interpreted area is published for Peru, so in those years the ranking sets "
        f"Peru's satellite figure against Colombia's net area, and the table's column of Peru's "
        f"measure marks them.",
        f"For {both}, where an edition's label or a second measure differs, the report uses the "
        f"net area, so that in every year both countries are measured alike.",
        labels=("satellite_years_ranked", "net_throughout"), sources=tuple(sorted(set(h["source_id"]))),
        method="Years whose headline Peru row is satellite-interpreted.")


def _verdict(flip_years: list[int], latest_leader: str, rank: int, n: int,
             sources: tuple[str, ...]) -> Branch:
    """Does either half of the paradox survive unqualified? The coca half is qualified when
    the lead hangs on the measure in some year or has lapsed; the safety half when Peru is not
    among the safest third of the continent."""
    coca_q = bool(flip_years) or latest_leader != PERU
    safety_q = not rank <= n / 3
    return branch([
        (coca_q and safety_q, "Neither half of the paradox survives unqualified.", "neither_unqualified"),
        (coca_q, "The safety half of the paradox survives; the coca half needs qualifying.",
         "coca_qualified"),
        (safety_q, "The coca half of the paradox survives; the safety half needs qualifying.",
         "safety_qualified"),
        (True, "Both halves of the paradox survive a first check.", "both_survive"),
    ], sources, "Coca qualified: the leader depends on the measure in some year, or Peru no "
                "longer leads; safety qualified: Peru not in the safest third.")


NEAR_AREA = 0.10  # areas within 10% of each other: "about as much"
FAR_MORE = 2.0  # a leader with at least twice the runner-up's area grows "far more"


def _coca_area_finding(coca: pd.DataFrame, countries: pd.DataFrame, article: int, latest: int,
                       sources: Iterable[str]) -> Branch:
    """The finding that opens the caption of the coca-area figure, chosen by the data: Peru
    against Colombia in the article's year, then who leads in the latest year and by how much."""
    def area(iso3: str, year: int) -> float | None:
        try:
            return float(producers.area(coca, iso3, year).point)
        except (KeyError, IndexError, ValueError):
            return None

    peru, col = area(PERU, article), area(COLOMBIA, article)
    if peru is None or col is None:
        return missing("Peru's or Colombia's area in the article's year", "coca_area_finding", sources)
    if abs(peru - col) <= NEAR_AREA * max(peru, col):
        then, label = "Peru grew about as much coca as Colombia in the article's year", "about_equal"
    elif peru > col:
        then, label = "Peru grew more coca than Colombia in the article's year", "peru_led"
    else:
        then, label = "Colombia grew more coca than Peru in the article's year", "colombia_led"
    if latest == article:
        return Branch(then + ", the latest year in the data.", f"{label}:latest_is_article_year",
                      sources=tuple(sources))
    leader = producers.leader(coca, latest)
    lead_area = area(leader, latest)
    others = [a for iso3 in FOCUS if iso3 != leader and (a := area(iso3, latest)) is not None]
    far = bool(others) and lead_area >= FAR_MORE * max(others)
    name = country_name(countries, leader)
    now = (f"{name} now grows far more than any other country" if far else
           f"{name} now grows the most") if leader != PERU else (
           "Peru still grows far more than any other country" if far else "Peru still grows the most")
    return Branch(f"{then}; {now}.", f"{label}:{'far' if far else 'lead'}:{leader}", sources=tuple(sources),
                  method=f"Headline areas (producers.area, producers.leader); 'about as much' within "
                         f"{NEAR_AREA:.0%}, 'far more' at {FAR_MORE:g} times the next grower.")


def bundle() -> Bundle:
    """Chapter 1: Peru's rank as a coca grower by year; its homicide rate against South America."""
    sources, countries = load("sources"), load("countries")
    coca, homicide = load("coca_cultivation"), load("homicide")
    a_year = article_year(sources)
    coca_years = sorted(producers.headline(coca).query("iso3 == @PERU")["year"].unique())
    coca_article = latest_at_or_before(coca_years, a_year.point) or coca_years[0]
    latest = producers.latest_year(coca)
    largest = producers.years_peru_largest(coca)
    coca_sources = tuple(sorted(set(producers.headline(coca)["source_id"])))
    latest_leader = producers.leader(coca, latest)
    sens = producers.measure_sensitivity(coca)
    flips = sens.loc[sens["leader_headline"] != sens["leader_alternative"]]
    flip_years = sorted(int(y) for y in flips["year"].unique())

    r = Bundle()
    r.article_year = a_year
    r.coca_article_year = as_year(coca_article, coca_sources)
    r.leader_article_year_sentence = producers.leader_sentence(coca, countries, coca_article)
    r.lead_article_year_sentence = _lead_sentence(coca, countries, coca_article)
    r.article_output = claim_estimate(load("article_claims"), "cocaine_production_tons").with_(hedge=None)
    r.peru_area_article_year = producers.area(coca, PERU, coca_article)
    r.colombia_area_article_year = or_missing(lambda: producers.area(coca, COLOMBIA, coca_article),
                                        "Colombia's area", "colombia_area")
    r.bolivia_area_article_year = or_missing(lambda: producers.area(coca, BOLIVIA, coca_article),
                                       "Bolivia's area", "bolivia_area")
    r.peru_largest_years = year_list(largest, coca_sources, "peru_largest_years")
    r.peru_largest_count = as_count(len(largest), coca_sources)
    r.years_covered = as_count(len(coca_years), coca_sources)
    r.sensitivity_sentence = choose(
        bool(flip_years),
        f"The ranking depends on which of UNODC's measures of Peru's area is read in "
        f"{join([str(y) for y in flip_years])}.",
        "The ranking does not depend on which of UNODC's measures of Peru's area is used.",
        labels=("definition_matters", "definition_robust"), sources=coca_sources,
        method="producers.measure_sensitivity")
    seen = int(a_year.point) - SURVEY_LAG
    seen = latest_at_or_before(coca_years, seen) or coca_years[0]
    r.seen_year = as_year(seen, coca_sources, f"Article year minus {SURVEY_LAG}: UNODC publishes a "
                                              f"year's survey in the middle of the next.")
    _margin_at(coca, countries, seen, r)
    r.lead_vs_measure_sentence = lead_vs_measure_sentence(
        producers.lead_margin(coca, coca_article), coca_article, coca, seen)
    hangs = r.seen_margin_sentence.branch in ("seen_lead_hangs_on_measure", "seen_net_peru_only")
    r.seen_verdict_clause = Branch(
        ", and in the latest survey its authors could have seen the leader depends on the "
        "measure" if hangs else "", "seen_hangs" if hangs else "seen_clear",
        sources=r.seen_margin_sentence.sources)
    r.latest_year = as_year(latest, coca_sources)
    r.leader_latest_sentence = producers.leader_sentence(coca, countries, latest)
    r.peru_area_latest = producers.area(coca, PERU, latest)
    r.colombia_area_latest = or_missing(lambda: producers.area(coca, COLOMBIA, latest),
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
    r.coca_area_finding = _coca_area_finding(coca, countries, coca_article, latest, coca_sources)
    r.measure_note_sentence = _measure_note(coca)

    # Homicide: the World Bank series, Peru's latest year.
    h_year = _wdi_latest_peru_year(homicide)
    sa = violence.south_america_ranks(homicide, countries, h_year)
    peru_row = sa.set_index("iso3").loc[PERU]
    h_sources = tuple(sorted(set(sa["source_id"])))
    r.latest_homicide_year = as_year(h_year, h_sources)
    r.peru_rate_latest = violence.rate(homicide, PERU, h_year, "wdi_series")
    r.sa_median_latest = violence.south_america_median(homicide, countries, h_year)
    r.peru_rank_latest = Estimate(int(peru_row["rank"]), unit="rank", year=h_year, sources=h_sources,
                                  method="violence.south_america_ranks, 1 = lowest rate")
    r.sa_count_latest = as_count(int(peru_row["n"]), h_sources)
    near = _near_median(r.peru_rate_latest.point, r.sa_median_latest.point)
    r.safest_sentence = _rank_place(int(peru_row["rank"]), int(peru_row["n"]), h_sources,
                                    "wdi_latest", "Peru is", near)
    r.homicide_years_note = _homicide_years_note(homicide, countries, h_year, h_sources)
    r.safety_summary = _rank_place(int(peru_row["rank"]), int(peru_row["n"]), h_sources,
                                   "wdi_latest", f"In {h_year} its homicide rate put it", near)
    r.colombia_rate_latest = or_missing(lambda: violence.rate(homicide, COLOMBIA, h_year, "wdi_series"),
                                  "Colombia's rate", "colombia_rate_latest")
    r.mexico_rate_latest = or_missing(lambda: violence.rate(homicide, "MEX", h_year, "wdi_series"),
                                "Mexico's rate", "mexico_rate_latest")
    # The same rates for sentences that name the year ("In 2021 ... 8.6 per 100,000"): no "(2021)".
    r.peru_rate_latest_no_year = year_named(r.peru_rate_latest, h_year)
    r.sa_median_latest_no_year = year_named(r.sa_median_latest, h_year)
    r.colombia_rate_latest = year_named(r.colombia_rate_latest, h_year)
    r.mexico_rate_latest = year_named(r.mexico_rate_latest, h_year)
    wdi_years = violence.rates(homicide, [PERU], "wdi_series").dropna(subset=["rate_per_100k"])["year"]
    r.peru_wdi_first_year = as_year(int(wdi_years.min()), ("wdi_homicide",))

    # The figure that circulated when the article was written: the police series.
    cj_years = violence.rates(homicide, [PERU], "criminal_justice").dropna(subset=["rate_per_100k"])["year"]
    cj_year = latest_at_or_before(cj_years, a_year.point)
    cj = violence.gsh_ranks(homicide, countries, cj_year)
    cj_peru = cj.set_index("iso3").loc[PERU]
    r.peru_gsh_rate_article = violence.published_rate(homicide, PERU, cj_year, "criminal_justice")
    r.peru_rank_gsh_article = Estimate(int(cj_peru["rank"]), unit="rank", year=cj_year,
                                       sources=("unodc_gsh2013",),
                                       method="violence.gsh_ranks: police figures, else public health")
    r.sa_count_gsh_article = as_count(int(cj_peru["n"]), ("unodc_gsh2013",))
    ph_only = [country_name(countries, i) for i in cj.loc[cj["source_type"] == "public_health", "iso3"]]
    r.gsh_coverage_note = choose(
        bool(ph_only),
        f"(for {join(ph_only)} the study gives only a public-health figure, from death "
        f"registrations, which is used)",
        "(each on the study's police figure)",
        labels=("public_health_included", "police_only"), sources=("unodc_gsh2013",))
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
        r.world_rate_latest = missing("the world rate", "world_rate")
        r.peru_vs_world_sentence = missing("the world rate", "peru_vs_world")
    else:
        # "at 8.6 per 100,000 (2021) against a world rate of 5.5 per 100,000": Peru's tag names the year
        r.world_rate_latest = year_named(violence.rate(homicide, "WLD", h_year, "wdi_series"),
                                         r.peru_rate_latest.year)
        above = r.peru_rate_latest.point > r.world_rate_latest.point
        median = r.sa_median_latest.point
        r.peru_vs_world_sentence = branch([
            (above and near, "its rate is above the world average and about the South American "
                             "median.", "above_world:about_median"),
            (above and r.peru_rate_latest.point < median,
             "its rate is above the world average, though below the South American median.",
             "above_world:below_median"),
            (above, "its rate is above both the world average and the South American median.",
             "above_world:above_median"),
            (r.peru_rate_latest.point < median, "its rate is below the world average as well "
                                                "as the South American median.",
             "below_world:below_median"),
            (True, "its rate is below the world average, though not below the South American "
                   "median.", "below_world:not_below_median"),
        ], ("wdi_homicide",), f"Peru against the world rate and the South American median "
                              f"(within {ABOUT_MEDIAN:.0%} = about).")
    r.verdict_sentence = _verdict(flip_years, latest_leader, int(peru_row["rank"]),
                                  int(peru_row["n"]), coca_sources + h_sources)
    return r



def coca_area_by_country() -> alt.LayerChart:
    """Hectares under coca by year for Bolivia, Colombia and Peru (UNODC headline measure)."""
    coca, countries, sources = load("coca_cultivation"), load("countries"), load("sources")
    names = country_names(countries)
    h = producers.headline(coca)
    h = h.assign(country=h["iso3"].map(names), measure_label=h["measure"].map(theme.MEASURE_LABELS),
                 source=h["source_id"].map(lambda s: theme.source_label(sources, s)))
    order = [names[i] for i in FOCUS if i in set(h["iso3"])]
    sc = theme.scales(order, [i for i in FOCUS if i in set(h["iso3"])])
    year = int(article_year(sources).point)
    lines = alt.Chart(h).mark_line(point=True).encode(
        x=theme.year_axis(),
        y=alt.Y("hectares:Q", title="Hectares under coca bush", axis=alt.Axis(format=",d")),
        color=alt.Color("country:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("country:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("country:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("hectares:Q", title="Hectares", format=","),
                 alt.Tooltip("measure_label:N", title="Measure"), alt.Tooltip("source:N", title="Source")],
    )
    chart = alt.layer(lines, theme.article_rule(year)).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="UNODC World Drug Reports 2022 and 2025, statistical annex "
                                     "(coca cultivation); net area on 31 December where available",
                       sources=sorted(set(h["source_id"])), figure="coca_area_by_country")


def _homicide_years_note(homicide: pd.DataFrame, countries: pd.DataFrame, year: int,
                         sources: tuple[str, ...]) -> Branch:
    """Figure 1.2's years: its finding ranks every country in `year` (Peru's latest), while
    the filled diamonds show each country's own latest year, which can be later. Why: a
    reader who checks the finding against the diamonds must know they can differ."""
    w = violence.rates(homicide, violence.south_america(countries), "wdi_series")
    latest = w.dropna(subset=["rate_per_100k"]).groupby("iso3")["year"].max()
    others = latest.drop(PERU, errors="ignore")
    if others.empty or set(others) == {year}:
        return Branch("", "homicide_years:same", sources)
    span = year_span(int(others.min()), int(others.max()))
    return Branch(f"The finding ranks the countries in {year}, Peru's latest year; the other "
                  f"countries' diamonds are for {span}.",
                  "homicide_years:differ", sources,
                  method="latest WDI year per South American country against Peru's")


def homicide_south_america() -> alt.LayerChart:
    """South American homicide rates, article year vs latest year, Peru highlighted."""
    homicide, countries, sources = load("homicide"), load("countries"), load("sources")
    names = country_names(countries)
    a_year = int(article_year(sources).point)
    w = violence.rates(homicide, violence.south_america(countries), "wdi_series")
    w = w.dropna(subset=["rate_per_100k"])
    latest = w.sort_values("year", kind="stable").groupby("iso3").tail(1).assign(when="Latest year")
    then = w.loc[w["year"] <= a_year].sort_values("year", kind="stable").groupby("iso3").tail(1)
    then = then.assign(when="Article’s year (or the latest before)")
    d = pd.concat([then, latest], ignore_index=True)
    d["country"] = d["iso3"].map(names)
    d["group"] = np.where(d["iso3"] == PERU, "Peru", "Other countries")
    order = latest.sort_values("rate_per_100k", kind="stable")["iso3"].map(names).tolist()
    y = alt.Y("country:N", sort=order, title=None)
    x = alt.X("rate_per_100k:Q", title="Intentional homicides per 100,000 people")
    colour = theme.highlight_color("group", "Peru", "Other countries", legend=False)  # the row label names Peru
    link = alt.Chart(d).mark_line(color=theme.LIGHT_GREY, strokeWidth=2).encode(
        x=x, y=y, detail="country:N")
    when = ["Article’s year (or the latest before)", "Latest year"]
    shapes = alt.Scale(domain=when, range=["circle", "diamond"])
    points = alt.Chart(d).mark_point(size=90, strokeWidth=2, filled=False).encode(
        x=x, y=y, stroke=colour, shape=alt.Shape("when:N", scale=shapes, legend=None),
        fill=alt.condition("datum.when == 'Latest year'",
                           theme.highlight_color("group", "Peru", "Other countries", legend=False),
                           alt.value("white")),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("rate_per_100k:Q", title="Per 100,000", format=".1f"),
                 alt.Tooltip("when:N", title="Point")],
    )
    # The key to the two marks, from a layer of its own: the points' legend would inherit their
    # per-country fill and stroke and draw both symbols white on white.
    key = alt.Chart(pd.DataFrame({"key": when})).mark_point(
        size=90, strokeWidth=1.5, opacity=0, stroke=theme.TEXT).encode(
        shape=alt.Shape("key:N", scale=shapes, title=None, legend=alt.Legend(symbolOpacity=1)),
        fill=alt.Fill("key:N", scale=alt.Scale(domain=when, range=["white", theme.TEXT]), title=None,
                      legend=alt.Legend(symbolOpacity=1)))
    chart = alt.layer(link, points, key).resolve_scale(shape="independent", fill="independent").properties(
        width=theme.WIDTH, height=22 * len(order))
    return theme.apply(chart, source="World Bank WDI VC.IHR.PSRC.P5 (UNODC/WHO), current vintage",
                       sources=["wdi_homicide"], figure="homicide_south_america")


FIGURES = (coca_area_by_country, homicide_south_america)  # the figures of this chapter, in the order it shows them
