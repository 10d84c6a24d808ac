"""A sentence that names its year does not repeat it after each number (issue 12):
"In 2021 ... 8.6 per 100,000, against ... 8.8" - not "8.6 per 100,000 (2021)" twice."""

from __future__ import annotations

import re

from analysis.estimate import Estimate
from analysis.report import paradox
from analysis.report.values import missing, year_named


def test_year_named_drops_only_the_year_tag():
    rate = Estimate(8.6, unit="per_100k", year=2021, sources=("wdi_homicide",))
    assert str(rate) == "8.6 per 100,000 (2021)"
    assert str(year_named(rate)) == "8.6 per 100,000"
    assert year_named(rate)._repr_claim_()["year"] == 2021  # the ledger keeps the year
    median = Estimate(8.8, 3.5, 25.6, unit="per_100k", year=2021, interval="range")
    assert str(year_named(median)) == "8.8 per 100,000 (range 3.5\u201325.6)"


def test_a_missing_value_passes_through():
    gap = missing("Mexico's rate", "mexico_rate_latest")
    assert year_named(gap) is gap


def test_chapter_one_names_the_year_once_in_its_homicide_sentences():
    r = paradox.bundle()
    year = str(r.latest_homicide_year)
    for name in ("peru_rate_latest_no_year", "sa_median_latest_no_year", "colombia_rate_latest"):
        assert not re.search(rf"\b{year}\b", str(getattr(r, name))), name
    assert year in str(r.peru_rate_latest)  # where the sentence does not name it, the tag stays


def test_the_tag_is_left_out_only_for_the_year_the_sentence_names():
    rate = Estimate(33.8, unit="per_100k", year=2012)
    assert str(year_named(rate, 2012)) == "33.8 per 100,000"
    assert str(year_named(rate, Estimate(2012, unit="year"))) == "33.8 per 100,000"
    # a new vintage that moves one of the two years keeps the tag: the sentence would be wrong without it
    assert str(year_named(rate, 2013)) == "33.8 per 100,000 (2012)"
    assert str(year_named(year_named(rate, 2012), 2013)) == "33.8 per 100,000 (2012)"


def _tagged(value) -> bool:
    return bool(re.search(r"\(\d{4}\b", str(value)))


def _check_named_once(bundles):
    """Each sentence fixed in issue 12 names its year once: the value's tag is gone exactly
    when its year is the one the sentence names (or the earlier value's tag shows)."""
    p, c, x, i = (bundles[k] for k in ("01-paradox", "04-counting-the-dead", "05-explanations", "index.qmd"))
    pairs = [
        # "at 8.6 per 100,000 (2021) against a world rate of 5.5 per 100,000"
        (p.world_rate_latest, p.peru_rate_latest.year),
        # "Divided by Peru's population in 2012, the ministry's count is a homicide rate of 33.8 ..."
        (c.ministry_rate, c.count_year.point), (c.police_rate, c.count_year.point),
        # "The model's expected rate for Peru in 2012 is 29.1 per 100,000 (95% CI ...)"
        (x.peru_predicted, x.peru_model_year.point), (x.peru_observed, x.peru_model_year.point),
        # summary: "if taken as the count for 2012 ..., is a rate of 33.8 per 100,000"
        (i.ministry_rate, i.verdict_year.point), (i.police_rate, i.verdict_year.point),
        # summary: "Peru's homicide rate was 8.6 per 100,000 (2021), against a ... median of 8.8 ..."
        (i.sa_median_latest, i.peru_rate_latest.year),
    ]
    for value, named in pairs:
        assert _tagged(value) == (value.year != named), (str(value), named)
    assert _tagged(i.peru_rate_latest) and _tagged(p.peru_rate_latest)  # the tag that names the year


def test_the_fixed_sentences_name_their_year_once_on_the_full_data(book_bundles):
    _check_named_once(book_bundles)
    assert str(book_bundles["04-counting-the-dead"].ministry_rate) == "33.8 per 100,000"


def test_the_fixed_sentences_name_their_year_once_on_the_data_cut_at_2013(cut_bundles):
    _check_named_once(cut_bundles)


def test_the_claims_table_names_the_police_year_once(book_bundles):
    # "UNODC police count for 2012: 2,865 homicides (...); the claim is 10.2 per 100,000."
    table = book_bundles["a2-claims"].claims_table.to_markdown()
    assert re.search(r"for 2012\\: .*the claim is 10\\\.2 per 100\\,000\\.", table)
    assert "10\\.2 per 100\\,000 \\(2012\\)" not in table
