"""Captions as the chapters print them: a cell's `#|` options, and a caption without citations.

Why here: the How to cite appendix quotes a real figure's caption, so it reads the chapter
sources (`figure_caption`). The renderer reads the same `#|` lines and drops the same bracketed
citations when it writes a figure card, but `analysis` may not import `renderer` (imports go
one way), so the two rules are written once on each side of that line and
tests/test_captions.py keeps them in step: same options for every cell of the book, same
plain caption for every figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

__all__ = ["CITATION_GROUP", "split_options", "plain_caption", "book_sources", "figure_caption",
           "div_caption"]

REPO = Path(__file__).resolve().parents[2]
PYTHON_FENCE = re.compile(r"^`{3,}\{python\}\s*$")
CITATION_GROUP = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")  # "[@a; @b, p. 3]" in a caption or sentence
FIG_DIV = re.compile(r"^:{3,}\s*\{#(?P<id>fig-[\w-]+)[^}]*\}\s*$")  # Quarto's figure div
DIV_OPEN = re.compile(r"^:{3,}\s*(\{[^}]*\}|[\w-]+)\s*:*\s*$")
DIV_CLOSE = re.compile(r"^:{3,}\s*$")
BUNDLE_VALUE = re.compile(r"`\{python\}\s+r\.(?P<name>\w+)`")  # an inline value of the chapter's bundle


def split_options(body: list[str]) -> tuple[dict, list[str]]:
    """A python cell's body -> (its options, its code lines).

    Quarto's rule: the leading lines starting with `#|` are YAML (one space after the bar
    dropped); the cell's code starts at the first other line.
    """
    n = 0
    while n < len(body) and body[n].startswith("#|"):
        n += 1
    options = yaml.safe_load("\n".join(line[2:].removeprefix(" ") for line in body[:n])) if n else None
    return options or {}, body[n:]


def plain_caption(caption: str) -> str:
    """The caption as a reader quotes it: bracketed citations ("[@a; @b]") dropped with the
    space before them."""
    return re.sub(r"\s*" + CITATION_GROUP.pattern, "", caption).strip()


def book_sources() -> list[Path]:
    """The book's source files: index.qmd, then the chapters and appendices."""
    return [REPO / "index.qmd", *sorted((REPO / "chapters").glob("*.qmd"))]


def div_caption(lines: list[str]) -> str:
    """The caption of a figure div whose opening fence was just before `lines`: its last
    paragraph (Quarto's rule), as written in the source (inline expressions kept)."""
    depth, code, body = 1, None, []
    for line in lines:
        fence = re.match(r"^(`{3,}|~{3,})", line)
        if code is None and fence:
            code = fence.group(1)
        elif code is not None and line.startswith(code):
            code = None
        elif code is None and DIV_CLOSE.match(line):
            depth -= 1
            if depth == 0:
                break
        elif code is None and DIV_OPEN.match(line):
            depth += 1
        body.append(line if code is None and not fence else "")
    paragraphs = [p for p in re.split(r"\n\s*\n", "\n".join(body)) if p.strip()]
    return " ".join(paragraphs[-1].split()) if paragraphs else ""


def figure_caption(fig_id: str, values=None) -> str:
    """The caption a chapter gives figure `fig_id`, as printed, read from the chapter sources so
    an example citation quotes the caption as printed: the `fig-cap` of the cell so labelled,
    or the last paragraph of the `::: {#fig_id}` div, its inline values (`r.name`) filled in
    from `values`, the chapter's bundle. Markdown citations ("[@key]") are dropped, the
    source line's words stay."""
    for path in book_sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if PYTHON_FENCE.match(line):
                options, _ = split_options(lines[i + 1:])
                if options.get("label") == fig_id:
                    return plain_caption(str(options.get("fig-cap", "")))
            div = FIG_DIV.match(line)
            if div and div.group("id") == fig_id:
                caption = div_caption(lines[i + 1:])
                if values is None and BUNDLE_VALUE.search(caption):
                    raise ValueError(f"{fig_id}: its caption computes values; pass the chapter's bundle")
                caption = BUNDLE_VALUE.sub(lambda m: str(getattr(values, m.group("name"))), caption)
                return plain_caption(caption)
    raise KeyError(f"no chapter has a figure labelled {fig_id}")
