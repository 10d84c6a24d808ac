"""Producers on a small coca table whose answers are counted by hand: ranks and ties, shares,
the claims' metadata (year, sources), the measure sensitivity's full table, margins and the
change since a year. Written from `make mutate` survivors."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import coca_frame, countries_frame

from analysis import producers as pr
from analysis.estimate import Estimate

# 2010: PER 60, COL 60 (a tie), BOL 30; 2011: PER 50, COL 70, BOL 30; Peru's other measure
# in 2011: 75 (satellite) - which would put Peru ahead of Colombia's 70.
COCA = coca_frame({"PER": {2010: 60, 2011: 50}, "COL": {2010: 60, 2011: 70},
                   "BOL": {2010: 30, 2011: 30}},
                  extra=[("PER", 2011, 75, "satellite_interpreted")])
COUNTRIES = countries_frame([("PER", "Peru", True), ("COL", "Colombia", True),
                             ("BOL", "Bolivia", True)])


def test_rank_table_ties_share_and_types():
    t = pr.rank_table(COCA).set_index(["year", "iso3"])
    # 2010: PER and COL tie for 1st (method "min"), BOL 3rd; shares 60/150 = 40%, 30/150 = 20%
    assert t.loc[2010, "rank"].to_dict() == {"BOL": 3, "COL": 1, "PER": 1}
    assert t.loc[2011, "rank"].to_dict() == {"BOL": 3, "COL": 1, "PER": 2}  # 70 > 50 > 30
    assert t.loc[(2010, "PER"), "share_pct"] == pytest.approx(40.0)
    assert t["rank"].dtype.kind == "i" and t["n_countries"].dtype.kind == "i"
    assert (t["n_countries"] == 3).all()


def test_headline_index_runs_from_zero_without_an_index_column():
    h = pr.headline(COCA)
    assert list(h.index) == list(range(6)) and "index" not in h.columns
    assert list(zip(h["year"], h["iso3"]))[:3] == [(2010, "BOL"), (2010, "COL"), (2010, "PER")]


def test_duplicate_headline_rows_are_refused():
    dup = pd.concat([COCA, COCA.iloc[[0]].assign(source_id="other")], ignore_index=True)
    with pytest.raises(AssertionError, match="several headline rows"):
        pr.headline(dup)


def test_latest_year_is_peru_s_latest():
    coca = coca_frame({"PER": {2010: 1}, "COL": {2010: 2, 2012: 3}})
    assert pr.latest_year(coca) == 2010  # Colombia's 2012 survey does not count


def test_claims_carry_their_year_and_source():
    for est in (pr.peru_rank(COCA, 2011), pr.peru_share(COCA, 2011),
                pr.area(COCA, "PER", 2011)):
        assert est.year == 2011 and est.sources == ("unodc_wdr2025_coca",)
    assert str(pr.peru_rank(COCA, 2011)) == "2nd"
    # 50 / 150 = 33.3% -> no decimals, no year shown
    assert str(pr.peru_share(COCA, 2011)) == "33%"
    assert pr.peru_share(COCA, 2011).method.startswith("Peru's hectares / total")
    with pytest.raises(KeyError, match="no headline rows for 1999"):
        pr.leader(COCA, 1999)


def test_leader_sentence_text_and_labels():
    s10, s11 = pr.leader_sentence(COCA, COUNTRIES, 2010), pr.leader_sentence(COCA, COUNTRIES, 2011)
    # 2010 tie: first by iso3 is COL
    assert (s10.text, s10.branch) == ("Colombia grew more coca than Peru.", "col_leads")
    peru = coca_frame({"PER": {2010: 90}, "COL": {2010: 60}})
    s = pr.leader_sentence(peru, COUNTRIES, 2010)
    assert (s.text, s.branch) == ("Peru grew more coca than any other country.", "peru_leads")
    assert s.sources == ("unodc_wdr2025_coca",) and s11.method == pr.PROXY_NOTE


def test_measure_sensitivity_full_table():
    t = pr.measure_sensitivity(COCA)
    assert t.to_dict("records") == [{
        "year": 2011, "leader_headline": "COL", "leader_alternative": "PER",
        "leader_changes": True, "peru_headline_ha": 50.0, "peru_alternative_ha": 75.0,
        "measure_alternative": "satellite_interpreted", "source_id": "unodc_wdr2025_coca"}]
    assert list(t.index) == [0]
    # an alternative equal to the other country's area does not make Peru the leader
    tie = coca_frame({"PER": {2011: 50}, "COL": {2011: 70}},
                     extra=[("PER", 2011, 70, "satellite_interpreted")])
    assert pr.measure_sensitivity(tie)["leader_alternative"].tolist() == ["COL"]


def test_measure_sensitivity_empty_has_its_columns():
    t = pr.measure_sensitivity(coca_frame({"PER": {2010: 1}, "COL": {2010: 2}}))
    assert t.empty and list(t.columns) == [
        "year", "leader_headline", "leader_alternative", "leader_changes",
        "peru_headline_ha", "peru_alternative_ha", "measure_alternative", "source_id"]


def test_peru_margins_known_answer():
    t = pr.peru_margins(COCA, 2011)
    # headline 50 - 70 = -20; satellite 75 - 70 = +5; sorted by source then measure
    assert t[["measure", "peru_ha", "other", "other_ha", "margin_ha"]].to_dict("records") == [
        {"measure": "net_area_dec31", "peru_ha": 50.0, "other": "COL", "other_ha": 70.0,
         "margin_ha": -20.0},
        {"measure": "satellite_interpreted", "peru_ha": 75.0, "other": "COL", "other_ha": 70.0,
         "margin_ha": 5.0}]
    assert list(t.index) == [0, 1]
    # a tie between the others goes to the first iso3 (BOL before COL)
    tie = coca_frame({"PER": {2010: 10}, "COL": {2010: 40}, "BOL": {2010: 40}})
    assert pr.peru_margins(tie, 2010)["other"].tolist() == ["BOL"]
    with pytest.raises(KeyError):
        pr.peru_margins(coca_frame({"COL": {2010: 1}}), 2010)


def test_change_since_known_answer():
    c = pr.change_since(COCA, "COL", 2010)
    # 60 -> 70: +16.7%, a later survey exists
    assert c["change_pct"] == pytest.approx(100 * (70 / 60 - 1))
    assert c["later_data"] is True and c["sources"] == ("unodc_wdr2025_coca",)
    same = pr.change_since(COCA, "COL", 2011)
    assert same["later_data"] is False and same["change_pct"] == 0
    other = coca_frame({"PER": {2010: 10, 2012: 20}, "COL": {2010: 5, 2014: 9}})
    assert pr.change_since(other, "PER", 2011)["end"].year == 2012  # Peru's own years only


def test_a_three_way_tie_shares_first_place():
    # ranks by "min": 1, 1, 1 (an "average" rank would be 2 for all three)
    t = pr.rank_table(coca_frame({"PER": {2010: 5}, "COL": {2010: 5}, "BOL": {2010: 5}}))
    assert t["rank"].tolist() == [1, 1, 1]


def test_sensitivity_skips_equal_areas_and_years_without_rivals():
    same = coca_frame({"PER": {2011: 50}, "COL": {2011: 70}},
                      extra=[("PER", 2011, 50, "satellite_interpreted")])
    assert pr.measure_sensitivity(same).empty  # the other measure says the same: no row
    alone = coca_frame({"PER": {2011: 50}}, extra=[("PER", 2011, 75, "satellite_interpreted")])
    assert pr.measure_sensitivity(alone).empty  # nobody to overtake


def test_peru_margins_columns():
    assert list(pr.peru_margins(COCA, 2011).columns) == [
        "source_id", "measure", "headline", "peru_ha", "other", "other_ha", "margin_ha"]


def test_lead_margin_two_growers_tied_go_by_iso3():
    # exactly two growers (enough for a runner-up), tied at 50: the first iso3 leads (COL < PER)
    m = pr.lead_margin(coca_frame({"PER": {2010: 50}, "COL": {2010: 50}}), 2010)
    assert (m["leader"], m["runner_up"]) == ("COL", "PER")
    assert m["margin_ha"].point == 0 and m["margin_pct"].point == 0  # 50 - 50 = 0; 0 / 50 = 0%
    with pytest.raises(KeyError, match="fewer than two"):
        pr.lead_margin(coca_frame({"PER": {2010: 50}}), 2010)


def test_lead_margin_estimates_in_full():
    # 2012: PER 90 (WDR 2025), COL 60 (WDR 2022), BOL 20 -> PER leads COL by 90 - 60 = 30 ha;
    # 100 * 30 / 60 = 50% of Colombia's area; sources: the leader's, then the runner-up's
    coca = coca_frame({"PER": {2012: 90}, "COL": {2012: 60}, "BOL": {2012: 20}})
    coca.loc[coca["iso3"] == "COL", "source_id"] = "unodc_wdr2022_coca"
    m = pr.lead_margin(coca, 2012)
    sources = ("unodc_wdr2025_coca", "unodc_wdr2022_coca")
    assert m["margin_ha"] == Estimate(
        30.0, unit="hectares", year=2012, show_year=False, sources=sources,
        method=f"Largest minus next headline area. {pr.PROXY_NOTE}")
    assert m["margin_pct"] == Estimate(
        50.0, unit="percent", year=2012, show_year=False, digits=0, sources=sources,
        method=f"Lead as a share of the next grower's area. {pr.PROXY_NOTE}")
    assert (str(m["margin_ha"]), str(m["margin_pct"])) == ("30 hectares", "50%")
    # the year stays hidden even if a caller re-units the margin to one that shows its year
    assert str(m["margin_ha"].with_(unit="per_100k")) == "30.0 per 100,000"


def test_peru_share_estimate_in_full():
    # 2011: PER 50, COL 30, BOL 20 -> 50 / (50 + 30 + 20 = 100) * 100 = 50%
    coca = coca_frame({"PER": {2011: 50}, "COL": {2011: 30}, "BOL": {2011: 20}})
    assert pr.peru_share(coca, 2011) == Estimate(
        50.0, unit="percent", year=2011, show_year=False, digits=0,
        sources=("unodc_wdr2025_coca",),
        method=f"Peru's hectares / total of the countries reported. {pr.PROXY_NOTE}")


MATCHED_COLUMNS = ["end_year", "coca_pct", "other_pct"]


def test_matched_changes_only_years_both_series_cover():
    # coca 2010 40, 2012 50, 2014 60; rate 2010 4.0, 2011 5.0, 2012 6.0, 2014 missing (NaN).
    # Both cover 2012 only: coca 100 * (50 / 40 - 1) = +25%; rate 100 * (6 / 4 - 1) = +50%
    coca = coca_frame({"PER": {2010: 40, 2012: 50, 2014: 60}, "COL": {2011: 99}})
    rate = pd.Series({2010: 4.0, 2011: 5.0, 2012: 6.0, 2014: float("nan")})
    t = pr.matched_changes(coca, rate, "PER", 2010)
    assert list(t.columns) == MATCHED_COLUMNS
    assert t["end_year"].tolist() == [2012]
    assert t["coca_pct"].tolist() == pytest.approx([25.0])
    assert t["other_pct"].tolist() == pytest.approx([50.0])


def test_matched_changes_needs_the_start_in_both_series():
    coca = coca_frame({"PER": {2010: 40, 2012: 50}})
    # the rate lacks 2010 (it starts in 2011), though both cover 2012: no table
    no_rate = pr.matched_changes(coca, pd.Series({2011: 5.0, 2012: 6.0}), "PER", 2010)
    assert no_rate.empty and list(no_rate.columns) == MATCHED_COLUMNS
    # coca lacks 2011, the rate has it: no table either
    no_coca = pr.matched_changes(coca, pd.Series({2011: 5.0, 2012: 6.0}), "PER", 2011)
    assert no_coca.empty and list(no_coca.columns) == MATCHED_COLUMNS
