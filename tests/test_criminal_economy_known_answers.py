"""Known answers for the criminal-economy chapter: every interval's ends, text and method note
on hand-made claims (arithmetic in the comments), the boundaries where parts exactly fill the
total, and the Monte Carlo summaries on small hand-made draws whose quantiles and shares are
counted by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import claims_frame

from analysis import criminal_economy as ce


def claims(drugs=(1e9, 1e9, None), ratio=(3.0, None, 3.0), total=(5e9, 5e9, 7e9)):
    """drug earnings, gold/drug ratio and total as (value, low, high), each with its source."""
    rows = []
    for cid, (value, low, high), src in (("drug_earnings_usd", drugs, "s_d"),
                                         ("gold_vs_drugs_multiple", ratio, "s_r"),
                                         ("organized_crime_total_usd", total, "s_t")):
        rows.append({"claim_id": cid, "value": value, "low": low, "high": high, "source_id": src})
    return claims_frame(rows)


SOURCES = ("s_d", "s_r", "s_t")


def test_article_ranges_read_each_bound():
    r = ce.article_ranges(claims(drugs=(1e9, 1e9, 2e9), ratio=(3.0, 2.5, 2.9)))
    # a stated ceiling on drugs, a stated floor and ceiling on the ratio are used as stated
    assert (r.drugs_low, r.drugs_high, r.ratio_low, r.ratio_high) == (1e9, 2e9, 2.5, 2.9)
    assert (r.total_low, r.total_high, r.sources) == (5e9, 7e9, SOURCES)
    # no stated ceiling on the ratio: its value is the ceiling
    assert ce.article_ranges(claims(ratio=(3.0, None, None))).ratio_high == 3.0


def test_article_ranges_refuse_a_total_without_both_ends():
    with pytest.raises(AssertionError, match="^total claim needs low and high$"):
        ce.article_ranges(claims(total=(5e9, 5e9, None)))
    with pytest.raises(AssertionError, match="^drug earnings claim needs a value or low$"):
        ce.article_ranges(claims(drugs=(None, None, 2e9)))


def test_stated_bounds_replace_the_report_s_readings():
    c = claims(drugs=(1e9, 1e9, 1.5e9), ratio=(3.0, 2.5, 3.0))
    g = ce.implied_gold(c, reading="read_cap")
    # ratio floor stated 2.5 (not 0.85 x 3): low 2.5 x 1 = 2.5 bn; drugs capped at the
    # stated 1.5 bn (not 2 x the floor): high 3 x 1.5 = 4.5 bn
    assert (g.point, g.low, g.high) == pytest.approx((3e9, 2.5e9, 4.5e9))
    t = ce.consistency_table(c).set_index("scenario")
    assert t.loc["drugs at read cap, ratio as stated", "drugs"] == 1.5e9
    s = ce.simulate(c, n=200, seed=1)
    assert s["drugs"].max() <= 1.5e9 and s["ratio"].min() >= 2.5


def test_implied_gold_in_full():
    g = ce.implied_gold(claims())
    assert (g.interval, g.digits, g.sources) == ("range", 2, SOURCES)
    assert g.method == "Gold = ratio x drugs, drugs as high as still fits inside the top of the total."
    # total exactly filled at the top: 4 bn / (1 + 3) x 3 = 3 bn = the point; a range, not open
    edge = ce.implied_gold(claims(total=(3e9, 3e9, 4e9)))
    assert (edge.point, edge.high) == (3e9, 3e9)
    assert edge.method.startswith("Gold = ratio x drugs, drugs as high")
    # total too small for the parts: 3 x 3 / 4 = 2.25 bn < 3 bn, so no upper end
    over = ce.implied_gold(claims(total=(2e9, 2e9, 3e9)))
    assert over.high is None
    assert over.method == "Gold = ratio x drugs; drugs + gold exceed the stated total."


def test_drugs_plus_gold_in_full():
    e = ce.drugs_plus_gold(claims())
    # 1 x (1 + 3) = 4 bn; 1 x (1 + 2.55) = 3.55 bn; at the floor reading the top is 4 bn
    assert (e.point, e.low, e.high) == pytest.approx((4e9, 3.55e9, 4e9))
    assert (e.interval, e.digits, e.sources) == ("range", 2, SOURCES)
    assert e.method == "Drugs times (1 + gold/drug ratio), drugs at the stated floor."


def test_residual_at_floor_and_range_notes():
    assert ce.residual_at_floor(claims()).method == (
        "Stated total minus drugs at their stated floor and gold at the stated ratio.")
    e = ce.residual_range(claims())
    assert e.method == ("Interval arithmetic over the stated bounds; drugs open above; floored "
                        "at zero (a negative residual would mean the parts exceed the total).")
    # the top: 3 - 1 x 3.55 < 0, floored at exactly zero
    assert ce.residual_range(claims(total=(2e9, 2e9, 3e9))).high == 0.0


def test_residual_raw_flags_at_the_boundaries():
    ratio = (3.0, 2.5, 3.0)             # a stated floor of 2.5 keeps the arithmetic exact
    # read cap: parts 1-2 bn x (1 + 2.5 .. 1 + 3) = 3.5-8 bn
    r = ce.residual_raw(claims(ratio=ratio, total=(8e9, 8e9, 9e9)))
    # total floor 8 - 8 = 0: not negative; top 9 - 3.5 = 5.5
    assert (r["estimate"].low, r["estimate"].high) == (0.0, 5.5e9)
    assert (r["negative_low"], r["negative_high"]) == (False, False)
    assert r["estimate"].method == ("Total minus drugs + gold, drugs up to the report's reading "
                                    "of \"well over\"; not floored at zero.")
    # top 3.5 - 3.5 = 0: not negative; top 3 - 3.5 = -0.5: negative even at the smallest parts
    assert ce.residual_raw(claims(ratio=ratio, total=(2e9, 2e9, 3.5e9)))["negative_high"] is False
    low = ce.residual_raw(claims(ratio=ratio, total=(2e9, 2e9, 3e9)))
    assert (low["negative_low"], low["negative_high"]) == (True, True)


def test_drugs_ceiling_notes():
    assert ce.drugs_ceiling(claims()).method == "Total (high end) divided by (1 + gold/drug ratio)."
    assert ce.drugs_ceiling(claims(), "low").method == "Total (low end) divided by (1 + gold/drug ratio)."
    e = ce.drugs_ceiling_range(claims())
    # 5 / 4 = 1.25 bn to 7 / 3.55 = 1.9718 bn
    assert (e.low, e.high) == pytest.approx((1.25e9, 7e9 / 3.55))
    assert (e.digits, e.sources) == (2, SOURCES)
    assert e.method == ("Total divided by (1 + gold/drug ratio): total floor with the stated "
                        "multiple, to total top with the multiple at 0.85 x the stated one (the "
                        "report's reading of 'almost').")


def test_consistency_table_columns_and_exact_fit():
    t = ce.consistency_table(claims(total=(4e9, 4e9, 4e9)))
    assert list(t.columns) == ["scenario", "drugs", "ratio", "drugs_plus_gold", "residual_low",
                               "residual_high", "fits_low", "fits_high"]
    row = t.set_index("scenario").loc["drugs at stated floor, ratio as stated"]
    # 1 x (1 + 3) = 4 bn: exactly the total, which fits (parts <= total)
    assert (row["drugs"], row["ratio"], row["drugs_plus_gold"]) == (1e9, 3.0, 4e9)
    assert (row["residual_low"], row["residual_high"]) == (0.0, 0.0)
    assert (row["fits_low"], row["fits_high"]) == (True, True)
    cap = t.set_index("scenario").loc["drugs at read cap, ratio as stated"]
    # 2 x 4 = 8 bn against 4 bn: residual -4 bn at both ends
    assert (cap["residual_low"], cap["residual_high"]) == (-4e9, -4e9)


def test_consistency_verdict_in_full():
    fit = ce.consistency_verdict(claims(total=(4e9, 4e9, 7e9)))
    # 1 x (1 + 3) = 4 bn <= a total floor of 4 bn: the parts fit, exactly
    assert fit.branch == "parts_fit" and fit.sources == SOURCES
    assert fit.method == "Drug floor x (1 + ratio) compared with the floor of the total."
    # ceiling from 4 / 4 = $1 billion to 7 / 3.55 = $1.97 billion
    assert str(fit) == ("Taken at face value the parts can fit: drugs and gold leave room inside "
                        "the total as long as drug earnings stay below a ceiling of $1.00–1.97 "
                        "billion a year, depending on where in its range the total lies and on "
                        "how much less than three times \"almost\" allows.")
    over = ce.consistency_verdict(claims(total=(3.9e9, 3.9e9, 7e9)))
    assert over.branch == "parts_exceed_total"
    assert str(over) == ("Taken at face value the parts do not fit: drugs and gold alone exceed "
                         "the floor of the stated total.")


def test_simulation_summary_names_its_quantiles():
    sim = pd.DataFrame({"x": np.arange(101.0)})
    q = ce.simulation_summary(sim)
    # 0..100: the p-quantile is 100 p
    assert q.columns.tolist() == ["q05", "q25", "q50", "q75", "q95"]
    assert q.loc["x"].tolist() == [5.0, 25.0, 50.0, 75.0, 95.0]


# eleven hand-made draws; residuals -2, -1, 0, 0.5, 1..7 (one exactly 0, one between 0 and 1)
SIM = pd.DataFrame({"drugs": np.arange(11.0) * 1e8, "ratio": np.linspace(2.0, 3.0, 11),
                    "gold": np.arange(11.0) * 1e8, "total": np.full(11, 5e9),
                    "residual": [-2.0, -1.0, 0.0, 0.5, 1, 2, 3, 4, 5, 6, 7]})


def test_mc_estimate_in_full():
    e = ce.mc_estimate(SIM, "drugs", claims())
    # drugs 0..1e9 by 1e8: 5% quantile = 0.05 x 10 steps = 0.5e8, median 5e8, 95% 9.5e8
    assert (e.point, e.low, e.high) == pytest.approx((5e8, 0.5e8, 9.5e8))
    assert (e.unit, e.interval, e.sources) == ("USD", "90% simulation interval", SOURCES)
    assert e.method == "Monte Carlo median and 90% interval; n = 11."
    fit = ce.mc_estimate(SIM, "drugs", claims(), consistent_only=True)
    # residual >= 0 keeps draws 2..10 (the zero one included): 2e8..1e9, median 6e8;
    # 5%: 0.05 x 8 steps = 0.4 -> 2.4e8; 95%: 7.6 -> 9.6e8
    assert (fit.point, fit.low, fit.high) == pytest.approx((6e8, 2.4e8, 9.6e8))
    assert fit.method == ("Monte Carlo median and 90% interval among draws whose parts fit the "
                          "total; n = 9.")
    r = ce.mc_estimate(SIM, "ratio", claims(), level=0.5)
    # ratio 2.0..3.0 by 0.1; central 50%: 25% -> 2.25, 75% -> 2.75
    assert (r.unit, r.interval, r.low, r.high) == ("times", "50% simulation interval",
                                                   pytest.approx(2.25), pytest.approx(2.75))


def test_shares_count_the_zero_residual_as_fitting():
    # residual >= 0 in 9 of 11 draws: 81.8%; < 0 in 2: 18.2%
    fit = ce.share_consistent(SIM, claims())
    assert fit.point == pytest.approx(900 / 11)
    assert (fit.unit, fit.digits, fit.sources) == ("percent", 0, SOURCES)
    assert fit.method == "Share of 11 draws with residual >= 0."
    assert str(fit) == "82%"
    over = ce.share_exceeding(SIM, claims())
    assert over.point == pytest.approx(200 / 11)
    assert (over.unit, over.digits, over.sources) == ("percent", 0, SOURCES)
    assert over.method == "Share of 11 draws with residual < 0."


def test_fit_sensitivity_keeps_the_reading_of_almost():
    readings = ce.Readings(almost_floor=0.95)
    t = ce.fit_sensitivity(claims(), caps=(1.5,), n=2000, seed=7, readings=readings)
    assert list(t.columns) == ["well_over_cap", "drugs_cap", "share_fit", "n_draws"]
    # the same draws written out: drugs U(1, 1.5) bn, ratio U(0.95 x 3, 3), total U(5, 7) bn
    rng = np.random.default_rng(7)
    d, q, tot = rng.uniform(1e9, 1.5e9, 2000), rng.uniform(2.85, 3.0, 2000), rng.uniform(5e9, 7e9, 2000)
    assert t["share_fit"].iloc[0] == pytest.approx(100 * np.mean(tot - d - d * q >= 0))
    assert t["n_draws"].iloc[0] == 2000


def test_economy_rows_in_full():
    c = claims()
    rows = ce.economy_rows(c, SIM).set_index("part")
    drugs = rows.loc["drugs", "interval"]
    # the default reading, "fits_total": drugs from the $1 bn floor up to 7 / 4 = 1.75 bn
    assert (drugs.point, drugs.low, drugs.high) == (1e9, 1e9, 1.75e9)
    assert (drugs.interval, drugs.sources) == ("range", SOURCES)
    assert drugs.method == "Stated floor; drugs as high as still fits inside the top of the total."
    total = rows.loc["total", "interval"]
    assert (total.point, total.low, total.high, total.method) == (None, 5e9, 7e9,
                                                                  "The article's range.")
    # drugs_and_gold is drugs + gold, draw by draw: 0..2e9 by 2e8, median 1e9
    assert rows.loc["drugs_and_gold", "simulated_all"].point == pytest.approx(1e9)
    # only the residual row can be flagged negative (here its low end is: 5 - 1.75 x 4 < 0)
    assert rows["residual_negative"].tolist() == [False, False, False, True, False]


def test_fit_sensitivity_counts_a_residual_of_exactly_zero_as_fitting():
    # every range closed on one value: drugs U(1, 1 x 1) bn = 1 bn, ratio U(3, 3) = 3 (stated
    # floor), total U(4, 4) bn = 4 bn; every draw's residual 4 - 1 - 3 x 1 = 0 bn, and 0 fits
    c = claims(drugs=(1e9, 1e9, None), ratio=(3.0, 3.0, 3.0), total=(4e9, 4e9, 4e9))
    t = ce.fit_sensitivity(c, caps=(1.0,), n=10, readings=ce.Readings(almost_floor=1.0))
    # 10 of 10 draws fit: 100%; drugs cap 1.0 x 1 bn
    assert t["share_fit"].tolist() == [100.0]
    assert t["drugs_cap"].tolist() == [1e9] and t["n_draws"].tolist() == [10]
