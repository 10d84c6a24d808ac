"""The browser harness itself, against small static sites built here.

A check that cannot fail proves nothing, so each detector of `browser.py` is shown both ways:
a clean page (a vl-convert bundled chart, drawn offline) passes, and a page with exactly one
planted fault is caught by exactly the detector meant for it.
"""

from __future__ import annotations

import pytest
import vl_convert

from .browser import Browser, book_pages, resolve_links

pytestmark = pytest.mark.slow

BAR = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"a": "Peru", "b": 3}, {"a": "Colombia", "b": 5}, {"a": "Bolivia", "b": 1}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
}


def chart_page(spec: dict, extra_body: str = "") -> str:
    """A self-contained page that draws `spec` with vega-embed bundled inline (no network)."""
    html = vl_convert.vegalite_to_html(spec, bundle=True)
    body = (
        '<nav id="TOC"><a href="index.html#sec-intro">Intro</a> '
        '<a href="chapter.html#sec-two">Two</a></nav>'
        '<section id="sec-intro"><h1>Intro</h1></section>'
        '<figure id="fig-bars"><div id="vega-chart"></div></figure>'
        f"{extra_body}"
    )
    return html.replace('<div id="vega-chart"></div>', body, 1)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with Browser(screenshot_dir=tmp_path_factory.mktemp("shots")) as b:
        yield b


def make_site(root, index_html, chapter_extra=""):
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(index_html, encoding="utf-8")
    (root / "chapter.html").write_text(
        "<!doctype html><html><head><title>Two</title></head><body>"
        '<section id="sec-two"><h1>Two</h1><p>See <a href="index.html#fig-bars">Figure 1</a> '
        '<span class="citation"><a href="#ref-muggah2013">Muggah 2013</a></span>.</p>'
        f'{chapter_extra}<div id="refs"><div id="ref-muggah2013">Muggah</div></div></section>'
        "</body></html>",
        encoding="utf-8",
    )
    return root


def test_clean_offline_site_passes_every_check(browser, tmp_path):
    site = make_site(tmp_path / "site", chart_page(BAR))
    reports = browser.visit_book(site)
    assert sorted(reports) == ["chapter.html", "index.html"]
    index = reports["index.html"]
    assert index.outgoing == [] and index.missing_local == []
    assert index.console_errors == [] and index.page_errors == [] and index.dialogs == []
    assert index.chart_problems() == []
    # 3 bars drawn: the scenegraph's data mark holds one item per row.
    assert [v["data_items"] for v in index.charts["views"]] == [3]
    assert index.charts["views"][0]["label"] == "fig-bars"
    assert index.screenshot.exists() and index.screenshot.stat().st_size > 1000
    kinds = {link.kind for r in reports.values() for link in r.links}
    assert {"citation", "toc", "xref"} <= kinds  # "other": vega-embed's action menu
    assert resolve_links(site, reports) == []


def test_outgoing_requests_are_blocked_and_counted(browser, tmp_path):
    extra = (
        '<img src="https://example.org/pixel.png">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script>fetch("http://example.com/beacon").catch(() => {});</script>'
    )
    site = make_site(tmp_path / "site", chart_page(BAR, extra))
    report = browser.visit(site, site / "index.html")
    hosts = sorted(u.split("/")[2] for u in report.outgoing)
    assert hosts == ["example.com", "example.org", "fonts.googleapis.com"]


def test_file_outside_the_book_counts_as_outgoing_and_missing_local_file_is_reported(browser, tmp_path):
    (tmp_path / "outside.css").write_text("body{}")
    extra = '<link rel="stylesheet" href="../outside.css"><script src="site_libs/missing.js"></script>'
    site = make_site(tmp_path / "site", chart_page(BAR, extra))
    report = browser.visit(site, site / "index.html")
    assert [u.rsplit("/", 1)[-1] for u in report.outgoing] == ["outside.css"]
    assert [u.rsplit("/", 1)[-1] for u in report.missing_local] == ["missing.js"]


def test_console_errors_page_errors_and_dialogs_are_caught(browser, tmp_path):
    extra = (
        '<script>console.error("boom");</script>'
        "<script>undefinedFunction();</script>"
        "<script>alert(1)</script>"
    )
    site = make_site(tmp_path / "site", chart_page(BAR, extra))
    report = browser.visit(site, site / "index.html")
    assert any("boom" in e for e in report.console_errors)
    assert any("undefinedFunction" in e for e in report.page_errors)
    assert report.dialogs == ["alert: 1"]


def test_chart_without_marks_is_caught(browser, tmp_path):
    empty = dict(BAR, data={"values": []})
    site = make_site(tmp_path / "site", chart_page(empty))
    report = browser.visit(site, site / "index.html")
    assert report.chart_problems() == ["chart 'fig-bars': vega view has no data marks"]


def test_chart_whose_spec_fails_is_caught(browser, tmp_path):
    broken = dict(BAR, mark="no-such-mark")
    site = make_site(tmp_path / "site", chart_page(broken))
    report = browser.visit(site, site / "index.html")
    problems = report.chart_problems()
    assert any(p.startswith("embed rejected:") for p in problems), problems
    assert report.console_errors, "the page's own .catch(console.error) should also surface"


def test_a_shipped_spec_that_nothing_draws_is_caught(browser, tmp_path):
    """A JSON spec block whose drawing script never ran (e.g. the vega bundle failed to load)."""
    import json

    page = (
        "<!doctype html><html><head><title>x</title></head><body>"
        '<nav id="TOC"><a href="index.html">Home</a></nav>'
        f'<figure id="fig-bars"><script type="application/json" class="vega-spec">{json.dumps(BAR)}</script></figure>'
        "</body></html>"
    )
    site = make_site(tmp_path / "site", page)
    report = browser.visit(site, site / "index.html")
    assert report.chart_problems() == ["1 vega spec(s) shipped in the page but 0 drawn"]


def test_broken_links_are_caught(browser, tmp_path):
    chapter_extra = (
        '<a href="#fig-nope">Figure 9</a>'
        '<a href="gone.html#sec-x">Gone</a>'
        '<span class="citation"><a href="#ref-nobody">Nobody</a></span>'
        '<a href="https://example.org/">external, not followed</a>'
    )
    site = make_site(tmp_path / "site", chart_page(BAR), chapter_extra)
    broken = resolve_links(site, browser.visit_book(site))
    assert len(broken) == 3, broken
    assert "no element with id 'fig-nope' in chapter.html" in broken[0]
    assert "gone.html does not exist" in broken[1]
    assert broken[2].startswith("chapter.html: citation link '#ref-nobody'")


def test_pages_under_vendored_library_folders_are_not_book_pages(tmp_path):
    (tmp_path / "site_libs" / "x").mkdir(parents=True)
    (tmp_path / "site_libs" / "x" / "demo.html").write_text("<p>vendored</p>")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "a.html").write_text("<p>a</p>")
    (tmp_path / "index.html").write_text("<p>i</p>")
    assert [p.relative_to(tmp_path).as_posix() for p in book_pages(tmp_path)] == [
        "chapters/a.html",
        "index.html",
    ]
