"""Violence: claimed counts as rates, Peru's rank in South America, series gaps."""

import pandas as pd
import pytest
from factories import real_tables as _real_tables, claims_frame, countries_frame, population_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import violence as v

COUNTRIES = countries_frame([("PER", "Peru", True), ("CHL", "Chile", True),
                             ("COL", "Colombia", True), ("ARG", "Argentina", True),
                             ("MEX", "Mexico", False)])
POP = population_frame({("PER", 2012): 29_550_366, ("PER", 2011): 29_304_086})
CLAIMS = claims_frame([
    {"claim_id": "homicides_interior_ministry", "value": 10_000, "unit": "homicides", "year": 2012},
    {"claim_id": "homicides_national_police", "value": 3_000, "unit": "homicides", "year": 2012}])


@pytest.fixture(scope="module")
def real_tables():
    return _real_tables()


def homicide_frame(rows):
    """rows: (iso3, year, source_type, rate)."""
    return pd.DataFrame([{"iso3": i, "year": y, "rate_per_100k": r, "count": pd.NA,
                          "source_type": s, "source_org": "test", "source_id": f"src_{s}"}
                         for i, y, s, r in rows])


# 2012 World Bank rates (rounded) and GSH police rates for a small South America
HOM = homicide_frame([
    ("CHL", 2012, "wdi_series", 2.5), ("ARG", 2012, "wdi_series", 6.3),
    ("PER", 2012, "wdi_series", 6.7), ("COL", 2012, "wdi_series", 36.0),
    ("MEX", 2012, "wdi_series", 22.0),
    ("CHL", 2012, "criminal_justice", 3.1), ("PER", 2012, "criminal_justice", 9.6),
    ("COL", 2012, "criminal_justice", 30.8),
    ("PER", 2011, "criminal_justice", 9.6), ("PER", 2011, "modelled_all_violence", 3.7),
    ("PER", 2012, "modelled_all_violence", 3.5), ("CHL", 2012, "modelled_all_violence", 4.5),
    ("COL", 2012, "modelled_all_violence", 37.3)])


def test_claimed_counts_as_rates_with_their_years_population():
    r = v.claimed_rates(CLAIMS, POP)
    # 10,000 / 29.55 M x 100,000 = 33.84; 3,000 / 29.55 M x 100,000 = 10.15
    assert r["interior"].point == pytest.approx(33.84, abs=0.01)
    assert r["police"].point == pytest.approx(10.15, abs=0.01)
    assert str(r["interior"]) == "33.8 per 100,000 (2012)"
    assert "29.55 million" in r["interior"].method


def test_missing_population_is_named():
    with pytest.raises(KeyError, match="population: no figure for PER 1990"):
        v.count_as_rate(1, POP, "PER", 1990)


def test_south_america_ranks_exclude_other_regions():
    t = v.south_america_ranks(HOM, COUNTRIES, 2012)
    # CHL 2.5 < ARG 6.3 < PER 6.7 < COL 36.0; Mexico is not South American
    assert t["iso3"].tolist() == ["CHL", "ARG", "PER", "COL"] and (t["n"] == 4).all()


def test_peru_rank_under_each_figure():
    t = v.peru_rank_scenarios(HOM, POP, COUNTRIES, CLAIMS).set_index(["series", "peru_figure"])
    # WDI: published 6.7 -> 3rd of 4; Interior 33.8 -> 3rd (below COL 36.0); Police 10.2 -> 3rd
    assert t.loc[("wdi_series", "published"), "rank"] == 3
    assert t.loc[("wdi_series", "interior"), "rank"] == 3
    # police series: CHL 3.1, PER, COL 30.8 -> Interior 33.8 above Colombia: 3rd of 3 (worst)
    assert t.loc[("criminal_justice", "interior"), ["rank", "n"]].tolist() == [3, 3]
    assert t.loc[("criminal_justice", "police"), ["rank", "n"]].tolist() == [2, 3]


def test_source_gap_peru_vs_peers():
    t = v.source_gap_table(HOM, COUNTRIES).set_index("iso3")
    # Peru: (9.6 / 3.7 + 9.6 / 3.5) / 2 = (2.595 + 2.743) / 2 = 2.669 over 2 years
    assert t.loc["PER", "mean_ratio"] == pytest.approx(2.669, abs=0.001)
    assert t.loc["PER", "n_years"] == 2
    g = v.peru_gap_vs_peers(HOM, COUNTRIES)
    # peers: CHL 3.1 / 4.5 = 0.689, COL 30.8 / 37.3 = 0.826 -> median 0.757
    assert g["peers_median"].point == pytest.approx(0.757, abs=0.001)
    assert (g["peers_median"].low, g["peers_median"].high) == pytest.approx((0.689, 0.826), abs=0.001)
    assert g["peru_rank"].point == 3  # highest of 3 ratios


def test_unknown_series_is_refused():
    with pytest.raises(ValueError, match="source_type must be one of"):
        v.rates(HOM, source_type="police")


@settings(deadline=None)  # builds DataFrames: wall time varies on a loaded machine
@given(st.floats(1, 1e6), st.floats(1e4, 1e9), st.floats(1.01, 1000))
def test_scaling_population_by_k_divides_the_rate_by_k(count, pop, k):
    a = v.count_as_rate(count, population_frame({("PER", 2012): pop}), "PER", 2012).point
    b = v.count_as_rate(count, population_frame({("PER", 2012): pop * k}), "PER", 2012).point
    assert b == pytest.approx(a / k, rel=1e-9)


@settings(deadline=None)  # builds DataFrames: wall time varies on a loaded machine
@given(st.lists(st.floats(0, 200), min_size=1, max_size=15, unique=True))
def test_ranks_are_a_permutation(values):
    s = pd.Series(values, index=[f"C{i}" for i in range(len(values))])
    ranks = [v.rank_ascending(s, i)[0] for i in s.index]
    assert sorted(ranks) == list(range(1, len(values) + 1))


def test_rate_table_is_year_by_country():
    t = v.rate_table(HOM, ["PER", "CHL"], "criminal_justice")
    assert t.loc[2012, "PER"] == 9.6 and pd.isna(t.loc[2011, "CHL"])


# --- the real data (this vintage of data/) -------------------------------------------------

def test_real_peru_ranks(real_tables):
    h, p, c, cl = (real_tables[n] for n in ("homicide", "population", "countries", "article_claims"))
    r = v.claimed_rates(cl, p)
    # 10,000 / 29,550,366 (WDI, Peru 2012) x 100,000 = 33.84; 3,000 -> 10.15
    assert (round(r["interior"].point, 2), round(r["police"].point, 2)) == (33.84, 10.15)
    t = v.peru_rank_scenarios(h, p, c, cl).set_index(["series", "peru_figure"])
    # WDI 2012, safest first: CHL 2.5, ARG 6.3, PER 6.7, URY 8.0, PRY 11.0, ECU 12.3, GUY 18.6,
    # BRA 28.6, COL 36.0, VEN 54.4 -> Peru 3rd of 10; at 33.8 Peru passes Brazil: 8th of 10
    assert t.loc[("wdi_series", "published"), ["rank", "n"]].tolist() == [3, 10]
    assert t.loc[("wdi_series", "interior"), "rank"] == 8
    # police 10.2 sits between URY 8.0 and PRY 11.0 -> 4th
    assert t.loc[("wdi_series", "police"), "rank"] == 4
    # GSH police series 2012: CHL 3.1, URY 7.9, PER 9.6, PRY 9.7, ... -> 3rd of 10
    assert t.loc[("criminal_justice", "published"), ["rank", "n"]].tolist() == [3, 10]


def test_south_american_median_is_the_median_of_the_ranked_rates():
    # 2012 World Bank rates: CHL 2.5, ARG 6.3, PER 6.7, COL 36.0 (Mexico is not South
    # American): median (6.3 + 6.7) / 2 = 6.5, range 2.5-36.0.
    m = v.south_america_median(HOM, COUNTRIES, 2012)
    assert (m.point, m.low, m.high) == (6.5, 2.5, 36.0)
    assert str(m) == "6.5 per 100,000 (2012; range 2.5\u201336.0)"  # en dash between the ends


def counts_frame(counts: dict[int, float], iso3: str = "PER") -> pd.DataFrame:
    return pd.DataFrame([{"iso3": iso3, "year": y, "rate_per_100k": c / 1e4, "count": c,
                          "source_type": "criminal_justice", "source_org": "test",
                          "source_id": "unodc_gsh2013"} for y, c in counts.items()])


def test_largest_count_jump_takes_consecutive_years_only():
    # 2001 1,000 -> 2002 1,100 (1.1x); 2002 -> 2005 3,300 is 3x but spans a gap, so it does
    # not count; 2005 -> 2006 6,600 = 2.0x is the largest jump between consecutive years.
    jump = v.largest_count_jump(counts_frame({2001: 1000, 2002: 1100, 2005: 3300, 2006: 6600}))
    assert jump == {"before": 3300, "after": 6600, "year": 2006, "ratio": 2.0}


def test_real_police_count_doubles_in_2005(real_tables):
    # UNODC GSH police counts for Peru: 1,526 (2004) -> 3,057 (2005) = 2.003 times
    jump = v.largest_count_jump(real_tables["homicide"])
    assert (jump["before"], jump["after"], jump["year"]) == (1526, 3057, 2005)
    assert jump["ratio"] == pytest.approx(3057 / 1526)


def test_change_since_starts_at_the_latest_year_at_or_before():
    # Peru's WDI rate: 2011 6.0, 2014 7.5, 2020 9.0; since 2013 -> from 2011 (latest <= 2013)
    # to 2020: 9.0 / 6.0 - 1 = +50%.
    hom = homicide_frame([("PER", 2011, "wdi_series", 6.0), ("PER", 2014, "wdi_series", 7.5),
                          ("PER", 2020, "wdi_series", 9.0)])
    c = v.change_since(hom, "PER", 2013)
    assert (c["start"].year, c["end"].year, c["later_data"]) == (2011, 2020, True)
    assert c["change_pct"] == pytest.approx(50.0)
    # a start before the series begins takes its first year; a series ending there has no later data
    assert v.change_since(hom, "PER", 2000)["start"].year == 2011
    assert v.change_since(hom.query("year == 2011"), "PER", 2013)["later_data"] is False


def test_claims_against_the_police_series():
    # police count 2012: 2,865 at 9.6 per 100,000 (hand-made row); the article's police figure
    # 3,000 is |3,000 - 2,865| / 2,865 = 4.7% off; the ministry's 33.84 per 100,000 is
    # 33.84 / 9.6 = 3.53 times the published rate.
    hom = pd.DataFrame([{"iso3": "PER", "year": 2012, "rate_per_100k": 9.6, "count": 2865,
                         "source_type": "criminal_justice", "source_org": "test",
                         "source_id": "unodc_gsh2013"}])
    c = v.claims_vs_police_series(CLAIMS, POP, hom)
    assert (c["year"], c["police_count"], c["police_rate"]) == (2012, 2865, 9.6)
    assert c["police_gap_share"] == pytest.approx(135 / 2865)
    assert c["interior_multiple"] == pytest.approx(10_000 / 29_550_366 * 1e5 / 9.6)
    assert v.claims_vs_police_series(CLAIMS, POP, hom.assign(year=2011)) is None


def test_published_and_recomputed_police_rate_are_two_labelled_values(real_tables):
    h, p = real_tables["homicide"], real_tables["population"]
    pub = v.published_rate(h, "PER", 2012, "criminal_justice")
    rec = v.recomputed_rate(h, p, "PER", 2012, "criminal_justice")
    # GSH prints 9.6 for 2,865 deaths; on the World Bank's 29,550,366 people it is 9.695
    assert pub.point == 9.6 and pub.method.startswith("As published")
    assert rec.point == pytest.approx(2865 / 29_550_366 * 1e5)
    assert str(rec) == "9.7 per 100,000 (2012)" and rec.method.startswith("Recomputed")
    with pytest.raises(KeyError, match="no wdi_series count"):
        v.recomputed_rate(h, p, "PER", 2012, "wdi_series")


def test_gsh_ranks_include_suriname_from_public_health_and_count_neighbours_without_peru():
    hom = homicide_frame([("CHL", 2012, "criminal_justice", 3.1), ("PER", 2012, "criminal_justice", 9.6),
                          ("COL", 2012, "criminal_justice", 30.8), ("SUR", 2012, "public_health", 6.1),
                          ("MEX", 2012, "public_health", 21.5)])
    countries = countries_frame([("PER", "Peru", True), ("CHL", "Chile", True),
                                 ("COL", "Colombia", True), ("SUR", "Suriname", True),
                                 ("MEX", "Mexico", False)])
    t = v.gsh_ranks(hom, countries, 2012)
    # CHL 3.1 < SUR 6.1 < PER 9.6 < COL 30.8; Mexico is not South American
    assert t["iso3"].tolist() == ["CHL", "SUR", "PER", "COL"]
    assert t.set_index("iso3").loc["SUR", "source_type"] == "public_health"
    assert (t["n"].iloc[0], t["n_neighbours"].iloc[0]) == (4, 3)
    r = v.south_america_ranks(HOM, COUNTRIES, 2012)
    assert (r["n"].iloc[0], r["n_neighbours"].iloc[0]) == (4, 3)  # CHL ARG PER COL; Peru out
    assert "PER" not in v.neighbours(COUNTRIES) and len(v.neighbours(COUNTRIES)) == 3


def test_police_model_labels_its_observed_rate_as_recomputed(real_tables):
    from analysis import explanations as ex
    f = ex.analyse(real_tables)
    assert f.police_prediction["observed_rate"].method.startswith("Recomputed")
    assert str(f.police_prediction["observed_rate"]) == "9.7 per 100,000 (2012)"
    assert f.prediction["observed_rate"].method == "Published rate in the model's series."


def test_gap_by_period_splits_at_the_break(real_tables):
    # Peru, GSH police rate / IHME modelled rate: 2000-2004 5.0/4.13, 4.9/3.90, 4.2/3.75,
    # 4.9/3.67, 5.6/3.61 = 1.2107, 1.2564, 1.1200, 1.3351, 1.5512 -> mean 1.2947;
    # 2005 11.0/3.55 = 3.0986 is the first year since the break
    g = v.gap_by_period(real_tables["homicide"], real_tables["countries"], 2005)
    assert g["before"].point == pytest.approx(1.2947, abs=1e-4)
    assert (g["before"].low, g["before"].high) == pytest.approx((1.12, 1.5512), abs=1e-4)
    assert g["since"].low == pytest.approx(2.5762, abs=1e-4)
    assert g["since"].high == pytest.approx(11.2 / 3.52, abs=1e-4)
    with pytest.raises(KeyError, match="before 1990"):
        v.gap_by_period(real_tables["homicide"], real_tables["countries"], 1990)


def test_change_range_since_spans_every_end_year():
    # Peru's WDI rate 2013 6.75 -> 2019 7.35 (+8.89%), 2020 5.80 (-14.07%), 2021 8.60 (+27.41%)
    hom = homicide_frame([("PER", 2013, "wdi_series", 6.75), ("PER", 2019, "wdi_series", 7.35),
                          ("PER", 2020, "wdi_series", 5.80), ("PER", 2021, "wdi_series", 8.60)])
    e = v.change_range_since(hom, "PER", 2013)
    assert (e.point, e.low, e.high) == pytest.approx((27.407, -14.074, 27.407), abs=1e-3)
    assert v.change_range_since(hom, "PER", 2021) is None
