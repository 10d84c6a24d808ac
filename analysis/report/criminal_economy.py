"""Chapter 3, chapters/03-criminal-economy.qmd: the article's criminal economy as ranges.

`bundle()` holds the chapter's named values and its table of parts; the figure is
`criminal_economy_ranges`. The interval arithmetic and the seeded simulation come from
analysis/criminal_economy.py.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import criminal_economy as ce
from analysis.claims import claim, claim_estimate
from analysis.data import load
from analysis.estimate import Branch, Estimate
from analysis.report import theme
from analysis.report.markdown import Table
from analysis.report.values import Bundle, as_count, branch


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
    return branch([
        (at_floor and at_cap, "The parts fit under every reading of the hedges considered here.",
         "fits_all_readings"),
        (at_floor, "They fit only if drug earnings are close to the stated floor; if \"well "
                   "over\" means something near twice the floor, drugs and gold alone exceed "
                   "even the top of the total.", "fits_near_floor_only"),
        (True, "They do not fit even with drug earnings at the stated floor.", "fits_no_reading"),
    ], ce.article_ranges(claims).sources, "criminal_economy.consistency_table")


def bundle() -> Bundle:
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
    r.mc_draws = as_count(len(sim), rng.sources)
    return r


def criminal_economy_ranges() -> alt.LayerChart:
    """Ranges of each part of the article's criminal economy: interval arithmetic + simulation."""
    claims = load("article_claims")
    sim = ce.simulate(claims)
    rng = ce.article_ranges(claims)
    cap = 1.2 * rng.total_high  # right edge of the chart; open intervals run to it
    parts = [
        ("Drugs", claim_estimate(claims, "drug_earnings_usd"), "drugs"),
        ("Gold", ce.implied_gold(claims), "gold"),
        ("Drugs and gold", ce.drugs_plus_gold(claims), None),
        ("Residual: trafficking, timber, antiquities", ce.residual_range(claims), "residual"),
        ("Total (as stated)", Estimate(None, rng.total_low, rng.total_high, unit="USD"), "total"),
    ]
    rows = []
    for label, est, column in parts:
        lo = est.low if est.low is not None else est.central
        hi = est.high if est.high is not None else cap
        row = {"part": label, "lo": lo / 1e9, "hi": hi / 1e9, "open": est.high is None,
               "interval": str(est), "kind": "Total" if label.startswith("Total") else "Part"}
        if column:
            mc = ce.mc_estimate(sim, column, claims)
            row.update({"q05": mc.low / 1e9, "median": mc.point / 1e9, "q95": mc.high / 1e9,
                        "simulation": str(mc)})
        rows.append(row)
    d = pd.DataFrame(rows)
    order = d["part"].tolist()
    y = alt.Y("part:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    tip = [alt.Tooltip("part:N", title="Part"), alt.Tooltip("interval:N", title="Interval arithmetic"),
           alt.Tooltip("simulation:N", title="Simulation")]
    colour = alt.Color("kind:N", scale=alt.Scale(domain=["Part", "Total"],
                                                 range=[theme.OKABE_ITO["blue"], theme.OKABE_ITO["black"]]),
                       legend=None)
    interval = theme.without_missing_tooltips(alt.Chart(d).mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lo:Q", title="US$ billion a year", scale=alt.Scale(domain=[min(0, d["q05"].min()), cap / 1e9])),
        x2="hi:Q", color=colour,
        strokeDash=alt.condition("datum.open", alt.value([4, 3]), alt.value([1, 0]))), d, tip)
    sim_bar = alt.Chart(d.dropna(subset=["q05"])).mark_bar(size=10, opacity=0.45).encode(
        y=y, x="q05:Q", x2="q95:Q", color=colour, tooltip=tip)
    median = alt.Chart(d.dropna(subset=["median"])).mark_point(
        shape="circle", size=70, filled=True).encode(y=y, x="median:Q", color=colour, tooltip=tip)
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=theme.GREY).encode(x="x:Q")
    chart = alt.layer(zero, interval, sim_bar, median).properties(width=theme.WIDTH - 100, height=200)
    return theme.apply(chart, source="Muggah and McDermott (2013); thin line = interval arithmetic "
                                     "(dashed = open-ended), bar = central 90% and dot = median of "
                                     "the seeded simulation",
                       sources=list(rng.sources), figure="criminal_economy_ranges")


FIGURES = (criminal_economy_ranges,)  # the figures of this chapter, in the order it shows them
