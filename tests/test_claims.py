"""Article claims read by id, with the article's hedges kept by the one formatter."""

import pytest
from factories import claims_frame, real_tables

from analysis.claims import claim, claim_estimate, hedge_for


def test_missing_or_duplicate_claim_is_named():
    claims = claims_frame([{"claim_id": "a", "value": 1, "unit": "USD", "wording": "exact"}] * 2)
    with pytest.raises(KeyError, match="claim_id 'a' found 2 times, expected once"):
        claim(claims, "a")
    with pytest.raises(KeyError, match="claim_id 'b' found 0 times"):
        claim(claims, "b")


def test_floor_and_ceiling_follow_the_encoding():
    claims = claims_frame([
        {"claim_id": "well_over", "value": 1e9, "low": 1e9, "unit": "USD", "wording": "well over"},
        {"claim_id": "almost", "value": 3, "high": 3, "unit": "multiple", "wording": "almost"},
        {"claim_id": "point", "value": 325, "unit": "tonnes", "wording": "estimated"}])
    assert (claim(claims, "well_over").floor, claim(claims, "well_over").ceiling) == (1e9, None)
    assert (claim(claims, "almost").floor, claim(claims, "almost").ceiling) == (3, 3)
    assert (claim(claims, "point").floor, claim(claims, "point").ceiling) == (325, 325)


def test_hedge_words():
    assert hedge_for("estimated") == "about"
    assert hedge_for("well over") == "well over"
    assert hedge_for("exact") is None and hedge_for("at least ... perhaps closer to") is None


def test_every_real_claim_formats_with_its_hedge():
    claims = real_tables()["article_claims"]
    text = {cid: str(claim_estimate(claims, cid)) for cid in claims["claim_id"]}
    assert text["drug_earnings_usd"] == "well over $1 billion"
    assert text["organized_crime_total_usd"] == "$5\u20137 billion"
    assert text["gold_vs_drugs_multiple"] == "almost three times"
    assert text["us_share_pct"] == "as little as 5%"
    assert text["cocaine_production_tons"] == "about 325 tonnes"
    assert text["homicides_interior_ministry"] == "10,000 homicides"
    assert text["humala_pardons"] == "as many as 100 people"
    assert text["helicopter_spending_usd"] == "some $400 million"


def test_every_claim_reads_as_the_csv_row():
    # Read with plain pandas: the claim object must carry the row's own values and metadata.
    import math

    import pandas as pd

    from analysis.data.paths import DEFAULT_DATA

    raw = pd.read_csv(DEFAULT_DATA / "article_claims.csv")
    claims = real_tables()["article_claims"]
    for row in raw.to_dict("records"):
        c = claim(claims, row["claim_id"])
        num = lambda x: None if isinstance(x, float) and math.isnan(x) else float(x)  # noqa: E731
        assert (c.value, c.low, c.high) == (num(row["value"]), num(row["low"]), num(row["high"]))
        assert c.unit == row["unit"] and c.source_id == row["source_id"]
        assert c.wording == row["wording"]
        assert c.year == (None if math.isnan(row["year"]) else int(row["year"]))
        e = claim_estimate(claims, row["claim_id"])
        assert e.sources == (row["source_id"],) and e.year == c.year
        assert e.method == f"As stated in the article (claim {row['claim_id']})."
        assert e.with_(id="x").id == "x" and claim_estimate(claims, row["claim_id"], id="y").id == "y"


def test_a_claim_without_year_or_wording_reads_as_none_and_empty():
    claims = claims_frame([{"claim_id": "a", "value": 1, "unit": "USD", "wording": None}])
    c = claim(claims, "a")
    assert c.year is None and c.wording == ""


def test_ceiling_of_a_claim_above_its_floor_is_its_value():
    # "at least 5, perhaps closer to 7" without a high: the value 7 is the largest it allows
    claims = claims_frame([{"claim_id": "a", "value": 7, "low": 5, "unit": "USD",
                            "wording": "at least ... perhaps closer to"}])
    assert (claim(claims, "a").floor, claim(claims, "a").ceiling) == (5, 7)


@pytest.mark.parametrize("wording", ["well over", "at least", "as little as", "almost",
                                     "as many as", "more than", "some", "about", "nearly"])
def test_every_prefix_hedge_is_kept_whatever_the_case_and_spacing(wording):
    assert hedge_for(f"  {wording.upper()} ") == wording


def test_a_claim_keeps_its_id_and_reads_missing_text_as_empty():
    claims = claims_frame([{"claim_id": "a", "value": 1, "unit": None, "wording": float("nan")}])
    c = claim(claims, "a")
    assert (c.claim_id, c.unit, c.wording) == ("a", "", "")
