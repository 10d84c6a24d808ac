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


# The one reading of "well over $1 billion" every row of Table 3.1 and the figure use: the
# same as the simulation's (drugs up to Readings.well_over_cap x the floor), so that the
# interval and simulated columns describe the same quantity.
READING = "read_cap"
PART_LABELS = {"drugs": "Drugs", "gold": "Gold", "drugs_and_gold": "Drugs and gold",
               "residual": "Trafficking, timber, antiquities", "total": "Total"}


def _hedges(claims: pd.DataFrame) -> dict[str, str]:
    """The article's hedge word for each row of the table."""
    word = {k: claim(claims, cid).wording for k, cid in
            (("drugs", "drug_earnings_usd"), ("gold", "gold_vs_drugs_multiple"),
             ("total", "organized_crime_total_usd"))}
    return {"drugs": word["drugs"], "gold": f"{word['gold']} (a multiple of drugs)",
            "drugs_and_gold": "implied (sum of the two)",
            "residual": "not stated (total minus drugs and gold)", "total": word["total"]}


def _economy_display(claims: pd.DataFrame, sim: pd.DataFrame) -> pd.DataFrame:
    """Table 3.1: every part on one reading of the hedges (READING), its interval unfloored,
    the simulation over all draws and over the draws whose parts fit the total."""
    rows = ce.economy_rows(claims, sim, READING)
    hedge = _hedges(claims)
    return pd.DataFrame([{
        "Part": PART_LABELS[row.part], "The article's hedge": hedge[row.part],
        "Interval arithmetic": str(row.interval) + (" (below zero: parts exceed the total)"
                                                    if row.residual_negative else ""),
        "Simulation, all draws": str(row.simulated_all),
        "Simulation, draws that fit": str(row.simulated_fit),
    } for row in rows.itertuples()])


def _fit_conditions(claims: pd.DataFrame, drugs_read: Estimate, total_top: Estimate) -> Branch:
    """Under which readings of the hedges the parts fit the top of the stated total, up to
    which drug earnings (criminal_economy.drugs_ceiling_range); the readings that make them
    overrun are the report's (`drugs_read`, the total's top as a ceiling), and the sentence
    says so."""
    t = ce.consistency_table(claims)
    at_floor = t.loc[t["scenario"].str.startswith("drugs at stated floor"), "fits_high"].all()
    at_cap = t.loc[t["scenario"].str.startswith("drugs at read cap"), "fits_high"].any()
    return branch([
        (at_floor and at_cap, "The parts fit under every reading of the hedges considered here.",
         "fits_all_readings"),
        (at_floor, f"They fit only if drug earnings stay below a ceiling of "
                   f"{ce.drugs_ceiling_range(claims)} a year. If drug "
                   f"earnings are taken as {drugs_read} and {total_top} as an upper end of the "
                   f"total, the parts can exceed the total; both are this report's readings of "
                   f"the article's hedges, not the article's own figures.", "fits_near_floor_only"),
        (True, "They do not fit even with drug earnings at the stated floor.", "fits_no_reading"),
    ], ce.article_ranges(claims).sources, "criminal_economy.consistency_table")


def _residual_sign(raw: dict, sources: tuple[str, ...], drugs_read: Estimate,
                   total_top: Estimate) -> Branch:
    """Say whether the unfloored residual runs below zero (never clamp it silently), and that
    the readings on which it does are the report's."""
    return branch([
        (raw["negative_high"], "The whole range is below zero: even at their smallest, drugs "
                               "and gold exceed the total, so the article's parts cannot all be "
                               "right together.", "residual_all_negative"),
        (raw["negative_low"], f"The range runs below zero: if drug earnings are taken as "
                              f"{drugs_read} and {total_top} as an upper end of the total, the "
                              f"parts can exceed the total. A negative residual is not a "
                              f"possible earning; it marks readings, this report's as much as "
                              f"the article's, on which the parts and the total cannot all "
                              f"hold.", "residual_partly_negative"),
        (True, "The range stays above zero: on every reading drugs and gold leave something "
               "for the other trades.", "residual_positive"),
    ], sources, "criminal_economy.residual_raw, not floored at zero")


def _economy_finding(claims: pd.DataFrame, raw: dict, drugs_read: Estimate) -> Branch:
    """Figure 3.1's finding: whether drugs and gold overrun the total at the article's own
    floors (drugs at $1 billion, the multiple as stated or read down) or only on this report's
    reading of "well over" (`raw`, READING); the sentence names whose reading it is."""
    rng = ce.article_ranges(claims)
    floor = ce.residual_raw(claims, reading="at_floor")
    cap = Estimate(drugs_read.high, unit="USD", sources=rng.sources,
                   method="The report's reading of the open upper end of 'well over'.")
    return branch([
        (floor["negative_high"], "Even at the article's own floors drugs and gold alone exceed "
                                 "its whole criminal economy, leaving nothing for trafficking, "
                                 "timber and antiquities.", "all_negative"),
        (floor["negative_low"], "Even at the article's own floors drugs and gold can take up its "
                                "whole criminal economy, leaving little or nothing for "
                                "trafficking, timber and antiquities.", "negative_at_floors"),
        (raw["negative_low"], f"If drug earnings are read as up to {cap} (this report's "
                              f"assumption), drugs and gold can exceed the article's total; at "
                              f"the article's own floors they leave {floor['estimate']} for "
                              f"trafficking, timber and antiquities.", "negative_on_report_reading"),
        (True, "Drugs and gold leave room in the article's criminal economy for trafficking, "
               "timber and antiquities on every reading.", "positive"),
    ], rng.sources, "criminal_economy.residual_raw at the article's floors (at_floor) and on "
                    "the report's reading (READING), not floored at zero")


def _sensitivity(claims: pd.DataFrame, r: Bundle) -> None:
    """The share of draws that fit, for each assumed upper end of "well over $1 billion":
    r.fit_cap_low/mid/high (USD) and r.fit_share_low/mid/high (percent)."""
    rng = ce.article_ranges(claims)
    t = ce.fit_sensitivity(claims).sort_values("well_over_cap", kind="stable").reset_index(drop=True)
    for key, i in (("low", 0), ("mid", len(t) // 2), ("high", len(t) - 1)):
        row = t.iloc[i]
        setattr(r, f"fit_cap_{key}", Estimate(row["drugs_cap"], unit="USD",
                                              sources=rng.sources, digits=1,
                                              method="Assumed upper end of 'well over'."))
        setattr(r, f"fit_share_{key}", Estimate(
            row["share_fit"], unit="percent", digits=0, sources=rng.sources,
            method=f"Share of {int(row['n_draws']):,} draws with drugs + gold <= total, drugs "
                   f"up to {row['well_over_cap']:g} x the floor (criminal_economy.fit_sensitivity)."))
    shares = t["share_fit"].tolist()
    r.fit_sensitivity_sentence = branch([
        (max(shares) - min(shares) >= 20,
         "The share is a consequence of that assumption, not a finding about the article: the "
         "article gives no upper end, and the share moves with the one assumed.",
         "share_depends_on_cap"),
        (True, "The share barely moves with the upper end assumed, so it does not hang on this "
               "report's reading of \"well over\".", "share_robust_to_cap"),
    ], rng.sources, "criminal_economy.fit_sensitivity: 20 points or more between caps = depends")


def bundle() -> Bundle:
    """Chapter 3: the article's drugs, gold and total as ranges on one reading of the hedges;
    the residual unfloored; the fit and how much it hangs on the reading of "well over"."""
    claims = load("article_claims")
    sim = ce.simulate(claims)
    rng = ce.article_ranges(claims)
    rows = ce.economy_rows(claims, sim, READING).set_index("part")
    raw = ce.residual_raw(claims, reading=READING)
    r = Bundle()
    r.drugs_stated = claim_estimate(claims, "drug_earnings_usd")
    r.total_stated = Estimate(None, rng.total_low, rng.total_high, unit="USD", sources=rng.sources,
                              method="The article's 'at least ... perhaps closer to' range.")
    r.drugs_read = rows.loc["drugs", "interval"].with_(point=None)
    r.gold_interval = rows.loc["gold", "interval"]
    r.drugs_gold_interval = rows.loc["drugs_and_gold", "interval"]
    r.residual_interval = raw["estimate"]
    r.total_floor = Estimate(rng.total_low, unit="USD", sources=rng.sources,
                             method="The article's 'at least'.")
    r.total_top = Estimate(rng.total_high, unit="USD", sources=rng.sources,
                           method="The article's 'perhaps closer to', read as an upper end.")
    readings = ce.Readings()
    r.almost_factor = Estimate(readings.almost_floor, unit="", digits=2, sources=rng.sources,
                               method="criminal_economy.Readings.almost_floor: the report's reading "
                                      "of 'almost'.")
    r.gold_multiple_read = Estimate(None, readings.almost_floor * rng.ratio_high, rng.ratio_high,
                                    unit="times", digits=2, sources=rng.sources,
                                    method="'almost three times', read as almost_floor x 3 to 3.")
    r.residual_sign_sentence = _residual_sign(raw, rng.sources, r.drugs_read, r.total_top)
    r.economy_finding = _economy_finding(claims, raw, r.drugs_read)
    r.residual_simulated_all = rows.loc["residual", "simulated_all"]
    r.residual_simulated = rows.loc["residual", "simulated_fit"]
    r.fit_sentence = ce.consistency_verdict(claims)
    r.share_consistent = ce.share_consistent(sim, claims)
    r.assumption_sentence = _fit_conditions(claims, r.drugs_read, r.total_top)
    _sensitivity(claims, r)
    r.economy_table = Table(_economy_display(claims, sim))
    r.mc_draws = as_count(len(sim), rng.sources)
    return r


def criminal_economy_ranges() -> alt.LayerChart:
    """Ranges of each part of the article's criminal economy: interval arithmetic + simulation."""
    claims = load("article_claims")
    sim = ce.simulate(claims)
    rng = ce.article_ranges(claims)
    cap = 1.2 * rng.total_high  # right edge of the chart; open intervals run to it
    # The same rows, on the same reading of "well over", as Table 3.1 (the residual unfloored).
    table = ce.economy_rows(claims, sim, READING)
    names = {**PART_LABELS, "residual": "Residual: trafficking, timber, antiquities",
             "total": "Total (as stated)"}
    rows = []
    for part in table.itertuples():
        est, mc, label = part.interval, part.simulated_all, names[part.part]
        lo = est.low if est.low is not None else est.central
        hi = est.high if est.high is not None else cap
        rows.append({"part": label, "lo": lo / 1e9, "hi": hi / 1e9, "open": est.high is None,
                     "interval": str(est), "kind": "Total" if part.part == "total" else "Part",
                     "q05": mc.low / 1e9, "median": mc.point / 1e9, "q95": mc.high / 1e9,
                     "simulation": str(mc)})
    d = pd.DataFrame(rows)
    order = d["part"].tolist()
    y = alt.Y("part:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    tip = [alt.Tooltip("part:N", title="Part"), alt.Tooltip("interval:N", title="Interval arithmetic"),
           alt.Tooltip("simulation:N", title="Simulation")]
    colour = alt.Color("kind:N", scale=alt.Scale(domain=["Part", "Total"],
                                                 range=[theme.OKABE_ITO["blue"], theme.OKABE_ITO["black"]]),
                       legend=None)
    interval = theme.without_missing_tooltips(alt.Chart(d).mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("lo:Q", title="US$ billion a year", scale=alt.Scale(domain=[min(0, d["lo"].min(), d["q05"].min()), cap / 1e9])),
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
