"""The one formatter: hedging kept, ranges never dropped, separators, claim dicts."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.estimate import Branch, Estimate, choose, format_number

SRC = ("muggah_mcdermott_2013",)


def test_lower_bound_keeps_at_least():
    # "well over $1 billion" encoded as point = low = 1e9, high open -> a one-sided claim
    e = Estimate(1e9, low=1e9, unit="USD", sources=SRC)
    assert str(e) == "at least $1 billion"


def test_lower_bound_keeps_the_articles_own_hedge():
    e = Estimate(1e9, low=1e9, unit="USD", hedge="well over")
    assert str(e) == "well over $1 billion"


def test_closed_range_without_point_prints_both_ends():
    # "at least $5 billion a year, perhaps closer to $7 billion" -> $5–7 billion (en dash)
    assert str(Estimate(None, 5e9, 7e9, unit="USD")) == "$5\u20137 billion"


def test_point_at_one_end_of_a_closed_range_prints_the_range():
    # the claims table encodes "at least $5 billion, perhaps closer to $7 billion" as
    # value = low = 5e9, high = 7e9
    e = Estimate(5e9, 5e9, 7e9, unit="USD")
    assert str(e) == "$5\u20137 billion" and e._repr_claim_()["value"] == 5e9


def test_range_across_million_and_billion_shares_one_scale():
    # 0.4e9 and 1.2e9 both in billions so the range reads as one quantity
    assert str(Estimate(None, 4e8, 1.2e9, unit="USD")) == "$0.4\u20131.2 billion"


def test_hedged_point():
    # 5% of 300 t = 15 t, hedged "about"
    assert str(Estimate(15, unit="tonnes", hedge="about")) == "about 15 tonnes"
    assert str(Estimate(5, unit="percent", hedge="as little as")) == "as little as 5%"
    assert str(Estimate(3, unit="times", hedge="almost")) == "almost three times"


def test_rate_shows_year_and_one_decimal():
    # 10,000 / 29.99 M (Peru 2012) = 33.34 per 100k -> one decimal
    assert str(Estimate(10_000 / 29.99e6 * 1e5, unit="per_100k", year=2012)) == (
        "33.3 per 100,000 (2012)")


def test_point_with_interval_prints_interval_beside_it():
    e = Estimate(2.1, 0.4, 3.9, unit="percent_per_year", interval="95% CI")
    assert str(e) == "2.1% a year (95% CI 0.4\u20133.9%)"
    e = Estimate(2.9e9, 1.9e9, 4.2e9, unit="USD", interval="90% interval")
    assert str(e) == "$2.9 billion (90% interval $1.9\u20134.2 billion)"


def test_rate_with_interval_and_year():
    e = Estimate(33.3, 30, 36, unit="per_100k", year=2012, interval="90% interval")
    assert str(e) == "33.3 per 100,000 (2012; 90% interval 30.0\u201336.0)"


def test_upper_bound_and_as_many_as():
    assert str(Estimate(100, high=100, unit="people", hedge="as many as")) == (
        "as many as 100 people")
    assert str(Estimate(None, high=7e9, unit="USD")) == "at most $7 billion"


def test_thousands_separators_and_units():
    assert str(Estimate(61_800, unit="hectares")) == "61,800 hectares"
    assert str(Estimate(10_000, unit="homicides")) == "10,000 homicides"
    assert str(Estimate(400_000, unit="USD")) == "$400,000"
    assert str(Estimate(1, unit="tonnes")) == "1 tonne"


def test_negative_range_uses_to():
    # negatives carry a true minus sign (U+2212), as the PDF typesets them
    assert str(Estimate(-0.5, -1.2, 0.3, interval="95% CI")) == "\u22120.5 (95% CI \u22121.2 to 0.3)"
    assert str(Estimate(-0.0001, digits=2)) == "0.00"  # never a signed zero


def test_ranks_are_ordinals():
    assert [format_number([n], "rank") for n in (1, 2, 3, 4, 11, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "22nd"]


def test_unknown_unit_prints_its_name():
    assert str(Estimate(12, unit="conventions")) == "12 conventions"


def test_nan_bounds_are_open_ends():
    # a pandas NaN in a claims row means "not stated", not a number
    e = Estimate(1e9, low=1e9, high=float("nan"), unit="USD")
    assert e.high is None and str(e) == "at least $1 billion"


def test_point_outside_interval_is_refused():
    with pytest.raises(ValueError, match="point 5.0 > high 4.0"):
        Estimate(5, 1, 4)
    with pytest.raises(ValueError, match="needs a point or at least one bound"):
        Estimate(None)


def test_claim_dict_matches_the_contract():
    d = Estimate(1e9, low=1e9, unit="USD", sources=SRC)._repr_claim_()
    assert d == {"kind": "number", "text": "at least $1 billion", "value": 1e9, "low": 1e9,
                 "high": None, "unit": "USD", "sources": ["muggah_mcdermott_2013"],
                 "id": None, "year": None}
    json.dumps(d)  # the ledger is JSON


def test_choose_picks_and_labels_the_branch():
    b = choose(True, "Peru remains the largest grower.", "Colombia has overtaken Peru.",
               labels=("peru_leads", "colombia_leads"), sources=["unodc"])
    assert str(b) == "Peru remains the largest grower."
    assert b._repr_claim_() == {"kind": "branch", "text": "Peru remains the largest grower.",
                                "branch": "peru_leads", "sources": ["unodc"], "id": None}
    other = choose(False, "a", "b", labels=("x", "y"))
    assert (str(other), other.branch) == ("b", "y")


def test_choose_refuses_non_bool():
    with pytest.raises(TypeError, match="bool condition"):
        choose(None, "a", "b")


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)


@given(finite, finite, finite)
def test_interval_contains_its_point(a, b, c):
    lo, p, hi = sorted([a, b, c])
    e = Estimate(p, lo, hi, unit="USD")
    assert e.contains(e.point) and e.contains(e.central)
    assert str(e)  # always formats


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False),
       st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_a_range_is_never_dropped(a, b):
    lo, hi = sorted([a, b])
    text = str(Estimate(None, lo, hi, unit="tonnes"))
    lo_txt = format_number([lo, hi], "tonnes").split("\u2013")[0]
    assert lo_txt in text
    if format_number([lo], "tonnes") != format_number([hi], "tonnes"):
        assert "\u2013" in text


def test_branch_is_a_frozen_value():
    b = Branch("x", "y")
    with pytest.raises(Exception):
        b.text = "z"


def test_calendar_year_prints_without_thousands_separator():
    # a year is a label, not a quantity: 2013, never "2,013"; the claim text agrees
    e = Estimate(2013, unit="year")
    assert str(e) == "2013"
    assert e._repr_claim_()["text"] == "2013"
    assert str(Estimate(None, 2012, 2013, unit="year")) == "2012\u20132013"
