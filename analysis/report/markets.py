"""Chapter 2, chapters/02-markets.qmd: where the cocaine goes.

`bundle()` holds the chapter's named values and its value-chain table; the figures are
`cocaine_seizures_brazil_usa_europe`, `cocaine_use_prevalence` and `value_chain`. The
statistics (US-bound volume, seizure trends, users, the value chain) come from
analysis/markets.py.
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from analysis import markets as mk
from analysis.claims import claim, claim_estimate
from analysis.data import load
from analysis.estimate import Branch, Estimate, choose, year_span
from analysis.report import theme
from analysis.report.markdown import Table, cell
from analysis.report.values import (PERU, Bundle, article_year, as_count, as_year, branch,
                                    country_names, missing, or_missing)

SAME_ORDER = 0.5  # a prevalence at least half another's is "of the same order"
SEIZURE_FALL_PCT = 10  # seizures down a tenth or more from their peak: "fallen"
JUMP_RATIO = 1.5  # seizures up by half or more in one year: more likely reporting than trade


def _prevalence(use: pd.DataFrame, iso3: str) -> Estimate | Branch:
    """A country's latest annual prevalence of cocaine use, with UNODC's range where given."""
    return or_missing(lambda: mk.survey(mk.use_prevalence(use, [iso3]).iloc[0]), "a survey",
                      f"prevalence_{iso3.lower()}")


def _survey_note(use: pd.DataFrame, iso3: str) -> Branch:
    """Name the kind of survey behind a country's latest figure when it is not a household
    survey (Peru's 2017 figure is from a school survey, method code SS)."""
    try:
        method = mk.use_prevalence(use, [iso3]).iloc[0]["method"]
    except (IndexError, KeyError):
        return Branch("", "no_survey")
    words = _survey_method(method)
    household = words is not None and "household" in words
    return choose(household, "",
                  f", a figure UNODC takes from a {words or 'survey of unstated method'}, not a "
                  f"household survey of adults",
                  labels=("household_survey", "other_survey"), sources=("unodc_wdr2025_prevalence",),
                  method="UNODC method code (data/cocaine_use.csv)")


def _value_chain_display(claims: pd.DataFrame) -> pd.DataFrame:
    """mk.value_chain as display strings: one row per stage, one column per reading."""
    v = mk.value_chain(claims).assign(floor=[str(e) for e in mk.stage_floors(claims)])
    rows = []
    for stage in ("source", "Rio", "London"):
        row = {"Stage": {"source": "Earnings in Peru", "Rio": "Street value in Rio",
                         "London": "Street value in London"}[stage]}
        for reading, label in (("tenfold_rio", "'Tenfold' the Rio value"),
                               ("tenfold_source", "'Tenfold' the source value")):
            x = v.loc[(v["reading"] == reading) & (v["stage"] == stage)].iloc[0]
            row[f"{label}: multiple of source"] = cell(x["multiple"], "count")
            row[f"{label}: value"] = x["floor"]
        rows.append(row)
    return pd.DataFrame(rows)


def _seizure_timing(series: pd.DataFrame, sources: pd.DataFrame,
                    seizure_sources: tuple[str, ...], r: Bundle) -> None:
    """When Brazil caught up with the United States in the seizure record (before or after
    the article's year) and how its seizures moved after their peak."""
    split = int(article_year(sources).point)
    timing = mk.divergence_timing(series, "Brazil", "United States", split=split)
    share = timing["share_before"]
    r.catchup_split_year = as_year(split, seizure_sources)
    r.catchup_share_before = (missing("a change in the gap", "catchup_share_before") if share is None
                              else Estimate(share, unit="percent", digits=0, hedge="about",
                                            sources=seizure_sources,
                                            method="markets.divergence_timing: change in the mean "
                                                   "log ratio Brazil / United States over "
                                                   "three-year windows, before the split year "
                                                   "as a share of the whole change."))
    r.catchup_timing_sentence = branch([
        (timing["years"][2] <= split, "The seizure data end in the article's year, so whether "
                                      "the catch-up went on after it cannot be seen.",
         "no_later_seizures"),
        (share is None, "The gap between the two has not changed.", "gap_unchanged"),
        (share is not None and share >= 50, "Most of Brazil's catch-up, then, came before the article was written, "
                      "not after it.", "catchup_mostly_before"),
        (True, "Most of Brazil's catch-up came after the article was written.", "catchup_mostly_after"),
    ], seizure_sources, "markets.divergence_timing; half or more before the split = mostly before")
    peak = mk.since_peak(series, "Brazil")
    r.brazil_peak, r.brazil_latest = peak["peak"], peak["latest"]
    r.brazil_since_peak = peak["change"]
    r.brazil_peak_year = as_year(peak["peak"].year, seizure_sources)
    fell = peak["peak"].year < peak["latest"].year and peak["change"].point < 0
    r.brazil_peak_sentence = branch([
        (not fell, "The latest year is the peak: the rise has not reversed.", "brazil_at_peak"),
        (peak["change"].point <= -SEIZURE_FALL_PCT,
         "They have fallen since that peak, so the rise has not continued to the "
         "latest year; seizures alone cannot say whether less cocaine crossed Brazil or less of "
         "it was found.", "brazil_fell_since_peak"),
        (True, "Brazil's seizures have stayed near that peak.", "brazil_near_peak"),
    ], seizure_sources, f"markets.since_peak; a fall of {SEIZURE_FALL_PCT}% or more = fallen")


def _use_finding(bra, usa, peru, same: bool, apart: bool) -> Branch:
    """The finding that opens the caption of the cocaine-use figure, chosen by the data: Brazil
    against the United States (the chapter's rule for "the same order"), then Peru against both."""
    src = ("unodc_wdr2025_prevalence",)
    if not (isinstance(bra, Estimate) and isinstance(usa, Estimate)):
        return Branch("Not every market has a survey of cocaine use to compare.", "use_missing", src)
    lead = "In their latest surveys, taken years apart," if apart else "In their latest surveys"
    pair = ("cocaine use was of the same order in Brazil as in the United States" if same else
            "cocaine use was less common in Brazil than in the United States")
    if not isinstance(peru, Estimate):
        tail, label = "", "no_peru"
    elif peru.point < min(bra.point, usa.point):
        tail, label = ", and more common in both than in Peru", "peru_lowest"
    elif peru.point > max(bra.point, usa.point):
        tail, label = ", and less common in both than in Peru", "peru_highest"
    else:
        tail, label = ", with Peru in between", "peru_between"
    return Branch(f"{lead} {pair}{tail}.", f"{'same' if same else 'smaller'}:{label}", src,
                  method="latest surveys (markets.use_prevalence); same order as in use_levels_sentence")


def _seizures_finding(series: pd.DataFrame, faster: bool, separated: bool, sources, r: Bundle) -> Branch:
    """The finding that opens the caption of the seizures figure, chosen by the data: over
    which years Brazil's trend is the steeper (and clearly so) and by how much, when most of
    the catch-up came (r.catchup_timing_sentence), whether Brazil's seizures are still the
    smaller in the latest year both markets report, and whether they have fallen since their
    peak (r.brazil_peak_sentence). Why: a trend over the whole series alone reads as if the
    catch-up still went on."""
    kg = series.loc[series["kilograms"] > 0].pivot_table(index="year", columns="market", values="kilograms")
    both = kg[["Brazil", "United States"]].dropna() if {"Brazil", "United States"} <= set(kg.columns) else kg.iloc[0:0]
    have = isinstance(r.brazil_growth, Estimate) and isinstance(r.usa_growth, Estimate)
    rates = ""
    if have:
        pct = lambda e: Estimate(e.point, unit="percent", digits=1, sources=tuple(sources))  # noqa: E731
        rates = f" ({pct(r.brazil_growth)} against {pct(r.usa_growth)} a year)"
    span = f"Over {year_span(int(both.index.min()), int(both.index.max()))} " if not both.empty else ""
    trend = (f"{span}Brazil's cocaine seizures grew faster than those of the United States{rates}"
             + ("" if separated else " on the fitted trends, though the two intervals overlap")) if faster \
        else f"{span}Brazil's cocaine seizures did not grow faster than those of the United States{rates}"
    timing = r.catchup_timing_sentence.branch
    split = int(r.catchup_split_year.point)
    if faster and timing == "catchup_mostly_before":
        trend += f", mostly before {split}"
    elif faster and timing == "catchup_mostly_after":
        trend += f", mostly after {split}"
    if both.empty:
        return Branch(trend + ".", f"{'faster' if faster else 'not_faster'}:no_common_year", sources=tuple(sources))
    last = both.iloc[-1]
    smaller = bool(last["Brazil"] < last["United States"])
    size = "they remain smaller" if smaller else "they are now larger"
    peak = r.brazil_peak_sentence.branch
    since = (f" and have fallen since {r.brazil_peak_year}" if peak == "brazil_fell_since_peak" else
             f" and have stayed near their {r.brazil_peak_year} peak" if peak == "brazil_near_peak" else "")
    return Branch(f"{trend}; {size}{since}.", f"{'faster' if faster else 'not_faster'}:"
                  f"{'separated' if separated else 'overlap'}:{'smaller' if smaller else 'larger'}:{peak}",
                  sources=tuple(sources),
                  method="markets.seizure_growth trends over the years both markets report; "
                         "markets.divergence_timing; kilograms in the latest year both report; "
                         "markets.since_peak")


def bundle() -> Bundle:
    """Chapter 2: the article's US arithmetic, Brazil in the seizure and use records, value chain."""
    claims, countries = load("article_claims"), load("countries")
    seizures, use, population = load("cocaine_seizures"), load("cocaine_use"), load("population")
    r = Bundle()
    r.us_share = claim_estimate(claims, "us_share_pct")
    r.us_market = claim_estimate(claims, "us_consumption_tons").with_(hedge="about")
    r.peru_output = claim_estimate(claims, "cocaine_production_tons").with_(hedge="about")
    r.us_bound_volume = mk.us_bound_volume(claims)
    r.non_us_volume = mk.remainder_for_other_markets(claims)
    # The article's hedge is "as little as" (a floor of the US share), and the share of Peru's
    # output is a different quantity from the share of US consumption: one decimal keeps the
    # two apart where both would round to the same whole percent.
    r.us_share_of_output = mk.us_share_of_output(claims).with_(hedge="as little as", digits=1)

    series = mk.seizure_series(seizures, countries)
    growth = {m: or_missing(lambda m=m: mk.seizure_growth(series, m), f"{m}'s seizure trend",
                      f"growth_{m.lower().replace(' ', '_')}") for m in mk.MARKETS}
    seizure_sources = tuple(sorted({x for ids in series["source_ids"] for x in ids.split(";")}))
    r.brazil_growth, r.usa_growth = growth["Brazil"], growth["United States"]
    r.weu_growth = growth["Western Europe"]
    bra = series.loc[(series["market"] == "Brazil") & (series["kilograms"] > 0)]
    r.seizure_first_year = as_year(int(bra["year"].min()), seizure_sources)
    r.seizure_last_year = as_year(int(bra["year"].max()), seizure_sources)
    have = isinstance(r.brazil_growth, Estimate) and isinstance(r.usa_growth, Estimate)
    faster = have and r.brazil_growth.point > r.usa_growth.point
    r.brazil_seizure_sentence = choose(
        bool(faster),
        "Brazil's seizures have grown faster than those of the United States.",
        "Brazil's seizures have not grown faster than those of the United States.",
        labels=("brazil_faster", "brazil_not_faster"), sources=seizure_sources)
    separated = have and r.brazil_growth.low is not None and r.usa_growth.high is not None \
        and r.brazil_growth.low > r.usa_growth.high
    splices = mk.splice_years(series)
    limits = ("They come from a straight-line trend fitted to the logarithm of each series, with "
              "Newey-West errors that allow for correlation between neighbouring years but not "
              "for a bent trend, a change of source" +
              (f" (the series is spliced in {', '.join(str(y) for y in splices)})" if splices else "") +
              " or a break in reporting, so they understate the uncertainty.")
    r.growth_comparison_sentence = choose(
        bool(separated),
        f"The two confidence intervals do not overlap. {limits}",
        f"The two confidence intervals overlap, so the series alone cannot rule out that the "
        f"difference is noise. {limits}",
        labels=("growth_separated", "growth_overlaps"), sources=seizure_sources,
        method="markets.seizure_growth (OLS, HAC lag 2); markets.splice_years")
    r.splice_sentence = choose(
        bool(splices),
        f"The series is also spliced: up to {splices[0] - 1 if splices else ''} it is UNODC's "
        f"long-run table of seizures, from {splices[0] if splices else ''} the World Drug "
        f"Report's annex, and the two need not count alike.",
        "The series comes from a single UNODC table throughout.",
        labels=("spliced", "one_source"), sources=seizure_sources, method="markets.splice_years")
    jump = mk.largest_jump(series, "United States")
    r.usa_jump_sentence = choose(
        jump["ratio"].point >= JUMP_RATIO,
        f"And some changes look too sudden to be the trade alone: United States seizures went from "
        f"{jump['before']} in {jump['year'] - 1} to {jump['after']} in {jump['year']}, "
        f"{jump['ratio']} as many in one year, which may reflect a change in enforcement or "
        f"reporting rather than in what crossed the border.",
        "The United States' seizures show no jump from one year to the next large enough to "
        "suggest a break in reporting.",
        labels=("usa_jump", "no_usa_jump"), sources=jump["ratio"].sources,
        method=f"markets.largest_jump; {JUMP_RATIO:g} times or more in one year = a possible break")

    _seizure_timing(series, load("sources"), seizure_sources, r)
    r.seizures_finding = _seizures_finding(series, faster, separated, seizure_sources, r)

    r.brazil_prevalence = _prevalence(use, "BRA")
    r.usa_prevalence = _prevalence(use, "USA")
    r.peru_prevalence = _prevalence(use, PERU)
    r.peru_survey_note = _survey_note(use, PERU)
    users = mk.users_table(use, population)
    bra = users.loc[users["iso3"] == "BRA"]
    r.users_countries = as_count(len(users), ("unodc_wdr2025_prevalence", "wdi_population"))
    if bra.empty:
        r.brazil_users = missing("a Brazilian survey", "brazil_users")
        r.brazil_users_rank = missing("a Brazilian survey", "brazil_users_rank")
        rank = None
    else:
        rank = int(bra["rank"].iloc[0])
        r.brazil_users = mk.users_estimate(use, population, "BRA")
        r.brazil_users_rank = Estimate(rank, unit="rank", sources=("unodc_wdr2025_prevalence", "wdi_population"),
                                       method="markets.users_table: prevalence x population, 1 = most users")
    r.brazil_rank_sentence = branch([
        (rank is not None and rank <= 2,
         "That is consistent with the article's \"second-biggest market\", though the data cannot "
         "rank Brazil against Europe as a whole or the rest of the world.", "brazil_top_two"),
        (rank is not None, "That does not bear out the article's \"second-biggest market\", even "
                           "within the Americas.", "brazil_not_top_two"),
        (True, "Without a Brazilian survey the article's ranking cannot be checked.", "no_brazil_survey"),
    ], ("unodc_wdr2025_prevalence", "wdi_population"))
    bra_p, usa_p = r.brazil_prevalence, r.usa_prevalence
    split = int(r.catchup_split_year.point)
    before = r.catchup_timing_sentence.branch == "catchup_mostly_before"
    when = f", mostly before {split}," if before else (
        f", mostly after {split}," if r.catchup_timing_sentence.branch == "catchup_mostly_after" else "")
    r.direction_sentence = choose(
        bool(faster),
        f"The seizure record is consistent with Brazil's growing weight{when or ','} but no public "
        f"series traces Peruvian cocaine to either market.",
        "The seizure record does not show Brazil rising against the United States, and no "
        "public series traces Peruvian cocaine to either market.",
        labels=("direction_consistent", "direction_not_supported"), sources=seizure_sources,
        method="brazil_seizure_sentence and catchup_timing_sentence combined")
    both = isinstance(bra_p, Estimate) and isinstance(usa_p, Estimate)
    same = both and bra_p.point >= SAME_ORDER * usa_p.point
    apart = both and bra_p.year != usa_p.year
    r.use_levels_sentence = branch([
        (same and apart, f"Past-year use in Brazil ({bra_p.year}) is of the same order as in "
                         f"the United States ({usa_p.year}), but the surveys were taken in "
                         f"different years, so the two levels are not of the same time.", "use_same_order_apart"),
        (same, "Past-year use in Brazil is of the same order as in the United States.",
         "use_same_order"),
        (both, "The surveys do not show a Brazilian market of the same order as the United "
               "States'.", "use_smaller"),
        (True, "Without both surveys the two markets' use cannot be compared.", "use_missing"),
    ], ("unodc_wdr2025_prevalence",), f"Brazil at least {SAME_ORDER:g} x the US rate = same order")

    r.use_finding = _use_finding(bra_p, usa_p, r.peru_prevalence, bool(same), bool(apart))

    r.source_value = claim_estimate(claims, "drug_earnings_usd")
    rio = claim(claims, "rio_street_multiple")
    r.rio_multiple = Estimate(rio.value, unit="times", sources=(rio.source_id,))
    r.london_tenfold_rio = mk.london_value(claims, "tenfold_rio")
    r.london_tenfold_source = mk.london_value(claims, "tenfold_source")
    r.value_chain_table = Table(_value_chain_display(claims))
    rio_reading, source_reading = r.london_tenfold_rio, r.london_tenfold_source
    r.value_chain_finding = choose(
        bool(rio_reading.point != source_reading.point),
        "What the article's cocaine is worth in London depends on which value its 'tenfold' multiplies.",
        "Both readings of the article's 'tenfold' give its cocaine the same value in London.",
        labels=("readings_differ", "readings_agree"), sources=rio_reading.sources,
        method="markets.london_value under both readings")
    return r



MARKET_STYLE = {"Brazil": "BRA", "United States": "USA", "Western Europe": "WEU"}
# UNODC's survey-method codes in words (data/schemas/cocaine_use.json); "HHS/I" is two methods.
SURVEY_METHODS = {"HHS": "household survey", "SS": "school survey", "I": "indirect estimate",
                  "A": "adjusted", "R": "registry"}


def _survey_method(code) -> str | None:
    """A survey-method code as words ("HHS/I" -> "household survey and indirect estimate")."""
    if pd.isna(code):
        return None
    parts = [p.strip() for p in re.split(r"[/,]", str(code)) if p.strip()]
    return " and ".join(SURVEY_METHODS.get(p, p) for p in parts)


def cocaine_seizures_brazil_usa_europe() -> alt.LayerChart:
    """Cocaine-type seizures per year: Brazil, the United States, Western and Central Europe."""
    seizures, countries, sources = load("cocaine_seizures"), load("countries"), load("sources")
    s = mk.seizure_series(seizures, countries)
    s = s.loc[s["kilograms"] > 0].assign(tonnes=lambda d: d["kilograms"] / 1000)
    order = list(mk.MARKETS)
    sc = theme.scales(order, [MARKET_STYLE[m] for m in order])
    year = int(article_year(sources).point)
    lines = alt.Chart(s).mark_line(point=True).encode(
        x=theme.year_axis(),
        y=alt.Y("tonnes:Q", title="Cocaine-type drugs seized (tonnes, log scale)",
                scale=alt.Scale(type="log"), axis=alt.Axis(format=",~r")),
        color=alt.Color("market:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("market:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("market:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("market:N", title="Market"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("tonnes:Q", title="Tonnes", format=",.1f"),
                 alt.Tooltip("n_reporting:Q", title="Countries reporting")],
    )
    chart = alt.layer(lines, theme.article_rule(year)).properties(width=theme.WIDTH, height=theme.HEIGHT)
    ids = sorted({x for ids in s["source_ids"] for x in ids.split(";")})
    return theme.apply(chart, source="UNODC drug seizure series 1995–2019 and World Drug Report "
                                     "2025 annex (2019–2023); Western Europe = Western and Central "
                                     "Europe, countries reporting each year",
                       sources=ids, figure="cocaine_seizures_brazil_usa_europe")


def cocaine_use_prevalence() -> alt.LayerChart:
    """Latest past-year cocaine use, countries of the Americas and Spain, with UNODC's range."""
    use, countries = load("cocaine_use"), load("countries")
    names = country_names(countries)
    americas = set(countries.loc[(countries["region"] == "Americas") & ~countries["is_aggregate"], "iso3"])
    t = mk.use_prevalence(use, sorted(americas | {"ESP"}))
    t = t.assign(country=t["iso3"].map(names), survey=t["method"].map(_survey_method),
                 ages=t["age_group"].str.replace("-", "–", regex=False))
    t["group"] = t["iso3"].where(t["iso3"].isin(["BRA", "USA", PERU]), "OTHER")
    label = {"BRA": "Brazil", "USA": "United States", PERU: "Peru", "OTHER": "Other countries"}
    t["series"] = t["group"].map(label)
    order = [label[k] for k in ("PER", "BRA", "USA", "OTHER")]
    sc = theme.scales(order, ["PER", "BRA", "USA", "OTHER"])
    sort = t.sort_values("prevalence_pct", ascending=False, kind="stable")["country"].tolist()
    y = alt.Y("country:N", sort=sort, title=None)
    ranges = alt.Chart(t.dropna(subset=["low_pct", "high_pct"])).mark_rule(
        color=theme.GREY, strokeWidth=2).encode(
        y=y, x=alt.X("low_pct:Q"), x2="high_pct:Q")
    dots = theme.without_missing_tooltips(alt.Chart(t).mark_point(
        filled=True, stroke="black", strokeWidth=0.6).encode(
        y=y, x=alt.X("prevalence_pct:Q", title="Used cocaine in the past year (% of adults)"),
        size=alt.condition("datum.group != 'OTHER'", alt.value(130), alt.value(50)),
        color=alt.Color("series:N", scale=sc["color"], sort=order, title=None),
        shape=alt.Shape("series:N", scale=sc["shape"], sort=order, title=None)), t,
        [alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Survey year"),
         alt.Tooltip("prevalence_pct:Q", title="Past-year use (%)", format=".2f"),
         alt.Tooltip("low_pct:Q", title="Low (%)", format=".2f"),
         alt.Tooltip("high_pct:Q", title="High (%)", format=".2f"),
         alt.Tooltip("ages:N", title="Ages"), alt.Tooltip("survey:N", title="Method")])
    chart = alt.layer(ranges, dots).properties(width=theme.WIDTH, height=14 * len(sort))
    return theme.apply(chart, source="UNODC World Drug Report 2025, annex 1.2 (national surveys; "
                                     "years, ages and methods differ between countries)",
                       sources=["unodc_wdr2025_prevalence"], figure="cocaine_use_prevalence")


def value_chain() -> alt.LayerChart:
    """The article's value chain under both readings of 'tenfold' (floors, US$ billion)."""
    claims = load("article_claims")
    v = mk.value_chain(claims)
    stage_label = {"source": "Earnings in Peru", "Rio": "Street value in Rio",
                   "London": "Street value in London"}
    v = v.assign(stage_label=v["stage"].map(stage_label),
                 reading_short=v["reading"].map({"tenfold_rio": "‘Tenfold’ the Rio value",
                                                 "tenfold_source": "‘Tenfold’ the source value"}),
                 billions=v["low"] / 1e9)
    v["bar"] = np.where(v["stage"] == "London", "London: " + v["reading_short"], v["stage_label"])
    v["text"] = [str(e) for e in mk.stage_floors(claims)]
    v = v.drop_duplicates("bar")
    order = ["Earnings in Peru", "Street value in Rio", "London: ‘Tenfold’ the source value",
             "London: ‘Tenfold’ the Rio value"]
    y = alt.Y("bar:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    bars = alt.Chart(v).mark_bar(color=theme.OKABE_ITO["blue"], stroke="black", strokeWidth=0.5).encode(
        y=y, x=alt.X("billions:Q", title="Value, US$ billion a year (lower bounds)"),
        opacity=alt.condition("datum.stage == 'London'", alt.value(0.55), alt.value(1.0)),
        tooltip=[alt.Tooltip("bar:N", title="Stage"), alt.Tooltip("text:N", title="Value"),
                 alt.Tooltip("multiple:Q", title="Multiple of source value"),
                 alt.Tooltip("reading_label:N", title="Reading")],
    )
    labels = alt.Chart(v).mark_text(align="left", dx=4).encode(y=y, x="billions:Q", text="text:N")
    chart = alt.layer(bars, labels).properties(width=theme.WIDTH - 120, height=160)
    return theme.apply(chart, source="Muggah and McDermott (2013); each bar applies the article’s "
                                     "multiples to its ‘well over $1 billion’",
                       sources=["muggah_mcdermott_2013"], figure="value_chain")


FIGURES = (cocaine_seizures_brazil_usa_europe, cocaine_use_prevalence, value_chain)  # the figures of this chapter, in the order it shows them
