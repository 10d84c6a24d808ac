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
