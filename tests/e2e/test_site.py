"""The rendered HTML book in a real, offline Chromium: every page, every chart, every link.

One browser run over the session's good render (`good_book`) feeds every test here; a
screenshot of each page is kept in tests/artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import posixpath
import shutil
from html.parser import HTMLParser

import pytest

from .book_source import chapters, plain
from .browser import Browser, book_pages, resolve_links
from .conftest import ARTIFACTS, REPO

pytestmark = pytest.mark.slow

SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="module")
def site(good_book):
    """{page: PageReport} for every page of the good render, screenshots saved."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    with Browser(screenshot_dir=SCREENSHOTS) as browser:
        return browser.visit_book(good_book)


@pytest.fixture(scope="module")
def book_chapters():
    return chapters(REPO)


def test_every_chapter_has_a_page_and_every_page_was_opened(good_book, site, book_chapters):
    expected = {c.page for c in book_chapters}
    missing = sorted(expected - set(site))
    assert missing == [], f"chapters with no rendered page: {missing}"
    assert len(site) == len(book_pages(good_book)) >= len(book_chapters)


def test_each_page_shows_its_chapter_title(site, book_chapters):
    wrong = [
        f"{c.page}: {c.title!r} not in the page text"
        for c in book_chapters
        if plain(c.title) not in plain(site[c.page].text)
    ]
    assert wrong == []


def test_no_request_leaves_the_book(site):
    outgoing = {page: r.outgoing for page, r in site.items() if r.outgoing}
    assert outgoing == {}, f"requests blocked (the site is not self-contained): {outgoing}"


def test_no_local_file_is_missing(site):
    missing = {page: r.missing_local for page, r in site.items() if r.missing_local}
    assert missing == {}


def test_no_console_errors_or_uncaught_exceptions(site):
    errors = {page: r.console_errors + r.page_errors for page, r in site.items() if r.console_errors or r.page_errors}
    assert errors == {}


def test_no_dialogs(site):
    assert {page: r.dialogs for page, r in site.items() if r.dialogs} == {}


def test_every_chart_is_drawn(site):
    problems = {page: r.chart_problems() for page, r in site.items() if r.chart_problems()}
    assert problems == {}


def test_every_figure_of_the_sources_is_a_drawn_chart_on_its_chapter_page(site, book_chapters):
    """Each `#| label: fig-...` cell is, on its chapter's page, a vega view with data marks."""
    expected = {(c.page, fig) for c in book_chapters for fig in c.figures}
    assert expected, "the book declares no figures: nothing to check"
    drawn = {
        (page, view["label"])
        for page, r in site.items()
        for view in r.charts["views"]
        if view["data_items"] > 0 and view["renderer"] != "none"
    }
    assert sorted(expected - drawn) == []


def test_every_table_of_the_sources_is_on_its_chapter_page(site, book_chapters):
    expected = [(c.page, t) for c in book_chapters for t in c.tables]
    assert expected, "the book declares no tables: nothing to check"
    assert [(page, t) for page, t in expected if t not in site[page].ids] == []


def test_every_page_has_a_table_of_contents(site):
    without = sorted(page for page, r in site.items() if not any(link.kind == "toc" for link in r.links))
    assert without == []


def test_toc_reaches_every_chapter(site, book_chapters, good_book):
    """From the first page's TOC a reader can reach every chapter."""
    index = site["index.html"]
    reached = set()
    for link in index.links:
        if link.kind == "toc" and not link.href.startswith(("http:", "https:")):
            reached.add(posixpath.normpath(link.href.split("#", 1)[0] or "index.html"))
    assert sorted({c.page for c in book_chapters} - reached) == []


def test_the_book_has_cross_references_and_citation_links(site):
    """So that the link check below is not vacuous: the book is full of both."""
    kinds = [link.kind for r in site.values() for link in r.links]
    assert kinds.count("xref") >= 5 and kinds.count("citation") >= 5, {k: kinds.count(k) for k in set(kinds)}


def test_every_toc_cross_reference_and_citation_link_resolves(good_book, site):
    assert resolve_links(good_book, site) == []


class _ElementTexts(HTMLParser):
    """Text content of every element whose id starts with a prefix ({id: text})."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, prefix: str):
        super().__init__(convert_charrefs=True)
        self.prefix, self.texts, self.open = prefix, {}, []  # open: [id, depth]

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        for entry in self.open:
            entry[1] += 1
        ident = dict(attrs).get("id") or ""
        if ident.startswith(self.prefix):
            self.texts[ident] = ""
            self.open.append([ident, 1])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        for entry in self.open:
            entry[1] -= 1
        self.open = [e for e in self.open if e[1] > 0]

    def handle_data(self, data):
        for ident, _ in self.open:
            self.texts[ident] += data


def test_every_claim_of_the_ledger_is_an_anchor_showing_its_text(site, claims):
    """The ledger's anchor (chapters/x.html#claim-id) lands on an element of that page whose
    text is exactly the ledger's formatted text: what a reader quoting the ledger will find."""
    texts = {}
    for page, report in site.items():
        parser = _ElementTexts("claim-")
        parser.feed(report.html)
        texts[page] = parser.texts
    problems = []
    for claim in claims:
        page, _, ident = claim["anchor"].partition("#")
        if page not in texts:
            problems.append(f"{claim['id']}: page {page} is not in the book")
        elif ident not in texts[page]:
            problems.append(f"{claim['id']}: no element #{ident} in {page}")
        elif " ".join(texts[page][ident].split()) != " ".join(claim["text"].split()):
            problems.append(f"{claim['id']}: {page}#{ident} shows {texts[page][ident]!r}, ledger says {claim['text']!r}")
    assert problems == []


def test_a_screenshot_of_every_page_is_kept(site):
    for page, r in site.items():
        assert r.screenshot is not None and r.screenshot.stat().st_size > 5_000, page
