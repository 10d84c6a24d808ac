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

__all__ = ["CITATION_GROUP", "split_options", "plain_caption", "book_sources", "figure_caption"]

REPO = Path(__file__).resolve().parents[2]
PYTHON_FENCE = re.compile(r"^`{3,}\{python\}\s*$")
CITATION_GROUP = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")  # "[@a; @b, p. 3]" in a caption or sentence


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


def figure_caption(fig_id: str) -> str:
    """The caption a chapter gives figure `fig_id` (the `fig-cap` of the cell so labelled),
    read from the chapter sources so an example citation quotes the caption as printed;
    Markdown citations ("[@key]") are dropped, the source line's words stay."""
    for path in book_sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if PYTHON_FENCE.match(line):
                options, _ = split_options(lines[i + 1:])
                if options.get("label") == fig_id:
                    return plain_caption(str(options.get("fig-cap", "")))
    raise KeyError(f"no chapter has a figure labelled {fig_id}")
