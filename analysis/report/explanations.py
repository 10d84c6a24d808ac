"""Chapter 5, chapters/05-explanations.qmd: the two explanations, tested.

`bundle()` holds the chapter's named values, its evidence table and the two verdicts; the
figures are `model_fit` and `corruption_peru_peers`. The models (the yardstick, the
break-even count, corruption's interaction) come from analysis/explanations.py, computed once
by `findings()`.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis import explanations as ex
from analysis import violence
from analysis.data import load
from analysis.estimate import Branch, Estimate, choose
from analysis.report import theme
from analysis.report.markdown import Table
from analysis.report.values import (ARTICLE_SOURCE, FOCUS, PERU, Bundle, as_count, as_year,
                                    branch, country_names, missing)


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
    return branch([
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
    return branch([
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
    return branch([
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
    mis = branch([
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
    com = branch([
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


def bundle() -> Bundle:
    """Chapter 5: the yardstick model, the break-even count, corruption, the evidence table."""
    f = findings()
    population = load("population")
    mis, com = f.misreading, f.complicity
    c = f.counts.set_index("figure")
    wgi = f.corruption_wgi.set_index("iso3").loc[ex.PERU]
    model_src = tuple(f.prediction["predicted_rate"].sources)

    r = Bundle()
    r.model_n = as_count(mis.n_obs, model_src, mis.describe())
    r.model_countries = as_count(mis.n_countries, model_src, mis.describe())
    r.model_first_year, r.model_last_year = (as_year(y, model_src) for y in mis.years)
    r.peru_model_year = as_year(f.year, model_src)
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

    r.corruption_year = as_year(f.year, ("wb_wgi",))
    r.peru_corruption_rank = Estimate(int(wgi["rank"]), unit="rank", year=f.year, sources=("wb_wgi",),
                                      method="explanations.corruption_position; 1 = most corrupt")
    r.corruption_n = as_count(int(wgi["n"]), ("wb_wgi",))
    if f.corruption_cpi is not None and ex.PERU in set(f.corruption_cpi["iso3"]):
        cpi = f.corruption_cpi.set_index("iso3").loc[ex.PERU]
        r.peru_cpi_rank = Estimate(int(cpi["rank"]), unit="rank", year=f.year,
                                   sources=(cpi["source_id"],))
        r.cpi_n = as_count(int(cpi["n"]), (cpi["source_id"],))
    else:
        r.peru_cpi_rank = missing("the CPI", "peru_cpi_rank")
        r.cpi_n = missing("the CPI", "cpi_n")
    r.corruption_sentence = choose(
        bool(wgi["rank"] <= wgi["n"] / 3),
        "That is among the most corrupt third of the continent: room enough for plata to do "
        "plomo's work.",
        "That is the middle of the table, not the bottom: by this measure Peru is no more "
        "corrupt than most of its neighbours, which weakens the explanation's premise.",
        labels=("peru_corrupt_third", "peru_mid_table"), sources=("wb_wgi",))
    r.interaction_coef = f.interaction
    r.interaction_sentence = _interaction_sentence(f)
    r.complicity_n = as_count(com.n_obs, ("wb_wgi",) + model_src, com.describe())
    r.garcia_pardons, r.humala_pardons = f.pardons["garcia"], f.pardons["humala"]
    r.evidence_table = Table(_evidence_display(f))
    r.misreading_verdict, r.complicity_verdict = _verdicts(f)
    return r



def model_fit() -> alt.LayerChart:
    """Observed vs predicted homicide rates of the yardstick model; Peru and the two counts."""
    f = findings()
    population, claims, countries = load("population"), load("article_claims"), load("countries")
    d, pred_year = ex.observed_vs_predicted(f)
    d = d.assign(group=np.where(d["peru"], "Peru", "Other countries"),
                 country=d["iso3"].map(country_names(countries)))[
        ["iso3", "country", "year", "rate_per_100k", "predicted", "group", "kg_per_100k"]]
    claimed = violence.claimed_rates(claims, population)
    be_rate = violence.count_as_rate(f.break_even.point, population, PERU, f.year)
    c = pd.DataFrame([{"figure": "Ministry’s count", "rate": claimed["interior"].point,
                       "text": str(claimed["interior"]), "shape": "diamond"},
                      {"figure": "Police count", "rate": claimed["police"].point,
                       "text": str(claimed["police"]), "shape": "diamond"},
                      {"figure": "Break-even", "rate": be_rate.point, "text": str(be_rate),
                       "shape": "triangle-down"}]).assign(predicted=pred_year)
    xlo, xhi = float(d["predicted"].min()) * 0.9, float(d["predicted"].max()) * 1.1
    ylo = float(d["rate_per_100k"].min()) * 0.9
    yhi = float(max(d["rate_per_100k"].max(), c["rate"].max())) * 1.1
    xs = alt.Scale(type="log", domain=[xlo, xhi])
    ys = alt.Scale(type="log", domain=[ylo, yhi])
    diag = alt.Chart(pd.DataFrame({"x": [xlo, xhi], "y": [xlo, xhi]})).mark_line(
        color=theme.GREY, strokeDash=[4, 3]).encode(x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys))
    pts = alt.Chart(d).mark_circle().encode(
        x=alt.X("predicted:Q", scale=xs, title="Predicted homicides per 100,000 (log scale)"),
        y=alt.Y("rate_per_100k:Q", scale=ys, title="Observed homicides per 100,000 (log scale)"),
        color=theme.highlight_color("group", "Peru", "Other countries"),
        size=alt.condition("datum.group == 'Peru'", alt.value(90), alt.value(18)),
        opacity=alt.condition("datum.group == 'Peru'", alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("rate_per_100k:Q", title="Observed", format=".1f"),
                 alt.Tooltip("predicted:Q", title="Predicted", format=".1f"),
                 alt.Tooltip("kg_per_100k:Q", title="Cocaine seized, kg per 100,000", format=",.1f")],
    )
    marks = alt.Chart(c).mark_point(size=170, filled=True, color=theme.OKABE_ITO["black"]).encode(
        x=alt.X("predicted:Q", scale=xs), y=alt.Y("rate:Q", scale=ys),
        shape=alt.Shape("shape:N", scale=None),
        tooltip=[alt.Tooltip("figure:N", title="Figure"), alt.Tooltip("text:N", title="Rate")])
    labels = alt.layer(*[
        alt.Chart(c.loc[c["figure"] == name]).mark_text(align="left", dx=10, dy=dy).encode(
            x=alt.X("predicted:Q", scale=xs), y=alt.Y("rate:Q", scale=ys), text="figure:N")
        for name, dy in (("Ministry’s count", 0), ("Police count", -5), ("Break-even", 7))])
    chart = alt.layer(diag, pts, marks, labels).properties(width=theme.WIDTH, height=theme.HEIGHT + 60)
    return theme.apply(chart, source="Poisson model of homicide on cocaine seized per head, Latin "
                                     "America and the Caribbean, Peru held out; World Bank homicide "
                                     "and population, UNODC seizures",
                       sources=["wdi_homicide", "wdi_population", "unodc_seizures_1995_2019",
                                "unodc_wdr2025_seizures", "muggah_mcdermott_2013"],
                       figure="model_fit")


def corruption_peru_peers() -> alt.LayerChart:
    """WGI control of corruption: Peru, Colombia, Bolivia against the South American band."""
    corruption, countries = load("corruption"), load("countries")
    names = country_names(countries)
    sa = violence.south_america(countries)
    w = corruption.loc[(corruption["indicator"] == "wgi_cc_est") & corruption["iso3"].isin(sa)]
    band = w.groupby("year")["value"].agg(low="min", high="max", median="median").reset_index()
    lines = w.loc[w["iso3"].isin(FOCUS)].assign(country=lambda d: d["iso3"].map(names))
    order = [names[i] for i in FOCUS]
    sc = theme.scales(order, list(FOCUS))
    x = theme.year_axis()
    area = alt.Chart(band).mark_area(color=theme.LIGHT_GREY, opacity=0.6).encode(
        x=x, y=alt.Y("low:Q", title="Control of corruption (WGI estimate; higher = cleaner)"), y2="high:Q",
        tooltip=[alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("low:Q", title="Lowest in South America", format=".2f"),
                 alt.Tooltip("high:Q", title="Highest in South America", format=".2f")])
    med = alt.Chart(band).mark_line(color=theme.GREY, strokeWidth=1.2).encode(
        x=x, y="median:Q",
        tooltip=[alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("median:Q", title="South American median", format=".2f")])
    ln = alt.Chart(lines).mark_line(point=True).encode(
        x=x, y="value:Q",
        color=alt.Color("country:N", scale=sc["color"], sort=order, title=None),
        strokeDash=alt.StrokeDash("country:N", scale=sc["strokeDash"], sort=order, title=None),
        shape=alt.Shape("country:N", scale=sc["shape"], sort=order, title=None),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("value:Q", title="WGI estimate", format=".2f")])
    chart = alt.layer(area, med, ln).properties(width=theme.WIDTH, height=theme.HEIGHT)
    return theme.apply(chart, source="World Bank Worldwide Governance Indicators, control of "
                                     "corruption (estimate); band = South American range",
                       sources=["wb_wgi"], figure="corruption_peru_peers")


FIGURES = (model_fit, corruption_peru_peers)  # the figures of this chapter, in the order it shows them
