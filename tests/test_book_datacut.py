"""Sentences chosen by the data follow the data (issue 5, STYLE.md "Chapters").

The book is rendered from two data folders: the full data, and a copy cut at 2013, the year
the article was written (every table with a year column keeps only years <= 2013; the
descriptor is refreshed with `describe_folder`, as a user adopting a vintage would, and the
folder passes `check_folder`). Each data-chosen sentence must take the branch the data imply
in each folder: Peru the largest grower in the latest year of the cut data, Colombia in the
full data; the article's forecast uncheckable in the cut data; and so on.

Two levels: the bundles the chapters read (fast), and the real book rendered by the project's
renderer, checked in the claims ledger and the HTML (slow).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.report import paradox
from analysis.report.markdown import curly_quotes
from analysis.data import check_folder
from analysis.data.describe import describe_folder

ROOT = Path(__file__).resolve().parent.parent
CUT_YEAR = 2013
NOT_CUT = ("sources", "article_claims", "countries")  # publication years, claim years, no years

# (bundle, value name) -> (branch with the full data, branch with the data cut at 2013).
# Worked by hand from the UNODC and World Bank tables: Colombia 252,600 ha vs Peru 92,800 ha
# in 2023, Peru 49,800 vs Colombia 48,000 in 2013; Peru's World Bank rate 6.8 (2013) ->
# 8.6 (2021), +27%; Peru's coca 49,800 -> 92,800 ha (+86%); eradication peaked in 2015
# (35,868 ha) and the area was larger within three years (54,100 ha in 2018 vs 40,300).
EXPECTED = {
    ("01-paradox", "leader_latest_sentence"): ("col_leads", "peru_leads"),
    ("01-paradox", "claim_status_sentence"): ("claim_lapsed", "claim_holds"),
    ("01-paradox", "leader_article_year_sentence"): ("peru_leads", "peru_leads"),
    ("01-paradox", "peru_largest_years"): ("peru_largest_years:2012,2013", "peru_largest_years:2012,2013"),
    ("index.qmd", "producer_sentence"): ("was_largest_no_longer", "still_largest"),
    ("06-outlook", "escalation_sentence"): ("rose_modestly", "no_later_data"),
    ("06-outlook", "coca_growth_sentence"): ("depends_on_end_year", "no_later_coca"),
    ("06-outlook", "coverage_sentence"): ("coverage_break", "no_coverage_break"),
    ("01-paradox", "seen_margin_sentence"): ("seen_lead_hangs_on_measure", "seen_lead_hangs_on_measure"),
    ("01-paradox", "gsh_coverage_note"): ("public_health_included", "public_health_included"),
    ("02-markets", "catchup_timing_sentence"): ("catchup_mostly_before", "no_later_seizures"),
    ("02-markets", "brazil_peak_sentence"): ("brazil_fell_since_peak", "brazil_at_peak"),
    ("03-criminal-economy", "residual_sign_sentence"): ("residual_partly_negative", "residual_partly_negative"),
    ("03-criminal-economy", "fit_sensitivity_sentence"): ("share_depends_on_cap", "share_depends_on_cap"),
    ("04-counting-the-dead", "gap_sentence"): ("agree_before_break_apart_since",
                                              "agree_before_break_apart_since"),
    ("06-outlook", "eradication_sentence"): ("area_rebounded", "no_later_years"),
    # Police series (homicide.csv): Peru 9.6 in 2012, its last year; World Bank 8.605 (2021)
    # and 6.751 (2013) are both below it (review 2, item 12).
    ("06-outlook", "police_sentence"): ("police_ends_above_latest", "police_ends_above_latest"),
    # 2013 lead 49,800 - 48,000 = 1,800 ha < Peru 2011 satellite 64,400 - net 62,500 = 1,900 ha.
    ("01-paradox", "lead_vs_measure_sentence"): ("lead_within_measure_gap", "lead_within_measure_gap"),
    # Misreading grid, World Bank series: 18 of 36 outliers (2012) -> 1 of 36 (2021); in the
    # cut, World Bank + IHME: 52 of 72 (2012) -> 47 of 72 (2013), both "mostly" (review 2, 10).
    ("06-outlook", "outlier_trend_sentence"): ("outlier_weaker", "outlier_unchanged"),
    ("06-outlook", "paradox_status_sentence"): ("largest_and_below_median", "largest_and_below_median"),
    # The second review (fix1): Peru 8.6 vs median 8.8 in 2021 (within 10%: "about the median",
    # 6th of 12); in 2013 Peru 6.8 is 3rd of 10 (<= 10 / 3: safest third), world 6.1 -> above.
    ("01-paradox", "verdict_sentence"): ("neither_unqualified", "coca_qualified"),
    ("01-paradox", "safest_sentence"): ("wdi_latest:about_median", "wdi_latest:safest_third"),
    ("01-paradox", "peru_vs_world_sentence"): ("above_world:about_median", "above_world:below_median"),
    ("01-paradox", "measure_note_sentence"): ("satellite_years_ranked", "satellite_years_ranked"),
    # US seizures 86 t (2014) -> 185 t (2015) = 2.15x >= 1.5; the cut data end before it.
    ("02-markets", "usa_jump_sentence"): ("usa_jump", "no_usa_jump"),
    ("02-markets", "splice_sentence"): ("spliced", "one_source"),
    ("02-markets", "peru_survey_note"): ("other_survey", "household_survey"),
    ("06-outlook", "domestic_market_sentence"): ("surveys_not_comparable", "surveys_not_comparable"),
    # Chapter 5's verdicts, read from the specification curve (54 of 108 specifications make
    # Peru an outlier in 2012 on the full data, 55 of 108 on the cut; the ministry's 10,000 is
    # above the full data's break-even range, 297-9,706, and inside the cut's, 293-10,317).
    ("05-explanations", "outlier_verdict"): ("peru_outlier:fragile", "peru_outlier:fragile"),
    ("05-explanations", "misreading_verdict"): ("mis_untestable", "mis_untestable"),
    ("05-explanations", "complicity_verdict"): ("com_not_shown:corrupt_world_median_region",
                                                "com_not_shown:corrupt_world_median_region"),
    ("05-explanations", "ministry_position"): ("ministry_above_range", "ministry_inside_range"),
    ("index.qmd", "misreading_head"): ("mis_untestable", "mis_untestable"),
    # Review 2: the median break-even (1,832; cut 1,826) is below both published counts (World
    # Bank 1,968, police 2,865); the headline break-even (about 2,600) is below the police
    # count; Peru is an outlier in 1 of 36 specifications for 2021 ("not shown") and in 65%
    # of those for 2013, the cut's last year ("mostly").
    ("05-explanations", "break_even_vs_published"): ("median_below_both_narrowly", "median_below_both_narrowly"),
    ("05-explanations", "baseline_police_sentence"): ("baseline_police_clears",
                                                      "baseline_police_clears"),
    ("index.qmd", "latest_lead"): ("latest_little_left", "latest_holds"),
    # 2011 (the latest survey seen): Peru +400 ha on the satellite figure, -1,500 on net area.
    ("index.qmd", "seen_lead_sentence"): ("seen_hangs_on_measure", "seen_hangs_on_measure"),
}


# (bundle, value name) -> (exact text with the full data, with the data cut at 2013), for the
# sentences the review asked for (issue 10). Worked by hand from data/*.csv and the article:
# - 2011 coca (coca_cultivation.csv): Peru 64,400 ha satellite-interpreted (WDR 2025 only),
#   62,500 ha net (WDR 2022 and 2025), Colombia 64,000: +400 and -1,500 ha; the 2011 survey is
#   the latest an article of early 2013 could have seen (UNODC publishes mid next year).
# - Global Study 2012: Suriname has only a public-health rate, so it is ranked on that.
# - Brazil's seizures (cocaine_seizures.csv): peak 105 t in 2019, 72.5 t in 2023 (-31%); in
#   the cut data 2013 is both the peak and the last year.
# - Criminal economy: total floor $5bn minus the largest parts $2bn x (1 + 3) = -$3bn < 0, top
#   $7bn minus the smallest $1bn x (1 + 2.55) = +$3.45bn > 0: the range crosses zero.
# - Outlook: Peru's coca 49,800 (2013) -> 61,800 (2020, the last survey before the 2021
#   coverage break) = +24%; -> 92,800 (2023) = +86%; homicide 6.751 -> 8.605 (2013 -> 2021)
#   = +27%; 24 vs 27 is within the 25-point band: "a similar pace".
# - Police / modelled rate (homicide.csv), Peru: 2005-2012 11.0/3.55 ... 9.6/3.54, from 2.58
#   (2010) to 3.18 (2006), mean 2.86; before 2005 mean 1.29, inside the neighbours' 0.74-1.41.
GAP_TEXT = ("Before the break the two series agreed about as well as the neighbours' do; since it "
            "the police count has sat further above the model than any neighbour's. Either the "
            "police series widened its definition in 2005 or the model undercounts Peru's violent "
            "deaths from then on; the data cannot say which, and deaths that reach neither source "
            "are missing from both.")
SEEN_TEXT = ("On the satellite figure Peru led by 400 hectares; on the net area Colombia led by "
             "1,500 hectares. Whether Peru or Colombia led in the latest survey the authors could "
             "have seen depends on which measure is read.")
RESIDUAL_TEXT = ("The range runs below zero: if drug earnings are taken as $1\u20132 billion and $7 "
                 "billion as an upper end of the total, the parts can exceed the total. A negative "
                 "residual is not a possible earning; it marks readings, this report's as much as "
                 "the article's, on which the parts and the total cannot all hold.")
# 2013: Peru 49,800 - Colombia 48,000 = 1,800 ha; 1,800 / 48,000 = 3.75% -> "4%".
LEAD_TEXT = "Peru's lead over Colombia was 1,800 hectares, 4% of Colombia's area."
# $5bn / (1 + 3) = $1.25bn; $7bn / (1 + 0.85 x 3) = $1.97bn.
FIT_TEXT = ("Taken at face value the parts can fit: drugs and gold leave room inside the total as "
            "long as drug earnings stay below a ceiling of $1.25\u20131.97 billion a year, depending "
            "on where in its range the total lies and on how much less than three times "
            "\"almost\" allows.")
# Peru led in 2012 (60,400 vs 48,000) and 2013; WDI 6.7 < median 11.7 (2012), 6.8 < 8.9 (2013).
STATUS = ("The data say Peru grew more coca than any other country in 2012\u20132013, with a "
          "published homicide rate below the South American median.{} Whether that is a paradox "
          "still depends on the homicide count.")
POLICE_TEXT = ("UNODC's police series put Peru's rate at 9.6 per 100,000 (2012); it ends there and "
               "counts differently from the World Bank's, so it cannot measure the change, but the "
               "latest World Bank rate is below it.")
LEAD_MEASURE_TEXT = ("The lead of 2013, 1,800 hectares, is smaller than the 1,900 hectares by which "
                     "UNODC's two measures of Peru's own area differ for 2011: a lead that size is "
                     "within what the choice of measure alone can move.")
TEXTS = {
    ("01-paradox", "seen_year"): ("2011", "2011"),
    ("01-paradox", "peru_sat_seen"): ("64,400 hectares", "64,400 hectares"),
    ("01-paradox", "peru_net_seen"): ("62,500 hectares", "62,500 hectares"),
    ("01-paradox", "other_seen"): ("64,000 hectares", "64,000 hectares"),
    ("01-paradox", "seen_margin_sentence"): (SEEN_TEXT, SEEN_TEXT),
    ("01-paradox", "peru_gsh_rate_article"): ("9.6 per 100,000 (2012)", "9.6 per 100,000 (2012)"),
    ("02-markets", "brazil_peak_year"): ("2019", "2013"),
    ("02-markets", "brazil_since_peak"): ("\u221231%", "0%"),
    ("02-markets", "brazil_peak_sentence"): (
        "They have fallen since that peak, so the rise has not continued to the "
        "latest year; seizures alone cannot say whether less cocaine crossed Brazil or less of it "
        "was found.", "The latest year is the peak: the rise has not reversed."),
    ("02-markets", "catchup_timing_sentence"): (
        "Most of Brazil's catch-up, then, came before the article was written, not after it.",
        "The seizure data end in the article's year, so whether the catch-up went on after it "
        "cannot be seen."),
    ("02-markets", "us_share_of_output"): ("as little as 4.6%", "as little as 4.6%"),
    ("03-criminal-economy", "residual_sign_sentence"): (RESIDUAL_TEXT, RESIDUAL_TEXT),
    ("03-criminal-economy", "residual_interval"): ("\u2212$3.0 to $3.5 billion",
                                                   "\u2212$3.0 to $3.5 billion"),
    ("04-counting-the-dead", "gap_sentence"): (GAP_TEXT, GAP_TEXT),
    ("06-outlook", "coverage_sentence"): (
        "Part of that rise is coverage, not planting: from 2021 UNODC's survey of Peru includes "
        "newly monitored areas, so the later figures measure more ground. On the ground surveyed "
        "throughout, the area went from 49,800 hectares to 61,800 hectares in 2020, a change of "
        "24%, against 86% to the latest survey. How much of the later rise in coca is new "
        "planting rather than new coverage the national totals cannot tell.",
        "The coca survey's coverage does not change over these years."),
    # coca 49,800 -> 54,700 (2019) +9.8%, -> 61,800 (2020) +24.1%; WDI 6.751 -> 7.350 (2019)
    # +8.9%, -> 5.795 (2020) -14.2%: 1 point apart, then 38 the other way.
    ("06-outlook", "coca_growth_sentence"): (
        "Compared over the same years, from 2013 to 2019 coca area changed by 10% and the "
        "homicide rate by 9%; to 2020 coca area changed by 24% and the homicide rate by "
        "\u221214%. The comparison depends on the end year chosen, so the data cannot say whether "
        "the trade, as far as coca area measures it, outgrew the violence.",
        "There are no later coca surveys in this data vintage either."),
    # WDI 6.751 (2013) -> 5.795 (2020) -14%, -> 8.605 (2021) +27%.
    ("06-outlook", "escalation_sentence"): (
        "By the latest year the rate had risen, by less than the rise of 50% or more that this "
        "report reads into 'dangerous escalation' (the article gives no number). Whether and how much it rose depends on the end year: measured to each year "
        "since, the change runs from \u221214 to 27%.",
        "The data end in the article's year, so its forecast cannot be checked yet."),
    ("06-outlook", "paradox_status_sentence"): (
        STATUS.format(" Colombia has since overtaken Peru as the largest grower."), STATUS.format("")),
    # cocaine_use.csv: PER 2006 15-64 HHS; 2010 12-65 HHS; 2017 15-64 SS.
    ("06-outlook", "domestic_market_sentence"): (
        "The surveys differ in method or ages, so no change can be read from them as growth of "
        "the market.", "The surveys differ in method or ages, so no change can be read from them "
        "as growth of the market."),
    # All three surveys, the 2010 one included (review 2, item 26): 0.48 -> 0.5%, 0.4%, 0.964
    # -> 1.0%; the cut data keep 2006 and 2010.
    ("06-outlook", "peru_surveys"): (
        "0.5% (2006; range 0.3\u20130.6%) in a household survey of ages 15\u201364, 0.4% (2010) in "
        "a household survey of ages 12\u201365 and 1.0% (2017; range 0.2\u20131.8%) in a school "
        "survey of ages 15\u201364",
        "0.5% (2006; range 0.3\u20130.6%) in a household survey of ages 15\u201364 and 0.4% (2010) "
        "in a household survey of ages 12\u201365"),
    ("06-outlook", "police_sentence"): (POLICE_TEXT, POLICE_TEXT),
    ("06-outlook", "outlier_trend_sentence"): (
        "On the latest data the outlier finding is weaker. On the World Bank series (the only "
        "series that reaches 2021), Peru is an outlier in 1 of 36 specifications for 2021 (3%: "
        "\"not shown\" by the report's rule), against 18 of 36 on the same series for 2012 (50%: "
        "\"fragile\"); in the years between, the share ran from 8 to 36%.",
        "On the latest data the outlier verdict is unchanged. On the World Bank series and IHME's "
        "modelled series (the series that reach 2013), Peru is an outlier in 47 of 72 "
        "specifications for 2013 (65%: \"mostly\" by the report's rule), against 52 of 72 on the "
        "same series for 2012 (72%: \"mostly\")."),
    ("01-paradox", "lead_vs_measure_sentence"): (LEAD_MEASURE_TEXT, LEAD_MEASURE_TEXT),
    ("06-outlook", "eradication_last_year"): ("2020", "2013"),
    ("01-paradox", "lead_article_year_sentence"): (LEAD_TEXT, LEAD_TEXT),
    ("03-criminal-economy", "fit_sentence"): (FIT_TEXT, FIT_TEXT),
    ("04-counting-the-dead", "peru_gap_before"): ("1.3 times (range 1.1\u20131.6)",
                                                  "1.3 times (range 1.1\u20131.6)"),
    ("02-markets", "usa_jump_sentence"): (
        "And some changes look too sudden to be the trade alone: United States seizures went from "
        "86 tonnes in 2014 to 185 tonnes in 2015, 2.1 times as many in one year, which may reflect "
        "a change in enforcement or reporting rather than in what crossed the border.",
        "The United States' seizures show no jump from one year to the next large enough to "
        "suggest a break in reporting."),
    ("02-markets", "direction_sentence"): (
        "The seizure record is consistent with Brazil's growing weight, mostly before 2013, but "
        "no public series traces Peruvian cocaine to either market.",
        "The seizure record is consistent with Brazil's growing weight, but no public series "
        "traces Peruvian cocaine to either market."),
}


def cut_folder(src: Path, dst: Path, year: int = CUT_YEAR) -> Path:
    """Copy a data folder and keep only rows with year <= `year`; refresh its descriptor."""
    shutil.copytree(src, dst)
    for path in dst.glob("*.csv"):
        if path.stem in NOT_CUT:
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "year" in frame.columns:
            frame.loc[frame["year"].astype(int) <= year].to_csv(path, index=False)
    describe_folder(dst)
    return dst


def test_the_cut_folder_is_a_valid_data_folder(cut_data):
    assert check_folder(cut_data) == [], "the cut folder must be a valid data folder"


def test_cut_folder_really_ends_in_2013(cut_data):
    from analysis.data import load

    for name in ("coca_cultivation", "homicide", "cocaine_seizures", "corruption", "population"):
        assert load(name, cut_data)["year"].max() <= CUT_YEAR
    assert load("coca_cultivation", ROOT / "data")["year"].max() > CUT_YEAR


@pytest.mark.parametrize("which", ["full", "cut"])
def test_data_chosen_sentences_follow_the_data(which, book_bundles, cut_bundles):
    # (every bundle building from the cut data, and every sentence's exact text, are checked
    # by tests/test_known_answers_text.py on the same session bundles)
    bundles = book_bundles if which == "full" else cut_bundles
    got = {key: getattr(bundles[key[0]], key[1]).branch for key in EXPECTED}
    want = {key: pair[0 if which == "full" else 1] for key, pair in EXPECTED.items()}
    assert got == want


@pytest.mark.parametrize("which", ["full", "cut"])
def test_review_sentences_print_exactly_what_the_data_imply(which, book_bundles, cut_bundles):
    bundles = book_bundles if which == "full" else cut_bundles
    got = {key: str(getattr(bundles[key[0]], key[1])) for key in TEXTS}
    # the pins are written as typed; the book prints them typeset (curly quotes and apostrophes,
    # analysis.report.markdown.curly_quotes, pinned by hand in tests/test_display_typography.py)
    want = {key: curly_quotes(pair[0 if which == "full" else 1]) for key, pair in TEXTS.items()}
    assert got == want


def test_the_latest_year_moves_with_the_data(cut_data, monkeypatch):
    monkeypatch.setenv("PARADOX_DATA", str(cut_data))
    assert str(paradox.bundle().latest_year) == "2013"
    monkeypatch.setenv("PARADOX_DATA", str(ROOT / "data"))
    assert int(str(paradox.bundle().latest_year)) > CUT_YEAR


# --- the real book --------------------------------------------------------------------------------

def book_copy(dst: Path) -> Path:
    """The book's sources (no data, no cache, no _book) in a fresh folder."""
    dst.mkdir(parents=True)
    for name in ("_quarto.yml", "index.qmd", "references.bib"):
        shutil.copy2(ROOT / name, dst / name)
    shutil.copytree(ROOT / "chapters", dst / "chapters")
    return dst


def html_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed (tags and scripts dropped)."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)).replace("&#39;", "'").replace("&quot;", '"')
