"""Parse a `.qmd` file into front matter, markdown cells and python code cells.

Written by hand: jupytext's Quarto support shells out to the `quarto` binary, which is the
very thing this machine lacks. The parser also refuses Quarto syntax this renderer does not
implement (shortcodes, other engines, unknown cell options, Quarto-only div classes,
cross-reference kinds other than fig/tbl/sec), naming the file and line, so that the two
engines can never silently produce different books.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from renderer.errors import UnsupportedSyntaxError
from renderer.yamlspec import ANY, load_checked

CELL_OPTIONS = {
    "label": ANY, "echo": ANY, "output": ANY, "include": ANY, "warning": ANY,
    "fig-cap": ANY, "fig-alt": ANY, "tbl-cap": ANY,
}
FRONT_MATTER = {"title": ANY, "execute": {"echo": ANY, "warning": ANY, "output": ANY, "include": ANY}}
CALLOUTS = {"note", "tip", "warning", "important", "caution"}

FENCE = re.compile(r"^(?P<ticks>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
ENGINE = re.compile(r"^\{\s*(?P<engine>[A-Za-z][\w-]*)(?P<rest>[^}]*)\}$")
INLINE = re.compile(r"(?<!`)(?P<ticks>`+)\{(?P<engine>[A-Za-z][\w-]*)\}[ \t\n]+(?P<expr>.+?)(?<!`)(?P=ticks)(?!`)", re.S)
SHORTCODE = re.compile(r"\{\{[<%]")
DIV = re.compile(r"^(?P<colons>:{3,})\s*(?P<attrs>\{[^}]*\}|[\w-]+)?\s*:*\s*$")
XREF_KINDS = ("eq", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr", "sol", "rem")
OTHER_XREF = re.compile(r"(?<![\w@.])@(?P<kind>" + "|".join(XREF_KINDS) + r")-[\w-]+")
HEADING_ATTRS = re.compile(r"^#{1,6}\s.*\{(?P<attrs>[^}]*)\}\s*$")
QUARTO_DIV_CLASS = re.compile(r"\.(panel-[\w-]+|column-[\w-]+|content-visible|content-hidden|callout(-[\w-]+)?|unlisted|margin-[\w-]+|aside)\b")
QUARTO_DIV_ATTR = re.compile(r"\b(layout[\w-]*|collapse|appearance|icon|when-format|unless-format|when-profile)\s*=")


@dataclass
class InlineExpr:
    """One inline `` `{python} expr` `` occurrence."""

    expr: str
    line: int
    start: int  # offset of the whole code span in the cell text
    end: int


@dataclass
class Cell:
    """A markdown cell (text, inline expressions) or a python code cell (source, options)."""

    kind: str                         # "markdown" or "code"
    text: str                         # markdown text, or code without the `#|` lines
    line: int                         # file line of the cell's first line (code: the fence)
    options: dict = field(default_factory=dict)
    header: str = ""                  # code: the original `#|` lines, kept verbatim
    inline: list[InlineExpr] = field(default_factory=list)

    @property
    def where(self) -> str:
        """How an error message names this cell: its label if any, else its line."""
        label = self.options.get("label")
        return f"cell '{label}' (line {self.line})" if label else f"cell at line {self.line}"


@dataclass
class Document:
    """A parsed chapter."""

    path: Path
    front: dict
    cells: list[Cell]


def parse_qmd(path: Path, text: str | None = None) -> Document:
    """Parse and check one chapter file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    lines = text.splitlines()
    front, body_start = _front_matter(path, lines)
    cells = _cells(path, lines, body_start)
    for cell in cells:
        if cell.kind == "markdown":
            cell.inline = _inline(path, cell)
    return Document(path=path, front=front, cells=cells)


def _front_matter(path: Path, lines: list[str]) -> tuple[dict, int]:
    """The YAML block between `---` lines at the top of the file, and the body's start index."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return load_checked("\n".join(lines[1:i]), FRONT_MATTER, path, first_line=2), i + 1
    raise UnsupportedSyntaxError(path, 1, "front matter is not closed with '---'")


def _cells(path: Path, lines: list[str], start: int) -> list[Cell]:
    """Split the body into markdown and python cells; check markdown lines as we go."""
    cells: list[Cell] = []
    md: list[str] = []
    md_line = start + 1
    i = start
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            _check_markdown_line(path, i + 1, lines[i])
            md.append(lines[i])
            i += 1
            continue
        end = _fence_end(lines, i, fence.group("ticks"))
        engine = ENGINE.match(fence.group("info"))
        if engine is None:  # a plain code block: shown as is, never executed
            md.extend(lines[i:end + 1])
        else:
            if engine.group("engine") != "python":
                raise UnsupportedSyntaxError(path, i + 1, f"code cell engine '{{{engine.group('engine')}}}' (only {{python}} cells run)")
            if engine.group("rest").strip():
                raise UnsupportedSyntaxError(path, i + 1, "options in the cell header; use '#|' lines")
            if end >= len(lines):
                raise UnsupportedSyntaxError(path, i + 1, "code cell is not closed")
            if md:
                cells.append(Cell("markdown", "\n".join(md), md_line))
            cells.append(_code_cell(path, lines[i + 1:end], i + 1))
            md, md_line = [], end + 2
        i = end + 1
    if md:
        cells.append(Cell("markdown", "\n".join(md), md_line))
    return cells


def _fence_end(lines: list[str], start: int, ticks: str) -> int:
    """Index of the line closing the fence opened at `start` (len(lines) if never closed)."""
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped.startswith(ticks[0] * len(ticks)) and set(stripped) == {ticks[0]}:
            return j
    return len(lines)


def _code_cell(path: Path, body: list[str], fence_line: int) -> Cell:
    """A python cell: leading `#|` lines are its YAML options, the rest its source."""
    n = 0
    while n < len(body) and body[n].startswith("#|"):
        n += 1
    yaml_text = "\n".join(line[2:].removeprefix(" ") for line in body[:n])
    options = load_checked(yaml_text, CELL_OPTIONS, path, first_line=fence_line + 1) if n else {}
    for key in ("echo", "output", "include", "warning"):
        if key in options and not isinstance(options[key], bool):
            raise UnsupportedSyntaxError(path, fence_line, f"cell option '{key}: {options[key]}' (only true/false)")
    label = options.get("label")
    if label is not None and not re.fullmatch(r"[A-Za-z][\w-]*", str(label)):
        raise UnsupportedSyntaxError(path, fence_line, f"cell label '{label}' (letters, digits, '-', '_')")
    return Cell("code", "\n".join(body[n:]), fence_line, options=options, header="\n".join(body[:n]))


def _check_markdown_line(path: Path, lineno: int, line: str) -> None:
    """Refuse Quarto-only markdown: shortcodes, unsupported div classes, other xref kinds."""
    if SHORTCODE.search(line):
        raise UnsupportedSyntaxError(path, lineno, "shortcode '{{< >}}'")
    xref = OTHER_XREF.search(line)
    if xref:
        raise UnsupportedSyntaxError(path, lineno, f"cross-reference kind '@{xref.group('kind')}-' (only @fig-, @tbl-, @sec-)")
    div = DIV.match(line)
    if div and div.group("attrs"):
        _check_div(path, lineno, div.group("attrs"))
    heading = HEADING_ATTRS.match(line)
    if heading and re.search(r"\.unlisted\b", heading.group("attrs")):
        raise UnsupportedSyntaxError(path, lineno, "heading class '.unlisted'")


CONDITIONAL_CLASS = ("content-visible", "content-hidden")
CONDITIONAL_ATTR = re.compile(r'^(when|unless)-format\s*=\s*"(html|typst|pdf)"$')


def _check_div(path: Path, lineno: int, attrs: str) -> None:
    """Callouts of the five kinds (with an optional title) are fine, and conditional content
    (`.content-visible` / `.content-hidden` with one `when-format` or `unless-format` of html,
    typst or pdf: the filter keeps or drops it per writer); other Quarto divs are not."""
    attrs = attrs.strip("{} ")
    conditional = False
    for match in QUARTO_DIV_CLASS.finditer(attrs):
        name = match.group(1)
        if name.startswith("callout-") and name[len("callout-"):] in CALLOUTS:
            continue
        if name in CONDITIONAL_CLASS:
            conditional = True
            continue
        raise UnsupportedSyntaxError(path, lineno, f"div class '.{name}'")
    if conditional:
        rest = re.sub(r"\.content-(visible|hidden)\b", "", attrs).strip()
        if not CONDITIONAL_ATTR.match(rest):
            raise UnsupportedSyntaxError(path, lineno, "conditional content other than one "
                                         "when-format/unless-format of html, typst or pdf")
        return
    attr = QUARTO_DIV_ATTR.search(attrs)
    if attr:
        raise UnsupportedSyntaxError(path, lineno, f"div attribute '{attr.group(1)}'")


def _inline(path: Path, cell: Cell) -> list[InlineExpr]:
    """The inline expressions of a markdown cell, skipping fenced code blocks."""
    found = []
    masked = _mask_fenced(cell.text)
    for m in INLINE.finditer(masked):
        line = cell.line + masked.count("\n", 0, m.start())
        if "\n\n" in m.group(0):
            continue  # a stray backtick pair across paragraphs, not a code span
        if m.group("engine") != "python":
            raise UnsupportedSyntaxError(path, line, f"inline code engine '{{{m.group('engine')}}}' (only {{python}})")
        found.append(InlineExpr(cell.text[m.start("expr"):m.end("expr")].strip(), line, m.start(), m.end()))
    return found


def _mask_fenced(text: str) -> str:
    """The text with fenced code blocks blanked out (same length), so offsets still match."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            end = min(_fence_end(lines, i, fence.group("ticks")), len(lines) - 1)
            out.extend(" " * len(line) for line in lines[i:end + 1])
            i = end + 1
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)
