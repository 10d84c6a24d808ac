"""Chapter 6, chapters/06-outlook.qmd: what happened after the article.

`bundle()` holds the chapter's named values (violence, coca, use and eradication since the
article; the claims no public data can check); the figure is
`peru_eradication_vs_cultivation`. Changes since the article come from analysis/violence.py
and analysis/producers.py, surveys from analysis/markets.py.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import markets as mk
from analysis import producers, violence
from analysis.claims import claim
from analysis.data import load
from analysis.estimate import Branch, Estimate
from analysis.verdicts import STRENGTH
from analysis import specifications as sp
from analysis.report import theme
from analysis.report.explanations import reading
from analysis.report.markets import _survey_method
from analysis.report.values import (PERU, Bundle, article_year, as_year, branch, country_name,
                                    join, missing, year_ranges)

# Thresholds that turn a change into words: this report's reading, declared so that a reader
# (and a test) can see them; none changes a number, only which sentence is shown.
ESCALATION_PCT = 50   # homicide rate up by half or more since the article: "an escalation"
RISE_PCT = 10         # up by a tenth or more: "rose"; within +-10%: "barely moved"
COCA_CHANGE_PCT = 25  # coca area up or down by a quarter or more: "grew" / "fell"


def escalation_sentence(change_pct: float, later_data: bool = True,
                        span: Estimate | None = None) -> Branch:
    """Did Peru's homicide rate escalate since the article? (% change of the World Bank rate
    to the latest year; `span`, the change to every later year, says how much the answer
    turns on the end year)."""
    turns = (f" Whether and how much it rose depends on the end year: measured to each year since, the "
             f"change runs from {span.with_(point=None)}." if span is not None
             and span.low is not None and span.low < RISE_PCT else "")
    return branch([
        (not later_data, "The data end in the article's year, so its forecast cannot be checked "
                         "yet.", "no_later_data"),
        (change_pct >= ESCALATION_PCT, "That is an escalation, though not on the scale of "
                                       "Colombia or Mexico.", "escalated"),
        (change_pct >= RISE_PCT, f"By the latest year the rate had risen, by less than the "
                                 f"rise of {ESCALATION_PCT}% or more that this report reads into "
                                 f"'dangerous escalation' (the article gives no number).{turns}",
         "rose_modestly"),
        (change_pct > -RISE_PCT, "That is no escalation: the rate has barely moved.", "flat"),
        (True, "Violence fell: the forecast escalation has not happened.", "fell"),
    ], ("wdi_homicide",), f"Change in Peru's World Bank rate since the article's year: "
                          f"+{ESCALATION_PCT}% or more = escalation, +{RISE_PCT}% or more = rise, "
                          f"within {RISE_PCT}% = flat.")


def police_sentence(police: dict | None, wdi_end: Estimate) -> Branch:
    """UNODC's police series beside the World Bank's latest rate. It put Peru's rate well
    above the World Bank's for the article's years; if it ends there it cannot measure the
    change, but a reader should know the latest World Bank rate against it.
    `police`: violence.change_since on the police series (None if it has no Peru rate)."""
    if police is None:
        return Branch("", "no_police_series")
    start = police["start"]
    return branch([
        (police["later_data"], f"UNODC's police series, which counts differently, went from "
                               f"{start} to {police['end']}.", "police_later_data"),
        (wdi_end.point < start.point,
         f"UNODC's police series put Peru's rate at {start}; it ends there and counts differently "
         f"from the World Bank's, so it cannot measure the change, but the latest World Bank "
         f"rate is below it.", "police_ends_above_latest"),
        (True, f"UNODC's police series put Peru's rate at {start}; it ends there and counts "
               f"differently from the World Bank's, so it cannot measure the change; the latest "
               f"World Bank rate is not below it.", "police_ends_below_latest"),
    ], tuple(start.sources) + tuple(wdi_end.sources), "violence.change_since on the police "
                                                      "series against the World Bank's latest rate")


# The first year a country's coca survey covers newly monitored areas: the series before
# and after it measure different ground (data/README.md; the notes of unodc_wdr2025_coca in
# data/sources.csv, which tests/test_report.py holds this to).
COVERAGE_BREAKS = {PERU: 2021}


def coca_growth_sentence(matched: pd.DataFrame, start: int, later_data: bool = True,
                         sources: tuple[str, ...] = ()) -> Branch:
    """How Peru's coca area moved since the article against its homicide rate, over matching
    years (producers.matched_changes: the same start and end year for both, on the ground the
    coca survey covered throughout). The last two matching end years are quoted; if the
    comparison turns on which is read, the sentence says so."""
    pct = lambda v: Estimate(v, unit="percent", digits=0, sources=sources)  # noqa: E731
    last = matched.tail(2)
    gaps = (matched["coca_pct"] - matched["other_pct"]).tail(2)
    quoted = "; ".join(
        f"{'from ' + str(start) + ' ' if i == 0 else ''}to {int(row.end_year)} coca area changed "
        f"by {pct(row.coca_pct)} and the homicide rate by {pct(row.other_pct)}"
        for i, row in enumerate(last.itertuples()))
    return branch([
        (not later_data, "There are no later coca surveys in this data vintage either.", "no_later_coca"),
        (matched.empty, "No later year has both a coca survey on the same ground and a homicide "
                        "rate, so the two cannot be compared over the same years.", "no_matched_years"),
        ((gaps > COCA_CHANGE_PCT).all(),
         f"Compared over the same years, {quoted}: at each end year the coca area grew more "
         f"than {COCA_CHANGE_PCT} percentage points faster than the homicide rate.",
         "coca_grew_faster_than_violence"),
        ((gaps < -COCA_CHANGE_PCT).all(),
         f"Compared over the same years, {quoted}: at each end year the homicide rate rose more "
         f"than {COCA_CHANGE_PCT} percentage points faster than the coca area.",
         "violence_outpaced_coca"),
        (True, f"Compared over the same years, {quoted}. The comparison depends on the end year "
               f"chosen, so the data cannot say whether the trade, as far as coca area measures "
               f"it, outgrew the violence.", "depends_on_end_year"),
    ], sources, f"producers.matched_changes, last two end years before the coverage break; "
                f"more than {COCA_CHANGE_PCT} points apart at both = faster.")


def like_for_like(coca: pd.DataFrame, iso3: str, start_year: int,
                  breaks: dict[str, int] = COVERAGE_BREAKS) -> dict:
    """The coca change from `start_year` on the ground the survey covered throughout: up to
    the last survey before the coverage break when the series runs past it, else to the
    latest survey. Returns {"area" (Estimate), "change_pct", "break_year" (None if the data do
    not reach a break), "full_change_pct"}."""
    full = producers.change_since(coca, iso3, start_year)
    brk = breaks.get(iso3)
    years = sorted(int(y) for y in producers.headline(coca).query("iso3 == @iso3")["year"])
    start = full["start"].year
    before = [y for y in years if start < y < (brk or 0)]
    if brk is None or full["end"].year < brk or not before:
        return {"area": full["end"], "change_pct": full["change_pct"], "break_year": None,
                "full_change_pct": full["change_pct"]}
    area = producers.area(coca, iso3, before[-1])
    return {"area": area, "change_pct": (area.point / full["start"].point - 1) * 100,
            "break_year": brk, "full_change_pct": full["change_pct"]}


def coverage_sentence(like: dict, start: Estimate, sources: tuple[str, ...]) -> Branch:
    """Say where the coca series changes coverage and give the change on the ground surveyed
    throughout (so the comparison with violence is like for like)."""
    pct = lambda v: Estimate(v, unit="percent", digits=0, sources=sources)  # noqa: E731
    if like["break_year"] is None:
        return Branch("The coca survey's coverage does not change over these years.",
                      "no_coverage_break", sources)
    return Branch(
        f"Part of that rise is coverage, not planting: from {like['break_year']} UNODC's survey "
        f"of Peru includes newly monitored areas, so the later figures measure more ground. On "
        f"the ground surveyed throughout, the area went from {start} to {like['area']} in "
        f"{like['area'].year}, a change of {pct(like['change_pct'])}, against "
        f"{pct(like['full_change_pct'])} to the latest survey. How much of the later rise in "
        f"coca is new planting rather than new coverage the national totals cannot tell.",
        "coverage_break", sources, method="outlook.like_for_like; COVERAGE_BREAKS")


def _survey_phrase(row: pd.Series) -> str:
    """One survey in words: its share, year and range, method and ages."""
    return (f"{mk.survey(row)} in a {_survey_method(row['method'])} of ages "
            f"{row['age_group']}".replace("-", "\u2013"))


def surveys_sentences(peru_use: pd.DataFrame) -> tuple[Branch, Branch]:
    """Every Peruvian survey of cocaine use (all of them: a middle survey can differ from the
    others, as the 2010 one does in its ages), and whether a change can be read from them:
    only if every survey shares the method and the age range."""
    rows = [row for _, row in peru_use.sort_values("year", kind="stable").iterrows()]
    src = ("unodc_wdr2025_prevalence",)
    if not rows:
        return (missing("a survey", "peru_surveys"),
                Branch("No survey can show a trend.", "no_survey", src))
    phrases = [_survey_phrase(r) for r in rows]
    listed = Branch(", ".join(phrases[:-1]) + (" and " if len(phrases) > 1 else "") + phrases[-1],
                    f"peru_surveys:{len(rows)}", src)
    alike = len({(r["method"], r["age_group"]) for r in rows}) == 1
    first, last = rows[0], rows[-1]
    return listed, branch([
        (len(rows) < 2, "One survey cannot show a trend.", "single_survey"),
        (not alike, "The surveys differ in method or ages, so no change can be read from them "
                    "as growth of the market.", "surveys_not_comparable"),
        (last["prevalence_pct"] > first["prevalence_pct"], "Use rose between the surveys, as "
                                                          "the article expected.", "use_rose"),
        (True, "Use did not rise between the surveys.", "use_not_rose"),
    ], src)


def _paradox_status(coca: pd.DataFrame, homicide: pd.DataFrame, countries: pd.DataFrame,
                    latest_leader: str) -> Branch:
    """What the data say of the paradox: the years Peru grew the most coca, its published
    (World Bank) rate against the South American median in those years, and whether Peru
    still leads. Whether that is a paradox still hangs on the homicide count (chapter 4)."""
    years = producers.years_peru_largest(coca)
    below = []
    for y in years:
        try:
            below.append(violence.rate(homicide, PERU, y, "wdi_series").point
                         < violence.south_america_median(homicide, countries, y).point)
        except (KeyError, IndexError, ValueError):
            continue
    span = year_ranges(years)
    now = ("" if latest_leader == PERU else
           f" {country_name(countries, latest_leader)} has since overtaken Peru as the largest grower.")
    tail = " Whether that is a paradox still depends on the homicide count."
    return branch([
        (not years, "The data do not show Peru as the largest coca grower in any year.",
         "never_largest"),
        (bool(below) and all(below),
         f"The data say Peru grew more coca than any other country in {span}, with a published "
         f"homicide rate below the South American median.{now}{tail}", "largest_and_below_median"),
        (bool(below), f"The data say Peru grew more coca than any other country in {span}; its "
                      f"published homicide rate was not below the South American median in "
                      f"every one of those years.{now}{tail}", "largest_median_mixed"),
        (True, f"The data say Peru grew more coca than any other country in {span}; no published "
               f"homicide rate for Peru covers those years.{now}{tail}", "largest_no_rate"),
    ], ("wdi_homicide", "unodc_wdr2025_coca"), "producers.years_peru_largest; violence.rate "
                                              "against violence.south_america_median (World Bank)")


SERIES_NAMES = {"wdi_series": "World Bank series", "criminal_justice": "UNODC police series",
                "modelled_all_violence": "IHME's modelled series",
                "public_health": "UNODC public-health series"}


def outlier_trend_sentence(by_year: pd.DataFrame, year: int, series: list[str],
                           sources: tuple[str, ...] = ()) -> Branch:
    """Peru's outlier share on the latest data against the article's year, on the series that
    reach the latest year (specifications.outlier_by_year on those series), with each year's
    verdict word from the one rule: does the paradox persist on the newest figures?"""
    later = by_year.loc[by_year["year"] > year]
    then = by_year.loc[by_year["year"] == year]
    if later.empty or then.empty:
        return Branch(f"The specification curves end in {year}, so whether Peru is still an "
                      f"outlier on later data cannot be seen.", "no_later_curve", sources)
    now, then = later.iloc[-1], then.iloc[0]
    pct = lambda v: Estimate(v, unit="percent", digits=0, sources=sources)  # noqa: E731
    names = join([SERIES_NAMES.get(x, x) for x in series])
    only = (f"the only series that reaches {int(now['year'])}" if len(series) == 1 else
            f"the series that reach {int(now['year'])}")
    between = by_year.loc[(by_year["year"] > year) & (by_year["year"] < now["year"]), "share"]
    between_text = (f"; in the years between, the share ran from {pct(between.min()).with_(unit='')}"
                    f" to {pct(between.max())}" if len(between) > 1 else "")
    facts = (f"On the {names} ({only}), Peru is an outlier in {int(now['outliers'])} of "
             f"{int(now['n'])} specifications for {int(now['year'])} ({pct(now['share'])}: "
             f"\"{now['verdict']}\" by the report's rule), against {int(then['outliers'])} of "
             f"{int(then['n'])} on the same series for {year} "
             f"({pct(then['share'])}: \"{then['verdict']}\"){between_text}.")
    rank = STRENGTH.index
    return branch([
        (rank(now["verdict"]) < rank(then["verdict"]),
         f"On the latest data the outlier finding is weaker. {facts}", "outlier_weaker"),
        (rank(now["verdict"]) > rank(then["verdict"]),
         f"On the latest data the outlier finding is stronger. {facts}", "outlier_stronger"),
        (True, f"On the latest data the outlier verdict is unchanged. {facts}", "outlier_unchanged"),
    ], sources, "specifications.outlier_by_year on the series of the latest year; verdict words "
                "from analysis/verdicts.py")


def outlier_trend_short(by_year: pd.DataFrame, year: int, series: list[str],
                        sources: tuple[str, ...] = ()) -> Branch:
    """The like-for-like outlier counts of outlier_trend_sentence in one clause, for the
    summary page: the latest year against the article's, on the same series (the series that
    reach the latest year). Why: the latest year's specifications use fewer series than the
    article's year's, so their share alone is not comparable with the headline share."""
    later = by_year.loc[by_year["year"] > year]
    then = by_year.loc[by_year["year"] == year]
    if later.empty or then.empty:
        return Branch(f"the specification curves end in {year}.", "no_later_curve", sources)
    now, then = later.iloc[-1], then.iloc[0]
    names = join([SERIES_NAMES.get(x, x) for x in series])
    only = "the only one" if len(series) == 1 else "the ones"
    return Branch(f"on the {names}, {only} reaching {int(now['year'])}, Peru is an outlier in "
                  f"{int(now['outliers'])} of {int(now['n'])} specifications for "
                  f"{int(now['year'])}, against {int(then['outliers'])} of {int(then['n'])} for "
                  f"{year}.", f"trend:{then['verdict']}->{now['verdict']}",
                  sources, method="specifications.outlier_by_year on the series of the latest year")


def _trend_inputs(year: int) -> tuple:
    """specifications.outlier_by_year on the series that reach the latest curve year, those
    series and their sources (chapter 5's misreading curve, computed once per data folder)."""
    grid = reading().curves.misreading
    g = grid.loc[grid["estimable"]]
    latest = int(g["year"].max())
    series = sorted(set(g.loc[g["year"] == latest, "series"]),
                    key=lambda x: list(sp.SERIES).index(x))
    return (sp.outlier_by_year(grid, series), year, series,
            sp.grid_sources(g.loc[g["series"].isin(series)]))


def outlier_trend_summary(year: int) -> Branch:
    """outlier_trend_short on chapter 5's misreading curve, for the summary page."""
    return outlier_trend_short(*_trend_inputs(year))


def _outlier_trend(year: int) -> Branch:
    """outlier_trend_sentence on chapter 5's misreading curve (computed once per data folder)."""
    return outlier_trend_sentence(*_trend_inputs(year))


FAR_ABOVE_EARLIER = 1.25  # the latest area 25% above every area before the eradication peak
BACK_AT_EARLIER = 0.9    # within a tenth below the largest area before the peak: "back at" it


def eradication_finding(h: pd.DataFrame, peak: pd.Series) -> Branch:
    """Figure 6.1's finding: whether Peru's coca area shrank in the year of most eradication
    and where it stood after, on the ground the survey covered throughout (the last survey
    before COVERAGE_BREAKS when the series runs past it): figures from the break on measure
    more ground, and comparing them with the years before would read new coverage as new
    planting. `h` is the headline coca areas, `peak` producers.eradication_peak's row."""
    peru = h.loc[h["iso3"] == PERU].sort_values("year", kind="stable")
    later = peru.loc[peru["year"] > peak["year"]]
    at_peak = peru.loc[peru["year"] == peak["year"], "hectares"]
    earlier = peru.loc[peru["year"] < peak["year"], "hectares"]
    brk = COVERAGE_BREAKS.get(PERU)
    crosses = brk is not None and not later.empty and later["year"].max() >= brk
    same_ground = later.loc[later["year"] < brk] if crosses else later
    sources = (peak["source_id"], *sorted(set(h["source_id"])))
    if later.empty or at_peak.empty or same_ground.empty:
        return Branch("Peru's eradication campaign reached its height at the end of the data, so "
                      "what followed cannot be seen.", "no_later_years", sources)
    at_level, top = float(at_peak.iloc[0]), float(earlier.max()) if not earlier.empty else None
    year, last = int(same_ground["year"].iloc[-1]), float(same_ground["hectares"].iloc[-1])
    shrank = top is not None and at_level < top
    head = "Peru's coca area shrank while eradication was at its height and"
    tail = ""
    if crosses:
        higher = "higher " if later["hectares"].iloc[-1] > last else ""
        tail = f" on the ground surveyed throughout; the {higher}figures since {brk} include newly monitored areas"
    return branch([
        (shrank and last > FAR_ABOVE_EARLIER * top,
         f"{head} by {year} was far above its earlier level{tail}.", "shrank_then_far_above"),
        (shrank and last >= BACK_AT_EARLIER * top,
         f"{head} was back at its earlier level by {year}{tail}.", "shrank_then_back"),
        (shrank and last > at_level, f"{head} had grown again by {year}{tail}.", "shrank_then_grew"),
        (shrank, f"{head} had stayed down by {year}{tail}.", "shrank_stayed_down"),
        (True, "Peru's coca area did not shrink while eradication was at its height.", "did_not_shrink"),
    ], sources, f"headline areas before, in and after the year of most eradication, after it on "
                f"the ground surveyed throughout (COVERAGE_BREAKS); 'far above' over "
                f"{FAR_ABOVE_EARLIER:g} times the largest area before it, 'back at' from "
                f"{BACK_AT_EARLIER:g} times it")


def bundle() -> Bundle:
    """Chapter 6: what happened after the article (violence, coca, use, eradication); the
    claims no public data can check."""
    sources, claims = load("sources"), load("article_claims")
    homicide, coca = load("homicide"), load("coca_cultivation")
    eradication, use = load("coca_eradication"), load("cocaine_use")
    a_year = article_year(sources)
    r = Bundle()
    r.article_year = a_year

    rates = violence.change_since(homicide, PERU, a_year.point)
    r.rate_start, r.rate_end = rates["start"], rates["end"]
    change = rates["change_pct"]
    r.escalation_sentence = escalation_sentence(
        change, later_data=rates["later_data"],
        span=violence.change_range_since(homicide, PERU, a_year.point))
    try:
        police = violence.change_since(homicide, PERU, a_year.point, "criminal_justice")
    except (KeyError, ValueError):
        police = None
    r.police_sentence = police_sentence(police, rates["end"])

    area = producers.change_since(coca, PERU, a_year.point)
    r.coca_start, r.coca_end = area["start"], area["end"]
    like = like_for_like(coca, PERU, a_year.point)
    r.coca_start_year = as_year(area["start"].year, area["sources"])
    r.coca_end_year = as_year(area["end"].year, area["sources"])
    r.coverage_sentence = coverage_sentence(like, area["start"], area["sources"])
    wdi = violence.rates(homicide, [PERU], "wdi_series").set_index("year")["rate_per_100k"]
    matched = producers.matched_changes(coca, wdi, PERU, area["start"].year,
                                        COVERAGE_BREAKS.get(PERU))
    r.coca_growth_sentence = coca_growth_sentence(matched, area["start"].year,
                                                  later_data=area["later_data"],
                                                  sources=area["sources"] + ("wdi_homicide",))
    h = producers.headline(coca)

    r.peru_surveys, r.domestic_market_sentence = surveys_sentences(use.loc[use["iso3"] == PERU])

    peak = producers.eradication_peak(eradication, PERU)
    er_years = eradication.loc[eradication["iso3"] == PERU, "year"]
    r.eradication_first_year = as_year(int(er_years.min()), (peak["source_id"],))
    r.eradication_last_year = as_year(int(er_years.max()), (peak["source_id"],))
    r.eradication_peak_year = as_year(int(peak["year"]), (peak["source_id"],))
    r.eradication_peak = Estimate(peak["hectares"], unit="hectares", sources=(peak["source_id"],))
    later = h.loc[(h["iso3"] == PERU) & (h["year"] > peak["year"])]
    at_peak = h.loc[(h["iso3"] == PERU) & (h["year"] == peak["year"]), "hectares"]
    r.eradication_sentence = branch([
        (later.empty, "The data end with that campaign, so what followed cannot be seen.", "no_later_years"),
        (not at_peak.empty and later["hectares"].max() > at_peak.iloc[0],
         "Within a few years the area under coca was larger than in the year of the campaign.",
         "area_rebounded"),
        (True, "The area under coca has stayed below its level in the year of the campaign.",
         "area_stayed_down"),
    ], (peak["source_id"], *sorted(set(h["source_id"]))))

    r.eradication_finding = eradication_finding(h, peak)

    conv = claim(claims, "cooperation_conventions")
    r.conventions = Estimate(conv.value, conv.low, None, unit="count", hedge="more than",
                             sources=(conv.source_id,))
    heli = claim(claims, "helicopter_spending_usd")
    r.helicopters = Estimate(heli.value, unit="USD", hedge="some", sources=(heli.source_id,))

    countries = load("countries")
    latest_leader = producers.leader(coca, producers.latest_year(coca))
    r.paradox_status_sentence = _paradox_status(coca, homicide, countries, latest_leader)
    r.outlier_trend_sentence = _outlier_trend(reading().year)
    return r



def peru_eradication_vs_cultivation() -> alt.LayerChart:
    """Peru: hectares eradicated each year (bars) and hectares under coca (line)."""
    eradication, coca, sources = load("coca_eradication"), load("coca_cultivation"), load("sources")
    er = eradication.loc[eradication["iso3"] == PERU].assign(what="Eradicated during the year")
    h = producers.headline(coca)
    cu = h.loc[h["iso3"] == PERU].assign(what="Under coca at the end of the year")
    er = er.assign(source=er["source_id"].map(lambda s: theme.source_label(sources, s)))
    cu = cu.assign(source=cu["source_id"].map(lambda s: theme.source_label(sources, s)),
                   measure_label=cu["measure"].map(theme.MEASURE_LABELS))
    y = alt.Y("hectares:Q", title="Hectares", axis=alt.Axis(format=",d"))
    bars = alt.Chart(er).mark_bar(color=theme.OKABE_ITO["sky_blue"], stroke="black", strokeWidth=0.5,
                                  opacity=0.8).encode(
        x=alt.X("year:O", title="Year"), y=y,
        tooltip=[alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("hectares:Q", title="Eradicated (ha)", format=",.0f"),
                 alt.Tooltip("source:N", title="Source")])
    line = alt.Chart(cu).mark_line(point=alt.OverlayMarkDef(shape="circle", size=55, filled=True,
                                                             color=theme.STYLE["PER"].color),
                                   color=theme.STYLE["PER"].color).encode(
        x=alt.X("year:O", title="Year"), y=y,
        tooltip=[alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("hectares:Q", title="Under coca (ha)", format=",.0f"),
                 alt.Tooltip("measure_label:N", title="Measure"), alt.Tooltip("source:N", title="Source")])
    key = pd.DataFrame({"what": ["Eradicated during the year (bars)", "Under coca at the end of the year (line)"]})
    legend = alt.Chart(key).mark_point(opacity=0).encode(
        color=alt.Color("what:N", title=None, scale=alt.Scale(
            domain=key["what"].tolist(), range=[theme.OKABE_ITO["sky_blue"], theme.STYLE["PER"].color]),
            legend=alt.Legend(symbolOpacity=1, symbolType="square")))
    chart = alt.layer(bars, line, legend).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="UNODC World Drug Report 2022 annex (reported eradication, "
                                     "including repeated eradication of the same fields) and coca "
                                     "cultivation annexes",
                       sources=sorted(set(er["source_id"]) | set(cu["source_id"])),
                       figure="peru_eradication_vs_cultivation")


FIGURES = (peru_eradication_vs_cultivation,)  # the figures of this chapter, in the order it shows them
