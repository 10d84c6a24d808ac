"""Step 4 of the argument: how violent is Peru, and can its dead be counted?

The article calls Peru "one of the safest countries in South America" and, in the same
breath, says the Ministry of the Interior counts 10,000 homicides a year where the National
Police count 3,000. This module puts both counts on the scale of the published series
(rates per 100,000 with the population of the year they refer to), ranks Peru in South
America under each figure and each series, and measures how far the criminal-justice (police)
series sits from the public-health / modelled series for Peru and for its neighbours.

Series in `homicide` (source_type): `criminal_justice` (UNODC GSH 2013, police, 2000-2012),
`public_health` (GSH 2013, a few countries only), `wdi_series` (World Bank/UNODC, current
vintage, revised since 2013: Peru only from 2011), `modelled_all_violence` (IHME GBD 2016,
all violent deaths, modelled; broader than homicide). They disagree; nothing here averages
them. The GSH gives each country one source only (police or public health), so no country
has both there; the public-health side of the police-vs-health gap is therefore IHME's
modelled deaths, which rest on vital registration (death certificates) where it exists.

Ranks count from the safest: rank 1 = lowest rate.
"""

from __future__ import annotations

import pandas as pd

from analysis.claims import claim
from analysis.estimate import Estimate

__all__ = ["PERU", "SERIES", "CLAIM_IDS", "south_america", "neighbours", "rates", "rate_table",
           "rate", "published_rate", "recomputed_rate", "count_as_rate", "gsh_ranks",
           "claimed_rates", "rank_ascending", "south_america_ranks", "peru_rank_scenarios",
           "source_gap_table", "peru_gap_vs_peers"]

PERU = "PER"
SERIES = {
    "criminal_justice": "UNODC Global Study on Homicide 2013, police (criminal-justice) figures",
    "public_health": "UNODC Global Study on Homicide 2013, public-health figures",
    "wdi_series": "World Bank / UNODC intentional homicide series (current vintage)",
    "modelled_all_violence": "IHME GBD 2016, modelled deaths from all forms of violence",
}
CLAIM_IDS = {"interior": "homicides_interior_ministry", "police": "homicides_national_police"}


def south_america(countries: pd.DataFrame) -> list[str]:
    """ISO3 codes of South American countries (UNODC subregion), aggregates excluded."""
    c = countries.loc[countries["south_america"] & ~countries["is_aggregate"]]
    return sorted(c["iso3"])


def neighbours(countries: pd.DataFrame) -> list[str]:
    """Peru's South American neighbours: `south_america` without Peru (a count of
    "neighbours" never includes Peru itself). Includes territories no series covers (French
    Guiana, the Falklands): count the neighbours a series has with `n_neighbours` of
    `south_america_ranks` / `gsh_ranks`, not with this list."""
    return [c for c in south_america(countries) if c != PERU]


def rates(homicide: pd.DataFrame, iso3s: list[str] | None = None,
          source_type: str | None = None) -> pd.DataFrame:
    """Homicide rows filtered by country list and series, sorted by iso3, year, source_type."""
    h = homicide
    if iso3s is not None:
        h = h.loc[h["iso3"].isin(iso3s)]
    if source_type is not None:
        if source_type not in SERIES:
            raise ValueError(f"source_type must be one of {sorted(SERIES)}, got {source_type!r}")
        h = h.loc[h["source_type"] == source_type]
    return h.sort_values(["iso3", "year", "source_type"]).reset_index(drop=True)


def rate_table(homicide: pd.DataFrame, iso3s: list[str], source_type: str) -> pd.DataFrame:
    """Rates per 100,000 of one series as a year x iso3 table (NaN where not published)."""
    r = rates(homicide, iso3s, source_type)
    return r.pivot(index="year", columns="iso3", values="rate_per_100k")


def rate(homicide: pd.DataFrame, iso3: str, year: int, source_type: str) -> Estimate:
    """One published rate per 100,000 as an Estimate (KeyError naming it if absent)."""
    r = rates(homicide, [iso3], source_type)
    r = r.loc[r["year"] == year]
    if r.empty or pd.isna(r["rate_per_100k"].iloc[0]):
        raise KeyError(f"homicide: no {source_type} rate for {iso3} {year}")
    row = r.iloc[0]
    return Estimate(row["rate_per_100k"], unit="per_100k", year=year, sources=(row["source_id"],),
                    method=f"{SERIES[source_type]} ({row['source_org']}).")


def published_rate(homicide: pd.DataFrame, iso3: str, year: int, source_type: str) -> Estimate:
    """The rate per 100,000 exactly as the source publishes it (with the source's own
    population); e.g. Peru's 2012 police rate, 9.6. Same as `rate`, named for contrast with
    `recomputed_rate`."""
    e = rate(homicide, iso3, year, source_type)
    return e.with_(method=f"As published: {e.method}")


def recomputed_rate(homicide: pd.DataFrame, population: pd.DataFrame, iso3: str, year: int,
                    source_type: str) -> Estimate:
    """The source's published count over the World Bank population of the year, per 100,000;
    e.g. Peru's 2012 police count 2,865 / 29.55 million = 9.7 (the source printed 9.6 on its
    own population). What the models use, so that every series shares one population.
    KeyError if the source publishes no count for that year."""
    r = rates(homicide, [iso3], source_type)
    r = r.loc[(r["year"] == year) & r["count"].notna()]
    if r.empty:
        raise KeyError(f"homicide: no {source_type} count for {iso3} {year}")
    row = r.iloc[0]
    e = count_as_rate(float(row["count"]), population, iso3, year, (row["source_id"],))
    return e.with_(method=f"Recomputed: published count {e.method} ({SERIES[source_type]}).")


def count_as_rate(count: float, population: pd.DataFrame, iso3: str, year: int,
                  sources: tuple[str, ...] = ()) -> Estimate:
    """A homicide count as a rate per 100,000 with the population of its year.

    Why the year's population: a count and a rate from different years disagree by the
    population growth in between (Peru grew about 1% a year).
    """
    p = population.loc[(population["iso3"] == iso3) & (population["year"] == year), "population"]
    if p.empty:
        raise KeyError(f"population: no figure for {iso3} {year}")
    pop = float(p.iloc[0])
    return Estimate(count / pop * 1e5, unit="per_100k", year=year,
                    sources=(*sources, "wdi_population"),
                    method=f"{count:,.0f} / {pop / 1e6:.2f} million people ({iso3} {year}) x 100,000.")


def claimed_rates(claims: pd.DataFrame, population: pd.DataFrame) -> dict[str, Estimate]:
    """The Interior Ministry's and the National Police's counts as rates per 100,000.

    Keys "interior" and "police"; the year is the claims table's (the latest full year
    before the article).
    """
    out = {}
    for key, cid in CLAIM_IDS.items():
        c = claim(claims, cid)
        if c.year is None:
            raise ValueError(f"article_claims: {cid} needs a year to be turned into a rate")
        out[key] = count_as_rate(c.value, population, PERU, c.year, (c.source_id,))
    return out


def rank_ascending(values: pd.Series, iso3: str) -> tuple[int, int]:
    """(rank, n) of `iso3` in `values` (index iso3), 1 = lowest; ties share the lowest rank."""
    v = values.dropna()
    ranks = v.rank(method="min")
    return int(ranks.loc[iso3]), int(len(v))


def south_america_ranks(homicide: pd.DataFrame, countries: pd.DataFrame, year: int,
                        source_type: str = "wdi_series") -> pd.DataFrame:
    """South American countries with a rate in `year` in one series: iso3, rate_per_100k,
    rank (1 = safest), n (countries ranked, Peru included), n_neighbours (the same without
    Peru: what a sentence about "neighbours" counts), source_id."""
    r = rates(homicide, south_america(countries), source_type)
    r = r.loc[(r["year"] == year) & r["rate_per_100k"].notna()]
    r = r.assign(rank=r["rate_per_100k"].rank(method="min").astype(int), n=len(r),
                 n_neighbours=len(r) - int(PERU in set(r["iso3"])))
    r = r.sort_values("rank", kind="stable")
    return r[["iso3", "rate_per_100k", "rank", "n", "n_neighbours", "source_id"]]


def peru_rank_scenarios(homicide: pd.DataFrame, population: pd.DataFrame,
                        countries: pd.DataFrame, claims: pd.DataFrame,
                        series: tuple[str, ...] = ("wdi_series", "criminal_justice")) -> pd.DataFrame:
    """Peru's rank in South America under its published rate and under each claimed count.

    For each comparison series (the neighbours' rates in the claims' year), three rows:
    Peru's own published rate in that series, and the Interior (10,000) and Police (3,000)
    counts as rates. Columns: series, peru_figure, peru_rate, rank, n, year.
    """
    claimed = claimed_rates(claims, population)
    year = claimed["interior"].year
    rows = []
    for s in series:
        table = south_america_ranks(homicide, countries, year, s).set_index("iso3")["rate_per_100k"]
        others = table.drop(PERU, errors="ignore")
        figures = {"published": table.get(PERU)}
        figures.update({k: e.point for k, e in claimed.items()})
        for name, value in figures.items():
            if value is None:  # Peru has no rate in this series that year (ranks drop blanks)
                continue
            rank, n = rank_ascending(pd.concat([others, pd.Series({PERU: value})]), PERU)
            rows.append({"series": s, "peru_figure": name, "peru_rate": float(value),
                         "rank": rank, "n": n, "year": year})
    return pd.DataFrame(rows, columns=["series", "peru_figure", "peru_rate", "rank", "n", "year"])


def gsh_ranks(homicide: pd.DataFrame, countries: pd.DataFrame, year: int) -> pd.DataFrame:
    """South American ranks on the UNODC Global Study on Homicide 2013 in `year`, each
    country on the one source the study gives it: police (criminal justice) where it has one,
    else public health (so Suriname, which the study covers from death registration, is
    included). Columns as `south_america_ranks` plus source_type."""
    sa = south_america(countries)
    both = pd.concat([rates(homicide, sa, "criminal_justice"), rates(homicide, sa, "public_health")])
    both = both.loc[(both["year"] == year) & both["rate_per_100k"].notna()]
    pick = both.sort_values("source_type", kind="stable").drop_duplicates("iso3")  # criminal_justice first
    pick = pick.assign(rank=pick["rate_per_100k"].rank(method="min").astype(int), n=len(pick),
                       n_neighbours=len(pick) - int(PERU in set(pick["iso3"])))
    pick = pick.sort_values("rank", kind="stable")
    return pick[["iso3", "rate_per_100k", "rank", "n", "n_neighbours", "source_type",
                 "source_id"]].reset_index(drop=True)


def source_gap_table(homicide: pd.DataFrame, countries: pd.DataFrame,
                     numerator: str = "criminal_justice",
                     denominator: str = "modelled_all_violence") -> pd.DataFrame:
    """How far one series sits from another, per South American country (years both cover).

    Columns: iso3, n_years, first_year, last_year, mean_ratio (mean of numerator /
    denominator over the common years), ratio_last (in the last common year). A ratio of 2
    means the police count twice the modelled deaths. Why: if the police undercount (the
    "misreading" explanation), Peru's ratio should sit below its neighbours'.
    """
    sa = south_america(countries)
    a = rates(homicide, sa, numerator).set_index(["iso3", "year"])["rate_per_100k"]
    b = rates(homicide, sa, denominator).set_index(["iso3", "year"])["rate_per_100k"]
    both = pd.concat({"a": a, "b": b}, axis=1).dropna()
    both = both.loc[both["b"] > 0].assign(ratio=lambda d: d["a"] / d["b"]).reset_index()
    g = both.sort_values("year", kind="stable").groupby("iso3")
    out = g.agg(n_years=("year", "size"), first_year=("year", "min"), last_year=("year", "max"),
                mean_ratio=("ratio", "mean"), ratio_last=("ratio", "last")).reset_index()
    return out


def peru_gap_vs_peers(homicide: pd.DataFrame, countries: pd.DataFrame,
                      numerator: str = "criminal_justice",
                      denominator: str = "modelled_all_violence") -> dict[str, Estimate]:
    """Peru's series ratio against its neighbours': {"peru", "peers_median", "peru_rank"}.

    peers_median carries the neighbours' min-max as its range; peru_rank is Peru's place
    when ratios are sorted from lowest (1 = police count furthest below the other series).
    """
    t = source_gap_table(homicide, countries, numerator, denominator).set_index("iso3")
    if PERU not in t.index:
        raise KeyError(f"homicide: no years where Peru has both {numerator} and {denominator}")
    peers = t.drop(PERU)["mean_ratio"]
    sources = tuple(sorted(set(rates(homicide, None, numerator)["source_id"]) |
                           set(rates(homicide, None, denominator)["source_id"])))
    note = (f"Mean over common years of {SERIES[numerator]} / {SERIES[denominator]}; "
            f"{len(peers)} neighbours with both series.")
    rank, n = rank_ascending(t["mean_ratio"], PERU)
    return {
        "peru": Estimate(t.loc[PERU, "mean_ratio"], unit="times", digits=1, sources=sources,
                         method=f"{note} Peru: {int(t.loc[PERU, 'n_years'])} years."),
        "peers_median": Estimate(peers.median(), peers.min(), peers.max(), unit="times",
                                 digits=1, sources=sources, interval="range", method=note),
        "peru_rank": Estimate(rank, unit="rank", sources=sources,
                              method=f"{note} Rank 1 of {n} = lowest ratio."),
    }


def south_america_median(homicide: pd.DataFrame, countries: pd.DataFrame, year: int,
                         source_type: str = "wdi_series") -> Estimate:
    """Median South American rate in one year and series, with the min-max as its range
    (the yardstick Peru's rate is compared with)."""
    t = south_america_ranks(homicide, countries, year, source_type)
    return Estimate(t["rate_per_100k"].median(), t["rate_per_100k"].min(), t["rate_per_100k"].max(),
                    unit="per_100k", year=year, sources=tuple(sorted(set(t["source_id"]))),
                    interval="range",
                    method=f"Median of {len(t)} South American countries with a {source_type} "
                           f"rate in {year} (violence.south_america_median).")


def largest_count_jump(homicide: pd.DataFrame, iso3: str = PERU,
                       source_type: str = "criminal_justice") -> dict:
    """The largest rise of a country's homicide count from one year to the next.

    Why: the GSH police series for Peru doubles from one year to the next, which reads as a
    change of source or definition; the years and the size of the jump say where.
    Returns {"before", "after" (counts), "year" (the later year), "ratio"}; only pairs of
    consecutive years count.
    """
    cj = rates(homicide, [iso3], source_type).dropna(subset=["count"]).sort_values("year", kind="stable")
    counts = cj.set_index("year")["count"].astype(float)
    ratio = counts / counts.shift(1)
    ratio = ratio.loc[counts.index.to_series().diff() == 1].dropna()
    year = int(ratio.idxmax())
    return {"before": counts.loc[year - 1], "after": counts.loc[year], "year": year,
            "ratio": float(ratio.loc[year])}


def change_since(homicide: pd.DataFrame, iso3: str, year: int,
                 source_type: str = "wdi_series") -> dict:
    """How a country's rate moved from `year` (or the latest year before it; the first year
    if none) to the latest year of the series.

    Returns {"start", "end" (Estimates), "change_pct" (end / start - 1, in percent),
    "later_data" (whether the series goes past the start year)}.
    """
    r = rates(homicide, [iso3], source_type).dropna(subset=["rate_per_100k"])
    before = r.loc[r["year"] <= year, "year"]
    start = int(before.max()) if not before.empty else int(r["year"].min())
    end = int(r["year"].max())
    first, last = rate(homicide, iso3, start, source_type), rate(homicide, iso3, end, source_type)
    return {"start": first, "end": last, "change_pct": (last.point / first.point - 1) * 100,
            "later_data": end > start}


def claims_vs_police_series(claims: pd.DataFrame, population: pd.DataFrame,
                            homicide: pd.DataFrame, iso3: str = PERU) -> dict | None:
    """The article's two counts against UNODC's police series in the claims' year.

    Returns None when the police series has no count for that year, else {"year",
    "police_count", "police_rate" (the published count and rate), "police_gap_share"
    (|claimed police count - published| / published), "interior_multiple" (the ministry's
    claimed rate / the published rate)}.
    """
    claimed = claimed_rates(claims, population)
    year = claimed["interior"].year
    cj = rates(homicide, [iso3], "criminal_justice")
    cj = cj.loc[cj["year"] == year].dropna(subset=["count"])
    if cj.empty:
        return None
    published, rate_pub = float(cj["count"].iloc[0]), float(cj["rate_per_100k"].iloc[0])
    police_claim = claim(claims, CLAIM_IDS["police"]).value
    return {"year": year, "police_count": published, "police_rate": rate_pub,
            "police_gap_share": abs(published - police_claim) / published,
            "interior_multiple": claimed["interior"].point / rate_pub}


def gap_by_period(homicide: pd.DataFrame, countries: pd.DataFrame, split: int,
                  iso3: str = PERU, numerator: str = "criminal_justice",
                  denominator: str = "modelled_all_violence") -> dict[str, Estimate]:
    """A country's mean ratio of one series to another before `split` and from it on.

    Why: Peru's police count doubles in 2005 (`largest_count_jump`); its police-to-model
    ratio is 1.1-1.6 in 2000-2004 (mean 1.29, inside the neighbours' range) and 2.6-3.2 from
    2005, so a mean over all years describes neither period. Returns {"before", "since"}
    (Estimates in times, with the period's min-max as the range).
    """
    sa = south_america(countries)
    a = rates(homicide, [iso3], numerator).set_index("year")["rate_per_100k"]
    b = rates(homicide, [iso3], denominator).set_index("year")["rate_per_100k"]
    both = pd.concat({"a": a, "b": b}, axis=1).dropna()
    ratio = (both["a"] / both["b"]).loc[both["b"] > 0]
    sources = tuple(sorted(set(rates(homicide, sa, numerator)["source_id"]) |
                           set(rates(homicide, sa, denominator)["source_id"])))
    out = {}
    for key, part in (("before", ratio.loc[ratio.index < split]),
                      ("since", ratio.loc[ratio.index >= split])):
        if part.empty:
            raise KeyError(f"homicide: no {iso3} years with both series {key} {split}")
        out[key] = Estimate(part.mean(), part.min(), part.max(), unit="times", digits=1,
                            interval="range", sources=sources,
                            method=f"Mean of {SERIES[numerator]} / {SERIES[denominator]}, "
                                   f"{int(part.index.min())}-{int(part.index.max())}.")
    return out


def change_range_since(homicide: pd.DataFrame, iso3: str, year: int,
                       source_type: str = "wdi_series") -> Estimate | None:
    """The smallest and largest percent change of a rate from `year` (or the latest year
    before it) to each later year of the series; None if there is no later year.

    Why: "did violence rise" depends on the end year; Peru's World Bank rate from 2013 is -14%
    by 2020 and +27% by 2021. The point is the change to the latest year.
    """
    r = rates(homicide, [iso3], source_type).dropna(subset=["rate_per_100k"]).set_index("year")
    before = r.index[r.index <= year]
    start = int(before.max()) if len(before) else int(r.index.min())
    later = r.loc[r.index > start, "rate_per_100k"].sort_index()
    if later.empty:
        return None
    pct = 100 * (later / r.loc[start, "rate_per_100k"] - 1)
    return Estimate(float(pct.iloc[-1]), float(pct.min()), float(pct.max()), unit="percent",
                    digits=0, interval="range", sources=tuple(sorted(set(r["source_id"]))),
                    method=f"Change of {iso3}'s {source_type} rate from {start} to each later year, "
                           f"{int(later.index.min())}-{int(later.index.max())}; point = latest.")
