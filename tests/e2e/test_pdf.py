"""The rendered PDF as a reader gets it: every chapter, every number of the ledger, no blank
page, every font embedded (so it prints and displays the same on any machine)."""

from __future__ import annotations

import re
import subprocess

import pytest

from .book_source import chapters, plain
from .conftest import REPO
from .pdf import blank_pages, fonts, normalise, page_count, pdf_text, unembedded_fonts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book_pdf(good_book):
    pdfs = sorted(good_book.glob("*.pdf"))
    assert len(pdfs) == 1, f"expected one PDF at the top of the book, found {[p.name for p in pdfs]}"
    return pdfs[0]


@pytest.fixture(scope="module")
def text(book_pdf):
    return pdf_text(book_pdf)


def test_pdf_has_every_chapter_in_order(text):
    """Each chapter title is in the table of contents *and* heads its chapter (so a chapter
    whose body went missing is caught, not hidden by its TOC line), in reading order."""
    flat = plain(text)
    titles = [plain(c.title) for c in chapters(REPO)]
    missing = [t for t in titles if flat.count(t) < 2]
    assert missing == [], "titles not both in the contents and as a heading"
    body_positions = [flat.rindex(t) for t in titles]
    assert body_positions == sorted(body_positions), "chapters out of order in the PDF"


def test_pdf_has_a_captioned_figure_and_table_for_every_label_of_the_sources(text):
    """One "Figure N.M:" caption per `fig-` cell and one "Table N.M:" per `tbl-` cell: a chart
    or table silently dropped from the PDF shows up here."""
    book = chapters(REPO)
    figures = set(re.findall(r"\bFigure ([0-9A-Z]+\.[0-9]+):", text))
    tables = set(re.findall(r"\bTable ([0-9A-Z]+\.[0-9]+):", text))
    assert len(figures) == sum(len(c.figures) for c in book) > 0
    assert len(tables) == sum(len(c.tables) for c in book) > 0


def as_printed(text: str) -> str:
    """Whitespace collapsed (the PDF breaks lines), nothing else: the formatter prints
    negatives with the true minus sign (U+2212) that Typst would set anyway, so the ledger's
    text and the PDF's agree character for character."""
    return " ".join(text.split())


def test_pdf_has_every_formatted_number_of_the_claims_ledger(text, claims):
    numbers = [c for c in claims if c.get("kind", "number") == "number"]
    assert numbers, "the ledger holds no numbers"
    printed = as_printed(text)
    missing = sorted({c["text"] for c in numbers if as_printed(c["text"]) not in printed})
    assert missing == [], f"{len(missing)} of {len(numbers)} ledger texts not in the PDF text"


def reads_in_order(sentence: str, pages: list[str]) -> bool:
    """The sentence is on one page, or it starts at the end of one page's text (before its
    page number) and goes on at the next: charts float to the top of a page, so the text layer
    may hold a chart's labels and caption between the two halves of a sentence."""
    wanted = plain(sentence)
    if any(wanted in page for page in pages):
        return True
    for page, following in zip(pages, pages[1:]):
        body = re.sub(r"\s*\S+$", "", page)  # without its page number
        for cut in range(1, len(wanted)):
            head, tail = wanted[:cut].strip(), wanted[cut:].strip()
            if head and tail and body.endswith(head) and tail in following:
                return True
    return False


def unhyphenated(text: str) -> str:
    """The text with hyphens inside words removed: poppler drops the hyphen of a compound
    broken at the line end ("satellite-" newline "interpreted" -> "satelliteinterpreted")."""
    return re.sub(r"(?<=[^\W\d])-(?=[^\W\d])", "", plain(text))


def test_pdf_has_every_data_chosen_sentence_of_the_ledger(book_pdf, claims):
    pages = [unhyphenated(normalise(page)) for page in
             subprocess.run(["pdftotext", "-enc", "UTF-8", str(book_pdf), "-"], capture_output=True,
                            text=True, check=True).stdout.split("\f")]
    branches = [c for c in claims if c.get("kind") == "branch"]
    missing = sorted({c["text"] for c in branches
                      if not reads_in_order(unhyphenated(c["text"]), pages)})
    assert missing == []


def test_no_pdf_page_is_blank(book_pdf):
    assert page_count(book_pdf) >= len(chapters(REPO))
    assert blank_pages(book_pdf) == []


def test_every_pdf_font_is_embedded(book_pdf):
    assert fonts(book_pdf), "pdffonts lists no font at all"
    assert unembedded_fonts(book_pdf) == []


def _section_pages(book_pdf, start: str, end: str) -> int:
    """How many pages a section runs over: from the last page holding heading `start` (the
    contents hold it first) to the first page after it holding the next heading, `end`."""
    layer = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book_pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    pages = [plain(normalise(p)) for p in layer.split("\f")]
    first = max(i for i, p in enumerate(pages) if start in p)
    last = next(i for i, p in enumerate(pages) if i >= first and end in p)
    return last - first + 1


def test_the_pdf_prints_a_compact_data_dictionary_and_says_where_the_full_one_is(book_pdf, text, good_book):
    """Issue 12: the PDF names each table's fields (one row per table) and points to the full
    dictionary; the HTML keeps a row per field with every column of the schema."""
    from analysis.report.data_methods import dictionary_table

    flat = plain(text)
    assert "The full dictionary, with every field's type, unit, meaning and constraints, is in" in flat
    assert "data-package.zip" in flat and "datapackage.json" in flat
    full = dictionary_table(REPO / "data")
    # one row per table in print: every table file, no per-field 'Constraints' column
    assert all(f"{name}.csv" in flat for name in full["Table"].unique())
    assert "Fields (key first)" in flat and "Constraints" not in flat.split("Data dictionary")[-1].split("Choices that")[0]
    # the section runs over two pages at most (the full table took it over five)
    assert _section_pages(book_pdf, "A.2 Data dictionary", "A.3 Choices that affect the numbers") <= 2
    html = (good_book / "chapters" / "a1-data-methods.html").read_text(encoding="utf-8")
    body = html[html.index('id="tbl-dictionary"'):]
    body = body[:body.index("</table>")]
    assert all(col in body for col in ("Field", "Type", "Unit", "Meaning", "Constraints"))
    assert body.count("<tr") == len(full) + 1  # a header and a row per field
    assert "printed edition names" not in html
