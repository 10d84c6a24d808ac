"""Hostile text in the data: a source title, a claim quote and a country name carrying HTML
script, a Quarto shortcode, and Markdown and Typst markup must come out literally - as text a
reader sees, in the HTML and in the PDF - and never run or be interpreted.

The text is injected into a copy of data/ as a user would edit it (then `paradox describe`
records the edit, `paradox check` passes), and the book is rendered from it with --data.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from .browser import Browser
from .corrupt import read_table, set_cell
from .pdf import pdf_text

pytestmark = pytest.mark.slow

# Every way a piece of text could turn into something else on its way to the page:
# HTML (a script that would alert), a Quarto shortcode, Markdown emphasis and math,
# Typst code (#), math ($) and strong (*), and a Markdown/Typst cross-reference (@).
PAYLOAD = "<script>alert(1)</script> {{< include x >}} *not bold* _not italic_ #strong[no] $x$ @sec-nope"

INJECTED = {
    # (file, field, selector, marker): the marker says where a literal was found from.
    "source title": ("sources.csv", "title", lambda r: r["source_id"] == "wdi_population", "SourceTitle"),
    "claim quote": ("article_claims.csv", "quote", lambda r: r["claim_id"] == "cocaine_production_tons", "ClaimQuote"),
    "country name": ("countries.csv", "name", lambda r: r["iso3"] == "COL", "Colombia"),
}


def literal(marker: str) -> str:
    return f"{marker} {PAYLOAD}"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plant_hostile_text(data) -> None:
    """Write each INJECTED literal into its cell of the data folder `data`, as a user's editor would."""
    for file, field, selector, marker in INJECTED.values():
        header, _ = read_table(data, file)
        assert field in header
        set_cell(data, file, field, literal(marker), selector)


@pytest.fixture(scope="module")
def hostile_book(edited_book):
    """The book rendered (HTML + PDF) from a copy of data/ carrying the hostile text: the
    session's `edited_book` (conftest.py), which test_since.py reads too. Its fixture asserts
    what this module asserted of its own render: `paradox describe` records the edit,
    `paradox check` passes (hostile text is valid data) and the render succeeds."""
    return edited_book.out


@pytest.fixture(scope="module")
def hostile_site(hostile_book):
    with Browser() as browser:
        return browser.visit_book(hostile_book)


def test_no_script_from_the_data_runs(hostile_site):
    assert {p: r.dialogs for p, r in hostile_site.items() if r.dialogs} == {}
    assert {p: r.page_errors for p, r in hostile_site.items() if r.page_errors} == {}


class _Scripts(HTMLParser):
    """The text of every executable <script> element of a serialised DOM. Not data blocks
    (type="application/json": the chart specs carry the payload as escaped JSON, inert), and
    not attribute values holding "<script>" (inert text; the parser sees no tag in them)."""

    JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in = (dict(attrs).get("type") or "").strip().lower() in self.JS_TYPES
            if self._in:
                self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data


def scripts_of(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return parser.scripts


def test_the_script_detector_sees_an_injected_script_but_not_escaped_text():
    assert scripts_of("<p>x</p><script>alert(1)</script>") == ["alert(1)"]
    assert scripts_of('<p title="<script>alert(1)</script>">&lt;script&gt;alert(1)&lt;/script&gt;</p>') == []
    assert scripts_of('<script type="application/json">{"c": "\\u003cscript\\u003ealert(1)"}</script>') == []
    assert scripts_of('<script type="module">alert(1)</script>') == ["alert(1)"]


def test_no_script_element_from_the_data_exists(hostile_site):
    # The live DOM, serialised: the payload may be text, never a <script> element.
    injected = sorted(p for p, r in hostile_site.items() if any("alert(1)" in s for s in scripts_of(r.html)))
    assert injected == []


@pytest.mark.parametrize("where", sorted(INJECTED))
def test_hostile_text_appears_literally_in_the_html(hostile_site, where):
    text = literal(INJECTED[where][3])
    pages = sorted(p for p, r in hostile_site.items() if squash(text) in squash(r.text))
    assert pages, f"the {where} does not appear literally (as typed) on any page"


@pytest.fixture(scope="module")
def hostile_pdf_text(hostile_book):
    """The PDF text in content order (table cells kept whole), with all whitespace removed:
    a cell wraps the payload at places Typst chooses (after "/", between words), and a
    line break is not markup. Every other character must be there, in order."""
    pdfs = sorted(hostile_book.glob("*.pdf"))
    assert len(pdfs) == 1
    return re.sub(r"\s+", "", pdf_text(pdfs[0], raw=True))


@pytest.mark.parametrize("where", sorted(INJECTED))
def test_hostile_text_appears_literally_in_the_pdf(hostile_pdf_text, where):
    expected = re.sub(r"\s+", "", literal(INJECTED[where][3]))
    assert expected in hostile_pdf_text, f"the {where} is not in the PDF as typed"
