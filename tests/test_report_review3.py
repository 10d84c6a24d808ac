"""Known answers for the findings a fresh-context review found stated too strongly
(/work/brief/review3.md), each worked out from the data files with plain pandas, never
through the function under test."""

from __future__ import annotations

import pandas as pd
import pytest
from test_book_datacut import ROOT

DATA = ROOT / "data"


def _claim(claim_id: str) -> pd.Series:
    """One row of the article's claims, read with pandas."""
    claims = pd.read_csv(DATA / "article_claims.csv").set_index("claim_id")
    return claims.loc[claim_id]


def test_figure_3_1_residual_at_the_articles_floors(book_bundles):
    # drugs at their floor ($1bn), gold at 3 x drugs down to 0.85 x 3 = 2.55 x drugs (the
    # report's reading of "almost"), total $5-7bn:
    # 5 - 1 x (1 + 3) = $1.0bn; 7 - 1 x (1 + 2.55) = $3.45bn -> "$1.0–3.5 billion"
    drugs = float(_claim("drug_earnings_usd")["value"])
    ratio = float(_claim("gold_vs_drugs_multiple")["high"])
    total = _claim("organized_crime_total_usd")
    low = float(total["low"]) - drugs * (1 + ratio)
    high = float(total["high"]) - drugs * (1 + 0.85 * ratio)
    assert (low, high) == (1.0e9, 3.45e9)
    finding = book_bundles["03-criminal-economy"].economy_finding
    assert finding.branch == "negative_on_report_reading"
    # the overrun needs drugs up to 2 x the floor: the report's reading, named as such
    assert "up to $2 billion (this report\u2019s assumption)" in finding.text
    assert "leave $1.0\u20133.5 billion" in finding.text


def test_figure_5_1_says_how_few_points_lie_as_far_below_as_peru(book_bundles):
    # 715 other country-years, 475 below the line (66%), 65 at or under Peru's 2012 ratio
    # 0.2289 (9%): see tests/test_points_below_line.py for the counts by hand
    finding = book_bundles["05-explanations"].model_fit_finding
    assert finding.branch == "far_below:most_below:few_as_far"
    assert "(0.23 times the expected rate in 2012)" in finding.text
    assert "(475 of 715), but only 65 as far below as Peru" in finding.text


@pytest.mark.parametrize("counts, ratio, label, tail", [
    ((100, 30, 20), 0.9, "below:most_not_below:few_as_far",
     "most other country-years do not (30 of 100 lie below it), but only 20 as far below as Peru."),
    ((100, 80, 60), 0.3, "far_below:most_below:many_as_far",
     "most other country-years also lie below it (80 of 100), and 60 lie as far below as Peru."),
    ((100, 40, 90), 1.5, "above:most_not_below:many_as_far",
     "40 of the 100 other country-years lie below it."),
])
def test_figure_5_1_other_branches(monkeypatch, counts, ratio, label, tail):
    from types import SimpleNamespace

    from analysis import explanations as ex
    from analysis.estimate import Estimate
    from analysis.report import explanations as rex

    n, below, far = counts
    monkeypatch.setattr(ex, "points_below_line", lambda f: {
        "n_others": n, "below": below, "as_far_below": far})
    b = rex._model_fit_finding(SimpleNamespace(year=2012), Estimate(ratio, unit="times", digits=2))
    assert b.branch == label
    assert b.text.endswith(tail)
