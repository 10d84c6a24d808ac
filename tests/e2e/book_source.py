"""What the book's sources promise, read independently of the renderer: the chapter files in
`_quarto.yml` order, each chapter's title (its first level-1 heading), its figure and table
labels.

The rendered outputs are checked against this, so a chapter or figure that silently goes
missing from the HTML or the PDF fails a test instead of shrinking what the tests look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HEADING = re.compile(r"^#\s+(.+?)\s*(\{[^}]*\})?\s*$")
FIG_LABEL = re.compile(r"^#\|\s*label:\s*(fig-[\w-]+)\s*$")
TBL_LABEL = re.compile(r"^#\|\s*label:\s*(tbl-[\w-]+)\s*$")
# A cross-referenceable div (Quarto's div syntax: the last paragraph is the caption), e.g. a
# figure whose caption computes its finding inline, or a table with one variant per format.
XREF_DIV = re.compile(r"^:{3,}\s*\{#((fig|tbl)-[\w-]+)[^}]*\}\s*$")
DIV_FENCE = re.compile(r"^:{3,}")


@dataclass(frozen=True)
class Chapter:
    source: Path  # relative to the project, e.g. chapters/01-paradox.qmd
    title: str
    figures: tuple[str, ...]
    tables: tuple[str, ...] = ()
    alts: tuple[tuple[str, str], ...] = ()  # (figure label, its fig-alt) as the source says

    def fig_alts(self) -> dict[str, str]:
        """{figure label: fig-alt text} of this chapter's chart cells."""
        return dict(self.alts)

    @property
    def page(self) -> str:
        """The HTML page the book renders it to, relative to the book root."""
        return self.source.with_suffix(".html").as_posix()


def chapters(project: Path) -> list[Chapter]:
    """Every chapter and appendix of the book, in reading order."""
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    book = config["book"]
    files = list(book.get("chapters", [])) + list(book.get("appendices", []))
    result = []
    for entry in files:
        rel = Path(entry if isinstance(entry, str) else entry["file"])
        result.append(_read_chapter(project, rel))
    return result


def _read_chapter(project: Path, rel: Path) -> Chapter:
    title, figures, tables, in_code, options, alts = None, [], [], False, [], []
    divs: list[str | None] = []  # open divs: the figure/table id, or None
    for line in (project / rel).read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if in_code:
                fig_div = next((d for d in reversed(divs) if d and d.startswith("fig-")), None)
                alts += _fig_alt(options, fig_div)
            in_code, options = not in_code, []
            continue
        if not in_code and DIV_FENCE.match(line):
            match = XREF_DIV.match(line)
            if match:
                (figures if match.group(2) == "fig" else tables).append(match.group(1))
            if line.strip(": ") == "":
                if divs:
                    divs.pop()
            else:
                divs.append(match.group(1) if match else None)
            continue
        if in_code:
            if line.startswith("#|"):
                options.append(line[2:])
            match = FIG_LABEL.match(line)
            if match:
                figures.append(match.group(1))
            match = TBL_LABEL.match(line)
            if match:
                tables.append(match.group(1))
        elif title is None:
            match = HEADING.match(line)
            if match:
                title = match.group(1)
    if title is None:
        raise ValueError(f"{rel}: no level-1 heading")
    return Chapter(source=rel, title=title, figures=tuple(figures), tables=tuple(tables), alts=tuple(alts))


def _fig_alt(options: list[str], fig_div: str | None = None) -> list[tuple[str, str]]:
    """[(label, fig-alt)] of one code cell whose `#|` options (YAML) give both (the label may
    be the id of the figure div around the cell), else []."""
    parsed = yaml.safe_load("\n".join(options)) if options else None
    label = str(parsed.get("label", "")) if isinstance(parsed, dict) else ""
    label = label if label.startswith("fig-") else (fig_div or "")
    if label and isinstance(parsed, dict) and parsed.get("fig-alt"):
        return [(label, str(parsed["fig-alt"]))]
    return []


def plain(text: str) -> str:
    """Typographic quotes, dashes, ellipses and minus signs as a reader types them (pandoc's
    smart punctuation curls apostrophes; Typst sets "..." as an ellipsis and a hyphen before
    a digit as a minus sign), whitespace collapsed."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
             "\u2026": "...", "\u2212": "-"}
    return re.sub(r"\s+", " ", "".join(table.get(c, c) for c in text)).strip()
