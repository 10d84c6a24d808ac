"""Known answers for the findings a fresh-context review found stated too strongly
(/work/brief/review3.md), each worked out from the data files with plain pandas, never
through the function under test."""

from __future__ import annotations

import pandas as pd
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
