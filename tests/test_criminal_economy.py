"""Criminal economy: interval arithmetic and Monte Carlo over the article's ranges."""

import numpy as np
import pytest
from factories import real_tables as _real_tables, claims_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import criminal_economy as ce


@pytest.fixture(scope="module")
def real_tables():
    return _real_tables()


def article_claims(drugs=1e9, ratio=3.0, total=(5e9, 7e9)):
    """The three statements as the claims table encodes them (hand-copied in tests only)."""
    return claims_frame([
        {"claim_id": "drug_earnings_usd", "value": drugs, "low": drugs, "unit": "USD",
         "wording": "well over"},
        {"claim_id": "gold_vs_drugs_multiple", "value": ratio, "high": ratio, "unit": "multiple",
         "wording": "almost"},
        {"claim_id": "organized_crime_total_usd", "value": total[0], "low": total[0], "high": total[1], "unit": "USD"},
    ])


CLAIMS = article_claims()


def test_implied_gold():
    e = ce.implied_gold(CLAIMS)
    # 3 x $1 bn = $3 bn; floor 0.85 x 3 x 1 = 2.55 bn; top 7 x 3 / (1 + 3) = 5.25 bn
    assert (e.point, e.low, e.high) == pytest.approx((3e9, 2.55e9, 5.25e9))
    assert e.unit == "USD" and e.sources == ("muggah_mcdermott_2013",)


def test_residual_at_floor():
    e = ce.residual_at_floor(CLAIMS)
    # $5-7 bn minus 1 x (1 + 3) = 4 bn -> $1-3 bn left for trafficking, timber, antiquities
    assert (e.low, e.high) == pytest.approx((1e9, 3e9))
    assert str(e) == "$1\u20133 billion"


def test_residual_range_by_interval_arithmetic():
    e = ce.residual_range(CLAIMS)
    # top: 7 - 1 x (1 + 2.55) = 3.45 bn; bottom 0 because drugs are open above
    assert (e.low, e.high) == pytest.approx((0.0, 3.45e9))


def test_drugs_ceiling():
    # 7 / (1 + 3) = 1.75 bn; 5 / (1 + 3) = 1.25 bn
    assert ce.drugs_ceiling(CLAIMS).point == pytest.approx(1.75e9)
    assert ce.drugs_ceiling(CLAIMS, "low").point == pytest.approx(1.25e9)
    assert str(ce.drugs_ceiling(CLAIMS)) == "at most $1.75 billion"


def test_consistency_table():
    t = ce.consistency_table(CLAIMS).set_index("scenario")
    # floor, ratio 3: parts 4 bn <= 5 bn -> fits at both ends of the total
    row = t.loc["drugs at stated floor, ratio as stated"]
    assert row["drugs_plus_gold"] == pytest.approx(4e9) and row["fits_low"] and row["fits_high"]
    # cap 2 bn, ratio 3: parts 8 bn > 7 bn -> fits at neither end
    row = t.loc["drugs at read cap, ratio as stated"]
    assert row["drugs_plus_gold"] == pytest.approx(8e9) and not row["fits_high"]
    # cap 2 bn, ratio 2.55: 2 x 3.55 = 7.1 bn > 7 bn -> still does not fit
    assert not t.loc["drugs at read cap, ratio at read floor", "fits_high"]


def test_verdict_branches_follow_the_numbers():
    assert ce.consistency_verdict(CLAIMS).branch == "parts_fit"
    # drugs at 1.5 bn x (1 + 3) = 6 bn > 5 bn floor of the total -> does not fit at face value
    assert ce.consistency_verdict(article_claims(drugs=1.5e9)).branch == "parts_exceed_total"


def test_simulation_is_seeded_and_within_the_ranges():
    a = ce.simulate(CLAIMS, n=20_000, seed=1)
    b = ce.simulate(CLAIMS, n=20_000, seed=1)
    assert a.equals(b)
    assert a["drugs"].between(1e9, 2e9).all() and a["ratio"].between(2.55, 3).all()
    assert a["total"].between(5e9, 7e9).all()
    assert np.allclose(a["residual"], a["total"] - a["drugs"] * (1 + a["ratio"]))


def test_share_consistent_matches_quadrature():
    # P(D (1 + r) <= T), D ~ U(1, 2), r ~ U(2.55, 3), T ~ U(5, 7) (billions), computed on a
    # 400 x 400 grid over (D, r): P(T >= x) = clip((7 - x) / 2, 0, 1)
    d = np.linspace(1, 2, 401)[:-1] + 1 / 800
    r = np.linspace(2.55, 3, 401)[:-1] + 0.45 / 800
    x = d[:, None] * (1 + r[None, :])
    expected = np.clip((7 - x) / 2, 0, 1).mean() * 100
    sim = ce.simulate(CLAIMS)
    got = ce.share_consistent(sim, CLAIMS).point
    assert got == pytest.approx(expected, abs=0.5)
    assert got + ce.share_exceeding(sim, CLAIMS).point == pytest.approx(100)


def test_mc_estimate_agrees_with_interval_arithmetic():
    sim = ce.simulate(CLAIMS)
    gold = ce.mc_estimate(sim, "gold", CLAIMS)
    exact = ce.implied_gold(CLAIMS)
    # every simulated gold value is >= 2.55 bn, the interval floor
    assert gold.low >= exact.low
    fit = ce.mc_estimate(sim, "residual", CLAIMS, consistent_only=True)
    widest = ce.residual_range(CLAIMS)
    assert widest.low <= fit.low <= fit.high <= widest.high


@settings(max_examples=40, deadline=None)
@given(st.floats(0.1e9, 3e9), st.floats(1.0, 5.0), st.floats(1e9, 10e9), st.floats(0, 5e9),
       st.integers(0, 2**32 - 1))
def test_monte_carlo_quantiles_are_monotone(drugs, ratio, t_low, t_width, seed):
    claims = article_claims(drugs, ratio, (t_low, t_low + t_width))
    summary = ce.simulation_summary(ce.simulate(claims, n=2_000, seed=seed))
    values = summary.to_numpy()
    assert (np.diff(values, axis=1) >= -1e-6 * np.abs(values).max()).all()


@settings(max_examples=40, deadline=None)
@given(st.floats(0.1e9, 3e9), st.floats(1.0, 5.0), st.floats(1e9, 10e9), st.floats(0, 5e9))
def test_interval_estimates_contain_their_points(drugs, ratio, t_low, t_width):
    claims = article_claims(drugs, ratio, (t_low, t_low + t_width))
    for e in (ce.drugs_plus_gold(claims), ce.drugs_ceiling(claims), ce.implied_gold(claims)):
        assert e.contains(e.point)


# --- the real data (this vintage of data/) -------------------------------------------------

def test_real_claims_give_the_hand_worked_answers(real_tables):
    claims = real_tables["article_claims"]
    # the table encodes: drugs value = low = $1 bn; gold value = high = 3; total $5-7 bn
    assert str(ce.residual_at_floor(claims)) == "$1\u20133 billion"
    assert str(ce.drugs_ceiling(claims)) == "at most $1.75 billion"
    assert ce.consistency_verdict(claims).branch == "parts_fit"


@pytest.mark.parametrize("reading, drugs_high", [("at_floor", 1e9), ("fits_total", 1.75e9),
                                                 ("read_cap", 2e9)])
def test_economy_rows_share_one_reading(reading, drugs_high):
    # every row follows from the same highest drug figure: gold = 3 x drugs, drugs + gold =
    # 4 x drugs, residual = total - (drugs + gold), not floored at zero
    rows = ce.economy_rows(CLAIMS, ce.simulate(CLAIMS, n=2_000), reading).set_index("part")
    iv = rows["interval"]
    assert (iv["drugs"].low, iv["drugs"].high) == pytest.approx((1e9, drugs_high))
    assert (iv["gold"].low, iv["gold"].high) == pytest.approx((2.55e9, 3 * drugs_high))
    assert (iv["drugs_and_gold"].low, iv["drugs_and_gold"].high) == pytest.approx(
        (3.55e9, 4 * drugs_high))
    assert (iv["residual"].low, iv["residual"].high) == pytest.approx(
        (5e9 - 4 * drugs_high, 7e9 - 3.55e9))
    assert rows.loc["residual", "residual_negative"] == (5e9 - 4 * drugs_high < 0)
    # conditional and unconditional simulations are labelled apart
    assert "among draws whose parts fit" in rows.loc["residual", "simulated_fit"].method
    assert "among draws" not in rows.loc["residual", "simulated_all"].method
    assert rows.loc["residual", "simulated_fit"].low >= 0


def test_gold_and_drugs_plus_gold_defaults_are_unchanged_and_readings_checked():
    # the book's gold row reads "fits_total" (top 5.25 bn), its sum row "at_floor" (3.55-4 bn)
    assert ce.implied_gold(CLAIMS).high == pytest.approx(5.25e9)
    assert ce.drugs_plus_gold(CLAIMS).high == pytest.approx(4e9)
    assert ce.drugs_plus_gold(CLAIMS, reading="fits_total").high == pytest.approx(7e9)
    with pytest.raises(ValueError, match="reading must be one of"):
        ce.implied_gold(CLAIMS, reading="generous")


def test_residual_raw_says_when_it_would_be_negative():
    r = ce.residual_raw(CLAIMS)
    # read cap 2 x $1 bn: 5 - 2 x 4 = -3 bn; 7 - 1 x 3.55 = 3.45 bn
    assert (r["estimate"].low, r["estimate"].high) == pytest.approx((-3e9, 3.45e9))
    assert r["negative_low"] and not r["negative_high"]
    floor = ce.residual_raw(CLAIMS, reading="at_floor")
    assert not floor["negative_low"] and floor["estimate"].low == pytest.approx(1e9)
    assert "floored at zero" in ce.residual_range(CLAIMS).method


def test_fit_sensitivity_to_the_upper_end_of_well_over():
    t = ce.fit_sensitivity(CLAIMS, n=20_000).set_index("well_over_cap")
    # drugs ~ U(1, cap) bn, ratio ~ U(2.55, 3), total ~ U(5, 7) bn: with cap 1.5 the parts
    # (at most 6 bn) nearly always fit; with cap 3 (parts up to 12 bn) only a minority does.
    # Exact share for cap 1.5, by numerical integration written out here:
    d = np.linspace(1, 1.5, 401)[:, None, None]
    q = np.linspace(2.55, 3, 41)[None, :, None]
    tot = np.linspace(5, 7, 401)[None, None, :]
    exact = float((d * (1 + q) <= tot).mean() * 100)
    assert t.loc[1.5, "share_fit"] == pytest.approx(exact, abs=1.0)
    assert t.loc[1.5, "share_fit"] > t.loc[2.0, "share_fit"] > t.loc[3.0, "share_fit"]
    assert t.loc[2.0, "share_fit"] == pytest.approx(
        ce.share_consistent(ce.simulate(CLAIMS, n=20_000), CLAIMS).point)
    assert list(t["drugs_cap"]) == pytest.approx([1.5e9, 2e9, 3e9])


def test_drugs_ceiling_range_spans_the_readings():
    # tightest: 5 / (1 + 3) = 1.25 bn; loosest: 7 / (1 + 0.85 x 3 = 3.55) = 1.9718 bn
    e = ce.drugs_ceiling_range(CLAIMS)
    assert (e.low, e.high) == pytest.approx((1.25e9, 7e9 / 3.55))
    assert str(e) == "$1.25\u20131.97 billion"
