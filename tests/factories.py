"""Small frames shaped like the curated tables (ARCHITECTURE.md data contract), for unit tests.

Each factory builds exactly the columns the loader returns, so a module tested on these runs
unchanged on `analysis.data.load(...)`.
"""

from __future__ import annotations

import pandas as pd

ARTICLE = "muggah_mcdermott_2013"

CLAIM_COLUMNS = ["claim_id", "paragraph", "quote", "quantity", "value", "low", "high", "unit",
                 "year", "wording", "encoding", "source_id"]


def claims_frame(rows: list[dict]) -> pd.DataFrame:
    """An article_claims frame from partial rows (missing columns empty)."""
    full = [{c: r.get(c) for c in CLAIM_COLUMNS} for r in rows]
    for r in full:
        r["source_id"] = r["source_id"] or ARTICLE
    df = pd.DataFrame(full, columns=CLAIM_COLUMNS)
    for c in ("value", "low", "high"):
        df[c] = df[c].astype("float64")
    df["year"] = df["year"].astype("Int64")
    return df


def population_frame(pop: dict[tuple[str, int], float]) -> pd.DataFrame:
    """population rows from {(iso3, year): persons}."""
    return pd.DataFrame([{"iso3": k[0], "year": k[1], "population": v, "source_id": "wdi_population"}
                         for k, v in pop.items()])
