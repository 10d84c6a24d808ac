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
    ("06-outlook", "coca_growth_sentence"): ("coca_grew_faster_than_violence", "no_later_coca"),
    ("06-outlook", "eradication_sentence"): ("area_rebounded", "no_later_years"),
    ("06-outlook", "paradox_status_sentence"): ("paradox_changed", "paradox_holds"),
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
