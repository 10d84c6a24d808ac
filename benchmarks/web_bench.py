"""What a reader's browser does with each page of a rendered book (default `_book/`).

Per page, served over HTTP on loopback to Debian's Chromium: the page's width in a 390 px
viewport, axe-core violations at 390 and 1366 px (WCAG 2.2 A/AA + best practice), the bytes
loaded before the first paint, and - at a 4x CPU slowdown (CDP Emulation.setCPUThrottlingRate)
- the time until the first chart's static SVG is loaded and until the first interactive chart
is drawn. Usage: `.venv/bin/python benchmarks/web_bench.py [BOOK]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.browser import book_pages  # noqa: E402
from tests.e2e.reader import (CHARTS_DRAWN_JS, PAGE_WIDTH_JS, ServedBook, axe_violations,  # noqa: E402
                              launch)

# Records when the first chart box is marked drawn (performance.now(), ms since navigation).
WATCH_JS = """
new MutationObserver((records, observer) => {
  if (document.querySelector('.vega-chart.drawn')) { window.__firstDrawn = performance.now(); observer.disconnect(); }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['class']});
"""

BYTES_BEFORE_PAINT_JS = """() => {
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-paint');
  const nav = performance.getEntriesByType('navigation')[0];
  const until = paint ? paint.startTime : Infinity;
  const early = performance.getEntriesByType('resource').filter(r => r.responseEnd <= until);
  return {first_paint: paint ? paint.startTime : null,
          bytes: nav.encodedBodySize + early.reduce((n, r) => n + r.encodedBodySize, 0),
          files: 1 + early.length};
}"""

STATIC_LOADED_JS = """() => {
  const img = document.querySelector('.vega-chart .chart-static');
  if (!img) return null;
  const entry = performance.getEntriesByName(img.src)[0];
  return entry ? entry.responseEnd : null;
}"""


def measure(book: Path) -> list[dict]:
    """One row per page of the book."""
    from playwright.sync_api import sync_playwright

    rows = {}
    with ServedBook(book) as site, sync_playwright() as pw:
        browser = launch(pw)
        for width in (390, 1366):
            for path in book_pages(book):
                rel = path.relative_to(book).as_posix()
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                row = rows.setdefault(rel, {"page": rel})
                if width == 390:
                    cdp = context.new_cdp_session(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    page.add_init_script(WATCH_JS)
                page.goto(site.url(rel), wait_until="load")
                page.wait_for_function(CHARTS_DRAWN_JS, timeout=60_000)
                if width == 390:
                    row.update(page.evaluate(BYTES_BEFORE_PAINT_JS))
                    row["static_svg_ms"] = page.evaluate(STATIC_LOADED_JS)
                    row["first_chart_ms"] = page.evaluate("() => window.__firstDrawn || null")
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
                    row["width_390"] = page.evaluate(PAGE_WIDTH_JS)
                row[f"axe_{width}"] = len(axe_violations(page))
                context.close()
        browser.close()
    return list(rows.values())


def main() -> None:
    book = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "_book").resolve()
    rows = measure(book)
    ms = lambda v: "-" if v is None else f"{v:,.0f}"
    print(f"{'page':<36} {'w@390':>6} {'axe390':>6} {'axe1366':>7} {'KB<paint':>9} {'files':>5} "
          f"{'paint ms':>8} {'svg ms':>7} {'chart ms':>8}   (4x CPU throttle)")
    for r in rows:
        print(f"{r['page']:<36} {r['width_390']:>6} {r['axe_390']:>6} {r['axe_1366']:>7} "
              f"{r['bytes'] / 1024:>9.1f} {r['files']:>5} {ms(r['first_paint']):>8} "
              f"{ms(r['static_svg_ms']):>7} {ms(r['first_chart_ms']):>8}")


if __name__ == "__main__":
    main()
