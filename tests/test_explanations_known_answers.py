"""Known answers for what a reader sees of the explanations chapter: every cell of the evidence
table and every method note, by exact text.

The evidence table is built from hand-made inputs (every number chosen here, so each sentence
is known in advance); the method notes come from the obvious synthetic panel of
tests/test_known_answers_model.py (four peers at log gaps -0.2, -0.1, +0.1, +0.2 around 10,000
homicides, no drug effect, Peru at -0.6), whose sigma, prediction and break-even are worked out
by hand there and restated here. The slow golden test reads the same text from the rendered
book; these pin it in the fast tier.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from test_known_answers_model import _synthetic

from analysis import explanations as ex
from analysis.estimate import Estimate

SETTLE_1 = ("Reconciled yearly death records for Peru (death certificates, police, prosecutors) "
            "with the definitions behind the 10,000 and 3,000, broken down for the coca valleys.")
SETTLE_2 = ("Court and pardon records for drug convictions; prosecutions of officials for "
            "drug-linked corruption; surveys of bribery in the coca regions.")


def _rate(point, low=None, high=None):
    """A rate per 100,000 in 2012 as the chapter's predictions carry it."""
    return Estimate(point, low, high, unit="per_100k", year=2012,
                    interval="95% CI" if low is not None else "range")


def _inputs(z=-2.04, zp=-1.6, drug=(0.07, -0.06, 0.20), interaction=(0.13, -0.10, 0.37),
            rank=8, n=12, outliers=(True, False, False), gap=2.3):
    """Hand-made findings for `evidence_table`: every value the table prints is set here."""
    counts = pd.DataFrame({"figure": ["published", "interior", "police"],
                           "count": [1968.0, 10000.0, 3000.0],
                           "ratio_to_predicted": [0.2289, 1.1633, 0.3490],
                           "outlier": [outliers[0], outliers[2], outliers[1]]})
    return {
        "year": 2012,
        "misreading": SimpleNamespace(n_obs=715, n_countries=34),
        "complicity": SimpleNamespace(n_obs=520, n_countries=33),
        "police_model": SimpleNamespace(n_obs=321, n_countries=29),
        "prediction": {"z": Estimate(z), "observed_rate": _rate(6.7),
                       "predicted_rate": _rate(29.1, 21.4, 39.5)},
        "police_prediction": {"z": Estimate(zp), "observed_rate": _rate(9.7),
                              "predicted_rate": _rate(31.4, 24.3, 40.5)},
        "counts": counts,
        "drug_effect": Estimate(*drug, digits=2, interval="95% CI"),
        "interaction": Estimate(*interaction, digits=2, interval="95% CI"),
        "break_even": Estimate(2600, unit="homicides", hedge="about"),
        "corruption_wgi": pd.DataFrame({"iso3": ["VEN", "PER"], "value": [-1.3, -0.4],
                                        "rank": [1, rank], "n": [n, n]}),
        "series_gap": {"peru": Estimate(gap, unit="times"),
                       "peers_median": Estimate(1.0, 0.7, 1.4, unit="times")},
        # first years 2001 and 2000, last years 2012 and 2011: the span is min first .. max last
        "gap_table": pd.DataFrame({"first_year": [2001, 2000, 2003],
                                   "last_year": [2012, 2011, 2010]}),
        "pardons": {"garcia": Estimate(400, unit="people", hedge="some"),
                    "humala": Estimate(100, None, 100, unit="people", hedge="as many as")},
    }


def test_every_cell_of_the_evidence_table_reads_as_the_reader_sees_it():
    t = ex.evidence_table(_inputs())
    assert t.values.tolist() == [
        ["Misreading", "Peru records far fewer homicides than its drug intensity predicts",
         "Observed 6.7 per 100,000 (2012); predicted 29.1 per 100,000 (2012; 95% CI 21.4–39.5); "
         "gap -2.0 between-country SDs", "715 country-years, 34 countries",
         # z = -2.04 <= -1.645, but the drug CI (-0.06, 0.20) includes 0: premise not shown
         "consistent with an outlier, but the prediction is mostly the regional average "
         "(premise not shown)", SETTLE_1],
        ["Misreading", "The same holds on the police series (published counts, not rates)",
         "Observed 9.7 per 100,000 (2012); predicted 31.4 per 100,000 (2012; 95% CI 24.3–40.5); "
         "gap -1.6 between-country SDs", "321 country-years, 29 countries",
         "within the usual spread", SETTLE_1],   # -1.6 > -1.645
        ["Misreading", "Drug intensity drives homicide across the region (the premise)",
         "Coefficient 0.07 (95% CI −0.06 to 0.20)", "715 country-years, 34 countries",
         "inconclusive", SETTLE_1],
        ["Misreading", "A fuller count would bring Peru back into line",
         # ratio 1.1633 -> 1.16; counts with thousands separators
         "Break-even about 2,600 homicides; published 1,968, police 3,000, Interior 10,000 "
         "(1.16 x predicted)", "715 country-years, 34 countries",
         "either claimed count removes the outlier; the published one does not", SETTLE_1],
        ["Misreading", "Counts disagree more for Peru than for its neighbours",
         "Police / modelled deaths: Peru 2.3 times, neighbours median 1.0 times (range 0.7–1.4)",
         # three countries, 2000 (earliest first year) to 2012 (latest last year)
         "3 South American countries, 2000–2012",
         "Peru's sources disagree more than any neighbour's (police above modelled, not below)",
         SETTLE_1],
        ["Complicity", "Corruption weakens the drug-violence link (negative interaction)",
         "Drug x corruption 0.13 (95% CI −0.10 to 0.37)", "520 country-years, 33 countries",
         "inconclusive", SETTLE_2],
        ["Complicity", "Peru is among the more corrupt countries of South America",
         "WGI control of corruption 2012: rank 8 of 12 (1 = most corrupt)", "12 countries",
         "not borne out: Peru is mid-table", SETTLE_2],   # 8 > 12 / 3
        ["Complicity", "Traffickers are let off (pardons)",
         "some 400 people (Garcia), as many as 100 people (Humala)", "the article's figures",
         "unverified: no public series", SETTLE_2],
    ]


@pytest.mark.parametrize("z, drug, strength", [
    # exactly 1.645 SDs below is an outlier (z <= -1.645), a hair above is not
    (-1.645, (0.3, 0.1, 0.5), "consistent with an outlier"),
    (-1.64, (0.3, 0.1, 0.5), "within the usual spread"),
    # premise shown (CI above 0): no caveat; CI below 0 ("contradicts"): the caveat
    (-3.0, (-0.3, -0.5, -0.1), "consistent with an outlier, but the prediction is mostly the "
                               "regional average (premise not shown)"),
    (-1.0, (0.0, -0.1, 0.1), "within the usual spread, but the prediction is mostly the "
                             "regional average (premise not shown)"),
])
def test_outlier_strength_reads_z_and_the_premise(z, drug, strength):
    t = ex.evidence_table(_inputs(z=z, drug=drug)).set_index("prediction")["strength"]
    assert t["Peru records far fewer homicides than its drug intensity predicts"] == strength


@pytest.mark.parametrize("zp, strength", [(-1.645, "consistent with an outlier"),
                                          (-1.64, "within the usual spread")])
def test_police_series_strength_boundary(zp, strength):
    t = ex.evidence_table(_inputs(zp=zp)).set_index("prediction")["strength"]
    assert t["The same holds on the police series (published counts, not rates)"] == strength


@pytest.mark.parametrize("interaction, strength", [
    ((-0.3, -0.5, -0.1), "supports"),        # complicity predicts a negative interaction
    ((0.3, 0.1, 0.5), "contradicts"),
])
def test_interaction_strength_is_graded_against_a_negative_prediction(interaction, strength):
    t = ex.evidence_table(_inputs(interaction=interaction)).set_index("prediction")["strength"]
    assert t["Corruption weakens the drug-violence link (negative interaction)"] == strength


@pytest.mark.parametrize("outliers, verdict", [
    ((False, False, False), "no count leaves Peru an outlier: the test cannot separate them"),
    ((True, False, False), "either claimed count removes the outlier; the published one does not"),
    ((True, True, False), "outlier under: published, police"),
    ((True, True, True), "outlier under: published, police, interior"),
    ((False, False, True), "outlier under: interior"),
])
def test_break_even_verdict_names_every_count_left_an_outlier(outliers, verdict):
    t = ex.evidence_table(_inputs(outliers=outliers)).set_index("prediction")["strength"]
    assert t["A fuller count would bring Peru back into line"] == verdict


@pytest.mark.parametrize("gap, verdict", [
    (2.3, "Peru's sources disagree more than any neighbour's (police above modelled, not below)"),
    (1.4, "within the neighbours' range"),     # at the top of the range: inside it
    (0.7, "within the neighbours' range"),     # at the bottom
    (0.5, "Peru's police count falls further below modelled deaths than any neighbour's"),
])
def test_gap_verdict_boundaries(gap, verdict):
    t = ex.evidence_table(_inputs(gap=gap)).set_index("prediction")["strength"]
    assert t["Counts disagree more for Peru than for its neighbours"] == verdict


def test_gap_verdict_with_open_neighbour_range_is_within():
    # no range for the neighbours: nothing to be outside of
    assert ex._gap_verdict({"peru": Estimate(5.0), "peers_median": Estimate(1.0)}) == \
        "within the neighbours' range"


def test_grade_open_ends_and_zero():
    # an interval touching 0 excludes nothing; an open end is not a bound
    assert ex.grade(Estimate(0.1, 0.0, 0.2), +1) == "inconclusive"
    assert ex.grade(Estimate(-0.1, -0.2, 0.0), -1) == "inconclusive"
    assert ex.grade(Estimate(0.5), +1) == "inconclusive"
    assert ex.grade(Estimate(-0.3, -0.5, -0.1), +1) == "contradicts"


# --- method notes on the obvious synthetic panel ----------------------------------------------

@pytest.fixture(scope="module")
def obvious():
    """The obvious panel (test_known_answers_model) and its misreading model."""
    panel = _synthetic({"AAA": -0.2, "BBB": -0.1, "CCC": 0.1, "DDD": 0.2}, peru_gap=-0.6)
    return panel, ex.fit_model(panel)


DESCRIBE = ("Poisson GLM (homicides ~ x_drugs + C(year)), log population offset, errors "
            "clustered by country; n = 8 country-years, 4 countries, 2010–2011; Peru excluded "
            "from the fit.")
SEIZURE = ("Drug intensity = cocaine seized per 100,000 people; seizures measure enforcement as "
           "much as traffic.")


def test_model_description_and_sizes(obvious):
    _, m = obvious
    # four peers x two years; Peru left out
    assert (m.n_obs, m.n_countries, m.years, m.excluded) == (8, 4, (2010, 2011), ("PER",))
    assert m.converged is True
    assert m.describe() == DESCRIBE


def test_peru_prediction_values_and_notes(obvious):
    panel, m = obvious
    p = ex.peru_prediction(m, panel, 2010)
    # observed: 1e8 x 1e-4 x e^-0.6 = 5,488.1 homicides in 1e8 people = 5.4881 per 100,000
    # predicted: the peers' mean count 10,125.4 -> 10.1254 per 100,000; ratio 0.54201
    assert p["observed_rate"].point == pytest.approx(5.48812, rel=1e-5)
    assert p["predicted_rate"].point == pytest.approx(10.12535, rel=1e-5)
    assert p["predicted_rate"].low < 10.12535 < p["predicted_rate"].high
    assert p["ratio"].point == pytest.approx(5.48812 / 10.12535, rel=1e-5)
    assert (p["observed_rate"].year, p["predicted_rate"].year) == (2010, 2010)
    assert p["predicted_rate"].interval == "95% CI"
    assert p["observed_rate"].sources == ("syn", "wdi_population")
    assert p["observed_rate"].method == "Published rate in the model's series."
    assert p["predicted_rate"].method == DESCRIBE
    assert p["ratio"].method == "Observed / predicted. " + DESCRIBE
    # sigma = sqrt(0.1 / 3) = 0.18257 -> "0.18"
    assert p["z"].method == ("(log(observed / predicted) - (0.00)) / 0.18 (centre: the model's "
                             "fitted line (the population-weighted average country); SD of the "
                             "other countries' average log gaps). " + DESCRIBE)
    assert str(p["z"]) == "−3.4"      # -3.3546 to one decimal
    assert str(p["ratio"]) == "0.54 times"


def test_peru_prediction_level_sets_the_interval(obvious):
    panel, m = obvious
    p95 = ex.peru_prediction(m, panel, 2010)["predicted_rate"]
    p50 = ex.peru_prediction(m, panel, 2010, level=0.5)["predicted_rate"]
    assert p50.interval == "50% CI" and p95.low < p50.low < p50.high < p95.high


def test_neighbours_centre_is_named_in_the_note(obvious):
    panel, m = obvious
    # the peers' gaps from the line: -0.2, -0.1, 0.1, 0.2 minus 0.012457; median -0.012457
    z = ex.peru_prediction(m, panel, 2010, yardstick="neighbours_centre")["z"]
    assert z.method.startswith("(log(observed / predicted) - (-0.01)) / 0.18 (centre: where the "
                               "comparison countries actually sit (median of their average gaps "
                               "from the fitted line); SD")
    # Peru's gap -0.612457 from the line, +0.012457 from the centre: -0.6 / 0.182574 = -3.2863
    assert z.point == pytest.approx(-3.2863, abs=1e-3)


def test_observed_note_names_a_recomputed_count():
    row = pd.DataFrame({"count_published": [True]})
    assert ex._observed_note(row) == ("Recomputed: the series' published count / World Bank "
                                      "population x 100,000.")
    assert ex._observed_note(pd.DataFrame({"count_published": [False]})) == \
        "Published rate in the model's series."


def test_break_even_note_and_value(obvious):
    panel, m = obvious
    be = ex.break_even(m, panel, 2010)
    # 10,125.4 x exp(-1.645 x 0.182574) = 7,498.5 -> about 7,500 homicides
    assert str(be) == "about 7,500 homicides"
    assert (be.year, be.sources) == (2010, ("syn", "wdi_population"))
    assert be.method == "Predicted 10,125 x exp(-1.645 x 0.18). " + DESCRIBE + " " + SEIZURE
    # measured from the neighbours' centre (-0.012457): exp(-0.012457 - 0.300334) -> 7,406
    c = ex.break_even(m, panel, 2010, yardstick="neighbours_centre")
    assert c.point == 7410
    assert c.method.startswith("Predicted 10,125 x exp(-0.01 -1.645 x 0.18). ")
    # a stricter threshold lowers it: 10,125.4 x exp(-2 x 0.182574) = 7,029.6 -> 7,030
    assert ex.break_even(m, panel, 2010, z=2.0).point == 7030


def test_drug_coefficient_note(obvious):
    _, m = obvious
    e = ex.drug_coefficient(m)
    assert e.interval == "95% CI" and e.digits == 2
    assert e.sources == ("syn", "wdi_population")
    # the estimate is 0 to rounding; its p-value is statsmodels' (numerical noise here)
    p = float(m.fit.pvalues["x_drugs"])
    assert e.method == f"Drug-intensity coefficient; p = {p:.2f}. " + DESCRIBE + " " + SEIZURE
    assert ex.drug_coefficient(m, level=0.5).interval == "50% CI"


def test_panel_sources_lists_both_series_and_population():
    p = pd.DataFrame({"source_id": ["b", "a", "b"], "seizure_source_id": ["z", "z", "y"]})
    assert ex.panel_sources(p) == ("a", "b", "wdi_population", "y", "z")


# --- the panel, built from small tables by hand ------------------------------------------------

def _tables():
    """Two Latin American countries, the US (left out), a Peruvian aggregate row (left out)."""
    countries = pd.DataFrame([
        {"iso3": "PER", "region": "Americas", "is_aggregate": False},
        {"iso3": "CHL", "region": "Americas", "is_aggregate": False},
        {"iso3": "USA", "region": "Americas", "is_aggregate": False},
        {"iso3": "ESP", "region": "Europe", "is_aggregate": False},
        {"iso3": "LAC", "region": "Americas", "is_aggregate": True},
        {"iso3": "BOL", "region": "Americas", "is_aggregate": False},   # no population: out
    ])
    population = pd.DataFrame([{"iso3": i, "year": y, "population": p, "source_id": "wdi_population"}
                               for i, p in (("PER", 30e6), ("CHL", 17e6), ("USA", 3e8),
                                            ("ESP", 4.6e7), ("LAC", 6e8))
                               for y in (2011, 2012)])
    homicide = pd.DataFrame([
        # World Bank series: rates only; a count is rate x population / 100,000
        {"iso3": "PER", "year": 2012, "rate_per_100k": 6.6, "count": None,
         "source_type": "wdi_series", "source_id": "wdi_homicide"},
        {"iso3": "CHL", "year": 2012, "rate_per_100k": 3.0, "count": None,
         "source_type": "wdi_series", "source_id": "wdi_homicide"},
        {"iso3": "USA", "year": 2012, "rate_per_100k": 4.7, "count": None,
         "source_type": "wdi_series", "source_id": "wdi_homicide"},
        # police series: a published count (kept as is, not rate x population)
        {"iso3": "PER", "year": 2012, "rate_per_100k": 9.6, "count": 2865.0,
         "source_type": "criminal_justice", "source_id": "unodc_cts"},
        {"iso3": "CHL", "year": 2011, "rate_per_100k": None, "count": None,
         "source_type": "wdi_series", "source_id": "wdi_homicide"},   # no figure: dropped
    ])
    homicide["count"] = homicide["count"].astype("Float64")
    seizures = pd.DataFrame([{"iso3": i, "year": 2012, "kilograms": kg, "source_id": "unodc_sz"}
                             for i, kg in (("PER", 21000.0), ("CHL", 8500.0), ("USA", 30000.0))])
    corruption = pd.DataFrame([
        {"iso3": "PER", "year": 2012, "indicator": "wgi_cc_est", "value": -0.4, "source_id": "wb_wgi"},
        {"iso3": "CHL", "year": 2012, "indicator": "wgi_cc_est", "value": 1.5, "source_id": "wb_wgi"},
        {"iso3": "CHL", "year": 2012, "indicator": "cpi_0_100", "value": 72.0, "source_id": "ti"},
    ])
    return homicide, population, seizures, countries, corruption


def test_latin_america_leaves_out_north_america_aggregates_and_countries_without_population():
    _, population, _, countries, _ = _tables()
    assert ex.latin_america(countries, population) == ["CHL", "PER"]


def test_drug_intensity_by_hand():
    _, population, seizures, _, _ = _tables()
    d = ex.drug_intensity(seizures, population).set_index("iso3")
    # Peru: 21,000 kg / 30 M x 100,000 = 70 kg per 100k; log(1 + 70) = 4.26268
    # Chile: 8,500 / 17 M x 100,000 = 50; log(51) = 3.93183
    assert d.loc["PER", "kg_per_100k"] == pytest.approx(70.0)
    assert d.loc["PER", "x_drugs"] == pytest.approx(4.262680, abs=1e-6)
    assert d.loc["CHL", "x_drugs"] == pytest.approx(3.931826, abs=1e-6)
    assert list(d.columns) == ["year", "kg_per_100k", "x_drugs", "seizure_source_id"]
    assert set(d["seizure_source_id"]) == {"unodc_sz"}


def test_build_panel_by_hand():
    homicide, population, seizures, countries, corruption = _tables()
    p = ex.build_panel(homicide, population, seizures, countries)
    # the US is not Latin American; Chile 2011 has no figure and no seizures
    assert p[["iso3", "year"]].values.tolist() == [["CHL", 2012], ["PER", 2012]]
    # reconstructed counts: 3.0 x 17 M / 100k = 510; 6.6 x 30 M / 100k = 1,980
    assert p["homicides"].tolist() == pytest.approx([510.0, 1980.0])
    assert p["count_published"].tolist() == [False, False]
    assert p["rate_per_100k"].tolist() == pytest.approx([3.0, 6.6])
    assert p["source_id"].tolist() == ["wdi_homicide", "wdi_homicide"]
    police = ex.build_panel(homicide, population, seizures, countries, series="criminal_justice")
    # the published count stands; the rate is recomputed: 2,865 / 30 M x 100k = 9.55
    assert police["homicides"].tolist() == [2865.0]
    assert police["count_published"].tolist() == [True]
    assert police["rate_per_100k"].tolist() == pytest.approx([9.55])
    withc = ex.build_panel(homicide, population, seizures, countries, corruption)
    # WGI only (CPI is another indicator); corrupt = -cc
    assert withc["cc"].tolist() == [1.5, -0.4] and withc["corrupt"].tolist() == [-1.5, 0.4]
    cpi = ex.build_panel(homicide, population, seizures, countries, corruption,
                         corruption_indicator="cpi_0_100")
    assert cpi["iso3"].tolist() == ["CHL"] and cpi["cc"].tolist() == [72.0]


def test_counts_against_the_break_even_on_the_obvious_panel(obvious):
    from factories import claims_frame, population_frame
    panel, m = obvious
    claims = claims_frame([
        {"claim_id": "homicides_interior_ministry", "value": 9000, "unit": "homicides", "year": 2010},
        {"claim_id": "homicides_national_police", "value": 7000, "unit": "homicides", "year": 2010}])
    c = ex.counts_vs_break_even(m, panel, claims, population_frame({("PER", 2010): 1e8}))
    c = c.set_index("figure")
    assert list(c.index) == ["published", "interior", "police"]
    assert (c["year"] == 2010).all()
    # published 1e4 x e^-0.6 = 5,488.1; predicted 10,125.35; break-even 7,498.5 (see above)
    assert c["count"].tolist() == pytest.approx([5488.116, 9000, 7000], rel=1e-6)
    assert c["rate_per_100k"].tolist() == pytest.approx([5.488116, 9.0, 7.0], rel=1e-6)
    assert c["predicted"].tolist() == pytest.approx([10125.35] * 3, rel=1e-6)
    assert c["break_even"].tolist() == pytest.approx([7498.5] * 3, abs=0.1)
    assert c["ratio_to_predicted"].tolist() == pytest.approx(
        [5488.116 / 10125.35, 9000 / 10125.35, 7000 / 10125.35], rel=1e-6)
    # below the break-even: the published count and the 7,000; 9,000 is above it
    assert c["outlier"].tolist() == [True, False, True]


def test_corruption_position_on_cpi_and_missing_year():
    _, _, _, _, corruption = _tables()
    countries = pd.DataFrame([{"iso3": i, "region": "Americas", "subregion": "South America",
                               "south_america": True, "is_aggregate": False} for i in ("PER", "CHL")])
    t = ex.corruption_position(corruption, countries, 2012, "cpi_0_100")
    assert t.values.tolist() == [["CHL", 72.0, 1, 1, "ti"]]
    with pytest.raises(KeyError, match="no wgi_cc_est values for 2013"):
        ex.corruption_position(corruption, countries, 2013)
    # CPI is read on whichever scale covers the year; None if neither does
    assert ex._cpi_position(corruption, countries, 2012)["iso3"].tolist() == ["CHL"]
    assert ex._cpi_position(corruption, countries, 2013) is None
    old = corruption.assign(indicator="cpi_0_10", value=[3.8, 7.2, 7.2])
    assert ex._cpi_position(old, countries, 2012)["value"].tolist() == [3.8, 7.2, 7.2]


def test_ties_share_the_most_corrupt_rank():
    countries = pd.DataFrame([{"iso3": i, "region": "Americas", "subregion": "South America",
                               "south_america": True, "is_aggregate": False}
                              for i in ("PER", "CHL", "BOL")])
    corr = pd.DataFrame([{"iso3": i, "year": 2012, "indicator": "wgi_cc_est", "value": v,
                          "source_id": "wb_wgi"} for i, v in (("PER", -0.5), ("BOL", -0.5),
                                                               ("CHL", 1.5))])
    t = ex.corruption_position(corr, countries, 2012)
    assert t["rank"].tolist() == [1, 1, 3] and t["n"].tolist() == [3, 3, 3]


def test_ols_check_on_the_obvious_panel(obvious):
    panel, _ = obvious
    r = ex.ols_check(panel, 2010)
    # every country's x_drugs sums to 0 over the years and every year's over the countries,
    # and log rates do not move between years: the OLS slope is 0 and Peru's predicted log
    # rate is the peers' mean log rate, log 10 + mean(-0.2, -0.1, 0.1, 0.2) = log 10
    assert r["drug_effect"].point == pytest.approx(0.0, abs=1e-9)
    assert r["predicted_rate"].point == pytest.approx(10.0, rel=1e-9)
    assert r["predicted_rate"].low < 10.0 < r["predicted_rate"].high
    note = ("OLS on log rates, year effects, errors clustered by country; n = 8 country-years, "
            "4 countries; Peru held out. " + SEIZURE)
    assert r["drug_effect"].method == note and r["predicted_rate"].method == note
    assert r["drug_effect"].interval == "95% CI" and r["drug_effect"].digits == 2
    assert (r["predicted_rate"].unit, r["predicted_rate"].year) == ("per_100k", 2010)
    assert r["predicted_rate"].sources == ("syn", "wdi_population")
    # zero rates are dropped (their log does not exist), not fitted
    zero = panel.assign(rate_per_100k=np.where(panel["iso3"] == "AAA", 0.0, panel["rate_per_100k"]))
    assert "n = 6 country-years, 3 countries" in ex.ols_check(zero, 2010)["drug_effect"].method


def test_interaction_note_names_the_complicity_model():
    from test_explanations import synthetic_panel
    m = ex.fit_model(synthetic_panel(beta=0.4, gamma=0.2, delta=-0.3, seed=3), complicity=True)
    e = ex.interaction_estimate(m)
    p = float(m.fit.pvalues["xd:xc"])
    assert e.method == (f"Drug intensity x corruption (WGI, sign flipped); p = {p:.2f}. Poisson "
                        "GLM (homicides ~ xd * xc + C(year)), log population offset, errors "
                        "clustered by country; n = 600 country-years, 30 countries, 2000–2019; "
                        "Peru excluded from the fit. " + SEIZURE)
    # the centred drug term is what drug_coefficient reads in the complicity model
    assert ex.drug_coefficient(m).point == pytest.approx(float(m.fit.params["xd"]))
    assert ex.drug_coefficient(m).method.startswith("Drug-intensity coefficient; p = ")
    # centring: xd and xc have mean 0 in the fit
    assert m.data["xd"].mean() == pytest.approx(0, abs=1e-12)
    assert m.data["xc"].mean() == pytest.approx(0, abs=1e-12)


def test_peer_gaps_on_the_obvious_panel(obvious):
    _, m = obvious
    t = ex.peer_gaps(m)
    # gaps from the line: g - 0.012457; z = gap / 0.182574
    assert t["iso3"].tolist() == ["AAA", "BBB", "CCC", "DDD"]
    assert t["gap"].tolist() == pytest.approx([-0.212457, -0.112457, 0.087543, 0.187543], abs=1e-5)
    assert t["z"].tolist() == pytest.approx([-1.16367, -0.61595, 0.47950, 1.02722], abs=1e-4)
    assert not t["outlier"].any()
    # a looser threshold of 1.1 SDs catches AAA only
    assert ex.peer_gaps(m, z=1.1)["outlier"].tolist() == [True, False, False, False]


def test_observed_vs_predicted_and_diagnostics_on_the_obvious_panel(obvious):
    panel, m = obvious
    panel = panel.assign(kg_per_100k=1.0)
    d, peru = ex.observed_vs_predicted(SimpleNamespace(misreading=m, panel=panel, year=2011))
    # every predicted rate is the year's mean count over 1e8 people: 10.12535 per 100,000
    assert d["predicted"].tolist() == pytest.approx([10.12535] * 10, rel=1e-5)
    assert peru == pytest.approx(10.12535, rel=1e-5)
    assert d.loc[d["peru"], "iso3"].tolist() == ["PER", "PER"]
    assert d.loc[d["peru"], "rate_per_100k"].tolist() == pytest.approx([5.48812] * 2, rel=1e-5)
    assert list(d.columns) == ["iso3", "year", "rate_per_100k", "predicted", "kg_per_100k", "peru"]
    t = ex.term_diagnostics(m, "x_drugs")
    # Pearson chi2 / residual df: sum (y - mu)^2 / mu over 8 rows, mu = 10,125.35, df = 8 - 3
    y = 1e4 * np.exp(np.array([-0.2, -0.1, 0.1, 0.2]))
    mu = y.mean()
    want = 2 * ((y - mu) ** 2 / mu).sum() / 5
    assert t["dispersion"] == pytest.approx(want, rel=1e-5)
    assert (t["n_obs"], t["n_countries"], t["first_year"], t["last_year"]) == (8, 4, 2010, 2011)
    assert t["sigma"] == pytest.approx(0.182574, abs=1e-5) and t["converged"] is True
    assert t["coef"] == pytest.approx(0.0, abs=1e-6)
    assert t["ci_low"] <= t["coef"] <= t["ci_high"]


def test_zero_counts_are_read_as_half_in_the_gaps():
    # log(max(0, 0.5) / 2) = log 0.25; log(4 / 2) = log 2; mean per country
    g = ex.country_gaps([0.0, 4.0, 1.0], [2.0, 2.0, 1.0], ["B", "B", "A"])
    assert g.index.tolist() == ["A", "B"]
    assert g.tolist() == pytest.approx([0.0, (np.log(0.25) + np.log(2.0)) / 2])


def test_pardons_carry_their_source_and_say_they_are_unchecked():
    from factories import claims_frame
    claims = claims_frame([
        {"claim_id": "garcia_pardons", "value": 400, "unit": "persons", "wording": "some",
         "source_id": "article_a"},
        {"claim_id": "humala_pardons", "value": 100, "high": 100, "unit": "persons",
         "wording": "as many as", "source_id": "article_b"},
        {"claim_id": "other", "value": 5, "unit": "persons", "wording": "some"}])
    p = ex.pardons(claims)
    assert sorted(p) == ["garcia", "humala"]
    assert (p["garcia"].sources, p["humala"].sources) == (("article_a",), ("article_b",))
    assert (p["garcia"].hedge, p["humala"].hedge) == ("some", "as many as")
    assert (p["garcia"].point, p["humala"].point, p["humala"].high) == (400, 100, 100)
    for e in p.values():
        assert e.unit == "people"
        assert e.method == ("As stated in the article; no public series of pardons was "
                            "available to check it.")
    # a wording that is not a hedge ("exactly") prints no hedge
    plain = claims.assign(wording=["exactly", "exactly", "some"])
    assert ex.pardons(plain)["garcia"].hedge is None


def test_complicity_model_predicts_peru_with_the_fit_s_centring():
    from test_explanations import synthetic_panel
    panel = synthetic_panel(beta=0.4, gamma=0.2, delta=-0.3, seed=3)
    panel = panel.assign(iso3=panel["iso3"].replace({"C05": "PER"}))
    m = ex.fit_model(panel, complicity=True)
    # the same fit written out: [1, xd, xc, xd*xc, year dummies], xd and xc centred on the
    # means of the 29 countries in the fit; Peru's row centred on those same means
    d = panel.loc[panel["iso3"] != "PER"]
    mx, mc = d["x_drugs"].mean(), d["corrupt"].mean()
    years = sorted(d["year"].unique())

    def design(rows):
        xd, xc = rows["x_drugs"].to_numpy() - mx, rows["corrupt"].to_numpy() - mc
        dummies = [(rows["year"].to_numpy() == y).astype(float) for y in years[1:]]
        return np.column_stack([np.ones(len(rows)), xd, xc, xd * xc, *dummies])

    import statsmodels.api as sm
    fit = sm.GLM(d["homicides"].to_numpy(), design(d), family=sm.families.Poisson(),
                 offset=np.log(d["population"].to_numpy())).fit()
    row = panel.loc[(panel["iso3"] == "PER") & (panel["year"] == 2010)]
    want = float(np.exp(design(row) @ fit.params)[0])   # per person
    p = ex.peru_prediction(m, panel, 2010)
    assert p["predicted_rate"].point == pytest.approx(want * 1e5, rel=1e-6)
    be = ex.break_even(m, panel, 2010)
    assert be.point == pytest.approx(round(want * row["population"].iloc[0]
                                           * np.exp(-1.645 * m.sigma), -1))


# --- what the remaining mutants showed: units, defaults, boundaries, column names ------------

def test_evidence_table_columns():
    assert list(ex.evidence_table(_inputs()).columns) == [
        "explanation", "prediction", "data_show", "n", "strength", "would_settle"]


def test_estimates_print_as_rates_with_their_sources(obvious):
    panel, m = obvious
    p = ex.peru_prediction(m, panel, 2010)
    # 5.48812 and 10.12535 per 100,000, one decimal, with the year
    assert str(p["observed_rate"]) == "5.5 per 100,000 (2010)"
    assert str(p["predicted_rate"]).startswith("10.1 per 100,000 (2010; 95% CI ")
    assert {e.sources for e in p.values()} == {("syn", "wdi_population")}
    assert (p["ratio"].digits, p["z"].digits) == (2, 1)


def test_default_yardstick_is_the_fitted_line(obvious):
    _, m = obvious
    assert m.centre() == 0.0 and ex.yardstick_centre(m.gaps) == 0.0


def test_peer_gaps_columns_and_the_outlier_boundary(obvious):
    _, m = obvious
    t = ex.peer_gaps(m)
    assert list(t.columns) == ["iso3", "gap", "z", "outlier"]
    # a country exactly `z` SDs below the centre is an outlier (z <= -threshold)
    at = ex.peer_gaps(m, z=-float(t["z"].iloc[0]))
    assert at["outlier"].tolist() == [True, False, False, False]


def test_a_year_without_a_peru_row_is_named():
    panel = _synthetic({"AAA": 0.0, "BBB": 0.1}, peru_gap=0.0)
    with pytest.raises(KeyError, match=r"no Peru row for 2012 \(needs homicide, population, "
                                       r"seizures\)"):
        ex._peru_row(panel, 2012)


def test_a_count_exactly_at_the_break_even_is_not_an_outlier(obvious):
    from factories import claims_frame, population_frame
    panel, m = obvious
    pop = population_frame({("PER", 2010): 1e8})

    def counts(interior):
        claims = claims_frame([
            {"claim_id": "homicides_interior_ministry", "value": interior, "year": 2010},
            {"claim_id": "homicides_national_police", "value": 7000, "year": 2010}])
        return ex.counts_vs_break_even(m, panel, claims, pop).set_index("figure")

    be = float(counts(9000).loc["interior", "break_even"])
    # "at or above it, an ordinary country" (break_even's docstring)
    assert not counts(be).loc["interior", "outlier"]


def _cluster_ci(panel: pd.DataFrame, level: float = 0.95) -> tuple[float, float]:
    """The drug coefficient's cluster-robust CI from a fit written out: [1, x_drugs, year
    dummies], log-population offset, errors clustered by country, Peru left out."""
    import statsmodels.api as sm
    d = panel.loc[panel["iso3"] != "PER"].reset_index(drop=True)
    years = sorted(d["year"].unique())
    X = np.column_stack([np.ones(len(d)), d["x_drugs"].to_numpy(),
                         *[(d["year"].to_numpy() == y).astype(float) for y in years[1:]]])
    fit = sm.GLM(d["homicides"].to_numpy(), X, family=sm.families.Poisson(),
                 offset=np.log(d["population"].to_numpy())).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    lo, hi = fit.conf_int(alpha=1 - level)[1]
    return float(lo), float(hi)


def test_drug_coefficient_ci_is_the_cluster_robust_one():
    from test_explanations import synthetic_panel
    panel = synthetic_panel(beta=0.5, seed=4)
    e = ex.drug_coefficient(ex.fit_model(panel))
    assert (e.low, e.high) == pytest.approx(_cluster_ci(panel), rel=1e-6)
    e90 = ex.drug_coefficient(ex.fit_model(panel), level=0.9)
    assert (e90.low, e90.high) == pytest.approx(_cluster_ci(panel, 0.9), rel=1e-6)
    assert e90.interval == "90% CI"


def test_interaction_ci_defaults_to_95_percent():
    from test_explanations import synthetic_panel
    m = ex.fit_model(synthetic_panel(beta=0.4, gamma=0.2, delta=-0.3, seed=3), complicity=True)
    e = ex.interaction_estimate(m)
    lo, hi = m.fit.conf_int(alpha=0.05).loc["xd:xc"]
    assert (e.interval, e.low, e.high) == ("95% CI", pytest.approx(lo), pytest.approx(hi))
    assert e.low < e.point < e.high
    with pytest.raises(ValueError, match=r"^interaction_estimate needs the complicity model "
                                         r"\(fit_model\(complicity=True\)\)$"):
        ex.interaction_estimate(ex.fit_model(synthetic_panel()))


def test_ranks_are_whole_numbers():
    _, _, _, _, corruption = _tables()
    countries = pd.DataFrame([{"iso3": i, "south_america": True, "is_aggregate": False}
                              for i in ("PER", "CHL")])
    t = ex.corruption_position(corruption, countries, 2012)
    # a rank prints as "rank 2", never "rank 2.0"
    assert t["rank"].tolist() == [1, 2] and t["rank"].dtype.kind == "i"


def test_count_published_is_a_flag():
    homicide, population, seizures, countries, _ = _tables()
    p = ex.build_panel(homicide, population, seizures, countries, series="criminal_justice")
    assert p["count_published"].dtype == bool
    assert list(p.columns) == ["iso3", "year", "homicides", "count_published", "population",
                               "source_id", "kg_per_100k", "x_drugs", "seizure_source_id",
                               "rate_per_100k"]


def test_pardon_bounds_pass_through():
    from factories import claims_frame
    claims = claims_frame([
        {"claim_id": "garcia_pardons", "value": 400, "low": 300, "wording": "some"},
        {"claim_id": "humala_pardons", "value": 100, "high": 100, "wording": "as many as"}])
    p = ex.pardons(claims)
    assert (p["garcia"].low, p["garcia"].high, p["humala"].low) == (300, None, None)


def test_observed_vs_predicted_leaves_out_zero_rates_only():
    # the obvious panel at a twentieth of the rate (0.5 per 100,000: predictions below 1),
    # with one peer-year of zero homicides: 10 rows less the zero one
    panel = _synthetic({"AAA": -0.2, "BBB": -0.1, "CCC": 0.1, "DDD": 0.2}, peru_gap=-0.6)
    panel["homicides"] /= 20
    panel.loc[(panel["iso3"] == "AAA") & (panel["year"] == 2011), "homicides"] = 0.0
    panel = panel.assign(rate_per_100k=panel["homicides"] / panel["population"] * 1e5,
                         kg_per_100k=1.0)
    m = ex.fit_model(panel)
    d, _ = ex.observed_vs_predicted(SimpleNamespace(misreading=m, panel=panel, year=2010))
    assert len(d) == 9 and (d["rate_per_100k"] > 0).all() and (d["predicted"] < 1).all()
    assert d.index.is_unique
