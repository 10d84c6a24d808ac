"""A real browser over a rendered site, offline: what a reader's Chromium sees.

`Browser` drives Debian's `/usr/bin/chromium` through Python playwright (no `playwright
install`: we pass `executable_path`). `Browser.visit(book, page)` opens one page of a rendered
book by its file:// URL with every request that is not for a file inside the book blocked
and counted, then reports what a reader would have met:

- `outgoing`: requests that tried to leave the book (http(s), ws, file:// outside the book);
- `missing_local`: requests for files inside the book that do not exist;
- `console_errors` / `page_errors`: console.error messages and uncaught exceptions;
- `dialogs`: alert/confirm/prompt dialogs (injected script that ran);
- `charts`: every vega view on the page and the number of data-mark items in its
  scenegraph, plus every `.vega-embed` container and whether it holds a drawn svg/canvas;
- `links`: every `<a href>` with its kind (toc / xref / citation / other), for
  `resolve_links`, which checks each one against the live DOM ids of the target page.

The vega views are captured by an init script that runs before any page script: it wraps
`window.vegaEmbed` (the promise resolves to `{view}`) and patches `vega.View.prototype.runAsync`
when `window.vega` is assigned, so a chart drawn by either path is seen, whatever markup the
renderer uses around it. A chart that the page meant to draw but that failed shows up as a
rejected embed, a console error, or an empty container.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

# Runs before every page script (page.add_init_script). Records each embed call and its
# outcome, and every vega View that runs, in window.__paradoxCharts.
CAPTURE_VIEWS_JS = r"""
(() => {
  const state = window.__paradoxCharts = {calls: 0, resolved: 0, rejected: [], views: []};
  const keep = (view) => { if (view && !state.views.includes(view)) state.views.push(view); };
  const wrapEmbed = (fn) => {
    const wrapped = function (...args) {
      state.calls += 1;
      let result;
      try { result = fn.apply(this, args); }
      catch (e) { state.rejected.push(String((e && e.message) || e)); throw e; }
      return Promise.resolve(result).then(
        (r) => { state.resolved += 1; keep(r && r.view); return r; },
        (e) => { state.rejected.push(String((e && e.message) || e)); throw e; });
    };
    return Object.assign(wrapped, fn);
  };
  let embed;
  Object.defineProperty(window, 'vegaEmbed', {
    configurable: true,
    get() { return embed; },
    set(v) { embed = (typeof v === 'function') ? wrapEmbed(v) : v; },
  });
  let vega;
  Object.defineProperty(window, 'vega', {
    configurable: true,
    get() { return vega; },
    set(v) {
      vega = v;
      const proto = v && v.View && v.View.prototype;
      if (proto && !proto.__paradoxPatched) {
        const run = proto.runAsync;
        proto.runAsync = function (...a) { keep(this); return run.apply(this, a); };
        proto.__paradoxPatched = true;
      }
    },
  });
})();
"""

# Is every embed call settled? (Pages without charts are settled at once.)
CHARTS_SETTLED_JS = r"""
() => {
  const s = window.__paradoxCharts;
  return !!s && s.calls === s.resolved + s.rejected.length;
}
"""

# One entry per captured view: its container, the nearest ancestor id (the figure label),
# the renderer, and how many items the data marks (role "mark", not groups) hold.
DESCRIBE_CHARTS_JS = r"""
async () => {
  const s = window.__paradoxCharts || {views: [], calls: 0, resolved: 0, rejected: []};
  const countDataItems = (mark) => {
    let n = 0;
    const walk = (m) => {
      if (!m || !m.items) return;
      if (m.marktype !== 'group' && m.role === 'mark') n += m.items.length;
      for (const item of m.items) for (const child of (item.items || [])) walk(child);
    };
    walk(mark);
    return n;
  };
  const views = [];
  for (const view of s.views) {
    try { await view.runAsync(); } catch (e) { /* reported through the embed promise */ }
    const container = view.container && view.container();
    const labelled = container ? (container.closest('[id^="fig-"]') || container.closest('[id]')) : null;
    views.push({
      label: labelled ? labelled.id : null,
      renderer: container ? (container.querySelector('canvas') ? 'canvas' : (container.querySelector('svg') ? 'svg' : 'none')) : 'none',
      data_items: countDataItems(view.scenegraph().root),
    });
  }
  const containers = [...document.querySelectorAll('.vega-embed')].map((el) => {
    const drawn = el.querySelector('svg.marks, canvas.marks, svg, canvas');
    const box = drawn ? drawn.getBoundingClientRect() : null;
    const labelled = el.closest('[id^="fig-"]') || el.closest('[id]');
    return {
      label: labelled ? labelled.id : null,
      drawn: !!drawn && box.width > 0 && box.height > 0,
      svg_data_items: el.querySelectorAll('g.role-mark > *').length,
    };
  });
  // Chart specs shipped as JSON data blocks (how a static site hands specs to vega-embed):
  // each one is a chart the page means to draw, whatever script is supposed to draw it.
  const specs = [...document.querySelectorAll('script[type="application/json"]')]
    .filter((el) => /vega\.github\.io\/schema\/vega/.test(el.textContent.slice(0, 300))).length;
  return {calls: s.calls, resolved: s.resolved, rejected: s.rejected, views, containers, specs};
}
"""

# Every link on the page with its kind. TOC: inside a nav / TOC / sidebar. Cross-reference:
# a fragment naming a fig-/tbl-/sec- label, or a quarto-xref class. Citation: a #ref- fragment
# (pandoc citeproc's link-citations) or inside a .citation span.
DESCRIBE_LINKS_JS = r"""
() => [...document.querySelectorAll('a[href]')].map((a) => {
  const href = a.getAttribute('href');
  const frag = href.includes('#') ? href.slice(href.indexOf('#') + 1) : '';
  let kind = 'other';
  if (a.closest('nav, #TOC, .toc, [role="doc-toc"], .sidebar, #quarto-sidebar')) kind = 'toc';
  else if (/^ref-/.test(frag) || a.closest('.citation')) kind = 'citation';
  else if (/^(fig|tbl|sec)-/.test(frag) || a.classList.contains('quarto-xref')) kind = 'xref';
  return {href, kind, text: a.textContent.trim().slice(0, 80)};
})
"""


@dataclass
class Link:
    page: str  # the page the link is on, relative to the book
    href: str
    kind: str  # toc | xref | citation | other
    text: str


@dataclass
class PageReport:
    page: str  # relative to the book root, e.g. "chapters/01-paradox.html"
    title: str = ""
    outgoing: list[str] = field(default_factory=list)
    missing_local: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    text: str = ""  # document.body.innerText: what a reader sees
    html: str = ""  # the live DOM, serialised
    screenshot: Path | None = None

    def chart_problems(self) -> list[str]:
        """Every way a chart on this page failed to draw (empty list: all drawn)."""
        c = self.charts
        problems = [f"embed rejected: {msg}" for msg in c["rejected"]]
        if c["calls"] != c["resolved"] + len(c["rejected"]):
            problems.append(f"{c['calls'] - c['resolved']} embed call(s) never settled")
        for v in c["views"]:
            if v["data_items"] == 0:
                problems.append(f"chart {v['label']!r}: vega view has no data marks")
            if v["renderer"] == "none":
                problems.append(f"chart {v['label']!r}: no svg/canvas in its container")
        for box in c["containers"]:
            if not box["drawn"]:
                problems.append(f"chart container {box['label']!r} holds no drawn svg/canvas")
        if len(c["views"]) < c["specs"]:
            problems.append(f"{c['specs']} vega spec(s) shipped in the page but {len(c['views'])} drawn")
        if len(c["containers"]) != len(c["views"]):
            problems.append(
                f"{len(c['containers'])} .vega-embed container(s) but {len(c['views'])} vega view(s)"
            )
        return problems


def book_pages(book: Path) -> list[Path]:
    """Every HTML page of a rendered book (vendored library folders excluded)."""
    vendored = {"site_libs", "libs", "assets", "vendor"}
    return sorted(
        p for p in book.rglob("*.html") if not vendored.intersection(p.relative_to(book).parts[:-1])
    )


class Browser:
    """One headless Chromium for many pages: `with Browser() as b: b.visit(book, page)`."""

    def __init__(self, screenshot_dir: Path | None = None, timeout_ms: int = 20_000):
        self.screenshot_dir = screenshot_dir
        self.timeout_ms = timeout_ms

    def __enter__(self) -> "Browser":
        from playwright.sync_api import sync_playwright

        self._user_data = tempfile.mkdtemp(prefix="paradox-chromium-")
        self._pw = sync_playwright().start()
        self._context = self._pw.chromium.launch_persistent_context(
            self._user_data,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            service_workers="block",
        )
        self._context.add_init_script(CAPTURE_VIEWS_JS)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._context.close()
        finally:
            self._pw.stop()
            shutil.rmtree(self._user_data, ignore_errors=True)

    def visit(self, book: Path, page_path: Path) -> PageReport:
        """Open one page of `book` offline and report everything a reader would meet."""
        book = book.resolve()
        page_path = page_path.resolve()
        report = PageReport(page=page_path.relative_to(book).as_posix())
        page = self._context.new_page()
        page.set_default_timeout(self.timeout_ms)

        def route(route):
            url = route.request.url
            local = _local_path(url)
            if local is not None and _inside(local, book):
                if not local.exists():
                    report.missing_local.append(url)
                route.continue_()
            else:
                report.outgoing.append(url)
                route.abort("blockedbyclient")

        page.route("**/*", route)
        # A websocket bypasses page.route: count it too.
        page.on("websocket", lambda ws: report.outgoing.append(ws.url))
        page.on(
            "console",
            lambda msg: msg.type == "error"
            and report.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}"),
        )
        page.on("pageerror", lambda err: report.page_errors.append(str(err)))

        def dialog(d):
            report.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        try:
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_function(CHARTS_SETTLED_JS, timeout=self.timeout_ms)
            # Let vega finish any pending dataflow and layout before we look.
            page.wait_for_timeout(100)
            report.title = page.title()
            report.charts = page.evaluate(DESCRIBE_CHARTS_JS)
            report.links = [Link(page=report.page, **a) for a in page.evaluate(DESCRIBE_LINKS_JS)]
            report.ids = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
            # Named anchors (<a name=...>) are valid fragment targets too.
            report.ids |= set(page.evaluate("() => [...document.querySelectorAll('a[name]')].map(e => e.name)"))
            report.text = page.evaluate("() => document.body ? document.body.innerText : ''")
            report.html = page.content()
            if self.screenshot_dir is not None:
                self.screenshot_dir.mkdir(parents=True, exist_ok=True)
                shot = self.screenshot_dir / (report.page.replace("/", "__") + ".png")
                page.screenshot(path=str(shot), full_page=True)
                report.screenshot = shot
        finally:
            page.close()
        return report

    def visit_book(self, book: Path) -> dict[str, PageReport]:
        """Visit every page of a rendered book; {relative page path: report}."""
        return {r.page: r for r in (self.visit(book, p) for p in book_pages(book))}


def _local_path(url: str) -> Path | None:
    """The file a file:// URL names (None for any other scheme)."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except ValueError:
        return False


def resolve_links(book: Path, reports: dict[str, PageReport]) -> list[str]:
    """Every internal link that does not land: missing page or file, or missing #id.

    External links (http, https, mailto, doi) are not followed - the browser run already
    proves that nothing is fetched from them. A link to another page is checked against that
    page's live DOM ids (so ids added by scripts count), a link to a non-HTML file (PDF, card
    zip, CSV) against the file system.
    """
    book = book.resolve()
    broken = []
    for report in reports.values():
        page_file = book / report.page
        for link in report.links:
            target, fragment = urldefrag(link.href)
            parsed = urlparse(target)
            if parsed.scheme and parsed.scheme != "file":
                continue
            if parsed.scheme == "file":
                target_file = Path(unquote(parsed.path))
            elif target == "":
                target_file = page_file
            else:
                target_file = (page_file.parent / unquote(parsed.path)).resolve()
            where = f"{report.page}: {link.kind} link {link.href!r} ({link.text!r})"
            if not _inside(target_file, book):
                broken.append(f"{where}: points outside the book ({target_file})")
                continue
            if target_file.is_dir():
                target_file = target_file / "index.html"
            if not target_file.exists():
                broken.append(f"{where}: {target_file.relative_to(book)} does not exist")
                continue
            if fragment:
                rel = target_file.relative_to(book).as_posix()
                target_report = reports.get(rel)
                if target_report is None:
                    broken.append(f"{where}: #{fragment} in a file that is not a page of the book")
                elif unquote(fragment) not in target_report.ids:
                    broken.append(f"{where}: no element with id {fragment!r} in {rel}")
    return broken
