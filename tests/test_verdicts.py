"""Verdicts: the one rule's thresholds, and that it is monotone in the supporting evidence."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.verdicts import STRENGTH, verdict, verdict_from_flags


def outcomes(supports, contradicts, inconclusive):
    return ["supports"] * supports + ["contradicts"] * contradicts + ["inconclusive"] * inconclusive


@pytest.mark.parametrize("s, c, i, word", [
    (9, 0, 1, "robust"),            # 90% support
    (8, 0, 2, "mostly"),            # 80%
    (6, 4, 0, "mostly"),            # 60% support beats 40% against
    (0, 9, 1, "contradicted"),      # 90% against
    (1, 7, 2, "mostly contradicted"),
    (5, 0, 5, "fragile"),           # a split
    (2, 3, 5, "fragile"),           # 20% support, 30% against: split, not contradicted
    (1, 0, 9, "not shown"),         # 10% support is not more than SPLIT
    (0, 3, 7, "not shown"),
])
def test_rule_thresholds(s, c, i, word):
    v = verdict(outcomes(s, c, i))
    assert v.word == word
    assert (v.supporting, v.contradicting, v.n) == (s, c, s + c + i)
    assert v.share == pytest.approx(100 * s / (s + c + i))


def test_verdict_prints_word_share_and_count():
    assert str(verdict(outcomes(1, 0, 1))) == "fragile (50% of 2 specifications)"


def test_flags_never_count_as_contradictions():
    v = verdict_from_flags([True, False, False, False])
    assert (v.supporting, v.contradicting, v.word) == (1, 0, "fragile")


def test_empty_or_unknown_outcomes_are_errors():
    with pytest.raises(ValueError, match="at least one"):
        verdict([])
    with pytest.raises(ValueError, match="'maybe'"):
        verdict(["supports", "maybe"])


OUTCOME = st.sampled_from(["supports", "contradicts", "inconclusive"])


@settings(deadline=None, max_examples=300)
@given(st.lists(OUTCOME, min_size=1, max_size=60), st.data())
def test_turning_a_specification_into_support_never_weakens_the_verdict(out, data):
    i = data.draw(st.integers(0, len(out) - 1))
    before = verdict(out)
    after = verdict(out[:i] + ["supports"] + out[i + 1:])
    assert STRENGTH.index(after.word) >= STRENGTH.index(before.word)


@settings(deadline=None, max_examples=300)
@given(st.lists(OUTCOME, min_size=1, max_size=60))
def test_adding_a_supporting_specification_never_weakens_the_verdict(out):
    assert verdict(out + ["supports"]).strength >= verdict(out).strength


@settings(deadline=None, max_examples=200)
@given(st.lists(OUTCOME, min_size=1, max_size=60), st.data())
def test_turning_support_into_contradiction_never_strengthens_the_verdict(out, data):
    i = data.draw(st.integers(0, len(out) - 1))
    assert verdict(out[:i] + ["contradicts"] + out[i + 1:]).strength <= verdict(out).strength


@pytest.mark.parametrize("supports, contradicts, inconclusive, word", [
    (0, 3, 2, "mostly contradicted"),  # 3 / 5 = 0.60 exactly: the "mostly" bar is inclusive
    (3, 0, 2, "mostly"),
    (0, 9, 1, "contradicted"),         # 9 / 10 = 0.90 exactly
    (1, 0, 9, "not shown"),            # 1 / 10 = 0.10: not above the split bar
])
def test_verdict_bars_are_inclusive_at_their_exact_shares(supports, contradicts, inconclusive, word):
    v = verdict(["supports"] * supports + ["contradicts"] * contradicts
                + ["inconclusive"] * inconclusive)
    assert v.word == word


def test_an_empty_curve_says_why_there_is_no_verdict():
    with pytest.raises(ValueError, match="^a verdict needs at least one estimable specification$"):
        verdict([])
