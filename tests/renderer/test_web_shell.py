"""The HTML page shell on the test book, read as files (the browser checks are in
tests/e2e/test_reader.py): what every page carries for search, navigation, downloads,
phones and screen readers, and what the render writes beside the pages for them."""

from __future__ import annotations

import json
import re
import zipfile

from pathlib import Path

BOOK = Path(__file__).resolve().parent / "book"


def _page(out, name: str) -> str:
    return (out / name).read_text(encoding="utf-8")


def test_every_page_has_a_skip_link_search_box_favicon_and_one_main(rendered, site):
    _, out, _ = rendered
    assert (out / "site_libs" / "favicon.svg").read_text().startswith("<svg")
    for name in site:
        html = _page(out, name)
        assert re.search(r'<a class="skip-link" href="#content">', html), name
        assert html.count('<main id="content"') == 1, name
        assert '<input id="search-input" type="search"' in html and '<label for="search-input">' in html, name
        assert 'site_libs/favicon.svg"' in html, name


def test_downloads_link_files_the_render_wrote(rendered):
    _, out, _ = rendered
    html = _page(out, "chapters/growth.html")
    block = re.search(r'<div class="downloads">(.*?)</div>', html, re.S).group(1)
    hrefs = re.findall(r'href="([^"]+)"', block)
    assert hrefs == ["../tiny-test-book.pdf", "../claims.csv", "../claims.json", "../data-package.zip",
                     "../notebooks.zip", "../notebooks/growth.ipynb"]
    for href in hrefs:
        assert (out / "chapters" / href).resolve().is_file(), href


def test_the_data_package_zip_holds_the_data_folder_byte_for_byte(rendered):
    _, out, _ = rendered
    with zipfile.ZipFile(out / "data-package.zip") as archive:
        names = archive.namelist()
        expected = sorted(f"data/{p.name}" for p in (BOOK / "data").iterdir() if p.is_file())
        assert names == expected
        for name in names:
            assert archive.read(name) == (BOOK / name).read_bytes(), name


def test_headings_have_anchor_links_and_the_page_lists_its_sections(rendered):
    _, out, _ = rendered
    html = _page(out, "chapters/growth.html")
    assert re.search(r'<h2 id="sec-measurements"[^>]*>.*?<a class="anchor" href="#sec-measurements"', html, re.S)
    toc = re.search(r'<nav class="page-toc" aria-label="On this page".*?</nav>', html, re.S).group(0)
    assert 'href="#sec-measurements"' in toc


def test_tables_scroll_in_a_focusable_region_named_by_their_caption(rendered):
    _, out, _ = rendered
    html = _page(out, "chapters/growth.html")
    wrap = re.search(r'<div class="table-wrap" role="region" tabindex="0" aria-label="([^"]+)">\s*<table id="tbl-summary"', html)
    assert wrap and wrap.group(1) == "Table 1.1: Mean, smallest and largest height by site."


def _page_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S).group(1))


def test_a_number_carries_its_range_unit_and_its_publisher_for_the_popover(rendered, book_sources):
    _, out, _ = rendered
    data = _page_data(_page(out, "chapters/growth.html"))
    claim = data["claims"]["growth-north"]
    assert claim["unit"] == "cm" and claim["sources"] == ["field_notes"]
    assert claim["low"] <= claim["value"] <= claim["high"]
    assert data["sources"] == {"field_notes": book_sources["field_notes"]}


def test_cross_references_carry_a_preview_of_their_target(rendered):
    _, out, _ = rendered
    data = _page_data(_page(out, "chapters/context.html"))
    assert data["xrefs"]["fig-growth"]["text"] == "Figure 1.1: Height by year at each site (Tufte 1990)."
    assert data["xrefs"]["fig-growth"]["img"] == "../figures/fig-growth/fig-growth.svg"
    assert data["xrefs"]["tbl-sources"]["text"] == "Table A.1: Where the measurements come from."


def test_a_chart_shows_its_card_svg_until_drawn_and_is_named_by_its_alt(rendered):
    _, out, _ = rendered
    html = _page(out, "chapters/growth.html")
    box = re.search(r'<div class="vega-chart" id="vis-fig-growth" role="img" aria-label="([^"]+)">'
                    r'<img class="chart-static" src="([^"]+)" alt="">', html)
    assert box.group(1).startswith("Line chart: height in centimetres rising")
    assert (out / "chapters" / box.group(2)).resolve() == (out / "figures/fig-growth/fig-growth.svg")
    assert (out / "figures/fig-growth/fig-growth.svg").is_file()


def test_both_search_indexes_are_written_and_hold_the_text(rendered):
    _, out, _ = rendered
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert any((out / "pagefind").glob("*.pf_meta"))
    script = (out / "site_libs" / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(script.removeprefix("window.bookSearchIndex=").rstrip().rstrip(";"))
    growth = [e for e in entries if e["u"].startswith("chapters/growth.html")]
    assert any("north site averaged" in e["x"] for e in growth)
    assert all("vega" not in e["x"].lower() for e in entries), "chart specs are not searchable text"


def test_pagefind_runs_again_only_when_a_page_changed(tmp_path, monkeypatch):
    from renderer import search
    from renderer.cache import OutputCache

    site = tmp_path / "site"
    (site / "chapters").mkdir(parents=True)
    (site / "index.html").write_text('<html lang="en"><body><main data-pagefind-body><h1>Home</h1>'
                                     "<p>alpha beta</p></main></body></html>")
    (site / "chapters" / "a.html").write_text('<html lang="en"><body><main data-pagefind-body><h1>A</h1>'
                                              "<p>gamma</p></main></body></html>")
    runs = []
    real = search._pagefind_zip
    monkeypatch.setattr(search, "_pagefind_zip", lambda s: runs.append(s) or real(s))
    cache = OutputCache(tmp_path / "cache")
    search.run_pagefind(site, cache)
    assert (site / "pagefind" / "pagefind.js").is_file() and len(runs) == 1
    search.run_pagefind(site, cache)
    assert len(runs) == 1, "unchanged pages: the stored index is reused"
    (site / "chapters" / "a.html").write_text('<html lang="en"><body><main data-pagefind-body><h1>A</h1>'
                                              "<p>delta</p></main></body></html>")
    search.run_pagefind(site, cache)
    assert len(runs) == 2
