"""The rendered HTML site of the test book: pages, navigation, numbering, cross-references,
citations, callouts, charts, inline values - and no network request anywhere."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow
BOOK = Path(__file__).resolve().parent / "book"


def resolve(page: str, url: str) -> tuple[str, str]:
    """(target page, fragment) of a relative link found on `page`."""
    path, _, fragment = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    return target, fragment


def test_one_page_per_chapter_plus_references(site):
    assert set(site) == {"index.html", "chapters/growth.html", "chapters/context.html",
                         "chapters/method.html", "references.html"}


def test_every_internal_link_resolves_to_an_existing_page_and_element(site, rendered):
    _, out, _ = rendered
    checked = 0
    for page, parsed in site.items():
        for tag, attr, url, _ in parsed.links:
            assert not re.match(r"^(https?:)?//", url), f"{page}: external {tag} {attr}={url}"
            target, fragment = resolve(page, url)
            assert (out / target).exists(), f"{page}: {url} -> missing {target}"
            if fragment:
                assert fragment in site[target].ids, f"{page}: {url} -> no #{fragment} in {target}"
            checked += 1
    assert checked > 40


def test_sidebar_numbering_and_prev_next(site):
    growth = site["chapters/growth.html"]
    hrefs = [url for tag, _, url, cls in growth.links if tag == "a"]
    assert "../index.html" in hrefs and "../chapters/context.html" in hrefs
    assert "1 Growth at two sites" in growth.text.replace("\xa0", " ")
    assert "1.1 Measurements" in growth.text
    method = site["chapters/method.html"]
    assert "A.1 Sources" in method.text
    nav = [(cls, url) for tag, _, url, cls in method.links if cls.startswith("nav-")]
    assert nav == [("nav-prev", "../chapters/context.html"), ("nav-next", "../references.html")]


@pytest.mark.parametrize("page, text, href", [
    ("chapters/growth.html", "Figure\xa01.1", "#fig-growth"),
    ("chapters/growth.html", "Table\xa01.1", "#tbl-summary"),
    ("chapters/growth.html", "Appendix\xa0A", "../chapters/method.html#sec-method"),
    ("chapters/growth.html", "Chapter\xa02", "../chapters/context.html#sec-context"),
    ("chapters/growth.html", "Table\xa0A.1", "../chapters/method.html#tbl-sources"),
    ("chapters/context.html", "Figure\xa01.1", "../chapters/growth.html#fig-growth"),
    ("index.html", "Chapter\xa01", "chapters/growth.html#sec-growth"),
    ("index.html", "Figure\xa01.1", "chapters/growth.html#fig-growth"),
])
def test_cross_references_are_numbered_links(rendered, page, text, href):
    _, out, _ = rendered
    html = (out / page).read_text(encoding="utf-8")
    assert f'<a href="{href}" class="xref">{text}</a>' in html


def test_captions_are_numbered(site):
    text = site["chapters/growth.html"].text
    # (page text is whitespace-normalised: the no-break space after "Figure" reads as a space)
    assert "Figure 1.1: Height by year at each site (Tufte 1990)." in text
    assert "Table 1.1: Mean, smallest and largest height by site." in text
    assert "Table A.1: Where the measurements come from." in site["chapters/method.html"].text


def test_citations_link_to_the_references_page_which_lists_only_cited_works(site, rendered):
    _, out, _ = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="references.html#ref-knuth1984"' in index
    assert "Knuth (1984)" in site["index.html"].text
    refs = site["references.html"].text
    assert "The TeXbook" in refs and "Envisioning Information" in refs
    assert "Never Cited" not in refs
    assert "Envisioning Information" not in site["chapters/growth.html"].text  # no list per chapter


def test_callouts_have_kind_and_title(rendered):
    _, out, _ = rendered
    html = (out / "chapters/growth.html").read_text(encoding="utf-8")
    note = re.search(r'<div class="callout callout-note">\s*<div class="callout-title">\s*(.*?)\s*</div>', html, re.S)
    warn = re.search(r'<div class="callout callout-warning">\s*<div class="callout-title">\s*(.*?)\s*</div>', html, re.S)
    assert note.group(1) == "Read this first" and warn.group(1) == "Small sample"
    assert "<h2" not in html.split('class="callout callout-note"')[1].split("</div>")[0]


def test_inline_values_are_str_not_repr(site):
    assert """Its motto is It's "plain" text and""" in site["index.html"].text
    assert "'It" not in site["index.html"].text


def test_claims_carry_id_source_title_and_value_computed_from_the_data(site):
    data = pd.read_csv(BOOK / "data" / "measurements.csv")
    north = data[data.site == "north"].height_cm.mean()
    claims = site["chapters/growth.html"].claims
    assert claims["claim-growth-north"] == {"title": "Source: field_notes", "text": f"{north:,.1f} cm"}


def test_chart_is_embedded_as_spec_with_tooltips_and_local_javascript(rendered):
    _, out, _ = rendered
    html = (out / "chapters/growth.html").read_text(encoding="utf-8")
    spec = json.loads(re.search(r'<script type="application/json" class="vega-spec" '
                                r'data-target="vis-fig-growth">(.*?)</script>', html, re.S).group(1))
    assert spec["mark"]["type"] == "line" and spec["encoding"]["tooltip"]
    # the small deferred charts.js loads the bundle beside it once the page is parsed
    assert '<script src="../site_libs/charts.js" defer></script>' in html
    assert "vega-bundle.js" in (out / "site_libs" / "charts.js").read_text(encoding="utf-8")
    bundle = (out / "site_libs" / "vega-bundle.js").read_text(encoding="utf-8")
    assert "vegaEmbed" in bundle and len(bundle) > 100_000
    assert "alt.Chart" not in html
    assert "charts.js" not in (out / "chapters/context.html").read_text(encoding="utf-8")


def test_stylesheet_is_local_and_has_no_web_fonts(rendered):
    _, out, _ = rendered
    css = (out / "site_libs" / "book.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert "@media print" in css


def test_printed_output_is_shown_and_code_is_not_echoed(site):
    assert "printed output is shown" in site["chapters/context.html"].text
    assert "import textwrap" not in site["chapters/context.html"].text


def test_two_fresh_renders_from_different_folders_give_identical_pages(rendered, book_copy, book_sources):
    """Determinism, and no absolute path of the machine leaks into a page."""
    from renderer import render_book

    _, out, _ = rendered
    # the same formats: a page links the PDF only when the render writes one
    other = render_book(book_copy, book_copy / "_book", formats=("html", "pdf"), fresh=True,
                        data_package=book_copy / "data", sources=book_sources).out_dir
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert pages == sorted(p.relative_to(other) for p in other.rglob("*.html"))
    for page in pages:
        text = (out / page).read_text(encoding="utf-8")
        assert text == (other / page).read_text(encoding="utf-8"), page
        assert str(book_copy.parent.parent) not in text and "/tmp/" not in text
    assert (out / "claims.json").read_text() == (other / "claims.json").read_text()


def test_echo_output_and_include_options(site):
    text = site["chapters/context.html"].text
    assert 'shown_code = "this code is echoed"' in text
    assert "hidden output" not in text
    assert "an included-false cell shows nothing" not in text


def test_markdown_image_figure_is_copied_numbered_and_uses_fig_alt(rendered, site):
    _, out, _ = rendered
    assert (out / "chapters" / "figs" / "site-map.png").read_bytes() == (BOOK / "chapters" / "figs" / "site-map.png").read_bytes()
    html = (out / "chapters" / "method.html").read_text(encoding="utf-8")
    assert '<img src="../chapters/figs/site-map.png" alt="A grey rectangle standing in for a map' in html
    assert "Figure A.1: A sketch of the two sites." in site["chapters/method.html"].text
    assert '<a href="#fig-site-map" class="xref">Figure\xa0A.1</a>' in html
