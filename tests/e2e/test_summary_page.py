"""The one-page summary (index.qmd) is one page of the PDF, and it carries no command lines.

Why: the summary is what a reader attaches to a briefing; a summary that spills onto a second
page is not a summary (issue 12). Checked in the real PDF: the page that holds the summary's
heading also holds its last sentence, and the next page begins another part of the book.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import REPO
from .pdf import normalise

pytestmark = pytest.mark.slow

HEADING = "The report in one page"


def pages(pdf) -> list[str]:
    """The text of each page (pdftotext splits pages with a form feed), normalised."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [normalise(p) for p in out.split("\f")]


def last_words(source: str, n: int = 8) -> str:
    """The last `n` words of the summary as written (its last paragraph, markup removed)."""
    body = source.rsplit("\n\n", 1)[-1] if source.strip() else ""
    words = re.sub(r"\s*\(@sec-[\w-]+\)", "", body).replace("`", "").split()
    return " ".join(words[-n:]).rstrip(".")


@pytest.fixture(scope="module")
def book_pages(good_book):
    pdfs = sorted(good_book.glob("*.pdf"))
    assert len(pdfs) == 1
    return pages(pdfs[0])


def test_the_summary_fits_on_one_page(book_pages):
    # the page that opens with the heading (the table of contents names it too)
    where = [i for i, p in enumerate(book_pages) if p.startswith(HEADING)]
    assert where, "the summary's heading is not in the PDF"
    page = book_pages[where[0]]
    source = (REPO / "index.qmd").read_text(encoding="utf-8").strip()
    tail = last_words(source)
    assert len(tail.split()) == 8, "the summary's last words could not be read"
    # Its sections and its last words are on the page of its heading: nothing runs over.
    for text in ("Six numbers that matter", "The two explanations", tail):
        assert normalise(text) in page, (text, page[-400:])
    assert normalise(tail) not in book_pages[where[0] + 1]


def test_the_summary_gives_no_command_line_instructions():
    # Re-rendering instructions belong in appendix D (sec-reproducibility), not the summary.
    text = (REPO / "index.qmd").read_text(encoding="utf-8")
    assert "paradox render" not in text and "paradox check" not in text
    assert "paradox render --data" in (REPO / "chapters" / "a4-reproducibility.qmd").read_text(
        encoding="utf-8")
