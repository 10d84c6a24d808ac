"""The HTML book as readers open it: served over HTTP on loopback or opened from a folder,
on a phone (390 px) and a desktop (1366 px), with axe-core looking over their shoulder.

Used by test_reader.py and by benchmarks/web_bench.py (the numbers in the issue's closing
note). Everything here is offline: the server binds 127.0.0.1, Chromium is Debian's.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

from .browser import CHROMIUM, CHROMIUM_ARGS

WIDTHS = (390, 1366)
# axe-core rule tags: WCAG 2.0/2.1/2.2 levels A and AA, plus Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

# True once every chart box on the page has its interactive chart drawn (or none exist).
CHARTS_DRAWN_JS = "() => [...document.querySelectorAll('.vega-chart')].every(b => b.classList.contains('drawn'))"
PAGE_WIDTH_JS = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
# Legend entries a drawn chart cuts off: the text of every legend label or title whose right
# edge lies past the right edge of its chart's drawing (Vega clips what its width cannot hold).
CLIPPED_LEGEND_JS = """() => [...document.querySelectorAll('.vega-embed svg')].flatMap(svg => {
  const right = svg.getBoundingClientRect().right;
  return [...svg.querySelectorAll('.role-legend-label text, .role-legend-title text')]
    .filter(t => t.getBoundingClientRect().right > right + 1).map(t => t.textContent);
})"""
# The page's text as a reader reads it, code left out (code blocks, code spans: a BibTeX entry
# or a file name keeps its straight quotes and hyphens), drawn charts' text included. Run last
# on a page: it takes the code out of the live page, so innerText keeps the line breaks.
PROSE_JS = """() => {
  const body = document.querySelector('.page-body');
  const charts = [...body.querySelectorAll('svg text')].map(t => t.textContent);
  body.querySelectorAll('pre, code, kbd, samp, script, style, svg').forEach(n => n.remove());
  return [body.innerText, ...charts].join('\\n');
}"""


class ServedBook:
    """`with ServedBook(book) as site: site.url("index.html")` - a quiet HTTP server on loopback."""

    def __init__(self, book: Path):
        self.book = Path(book).resolve()

    def __enter__(self) -> "ServedBook":
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

        handler = functools.partial(Quiet, directory=str(self.book))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, rel: str) -> str:
        return self.base + rel

    def inside(self, url: str) -> bool:
        return url.startswith(self.base)


def launch(playwright):
    """Debian's Chromium, headless, as the harness starts it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now, for AXE_TAGS."""
    from axe_playwright_python.sync_playwright import Axe

    # resultTypes: axe still runs every rule, but details only the violations (3x faster)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> list[str]:
    """One line per violated rule: id, impact, how many nodes, the first node."""
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {v['nodes'][0]['target']}"
            for v in violations]


def chart_names(page, context) -> dict:
    """What Chromium's accessibility tree exposes for charts: the names of image nodes, and
    how many nodes with a graphics-* role (a drawing's marks) a screen reader would meet."""
    cdp = context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    shown = [n for n in nodes if not n.get("ignored")]
    role = lambda n: (n.get("role") or {}).get("value", "")
    name = lambda n: (n.get("name") or {}).get("value", "")
    return {"images": [name(n) for n in shown if role(n) in ("image", "img")],
            "graphics": sum(1 for n in shown if role(n).startswith("graphics"))}


def search(page, word: str, timeout_ms: int = 15_000) -> list[str]:
    """Type `word` into the book's search box; the result links as absolute URLs."""
    menu = page.locator(".menu-button")
    if menu.is_visible():
        menu.click()
    page.fill("#search-input", word)
    page.wait_for_function("() => document.querySelector('.search-status').textContent.trim() !== ''",
                           timeout=timeout_ms)
    hrefs = page.eval_on_selector_all(".search-results a", "els => els.map(a => a.href)")
    return [urljoin(page.url, h) for h in hrefs]


def page_of(url: str, base: str) -> str:
    """The book page a URL points to, relative to the book root (fragment dropped)."""
    path = urlparse(url).path
    base_path = urlparse(base).path
    rel = path[len(base_path):] if path.startswith(base_path) else path
    return rel or "index.html"
