"""The HTML site: one page per chapter (pandoc fragments in a page template written here),
a sidebar table of contents, previous/next links, a references page, the stylesheet and the
vega/vega-lite/vega-embed JavaScript shipped locally (no page makes a network request).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from renderer import pandoc
from renderer.cache import OutputCache
from renderer.crossref import walk
from renderer.pandoc import meta_value, stringify
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


def page_from_chapter(chapter: Chapter, ast: dict, has_charts: bool) -> Page:
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
    return Page(chapter.html_name, title, number, ast, sections, has_charts)


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


def write_page(out: Path, page: Page, pages: list[Page], project: Project, edition: dict | None) -> None:
    """Fill the page template and write the page."""
    index = pages.index(page)
    root = relative("", page.name)
    prev_link = _nav_link(pages[index - 1], page, "prev") if index > 0 else ""
    next_link = _nav_link(pages[index + 1], page, "next") if index + 1 < len(pages) else ""
    scripts = ""
    if page.has_charts:
        scripts = (f'<script src="{root}{LIB}/vega-bundle.js"></script>\n'
                   f'<script src="{root}{LIB}/charts.js" defer></script>')
    values = {
        "lang": html.escape(project.lang), "root": root, "scripts": scripts,
        "page_title": html.escape(_label(page) if page.title else project.title),
        "book_title": html.escape(project.title),
        "sidebar": sidebar(page, pages, project),
        "body": (title_block(project) if index == 0 else "") + page.body,
        "prev": prev_link, "next": next_link, "footer": footer(project, edition),
    }
    # One pass, so text inside a value (e.g. a literal "{{footer}}" in a chapter) is never re-filled.
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], TEMPLATE)
    target = out / page.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _label(page: Page) -> str:
    """`2 Title` or `Title`."""
    return f"{page.number}\u00a0 {page.title}" if page.number else page.title


def _nav_link(target: Page, current: Page, rel: str) -> str:
    """A previous/next link."""
    arrow = "\u2190 " if rel == "prev" else ""
    after = " \u2192" if rel == "next" else ""
    return (f'<a class="nav-{rel}" rel="{rel}" href="{relative(target.name, current.name)}">'
            f"{arrow}{html.escape(_label(target))}{after}</a>")


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
    parts = [f'<header class="title-block"><p class="book-title">{html.escape(project.title)}</p>']
    if project.subtitle:
        parts.append(f'<p class="subtitle">{html.escape(project.subtitle)}</p>')
    if project.authors:
        parts.append(f'<p class="author">{html.escape(", ".join(project.authors))}</p>')
    if project.date:
        parts.append(f'<p class="date">{html.escape(project.date)}</p>')
    return "".join(parts) + "</header>\n"


def footer(project: Project, edition: dict | None) -> str:
    """The page footer: book title and, if given, the edition fields."""
    text = html.escape(project.title)
    if edition and edition.get("stamp"):
        text += f' &middot; <span class="edition-stamp">{html.escape(str(edition["stamp"]))}</span>'
    elif edition:
        text += " &middot; " + " &middot; ".join(
            f'<span class="edition-{html.escape(str(k))}">{html.escape(str(k))}: {html.escape(str(v))}</span>'
            for k, v in edition.items())
    return text


def write_assets(out: Path, need_charts: bool, vl_major: str, cache: OutputCache) -> None:
    """Copy the stylesheet; bundle vega + vega-lite + vega-embed when any page has a chart."""
    lib = out / LIB
    lib.mkdir(parents=True, exist_ok=True)
    (lib / "book.css").write_bytes((ASSETS / "book.css").read_bytes())
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
