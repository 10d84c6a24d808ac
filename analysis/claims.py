"""Read the article's own numbers from `article_claims` (never typed into code).

Every module that checks a statement of the article takes the `article_claims` DataFrame
(from `analysis.data.load("article_claims")`) and asks for a claim by its id. These helpers
turn one row into numbers or an `Estimate`, failing loudly if the claim is missing so that an
edited claims table cannot silently change what the book says.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.estimate import Estimate, _clean

__all__ = ["Claim", "claim", "claim_estimate", "hedge_for"]


@dataclass(frozen=True)
class Claim:
    """One article claim as numbers: value, low, high (None = not stated), unit, year, source."""

    claim_id: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    year: int | None
    wording: str
    source_id: str

    @property
    def floor(self) -> float | None:
        """The smallest value the claim allows (low, else the value)."""
        return self.low if self.low is not None else self.value

    @property
    def ceiling(self) -> float | None:
        """The largest value the claim allows (high, else the value); None if open above."""
        if self.high is not None:
            return self.high
        return None if self.low is not None and self.value in (None, self.low) else self.value


def claim(claims: pd.DataFrame, claim_id: str) -> Claim:
    """The claim `claim_id` of the `article_claims` table; KeyError naming it if absent."""
    rows = claims.loc[claims["claim_id"] == claim_id]
    if len(rows) != 1:
        raise KeyError(f"article_claims: claim_id {claim_id!r} found {len(rows)} times, expected once")
    row = rows.iloc[0]
    year = row.get("year")
    wording = row.get("wording")
    return Claim(
        claim_id=claim_id,
        value=_clean(row.get("value")),
        low=_clean(row.get("low")),
        high=_clean(row.get("high")),
        unit=str(row.get("unit") or ""),
        year=None if pd.isna(year) else int(year),
        wording="" if wording is None or pd.isna(wording) else str(wording),
        source_id=str(row.get("source_id")),
    )


# The article's hedge words that read as a prefix of the number ("well over $1 billion").
# Other wordings ("exact", "just", "single largest", a two-part range) print no prefix: the
# bounds themselves then say what the claim allows.
PREFIX_HEDGES = {"well over", "at least", "as little as", "almost", "as many as", "more than",
                 "some", "about", "nearly", "estimated"}


def hedge_for(wording: str) -> str | None:
    """The prefix hedge for a claim's wording; "estimated 325 tons" prints "about 325 tonnes"."""
    w = wording.strip().lower()
    if w == "estimated":
        return "about"
    return w if w in PREFIX_HEDGES else None


def claim_estimate(claims: pd.DataFrame, claim_id: str, **changes) -> Estimate:
    """The claim as an `Estimate`, keeping the article's hedge word where it is a prefix."""
    c = claim(claims, claim_id)
    est = Estimate(c.value, c.low, c.high, unit=c.unit, sources=(c.source_id,),
                   method=f"As stated in the article (claim {claim_id}).",
                   hedge=hedge_for(c.wording), year=c.year)
    return est.with_(**changes) if changes else est
