"""The formatter prints numbers as a published report does: en dashes in ranges, the minus sign
before the currency symbol, "0" for a zero end, year spans with a dash (STYLE.md, typography).

Every expected string below is worked out by hand in its comment, never by the formatter.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.estimate import Estimate, format_number, year_span

EN, MINUS = "\u2013", "\u2212"


def test_money_range_takes_an_en_dash():
    # low 5e9, high 7e9 -> both in billions -> "$5" en-dash "7 billion"
    assert str(Estimate(None, 5e9, 7e9, unit="USD")) == f"$5{EN}7 billion"


def test_rate_range_takes_an_en_dash():
    # South American range of homicide rates 3.5 and 25.6 per 100k, shown bare beside a point
    e = Estimate(8.8, 3.5, 25.6, unit="per_100k", year=2021)
    assert str(e) == f"8.8 per 100,000 (2021; range 3.5{EN}25.6)"


def test_negative_money_puts_the_minus_before_the_dollar():
    # -1.7e9 -> 1.7 billion, negative: minus sign U+2212, then "$": "-$1.7 billion"
    assert str(Estimate(-1.7e9, unit="USD")) == f"{MINUS}$1.7 billion"


def test_range_across_zero_reads_to_and_each_end_has_its_dollar():
    # -1.2e9 .. 0.3e9 in billions: "-$1.2 to $0.3 billion" (a dash beside a minus misreads)
    assert str(Estimate(None, -1.2e9, 0.3e9, unit="USD")) == f"{MINUS}$1.2 to $0.3 billion"


def test_a_zero_end_prints_as_zero_not_zero_point_zero():
    # 0 and 3.5e9: one decimal is needed for 3.5, but the zero end is a plain "0"
    assert str(Estimate(None, 0.0, 3.5e9, unit="USD")) == f"$0{EN}3.5 billion"
    # a small but non-zero end keeps its decimals: 0.04e9 -> "0.0" is not claimed to be 0 ...
    assert format_number([0.04e9, 3.5e9], "USD") == f"$0.0{EN}3.5 billion"


def test_year_range_and_year_span():
    # calendar years stay unseparated, joined by an en dash
    assert str(Estimate(None, 2000, 2012, unit="year")) == f"2000{EN}2012"
    assert year_span(2000, 2012) == f"2000{EN}2012"
    assert year_span(2012, 2012) == "2012"
    with pytest.raises(ValueError, match="first year 2013 after last year 2012"):
        year_span(2013, 2012)


def test_interval_beside_a_percentage_point():
    # 2.1% a year, 95% CI 0.4 to 3.9: the bare interval keeps "%" and takes the en dash
    e = Estimate(2.1, 0.4, 3.9, unit="percent_per_year", interval="95% CI")
    assert str(e) == f"2.1% a year (95% CI 0.4{EN}3.9%)"


# -- properties ----------------------------------------------------------------------------

UNITS = ["USD", "tonnes", "hectares", "percent", "per_100k", "count", "year", "score", "times"]
amount = st.floats(min_value=-1e11, max_value=1e11, allow_nan=False, allow_infinity=False)
DIGIT_HYPHEN_DIGIT = re.compile(r"\d-\d")


@given(amount, amount, st.sampled_from(UNITS))
def test_a_formatted_range_never_has_a_hyphen_between_digits(a, b, unit):
    lo, hi = sorted([a, b])
    text = str(Estimate(None, lo, hi, unit=unit))
    assert not DIGIT_HYPHEN_DIGIT.search(text), text
    assert "-" not in text, text  # not as a minus sign either: negatives take U+2212


def _numbers(text: str) -> list[float]:
    """The numbers printed in `text`, read back (minus sign, separators and scale words)."""
    scale = 1e9 if "billion" in text else 1e6 if "million" in text else 1.0
    found = re.findall(f"({MINUS}?)\\$?([0-9][0-9,]*(?:\\.[0-9]+)?)", text)
    return [(-1 if sign else 1) * float(n.replace(",", "")) * scale for sign, n in found]


@given(st.floats(min_value=-1e11, max_value=1e11, allow_nan=False),
       st.floats(min_value=-1e11, max_value=1e11, allow_nan=False))
def test_a_range_prints_its_low_end_first(a, b):
    lo, hi = sorted([a, b])
    text = format_number([lo, hi], "USD")
    printed = _numbers(text)
    assert len(printed) == 2 and printed[0] <= printed[1], text


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=0, max_value=50))
def test_year_span_reads_back_as_its_two_years(first, length):
    text = year_span(first, first + length)
    assert [int(y) for y in text.split(EN)] == ([first] if length == 0 else [first, first + length])
