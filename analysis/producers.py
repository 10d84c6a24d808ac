"""Step 1 of the argument: is Peru "the single largest producer ... of cocaine in the world"?

No public machine-readable series of cocaine *production* by country exists for this report,
so the test uses UNODC's area under coca bush (`coca_cultivation`, headline rows: one value
per country-year). Area is a proxy: yields per hectare differ between and within the three
countries, Peru and Bolivia have legal leaf markets, and laboratory efficiency varies; a
country can grow more coca than another and make less cocaine. Every Estimate returned here
carries that caveat (`PROXY_NOTE`) in its method note.

Public API: `headline`, `rank_table`, `years_peru_largest`, `peru_rank`, `peru_share`, `area`,
`leader`, `leader_sentence`, `measure_sensitivity`, `peru_margins`.
"""

from __future__ import annotations

import pandas as pd

from analysis.estimate import Branch, Estimate, choose

__all__ = ["PERU", "PROXY_NOTE", "headline", "rank_table", "years_peru_largest", "peru_rank",
           "peru_share", "area", "leader", "latest_year", "leader_sentence",
           "measure_sensitivity", "peru_margins"]

PERU = "PER"
PROXY_NOTE = ("Coca cultivation area (UNODC, net area on 31 December where available) is a "
              "proxy for cocaine output, not a measure of it: yields, legal leaf markets and "
              "laboratory efficiency differ between countries.")


def headline(coca: pd.DataFrame) -> pd.DataFrame:
    """The headline rows (one per iso3-year): iso3, year, hectares, measure, source_id.

    Asserts the one-per-country-year promise of the data contract, since every rank below
    depends on it.
    """
    h = coca.loc[coca["headline"], ["iso3", "year", "hectares", "measure", "source_id"]]
    dup = h.duplicated(["iso3", "year"])
    assert not dup.any(), f"coca_cultivation: several headline rows for {h[dup].iloc[0].to_dict()}"
    return h.sort_values(["year", "iso3"]).reset_index(drop=True)


def rank_table(coca: pd.DataFrame) -> pd.DataFrame:
    """Every country-year with its rank (1 = largest area) and share of that year's total.

    Columns: iso3, year, hectares, rank, n_countries, share_pct, measure, source_id. Ties get
    the same (lowest) rank. Share is of the countries reported that year (the Andean total).
    """
    h = headline(coca)
    by_year = h.groupby("year")["hectares"]
    h["rank"] = by_year.rank(ascending=False, method="min").astype(int)
    h["n_countries"] = by_year.transform("size").astype(int)
    h["share_pct"] = h["hectares"] / by_year.transform("sum") * 100
    return h[["iso3", "year", "hectares", "rank", "n_countries", "share_pct", "measure",
              "source_id"]]


def years_peru_largest(coca: pd.DataFrame) -> list[int]:
    """Years in which Peru has rank 1 among the coca growers (the article's claim, as area)."""
    t = rank_table(coca)
    return sorted(int(y) for y in t.loc[(t["iso3"] == PERU) & (t["rank"] == 1), "year"])


def _row(coca: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    """The rank_table row for one country-year; KeyError naming it if the data lack it."""
    t = rank_table(coca)
    rows = t.loc[(t["iso3"] == iso3) & (t["year"] == year)]
    if rows.empty:
        raise KeyError(f"coca_cultivation: no headline row for {iso3} {year}")
    return rows.iloc[0]


def latest_year(coca: pd.DataFrame) -> int:
    """The latest year with a headline value for Peru."""
    h = headline(coca)
    return int(h.loc[h["iso3"] == PERU, "year"].max())


def peru_rank(coca: pd.DataFrame, year: int) -> Estimate:
    """Peru's rank among coca growers in `year` (1 = largest area)."""
    r = _row(coca, PERU, year)
    return Estimate(r["rank"], unit="rank", year=year, sources=(r["source_id"],),
                    method=f"Rank of {int(r['n_countries'])} countries by area. {PROXY_NOTE}")


def peru_share(coca: pd.DataFrame, year: int) -> Estimate:
    """Peru's share of Andean coca cultivation (Bolivia + Colombia + Peru) in `year`, percent."""
    r = _row(coca, PERU, year)
    return Estimate(r["share_pct"], unit="percent", year=year, show_year=False, digits=0,
                    sources=(r["source_id"],),
                    method=f"Peru's hectares / total of the countries reported. {PROXY_NOTE}")


def area(coca: pd.DataFrame, iso3: str, year: int) -> Estimate:
    """Hectares under coca for one country-year (headline measure)."""
    r = _row(coca, iso3, year)
    return Estimate(r["hectares"], unit="hectares", year=year, sources=(r["source_id"],),
                    method=f"UNODC headline area ({r['measure']}). {PROXY_NOTE}")


def leader(coca: pd.DataFrame, year: int) -> str:
    """The iso3 of the largest grower in `year` (first by iso3 if tied)."""
    t = rank_table(coca)
    top = t.loc[(t["year"] == year) & (t["rank"] == 1)].sort_values("iso3", kind="stable")
    if top.empty:
        raise KeyError(f"coca_cultivation: no headline rows for {year}")
    return str(top.iloc[0]["iso3"])


def leader_sentence(coca: pd.DataFrame, countries: pd.DataFrame, year: int) -> Branch:
    """A data-chosen sentence: did Peru or another country grow the most coca in `year`?"""
    top = leader(coca, year)
    name = countries.set_index("iso3").loc[top, "name"]
    sources = tuple(rank_table(coca).query("year == @year")["source_id"].unique())
    return choose(top == PERU, "Peru grew more coca than any other country.",
                  f"{name} grew more coca than Peru.",
                  labels=("peru_leads", f"{top.lower()}_leads"), sources=sources,
                  method=PROXY_NOTE)


def measure_sensitivity(coca: pd.DataFrame) -> pd.DataFrame:
    """Years where Peru's other published areas would change who leads.

    For every non-headline Peru row whose area differs from the headline (another UNODC
    edition, the satellite-interpreted area, the national monitoring total), re-ranks with
    that value and reports: year, leader_headline, leader_alternative, leader_changes,
    peru_headline_ha, peru_alternative_ha, measure_alternative, source_id. Why: UNODC's
    editions label Peru's 2011 area differently, and in 2011 the lead is close.
    """
    h = headline(coca)
    alt = coca.loc[(~coca["headline"]) & (coca["iso3"] == PERU)]
    cols = ["year", "leader_headline", "leader_alternative", "leader_changes",
            "peru_headline_ha", "peru_alternative_ha", "measure_alternative", "source_id"]
    rows = []
    for _, a in alt.iterrows():
        year = int(a["year"])
        others = h.loc[(h["year"] == year) & (h["iso3"] != PERU)]
        base = h.loc[(h["year"] == year) & (h["iso3"] == PERU), "hectares"]
        if others.empty or base.empty or float(base.iloc[0]) == float(a["hectares"]):
            continue
        top_other = others.sort_values("hectares", ascending=False, kind="stable").iloc[0]
        alt_leader = PERU if a["hectares"] > top_other["hectares"] else str(top_other["iso3"])
        head_leader = leader(coca, year)
        rows.append({"year": year, "leader_headline": head_leader,
                     "leader_alternative": alt_leader, "leader_changes": alt_leader != head_leader,
                     "peru_headline_ha": float(base.iloc[0]),
                     "peru_alternative_ha": float(a["hectares"]),
                     "measure_alternative": a["measure"], "source_id": a["source_id"]})
    return pd.DataFrame(rows, columns=cols).sort_values("year", kind="stable").reset_index(drop=True)


def change_since(coca: pd.DataFrame, iso3: str, year: int) -> dict:
    """How a country's headline coca area moved from `year` (or the latest survey before it;
    the first survey if none) to its latest survey.

    Returns {"start", "end" (Estimates), "change_pct" (end / start - 1, in percent),
    "later_data" (whether there is a survey after the start year), "sources"}.
    """
    h = headline(coca)
    years = sorted(int(y) for y in h.loc[h["iso3"] == iso3, "year"])
    before = [y for y in years if y <= year]
    start, end = (before[-1] if before else years[0]), years[-1]
    first, last = area(coca, iso3, start), area(coca, iso3, end)
    return {"start": first, "end": last, "change_pct": (last.point / first.point - 1) * 100,
            "later_data": end > start, "sources": tuple(sorted(set(h["source_id"])))}


def eradication_peak(eradication: pd.DataFrame, iso3: str = PERU) -> pd.Series:
    """The year a country eradicated the most hectares: its row (iso3, year, hectares, source_id)."""
    er = eradication.loc[eradication["iso3"] == iso3]
    return er.loc[er["hectares"].idxmax()]


def years_with_both_measures(coca: pd.DataFrame, iso3: str = PERU) -> list[int]:
    """Years in which UNODC reports a country's area under both of its definitions."""
    both = coca.loc[coca["iso3"] == iso3].groupby("year")["measure"].nunique()
    return sorted(int(y) for y in both.loc[both > 1].index)


def peru_margins(coca: pd.DataFrame, year: int) -> pd.DataFrame:
    """Peru's lead (or deficit) over the largest other grower in `year`, for every area of
    Peru's that any edition publishes (headline or not), against that country's headline.

    Columns: source_id, measure, headline, peru_ha, other (iso3), other_ha, margin_ha
    (Peru - other; negative: the other country grew more). Why: in 2011 the lead hangs on the
    measure - WDR 2025's satellite-interpreted 64,400 ha is 400 ha above Colombia's 64,000,
    while the net area (62,500, in WDR 2022 and WDR 2025) puts Colombia ahead.
    """
    h = headline(coca)
    others = h.loc[(h["year"] == year) & (h["iso3"] != PERU)]
    peru = coca.loc[(coca["iso3"] == PERU) & (coca["year"] == year)]
    if others.empty or peru.empty:
        raise KeyError(f"coca_cultivation: no Peru and other headline rows for {year}")
    top = others.sort_values(["hectares", "iso3"], ascending=[False, True]).iloc[0]
    t = peru.assign(other=top["iso3"], other_ha=float(top["hectares"]),
                    margin_ha=peru["hectares"] - float(top["hectares"]))
    t = t.rename(columns={"hectares": "peru_ha"})
    return t[["source_id", "measure", "headline", "peru_ha", "other", "other_ha",
              "margin_ha"]].sort_values(["source_id", "measure"]).reset_index(drop=True)


def lead_margin(coca: pd.DataFrame, year: int) -> dict:
    """How far the largest grower in `year` is ahead of the next (headline areas).

    Returns {"leader", "runner_up" (iso3), "margin_ha" (Estimate, hectares), "margin_pct"
    (Estimate, percent of the runner-up's area)}. Why: in 2013 Peru's lead over Colombia is
    49,800 against 48,000 ha, under 4%, too close to carry "largest" without its size.
    """
    t = rank_table(coca)
    t = t.loc[t["year"] == year].sort_values(["hectares", "iso3"], ascending=[False, True])
    if len(t) < 2:
        raise KeyError(f"coca_cultivation: fewer than two headline rows for {year}")
    top, second = t.iloc[0], t.iloc[1]
    sources = tuple(dict.fromkeys([top["source_id"], second["source_id"]]))
    diff = float(top["hectares"] - second["hectares"])
    return {"leader": str(top["iso3"]), "runner_up": str(second["iso3"]),
            "margin_ha": Estimate(diff, unit="hectares", year=year, show_year=False,
                                  sources=sources, method=f"Largest minus next headline area. {PROXY_NOTE}"),
            "margin_pct": Estimate(100 * diff / float(second["hectares"]), unit="percent",
                                   year=year, show_year=False, digits=0, sources=sources,
                                   method=f"Lead as a share of the next grower's area. {PROXY_NOTE}")}


def matched_changes(coca: pd.DataFrame, rate_by_year: pd.Series, iso3: str, start: int,
                    before: int | None = None) -> pd.DataFrame:
    """Percent change of a country's coca area and of another yearly series (its homicide
    rate) from `start` to each later year both cover, stopping before `before` (a coverage
    break of the coca survey; None: no stop).

    Columns: end_year, coca_pct, other_pct. Why: comparing coca 2013-2020 with homicide
    2013-2021 mixes windows; over matching end years the answer turns on the end year chosen
    (2019: coca +10%, homicide +9%; 2020: +24% against -14%).
    """
    h = headline(coca).query("iso3 == @iso3").set_index("year")["hectares"]
    other = rate_by_year.dropna()
    if start not in h.index or start not in other.index:
        return pd.DataFrame(columns=["end_year", "coca_pct", "other_pct"])
    years = sorted(int(y) for y in set(h.index) & set(other.index)
                   if y > start and (before is None or y < before))
    return pd.DataFrame({"end_year": years,
                         "coca_pct": [100 * (h[y] / h[start] - 1) for y in years],
                         "other_pct": [100 * (other[y] / other[start] - 1) for y in years]})
