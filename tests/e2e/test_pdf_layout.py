"""The PDF set like a published report (issue 12), checked in what poppler reads back: no word
set over another, no straight quote or hyphenated number range outside code, no page left
under-filled except the last of a chapter, no caption parted from its table or chart.

Page images of every page are kept in tests/artifacts/pdf-pages/ for a person to look at.
The detectors live in pdf_layout.py; the first tests plant a fault in each and see it fire.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import ARTIFACTS
from .pdf_layout import (Run, Word, chapter_starts, fill, hyphen_ranges, ink_rows, overlapping_words, words_past_the_margins,
                         runs, straight_quotes, words)

PAGES = ARTIFACTS / "pdf-pages"
CHART_FONT = "DejaVuSans"  # vl-convert sets chart text in DejaVu Sans; the book's text is Libertinus


# -- the detectors fire on planted faults (fast) ---------------------------------------------

def test_overlap_detector_fires_on_words_set_over_each_other():
    # "muggah_mcdermott_2013" at x 70-160 and "The" at x 150-165 on the same line: 10 pt overlap
    a, b = Word(1, "muggah_mcdermott_2013", 70, 300, 160, 309), Word(1, "The", 150, 300, 165, 309)
    neighbour = Word(1, "Atlantic", 166, 300, 190, 309)  # touches "The" only: not an overlap
    next_line = Word(1, "Monthly", 150, 310, 180, 319)   # the line below: not an overlap
    assert overlapping_words([a, b, neighbour, next_line]) == [(a, b)]


def test_margin_detector_fires_on_a_word_past_the_text_area():
    a4 = [(595.0, 842.0)]
    inside = Word(1, "inside", 70.0, 100.0, 520.0, 110.0)
    past = Word(1, "1.2_Prevalence_of_drug_use_in_the_general_population", 300.0, 120.0, 610.0, 130.0)
    assert words_past_the_margins([inside, past], a4) == [past]


def test_quote_and_range_detectors_ignore_code_and_dates():
    found = [Run(1, "Peru's rate, \u201cso called\u201d", "X+LibertinusSerif"),
             Run(1, "print('x')", "Y+DejaVuSansMono"),
             Run(2, "between 2000-2012 and on 2026-11-30; ISO 3166-1", "X+LibertinusSerif"),
             Run(2, "surveys 1995\u20132019, range 3.5-", "X+LibertinusSerif"),
             Run(2, "25.6 per 100,000", "X+LibertinusSerif")]
    assert [r.text for r in straight_quotes(found)] == ["Peru's rate, \u201cso called\u201d"]
    assert [page for page, _ in hyphen_ranges(found)] == [2, 2]  # 2000-2012, and 3.5- / 25.6


def test_fill_measures_how_far_down_the_text_area_the_ink_reaches():
    # three 100-pt pages at 1 px per pt: ink from row 10 down to row 90, 50 and 90
    rows = [[10 <= y <= 90 for y in range(100)], [10 <= y <= 50 for y in range(100)], [10 <= y <= 90 for y in range(100)]]
    shares = fill(rows, [], [(80.0, 100.0)] * 3)
    assert shares == {1: 1.0, 2: 0.5, 3: 1.0}


# -- the rendered book (slow: one render shared by the session) -------------------------------

@pytest.fixture(scope="module")
def book_pdf(good_book):
    (pdf,) = sorted(good_book.glob("*.pdf"))
    return pdf


@pytest.fixture(scope="module")
def page_images(book_pdf):
    """Every page as a PNG in tests/artifacts/pdf-pages/ (kept: the review of issue 12)."""
    shutil.rmtree(PAGES, ignore_errors=True)
    PAGES.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(book_pdf), str(PAGES / "page")], check=True)
    return sorted(PAGES.glob("page-*.png"))


@pytest.fixture(scope="module")
def layout(book_pdf):
    found, sizes = words(book_pdf)
    text_runs, outline = runs(book_pdf)
    return {"words": found, "sizes": sizes, "runs": text_runs, "starts": chapter_starts(outline)}


@pytest.mark.slow
def test_every_page_is_kept_as_an_image(page_images, layout):
    assert len(page_images) == len(layout["sizes"]) > 0


@pytest.mark.slow
def test_no_two_words_overlap_on_any_page(layout):
    pairs = overlapping_words(layout["words"])
    assert [(a.page, a.text, b.text) for a, b in pairs] == []


@pytest.mark.slow
def test_no_word_runs_into_the_margins_or_off_the_page(layout):
    # table A.1 once printed a long file name across its neighbour column and off the page
    found = words_past_the_margins(layout["words"], layout["sizes"])
    assert [(w.page, w.text) for w in found] == []


@pytest.mark.slow
def test_no_straight_quote_in_the_text_outside_code_and_charts(layout):
    """What the renderer sets: prose, headings, tables, captions, title page (charts below)."""
    found = [r for r in straight_quotes(layout["runs"]) if not r.chart]
    assert [(r.page, r.text) for r in found] == []


@pytest.mark.slow
def test_no_straight_quote_in_the_charts(layout):
    found = [r for r in straight_quotes(layout["runs"]) if r.chart]
    assert [(r.page, r.text) for r in found] == []


@pytest.mark.slow
def test_no_number_the_formatter_printed_has_a_hyphen_range(claims):
    """Every number of the ledger (each is in the PDF: test_pdf.py) takes an en dash."""
    printed = sorted({c["text"] for c in claims if c.get("kind", "number") == "number"})
    assert [t for t in printed if re.search(r"\d-\d", t)] == []
    assert any("\u2013" in t for t in printed), "no range in the ledger: the check would be empty"


@pytest.mark.slow
def test_no_hyphen_between_two_numbers_outside_code(layout):
    assert hyphen_ranges(layout["runs"]) == []


@pytest.mark.slow
def test_no_page_is_under_filled_except_the_last_of_a_chapter(book_pdf, layout):
    """Text and charts reach at least three quarters down every page but the last of each
    chapter (front matter - title page, contents - is left out)."""
    starts, pages = layout["starts"], len(layout["sizes"])
    assert starts, "the PDF has no outline: chapters cannot be told apart"
    front = set(range(1, starts[0]))
    last_of_chapter = {s - 1 for s in starts[1:]} | {pages}
    shares = fill(ink_rows(book_pdf), layout["words"], layout["sizes"], skip=front)
    under = {p: round(s, 2) for p, s in shares.items() if s < 0.75 and p not in last_of_chapter}
    assert under == {}


CAPTION = re.compile(r"[0-9A-Z]+\.[0-9]+:")


def _captions(found: list[Word], kind: str) -> list[Word]:
    return [w for i, w in enumerate(found[:-1]) if w.text == kind and found[i + 1].page == w.page
            and CAPTION.fullmatch(found[i + 1].text)]


@pytest.mark.slow
def test_a_caption_never_parts_from_its_table_or_chart(layout):
    """A table's caption (above it) has rows below it on its page; a chart's caption (below
    it) has the chart's text above it on its page."""
    found = layout["words"]
    below = {}  # page -> the lowest word's bottom edge (one pass: the book has ~20,000 words)
    for w in found:
        below[w.page] = max(below.get(w.page, w.y1), w.y1)
    orphans = [("Table", w.page) for w in _captions(found, "Table")
               if not any(x.page == w.page and x.y0 > w.y1 + 2 for x in found
                          if x.y1 < below[w.page] - 1)]
    stranded = [("Figure", w.page) for w in _captions(found, "Figure")
                if not any(x.page == w.page and x.y1 < w.y0 - 2 for x in found)]
    assert orphans + stranded == []
