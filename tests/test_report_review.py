"""The chapter side of the review (issue 10): what chapters 1-4 and 6 print, checked against
answers worked by hand from the article and data/*.csv, never through the function under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data import load
from analysis.report import counting_the_dead, criminal_economy, markets, outlook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def economy():
    return criminal_economy.bundle()


def _table_rows(table) -> dict[str, dict[str, str]]:
    """A markdown.Table's rows by their first column: the display strings, before escaping."""
    frame = table.frame
    first = frame.columns[0]
    return {str(row[first]): {c: str(row[c]) for c in frame.columns} for _, row in frame.iterrows()}


def test_every_row_of_table_3_1_is_on_the_same_reading(economy):
    # The article: drugs "well over $1 billion", gold "almost three times" (read 2.55-3),
    # total $5-7 billion. On the simulation's reading (drugs $1-2 billion): gold $2.55-6.00bn,
    # drugs and gold $3.55bn (1 x 3.55) to $8.00bn (2 x 4) = drugs top + gold top (2 + 6).
    rows = _table_rows(economy.economy_table)
    assert rows["Drugs"]["Interval arithmetic"] == "$1–2 billion"
    assert "range $2.55–6.00 billion" in rows["Gold"]["Interval arithmetic"]
    assert "range $3.55–8.00 billion" in rows["Drugs and gold"]["Interval arithmetic"]
    assert str(economy.gold_interval) in rows["Gold"]["Interval arithmetic"]
    assert str(economy.drugs_gold_interval) in rows["Drugs and gold"]["Interval arithmetic"]


def test_the_residual_is_not_floored_and_says_when_it_is_negative(economy):
    # 5 - 8 = -3 (the total's floor minus the largest parts); 7 - 3.55 = 3.45.
    rows = _table_rows(economy.economy_table)
    cell = rows["Trafficking, timber, antiquities"]["Interval arithmetic"]
    assert cell.startswith("−$3.0 to $3.5 billion") and "below zero" in cell
    assert (economy.residual_interval.low, economy.residual_interval.high) == pytest.approx((-3e9, 3.45e9))
    assert economy.residual_sign_sentence.branch == "residual_partly_negative"


def test_simulated_columns_are_labelled_all_draws_and_draws_that_fit(economy):
    rows = _table_rows(economy.economy_table)
    residual = rows["Trafficking, timber, antiquities"]
    assert set(residual) >= {"Simulation, all draws", "Simulation, draws that fit"}
    assert "−" in residual["Simulation, all draws"]          # some draws overrun the total
    assert "−" not in residual["Simulation, draws that fit"]  # conditional: never negative
    assert economy.residual_simulated.low >= 0 > economy.residual_simulated_all.low


@pytest.mark.parametrize("key,cap,share", [("low", 1.5, 94), ("mid", 2.0, 59), ("high", 3.0, 30)])
def test_share_of_draws_that_fit_against_the_assumed_cap(economy, key, cap, share):
    # P(D(1 + R) <= T) with D ~ U(1, cap), R ~ U(2.55, 3), T ~ U(5, 7), integrated on a grid
    # (P(T >= x) = (7 - x) / 2 clipped to [0, 1]): 93.8%, 59.1%, 29.6%.
    d, r = np.meshgrid(np.linspace(1, cap, 801), np.linspace(2.55, 3, 801))
    exact = float(np.clip((7 - d * (1 + r)) / 2, 0, 1).mean() * 100)
    assert round(exact) == share
    assert getattr(economy, f"fit_cap_{key}").point == pytest.approx(cap * 1e9)
    assert getattr(economy, f"fit_share_{key}").point == pytest.approx(exact, abs=0.6)
    assert str(getattr(economy, f"fit_share_{key}")) == f"{share}%"
    assert economy.fit_sensitivity_sentence.branch == "share_depends_on_cap"


def test_the_chapter_never_calls_the_fit_share_a_check_of_the_article():
    text = (ROOT / "chapters/03-criminal-economy.qmd").read_text(encoding="utf-8").lower()
    assert "internal check" not in text


def test_the_us_share_of_output_keeps_the_articles_hedge():
    # "as little as five percent of the estimated 300 tons": 15 t of Peru's 325 t = 4.6%.
    r = markets.bundle()
    assert str(r.us_share_of_output) == "as little as 4.6%"
    assert str(r.us_share) == "as little as 5%"


def test_counts_table_counts_neighbours_without_peru_and_includes_suriname():
    homicide, countries = load("homicide"), load("countries")
    sa = set(countries.loc[countries["south_america"] & ~countries["is_aggregate"], "iso3"])
    y = homicide.loc[(homicide["year"] == 2012) & homicide["iso3"].isin(sa)
                     & homicide["rate_per_100k"].notna()]
    gsh = set(y.loc[y["source_type"].isin(["criminal_justice", "public_health"]), "iso3"])
    assert "SUR" in gsh and "PER" in gsh
    rows = _table_rows(counting_the_dead.bundle().counts_table)
    police = rows["UNODC Global Study on Homicide, police figures"]
    assert police["Neighbours with data"] == str(len(gsh - {"PER"}))
    assert police["Rate is"] == "as published" and police["Rate per 100,000"] == "9.6"
    wb = set(y.loc[y["source_type"] == "wdi_series", "iso3"])
    assert rows["Ministry of the Interior (the article)"]["Neighbours with data"] == str(len(wb - {"PER"}))


def _coca(rows):
    return pd.DataFrame([{"iso3": i, "year": y, "hectares": h, "measure": "net_area_dec31",
                          "headline": True, "source_id": "s"} for i, y, h in rows])


def test_like_for_like_stops_at_the_last_survey_before_a_coverage_break():
    # 100 ha (2013) -> 150 ha (2020) = +50% on the old ground; 300 ha in 2021 after the break.
    coca = _coca([("PER", 2013, 100), ("PER", 2020, 150), ("PER", 2021, 300),
                  ("COL", 2013, 90), ("COL", 2021, 90)])
    like = outlook.like_for_like(coca, "PER", 2013, {"PER": 2021})
    assert like["break_year"] == 2021 and like["area"].year == 2020
    assert like["change_pct"] == pytest.approx(50.0) and like["full_change_pct"] == pytest.approx(200.0)
    plain = outlook.like_for_like(coca, "PER", 2013, {})
    assert plain["break_year"] is None and plain["change_pct"] == pytest.approx(200.0)


def test_the_declared_coverage_break_is_the_one_the_source_notes_record():
    notes = load("sources").set_index("source_id").loc["unodc_wdr2025_coca", "notes"]
    for iso3, year in outlook.COVERAGE_BREAKS.items():
        assert f"Peru {year} includes" in notes and "coverage break" in notes and iso3 == "PER"


def test_the_heavy_fist_is_law_and_order_not_eradication():
    text = (ROOT / "chapters/06-outlook.qmd").read_text(encoding="utf-8")
    assert "Eradication is the fist" not in text
    assert "muscular law and order" in text and "r.helicopters" in text
    article = (ROOT / "../shared/article.txt").read_text(encoding="utf-8")
    for quote in ("muscular law and order", "not working out as planned", "heavy fist"):
        assert quote in article


def test_every_peruvian_survey_is_listed_and_a_middle_one_can_break_comparability():
    """Review 2, item 26: data/cocaine_use.csv has three Peruvian surveys (2006 household
    15-64, 2010 household 12-65, 2017 school 15-64); all three are named, and two alike
    surveys at the ends do not make the set comparable when the middle one differs."""
    use = load("cocaine_use")
    listed, verdict = outlook.surveys_sentences(use.loc[use["iso3"] == "PER"])
    assert listed.branch == "peru_surveys:3"
    for part in ("0.5% (2006", "0.4% (2010) in a household survey of ages 12\u201365",
                 "1.0% (2017", "school survey"):
        assert part in listed.text
    assert verdict.branch == "surveys_not_comparable"
    row = lambda y, p, age="15-64": {"iso3": "PER", "year": y, "age_group": age,  # noqa: E731
                                     "prevalence_pct": p, "low_pct": np.nan, "high_pct": np.nan,
                                     "method": "HHS", "source_id": "unodc_wdr2025_prevalence"}
    alike = pd.DataFrame([row(2006, 0.5), row(2010, 0.4), row(2017, 0.9)])
    assert outlook.surveys_sentences(alike)[1].branch == "use_rose"
    middle = pd.DataFrame([row(2006, 0.5), row(2010, 0.4, "12-65"), row(2017, 0.9)])
    assert outlook.surveys_sentences(middle)[1].branch == "surveys_not_comparable"
    assert outlook.surveys_sentences(alike.iloc[:1])[1].branch == "single_survey"
