"""Step 3 of the argument: does the article's criminal economy add up?

The article states three things about organized crime's earnings in Peru:
drugs earn "well over $1 billion annually"; illegal gold mining "earns almost three times as
much as the drug business"; and with human trafficking, timber and antiquities added, the
total is "at least $5 billion a year, perhaps closer to $7 billion". It gives no figure for
trafficking, timber and antiquities. This module derives what the stated parts imply:
gold's earnings, the residual left for the unnamed trades, and whether the parts fit the total
(and under which readings of the hedges). Two methods, which must agree on their overlap:

- **interval arithmetic** on the stated bounds (exact, no distributional assumption);
- a **seeded Monte Carlo** over the same ranges with documented distributions (`Readings`).

All numbers come from `article_claims` (see `CLAIM_IDS`); the only constants here are the
readings of the hedge words, which are assumptions of this report, stated and tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.claims import claim
from analysis.estimate import Branch, Estimate, choose

__all__ = ["CLAIM_IDS", "Readings", "ArticleRanges", "article_ranges", "DRUG_READINGS",
           "implied_gold", "drugs_plus_gold", "residual_at_floor", "residual_range",
           "residual_raw", "drugs_ceiling", "consistency_table", "consistency_verdict",
           "simulate", "simulation_summary", "mc_estimate", "share_consistent",
           "share_exceeding", "fit_sensitivity", "economy_rows", "WELL_OVER_CAPS"]

# Which rows of article_claims this module reads.
CLAIM_IDS = {
    "drugs": "drug_earnings_usd",
    "gold_ratio": "gold_vs_drugs_multiple",
    "total": "organized_crime_total_usd",
}

# How far above "well over $1 billion" drug earnings may go: "at_floor" keeps drugs at the
# stated floor; "fits_total" lets them rise as far as drugs + gold still fit under the top of
# the stated total; "read_cap" up to Readings.well_over_cap x the floor. Every row of one
# table uses one reading (`economy_rows`).
DRUG_READINGS = {
    "at_floor": "drugs at the stated floor",
    "fits_total": "drugs as high as still fits inside the top of the total",
    "read_cap": "drugs up to the report's reading of \"well over\"",
}
# Upper ends of "well over $1 billion" (multiples of the floor) the share of fitting draws is
# shown against: the share is an assumption's consequence, not a check of the article.
WELL_OVER_CAPS = (1.5, 2.0, 3.0)

DEFAULT_SEED = 20130415  # the article's publication month; any fixed seed would do
DEFAULT_DRAWS = 100_000


@dataclass(frozen=True)
class Readings:
    """How this report reads the article's hedge words where the text gives no number.

    - `well_over_cap`: "well over $1 billion" is read as between 1x and `well_over_cap`x the
      stated floor. 2 because a writer with a figure near twice the floor would say "about
      $2 billion"; it closes the open end only for the Monte Carlo and the table, never for the
      interval bound reported as "at least".
    - `almost_floor`: "almost three times" is read as between `almost_floor` x 3 and 3.
      0.85 (about 2.5 times) because below that one would say "two and a half times".
    Distributions in the Monte Carlo (independent draws; no correlations are stated):
    drugs ~ Uniform(floor, cap x floor): the text gives no mode, so every value in the
    plausible band is equally likely; ratio ~ Uniform(almost_floor x 3, 3), same reason;
    total ~ Uniform(5, 7) billion: "at least 5, perhaps closer to 7" names both ends; a
    uniform is the least committal reading ("closer to 7" could justify skewing it upward,
    which would only make the parts fit more easily).
    """

    well_over_cap: float = 2.0
    almost_floor: float = 0.85


@dataclass(frozen=True)
class ArticleRanges:
    """The article's three statements as numeric intervals (USD, ratio); None = open end."""

    drugs_low: float
    drugs_high: float | None
    ratio_low: float | None
    ratio_high: float
    total_low: float
    total_high: float
    sources: tuple[str, ...]


def article_ranges(claims: pd.DataFrame) -> ArticleRanges:
    """The stated drug floor, gold/drug ratio and total range, read from `article_claims`."""
    drugs = claim(claims, CLAIM_IDS["drugs"])
    ratio = claim(claims, CLAIM_IDS["gold_ratio"])
    total = claim(claims, CLAIM_IDS["total"])
    assert drugs.floor is not None, "drug earnings claim needs a value or low"
    assert total.low is not None and total.high is not None, "total claim needs low and high"
    ratio_high = ratio.high if ratio.high is not None else ratio.value
    return ArticleRanges(
        drugs_low=drugs.floor, drugs_high=drugs.ceiling,
        ratio_low=ratio.low, ratio_high=ratio_high,
        total_low=total.low, total_high=total.high,
        sources=tuple(dict.fromkeys([drugs.source_id, ratio.source_id, total.source_id])),
    )


def _ratio_low(r: ArticleRanges, readings: Readings) -> float:
    """The ratio's floor: stated if the claims table gives one, else the report's reading."""
    return r.ratio_low if r.ratio_low is not None else readings.almost_floor * r.ratio_high


def _usd(point, low, high, r: ArticleRanges, method: str, **kw) -> Estimate:
    """A USD Estimate citing the article's claims."""
    return Estimate(point, low, high, unit="USD", sources=r.sources, method=method, **kw)


def _check_reading(reading: str) -> None:
    """ValueError naming the readings if `reading` is not one of DRUG_READINGS."""
    if reading not in DRUG_READINGS:
        raise ValueError(f"reading must be one of {sorted(DRUG_READINGS)}, got {reading!r}")


def _drugs_high(r: ArticleRanges, readings: Readings, reading: str) -> float:
    """The highest drug earnings a `reading` allows (USD)."""
    _check_reading(reading)
    if reading == "at_floor":
        return r.drugs_low
    if reading == "fits_total":
        return r.total_high / (1 + r.ratio_high)
    return r.drugs_high if r.drugs_high is not None else readings.well_over_cap * r.drugs_low


def implied_gold(claims: pd.DataFrame, readings: Readings = Readings(),
                 reading: str = "fits_total") -> Estimate:
    """Gold-mining earnings implied by "almost three times" the drug earnings.

    Point: ratio x drug floor (the article's own two numbers). Interval: ratio floor x drug
    floor up to ratio x the highest drugs the `reading` allows (DRUG_READINGS). The default,
    "fits_total", gives the most gold can be while drugs + gold still fit under the top of
    the total (gold <= total high x ratio / (1 + ratio)).
    """
    r = article_ranges(claims)
    point = r.ratio_high * r.drugs_low
    high = r.ratio_high * _drugs_high(r, readings, reading)
    note = f"Gold = ratio x drugs, {DRUG_READINGS[reading]}."
    if reading == "fits_total" and high < point:  # the parts already exceed the total
        high, note = None, "Gold = ratio x drugs; drugs + gold exceed the stated total."
    return _usd(point, _ratio_low(r, readings) * r.drugs_low, high, r, note, interval="range",
                digits=2)


def drugs_plus_gold(claims: pd.DataFrame, readings: Readings = Readings(),
                    reading: str = "at_floor") -> Estimate:
    """Drugs + gold = drugs x (1 + ratio): from the drug floor with the ratio's read floor up
    to the highest drugs the `reading` allows with the ratio as stated. "fits_total" is
    `implied_gold`'s default reading (its top is the top of the total); use one reading for
    every row of a table (`economy_rows`)."""
    r = article_ranges(claims)
    high = _drugs_high(r, readings, reading) * (1 + r.ratio_high)
    return _usd(r.drugs_low * (1 + r.ratio_high), r.drugs_low * (1 + _ratio_low(r, readings)),
                high, r, f"Drugs times (1 + gold/drug ratio), {DRUG_READINGS[reading]}.",
                interval="range", digits=2)


def residual_at_floor(claims: pd.DataFrame) -> Estimate:
    """What the total leaves for trafficking, timber and antiquities, drugs at their floor.

    Total range minus drug floor x (1 + 3): the article's own numbers taken at face value.
    """
    r = article_ranges(claims)
    parts = r.drugs_low * (1 + r.ratio_high)
    return _usd(None, r.total_low - parts, r.total_high - parts, r,
                "Stated total minus drugs at their stated floor and gold at the stated ratio.")


def residual_range(claims: pd.DataFrame, readings: Readings = Readings()) -> Estimate:
    """Widest residual consistent with every stated bound (interval arithmetic, floor 0).

    Upper end: top of the total minus the smallest drugs + gold (drug floor, ratio floor).
    Lower end: 0, because drugs are open above ("well over"), so drugs + gold can absorb the
    whole total; a negative residual would contradict the total and is not a reading. This
    floors the range at zero: `residual_raw` gives it unfloored, with a flag.
    """
    r = article_ranges(claims)
    top = r.total_high - r.drugs_low * (1 + _ratio_low(r, readings))
    return _usd(None, 0.0, max(top, 0.0), r,
                "Interval arithmetic over the stated bounds; drugs open above; floored at zero "
                "(a negative residual would mean the parts exceed the total).")


def residual_raw(claims: pd.DataFrame, readings: Readings = Readings(),
                 reading: str = "read_cap") -> dict:
    """The residual for trafficking, timber and antiquities, not floored at zero.

    Total minus drugs + gold on one `reading` (DRUG_READINGS): from the total's floor minus
    the largest drugs + gold to the total's top minus the smallest. Returns {"estimate": the
    range (USD; its low end may be negative), "negative_low": the parts can exceed the total
    on this reading, "negative_high": they exceed it even at their smallest}.
    `residual_range` reports a range floored at zero; say so when using it.
    """
    r = article_ranges(claims)
    parts = drugs_plus_gold(claims, readings, reading)
    low, high = r.total_low - parts.high, r.total_high - parts.low
    est = _usd(None, low, high, r, f"Total minus drugs + gold, {DRUG_READINGS[reading]}; "
                                   f"not floored at zero.")
    return {"estimate": est, "negative_low": bool(low < 0), "negative_high": bool(high < 0)}


def drugs_ceiling(claims: pd.DataFrame, which: str = "high") -> Estimate:
    """The largest drug earnings for which drugs + gold still fit under the total.

    drugs x (1 + ratio) <= total  =>  drugs <= total / (1 + ratio), with ratio at the stated
    value; `which` = "high" uses the top of the total ("perhaps closer to"), "low" its floor.
    """
    r = article_ranges(claims)
    total = r.total_high if which == "high" else r.total_low
    cap = total / (1 + r.ratio_high)
    return _usd(cap, None, cap, r, f"Total ({which} end) divided by (1 + gold/drug ratio).",
                digits=2)


def consistency_table(claims: pd.DataFrame, readings: Readings = Readings()) -> pd.DataFrame:
    """Do drugs + gold fit inside the stated total? One row per reading of the hedges.

    Rows: drugs at the floor with the ratio at 3 and at its read floor; drugs at the reading's
    cap ("well over" read as up to 2x) with both ratios. Columns: scenario, drugs, ratio,
    drugs_plus_gold, residual_low, residual_high (total low/high minus the parts), fits_low
    (parts <= total floor), fits_high (parts <= total top).
    """
    r = article_ranges(claims)
    cap = r.drugs_high if r.drugs_high is not None else readings.well_over_cap * r.drugs_low
    rows = []
    for d_name, d in (("drugs at stated floor", r.drugs_low), ("drugs at read cap", cap)):
        for q_name, q in (("ratio as stated", r.ratio_high), ("ratio at read floor",
                                                               _ratio_low(r, readings))):
            parts = d * (1 + q)
            rows.append({"scenario": f"{d_name}, {q_name}", "drugs": d, "ratio": q,
                         "drugs_plus_gold": parts, "residual_low": r.total_low - parts,
                         "residual_high": r.total_high - parts,
                         "fits_low": parts <= r.total_low, "fits_high": parts <= r.total_high})
    return pd.DataFrame(rows)


def drugs_ceiling_range(claims: pd.DataFrame, readings: Readings = Readings()) -> Estimate:
    """The ceiling on drug earnings for drugs + gold to fit the total, over the readings of
    the total and of "almost three times": from total floor / (1 + 3) (the tightest: $5bn,
    gold at the full multiple, $1.25bn) to total top / (1 + almost_floor x 3) (the loosest:
    $7bn, gold at 2.55 times drugs, about $1.97bn). Why: one threshold hides that the answer
    is a range; its top depends on this report's reading of "almost" (`Readings`)."""
    r = article_ranges(claims)
    low = r.total_low / (1 + r.ratio_high)
    high = r.total_high / (1 + _ratio_low(r, readings))
    return _usd(None, low, high, r, "Total divided by (1 + gold/drug ratio): total floor with "
                f"the stated multiple, to total top with the multiple at {readings.almost_floor:g} "
                "x the stated one (the report's reading of 'almost').", digits=2)


def consistency_verdict(claims: pd.DataFrame) -> Branch:
    """A sentence chosen by the data: do the stated parts fit the stated total at face value?"""
    r = article_ranges(claims)
    fits = r.drugs_low * (1 + r.ratio_high) <= r.total_low
    ceiling = drugs_ceiling_range(claims)
    return choose(
        fits,
        f"Taken at face value the parts can fit: drugs and gold leave room inside the total "
        f"as long as drug earnings stay below a ceiling of {ceiling} a year, depending on "
        f"where in its range the total lies and on how much less than three times "
        f"\"almost\" allows.",
        f"Taken at face value the parts do not fit: drugs and gold alone exceed the floor "
        f"of the stated total.",
        labels=("parts_fit", "parts_exceed_total"), sources=r.sources,
        method="Drug floor x (1 + ratio) compared with the floor of the total.")


def simulate(claims: pd.DataFrame, n: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
             readings: Readings = Readings()) -> pd.DataFrame:
    """Seeded Monte Carlo over the article's ranges (distributions: see `Readings`).

    Returns one row per draw: drugs, ratio, gold, total, residual (= total - drugs - gold;
    negative when the draw's parts exceed its total). Identical for identical arguments.
    """
    r = article_ranges(claims)
    rng = np.random.default_rng(seed)
    cap = r.drugs_high if r.drugs_high is not None else readings.well_over_cap * r.drugs_low
    drugs = rng.uniform(r.drugs_low, cap, n)
    ratio = rng.uniform(_ratio_low(r, readings), r.ratio_high, n)
    total = rng.uniform(r.total_low, r.total_high, n)
    gold = drugs * ratio
    return pd.DataFrame({"drugs": drugs, "ratio": ratio, "gold": gold, "total": total,
                         "residual": total - drugs - gold})


def simulation_summary(sim: pd.DataFrame, probs=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of each simulated quantity (rows = quantity, columns = quantile)."""
    q = sim.quantile(list(probs))
    q.index = [f"q{int(round(p * 100)):02d}" for p in probs]
    return q.T


def mc_estimate(sim: pd.DataFrame, column: str, claims: pd.DataFrame,
                consistent_only: bool = False, level: float = 0.90) -> Estimate:
    """Median and central `level` interval of one simulated quantity, as an Estimate.

    `consistent_only` keeps only draws whose residual is >= 0 (parts within the total).
    """
    data = sim.loc[sim["residual"] >= 0, column] if consistent_only else sim[column]
    tail = (1 - level) / 2
    lo, med, hi = np.quantile(data.to_numpy(), [tail, 0.5, 1 - tail])
    unit = "times" if column == "ratio" else "USD"
    where = " among draws whose parts fit the total" if consistent_only else ""
    return Estimate(med, lo, hi, unit=unit, sources=article_ranges(claims).sources,
                    interval=f"{int(round(level * 100))}% simulation interval",
                    method=f"Monte Carlo median and {level:.0%} interval{where}; n = {len(data):,}.")


def share_consistent(sim: pd.DataFrame, claims: pd.DataFrame) -> Estimate:
    """Percent of Monte Carlo draws in which drugs + gold fit inside the drawn total."""
    share = float((sim["residual"] >= 0).mean() * 100)
    return Estimate(share, unit="percent", digits=0, sources=article_ranges(claims).sources,
                    method=f"Share of {len(sim):,} draws with residual >= 0.")


def fit_sensitivity(claims: pd.DataFrame, caps: tuple[float, ...] = WELL_OVER_CAPS,
                    n: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                    readings: Readings = Readings()) -> pd.DataFrame:
    """The share of draws whose parts fit the total, for each assumed upper end of "well
    over $1 billion".

    The share is a consequence of this report's reading of the hedge, not a check of the
    article: a cap of 1.5 (drugs up to $1.5 billion) lets most draws fit, a cap of 3 few.
    One row per cap: well_over_cap (x the floor), drugs_cap (USD), share_fit (percent),
    n_draws. Same seed for every cap.
    """
    r = article_ranges(claims)
    rows = []
    for cap in caps:
        sim = simulate(claims, n, seed, Readings(well_over_cap=cap,
                                                 almost_floor=readings.almost_floor))
        rows.append({"well_over_cap": cap, "drugs_cap": cap * r.drugs_low,
                     "share_fit": float((sim["residual"] >= 0).mean() * 100), "n_draws": n})
    return pd.DataFrame(rows)


def economy_rows(claims: pd.DataFrame, sim: pd.DataFrame, reading: str = "fits_total",
                 readings: Readings = Readings()) -> pd.DataFrame:
    """The criminal-economy table's rows, every interval on one `reading` (DRUG_READINGS).

    Columns: part (drugs, gold, drugs_and_gold, residual, total), interval (Estimate, interval
    arithmetic; the residual = total - drugs_and_gold, unfloored, see `residual_raw`),
    residual_negative (for the
    residual row: its low end is below zero), simulated_all (Estimate over every draw) and
    simulated_fit (Estimate over the draws whose parts fit the total only: conditional, so it
    cannot be negative).
    """
    r = article_ranges(claims)
    raw = residual_raw(claims, readings, reading)
    intervals = {
        "drugs": _usd(r.drugs_low, r.drugs_low, _drugs_high(r, readings, reading), r,
                      f"Stated floor; {DRUG_READINGS[reading]}.", interval="range"),
        "gold": implied_gold(claims, readings, reading),
        "drugs_and_gold": drugs_plus_gold(claims, readings, reading),
        "residual": raw["estimate"],
        "total": _usd(None, r.total_low, r.total_high, r, "The article's range."),
    }
    sim = sim.assign(drugs_and_gold=sim["drugs"] + sim["gold"])
    rows = []
    for part, interval in intervals.items():  # every part is a column of the simulation
        rows.append({"part": part, "interval": interval,
                     "residual_negative": raw["negative_low"] if part == "residual" else False,
                     "simulated_all": mc_estimate(sim, part, claims),
                     "simulated_fit": mc_estimate(sim, part, claims, consistent_only=True)})
    return pd.DataFrame(rows)


def share_exceeding(sim: pd.DataFrame, claims: pd.DataFrame) -> Estimate:
    """Percent of Monte Carlo draws in which drugs + gold alone exceed the drawn total."""
    share = float((sim["residual"] < 0).mean() * 100)
    return Estimate(share, unit="percent", digits=0, sources=article_ranges(claims).sources,
                    method=f"Share of {len(sim):,} draws with residual < 0.")
