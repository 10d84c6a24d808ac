"""The HTML site: one page per chapter (pandoc fragments in a page template written here),
a sidebar table of contents with search and downloads, an "On this page" list, previous/next
links, a references page, the stylesheet, the page script and the vega/vega-lite/vega-embed
JavaScript shipped locally (no page makes a network request).

What a reader's browser needs beyond the text rides in each page: the claim, source and
cross-reference previews as one JSON block (`#page-data`, read by `assets/book.js`).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from renderer import pandoc
from renderer.cache import OutputCache
from renderer.crossref import walk
from renderer.pandoc import meta_value, smart_text, stringify
from renderer.project import Chapter, Project

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATE = (Path(__file__).resolve().parent / "templates" / "page.html").read_text(encoding="utf-8")
LIB = "site_libs"


@dataclass
class Page:
    """One HTML page of the site."""

    name: str                    # path under the site root, e.g. chapters/x.html
    title: str                   # plain text
    number: str                  # "2", "A" or ""
    ast: dict | None             # pandoc AST (None for generated pages)
    sections: list = field(default_factory=list)  # [(id, number, title)] of level-2 headings
    has_charts: bool = False
    body: str = ""
    claims: list = field(default_factory=list)   # ledger entries shown on this page
    notebook: str = ""                           # its executed notebook, under the site root


def page_from_chapter(chapter: Chapter, ast: dict, has_charts: bool, claims: list = ()) -> Page:
    """Title, number and section list of a chapter, read from its numbered AST."""
    title, number, sections = "", "", []

    def visit(node):
        nonlocal title, number
        if node["t"] != "Header":
            return
        level, attr, inlines = node["c"]
        num = dict(attr[2]).get("number", "")
        if level == 1 and not title:
            title, number = stringify(inlines), num
        elif level == 2 and "unnumbered" not in attr[1] and "callout-heading" not in attr[1]:
            sections.append((attr[0], num, stringify(inlines)))

    walk(ast["blocks"], visit)
    return Page(chapter.html_name, title, number, ast, sections, has_charts, claims=list(claims),
                notebook=f"notebooks/{chapter.stem}.ipynb")


def relink_images(ast: dict, page: str, images: set) -> dict:
    """A copy of the AST whose book-relative image paths are relative to `page` again."""
    if not images:
        return ast
    ast = json.loads(json.dumps(ast))

    def visit(node):
        if node["t"] == "Image" and node["c"][2][0] in images:
            node["c"][2][0] = relative(node["c"][2][0], page)

    walk(ast["blocks"], visit)
    return ast


def relative(target: str, current: str) -> str:
    """Link from page `current` to page `target` (both relative to the site root)."""
    return "../" * current.count("/") + target


def render_fragment(page: Page, project: Project, labels: dict, keys: list[str], refs_page: str,
                    cache: OutputCache) -> str:
    """Pandoc: numbered AST -> HTML fragment, with cross-references and citations resolved."""
    ast = dict(page.ast)
    meta = dict(ast.get("meta", {}))
    meta["crossref"] = meta_value({
        k: {"number": v.number, "prefix": v.prefix, "href": _href(v.page, k, page.name)} for k, v in labels.items()
    })
    hosts_refs = refs_page == page.name
    meta["refs-page"] = meta_value("" if hosts_refs else relative(refs_page, page.name) if refs_page else "")
    meta["link-citations"] = meta_value(True)
    # Every page "cites" the whole book's keys so citeproc disambiguates (2025a, 2025b) the
    # same way on every page and in the PDF; links.lua drops the list except on the refs page.
    meta["nocite"] = nocite(keys)
    ast["meta"] = meta
    args = ["-f", "json", "-t", "html5", "--wrap=none", "--lua-filter", str(pandoc.FILTERS / "book.lua")]
    files = [pandoc.FILTERS / "book.lua", pandoc.FILTERS / "links.lua"]
    if project.bibliography:
        args += ["--citeproc"] + [f"--bibliography={b}" for b in project.bibliography]
        args += [f"--csl={project.csl}"] if project.csl else []
        files += project.bibliography + ([project.csl] if project.csl else [])
    args += ["--lua-filter", str(pandoc.FILTERS / "links.lua")]
    return pandoc.run(args, json.dumps(ast).encode(), cache, files, what=page.name).decode()


def _href(target_page: str, ident: str, current: str) -> str:
    """Link to a label: same page -> '#id', other page -> relative path + '#id'."""
    return f"#{ident}" if target_page == current else f"{relative(target_page, current)}#{ident}"


def nocite(keys: list[str]) -> dict:
    """The `nocite` metadata listing every key cited in the book (for the references page)."""
    cites = [{"t": "Cite", "c": [[{"citationId": k, "citationPrefix": [], "citationSuffix": [],
                                   "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0,
                                   "citationHash": 0}], [{"t": "Str", "c": f"@{k}"}]]} for k in keys]
    return {"t": "MetaInlines", "c": cites}


def references_page(project: Project, keys: list[str], cache: OutputCache) -> Page:
    """A generated references page (used when no chapter holds a `::: {#refs}` div)."""
    ast = {"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": [
        {"t": "Header", "c": [1, ["references", ["unnumbered"], []], [{"t": "Str", "c": "References"}]]},
        {"t": "Div", "c": [["refs", [], []], []]},
    ]}
    return Page("references.html", "References", "", ast)


@dataclass
class Site:
    """What every page shares beyond its chapter: the download links and the sources' details.

    downloads: [(path under the site root, label)]. sources: source id -> {"name", "title",
    "url", "year"} (any may be missing), shown in a number's popover; the renderer does not
    know where they come from.
    """

    downloads: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)


def write_pages(out: Path, pages: list[Page], project: Project, edition: dict | None,
                site: Site | None = None) -> None:
    """Write every page of the site (bodies rendered), sharing one table of previews."""
    site = site or Site()
    previews = book_previews(pages)
    for page in pages:
        write_page(out, page, pages, project, edition, site, previews)


def write_page(out: Path, page: Page, pages: list[Page], project: Project, edition: dict | None,
               site: Site | None = None, previews: dict | None = None) -> None:
    """Fill the page template and write the page."""
    site = site or Site()
    previews = book_previews(pages) if previews is None else previews
    index = pages.index(page)
    root = relative("", page.name)
    prev_link = _nav_link(pages[index - 1], page, "prev") if index > 0 else ""
    next_link = _nav_link(pages[index + 1], page, "next") if index + 1 < len(pages) else ""
    # charts.js is small; it loads the ~900 KB vega bundle itself, after the page is parsed,
    # while each chart's static SVG is already on screen.
    scripts = f'<script src="{root}{LIB}/charts.js" defer></script>' if page.has_charts else ""
    values = {
        "lang": html.escape(project.lang), "root": root, "scripts": scripts,
        "page_title": html.escape(page_label(page) if page.title else project.title),
        "book_title": html.escape(smart_text(project.title)),
        "sidebar": sidebar(page, pages, project),
        "downloads": downloads(page, site),
        "body": (title_block(project) if index == 0 else "") + shell_body(page.body),
        "prev": prev_link, "next": next_link, "footer": footer(project, edition),
        "page_toc": page_toc(page, project),
        "page_data": page_data(page, previews, site),
    }
    # One pass, so text inside a value (e.g. a literal "{{footer}}" in a chapter) is never re-filled.
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], TEMPLATE)
    target = out / page.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def shell_body(body: str) -> str:
    """The page body as readers get it: headings with anchor links, tables in scroll boxes."""
    return wrap_tables(heading_anchors(body))


_HEADING = re.compile(r'<h([2-4]) id="([^"]+)"([^>]*)>(.*?)</h\1>', re.S)
_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)


def heading_anchors(body: str) -> str:
    """A "#" link after each section heading, to copy a link to that section."""
    return _HEADING.sub(lambda m: (
        f'<h{m[1]} id="{m[2]}"{m[3]}>{m[4]} <a class="anchor" href="#{m[2]}" '
        f'aria-label="Link to this section"><span aria-hidden="true">#</span></a></h{m[1]}>'), body)


def wrap_tables(body: str) -> str:
    """Each table in a box that scrolls sideways on its own (narrow screens), reachable by
    keyboard and named by the table's caption for screen readers."""
    def wrap(m):
        caption = _CAPTION.search(m[0])
        label = plain_text(caption[1]) if caption else "Table"
        return (f'<div class="table-wrap" role="region" tabindex="0" '
                f'aria-label="{html.escape(label, quote=True)}">{m[0]}</div>')
    return _TABLE.sub(wrap, body)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    spaced = _BLOCK_TAG.sub(" ", fragment)  # block boundaries separate words; inline tags do not
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", spaced)).split())


_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|caption|figure|figcaption|"
                        r"section|pre|blockquote|br|hr|img)\b[^>]*>")


def page_toc(page: Page, project: Project) -> str:
    """The right-hand "On this page" list of the page's sections (scrollspy in book.js)."""
    if not page.sections or not project.html.get("toc", True):
        return ""
    items = "".join(f'<li><a href="#{html.escape(i)}">{(html.escape(n) + "&nbsp; ") if n else ""}'
                    f"{html.escape(t)}</a></li>" for i, n, t in page.sections)
    return (f'<nav class="page-toc" aria-label="On this page" data-pagefind-ignore>'
            f'<p class="page-toc-title">On this page</p><ul>{items}</ul></nav>')


def downloads(page: Page, site: Site) -> str:
    """The sidebar's download links (book-wide files, then this chapter's notebook)."""
    links = list(site.downloads) + ([(page.notebook, "This chapter's notebook (.ipynb)")] if page.notebook else [])
    if not links:
        return ""
    items = "".join(f'<li><a href="{relative(path, page.name)}">{html.escape(label)}</a></li>'
                    for path, label in links)
    return f'<div class="downloads"><p class="sidebar-heading">Downloads</p><ul>{items}</ul></div>'


def page_data(page: Page, targets: dict, site: Site) -> str:
    """The JSON the page script reads: this page's claims, their sources' details, and a
    preview (label, text, picture) of every cross-reference target this page links to."""
    claims = {c["id"]: {k: c.get(k) for k in ("kind", "value", "low", "high", "unit", "year", "sources")}
              for c in page.claims}
    used = {s for c in page.claims for s in c.get("sources") or []}
    sources = {s: site.sources[s] for s in sorted(used) if s in site.sources}
    linked = dict.fromkeys(re.findall(r'href="[^"#]*#((?:fig|tbl|sec)-[^"]+)"', page.body))
    xrefs = {}
    for ident in linked:
        if ident in targets:
            preview = dict(targets[ident])
            if preview.get("img"):
                preview["img"] = relative(preview["img"], page.name)
            xrefs[ident] = preview
    data = json.dumps({"claims": claims, "sources": sources, "xrefs": xrefs}, ensure_ascii=True, sort_keys=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="page-data">{data}</script>'


_FIGURE = re.compile(r'<figure id="((?:fig)-[^"]+)"[^>]*>(.*?)</figure>', re.S)
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_CARD_LINK = re.compile(r'\s*\(<a [^>]*class="card-link".*?</a>\)', re.S)
_IMG_SRC = re.compile(r'<img [^>]*src="([^"]+)"')
_TABLE_ID = re.compile(r'<table id="(tbl-[^"]+)"[^>]*>.*?<caption>(.*?)</caption>', re.S)
_HEAD_ID = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_NEXT_PARA = re.compile(r"\s*(?:<div[^>]*>\s*)*<p>(.*?)</p>", re.S)
PREVIEW_CHARS = 320

def book_previews(pages: list[Page]) -> dict:
    """{label id: {"text", "img"}} for every figure, table and heading of the book, read from
    the rendered bodies (so captions hold resolved citations, not citation keys)."""
    found: dict = {}
    for page in pages:
        found.update(_page_previews(page))
    return found


def _page_previews(page: Page) -> dict:
    """The preview of each figure, table and heading on one page."""
    found = {}
    for m in _FIGURE.finditer(page.body):
        caption = _FIGCAPTION.search(m[2])
        img = _IMG_SRC.search(m[2])
        found[m[1]] = {"text": _short(plain_text(_CARD_LINK.sub("", caption[1]))) if caption else "",
                       "img": _book_path(html.unescape(img[1]), page.name) if img else None}
    for m in _TABLE_ID.finditer(page.body):
        found[m[1]] = {"text": _short(plain_text(m[2])), "img": None}
    for m in _HEAD_ID.finditer(page.body):
        para = _NEXT_PARA.match(page.body, m.end())
        title = plain_text(m[3])
        found[m[2]] = {"text": title + (" — " + _short(plain_text(para[1])) if para else ""), "img": None}
    return found


def _short(text: str) -> str:
    """At most PREVIEW_CHARS characters, cut at a word."""
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"


def _book_path(src: str, page: str) -> str | None:
    """A page-relative image path as a path under the site root (None for other URLs)."""
    if "://" in src or src.startswith(("data:", "/")):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), src))


def page_label(page: Page) -> str:
    """`2 Title` or `Title`."""
    return f"{page.number}\u00a0 {page.title}" if page.number else page.title


def _nav_link(target: Page, current: Page, rel: str) -> str:
    """A previous/next link."""
    arrow = "\u2190 " if rel == "prev" else ""
    after = " \u2192" if rel == "next" else ""
    return (f'<a class="nav-{rel}" rel="{rel}" href="{relative(target.name, current.name)}">'
            f"{arrow}{html.escape(page_label(target))}{after}</a>")


def sidebar(current: Page, pages: list[Page], project: Project) -> str:
    """The book's table of contents; the current chapter lists its sections."""
    items = []
    for page in pages:
        link = relative(page.name, current.name)
        active = ' class="active"' if page is current else ""
        sub = ""
        if page is current and page.sections and project.html.get("toc", True):
            sub = "<ul>" + "".join(
                f'<li><a href="#{html.escape(i)}">'
                f'{(html.escape(n) + "&nbsp; ") if n else ""}{html.escape(t)}</a></li>'
                for i, n, t in page.sections) + "</ul>"
        items.append(f'<li{active}><a href="{link}">{_toc_label(page)}</a>{sub}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def _toc_label(page: Page) -> str:
    """Sidebar entry text: number (if any) and title."""
    number = f'<span class="chapter-number">{html.escape(page.number)}</span> ' if page.number else ""
    return number + html.escape(page.title)


def title_block(project: Project) -> str:
    """Title, subtitle, authors and date on the home page."""
    parts = [f'<header class="title-block"><p class="book-title">{html.escape(smart_text(project.title))}</p>']
    if project.subtitle:
        parts.append(f'<p class="subtitle">{html.escape(smart_text(project.subtitle))}</p>')
    if project.authors:
        parts.append(f'<p class="author">{html.escape(", ".join(project.authors))}</p>')
    if project.date:
        parts.append(f'<p class="date">{html.escape(project.date)}</p>')
    return "".join(parts) + "</header>\n"


def footer(project: Project, edition: dict | None) -> str:
    """The page footer: book title and, if given, the edition fields."""
    text = html.escape(smart_text(project.title))
    if edition and edition.get("stamp"):
        text += f' &middot; <span class="edition-stamp">{html.escape(str(edition["stamp"]))}</span>'
    elif edition:
        text += " &middot; " + " &middot; ".join(
            f'<span class="edition-{html.escape(str(k))}">{html.escape(str(k))}: {html.escape(str(v))}</span>'
            for k, v in edition.items())
    return text


def write_assets(out: Path, need_charts: bool, vl_major: str, cache: OutputCache) -> None:
    """Copy the stylesheet, page script and icon; bundle vega + vega-lite + vega-embed when
    any page has a chart."""
    lib = out / LIB
    lib.mkdir(parents=True, exist_ok=True)
    for name in ("book.css", "book.js", "favicon.svg"):
        (lib / name).write_bytes((ASSETS / name).read_bytes())
    if need_charts:
        (lib / "charts.js").write_bytes((ASSETS / "charts.js").read_bytes())
        (lib / "vega-bundle.js").write_bytes(js_bundle(vl_major, cache))


def js_bundle(vl_major: str, cache: OutputCache) -> bytes:
    """vega + vega-lite + vega-embed in one script, from vl-convert (cached: ~2 s to build)."""
    version = vl_version(vl_major)
    return cache.get_or_make("jsbundle", [vl_convert.__version__, version],
                             lambda: vl_convert.javascript_bundle(vl_version=version).encode())


def vl_version(major: str) -> str:
    """The newest Vega-Lite release vl-convert ships for a major version (e.g. '6' -> '6.4')."""
    versions = [v for v in vl_convert.get_vegalite_versions() if v.split(".")[0] == major]
    if not versions:
        return vl_convert.get_vegalite_versions()[-1]
    return max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))
