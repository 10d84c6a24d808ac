"""The formatter's rules, each with a value worked out by hand (never with `format_number` as
its own oracle): aliases, decimals, money scale, ordinals, one-sided intervals, validation.

Written from `make mutate` survivors: each test pins a rule whose mutation printed a different
number or sentence and passed every other test.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.estimate import Estimate, canonical_unit, choose, format_number


@pytest.mark.parametrize("unit, key", [
    ("HA", "hectares"), ("Persons", "people"), ("usd", "USD"),  # aliases in any case
    ("furlongs", "furlongs"),  # unknown units pass through, spelled as given
    ("", ""),
])
def test_canonical_unit(unit, key):
    assert canonical_unit(unit) == key


@pytest.mark.parametrize("est, text", [
    # automatic decimals: whole numbers whole; one decimal from 1 up; two below 1
    (Estimate(0.5, unit="score"), "0.50"),
    (Estimate(None, 0.5, 1.0, unit="score"), "0.5\u20131.0"),  # max is 1, not below 1
    (Estimate(2.5e6, unit="score"), "2,500,000"),  # only money is scaled to millions
    (Estimate(1.234, unit="score", digits=2), "1.23"),  # digits override the automatic 1
    # money: millions from exactly 1e6, billions from 1e9, point and interval on one scale
    (Estimate(1e6, unit="USD"), "$1 million"),
    (Estimate(5e9, 5e9, 5e9, unit="USD"), "$5 billion"),
    (Estimate(None, 5e9, 5e9, unit="USD"), "$5 billion"),  # a closed range of one value
    # shown = 0.5, 0.1, 2 billion: not whole, top >= 1 -> one decimal; all in billions
    (Estimate(5e8, 1e8, 2e9, unit="USD"), "$0.5 billion (range $0.1\u20132.0 billion)"),
    # one-sided intervals beside a point: the bound, without the unit's words
    (Estimate(10, 5, None, unit="homicides"), "10 homicides (at least 5)"),
    (Estimate(10, None, 20, unit="homicides"), "10 homicides (at most 20)"),
    # unknown units print their name and take no year
    (Estimate(3, unit="furlongs", year=2012), "3 furlongs"),
])
def test_formatting_known_answers(est, text):
    assert str(est) == text


@pytest.mark.parametrize("values, unit, kwargs, text", [
    ([5], "hectares", {}, "5 hectares"),  # not bare unless asked
    ([5], "hectares", {"bare": True}, "5"),
    ([1.234], "score", {"digits": 2}, "1.23"),
    ([2.5], "times", {}, "2.5 times"),  # only whole numbers become words
    ([3], "times", {}, "three times"),
    ([21], "rank", {}, "21st"),
    ([20], "rank", {}, "20th"),
    ([13], "rank", {}, "13th"),
    ([121], "rank", {}, "121st"),  # 121 % 100 = 21: "st", not the teens' "th"
    ([112], "rank", {}, "112th"),
])
def test_format_number_known_answers(values, unit, kwargs, text):
    assert format_number(values, unit, **kwargs) == text


def test_estimate_normalises_sources_and_year():
    assert Estimate(1, sources="wb").sources == ("wb",)
    assert Estimate(1, sources=["a", "b", "a"]).sources == ("a", "b")
    e = Estimate(1, year="2012")
    assert e.year == 2012 and isinstance(e.year, int)
    with pytest.raises(ValueError, match="^Estimate needs a point or at least one bound$"):
        Estimate(None)


def test_order_check_tolerates_rounding_only():
    # tolerance = 1e-9 x the largest magnitude (at least 1e-9):
    Estimate(1e12 + 1, 0, 1e12)  # 1 over a high of 1e12 is within 1e-9 x 1e12 = 1,000
    with pytest.raises(ValueError, match=r"^Estimate point 0\.5000000015 > high 0\.5$"):
        Estimate(0.5 + 1.5e-9, 0, 0.5)  # 1.5e-9 over, tolerance 1e-9 x 1 = 1e-9
    with pytest.raises(ValueError, match=r"^Estimate low 5\.0 > high 3\.0$"):
        Estimate(None, 5, 3)
    with pytest.raises(ValueError, match=r"^Estimate point 1\.0 < low 2\.0$"):
        Estimate(1, 2, 3)


def test_contains_reads_both_ends():
    closed = Estimate(None, 0, 10)
    assert [closed.contains(x) for x in (-5, 0, 5, 10, 20)] == [False, True, True, True, False]
    assert Estimate(None, 0, None).contains(1e9) and not Estimate(None, 0, None).contains(-1)
    assert Estimate(None, None, 0).contains(-1e9) and not Estimate(None, None, 0).contains(1)


def test_choose_passes_its_labels_through():
    b = choose(np.bool_(True), "yes", "no", id="x_id", method="how")
    assert (b.text, b.branch, b.id, b.method) == ("yes", "true", "x_id", "how")
    assert choose(False, "yes", "no").method == ""
    with pytest.raises(TypeError, match="got int$"):
        choose(1, "yes", "no")


def test_a_bound_off_by_exactly_the_tolerance_is_accepted():
    # tolerance = 1e-9 x max(1, |values|) = 1e-9 here: a gap of exactly 1e-9 is rounding
    Estimate(None, 1e-9, 0)
    Estimate(0, 1e-9, None)
    Estimate(1e-9, None, 0)
    assert canonical_unit(None) == ""


def test_with_changes_only_what_it_is_given():
    e = Estimate(1, unit="score", sources=("a",), year=2012)
    two = e.with_(digits=2)
    assert str(two) == "1.00" and (two.sources, two.year, two.unit) == (("a",), 2012, "score")
    assert e.with_(id="x").id == "x" and e.id is None


def test_a_value_exactly_1e_9_off_a_whole_number_is_not_whole():
    # whole means closer than 1e-9 to an integer (strictly): 1e-9 itself is 1e-9 - 0 = 1e-9 off 0
    # score: not whole, top 1e-9 < 1 -> two decimals
    assert str(Estimate(1e-9, unit="score")) == "0.00"
    # $1 to $5 billion: scaled by 1e9 to 1 / 1e9 = 1e-9 and 5e9 / 1e9 = 5.0; 1e-9 is not whole,
    # top 5 >= 1 -> one decimal; the low end is not exactly zero, so it stays "0.0"
    assert str(Estimate(None, 1.0, 5e9, unit="USD")) == "$0.0\u20135.0 billion"
