"""An executed chapter notebook -> the chapter's Markdown, with outputs placed where Quarto
puts them (code if echoed, then outputs; figures and tables wrapped in `#fig-`/`#tbl-` divs
with their captions), inline values substituted, and the claims found on the way.

Values from the kernel are inserted as literal text: every ASCII punctuation character is
backslash-escaped, so a value can never turn into Markdown, HTML or Typst markup.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field

from renderer.figures import card_svg_path
from renderer.kernel import INLINE_MIME
from renderer.notebook import INLINE_TAG, tags
from renderer.project import Chapter
from renderer.qmd import Cell, Document

PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
# Fenced divs in a chapter's Markdown: a figure div (Quarto's div syntax, `::: {#fig-x}`, whose
# last paragraph is the caption: the way to give a chart a caption computed by inline values),
# any other opening fence, and a closing fence.
FIG_DIV = re.compile(r"^:{3,}\s*\{#(fig-[\w-]+)[^}]*\}\s*$")
DIV_OPEN = re.compile(r"^:{3,}\s*(\{[^}]*\}|[\w-]+)\s*:*\s*$")
DIV_CLOSE = re.compile(r"^:{3,}\s*$")
VEGALITE = re.compile(r"application/vnd\.vegalite\.v(\d+)\+json")
DEFAULTS = {"echo": True, "output": True, "include": True, "warning": True}


@dataclass
class Chart:
    """A Vega-Lite chart output: drawn by vega-embed in HTML, as SVG by vl-convert in PDF."""

    id: str
    spec: dict
    major: str
    alt: str
    caption: str
    chapter: str


@dataclass
class ChapterMarkdown:
    """What assembly produces for one chapter."""

    markdown: str
    claims: list[dict] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)  # path under the book root -> bytes
    divs: list = field(default_factory=list)  # open divs while assembling: figure id or None


def escape_markdown(text: str) -> str:
    """Literal text for pandoc Markdown: newlines folded, all ASCII punctuation escaped."""
    return PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def fence(content: str, char: str = "`") -> str:
    """A code fence longer than any run of `char` inside `content`."""
    runs = [len(m) for m in re.findall(re.escape(char) + "+", content)]
    return char * max(3, max(runs, default=0) + 1)


def assemble(doc: Document, nb, chapter: Chapter, defaults: dict, claim_ids: set) -> ChapterMarkdown:
    """Build the chapter's Markdown from its parsed source and executed notebook."""
    out = ChapterMarkdown(markdown="")
    by_index = _notebook_cells(nb)
    parts = []
    title = doc.front.get("title")
    if title:
        parts.append(f"# {title}")
    options = {**DEFAULTS, **defaults, **(doc.front.get("execute") or {})}
    for index, cell in enumerate(doc.cells):
        if cell.kind == "markdown":
            inline = by_index.get(index, {}).get("inline")
            parts.append(_markdown(cell, inline, chapter, claim_ids, out))
            _figure_divs(cell, inline, out)
        else:
            code = by_index[index]["code"]
            parts.append(_code(cell, code, {**options, **cell.options}, chapter, out))
    out.markdown = "\n\n".join(p for p in parts if p.strip()) + "\n"
    return out


def _notebook_cells(nb) -> dict:
    """Map source cell index -> {"code": cell} or {"inline": cell} from notebook metadata."""
    found: dict = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("renderer")
        if not meta or "cell" not in meta:
            continue
        kind = "inline" if INLINE_TAG in tags(cell) else ("code" if cell.cell_type == "code" else "markdown")
        found.setdefault(meta["cell"], {})[kind] = cell
    return found


def _markdown(cell: Cell, inline_cell, chapter: Chapter, claim_ids: set, out: ChapterMarkdown) -> str:
    """The markdown cell with each inline expression replaced by its (escaped) value."""
    if not cell.inline:
        return cell.text
    results = _inline_results(inline_cell)
    values = [_inline_value(e, r, chapter, claim_ids, out) for e, r in zip(cell.inline, results)]
    text = cell.text
    for expr, value in reversed(list(zip(cell.inline, values))):  # from the end: offsets stay valid
        text = text[:expr.start] + value + text[expr.end:]
    return text


def _figure_divs(cell: Cell, inline_cell, out: ChapterMarkdown) -> None:
    """Follow the fenced divs of a markdown cell. When a figure div closes, its caption (the
    last paragraph before the fence, inline values as their text, citations kept as written:
    what a `fig-cap` option holds) becomes the caption of the chart drawn inside it, for its
    figure card."""
    text = cell.text
    if cell.inline:
        results = _inline_results(inline_cell)
        for expr, result in reversed(list(zip(cell.inline, results))):
            text = text[:expr.start] + " ".join(str(result["text"]).split()) + text[expr.end:]
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if DIV_CLOSE.match(line):
            if out.divs and (fig := out.divs.pop()):
                caption = re.split(r"\n\s*\n", "\n".join(lines[:i]).strip())[-1]
                for chart in out.charts:
                    if chart.id == fig and not chart.caption:
                        chart.caption = " ".join(caption.split())
        elif DIV_OPEN.match(line):
            match = FIG_DIV.match(line)
            out.divs.append(match.group(1) if match else None)


def _inline_results(inline_cell) -> list[dict]:
    """The list the kernel displayed for an inline cell."""
    for output in inline_cell.get("outputs", []):
        data = output.get("data", {})
        if INLINE_MIME in data:
            return data[INLINE_MIME]
    raise ValueError("inline cell produced no values")


def _inline_value(expr, result: dict, chapter: Chapter, claim_ids: set, out: ChapterMarkdown) -> str:
    """Escaped text, wrapped in a claim span with an id and source title when it is a claim."""
    text = escape_markdown(result["text"])
    claim = result.get("claim")
    if not isinstance(claim, dict):
        return text
    claim_id = _unique(str(claim.get("id") or f"{chapter.stem}-{_slug(expr.expr)}"), claim_ids)
    sources = [str(s) for s in claim.get("sources") or []]
    out.claims.append({
        "id": claim_id, "kind": claim.get("kind", "number"), "text": " ".join(result["text"].split()),
        "value": claim.get("value"), "low": claim.get("low"), "high": claim.get("high"),
        "unit": claim.get("unit"), "year": claim.get("year"), "sources": sources,
        "branch": claim.get("branch"), "sentence": "", "chapter": chapter.stem,
        "anchor": f"{chapter.html_name}#claim-{claim_id}", "expression": expr.expr, "line": expr.line,
    })
    title = ("Source: " + ", ".join(sources)) if sources else "Source: not stated"
    title = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'[{text}]{{#claim-{claim_id} .claim title="{title}"}}'


def _slug(text: str) -> str:
    """Lower-case, runs of anything but letters and digits -> '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "value"


def _unique(base: str, used: set) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is not used yet (then mark it used)."""
    base = _slug(base) if not re.fullmatch(r"[A-Za-z0-9][\w.-]*", base) else base
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


def _code(cell: Cell, code, opts: dict, chapter: Chapter, out: ChapterMarkdown) -> str:
    """Echoed source (if echo) then the outputs (if output), figure/table wrapped by label."""
    if not opts["include"]:
        return ""
    blocks = []
    if opts["echo"]:
        f = fence(cell.text)
        blocks.append(f"{f}{{.python .cell-code}}\n{cell.text}\n{f}")
    if not opts["output"]:
        return "\n\n".join(blocks)
    shown = [md for o in code.get("outputs", []) if (md := _output(o, cell, opts, chapter, out))]
    label = str(cell.options.get("label") or "")
    if label.startswith("fig-") or "fig-cap" in cell.options:
        shown = [_wrap(label if label.startswith("fig-") else "", shown, cell.options.get("fig-cap", ""))]
    elif label.startswith("tbl-") or "tbl-cap" in cell.options:
        shown = [_wrap(label if label.startswith("tbl-") else "", shown, cell.options.get("tbl-cap", ""))]
    return "\n\n".join(blocks + shown)


def _wrap(label: str, blocks: list[str], caption: str) -> str:
    """A figure/table div: the outputs, then the caption as the div's last paragraph."""
    attrs = f"#{label}" if label else ".figure"
    body = "\n\n".join(blocks)
    return f"::::: {{{attrs}}}\n{body}\n\n{caption}\n:::::"


def _output(output, cell: Cell, opts: dict, chapter: Chapter, out: ChapterMarkdown) -> str:
    """One notebook output as Markdown (raw HTML/Typst blocks where needed)."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stderr" and not opts["warning"]:
            return ""
        text = output.get("text", "").rstrip("\n")
        f = fence(text)
        cls = ".cell-output .stderr" if output.get("name") == "stderr" else ".cell-output"
        return f"{f}{{{cls}}}\n{text}\n{f}" if text else ""
    if kind not in ("execute_result", "display_data"):
        return ""
    data = output.get("data", {})
    for mime in data:
        match = VEGALITE.fullmatch(mime)
        if match:
            return _chart(data[mime], match.group(1), cell, chapter, out)
    if "text/markdown" in data:
        return _text(data["text/markdown"])
    for mime, ext in (("image/svg+xml", "svg"), ("image/png", "png")):
        if mime in data:
            return _image(data[mime], ext, cell, chapter, out)
    if "text/html" in data and "<table" in _text(data["text/html"]):
        return _raw("html", _text(data["text/html"]))
    if "text/html" in data:
        return _raw("html", _text(data["text/html"])) + "\n\n" + _raw("typst", _typst_raw_text(data.get("text/plain", "")))
    if "text/plain" in data:
        text = _text(data["text/plain"])
        f = fence(text)
        return f"{f}{{.cell-output}}\n{text}\n{f}"
    return ""


def _text(value) -> str:
    """Notebook text fields may be a string or a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value)


def _raw(fmt: str, content: str) -> str:
    """A raw block for one output format (dropped by the other writer)."""
    f = fence(content)
    return f"{f}{{={fmt}}}\n{content}\n{f}"


def typst_string(text: str) -> str:
    """A Typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _typst_raw_text(text) -> str:
    """Plain text shown verbatim in Typst."""
    return f"#raw(block: true, {typst_string(_text(text))})"


def _chart(spec: dict, major: str, cell: Cell, chapter: Chapter, out: ChapterMarkdown) -> str:
    """A Vega-Lite chart: a vega-embed target + its spec (HTML) and an SVG image (Typst)."""
    label = str(cell.options.get("label") or "")
    if not label.startswith("fig-"):  # a chart inside a figure div takes the div's id
        label = next((d for d in reversed(out.divs) if d), "")
    chart_id = label if label.startswith("fig-") and not any(c.id == label for c in out.charts) \
        else f"{chapter.stem}-chart-{len(out.charts) + 1}"
    alt = str(cell.options.get("fig-alt") or cell.options.get("fig-cap") or "Chart")
    out.charts.append(Chart(chart_id, spec, major, alt, str(cell.options.get("fig-cap") or ""), chapter.stem))
    payload = json.dumps(spec, sort_keys=True, ensure_ascii=True)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # The chart's card SVG (every chart gets a card) is on screen at once and without
    # JavaScript; charts.js replaces it with the interactive chart. The box, not the drawing,
    # carries the alt text: role="img" keeps the drawing's marks out of the accessibility tree.
    static = "../" * chapter.html_name.count("/") + card_svg_path(chart_id)
    html_part = (
        f'<div class="vega-chart" id="vis-{chart_id}" role="img" aria-label="{html.escape(alt, quote=True)}">'
        f'<img class="chart-static" src="{html.escape(static, quote=True)}" alt=""></div>\n'
        f'<script type="application/json" class="vega-spec" data-target="vis-{chart_id}">{payload}</script>'
    )
    typst_part = f"#renderer-image({typst_string(f'figures/{chart_id}.svg')}, {typst_string(alt)})"
    return _raw("html", html_part) + "\n\n" + _raw("typst", typst_part)


def _image(data, ext: str, cell: Cell, chapter: Chapter, out: ChapterMarkdown) -> str:
    """A static image output saved under figures/ and referenced from both formats."""
    name = f"figures/{chapter.stem}-{len(out.images) + 1}.{ext}"
    raw = _text(data).encode() if ext == "svg" else base64.b64decode(_text(data))
    out.images[name] = raw
    alt = str(cell.options.get("fig-alt") or cell.options.get("fig-cap") or "Figure")
    depth = "../" * chapter.html_name.count("/")
    html_part = f'<img src="{depth}{name}" alt="{html.escape(alt, quote=True)}" class="cell-image">'
    typst_part = f"#renderer-image({typst_string(name)}, {typst_string(alt)})"
    return _raw("html", html_part) + "\n\n" + _raw("typst", typst_part)
