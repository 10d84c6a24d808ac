"""The PDF: all chapters as one pandoc document -> Typst (pandoc's writer, our template and
Lua filter) -> PDF with the `typst` Python binding. Charts are vector SVG from vl-convert.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Mapping

import typst
import vl_convert

from renderer import pandoc
from renderer.cache import OutputCache, write_atomic
from renderer.errors import RenderError
from renderer.crossref import walk
from renderer.html import vl_version
from renderer.outputs import Chart
from renderer.pandoc import meta_value
from renderer.project import Project
from renderer.sourcedate import source_date_epoch

TEMPLATE = Path(__file__).resolve().parent / "templates" / "book.typ"


def chart_svgs(charts: list[Chart], cache: OutputCache) -> dict[str, bytes]:
    """figures/<id>.svg for every chart, converted by vl-convert (cached by spec)."""
    return {f"figures/{chart.id}.svg": chart_svg(chart.spec, chart.major, cache) for chart in charts}


def chart_svg(spec: dict, major: str, cache: OutputCache) -> bytes:
    """One Vega-Lite spec as SVG (vector text and paths), cached by the spec."""
    version = vl_version(major)
    return cache.get_or_make("svg", [vl_convert.__version__, version, json.dumps(spec, sort_keys=True)],
                             lambda: vl_convert.vegalite_to_svg(spec, vl_version=version).encode())


def book_ast(project: Project, asts: list[dict], labels: dict, edition: dict | None) -> dict:
    """One document: every chapter's blocks in order, the book's metadata, a references section."""
    blocks: list = []
    has_refs = False
    for ast in asts:
        blocks.extend(ast["blocks"])

    def visit(node):
        nonlocal has_refs
        if node["t"] == "Div" and node["c"][0][0] == "refs":
            has_refs = True

    walk(blocks, visit)
    if project.bibliography and not has_refs:
        blocks.append({"t": "Header", "c": [1, ["references", ["unnumbered"], [["chapter-kind", "chapter"]]],
                                            [{"t": "Str", "c": "References"}]]})
        blocks.append({"t": "Div", "c": [["refs", [], []], []]})
    meta = {
        "title": project.title, "subtitle": project.subtitle, "author": project.authors, "date": project.date,
        "lang": project.lang, "toc": bool(project.typst.get("toc", True)),
        "toc-depth": str(project.typst.get("toc-depth", 2)),
        "papersize": str(project.typst.get("papersize", "a4")),
        "crossref": {k: {"number": v.number, "prefix": v.prefix, "href": ""} for k, v in labels.items()},
    }
    if edition and edition.get("stamp"):
        meta["edition"] = [str(edition["stamp"])]
    elif edition:
        meta["edition"] = [f"{k}: {v}" for k, v in edition.items()]
    return {"pandoc-api-version": asts[0]["pandoc-api-version"],
            "meta": {k: meta_value(v) for k, v in meta.items() if v not in ("", [], None)},
            "blocks": blocks}


def to_typst(project: Project, ast: dict, cache: OutputCache) -> str:
    """Pandoc: the book AST -> a standalone Typst document."""
    args = ["-f", "json", "-t", "typst", "--standalone", f"--template={TEMPLATE}", "--wrap=preserve",
            "--lua-filter", str(pandoc.FILTERS / "book.lua")]
    files = [TEMPLATE, pandoc.FILTERS / "book.lua"]
    if project.bibliography:
        args += ["--citeproc"] + [f"--bibliography={b}" for b in project.bibliography]
        args += [f"--csl={project.csl}"] if project.csl else []
        files += project.bibliography + ([project.csl] if project.csl else [])
    return pandoc.run(args, json.dumps(ast).encode(), cache, files, what="PDF").decode()


def compile_pdf(typst_source: str, assets: dict[str, bytes], cache: OutputCache,
                env: Mapping[str, str] | None = None) -> bytes:
    """Typst -> PDF bytes; cached by the source, every image it includes and the PDF's date.

    The PDF's /CreationDate and /ModDate (and its XMP dates) are SOURCE_DATE_EPOCH from `env`
    (default os.environ) when set, so two renders of the same inputs give the same bytes;
    unset, Typst writes the time of compiling. A bad value raises SourceDateError.
    """
    timestamp = source_date_epoch(env)
    key = [typst.__version__ if hasattr(typst, "__version__") else "typst", typst_source.encode()]
    key += [k.encode() + b"\0" + v for k, v in sorted(assets.items())]
    key += [f"timestamp={timestamp}"]

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="renderer-typst-") as tmp:
            root = Path(tmp)
            for name, data in assets.items():
                write_atomic(root / name, data)
            (root / "book.typ").write_text(typst_source, encoding="utf-8")
            try:
                return typst.compile(str(root / "book.typ"), root=str(root), timestamp=timestamp)
            except Exception as err:  # typst.TypstError: report it as the render's failure
                raise RenderError(f"PDF: typst could not compile the book: {err}") from None

    return cache.get_or_make("pdf", key, make)
