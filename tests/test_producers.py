"""Producers: Peru's rank and share among coca growers (UNODC headline area)."""

import pandas as pd
import pytest
from factories import real_tables as _real_tables, coca_frame, countries_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import producers as pr

# UNODC WDR 2025 annex, hectares (Peru 2011 = net area 62,500; satellite 64,400)
COCA = coca_frame(
    {"BOL": {2011: 27200, 2012: 25300, 2013: 23000, 2023: 31000},
     "COL": {2011: 64000, 2012: 48000, 2013: 48000, 2023: 252600},
     "PER": {2011: 62500, 2012: 60400, 2013: 49800, 2023: 92800}},
    extra=[("PER", 2011, 64400, "satellite_interpreted")])
COUNTRIES = countries_frame([("BOL", "Bolivia", True), ("COL", "Colombia", True),
                             ("PER", "Peru", True)])


@pytest.fixture(scope="module")
def real_tables():
    return _real_tables()


def test_years_peru_largest():
    # 2011: COL 64,000 > PER 62,500; 2012: 60,400 > 48,000; 2013: 49,800 > 48,000;
    # 2023: COL 252,600 > PER 92,800
    assert pr.years_peru_largest(COCA) == [2012, 2013]


def test_rank_and_share():
    assert pr.peru_rank(COCA, 2011).point == 2
    assert str(pr.peru_rank(COCA, 2012)) == "1st"
    # 60,400 / (25,300 + 48,000 + 60,400 = 133,700) = 45.2%
    assert pr.peru_share(COCA, 2012).point == pytest.approx(45.18, abs=0.01)
    assert str(pr.peru_share(COCA, 2012)) == "45%"
    # 92,800 / (31,000 + 252,600 + 92,800 = 376,400) = 24.7%
    assert pr.peru_share(COCA, 2023).point == pytest.approx(24.65, abs=0.01)


def test_every_estimate_states_the_proxy():
    assert "proxy for cocaine output" in pr.peru_rank(COCA, 2012).method
    assert "proxy" in pr.area(COCA, "PER", 2012).method


def test_area_and_latest_leader():
    assert str(pr.area(COCA, "PER", 2023)) == "92,800 hectares"
    assert pr.latest_year(COCA) == 2023
    assert pr.leader(COCA, 2023) == "COL"
    s = pr.leader_sentence(COCA, COUNTRIES, 2023)
    assert (str(s), s.branch) == ("Colombia grew more coca than Peru.", "col_leads")
    assert pr.leader_sentence(COCA, COUNTRIES, 2012).branch == "peru_leads"


def test_measure_sensitivity_flags_2011():
    # satellite-interpreted 64,400 > Colombia's 64,000: Peru would lead 2011 on that measure
    t = pr.measure_sensitivity(COCA)
    assert t[["year", "leader_headline", "leader_alternative", "leader_changes"]].values.tolist() == [
        [2011, "COL", "PER", True]]


def test_missing_year_is_named():
    with pytest.raises(KeyError, match="no headline row for PER 1999"):
        pr.peru_rank(COCA, 1999)


def test_two_headline_rows_for_one_country_year_fail_loudly():
    bad = pd.concat([COCA, COCA.iloc[[0]]])
    with pytest.raises(AssertionError, match="several headline rows"):
        pr.rank_table(bad)


@settings(deadline=None)  # builds DataFrames: wall time varies on a loaded machine
@given(st.lists(st.integers(1, 300_000), min_size=1, max_size=6))
def test_ranks_are_a_permutation_when_no_ties(areas):
    areas = sorted(set(areas))
    isos = [f"C{i:02d}" for i in range(len(areas))]
    t = pr.rank_table(coca_frame({i: {2000: a} for i, a in zip(isos, areas)}))
    assert sorted(t["rank"]) == list(range(1, len(areas) + 1))
    assert t["share_pct"].sum() == pytest.approx(100)  # shares of the total sum to one


# --- the real data (this vintage of data/) -------------------------------------------------

def test_real_peru_leads_only_in_2012_and_2013(real_tables):
    coca = real_tables["coca_cultivation"]
    # headline ha: 2011 COL 64,000 > PER 62,500 (net); 2012 PER 60,400 > COL 48,000;
    # 2013 PER 49,800 > COL 48,000; 2014 COL 69,000 > PER 42,900
    assert pr.years_peru_largest(coca) == [2012, 2013]
    assert pr.latest_year(coca) == 2023 and pr.leader(coca, 2023) == "COL"
    # 2023: 92,800 / (31,000 + 252,600 + 92,800) = 24.7%
    assert pr.peru_share(coca, 2023).point == pytest.approx(24.65, abs=0.01)
    t = pr.measure_sensitivity(coca)
    assert t.loc[t["leader_changes"], "year"].tolist() == [2011]


def test_change_since_the_article():
    # Peru 2013 49,800 -> 2023 92,800 ha: 92,800 / 49,800 - 1 = +86.3%
    c = pr.change_since(COCA, "PER", 2013)
    assert (c["start"].point, c["end"].point, c["later_data"]) == (49800, 92800, True)
    assert c["change_pct"] == pytest.approx(86.345, abs=0.001)
    # before the first survey: from the first survey (2011, 62,500)
    assert pr.change_since(COCA, "PER", 2005)["start"].year == 2011


def test_eradication_peak_and_years_with_both_measures():
    er = pd.DataFrame({"iso3": ["PER", "PER", "PER", "COL"], "year": [2013, 2015, 2016, 2015],
                       "hectares": [23947.0, 35868.0, 30150.0, 90000.0],
                       "source_id": ["unodc_wdr2022_eradication"] * 4})
    peak = pr.eradication_peak(er, "PER")
    assert (int(peak["year"]), peak["hectares"]) == (2015, 35868.0)
    # only 2011 has Peru's net and satellite-interpreted areas
    assert pr.years_with_both_measures(COCA, "PER") == [2011]
    assert pr.years_with_both_measures(COCA, "COL") == []


def test_peru_margins_2011_hang_on_the_measure():
    coca = _real_tables()["coca_cultivation"]
    t = pr.peru_margins(coca, 2011)
    by = {(r.source_id, r.measure): r.margin_ha for r in t.itertuples()}
    # WDR 2025 satellite 64,400 - Colombia 64,000 = +400; net 62,500 - 64,000 = -1,500
    assert by[("unodc_wdr2025_coca", "satellite_interpreted")] == 400
    assert by[("unodc_wdr2025_coca", "net_area_dec31")] == -1500
    assert by[("unodc_wdr2022_coca", "satellite_interpreted")] == -1500
    assert set(t["other"]) == {"COL"}
    with pytest.raises(KeyError, match="1990"):
        pr.peru_margins(coca, 1990)


def test_lead_margin_2013_is_under_four_percent():
    # 2013: Peru 49,800, Colombia 48,000 -> 1,800 ha; 1,800 / 48,000 = 3.75% (prints 4%)
    m = pr.lead_margin(COCA, 2013)
    assert (m["leader"], m["runner_up"]) == ("PER", "COL")
    assert m["margin_ha"].point == 1800
    assert m["margin_pct"].point == pytest.approx(3.75)
    assert str(m["margin_pct"]) == "4%"
    with pytest.raises(KeyError, match="1990"):
        pr.lead_margin(COCA, 1990)


def test_matched_changes_compare_the_same_end_years():
    # coca 2013 49,800 -> 2019 54,700 (+9.84%) -> 2020 61,800 (+24.10%);
    # rate 2013 6.75 -> 2019 7.35 (+8.89%) -> 2020 5.80 (-14.07%); 2021 is past the break
    coca = coca_frame({"PER": {2013: 49800, 2019: 54700, 2020: 61800, 2021: 80681},
                       "COL": {2013: 48000, 2019: 154000, 2020: 143000, 2021: 204000}})
    rate = pd.Series({2013: 6.75, 2019: 7.35, 2020: 5.80, 2021: 8.60})
    t = pr.matched_changes(coca, rate, "PER", 2013, before=2021)
    assert t["end_year"].tolist() == [2019, 2020]
    assert t["coca_pct"].tolist() == pytest.approx([9.839, 24.096], abs=0.001)
    assert t["other_pct"].tolist() == pytest.approx([8.889, -14.074], abs=0.001)
    assert pr.matched_changes(coca, rate, "PER", 2013)["end_year"].tolist() == [2019, 2020, 2021]
    assert pr.matched_changes(coca, rate, "PER", 2012).empty  # no start year in the data
