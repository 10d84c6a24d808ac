"""Step 2 of the argument: where Peru's cocaine goes, and what it is worth on the way.

The article says: of the ~325 tons produced, most goes to Brazil and Europe; Peru may supply
"as little as five percent" of the ~300 tons the United States consumes; Brazil is "the
world's second-biggest market"; the $1 billion earned at source is worth five times that in
Rio and "tenfold" in London. This module
- turns the US statements into tonnes (`us_bound_volume`, `remainder_for_other_markets`);
- reads the value chain under both readings of "multiply that figure tenfold" (`value_chain`);
- tests "Brazil's rise" on UNODC seizure series (`seizure_series`, `seizure_growth`) and on
  use prevalence (`use_prevalence`, `users_estimate`).
Seizures measure enforcement as much as traffic, and prevalence surveys differ in year and
method between countries: both are stated in the method notes of what is returned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.claims import claim, hedge_for
from analysis.estimate import Estimate

__all__ = ["CLAIM_IDS", "READINGS", "us_bound_volume", "remainder_for_other_markets",
           "value_chain", "london_value", "MARKETS", "market_members", "seizure_series",
           "seizure_growth", "growth_table", "use_prevalence", "users_estimate"]

CLAIM_IDS = {
    "production": "cocaine_production_tons",
    "us_consumption": "us_consumption_tons",
    "us_share": "us_share_pct",
    "source_value": "drug_earnings_usd",
    "rio_multiple": "rio_street_multiple",
    "london_multiple": "london_multiple",
}

# The two readings of "Get it to London and you can multiply that figure tenfold".
READINGS = {
    "tenfold_rio": "tenfold the Rio value (London = 5 x 10 = 50 x source)",
    "tenfold_source": "tenfold the source value (London = 10 x source)",
}


def _scaled(c, factor: float) -> tuple[float | None, float | None, float | None]:
    """A claim's value, low and high each multiplied by `factor` (None stays None)."""
    return tuple(None if v is None else v * factor for v in (c.value, c.low, c.high))


def us_bound_volume(claims: pd.DataFrame) -> Estimate:
    """Tonnes of Peruvian cocaine reaching the US: Peru's share x US consumption.

    Both numbers are the article's (share "as little as five percent" of "the estimated 300
    tons"); the share's bounds, as the claims table encodes them, carry through.
    """
    share, us = claim(claims, CLAIM_IDS["us_share"]), claim(claims, CLAIM_IDS["us_consumption"])
    total = us.value if us.value is not None else us.floor
    point, low, high = _scaled(share, total / 100)
    return Estimate(point, low, high, unit="tonnes", hedge=hedge_for(share.wording),
                    sources=(share.source_id, us.source_id),
                    method="Peru's share of the US market x estimated US consumption, both "
                           "from the article; a share, not a measured flow.")


def remainder_for_other_markets(claims: pd.DataFrame) -> Estimate:
    """Tonnes of the ~325 t left for Brazil, Europe and elsewhere once the US share is out.

    production - US-bound volume; an upper bound on the US share is a lower bound here.
    """
    prod = claim(claims, CLAIM_IDS["production"])
    us = us_bound_volume(claims)
    p = prod.value if prod.value is not None else prod.floor
    point = p - us.point if us.point is not None else None
    low = p - us.high if us.high is not None else None
    high = p - us.low if us.low is not None else None
    return Estimate(point, low, high, unit="tonnes",
                    sources=(prod.source_id, *us.sources),
                    method="Stated production minus the US-bound volume; assumes the 300 t US "
                           "figure and the 325 t production figure refer to the same year.")


def value_chain(claims: pd.DataFrame) -> pd.DataFrame:
    """The value of a year's Peruvian cocaine at source, in Rio and in London, both readings.

    Columns: reading (key of READINGS), reading_label, stage (source / Rio / London),
    multiple (x source value), low (USD; the source value is "well over $1 billion", so every
    stage is a floor), point (USD at the stated source figure). Applies the street multiples to
    the whole year's earnings, as the article's sentence does, although only part of the
    volume reaches either city.
    """
    src = claim(claims, CLAIM_IDS["source_value"])
    rio = claim(claims, CLAIM_IDS["rio_multiple"]).value
    ten = claim(claims, CLAIM_IDS["london_multiple"]).value
    base = src.value if src.value is not None else src.floor
    multiples = {"tenfold_rio": rio * ten, "tenfold_source": ten}
    rows = []
    for key, london in multiples.items():
        for stage, m in (("source", 1.0), ("Rio", rio), ("London", london)):
            rows.append({"reading": key, "reading_label": READINGS[key], "stage": stage,
                         "multiple": m, "low": (src.floor or base) * m, "point": base * m})
    return pd.DataFrame(rows)


def london_value(claims: pd.DataFrame, reading: str) -> Estimate:
    """London street value under one reading ("tenfold_rio" or "tenfold_source"), a floor."""
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {sorted(READINGS)}, got {reading!r}")
    row = value_chain(claims).query("reading == @reading and stage == 'London'").iloc[0]
    src = claim(claims, CLAIM_IDS["source_value"]).source_id
    return Estimate(row["point"], row["low"], None, unit="USD", sources=(src,),
                    method=f"Reading: {READINGS[reading]}.")
