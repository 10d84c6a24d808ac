"""Book-wide numbering and the label table for cross-references (pass 1, on pandoc's AST).

Numbering spans chapters (Figure 2.1 is the first figure of chapter 2; appendices are
lettered), so it cannot be done one chapter at a time inside pandoc. This pass walks every
chapter's JSON AST in book order, writes a `number` attribute on headings, figures and
tables, and returns the labels that `@fig-`, `@tbl-` and `@sec-` may point to. The Lua filter
(filters/book.lua) then shows the numbers and resolves the references for each writer.
It also finds the sentence around each claim for the ledger.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from renderer.errors import RenderError
from renderer.project import Chapter

XREF = re.compile(r"^(fig|tbl|sec)-")


@dataclass
class Label:
    """A cross-reference target."""

    id: str
    kind: str      # fig, tbl, sec
    number: str    # "2.1", "A", "3"
    prefix: str    # Figure, Table, Section, Chapter, Appendix
    page: str      # html page of the chapter holding it

    def text(self) -> str:
        """How a reference to it reads: "Figure 2.1"."""
        return f"{self.prefix} {self.number}"


def _attr_of(node) -> list | None:
    """The [id, classes, kvs] attribute of a node that has one."""
    t = node.get("t")
    if t == "Header":
        return node["c"][1]
    if t in ("Div", "Figure", "Table", "Span", "CodeBlock"):
        return node["c"][0]
    return None


def _set(attr: list, key: str, value: str) -> None:
    """Set a key-value attribute."""
    attr[2] = [kv for kv in attr[2] if kv[0] != key] + [[key, value]]


def walk(node, fn) -> None:
    """Call fn on every dict node with a "t", in document order (pre-order)."""
    if isinstance(node, dict):
        if "t" in node:
            fn(node)
        for value in node.values():
            if isinstance(value, (list, dict)):
                walk(value, fn)
    elif isinstance(node, list):
        for item in node:
            walk(item, fn)


def number_book(chapters: list[tuple[Chapter, dict]]) -> dict[str, Label]:
    """Number every chapter's headings, figures and tables in place; return the label table."""
    labels: dict[str, Label] = {}
    chapter_no = appendix_no = 0
    for chapter, ast in chapters:
        h1 = [b for b in ast["blocks"] if b.get("t") == "Header" and b["c"][0] == 1]
        if len(h1) != 1:
            raise RenderError(f"{chapter.rel}: a chapter needs exactly one level-1 heading (found {len(h1)})")
        numbered = "unnumbered" not in h1[0]["c"][1][1]
        if numbered and chapter.appendix:
            appendix_no += 1
            number, kind = string.ascii_uppercase[appendix_no - 1], "Appendix"
        elif numbered:
            chapter_no += 1
            number, kind = str(chapter_no), "Chapter"
        else:
            number, kind = "", "Chapter"
        _number_chapter(chapter, ast, number, kind, appendix_no if chapter.appendix else chapter_no, labels)
    return labels


def _number_chapter(chapter: Chapter, ast: dict, number: str, kind: str, counter: int, labels: dict) -> None:
    """Number one chapter given its own number ("" when unnumbered)."""
    sections = [0] * 7
    counts = {"fig": 0, "tbl": 0}

    def register(ident: str, lkind: str, num: str, prefix: str) -> None:
        if ident in labels:
            raise RenderError(f"{chapter.rel}: label '{ident}' is defined twice (also in {labels[ident].page})")
        labels[ident] = Label(ident, lkind, num, prefix, chapter.html_name)

    def visit(node: dict) -> None:
        t, attr = node["t"], _attr_of(node)
        if t == "Header":
            level, ident, classes = node["c"][0], attr[0], attr[1]
            if level == 1:
                num, prefix = number, kind
                _set(attr, "chapter-kind", "appendix" if chapter.appendix else "chapter")
                _set(attr, "chapter-counter", str(counter))
            elif number and "unnumbered" not in classes:
                sections[level] += 1
                sections[level + 1:] = [0] * (6 - level)
                num, prefix = ".".join([number] + [str(n) for n in sections[2:level + 1]]), "Section"
            else:
                num, prefix = "", "Section"
            if num:
                _set(attr, "number", num)
            if ident.startswith("sec-"):
                if not num:
                    raise RenderError(f"{chapter.rel}: @{ident} labels an unnumbered heading; it cannot be referenced by number")
                register(ident, "sec", num, prefix)
        elif t in ("Div", "Figure", "Table") and attr and XREF.match(attr[0]) and attr[0][:3] in counts:
            k = attr[0][:3]
            counts[k] += 1
            num = f"{number}.{counts[k]}" if number else str(counts[k])
            _set(attr, "number", num)
            register(attr[0], k, num, "Figure" if k == "fig" else "Table")

    walk(ast["blocks"], visit)
    _set(_attr_of([b for b in ast["blocks"] if b.get("t") == "Header"][0]), "figure-prefix", f"{number}." if number else "")


def check_references(chapter: Chapter, ast: dict, labels: dict) -> list[str]:
    """Verify every @fig-/@tbl-/@sec- reference has a target; return the bibliography keys cited."""
    keys: list[str] = []

    def visit(node: dict) -> None:
        if node["t"] != "Cite":
            return
        ids = [c["citationId"] for c in node["c"][0]]
        xrefs = [i for i in ids if XREF.match(i)]
        for ident in xrefs:
            if ident not in labels:
                raise RenderError(f"{chapter.rel}: cross-reference @{ident} has no target in the book")
        if xrefs and len(xrefs) != len(ids):
            raise RenderError(f"{chapter.rel}: [{'; '.join('@' + i for i in ids)}] mixes cross-references and citations")
        keys.extend(i for i in ids if not XREF.match(i) and i not in keys)

    walk(ast["blocks"], visit)
    return keys


SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def claim_sentences(ast: dict, labels: dict) -> dict[str, str]:
    """claim id -> the plain-text sentence holding it (references read "Figure 2.1")."""
    found: dict[str, str] = {}

    def visit(node: dict) -> None:
        if node["t"] in ("Para", "Plain"):
            inlines = node["c"]
        elif node["t"] == "Header":
            inlines = node["c"][2]
        else:
            return
        marks: dict[str, tuple[int, int]] = {}
        text = _plain(inlines, labels, marks, [0])
        for claim_id, (start, end) in marks.items():
            begin = 0
            for m in SENTENCE_END.finditer(text, 0, start):
                begin = m.end()
            stop = SENTENCE_END.search(text, end)
            sentence = text[begin:stop.start() + 1 if stop else len(text)]
            found.setdefault(claim_id, _tidy(sentence))

    walk(ast["blocks"], visit)
    return found


def _tidy(sentence: str) -> str:
    """Collapse whitespace and the gaps dropped citations leave behind."""
    sentence = " ".join(sentence.split())
    sentence = re.sub(r"\(\s*\)|\[\s*\]", "", sentence)
    sentence = re.sub(r"\s+([.,;:!?)])", r"\1", sentence)
    return " ".join(sentence.split())


def _plain(inlines: list, labels: dict, marks: dict, pos: list) -> str:
    """Plain text of inlines; records [start, end) of each claim span in `marks`."""
    out = []

    def add(s: str) -> None:
        out.append(s)
        pos[0] += len(s)

    for node in inlines:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            add(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            add(" ")
        elif t in ("Code", "Math"):
            add(c[1])
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            add(q + _plain(c[1], labels, {}, [0]) + q)
        elif t == "Cite":
            ids = [x["citationId"] for x in c[0]]
            add(", ".join(labels[i].text() for i in ids if i in labels))
        elif t == "Span":
            start = pos[0]
            add(_plain(c[1], labels, marks, [pos[0]]))
            if c[0][0].startswith("claim-"):
                marks[c[0][0][len("claim-"):]] = (start, pos[0])
        elif t in ("Link", "Image"):
            add(_plain(c[1], labels, marks, [pos[0]]))
        elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            add(_plain(c, labels, marks, [pos[0]]))
    return "".join(out)
