"""The web book a reader expects (issue 11), on the session's good render of the real book.

One browser pass over every page at 390 px (a phone) and 1366 px (a desktop), served over
HTTP on loopback, feeds most tests: no page wider than the viewport, axe-core (WCAG 2.2 A/AA
and best practice) finds nothing, every chart is named by its figure's fig-alt after it is
drawn and exposes no data points to a screen reader, no request leaves the book. Search is
tried both ways a reader opens the book: served (Pagefind) and from the folder (file://,
the script index). The first chart's picture must be on screen before the chart library
has loaded, and with JavaScript off.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from .book_source import chapters, plain
from .browser import book_pages
from .conftest import REPO
from .pdf_layout import HYPHEN_RANGE, NOT_RANGE
from .reader import (CHARTS_DRAWN_JS, CLIPPED_LEGEND_JS, PAGE_WIDTH_JS, PROSE_JS, WIDTHS, ServedBook, axe_violations,
                     chart_names, describe, launch, page_of, search)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book_chapters():
    return chapters(REPO)


@pytest.fixture(scope="module")
def served(good_book):
    with ServedBook(good_book) as site:
        yield site


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def visits(good_book, served, browser):
    """{(width, page): what the reader met} for every page at both widths, over HTTP."""
    found = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        outside = []
        context.on("request", lambda r: None if served.inside(r.url) else outside.append(r.url))
        for path in book_pages(good_book):
            rel = path.relative_to(good_book).as_posix()
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(served.url(rel), wait_until="load")
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=30_000)
            found[width, rel] = {
                "width": page.evaluate(PAGE_WIDTH_JS),
                "clipped_legend": page.evaluate(CLIPPED_LEGEND_JS),
                "violations": axe_violations(page),
                "names": chart_names(page, context),
                "text": page.inner_text(".page-body"),
                "prose": page.evaluate(PROSE_JS),
                "errors": errors,
                "outside": list(outside),
            }
            outside.clear()
            page.close()
        context.close()
    return found


def test_every_page_was_visited_at_both_widths(good_book, visits, book_chapters):
    pages = {p.relative_to(good_book).as_posix() for p in book_pages(good_book)}
    assert {c.page for c in book_chapters} <= pages
    assert set(visits) == {(w, p) for w in WIDTHS for p in pages}


def test_no_page_is_wider_than_the_viewport(visits):
    wide = {key: v["width"] for key, v in visits.items() if v["width"] != key[0]}
    assert wide == {}, "pages that scroll sideways: {(viewport, page): page width}"


def test_every_legend_entry_is_drawn_whole_at_either_width(visits):
    # figure 6.1's second legend entry was cut off at phone width (two legend columns)
    clipped = {key: v["clipped_legend"] for key, v in visits.items() if v["clipped_legend"]}
    assert clipped == {}


def test_axe_finds_no_violation_on_any_page_at_either_width(visits):
    found = {f"{w}px {p}": describe(v["violations"]) for (w, p), v in visits.items() if v["violations"]}
    assert found == {}


def test_no_request_leaves_the_book_and_no_script_fails(visits):
    assert {k: v["outside"] for k, v in visits.items() if v["outside"]} == {}
    assert {k: v["errors"] for k, v in visits.items() if v["errors"]} == {}


def test_every_chart_is_named_by_its_fig_alt_and_hides_its_marks(visits, book_chapters):
    """After drawing, each chart's accessible name is the fig-alt written in the source, and
    no graphics-* node (a data point) is exposed: a screen reader meets one image per chart."""
    problems = []
    for chapter in book_chapters:
        for width in WIDTHS:
            names = visits[width, chapter.page]["names"]
            for fig, alt in chapter.fig_alts().items():
                if alt not in names["images"]:
                    problems.append(f"{width}px {chapter.page} {fig}: no image named by its fig-alt")
            if names["graphics"]:
                problems.append(f"{width}px {chapter.page}: {names['graphics']} graphics nodes exposed")
    assert sum(len(c.fig_alts()) for c in book_chapters) >= 1, "no fig-alt in the sources: nothing checked"
    assert problems == []


def _html_hits(visits, pattern) -> list[str]:
    """Where `pattern` matches the prose of a page at 1366 px (code left out: PROSE_JS)."""
    hits = []
    for (width, page), seen in visits.items():
        if width != WIDTHS[-1]:
            continue
        text = " ".join(seen["prose"].split())
        masked = NOT_RANGE.sub(lambda m: "x" * len(m.group()), text)
        hits += [f"{page}: ...{text[max(0, m.start() - 40):m.end() + 40]}..." for m in pattern.finditer(masked)]
    assert any(seen["prose"].strip() for seen in visits.values()), "no text read: the check would be empty"
    return hits


def test_html_text_has_no_hyphen_between_two_numbers(visits):
    """Issue 12's typography checks on the HTML text too (the PDF's are in test_pdf_layout.py):
    an en dash between two numbers outside code, on every page, charts included (dates such as
    2026-11-30 and ISO 3166-1 are not ranges)."""
    assert _html_hits(visits, HYPHEN_RANGE) == []


def test_html_text_has_no_straight_quote(visits):
    """No straight double quote or apostrophe outside code in the HTML text: data-chosen
    sentences, table cells and citations are typeset where the chapter modules build them
    (analysis.report.markdown.curly_quotes), the title block by pandoc's smart reader."""
    assert _html_hits(visits, re.compile(r"['\"]")) == []


def _word_in_one_page(visits) -> tuple[str, str]:
    """A word (8+ letters) of one chapter page's text whose 6-letter stem no other page has:
    (word, page). Searched both ways, it must find that page only."""
    stems = defaultdict(set)
    words = {}
    for (width, page), v in visits.items():
        if width != WIDTHS[-1]:
            continue
        for word in re.findall(r"[a-z]+", plain(v["text"]).lower()):
            stems[word[:6]].add(page)
            if len(word) >= 8:
                words.setdefault(word, page)
    unique = sorted((w, p) for w, p in words.items()
                    if stems[w[:6]] == {p} and p.startswith("chapters/"))
    assert unique, "no word is unique to one chapter page"
    return unique[len(unique) // 2]


def test_search_over_http_finds_the_one_chapter_with_a_word(visits, served, browser):
    word, expected = _word_in_one_page(visits)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    outside = []
    context.on("request", lambda r: None if served.inside(r.url) else outside.append(r.url))
    page = context.new_page()
    page.goto(served.url("index.html"))
    found = {page_of(url, served.base) for url in search(page, word)}
    used_pagefind = page.evaluate("() => !window.bookSearchIndex")
    context.close()
    assert found == {expected}, f"searching {word!r}"
    assert used_pagefind, "served over HTTP, search must use the Pagefind index"
    assert outside == []


def test_search_from_the_folder_finds_the_one_chapter_with_a_word(visits, good_book, browser):
    word, expected = _word_in_one_page(visits)
    context = browser.new_context(viewport={"width": 390, "height": 900})
    root = good_book.resolve().as_uri() + "/"
    outside = []
    context.on("request", lambda r: None if r.url.startswith(root) else outside.append(r.url))
    page = context.new_page()
    page.goto(root + "index.html")
    found = {page_of(url, root) for url in search(page, word)}
    context.close()
    assert found == {expected}, f"searching {word!r} from file://"
    assert outside == []


def _first_chart_page(book_chapters) -> str:
    return next(c.page for c in book_chapters if c.figures)


STATIC_SHOWN_JS = """() => {
  const img = document.querySelector('.vega-chart .chart-static');
  if (!img || !img.complete || img.naturalWidth === 0) return false;
  const box = img.getBoundingClientRect();
  return box.width > 100 && box.height > 50 && getComputedStyle(img).display !== 'none';
}"""


def test_first_chart_shows_its_svg_before_the_chart_library_loads(served, browser, book_chapters):
    held = []
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.route("**/vega-bundle.js", lambda route: held.append(route))
    page = context.new_page()
    page.goto(served.url(_first_chart_page(book_chapters)), wait_until="domcontentloaded")
    page.wait_for_function(STATIC_SHOWN_JS, timeout=15_000)
    assert page.evaluate("() => typeof window.vegaEmbed") == "undefined"
    page.wait_for_timeout(200)  # the route handler has run: the bundle request is being held
    assert held, "the page never asked for the chart library"
    for route in held:
        route.continue_()
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=30_000)
    context.close()


def test_first_chart_shows_its_svg_with_javascript_off(served, browser, book_chapters):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(served.url(_first_chart_page(book_chapters)), wait_until="load")
    shown = page.evaluate(f"({STATIC_SHOWN_JS})()")
    sidebar_links = page.locator("#sidebar a").count()
    context.close()
    assert shown
    assert sidebar_links > 5, "without JavaScript the contents must still be reachable"


def test_figure_cards_cite_the_edition_date_the_ledger_gives(good_book, claims):
    """A figure card's suggested citation names the edition's year and date, as appendix C's
    citation does, never "(n.d.)"."""
    import json

    date = claims[0]["edition_date"]
    cards = sorted((good_book / "figures").glob("*/metadata.json"))
    assert cards, "no figure cards"
    wrong = [card.parent.name for card in cards
             if (c := json.loads(card.read_text(encoding="utf-8"))["citation"]).count("(n.d.)")
             or f"({date[:4]})" not in c or f"edition of {date}" not in c]
    assert wrong == []


def test_figure_cards_quote_as_the_page_prints(good_book):
    """A card's caption and citation are what a reader pastes into a briefing: their quotes
    and apostrophes are the printed book's curly ones ("UNODC’s", not "UNODC's")."""
    import json

    straight = {card.parent.name: [f for f in ("caption", "citation") if set("'\"") & set(meta[f])]
                for card in sorted((good_book / "figures").glob("*/metadata.json"))
                if (meta := json.loads(card.read_text(encoding="utf-8")))}
    assert straight and not any(straight.values()), straight
