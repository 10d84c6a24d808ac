"""Every sentence the data choose, pinned by its exact text, on the full data and on the data
cut at 2013; and the formatter's hedges, written out by hand.

Why exact text: a branch label can be right while the sentence is wrong ("Peru has overtaken
Peru." still carries the label claim_lapsed), and the slow render only compares the page with
a ledger the same code wrote. The table below is the one place to update when a chapter's
wording changes on purpose: the failure prints the new text next to the old.
"""

from __future__ import annotations

import pandas as pd
import pytest
from golden.snapshot import MACHINE
from test_book_datacut import ROOT

from analysis.estimate import Branch, Estimate

# (bundle, value) -> (text with the full data, text with the data cut at 2013).
SENTENCES = {
    ('index.qmd', 'complicity_verdict'): (
        'Unproven and weakly grounded: Peru is not unusually corrupt for South America, and the regional data cannot show that corruption keeps the trade peaceful.',
        'Unproven and weakly grounded: Peru is not unusually corrupt for South America, and the regional data cannot show that corruption keeps the trade peaceful.'),
    ('index.qmd', 'misreading_verdict'): (
        "Possible but unproven: Peru looks unusually peaceful only on the published series, the police's own count would make it ordinary, and the link between drugs and homicide the comparison rests on is weak.",
        "Possible but unproven: Peru looks unusually peaceful only on the published series, the police's own count would make it ordinary, and the link between drugs and homicide the comparison rests on is weak."),
    ('index.qmd', 'producer_sentence'): (
        'Peru was the largest grower of coca when the article was written, but it no longer is.',
        'Peru was the largest grower of coca when the article was written, and still is.'),
    ('index.qmd', 'safety_sentence'): (
        'Its homicide rate puts it in the safer half of the continent, though not among the very safest.',
        'Its homicide rate puts it among the safest third of the continent.'),
    ('01-paradox', 'both_series_sentence'): (
        'Either way Peru sits in the safer half of South America, not among its most violent countries.',
        'Either way Peru sits in the safer half of South America, not among its most violent countries.'),
    ('01-paradox', 'claim_status_sentence'): (
        "On this measure the article's claim no longer holds: Colombia has overtaken Peru.",
        "On this measure the article's claim still holds in the latest data."),
    ('01-paradox', 'leader_article_year_sentence'): (
        'Peru grew more coca than any other country.',
        'Peru grew more coca than any other country.'),
    ('01-paradox', 'leader_latest_sentence'): (
        'Colombia grew more coca than Peru.',
        'Peru grew more coca than any other country.'),
    ('01-paradox', 'peru_largest_years'): (
        '2012 and 2013',
        '2012 and 2013'),
    ('01-paradox', 'peru_vs_world_sentence'): (
        'by world standards Peru is not a safe country, only a safer one than most of its neighbours.',
        'by world standards Peru is not a safe country, only a safer one than most of its neighbours.'),
    ('01-paradox', 'safest_sentence'): (
        'Peru is in the safer half of the continent, though not among the very safest.',
        'Peru is among the safest third of the continent.'),
    ('01-paradox', 'safety_summary'): (
        'Its homicide rate puts it in the safer half of the continent, though not among the very safest.',
        'Its homicide rate puts it among the safest third of the continent.'),
    ('01-paradox', 'sensitivity_sentence'): (
        "The ranking depends on the definition in 2011: with Peru's area as interpreted on satellite imagery, which an older edition reports, the lead changes hands in that year.",
        "The ranking depends on the definition in 2011: with Peru's area as interpreted on satellite imagery, which an older edition reports, the lead changes hands in that year."),
    ('02-markets', 'brazil_rank_sentence'): (
        'That is consistent with the article\'s "second-biggest market", though the data cannot rank Brazil against Europe as a whole or the rest of the world.',
        'That is consistent with the article\'s "second-biggest market", though the data cannot rank Brazil against Europe as a whole or the rest of the world.'),
    ('02-markets', 'brazil_seizure_sentence'): (
        "Brazil's seizures have grown faster than those of the United States.",
        "Brazil's seizures have grown faster than those of the United States."),
    ('02-markets', 'direction_sentence'): (
        "Brazil's seizures have grown faster than those of the United States, and past-year use in Brazil is of the same order as in the United States.",
        "Brazil's seizures have grown faster than those of the United States, and past-year use in Brazil is of the same order as in the United States."),
    ('02-markets', 'growth_comparison_sentence'): (
        'The two confidence intervals do not overlap, so the difference is larger than the year-to-year noise in the series.',
        'The two confidence intervals do not overlap, so the difference is larger than the year-to-year noise in the series.'),
    ('03-criminal-economy', 'assumption_sentence'): (
        'They fit only if drug earnings are close to the stated floor; if "well over" means something near twice the floor, drugs and gold alone exceed even the top of the total.',
        'They fit only if drug earnings are close to the stated floor; if "well over" means something near twice the floor, drugs and gold alone exceed even the top of the total.'),
    ('03-criminal-economy', 'fit_sentence'): (
        'Taken at face value the parts fit: drugs and gold leave room inside the total, as long as drug earnings are at most $1.75 billion.',
        'Taken at face value the parts fit: drugs and gold leave room inside the total, as long as drug earnings are at most $1.75 billion.'),
    ('04-counting-the-dead', 'gap_sentence'): (
        "Peru's police count sits further above the modelled deaths than any neighbour's: the opposite of what an undercount by the police would produce. If anything, the model misses deaths the police record.",
        "Peru's police count sits further above the modelled deaths than any neighbour's: the opposite of what an undercount by the police would produce. If anything, the model misses deaths the police record."),
    ('04-counting-the-dead', 'ihme_sentence'): (
        'The broader measure gives the lower number, which says more about the model than about Peru.',
        'The broader measure gives the lower number, which says more about the model than about Peru.'),
    ('04-counting-the-dead', 'ministry_rank_sentence'): (
        "On the ministry's figure Peru would be in the more violent half of the continent, and the paradox would disappear.",
        "On the ministry's figure Peru would be in the more violent half of the continent, and the paradox would disappear."),
    ('04-counting-the-dead', 'public_health_sentence'): (
        "UNODC's public-health series, built from death registrations, has no figure for Peru at all (in South America it covers only Suriname), so the most independent check on the police count is missing.",
        "UNODC's public-health series, built from death registrations, has no figure for Peru at all (in South America it covers only Suriname), so the most independent check on the police count is missing."),
    ('04-counting-the-dead', 'series_rank_sentence'): (
        "Every published series puts Peru in the safer half of South America; only the ministry's unpublished figure would move it into the more violent half.",
        "Every published series puts Peru in the safer half of South America; only the ministry's unpublished figure would move it into the more violent half."),
    ('05-explanations', 'break_even_sentence'): (
        'The count behind the published rate for that year is below it, which is why Peru looks unusually peaceful.',
        'The count behind the published rate for that year is below it, which is why Peru looks unusually peaceful.'),
    ('05-explanations', 'complicity_verdict'): (
        'Unproven and weakly grounded: Peru is not unusually corrupt for South America, and the regional data cannot show that corruption keeps the trade peaceful.',
        'Unproven and weakly grounded: Peru is not unusually corrupt for South America, and the regional data cannot show that corruption keeps the trade peaceful.'),
    ('05-explanations', 'corruption_sentence'): (
        "That is the middle of the table, not the bottom: by this measure Peru is no more corrupt than most of its neighbours, which weakens the explanation's premise.",
        "That is the middle of the table, not the bottom: by this measure Peru is no more corrupt than most of its neighbours, which weakens the explanation's premise."),
    ('05-explanations', 'interaction_sentence'): (
        'The data cannot tell whether corruption weakens or strengthens the link between drugs and violence.',
        'The data cannot tell whether corruption weakens or strengthens the link between drugs and violence.'),
    ('05-explanations', 'ministry_vs_break_even_sentence'): (
        "The ministry's count is far above it.",
        "The ministry's count is far above it."),
    ('05-explanations', 'misreading_summary'): (
        "So, against this yardstick, the paradox depends on which count is believed: the published series makes Peru an outlier and the police's own figure does not. The first explanation does not need the ministry's figure to be right, only the police's.",
        "So, against this yardstick, the paradox depends on which count is believed: the published series makes Peru an outlier and the police's own figure does not. The first explanation does not need the ministry's figure to be right, only the police's."),
    ('05-explanations', 'misreading_verdict'): (
        "Possible but unproven: Peru looks unusually peaceful only on the published series, the police's own count would make it ordinary, and the link between drugs and homicide the comparison rests on is weak.",
        "Possible but unproven: Peru looks unusually peaceful only on the published series, the police's own count would make it ordinary, and the link between drugs and homicide the comparison rests on is weak."),
    ('05-explanations', 'outlier_sentence'): (
        'By this yardstick Peru is an outlier: its recorded rate is further below the expected one than the usual spread between countries allows.',
        'By this yardstick Peru is an outlier: its recorded rate is further below the expected one than the usual spread between countries allows.'),
    ('05-explanations', 'police_vs_break_even_sentence'): (
        "The police's count is above the break-even point.",
        "The police's count is above the break-even point."),
    ('05-explanations', 'premise_sentence'): (
        "That is too uncertain to tell from zero: across the region, cocaine seized per head says little about homicide, so Peru's expected rate is close to the regional average and the yardstick is weak.",
        "That is too uncertain to tell from zero: across the region, cocaine seized per head says little about homicide, so Peru's expected rate is close to the regional average and the yardstick is weak."),
    ('06-outlook', 'coca_growth_sentence'): (
        'The trade, as far as coca area measures it, grew much faster than the violence.',
        'There are no later coca surveys in this data vintage either.'),
    ('06-outlook', 'domestic_market_sentence'): (
        'The two surveys differ in method or age range, so the change cannot be read as growth of the market.',
        'The two surveys differ in method or age range, so the change cannot be read as growth of the market.'),
    ('06-outlook', 'eradication_sentence'): (
        'Within a few years the area under coca was larger than in the year of the campaign.',
        'The data end with that campaign, so what followed cannot be seen.'),
    ('06-outlook', 'escalation_sentence'): (
        "Violence rose, but more slowly than 'dangerous escalation' suggests.",
        "The data end in the article's year, so its forecast cannot be checked yet."),
    ('06-outlook', 'paradox_status_sentence'): (
        "though it has since changed shape: Colombia now grows the most coca, while Peru's homicide rate has stayed moderate,",
        'and that it still holds: Peru still grows the most coca and is still comparatively peaceful,'),
    ('a1-data-methods', 'coca_rule_sentence'): (
        'Peru has both measures for 2011-2020.',
        'Peru has both measures for 2011-2013.'),
    ('a1-data-methods', 'mc_readings'): (
        'drug earnings uniform between the stated floor and 2 times it ("well over"); the gold-to-drugs multiple uniform between 0.85 times the stated multiple and the multiple itself ("almost"); the total uniform over its stated range.',
        'drug earnings uniform between the stated floor and 2 times it ("well over"); the gold-to-drugs multiple uniform between 0.85 times the stated multiple and the multiple itself ("almost"); the total uniform over its stated range.'),
    ('a1-data-methods', 'model_spec_sentence'): (
        'The headline model is a Poisson GLM (homicides ~ x_drugs + C(year)), log population offset, errors clustered by country; n = 715 country-years, 34 countries, 1995-2023; Peru excluded from the fit. The complicity model adds corruption and its interaction with drug intensity: Poisson GLM (homicides ~ xd * xc + C(year)), log population offset, errors clustered by country; n = 520 country-years, 34 countries, 1996-2019; Peru excluded from the fit.',
        'The headline model is a Poisson GLM (homicides ~ x_drugs + C(year)), log population offset, errors clustered by country; n = 504 country-years, 33 countries, 1995-2013; Peru excluded from the fit. The complicity model adds corruption and its interaction with drug intensity: Poisson GLM (homicides ~ xd * xc + C(year)), log population offset, errors clustered by country; n = 392 country-years, 33 countries, 1996-2013; Peru excluded from the fit.'),
    ('a2-claims', 'encoding_note'): (
        'Each hedge bounds the value the way the claims table\'s encoding column states: "almost"; "as little as"; "as many as"; "at least ... perhaps closer to"; "estimated"; "just"; "more than"; "single largest"; "some"; "well over" are kept as hedges on the number, never dropped to a bare point.',
        'Each hedge bounds the value the way the claims table\'s encoding column states: "almost"; "as little as"; "as many as"; "at least ... perhaps closer to"; "estimated"; "just"; "more than"; "single largest"; "some"; "well over" are kept as hedges on the number, never dropped to a bare point.'),
}


def _sentences(bundles: dict) -> dict:
    """Every data-chosen sentence (a Branch) of the bundles, machine values left out."""
    return {(stem, n): getattr(b, n).text for stem, b in bundles.items() for n in b.names()
            if isinstance(getattr(b, n), Branch) and (stem, n) not in MACHINE}


@pytest.mark.parametrize("which", ["full", "cut"])
def test_every_data_chosen_sentence_reads_as_pinned(which, book_bundles, cut_bundles):
    got = _sentences(book_bundles if which == "full" else cut_bundles)
    want = {key: texts[0 if which == "full" else 1] for key, texts in SENTENCES.items()}
    assert set(got) == set(want), "a data-chosen sentence was added or removed: update SENTENCES"
    wrong = {k: {"now": got[k], "pinned": want[k]} for k in want if got[k] != want[k]}
    assert not wrong, f"{which} data: sentences differ from SENTENCES: {wrong}"


def _latest_leader_name() -> str:
    """The largest coca grower of the latest year, read from the CSV files with pandas."""
    coca = pd.read_csv(ROOT / "data" / "coca_cultivation.csv")
    names = pd.read_csv(ROOT / "data" / "countries.csv").set_index("iso3")["name"]
    head = coca.loc[coca["headline"]]
    latest = head.loc[head["year"] == head["year"].max()]
    return str(names[latest.sort_values("hectares").iloc[-1]["iso3"]])


def test_the_overtaking_sentence_names_the_latest_leader(book_bundles):
    # 2023 headline areas: Colombia 252,600 ha, Peru 92,800 ha, Bolivia 31,000 ha.
    leader = _latest_leader_name()
    assert leader == "Colombia"
    p = book_bundles["01-paradox"]
    assert p.claim_status_sentence.text == (
        f"On this measure the article's claim no longer holds: {leader} has overtaken Peru.")
    assert p.leader_latest_sentence.text == f"{leader} grew more coca than Peru."


@pytest.mark.parametrize("est, text", [
    # a closed range keeps its hedge in front: the article's "perhaps" is part of the claim
    (Estimate(None, 5e9, 1e10, unit="usd", hedge="perhaps"), "perhaps $5\u201310 billion"),
    (Estimate(5e9, 5e9, 7e9, unit="usd", hedge="at least"), "at least $5\u20137 billion"),
    (Estimate(None, 3000, 10000, unit="homicides", hedge="some"),
     "some 3,000\u201310,000 homicides"),
    # without a hedge, the range alone; an open end reads "at least" / "at most"
    (Estimate(None, 5e9, 7e9, unit="usd"), "$5\u20137 billion"),
    (Estimate(None, 5e9, None, unit="usd"), "at least $5 billion"),
    (Estimate(None, None, 5e9, unit="usd"), "at most $5 billion"),
    (Estimate(None, None, 5e9, unit="usd", hedge="as much as"), "as much as $5 billion"),
    (Estimate(1968, unit="homicides", hedge="about"), "about 1,968 homicides"),
])
def test_hedges_survive_formatting(est, text):
    assert str(est) == text
