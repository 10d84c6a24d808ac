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
