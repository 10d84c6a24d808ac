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


def coca_frame(headline: dict[str, dict[int, float]],
               extra: list[tuple[str, int, float, str]] = ()) -> pd.DataFrame:
    """coca_cultivation rows: headline {iso3: {year: ha}} plus non-headline (iso3, year, ha, measure)."""
    rows = [{"iso3": iso, "year": y, "hectares": float(ha), "measure": "net_area_dec31",
             "headline": True, "source_id": "unodc_wdr2025_coca"}
            for iso, series in headline.items() for y, ha in series.items()]
    rows += [{"iso3": iso, "year": y, "hectares": float(ha), "measure": m, "headline": False,
              "source_id": "unodc_wdr2025_coca"} for iso, y, ha, m in extra]
    return pd.DataFrame(rows, columns=["iso3", "year", "hectares", "measure", "headline",
                                       "source_id"])


def countries_frame(rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
    """countries rows from (iso3, name, south_america)."""
    return pd.DataFrame([{"iso3": i, "name": n, "region": "Americas",
                          "subregion": "South America" if sa else "Central America",
                          "south_america": sa, "is_aggregate": False} for i, n, sa in rows])

# Four hand-made countries for the markets tests: Brazil (the one South American), the United
# States, and two in UNODC's Western and Central Europe.
MARKET_COUNTRIES = pd.DataFrame([
    {"iso3": i, "name": i, "region": r, "subregion": s, "south_america": i == "BRA",
     "is_aggregate": False}
    for i, r, s in [("BRA", "Americas", "South America"), ("USA", "Americas", "North America"),
                    ("ESP", "Europe", "Western and Central Europe"),
                    ("NLD", "Europe", "Western and Central Europe")]])


REAL_TABLES = ("homicide", "population", "cocaine_seizures", "countries", "corruption",
               "article_claims", "coca_cultivation", "cocaine_use")


def real_tables() -> dict[str, pd.DataFrame]:
    """The repository's curated tables (read-only), for known-answer tests on this vintage."""
    from analysis.data import load
    return {name: load(name) for name in REAL_TABLES}
