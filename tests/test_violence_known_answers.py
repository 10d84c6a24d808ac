"""Known answers for the violence chapter on one small hand-made homicide table: every
Estimate's text, bounds, sources and method note, and the filters (series, South America,
year, zero rates) that decide which rows count. Expected values are worked out in comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from factories import claims_frame, countries_frame, population_frame

from analysis import violence as v

COUNTRIES = countries_frame([("PER", "Peru", True), ("CHL", "Chile", True),
                             ("COL", "Colombia", True), ("ARG", "Argentina", True),
                             ("MEX", "Mexico", False)])

NAN = math.nan
# (iso3, year, series, rate, count, source_id, source_org)
ROWS = [
    ("CHL", 2012, "wdi_series", 2.5, NAN, "wb", "World Bank"),
    ("ARG", 2012, "wdi_series", 6.3, NAN, "wb", "World Bank"),
    ("PER", 2012, "wdi_series", 6.7, NAN, "wb", "World Bank"),
    ("PER", 2011, "wdi_series", NAN, NAN, "wb", "World Bank"),
    ("COL", 2012, "wdi_series", 36.0, NAN, "wb", "World Bank"),
    ("MEX", 2012, "wdi_series", 22.0, NAN, "wb_mx", "World Bank"),
    ("CHL", 2012, "criminal_justice", 3.1, 540, "gsh", "UNODC"),
    ("ARG", 2012, "criminal_justice", 5.5, NAN, "gsh", "UNODC"),
    ("PER", 2011, "criminal_justice", 9.6, 2800, "gsh", "UNODC"),
    ("PER", 2012, "criminal_justice", 9.6, 2865, "gsh", "UNODC"),
    ("COL", 2012, "criminal_justice", 30.8, NAN, "gsh", "UNODC"),
    ("MEX", 2012, "criminal_justice", 21.5, NAN, "gsh_mx", "UNODC"),
    ("ARG", 2012, "public_health", 5.0, NAN, "ph", "UNODC"),
    ("PER", 2011, "modelled_all_violence", 3.7, NAN, "ihme", "IHME"),
    ("PER", 2012, "modelled_all_violence", 3.5, NAN, "ihme", "IHME"),
    ("CHL", 2012, "modelled_all_violence", 0.8, NAN, "ihme", "IHME"),
    ("COL", 2012, "modelled_all_violence", 37.3, NAN, "ihme", "IHME"),
    ("ARG", 2012, "modelled_all_violence", 0.0, NAN, "ihme", "IHME"),
    ("MEX", 2012, "modelled_all_violence", 20.0, NAN, "ihme_mx", "IHME"),
]
HOM = pd.DataFrame(ROWS, columns=["iso3", "year", "source_type", "rate_per_100k", "count",
                                  "source_id", "source_org"])
POP = population_frame({("PER", 2012): 29_545_001, ("PER", 2011): 29_304_086})
CLAIMS = claims_frame([
    {"claim_id": "homicides_interior_ministry", "value": 10_000, "year": 2012, "source_id": "art"},
    {"claim_id": "homicides_national_police", "value": 3_000, "year": 2012, "source_id": "art"}])
CJ = "UNODC Global Study on Homicide 2013, police (criminal-justice) figures"
IHME = "IHME GBD 2016, modelled deaths from all forms of violence"


def test_rates_are_numbered_from_zero():
    r = v.rates(HOM, ["PER"], "criminal_justice")
    assert r.index.tolist() == [0, 1] and r["year"].tolist() == [2011, 2012]
    assert list(r.columns) == list(HOM.columns)


def test_rate_table_keeps_the_asked_countries():
    t = v.rate_table(HOM, ["PER", "CHL"], "wdi_series")
    assert t.columns.tolist() == ["CHL", "PER"] and t.loc[2012].tolist() == [2.5, 6.7]


def test_rate_in_full():
    e = v.rate(HOM, "PER", 2012, "wdi_series")
    # the World Bank's 6.7, not the police 9.6 of the same year
    assert (e.point, e.year, e.unit, e.sources) == (6.7, 2012, "per_100k", ("wb",))
    assert str(e) == "6.7 per 100,000 (2012)"
    assert e.method == "World Bank / UNODC intentional homicide series (current vintage) (World Bank)."
    # a row whose rate is blank is no rate
    with pytest.raises(KeyError, match="no wdi_series rate for PER 2011"):
        v.rate(HOM, "PER", 2011, "wdi_series")


def test_count_as_rate_and_recomputed_rate_in_full():
    e = v.recomputed_rate(HOM, POP, "PER", 2012, "criminal_justice")
    # 2,865 / 29,545,001 x 100,000 = 9.6970; 29.545001 million prints 29.55
    assert e.point == pytest.approx(2865 / 29_545_001 * 1e5)
    assert e.sources == ("gsh", "wdi_population")
    assert e.method == ("Recomputed: published count 2,865 / 29.55 million people (PER 2012) x "
                        f"100,000. ({CJ}).")


def test_claimed_rates_cite_the_article_and_population():
    r = v.claimed_rates(CLAIMS, POP)
    assert r["interior"].sources == ("art", "wdi_population")
    bad = CLAIMS.assign(year=pd.array([2012, None], dtype="Int64"))
    with pytest.raises(ValueError, match="homicides_national_police needs a year to be turned "
                                         "into a rate"):
        v.claimed_rates(bad, POP)


def test_south_america_ranks_are_whole_numbers():
    t = v.south_america_ranks(HOM, COUNTRIES, 2012)
    assert t["iso3"].tolist() == ["CHL", "ARG", "PER", "COL"]
    assert t["rank"].tolist() == [1, 2, 3, 4] and t["rank"].dtype.kind == "i"


def test_peru_rank_scenarios_without_a_peruvian_rate():
    # public health: Argentina only (5.0); Peru has no rate there, so only the two claimed
    # counts are ranked: 10,000 / 29.545 M = 33.85 and 3,000 / 29.545 M = 10.15, both above 5.0
    t = v.peru_rank_scenarios(HOM, POP, COUNTRIES, CLAIMS, series=("public_health",))
    assert list(t.columns) == ["series", "peru_figure", "peru_rate", "rank", "n", "year"]
    assert t[["peru_figure", "rank", "n", "year"]].values.tolist() == [["interior", 2, 2, 2012],
                                                                       ["police", 2, 2, 2012]]
    assert t["peru_rate"].tolist() == pytest.approx([10_000 / 29_545_001 * 1e5,
                                                     3_000 / 29_545_001 * 1e5])
    empty = v.peru_rank_scenarios(HOM, POP, COUNTRIES, CLAIMS, series=())
    assert list(empty.columns) == ["series", "peru_figure", "peru_rate", "rank", "n", "year"]


def test_gsh_ranks_one_source_per_country():
    t = v.gsh_ranks(HOM, COUNTRIES, 2012)
    # police where the study has it (Argentina: police 5.5, not public health 5.0); Mexico out;
    # Peru's 2011 row is another year: CHL 3.1 < ARG 5.5 < PER 9.6 < COL 30.8
    assert t[["iso3", "source_type"]].values.tolist() == [
        ["CHL", "criminal_justice"], ["ARG", "criminal_justice"], ["PER", "criminal_justice"],
        ["COL", "criminal_justice"]]
    assert t["rank"].tolist() == [1, 2, 3, 4] and t["rank"].dtype.kind == "i"
    assert t.index.tolist() == [0, 1, 2, 3]
    assert list(t.columns) == ["iso3", "rate_per_100k", "rank", "n", "n_neighbours",
                               "source_type", "source_id"]


def test_source_gap_table_in_full():
    t = v.source_gap_table(HOM, COUNTRIES).set_index("iso3")
    # South America only; Argentina's modelled rate is 0 (no ratio); a modelled rate below 1
    # (Chile's 0.8) still counts: 3.1 / 0.8 = 3.875
    assert t.index.tolist() == ["CHL", "COL", "PER"]
    assert list(t.columns) == ["n_years", "first_year", "last_year", "mean_ratio", "ratio_last"]
    assert t.loc["CHL", "mean_ratio"] == pytest.approx(3.875)
    # Peru 2011 9.6 / 3.7 = 2.59459, 2012 9.6 / 3.5 = 2.74286; the last is 2012's
    assert t.loc["PER", "mean_ratio"] == pytest.approx((9.6 / 3.7 + 9.6 / 3.5) / 2)
    assert t.loc["PER", "ratio_last"] == pytest.approx(9.6 / 3.5)
    assert t.loc["PER", ["n_years", "first_year", "last_year"]].tolist() == [2, 2011, 2012]


def test_peru_gap_vs_peers_in_full():
    g = v.peru_gap_vs_peers(HOM, COUNTRIES)
    note = f"Mean over common years of {CJ} / {IHME}; 2 neighbours with both series."
    # every source of either series, wherever published
    sources = ("gsh", "gsh_mx", "ihme", "ihme_mx")
    peru = (9.6 / 3.7 + 9.6 / 3.5) / 2                      # 2.66873
    assert (g["peru"].point, g["peru"].unit, g["peru"].digits) == (pytest.approx(peru), "times", 1)
    assert g["peru"].sources == sources and g["peru"].method == note + " Peru: 2 years."
    assert str(g["peru"]) == "2.7 times"
    # neighbours: Chile 3.875, Colombia 30.8 / 37.3 = 0.82574; median 2.35037
    m = g["peers_median"]
    assert (m.point, m.low, m.high) == pytest.approx(((3.875 + 30.8 / 37.3) / 2, 30.8 / 37.3, 3.875))
    assert (m.unit, m.digits, m.interval, m.sources, m.method) == ("times", 1, "range", sources, note)
    assert str(m) == "2.4 times (range 0.8–3.9)"
    # 0.83 < 2.67 < 3.88: Peru 2nd of 3
    r = g["peru_rank"]
    assert (r.point, str(r), r.sources) == (2, "2nd", sources)
    assert r.method == note + " Rank 1 of 3 = lowest ratio."
    with pytest.raises(KeyError, match="no years where Peru has both criminal_justice and "
                                       "public_health"):
        v.peru_gap_vs_peers(HOM, COUNTRIES, denominator="public_health")


def test_south_america_median_in_full():
    e = v.south_america_median(HOM, COUNTRIES, 2012, "criminal_justice")
    # police 2012: CHL 3.1, ARG 5.5, PER 9.6, COL 30.8 -> median (5.5 + 9.6) / 2 = 7.55
    assert (e.point, e.low, e.high) == (pytest.approx(7.55), 3.1, 30.8)
    assert (e.year, e.interval, e.sources) == (2012, "range", ("gsh",))
    assert e.method == ("Median of 4 South American countries with a criminal_justice rate in "
                        "2012 (violence.south_america_median).")


def test_largest_count_jump_reads_counts_even_without_a_rate():
    hom = pd.concat([HOM, pd.DataFrame([("PER", 2013, "criminal_justice", NAN, 5730, "gsh", None)],
                                       columns=HOM.columns)], ignore_index=True)
    # 2011 2,800 -> 2012 2,865 (1.023x) -> 2013 5,730 (2.0x; its rate is blank, its count is not)
    j = v.largest_count_jump(hom)
    assert j == {"before": 2865, "after": 5730, "year": 2013, "ratio": 2.0}


def test_change_since_reads_one_country_and_series():
    hom = pd.concat([HOM, pd.DataFrame([("PER", 2010, "wdi_series", 5.0, NAN, "wb", "World Bank"),
                                        ("PER", 2014, "wdi_series", 8.0, NAN, "wb", "World Bank")],
                                       columns=HOM.columns)], ignore_index=True)
    # from 2012 itself (a start year that is in the series), not the earlier 2010: 8.0 / 6.7
    c = v.change_since(hom, "PER", 2012)
    assert (c["start"].year, c["start"].point, c["end"].year) == (2012, 6.7, 2014)
    assert c["change_pct"] == pytest.approx((8.0 / 6.7 - 1) * 100)
    e = v.change_range_since(hom, "PER", 2012)
    assert (e.point, e.low, e.high) == pytest.approx(((8.0 / 6.7 - 1) * 100,) * 3)
    assert (e.unit, e.digits, e.interval, e.sources) == ("percent", 0, "range", ("wb",))
    assert e.method == ("Change of PER's wdi_series rate from 2012 to each later year, "
                        "2014-2014; point = latest.")
    assert str(e) == "19%"
    # a start before the series begins: its first year (2010): 6.7 / 5 and 8 / 5
    early = v.change_range_since(hom, "PER", 2000)
    assert (early.point, early.low, early.high) == pytest.approx((60.0, 34.0, 60.0))


def test_claims_vs_police_series_reads_peru_s_police_row():
    c = v.claims_vs_police_series(CLAIMS, POP, HOM)
    # Peru's 2012 police row: 2,865 at 9.6 (not Chile's, not the World Bank's 6.7)
    assert (c["police_count"], c["police_rate"]) == (2865, 9.6)


def test_gap_by_period_in_full():
    g = v.gap_by_period(HOM, COUNTRIES, 2012)
    # before 2012: 2011 only, 9.6 / 3.7; since 2012 (inclusive): 9.6 / 3.5
    assert (g["before"].point, g["since"].point) == pytest.approx((9.6 / 3.7, 9.6 / 3.5))
    b = g["before"]
    assert (b.unit, b.digits, b.interval) == ("times", 1, "range")
    # South American sources only
    assert b.sources == ("gsh", "ihme")
    assert b.method == f"Mean of {CJ} / {IHME}, 2011-2011."
    assert (g["since"].low, g["since"].high) == pytest.approx((9.6 / 3.5, 9.6 / 3.5))
    # a zero modelled rate gives no ratio; a rate under 1 does (Chile: 3.1 / 0.8)
    extra = pd.DataFrame([("CHL", 2011, "criminal_justice", 3.0, NAN, "gsh", "UNODC"),
                          ("CHL", 2011, "modelled_all_violence", 0.6, NAN, "ihme", "IHME")],
                         columns=HOM.columns)
    chl = v.gap_by_period(pd.concat([HOM, extra]), COUNTRIES, 2012, iso3="CHL")
    assert (chl["before"].point, chl["since"].point) == pytest.approx((5.0, 3.875))
    with pytest.raises(KeyError, match="no ARG years with both series before 2012"):
        v.gap_by_period(HOM, COUNTRIES, 2012, iso3="ARG")


def test_gsh_ranks_prefer_public_health_over_other_series():
    countries = countries_frame([("PER", "Peru", True), ("BOL", "Bolivia", True)])
    extra = pd.DataFrame([("BOL", 2012, "modelled_all_violence", 7.0, NAN, "ihme", "IHME"),
                          ("BOL", 2012, "public_health", 8.0, NAN, "ph", "UNODC"),
                          ("BOL", 2012, "wdi_series", 6.0, NAN, "wb", "World Bank"),
                          ("BOL", 2011, "criminal_justice", 5.0, NAN, "gsh", "UNODC")],
                         columns=HOM.columns)
    t = v.gsh_ranks(pd.concat([HOM, extra]), countries, 2012)
    # Bolivia has no 2012 police figure (its 2011 one is another year): its public-health 8.0,
    # never IHME's or the World Bank's
    assert t[["iso3", "rate_per_100k", "source_type"]].values.tolist() == [
        ["BOL", 8.0, "public_health"], ["PER", 9.6, "criminal_justice"]]


def test_change_since_ignores_other_countries_and_series():
    extra = pd.DataFrame([("PER", 2010, "wdi_series", 5.0, NAN, "wb", "World Bank"),
                          ("PER", 2014, "wdi_series", 8.0, NAN, "wb", "World Bank"),
                          ("CHL", 2016, "wdi_series", 3.0, NAN, "wb", "World Bank"),
                          ("PER", 2015, "criminal_justice", 9.0, 3000, "gsh", "UNODC")],
                         columns=HOM.columns)
    c = v.change_since(pd.concat([HOM, extra]), "PER", 2012)
    # Peru's World Bank series only: 2012 (6.7) to 2014 (8.0), not Chile's 2016 nor the police 2015
    assert (c["start"].year, c["end"].year) == (2012, 2014)


def test_claims_vs_police_series_reads_the_police_series_only():
    # Peru 2012 has only a modelled row, with a count (1,075): no police count, so no comparison
    # (another series' count is never read as the police one)
    hom = pd.DataFrame([("PER", 2012, "modelled_all_violence", 3.5, 1075, "ihme", "IHME")],
                       columns=HOM.columns)
    assert v.claims_vs_police_series(CLAIMS, POP, hom) is None


def test_claims_vs_police_series_keeps_a_count_without_a_rate():
    # Peru's 2012 police row has a count (2,865) but a blank rate: the count still compares
    hom = pd.DataFrame([("PER", 2012, "criminal_justice", NAN, 2865, "gsh", "UNODC")],
                       columns=HOM.columns)
    c = v.claims_vs_police_series(CLAIMS, POP, hom)
    assert c is not None
    assert (c["year"], c["police_count"]) == (2012, 2865)
    # |2,865 - 3,000| / 2,865 = 135 / 2,865 = 0.04712
    assert c["police_gap_share"] == pytest.approx(135 / 2865)
    assert math.isnan(c["police_rate"])


def _peru_police_and_model(police: dict, model: dict) -> pd.DataFrame:
    """Peru's police (criminal_justice) and modelled (IHME) rates, {year: rate}, no counts."""
    return pd.DataFrame([("PER", y, "criminal_justice", r, NAN, "gsh", "UNODC") for y, r in police.items()]
                        + [("PER", y, "modelled_all_violence", r, NAN, "ihme", "IHME")
                           for y, r in model.items()], columns=HOM.columns)


def test_gap_by_period_uses_only_years_with_both_series():
    # police 2000: 2, 2001: 3; modelled 1999: 1 (no police rate that year), 2000: 1, 2001: 1
    hom = _peru_police_and_model({2000: 2.0, 2001: 3.0}, {1999: 1.0, 2000: 1.0, 2001: 1.0})
    g = v.gap_by_period(hom, COUNTRIES, 2001)
    # before 2001: 2000 only (1999 has no police rate): 2 / 1 = 2.0, over 2000-2000
    assert (g["before"].point, g["before"].low, g["before"].high) == (2.0, 2.0, 2.0)
    assert g["before"].method == f"Mean of {CJ} / {IHME}, 2000-2000."
    # since 2001: 3 / 1 = 3.0
    assert g["since"].point == 3.0
    assert g["since"].method == f"Mean of {CJ} / {IHME}, 2001-2001."


def test_gap_by_period_leaves_out_a_zero_modelled_rate():
    # police 2000: 2, 2001: 3, 2002: 4; modelled 2000: 1, 2001: 1, 2002: 0 (no ratio: 4 / 0)
    hom = _peru_police_and_model({2000: 2.0, 2001: 3.0, 2002: 4.0}, {2000: 1.0, 2001: 1.0, 2002: 0.0})
    g = v.gap_by_period(hom, COUNTRIES, 2001)
    # since 2001: 2001 only, 3 / 1 = 3.0 (2002 is dropped, not an infinite ratio)
    s = g["since"]
    assert (s.point, s.low, s.high) == (3.0, 3.0, 3.0)
    assert s.method == f"Mean of {CJ} / {IHME}, 2001-2001."
